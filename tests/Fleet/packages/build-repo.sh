#!/bin/bash
# Builds the fleet's apt repository: build-repo.sh OUTDIR
# Stand-in kubelet, kubeadm and kubectl packages for three consecutive minors, so tests make real
# apt installs, upgrades and downgrades of Kubernetes node components and upgrade a cluster one
# minor at a time; and cri-tools (crictl), which Debian 12 does not package and the kubelet
# stand-in makes its CRI calls with.
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
readonly VERSIONS=(1.31.4 1.32.4 1.33.4)
architecture=$(dpkg --print-architecture)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# package NAME VERSION DEPENDS DESCRIPTION [PROGRAM]: lays out $work/NAME-VERSION as a package
# tree with NAME/PROGRAM (default NAME) as /usr/bin/PROGRAM.
package() {
    local name=$1 version=$2 depends=$3 description=$4 program=${5:-$1} root="$work/$1-$2"
    install -d "$root/DEBIAN" "$root/usr/bin"
    sed "s/@VERSION@/$version/" "$here/$name/$program" > "$root/usr/bin/$program"
    chmod 0755 "$root/usr/bin/$program"
    cat > "$root/DEBIAN/control" <<CONTROL
Package: $name
Version: $version-1.1
Architecture: $architecture
Maintainer: ClusterManagement fleet <fleet@clustermanagement.invalid>
${depends:+Depends: $depends
}Section: admin
Priority: optional
Homepage: https://kubernetes.io
Description: $description
 Stand-in built by the ClusterManagement test fleet; speaks the Kubernetes API.
CONTROL
    echo "$root"
}

readonly CRI_TOOLS_VERSION=1.31.1
root=$(package cri-tools "$CRI_TOOLS_VERSION" 'bash, curl, jq' 'Command-line utility for interacting with a container runtime' crictl)
dpkg-deb --root-owner-group -Zxz --build "$root" "$out/cri-tools_${CRI_TOOLS_VERSION}-1.1_${architecture}.deb" > /dev/null

for version in "${VERSIONS[@]}"; do
    root=$(package kubelet "$version" 'bash, curl, jq, openssl, iproute2, ca-certificates, cri-tools' 'Kubernetes Node Agent')
    install -d "$root/lib/systemd/system"
    install -m 0644 "$here/kubelet/kubelet.service" "$root/lib/systemd/system/kubelet.service"
    install -m 0755 "$here/kubelet/postinst" "$here/kubelet/prerm" "$root/DEBIAN/"
    dpkg-deb --root-owner-group -Zxz --build "$root" "$out/kubelet_${version}-1.1_${architecture}.deb" > /dev/null

    # As the real kubeadm package: its preflight needs crictl.
    root=$(package kubeadm "$version" 'bash, curl, jq, openssl, ca-certificates, cri-tools' 'Kubernetes Cluster Bootstrapping Tool')
    dpkg-deb --root-owner-group -Zxz --build "$root" "$out/kubeadm_${version}-1.1_${architecture}.deb" > /dev/null

    root=$(package kubectl "$version" '' 'Command-line utility for interacting with a Kubernetes cluster')
    dpkg-deb --root-owner-group -Zxz --build "$root" "$out/kubectl_${version}-1.1_${architecture}.deb" > /dev/null
done

cd "$out"
apt-ftparchive packages . > Packages
apt-ftparchive release . > Release
