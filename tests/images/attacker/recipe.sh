# shellcheck shell=bash disable=SC2034
# Debian bookworm with the attack tools: SIPVicious (svmap, svwar, svcrack), SIPp, python3.
SUITE=bookworm
MIRROR=http://deb.debian.org/debian
SOURCES="deb http://deb.debian.org/debian bookworm main"
APT_OPTIONS=""
PACKAGES="sipvicious sip-tester python3 iproute2 procps"
PBX=no
