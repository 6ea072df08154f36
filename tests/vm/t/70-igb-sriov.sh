#!/bin/bash
# vm-opts: --igb 2 -t 600
# 70-igb-sriov.sh - the harness's real SR-IOV NIC: two QEMU-emulated Intel
# 82576 adapters (run-vm.sh --igb 2) driven by the in-tree igb (PF) and
# igbvf (VF) drivers.  Proves what the VF-init tools are tested on for a
# driver other than vfmp: VFs created through sriov_numvfs, bound by igbvf,
# with netdevs, torn down again, the two PFs passing traffic over the hub,
# and bad input refused with the kernel's errno.  vfmpinit runs from before
# igb is loaded to after it is unloaded, and each step is checked against
# its records: SR-IOV enable, VF creation, VFs left unbound (and why), one
# probe record per VF bind with its netdev, unbind, a refused probe.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/dplib.sh
source "$(dirname "$0")/../dplib.sh"

PCI=/sys/bus/pci/devices
PF=$PCI/0000:00:08.0
PF2=$PCI/0000:00:0c.0

id_of() { echo "$(cat "$1/vendor"):$(cat "$1/device")"; }
drv_of() { basename "$(readlink "$1/driver" 2>/dev/null)" 2>/dev/null; }
vfs_of() { # PF -> its VFs' BDFs, in order
	local i
	for ((i = 0; ; i++)); do
		[[ -e $1/virtfn$i ]] || break
		basename "$(readlink "$1/virtfn$i")"
	done | xargs
}
netdev_of() { ls "$1/net" 2>/dev/null | head -n 1; }
has_netdev() { [[ -n $(netdev_of "$1") ]]; }
pf_drivers() { echo "$(drv_of $PF)$(drv_of $PF2)"; }

# ---- the init tracer, started before any driver -----------------------------
OUT=$VFMP_VM_ARTIFACTS
J=$OUT/vfmpinit.json
build/tools/vfmpinit -x -j -u 2 > "$J" 2> "$OUT/vfmpinit.err" &
TRACER=$!
build/tools/vfmpinit -u 2 > "$OUT/vfmpinit.txt" 2>&1 &
TRACER_TXT=$!
# q PYEXPR: evaluate over L, the tracer's JSON records so far
q() { json_q "$J" "$1"; }	# PYEXPR over L, the JSON records so far
t_ok "vfmpinit -j is ready" wait_eq 20 1 q 'sum(r["event"] == "start" for r in L)'
t_ok "vfmpinit (text) is ready" wait_for 20 grep -q watching "$OUT/vfmpinit.txt"
diag "vfmpinit start-up: $(q '[r["startup_ms"] for r in L if r["event"] == "start"][0]') ms"

t_eq "first PF is an 82576 (8086:10c9)" "0x8086:0x10c9" "$(id_of $PF)"
t_eq "second PF too" "0x8086:0x10c9" "$(id_of $PF2)"
dmesg_mark
t_ok "modprobe igb" modprobe igb
t_ok "igb binds both PFs" wait_eq 30 igbigb pf_drivers
t_eq "sriov_totalvfs is 7" 7 "$(cat $PF/sriov_totalvfs)"
t_eq "no VFs yet" 0 "$(cat $PF/sriov_numvfs)"

# ---- bad input: the kernel's own checks ----------------------------------
t_errno "sriov_numvfs 8 (> totalvfs) refused" ERANGE write_sysfs $PF/sriov_numvfs 8
t_errno "sriov_numvfs junk refused" EINVAL write_sysfs $PF/sriov_numvfs 3x
t_eq "still no VFs" 0 "$(cat $PF/sriov_numvfs)"

# ---- VF creation: with no igbvf loaded, the VFs stay unbound ---------------
t_ok "echo 3 > sriov_numvfs" write_sysfs $PF/sriov_numvfs 3
t_eq "three VFs at slot 0x18, stride 2" "0000:00:18.0 0000:00:18.2 0000:00:18.4" "$(vfs_of $PF)"
ok=1
for vf in $(vfs_of $PF); do
	[[ $(id_of $PCI/$vf) == 0x8086:0x10ca ]] || ok=0
	[[ $(readlink -f $PCI/$vf/physfn) == "$(readlink -f $PF)" ]] || ok=0
	[[ -z $(drv_of $PCI/$vf) ]] || ok=0
