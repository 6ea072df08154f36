#!/bin/bash
# 50-tools.sh - the libbpf tools against the live driver: vfmpinit shows
# the rule-by-rule init (ordered steps, partition verdict, withheld VMQ,
# caps, a refused VF).  vfmprss has its own file (52-rss-tool.sh).
# vm-opts: -t 900
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../drvlib.sh"

T=build/tools
OUT=$VFMP_VM_ARTIFACTS
t_ok "tools are built" test -x $T/vfmpinit -a -x $T/vfmprss
drv_load || bail_out "cannot load modules"

# --- vfmpinit -----------------------------------------------------------
$T/vfmpinit -m -D 40 > "$OUT/vfmpinit.out" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q watching "$OUT/vfmpinit.out" && break; sleep 0.2; done
sim_new "0 2 4"
write_sysfs "$(dev_path sim0-pf)/sriov_numvfs" 1 >/dev/null
sim_new "1 1 2"
autoprobe 0
write_sysfs "$(dev_path sim1-pf)/sriov_numvfs" 1 >/dev/null
write_sysfs "$(dev_path sim1-vf0)/partition" parent >/dev/null
autoprobe 1
t_eq "a VF in the parent partition is refused" EPERM "$(drv_bind sim1-vf0)"
sleep 1
kill "$pid"; wait "$pid"
out=$(cat "$OUT/vfmpinit.out")
steps=$(awk '$1 == "sim0-vf0" && $2 ~ /^[0-9]+$/ {printf "%s:%s:%s ", $2, $3, $4}' <<<"$out")
t_eq "sim0-vf0's steps in order, with rules" \
	"1:R1:alloc_adapter 2:R2:partition_check 3:R1:enable_device 4:R3:keywords 5:R1:mailbox 6:R9:nic_switch 7:R4:sriov_caps 8:R5:sriov_flags 9:R7:vmq 10:R6:register_attrs 11:R8:rss_pm 12:R1:sysfs 13:R1:register_netdev " \
	"$steps"
t_match "the VF skipped the keywords step" 'sim0-vf0 +4 R3 keywords +skip' "$out"
t_match "partition verdict with inputs" 'sim0-vf0 +R2 partition: hypervisor=other present=1 .* attr=child -> child \(from device\) -> vf_child' "$out"
t_match "VMQ withheld under R7" 'sim0-vf0 +R7 vmq WITHHELD' "$out"
t_match "current caps 0x5 accepted" 'sim0-vf0 +R6 register current +SR-IOV caps: .*caps=0x5 VF_MINIPORT\|SRIOV_SUPPORTED -> accepted' "$out"
t_match "mailbox shown with -m" 'sim0-vf0 +mbx vf0 -> GET_RESOURCES' "$out"
t_fail "no keyword event from any VF" grep -qE 'sim[0-9]+-vf[0-9]+ +R3 keyword' <<<"$out"
t_match "the refused VF" 'sim1-vf0 +== init FAILED: EPERM' "$out"
t_match "summary" 'vfmpinit: 4 inits seen, 1 failed' "$out"
sim_del 1

# --- vfmpinit never pins vfmp.ko, and follows it across a reload ----------
J=$OUT/vfmpinit-reload.json
$T/vfmpinit -j > "$J" 2> "$OUT/vfmpinit-reload.err" &
pid=$!
q() { json_q "$J" "$1"; }	# PYEXPR over L, the JSON records so far
t_ok "vfmpinit -j is ready, with vfmp's records" wait_eq 20 True q '[r["vfmp"] for r in L if r["event"] == "start"] == [True]'
t_ok "rmmod vfmp while vfmpinit runs" rmmod vfmp
t_ok "insmod vfmp again" insmod "$VFMP_KO"/vfmp.ko
t_ok "sim0-pf, probed during vfmp's init, is traced rule by rule" \
	wait_eq 20 "sim0-pf:pf:ok" q '" ".join("%s:%s:%s" % (r["dev"], r["personality"], r["result"]) for r in L if r["event"] == "vfmp_end")'
t_eq "its VF went with the PF's unbind" OK "$(write_sysfs "$(dev_path sim0-pf)/sriov_numvfs" 1)"
t_ok "the new VF is traced too" \
	wait_eq 20 "sim0-pf:pf:ok sim0-vf0:vf:ok" q '" ".join("%s:%s:%s" % (r["dev"], r["personality"], r["result"]) for r in L if r["event"] == "vfmp_end")'
t_eq "module records: vfmp unloaded, then loaded" "module_unload:vfmp module_load:vfmp" \
	"$(q '" ".join("%s:%s" % (r["event"], r["module"]) for r in L if r["event"].startswith("module") and r["module"] == "vfmp")')"
t_eq "generic records: unbinds, VF removed, probes, VF added" \
	"unbind:sim0-vf0 unbind:sim0-pf vf_del:sim0-vf0 probe:sim0-pf:ok vf_add:sim0-vf0 probe:sim0-vf0:ok" \
	"$(q '" ".join(":".join([r["event"], r["dev"]] + ([r["result"]] if "result" in r else [])) for r in L if r["event"] in ("probe", "unbind", "vf_add", "vf_del"))')"
t_eq "the VF's record names its PF" "True sim0-pf" "$(q '" ".join("%s %s" % (r["virtfn"], r["pf"]) for r in L if r["event"] == "probe" and r["dev"] == "sim0-vf0")')"
t_eq "the VF's 13 steps, R1 first" "13 1" \
	"$(q '"%d %d" % (sum(r["event"] == "vfmp_step" and r["dev"] == "sim0-vf0" for r in L), [r["rule"] for r in L if r["event"] == "vfmp_step" and r["dev"] == "sim0-vf0"][0])')"
kill "$pid"; wait "$pid"
t_eq "nothing lost" 0 "$(q '[r["lost"] for r in L if r["event"] == "summary"][0]')"

sim_del 0
t_eq "allocs back to 0" 0 "$(cat $SIMDBG/allocs)"
drv_unload
done_testing
