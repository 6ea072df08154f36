#!/bin/bash
# vm-opts: -t 900
# 52-rss-tool.sh - vfmprss on a vfmp VF with 4 queues: per-queue frames and
# bytes equal the driver's counters, every frame arrives on table[hash %
# size], XDP_DROP per queue equals the driver's, an `ethtool -X` made while
# it runs is followed, its rebalance suggestion evens skewed flows as it
# predicts, JSON lines parse, /metrics passes promtool, bad input is refused.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"
# shellcheck source=tests/vm/dplib.sh
source "$(dirname "$0")/../dplib.sh"
# shellcheck source=tests/bench/xdplib.sh
source "$(dirname "$0")/../../bench/xdplib.sh"
# shellcheck source=tests/vm/rsslib.sh
source "$(dirname "$0")/../rsslib.sh"

T=build/tools
OUT=$VFMP_VM_ARTIFACTS
PROMTOOL=build/prometheus/usr/bin/promtool
t_ok "vfmprss is built" test -x $T/vfmprss
xdp_env_up 4 >/dev/null 2>&1 || bail_out "datapath setup failed"
pass "adapter with 4 queue pairs, VF0 ($VF0) in netns b, the PF in a"
# no stray frames: IPv6 off (VF1's router solicitations and MLD reports
# would be flooded to VF0), static neighbours (no ARP)
nx a sysctl -qw "net.ipv6.conf.$PF.disable_ipv6=1"
nx b sysctl -qw "net.ipv6.conf.$VF0.disable_ipv6=1"
nx c sysctl -qw "net.ipv6.conf.$VF1.disable_ipv6=1"
nx a ip neigh replace 192.0.2.2 lladdr "$VF0_MAC" dev "$PF" nud permanent
nx b ip neigh replace 192.0.2.1 lladdr "$PF_MAC" dev "$VF0" nud permanent

# send one 64-byte datagram from 192.0.2.1:5000 to each port given, N times
send() { # N PORT... | tcp BYTES (one stream to 192.0.2.2:6000)
	if [[ $1 == tcp ]]; then
		nx a python3 -c '
import socket, sys
s = socket.create_connection(("192.0.2.2", 6000), timeout=60)
s.sendall(b"x" * int(sys.argv[1]))
s.close()' "$2"
		return
	fi
	nx a python3 - "$@" <<'PY'
import socket, sys
n = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.0.2.1", 5000))
for _ in range(n):
    for p in sys.argv[2:]:
        s.sendto(b"x" * 64, ("192.0.2.2", int(p)))
PY
}
RSS_DEV=$VF0 NQ=4

# ---- exact per-queue counts ------------------------------------------------
PORTS=$(seq 3000 3255 | xargs)
window "$OUT/exact.json" 1 $PORTS
t_eq "vfmprss -j -d VF0 1 ran while 256 flows arrived" 0 "$?"
J=$OUT/exact.json
t_eq "it names the device, driver and queues" "$VF0 vfmp 4 4" \
	"$(jq_ "$J" '"%s %s %d %d" % (L[0]["dev"], L[0]["driver"], L[0]["rx_queues"], len(L[0]["queues"]))')"
t_ok "interval_s is the measured interval (~1 s)" \
	jtrue "$J" 'len(L) >= 2 and all(0.5 < r["interval_s"] < 5 for r in L)'
t_eq "per-queue rx_packets equal the driver's rx_queue_N_packets" "$(wdelta packets)" \
	"$(qsum "$J" 'q["rx_packets"]')"
t_eq "per-queue rx_bytes (L2) equal the driver's rx_queue_N_bytes" "$(wdelta bytes)" \
	"$(qsum "$J" 'q["rx_bytes"]')"
t_eq "all 256 flows counted, every one with an L4 hash" "256 256" \
	"$(jq_ "$J" '"%d %d" % (sum(q["rx_packets"] for r in L for q in r["queues"]), sum(q["rx_l4_hashed"] for r in L for q in r["queues"]))')"
