#!/bin/bash
# 20-drv-vf-child.sh - vfmp.ko: a VF in a child partition (the sim's default
# for a VF) comes up as a VF miniport: R2 verdict vf_child, no keyword read
# (R3), caps 0x5 registered as hardware and current (R4-R6), VMQ withheld
# (R7), RSS and wake-on-LAN advertised (R8); init steps traced in order.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"

VF=sim0-vf0
CAPS5="type=0x80 rev=1 size=12 flags=0x0 caps=0x5 VF_MINIPORT|SRIOV_SUPPORTED"
VF_STEPS="alloc_adapter/R1/ok partition_check/R2/ok enable_device/R1/ok keywords/R3/skip mailbox/R1/ok nic_switch/R9/skip sriov_caps/R4/ok sriov_flags/R5/ok vmq/R7/ok register_attrs/R6/ok rss_pm/R8/ok sysfs/R1/ok register_netdev/R1/ok"

t_ok "modules load" drv_load
trace_start
t_ok "adapter 0 (4 VFs, 2 queue pairs) created" sim_new "0 4 2"
dmesg_mark
t_eq "enable 2 VFs" OK "$(write_sysfs "$(dev_path sim0-pf)/sriov_numvfs" 2)"
t_eq "VF is bound to vfmp" vfmp "$(basename "$(readlink "$(dev_path $VF)/driver")")"
t_eq "VF partition attribute is child" child "$(cat "$(dev_path $VF)/partition")"
msg=$(dmesg_since_mark)
t_match "kernel says the VF initialized as vf (vf_child)" "vfmp $VF: initialized as vf \(vf_child\)" "$msg"

# --- sysfs -----------------------------------------------------------
t_eq "personality" vf "$(vattr $VF personality)"
t_eq "hw_sriov_caps" "$CAPS5" "$(vattr $VF hw_sriov_caps)"
t_eq "cur_sriov_caps" "$CAPS5" "$(vattr $VF cur_sriov_caps)"
t_eq "hypervisor" "present=1 kind=other partition=child source=device third_party=0 verdict=vf_child" "$(vattr $VF hypervisor)"
t_eq "vmq not advertised (R7)" "not advertised (hardware queues=8) rule=R7" "$(vattr $VF vmq)"
t_eq "rss_caps" "queues=2 key=40 indir=128 hash=ipv4,tcp_ipv4,udp_ipv4,ipv6,tcp_ipv6,udp_ipv6" "$(vattr $VF rss_caps)"
t_eq "pm_caps" "wake=magic" "$(vattr $VF pm_caps)"
t_match "VF mbx_stats: 2 requests, no unexpected replies" '^requests=2 unexpected_replies=0 ' "$(vattr $VF mbx_stats)"
t_match "PF saw VERSION and GET_RESOURCES from vf0" 'vf0 requests=2 rejects=0 last_reject=-/- version_done=1 qps=2' "$(vattr sim0-pf mbx_stats)"
log=$(vattr $VF init_log)
t_match "init_log header: vf, result 0" "^dev=$VF function=vf result=0 total_ns=[0-9]+" "$log"
got=$(sed -n 's/^ *[0-9]* \(R[0-9]\) *\([a-z_]*\) *\([a-z]*\) .*/\2\/\1\/\3/p' <<<"$log" | tr '\n' ' ' | sed 's/ $//')
t_eq "init_log lists the steps in order with their rules" "$VF_STEPS" "$got"
t_match "init_log notes the keyword step" 'keywords +skip +err=0 .*# a VF never reads the SR-IOV keywords' "$log"