done
t_ok "each is an 82576 VF (8086:10ca) whose physfn is the PF, unbound" test $ok = 1
t_errno "sriov_numvfs 2 while 3 are enabled refused (N->M)" EBUSY write_sysfs $PF/sriov_numvfs 2
t_eq "tracer: igb's two PF probes" "0000:00:08.0:igb:ok:False 0000:00:0c.0:igb:ok:False" \
	"$(q '" ".join("%s:%s:%s:%s" % (r["dev"], r["driver"], r["result"], r["virtfn"]) for r in L if r["event"] == "probe")')"
t_eq "tracer: one SR-IOV enable on the PF, 3 VFs, ok" "0000:00:08.0 igb 3 ok" \
	"$(q '" ".join("%s %s %d %s" % (r["dev"], r["driver"], r["num_vfs"], r["result"]) for r in L if r["event"] == "sriov")')"
t_eq "tracer: three VFs added, 8086:10ca, with their PF" \
	"0000:00:18.0/0000:00:08.0/8086:10ca 0000:00:18.2/0000:00:08.0/8086:10ca 0000:00:18.4/0000:00:08.0/8086:10ca" \
	"$(q '" ".join("%s/%s/%s:%s" % (r["dev"], r["pf"], r["vendor"], r["device"]) for r in L if r["event"] == "vf_add" and r["virtfn"])')"
unbound() { q 'sum(r["event"] == "unbound" for r in L)'; }
t_ok "tracer: the three VFs are reported unbound" wait_eq 20 3 unbound
t_eq "tracer: ... because igbvf is not loaded" 3 \
	"$(q 'sum(r["event"] == "unbound" and "igbvf matches but is not loaded" in r["reason"] for r in L)')"

# ---- igbvf binds them ------------------------------------------------------
t0=$(date +%s%N)
t_ok "modprobe igbvf" modprobe igbvf
bound() { local vf; for vf in $(vfs_of $PF); do [[ $(drv_of $PCI/$vf) == igbvf ]] || return 1; done; }
t_ok "igbvf binds all three VFs" wait_for 60 bound
diag "modprobe igbvf to three bound VFs: $((($(date +%s%N) - t0) / 1000000)) ms"
havenet() { local vf; for vf in $(vfs_of $PF); do [[ -n $(netdev_of $PCI/$vf) ]] || return 1; done; }
t_ok "each VF registered a netdev" wait_for 30 havenet
t_eq "ip link show PF lists three VFs" 3 "$(ip -d link show "$(netdev_of $PF)" | grep -c '^ *vf [0-9]')"
want=""
for vf in $(vfs_of $PF); do want+="$vf:igbvf:ok:True:0000:00:08.0:$(netdev_of $PCI/$vf) "; done
vfprobes() { q '" ".join("%s:%s:%s:%s:%s:%s" % (r["dev"], r["driver"], r["result"], r["virtfn"], r["pf"], r["netdev"]) for r in L if r["event"] == "probe" and r["virtfn"]) + " "'; }
t_ok "tracer: one probe record per VF, with driver, PF and the netdev sysfs shows" wait_eq 10 "$want" vfprobes
t_ok "tracer -x: igbvf's RESET request to its PF, decoded" \
	wait_eq 10 True q 'any(r["event"] == "mbx" and r["module"] == "igbvf" and r["message"] == "VF->PF RESET" for r in L)'
t_ok "tracer -x: igb's control message to VF 0, decoded" \
	wait_eq 10 True q 'any(r["event"] == "mbx" and r["module"] == "igb" and r["message"].startswith("PF->VF PF_CONTROL") and r["vf"] == 0 for r in L)'
diag "mailbox: $(q '"; ".join("%s %s" % (r["module"], r["message"]) for r in L if r["event"] == "mbx")')"
diag "igbvf probe durations (ms): $(q '" ".join("%.0f" % (r["duration_us"] / 1e3) for r in L if r["event"] == "probe" and r["virtfn"])')"
t_ok "tracer: each probe took time (0.1 ms .. 60 s)" test "$(q 'all(100 < r["duration_us"] < 6e7 for r in L if r["event"] == "probe")')" = True

