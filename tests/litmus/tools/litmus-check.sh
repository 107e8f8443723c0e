#!/bin/sh
# tests/litmus/tools/litmus-check.sh - `make litmus-check`: run every
# litmus test of LITMUS_DIR (Arm's VMSA catalogue with herd7's verdicts,
# ../shared/litmus) on the model and compare with herd7:
#   aarch64-VMSA/verdicts.tsv  column vmsa      = --variant vmsa,fatal
#                              column vmsa+ets2 = --variant vmsa,fatal,ets2
#   aarch64-ETS2/kinds.txt, aarch64-ETS3/kinds.txt (the tests' Variant=)
#   aarch64-BBM/observations.tsv (Never = Forbidden, Sometimes/Always =
#                              Allowed; the observation is compared too)
# Prints, per folder and variant, how many tests agree, disagree, are
# unsupported by the model or unknown to herd7, the disagreements, and
# the slowest tests; per-test results go to $OUT (build/litmus-check).
#
# usage: litmus-check.sh VMSA LITMUS_DIR [MAX_EXECUTIONS]
# (JOBS=1 runs the two aarch64-VMSA columns one after the other, and
# each small folder in one process.)
# Exit status 0 (the table is the result), 2 when something is missing.
vmsa=${1:?usage: litmus-check.sh VMSA LITMUS_DIR [MAX_EXECUTIONS]}
dir=${2:?usage: litmus-check.sh VMSA LITMUS_DIR [MAX_EXECUTIONS]}
max=${3:-200000}
out=${OUT:-build/litmus-check}
mkdir -p "$out" || exit 2
[ -d "$dir/aarch64-VMSA" ] || { echo "litmus-check: no $dir/aarch64-VMSA" >&2; exit 2; }

run() { # run NAME VARIANT DIR [WORKERS]
	if [ -n "$2" ]; then
		"$vmsa" litmus --tsv --jobs "${4:-1}" --max-executions "$max" --variant "$2" "$3" >"$out/$1.tsv"
	else
		"$vmsa" litmus --tsv --jobs "${4:-1}" --max-executions "$max" "$3" >"$out/$1.tsv"
	fi
}

t0=$(date +%s)
# The two columns of aarch64-VMSA side by side (JOBS, default 2: the
# searches are single-threaded), then the small folders.
if [ "${JOBS:-2}" -gt 1 ]; then
	run vmsa vmsa,fatal "$dir/aarch64-VMSA" &
	run vmsa+ets2 vmsa,fatal,ets2 "$dir/aarch64-VMSA" &
	wait
else
	run vmsa vmsa,fatal "$dir/aarch64-VMSA"
	run vmsa+ets2 vmsa,fatal,ets2 "$dir/aarch64-VMSA"
fi
# The small folders one after another, each over JOBS worker processes
# (vmsa litmus --jobs: the output of one process, but the times).
run ets2 "" "$dir/aarch64-ETS2" "${JOBS:-2}"
run ets3 "" "$dir/aarch64-ETS3" "${JOBS:-2}"
run bbm "" "$dir/aarch64-BBM" "${JOBS:-2}"
t1=$(date +%s)

