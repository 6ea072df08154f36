#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# demo.sh: runs inside the guest (make demo).  Shows an adapter with VFs
# coming up, the ordered rule trace of one VF's init, and a VF refused in
# the parent partition.
set -eu
S=/sys/bus/vfmp_sim
T=/sys/kernel/tracing
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; eval "$@"; }

insmod "$VFMP_KO"/vfmp_sim.ko
insmod "$VFMP_KO"/vfmp.ko
echo 1 > $T/events/vfmp/enable
echo > $T/trace

say "Create adapter 0 with 4 VFs and 2 queue pairs; its PF binds to vfmp"
show 'echo "0 4 2" > $S/new_device'
show 'ls $S/devices/'
show 'grep . $S/devices/sim0-pf/{function,partition,sriov_totalvfs,vmq_queues,rss_key_size,rss_indir_size}'
show 'cat $S/devices/sim0-pf/vfmp/cur_sriov_caps'

say "Enable 2 VFs: each probes, negotiates with the PF over the mailbox"
show 'echo 2 > $S/devices/sim0-pf/sriov_numvfs'
show 'ls $S/devices/'
show 'ip -br link'

say "What sim0-vf0 registered (the OID_SRIOV_*_CAPABILITIES view)"
show 'grep . $S/devices/sim0-vf0/vfmp/{personality,hypervisor,hw_sriov_caps,cur_sriov_caps,vmq,rss_caps,pm_caps}'

say "The init of sim0-vf0, step by step, each step tagged with its rule"
show 'cat $S/devices/sim0-vf0/vfmp/init_log'

say "The same init as tracepoints (TRACE_SYSTEM vfmp), in order"
grep -E 'dev=sim0-vf0 ' $T/trace | sed -E 's/^.*(vfmp_[a-z_]+:)/\1/'

say "No VF ever read a keyword (the sim counts reads per function kind)"
show 'cat /sys/kernel/debug/vfmp_sim/sim0/keyword_reads'

say "A VF assigned to the parent partition is refused"
show 'echo "1 2 2" > $S/new_device'
show 'echo 0 > $S/drivers_autoprobe'
show 'echo 1 > $S/devices/sim1-pf/sriov_numvfs'
show 'echo parent > $S/devices/sim1-vf0/partition'
show 'echo 1 > $S/drivers_autoprobe'
echo > $T/trace
printf '$ echo sim1-vf0 > %s\n' "$S/drivers/vfmp/bind"
echo sim1-vf0 > $S/drivers/vfmp/bind 2>&1 || echo "(bind refused: $?)"
show 'dmesg | grep "sim1-vf0" | tail -n 3'
show 'cat $S/drivers/vfmp/last_failed_init'
grep -E 'vfmp_partition: dev=sim1-vf0' $T/trace | sed -E 's/^.*(vfmp_[a-z_]+:)/\1/'

say "Tear down"
show 'echo 1 > $S/del_device'
show 'echo 0 > $S/del_device'
show 'cat /sys/kernel/debug/vfmp_sim/allocs'
rmmod vfmp
rmmod vfmp_sim
