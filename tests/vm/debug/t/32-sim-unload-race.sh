#!/bin/bash
# vm-opts: -t 600
# 32-sim-unload-race.sh - `rmmod vfmp_sim` racing new_device and
# del_device.  A BPF program (tests/vm/debug/bpf/hold_sim.bpf.c) holds a
# task at a chosen point for seconds, so each window is open for sure:
#   write  a new_device write in flight, before it takes the bus's lock,
#          when exit starts: exit must refuse it (ENODEV), or it creates an
#          adapter after the teardown (without fa354da: KASAN null-ptr-deref
#          in debugfs_create_dir, the sim's debugfs root already gone);
#   add    a new_device with its adapter listed and its PF not yet added
#          when exit starts: exit must wait for it, not free it underneath;
#   del    a del_device that starts while exit is tearing the adapters
#          down: it must wait for the teardown (and then find nothing), or
#          both remove the same adapter's debugfs directory (without
#          1c3a20f: NULL dereference in debugfs_remove).
# Writers are copies of bash named after their point (the program holds
# only tasks with those names; bash's echo says which errno a write got);
# exit is held through `exec -a rmmod` of a copy of kmod.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../../drvlib.sh"
# shellcheck source=tests/vm/debug/holdlib.sh
source "$(dirname "$0")/../holdlib.sh"

for where in write add del; do cp /bin/bash /tmp/vfhold_$where; done
cp /bin/kmod /tmp/vfhold_rmmod
t_ok "the hold program attaches to sysfs_kf_write, device_add and device_del" hold_load hold_sim

# held_write WHERE ATTR VALUE: start the held write; its output in /tmp/WHERE.out
held_write() {
	/tmp/vfhold_"$1" -c "echo $3 > $SIMBUS/$2" >/tmp/"$1".out 2>&1 &
	WP=$!
}
proc_state() { local s; read -r s < /proc/"$1"/stat && s=${s##*) } && echo "${s%% *}"; }
# sim_gone ID: no trace of adapter ID anywhere in sysfs
sim_gone() { [[ -z $(find /sys/devices -name "sim$1-pf" 2>/dev/null) ]]; }

# load_with ID...: load vfmp_sim and create these adapters
load_with() {
	local id
	insmod "$VFMP_KO"/vfmp_sim.ko || bail_out "cannot load vfmp_sim"
	for id; do
		write_sysfs $SIMBUS/new_device "$id" >/dev/null || bail_out "cannot create sim$id"
	done
}
entered_over() { (($(hold_var entered) > $1)); }
# rmmod_blocked: rmmod is asleep in the kernel (waiting for the write)
rmmod_blocked() { [[ $(proc_state "$RP") == D ]]; }
writer_blocked() { [[ $(proc_state "$WP") == D ]]; }

# start WHERE ATTR VALUE: the held write, then rmmod once it is held
start() {
	local n0 t0
	n0=$(hold_var entered)
	dmesg_mark
	held_write "$@"
	t0=$(now_ms)
	t_ok "$1: the $2 write is held" wait_for 30 entered_over "$n0"
	rmmod vfmp_sim &
	RP=$!
	diag "$1: rmmod started $(($(now_ms) - t0)) ms after the write"
}

# finish WHERE ID WANT: the write's result (OK or a message), then rmmod
# finished, sim ID and the bus gone, nothing leaked, no adapter left
finish() {
	local where=$1 id=$2 want=$3 rc out log
	wait "$WP"
	rc=$?
	out=$(cat /tmp/"$where".out)
	if [[ $want == OK ]]; then
		t_eq "$where: the write finished" "0 " "$rc $out"
	else
		t_match "$where: the write was refused ($want)" "$want" "$rc $out"
	fi
	wait "$RP"
	t_eq "$where: rmmod vfmp_sim finished" 0 "$?"
	t_fail "$where: /sys/bus/vfmp_sim gone" test -e $SIMBUS
	t_ok "$where: no adapter left in sysfs" sim_gone "$id"
	log=$(dmesg_since_mark "")
	t_fail "$where: no leak reported on unload" grep -q 'allocations leaked' <<<"$log"
	t_eq "$where: the hold ended" "$(hold_var entered)" "$(hold_var held)"
}

# ---- write: exit closes the bus while the write has not reached its lock --
load_with 1
start write new_device 5
# exit's loop removed sim1 while the write was still held
t_ok "write: rmmod tore sim1 down during the hold" wait_for 30 sim_gone 1
t_eq "write: ... before the hold ended" 0 "$(hold_var held)"
finish write 5 "No such device"

# ---- add: exit waits for a new_device half-way through --------------------
load_with 1
start add new_device 5
t_ok "add: rmmod waits in the kernel" wait_for 30 rmmod_blocked
t_ok "add: ... and has not touched sim1 during the hold" test -e $SIMDEVS/sim1-pf
t_eq "add: ... (the hold still on)" 1 "$(($(hold_var entered) - $(hold_var held)))"
finish add 5 OK

# ---- del: a del_device that starts while exit tears the adapters down ----
load_with 1 5
n0=$(hold_var entered)
dmesg_mark
(exec -a rmmod /tmp/vfhold_rmmod vfmp_sim) &
RP=$!
t_ok "del: rmmod is held as it removes sim1" wait_for 30 entered_over "$n0"
held_write del del_device 5
t_ok "del: the del_device write waits for the teardown" wait_for 30 writer_blocked
t_eq "del: ... (exit still held)" 1 "$(($(hold_var entered) - $(hold_var held)))"
finish del 5 "No such file or directory"
t_ok "sim1 gone too" sim_gone 1

hold_unload hold_sim
t_ok "vfmp_sim loads again and creates and deletes sim5" \
	sh -c "insmod $VFMP_KO/vfmp_sim.ko && echo 5 > $SIMBUS/new_device && echo 5 > $SIMBUS/del_device"
t_eq "its allocation count is 0" 0 "$(rd $SIMDBG/allocs)"
t_ok "rmmod vfmp_sim" rmmod vfmp_sim
done_testing
