#!/bin/bash
# Stage-2 init of the vfmp test VM: runs as PID 1 in the host's userspace
# (after tests/vm/guest/init switch_root'ed), executes the command written by
# run-vm.sh to $ART/cmd.sh with cwd = repo root and stdout/stderr on ttyS1,
# then dumps dmesg + taint into $ART and reports on the console (ttyS0):
#   VFMP-VM-CMD-START uptime=S   VFMP-VM-CMD-END uptime=S
#   VFMP-VM-TAINT=N              VFMP-VM-EXIT=N
# and powers the machine off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=dumb SHELL=/bin/bash
con=/dev/console
out=/dev/ttyS1

say() { echo "$*" > "$con"; }
off() {
	sync
	/bin/busybox poweroff -f
	sleep 2
	echo o > /proc/sysrq-trigger
	sleep 10
}
uptime_s() { read -r u _ < /proc/uptime; echo "$u"; }

art='' repo='' tscale=1
read -r -a words < /proc/cmdline
for w in "${words[@]}"; do
	case $w in
	vfmpvm_art=*) art=${w#vfmpvm_art=} ;;
	vfmpvm_repo=*) repo=${w#vfmpvm_repo=} ;;
	vfmpvm_tscale=*) tscale=${w#vfmpvm_tscale=} ;;
	esac
done
if [[ -z $art || ! -r $art/cmd.sh ]]; then
	say "VFMP-VM-INIT-FAILED: no command file ($art/cmd.sh)"
	off
fi

hostname vfmp-vm 2>/dev/null
ip link set lo up 2>/dev/null
stty -F "$out" raw -echo 115200 2>/dev/null
export VFMP_VM=1 VFMP_VM_ARTIFACTS=$art VFMP_REPO=$repo VFMP_VM_TIME_SCALE=$tscale
# the modules built for the running kernel (make: build/kmod/<release>/)
export VFMP_KO=$repo/build/kmod/$(uname -r)
cd "${repo:-/}" || say "VFMP-VM: cannot cd to $repo"
# a kernel built here (make check-debug) keeps its /lib/modules in build/
rel=$(uname -r)
if [[ ! -e /lib/modules/$rel && -d $repo/build/debug-kernel/lib/modules/$rel ]]; then
	ln -s "$repo/build/debug-kernel/lib/modules/$rel" "/lib/modules/$rel"
fi
# kmemleak (debug kernel): what boot left behind is not the test's
kml=/sys/kernel/debug/kmemleak
[[ -w $kml ]] && echo clear > $kml

# wait (bounded) for the crng so "random: crng init done" is not logged mid-test
timeout 10 head -c 1 /dev/random > /dev/null 2>&1
# then stop the hwrng kthread: its only job was that seed.  On an
# overloaded TCG host a starved vCPU was seen reporting a soft lockup in
# it (add_hwgenerator_randomness), which would fail whatever test ran.
rmmod virtio_rng 2>/dev/null
say "VFMP-VM-CMD-START uptime=$(uptime_s)"
setsid -w bash "$art/cmd.sh" < /dev/null > "$out" 2>&1
rc=$?
say "VFMP-VM-CMD-END uptime=$(uptime_s)"

# kmemleak: two scans (an object must look unreferenced in both); any
# report goes to the kernel log, which run-vm.sh checks
if [[ -w $kml ]]; then
	echo scan > $kml
	sleep 5
	echo scan > $kml
	if [[ -s $kml ]]; then
		cp $kml "$art/kmemleak.txt"
		head -n 80 $kml | while IFS= read -r l; do echo "kmemleak report: $l" > /dev/kmsg; done
	fi
fi

dmesg > "$art/dmesg.txt" 2>&1 || /bin/busybox dmesg > "$art/dmesg.txt"
taint=$(cat /proc/sys/kernel/tainted)
echo "$taint" > "$art/tainted"
sync
say "VFMP-VM-TAINT=$taint"
say "VFMP-VM-EXIT=$rc"
say "VFMP-VM-POWEROFF uptime=$(uptime_s)"
off
