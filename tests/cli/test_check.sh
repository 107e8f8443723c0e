#!/bin/sh
# Shell tests of vmsa check, list and replay: JSON Lines output, every
# bundled configuration as expected, every violation replayed (twice, the
# same both times, ending with the same kind and message), usage errors,
# selections, help texts, the HTML page (rendered by chromium when it is
# installed). Prints "N passed, N failed, N skipped".
. "$(dirname "$0")/../lib.sh"

t_skipped=0
t_skip() {
	t_skipped=$((t_skipped + 1))
	echo "skipped: $1"
}
t_done() {
	echo "$t_pass passed, $t_fail failed, $t_skipped skipped"
	[ "$t_fail" -eq 0 ]
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmsa-check.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

have_python=false
command -v python3 >/dev/null 2>&1 && have_python=true
[ -n "$VMSA_TEST_NO_PYTHON" ] && have_python=false

# json_rows FILE: one line per configuration of the JSON Lines in FILE:
# scenario@config TAB verdict TAB decisions TAB kind TAB message (the last
# three empty when safe). With python3 it also checks that every line is
# JSON with every field (exit 1 otherwise); without it, sed reads the
# fields as vmsa writes them.
json_rows() {
	if $have_python; then
		python3 -c '
import json, sys
keys = ["scenario", "config", "expect", "verdict", "as_expected",
        "complete", "executions", "seconds", "violation", "error"]
vkeys = ["kind", "rule", "cpu", "step", "message", "decisions"]
for line in open(sys.argv[1]):
    o = json.loads(line)
    for k in keys:
        if k not in o:
            sys.exit("missing field " + k + " in " + line)
    v = o["violation"]
    if v is not None:
        for k in vkeys:
            if k not in v:
                sys.exit("missing violation field " + k + " in " + line)
    v = v or {"decisions": "", "kind": "", "message": ""}
    print("\t".join([o["scenario"] + "@" + o["config"], o["verdict"],
                     v["decisions"], v["kind"], v["message"]]))
' "$1"
	else
		sed -E -e 's/^\{"scenario": "([^"]*)", "config": "([^"]*)".*"verdict": "([^"]*)".*$/\1@\2\t\3/' "$1" |
		while IFS='	' read -r target verdict; do
			line=$(grep -F "\"scenario\": \"${target%@*}\", \"config\": \"${target##*@}\"" "$1")
			d=$(printf '%s\n' "$line" | sed -n -E 's/.*"decisions": "([^"]*)".*/\1/p')
			k=$(printf '%s\n' "$line" | sed -n -E 's/.*"violation": \{"kind": "([^"]*)".*/\1/p')
			m=$(printf '%s\n' "$line" | sed -n -E 's/.*"message": "(([^"\\]|\\.)*)".*/\1/p')
			printf '%s\t%s\t%s\t%s\t%s\n' "$target" "$verdict" "$d" "$k" "$m"
		done
	fi
}

# --- every bundled configuration, as JSON Lines ----------------------
"$VMSA" check --json >"$tmp/all.json" 2>"$tmp/all.err"
t_rc=$?
t_out=$(cat "$tmp/all.json")
t_err=$(cat "$tmp/all.err")
t_status check-all 0
t_stderr_has check-all-summary " as expected, 0 not"

if $have_python; then
	t_run python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]' <"$tmp/all.json"
	t_status json-parses 0
else
	t_skip "json-parses (no python3)"
fi

t_run json_rows "$tmp/all.json"
t_status json-fields 0
rows=$t_out
printf '%s\n' "$rows" >"$tmp/rows"

n_json=$(grep -c . "$tmp/all.json")
n_list=$("$VMSA" list | sed -n -E 's/^[0-9]+ scenarios?, ([0-9]+) configurations?$/\1/p')
t_out="$n_json lines, list says $n_list"
[ -n "$n_list" ] && [ "$n_json" -eq "$n_list" ] && t_ok ||
	t_bad "check-all: one JSON line per configuration"

