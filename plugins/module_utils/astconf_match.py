# -*- coding: utf-8 -*-
# Copyright: (c) 2026, pbxsec.hardening developers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pattern matching on PBX input that cannot blow up: glob segments and POSIX extended regular
expressions, both in time linear in the text.

Python's ``re`` backtracks: ``(.*)*`` or ``.*.*.*…!`` against a few dozen characters takes
exponential time.  The patterns here come from a PBX's files, so none of them reaches ``re``.

* :func:`compile_glob` matches one path segment as glibc ``fnmatch()`` does (no
  ``FNM_NOESCAPE``, C locale classes) with the two-pointer wildcard algorithm: at most
  ``len(pattern) * len(name)`` steps.
* :func:`compile_ere` reads a regular expression as glibc ``regcomp(REG_EXTENDED | REG_NOSUB)``
  does for ``does_category_match()`` in Asterisk's main/config.c, builds a Thompson NFA and
  answers ``regexec()`` (a search anywhere in the text) by simulating sets of states, with the
  sets cached as DFA states: one step per character of the text, whatever the pattern.  The
  text is matched by characters (Asterisk sets the ``C.UTF-8`` locale); classes are those of
  the C locale.  Back-references cannot be matched in linear time: such a pattern, or one whose
  automaton would exceed :data:`MAX_STATES`, raises :class:`PatternTooComplex`.
"""

from __future__ import annotations

RE_DUP_MAX = 0x7FFF             # glibc: larger counts in {m,n} fail with REG_ESIZE
MAX_STATES = 4096               # engine bound on the automaton of one pattern
MAX_DFA_STATES = 2048           # cached state sets; the caches start afresh when full
MAX_DFA_STEPS = 65536           # cached transitions

_CLASSES = {
    "alpha": lambda c: c.isascii() and c.isalpha(),
    "digit": lambda c: "0" <= c <= "9",
    "alnum": lambda c: c.isascii() and c.isalnum(),
    "upper": lambda c: "A" <= c <= "Z",
    "lower": lambda c: "a" <= c <= "z",
    "space": lambda c: c in " \t\n\r\f\v",
    "blank": lambda c: c in " \t",
    "punct": lambda c: "!" <= c <= "~" and not c.isalnum(),
    "xdigit": lambda c: c in "0123456789abcdefABCDEF",
    "cntrl": lambda c: c <= "\x1f" or c == "\x7f",
    "print": lambda c: " " <= c <= "~",
    "graph": lambda c: "!" <= c <= "~",
}


class PatternError(ValueError):
    """The pattern does not compile (``regcomp()`` or ``fnmatch()`` would reject it)."""


class PatternTooComplex(Exception):
    """The pattern cannot be matched within the engine's bounds (back-references, size)."""


def is_word(char):
    """A word character of the C locale (``\\w``): ASCII letter, digit or ``_``."""
    return char == "_" or (char.isascii() and char.isalnum())


class CharSet:
    """A set of characters: single members, inclusive ranges and named classes, maybe negated."""

    __slots__ = ("members", "ranges", "classes", "negate")

    def __init__(self, members=(), ranges=(), classes=(), negate=False):
        self.members = frozenset(members)
        self.ranges = tuple(ranges)
        self.classes = tuple(classes)
        self.negate = negate

    def __contains__(self, char):
        found = (char in self.members
                 or any(low <= char <= high for low, high in self.ranges)
                 or any(test(char) for test in self.classes))
        return found != self.negate


ANY = CharSet(negate=True)


def _class_test(name):
    """The membership test of ``[:name:]``; :class:`PatternError` for a class glibc lacks."""
    if name not in _CLASSES:
        raise PatternError("unknown character class %r" % name)
    return _CLASSES[name]


# --- glob ------------------------------------------------------------------------------------

_STAR = object()


