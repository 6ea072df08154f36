#!/bin/bash
# lib.sh - the TAP and sysfs library of the vfmp VM tests (sourced by
# tests/vm/t/*.sh, which run inside the guest via run-vm.sh / run-tests.sh;
# drvlib.sh and dplib.sh build on it).
#
#   source "$(dirname "$0")/../lib.sh"     # or: . tests/vm/lib.sh
#   t_ok ...; t_eq ...                     # test points
#   done_testing                           # last line: prints the plan
#
#   done_testing             print the plan "1..N" (N = points run); call it
#                            once, as the file's last command. A file that
#                            dies before it prints no plan, and both this
#                            library and run-tests.sh count that as a
#                            failure. Returns the status of the command
#                            before it, so a failing last command still
#                            fails the file.
#   plan N                   a plan up front instead (only for files whose
#                            count is not hand-maintained, e.g. selftest.sh)
#   t_ok   "desc" cmd args...          pass if cmd exits 0
#   t_fail "desc" cmd args...          pass if cmd exits non-zero
#   t_eq   "desc" expected actual      string equality
#   t_match "desc" ERE actual          [[ actual =~ ERE ]]
#   t_errno "desc" ERRNO cmd args...   pass if cmd fails and its output names
#                                      ERRNO (e.g. EINVAL) or its message
#                                      ("Invalid argument"); e.g.
#                                      t_errno "bad" EINVAL write_sysfs F 42
#                                      t_errno "bad" EINVAL sh -c 'echo 42 > F'
#   pass "desc" / fail "desc" [diag...] / skip "reason" [N] / diag msg...
#   bail_out "reason"        abort the test file (counts as a failure)
#
# sysfs and other helpers (usable without TAP, see VFMP_TAP below):
#   write_sysfs FILE VALUE   one write(2) of VALUE (no newline added) to FILE;
#                            prints OK or the errno name (EINVAL, ENOENT, ...);
#                            returns 0 on success, 1 on error
#   rd FILE                  FILE's first line (read builtin, no fork; empty
#                            and status 1 if unreadable)
#   now_ms                   milliseconds since the epoch
#   wait_for SECS cmd...     retry cmd every 0.2 s until it succeeds
#   dmesg_mark               write a unique marker to /dev/kmsg
#   dmesg_since_mark [ERE]   print kernel messages logged after the last mark
#                            (only those matching ERE if given; unrelated
#                            kernel noise such as "hrtimer: interrupt took"
#                            can appear under TCG)
# The script exits non-zero at the end if any test failed, the plan count did
# not match, or the script itself died. VFMP_TAP=0 when sourcing leaves the
# exit status alone (no TAP summary): for scripts that only want the helpers,
# such as tests/bench/bench.sh.

_TAP_N=0 _TAP_FAILED=0 _TAP_PLAN="" _TAP_DONE=0 _TAP_MARK=""

plan() { _TAP_PLAN=$1; echo "1..$1"; }

_tap_result() { # ok(0/1) desc [diagnostic lines...]
	local okv=$1 desc=$2; shift 2
	_TAP_N=$((_TAP_N + 1))
	if ((okv == 0)); then
		echo "ok $_TAP_N - $desc"
	else
		_TAP_FAILED=$((_TAP_FAILED + 1))
		echo "not ok $_TAP_N - $desc"
		local l
		for l in "$@"; do printf '%s\n' "$l" | sed 's/^/#   /'; done
	fi
	return "$okv"
}

pass() { _tap_result 0 "$1"; }
fail() { local d=$1; shift; _tap_result 1 "$d" "$@"; }
diag() { printf '%s\n' "$*" | sed 's/^/# /'; }

skip() { # reason [count]
	local i
	for ((i = 0; i < ${2:-1}; i++)); do
		_TAP_N=$((_TAP_N + 1))
		echo "ok $_TAP_N # SKIP $1"
	done
}

t_ok() {
	local desc=$1 out rc; shift
	out=$("$@" 2>&1); rc=$?
	((rc == 0)) && { pass "$desc"; return 0; }
	fail "$desc" "command: $*" "expected: exit status 0" "got: exit status $rc" ${out:+"output: $out"}
	return 1
}

t_fail() {
	local desc=$1 out rc; shift
	out=$("$@" 2>&1); rc=$?
	((rc != 0)) && { pass "$desc"; return 0; }
	fail "$desc" "command: $*" "expected: non-zero exit status" "got: exit status 0" ${out:+"output: $out"}
	return 1
}

t_eq() {
	[[ $2 == "$3" ]] && { pass "$1"; return 0; }
	fail "$1" "expected: '$2'" "got:      '$3'"
	return 1
}

t_match() {
	[[ $3 =~ $2 ]] && { pass "$1"; return 0; }
	fail "$1" "expected to match: /$2/" "got: '$3'"
	return 1
}

