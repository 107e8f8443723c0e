#!/bin/sh
# tests/litmus/tools/handler-loop-shapes.sh - loops inside a fault
# handler: P0's access to x faults (x's PTE invalid), and its handler
# P0.F waits for P1's flag f in a loop (CBZ on the loaded flag, or CBNZ
# out of the loop and B back: both count towards herd7's unrolling), or
# counts a constant down (not counted), or stores to y inside the loop
# (a store a promise may need: P1 reads y before it writes the flag);
# then it returns past the access (ELR_EL1 set to a label) or to the
# access itself (which faults again until P1 has made x valid). P1
# writes the flag alone, or makes x valid first (with DSB SY, or with
# nothing, between the two). herd7 places a handler's code after its
# thread's and counts the jumps back within it per instruction over the
# whole execution (herd/mem.ml, fetch_addr), so the handler's later
# runs see the counts its earlier ones left (src/litmus/interp.c,
# jump()). Written to compare the model with herd7 (herd-states.sh);
# docs/litmus.md, "Loops".
#
# usage: handler-loop-shapes.sh OUTDIR
# Writes OUTDIR/HLs_*.litmus and prints how many.
usage='usage: handler-loop-shapes.sh OUTDIR'
out=${1:?$usage}
mkdir -p "$out" || exit 2

# handler LOOP RET: the handler's rows (h).
handler() {
	case $1 in
	cbz)	body="L0:
ADD W8,W8,#1
LDR W7,[X2]
CBZ W7,L0" ;;
	bback)	body="L0:
ADD W8,W8,#1
LDR W7,[X2]
CBNZ W7,L9
B L0
L9:" ;;
	const)	body="MOV W9,#3
L0:
ADD W8,W8,#1
SUB W9,W9,#1
CBNZ W9,L0
LDR W7,[X2]" ;;
	store)	body="L0:
ADD W8,W8,#1
STR W8,[X3]
LDR W7,[X2]
CBZ W7,L0" ;;
	esac
	case $2 in
	label)	h="$body
ADR X10,Lret
MSR ELR_EL1,X10
ERET" ;;
	retry)	h="$body
ERET" ;;
	esac
}

# writer KIND: P1's rows (p1).
writer() {
	case $1 in
	flag)	p1="STR W5,[X2]" ;;
	dsb)	p1="STR X0,[X1]
DSB SY
STR W5,[X2]" ;;
	none)	p1="STR X0,[X1]
STR W5,[X2]" ;;
	esac
	# A store inside the handler's loop: P1 reads y first.
	[ "$2" = store ] && p1="LDR W4,[X3]
$p1"
}

# column TEXT: TEXT's rows, padded with empty rows to $rows.
column() {
	printf '%s\n' "$1" | awk -v r="$rows" '{ print } END { for (i = NR; i < r; i++) print "" }'
}

n=0
for loop in cbz bback const store; do
	for ret in label retry; do
		for w in flag dsb none; do
			# Returning to an access nothing makes valid
			# faults until herd7's unrolling cuts it off.
			[ "$ret" = retry ] && [ "$w" = flag ] && continue
			for acc in ld st; do
				name="HLs_${loop}_${ret}_${w}_$acc"
				handler "$loop" "$ret"
				writer "$w" "$loop"
				case $acc in
				ld) p0="LDR W6,[X4]" ;;
				st) p0="STR W5,[X4]" ;;
				esac
				p0="$p0
Lret:
MOV W0,#5"
				cond='exists (0:X7=1)'
				locs='0:X0;0:X8;'
				[ "$loop" = store ] && locs="${locs}1:X4;"
				rows=$(printf '%s\n' "$h" | wc -l)
				{
					echo "AArch64 $name"
					echo '{'
					echo 'int x; int f; int y; [PTE(x)]=(valid:0);'
					echo '0:X4=x; 0:X5=1; 0:X2=f; 0:X3=y;'
					echo '1:X1=PTE(x); 1:X0=(oa:PA(x)); 1:X2=f; 1:X3=y; 1:X5=1;'
					echo '}'
					column "$p0" >"$out/.c0"
					column "$h" >"$out/.ch"
					column "$p1" >"$out/.c1"
					echo 'P0 | P0.F | P1 ;'
					paste -d'|' "$out/.c0" "$out/.ch" "$out/.c1" |
						sed 's/$/ ;/'
					echo "locations [$locs]"
					echo "$cond"
				} >"$out/$name.litmus"
				n=$((n + 1))
			done
		done
	done
done
rm -f "$out/.c0" "$out/.ch" "$out/.c1"
echo "$n tests in $out"