def _glob_bracket_end(segment, pos):
    """Index of the ``]`` closing the bracket expression opened at ``segment[pos]``, or -1.

    A ``]`` right after ``[`` (or ``[!``, ``[^``) is a member, and so is the ``]`` that ends a
    ``[:class:]``, ``[.symbol.]`` or ``[=equivalent=]`` inside the expression.
    """
    end = pos + 1
    size = len(segment)
    if end < size and segment[end] in "!^":
        end += 1
    if end < size and segment[end] == "]":
        end += 1
    while end < size and segment[end] != "]":
        term = _bracket_term(segment, end)
        if term is not None:
            end = term[2]
        else:
            end += 2 if segment[end] == "\\" else 1
    return end if end < size else -1


def _bracket_term(text, index):
    """``(delimiter, name, after)`` of a ``[:name:]``, ``[.name.]`` or ``[=name=]`` starting at
    ``text[index]``, or None."""
    opener = text[index:index + 2]
    if opener not in ("[:", "[.", "[="):
        return None
    close = text.find(opener[1] + "]", index + 2)
    if close < 0:
        return None
    return opener[1], text[index + 2:close], close + 2


def _glob_bracket(body):
    """The :class:`CharSet` of a glob bracket expression's body (between ``[`` and ``]``)."""
    negate = body[:1] in ("!", "^")
    if negate:
        body = body[1:]
    members, ranges, classes = set(), [], []
    index = 0
    while index < len(body):
        term = _bracket_term(body, index)
        if term is not None:
            delimiter, name, index = term
            if delimiter == ":":
                classes.append(_class_test(name))
            elif len(name) == 1:
                members.add(name)
            else:
                raise PatternError("unknown collating element %r" % name)
            continue
        if body[index] == "\\" and index + 1 < len(body):
            index += 1
        low = body[index]
        if index + 2 < len(body) and body[index + 1] == "-":
            high = body[index + 2]
            if high < low:
                raise PatternError("range out of order")
            ranges.append((low, high))
            index += 3
            continue
        members.add(low)
        index += 1
    return CharSet(members, ranges, classes, negate)


def _glob_tokens(segment):
    """One token per pattern character: a literal, :data:`ANY` (``?``), a :class:`CharSet`
    or :data:`_STAR`.  Consecutive stars are one."""
    tokens = []
    pos = 0
    size = len(segment)
    while pos < size:
        char = segment[pos]
        pos += 1
        if char == "\\" and pos < size:
            tokens.append(segment[pos])
            pos += 1
        elif char == "*":
            if not tokens or tokens[-1] is not _STAR:
                tokens.append(_STAR)
        elif char == "?":
            tokens.append(ANY)
        elif char == "[" and _glob_bracket_end(segment, pos - 1) >= 0:
            end = _glob_bracket_end(segment, pos - 1)
            tokens.append(_glob_bracket(segment[pos:end]))
            pos = end + 1
        else:
            tokens.append(char)
    return tokens


class GlobMatcher:
    """A compiled glob segment; :meth:`match` tells whether a whole name matches it."""

    __slots__ = ("tokens", "steps")

    def __init__(self, tokens):
        self.tokens = tokens
        self.steps = 0                  # characters compared so far, over all calls

    def match(self, name):
        """True when ``name`` matches the whole pattern.

        The two-pointer algorithm: on a mismatch, go back to the last ``*`` and let it take one
        more character.  Only the last star is ever retried, so the work is at most
        ``len(pattern) * len(name)`` steps.
        """
        tokens = self.tokens
        count = len(tokens)
        pos = index = 0
        star = -1
        star_pos = 0
        steps = 0
        while pos < len(name):
            steps += 1
            token = tokens[index] if index < count else None
            if token is _STAR:
                star = index
                star_pos = pos
                index += 1
            elif token is not None and (token == name[pos] if isinstance(token, str)
                                        else name[pos] in token):
                index += 1
                pos += 1
            elif star >= 0:
                star_pos += 1
                pos = star_pos
                index = star + 1
            else:
                self.steps += steps
                return False
        self.steps += steps
        while index < count and tokens[index] is _STAR:
            index += 1
        return index == count


