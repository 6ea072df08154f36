#!/bin/bash
# 01-nohv.sh - boots with -cpu qemu64,-hypervisor (bare-metal path) and checks
# that the guest sees no hypervisor CPUID bit.
# vm-opts: --no-hypervisor -c 1
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"

t_fail "hypervisor CPUID bit absent" grep -q hypervisor /proc/cpuinfo
t_eq "one vCPU" 1 "$(nproc)"
done_testing
