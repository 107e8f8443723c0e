#!/bin/sh
# Shell tests of `vmsa check --shard I/N` and `vmsa merge`: shards 1/3,
# 2/3 and 3/3 of every bundled configuration of the model's own
# (with_model_scenarios in tests/lib.sh), merged, give exactly the
# JSON line of one run (but the time), at the default bound and at 4,
# alone and with --jobs 2; a crash in one configuration is merged as one
# run reports it; bad --shard arguments, and inputs that cannot be
# merged (a shard missing or given twice, other options, malformed
# lines), are usage errors with a clear message.
. "$(dirname "$0")/../lib.sh"

BAD=${VMSA_BAD:-$(dirname "$VMSA")/test/vmsa-bad}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

untimed() { sed 's/"seconds": [0-9.]*, //' "$@"; }

# shards PROG NAME ARGS...: NAME.1 .. NAME.3, the shards' outputs.
shards() {
	prog=$1 name=$2
	shift 2
	for i in 1 2 3; do
		"$prog" check --json --shard $i/3 "$@" >"$dir/$name.$i" 2>/dev/null
	done
}

for bound in 2 4; do
	with_model_scenarios "$VMSA" check --json --no-reduction --preemptions $bound \
		2>/dev/null | untimed >"$dir/serial"
	with_model_scenarios shards "$VMSA" b$bound --preemptions $bound
	t_run "$VMSA" merge "$dir/b$bound.3" "$dir/b$bound.1" "$dir/b$bound.2"
	t_status "merge-$bound" 0
	t_stderr_has "merge-$bound" "19 configurations, 19 as expected, 0 not"
	[ "$(printf '%s\n' "$t_out" | untimed)" = "$(cat "$dir/serial")" ] && t_ok ||
		t_bad "merge-$bound: not the result of one run"
	with_model_scenarios shards "$VMSA" j$bound --preemptions $bound \
		--jobs 2
	t_run "$VMSA" merge "$dir/j$bound.1" "$dir/j$bound.2" "$dir/j$bound.3"
	[ "$(printf '%s\n' "$t_out" | untimed)" = "$(cat "$dir/serial")" ] && t_ok ||
		t_bad "merge-jobs-$bound: not the result of one run"
done

# A shard's own line: its part of the search, and the plan's units.
t_run "$VMSA" check --json --shard 2/3 bbm/ok
t_status shard-line 0
t_stdout_has shard-line '"shard": {"index": 2, "count": 3, "units": '
t_stdout_has shard-line '"preemptions": 2, "steps": 10000, "ran": [[1, '
t_stdout_has shard-line '"stop": null}}'

# Shards of configurations with features added (--with): merged, the
# plain search's count of one run (535 executions of bbm/ok@bbm0+relaxed
# at bound 2).
"$VMSA" check --json --with relaxed --shard 1/2 bbm/ok > "$dir/w.1" 2>/dev/null
"$VMSA" check --json --with relaxed --shard 2/2 bbm/ok > "$dir/w.2" 2>/dev/null
t_run "$VMSA" merge "$dir/w.2" "$dir/w.1"
t_status merge-with 0
t_stdout_has merge-with '"config": "bbm0+relaxed", "expect": "safe", "verdict": "safe", "as_expected": true, "complete": true, "executions": 535,'

# --- crashes: merged as one run reports them -------------------------
"$BAD" check --json --no-reduction 'bad/*' 2>/dev/null | untimed >"$dir/bad-serial"
shards "$BAD" bad 'bad/*'
t_run "$BAD" merge "$dir/bad.1" "$dir/bad.2" "$dir/bad.3"
t_status crashes 1
t_stderr_has crashes "8 configurations, 2 as expected, 6 not"
# Every line but that of the scenario that is not deterministic: where
# re-runs differ depends on which process ran what.
[ "$(printf '%s\n' "$t_out" | untimed | grep -v nondeterministic)" = \
  "$(grep -v nondeterministic "$dir/bad-serial")" ] && t_ok ||
	t_bad "crashes: not the result of one run"
t_stdout_has crashes '"scenario": "bad/segv", "config": "default", "expect": "safe", "verdict": "crashed"'
t_stdout_has crashes '"scenario": "bad/nondeterministic", "config": "default", "expect": "safe", "verdict": "nondeterministic", "as_expected": false'

# --- inputs that cannot be merged --------------------------------------
b=$dir/b2
t_run "$VMSA" merge "$b.1" "$b.2"
t_status missing 2
t_stderr_has missing "merge: bbm/missing-dsb-before-tlbi@bbm0: shard 3/3 is missing"
t_run "$VMSA" merge "$b.1" "$b.2" "$b.3" "$b.2"
t_status twice 2
t_stderr_has twice "merge: bbm/missing-dsb-before-tlbi@bbm0: shard 2/3 is given twice ($b.2:1 and $b.2:1)"
t_run "$VMSA" merge "$b.1" "$b.2" "$dir/b4.3"
t_status options 2
t_stderr_has options "merge: bbm/missing-dsb-before-tlbi@bbm0: shards 1 ($b.1:1) and 3 ($dir/b4.3:1) differ in --preemptions"
with_model_scenarios "$VMSA" check --json --shard 3/3 --steps 500 \
	>"$dir/steps" 2>/dev/null