grep -q '"as_expected": false' "$tmp/all.json" &&
	t_bad "check-all: a configuration is not as expected" || t_ok
grep -q '"violation": {' "$tmp/all.json" && t_ok ||
	t_bad "check-all: no bundled configuration violates anything"

# --- every violation replays, the same way every time ----------------
n_replayed=0
while IFS='	' read -r target verdict decisions kind message; do
	[ -n "$decisions" ] || continue
	n_replayed=$((n_replayed + 1))
	t_run "$VMSA" replay "$target" --decisions "$decisions"
	t_status "replay $target" 0
	last=$(printf '%s\n' "$t_out" | tail -n 1)
	[ "$last" = "$kind: $message" ] && t_ok ||
		t_bad "replay $target: last line is not '$kind: $message'"
	[ "$kind" = "$verdict" ] && t_ok || t_bad "replay $target: kind $kind, verdict $verdict"
	first=$t_out
	t_run "$VMSA" replay "$target" --decisions "$decisions"
	[ "$t_out" = "$first" ] && t_ok ||
		t_bad "replay $target: a second replay printed another trace"
done <"$tmp/rows"
t_out="$n_replayed replayed"
[ "$n_replayed" -gt 0 ] && t_ok || t_bad "no violation was replayed"

# --- usage errors ----------------------------------------------------
t_run "$VMSA" check --frob
t_status check-unknown-option 2
t_stderr_has check-unknown-option "unknown option '--frob'"

t_run "$VMSA" check 'nosuch/*'
t_status check-unknown-pattern 2
t_stderr_has check-unknown-pattern "no scenario matches 'nosuch/*'"

t_run "$VMSA" check bbm/ok@bbm9
t_status check-bad-config 2
t_stderr_has check-bad-config "'bbm9' is not a valid configuration"

t_run "$VMSA" check bbm/ok@ets2
t_status check-unlisted-config 2
t_stderr_has check-unlisted-config "scenario bbm/ok has no configuration 'ets2' (it has: bbm0)"

t_run "$VMSA" check --preemptions -1
t_status check-bad-preemptions 2
t_stderr_has check-bad-preemptions "--preemptions takes a number or 'unbounded', not '-1'"

t_run "$VMSA" check --steps 0
t_status check-bad-steps 2
t_stderr_has check-bad-steps "--steps takes a number of steps"

t_run "$VMSA" check --steps
t_status check-missing-value 2
t_stderr_has check-missing-value "--steps takes a number of steps from 1 to 100000000, not ''"

t_run "$VMSA" check --seed 5
t_status check-seed-alone 2
t_stderr_has check-seed-alone "--seed needs --random N"

t_run "$VMSA" check --html "$tmp/no/such/dir/x.html" bbm/ok
t_status check-html-unwritable 2
t_stderr_has check-html-unwritable "cannot open '$tmp/no/such/dir/x.html' for --html"

t_run "$VMSA" replay bbm/ok
t_status replay-no-decisions 2
t_stderr_has replay-no-decisions "--decisions STRING is required"

t_run "$VMSA" replay bbm/ok --decisions
t_status replay-decisions-no-value 2
t_stderr_has replay-decisions-no-value "--decisions needs a decision string"

t_run "$VMSA" replay bbm/ok --decisions '01x!'
t_status replay-bad-decisions 2
t_stderr_has replay-bad-decisions "'01x!' is not a decision string: only 0-9, a-z, A-Z and (N) may follow the check"

t_run "$VMSA" replay bbm/ok --decisions 'a3f:01'
t_status replay-bad-check 2
t_stderr_has replay-bad-check "'a3f:01' is not a decision string: the check before ':' must be 4 hexadecimal digits"

t_run "$VMSA" replay bbm/ok --decisions '0(12'
t_status replay-bad-paren 2
t_stderr_has replay-bad-paren "is not a decision string"

