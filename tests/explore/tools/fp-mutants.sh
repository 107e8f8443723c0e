#!/bin/sh
# tests/explore/tools/fp-mutants.sh - mutation testing of the reduction:
# which dependencies of the footprints the tests guard. Builds the unit
# tests, the command and bench/unbounded into build/mut with
# -DVMSA_FP_MUTANTS, then for each mutant (VMSA_FP_MUTANT: a kind of
# footprint item whose conflicts are left out, or "order-ww": plain
# writes that do not write the order of writes) runs the unit tests
# (`make check`'s plain binary) and bench/unbounded (every bundled
# configuration unbounded, cut at CAP executions) and prints one line:
#
#   MUTANT  failed=N  unexpected=N  TEST...
#
# failed: unit tests that fail (exact counts, the footprints' own unit
# tests and the differential tests alike: docs/explorer.md, "Which
# dependencies the tests guard", says which catch a lost state);
# unexpected: bundled configurations whose unbounded verdict is not
# their expectation. A mutant that nothing catches is a dependency no
# test needs: either coarser than the model (a place to gain) or
# guarded by nothing (a test to write).
#
# usage: fp-mutants.sh [MUTANT...]   (default: every kind below)
#   CAP (default 20000) bounds each unbounded search; JOBS (default 2)
#   runs that many mutants side by side.
# Takes about two minutes per mutant on one core.
set -u
cd "$(dirname "$0")/../../.." || exit 2
cap=${CAP:-20000}
jobs=${JOBS:-2}
mutants=${*:-"order-ww order tlbis views retired tlb tlbctx tlbuse window
	stores cont cached irq monitor alloc page structure add visibility"}
out=build/mut/results
make -s B=build/mut CFLAGS="-O2 -g -DVMSA_FP_MUTANTS" \
	build/mut/test/vmsa-tests build/mut/bench/unbounded >/dev/null ||
	exit 2
mkdir -p "$out" || exit 2

one() { # one MUTANT: its line
	VMSA_FP_MUTANT=$1 build/mut/test/vmsa-tests >"$out/$1.tests" 2>&1
	VMSA_FP_MUTANT=$1 VMSA_BENCH_UNBOUNDED_CAP=$cap \
		VMSA_BENCH_UNBOUNDED_TARGET_SECONDS=0 \
		build/mut/bench/unbounded >"$out/$1.json" 2>/dev/null
	failed=$(sed -n 's/^[0-9]* passed, \([0-9]*\) failed$/\1/p' \
		 "$out/$1.tests")
	unexpected=$(sed -n 's/.*"n_unexpected": *\([0-9]*\).*/\1/p' \
		     "$out/$1.json")
	echo "$1  failed=${failed:-?}  unexpected=${unexpected:-?} " \
	     "$(sed -n 's/^FAIL \([^ ]*\) .*/\1/p' "$out/$1.tests" |
		tr '\n' ' ')"
}

running=0
for m in $mutants; do
	one "$m" >"$out/$m.line" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait
for m in $mutants; do
	cat "$out/$m.line"
done
