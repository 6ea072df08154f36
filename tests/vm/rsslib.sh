#!/bin/bash
# rsslib.sh - guest-side helpers for the vfmprss tests (52-rss-tool.sh on
# vfmp, 73-rss-igb.sh on igb).  Source after lib.sh and dplib.sh, then set
# RSS_DEV (the watched netdev, in netns RSS_NS, default b) and NQ (its RX
# queues), and define send (the flows; window passes its arguments on).
#
#   minus "a b" "x y"     "a-x b-y"
#   tool_start OUT ARGS   vfmprss ARGS in RSS_NS in the background (TOOL_PID),
#                         until it says it is watching
#   settle                until the driver's per-queue counters stop moving
#   window OUT ARGS...    vfmprss -j [RSS_ARGS] -d RSS_DEV 1 while `send ARGS` runs,
#                         stopped once the counters are still and a report
#                         ended after that: the reports together cover every
#                         frame however slow the guest (one fixed interval
#                         can end before the last frame arrives)
#   wdelta FIELD          the driver's rx_queue_N_FIELD over the last window
#                         (read after the tool attached, and when still)
#   jq_ FILE EXPR, jtrue FILE EXPR   json_q, and json_q that must be True
#   qsum FILE EXPR-of-q   EXPR summed over the reports, per queue
RSS_NS=${RSS_NS:-b}
RSS_TOOL=${RSS_TOOL:-build/tools/vfmprss}
TOOL_PID=""

minus() {
	local -a A B r=()
	local i
	read -ra A <<<"$1"
	read -ra B <<<"$2"
	for i in "${!A[@]}"; do r+=($((A[i] - B[i]))); done
	echo "${r[*]}"
}
tool_start() {
	local out=$1
	shift
	# not through nx (a function): $! must be the tool, for kill -INT
	ip netns exec "$RSS_NS" "$RSS_TOOL" "$@" > "$out" 2> "$out.err" &
	TOOL_PID=$!
	wait_for 60 grep -q 'vfmprss: watching' "$out" "$out.err"
}
lines_gt() { [[ $(wc -l < "$1") -gt $2 ]]; }
settle() {
	local a b i
	b=$(in_ns "$RSS_NS" ethtool -S "$RSS_DEV" | grep rx_queue_)
	for ((i = 0; i < 30; i++)); do
		sleep 1
		a=$b b=$(in_ns "$RSS_NS" ethtool -S "$RSS_DEV" | grep rx_queue_)
		[[ $a == "$b" ]] && return 0
	done
	return 1
}
window() {
	local out=$1 n
	shift
	# shellcheck disable=SC2086 # RSS_ARGS: extra options, word-split
	tool_start "$out" -j ${RSS_ARGS:-} -d "$RSS_DEV" 1 || return 1
	W0=$(in_ns "$RSS_NS" ethtool -S "$RSS_DEV")
	send "$@"
	settle
	W1=$(in_ns "$RSS_NS" ethtool -S "$RSS_DEV")
	n=$(wc -l < "$out")
	wait_for 30 lines_gt "$out" "$n"
	kill -INT "$TOOL_PID"
	wait "$TOOL_PID"
}
wdelta() { # FIELD: the driver's rx_queue_N_FIELD over the last window
	local a b
	a=$(awk -v f="$1" -F': *' '$1 ~ "rx_queue_[0-9]+_" f "$" {printf "%s ", $2}' <<<"$W0")
	b=$(awk -v f="$1" -F': *' '$1 ~ "rx_queue_[0-9]+_" f "$" {printf "%s ", $2}' <<<"$W1")
	minus "$b" "$a"
}
jq_() { json_q "$1" "$2"; }
jtrue() { [[ $(json_q "$1" "$2") == True ]]; }
qsum() {
	json_q "$1" '" ".join(str(sum('"$2"' for r in L for q in [r["queues"][i]])) for i in range('"$NQ"'))'
}
