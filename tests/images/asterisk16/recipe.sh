# shellcheck shell=bash disable=SC2034
# Debian bullseye + bullseye-security: Debian's Asterisk 16.28 (chan_sip and PJSIP), stock config.
SUITE=bullseye
MIRROR=http://deb.debian.org/debian
SOURCES="deb http://deb.debian.org/debian bullseye main
deb http://deb.debian.org/debian bullseye-updates main
deb http://deb.debian.org/debian-security bullseye-security main"
APT_OPTIONS=""
PACKAGES="asterisk python3 procps"
# asterisk-voicemail (app_voicemail) is not on the mirror the test bed reaches; voicemail.conf
# itself ships with asterisk-config, which is what the voicemail controls read.
PBX=yes
