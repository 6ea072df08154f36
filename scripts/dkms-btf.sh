#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dkms-btf.sh KERNELVER: add module BTF to the freshly built vfmp_sim.ko and
# vfmp.ko in the current directory (a DKMS build directory), so tp_btf/fentry
# BPF programs such as vfmprss can attach to the driver's functions.
# dkms-btf.sh --report: print what the last run did (DKMS POST_BUILD).
#
# The BTF base must be the exact kernel the modules are built for:
#   - /sys/kernel/btf/vmlinux when KERNELVER is the running kernel;
#   - else the vmlinux extracted from /boot/vmlinuz-KERNELVER.
# If neither is possible (no pahole, no image, no BTF in it) the modules are
# left without BTF, which only disables vfmprss's NAPI columns; the build
# does not fail.  DKMS calls it from MAKE[0] (see dkms.conf for why).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
status=btf.status
modules=(vfmp_sim.ko vfmp.ko)

if [[ ${1:-} == --report ]]; then
	cat "$status" 2>/dev/null || echo "vfmp: module BTF: no record (the build did not run dkms-btf.sh)"
	exit 0
fi
kver=${1:?usage: dkms-btf.sh KERNELVER | --report}

skip() { echo "vfmp: module BTF skipped for $kver: $*" | tee "$status"; exit 0; }

command -v pahole >/dev/null || skip "pahole not found (install the dwarves package)"
tmp=""
trap '[[ -n $tmp ]] && rm -rf "$tmp"' EXIT
if [[ $kver == "$(uname -r)" && -r /sys/kernel/btf/vmlinux ]]; then
	base=/sys/kernel/btf/vmlinux from=$base
elif [[ -r /boot/vmlinuz-$kver ]]; then
	tmp=$(mktemp -d) || skip "cannot create a temporary directory"
	"$here/extract-vmlinux.sh" "/boot/vmlinuz-$kver" "$tmp/vmlinux" ||
		skip "cannot extract vmlinux from /boot/vmlinuz-$kver"
	base=$tmp/vmlinux from="vmlinux extracted from /boot/vmlinuz-$kver"
else
	skip "not the running kernel and no readable /boot/vmlinuz-$kver"
fi
for m in "${modules[@]}"; do
	[[ -f $m ]] || skip "$m was not built"
	pahole -J --btf_base "$base" "$m" || skip "pahole failed on $m (base $base)"
done
echo "vfmp: module BTF added to ${modules[*]} for $kver (base: $from)" | tee "$status"
