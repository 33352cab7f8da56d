#!/bin/bash
# Builds the fleet node root filesystem: build-rootfs.sh ROOTFS MIRROR SECURITY_MIRROR DEB_CACHE
# Everything a node needs that is the same on every node goes here; per-node identity is
# applied at boot by fleet-node-setup (see overlay/).
set -euo pipefail
rootfs=$1 mirror=$2 security_mirror=$3 deb_cache=$4
here=$(cd "$(dirname "$0")" && pwd)

mkdir -p "$deb_cache"
debootstrap --variant=minbase --cache-dir="$deb_cache" \
    --include=systemd,systemd-sysv,dbus,openssh-server,sudo,ca-certificates,curl,iproute2,procps,jq,etcd-server,etcd-client \
    bookworm "$rootfs" "$mirror"

cp -a "$here/overlay/." "$rootfs/"

# Same suites as the machine's own sources: containerd's two versions live in bookworm and
# bookworm-security, and tests move between them.
cat > "$rootfs/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security_mirror
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
rm -f "$rootfs/etc/apt/sources.list"

# Host keys must differ per node: the ones openssh-server's postinst made are dropped and
# fleet-node-setup creates a fresh one at each node's first boot.
rm -f "$rootfs"/etc/ssh/ssh_host_*

chroot "$rootfs" /bin/bash -euo pipefail <<'CHROOT'
useradd --create-home --shell /bin/bash cmadmin
useradd --create-home --shell /bin/bash cmnopass
# '*' (not '!') keeps key login open for cmadmin; cmnopass gets a password only so its sudo can ask.
usermod -p '*' cmadmin
echo 'cmnopass:fleet-sudo-password' | chpasswd
systemctl enable fleet-node.service
# A container has no consoles, no udev, and its clock is the host's.
systemctl mask getty@tty1.service console-getty.service systemd-udevd.service \
    systemd-udev-trigger.service systemd-timesyncd.service systemd-modules-load.service \
    e2scrub_reap.service sys-kernel-config.mount sys-kernel-debug.mount sys-kernel-tracing.mount 2>/dev/null
apt-get clean
rm -rf /var/lib/apt/lists/* /var/log/*.log /var/cache/debconf/*-old
# What debootstrap unpacked before the overlay's dpkg path-excludes were in place.
find /usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete
rm -rf /usr/share/man/* /usr/share/info/*
find /usr/share/locale -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
CHROOT
: > "$rootfs/etc/machine-id"
