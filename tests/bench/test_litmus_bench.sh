#!/bin/sh
# bench/litmus runs and prints one JSON object with a time per test: on
# the ETS2 folder of the litmus catalogue when it is there (../shared),
# with the folder's run over 2 worker processes beside it (2 forks), and on a
# missing directory (an empty list, exit 0).
. "$(dirname "$0")/../lib.sh"

bench=${BENCH_LITMUS:-build/bench/litmus}
dir=${LITMUS_DIR:-../shared/litmus}

t_run env VMSA_LITMUS_DIR=/nonexistent "$bench"
t_status "missing dir" 0
t_stdout_has "empty list" '"tests":[],"n_tests":0,'
if [ -d "$dir/aarch64-ETS2" ]; then
	t_run env VMSA_LITMUS_DIR="$dir/aarch64-ETS2" \
		VMSA_LITMUS_MAX_EXECUTIONS=1000 "$bench"
	t_status "ets2 folder" 0
	t_stdout_has "header" '{"benchmark":"litmus",'
	t_stdout_has "max" '"max_executions":1000,'
	t_stdout_has "a test" '{"name":"ETS2.CoWR0+posptev1p-fripptev1","observation":"Never","seconds":'
	t_stdout_has "count" '"n_tests":7,'
	t_stdout_has "none slow" '"n_over_1s":0,"n_unfinished":0,'
	t_stdout_has "memory" '"peak_rss_kib":'
	# The folder again over 2 workers: every test the same, in 2
	# forked workers (each runs test after test).
	t_stdout_has "jobs" '"jobs":2,'
	t_stdout_has "jobs same" '"jobs_status":0,"jobs_same":7,'
	t_stdout_has "forks" '"workers_forked":2}'
fi
t_done
