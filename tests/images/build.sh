#!/usr/bin/env bash
# Build the test bed's images locally; there is no registry. A base image (a folder with a
# recipe.sh) is a `debootstrap --variant=minbase` root filesystem with its recipe's Debian
# packages installed in a chroot, then `docker import`ed. An overlay image (a folder with a
# Dockerfile and a BASE file naming the image it is built on) is built with `docker build`; its
# build context is its folder plus the shared folders its SHARED file names (one a line, each a
# folder beside this script, copied in under its own name). Every image is tagged with a hash of
# what it is made from (pbxsec/NAME:HASH, plus pbxsec/NAME:latest) and is rebuilt only when that
# hash changes.
#
# Usage: tests/images/build.sh NAME...   (names: the folders beside this script)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
workdir=${PBXSEC_IMAGE_WORKDIR:-/var/tmp/pbxsec-images}

log() { printf '[images] %s\n' "$*" >&2; }

# Hash of the named files and folders (relative to this folder), content and names.
content_hash() {
    (cd "$here" && find "$@" -type f -print0 | sort -z | xargs -0 sha256sum) |
        sha256sum | cut -c1-12
}

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# Tag TAG as NAME:latest and drop the stale hash tags of NAME.
promote() {
    local tag=$1 repo=${1%%:*} stale
    docker tag "$tag" "$repo:latest"
    for stale in $(docker image ls --format '{{.Repository}}:{{.Tag}}' "$repo"); do
        case $stale in "$tag" | "$repo:latest") ;; *) docker rmi "$stale" >/dev/null 2>&1 || true ;; esac
    done
}

# The lines of an overlay's BASE or SHARED file, each a folder beside this script.
listed() {
    local file=$here/$1/$2 entry
    [ -f "$file" ] || return 0
    while IFS= read -r entry || [ -n "$entry" ]; do
        case $entry in
            '' | '#'*) ;;
            */* | .*) log "$file: '$entry' is not a folder beside build.sh"; exit 1 ;;
            *) [ -d "$here/$entry" ] || { log "$file: no folder $entry"; exit 1; }; echo "$entry" ;;
        esac
    done <"$file"
}

base_of() {
    local base
    base=$(listed "$1" BASE)
    [ "$(echo "$base" | wc -w)" = 1 ] || { log "$1/BASE must name exactly one image"; exit 1; }
    echo "$base"
}

is_overlay() { [ -f "$here/$1/BASE" ]; }

image_tag() {
    local name=$1
    if is_overlay "$name"; then
        # shellcheck disable=SC2046
        echo "pbxsec/$name:$( { content_hash build.sh "$name" $(listed "$name" SHARED); image_tag "$(base_of "$name")"; } |
            sha256sum | cut -c1-12)"
    else
        echo "pbxsec/$name:$(content_hash build.sh common "$name")"
    fi
}

build() {
    local name=$1 base shared
    case $name in */* | .* | common | '') log "no image $name"; exit 1 ;; esac
    [ -d "$here/$name" ] || { log "no image $name"; exit 1; }
    if is_overlay "$name"; then
        # Checked here, in this shell, so that a bad BASE or SHARED file stops the build.
        base=$(base_of "$name")
        shared=$(listed "$name" SHARED)
        build_overlay "$name" "$base" "$shared"
    elif [ -f "$here/$name/recipe.sh" ]; then
        build_base "$name"
    else
        log "$name has neither recipe.sh nor BASE"
        exit 1
    fi
}

build_base() {
    local name=$1 tag rootfs
    tag=$(image_tag "$name")
    if have_image "$tag"; then
        log "$tag is up to date"
    else
        log "building $tag"
        # shellcheck source=/dev/null
        (
            SUITE='' MIRROR='' SOURCES='' APT_OPTIONS='' PACKAGES='' PBX=no
            . "$here/$name/recipe.sh"
            rootfs=$workdir/$name.rootfs
            rm -rf "$rootfs"
            mkdir -p "$workdir"
            debootstrap --variant=minbase "$SUITE" "$rootfs" "$MIRROR" >"$workdir/$name.debootstrap.log" 2>&1 ||
                { tail -n 20 "$workdir/$name.debootstrap.log" >&2; exit 1; }
            printf '%s\n' "$SOURCES" >"$rootfs/etc/apt/sources.list"
            printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
            chmod +x "$rootfs/usr/sbin/policy-rc.d"
            cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
            mount -t proc proc "$rootfs/proc"
            trap 'umount "$rootfs/proc" 2>/dev/null || true' EXIT
            apt_log=$workdir/$name.apt.log
            # shellcheck disable=SC2086
            {
                chroot "$rootfs" apt-get $APT_OPTIONS -q update &&
                    DEBIAN_FRONTEND=noninteractive chroot "$rootfs" \
                        apt-get $APT_OPTIONS -q -y --no-install-recommends install $PACKAGES
            } >"$apt_log" 2>&1 || { tail -n 20 "$apt_log" >&2; exit 1; }
            chroot "$rootfs" apt-get clean
            umount "$rootfs/proc"
            rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs/usr/sbin/policy-rc.d" "$rootfs/etc/resolv.conf"
            local cmd='["/bin/sleep","infinity"]'
            if [ "$PBX" = yes ]; then
                install -m 0755 "$here/common/pbxsec-init" "$rootfs/usr/local/sbin/pbxsec-init"
                cmd='["/usr/local/sbin/pbxsec-init"]'
            fi
            tar -C "$rootfs" --numeric-owner -c . |
                docker import --change "CMD $cmd" --change "LABEL org.pbxsec.image=$name" - "$tag" >/dev/null
            rm -rf "$rootfs"
        )
    fi
    promote "$tag"
}

build_overlay() {
    local name=$1 base=$2 shared_folders=$3 tag context shared output
    build "$base"
    tag=$(image_tag "$name")
    if have_image "$tag"; then
        log "$tag is up to date"
    else
        log "building $tag from $(image_tag "$base")"
        mkdir -p "$workdir"
        context=$(mktemp -d "$workdir/$name.context.XXXXXX")
        cp -a "$here/$name/." "$context/"
        for shared in $shared_folders; do
            cp -a "$here/$shared" "$context/$shared"
        done
        output=$(DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE=$(image_tag "$base")" \
            -t "$tag" "$context" 2>&1) || { printf '%s\n' "$output" >&2; rm -rf "$context"; exit 1; }
        rm -rf "$context"
    fi
    promote "$tag"
}

for name in "$@"; do
    build "$name"
done
