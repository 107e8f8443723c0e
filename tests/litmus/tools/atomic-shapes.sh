#!/bin/sh
# tests/litmus/tools/atomic-shapes.sh - two-thread litmus tests of the
# classic shapes (LB, S, 2+2W, MP, R) whose writes are plain stores,
# releases, atomics (SWP, LDADD, STADD, CAS and their acquire/release
# forms) or exclusive pairs (LDXR with STXR or STLXR), with each
# thread's two accesses separated by nothing, a barrier, an ISB, or an
# address, data or control dependency. Written
# to compare the model's final states with herd7's (herd-states.sh);
# docs/litmus.md, "Beyond the catalogue: atomics, shape by shape".
#
# usage: atomic-shapes.sh OUTDIR
# Writes OUTDIR/SHAPE_W0_W1_SEP0_SEP1.litmus and prints how many.
usage='usage: atomic-shapes.sh OUTDIR'
out=${1:?$usage}
mkdir -p "$out" || exit 2

writes='STR STLR SWP SWPA SWPL SWPAL LDADD STADD CAS CASA CASL STXR STLXR'
seps='po DMBSY DMBST DMBLD ISB data addr ctrl'

# write OP LOCREG VALUE [DEPREG DEPKIND]: a write's lines, one per line
# (the value in W3, an atomic's result in W4, a CAS compares W6 = 0; an
# exclusive pair loads W4, its status in W5).
write() {
	op=$1 a=$2 v=$3 dr=$4 dk=$5 vr=W3
	case $dk in
	data) echo "EOR W9,$dr,$dr"; echo "ADD W3,W9,#$v" ;;
	addr) echo "EOR X9,X${dr#W},X${dr#W}"; echo "ADD X10,$a,X9"; a=X10
	      echo "MOV W3,#$v" ;;
	ctrl) echo "CBNZ $dr,LC"; echo "LC:"; echo "MOV W3,#$v" ;;
	*) echo "MOV W3,#$v" ;;
	esac
	case $op in
	STR|STLR) echo "$op $vr,[$a]" ;;
	STADD) echo "$op $vr,[$a]" ;;
	CAS*) echo "MOV W6,#0"; echo "$op W6,$vr,[$a]" ;;
	*XR) echo "LDXR W4,[$a]"; echo "$op W5,$vr,[$a]" ;;
	*) echo "$op $vr,W4,[$a]" ;;
	esac
}

# read LOCREG DST [DEPREG DEPKIND]
read_() {
	a=$1
	case $4 in
	addr) echo "EOR X9,X${3#W},X${3#W}"; echo "ADD X10,$a,X9"; a=X10 ;;
	ctrl) echo "CBNZ $3,LC"; echo "LC:"; echo "ISB" ;;
	esac
	echo "LDR $2,[$a]"
}

# sep SEP: a barrier's line, if any
sep() {
	case $1 in
	DMBSY) echo "DMB SY" ;; DMBST) echo "DMB ST" ;;
	DMBLD) echo "DMB LD" ;; ISB) echo "ISB" ;;
	esac
}

# emit NAME COND FILE0 FILE1: the test from the two threads' lines
emit() {
	{
		echo "AArch64 $1"
		echo "{"
		echo "0:X0=x; 0:X2=y;"
		echo "1:X0=x; 1:X2=y;"
		echo "}"
		echo " P0 | P1 ;"
		n0=$(wc -l <"$3") n1=$(wc -l <"$4") i=1
		while [ "$i" -le "$n0" ] || [ "$i" -le "$n1" ]; do
			l0=$(sed -n "${i}p" "$3") l1=$(sed -n "${i}p" "$4")
			echo " $(echo "$l0" | sed 's/LC/LC0/') | $(echo "$l1" | sed 's/LC/LC1/') ;"
			i=$((i + 1))
		done
		echo "exists $2"
	} >"$out/$1.litmus"
}

t0=$(mktemp) t1=$(mktemp) || exit 2
trap 'rm -f "$t0" "$t1"' EXIT
n=0
for w0 in $writes; do
for w1 in $writes; do
for s in $seps; do
	dep=; case $s in data|addr|ctrl) dep=$s ;; esac
	bar=$s; [ -n "$dep" ] && bar=po
	# LB: R x; W y | R y; W x (no DMB ST: it orders no read)
	if [ "$s" != DMBST ]; then
		{ read_ X0 W1; sep "$bar"; write "$w0" X2 1 ${dep:+W1 $dep}; } >"$t0"
		{ read_ X2 W1; sep "$bar"; write "$w1" X0 1 ${dep:+W1 $dep}; } >"$t1"
		emit "LB_${w0}_${w1}_${s}" '0:X1=1 /\ 1:X1=1' "$t0" "$t1"
		n=$((n + 1))
	fi
	# S: W x=2; W y=1 | R y; W x=1
	sbar=$bar; [ -n "$dep" ] && sbar=DMBST
	{ write "$w0" X0 2; sep "$sbar"; write "$w0" X2 1; } >"$t0"
	{ read_ X2 W1; sep "$bar"; write "$w1" X0 1 ${dep:+W1 $dep}; } >"$t1"
	emit "S_${w0}_${w1}_${s}" '[x]=2 /\ 1:X1=1' "$t0" "$t1"
	n=$((n + 1))
	[ -n "$dep" ] && continue
	# 2+2W: W x=1; W y=2 | W y=1; W x=2
	{ write "$w0" X0 1; sep "$s"; write "$w0" X2 2; } >"$t0"
	{ write "$w1" X2 1; sep "$s"; write "$w1" X0 2; } >"$t1"
	emit "W22_${w0}_${w1}_${s}" '[x]=1 /\ [y]=1' "$t0" "$t1"
	# MP: W x=1; W y=1 | R y; R x (the reader's address dependency)
	{ write "$w0" X0 1; sep "$s"; write "$w1" X2 1; } >"$t0"
	{ read_ X2 W1; read_ X0 W5 W1 addr; } >"$t1"
	emit "MP_${w0}_${w1}_${s}" '1:X1=1 /\ 1:X5=0' "$t0" "$t1"
	# R: W x=1; W y=1 | W y=2; R x
	{ write "$w0" X0 1; sep "$s"; write "$w0" X2 1; } >"$t0"
	{ write "$w1" X2 2; sep "$s"; read_ X0 W5; } >"$t1"
	emit "R_${w0}_${w1}_${s}" '[y]=2 /\ 1:X5=0' "$t0" "$t1"
	n=$((n + 3))
done
done
done
echo "$n tests in $out"
