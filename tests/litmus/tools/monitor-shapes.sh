#!/bin/sh
# tests/litmus/tools/monitor-shapes.sh - an exclusive pair raced by
# another CPU's write of its word: P0 runs LDXR x, (a barrier or
# nothing,) LDR y, STXR x; P1 writes x with a STR, a STLR, a SWP or an
# exclusive pair, then (after a barrier or nothing) sets y. Whether P1's
# write of x comes between the pair's read and write is decided by x's
# coherence order, not by when it is made (herd7's `atomic` axiom).
# Written to compare the model with herd7 (herd-states.sh);
# docs/litmus.md, "Monitors cleared by memory's order".
#
# usage: monitor-shapes.sh OUTDIR
# Writes OUTDIR/MON_B0_B1_WRITE.litmus and prints how many.
usage='usage: monitor-shapes.sh OUTDIR'
out=${1:?$usage}
mkdir -p "$out" || exit 2

n=0
for b0 in NOP 'DMB LD' 'DMB SY' ISB; do
	for b1 in NOP 'DMB ST' 'DMB SY'; do
		for wk in STR STLR SWP PAIR; do
			case $wk in
			STR) w1='STR W3,[X1]' w2=NOP ;;
			STLR) w1='STLR W3,[X1]' w2=NOP ;;
			SWP) w1='SWP W3,W7,[X1]' w2=NOP ;;
			PAIR) w1='LDXR W7,[X1]' w2='STXR W8,W3,[X1]' ;;
			esac
			name=MON_$(echo "$b0" | tr -d ' ')
			name=${name}_$(echo "$b1" | tr -d ' ')_$wk
			printf '%s\n' \
				"AArch64 $name" \
				'{' \
				'0:X1=x; 0:X2=y; 0:X3=1;' \
				'1:X1=x; 1:X2=y; 1:X3=2; 1:X4=1;' \
				'}' \
				'P0 | P1 ;' \
				"LDXR W0,[X1] | $w1 ;" \
				"$b0 | $w2 ;" \
				"LDR W5,[X2] | $b1 ;" \
				'STXR W6,W3,[X1] | STR W4,[X2] ;' \
				'exists (0:X0=0 /\ 0:X5=1 /\ 0:X6=0 /\ [x]=2)' \
				>"$out/$name.litmus" || exit 2
			n=$((n + 1))
		done
	done
done
echo "$n tests"
