#!/bin/sh
# tests/litmus/tools/litmus-check.sh (make litmus-check) on a small
# catalogue of the project's own tests, laid out as ../shared/litmus is,
# with made-up herd7 verdicts: the agreement table (agree, disagree,
# unsupported, herd-unknown per folder and column), the disagreement,
# and the unsupported searches grouped by reason (a search cut at the
# cap, one whose cut executions decide the observation, each message
# saying how many of the executions ran to their end). The real
# catalogue's run is not part of make check (docs/litmus.md,
# "make litmus-check"): this checks the script does what it says.
. "$(dirname "$0")/../lib.sh"

data=$(cd "$(dirname "$0")/data" && pwd)
lb=$(cd "$(dirname "$0")/lb" && pwd)
tools=$(cd "$(dirname "$0")/tools" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmsa-lcheck.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
cat=$tmp/litmus
mkdir -p "$cat/aarch64-VMSA" "$cat/aarch64-ETS2" "$cat/aarch64-ETS3" \
	"$cat/aarch64-BBM"
cp "$data/sb.litmus" "$data/fault.litmus" "$data/MP.pte+dsb+addr.litmus" \
	"$lb/LB+addrs.litmus" "$cat/aarch64-VMSA/"
cp "$data/fault.litmus" "$cat/aarch64-ETS2/"
cp "$data/fault.litmus" "$cat/aarch64-ETS3/"
cp "$data/sb.litmus" "$cat/aarch64-BBM/"
# herd7's verdicts, made up: fault agrees in the first column and not in
# the second; MP is unknown to herd7.
printf 'file\tname\tvmsa\tvmsa+ets2\therd_seconds\tobservation\tflags\n' \
	>"$cat/aarch64-VMSA/verdicts.tsv"
printf 'sb.litmus\tSB\tAllowed\tAllowed\t0.01\tSometimes\t\n' \
	>>"$cat/aarch64-VMSA/verdicts.tsv"
printf 'fault.litmus\tfault\tAllowed\tForbidden\t0.01\tAlways\t\n' \
	>>"$cat/aarch64-VMSA/verdicts.tsv"
printf 'MP.pte+dsb+addr.litmus\tMP.pte+dsb+addr\tunknown\tunknown\t60\t\t\n' \
	>>"$cat/aarch64-VMSA/verdicts.tsv"
printf 'LB+addrs.litmus\tLB+addrs\tForbidden\tForbidden\t0.01\tNever\t\n' \
	>>"$cat/aarch64-VMSA/verdicts.tsv"
printf 'fault\t\tAllowed\n' >"$cat/aarch64-ETS2/kinds.txt"
printf 'fault\t\tAllowed\n' >"$cat/aarch64-ETS3/kinds.txt"
printf 'sb\tSometimes\n' >"$cat/aarch64-BBM/observations.tsv"

# A cap of 8 executions: SB is cut with its observation decided, LB cut
# (the reduction cut some of the executions of each short), MP and fault
# finish.
t_run env OUT="$tmp/out" JOBS=1 sh "$tools/litmus-check.sh" "$VMSA" "$cat" 8
t_status "status" 0
t_run sh -c "env OUT='$tmp/out' JOBS=1 sh '$tools/litmus-check.sh' '$VMSA' '$cat' 8 | sed -n '1,6p;9,10p;12,14p'"
t_stdout_is "table" "folder         variant          tests  agree  disagree  unsupported  herd-unknown
aarch64-VMSA   vmsa,fatal           4      1         0            2             1
aarch64-VMSA   vmsa,fatal,ets2      4      0         1            2             1
aarch64-ETS2   Variant=             1      1         0            0             0
aarch64-ETS3   Variant=             1      1         0            0             0
aarch64-BBM    Variant=             1      0         0            1             0
 aarch64-VMSA.vmsa,fatal,ets2:
  fault.litmus: herd Forbidden, vmsa Always
Unsupported, by reason:
     3  the search did not finish within 8 executions (observation decided: Sometimes)
     2  the search did not finish within 8 executions"
t_done