t_eq "the table is the device's (ethtool -x)" \
	"$(nx b ethtool -x "$VF0" | awk '/^ *[0-9]+:/ {for (i = 2; i <= NF; i++) printf "%s ", $i}')" \
	"$(jq_ "$J" '" ".join(str(e) for e in L[0]["table"]["entries"]) + " "')"
t_eq "every frame arrived on table[hash % 128]" "1.0 128 toeplitz" \
	"$(jq_ "$J" '"%s %d %s" % (min(r["queue_match"] for r in L if r["queue_match"] is not None), L[0]["table"]["size"], L[0]["table"]["hfunc"])')"
t_ok "NAPI polls seen on every queue, each handling its frames" \
	jtrue "$J" 'all(sum(r["queues"][i]["polls"] for r in L) > 0 and sum(r["queues"][i]["poll_work"] for r in L) >= sum(r["queues"][i]["rx_packets"] for r in L) for i in range(4))'
t_ok "without -P no poll time is reported (no trampoline on __napi_poll)" \
	jtrue "$J" 'all("poll_ns" not in q for r in L for q in r["queues"])'
t_eq "every queue's NAPI instance known: learning is off by the last report" False \
	"$(jq_ "$J" 'L[-1]["napi_learning"]')"
# a channel change makes new NAPI instances: their polls cannot be placed,
# so the tool forgets the device's instances and learns them again
tool_start "$OUT/relearn.json" -j -d "$VF0" 1
t_eq "vfmprss attaches (relearn)" 0 "$?"
t_ok "ethtool -L VF0 combined 2 while it runs" nx b ethtool -L "$VF0" combined 2
relearned() {
	send 1 $PORTS
	# a report with traffic on both queues (most are idle: the flows take
	# less than the 1 s interval)
	jtrue "$OUT/relearn.json" 'any(r["rx_queues"] == 2 and not r["napi_learning"] and all(q["polls"] > 0 for q in r["queues"][:2]) and r["other"]["polls"] == 0 for r in L)'
}
t_ok "after it, both queues' polls are placed again, none left on other, learning off" \
	wait_for 60 relearned
kill -INT "$TOOL_PID"; wait "$TOOL_PID"
t_ok "ethtool -L VF0 combined 4 (back)" nx b ethtool -L "$VF0" combined 4
# -P: the same flows again, now with each poll timed
RSS_ARGS=-P window "$OUT/ptime.json" 1 $PORTS
t_eq "vfmprss -P ran" 0 "$?"
# poll times need fentry on __napi_poll, which a kernel that inlines it
# (the debug guest kernel) has no BTF for: the tool must say so and report
# no times, and still place the polls
if bpftool btf dump file /sys/kernel/btf/vmlinux 2>/dev/null | grep -q "FUNC '__napi_poll'"; then
	t_ok "-P: every queue's polls are timed (poll_ns > 0), polls still on their queues" \
		jtrue "$OUT/ptime.json" 'all(sum(r["queues"][i]["polls"] for r in L) > 0 and sum(r["queues"][i]["poll_ns"] for r in L) > 0 for i in range(4))'
else
	t_ok "-P: no __napi_poll in this kernel's BTF: the tool says it cannot time polls" \
		grep -q "cannot trace __napi_poll" "$OUT/ptime.json.err"
	t_ok "-P: no poll times (no poll_ns), polls still on their queues" \
		jtrue "$OUT/ptime.json" 'all(sum(r["queues"][i]["polls"] for r in L) > 0 and all("poll_ns" not in r["queues"][i] for r in L) for i in range(4))'
fi
t_eq "-P: per-queue rx_packets still equal the driver's" "$(wdelta packets)" \
	"$(qsum "$OUT/ptime.json" 'q["rx_packets"]')"