def compile_glob(segment):
    """:class:`GlobMatcher` for one path segment of a glob pattern.

    :raises PatternError: an unknown ``[:class:]`` or collating element, or a range out of
        order: glibc ``fnmatch()`` fails, so the pattern matches nothing.
    """
    return GlobMatcher(_glob_tokens(segment))


# --- POSIX extended regular expressions ------------------------------------------------------

# Abstract syntax: ("set", CharSet), ("cat", [nodes]), ("alt", [nodes]),
# ("rep", node, low, high or None), ("assert", kind).  Assertion kinds: "^", "$", "b", "B",
# "<", ">", "`", "'".
_EMPTY = ("cat", [])
_QUANTIFIERS = "*+?{"
_GNU_CLASSES = {
    "w": CharSet(members="_", classes=(_CLASSES["alnum"],)),
    "W": CharSet(members="_", classes=(_CLASSES["alnum"],), negate=True),
    "s": CharSet(classes=(_CLASSES["space"],)),
    "S": CharSet(classes=(_CLASSES["space"],), negate=True),
}
_GNU_ASSERTIONS = "bB<>`'"


class _EreParser:
    """Recursive descent over an ERE, with glibc's ``RE_SYNTAX_POSIX_EXTENDED`` rules.

    Nesting is bounded by the pattern's length, which the caller bounds.
    """

    def __init__(self, pattern):
        self.pattern = pattern
        self.pos = 0
        self.depth = 0
        self.groups = 0                 # groups closed so far (a back-reference needs one)

    def peek(self):
        return self.pattern[self.pos] if self.pos < len(self.pattern) else None

    def parse(self):
        tree = self.alternation()
        if self.pos != len(self.pattern):       # pragma: no cover - alternation reads all
            raise PatternError("trailing characters")
        return tree

    def alternation(self):
        branches = [self.branch()]
        while self.peek() == "|":
            self.pos += 1
            branches.append(self.branch())
        return branches[0] if len(branches) == 1 else ("alt", branches)

    def branch(self):
        pieces = []
        while True:
            char = self.peek()
            if char is None or char == "|" or (char == ")" and self.depth):
                return ("cat", pieces)
            pieces.append(self.piece())

    def piece(self):
        if self.peek() in _QUANTIFIERS:
            raise PatternError("repetition operator without an operand")
        atom = self.atom()
        if atom[0] == "assert":
            return atom                 # an anchor cannot be repeated: '^*' is an error
        while self.peek() is not None and self.peek() in _QUANTIFIERS:
            atom = ("rep", atom) + self.quantifier()
        return atom

    def quantifier(self):
        char = self.pattern[self.pos]
        self.pos += 1
        if char == "*":
            return 0, None
        if char == "+":
            return 1, None
        if char == "?":
            return 0, 1
        close = self.pattern.find("}", self.pos)
        if close < 0:
            raise PatternError("unmatched '{'")
        low_text, comma, high_text = self.pattern[self.pos:close].partition(",")
        self.pos = close + 1
        if not _is_count(low_text) or not _is_count(high_text) or not (low_text or comma):
            raise PatternError("invalid repetition count")
        low = int(low_text or "0")
        high = (int(high_text) if high_text else None) if comma else low
        if low > RE_DUP_MAX or (high or 0) > RE_DUP_MAX:
            raise PatternError("repetition count too large")
        if high is not None and high < low:
            raise PatternError("invalid repetition count")
        return low, high

    def atom(self):
        char = self.pattern[self.pos]
        self.pos += 1
        if char == "(":
            self.depth += 1
            inner = self.alternation()
            if self.peek() != ")":
                raise PatternError("unmatched '('")
            self.pos += 1
            self.depth -= 1
            self.groups += 1
            return inner
        if char == ".":
            return ("set", ANY)
        if char in "^$":
            return ("assert", char)
        if char == "[":
            return ("set", self.bracket())
        if char == "\\":
            return self.escape()
        return ("set", CharSet(members=char))

    def escape(self):
        if self.pos >= len(self.pattern):
            raise PatternError("trailing backslash")
        char = self.pattern[self.pos]
        self.pos += 1
        if "1" <= char <= "9":
            if int(char) > self.groups:
                raise PatternError("back-reference to a group that does not exist")
            raise PatternTooComplex("back-references cannot be matched in linear time")
        if char in _GNU_CLASSES:
            return ("set", _GNU_CLASSES[char])
        if char in _GNU_ASSERTIONS:
            return ("assert", char)
        return ("set", CharSet(members=char))

    def bracket(self):
        """A bracket expression (after ``[``): a backslash is an ordinary member."""
        negate = self.peek() == "^"
        if negate:
            self.pos += 1
        members, ranges, classes = set(), [], []
        first = True
        while True:
            char = self.peek()
            if char is None:
                raise PatternError("unmatched '['")
            if char == "]" and not first:
                self.pos += 1
                return CharSet(members, ranges, classes, negate)
            kind, value = self.bracket_element(first)
            if kind == "class":
                classes.append(value)
            elif self.range_follows():
                self.pos += 1
                end_kind, end = self.bracket_element(False)
                if end_kind != "char" or end < value:
                    raise PatternError("invalid range")
                ranges.append((value, end))
            else:
                members.add(value)
            first = False

    def range_follows(self):
        """True when a ``-`` that makes a range comes next (not the ``-`` before ``]``)."""
        return self.peek() == "-" and self.pattern[self.pos + 1:self.pos + 2] not in ("]", "")

    def bracket_element(self, first):
        """``("char", c)`` or ``("class", test)`` at the current position of a bracket."""
        term = _bracket_term(self.pattern, self.pos)
        if term is not None:
            delimiter, name, self.pos = term
            if delimiter == ":":
                return "class", _class_test(name)
            if len(name) != 1:
                raise PatternError("unknown collating element %r" % name)
            return "char", name
        if self.pattern.startswith(("[:", "[.", "[="), self.pos):
            raise PatternError("unterminated bracket term")
        char = self.pattern[self.pos]
        if char == "-" and not first and self.pattern[self.pos + 1:self.pos + 2] != "]":
            raise PatternError("invalid range")
        self.pos += 1
        return "char", char


