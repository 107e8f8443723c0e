#!/bin/sh
# tests/litmus/tools/cas-loaded-shapes.sh - load buffering through a
# compare-and-swap whose compared value comes from a load: P0 reads the
# value it will compare with (from x itself, from z, which holds x's
# value or not, or twice), then reads y, then CASes x (CAS, CASA; the
# new value a constant); P1 reads x (once, or twice with DMB SY between)
# and writes y (after DMB SY, or with a data dependency), or first
# writes x itself (so that the CAS compares with an older value than
# memory's). Whether P0's read of y can see P1's write depends on a
# promise of the CAS made before the read, whose compared value is not
# known when it is made (vmsa_promise_t's expect_any; src/litmus/
# promise.c). The PTE family does the same with x's descriptor: P0 reads
# PTE(x), reads y, then CASes PTE(x) to a descriptor of z; P1 reads x
# (its walk reads the descriptor), then writes y. Written to compare the
# model with herd7 (herd-states.sh); docs/litmus.md, "Load buffering".
#
# usage: cas-loaded-shapes.sh OUTDIR
# Writes OUTDIR/LBc_*.litmus and prints how many.
usage='usage: cas-loaded-shapes.sh OUTDIR'
out=${1:?$usage}
mkdir -p "$out" || exit 2

# column TEXT: TEXT's rows, padded with empty rows to $rows.
column() {
	printf '%s\n' "$1" | awk -v r="$rows" '{ print } END { for (i = NR; i < r; i++) print "" }'
}

# emit NAME INIT COND: a test of columns p0 and p1.
emit() {
	rows=$(printf '%s\n' "$p0" | wc -l)
	r1=$(printf '%s\n' "$p1" | wc -l)
	[ "$r1" -le "$rows" ] || rows=$r1
	{
		echo "AArch64 $1"
		echo '{'
		echo "$2"
		echo '}'
		column "$p0" >"$out/.c0"
		column "$p1" >"$out/.c1"
		echo 'P0 | P1 ;'
		paste -d'|' "$out/.c0" "$out/.c1" | sed 's/$/ ;/'
		echo "$3"
	} >"$out/$1.litmus"
	rm -f "$out/.c0" "$out/.c1"
	n=$((n + 1))
}

# reader KIND: P1's rows (p1) and the condition (cond): it reads x
# (once, twice with DMB SY between, with a data dependency into its
# write, or after writing x itself), then writes y.
reader() {
	cond='exists (0:X6=1 /\ 1:X4=1)'
	case $1 in
	one)	p1='LDR W4,[X1]
DMB SY
STR W3,[X2]' ;;
	two)	p1='LDR W4,[X1]
DMB SY
LDR W9,[X1]
DMB SY
STR W3,[X2]'
		cond='exists (0:X6=1 /\ 1:X4=0 /\ 1:X9=1)' ;;
	data)	p1='LDR W4,[X1]
EOR W9,W4,W4
ADD W9,W9,#1
STR W9,[X2]' ;;
	wx)	p1='MOV W10,#2
STR W10,[X1]
LDR W4,[X1]
DMB SY
STR W3,[X2]' ;;
	esac
}

n=0
for src in x zsame zdiff mov; do
	for cas in CAS CASA; do
		for obs in one two data wx; do
			case $src in
			x)	ld='LDR W5,[X2]' ;;
			zsame|zdiff)	ld='LDR W5,[X4]' ;;
			mov)	ld='LDR W8,[X2]
MOV W5,W8' ;;
			esac
			p0="$ld
LDR W6,[X1]
$cas W5,W7,[X2]"
			reader "$obs"
			z=0
			[ "$src" = zdiff ] && z=5
			emit "LBc_${src}_${cas}_$obs" "int x; int y; int z=$z;
0:X1=y; 0:X2=x; 0:X4=z; 0:X7=1;
1:X1=x; 1:X2=y; 1:X3=1;" "locations [0:X5;x;]
$cond"
		done
	done
done
for cas in CAS CASA; do
	for obs in one data; do
		p0="LDR X5,[X2]
LDR W6,[X1]
$cas X5,X7,[X2]"
		reader "$obs"
		emit "LBc_pte_${cas}_$obs" "int x=1; int y; int z=2;
0:X1=y; 0:X2=PTE(x); 0:X7=(oa:PA(z)); pteval_t 0:X5;
1:X1=x; 1:X2=y; 1:X3=1;" "locations [1:X4;PTE(x);]
$cond"
	done
done
echo "$n tests in $out"