declare -A _ERRNO_MSG=()
_errno_table() { # lazily load "NAME<TAB>strerror" for all errnos (one python run)
	((${#_ERRNO_MSG[@]})) && return
	local name msg
	local table
	table=$(/usr/bin/python3 -c 'import errno, os
for v in dir(errno):
    if v.startswith("E"): print(v + "\t" + os.strerror(getattr(errno, v)))')
	while IFS=$'\t' read -r name msg; do _ERRNO_MSG[$name]=$msg; done <<<"$table"
}

# strerror -> errno name (first match; EOPNOTSUPP/ENOTSUP etc. share a message)
_errno_name() {
	_errno_table
	local n
	for n in EINVAL ENOENT EBUSY EEXIST ERANGE EPERM EACCES ENODEV EOPNOTSUPP ENOSPC ENOMEM EIO ENXIO EAGAIN E2BIG EFAULT ENOTSUP; do
		[[ ${_ERRNO_MSG[$n]:-} == "$1" ]] && { echo "$n"; return; }
	done
	for n in "${!_ERRNO_MSG[@]}"; do
		[[ ${_ERRNO_MSG[$n]} == "$1" ]] && { echo "$n"; return; }
	done
	echo "UNKNOWN($1)"
}

write_sysfs() { # FILE VALUE -> prints OK or errno name
	local f=$1 v=$2 err
	err=$({ printf '%s' "$v" > "$f"; } 2>&1) && { echo OK; return 0; }
	# bash: "...: write error: Invalid argument" or "...: No such file or directory"
	err=${err##*: }
	_errno_name "$err"
	return 1
}

t_errno() { # desc ERRNO cmd...
	local desc=$1 want=$2 out rc; shift 2
	_errno_table
	out=$("$@" 2>&1); rc=$?
	local msg=${_ERRNO_MSG[$want]:-}
	[[ -n $msg ]] || { fail "$desc" "unknown errno name '$want'"; return 1; }
	if ((rc != 0)) && [[ $out == *"$want"* || $out == *"$msg"* ]]; then
		# reject "EOPNOTSUPP" matching "ENOTSUP"-style prefixes: require a word match
		if [[ $out =~ (^|[^A-Z0-9])$want([^A-Z0-9]|$) || $out == *"$msg"* ]]; then
			pass "$desc"; return 0
		fi
	fi
	fail "$desc" "command: $*" "expected: failure with $want ($msg)" "got: exit status $rc, output: ${out:-<none>}"
	return 1
}

rd() { local v; read -r v < "$1" 2>/dev/null && echo "$v"; }

now_ms() { local s; s=$(date +%s%N); echo $((s / 1000000)); }

# The deadline is wall-clock time: a slow cmd (python under TCG takes a
# second or more) must not stretch SECS into minutes.
wait_for() { # SECS cmd...
	local end=$((SECONDS + $1)); shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		((SECONDS < end)) || return 1
		sleep 0.2
	done
}

# wait_eq SECS WANT cmd...: retry cmd until it prints WANT.  (Not
# `wait_for N test "$(cmd)" = WANT`: that runs cmd once, before waiting.)
wait_eq() {
	local end=$((SECONDS + $1)) want=$2; shift 2
	while :; do
		[[ $("$@" 2>/dev/null) == "$want" ]] && return 0
		((SECONDS < end)) || return 1
		sleep 0.2
	done
}

# json_q FILE PYEXPR: evaluate PYEXPR over L, the JSON-lines records in FILE
# so far (a line still being written is skipped), and print the result
json_q() {
	python3 -c '
import json, sys
L = []
for l in open(sys.argv[1]):
    try:
        L.append(json.loads(l))
    except ValueError:
        pass
print(eval(sys.argv[2]))' "$1" "$2"
}

bail_out() { echo "Bail out! $*"; _TAP_FAILED=$((_TAP_FAILED + 1)); exit 255; }

dmesg_mark() {
	_TAP_MARK="vfmp-test-mark-$$-$RANDOM-$SECONDS"
	echo "$_TAP_MARK" > /dev/kmsg
}

dmesg_since_mark() { # [ERE]: only lines matching ERE (e.g. '(vfmp|WARNING)')
	local re=${1:-}
	if [[ -z $_TAP_MARK ]]; then dmesg; else
		dmesg | awk -v m="$_TAP_MARK" 'f { print } index($0, m) { f = 1 }'
	fi | if [[ -n $re ]]; then grep -E -- "$re"; else cat; fi
}

done_testing() {
	local rc=$?
	_TAP_DONE=1
	[[ -n $_TAP_PLAN ]] || { _TAP_PLAN=$_TAP_N; echo "1..$_TAP_N"; }
	return "$rc"
}

_tap_exit() {
	local rc=$?
	if [[ -z $_TAP_PLAN ]]; then
		echo "# no plan: test script ended before done_testing (status $rc)"
		_TAP_FAILED=$((_TAP_FAILED + 1))
	elif ((_TAP_N != _TAP_PLAN)); then
		echo "# planned $_TAP_PLAN tests but ran $_TAP_N"
		_TAP_FAILED=$((_TAP_FAILED + 1))
	fi
	if ((rc != 0 && _TAP_FAILED == 0)); then
		echo "# test script exited with status $rc"
		_TAP_FAILED=1
	fi
	((_TAP_FAILED)) && echo "# failed $_TAP_FAILED of $_TAP_N test(s)"
	((_TAP_FAILED)) && exit 1
	exit 0
}
[[ ${VFMP_TAP:-1} == 0 ]] || trap _tap_exit EXIT
