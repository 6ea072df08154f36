#!/bin/bash
# drvlib.sh - guest-side helpers for the tests of vfmp_sim.ko and vfmp.ko
# (tests/vm/t/1*.sh, 2*.sh; dplib.sh builds on it).  Source it after lib.sh:
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
#   dev_attr DEV FILE           cat DEV's (sim) attribute FILE (errors shown)
#   drvname DEV                 name of the driver bound to DEV (empty if none)
#   sim_vfs ID                  "simID-vf0 simID-vf1 ..." present on the bus
#   sim_pfs                     "sim0-pf sim1-pf ..." present on the bus
#   wait_netdev DEV             DEV's netdev name, waiting up to 10 s for it
#
# Paths: SIMBUS (the bus), SIMDEVS (its devices/), VFMPDRV (the driver),
# SIMDBG (the sim's debugfs), TRACEFS.
#
# The driver's enums, read from its headers (kmod/core) at source time, for
# the trace fields that print numbers; keys are the names the driver prints
# elsewhere (sysfs, vfmpinit), i.e. the enumerator without its prefix, in
# lower case:
#   HV_KIND[none|hyperv|...|other]        enum vfmp_hv_kind (hv_kind=)
#   PART_OVR[platform|parent|child]        enum vfmp_part_override (override=)
#   VERDICT[vf_child|...|pf_no_sriov_child] enum vfmp_verdict (verdict=)
#   MBX_OP[version|get_resources|...]      enum vfmp_mbx_op (opcode=)
#   MBX_STATUS[ok|err_len|...]             enum vfmp_mbx_status (status=)

SIMBUS=/sys/bus/vfmp_sim
SIMDEVS=$SIMBUS/devices
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
dev_path() { echo "$SIMDEVS/$1"; }
dev_attr() { cat "$SIMDEVS/$1/$2" 2>&1; }
vattr() { cat "$SIMDEVS/$1/vfmp/$2" 2>&1; }
drv_bind() { write_sysfs $VFMPDRV/bind "$1"; }
drv_unbind() { write_sysfs $VFMPDRV/unbind "$1"; }
autoprobe() { write_sysfs $SIMBUS/drivers_autoprobe "$1" >/dev/null; }

dev_netdev() {
	local d=$SIMDEVS/$1/net
	[[ -d $d ]] || return 0
	ls "$d" 2>/dev/null | head -n 1
}

wait_netdev() {
	local i n
	for ((i = 0; i < 100; i++)); do
		n=$(dev_netdev "$1")
		[[ -n $n ]] && { echo "$n"; return 0; }
		sleep 0.1
	done
	return 1
}

drvname() { local l; l=$(readlink "$SIMDEVS/$1/driver" 2>/dev/null) && echo "${l##*/}"; }

_sim_fns() { # GLOB under SIMDEVS -> names, space separated
	local d s=""
	for d in "$SIMDEVS"/$1; do [[ -e $d ]] && s+="${d##*/} "; done
	echo "${s% }"
}
sim_vfs() { _sim_fns "sim$1-vf*"; }
sim_pfs() { _sim_fns "sim*-pf"; }

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

declare -gA HV_KIND=() PART_OVR=() VERDICT=() MBX_OP=() MBX_STATUS=()
_enums_load() {
	local core arr name val
	core=$(dirname "${BASH_SOURCE[0]}")/../../kmod/core
	while read -r arr name val; do
		case $arr in
		HV_KIND) HV_KIND[$name]=$val ;;
		PART_OVR) PART_OVR[$name]=$val ;;
		VERDICT) VERDICT[$name]=$val ;;
		MBX_OP) MBX_OP[$name]=$val ;;
		MBX_STATUS) MBX_STATUS[$name]=$val ;;
		esac
	done < <(awk -v spec="vfmp_hv_kind:HV_KIND:VFMP_HV_ vfmp_part_override:PART_OVR:VFMP_OVR_ vfmp_verdict:VERDICT:VFMP_V_ vfmp_mbx_op:MBX_OP:VFMP_MBX_OP_ vfmp_mbx_status:MBX_STATUS:VFMP_MBX_" '
		BEGIN { n = split(spec, a, " ")
			for (i = 1; i <= n; i++) { split(a[i], f, ":"); arr[f[1]] = f[2]; pre[f[1]] = f[3] } }
		{ gsub(/\/\*.*\*\//, ""); sub(/\/\/.*/, "") }
		!cur && /^enum [a-z_0-9]+ *\{/ { if ($2 in arr) { cur = $2; v = -1 }; next }
		cur && /}/ { cur = ""; next }
		cur {
			gsub(/[ \t,]/, "")
			if ($0 == "") next
			split($0, kv, "=")
			v = kv[2] != "" ? kv[2] + 0 : v + 1
			name = kv[1]
			if (index(name, pre[cur]) == 1) name = substr(name, length(pre[cur]) + 1)
			name = tolower(name)
			if (name !~ /max$/) print arr[cur], name, v
		}' "$core"/vfmp_rules.h "$core"/vfmp_mbx_proto.h)
	((${#HV_KIND[@]} && ${#PART_OVR[@]} && ${#VERDICT[@]} && ${#MBX_OP[@]} && ${#MBX_STATUS[@]}))
}
_enums_load || bail_out "drvlib.sh: cannot read the driver's enums from kmod/core"

# Load lib.sh's errno table once in this shell: write_sysfs runs in $(...)
# subshells, which would otherwise each start python to build it.
_errno_table
