#!/bin/sh
# Shell tests of scenario mistakes in `vmsa check`, on build/test/vmsa-bad
# (tests/cli/prog/bad.c): a crash of scenario code (SIGSEGV, abort(), a
# stack overflow, exit()) is the verdict "crashed" with the signal and the
# decisions that led there, and the run goes on with the next
# configuration; a scenario that is not deterministic is the verdict
# "nondeterministic" with where; an expectation with a typo is a usage
# error listing the valid ones, for check and list; --no-isolate runs in
# process; the table stays in line with verdicts wider than expectations.
. "$(dirname "$0")/../lib.sh"

BAD=${VMSA_BAD:-$(dirname "$VMSA")/test/vmsa-bad}
if [ ! -x "$BAD" ]; then
	echo "FAIL: $BAD is missing (make check builds it)"
	echo "0 passed, 1 failed"
	exit 1
fi

# --- crashes: each configuration crashed, the next one still runs -----
# (the plain search: the reduced one, the default, runs bad/nondeterministic
# once, below)
t_run "$BAD" check --no-reduction 'bad/*'
t_status crashes 1
t_stdout_has crashes "  bad/segv@default: expected safe, verdict crashed"
t_stdout_has crashes "    error: scenario code crashed with SIGSEGV (signal 11: Segmentation fault) on CPU1 in execution 2, after decisions "
t_stdout_has crashes "  bad/abort@default: expected safe, verdict crashed"
t_stdout_has crashes "    error: scenario code crashed with SIGABRT (signal 6: Aborted) on CPU0 in execution 1, after decisions "
t_stdout_has crashes "    error: scenario code crashed with SIGSEGV (signal 11: Segmentation fault) on CPU0 in execution 1, after decisions "
t_stdout_has crashes "    error: the search process exited with status 3 before its result (scenario code called exit()?)"
t_stdout_has crashes "  bad/nondeterministic@default: expected safe, verdict nondeterministic"
t_stdout_has crashes "    error: the scenario is not deterministic: in execution 2, decision 2 (which CPU runs next) had 2 options, where an earlier execution with the same decisions before it had 3"
t_stdout_has crashes "    error: scenario code crashed with SIGABRT (signal 6: Aborted) in the scenario's set-up, after decisions "
t_stdout_has crashes "8 configurations, 2 as expected, 6 not"
# bad/then-ok comes after every crash, in both its configurations.
n=$(printf '%s\n' "$t_out" | grep -c '^bad/then-ok  *[a-z0-9]*  *safe  *safe ')
[ "$n" -eq 2 ] && t_ok || t_bad "crashes: bad/then-ok ran $n times, want 2"

# The decisions of a crash replay into it: the replay crashes the same way.
out=$t_out
cmd=$(printf '%s\n' "$out" | sed -n 's/^    replay: \(.*bad\/segv@default.*\)$/\1/p')
d=$(printf '%s\n' "$cmd" | sed 's/.*--decisions //')
t_out=$d
[ "$d" != "${d%:01}" ] && t_ok || t_bad "segv-decisions: '$d' does not end with :01"
t_out=$out
t_stdout_has crashes "after decisions $d (a replay runs into it)"
"$BAD" replay bad/segv@default --decisions "$d" >/dev/null 2>&1
t_rc=$?
t_status segv-replay 139

# JSON: the verdict and the error; no violation.
t_run "$BAD" check --json bad/abort
t_status crash-json 1
case "$t_out" in
*'"verdict": "crashed"'*'"violation": null, "error": "scenario code crashed with SIGABRT (signal 6: Aborted) on CPU0 in execution 1, after decisions '*) t_ok ;;
*) t_bad "crash-json: fields" ;;
esac

# --- nondeterministic --------------------------------------------------
t_run "$BAD" check --no-reduction --json bad/nondeterministic
t_status nondeterministic 1
# Everything exact but the time, a number that a loaded host can make
# 0.001 (the time replaced by S after checking its form).
case "$t_out" in
*'"seconds": '[0-9].[0-9][0-9][0-9]', "violation"'*) t_ok ;;
*) t_bad "nondeterministic: seconds is not a number with three decimals" ;;
esac
t_out=$(printf '%s\n' "$t_out" | sed 's/"seconds": [0-9]*\.[0-9]*/"seconds": S/')
t_stdout_is nondeterministic '{"scenario": "bad/nondeterministic", "config": "default", "expect": "safe", "verdict": "nondeterministic", "as_expected": false, "complete": false, "executions": 2, "blocked": 0, "ruled": 0, "ended": 0, "seconds": S, "violation": null, "error": "the scenario is not deterministic: in execution 2, decision 2 (which CPU runs next) had 2 options, where an earlier execution with the same decisions before it had 3"}'

