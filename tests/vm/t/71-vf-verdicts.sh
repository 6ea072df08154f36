#!/bin/bash
# vm-opts: --igb 2 -t 600
# 71-vf-verdicts.sh - vfmpinit --check: the seed's rules R1..R9 judged for
# every VF netdev, without BPF.  An igbvf VF of the QEMU 82576 gets the rules
# that mean something on Linux (R1, R2 through the driver's own decision
# code, R7, R8, R9) judged with evidence and R3..R6 as n/a; a vfmp VF gets
# every rule judged from the driver's sysfs; -j lines are JSON with the
# documented keys.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"

T=build/tools/vfmpinit
PCI=/sys/bus/pci/devices
PF=$PCI/0000:00:08.0
VF=0000:00:18.0
drv_of() { basename "$(readlink "$1/driver" 2>/dev/null)" 2>/dev/null; }
netdev_of() { ls "$1/net" 2>/dev/null | head -n 1; }
has_netdev() { [[ -n $(netdev_of "$1") ]]; }
# verdict RULE OUT -> "PASS | evidence" of RULE in the human output OUT
verdict() {
	awk -v r="$1" '$1 == r { v = $2; getline; sub(/^ *evidence: /, ""); print v " | " $0 }' <<<"$2"
}
# JSON lines on stdin -> one line per verdict "rule verdict bus role driver dev
# pf netdev", after checking that every line parses and carries the keys
JSON_CHECK='
import json, sys
keys = {"event", "netdev", "dev", "driver", "bus", "role", "pf", "rule",
        "rule_text", "verdict", "evidence"}
lines = [json.loads(l) for l in sys.stdin]
assert lines[-1]["event"] == "summary", lines[-1]
for o in lines[:-1]:
    assert o["event"] == "verdict" and set(o) == keys, sorted(o)
    assert o["verdict"] in ("pass", "fail", "na", "info") and o["evidence"]
    print(o["rule"], o["verdict"], o["bus"], o["role"], o["driver"], o["dev"],
          o["pf"], o["netdev"])
s = lines[-1]
print("summary", s["netdevs"], s["pass"], s["fail"], s["na"], s["info"])
'

t_ok "the tool is built" test -x $T
out=$($T --check -d no-such-dev); rc=$?
t_eq "nothing matched: exit status 3" 3 "$rc"
t_eq "and says so" "no SR-IOV VF or PF netdev matching no-such-dev" "$out"

# ---- igb PF, two VFs, igbvf ---------------------------------------------------
dmesg_mark
t_ok "modprobe igb" modprobe igb
pfdrv() { drv_of $PF; }
t_ok "igb binds the PF" wait_eq 30 igb pfdrv
t_eq "echo 2 > sriov_numvfs" OK "$(write_sysfs $PF/sriov_numvfs 2)"
t_ok "modprobe igbvf" modprobe igbvf
t_ok "the first VF registers a netdev" wait_for 60 has_netdev $PCI/$VF
ND=$(netdev_of $PCI/$VF)
PFND=$(netdev_of $PF)

out=$($T --check -d $VF); rc=$?
diag "$out"
t_eq "igbvf VF: exit status 0 (no rule failed)" 0 "$rc"
t_eq "header names netdev, device, driver, PF" \
	"$ND: PCI VF $VF, driver igbvf, PF 0000:00:08.0 (igb)" "$(head -n 1 <<<"$out")"
t_eq "R1..R9 each judged once" "R1 R2 R3 R4 R5 R6 R7 R8 R9" \
	"$(awk '$1 ~ /^R[0-9]$/ { print $1 }' <<<"$out" | xargs)"
t_match "R1 pass: bound by igbvf, netdev, physfn" \
	"^PASS \| bound to igbvf by the kernel's ordinary PCI probe and registered netdev $ND; physfn -> 0000:00:08.0: the function is a VF$" \
	"$(verdict R1 "$out")"
t_match "R2 pass: TCG's CPUID bit, third-party hypervisor, the core's verdict" \
	'^PASS \| CPUID hypervisor bit=1 signature="TCGTCGTCGTCG", /proc/cpuinfo flag hypervisor=1, .* -> hypervisor info present=1 kind=other partition=unknown source=platform third_party=1 -> vfmp_decide: vf_treated_as_child \(third-party hypervisor' \
	"$(verdict R2 "$out")"
t_match "R2 notes the PF is in this OS" "the VF's PF 0000:00:08.0 is in this same OS \(driver igb\)" "$(verdict R2 "$out")"
for r in R3 R4 R5 R6; do
	t_match "$r: N/A with why" '^N/A \| .*(Windows|NDIS|Linux)' "$(verdict $r "$out")"
