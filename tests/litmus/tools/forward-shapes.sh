#!/bin/sh
# tests/litmus/tools/forward-shapes.sh - litmus tests of dependencies
# through a thread's own write (B2.3.2; docs/model.md, "Dependencies
# through the CPU's own writes"): P1 reads a flag, writes z with a
# value or a comparison that depends on it (plain store, release, SWP,
# LDADD, CAS's new value, CAS's compared value, a store-exclusive, a
# CSEL on the flag), reads z back (LDR, LDAR, LDAPR) and then orders a
# last access after that read or not (an address dependency, a control
# dependency, one with an ISB, nothing). In the MP shape the last
# access is a read of the data P0 wrote before the flag; in the LB
# shape it is a store P0 reads before it writes the flag. Written to
# compare the model's final states with herd7's (herd-states.sh);
# docs/litmus.md, "Beyond the VMSA catalogue: herd7's data-ordering
# catalogues".
#
# usage: forward-shapes.sh OUTDIR
# Writes OUTDIR/fwd_SHAPE_WRITE_READ_DEP.litmus and prints how many.
usage='usage: forward-shapes.sh OUTDIR'
out=${1:?$usage}
mkdir -p "$out" || exit 2

writes='STR STLR SWP LDADD CASNEW CASCMP STXR CSEL'
reads='LDR LDAR LDAPR'

# write KIND: P1's lines writing z (X4) with a dependency on the flag
# in W0: W9 is 0 and depends on it; the value written is 1 but for a
# SWP's or LDADD's (1 more than z's 0) and the CAS's (1).
write() {
	echo "EOR W9,W0,W0"
	case $1 in
	STR|STLR) echo "ADD W3,W9,#1"; echo "$1 W3,[X4]" ;;
	SWP|LDADD) echo "ADD W3,W9,#1"; echo "$1 W3,W6,[X4]" ;;
	CASNEW) echo "MOV W6,#0"; echo "ADD W3,W9,#1"; echo "CAS W6,W3,[X4]" ;;
	CASCMP) echo "MOV W3,#1"; echo "CAS W9,W3,[X4]" ;;
	STXR) echo "ADD W3,W9,#1"; echo "LDXR W6,[X4]"
	      echo "STXR W7,W3,[X4]" ;;
	CSEL) echo "CMP W0,#1"; echo "MOV W8,#1"; echo "CSEL W3,W8,W8,EQ"
	      echo "STR W3,[X4]" ;;
	esac
}

# last DEP OP: the last access, after the read back into W5 (OP LDR: a
# read of x into W2; STR: a store of 1 to x)
last() {
	a=X1
	case $1 in
	addr) echo "EOR X10,X5,X5"; echo "ADD X11,X1,X10"; a=X11 ;;
	ctrl) echo "CBNZ W5,LC1"; echo "LC1:" ;;
	ctrlisb) echo "CBNZ W5,LC1"; echo "LC1:"; echo "ISB" ;;
	esac
	case $2 in
	LDR) echo "LDR W2,[$a]" ;;
	STR) echo "MOV W12,#1"; echo "STR W12,[$a]" ;;
	esac
}

# emit NAME INIT COND P0LINES P1FILE
emit() {
	{
		echo "AArch64 $1"
		echo "{"
		echo "0:X1=x; 0:X3=y;"
		echo "1:X1=x; 1:X3=y; 1:X4=z;"
		echo "}"
		echo " P0 | P1 ;"
		n0=$(echo "$4" | wc -l) n1=$(wc -l <"$5") i=1
		while [ "$i" -le "$n0" ] || [ "$i" -le "$n1" ]; do
			l0=$(echo "$4" | sed -n "${i}p")
			l1=$(sed -n "${i}p" "$5")
			echo " $l0 | $l1 ;"
			i=$((i + 1))
		done
		echo "exists $3"
	} >"$out/$1.litmus"
}

mp0='MOV W0,#1
STR W0,[X1]
DMB SY
STR W0,[X3]'
lb0='LDR W2,[X1]
DMB SY
MOV W0,#1
STR W0,[X3]'
t1=$(mktemp) || exit 2
trap 'rm -f "$t1"' EXIT
n=0
for w in $writes; do
	for r in $reads; do
		for d in addr ctrl ctrlisb po; do
			{
				echo "LDR W0,[X3]"
				write "$w"
				echo "$r W5,[X4]"
				last "$d" LDR
			} >"$t1"
			emit "fwd_MP_${w}_${r}_$d" "" \
				"(1:X0=1 /\\ 1:X2=0)" "$mp0" "$t1"
			n=$((n + 1))
			[ "$d" = ctrlisb ] && continue
			{
				echo "LDR W0,[X3]"
				write "$w"
				echo "$r W5,[X4]"
				last "$d" STR
			} >"$t1"
			emit "fwd_LB_${w}_${r}_$d" "" \
				"(0:X2=1 /\\ 1:X0=1)" "$lb0" "$t1"
			n=$((n + 1))
		done
	done
done
echo "$n"
