#!/bin/bash
# run-tests.sh - run the VM test files, each in a fresh guest (run-vm.sh).
#
# Usage: tests/vm/run-tests.sh [-j N] [-v] [-o DIR] [TEST...]
#   TEST      test files (path or name under tests/vm/t/, with or without
#             .sh); default: all tests/vm/t/*.sh
#   -j N      run N guests in parallel (default 1; the host has 2 cores)
#   -v        print the full TAP output of every file (default: only failures)
#   -o DIR    artifact root (default $REPO/build/vm-logs/run-tests-TIMESTAMP);
#             each file gets DIR/<name>/ (console.log, output.log, dmesg.txt..)
#
# The guest does not inherit the host's environment; these variables, when
# set, are handed to every test file: VFMP_FUZZ_N, VFMP_FUZZ_SEED (2b's
# mailbox fuzz), VFMP_FAILNTH_ALL, VFMP_FAILNTH_SEED (the fail-nth sweeps).
#
# Test file header comments (first 30 lines) are honoured:
#   # vm-opts: --no-hypervisor -c 1 -t 600     extra run-vm.sh options
#   # vm-allow-warn: REGEX                     run-vm.sh --allow-warn REGEX
#
# TAP is taken from the command output serial port (output.log). Every
# "ok"/"not ok" line is a test point; a file whose VM run failed (timeout,
# kernel-log check, taint, crash, missing plan, planned/ran mismatch, script
# died) counts at least one failed point. The last line printed is exactly
# "N passed, N failed"; the exit status is non-zero if anything failed.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
JOBS=1 VERBOSE=0 ROOT=""
while getopts "j:vo:h" o; do
	case $o in
	j) JOBS=$OPTARG ;;
	v) VERBOSE=1 ;;
	o) ROOT=$OPTARG ;;
	h) sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; exit 0 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || { echo "run-tests: -j needs a positive integer" >&2; exit 2; }

