#!/bin/bash
# Turns a base node rootfs into the "docker" variant: add-docker.sh ROOTFS
# Installing docker.io costs ~8 s per node; sandboxes and demos that only need a running
# engine start from this variant instead. The overlay's docker.service drop-in is already in
# place, so the engine comes up without a bridge or iptables rules when the node boots.
set -euo pipefail
rootfs=$1
# No service may start inside the build chroot.
printf '#!/bin/sh\nexit 101\n' > "$rootfs/usr/sbin/policy-rc.d"
chmod 0755 "$rootfs/usr/sbin/policy-rc.d"
trap 'rm -f "$rootfs/usr/sbin/policy-rc.d"' EXIT
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
chroot "$rootfs" /bin/bash -euo pipefail <<'CHROOT'
export DEBIAN_FRONTEND=noninteractive
# The fleet repository is not mounted during the build.
mv /etc/apt/sources.list.d/fleet.list /tmp/fleet.list
apt-get update -qq
apt-get install -y -qq --no-install-recommends docker.io
mv /tmp/fleet.list /etc/apt/sources.list.d/fleet.list
apt-get clean
rm -rf /var/lib/apt/lists/*
CHROOT