# -N: frames only, no program on NAPI polls
RSS_ARGS=-N window "$OUT/frames.json" 1 $PORTS
t_eq "vfmprss -N ran" 0 "$?"
t_eq "-N: per-queue rx_packets still equal the driver's" "$(wdelta packets)" \
	"$(qsum "$OUT/frames.json" 'q["rx_packets"]')"
t_ok "-N: no poll keys in any queue, no learning" \
	jtrue "$OUT/frames.json" 'all(not any(k.startswith("poll") for k in q) for r in L for q in r["queues"]) and not any(r["napi_learning"] for r in L)'
t_fail "-N with -P is refused" $T/vfmprss -N -P 1 1

# ---- TX per queue ---------------------------------------------------------------
txq() { nx b ethtool -S "$VF0" | awk -F': *' '$1 ~ /tx_queue_[0-9]+_packets$/ {printf "%s ", $2}'; }
tx_still() { local a; a=$(txq); sleep 1; [[ $a == "$(txq)" ]]; }
tool_start "$OUT/tx.json" -j -d "$VF0" 1
t_eq "vfmprss attaches (TX)" 0 "$?"
x0=$(txq)
nx b python3 -c '
import socket
for p in range(6000, 6064):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("192.0.2.2", p))
    s.sendto(b"y" * 64, ("192.0.2.1", 9))'
wait_for 30 tx_still
x1=$(txq)
n=$(wc -l < "$OUT/tx.json")
wait_for 30 lines_gt "$OUT/tx.json" "$n"
kill -INT "$TOOL_PID"; wait "$TOOL_PID"
t_eq "per-queue tx_packets equal the driver's tx_queue_N_packets" "$(minus "$x1" "$x0")" \
	"$(qsum "$OUT/tx.json" 'q["tx_packets"]')"
t_eq "the 64 datagrams VF0 sent" 64 "$(jq_ "$OUT/tx.json" 'sum(q["tx_packets"] for r in L for q in r["queues"])')"

# ---- --gro: frames after GRO ---------------------------------------------------
# One TCP stream PF -> VF0: with GRO on, the stack sees fewer (merged)
# frames than the driver received; with GRO off, one per frame.
gro_window() { # OUT
	ip netns exec b python3 -c '
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.0.2.2", 6000)); s.listen(1)
c, _ = s.accept()
while c.recv(1 << 16): pass' &
	local srv=$!
	wait_for 30 sh -c "ip netns exec b ss -ltn | grep -q ':6000 '"
	RSS_ARGS=--gro window "$1" tcp 4000000
	wait $srv
}
gro_sum() { jq_ "$1" '"%d %d" % (sum(q["rx_packets"] for r in L for q in r["queues"]), sum(q["rx_gro_packets"] for r in L for q in r["queues"]))'; }
t_ok "ethtool -K VF0 gro on" nx b ethtool -K "$VF0" gro on
gro_window "$OUT/gro.json"
t_ok "--gro: every queue row has rx_gro_packets" jtrue "$OUT/gro.json" 'all("rx_gro_packets" in q for r in L for q in r["queues"])'
read -r P G <<<"$(gro_sum "$OUT/gro.json")"
diag "GRO on: $P frames from the driver, $G after GRO"
t_ok "--gro, GRO on: the stream's frames were merged (0 < $G < $P)" test "$G" -gt 0 -a "$G" -lt "$P"
t_ok "ethtool -K VF0 gro off" nx b ethtool -K "$VF0" gro off
gro_window "$OUT/nogro.json"
read -r P G <<<"$(gro_sum "$OUT/nogro.json")"
t_ok "--gro, GRO off: one frame after GRO per frame received ($G = $P > 0)" test "$G" -eq "$P" -a "$P" -gt 0
nx b ethtool -K "$VF0" gro on