t_run "$VMSA" replay nosuch/scenario --decisions 0
t_status replay-unknown-scenario 2
t_stderr_has replay-unknown-scenario "unknown scenario 'nosuch/scenario'"

t_run "$VMSA" replay bbm/ok@bbm9 --decisions 0
t_status replay-bad-config 2
t_stderr_has replay-bad-config "'bbm9' is not a valid configuration"

t_run "$VMSA" replay --frob bbm/ok --decisions 0
t_status replay-unknown-option 2
t_stderr_has replay-unknown-option "unknown option '--frob'"

t_run "$VMSA" replay --decisions 0
t_status replay-no-scenario 2
t_stderr_has replay-no-scenario "no scenario given"

# A scenario with several configurations needs @CONFIG in a replay.
multi=$("$VMSA" list | awk '/^[^ ]/ { name = $1 } /^    / { n[name]++ }
	END { for (s in n) if (n[s] > 1) { print s; exit } }')
if [ -n "$multi" ]; then
	t_run "$VMSA" replay "$multi" --decisions 0
	t_status replay-needs-config 2
	t_stderr_has replay-needs-config "say which, as $multi@CONFIG"
else
	t_skip "replay-needs-config (no scenario has several configurations)"
fi

# --- replays that do not violate, or do not fit ----------------------
# A string without its check is refused, naming the check it needs.
t_run "$VMSA" replay bbm/ok --decisions 0
t_status replay-no-check 1
ok_check=$(printf '%s\n' "$t_err" | sed -n -E 's/.*\(([0-9a-f]{4}): for bbm\/ok@bbm0 with 10000 steps\)$/\1/p')
t_stderr_has replay-no-check "vmsa: replay: the decision string has no check: it starts with the 4 hexadecimal digits and ':' that 'vmsa check' prints ($ok_check: for bbm/ok@bbm0 with 10000 steps)"
[ -n "$ok_check" ] && t_ok || t_bad "replay-no-check: no check in the message"

t_run "$VMSA" replay bbm/ok --decisions "$ok_check:"
t_status replay-safe 0
last=$(printf '%s\n' "$t_out" | tail -n 1)
case "$last" in
"safe: the execution ended without a violation"*) t_ok ;;
*) t_bad "replay-safe: last line '$last'" ;;
esac

t_run "$VMSA" replay bbm/ok@bbm0 --decisions "$ok_check:(61)(61)(61)"
t_status replay-diverged 1
t_stderr_has replay-diverged "vmsa: replay: diverged at decision 0 (expected 0..1, got 61)"

# --- list and help ---------------------------------------------------
t_run "$VMSA" list
t_status list 0
t_stdout_has list "bbm/ok (2 CPUs): remap a kernel page with the full break-before-make sequence"
t_stdout_has list "    bbm0                 expect safe"
t_stdout_has list "bbm/valid-to-valid (2 CPUs)"
t_stdout_has list " scenarios, "

t_run "$VMSA" list 'bbm/*'
t_status list-pattern 0
printf '%s\n' "$t_out" | grep -q '^s2/' && t_bad "list-pattern: lists s2/*" || t_ok

t_run "$VMSA" list --json bbm/ok
t_status list-json 0
t_stdout_is list-json '{"scenario": "bbm/ok", "doc": "remap a kernel page with the full break-before-make sequence", "cpus": 2, "configs": [{"config": "bbm0", "expect": "safe"}]}'

t_run "$VMSA" list nosuch
t_status list-unknown 2

t_run "$VMSA" --help
t_status help 0
t_stdout_has help "  check   explore the scenarios"
t_stdout_has help "  replay  re-run one execution"

t_run "$VMSA" check --help
t_status check-help 0
t_stdout_has check-help "usage: vmsa check [OPTIONS] [PATTERN[@CONFIG]...]"
t_stdout_has check-help "--preemptions N|unbounded"
t_stdout_has check-help "--html FILE"
t_stdout_has check-help "--continue-after-bbm"
t_stdout_has check-help "Exit status: 0 when every configuration is as expected"

