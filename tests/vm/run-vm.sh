#!/bin/bash
# run-vm.sh - boot a throw-away QEMU guest running the host's userspace and
# run one command in it.
#
# Usage: tests/vm/run-vm.sh [options] -- COMMAND [ARGS...]
#
#   COMMAND runs under bash inside the guest as root, cwd = repo root (same
#   absolute path as on the host: the host root is shared read-only over 9p
#   under a tmpfs overlay, so guest writes are discarded). A single argument is
#   taken as a bash script string (`-- 'make -C x && ./t.sh'`); several
#   arguments are run as an argv vector. stdin is /dev/null. The exit status of
#   run-vm.sh is COMMAND's, or non-zero if the run failed (timeout, crash,
#   missing exit marker, kernel-log check, unexpected taint).
#
# Options:
#   -c N               vCPUs (default 2)
#   -m MB              memory (default 1024)
#   --no-hypervisor    -cpu qemu64,-hypervisor (no CPUID hypervisor bit)
#   --igb N            N (1 or 2) emulated Intel 82576 NICs with SR-IOV (in
#                      the guest: igb PFs at 0000:00:08.0 and 0000:00:0c.0,
#                      up to 7 VFs each at slot+0x10, stride 2; driver
#                      igbvf), on one QEMU hub with no uplink, so nothing
#                      leaves the guest and the two PFs are traffic peers.
#                      Boots bookworm-backports' QEMU from build/qemu
#                      (scripts/qemu-bpo.sh; VFMP_QEMU_IGB overrides)
#   -t SECONDS         hard timeout (default 300); the guest is killed
#   --append "ARGS"    extra kernel command line arguments
#   -n NAME            run name (for the default artifact dir), default "run"
#   -o DIR             artifact dir (default $REPO/build/vm-logs/NAME-TIMESTAMP)
#   --allow-warn REGEX tolerate WARNING splats matching REGEX (ERE, matched
#                      against the "cut here" .. "WARNING:" header lines);
#                      drops panic_on_warn=1, allows taint W
#   -q                 do not stream COMMAND's output to stdout
#   -h                 help
#
# Environment: VFMP_KVER (guest kernel version, default newest
#   /boot/vmlinuz-*-amd64 with /lib/modules), VFMP_QEMU (qemu binary),
#   VFMP_VM_BUILD (initramfs cache dir, default $REPO/build/vm),
#   VFMP_VM_MACHINE (qemu -machine, default q35: its MSI virtio probes boot
#   ~4s faster than "pc", whose ACPI PCI link setup is slow under TCG),
#   VFMP_VM_QEMU_EXTRA (extra qemu arguments, word-split),
#   VFMP_VM_TCG_THREAD (single, the default, or multi: see below),
#   VFMP_VM_KERNEL / VFMP_VM_MODDIR (a kernel that is not installed: its
#   image and its lib/modules/RELEASE; make check-debug), VFMP_VM_MEM
#   (default -m), VFMP_VM_TIME_SCALE (multiplies -t, for a slower kernel),
#   VFMP_VM_KASAN=1 (the kernel has KASAN: no slub_debug and poisoning).
#
# Artifacts (in the artifact dir): console.log (ttyS0: kernel console and
# markers), output.log (COMMAND's stdout+stderr, ttyS1), dmesg.txt (taken in
# the guest after COMMAND), tainted, cmd.sh, qemu.cmdline, summary.txt.
# Guest-side, COMMAND sees VFMP_VM=1, VFMP_VM_TIME_SCALE, VFMP_VM_ARTIFACTS=<artifact dir>
# (writable, shared with the host) and VFMP_REPO.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

usage() { sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit "${1:-0}"; }
die() { echo "run-vm: $*" >&2; exit 2; }

CPUS=2 MEM=${VFMP_VM_MEM:-1024} NOHV=0 IGB=0 TIMEOUT=300 APPEND="" NAME=run ART="" ALLOW_WARN="" QUIET=0
while (($#)); do
	case $1 in
	-c) CPUS=${2:?}; shift 2 ;;
	-m) MEM=${2:?}; shift 2 ;;
	--no-hypervisor) NOHV=1; shift ;;
	--igb) IGB=${2:?}; shift 2 ;;
	-t) TIMEOUT=${2:?}; shift 2 ;;
	--append) APPEND="$APPEND ${2?}"; shift 2 ;;
	-n) NAME=${2:?}; shift 2 ;;
	-o) ART=${2:?}; shift 2 ;;
	--allow-warn) ALLOW_WARN=${2:?}; shift 2 ;;
	-q) QUIET=1; shift ;;
	-h|--help) usage 0 ;;
	--) shift; break ;;
	*) echo "run-vm: unknown option $1" >&2; usage 2 >&2 ;;
	esac
