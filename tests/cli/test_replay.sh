#!/bin/sh
# Shell tests of decision strings: the check that ties a string to its
# scenario, configuration and step budget (every bundled string replayed
# on every other violating configuration is refused), divergence with its
# exact message, trimmed trailing zeros, and the replay command printed
# under every violating configuration (as expected or not).
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmsa-replay.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# target TAB decisions, one line per violating bundled configuration.
"$VMSA" check --json 2>/dev/null |
	sed -n -E 's/^\{"scenario": "([^"]*)", "config": "([^"]*)".*"decisions": "([^"]*)".*/\1@\2	\3/p' \
	>"$tmp/strings"
n=$(grep -c . "$tmp/strings")
t_out="$n strings"
[ "$n" -ge 10 ] && t_ok || t_bad "strings: fewer than 10 violating configurations"

# --- printed strings: CHECK:DECISIONS without trailing zeros ---------
bad=$(grep -v -E '	[0-9a-f]{4}:([0-9a-zA-Z]|\([0-9]+\))*$' "$tmp/strings")
t_out=$bad
[ -z "$bad" ] && t_ok || t_bad "format: a string is not CHECK:DECISIONS"
bad=$(grep -E '0$' "$tmp/strings" | grep -v -E ':$')
t_out=$bad
[ -z "$bad" ] && t_ok || t_bad "trimmed: a string ends with 0"

# --- a string replays only where it was found -------------------------
refused=0 pairs=0
while IFS='	' read -r target decisions; do
	while IFS='	' read -r other _; do
		[ "$other" = "$target" ] && continue
		pairs=$((pairs + 1))
		"$VMSA" replay "$other" --decisions "$decisions" \
			>/dev/null 2>"$tmp/err"
		rc=$?
		if [ "$rc" -eq 1 ] && grep -q "^vmsa: replay: the decision string belongs to another scenario, configuration or step budget: its check is ${decisions%%:*}, $other with 10000 steps has [0-9a-f]\{4\}$" "$tmp/err"; then
			refused=$((refused + 1))
		else
			echo "  $other with $target's $decisions: status $rc, $(cat "$tmp/err")"
		fi
	done <"$tmp/strings"
done <"$tmp/strings"
t_out="$refused of $pairs refused"
[ "$refused" -eq "$pairs" ] && [ "$pairs" -gt 0 ] && t_ok ||
	t_bad "wrong-scenario: not every replay on another configuration was refused"

# The same string with another step budget is refused too.
d=$(sed -n 's/^size\/split@bbm2	//p' "$tmp/strings")
t_run "$VMSA" replay size/split@bbm2 --steps 500 --decisions "$d"
t_status wrong-steps 1
t_stderr_has wrong-steps "its check is ${d%%:*}, size/split@bbm2 with 500 steps has "

# --- divergence --------------------------------------------------------
c=${d%%:*}
t_run "$VMSA" replay size/split@bbm2 --decisions "$c:5"
t_status out-of-range 1
[ "$t_err" = "vmsa: replay: diverged at decision 0 (expected 0..1, got 5)" ] &&
	t_ok || t_bad "out-of-range: stderr"

t_run "$VMSA" replay size/split@bbm2 --decisions "${d}0001"
t_status beyond-the-end 1
[ "$t_err" = "vmsa: replay: diverged at decision 19 (expected the end of the execution, got 4 more decisions)" ] &&
	t_ok || t_bad "beyond-the-end: stderr"

# Zeros beyond the string are implied: the trimmed string and the full
# one (size/split@bbm0 makes 7 decisions, all 0) replay the same
# execution; one more decision than the execution makes diverges.
d0=$(sed -n 's/^size\/split@bbm0	//p' "$tmp/strings")
t_run "$VMSA" replay size/split@bbm0 --decisions "$d0"
t_status trimmed 0
first=$t_out
t_run "$VMSA" replay size/split@bbm0 --decisions "${d0}0000000"
t_status untrimmed 0
[ "$t_out" = "$first" ] && t_ok || t_bad "untrimmed: another trace"
t_run "$VMSA" replay size/split@bbm0 --decisions "${d0}00000000"
t_status one-zero-too-many 1
[ "$t_err" = "vmsa: replay: diverged at decision 7 (expected the end of the execution, got 1 more decision)" ] &&
	t_ok || t_bad "one-zero-too-many: stderr"

t_run "$VMSA" replay size/split@bbm2 --decisions ''
t_status empty 1
t_stderr_has empty "vmsa: replay: the decision string is empty: it starts with the 4 hexadecimal digits and ':' that 'vmsa check' prints ($c: for size/split@bbm2 with 10000 steps)"