class _Nfa:
    """Thompson automaton: ``kinds[i]`` is ``"set"``, ``"split"``, ``"assert"`` or
    ``"match"``; ``args[i]`` the CharSet or assertion kind; ``outs[i]`` the next states."""

    def __init__(self):
        self.kinds = []
        self.args = []
        self.outs = []
        self.accept = self.add("match")

    def add(self, kind, arg=None):
        if len(self.kinds) >= MAX_STATES:
            raise PatternTooComplex("the pattern needs more than %d automaton states"
                                    % MAX_STATES)
        self.kinds.append(kind)
        self.args.append(arg)
        self.outs.append([])
        return len(self.kinds) - 1

    def build(self, node, follow):
        """States for ``node`` that continue to state ``follow``; returns the entry state."""
        kind = node[0]
        if kind == "set" or kind == "assert":
            state = self.add(kind, node[1])
            self.outs[state].append(follow)
            return state
        if kind == "cat":
            for part in reversed(node[1]):
                follow = self.build(part, follow)
            return follow
        if kind == "alt":
            state = self.add("split")
            self.outs[state].extend(self.build(branch, follow) for branch in node[1])
            return state
        return self.build_repeat(node[1], node[2], node[3], follow)

    def build_repeat(self, node, low, high, follow):
        if _reads_nothing(node):
            return follow               # '(){1000}' and the like: nothing to repeat
        if high is None:
            loop = self.add("split")
            self.outs[loop].extend((self.build(node, loop), follow))
            follow = loop
        else:
            for _unused in range(high - low):
                optional = self.add("split")
                self.outs[optional].extend((self.build(node, follow), follow))
                follow = optional
        for _unused in range(low):
            follow = self.build(node, follow)
        return follow