# --- trace -----------------------------------------------------------
tr=$(trace_dev $VF)
t_eq "trace: init steps in order" "$VF_STEPS" "$(trace_steps $VF)"
t_eq "trace: event order" "vfmp_init_begin vfmp_init_step vfmp_partition vfmp_init_step vfmp_mbx vfmp_init_step vfmp_feature vfmp_init_step vfmp_caps_register vfmp_init_step vfmp_feature vfmp_init_step vfmp_init_end" "$(trace_events $VF)"
t_match "trace: partition inputs and verdict vf_child" "vfmp_partition: dev=$VF function=vf hv_present=1 hv_kind=${HV_KIND[other]} hv_root=0 xen_dom0=0 override=${PART_OVR[child]} partition=child source=device allow_bare_metal=0 verdict=${VERDICT[vf_child]} err=0" "$tr"
t_eq "trace: no vfmp_keyword event from the VF" 0 "$(grep -c '^vfmp_keyword:' <<<"$tr")"
t_eq "trace: hardware then current caps 0x5" \
	"which=hardware type=0x80 rev=1 size=12 flags=0x0 caps=0x5 err=0|which=current type=0x80 rev=1 size=12 flags=0x0 caps=0x5 err=0" \
	"$(sed -n 's/^vfmp_caps_register: dev=[^ ]* //p' <<<"$tr" | paste -sd'|')"
t_match "trace: vmq withheld rule=R7" 'vfmp_feature: dev=sim0-vf0 feature=vmq withheld rule=R7 ' "$tr"
t_match "trace: rss advertised rule=R8" 'vfmp_feature: dev=sim0-vf0 feature=rss advertised rule=R8 ' "$tr"
t_match "trace: wol advertised rule=R8" 'vfmp_feature: dev=sim0-vf0 feature=wol_magic advertised rule=R8 ' "$tr"
VER=${MBX_OP[version]} RES=${MBX_OP[get_resources]} MOK=${MBX_STATUS[ok]}
# Opcodes in the order they first appear, each its tx then its rx: the
# VF traces a send after the send returns, so under load the PF's reply
# (traced from the doorbell on another CPU) can be stamped first.
t_eq "trace: VF mailbox tx/rx VERSION then GET_RESOURCES" \
	"tx $VER $MOK 0|rx $VER $MOK 0|tx $RES $MOK 0|rx $RES $MOK 0" \
	"$(sed -n 's/^vfmp_mbx: .* dir=\([a-z]*\) opcode=\([0-9]*\) len=[0-9]* status=\([0-9]*\) err=\(-*[0-9]*\)$/\1 \2 \3 \4/p' <<<"$tr" |
		awk '!($2 in first) { first[$2] = ++n; ops[n] = $2 } { l[$2, $1] = l[$2, $1] $0 "\n" }
			END { for (i = 1; i <= n; i++) printf "%s%s", l[ops[i], "tx"], l[ops[i], "rx"] }' | paste -sd'|')"
t_match "trace: PF answered vf0 (rx then tx)" "vfmp_mbx: dev=sim0-pf vf=0 dir=rx opcode=$VER .*
vfmp_mbx: dev=sim0-pf vf=0 dir=tx opcode=$VER " "$(trace_dev sim0-pf)"
t_match "trace: init_end personality vf err 0" "vfmp_init_end: dev=$VF personality=vf err=0 " "$tr"

# --- R3 from the hardware side ---------------------------------------
t_match "keyword reads: vf=0" '^total pf=[0-9]+ vf=0$' "$(kw_reads 0)"