# --- check prints the replay command under every violating row --------
t_run "$VMSA" check size/split
t_status check-replay-lines 0
t_stdout_has check-replay-lines "    replay: $VMSA replay size/split@bbm0 --decisions $(sed -n 's/^size\/split@bbm0	//p' "$tmp/strings")"
t_stdout_has check-replay-lines "    replay: $VMSA replay size/split@bbm2 --decisions $d"
n=$(printf '%s\n' "$t_out" | grep -c '^    replay: ')
[ "$n" -eq 3 ] && t_ok || t_bad "check-replay-lines: $n replay lines, want 3"

t_run "$VMSA" check --quiet size/split
t_status quiet 0
t_stdout_is quiet "4 configurations, 4 as expected, 0 not"

t_run "$VMSA" check --quiet --json size/split
t_status quiet-json 0
t_stdout_is quiet-json ""
t_run "$VMSA" check --quiet --json --steps 3 size/split@bbm0
t_status quiet-json-unexpected 1
n=$(printf '%s\n' "$t_out" | grep -c '^{"scenario": "size/split", "config": "bbm0", .*"as_expected": false')
[ "$n" -eq 1 ] && [ "$(printf '%s\n' "$t_out" | wc -l)" -eq 1 ] && t_ok ||
	t_bad "quiet-json-unexpected: not exactly the bbm0 line"

# A livelock's command is short: its decisions are trimmed.
t_run "$VMSA" check --steps 3 size/split@bbm0
t_status livelock 1
cmd=$(printf '%s\n' "$t_out" | sed -n 's/^    replay: //p')
lc=$("$VMSA" replay size/split@bbm0 --decisions 0 2>&1 | sed -n 's/.*(\([0-9a-f]*\): for.*/\1/p')
[ "$cmd" = "$VMSA replay size/split@bbm0 --steps 3 --decisions $(printf '%s' "$cmd" | sed 's/.*--decisions //')" ] &&
	[ ${#cmd} -lt 80 ] && t_ok || t_bad "livelock: replay command '$cmd'"
t_stdout_has livelock "    livelock on CPU0 at step 3: CPU0 exceeded its budget of 3 steps"
[ -n "$lc" ] && t_ok || t_bad "livelock: no check for the default budget"

# A livelock found as a repeated state (src/explore/repeat.c): the guest's
# third retry finds the state of its second. Its replay ends with the
# same violation at the same step.
t_run "$VMSA" check --preemptions unbounded contpte/conflict-stage2-at-el1
t_status repeat-livelock 0
t_stdout_has repeat-livelock "livelock                           8"
cmd=$(printf '%s\n' "$t_out" | sed -n 's/^    replay: [^ ]* //p')
t_run "$VMSA" $cmd
t_status repeat-livelock-replay 0
t_stdout_has repeat-livelock-replay "violation at step 44 on CPU1"
last=$(printf '%s\n' "$t_out" | tail -n 1)
[ "$last" = "livelock: CPU1 retried its access after a TLB conflict fault (stage 2, VA 0x3000) with the machine state unchanged since its previous retry and no other CPU run: it can repeat forever" ] &&
	t_ok || t_bad "repeat-livelock-replay: last line '$last'"

# --- the replay page is titled for the replay ------------------------
t_run "$VMSA" replay size/split@bbm2 --decisions "$d" --html "$tmp/replay.html"
t_status replay-html 0
grep -q '^<title>vmsa replay size/split@bbm2</title>$' "$tmp/replay.html" &&
	t_ok || t_bad "replay-html: title"
grep -q '<h1>Replay of size/split@bbm2</h1>' "$tmp/replay.html" &&
	t_ok || t_bad "replay-html: heading"
grep -q 'configurations\|as expected\|(expected ' "$tmp/replay.html" &&
	t_bad "replay-html: speaks of a check" || t_ok

# --- the README's replay example runs as written ----------------------
line=$(sed -n 's/^build\/vmsa \(replay [^#]*\)#.*/\1/p' "$(dirname "$0")/../../README.md")
t_out=$line
[ -n "$line" ] && t_ok || t_bad "readme: no replay example"
# shellcheck disable=SC2086
t_run "$VMSA" $line
t_status readme-replay 0
case "$(printf '%s\n' "$t_out" | tail -n 1)" in
"bbm: "*) t_ok ;;
*) t_bad "readme-replay: last line" ;;
esac

t_done