# ---- XDP_DROP per queue -------------------------------------------------------
t_ok "xdp_drop attaches to VF0" xdp_attach b "$VF0" xdp_drop
RSS_ARGS=-x window "$OUT/xdp.json" 1 $PORTS
t_eq "vfmprss -x ran with the XDP program there" 0 "$?"
J=$OUT/xdp.json
t_eq "per-queue XDP drops equal the driver's rx_queue_N_xdp_drop" "$(wdelta xdp_drop)" \
	"$(qsum "$J" 'q["xdp"]["drop"]')"
t_eq "the 256 flows (and any stray frame) dropped, none handed to the stack" "True 0" \
	"$(jq_ "$J" '"%s %d" % (sum(q["xdp"]["drop"] for r in L for q in r["queues"]) >= 256, sum(q["rx_packets"] for r in L for q in r["queues"]))')"
tool_start "$OUT/xdp.txt" -x -d "$VF0" 1
t_eq "text report with the XDP program" 0 "$?"
send 1 $PORTS
t_ok "a queue whose frames XDP drops is not shown idle (text)" \
	wait_for 60 grep -qE 'xdp/s: pass 0 drop [1-9]' "$OUT/xdp.txt"
kill -INT "$TOOL_PID"; wait "$TOOL_PID"
xdp_detach b "$VF0"

# ---- an ethtool -X during the run is followed ------------------------------
tool_start "$OUT/follow.json" -j -d "$VF0" 1
t_eq "vfmprss -j 1 (every second) attaches" 0 "$?"
t_ok "a first report" wait_for 30 test -s "$OUT/follow.json"
t_ok "ethtool -X VF0 equal 2" nx b ethtool -X "$VF0" equal 2
n0=$(wc -l < "$OUT/follow.json")
t_ok "a report after the change" wait_for 30 lines_gt "$OUT/follow.json" $((n0 + 1))
send 2 $PORTS
settle
n0=$(wc -l < "$OUT/follow.json")
t_ok "and one after the flows" wait_for 30 lines_gt "$OUT/follow.json" "$n0"
kill -INT "$TOOL_PID"; wait "$TOOL_PID"
J=$OUT/follow.json
t_eq "the change is reported once, with 64 entries each on queues 0 and 1" "1 [64, 64, 0, 0]" \
	"$(jq_ "$J" '"%d %s" % (sum(r["table"]["changed"] for r in L), [r for r in L if r["table"]["changed"]][0]["table"]["entries_per_queue"])')"
t_eq "after it, the 512 frames land on queues 0 and 1 only, all on the table" "512 0 1.0" \
	"$(jq_ "$J" '"%d %d %s" % (sum(q["rx_packets"] for r in L for q in r["queues"][:2]), sum(q["rx_packets"] for r in L for q in r["queues"][2:]), min(r["queue_match"] for r in L if r["queue_match"] is not None))')"
nx b ethtool -X "$VF0" default

