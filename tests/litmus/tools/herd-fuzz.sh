#!/bin/sh
# tests/litmus/tools/herd-fuzz.sh - the model against herd7 beyond the
# catalogue: mutants of the catalogue's quick tests (one barrier of one
# thread replaced by another barrier kind, an ISB or a NOP; one TLBI by
# another of its class: by VA, local or broadcast, last level or not,
# one ASID or all; of the whole context, local or broadcast; or one load
# or store of a plain [Xn] address by its acquire or release form or
# back: LDR, LDAR, LDAPR; STR, STLR), each run by
# herd7 and by `vmsa litmus` under `vmsa,fatal` and `vmsa,fatal,ets2`,
# and their observations (Never/Sometimes/Always) compared.
# docs/litmus.md, "Beyond the catalogue: mutants against herd7".
#
# usage: herd-fuzz.sh HERD VMSA LITMUS_DIR [COUNT] [SEED] [OUT]
#   HERD: the herd7 command, with its options (e.g. "herd7" or
#         "/herd/_build/default/herd/herd.exe -set-libdir /herd/herd/libdir")
#   VMSA: the vmsa binary
#   LITMUS_DIR: the catalogue (its aarch64-VMSA/verdicts.tsv picks the
#         tests herd7 decided in under 0.3 s)
#   COUNT: mutants to make (default 50); SEED: the first mutant's seed
#         (default 1; mutant i uses SEED + i, so a run can be resumed)
#   OUT: where each mutant that differs is kept (default: not kept)
#   HERD_FUZZ_DEPTH (environment): mutations per mutant (default 1)
# Prints one line per difference, "DIFF file mutation variant herd=OBS
# vmsa=OBS" (a mutation is LINE:OLD->NEW, LINE counted in the test's
# file), and last "N mutants, N compared, N differences, N skipped".
# A run is skipped when either tool gives no observation (herd7 over
# 20 s, vmsa over 300,000 executions, or a test either cannot run).
# Exit status 1 when there is a difference, 2 on a usage error.
usage='usage: herd-fuzz.sh HERD VMSA LITMUS_DIR [COUNT] [SEED] [OUT]'
herd=${1:?$usage}
vmsa=${2:?$usage}
dir=${3:?$usage}
count=${4:-50}
seed=${5:-1}
out=${6:-}
depth=${HERD_FUZZ_DEPTH:-1}
tsv=$dir/aarch64-VMSA/verdicts.tsv
[ -r "$tsv" ] || { echo "herd-fuzz.sh: no $tsv" >&2; exit 2; }
[ -x "$vmsa" ] || { echo "herd-fuzz.sh: $vmsa is not executable" >&2; exit 2; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
[ -z "$out" ] || mkdir -p "$out" || exit 2

# The tests herd7 decided quickly: file names, one per line.
awk -F'\t' 'NR > 1 && $5 != "" && $5 + 0 < 0.3 { print $1 }' "$tsv" \
	>"$tmp/quick"
nquick=$(wc -l <"$tmp/quick")
[ "$nquick" -gt 0 ] || { echo "herd-fuzz.sh: no quick test" >&2; exit 2; }

# mutate SEED FILE NAME HOW: the mutant on stdout, its mutation in the
# file HOW (empty when the test has no barrier in its threads' code). Only
# the lines of the threads' code are changed: from the line naming the
# threads (P0 | P1 ...) up to the condition or the locations.
mutate() {
	: >"$4"
	awk -v seed="$1" -v name="$3" -v how="$4" '
	BEGIN {
		srand(seed)
		nb = split("DMB SY,DMB ISH,DMB LD,DMB ST,DMB ISHLD,DMB ISHST," \
			   "DSB SY,DSB ISH,DSB ISHST,DSB LD,ISB,NOP", bars, ",")
		# TLBIs by VA (a register operand) and of a whole context
		# (none): one is replaced by another of its class or a NOP.
		nva = split("TLBI VAAE1IS,TLBI VAAE1,TLBI VAE1IS,TLBI VAE1," \
			    "TLBI VALE1IS,TLBI VAALE1IS,TLBI VALE1,TLBI VAALE1," \
			    "NOP", vas, ",")
		nall = split("TLBI VMALLE1IS,TLBI VMALLE1,NOP", alls, ",")
		# Loads and stores of a plain [Xn] address: plain, acquire
		# (RCsc, RCpc) or release forms.
		nld = split("LDR,LDAR,LDAPR", lds, ",")
		nst = split("STR,STLR", sts, ",")
	}
	{ line[NR] = $0 }
	/^[ \t]*P0[ \t]*\|/ || /^[ \t]*P0[ \t]*;/ { code = 1; next }
	/^[ \t]*(exists|~exists|forall|locations|filter)/ { code = 0 }
	code {
		rest = $0; off = 0
		while (match(rest, /(DMB|DSB) +(SY|ISH|LD|ST|ISHLD|ISHST|OSH|NSH)|ISB|NOP|TLBI +(VAAE1IS|VAAE1|VAE1IS|VAE1|VALE1IS|VAALE1IS|VALE1|VAALE1) *, *X[0-9]+|TLBI +(VMALLE1IS|VMALLE1)|(LDR|LDAR|LDAPR|STR|STLR) +[WX][0-9]+ *, *\[X[0-9]+\]/)) {
			tok = substr(rest, RSTART, RLENGTH)
			# a whole word only (not part of a label or a name)
			pre = substr(rest, RSTART - 1, 1)
			post = substr(rest, RSTART + RLENGTH, 1)
			if ((RSTART == 1 || pre !~ /[A-Za-z0-9_.]/) &&
			    post !~ /[A-Za-z0-9_.]/) {
				n++; at[n] = NR; pos[n] = off + RSTART
				len[n] = RLENGTH; old[n] = tok
			}
			off += RSTART + RLENGTH - 1
			rest = substr(rest, RSTART + RLENGTH)
		}
	}
	END {
		if (!n)
			exit 0
		k = int(rand() * n) + 1
		gsub(/TLBI +/, "TLBI ", old[k])
		if (old[k] ~ /^(LDR|LDAR|LDAPR|STR|STLR) /) {
			# only the mnemonic changes: the operands stay
			split(old[k], w, " ")
			if (w[1] ~ /^LD/)
				do { op = lds[int(rand() * nld) + 1] } while (op == w[1])
			else
				do { op = sts[int(rand() * nst) + 1] } while (op == w[1])
			b = op substr(old[k], length(w[1]) + 1)
		} else if (old[k] ~ /^TLBI VMALL/)
			do { b = alls[int(rand() * nall) + 1] } while (b == old[k])
		else if (old[k] ~ /^TLBI/) {
			# by VA: the operand stays (a NOP drops it)
			split(old[k], w, ",")
			gsub(/ +$/, "", w[1])
			do { b = vas[int(rand() * nva) + 1] } while (b == w[1])
			if (b != "NOP")
				b = b substr(old[k], length(w[1]) + 1)
		}
		else
			do { b = bars[int(rand() * nb) + 1] } while (b == old[k])
		for (i = 1; i <= NR; i++) {
			l = line[i]
			if (i == 1)
				sub(/^AArch64[ \t]+[^ \t]+/, "AArch64 " name, l)
			if (i == at[k])
				l = substr(l, 1, pos[k] - 1) b \
				    substr(l, pos[k] + len[k])
			print l
		}
		printf "%d:%s->%s\n", at[k], old[k], b > how
	}' "$2"
}

# obs OUTPUT: the observation of a herd7 or vmsa output, or nothing.
obs() {
	awk '$1 == "Observation" { print $3; exit }' "$1"
}

mutants=0 compared=0 diffs=0 skipped=0
i=0
while [ "$i" -lt "$count" ]; do
	s=$((seed + i))
	i=$((i + 1))
	pick=$(awk -v seed="$s" -v n="$nquick" \
		'BEGIN { srand(seed); print int(rand() * n) + 1 }')
	file=$(sed -n "${pick}p" "$tmp/quick")
	name="fuzz$s"
	mutate "$s" "$dir/aarch64-VMSA/$file" "$name" "$tmp/how" \
		>"$tmp/$name.litmus" || exit 2
	[ -s "$tmp/how" ] || { skipped=$((skipped + 1)); continue; }
	how=$(cat "$tmp/how")
	# More mutations of the mutant (HERD_FUZZ_DEPTH), each with its
	# own seed; a second change of one place is allowed.
	d=1
	while [ "$d" -lt "$depth" ]; do
		mutate "$((s * 16 + d))" "$tmp/$name.litmus" "$name" \
			"$tmp/how" >"$tmp/next.litmus" || exit 2
		mv "$tmp/next.litmus" "$tmp/$name.litmus"
		how="$how,$(cat "$tmp/how")"
		d=$((d + 1))
	done
	mutants=$((mutants + 1))
	differs=
	for v in vmsa,fatal vmsa,fatal,ets2; do
		timeout 20 $herd -variant "$v" "$tmp/$name.litmus" \
			>"$tmp/herd.out" 2>&1
		timeout 60 "$vmsa" litmus --variant "$v" \
			--max-executions 300000 "$tmp/$name.litmus" \
			>"$tmp/vmsa.out" 2>&1
		h=$(obs "$tmp/herd.out")
		m=$(obs "$tmp/vmsa.out")
		if [ -z "$h" ] || [ -z "$m" ]; then
			skipped=$((skipped + 1))
			continue
		fi
		compared=$((compared + 1))
		if [ "$h" != "$m" ]; then
			diffs=$((diffs + 1))
			differs=1
			echo "DIFF $file $how $v herd=$h vmsa=$m ($name)"
		fi
	done
	if [ -n "$differs" ] && [ -n "$out" ]; then
		cp "$tmp/$name.litmus" "$out/" || exit 2
	fi
done
echo "$mutants mutants, $compared compared, $diffs differences, $skipped skipped"
[ "$diffs" -eq 0 ]