# ---- unbind / bind one VF --------------------------------------------------
VF=$(vfs_of $PF | cut -d' ' -f2)
t_ok "unbind $VF" write_sysfs $PCI/$VF/driver/unbind "$VF"
t_eq "it has no driver and no netdev" ":" "$(drv_of $PCI/$VF):$(netdev_of $PCI/$VF)"
t_ok "bind it again" write_sysfs /sys/bus/pci/drivers/igbvf/bind "$VF"
t_ok "its netdev is back" wait_for 30 has_netdev $PCI/$VF
t_eq "tracer: the unbind" "$VF:igbvf" "$(q '" ".join("%s:%s" % (r["dev"], r["driver"]) for r in L if r["event"] == "unbind")')"
t_ok "tracer: a second probe record for the rebound VF" wait_eq 10 2 q "sum(r['event'] == 'probe' and r['dev'] == '$VF' and r['result'] == 'ok' for r in L)"

# ---- a refused probe and a VF left unbound, with the reason -----------------
t_ok "sriov_drivers_autoprobe=0 on the second PF" write_sysfs $PF2/sriov_drivers_autoprobe 0
t_ok "one VF on the second PF" write_sysfs $PF2/sriov_numvfs 1
VF2=$(vfs_of $PF2)
t_eq "it stays unbound" "" "$(drv_of $PCI/$VF2)"
t_ok "tracer: igbvf's probe refused with ENODEV, and why" wait_eq 10 1 q "sum(r['event'] == 'probe' and r['dev'] == '$VF2' and r['result'] == 'ENODEV' and 'sriov_drivers_autoprobe=0 on 0000:00:0c.0' in r['reason'] for r in L)"
t_ok "tracer: the VF reported unbound, same reason" wait_eq 10 1 q "sum(r['event'] == 'unbound' and r['dev'] == '$VF2' and 'sriov_drivers_autoprobe=0' in r['reason'] for r in L)"
override_bind() {
	write_sysfs "$PCI/$1/driver_override" igbvf >/dev/null &&
		write_sysfs /sys/bus/pci/drivers_probe "$1" >/dev/null &&
		[[ $(drv_of "$PCI/$1") == igbvf ]]
}
t_ok "driver_override=igbvf and drivers_probe bind it" override_bind "$VF2"
t_ok "tracer: the override's probe is ok" wait_eq 10 1 q "sum(r['event'] == 'probe' and r['dev'] == '$VF2' and r['result'] == 'ok' for r in L)"
t_ok "remove it" write_sysfs $PF2/sriov_numvfs 0


# ---- traffic between the two PFs, over the QEMU hub -------------------------
N1=$(netdev_of $PF) N2=$(netdev_of $PF2)
ip netns add igb1 && ip netns add igb2
ip link set "$N1" netns igb1 && ip link set "$N2" netns igb2
nx igb1 ip addr add 192.0.2.1/24 dev "$N1"
nx igb2 ip addr add 192.0.2.2/24 dev "$N2"
nx igb1 ip link set "$N1" up
nx igb2 ip link set "$N2" up
carriers() { echo "$(nx igb1 cat /sys/class/net/"$N1"/carrier)$(nx igb2 cat /sys/class/net/"$N2"/carrier)"; }
t_ok "both PFs get carrier" wait_eq 60 11 carriers
t_ok "PF 1 pings PF 2 across the hub" ping_ok igb1 192.0.2.2
nx igb1 ip link set "$N1" netns 1
nx igb2 ip link set "$N2" netns 1
ip netns del igb1; ip netns del igb2

# ---- the tracers' records are whole -------------------------------------------
kill "$TRACER" "$TRACER_TXT"; wait "$TRACER" "$TRACER_TXT"
t_eq "tracer: every JSON line parses" "$(wc -l < "$J")" \
	"$(python3 -c 'import json, sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)))' "$J")"
t_eq "tracer: every probe record has the documented keys" True \
	"$(q 'all({"event", "dev", "bus", "vendor", "device", "virtfn", "pf", "driver", "result", "errno", "duration_us", "netdev"} <= r.keys() for r in L if r["event"] == "probe")')"
t_eq "tracer: summary, nothing lost" "0 0" "$(q '" ".join("%d %d" % (r["lost"], r["failed"] - 1) for r in L if r["event"] == "summary")')"
txt=$(cat "$OUT/vfmpinit.txt")
t_match "text: a VF probe line" "0000:00:18.0 probe  igbvf +ok +[0-9.]+ms 8086:10ca pf=0000:00:08.0 eth[0-9]+" "$txt"
t_match "text: the refused probe with its reason" "$VF2 probe  igbvf +ENODEV .*\(sriov_drivers_autoprobe=0 on 0000:00:0c.0" "$txt"
t_eq "text: probe, sriov and vf-add lines fit in 80 columns" "" "$(grep -E ' (probe +[^ ]+ +ok|sriov|vf-add) ' <<<"$txt" | awk 'length > 80')"
t_match "text: the summary" "vfmpinit: [0-9]+ inits seen, 1 failed, [0-9]+ VFs unbound, 0 records lost" "$txt"