done
t_match "R7 pass: l2-fwd-offload off [fixed]" \
	'^PASS \| ethtool -k l2-fwd-offload \(macvlan/VMDq queue offload\): off \[fixed\]$' "$(verdict R7 "$out")"
r8=$(verdict R8 "$out")
rxh=$(ethtool -k "$ND" | sed -n 's/^receive-hashing: //p')
t_match "R8: rx-hashing as ethtool -k shows it ($rxh)" "^PASS \| RSS: rx-hashing ${rxh/\[/\\[}" "$r8"
wol=$(ethtool "$ND" 2>/dev/null | sed -n 's/^[[:space:]]*Supports Wake-on: //p')
t_match "R8: wake-on-LAN as ethtool shows it (${wol:-none})" "wake-on-LAN: supports ${wol:-d}," "$r8"
t_eq "R9 pass: the PF is an SR-IOV PF" \
	"PASS | PF 0000:00:08.0 driven by igb as an SR-IOV PF: sriov_numvfs=2 of sriov_totalvfs=7" \
	"$(verdict R9 "$out")"

all=$($T --check); rc=$?
t_eq "whole system: exit 0" 0 "$rc"
t_eq "whole system: both VFs and both PFs (SR-IOV capable), sorted by netdev" \
	"$(printf '%s\n' "$ND" "$(netdev_of $PCI/0000:00:18.2)" "$PFND" "$(netdev_of $PCI/0000:00:0c.0)" | sort | xargs)" \
	"$(sed -n 's/^\([^ ]*\): PCI .*/\1/p' <<<"$all" | xargs)"
t_match "the PF is judged as a PF" "$PFND: PCI PF with SR-IOV 0000:00:08.0, driver igb" "$all"
t_match "PF R2: vfmp_decide for a PF under a third-party hypervisor, as info" \
	'^INFO \| .*vfmp_decide: pf_no_sriov_child .*; vfmp would keep SR-IOV off here, this PF has 2 VFs$' \
	"$(verdict R2 "$($T --check -d $PFND)")"
t_match "summary line" '^4 netdev\(s\): 17 pass, 0 fail, 16 n/a, 3 info$' "$(tail -n 1 <<<"$all")"

js=$($T --check -j -d $VF | python3 -c "$JSON_CHECK" 2>&1); rc=$?
t_eq "-j: every line parses and has the documented keys" 0 "$rc"
t_eq "-j: the igbvf VF's verdicts" \
	"R1 pass pci vf igbvf $VF 0000:00:08.0 $ND|R2 pass pci vf igbvf $VF 0000:00:08.0 $ND|R3 na pci vf igbvf $VF 0000:00:08.0 $ND|R4 na pci vf igbvf $VF 0000:00:08.0 $ND|R5 na pci vf igbvf $VF 0000:00:08.0 $ND|R6 na pci vf igbvf $VF 0000:00:08.0 $ND|R7 pass pci vf igbvf $VF 0000:00:08.0 $ND|R8 pass pci vf igbvf $VF 0000:00:08.0 $ND|R9 pass pci vf igbvf $VF 0000:00:08.0 $ND|summary 1 5 0 4 0" \
	"$(paste -sd'|' <<<"$js")"

t_ok "echo 0 > sriov_numvfs" write_sysfs $PF/sriov_numvfs 0
t_ok "rmmod igbvf igb" rmmod igbvf igb

# ---- vfmp: every rule from the driver's sysfs -------------------------------------
t_ok "vfmp modules load" drv_load
t_ok "adapter 0 (2 VFs, 2 queue pairs)" sim_new "0 2 2"
t_eq "enable 1 VF" OK "$(write_sysfs "$(dev_path sim0-pf)/sriov_numvfs" 1)"
SV=sim0-vf0
t_ok "the vfmp VF has a netdev" wait_netdev $SV
SND=$(dev_netdev $SV)
out=$($T --check -d $SV); rc=$?
diag "$out"
t_eq "vfmp VF: exit 0" 0 "$rc"
t_eq "header" "$SND: vfmp_sim VF $SV, driver vfmp, PF sim0-pf (vfmp)" "$(head -n 1 <<<"$out")"
t_eq "all nine rules judged, all PASS" "R1:PASS R2:PASS R3:PASS R4:PASS R5:PASS R6:PASS R7:PASS R8:PASS R9:PASS" \
	"$(awk '$1 ~ /^R[0-9]$/ { print $1 ":" $2 }' <<<"$out" | xargs)"
t_match "R1: the standard steps from init_log" \
	'^PASS \| vfmp/init_log result=0; R1 steps: alloc_adapter ok, enable_device ok, mailbox ok, sysfs ok, register_netdev ok; netdev ' \
	"$(verdict R1 "$out")"
