#!/bin/bash
# vm-opts: -t 1500
# 2b-drv-hostile-vf.sh - a hostile VF against the real PF driver.  The sim's
# debugfs vf_inject queues any bytes to the PF as if VF2 had sent them
# (build/tests/mbxstorm writes them); VF2 has no driver, so it never reads
# a reply.  The PF must refuse what VF2 may not do, answer the other VFs
# within a bound while VF2 floods, never stall `ip link set PF vf N`
# (RTNL), and live through a million fuzzed messages while VF0 and VF1
# keep passing traffic and configuration.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"
# shellcheck source=tests/vm/dplib.sh
source "$(dirname "$0")/../dplib.sh"

STORM=build/tests/mbxstorm
CORPUS=tests/unit/build/corpus
INJ=$SIMDBG/sim0/vf_inject
FUZZ_N=${VFMP_FUZZ_N:-1000000}
FUZZ_SEED=${VFMP_FUZZ_SEED:-$(date +%s)}

pfstat() { grep "^vf$1 " "$(dev_path sim0-pf)/vfmp/mbx_stats"; }
field() { sed -n "s/\(^\|.* \)$1=\([^ ]*\).*/\2/p" <<<"$2"; }
chan() { grep "^vf$1 $2 " "$SIMDBG/sim0/mbx_stats"; }	# VF to_pf|to_vf
vfcfg() { nx a ip link show "$PF" | grep -E "^ +vf $1 "; }

