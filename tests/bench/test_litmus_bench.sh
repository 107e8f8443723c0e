#!/bin/sh
# bench/litmus runs and prints one JSON object with a time per test: on
# the ETS2 folder of the litmus catalogue when it is there (../shared),
# with the folder's run over 2 worker processes beside it (2 forks), and on a
# missing directory (an empty list, exit 0). A test cut at the bound is run
# again without one, in one process and split over the workers (`split`).
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
	t_stdout_has "forks" '"workers_forked":2,'
	# None over 1 s nor cut: nothing to split.
	t_stdout_has "no split" '"split":[],"n_over_1s_split":0}'
fi
# SB cut at 2 executions: again without a bound, 12 executions in one
# process, the same final states and observation split over 2 workers.
sbdir=$(mktemp -d)
cp tests/litmus/data/sb.litmus "$sbdir/"
t_run env VMSA_LITMUS_DIR="$sbdir" VMSA_LITMUS_MAX_EXECUTIONS=2 "$bench"
t_status "sb cut" 0
t_stdout_has "sb unfinished" '"n_over_1s":0,"n_unfinished":1,'
t_stdout_has "sb split" '"split":[{"name":"SB","observation":"Sometimes","seconds_one":'
t_stdout_has "sb one" '"executions_one":12,"seconds_split":'
t_stdout_has "sb same" '"split_status":0,"same_states":true}],"n_over_1s_split":0}'
t_run env VMSA_LITMUS_DIR="$sbdir" VMSA_LITMUS_MAX_EXECUTIONS=2 \
	VMSA_BENCH_LITMUS_SPLIT=0 "$bench"
t_status "split off" 0
t_stdout_has "split off" '"workers_forked":1}'
rm -r "$sbdir"
t_done
