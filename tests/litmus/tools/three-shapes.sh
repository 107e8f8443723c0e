#!/bin/sh
# tests/litmus/tools/three-shapes.sh - the classic shapes of three and
# four threads on data (WRC, ISA2, IRIW), each thread's two accesses
# separated by nothing, a barrier, an address, data or control
# dependency (with or without an ISB after it), or made an acquire or a
# release. Written to compare the model's ordering of data accesses with
# herd7 (herd-states.sh); docs/litmus.md, "Beyond the catalogue: three
# threads".
#
# usage: three-shapes.sh OUTDIR
# Writes OUTDIR/SHAPE_SEP..._SEP.litmus and prints how many.
usage='usage: three-shapes.sh OUTDIR'
out=${1:?$usage}
mkdir -p "$out" || exit 2

rr_seps='po DMBSY DMBLD addr ctrl ctrlisb acq'
rw_seps='po DMBSY DMBLD DMBST addr data ctrl acq rel'
ww_seps='po DMBSY DMBST rel'

# Each function prints one instruction per line. Labels are unique in
# a test (herd7 wants that): $2 is the label's suffix.
# rr SEP LABEL: read [X1] into W0, then [X2] into W3.
rr() {
	if [ "$1" = acq ]; then echo 'LDAR W0,[X1]'; else echo 'LDR W0,[X1]'; fi
	case $1 in
	DMBSY) echo 'DMB SY' ;;
	DMBLD) echo 'DMB LD' ;;
	addr) echo 'EOR W9,W0,W0'; echo 'LDR W3,[X2,W9,SXTW]'; return ;;
	ctrl) echo "CBNZ W0,LC$2"; echo "LC$2:" ;;
	ctrlisb) echo "CBNZ W0,LC$2"; echo "LC$2:"; echo 'ISB' ;;
	esac
	echo 'LDR W3,[X2]'
}

# rw SEP LABEL: read [X1] into W0, then write 1 to [X2].
rw() {
	if [ "$1" = acq ]; then echo 'LDAR W0,[X1]'; else echo 'LDR W0,[X1]'; fi
	case $1 in
	DMBSY) echo 'DMB SY' ;;
	DMBLD) echo 'DMB LD' ;;
	DMBST) echo 'DMB ST' ;;
	addr) echo 'EOR W9,W0,W0'; echo 'MOV W10,#1'
	      echo 'STR W10,[X2,W9,SXTW]'; return ;;
	data) echo 'EOR W9,W0,W0'; echo 'ADD W10,W9,#1'
	      echo 'STR W10,[X2]'; return ;;
	ctrl) echo "CBNZ W0,LC$2"; echo "LC$2:" ;;
	esac
	echo 'MOV W10,#1'
	if [ "$1" = rel ]; then echo 'STLR W10,[X2]'; else echo 'STR W10,[X2]'; fi
}

# ww SEP: write 1 to [X1], then 1 to [X2].
ww() {
	echo 'MOV W10,#1'; echo 'STR W10,[X1]'
	case $1 in
	DMBSY) echo 'DMB SY' ;;
	DMBST) echo 'DMB ST' ;;
	esac
	echo 'MOV W11,#1'
	if [ "$1" = rel ]; then echo 'STLR W11,[X2]'; else echo 'STR W11,[X2]'; fi
}

store() {
	echo 'MOV W10,#1'; echo 'STR W10,[X1]'
}

# emit NAME INIT COND FILE...: the test whose threads' code are FILEs.
emit() {
	name=$1 init=$2 cond=$3
	shift 3
	{
		echo "AArch64 $name"
		echo '{'
		echo "$init"
		echo '}'
		i=0 hdr=
		for f; do
			hdr="$hdr${hdr:+ | }P$i"
			i=$((i + 1))
		done
		echo "$hdr ;"
		# the threads side by side, one instruction of each per row
		awk 'FNR == 1 { t++ } { code[t, FNR] = $0; if (FNR > n) n = FNR }
		END {
			for (r = 1; r <= n; r++) {
				row = ""
				for (k = 1; k <= t; k++)
					row = row (k > 1 ? " | " : "") code[k, r]
				print row " ;"
			}
		}' "$@"
		echo "exists ($cond)"
	} >"$out/$name.litmus"
}

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
n=0
for s1 in $rw_seps; do
	for s2 in $rr_seps; do
		store >"$tmp/0"; rw "$s1" 1 >"$tmp/1"; rr "$s2" 2 >"$tmp/2"
		emit "WRC_${s1}_$s2" '0:X1=x; 1:X1=x; 1:X2=y; 2:X1=y; 2:X2=x;' \
			'1:X0=1 /\ 2:X0=1 /\ 2:X3=0' "$tmp/0" "$tmp/1" "$tmp/2"
		n=$((n + 1))
	done
done
for s0 in $ww_seps; do
	for s1 in $rw_seps; do
		for s2 in $rr_seps; do
			ww "$s0" >"$tmp/0"; rw "$s1" 1 >"$tmp/1"
			rr "$s2" 2 >"$tmp/2"
			emit "ISA2_${s0}_${s1}_$s2" \
				'0:X1=x; 0:X2=y; 1:X1=y; 1:X2=z; 2:X1=z; 2:X2=x;' \
				'1:X0=1 /\ 2:X0=1 /\ 2:X3=0' \
				"$tmp/0" "$tmp/1" "$tmp/2"
			n=$((n + 1))
		done
	done
done
# IRIW: each unordered pair of the readers' separators once.
i2=0
for s2 in $rr_seps; do
	i2=$((i2 + 1))
	i3=0
	for s3 in $rr_seps; do
		i3=$((i3 + 1))
		[ "$i3" -ge "$i2" ] || continue
		store >"$tmp/0"; store >"$tmp/1"
		rr "$s2" 2 >"$tmp/2"; rr "$s3" 3 >"$tmp/3"
		emit "IRIW_${s2}_$s3" \
			'0:X1=x; 1:X1=y; 2:X1=x; 2:X2=y; 3:X1=y; 3:X2=x;' \
			'2:X0=1 /\ 2:X3=0 /\ 3:X0=1 /\ 3:X3=0' \
			"$tmp/0" "$tmp/1" "$tmp/2" "$tmp/3"
		n=$((n + 1))
	done
done
echo "$n tests"