# compare FOLDER VARIANT RESULTS EXPECT KEYCOL VALCOL OBS
#   EXPECT: herd's file; KEYCOL: its column naming the test (1 = file
#   name, matched with the .litmus file's basename; 2 = test name; 3 =
#   file name without .litmus, herd's first column);
#   VALCOL: the column with the verdict or the observation.
compare() {
	awk -F'\t' -v folder="$1" -v variant="$2" -v keycol="$5" \
	    -v valcol="$6" -v out="$out/$1.$2.cmp" '
	function verdict(o) {
		if (o == "Never") return "Forbidden"
		if (o == "Sometimes" || o == "Always") return "Allowed"
		return o
	}
	FNR == NR {
		line = $0; gsub(/[ \t\r]+$/, "", line)
		n = split(line, f, /[ \t]+/)
		key = keycol != 2 ? $1 : f[1]
		val = keycol != 2 ? $valcol : f[n]
		if (key == "file" || key == "") next
		herd[key] = val
		next
	}
	{
		file = $1; sub(".*" folder "/", "", file)
		key = keycol == 1 ? file : $2
		if (keycol == 3) { key = file; sub(/\.litmus$/, "", key) }
		if (!(key in herd)) { nokey++; next }
		h = herd[key]; o = $3; total++
		hv = verdict(h); ov = verdict(o)
		if (h == "unknown") { unknown++; st = "herd-unknown" }
		else if (o == "unsupported" || o == "error") { unsup++; st = "unsupported" }
		else if (hv == ov && (h != "Never" && h != "Sometimes" && h != "Always" || h == o)) { agree++; st = "agree" }
		else { disagree++; st = "disagree"; dis[disagree] = sprintf("  %s: herd %s, vmsa %s", key, h, o) }
		printf "%s\t%s\t%s\t%s\t%s\n", key, h, o, st, $4 > out
	}
	END {
		printf "%-14s %-16s %5d %6d %9d %12d %13d\n", folder, variant,
		    total, agree, disagree, unsup, unknown
		for (i = 1; i <= disagree; i++) print dis[i] > (out ".dis")
	}' "$3" "$4"
}

# A folder that agrees now writes no .dis: drop those of an earlier run.
rm -f "$out"/*.cmp "$out"/*.cmp.dis
printf "%-14s %-16s %5s %6s %9s %12s %13s\n" folder variant tests agree \
	disagree unsupported herd-unknown
compare aarch64-VMSA vmsa,fatal "$dir/aarch64-VMSA/verdicts.tsv" "$out/vmsa.tsv" 1 3
compare aarch64-VMSA vmsa,fatal,ets2 "$dir/aarch64-VMSA/verdicts.tsv" "$out/vmsa+ets2.tsv" 1 4
compare aarch64-ETS2 Variant= "$dir/aarch64-ETS2/kinds.txt" "$out/ets2.tsv" 2 2
compare aarch64-ETS3 Variant= "$dir/aarch64-ETS3/kinds.txt" "$out/ets3.tsv" 2 2
compare aarch64-BBM Variant= "$dir/aarch64-BBM/observations.tsv" "$out/bbm.tsv" 3 2
echo
echo "Disagreements (herd7's verdict or observation, then vmsa's):"
none=1
for f in "$out"/*.cmp.dis; do
	[ -s "$f" ] || continue
	echo " $(basename "$f" .cmp.dis):"
	cat "$f"
	none=
done
[ -z "$none" ] || echo "  none"
echo
echo "Unsupported, by reason:"
cat "$out"/vmsa.tsv "$out"/vmsa+ets2.tsv "$out"/ets2.tsv "$out"/ets3.tsv \
    "$out"/bbm.tsv | awk -F'\t' '$3 == "unsupported" || $3 == "error" {
	r = $6; sub(/^[^ ]* (unsupported: )?/, "", r)
	# How many executions of a cut search ran to their end.
	sub(/ \([0-9]+ of them ran to their end[^)]*\)/, "", r)
	# A cut search whose executions decide the observation (Sometimes).
	if (sub(/, but its observation is decided: Sometimes.*/, "", r))
		r = r " (observation decided: Sometimes)"
	else { sub(/ \(known: .*/, "", r); sub(/: .*/, "", r) }
	n[substr(r, 1, 90)]++ }
	END { for (k in n) printf "  %4d  %s\n", n[k], k }' | sort -rn
echo
echo "Slowest tests (seconds, executions):"
cat "$out"/*.tsv | awk -F'\t' 'NF >= 5 { printf "  %8.3f %9d  %s\n", $4, $5, $2 }' |
	sort -rn | head -10
echo
echo "Total time: $((t1 - t0)) s; per-test results in $out/*.tsv"
