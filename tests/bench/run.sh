#!/bin/bash
# run.sh - `make bench`: boot a 2-vCPU TCG guest, run tests/bench/bench.sh,
# print its table.  BENCH_SECS / BENCH_ROUNDS / BENCH_PERF / BENCH_TOOLS /
# BENCH_ONLY (=tools: only the cost of watching on vfmp; =igb: only the
# cost of watching igb's queue, in an igb guest) pass through.
# The table is also left in build/vm-logs/bench-*/bench-table.md.
set -u
cd "$(dirname "$0")/../.." || exit 1
[[ -f bpf/xdp_test.bpf.o ]] || { echo "run: make bpf first" >&2; exit 1; }
# multi-threaded TCG: the scaling case needs both vCPUs running at once
export VFMP_VM_TCG_THREAD=${VFMP_VM_TCG_THREAD:-multi}
ENVS=(BENCH_SECS="${BENCH_SECS:-5}" BENCH_ROUNDS="${BENCH_ROUNDS:-2}")
# BENCH_ONLY=igb: the cost of watching igb's queue, in a guest with two igb
# ports on one QEMU hub (tests/bench/bench-igb.sh)
if [[ ${BENCH_ONLY:-} == igb ]]; then
	exec tests/vm/run-vm.sh -n bench-igb -c 2 --igb 2 -t 1800 -- \
		env "${ENVS[@]}" bash tests/bench/bench-igb.sh
fi
exec tests/vm/run-vm.sh -n bench -c 2 -t 1800 -- \
	env BENCH_SECS="${BENCH_SECS:-5}" BENCH_ROUNDS="${BENCH_ROUNDS:-2}" \
	BENCH_PERF="${BENCH_PERF:-0}" BENCH_TOOLS="${BENCH_TOOLS:-1}" BENCH_ONLY="${BENCH_ONLY:-}" \
	bash tests/bench/bench.sh