TESTS=()
if (($#)); then
	for t in "$@"; do
		for c in "$t" "$HERE/t/$t" "$HERE/t/$t.sh"; do
			[[ -f $c ]] && { TESTS+=("$(cd "$(dirname "$c")" && pwd)/$(basename "$c")"); continue 2; }
		done
		echo "run-tests: no such test: $t" >&2; exit 2
	done
else
	for t in "$HERE"/t/*.sh; do [[ -f $t ]] && TESTS+=("$t"); done
fi
((${#TESTS[@]})) || { echo "run-tests: no tests found" >&2; exit 2; }

PASS_ENV=()
for v in VFMP_FUZZ_N VFMP_FUZZ_SEED VFMP_FAILNTH_ALL VFMP_FAILNTH_SEED; do
	[[ -z ${!v:-} ]] && continue
	[[ ${!v} =~ ^[0-9]+$ ]] || { echo "run-tests: $v must be a number" >&2; exit 2; }
	PASS_ENV+=("$v=${!v}")
done

ROOT=${ROOT:-$REPO/build/vm-logs/run-tests-$(date +%Y%m%d-%H%M%S)-$$}
mkdir -p "$ROOT" && ROOT=$(cd "$ROOT" && pwd)

run_one() { # test-path -> writes $ROOT/<name>/{result,report}
	local t=$1 name dir opts=() allow="" line rel
	name=$(basename "$t" .sh)
	dir=$ROOT/$name
	mkdir -p "$dir"
	while IFS= read -r line; do
		case $line in
		"# vm-opts:"*) read -r -a o <<<"${line#\# vm-opts:}"; opts+=("${o[@]}") ;;
		"# vm-allow-warn:"*) allow=${line#\# vm-allow-warn:}; allow=${allow# } ;;
		esac
	done < <(head -n 30 "$t")
	[[ -n $allow ]] && opts+=(--allow-warn "$allow")
	rel=${t#"$REPO"/}
	local t0 t1 rc attempt bootfail=()
	t0=$(date +%s)
	for attempt in 1 2; do
		"$HERE/run-vm.sh" -q -n "$name" -o "$dir" "${opts[@]}" -- env "${PASS_ENV[@]}" bash "$rel" > "$dir/run-vm.out" 2>&1 &
		local vmpid=$!
		trap 'kill -TERM "$vmpid" 2>/dev/null; wait "$vmpid"; exit 130' TERM
		wait "$vmpid"
		rc=$?
		# A guest that died before COMMAND started never ran a line of
		# vfmp (the modules are loaded by COMMAND): a crash of the
		# distribution kernel's boot under TCG.  Run it once more, and
		# keep and show the failed boot's console in the report.
		((rc != 0 && attempt == 1)) || break
		grep -q 'VFMP-VM-CMD-START' "$dir/console.log" 2>/dev/null && break
		mkdir -p "$dir/boot-failure"
		mv "$dir"/{console.log,output.log,summary.txt,run-vm.out,qemu.stderr} "$dir/boot-failure/" 2>/dev/null
		bootfail+=("boot failure before COMMAND, retried once; console of the failed boot ($dir/boot-failure):")
		mapfile -t -O ${#bootfail[@]} bootfail < <(tr -d '\r' < "$dir/boot-failure/console.log" | tail -n 30 | sed 's/^/  con> /')
	done
	t1=$(date +%s)

	local tap pass=0 failn=0 plan="" ran harness notes=()
	tap=$(tr -d '\r' < "$dir/output.log" 2>/dev/null)
	pass=$(grep -cE '^ok( |$)' <<<"$tap")
	failn=$(grep -cE '^not ok( |$)' <<<"$tap")
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' <<<"$tap" | head -n 1)
	ran=$((pass + failn))
	harness=$(grep '^FAIL: ' "$dir/summary.txt" 2>/dev/null | grep -v '^FAIL:     ')
	if [[ -n $harness ]]; then
		notes+=("VM run failed: $(grep '^run-vm: ' "$dir/run-vm.out" | grep -v 'artifacts:' | sed 's/^run-vm: //' | tr '\n' ';' | sed 's/;$//')")
	fi
	if [[ -z $plan ]]; then
		notes+=("no TAP plan")
	elif ((plan != ran)); then
		notes+=("planned $plan, ran $ran")
	fi
	if ((rc != 0 && failn == 0)) && [[ -z $harness ]]; then
		notes+=("test exited with status $rc without a failing test point")
	fi
	local extra=0
	if ((${#notes[@]})); then
		extra=1
		[[ -n $plan ]] && ((plan - ran > extra)) && extra=$((plan - ran))
	fi
	failn=$((failn + extra))
	echo "$pass $failn" > "$dir/result"
	echo $((t1 - t0)) > "$dir/seconds"
	{
		if ((failn)); then
			echo "FAIL $name: $pass passed, $failn failed ($((t1 - t0))s) - $dir"
		else
			echo "PASS $name: $pass passed ($((t1 - t0))s)"
		fi
		for n in "${notes[@]}"; do echo "  ! $n"; done
		((${#bootfail[@]})) && printf '  ! %s\n' "${bootfail[0]}" && printf '%s\n' "${bootfail[@]:1}"
		if ((VERBOSE)); then
			printf '%s\n' "$tap" | sed 's/^/  | /'
		elif ((failn)); then
			grep -A8 -E '^not ok' <<<"$tap" | grep -E '^(not ok|#)' | sed 's/^/  | /'
			# the harness failure with its offending kernel-log lines, and
			# the console's last lines when COMMAND never ran: enough to
			# diagnose a CI failure from the CI log alone
			[[ -n $harness ]] && sed -n '/^FAIL: /,$s/^\(FAIL: \)\{0,1\}/  | /p' "$dir/summary.txt" | head -n 100
			[[ -n $harness ]] && ! grep -q 'VFMP-VM-CMD-START' "$dir/console.log" 2>/dev/null &&
				tr -d '\r' < "$dir/console.log" 2>/dev/null | tail -n 30 | sed 's/^/  con> /'
		fi
	} > "$dir/report"
}

# With parallel guests, start the longest files first (longest processing
# time first), so that no long file is left running alone at the end.  The
# cost of a file is how long it took last time (build/vm-logs/durations,
# kept across runs and kernels); a file never timed counts as 60 s.
DURATIONS=$REPO/build/vm-logs/durations
ORDER=("${TESTS[@]}")
if ((JOBS > 1)); then
	mapfile -t ORDER < <(for t in "${TESTS[@]}"; do
		n=$(basename "$t" .sh)
		c=$(awk -v n="$n" '$1 == n { c = $2 } END { print c + 0 }' "$DURATIONS" 2>/dev/null)
		printf '%s\t%s\n' "${c:-0}" "$t"
	done | awk -F'\t' 'BEGIN { OFS = "\t" } { if ($1 == 0) $1 = 60; print }' |
		sort -t$'\t' -k1,1nr -s | cut -f2-)
fi

running=0 PIDS=()
trap 'kill -TERM "${PIDS[@]}" 2>/dev/null; echo "run-tests: interrupted; artifacts: $ROOT" >&2; exit 130' INT TERM
for t in "${ORDER[@]}"; do
	run_one "$t" &
	PIDS+=($!)
	if ((JOBS == 1)); then
		wait "$!"; cat "$ROOT/$(basename "$t" .sh)/report"
		continue
	fi
	running=$((running + 1))
	if ((running >= JOBS)); then wait -n; running=$((running - 1)); fi
done
wait
TOTP=0 TOTF=0 FAILED=()
for t in "${TESTS[@]}"; do
	name=$(basename "$t" .sh)
	((JOBS > 1)) && cat "$ROOT/$name/report"
	read -r p f < "$ROOT/$name/result" || { p=0; f=1; }
	[[ -r $ROOT/$name/seconds ]] && printf '%s %s\n' "$name" "$(cat "$ROOT/$name/seconds")" >> "$DURATIONS"
	TOTP=$((TOTP + p)) TOTF=$((TOTF + f))
	((f)) && FAILED+=("$name")
done
if [[ -f $DURATIONS ]]; then	# keep the newest figure per file
	awk '{ c[$1] = $2 } END { for (n in c) print n, c[n] }' "$DURATIONS" | sort > "$DURATIONS.$$" &&
		mv "$DURATIONS.$$" "$DURATIONS"
fi
echo "artifacts: $ROOT"
((${#FAILED[@]})) && echo "failed files: ${FAILED[*]}"
echo "$TOTP passed, $TOTF failed"
((TOTF == 0))
