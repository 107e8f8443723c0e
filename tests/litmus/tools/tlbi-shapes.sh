#!/bin/sh
# tests/litmus/tools/tlbi-shapes.sh - message passing through a page
# table with the TLBI on the reader's side: P1 invalidates x's
# descriptor, then (after a barrier or nothing) sets z; P0 reads z, then
# (after a barrier or nothing) invalidates x's entry itself with a
# local or broadcast TLBI by VA (of any level or the last level only)
# or of the whole context, DSB ISH, an ISB or nothing, and reads x. The condition: P0 saw z = 1 and read x
# without a fault. Whether P1's store is ordered before P0's TLBI (and
# so whether the walk may still read the old descriptor: B2.3.7,
# TLBI-coherence-after) depends on both barriers. Written to compare the
# model with herd7 (herd-states.sh); docs/litmus.md, "Beyond the
# catalogue: TLBIs on the reader's side".
#
# usage: tlbi-shapes.sh OUTDIR
# Writes OUTDIR/MPtlbi_B0_B1_TLBI_CSE.litmus and prints how many.
usage='usage: tlbi-shapes.sh OUTDIR'
out=${1:?$usage}
mkdir -p "$out" || exit 2

# Barrier names in file names: spaces removed.
p0_barriers='DSB ISH|DMB ISH|DMB LD|DSB LD|DSB ST|ISB|NOP'
p1_barriers='DSB ISH|DMB ST|DMB LD|NOP'
tlbis='TLBI VAAE1,X9|TLBI VAAE1IS,X9|TLBI VALE1IS,X9|TLBI VAALE1,X9|TLBI VMALLE1|TLBI VMALLE1IS'

n=0
old_ifs=$IFS
IFS='|'
for b0 in $p0_barriers; do
	for b1 in $p1_barriers; do
		for t in $tlbis; do
			for cse in ISB NOP; do
				name=MPtlbi_$(echo "$b0" | tr -d ' ')
				name=${name}_$(echo "$b1" | tr -d ' ')
				name=${name}_$(echo "${t%,X9}" | sed 's/TLBI //')
				name=${name}_$cse
				printf '%s\n' \
					"AArch64 $name" \
					'{' \
					'0:X1 = z; 0:X3 = x; 0:X4 = x;' \
					'1:X0 = (oa:phy_x,valid:0); 1:X1 = pte_x; 1:X3 = z; 1:X2 = 1;' \
					'}' \
					'P0 | P1 ;' \
					'LDR W0,[X1] | STR X0,[X1] ;' \
					"$b0 | $b1 ;" \
					'LSR X9,X4,#12 | STR W2,[X3] ;' \
					"$t | ;" \
					'DSB ISH | ;' \
					"$cse | ;" \
					'L0: | ;' \
					'LDR W2,[X3] | ;' \
					'exists(0:X0=1 /\ ~fault(P0:L0,x))' \
					>"$out/$name.litmus" || exit 2
				n=$((n + 1))
			done
		done
	done
done
IFS=$old_ifs
echo "$n tests"