# inject OPCODE SEQ PAYLOAD_HEX: one request from VF2, its header built
# here; one write() of one vf_inject record (printf's stdio buffer is 4 KiB)
le16() { printf '\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8)); }
inject() {
	local n=$((16 + ${#3} / 2))
	# shellcheck disable=SC2059,SC2001 # the format is built from escapes
	printf "\\x02\\x00$(le16 $n)$(le16 "$1")$(le16 $n)\\x00\\x00\\x00\\x00$(le16 "$2")\\x00\\x00\\x00\\x00\\x00\\x00$(sed 's/../\\x&/g' <<<"$3")" > "$INJ"
}

# Latencies measured in the kernel, not by timing processes (a flood
# saturates the guest's CPUs, and process start-up would dominate): the
# function_graph tracer times each VF request (vfmp_vf_request: send,
# wait for the PF, check the reply) and each `ip link set PF vf N` handler
# (called under RTNL).
TR=/sys/kernel/tracing
[[ -d $TR/events ]] || mount -t tracefs tracefs $TR
LAT_FUNCS="vfmp_vf_request vfmp_set_vf_mac vfmp_set_vf_vlan"
lat_start() {
	echo 0 > $TR/tracing_on; echo nop > $TR/current_tracer; : > $TR/trace
	echo 1 > $TR/max_graph_depth
	# a call that sleeps and wakes on another CPU prints as "f() {" and a
	# closing "}" that carries the duration: name the function there too
	echo 1 > $TR/options/funcgraph-tail
	: > $TR/set_graph_function
	for f in $LAT_FUNCS; do echo "$f" >> $TR/set_graph_function; done
	echo function_graph > $TR/current_tracer; echo 1 > $TR/tracing_on
}
lat_stop() {
	echo 0 > $TR/tracing_on
	cat $TR/trace > /tmp/lat.trace
	echo nop > $TR/current_tracer
	echo 0 > $TR/options/funcgraph-tail
}
# lat FUNC...: "n=N p50=MS p99=MS max=MS" over the traced calls of FUNCs
lat() {
	python3 - /tmp/lat.trace "$@" <<'PY'
import re, sys
want = set(sys.argv[2:])
lat = sorted(float(m.group(1)) / 1000 for m in
             (re.search(r"([0-9.]+) us +\|\s+(?:\} /\* )?(\w+)(?: \[\w+\])?(?:\(\);| \*/)", l) for l in open(sys.argv[1]))
             if m and m.group(2) in want)
pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] if lat else -1
print("n=%d p50=%.1f p99=%.1f max=%.1f" % (len(lat), pct(0.5), pct(0.99), lat[-1] if lat else -1))
PY
}
# N x `ethtool -X VF0` (a CONFIG_RSS request): prints how many failed
victim_reqs() {
	nx b sh -c "f=0; for i in \$(seq $1); do ethtool -X $VF0 equal \$((1 + i % 2)) || f=\$((f + 1)); done; echo \$f" 2>/dev/null
}
msval() { local v; v=$(field "$1" "$2"); echo "${v%.*}"; }

dp_setup "0 4 2" 3 || bail_out "datapath setup failed"
pass "PF in a, VF0 in b, VF1 in c, VF2 exists"
t_eq "VF2 unbound: nobody reads its mailbox" OK "$(drv_unbind sim0-vf2)"
t_ok "baseline: VF0 reaches the PF" ping_ok b 192.0.2.1
t_ok "mbxstorm is built" test -x "$STORM"

# ---- the injection path itself ------------------------------------------
t_errno "vf_inject: a record for a VF that does not exist" ENODEV \
	bash -c "printf '\\003\\000\\001\\000x' > $INJ"
t_errno "vf_inject: a zero-length record" EINVAL \
	bash -c "printf '\\002\\000\\000\\000' > $INJ"
# VF2's driver talked to the PF before it was unbound: count from here
R0=$(field requests "$(pfstat 2)") J0=$(field rejects "$(pfstat 2)")
req_n() { echo $(( $(field requests "$(pfstat 2)") - R0 )); }
# after the Nth injected request: "REJECTS LAST_REJECT"
after() {
	wait_eq 10 "$1" req_n
	echo "$(( $(field rejects "$(pfstat 2)") - J0 )) $(field last_reject "$(pfstat 2)")"
}
t_ok "inject VERSION from VF2" inject 1 1 0100000000000000
t_eq "the PF answered it as VF2's request" "0 -/-" "$(after 1)"
t_match "VF2 negotiated (version_done=1)" 'version_done=1' "$(pfstat 2)"
t_match "the sim counts it as injected" 'injected=1$' "$(chan 2 to_pf)"

# ---- isolation: what VF2 may not do ----------------------------------
PFMAC=$(nx a cat /sys/class/net/"$PF"/address)
VF0MAC=$(nx b cat /sys/class/net/"$VF0"/address)
hexmac() { tr -d : <<<"$1"; }
t_ok "inject SET_MAC = the PF's MAC" inject 6 2 "$(hexmac "$PFMAC")0000"
t_eq "refused (ERR_PERM)" "1 set_mac/err_perm" "$(after 2)"
t_ok "inject SET_MAC = VF0's MAC" inject 6 3 "$(hexmac "$VF0MAC")0000"
t_eq "refused (ERR_PERM)" "2 set_mac/err_perm" "$(after 3)"
vf2mac=$(vfcfg 2 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
t_eq "VF2's port MAC is still its own" 1 "$([[ -n $vf2mac && $vf2mac != "$PFMAC" && $vf2mac != "$VF0MAC" ]] && echo 1)"
t_ok "VF0 still reaches the PF" ping_ok b 192.0.2.1
t_ok "inject GET_RESOURCES for 200 queue pairs" inject 2 4 c800000000000000
t_eq "refused: more than the hardware has (ERR_RANGE)" "3 get_resources/err_range" "$(after 4)"
t_ok "inject GET_RESOURCES for 1 queue pair" inject 2 5 0100000000000000
t_eq "answered" "3 get_resources/err_range" "$(after 5)"
t_match "VF2 was granted 1 queue pair" 'qps=1 ' "$(pfstat 2)"
# CONFIG_RSS for 2 queues (the hardware's count) with 1 granted
rss=0200280080000000$(printf '3f000000')$(printf '%0336d' 0)
t_ok "inject CONFIG_RSS for 2 queues" inject 4 6 "$rss"
t_eq "refused: more than VF2 was granted (ERR_RANGE)" "4 config_rss/err_range" "$(after 6)"

# ---- admin policy: trust, and revoking it ----------------------------
t_ok "admin sets VF2's MAC" nx a ip link set "$PF" vf 2 mac 02:00:00:00:0c:02
t_ok "inject SET_MAC from untrusted VF2" inject 6 7 020000000c990000
t_eq "refused: the admin chose its MAC (ERR_PERM)" "5 set_mac/err_perm" "$(after 7)"
t_ok "trust VF2" nx a ip link set "$PF" vf 2 trust on
t_ok "inject the same SET_MAC from trusted VF2" inject 6 8 020000000c990000
t_eq "answered" "5 set_mac/err_perm" "$(after 8)"
t_match "a trusted VF may replace the admin MAC" 'link/ether 02:00:00:00:0c:99' "$(vfcfg 2)"
t_ok "revoke trust" nx a ip link set "$PF" vf 2 trust off
t_match "revoking trust puts the admin MAC back" 'link/ether 02:00:00:00:0c:02' "$(vfcfg 2)"
# the admin's address stays VF2's while trusted VF2 uses another, so the
# next revoke cannot put two ports on one address
t_ok "trust VF2 again" nx a ip link set "$PF" vf 2 trust on
t_ok "inject SET_MAC 02:00:00:00:0c:98 from trusted VF2" inject 6 9 020000000c980000
t_eq "answered" "5 set_mac/err_perm" "$(after 9)"
vf1mac=$(nx c cat /sys/class/net/"$VF1"/address)
t_fail "VF1 may not take VF2's admin MAC (ip link set VF1 address)" nx c ip link set "$VF1" address 02:00:00:00:0c:02
t_eq "VF1 kept its MAC" "$vf1mac" "$(nx c cat /sys/class/net/"$VF1"/address)"
t_fail "the admin may not give VF1 VF2's admin MAC" nx a ip link set "$PF" vf 1 mac 02:00:00:00:0c:02
t_fail "nor VF0's MAC" nx a ip link set "$PF" vf 1 mac "$VF0MAC"
t_fail "nor the PF's" nx a ip link set "$PF" vf 1 mac "$PFMAC"
t_match "with a clear message" "VF 1: $VF0MAC is in use by .*VF 0" "$(dmesg | tail -n 5)"
t_ok "revoke trust again" nx a ip link set "$PF" vf 2 trust off
t_match "VF2 is back on the admin MAC" 'link/ether 02:00:00:00:0c:02' "$(vfcfg 2)"
t_match "and VF1 on its own" "link/ether $vf1mac" "$(vfcfg 1)"

# ---- fairness: VF2 floods and never reads its replies ------------------
lat_start
t_eq "baseline: every VF0 request answered" 0 "$(victim_reqs 20)"
lat_stop
base=$(lat vfmp_vf_request)
diag "victim VF0 request latency, idle PF: $base"
# niced: a real hostile VF runs in another guest, not on this guest's CPUs
# (the PF's own work for it still competes, as it would on a host)
nice -n 19 "$STORM" -m flood -n 100000000 "$INJ" 2 > /tmp/flood.out 2>&1 &
FLOOD=$!
wait_for 20 sh -c "[ \$(grep '^vf2 to_vf ' $SIMDBG/sim0/mbx_stats | sed 's/.* busy=\([0-9]*\).*/\1/') -gt 100 ]"
t_match "VF2's reply queue is full, the PF drops its replies (busy)" 'queued=16 .* busy=[1-9][0-9]{2,}' "$(chan 2 to_vf)"
lat_start
t_eq "under the flood: every VF0 request answered" 0 "$(victim_reqs 30)"
t_ok "ip link set PF vf 2 mac (RTNL) during the flood" nx a ip link set "$PF" vf 2 mac 02:00:00:00:0b:02
t_ok "ip link set PF vf 0 vlan 0 (RTNL) during the flood" nx a ip link set "$PF" vf 0 vlan 0
for i in 1 2 3; do nx a ip link set "$PF" vf 2 vlan $i; done
nx a ip link set "$PF" vf 2 vlan 0
lat_stop
under=$(lat vfmp_vf_request)
rtnl=$(lat vfmp_set_vf_mac vfmp_set_vf_vlan)
diag "victim VF0 request latency, VF2 flooding: $under"
diag "ip link set PF vf N (under RTNL), VF2 flooding: $rtnl"
p99b=$(field p99 "$base") p99f=$(field p99 "$under")
diag "victim p99 flood/idle: $(python3 -c "print(round($p99f / max($p99b, 0.001), 2))")"
t_eq "30 victim requests traced" 30 "$(field n "$under")"
# the bound: a tenth of the VF's 2 s request timeout (TCG is slow and noisy;
# before the fix every one of these requests timed out)
t_eq "under the flood: VF0's p99 request latency under 200 ms ($p99f ms)" 1 "$(( $(msval p99 "$under") < 200 ))"
t_eq "6 RTNL handlers traced" 6 "$(field n "$rtnl")"
t_eq "under the flood: no RTNL handler over 200 ms (max $(field max "$rtnl") ms)" 1 "$(( $(msval max "$rtnl") < 200 ))"
t_match "VF2's port took the admin MAC" 'link/ether 02:00:00:00:0b:02' "$(vfcfg 2)"
t_ok "VF0 still reaches the PF during the flood" ping_ok b 192.0.2.1
r_a=$(field requests "$(pfstat 2)")
sleep 1
r_b=$(field requests "$(pfstat 2)")
diag "PF serves VF2's flood at $(( r_b - r_a )) requests/s"
t_eq "the PF keeps serving the flood (it is not wedged)" 1 "$(( r_b > r_a ))"
kill "$FLOOD"; wait "$FLOOD" 2>/dev/null
t_match "VF2's lost replies are counted on the PF" 'lost=[1-9]' "$(pfstat 2)"
t_eq "admin MAC back to generated" OK "$(nx a ip link set "$PF" vf 2 mac 00:00:00:00:00:00 && echo OK)"

# ---- fuzz: a million mutated messages, while VF0 and VF1 carry on --------
corp=()
[[ -d $CORPUS ]] && corp=(-c "$CORPUS")
# not through a shell function: a background subshell ignores SIGINT
ip netns exec b ping -i 0.2 192.0.2.1 > /tmp/fuzzping.out 2>&1 &
PING=$!
ip netns exec c sh -c "while :; do ethtool -X $VF1 equal 2 && echo ok || echo fail; sleep 0.5; done" > /tmp/fuzzcfg.out 2>&1 &
CFG=$!
q0=$(field requests "$(pfstat 2)")
diag "fuzz seed $FUZZ_SEED (VFMP_FUZZ_SEED=$FUZZ_SEED reproduces it), ${#corp[@]} corpus args"
out=$("$STORM" -m fuzz -n "$FUZZ_N" -s "$FUZZ_SEED" "${corp[@]}" "$INJ" 2 2>&1)
rc=$?
diag "$out"
t_eq "mbxstorm queued all $FUZZ_N messages" 0 "$rc"
wait_for 60 sh -c "grep -q '^vf2 to_pf .* queued=0 ' $SIMDBG/sim0/mbx_stats"
kill -INT "$PING"; wait "$PING" 2>/dev/null
kill "$CFG"; wait "$CFG" 2>/dev/null
q1=$(field requests "$(pfstat 2)")
t_eq "the PF handled every fuzzed message ($(( q1 - q0 )))" "$FUZZ_N" "$(( q1 - q0 ))"
diag "$(tail -n 2 /tmp/fuzzping.out | head -n 1)"
t_match "VF0 pinged the PF throughout: no loss" ' 0% packet loss' "$(cat /tmp/fuzzping.out)"
ok=$(grep -c '^ok' /tmp/fuzzcfg.out) bad=$(grep -c '^fail' /tmp/fuzzcfg.out)
t_eq "VF1's ethtool -X all answered during the fuzz ($ok ok)" "1 0" "$(( ok > 0 )) $bad"
t_ok "after: VF0 reaches the PF" ping_ok b 192.0.2.1
t_ok "after: VF1 reaches the PF" ping_ok c 192.0.2.1

# ---- the slot is usable again: a real driver on VF2 ----------------------
t_eq "bind vfmp to VF2" OK "$(drv_bind sim0-vf2)"
nd2=$(wait_netdev sim0-vf2)
t_match "VF2 comes up with a netdev" '^[a-z]' "$nd2"
t_match "its VERSION and GET_RESOURCES were answered" 'version_done=1 qps=2 ' "$(pfstat 2)"
t_eq "VF2 got its generated MAC" "02:56:46:03:00:00" "$(cat /sys/class/net/"$nd2"/address 2>/dev/null)"

# ---- a generated MAC that another port took meanwhile -------------------
# VF2 (trusted) moves off its generated address, VF1 (trusted) takes it;
# when VF2 comes back it must get another one, or two ports share it.
G2=02:56:46:03:00:00
t_ok "trust VF2 and VF1" sh -c "ip netns exec a ip link set $PF vf 2 trust on && ip netns exec a ip link set $PF vf 1 trust on"
t_ok "VF2 moves to 02:00:00:00:0e:02" ip link set "$nd2" address 02:00:00:00:0e:02
t_ok "VF1 takes VF2's generated MAC" ip netns exec c ip link set "$VF1" address $G2
t_match "VF1's port has it" "link/ether $G2" "$(vfcfg 1)"
dmesg_mark
t_eq "unbind VF2" OK "$(drv_unbind sim0-vf2)"
t_eq "rebind VF2" OK "$(drv_bind sim0-vf2)"
nd2=$(wait_netdev sim0-vf2)
a2=$(cat /sys/class/net/"$nd2"/address 2>/dev/null)
t_match "VF2 came back with a unicast address" '^[0-9a-f][26ae]:' "$a2"
t_fail "not the one VF1 uses now ($a2)" test "$a2" = $G2
t_match "the PF says why" "VF 2: its derived MAC is in use by VF 1" "$(dmesg_since_mark vfmp)"
t_ok "admin: vf 2 mac 00:00:00:00:00:00 (a generated one again)" nx a ip link set "$PF" vf 2 mac 00:00:00:00:00:00
t_fail "still not VF1's" sh -c "ip netns exec a ip link show $PF | grep -E '^ +vf 2 ' | grep -q 'link/ether $G2'"
t_errno "ip link set PF address = VF1's: EADDRINUSE" EADDRINUSE nx a ip link set "$PF" address $G2
t_match "with a message" "$G2 is in use by .* VF 1" "$(dmesg_since_mark vfmp)"
t_ok "revoke both trusts" sh -c "ip netns exec a ip link set $PF vf 2 trust off && ip netns exec a ip link set $PF vf 1 trust off"
# ---- SR-IOV disable while a VF floods SET_MAC ------------------------------
# The PF's SET_MAC handler asks the device how many VFs exist while the
# VF's removal waits for that very handler to finish: it must not need the
# lock the removal holds.
injected() { sed -n 's/^vf2 to_pf .* injected=\([0-9]*\).*/\1/p' $SIMDBG/sim0/mbx_stats; }
i0=$(injected)
nice -n 19 "$STORM" -m flood -o 6 -n 100000000 "$INJ" 2 > /tmp/setmac.out 2>&1 &
FLOOD=$!
t_ok "VF2 floods SET_MAC" wait_for 30 sh -c "[ \$(sed -n 's/^vf2 to_pf .* injected=\([0-9]*\).*/\1/p' $SIMDBG/sim0/mbx_stats) -gt $((i0 + 2000)) ]"
t0=$(now_ms)
t_eq "sriov_numvfs 0 while VF2 floods SET_MAC" OK \
	"$(timeout 120 bash -c "printf 0 > $(dev_path sim0-pf)/sriov_numvfs" 2>&1 && echo OK)"
diag "disable took $(( $(now_ms) - t0 )) ms"
t_ok "the flood ended with its VF" wait_for 30 sh -c "! kill -0 $FLOOD 2>/dev/null"
kill "$FLOOD" 2>/dev/null; wait "$FLOOD" 2>/dev/null
t_eq "no VF left" "" "$(sim_vfs 0)"
dp_teardown
t_eq "adapter deleted" OK "$(write_sysfs $SIMBUS/del_device 0)"
t_eq "every sim allocation freed" 0 "$(allocs)"
done_testing
