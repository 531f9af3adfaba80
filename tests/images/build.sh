#!/usr/bin/env bash
# Build the test bed's images locally; there is no registry. A base image is a
# `debootstrap --variant=minbase` root filesystem with its recipe's Debian packages installed
# in a chroot, then `docker import`ed. A "-site" image is its base plus a documented overlay,
# built with a local Dockerfile. Every image is tagged with a hash of what it is made from
# (pbxsec/NAME:HASH, plus pbxsec/NAME:latest) and is rebuilt only when that hash changes.
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

base_tag() { echo "pbxsec/$1:$(content_hash build.sh common "$1")"; }

site_tag() {
    local name=$1 base=$2
    echo "pbxsec/$name:$( { content_hash build.sh "$name"; base_tag "$base"; } | sha256sum | cut -c1-12)"
}

build_base() {
    local name=$1 tag rootfs
    tag=$(base_tag "$name")
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

build_site() {
    local name=$1 base=$2 tag
    build_base "$base"
    tag=$(site_tag "$name" "$base")
    if have_image "$tag"; then
        log "$tag is up to date"
    else
        log "building $tag from $(base_tag "$base")"
        local output
        output=$(DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE=$(base_tag "$base")" \
            -t "$tag" "$here/$name" 2>&1) || { printf '%s\n' "$output" >&2; exit 1; }
    fi
    promote "$tag"
}

for name in "$@"; do
    case $name in
        *-site) build_site "$name" "${name%-site}" ;;
        freepbx16) build_site "$name" asterisk16 ;;
        *) build_base "$name" ;;
    esac
done