# ---- the rebalance suggestion -------------------------------------------------
# Flows chosen with the device's own key and table so that 3/4 of them land
# on queue 0 (Toeplitz over 192.0.2.1:5000 -> 192.0.2.2:PORT).
KEY=$(nx b ethtool -x "$VF0" | sed -n '/RSS hash key/{n;p}')
TBL=$(nx b ethtool -x "$VF0" | awk '/^ *[0-9]+:/ {for (i = 2; i <= NF; i++) printf "%s ", $i}')
SKEW=$(python3 - "$KEY" "$TBL" <<'PY'
import socket, struct, sys
key = bytes(int(x, 16) for x in sys.argv[1].split(":"))
tbl = [int(x) for x in sys.argv[2].split()]
def toeplitz(data):
    k = int.from_bytes(key, "big"); kbits = len(key) * 8; h = 0
    for i, byte in enumerate(data):
        for b in range(8):
            if byte & (0x80 >> b):
                h ^= (k >> (kbits - 32 - (i * 8 + b))) & 0xffffffff
    return h
src, dst = socket.inet_aton("192.0.2.1"), socket.inet_aton("192.0.2.2")
q0, rest = [], []
for p in range(3000, 9000):
    q = tbl[toeplitz(src + dst + struct.pack("!HH", 5000, p)) % len(tbl)]
    (q0 if q == 0 else rest).append(p)
print(" ".join(map(str, q0[:24] + rest[:8])))
PY
)
t_eq "32 skewed flows chosen" 32 "$(wc -w <<<"$SKEW")"
mm() { python3 -c 'import sys; v = [int(x) for x in sys.argv[1:]]; print("%.4f" % (max(v) * len(v) / sum(v)))' "$@"; }
window "$OUT/skew.json" 4 $SKEW
t_eq "vfmprss ran while they arrived" 0 "$?"
J=$OUT/skew.json
read -ra D <<<"$(wdelta packets)"
before=$(mm "${D[@]}")
diag "skewed: per queue $(wdelta packets), max/mean $before; $(jq_ "$J" 'L[-1]["suggest"]')"
t_ok "the flows are skewed (driver: max/mean $before >= 2)" python3 -c "assert $before >= 2"
t_ok "the flows landed where the Toeplitz of the device's key says (queue 0: 96 frames)" \
	test "$(cut -d' ' -f1 <<<"$(wdelta packets)")" -eq 96
t_ok "the tool's model of the load today is the driver's ($before)" \
	jtrue "$J" 'abs(L[-1]["suggest"]["current_max_mean"] - '"$before"') < 0.01'
t_ok "a suggestion that predicts a lower max/mean" \
	jtrue "$J" 'L[-1]["suggest"]["predicted_max_mean"] < L[-1]["suggest"]["current_max_mean"]'
CMD=$(jq_ "$J" 'L[-1]["suggest"]["command"]')
PRED=$(jq_ "$J" 'L[-1]["suggest"]["predicted_max_mean"]')
t_match "it is an ethtool -X ... weight command for VF0" "^ethtool -X $VF0 weight( [0-9]+){4}\$" "$CMD"
t_ok "applying it works: $CMD" nx b $CMD
t_eq "the device's table is the one the tool predicted" \
	"$(jq_ "$J" '" ".join(map(str, L[-1]["suggest"]["table"]))')" \
	"$(nx b ethtool -x "$VF0" | awk '/^ *[0-9]+:/ {for (i = 2; i <= NF; i++) printf "%s ", $i}' | sed 's/ $//')"
window "$OUT/even.json" 4 $SKEW
t_eq "vfmprss ran again with the same flows" 0 "$?"
read -ra D <<<"$(wdelta packets)"
after=$(mm "${D[@]}")
diag "after $CMD: per queue (driver) $(wdelta packets), max/mean $after, predicted $PRED, before $before"
t_ok "measured max/mean ($after) is the predicted ($PRED), within 0.05" \
	python3 -c "assert abs($after - $PRED) <= 0.05"
t_ok "and lower than before ($before)" python3 -c "assert $after < $before"
t_ok "and no further suggestion once even" jtrue "$OUT/even.json" 'L[-1]["suggest"] is None'
nx b ethtool -X "$VF0" default

