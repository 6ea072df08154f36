#!/bin/bash
# drvlib.sh - guest-side helpers for the vfmp.ko driver tests
# (tests/vm/t/2*.sh).  Source it after lib.sh:
#
#   source "$(dirname "$0")/../lib.sh"
#   source "$(dirname "$0")/../drvlib.sh"
#
#   drv_load [vfmp params...]   insmod "$VFMP_KO"/vfmp_sim.ko and "$VFMP_KO"/vfmp.ko
#   drv_unload                  rmmod vfmp, vfmp_sim (ignores errors)
#   sim_new "ID [VFS [QPS]]"    create an adapter (the PF autoprobes)
#   sim_del ID                  delete an adapter
#   sim_dbg ID FILE             path of a debugfs file of adapter ID
#   kw_set ID NAME=VALUE        write one keyword into the adapter's NVM
#   kw_reads ID                 the "total pf=N vf=M" line of keyword_reads
#   dev_path DEV                /sys/bus/vfmp_sim/devices/DEV
#   vattr DEV FILE              cat DEV's vfmp/FILE
#   drv_bind DEV / drv_unbind DEV   one write to the driver's bind/unbind
#                               (prints OK or the errno name, like write_sysfs)
#   autoprobe 0|1               /sys/bus/vfmp_sim/drivers_autoprobe
#   dev_netdev DEV              name of DEV's netdev (empty if none)
#   trace_start                 clear the trace buffer, enable events/vfmp
#   trace_dev DEV               the vfmp trace lines of DEV, in order,
#                               as "event: fields" (no task/cpu/time prefix)
#   trace_steps DEV             "name/rule/outcome ..." of DEV's
#                               vfmp_init_step events, in order
#   trace_events DEV            DEV's event names, consecutive duplicates
#                               folded ("vfmp_init_begin vfmp_init_step ...")
#   netdev_count                number of netdevs (ip -o link)

SIMBUS=/sys/bus/vfmp_sim
VFMPDRV=$SIMBUS/drivers/vfmp
SIMDBG=/sys/kernel/debug/vfmp_sim
TRACEFS=/sys/kernel/tracing

drv_load() {
	insmod "$VFMP_KO"/vfmp_sim.ko || return 1
	insmod "$VFMP_KO"/vfmp.ko "$@" || return 1
}

drv_unload() {
	rmmod vfmp 2>/dev/null
	rmmod vfmp_sim 2>/dev/null
	return 0
}

sim_new() { write_sysfs $SIMBUS/new_device "$1" >/dev/null; }
sim_del() { write_sysfs $SIMBUS/del_device "$1" >/dev/null; }
sim_dbg() { echo "$SIMDBG/sim$1/$2"; }
kw_set() { write_sysfs "$(sim_dbg "$1" keywords)" "$2"; }
kw_reads() { grep '^total ' "$(sim_dbg "$1" keyword_reads)"; }
dev_path() { echo "$SIMBUS/devices/$1"; }
vattr() { cat "$SIMBUS/devices/$1/vfmp/$2" 2>&1; }
drv_bind() { write_sysfs $VFMPDRV/bind "$1"; }
drv_unbind() { write_sysfs $VFMPDRV/unbind "$1"; }
autoprobe() { write_sysfs $SIMBUS/drivers_autoprobe "$1" >/dev/null; }

dev_netdev() {
	local d=$SIMBUS/devices/$1/net
	[[ -d $d ]] || return 0
	ls "$d" 2>/dev/null | head -n 1
}

netdev_count() { ip -o link show | wc -l; }

trace_start() {
	echo 0 > $TRACEFS/tracing_on
	echo 4096 > $TRACEFS/buffer_size_kb
	echo 1 > $TRACEFS/events/vfmp/enable
	: > $TRACEFS/trace
	echo 1 > $TRACEFS/tracing_on
}

# "vfmp_init_step: dev=sim0-vf0 step=1 ..." lines of one device, in order
trace_dev() {
	sed -n 's/^.*[0-9]: \(vfmp_[a-z_]*\): \(dev='"$1"' .*\)$/\1: \2/p' \
		$TRACEFS/trace
}

trace_steps() {
	trace_dev "$1" | sed -n \
		's/^vfmp_init_step: .* rule=\(R[0-9]\) name=\([a-z_]*\) outcome=\([a-z]*\) .*/\2\/\1\/\3/p' |
		tr '\n' ' ' | sed 's/ $//'
}

trace_events() {
	trace_dev "$1" | cut -d: -f1 | uniq | tr '\n' ' ' | sed 's/ $//'
}

# Load lib.sh's errno table once in this shell: write_sysfs runs in $(...)
# subshells, which would otherwise each start python to build it.
_errno_table
