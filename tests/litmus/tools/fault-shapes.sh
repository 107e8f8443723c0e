#!/bin/sh
# tests/litmus/tools/fault-shapes.sh - faults that are retried or
# handled while another thread changes the descriptor:
# - I_*: three threads in Sc03's form under Variant=imprecise or
#   handled (herd7 runs the faulting instruction again; a second fault
#   drops the execution): P0's STR, LDR, STLR or SWP of x faults on an
#   invalid, AF=0 or read-only descriptor, then (after DMB SY, ISB or
#   nothing) P0 sets y with STLR; P1 reads y (LDAR) then x; P2 writes
#   x's descriptor (valid, to z's page, or writable), then DSB ISH and a
#   TLBI, DSB ISH only, or nothing. 648 tests.
# - H_*: a fault handler (column P0.F) that repairs x's descriptor, with
#   DSB ISH or not and ISB or not, and returns to the store (ERET) or
#   past it (ADR, MSR ELR_EL1, ERET); P0 then sets y after DMB SY, DMB ST
#   or nothing; P1 reads y, then x after DMB LD, nothing or an address
#   dependency. 216 tests.
# Written to compare the model with herd7 (herd-states.sh); docs/
# explorer-log.md, session of 2026-12-07.
#
# usage: fault-shapes.sh OUTDIR
# Writes OUTDIR/I_*.litmus and OUTDIR/H_*.litmus and prints how many.
usage='usage: fault-shapes.sh OUTDIR'
out=${1:?$usage}
mkdir -p "$out" || exit 2

bare() {
	echo "$1" | tr -d ' (),:'
}

# retried INIT NEW P2 ACCESS BARRIER VARIANT: one I_ test.
retried() {
	name=I_$(bare "$1")_$(bare "$2")_$3_$4_$(bare "$5")_$6
	case $4 in
	STR) insn='STR W0,[X1]' ;;
	LDR) insn='LDR W5,[X1]' ;;
	STLR) insn='STLR W0,[X1]' ;;
	SWP) insn='SWP W0,W5,[X1]' ;;
	esac
	{
		echo "AArch64 $name"
		echo "Variant=$6"
		echo '{'
		echo 'int x=0; int y=0; int z=7;'
		echo "[PTE(x)]=($1);"
		echo '0:X0=1; 0:X1=x; 0:X3=y; 0:X5=0;'
		echo '1:X0=y; 1:X2=x;'
		echo "2:X1=x; 2:X3=PTE(x); 2:X2=$2;"
		echo '}'
		echo ' P0 | P1 | P2 ;'
		echo " L0: $insn | LDAR W1,[X0] | STR X2,[X3] ;"
		case $3 in
		DSBTLBI)
			echo " $5 | LDR W3,[X2] | DSB ISH ;"
			echo ' MOV W2,#1 | | LSR X5,X1,#12 ;'
			echo ' STLR W2,[X3] | | TLBI VAAE1IS,X5 ;'
			echo ' | | DSB ISH ;' ;;
		DSB)
			echo " $5 | LDR W3,[X2] | DSB ISH ;"
			echo ' MOV W2,#1 | | ;'
			echo ' STLR W2,[X3] | | ;' ;;
		NONE)
			echo " $5 | LDR W3,[X2] | ;"
			echo ' MOV W2,#1 | | ;'
			echo ' STLR W2,[X3] | | ;' ;;
		esac
		echo 'locations [Fault(P0,x); 0:X5; x; z;]'
		echo 'exists (1:X1=1 /\ 1:X3=0)'
	} >"$out/$name.litmus" || exit 2
	n=$((n + 1))
}

# handled INIT HB1 HB2 B0 B1 RETURN: one H_ test.
handled() {
	name=H_$(bare "$1")_$(bare "$2")_$3_$(bare "$4")_$(bare "$5")_$6
	if [ "$5" = ADDR ]; then
		m1='EOR X6,X0,X0' l1='LDR W2,[X1,X6]'
	else
		m1=$5 l1='LDR W2,[X1]'
	fi
	{
		echo "AArch64 $name"
		echo 'Variant=vmsa'
		echo '{'
		echo 'int x=0; int y=0;'
		echo "[PTE(x)]=($1);"
		echo '0:X1=x; 0:X3=PTE(x); 0:X2=(oa:PA(x)); 0:X5=y;'
		echo '1:X1=x; 1:X5=y;'
		echo '}'
		echo ' P0 | P1 | P0.F ;'
		echo ' MOV W0,#1 | LDR W0,[X5] | STR X2,[X3] ;'
		echo " L0: STR W0,[X1] | $m1 | $2 ;"
		if [ "$6" = retry ]; then
			echo " $4 | $l1 | $3 ;"
			echo ' MOV W4,#1 | | ERET ;'
			echo ' STR W4,[X5] | | ;'
		else
			echo " L1: | $l1 | $3 ;"
			echo " $4 | | ADR X9,L1 ;"
			echo ' MOV W4,#1 | | MSR ELR_EL1,X9 ;'
			echo ' STR W4,[X5] | | ERET ;'
		fi
		echo 'locations [Fault(P0,x); Fault(P1,x); x;]'
		echo 'exists (1:X0=1 /\ 1:X2=0)'
	} >"$out/$name.litmus" || exit 2
	n=$((n + 1))
}

n=0
for init in valid:0 af:0 db:0; do
	for new in '(oa:PA(x))' '(oa:PA(z))' '(oa:PA(x),db:1)'; do
		for p2 in DSBTLBI DSB NONE; do
			for acc in STR LDR STLR SWP; do
				for b in 'DMB SY' NOP ISB; do
					for v in imprecise handled; do
						retried "$init" "$new" $p2 \
							$acc "$b" $v
					done
				done
			done
		done
	done
	for hb1 in 'DSB ISH' NOP; do
		for hb2 in ISB NOP; do
			for b0 in 'DMB SY' NOP 'DMB ST'; do
				for b1 in 'DMB LD' NOP ADDR; do
					for ret in retry skip; do
						handled "$init" "$hb1" $hb2 \
							"$b0" "$b1" $ret
					done
				done
			done
		done
	done
done
echo "$n tests"