# ---- what the tracer costs a probe: bind time without and with it, interleaved
bind_ms() { # VF -> ms for unbind + bind (bind returns after the probe)
	local t0
	write_sysfs $PCI/$1/driver/unbind "$1" >/dev/null
	t0=$(date +%s%N)
	write_sysfs /sys/bus/pci/drivers/igbvf/bind "$1" >/dev/null
	echo $((($(date +%s%N) - t0) / 1000000))
}
without=() with=()
for round in 1 2 3; do
	without+=("$(bind_ms "$VF")")
	build/tools/vfmpinit > "$OUT/vfmpinit.cost" 2>&1 &
	cost=$!
	wait_for 20 grep -q watching "$OUT/vfmpinit.cost"
	with+=("$(bind_ms "$VF")")
	kill "$cost"; wait "$cost"
done
diag "igbvf bind (ms) without the tracer: ${without[*]}; with it: ${with[*]}"
diag "ratio with/without: $(python3 -c "import sys; print('%.3f' % (sum(map(int, sys.argv[4:])) / sum(map(int, sys.argv[1:4]))))" "${without[@]}" "${with[@]}")"
t_eq "the VF is bound after the rounds" igbvf "$(drv_of $PCI/$VF)"

# ---- --profile: which igbvf functions a probe's time went to ----------------------
P=$OUT/vfmpinit-profile.json
build/tools/vfmpinit -j -P igbvf > "$P" 2> "$OUT/vfmpinit-profile.err" &
prof=$!
t_ok "vfmpinit -P igbvf attaches to igbvf's functions" wait_for 120 grep -q '"event":"start"' "$P"
diag "$(cat "$OUT/vfmpinit-profile.err")"
bind_ms "$VF" > /dev/null
kill "$prof"; wait "$prof"
t_eq "profile: igbvf_probe called once, an entry point" "1 True" \
	"$(J=$P q '"%d %s" % ([r["calls"] for r in L if r["event"] == "profile" and r["function"] == "igbvf_probe"][0], any(r["event"] == "profile_edge" and r["caller"] is None and r["callee"] == "igbvf_probe" for r in L))')"
t_eq "profile: its time is the probe's (inclusive >= 90% of the probe record)" True \
	"$(J=$P q '[r["incl_us"] for r in L if r["event"] == "profile" and r["function"] == "igbvf_probe"][0] >= 0.9 * [r["duration_us"] for r in L if r["event"] == "probe"][-1]')"
t_eq "profile: igbvf_probe -> igbvf_reset -> e1000_reset_hw_vf, named" "True True" \
	"$(J=$P q '" ".join(str(any(r["event"] == "profile_edge" and r["caller"] == a and r["callee"] == b for r in L)) for a, b in (("igbvf_probe", "igbvf_reset"), ("igbvf_reset", "e1000_reset_hw_vf")))')"
diag "profile, top 5 by inclusive time: $(J=$P q '", ".join("%s %.0f ms" % (r["function"], r["incl_us"] / 1e3) for r in sorted((r for r in L if r["event"] == "profile"), key=lambda r: -r["incl_us"])[:5])')"

# ---- teardown, traced: the tracer pins no module ------------------------------
J=$OUT/vfmpinit-teardown.json
build/tools/vfmpinit -j > "$J" 2>&1 &
TRACER=$!
t_ok "a new tracer is ready" wait_eq 20 1 q 'sum(r["event"] == "start" for r in L)'
t_ok "echo 0 > sriov_numvfs" write_sysfs $PF/sriov_numvfs 0
t_eq "the VFs are gone" "" "$(vfs_of $PF)"
t_ok "rmmod igbvf igb while the tracer runs" rmmod igbvf igb
t_ok "tracer: SR-IOV off, three VFs removed, both modules unloaded" \
	wait_eq 10 "1 3 igbvf,igb" q '"%d %d %s" % (sum(r["event"] == "sriov_off" for r in L), sum(r["event"] == "vf_del" for r in L), ",".join(r["module"] for r in L if r["event"] == "module_unload"))'
kill "$TRACER"; wait "$TRACER"
t_eq "the kernel logged no warning" "" "$(dmesg_since_mark '(WARNING|BUG|Oops|refcount)')"
done_testing