class EreMatcher:
    """A compiled POSIX extended regular expression; :meth:`search` is ``regexec() == 0``."""

    def __init__(self, nfa, start, word_context):
        self.nfa = nfa
        self.start = start
        self.word_context = word_context
        self._ids = {}
        self._sets = []
        self._steps = {}
        self._empty = self._intern(())

    def _closure(self, states, context):
        """Every state reachable from ``states`` without reading a character, given the
        ``(at_start, at_end, word_before, word_after)`` context of the position."""
        kinds, args, outs = self.nfa.kinds, self.nfa.args, self.nfa.outs
        seen = set()
        stack = list(states)
        while stack:
            state = stack.pop()
            if state in seen:
                continue
            seen.add(state)
            kind = kinds[state]
            if kind == "split" or (kind == "assert" and _holds(args[state], context)):
                stack.extend(outs[state])
        return seen

    def _intern(self, states):
        key = frozenset(states)
        found = self._ids.get(key)
        if found is None:
            found = len(self._sets)
            self._ids[key] = found
            self._sets.append(key)
        return found

    def _restart(self, current):
        """Empty the caches (they are full), keeping the set the search is in."""
        states = self._sets[current]
        self._ids.clear()
        self._sets.clear()
        self._steps.clear()
        self._empty = self._intern(())
        return self._intern(states)

    def _step(self, current, context, char):
        """``(matched, next set)``: whether the pattern matches at this position, and the set
        of states after reading ``char`` (None: the end of the text, nothing to read)."""
        closure = self._closure(self._sets[current] | {self.start}, context)
        kinds, args, outs = self.nfa.kinds, self.nfa.args, self.nfa.outs
        if self.nfa.accept in closure:
            return True, current
        if char is None:
            return False, current
        after = [outs[state][0] for state in closure if kinds[state] == "set" and char in args[state]]
        return False, self._intern(after)

    def search(self, text):
        """True when the pattern matches somewhere in ``text`` (a str).

        One cached transition per character (and one for the end); a transition not cached
        yet costs one pass over the automaton.
        """
        steps = self._steps
        current = self._empty
        before = None                   # the start of the text
        for char in text:
            after = self.word_context and is_word(char)
            key = (current, before, char)
            step = steps.get(key)
            if step is None:
                context = (before is None, False, bool(before), after)
                step = steps[key] = self._step(current, context, char)
            matched, current = step
            if matched:
                return True
            before = after
            if len(self._sets) > MAX_DFA_STATES or len(steps) > MAX_DFA_STEPS:
                current = self._restart(current)
                steps = self._steps
        key = (current, before, None)
        if key not in steps:
            steps[key] = self._step(current, (before is None, True, bool(before), False), None)
        return steps[key][0]


def _reads_nothing(node):
    """True when ``node`` builds no state at all (empty groups, ``x{0}``)."""
    kind = node[0]
    if kind in ("cat", "alt"):
        return all(_reads_nothing(part) for part in node[1])
    if kind == "rep":
        return node[3] == 0 or _reads_nothing(node[1])
    return False


def _is_count(text):
    """True for the digits of a repetition count (or nothing: the count was left out)."""
    return all("0" <= char <= "9" for char in text)


def _holds(kind, context):
    """Whether an assertion holds at a position with this context."""
    at_start, at_end, before, after = context
    if kind in "^`":
        return at_start
    if kind in "$'":
        return at_end
    if kind == "b":
        return before != after
    if kind == "B":
        return before == after
    if kind == "<":
        return after and not before
    return before and not after


def compile_ere(pattern):
    """:class:`EreMatcher` for a POSIX extended regular expression (str).

    :raises PatternError: ``regcomp()`` would fail (Asterisk then logs an error and the filter
        matches nothing).
    :raises PatternTooComplex: back-references, or more than :data:`MAX_STATES` states.
    """
    tree = _EreParser(pattern).parse()
    nfa = _Nfa()
    start = nfa.build(tree, nfa.accept)
    word_context = any(kind == "assert" and arg in "bB<>" for kind, arg in zip(nfa.kinds, nfa.args))
    return EreMatcher(nfa, start, word_context)
