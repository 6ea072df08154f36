# shellcheck shell=bash
# benchlib.sh - what tests/bench/bench.sh (vfmp, veth) and bench-igb.sh
# (QEMU's igb) share: pktgen set-up, a rate measured over BENCH_SECS from
# the receiver's own counter, and the cost of watching a receive queue
# (vfmprss vs bcc's netqtop), with each tool's own BPF time per frame from
# kernel.bpf_stats_enabled.
# It loads the VM test libraries it needs (without TAP) and sets SECS,
# ROUNDS, OUT and RES; the tools need TOOL_NS and TOOL_DEV (the watched
# device and its namespace).
cd "${VFMP_REPO:-.}" || exit 1
# the VM test libraries without TAP (VFMP_TAP=0: no TAP exit status)
# shellcheck disable=SC2034 # read by lib.sh
VFMP_TAP=0
# shellcheck source=tests/vm/lib.sh
source tests/vm/lib.sh
# shellcheck source=tests/vm/dplib.sh
source tests/vm/dplib.sh

SECS=${BENCH_SECS:-5}
ROUNDS=${BENCH_ROUNDS:-2}
OUT=${VFMP_VM_ARTIFACTS:-/tmp}
declare -A RES=()

die() { echo "bench: $*" >&2; exit 1; }

pgset() { # NS FILE CMD
	in_ns "$1" sh -c "echo '$3' > /proc/net/pktgen/$2" ||
		die "pktgen $2: '$3' failed"
}

# pg_setup NS DEV DSTIP DSTMAC NTHREADS
pg_setup() {
	local ns=$1 dev=$2 ip=$3 mac=$4 nt=$5 t d
	for ((t = 0; t < 2; t++)); do pgset "$ns" kpktgend_$t rem_device_all; done
	for ((t = 0; t < nt; t++)); do
		d=$dev@$t
		pgset "$ns" kpktgend_$t "add_device $d"
		pgset "$ns" "$d" "count 0"
		pgset "$ns" "$d" "clone_skb 0"
		pgset "$ns" "$d" "pkt_size 64"
		pgset "$ns" "$d" "delay 0"
		pgset "$ns" "$d" "burst ${BURST:-1}"
		pgset "$ns" "$d" "dst $ip"
		pgset "$ns" "$d" "dst_mac $mac"
		pgset "$ns" "$d" "udp_dst_min 9"
		pgset "$ns" "$d" "udp_dst_max 9"
		if ((nt > 1)); then
			pgset "$ns" "$d" "queue_map_min $t"
			pgset "$ns" "$d" "queue_map_max $t"
			pgset "$ns" "$d" "udp_src_min $((10000 + t * 64))"
			pgset "$ns" "$d" "udp_src_max $((10063 + t * 64))"
			pgset "$ns" "$d" "flag UDPSRC_RND"
		else
			pgset "$ns" "$d" "udp_src_min 10000"
			pgset "$ns" "$d" "udp_src_max 10000"
		fi
	done
}

now() { date +%s.%N; }

# measure NS COUNTER_FN -> prints packets/s while pktgen (already set up in
# NS) runs: 1 s warm-up, then COUNTER_FN before/after SECS seconds
# BPF time of a tool's programs (kernel.bpf_stats_enabled): run_time_ns and
# run_cnt summed over every program but those in BASE_IDS (loaded before the
# tool started) and the XDP program the case attaches.
bpf_ns() {
	bpftool prog show -j 2>/dev/null | python3 -c '
import json, sys
base = set(sys.argv[1].split())
ns = cnt = 0
for p in json.load(sys.stdin):
    if str(p["id"]) in base or p.get("type") == "xdp":
        continue
    ns += p.get("run_time_ns", 0)
    cnt += p.get("run_cnt", 0)
print(ns, cnt)' "$BASE_IDS"
}
# to the log: each of the tool's programs, its runs and mean ns per run
prog_breakdown() {
	bpftool prog show -j 2>/dev/null | python3 -c '
import json, sys
base = set(sys.argv[1].split())
for p in json.load(sys.stdin):
    n = p.get("run_cnt", 0)
    if str(p["id"]) in base or p.get("type") == "xdp" or not n:
        continue
    print("    %-20s %9d runs %8.0f ns/run" % (p.get("name", "?"), n, p.get("run_time_ns", 0) / n))' "${BASE_IDS:-}" >&2
}
prog_ids() { bpftool prog show -j 2>/dev/null | python3 -c 'import json, sys; print(" ".join(str(p["id"]) for p in json.load(sys.stdin)))'; }