# --continue-after-bbm: the violation is a warning of each execution,
# the search goes on (D8.17.1): not the expected bbm, so exit status 1.
t_run "$VMSA" check --continue-after-bbm bbm/tlbi-not-completed
t_status continue-bbm 1
t_stdout_has continue-bbm "bbm warning: 299 of the executions continued after a break-before-make violation"
t_stdout_has continue-bbm "expected bbm, verdict safe"
# The same with the reduction: fewer executions (123 before branch
# tlbcont's wait reads that cannot move and windows nobody observes; 113
# before the 2026-12-05 merges and the skip of a wait's read only with
# its CPU blocked across the write): the same verdict.
t_run "$VMSA" check --reduction --continue-after-bbm bbm/tlbi-not-completed
t_status continue-bbm-reduced 1
t_stdout_has continue-bbm-reduced "bbm warning: 110 of the executions continued after a break-before-make violation"
t_run "$VMSA" check --continue-after-bbm size/split@bbm0
t_status continue-bbm-replay 1
t_stdout_has continue-bbm-replay "replay: $VMSA replay size/split@bbm0 --continue-after-bbm --decisions "

# --with FEATURES: every selected configuration with the features added,
# compared with its own expectation; the violation's replay command names
# the configuration with them, and replay takes it.
t_run "$VMSA" check --with relaxed bbm/ok bbm/tlbi-local
t_status with-relaxed 0
t_stdout_has with-relaxed "bbm/ok          bbm0+relaxed  safe      safe                             535"
t_stdout_has with-relaxed "bbm/tlbi-local  bbm0+relaxed  bbm       bbm                              321"
t_stdout_has with-relaxed "replay: $VMSA replay bbm/tlbi-local@bbm0+relaxed --decisions a0be:000000000010000001"
# Every bundled configuration under relaxed, a seeded random search of
# 10,000 executions each: all as expected but the three whose livelock or
# violation needs a particular interleaving (the search at one preemption
# finds them: docs/explorer.md, "Bundled scenarios under relaxed").
t_run "$VMSA" check --with relaxed --random 10000 --quiet --jobs 2
t_status with-relaxed-random 1
t_stdout_has with-relaxed-random "98 configurations, 95 as expected, 3 not"
t_stdout_has with-relaxed-random "contpte/conflict-stage2-at-el1@bbm2+relaxed: expected livelock, verdict safe"
t_stdout_has with-relaxed-random "kvm-bbml2/relax-stale@bbm2-noabort+relaxed: expected livelock, verdict safe"
t_stdout_has with-relaxed-random "kvm-bbml2/table-to-block@bbm2-noabort+relaxed: expected stale-use-after-free, verdict safe"
# And the exhaustive search at one preemption, each stopped at 20,000
# executions: all 98 as expected (22 of them incomplete).
t_run "$VMSA" check --with relaxed --preemptions 1 --max-executions 20000 --quiet
t_status with-relaxed-bound1 0
t_stdout_has with-relaxed-bound1 "98 configurations, 98 as expected, 0 not"
t_run "$VMSA" check --with relaxed --json 'pause/stop-machine@exs'
t_status with-json 0
t_stdout_has with-json '"config": "exs+relaxed", "expect": "safe", "verdict": "safe"'
t_run "$VMSA" replay bbm/tlbi-local@bbm0+relaxed --decisions a0be:000000000010000001
t_status with-replay 0
t_stdout_has with-replay "bbm: CPU0 writes [PAGE L3 oa=0x40004000"
# The decisions of the configuration without the feature do not fit it.
t_run "$VMSA" replay bbm/tlbi-local@bbm0 --decisions a0be:000000000010000001
t_status with-replay-other 1
t_stderr_has with-replay-other "belongs to another scenario, configuration or step budget"
t_run "$VMSA" check --with bogus bbm/ok
t_status with-bad 2
t_stderr_has with-bad "check: --with 'bogus' is not a list of features: unknown feature"
t_run "$VMSA" check --with bbm3 bbm/ok
t_status with-bbm3 2
t_stderr_has with-bbm3 "check: --with 'bbm3' is not a list of features"
t_run "$VMSA" check --with cpus1 bbm/ok
t_status with-cpus 2
t_stderr_has with-cpus "check: bbm/ok@bbm0 with --with 'cpus1' has 1 CPUs, the scenario needs 2"
t_run "$VMSA" check --with
t_status with-missing 2
t_stderr_has with-missing "check: --with needs features, such as 'relaxed'"
t_run "$VMSA" replay bbm/tlbi-local@bbm0+bogus --decisions a0be:0
t_status with-replay-bad 2
t_stderr_has with-replay-bad "replay: 'bbm0+bogus' is not a valid configuration: unknown feature"
t_run "$VMSA" replay bbm/tlbi-local@bbm1+relaxed --decisions a0be:0
t_status with-replay-noconfig 2
t_stderr_has with-replay-noconfig "replay: scenario bbm/tlbi-local has no configuration 'bbm1+relaxed' (it has: bbm0)"

