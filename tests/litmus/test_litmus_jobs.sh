#!/bin/sh
# vmsa litmus --jobs N: the bundled tests (tests/litmus/data, lb) over
# worker processes print exactly what one process prints, in its order
# (herd7's format, --tsv, --json; times aside) with its exit status and
# its HTML pages; --split-search gives the same final states and
# observations; a worker that crashes is an error for its test only
# (VMSA_LITMUS_CRASH, a test hook); bad arguments are usage errors.
. "$(dirname "$0")/../lib.sh"

d=$(dirname "$0")
set -- "$d/data" "$d/lb"

# The output without its times: "Time NAME S" lines of herd7's format,
# the seconds column of --tsv, the "seconds" of --json.
untimed() {
	printf '%s\n' "$1" | sed 's/^\(Time .*\) [0-9.]*$/\1/;
		s/"seconds": [0-9.]*/"seconds"/;
		s/^\([^	]*	[^	]*	[^	]*\)	[0-9.]*	/\1		/'
}

for fmt in herd --tsv --json; do
	f=$fmt
	[ "$fmt" = herd ] && f=
	t_run "$VMSA" litmus $f "$@"
	serial=$(untimed "$t_out")
	serr=$t_err
	# bad.litmus does not parse: 1, in one process and in workers.
	t_status "serial $fmt" 1
	for j in 2 3; do
		t_run "$VMSA" litmus $f --jobs $j "$@"
		t_status "jobs$j $fmt" 1
		[ "$(untimed "$t_out")" = "$serial" ] && t_ok ||
			t_bad "jobs$j $fmt: output differs from one process"
		[ "$t_err" = "$serr" ] && t_ok ||
			t_bad "jobs$j $fmt: stderr differs from one process"
	done
done
# Every test of the set ran (44: each .litmus of data/ and lb/ but
# bad.litmus and stg.litmus), and the times were the only difference.
n=$(printf '%s\n' "$serial" | grep -c '"observation": "\(Never\|Sometimes\|Always\)"')
[ "$n" -eq 44 ] && t_ok || t_bad "json: $n tests ran, want 44"

# Without a parse error the status is 0 in both.
t_run "$VMSA" litmus --jobs 2 "$d/lb" "$d/data/sb.litmus"
t_status "jobs2 clean" 0

# The HTML pages are those of one process (in the same directory: the
# page names the command that makes it).
html=$(mktemp -d)
t_run "$VMSA" litmus --html "$html/p" "$d/lb" "$d/data/sb.litmus"
mv "$html/p" "$html/1"
t_run "$VMSA" litmus --jobs 2 --html "$html/p" "$d/lb" "$d/data/sb.litmus"
t_status "html jobs2" 0
n=$(ls "$html/p" | wc -l)
[ "$n" -eq 25 ] && t_ok || t_bad "html: $n pages, want 25"
diff -r "$html/1" "$html/p" >/dev/null && t_ok ||
	t_bad "html: pages differ from one process"
rm -rf "$html"

# A cap keeps its meaning: each search whole in one worker, the same
# executions, and a search cut there reported the same way.
t_run "$VMSA" litmus --tsv --max-executions 5 "$@"
serial=$(untimed "$t_out")
t_run "$VMSA" litmus --tsv --max-executions 5 --jobs 2 "$@"
[ "$(untimed "$t_out")" = "$serial" ] && t_ok ||
	t_bad "cap 5: output differs from one process"
t_stdout_has "cap 5" "	5	$d/data/sb.litmus: unsupported: the search did not finish within 5 executions, but its observation is decided: Sometimes (the proposition holds in 2 of them and not in 3)"

# VMSA_LITMUS_STATS (the decisions of each search by kind, on stderr):
# the workers' counts are added up, so each test's table is one
# process's, rows in the same order (a test with several kinds of
# decision, two tests of the set).
export VMSA_LITMUS_STATS=1
t_run "$VMSA" litmus --tsv "$@"
serr=$(untimed "$t_err")
t_run "$VMSA" litmus --tsv --jobs 2 "$@"
[ "$(untimed "$t_err")" = "$serr" ] && t_ok ||
	t_bad "stats: stderr differs from one process"
unset VMSA_LITMUS_STATS
printf '%s\n' "$serr" | grep -q '^ *[0-9][0-9]* *[0-9][0-9]*  which CPU runs next$' &&
	t_ok || t_bad "stats: no count of scheduling decisions"
n=$(printf '%s\n' "$serr" | grep -c 'decisions of two options or more')
[ "$n" -eq 44 ] && t_ok || t_bad "stats: $n tables, want 44"

# --split-search: the same final states and observation (lines other
# than the counts of Witnesses/Observation and the time).
states() {
	printf '%s\n' "$1" | sed '/^Positive: /d; /^Time /d;
		s/^\(Observation [^ ]* [A-Za-z]*\) .*/\1/'
}
t_run "$VMSA" litmus --max-executions 0 "$@"
serial=$(states "$t_out")
t_run "$VMSA" litmus --max-executions 0 --jobs 2 --split-search "$@"
t_status "split" 1
[ "$(states "$t_out")" = "$serial" ] && t_ok ||
	t_bad "split: states or observations differ from one process"

# --- a worker that crashes: its test is an error, the others go on ---
t_run "$VMSA" litmus --tsv "$@"
serial=$(untimed "$t_out" | grep -v '	SB	')
t_run env VMSA_LITMUS_CRASH=SB "$VMSA" litmus --tsv --jobs 2 "$@"
t_status "crash" 1
t_stdout_has "crash" "	0	$d/data/sb.litmus: the search failed: a worker process crashed: the search's caller crashed with SIGSEGV (signal 11: Segmentation fault) in the search's outcome callback of execution 1, after decisions 24d6:"
# Without the replay hint of `vmsa check` (no replay of a litmus test).
printf '%s\n' "$t_out" | grep -q 'replay runs into it' &&
	t_bad "crash: the message offers a replay" || t_ok
[ "$(untimed "$t_out" | grep -v '	SB	')" = "$serial" ] && t_ok ||
	t_bad "crash: the other tests differ from one process"
t_run env VMSA_LITMUS_CRASH=SB "$VMSA" litmus --jobs 2 "$d/data/sb.litmus"
t_status "crash alone" 1
t_stdout_has "crash herd" "Test SB error"

# --- bad arguments ----------------------------------------------------
for v in 0 x 257 -1 2x; do
	t_run "$VMSA" litmus --jobs "$v" "$d/lb"
	t_status "jobs '$v'" 2
	t_stderr_has "jobs '$v'" "litmus: --jobs takes a number of worker processes, 1 to 256, not '$v'"
done
t_run "$VMSA" litmus "$d/lb" --jobs
t_status "jobs missing" 2
t_stderr_has "jobs missing" "litmus: --jobs takes a number of worker processes, 1 to 256, not ''"
t_run "$VMSA" litmus --split-search --max-executions 0 "$d/lb"
t_status "split jobs 1" 2
t_stderr_has "split jobs 1" "litmus: --split-search splits a search between worker processes: it needs --jobs 2 or more"
t_run "$VMSA" litmus --jobs 2 --split-search "$d/lb"
t_status "split cap" 2
t_stderr_has "split cap" "litmus: --split-search needs --max-executions 0 (a cap counts the executions of one process's search, which a split search does not make)"
t_run "$VMSA" litmus --jobs 2 --variant foo "$d/lb"
t_status "jobs bad variant" 2
t_stderr_has "jobs bad variant" "litmus: bad --variant 'foo' (known: vmsa, fatal,"
t_done
