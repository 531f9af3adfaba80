# shellcheck shell=bash disable=SC2034
# Debian sid: Asterisk 22 (PJSIP only, chan_sip no longer exists), stock config.
# Sid's Release file is older than its Valid-Until here, hence the apt option.
SUITE=sid
MIRROR=http://deb.debian.org/debian
SOURCES="deb http://deb.debian.org/debian sid main"
APT_OPTIONS="-o Acquire::Check-Valid-Until=false"
PACKAGES="asterisk python3 procps"
PBX=yes