# --max-executions N: each exhaustive search stops at N executions and
# says so; a violation found before is reported as usual.
t_run "$VMSA" check --max-executions 100 bbm/ok bbm/tlbi-local
t_status max-exec 0
t_stdout_has max-exec "bbm/ok          bbm0    safe      safe                             100"
t_stdout_has max-exec "(search incomplete)"
t_stdout_has max-exec "bbm/tlbi-local  bbm0    bbm       bbm                               65"
t_run "$VMSA" check --max-executions 100 --json bbm/ok
t_status max-exec-json 0
t_stdout_has max-exec-json '"verdict": "safe", "as_expected": true, "complete": false, "executions": 100,'
# A configuration expected to violate, stopped before: not as expected,
# and the message names the limit.
t_run "$VMSA" check --max-executions 10 bbm/tlbi-local
t_status max-exec-short 1
t_stdout_has max-exec-short "no execution of 10 violated anything (the search stopped at --max-executions: it was incomplete)"
t_run "$VMSA" check --max-executions 0 bbm/ok
t_status max-exec-zero 2
t_stderr_has max-exec-zero "check: --max-executions takes a number of executions (1 or more), not '0'"
t_run "$VMSA" check --max-executions 5 --random 5 bbm/ok
t_status max-exec-random 2
t_stderr_has max-exec-random "check: --max-executions bounds the exhaustive search"
t_run "$VMSA" check --max-executions 5 --jobs 2 bbm/ok
t_status max-exec-jobs 2
t_stderr_has max-exec-jobs "check: --max-executions stops a search at its Nth execution"
t_run "$VMSA" check --max-executions 5 --shard 1/2 bbm/ok
t_status max-exec-shard 2
t_stderr_has max-exec-shard "check: --max-executions cannot be combined with --shard"

t_run "$VMSA" replay --help
t_status replay-help 0
t_stdout_has replay-help "usage: vmsa replay"

t_run "$VMSA" list --help
t_status list-help 0
t_stdout_has list-help "usage: vmsa list"

t_run "$VMSA" help check
t_status help-check 0
t_stdout_has help-check "usage: vmsa check"

# --- selections ------------------------------------------------------
t_run "$VMSA" check --json 'bbm/*'
t_status check-glob 0
n_bbm=$(grep -c '^bbm/' "$tmp/rows")
n_got=$(printf '%s\n' "$t_out" | grep -c .)
n_bad=$(printf '%s\n' "$t_out" | grep -vc '^{"scenario": "bbm/')
[ "$n_got" -eq "$n_bbm" ] && [ "$n_bad" -eq 0 ] && t_ok ||
	t_bad "check-glob: $n_got lines ($n_bad not bbm/*), want $n_bbm"

