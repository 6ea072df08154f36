#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernels.sh: print the kernel releases vfmp can build for and boot, oldest
# first: for each installed Debian amd64 kernel series (6.1, 6.12, ...), the
# newest release that has both its image (/boot/vmlinuz-R) and its headers
# (/usr/src/linux-headers-R).  `make` takes the last one by default; `make
# check` runs every one.  Nothing here names a release: Debian moves them.
set -euo pipefail

declare -A newest=()
while read -r rel; do
	[[ -e /usr/src/linux-headers-$rel/Makefile || -e /lib/modules/$rel/build/Makefile ]] || continue
	[[ -d /lib/modules/$rel/kernel ]] || continue
	series=$(sed -E 's/^([0-9]+\.[0-9]+).*/\1/' <<<"$rel")
	newest[$series]=$rel	# input is version-sorted: the last one wins
done < <(find /boot -maxdepth 1 -name 'vmlinuz-*-amd64' -printf '%f\n' |
	sed 's/^vmlinuz-//' | sort -V)

((${#newest[@]})) || exit 0
printf '%s\n' "${newest[@]}" | sort -V
