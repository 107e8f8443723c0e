#!/bin/sh
# Shell tests of `vmsa check --jobs N`: the plain search (--no-reduction)
# gives the same results as one process (every field of --json but the
# time), at the default bound and at a bound where searches last long
# enough to be split between workers (the model's own scenarios:
# with_model_scenarios in tests/lib.sh); the reduced search the same verdicts and completeness, unbounded too; a
# crashing configuration (build/test/vmsa-bad) is reported as in one
# process while the others complete; bad --jobs arguments are usage
# errors.
. "$(dirname "$0")/../lib.sh"

BAD=${VMSA_BAD:-$(dirname "$VMSA")/test/vmsa-bad}

# JSON lines without their "seconds" field.
untimed() { printf '%s\n' "$1" | sed 's/"seconds": [0-9.]*, //'; }

for bound in 2 4; do
	t_run with_model_scenarios "$VMSA" check --json --no-reduction \
		--preemptions $bound
	serial=$(untimed "$t_out")
	t_status "serial-$bound" 0
	for j in 2 3; do
		t_run with_model_scenarios "$VMSA" check --json --no-reduction \
			--preemptions $bound --jobs $j
		t_status "jobs$j-$bound" 0
		[ "$(untimed "$t_out")" = "$serial" ] && t_ok ||
			t_bad "jobs$j-$bound: results differ from one process"
	done
done
n=$(printf '%s\n' "$serial" | grep -c '"as_expected": true')
[ "$n" -ge 19 ] && t_ok || t_bad "only $n configurations as expected"

# With the reduction, searches are split too, and races
# found above a worker's floor become units of their own: the same
# verdicts and completeness as one process (the executions, and which
# violation, may differ), unbounded and at bound 3.
verdicts() {
	printf '%s\n' "$1" | sed 's/^\({"scenario": [^,]*, "config": [^,]*\), .*\("verdict": [^,]*, "as_expected": [a-z]*, "complete": [a-z]*\).*/\1 \2/'
}
for bound in 3 unbounded; do
	t_run with_model_scenarios "$VMSA" check --json --reduction \
		--preemptions $bound
	serial=$(verdicts "$t_out")
	t_status "reduced-$bound" 0
	t_run with_model_scenarios "$VMSA" check --json --reduction \
		--preemptions $bound --jobs 2
	t_status "reduced-jobs2-$bound" 0
	[ "$(verdicts "$t_out")" = "$serial" ] && t_ok ||
		t_bad "reduced-$bound: verdicts differ from one process"
done
printf '%s\n' "$serial" | grep -q '"complete": true' && t_ok ||
	t_bad "reduced: no complete search"

# A random search is not split: each configuration in one worker, the
# same executions as in one process.
t_run "$VMSA" check --json --random 50 --seed 3
serial=$(untimed "$t_out")
t_run "$VMSA" check --json --random 50 --seed 3 --jobs 3
[ "$(untimed "$t_out")" = "$serial" ] && t_ok ||
	t_bad "random: results differ from one process"

# The table: rows in the order of one process, with the summary line.
t_run "$VMSA" check --jobs 2 'size/*'
t_status table 0
t_stdout_has table "4 configurations, 4 as expected, 0 not"
order=$(printf '%s\n' "$t_out" | sed -n 's/^size\/split  *\([a-z0-9-]*\) .*/\1/p' | tr '\n' ' ')
[ "$order" = "bbm0 bbm1 bbm2 bbm2-noabort " ] && t_ok || t_bad "table: order '$order'"

# --- a crash in one configuration, the others complete ----------------
t_run "$BAD" check --no-reduction 'bad/*'
serial=$(printf '%s\n' "$t_out" | sed 's/ *[0-9.]*s\( \|$\)/\1/')
t_run "$BAD" check --no-reduction --jobs 2 'bad/*'
t_status crashes 1
t_stdout_has crashes "    error: scenario code crashed with SIGSEGV (signal 11: Segmentation fault) on CPU1 in execution 2, after decisions "
t_stdout_has crashes "8 configurations, 2 as expected, 6 not"
[ "$(printf '%s\n' "$t_out" | sed 's/ *[0-9.]*s\( \|$\)/\1/')" = "$serial" ] && t_ok ||
	t_bad "crashes: the table differs from one process"
n=$(printf '%s\n' "$t_out" | grep -c '^bad/then-ok  *[a-z0-9]*  *safe  *safe ')
[ "$n" -eq 2 ] && t_ok || t_bad "crashes: bad/then-ok ran $n times, want 2"

# --- bad arguments -------------------------------------------------------
for v in 0 -1 257 two ''; do
	t_run "$VMSA" check --jobs "$v" bbm/ok
	t_status "jobs '$v'" 2
	t_stderr_has "jobs '$v'" "check: --jobs takes a number of worker processes, 1 to 256, not '$v'"
done
t_run "$VMSA" check --jobs
t_status "jobs missing" 2
t_stderr_has "jobs missing" "check: --jobs takes a number of worker processes, 1 to 256, not ''"
t_run "$VMSA" check --jobs 2 --no-isolate bbm/ok
t_status "jobs no-isolate" 2
t_stderr_has "jobs no-isolate" "check: --jobs 2 runs searches in worker processes: it cannot be combined with --no-isolate"
t_run "$VMSA" check --jobs=1 --no-isolate bbm/ok
t_status "jobs 1 no-isolate" 0

t_done