# ---- text: 80 columns, and the suggestion in words ---------------------------
tool_start "$OUT/skew.txt" -T --svg "$OUT/rss.svg" -d "$VF0" 1
t_eq "text report" 0 "$?"
send 4 $SKEW
settle
hdrs_gt() { [[ $(grep -c ' tx queues, ' "$OUT/skew.txt") -gt $1 ]]; }
t_ok "a report after the flows" wait_for 30 hdrs_gt "$(grep -c ' tx queues, ' "$OUT/skew.txt")"
t_ok "it prints a suggestion" grep -q "suggest: ethtool -X $VF0 weight" "$OUT/skew.txt"
kill -INT "$TOOL_PID"; wait "$TOOL_PID"
diag "$(grep -B12 -A3 -m1 'suggest:' "$OUT/skew.txt")"
t_match "header line names device, driver and queues" "[0-9:]{8} $VF0 \(vfmp sim0-vf0\) 4 rx / 4 tx queues" "$(cat "$OUT/skew.txt")"
t_eq "no line wider than 80 columns" 0 "$(awk 'length > 80' "$OUT/skew.txt" | wc -l)"
svg_count() { python3 -c '
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
ns = "{http://www.w3.org/2000/svg}"
rects = [e for e in r.iter(ns + "rect") if e.find(ns + "title") is not None]
print(len(rects) - 128, sum(int(e.find(ns + "title").text) for e in rects[:-128]), sum(int(e.find(ns + "title").text) for e in rects[-128:]))' "$1"; }
read -r cells qload bload <<<"$(svg_count "$OUT/rss.svg" 2>&1)"
t_ok "--svg: a well-formed SVG, queue cells a multiple of 4 ($cells)" test "$((cells % 4))" -eq 0 -a "$cells" -gt 0
t_eq "its queue cells and its 128 bucket cells each hold the 128 frames sent" "128 128" "$qload $bload"

# ---- Prometheus ----------------------------------------------------------------
tool_start "$OUT/prom.txt" -p 9436 -d "$VF0" 1
t_eq "vfmprss -p 9436 attaches" 0 "$?"
send 1 $PORTS
settle
fetch() { nx b python3 -c 'import sys, urllib.request; sys.stdout.write(urllib.request.urlopen("http://127.0.0.1:9436" + sys.argv[1], timeout=20).read().decode())' "$1"; }
t_ok "GET /metrics" eval 'fetch /metrics > "$OUT/metrics.txt"'
t_ok "promtool check metrics passes" sh -c "$PROMTOOL check metrics < $OUT/metrics.txt"
t_eq "rx_packets_total over the queues is the 256 flows" 256 \
	"$(awk -v d="$VF0" '$1 ~ "^vfmprss_rx_packets_total[{]dev=\"" d "\"" {s += $2} END {print s + 0}' "$OUT/metrics.txt")"
t_match "per-queue series with dev, driver, queue labels" "vfmprss_rx_packets_total\{dev=\"$VF0\",driver=\"vfmp\",queue=\"3\"\} [0-9]+" "$(cat "$OUT/metrics.txt")"
t_fail "another path is a 404" fetch /other
t_match "only on loopback by default" '127\.0\.0\.1:9436 ' "$(nx b ss -ltn)"
kill -INT "$TOOL_PID"; wait "$TOOL_PID"
t_eq "exits 0 on SIGINT" 0 "$?"

# ---- devices and bad input -----------------------------------------------------
t_eq "no -d: every netdev with RX queues but lo (ns b)" "$VF0" \
	"$(nx b $T/vfmprss -j 1 1 2>/dev/null | python3 -c 'import json, sys; print(" ".join(json.loads(l)["dev"] for l in sys.stdin))')"
t_fail "an unknown device is refused" nx b $T/vfmprss -d nosuchdev 1 1
t_match "with a clear message" "no device nosuchdev" "$(nx b $T/vfmprss -d nosuchdev 1 1 2>&1)"
t_fail "interval 0 is refused" nx b $T/vfmprss 0 1
t_fail "count 0 is refused" nx b $T/vfmprss 1 0
t_fail "a bad port is refused" nx b $T/vfmprss -p 70000 1 1
t_match "usage with examples" "EXAMPLES" "$($T/vfmprss --help 2>&1)"
t_eq "no module is held: vfmp's refcount is the same with the tool running" \
	"$(cat /sys/module/vfmp/refcnt)" \
	"$(tool_start "$OUT/ref.txt" -d "$VF0" 1 && cat /sys/module/vfmp/refcnt; kill -INT "$TOOL_PID"; wait "$TOOL_PID")"

xdp_env_down
done_testing