# --- netdev / ethtool ------------------------------------------------
nd=$(dev_netdev $VF)
t_match "VF has a netdev" '^[a-z]' "$nd"
t_eq "ethtool -i: driver vfmp" "driver: vfmp" "$(ethtool -i "$nd" 2>&1 | grep '^driver:')"
t_eq "ethtool -i: bus-info is the VF" "bus-info: $VF" "$(ethtool -i "$nd" 2>&1 | grep '^bus-info:')"
t_eq "no l2-fwd-offload (VMQ's Linux face)" "l2-fwd-offload: off [fixed]" "$(ethtool -k "$nd" 2>&1 | grep '^l2-fwd-offload:')"
t_eq "rx hashing (RSS) on" "receive-hashing: on" "$(ethtool -k "$nd" 2>&1 | grep '^receive-hashing:')"
t_match "supports wake-on magic only" 'Supports Wake-on: g$' "$(ethtool "$nd" 2>&1 | grep 'Supports Wake-on:')"
t_ok "ethtool -s wol g" ethtool -s "$nd" wol g
t_match "wake-on is g" 'Wake-on: g$' "$(ethtool "$nd" 2>&1 | grep 'Wake-on:' | tail -n 1)"
t_fail "ethtool -s wol u refused" ethtool -s "$nd" wol u
t_ok "ethtool -s wol d" ethtool -s "$nd" wol d
t_match "wake-on is d" 'Wake-on: d$' "$(ethtool "$nd" 2>&1 | grep 'Wake-on:' | tail -n 1)"
t_eq "MAC from the PF (locally administered, vf index+1)" "02:56:46:01:00:00" "$(cat /sys/class/net/"$nd"/address)"

# --- wake-on-LAN's wakeup source goes with the driver -------------------
# `wol g` registers a wakeup source, a child device of the VF that holds
# it; left behind at unbind it keeps the VF (and the adapter) alive.
wsrc() { grep -lx "$VF" /sys/class/wakeup/*/name 2>/dev/null | wc -l; }
t_ok "ethtool -s wol g (again)" ethtool -s "$nd" wol g
t_eq "a wakeup source for the VF while wake-on is g" 1 "$(wsrc)"
t_eq "unbind the VF from vfmp" OK "$(drv_unbind $VF)"
t_eq "no wakeup source for the VF after unbind" 0 "$(wsrc)"
t_eq "rebind the VF" OK "$(drv_bind $VF)"
t_eq "wake-on starts at d after a rebind" 'Wake-on: d' "$(ethtool "$(wait_netdev $VF)" 2>&1 | grep 'Wake-on:' | tail -n 1 | tr -d '\t')"
t_ok "ethtool -s wol g on the rebound VF" ethtool -s "$(dev_netdev $VF)" wol g
t_eq "adapter 0 deleted with wake-on set" OK "$(write_sysfs $SIMBUS/del_device 0)"
t_eq "no wakeup source left" 0 "$(wsrc)"
t_eq "every sim allocation freed (the VF device was released)" 0 "$(cat $SIMDBG/allocs)"

# --- a VF caps the MTU its PF grants at its own limit ---------------------
t_ok "adapter 1 (2 VFs, 1 queue pair) created" sim_new "1 2 1"
t_eq "its VFs will have a 1500-byte frame limit" OK "$(write_sysfs $SIMDBG/sim1/vf_max_mtu 1500)"
dmesg_mark
t_eq "enable 1 VF" OK "$(write_sysfs "$(dev_path sim1-pf)/sriov_numvfs" 1)"
t_eq "the VF reports max_mtu 1500" 1500 "$(dev_attr sim1-vf0 max_mtu)"
nd1=$(wait_netdev sim1-vf0)
t_match "the PF granted 9000: the VF says it capped it" \
	'sim1-vf0: PF granted MTU 9000, above this VF.s 1500: capped' "$(dmesg_since_mark vfmp)"
t_match "the VF netdev's maxmtu is 1500" ' maxmtu 1500 ' "$(ip -d link show "$nd1")"
t_match "ip link set mtu 9000 refused" 'mtu greater than device maximum' "$(ip link set "$nd1" mtu 9000 2>&1)"
t_ok "ip link set mtu 1500 works" ip link set "$nd1" mtu 1500
t_match "the PF itself keeps 9000" ' maxmtu 9000 ' "$(ip -d link show "$(dev_netdev sim1-pf)")"
t_eq "adapter 1 deleted" OK "$(write_sysfs $SIMBUS/del_device 1)"
t_eq "every sim allocation freed" 0 "$(cat $SIMDBG/allocs)"
done_testing
