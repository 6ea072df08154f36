#!/bin/bash
# 72-decoders.sh - vfmpinit -x: the decoders of drivers that cannot run
# here (iavf, mlx5_core, hv_netvsc) are proven against the real modules of
# the guest kernel: each probe is defined as MODULE:function before the
# module loads, is armed when it loads (listed by the kprobes debugfs file,
# not gone), holds no module reference (rmmod works), and is removed when
# the tracer exits.  hv_netvsc cannot load without Hyper-V's VMBus, so its
# probes are proven only as accepted definitions.  (igb/igbvf messages are
# decoded live in t/70.)
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"

OUT=$VFMP_VM_ARTIFACTS
TR=/sys/kernel/tracing
KP=/sys/kernel/debug/kprobes/list
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

build/tools/vfmpinit -x -j > "$OUT/decoders.json" 2> "$OUT/decoders.err" &
pid=$!
t_ok "vfmpinit -x is ready" wait_for 30 grep -q '"event":"start"' "$OUT/decoders.json"
group=vfmpinit_$pid
defs=$(grep "^[pr]:$group/" $TR/kprobe_events | awk '{print $1 " " $2}' | sed "s|$group/||" | tr '\n' ',')
t_eq "every decoder probe is defined as MODULE:function" \
	"p:d0 igbvf:e1000_write_posted_mbx,p:d1 igbvf:e1000_read_posted_mbx,r:r1 igbvf:e1000_read_posted_mbx,p:d2 igb:igb_write_mbx,p:d3 igb:igb_read_mbx,r:r3 igb:igb_read_mbx,p:d4 iavf:iavf_send_pf_msg,p:d5 iavf:iavf_virtchnl_completion,p:d6 mlx5_core:mlx5_cmd_exec,r:r6 mlx5_core:mlx5_cmd_exec,p:d7 hv_netvsc:rndis_filter_device_add,r:r7 hv_netvsc:rndis_filter_device_add," \
	"$defs"
t_eq "no decoder failed to attach" "" "$(grep -- '-x:' "$OUT/decoders.err")"
t_eq "none is armed before its module loads" "" "$(grep -E '\[(iavf|mlx5_core)\]' $KP)"

# the debug guest kernel builds only what the guest needs: a module it
# does not have is skipped (Debian's kernels have both)
mods=()
for m in iavf mlx5_core; do
	if modinfo -n $m >/dev/null 2>&1; then
		mods+=("$m")
		t_ok "modprobe $m (no device needed)" modprobe $m
	else
		skip "$m: this kernel ($(uname -r)) has no such module" 2
	fi
done
armed() { grep -E "^[0-9a-f]+ +[kr] +($1)\+0x[0-9a-f]+ +$2 " $KP | grep -vc GONE; }
for m in "${mods[@]}"; do
	case $m in
	iavf) t_eq "iavf: iavf_send_pf_msg and iavf_virtchnl_completion armed" 2 "$(armed 'iavf_send_pf_msg|iavf_virtchnl_completion' iavf)" ;;
	mlx5_core) t_eq "mlx5_core: mlx5_cmd_exec armed, entry and return" 2 "$(armed mlx5_cmd_exec mlx5_core)" ;;
	esac
done
if ((${#mods[@]})); then
	t_ok "rmmod ${mods[*]} while armed (no module reference)" rmmod "${mods[@]}"
	t_eq "their probes are no longer armed" "" "$(grep -E '\[?(iavf|mlx5_core)\]? ' $KP | grep -v GONE)"
else
	skip "no iavf or mlx5_core module to unload" 2
fi
t_fail "hv_netvsc cannot load here (no VMBus)" modprobe hv_netvsc
t_eq "its probes stay defined, for a Hyper-V guest" 2 "$(grep -c "hv_netvsc:rndis_filter_device_add" $TR/kprobe_events)"
kill "$pid"; wait "$pid"
t_eq "the tracer removed its probe group at exit" "" "$(grep "$group/" $TR/kprobe_events)"
t_eq "summary: nothing lost" 0 "$(python3 -c 'import json, sys; print([r for r in map(json.loads, open(sys.argv[1])) if r["event"] == "summary"][0]["lost"])' "$OUT/decoders.json")"
done_testing