t_match "R2: driver verdict vf_child, and user space agrees" \
	'^PASS \| vfmp/hypervisor: present=1 kind=other partition=child source=device third_party=0 verdict=vf_child; personality vf; step partition_check ok; .*partition attribute=child\) computes present=1 kind=other partition=child source=device third_party=0 verdict=vf_child: the driver agrees$' \
	"$(verdict R2 "$out")"
t_match "R3: keyword step skipped, the sim counted no VF read" \
	'^PASS \| init_log step keywords skip; sim keyword reads: pf=[0-9]+ vf=0$' "$(verdict R3 "$out")"
t_match "R4: both records 0x80/1/12" \
	'^PASS \| vfmp/hw_sriov_caps: type=0x80 rev=1 size=12 flags=0x0 caps=0x5 .*cur_sriov_caps: type=0x80 rev=1 size=12 ' "$(verdict R4 "$out")"
t_eq "R5: 0x5" "PASS | VF caps hardware=0x5 current=0x5, required 0x5 (VF_MINIPORT|SRIOV_SUPPORTED, never PF_MINIPORT)" "$(verdict R5 "$out")"
t_eq "R6: register_attrs before register_netdev" \
	"PASS | init_log step register_attrs ok (before register_netdev); hardware and current records readable: yes" "$(verdict R6 "$out")"
t_eq "R7: vmq withheld, no l2-fwd-offload" \
	"PASS | vfmp/vmq: not advertised (hardware queues=8) rule=R7; ethtool -k l2-fwd-offload (macvlan/VMDq queue offload): off [fixed]" \
	"$(verdict R7 "$out")"
# the queues the table spreads over, as ethtool -x shows them
nq=$(ethtool -x "$SND" | awk '/^ *[0-9]+:/ { for (i = 2; i <= NF; i++) if ($i + 1 > m) m = $i + 1 } END { print m }')
t_match "R8: rss_caps and the indirection table agree (128 entries, $nq queue(s) as ethtool -x), magic wake" \
	"^PASS \| vfmp/rss_caps: queues=2 key=40 indir=128 [^;]*; vfmp/pm_caps: wake=magic; RSS: rx-hashing on, 2 rx rings, indirection table 128 entries over $nq queue\(s\), key 40 bytes; wake-on-LAN: supports g, enabled d$" \
	"$(verdict R8 "$out")"
t_match "R9: not the parent, PF-only steps skipped" \
	'^PASS \| personality vf, partition not parent; init_log step nic_switch skip; the PF-only steps were skipped on this VF; its PF sim0-pf is bound to vfmp$' \
	"$(verdict R9 "$out")"

js=$($T --check -j -d $SV | python3 -c "$JSON_CHECK" 2>&1); rc=$?
t_eq "-j (vfmp): lines parse, keys present" 0 "$rc"
t_eq "-j (vfmp): nine pass verdicts, bus vfmp_sim, role vf, PF sim0-pf" \
	"$(for i in 1 2 3 4 5 6 7 8 9; do echo "R$i pass vfmp_sim vf vfmp $SV sim0-pf $SND"; done | paste -sd'|')|summary 1 9 0 0 0" \
	"$(paste -sd'|' <<<"$js")"

# ---- a vfmp VF that asks the platform: user space reads it as the kernel does ----
t_ok "adapter 1" sim_new "1 2 1"
autoprobe 0
t_eq "enable 1 VF on adapter 1 (unbound)" OK "$(write_sysfs "$(dev_path sim1-pf)/sriov_numvfs" 1)"
t_eq "its partition attribute: platform" OK "$(write_sysfs "$(dev_path sim1-vf0)/partition" platform)"
t_eq "bind it" OK "$(drv_bind sim1-vf0)"
autoprobe 1
t_ok "it has a netdev" wait_netdev sim1-vf0
t_match "R2: driver and user space both say third-party, vf_treated_as_child" \
	'^PASS \| vfmp/hypervisor: present=1 kind=other partition=unknown source=platform third_party=1 verdict=vf_treated_as_child; .* computes present=1 kind=other partition=unknown source=platform third_party=1 verdict=vf_treated_as_child: the driver agrees$' \
	"$(verdict R2 "$($T --check -d sim1-vf0)")"

# ---- the vfmp PF is judged as a PF ----------------------------------------------------
pfo=$($T --check -d sim0-pf)
t_match "the vfmp PF: R5 pass as a PF, R7 info (a PF may offer VMQ), R9 pass" \
	'R5 PASS .*R7 INFO .*R9 PASS' "$(awk '$1 ~ /^R[0-9]$/ { printf "%s %s ", $1, $2 }' <<<"$pfo")"

t_ok "delete the adapters" sim_del 1
t_ok "and adapter 0" sim_del 0
drv_unload
t_eq "the kernel logged no warning" "" "$(dmesg_since_mark '(WARNING|BUG|Oops|refcount)')"
done_testing
