#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# promtool.sh: unpack Debian's prometheus package into build/prometheus/,
# without installing it (no service, no user), for the VM test that checks
# vfmprss's /metrics with `promtool check metrics`.  Prints promtool's path.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dst=$repo/build/prometheus
bin=$dst/usr/bin/promtool

if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
	echo "$bin"
	exit 0
fi
rm -rf "$dst.tmp"
mkdir -p "$dst.tmp/debs"
(
	cd "$dst.tmp/debs"
	apt-get download -qq prometheus 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true
)
deb=$(ls "$dst.tmp"/debs/prometheus_*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { echo "promtool: apt-get download prometheus got nothing (apt-get update?)" >&2; exit 1; }
dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dst.tmp" ./usr/bin/promtool
"$dst.tmp/usr/bin/promtool" --version >/dev/null
rm -rf "$dst" "$dst.tmp/debs"
mv "$dst.tmp" "$dst"
echo "$bin"
