#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# extract-vmlinux.sh VMLINUZ OUT: write the uncompressed ELF vmlinux held
# in a Debian bzImage (6.1: xz, 6.12: zstd).  Used for module BTF (pahole
# --btf_base) and for bpftool's vmlinux.h.
set -euo pipefail
in=${1:?usage: extract-vmlinux.sh VMLINUZ OUT}
out=${2:?usage: extract-vmlinux.sh VMLINUZ OUT}
[ -r "$in" ] || { echo "extract-vmlinux: cannot read $in" >&2; exit 1; }
tmp=$(mktemp "$out.XXXXXX")
trap 'rm -f "$tmp"' EXIT
# Try each compressed-stream signature the kernel can use, at each offset.
try() { # magic-as-printf-escape decompressor
	local off
	for off in $(LC_ALL=C grep -obUaP "$1" "$in" | cut -d: -f1); do
		tail -c +$((off + 1)) "$in" | $2 > "$tmp" 2>/dev/null || true
		if [ "$(head -c 4 "$tmp" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; then
			mv "$tmp" "$out"
			trap - EXIT
			return 0
		fi
	done
	return 1
}
try '\xfd\x37\x7a\x58\x5a\x00' 'xz -dc' ||
try '\x1f\x8b\x08' 'gzip -dc' ||
try '\x28\xb5\x2f\xfd' 'zstd -dc' ||
{ echo "extract-vmlinux: no ELF payload found in $in" >&2; exit 1; }
