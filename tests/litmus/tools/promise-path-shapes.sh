#!/bin/sh
# tests/litmus/tools/promise-path-shapes.sh - load buffering where the
# store that must be promised is reached along a path: P0 reads y
# (after nothing, DMB ST or DMB LD), then stores to x from a loop (a
# counter, or the same value twice), after a branch (on a loaded value,
# on a constant), after a CSEL or CSET of known flags, or after a fault
# whose handler sets the stored register, stores itself, or resumes at a
# label; P1 reads x once or twice (DMB SY between) or with a data
# dependency, or with a write of x between its two reads (so that the
# second reads a later write of P0's, the same value twice), or reads z
# and then x in a loop whose address register changes (x is read only on
# the second iteration), then writes y. Whether P0's read of y can see P1's write
# depends on a promise of a store whose value only the path tells
# (src/litmus/promise.c, lit_promise_sites). Written to compare the
# model with herd7 (herd-states.sh); docs/litmus.md, "Load buffering".
#
# The LBh_ family does the same with the dirty-state update the walk of
# P0's first store to x makes (TTHM=HA HD, x's PTE clean with dbm:1):
# the first store after the read (or a DSB) is reached past a branch on
# a constant or a loaded value, in a loop, or in a fault handler; P1
# reads x's PTE (DMB SY or a data dependency after it), then writes y.
#
# usage: promise-path-shapes.sh OUTDIR
# Writes OUTDIR/LBp_*.litmus and OUTDIR/LBh_*.litmus and prints how
# many.
usage='usage: promise-path-shapes.sh OUTDIR'
out=${1:?$usage}
mkdir -p "$out" || exit 2

# prog KIND: P0's rows after its read of y (p0, one row per line), its
# handler's (h, empty: none), the init's extra lines (init).
prog() {
	h= init=
	case $1 in
	cnt2|cnt3|cnt4)
		k=${1#cnt}
		p0="MOV W3,#1
L0:
STR W3,[X2]
ADD W3,W3,#1
CMP W3,#$((k + 1))
B.NE L0" ;;
	same)
		p0="MOV W3,#1
MOV W7,#0
L0:
STR W3,[X2]
ADD W7,W7,#1
CMP W7,#2
B.NE L0" ;;
	ldin)	# the read inside the loop, before each store
		p0="MOV W3,#1
L0:
LDR W8,[X1]
STR W3,[X2]
ADD W3,W3,#1
CMP W3,#3
B.NE L0" ;;
	brz0|brz1)
		init="[z]=${1#brz};"
		p0="MOV W3,#1
LDR W8,[X4]
CBZ W8,L1
MOV W3,#2
L1:
STR W3,[X2]" ;;
	brk0|brk1)
		p0="MOV W3,#1
MOV W8,#${1#brk}
CBNZ W8,L1
MOV W3,#2
L1:
STR W3,[X2]" ;;
	csel)
		p0="MOV W8,#1
CMP W8,#1
CSEL W3,W10,W11,NE
STR W3,[X2]" ;;
	cset)
		p0="MOV W8,#1
CMP W8,#2
CSET W3,LT
STR W3,[X2]" ;;
	fhset)
		init='[PTE(z)]=(valid:0);'
		h="ADR X9,L0
MSR ELR_EL1,X9
MOV W3,#2
ERET"
		p0="MOV W3,#1
STR W3,[X4]
L0:
STR W3,[X2]" ;;
	fhstr)
		init='[PTE(z)]=(valid:0);'
		h="ADR X9,L0
MSR ELR_EL1,X9
MOV W7,#2
STR W7,[X2]
ERET"
		p0="MOV W3,#1
STR W3,[X4]
L0:
NOP" ;;
	fhskip)	# the handler resumes past a store it alone skips
		init='[PTE(z)]=(valid:0);'
		h="ADR X9,L1
MSR ELR_EL1,X9
ERET"
		p0="MOV W3,#1
STR W3,[X4]
MOV W3,#2
L1:
STR W3,[X2]" ;;
	esac
}

# obs KIND: P1's rows (p1) and the condition (cond).
obs() {
	case $1 in
	one)
		p1="LDR W4,[X1]
DMB SY
MOV W6,#1
STR W6,[X2]"
		cond='exists (0:X0=1 /\ 1:X4=2)' ;;
	two)
		p1="LDR W4,[X1]
DMB SY
LDR W5,[X1]
DMB SY
MOV W6,#1
STR W6,[X2]"
		cond='exists (0:X0=1 /\ 1:X4=1 /\ 1:X5=2)' ;;
	co)	# a write between its reads: the second read is of a later write
		p1="LDR W4,[X1]
MOV W7,#9
STR W7,[X1]
DMB SY
LDR W5,[X1]
DMB SY
MOV W6,#1
STR W6,[X2]"
		cond='exists (0:X0=1 /\ 1:X4=1 /\ 1:X5=1)' ;;
	lp)	# its loop reads x, then (X1 changed) y's neighbour x again:
		# the read of x only on the second iteration
		p1="MOV X1,X8
MOV W9,#0
L9:
LDR W4,[X1]
MOV X1,X3
ADD W9,W9,#1
CMP W9,#2
B.NE L9
DMB SY
MOV W6,#1
STR W6,[X2]"
		cond='exists (0:X0=1 /\ 1:X4=2)' ;;
	data)
		p1="LDR W4,[X1]