# pps over SECS; with BASE_IDS set (even empty), also the tool's BPF ns and program runs
# per frame (both windows are taken the same way, so they cover the same
# span)
measure() {
	local ns=$1 fn=$2 c0 c1 t0 t1 pid b0="0 0" b1="0 0"
	in_ns "$ns" sh -c 'echo start > /proc/net/pktgen/pgctrl' 2>/dev/null &
	pid=$!
	sleep 1
	[[ -n ${BASE_IDS+set} ]] && b0=$(bpf_ns)
	c0=$($fn) t0=$(now)
	sleep "$SECS"
	[[ -n ${BASE_IDS+set} ]] && b1=$(bpf_ns)
	c1=$($fn) t1=$(now)
	in_ns "$ns" sh -c 'echo stop > /proc/net/pktgen/pgctrl'
	wait $pid 2>/dev/null
	awk -v a="$c0" -v b="$c1" -v s="$t0" -v e="$t1" -v b0="$b0" -v b1="$b1" 'BEGIN {
		printf "%.0f", (b - a) / (e - s)
		split(b0, x, " "); split(b1, y, " ")
		if (b > a && b1 != "0 0")
			printf " %.1f %.2f", (y[1] - x[1]) / (b - a), (y[2] - x[2]) / (b - a)
		print ""
	}'
}

add() {
	local unit=pps
	case $1 in start_*) unit=ms ;; ns_*) unit=ns/frame ;; runs_*) unit=runs/frame ;; esac
	RES[$1]="${RES[$1]:-} $2"
	echo "  $1: $2 $unit" >&2
}