t_run "$VMSA" check --json bbm/ok@bbm0 'bbm/o*'
t_status check-config 0
n_got=$(printf '%s\n' "$t_out" | grep -c .)
[ "$n_got" -eq 1 ] && t_ok || t_bad "check-config: $n_got lines, want 1 (each once)"
t_stdout_has check-config '{"scenario": "bbm/ok", "config": "bbm0", "expect": "safe", "verdict": "safe", "as_expected": true, "complete": true'

# --- the table, quiet, and options that change the search ------------
t_run "$VMSA" check 'bbm/*'
t_status table 0
t_stdout_has table "scenario"
t_stdout_has table "executions"
t_stdout_has table "bbm/valid-to-valid"
t_stdout_has table " configurations, "
printf '%s' "$t_out" | grep -q "$(printf '\033')" &&
	t_bad "table: colour escapes on a pipe" || t_ok

t_run "$VMSA" check --quiet
t_status quiet 0
t_stdout_is quiet "$n_list configurations, $n_list as expected, 0 not"

t_run "$VMSA" check --random 20 --seed 7 bbm/ok
t_status random 0
t_stdout_has random "bbm/ok"

t_run "$VMSA" check --preemptions unbounded bbm/ok
t_status unbounded 0

# A step budget of 1 turns every execution into a livelock: nothing is as
# expected, and each replay line carries the budget it needs.
t_run "$VMSA" check --steps 1 bbm/valid-to-valid
t_status steps-1 1
t_stdout_has steps-1 "NOT AS EXPECTED"
t_stdout_has steps-1 "expected bbm, verdict livelock"
t_stdout_has steps-1 "replay bbm/valid-to-valid@bbm0 --steps 1 --decisions"
t_stdout_has steps-1 "1 configuration, 0 as expected, 1 not"
cmd=$(printf '%s\n' "$t_out" | sed -n 's/^    replay: [^ ]* //p')
# shellcheck disable=SC2086
t_run "$VMSA" $cmd
t_status steps-1-replay 0
last=$(printf '%s\n' "$t_out" | tail -n 1)
case "$last" in
"livelock: CPU"*"exceeded its budget of 1 steps") t_ok ;;
*) t_bad "steps-1-replay: last line '$last'" ;;
esac

# --- HTML ------------------------------------------------------------
t_run "$VMSA" check --html "$tmp/report.html" 'bbm/*'
t_status html 0
if [ -s "$tmp/report.html" ]; then
	t_ok
	head -n 1 "$tmp/report.html" | grep -q '^<!DOCTYPE html>' && t_ok ||
		t_bad "html: no doctype"
	grep -q 'data-cpu="0"' "$tmp/report.html" && t_ok || t_bad "html: no lane of CPU0"
	grep -q 'data-cpu="1"' "$tmp/report.html" && t_ok || t_bad "html: no lane of CPU1"
	grep -q '<tr class="violation">' "$tmp/report.html" && t_ok ||
		t_bad "html: no violation row"
	grep -qi 'http' "$tmp/report.html" && t_bad "html: mentions http" || t_ok
	grep -qi '<script src\|<link ' "$tmp/report.html" &&
		t_bad "html: external resources" || t_ok
else
	t_bad "html: $tmp/report.html is missing or empty"
fi

if command -v chromium >/dev/null 2>&1; then
	prof=$(mktemp -d "${TMPDIR:-/tmp}/vmsa-chromium.XXXXXX")
	chromium --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$prof" \
		--dump-dom "file://$tmp/report.html" >"$tmp/dom.html" 2>/dev/null
	t_rc=$?
	t_out=$(head -c 300 "$tmp/dom.html")
	t_err=
	rm -rf "$prof"
	t_status chromium 0
	grep -q '<th class="lane" data-cpu="0">CPU0</th>' "$tmp/dom.html" &&
		grep -q '<td class="lane" data-cpu="1">' "$tmp/dom.html" && t_ok ||
		t_bad "chromium: the lanes are not in the DOM"
else
	t_skip "chromium rendering (chromium is not installed)"
fi

t_done
