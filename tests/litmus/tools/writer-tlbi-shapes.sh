#!/bin/sh
# tests/litmus/tools/writer-tlbi-shapes.sh - message passing through a
# page table with the TLBI on the writer's side: P1 changes x's
# descriptor (a break: valid:0; a remap to y's page; or, from an
# invalid one, makes it valid), then a barrier or nothing, a TLBI by VA
# (any level or the last level only), of the whole context or none, DSB
# ISH, a barrier or nothing, and sets z; P0 reads z, then (after
# nothing, DMB LD, DMB SY, DSB ISH, ISB, DSB ISH and ISB, an address
# dependency, a control dependency and ISB, or with an acquire read)
# reads x. Whether P0's walk is ordered after P1's TLBI (B2.3.7,
# TLBI-coherence-after; the model's order_tlbi_ca_step) depends on
# both sides. Written to compare the model with herd7 (herd-states.sh);
# docs/litmus.md, "Beyond the catalogue", and docs/explorer-log.md,
# session of 2026-12-07.
#
# usage: writer-tlbi-shapes.sh OUTDIR
# Writes OUTDIR/MPw_*.litmus (break, remap: 1,024) and OUTDIR/MPv_*.litmus
# (make valid: 288) and prints how many.
usage='usage: writer-tlbi-shapes.sh OUTDIR'
out=${1:?$usage}
mkdir -p "$out" || exit 2

# bare NAME: NAME without blanks, "TLBI " and ",X9".
bare() {
	echo "$1" | sed 's/TLBI //; s/,X9//' | tr -d ' '
}

# reader KIND: P0's first read, what follows it and its read of x, as
# the variables l0, mid, isb (a row of its own, or empty) and ld.
reader() {
	l0='LDR W0,[X1]' ld='LDR W2,[X3]' mid=$1 isb=
	case $1 in
	ADDR) mid='EOR X5,X0,X0' ld='LDR W2,[X3,X5]' ;;
	CTRLISB) mid='CBNZ W0,LC0' isb=ISB ;;
	ACQ) l0='LDAR W0,[X1]' mid=NOP ;;
	DSBISB) mid='DSB ISH' isb=ISB ;;
	esac
}

# shape NAME INIT NEW B1A TLBI B1B READER COND [LOCS]: one test.
shape() {
	reader "$7"
	{
		echo "AArch64 $1"
		echo '{'
		echo "$2"
		echo '0:X1 = z; 0:X3 = x; 1:X4 = x;'
		echo "1:X0 = $3; 1:X1 = PTE(x); 1:X3 = z; 1:X2 = 1;"
		echo '}'
		echo 'P0 | P1 ;'
		echo "$l0 | STR X0,[X1] ;"
		echo "$mid | $4 ;"
		if [ "$7" = CTRLISB ]; then
			echo 'LC0: | LSR X9,X4,#12 ;'
			echo "ISB | $5 ;"
		else
			echo "$isb | LSR X9,X4,#12 ;"
			echo " | $5 ;"
		fi
		echo 'L0: | DSB ISH ;'
		echo "$ld | $6 ;"
		echo ' | STR W2,[X3] ;'
		[ -z "$9" ] || echo "$9"
		echo "$8"
	} >"$out/$1.litmus" || exit 2
	n=$((n + 1))
}

n=0
for b1a in DSB\ ISH DSB\ ST DMB\ ST NOP; do
	for t in 'TLBI VAAE1IS,X9' 'TLBI VALE1IS,X9' 'TLBI VMALLE1IS' NOP; do
		for b1b in 'DSB ISH' 'DMB ST' 'DMB SY' NOP; do
			for r in NOP 'DMB LD' 'DMB SY' 'DSB ISH' ISB ADDR \
				 CTRLISB ACQ; do
				base=$(bare "$b1a")_$(bare "$t")_$(bare "$b1b")_$(bare "$r")
				shape "MPw_${base}_inv" '[x]=0; [y]=1;' \
				      '(oa:phy_x,valid:0)' "$b1a" "$t" "$b1b" \
				      "$r" 'exists(0:X0=1 /\ ~fault(P0:L0,x))'
				shape "MPw_${base}_remap" '[x]=0; [y]=1;' \
				      '(oa:phy_y)' "$b1a" "$t" "$b1b" "$r" \
				      'exists(0:X0=1 /\ 0:X2=0)'
			done
		done
	done
done
for b1a in DSB\ ISH DSB\ ST DMB\ ST NOP; do
	for t in 'TLBI VAAE1IS,X9' 'TLBI VALE1IS,X9' NOP; do
		for b1b in 'DSB ISH' 'DMB ST' NOP; do
			for r in NOP 'DMB LD' 'DSB ISH' ISB ADDR CTRLISB ACQ \
				 DSBISB; do
				shape "MPv_$(bare "$b1a")_$(bare "$t")_$(bare "$b1b")_$(bare "$r")" \
				      '[x]=5; [PTE(x)]=(valid:0);' '(oa:PA(x))' \
				      "$b1a" "$t" "$b1b" "$r" \
				      'exists(0:X0=1 /\ fault(P0:L0,x))' \
				      'locations [0:X2;]'
			done
		done
	done
done
echo "$n tests"
