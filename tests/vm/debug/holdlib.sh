#!/bin/bash
# holdlib.sh - load the debug tests' BPF "hold" programs (tests/vm/debug/bpf)
# in the guest and read their counters.  Sourced after lib.sh.
#
#   hold_load NAME      build bpf/NAME.bpf.c into /tmp (the repository is
#                       read-only in the guest), load it and attach every
#                       program in it, pinned under /sys/fs/bpf/vfmp_NAME
#                       (its maps under /sys/fs/bpf/vfmp_NAME_maps)
#   hold_unload NAME    detach and unload them
#   hold_var VAR        the value of VAR (entered: holds begun, held: holds
#                       ended) in the loaded object's .bss, -1 if unknown

hold_load() {
	local name=$1 obj=/tmp/$1.bpf.o
	clang -O2 -g -Wall -Werror -target bpf -I/usr/include/x86_64-linux-gnu \
		-c "$VFMP_REPO/tests/vm/debug/bpf/$name.bpf.c" -o "$obj" || return 1
	mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
	bpftool prog loadall "$obj" "/sys/fs/bpf/vfmp_$name" pinmaps "/sys/fs/bpf/vfmp_${name}_maps" autoattach
}

hold_unload() { rm -rf "/sys/fs/bpf/vfmp_$1" "/sys/fs/bpf/vfmp_$1_maps"; }

# no python here: a test polls it while the other CPU is held (one object
# is loaded at a time; hold_load runs in t_ok's subshell, so nothing it
# sets is seen here)
hold_var() {
	local f dump re="\"$1\": *([0-9]+)"
	for f in /sys/fs/bpf/vfmp_*_maps/*bss; do
		dump=$(bpftool map dump pinned "$f" -j 2>/dev/null)
		[[ $dump =~ $re ]] && { echo "${BASH_REMATCH[1]}"; return; }
	done
	echo -1
}
