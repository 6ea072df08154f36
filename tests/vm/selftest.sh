#!/bin/bash
# selftest.sh - host-side self-test of the VM harness's negative paths.
#
# Usage: tests/vm/selftest.sh [-j N]     (default -j 2; ~1 minute)
#
# Boots one guest per case and checks run-vm.sh's verdict:
#   exit status propagation, timeout, kernel panic, WARNING/BUG detection in
#   dmesg, --allow-warn (matching and non-matching splats), taint check,
#   TAP failure propagation through run-tests.sh. Prints TAP; exits non-zero
#   if any check failed.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
JOBS=2
[[ ${1:-} == -j ]] && JOBS=${2:?}
ROOT=$REPO/build/vm-logs/selftest-$(date +%Y%m%d-%H%M%S)
mkdir -p "$ROOT"

# A fake WARN splat written via /dev/kmsg (what the kernel prints for a
# WARN_ONCE); the guest runs this file straight from the shared host root.
SPLAT=$ROOT/splat.sh
cat > "$SPLAT" <<'S'
for l in "------------[ cut here ]------------" "vfmp: VF must not read keywords" \
	"WARNING: CPU: 0 PID: 1 at drivers/net/vfmp/vfmp_main.c:42 vfmp_probe+0x1/0x2 [vfmp]" \
	"Modules linked in: vfmp(OE)" "Call Trace:" " <TASK>" " </TASK>" \
	"---[ end trace 0000000000000000 ]---"; do
	echo "$l" > /dev/kmsg
done
S
SPLAT="bash $SPLAT"

# case: name | run-vm options | command | expected rc ("nz" = non-zero) | regex the output must match
CASES=(
	"exit3||exit 3|3|run-vm: exit 3"
	"exit0||true|0|run-vm: exit 0"
	"timeout|-t 25|sleep 600|nz|TIMEOUT: guest still running after 25s"
	"panic||echo c > /proc/sysrq-trigger|nz|no VFMP-VM-EXIT marker.*|Kernel panic"
	"kmsg-warning||echo 'WARNING: test' > /dev/kmsg|nz|\] WARNING: test$"
	"kmsg-bug||echo 'BUG: KASAN: fake' > /dev/kmsg|nz|BUG: KASAN: fake"
	"slub||echo 'BUG kmalloc-64 (Tainted: G O): Poison overwritten' > /dev/kmsg|nz|Poison overwritten"
	"allow-warn-match|--allow-warn vfmp_probe|$SPLAT|0|run-vm: exit 0"
	"allow-warn-other|--allow-warn other_func|$SPLAT|nz|WARNING: CPU: 0 PID: 1 at drivers/net/vfmp"
	"warn-no-allow||$SPLAT|nz|kernel log contains errors"
	"allow-warn-extra|--allow-warn vfmp_probe|$SPLAT; echo 'WARNING: at other.c' > /dev/kmsg|nz|WARNING: at other.c"
	"taint-W||echo 512 > /proc/sys/kernel/tainted|nz|unexpected kernel taint 512.*W"
	"taint-W-allowed|--allow-warn nothing|echo 512 > /proc/sys/kernel/tainted|0|run-vm: exit 0"
	"taint-OE||echo 12288 > /proc/sys/kernel/tainted|0|run-vm: exit 0"
	"taint-B||echo 32 > /proc/sys/kernel/tainted|nz|disallowed flags: B"
	"argv||printf '<%s>' 'a b' c|0|<a b><c>"
)

run_case() { # index
	local IFS='|' name opts cmd want re rest
	read -r name opts cmd want re rest <<<"${CASES[$1]}"
	[[ -n ${rest:-} ]] && re="$re|$rest"
	IFS=' ' read -r -a o <<<"$opts"
	local t0=$SECONDS rc
	if [[ $name == argv ]]; then
		"$HERE/run-vm.sh" -o "$ROOT/$name" "${o[@]}" -- printf '<%s>' 'a b' c > "$ROOT/$name.out" 2>&1
	else
		"$HERE/run-vm.sh" -o "$ROOT/$name" "${o[@]}" -- "$cmd" > "$ROOT/$name.out" 2>&1
	fi
	rc=$?
	echo "$rc $((SECONDS - t0))" > "$ROOT/$name.rc"
}

running=0
for i in "${!CASES[@]}"; do
	run_case "$i" &
	running=$((running + 1))
	if ((running >= JOBS)); then wait -n; running=$((running - 1)); fi
done
wait

n=0 bad=0
echo "1..$((${#CASES[@]} + 1))"
for i in "${!CASES[@]}"; do
	IFS='|' read -r name _ _ want re rest <<<"${CASES[$i]}"
	[[ -n ${rest:-} ]] && re="$re|$rest"
	read -r rc secs < "$ROOT/$name.rc"
	out=$(tr -d '\r' < "$ROOT/$name.out")
	n=$((n + 1))
	okrc=0
	if [[ $want == nz ]]; then ((rc != 0)) && okrc=1; else ((rc == want)) && okrc=1; fi
	if ((okrc)) && grep -qE -- "$re" <<<"$out"; then
		echo "ok $n - $name (rc=$rc, ${secs}s)"
	else
		bad=$((bad + 1))
		echo "not ok $n - $name: expected rc $want and /$re/, got rc=$rc"
		printf '%s\n' "$out" | tail -n 20 | sed 's/^/#   /'
	fi
done

# run-tests.sh: a failing TAP point and a file that dies without its plan
# (plan 3, ran 2: 1 passed, 2 failed), and a file that dies before its
# done_testing (no plan: 1 passed, 1 failed)
tdir=$(mktemp -d "$ROOT/rt.XXXXXX")
cat > "$tdir/fails.sh" <<'T'
source tests/vm/lib.sh
plan 3
t_eq "good" 1 1
t_eq "bad" 1 2
T
cat > "$tdir/dies.sh" <<'T'
source tests/vm/lib.sh
t_eq "good" 1 1
exit 0
t_eq "never reached" 1 1
done_testing
T
out=$("$HERE/run-tests.sh" -o "$ROOT/run-tests" "$tdir/fails.sh" "$tdir/dies.sh" 2>&1); rc=$?
n=$((n + 1))
if ((rc != 0)) && [[ $(tail -n 1 <<<"$out") == "2 passed, 3 failed" ]]; then
	echo "ok $n - run-tests counts failures and missing points"
else
	bad=$((bad + 1)); echo "not ok $n - run-tests counts failures (rc=$rc)"; printf '%s\n' "$out" | sed 's/^/#   /'
fi
echo "# artifacts: $ROOT"
((bad == 0))