done
(($#)) || { echo "run-vm: no COMMAND given" >&2; usage 2 >&2; }
[[ $CPUS =~ ^[0-9]+$ && $MEM =~ ^[0-9]+$ && $TIMEOUT =~ ^[0-9]+$ ]] || die "-c/-m/-t need integers"
# a slower kernel (make check-debug: KASAN, lockdep) scales every timeout
TSCALE=${VFMP_VM_TIME_SCALE:-1}
[[ $TSCALE =~ ^[1-9][0-9]*$ ]] || die "VFMP_VM_TIME_SCALE must be a positive integer"
TIMEOUT=$((TIMEOUT * TSCALE))
[[ $IGB =~ ^[0-2]$ ]] || die "--igb takes 0, 1 or 2"

# --- guest kernel ----------------------------------------------------------
if [[ -n ${VFMP_KVER:-} ]]; then
	KVER=$VFMP_KVER
else
	KVER=""
	while read -r k; do
		v=${k#/boot/vmlinuz-}
		[[ -d /lib/modules/$v ]] && KVER=$v
	done < <(find /boot -maxdepth 1 -name 'vmlinuz-*-amd64' | sort -V)
fi
[[ -n $KVER ]] || die "no /boot/vmlinuz-*-amd64 with matching /lib/modules found (set VFMP_KVER)"
# a kernel that is not installed (make check-debug): VFMP_VM_KERNEL is its
# image, VFMP_VM_MODDIR its lib/modules/RELEASE
KERNEL=${VFMP_VM_KERNEL:-/boot/vmlinuz-$KVER}
MODDIR=${VFMP_VM_MODDIR:-/lib/modules/$KVER}
[[ -r $KERNEL ]] || die "$KERNEL not readable"
[[ -d $MODDIR ]] || die "$MODDIR missing"
QEMU=${VFMP_QEMU:-qemu-system-x86_64}
NICS=()
if ((IGB)); then
	# igb with SR-IOV needs QEMU >= 8.0: Debian 12 has 7.2, so the tests
	# that ask for it boot bookworm-backports' QEMU, unpacked in build/
	QEMU=${VFMP_QEMU_IGB:-$REPO/build/qemu/usr/bin/qemu-system-x86_64}
	[[ -x $QEMU ]] || die "--igb needs QEMU >= 8.0: run scripts/qemu-bpo.sh (make deps does)"
	[[ $QEMU == "$REPO/build/qemu/"* ]] && NICS+=(-L "$REPO/build/qemu/usr/share/qemu")
	NICS+=(-netdev hubport,id=igbhub0,hubid=0)
	NICS+=(-device igb,netdev=igbhub0,addr=0x8)
	if ((IGB == 2)); then
		NICS+=(-netdev hubport,id=igbhub1,hubid=0)
		NICS+=(-device igb,netdev=igbhub1,addr=0xc)
	fi
fi
command -v "$QEMU" >/dev/null || die "$QEMU not found"

# --- initramfs (cached; rebuilt when the generator or guest scripts change) --
BUILD=${VFMP_VM_BUILD:-$REPO/build/vm}
mkdir -p "$BUILD" || die "cannot create $BUILD"
INITRD=$BUILD/initramfs-$KVER.cpio
(
	flock 9
	if [[ ! -s $INITRD || $HERE/mkinitramfs.sh -nt $INITRD || $HERE/guest/init -nt $INITRD ||
		$HERE/guest/stage2.sh -nt $INITRD || $MODDIR/modules.dep -nt $INITRD ]]; then
		VFMP_MODDIR=$MODDIR "$HERE/mkinitramfs.sh" "$KVER" "$INITRD" || exit 1
	fi
) 9> "$BUILD/.initramfs.lock" || die "initramfs build failed"

# --- artifact dir -------------------------------------------------------------
if [[ -z $ART ]]; then
	ART=$REPO/build/vm-logs/$NAME-$(date +%Y%m%d-%H%M%S)-$$
fi
mkdir -p "$ART" || die "cannot create $ART"
ART=$(cd "$ART" && pwd)
[[ $ART =~ ^[A-Za-z0-9/._+-]+$ ]] || die "artifact path must not contain spaces/special characters: $ART"
[[ $REPO =~ ^[A-Za-z0-9/._+-]+$ ]] || die "repo path must not contain spaces/special characters: $REPO"
rm -f "$ART"/{console.log,output.log,dmesg.txt,tainted,summary.txt}
{
	echo "# generated by run-vm.sh"
	if (($# == 1)); then
		printf '%s\n' "$1"
	else
		printf '%q ' "$@"; echo
	fi
} > "$ART/cmd.sh"

# --- kernel command line -------------------------------------------------------
# no_timer_check: under host load TCG can fail the boot-time IO-APIC timer
# check ("IO-APIC + timer doesn't work!" panic). The stall/lockup thresholds
# are raised because a starved TCG vCPU is not a kernel bug.
CMDLINE="console=ttyS0 rdinit=/init panic=-1 oops=panic log_buf_len=4M no_timer_check"
CMDLINE+=" rcupdate.rcu_cpu_stall_timeout=60 watchdog_thresh=30"
# Debian's kernels have no KASAN: SLUB's own checks catch some of what it
# would.  A KASAN kernel (make check-debug, VFMP_VM_KASAN=1) does not need
# them, and they slow it down.
[[ ${VFMP_VM_KASAN:-0} == 1 ]] || CMDLINE+=" slub_debug=FZPU page_poison=1 init_on_free=1"
[[ -n $ALLOW_WARN ]] || CMDLINE+=" panic_on_warn=1"
CMDLINE+=" vfmpvm_art=$ART vfmpvm_repo=$REPO vfmpvm_tscale=$TSCALE${APPEND}"

# One host thread runs all vCPUs (VFMP_VM_TCG_THREAD=multi for one per
# vCPU).  Why: multi-threaded TCG does not keep cross-modifying code
# coherent: a vCPU can translate a code byte while another vCPU patches it
# (static keys flip on every ping's SO_TIMESTAMP, BPF trampolines, kprobes)
# and keep the stale translation; CI saw the stale int3 of a finished
# text_poke_bp() as "Oops: int3 ... Fatal exception in interrupt" on the
# RX path.  Single-threaded TCG cannot race with itself, and with two
# guests on two host cores it also ran 30-dp-traffic + 32-dp-rss in 91 s
# against 163 s multi-threaded (same run, -j 2).
TCG=tcg,thread=${VFMP_VM_TCG_THREAD:-single}
CPU=qemu64
((NOHV)) && CPU=qemu64,-hypervisor
# shellcheck disable=SC2054 # commas are part of qemu option values
QARGS=(
	-nodefaults -display none -monitor none -no-reboot
	-machine "${VFMP_VM_MACHINE:-q35}" -accel "$TCG" -cpu "$CPU" -smp "$CPUS" -m "$MEM"
	-kernel "$KERNEL" -initrd "$INITRD" -append "$CMDLINE"
	-nic none -device virtio-rng-pci
	-serial "file:$ART/console.log"
	-serial "file:$ART/output.log"
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
	-virtfs "local,path=$REPO,mount_tag=vfmprepo,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$ART,mount_tag=vfmpart,security_model=none,multidevs=remap"
)
QARGS+=("${NICS[@]}")
read -r -a EXTRA <<<"${VFMP_VM_QEMU_EXTRA:-}"
QARGS+=("${EXTRA[@]}")
printf '%q ' "$QEMU" "${QARGS[@]}" > "$ART/qemu.cmdline"; echo >> "$ART/qemu.cmdline"
: > "$ART/console.log"; : > "$ART/output.log"

# --- run ------------------------------------------------------------------------
t0=$(date +%s.%N)
timeout -k 5 "$TIMEOUT" "$QEMU" "${QARGS[@]}" < /dev/null > "$ART/qemu.stderr" 2>&1 &
qpid=$!
trap 'kill -TERM "$qpid" 2>/dev/null; echo "run-vm: interrupted, guest killed; artifacts: $ART" >&2; exit 130' INT TERM
tailpid=""
if ((!QUIET)); then
	tail -n +1 -f --pid="$qpid" "$ART/output.log" 2>/dev/null &
	tailpid=$!
fi
wait "$qpid"
qrc=$?
[[ -n $tailpid ]] && wait "$tailpid" 2>/dev/null
t1=$(date +%s.%N)

# --- evaluate -------------------------------------------------------------------
FAIL=()
strip() { tr -d '\r' < "$1" 2>/dev/null; }
CON=$(strip "$ART/console.log")
marker() { printf '%s\n' "$CON" | sed -n "s/^.*$1=\([0-9][0-9]*\).*$/\1/p" | tail -n 1; }
EXIT=$(marker VFMP-VM-EXIT)
TAINT=$(marker VFMP-VM-TAINT)
upt() { printf '%s\n' "$CON" | sed -n "s/^.*$1 uptime=\([0-9.]*\).*$/\1/p" | tail -n 1; }
U0=$(upt VFMP-VM-CMD-START) U1=$(upt VFMP-VM-CMD-END) U2=$(upt VFMP-VM-POWEROFF)

if ((qrc == 124 || qrc == 137)); then
	FAIL+=("TIMEOUT: guest still running after ${TIMEOUT}s, killed (raise with -t)")
elif ((qrc != 0)); then
	FAIL+=("qemu exited with status $qrc: $(tr '\n' ' ' < "$ART/qemu.stderr")")
fi
if grep -q 'VFMP-VM-INIT-FAILED' <<<"$CON"; then
	FAIL+=("guest init failed: $(grep -o 'VFMP-VM-INIT-FAILED.*' <<<"$CON" | head -n 1)")
fi
[[ -n $EXIT ]] || FAIL+=("no VFMP-VM-EXIT marker on the console (guest crashed, panicked or timed out)")

# Kernel log check. awk prints offending lines; WARNING splats whose header
# (from "cut here" to the "WARNING:" line) matches ALLOW are skipped up to
# "---[ end trace".
BAD_RE='WARNING:|BUG:|kernel BUG at|Oops|Kernel panic|refcount_t|list_add corruption|list_del corruption|unreferenced object|possible circular locking|possible recursive locking|inconsistent lock state|lock inversion|suspicious RCU usage|lockdep is turned off|suspected memory leak|kmemleak report|ODEBUG:|general protection fault|UBSAN|slab error|Poison overwritten|Object padding|Redzone|Padding overwritten|Freepointer corrupt|BUG [^ ]+ \((Not t|T)ainted|soft lockup|hard LOCKUP|rcu_.* self-detected stall|detected stall|blocked for more than|Attempted to kill init|double free|Invalid wait context|sleeping function called from invalid context|scheduling while atomic'
check_log() { # FILE -> offending lines on stdout
	tr -d '\r' < "$1" | awk -v bad="$BAD_RE" -v allow="$ALLOW_WARN" '
	function flush(   i) { for (i = 1; i <= nh; i++) if (hdr[i] ~ bad) print hdr[i]; nh = 0 }
	/-+\[ cut here \]-+/ { flush(); inhdr = 1; hdr[++nh] = $0; next }
	inhdr && nh < 20 && !/WARNING:/ { hdr[++nh] = $0; next }
	/WARNING:/ && allow != "" {
		hdr[++nh] = $0; m = 0
		for (i = 1; i <= nh; i++) if (hdr[i] ~ allow) m = 1
		inhdr = 0
		if (m) { nh = 0; skip = 1; excused++; next }
		flush(); next
	}
	{ if (inhdr) { inhdr = 0; flush() } }
	skip { if (/---\[ end trace/) skip = 0; next }
	$0 ~ bad { print }
	END { flush(); if (excused) printf "EXCUSED %d\n", excused > "/dev/stderr" }'
}
OFFENDING=""
for f in "$ART/dmesg.txt" "$ART/console.log"; do
	[[ -s $f ]] || continue
	OFFENDING+=$(check_log "$f" 2>>"$ART/.excused")$'\n'
done
# keep one copy of each offending message (dmesg and console carry the same text)
OFFENDING=$(printf '%s' "$OFFENDING" | grep -v '^$' | awk '{ k = $0; sub(/^\[ *[0-9.]+\] /, "", k); if (!seen[k]++) print }')
if [[ -n $OFFENDING ]]; then
	FAIL+=("kernel log contains errors:"$'\n'"$(head -n 40 <<<"$OFFENDING" | sed 's/^/    | /')")
	# The first oops/BUG/WARNING as the console has it (RIP, Code, Call
	# Trace), so that a CI log alone names the function that failed.
	SPLAT=$(printf '%s\n' "$CON" | awk '
		!on && /Oops|BUG:|kernel BUG at|general protection fault|WARNING:|Kernel panic/ { on = 1 }
		on { print; if (++n >= 45 || /---\[ end trace|end Kernel panic/) exit }')
	if [[ -n $SPLAT ]]; then
		printf '%s\n' "$SPLAT" > "$ART/splat.txt"
		FAIL+=("first splat on the console (splat.txt):"$'\n'"$(sed 's/^/    ! /' <<<"$SPLAT")")
	fi
fi
[[ -s $ART/dmesg.txt ]] || [[ -z $EXIT ]] || FAIL+=("dmesg dump missing from the artifact dir")

# Taint check: O (4096) and E (8192) are expected for out-of-tree unsigned
# modules; W (512) only with --allow-warn.
TAINT_NAMES=(P F S R M B U D A W C I O E L K X T N)
TAINT_DESC=("proprietary module" "module force-loaded" "SMP with non-SMP-safe CPUs"
	"module force-unloaded" "machine check" "bad page" "taint requested by userspace"
	"kernel died (oops/BUG)" "ACPI table overridden" "kernel WARNING" "staging driver"
	"firmware bug workaround" "out-of-tree module" "unsigned module" "soft lockup"
	"live patched" "auxiliary" "struct randomization" "in-kernel test")
ALLOWED=$((4096 | 8192))
[[ -n $ALLOW_WARN ]] && ALLOWED=$((ALLOWED | 512))
if [[ -n $TAINT ]]; then
	bad=$((TAINT & ~ALLOWED))
	if ((bad)); then
		desc=""
		for i in "${!TAINT_NAMES[@]}"; do
			((bad & (1 << i))) && desc+=" ${TAINT_NAMES[$i]} (bit $i, ${TAINT_DESC[$i]});"
		done
		((bad >> ${#TAINT_NAMES[@]})) && desc+=" unknown bits $((bad >> ${#TAINT_NAMES[@]} << ${#TAINT_NAMES[@]}));"
		FAIL+=("unexpected kernel taint $TAINT, disallowed flags:${desc%;}")
	fi
elif [[ -n $EXIT ]]; then
	FAIL+=("no VFMP-VM-TAINT marker")
fi

total=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
timing="total ${total}s"
if [[ -n $U0 && -n $U1 && -n $U2 ]]; then
	# boot (qemu start -> command start) = host wall time minus the guest
	# time from command start to poweroff (qemu teardown counts as boot)
	timing=$(awk -v T="$total" -v a="$U0" -v b="$U1" -v c="$U2" 'BEGIN { printf "boot %.1fs, command %.1fs, total %.1fs", T - (c - a), b - a, T }')
fi
{
	echo "kernel: $KVER  cpu: $CPU  smp: $CPUS  mem: ${MEM}M"
	echo "timing: $timing"
	echo "exit: ${EXIT:-none}  taint: ${TAINT:-none}  excused-warnings: $(awk '$2 > n { n = $2 } END { print n + 0 }' "$ART/.excused" 2>/dev/null)"
	for f in "${FAIL[@]}"; do echo "FAIL: $f"; done
} > "$ART/summary.txt"
rm -f "$ART/.excused"

if ((${#FAIL[@]})); then
	{
		echo "run-vm: FAILED ($timing)"
		for f in "${FAIL[@]}"; do echo "run-vm: $f"; done
		if [[ -z $EXIT ]]; then
			if [[ -n $U0 ]]; then
				echo "run-vm: the guest booted and COMMAND started (uptime ${U0}s) but never finished"
				echo "run-vm: last COMMAND output lines:"
				tr -d '\r' < "$ART/output.log" | tail -n 15 | sed 's/^/    out> /'
			else
				echo "run-vm: the guest never reached COMMAND"
			fi
			echo "run-vm: last console lines:"
			tail -n 25 <<<"$CON" | sed 's/^/    con> /'
		fi
		echo "run-vm: artifacts: $ART"
	} >&2
	if [[ -n $EXIT && $EXIT != 0 ]]; then exit "$EXIT"; fi
	exit 1
fi
echo "run-vm: exit $EXIT ($timing); artifacts: $ART" >&2
exit "$EXIT"
