#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# qemu-bpo.sh: unpack bookworm-backports' QEMU (10.x) into build/qemu/,
# without installing it, for the VM tests that need a real SR-IOV NIC:
# QEMU 8.0 and later emulate the Intel 82576 (`-device igb`) with SR-IOV,
# Debian 12's own QEMU (7.2) does not.  The system's QEMU stays as it is
# and keeps running every other test.  Needs the bookworm-backports apt
# source that scripts/deps.sh adds.  Prints the binary's path.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dst=$repo/build/qemu
bin=$dst/usr/bin/qemu-system-x86_64
suite=bookworm-backports

if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
	echo "$bin"
	exit 0
fi
pkgs=(qemu-system-x86 qemu-system-data)
policy=$(apt-cache policy "${pkgs[0]}" 2>/dev/null || true)
if ! grep -q " $suite/" <<<"$policy"; then
	echo "qemu-bpo: no $suite apt source; as root run scripts/deps.sh first" >&2
	exit 1
fi
rm -rf "$dst.tmp"
mkdir -p "$dst.tmp/debs"
(
	cd "$dst.tmp/debs"
	# apt-get download runs as the calling user; as root, _apt cannot write
	# here, which apt reports and then works around: not an error
	apt-get download -qq -t "$suite" "${pkgs[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true
)
for d in "$dst.tmp"/debs/*.deb; do
	[ -e "$d" ] || { echo "qemu-bpo: apt-get download got nothing" >&2; exit 1; }
	dpkg-deb -x "$d" "$dst.tmp"
done
"$dst.tmp/usr/bin/qemu-system-x86_64" --version >/dev/null || {
	echo "qemu-bpo: the unpacked QEMU does not run (missing libraries?):" >&2
	ldd "$dst.tmp/usr/bin/qemu-system-x86_64" | grep 'not found' >&2
	exit 1
}
rm -rf "$dst" "$dst.tmp/debs"
mv "$dst.tmp" "$dst"
echo "$bin"
