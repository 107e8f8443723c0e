#!/bin/sh
# The command and the library under valgrind's memcheck: no invalid read
# or write, no use of uninitialised values, no leak of a block still
# unreachable at exit (--errors-for-leak-kinds=definite), across the
# paths a user runs: searches in process (plain and reduced, every model
# topic), searches in child processes and in --jobs workers, a replay of
# a violation, the litmus front end, and a part of the unit tests (the
# coroutines, snapshots and digests, the hash tables, the reduction's
# footprints). The sanitizer build of the unit tests covers the rest of
# the unit tests (tests/run-all.sh). `make check` installs valgrind when
# it can (the valgrind rule of the Makefile); without it this script is
# skipped.
. "$(dirname "$0")/../lib.sh"

if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind is not installed: the memcheck runs were skipped"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
TESTS=${VMSA_TESTS:-$(dirname "$VMSA")/test/vmsa-tests}
root=$(dirname "$0")/../..
# Status 99 for a memcheck error, whatever the command's own status.
vg() {
	t_run valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite "$@"
}

# Every model topic, unbounded with the reduction, in process.
vg "$VMSA" check --no-isolate --preemptions unbounded \
	'bbm/*' 'cache/*' 'ets2/*' 's2/*' 'size/*' 'table/*'
t_status "reduced search" 0
t_stdout_has "reduced search" "19 configurations, 19 as expected, 0 not"

# Executions resumed from saved states (machine checkpoints, coroutine
# stacks put back at their addresses), in process.
vg "$VMSA" check --no-isolate --resume --preemptions unbounded \
	'bbm/*' 's2/*' 'size/*'
t_status "resumed search" 0
t_stdout_has "resumed search" "12 configurations, 12 as expected, 0 not"

# The plain search at bound 1, each configuration in a child process
# (the default).
vg "$VMSA" check --preemptions 1 'bbm/*' 'size/*' 'table/*'
t_status "isolated plain search" 0
t_stdout_has "isolated plain search" "12 configurations, 12 as expected, 0 not"

# Worker processes sharing the searches.
vg "$VMSA" check --jobs 2 --preemptions 1 'bbm/*' 'contpte/fold@*'
t_status "jobs" 0
t_stdout_has "jobs" "9 configurations, 9 as expected, 0 not"

# A violation replayed step by step.
vg "$VMSA" replay size/split@bbm2 --decisions 849b:0000000100000000001
t_status "replay" 0
t_stdout_has "replay" "conflict-abort-unhandled: CPU1: no handler at EL1"

# The litmus front end, its ordering model and a malformed file.
vg "$VMSA" litmus "$root"/tests/litmus/lb/LB.litmus \
	"$root"/tests/litmus/data/sb.litmus
t_status "litmus" 0
t_stdout_has "litmus" "Observation LB Sometimes"
vg "$VMSA" litmus "$root"/tests/litmus/data/bad.litmus
t_status "litmus, malformed" 1
# Over worker processes, a search split between them too.
vg "$VMSA" litmus --jobs 2 --split-search --max-executions 0 \
	"$root"/tests/litmus/lb/LB.litmus "$root"/tests/litmus/data/sb.litmus
t_status "litmus jobs" 0
t_stdout_has "litmus jobs" "Observation LB Sometimes"
# Workers under memcheck too (--trace-children): four tests over two
# workers, so that each worker runs a second test in the same process.
vg --trace-children=yes "$VMSA" litmus --jobs 2 \
	"$root"/tests/litmus/lb/LB.litmus "$root"/tests/litmus/data/sb.litmus \
	"$root"/tests/litmus/data/fault.litmus "$root"/tests/litmus/lb/LB+ro.litmus
t_status "litmus workers reused" 0
t_stdout_has "litmus workers reused" "Observation LB+ro"
# A worker killed at the end exits with no status of its own: with -q,
# any line of memcheck's is an error.
printf '%s\n' "$t_err" | grep -q '^==[0-9]*==' &&
	t_bad "litmus workers reused: memcheck reported" || t_ok

# Unit tests of the structures a search reuses from one execution to
# the next.
vg "$TESTS" coro snapshot digest htab footprint_vis entry_set
t_status "unit tests" 0
t_stdout_has "unit tests" " passed, 0 failed"

t_done
