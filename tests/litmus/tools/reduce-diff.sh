#!/bin/sh
# tests/litmus/tools/reduce-diff.sh - the reduction's check on the litmus
# catalogue: every test that finishes WITHOUT partial-order reduction
# (VMSA_LITMUS_NOREDUCE=1) within MAX_EXECUTIONS is run again with it,
# and the two results must be the same: the test's verdict (Allowed/
# Forbidden, Ok/No, the observation Never/Sometimes/Always) and its set
# of final states. Only the execution counts (and so the witness counts
# and times) may differ. docs/explorer.md, "Partial-order reduction".
#
# usage: reduce-diff.sh VMSA LITMUS_DIR [MAX_EXECUTIONS] [VARIANTS]
#   VARIANTS: space-separated --variant values for aarch64-VMSA
#   (default "vmsa,fatal vmsa,fatal,ets2"); the other folders run with
#   their tests' own Variant= line.
# Prints one line per difference and, last, "N runs, N compared, N
# differences, N skipped (unreduced did not finish)". Exit status 1
# when there is a difference, 2 on a usage error.
vmsa=${1:?usage: reduce-diff.sh VMSA LITMUS_DIR [MAX_EXECUTIONS] [VARIANTS]}
dir=${2:?usage: reduce-diff.sh VMSA LITMUS_DIR [MAX_EXECUTIONS] [VARIANTS]}
max=${3:-20000}
variants=${4:-"vmsa,fatal vmsa,fatal,ets2"}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# The part of `vmsa litmus`'s text output that must not depend on the
# reduction: everything but the witness counts, the observation's
# counts and the time.
result() { # result OUT VARIANT FILE [NOREDUCE]
	if [ -n "$4" ]; then
		VMSA_LITMUS_NOREDUCE=1 "$vmsa" litmus --max-executions "$max" \
			${2:+--variant "$2"} "$3"
	else
		"$vmsa" litmus --max-executions "$max" ${2:+--variant "$2"} "$3"
	fi 2>&1 | awk '
		/^Positive: / || /^Time / { next }
		/^Observation / { print $1, $2, $3; next }
		{ print }' >"$1"
}

runs=0 compared=0 diffs=0 skipped=0
check() { # check VARIANT FILE
	runs=$((runs + 1))
	result "$tmp/plain" "$1" "$2" noreduce
	if grep -q "unsupported" "$tmp/plain"; then
		skipped=$((skipped + 1))
		return
	fi
	result "$tmp/reduced" "$1" "$2"
	compared=$((compared + 1))
	if ! cmp -s "$tmp/plain" "$tmp/reduced"; then
		diffs=$((diffs + 1))
		echo "DIFFERENT: $2 ${1:-(own variant)}"
		diff "$tmp/plain" "$tmp/reduced" | sed 's/^/    /' | head -20
	fi
}

# (The folder has subfolders: every .litmus file under it. No file name
# of the catalogue has a space.)
for f in $(find "$dir/aarch64-VMSA" -name '*.litmus' | sort); do
	for v in $variants; do
		check "$v" "$f"
	done
done
for f in $(find "$dir/aarch64-ETS2" "$dir/aarch64-ETS3" "$dir/aarch64-BBM" \
	 -name '*.litmus' 2>/dev/null | sort); do
	check "" "$f"
done
echo "$runs runs, $compared compared, $diffs differences, $skipped skipped (unreduced did not finish within $max executions)"
[ "$diffs" -eq 0 ]