# The reduced search (--reduction) re-runs no prefix here: its three
# CPUs' steps touch nothing in common, so one execution stands for every
# order, and the count kept in host memory is never seen to differ
# (docs/explorer.md, Partial-order reduction, Limits).
t_run "$BAD" check --reduction --json bad/nondeterministic
t_status nondeterministic-reduced 0
t_stdout_has nondeterministic-reduced '"verdict": "safe", "as_expected": true, "complete": true, "executions": 1,'

# Without isolation, the same verdict (it needs no child process).
t_run "$BAD" check --no-reduction --no-isolate bad/nondeterministic bad/then-ok
t_status no-isolate 1
t_stdout_has no-isolate "3 configurations, 2 as expected, 1 not"
t_stdout_has no-isolate "verdict nondeterministic"

# Without isolation a crash takes the whole run down (what isolation is for).
"$BAD" check --no-isolate bad/abort bad/then-ok >/dev/null 2>&1
t_rc=$?
t_status no-isolate-crash 134

t_run "$BAD" check --help
t_status check-help 0
t_stdout_has check-help "  --no-isolate      run each search in this process, not in a child"

# --- an expectation that is not a verdict -------------------------------
t_run "$BAD" check 'typo/*'
t_status typo 2
t_stderr_has typo "vmsa: check: typo/expect@bbm2 expects 'sfae', which is not a verdict (valid: safe, bbm, conflict-abort-unhandled, "
t_stderr_has typo ", model-limit, bad-call, recursive-exception)"
[ -z "$t_out" ] && t_ok || t_bad "typo: something ran"

# Only what is selected is checked: the valid configuration runs.
t_run "$BAD" check typo/expect@default
t_status typo-other-config 0

# list shows the configuration, marks the expectation, and refuses it as
# check does (exit 2, the same message).
t_run "$BAD" list 'typo/*'
t_status list-typo 2
t_stdout_is list-typo 'typo/expect (2 CPUs): an expectation with a typo
    default              expect safe
    bbm2                 expect sfae  (not a verdict)
1 scenario, 2 configurations'
t_stderr_has list-typo "vmsa: list: typo/expect@bbm2 expects 'sfae', which is not a verdict (valid: safe, bbm, conflict-abort-unhandled, "
t_run "$BAD" list --json typo/expect@bbm2
t_status list-typo-json 2
t_run "$BAD" list typo/expect@default
t_status list-typo-other-config 0
t_stdout_has list-typo-other-config "    default              expect safe"

# --- the table stays in line --------------------------------------------
# Verdicts wider than every expectation ("nondeterministic", "crashed")
# start under "verdict", and every row's execution count ends under the
# end of "executions".
t_run "$BAD" check --no-reduction 'bad/*'
v=$(printf '%s\n' "$t_out" | awk 'NR == 1 { print index($0, "verdict") }')
e=$(printf '%s\n' "$t_out" | awk 'NR == 1 { print index($0, "executions") + 9 }')
rows=$(printf '%s\n' "$t_out" | grep -c '^bad/')
[ "$rows" -eq 8 ] && t_ok || t_bad "table: $rows rows, want 8"
off=$(printf '%s\n' "$t_out" | awk -v v="$v" -v e="$e" '
	/^bad\// {
		w = substr($0, v, 16)
		if (w !~ /^(crashed|nondeterministic|safe) /  && w != "nondeterministic")
			n++
		else if (substr($0, v - 2, 2) != "  " || substr($0, e, 1) !~ /[0-9]/ ||
			 substr($0, e + 1, 1) != " ")
			n++
	}
	END { print n + 0 }')
[ "$off" -eq 0 ] && t_ok || t_bad "table: $off rows out of line
$t_out"
t_stdout_has table "bad/nondeterministic  default  safe      nondeterministic         "

# --- a violation of the final check has no CPU ---------------------------
# It is "in the final check" in the table, the replay and the HTML page,
# not "on CPU-1".
html=$(mktemp "${TMPDIR:-/tmp}/vmsa-check-fails.XXXXXX") || exit 1
t_run "$BAD" check --html "$html" check/fails
t_status check-fails 1
t_stdout_has check-fails "    assert in the final check at step 1: the final check fails"
t_run "$BAD" replay check/fails@default --decisions a002:
t_stdout_has check-fails-replay "violation at step 1 in the final check"
grep -q "assert in the final check at step 1: the final check fails" "$html" \
	&& t_ok || t_bad "check-fails-html: no 'in the final check' line"
rm -f "$html"

t_done
