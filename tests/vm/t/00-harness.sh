#!/bin/bash
# 00-harness.sh - sanity checks of the VM test harness itself (runs in the
# guest; see tests/vm/README.md). Default options: hypervisor bit present.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"

t_ok "repo root is the cwd and visible" test -f tests/vm/lib.sh
t_eq "cwd is VFMP_REPO" "$VFMP_REPO" "$PWD"
t_ok "bash is available" test -x /bin/bash
t_ok "ip (iproute2) is available" ip -V
t_ok "python3 is available" /usr/bin/python3 -c 'import os, errno'
t_match "running a Debian amd64 kernel (or make check-debug's)" '^[0-9]+\.[0-9]+\.[0-9]+([-+][^ ]*-amd64|-vfmp-debug)$' "$(uname -r)"
t_ok "modules built for this kernel" test -f "$VFMP_KO/vfmp.ko" -a -f "$VFMP_KO/vfmp_sim.ko"
t_ok "debugfs mounted" grep -q ' /sys/kernel/debug debugfs ' /proc/mounts
t_ok "tracefs mounted" grep -q ' /sys/kernel/tracing tracefs ' /proc/mounts
t_ok "ip netns add works" ip netns add vfmp-harness
t_ok "netns usable" ip netns exec vfmp-harness ip link show lo
t_ok "hypervisor CPUID bit present" grep -q hypervisor /proc/cpuinfo
t_ok "artifact dir is writable" cp /proc/version "$VFMP_VM_ARTIFACTS/harness-probe"
t_errno "write_sysfs reports EINVAL" EINVAL write_sysfs /proc/sys/kernel/panic_on_warn 7
dmesg_mark
echo "vfmp-harness: hello kmsg" > /dev/kmsg
t_match "dmesg_since_mark sees new messages" 'vfmp-harness: hello kmsg' "$(dmesg_since_mark 'vfmp-harness')"
done_testing
