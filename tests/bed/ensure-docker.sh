#!/usr/bin/env bash
# Make sure a Docker engine answers. On a workstation where Docker already runs, use it and
# touch nothing. On a fresh Debian machine as root, install Debian's docker.io (and the
# image-building tools) and start dockerd in the background; its log goes to
# /var/log/pbxsec-dockerd.log.
set -euo pipefail

log() { printf '[docker] %s\n' "$*" >&2; }

engine_answers() { command -v docker >/dev/null && timeout 10 docker info >/dev/null 2>&1; }

need_packages=()
command -v dockerd >/dev/null || need_packages+=(docker.io)
command -v debootstrap >/dev/null || need_packages+=(debootstrap)
if ! engine_answers || [ ${#need_packages[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        engine_answers && [ ${#need_packages[@]} -eq 0 ] && exit 0
        log "no Docker engine answers and I am not root: start Docker, or run as root"
        exit 1
    fi
    if [ ${#need_packages[@]} -gt 0 ]; then
        log "installing ${need_packages[*]} from Debian"
        apt-get -q update >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get -q -y install "${need_packages[@]}" >/dev/null
    fi
fi

engine_answers && exit 0

log "starting dockerd (log: /var/log/pbxsec-dockerd.log)"
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    systemctl start docker || true
fi
if ! engine_answers; then
    # The Debian package's docker client lives in /usr/bin; a different client earlier on
    # PATH talks to the same socket.
    nohup dockerd >/var/log/pbxsec-dockerd.log 2>&1 &
fi
for _ in $(seq 60); do
    engine_answers && { log "engine is up"; exit 0; }
    sleep 1
done
log "dockerd did not answer within 60 s; see /var/log/pbxsec-dockerd.log"
exit 1