t_run "$VMSA" merge "$b.1" "$b.2" "$dir/steps"
t_stderr_has steps "differ in --steps"
with_model_scenarios "$VMSA" check --json --shard 2/2 >"$dir/two" \
	2>/dev/null
t_run "$VMSA" merge "$b.1" "$dir/two"
t_status count 2
t_stderr_has count "merge: bbm/missing-dsb-before-tlbi@bbm0: $dir/two:1 is shard 2/2, $b.1:1 is of 3 shards"
"$VMSA" check --json bbm/ok >"$dir/plain" 2>/dev/null
t_run "$VMSA" merge "$dir/plain"
t_status no-shard 2
t_stderr_has no-shard "merge: $dir/plain:1: not the output of 'vmsa check --shard I/N' (no \"shard\")"
head -c 100 "$b.1" >"$dir/cut"
t_run "$VMSA" merge "$dir/cut"
t_status cut 2
t_stderr_has cut "merge: $dir/cut:1: not JSON: a string without its closing quote"
printf '{"scenario": "x"}\n' >"$dir/fields"
t_run "$VMSA" merge "$dir/fields"
t_status fields 2
t_stderr_has fields "merge: $dir/fields:1: not a result line of 'vmsa check --json'"
: >"$dir/empty"
t_run "$VMSA" merge "$dir/empty"
t_status empty 2
t_stderr_has empty "merge: $dir/empty is empty"
t_run "$VMSA" merge "$dir/nonexistent"
t_status unreadable 2
t_stderr_has unreadable "merge: cannot read $dir/nonexistent: No such file or directory"
t_run "$VMSA" merge
t_status no-files 2
t_stderr_has no-files "merge: no files (see 'vmsa merge --help')"
t_run "$VMSA" merge --fast "$b.1"
t_status option 2
t_stderr_has option "merge: unknown option '--fast'"
# A unit no shard reports: shard 2's line of bbm/ok with "ran" emptied.
sed '/"bbm\/ok"/s/"ran": \[.*\]\], "stop"/"ran": [], "stop"/' "$b.2" >"$dir/lost"
t_run "$VMSA" merge "$b.1" "$dir/lost" "$b.3"
t_status lost 2
t_stderr_has lost "merge: bbm/ok@bbm0: no shard reports unit 1 of the plan (a shard's output is cut short?)"
# An entry of "ran" without the counts of executions cut short (the
# format before they were counted), and a count that is no number.
sed '/"bbm\/ok"/s/"ran": \[\[\([0-9]*\), \([0-9]*\), [0-9]*, [0-9]*, [0-9]*\]/"ran": [[\1, \2]/' "$b.2" >"$dir/old"
t_run "$VMSA" merge "$b.1" "$dir/old" "$b.3"
t_status old-ran 2
t_stderr_has old-ran "its \"ran\" has an entry that is not [unit, executions, blocked, ruled, ended]"
sed '/"bbm\/ok"/s/"ran": \[\[\([0-9]*\), \([0-9]*\), [0-9]*,/"ran": [[\1, \2, "x",/' "$b.2" >"$dir/nan"
t_run "$VMSA" merge "$b.1" "$dir/nan" "$b.3"
t_status nan-ran 2
t_stderr_has nan-ran "its \"ran\" has a count that is not a number"

t_run "$VMSA" help merge
t_status merge-help 0
t_stdout_has merge-help "usage: vmsa merge FILE..."
t_run "$VMSA" --help
t_stdout_has main-help "  merge   merge the JSON results of 'check --shard I/N' runs"

# --- bad --shard arguments ----------------------------------------------
for v in 0/3 4/3 3 a/b 1/0 /3 1/ '' 1/4097; do
	t_run "$VMSA" check --shard "$v" bbm/ok
	t_status "shard '$v'" 2
	t_stderr_has "shard '$v'" "check: --shard takes I/N, part I of N (1 <= I <= N <= 4096), not '$v'"
done
t_run "$VMSA" check --shard 1/2 --random 5 bbm/ok
t_status shard-random 2
t_stderr_has shard-random "check: --shard splits the exhaustive search: it cannot be combined with --random"
t_run "$VMSA" check --json --quiet --shard 1/2 bbm/ok
t_status shard-quiet 2
t_stderr_has shard-quiet "check: --shard prints every configuration's result for 'vmsa merge': it cannot be combined with --quiet"
t_run "$VMSA" check --shard 1/2 --reduction bbm/ok
t_status shard-reduction 2
t_stderr_has shard-reduction "check: --shard splits the plain exhaustive search: it cannot be combined with --reduction"
t_run "$VMSA" check --shard 1/2 --no-isolate bbm/ok
t_status shard-no-isolate 2
t_stderr_has shard-no-isolate "check: --shard runs searches in worker processes: it cannot be combined with --no-isolate"

t_done