NETQTOP=$(command -v netqtop-bpfcc || command -v netqtop || true)
TOOLPID=""
tool_up() { # none|vfmprss|vfmprss-N|vfmprss-Px|netqtop
	local t0 f=$OUT/tool-$1.out
	TOOLPID=""
	BASE_IDS=$(prog_ids)
	[[ $1 == none ]] && return 0
	t0=$(now)
	if [[ $1 == vfmprss* ]]; then
		local opt=()
		case $1 in *-Px) opt=(-P -x) ;; *-N) opt=(-N) ;; esac
		ip netns exec "$TOOL_NS" build/tools/vfmprss -j "${opt[@]}" -d "$TOOL_DEV" 1 > "$f" 2>&1 &
		TOOLPID=$!
		wait_for 300 grep -q '"queues"' "$f" || die "vfmprss did not report"
	else
		# bcc compiles at start; netqtop looks the device up in /sys, so
		# it runs under ip netns exec, which remounts /sys without
		# tracefs: mount it there.  Unbuffered, so that its first report
		# is seen when it is printed.
		PYTHONUNBUFFERED=1 ip netns exec "$TOOL_NS" sh -c 'mount -t debugfs none /sys/kernel/debug 2>/dev/null
			mount -t tracefs none /sys/kernel/tracing 2>/dev/null
			exec "$0" -n "$1" -i 1' "$NETQTOP" "$TOOL_DEV" > "$f" 2>&1 &
		TOOLPID=$!
		# bcc compiles at start, against the running kernel's headers
		# (bcc 0.26 cannot build for 6.12): give up when it exits
		wait_for 400 sh -c "grep -q QueueID $f || ! kill -0 $TOOLPID"
		if ! grep -q QueueID "$f"; then
			NQT_ERR=$(grep -m1 -E 'error|Error' "$f")
			echo "  netqtop did not start: ${NQT_ERR:-$(head -c 200 "$f")}" >&2
			tool_down
			return 1
		fi
	fi
	add "start_$1" "$(awk -v a="$t0" -v b="$(now)" 'BEGIN {printf "%.0f", (b - a) * 1000}')"
}
# TERM: a background python (netqtop) inherits SIGINT ignored
tool_down() {
	[[ -n $TOOLPID ]] || return 0
	[[ -n ${BASE_IDS+set} ]] && prog_breakdown
	kill -TERM "$TOOLPID" && wait "$TOOLPID" 2>/dev/null
	TOOLPID=""
}
addm() { # CASE "PPS [NS RUNS]": the rate, and the tool's BPF time per frame
	local a
	read -ra a <<<"$2"
	add "$1" "${a[0]}"
	if ((${#a[@]} == 3)); then add "ns_$1" "${a[1]}"; add "runs_$1" "${a[2]}"; fi
}

# CASE_FN TOOL for each tool in TOOLS, ROUNDS times, with bpf_stats on (every
# case pays the same for them, so the ratios hold); the order rotates each
# round, so no tool always follows another
tool_rounds() {
	local r i t tl
	sysctl -qw kernel.bpf_stats_enabled=1
	for ((r = 1; r <= ROUNDS; r++)); do
		echo "tool-cost round $r ($TOOLS)" >&2
		read -ra tl <<<"$TOOLS"
		for ((i = 0; i < ${#tl[@]}; i++)); do
			t=${tl[(i + r - 1) % ${#tl[@]}]}
			# a tool that could not start is not tried again
			[[ " $TOOLS " == *" $t "* ]] && "$1" "$t"
		done
	done
	sysctl -qw kernel.bpf_stats_enabled=0
}

mean() { awk '{s = 0; for (i = 1; i <= NF; i++) s += $i; if (NF) printf "%.0f", s / NF}' <<<"$1"; }
mean1() { awk '{s = 0; for (i = 1; i <= NF; i++) s += $i; if (NF) printf "%.1f", s / NF; else printf "-"}' <<<"$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }

# the cost tables: WHAT is watched, MODES "Label:key ..." (cost_KEY_TOOL)
tool_table() {
	local what=$1 m t k h1="" h2="" row
	for m in $2; do h1+=" ${m%%:*} pps | ratio |"; h2+="---:|---:|"; done
	echo "| watching $what (64 B UDP) |$h1 start-up (ms) |"
	echo "|---|$h2---:|"
	for t in $TOOLS; do
		row="| $t |"
		for m in $2; do
			k=${m##*:}
			row+=" $(mean "${RES[cost_${k}_$t]:-}") | $(ratio "$(mean "${RES[cost_${k}_$t]:-}")" "$(mean "${RES[cost_${k}_none]:-}")") |"
		done
		k=$(mean "${RES[start_$t]:-}")
		echo "$row ${k:--} |"
	done
	echo
	h1="" h2=""
	for m in $2; do h1+=" ${m%%:*} ns/frame | programs run/frame | share of a CPU |"; h2+="---:|---:|---:|"; done
	echo "| the tool's own BPF time (bpf_stats) |$h1"
	echo "|---|$h2"
	for t in $TOOLS; do
		[[ $t == none ]] && continue
		row="| $t |"
		for m in $2; do
			k=${m##*:}
			# the CPU time its programs take at the rate it was measured at
			row+=" $(mean1 "${RES[ns_cost_${k}_$t]:-}") | $(mean1 "${RES[runs_cost_${k}_$t]:-}") |"
			row+=" $(awk -v n="$(mean1 "${RES[ns_cost_${k}_$t]:-}")" -v p="$(mean "${RES[cost_${k}_$t]:-}")" \
				'BEGIN { if (n != "-" && p > 0) printf "%.2f%%", n * p / 1e7; else printf "-" }') |"
		done
		echo "$row"
	done
	[[ -z $NETQTOP ]] && echo "(netqtop: not installed; apt-get install bpfcc-tools)"
	[[ -n ${NQT_ERR:-} ]] && echo "(netqtop did not start on $(uname -r): $NQT_ERR)"
	return 0
}