EOR W7,W4,W4
ADD W6,W7,#1
STR W6,[X2]"
		cond='exists (0:X0=1 /\ 1:X4=1)' ;;
	esac
}

# column TEXT: TEXT's rows, padded with empty rows to $rows.
column() {
	printf '%s\n' "$1" | awk -v r="$rows" '{ print } END { for (i = NR; i < r; i++) print "" }'
}

# emit NAME HEAD INIT REGS COND: test NAME with the columns p0rows, h
# (the fault handler's, when set) and p1; HEAD: lines before the init
# (TTHM=...), INIT: locations' init before the common one of z, REGS:
# the registers' init, COND: the final condition.
emit() {
	rows=$(printf '%s\n' "$p0rows" | wc -l)
	r1=$(printf '%s\n' "$p1" | wc -l)
	[ "$r1" -le "$rows" ] || rows=$r1
	if [ -n "$h" ]; then
		r2=$(printf '%s\n' "$h" | wc -l)
		[ "$r2" -le "$rows" ] || rows=$r2
	fi
	{
		echo "AArch64 $1"
		[ -z "$2" ] || echo "$2"
		echo '{'
		[ -z "$3" ] || echo "$3"
		case $init in *"[z]="*) echo "$init" ;; *) echo "int z; $init" ;; esac
		echo "$4"
		echo '}'
		column "$p0rows" >"$out/.c0"
		column "$p1" >"$out/.c1"
		if [ -n "$h" ]; then
			column "$h" >"$out/.ch"
			echo 'P0 | P0.F | P1 ;'
			paste -d'|' "$out/.c0" "$out/.ch" "$out/.c1" | sed 's/$/ ;/'
		else
			echo 'P0 | P1 ;'
			paste -d'|' "$out/.c0" "$out/.c1" | sed 's/$/ ;/'
		fi
		echo "$5"
	} >"$out/$1.litmus" || exit 2
	rm -f "$out/.c0" "$out/.c1" "$out/.ch"
	n=$((n + 1))
}

# shape NAME BARRIER: one test of prog's and obs's rows.
shape() {
	p0rows="LDR W0,[X1]"
	[ "$2" = none ] || p0rows="$p0rows
$(echo "$2" | sed 's/dmb/DMB /')"
	p0rows="$p0rows
$p0"
	emit "$1" '' '' '0:X1=y; 0:X2=x; 0:X4=z; 0:X10=1; 0:X11=2;
1:X1=x; 1:X2=y; 1:X3=x; 1:X8=z;' "$cond"
}

# huprog KIND: P0's rows for the LBh_ family (@B: the barrier after
# its read of y), its handler's (h), the init's extra lines (init).
huprog() {
	h= init=
	case $1 in
	flat)
		p0="MOV W8,#1
LDR W0,[X1]
@B
STR W8,[X2]" ;;
	brk)	# a constant branch skips the store before the read
		p0="MOV W8,#1
CBNZ W8,L1
STR W8,[X2]
L1:
LDR W0,[X1]
@B
STR W8,[X2]" ;;
	brz0|brz1)	# a branch on z's value skips it or not
		init="[z]=${1#brz};"
		p0="MOV W8,#1
LDR W9,[X4]
CBNZ W9,L1
STR W8,[X2]
L1:
LDR W0,[X1]
@B
STR W8,[X2]" ;;
	loop)	# the store before the read, in a loop
		p0="MOV W8,#1
L0:
STR W8,[X2]
LDR W0,[X1]
@B
ADD W8,W8,#1
CMP W8,#3
B.NE L0" ;;
	fh)	# the handler makes the store
		init='[PTE(z)]=(valid:0);'
		h="MOV W7,#1
STR W7,[X2]
ADR X9,L0
MSR ELR_EL1,X9
ERET"
		p0="MOV W8,#1
LDR W0,[X1]
@B
STR W8,[X4]
L0:
NOP" ;;
	esac
}

# hushape NAME BARRIER OBS: one LBh_ test.
hushape() {
	case $2 in
	none) p0rows=$(printf '%s\n' "$p0" | grep -v '^@B$') ;;
	*) p0rows=$(printf '%s\n' "$p0" |
		    sed "s/^@B\$/$(echo "$2" | sed 's/dmb/DMB /; s/dsb/DSB /')/") ;;
	esac
	case $3 in
	pte) p1="LDR X4,[X3]
DMB SY
MOV W6,#1
STR W6,[X2]" ;;
	ptedata) p1="LDR X4,[X3]
EOR X7,X4,X4
ADD W6,W7,#1
STR W6,[X2]" ;;
	esac
	emit "$1" 'TTHM=HA HD' 'pte_x=(db:0,dbm:1);' '0:X1=y; 0:X2=x; 0:X4=z;
1:X3=pte_x; 1:X2=y;' 'exists (0:X0=1 /\ 1:X4=(oa:phy_x, af:1, db:1, dbm:1))'
}

n=0
for p in flat brk brz0 brz1 loop fh; do
	huprog "$p"
	for o in pte ptedata; do
		for b in none dmbST dmbLD dsbISH; do
			hushape "LBh_${p}_${o}_$b" "$b" "$o"
		done
	done
done
for p in cnt2 cnt3 cnt4 same ldin brz0 brz1 brk0 brk1 csel cset fhset \
	 fhstr fhskip; do
	prog "$p"
	for o in one two co lp data; do
		obs "$o"
		for b in none dmbST dmbLD; do
			shape "LBp_${p}_${o}_$b" "$b"
		done
	done
done
echo "$n tests"
