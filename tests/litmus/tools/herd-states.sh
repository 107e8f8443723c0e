#!/bin/sh
# tests/litmus/tools/herd-states.sh - the model's final states against
# herd7's, test by test: each FILE is run by herd7 and by `vmsa litmus`
# under VARIANT, and their sets of final states compared (a finer check
# than the observation herd-fuzz.sh compares), herd7's fault events
# read as the test's fault atoms (as_atoms below). docs/litmus.md,
# "Beyond the catalogue: atomics, shape by shape".
#
# usage: herd-states.sh HERD VMSA VARIANT FILE...
#   HERD: the herd7 command with its options; VMSA: the vmsa binary;
#   VARIANT: herd7's variant, e.g. vmsa,fatal
# Prints "DIFF name herd-only: STATES vmsa-only: STATES" per test whose
# states differ, "SKIP name why" per test either tool gave no states for
# (herd7 over 30 s, or HERD_STATES_TIMEOUT seconds from the environment,
# vmsa over 300,000 executions, a test either cannot
# run), and last "N tests, N same, N differ, N skipped". Exit status 1
# when a test differs, 2 on a usage error.
usage='usage: herd-states.sh HERD VMSA VARIANT FILE...'
herd=${1:?$usage}
vmsa=${2:?$usage}
variant=${3:?$usage}
shift 3
[ $# -gt 0 ] || { echo "$usage" >&2; exit 2; }
[ -x "$vmsa" ] || { echo "herd-states.sh: $vmsa is not executable" >&2; exit 2; }

# states: the "States" block of a herd7-style output on stdin (it ends
# at "Ok", "No", or "Loop Ok"/"Loop No" when some execution was cut off
# by the unrolling), one state per line with its blanks removed,
# sorted; a fault atom without the fault's type (herd7 prints
# Fault(P1:L0,x,D-MMU:AccessFlag), vmsa Fault(P1:L0,x)), unless the
# argument is "typed" (herd7's events for as_atoms, which match an atom
# that names a type and no location by its type).
states() {
	if [ "${1:-}" = typed ]; then
		awk '/^States/ { s = 1; next } /^(Loop )?(Ok|No)$/ { s = 0 } s' |
			tr -d ' ' | LC_ALL=C sort
		return
	fi
	awk '/^States/ { s = 1; next } /^(Loop )?(Ok|No)$/ { s = 0 } s' |
		tr -d ' ' |
		sed 's/Fault(\([^,)]*,[^,)]*\),[^)]*)/Fault(\1)/g' |
		LC_ALL=C sort
}

# as_atoms ATOMS: herd7's states (from states(), on stdin) with their
# fault events turned into vmsa's fault atoms, each once (herd7's states
# that differ only in a fault's type become one). vmsa prints each atom of
# the test as written, Fault(P0,x) or ~Fault(P0,x); herd7 prints, for
# the atoms that hold, the fault events they matched, each with its
# instruction's label (Fault(P0:L0,x)). ATOMS: vmsa's atoms in its
# order, one per line (Fault(P0,x), Fault(P1:L1,y)); an atom holds when
# an event of its thread and location (and label, when it names one)
# is in the state.
as_atoms() {
	awk -v atoms="$1" '
	BEGIN {
		na = split(atoms, a, "\n")
		for (i = 1; i <= na; i++) {
			split(substr(a[i], 7, length(a[i]) - 7), f, ",")
			split(f[1], tl, ":")
			ath[i] = tl[1]; alb[i] = tl[2]; alc[i] = f[2]
			aty[i] = ""
			# A type without a location (fault(P1:L0,
			# MMU:Translation)): any location, that type.
			if (f[2] ~ /^MMU:/ || f[2] == "TagCheck") {
				aty[i] = f[2]; alc[i] = ""
			}
		}
	}
	{
		n = split($0, it, ";")
		line = ""; ne = 0
		for (j = 1; j <= n; j++) {
			if (it[j] == "" || it[j] ~ /^~Fault\(/)
				continue
			if (it[j] ~ /^Fault\(/) {
				split(substr(it[j], 7, length(it[j]) - 7), f, ",")
				split(f[1], tl, ":")
				ne++; eth[ne] = tl[1]; elb[ne] = tl[2]
				elc[ne] = f[2]; ety[ne] = f[3]
				sub(/^D-/, "", ety[ne])
				continue
			}
			line = line it[j] ";"
		}
		for (i = 1; i <= na; i++) {
			hold = 0
			for (k = 1; k <= ne; k++)
				if (eth[k] == ath[i] &&
				    (alc[i] == "" || elc[k] == alc[i]) &&
				    (aty[i] == "" || ety[k] == aty[i]) &&
				    (alb[i] == "" || elb[k] == alb[i]))
					hold = 1
			line = line (hold ? "" : "~") a[i] ";"
		}
		print line
	}' | LC_ALL=C sort -u
}

n=0 same=0 diff=0 skip=0
for f in "$@"; do
	n=$((n + 1))
	name=$(basename "$f" .litmus)
	# $herd is a command with options: split on purpose.
	# shellcheck disable=SC2086
	h=$(timeout "${HERD_STATES_TIMEOUT:-30}" $herd -variant "$variant" "$f" 2>&1)
	m=$("$vmsa" litmus --max-executions 300000 --variant "$variant" \
		"$f" 2>&1)
	case $h in *States*) ;; *)
		echo "SKIP $name herd7: $(echo "$h" | head -1)"
		skip=$((skip + 1)); continue ;;
	esac
	case $m in *States*) ;; *)
		echo "SKIP $name vmsa: $(echo "$m" | head -1)"
		skip=$((skip + 1)); continue ;;
	esac
	ms=$(echo "$m" | states)
	# vmsa's fault atoms, in the order its first state names them.
	atoms=$(echo "$ms" | head -n 1 | tr ';' '\n' |
		sed -n 's/^~*\(Fault(.*)\)$/\1/p')
	if [ -n "$atoms" ]; then
		hs=$(echo "$h" | states typed | as_atoms "$atoms")
	else
		hs=$(echo "$h" | states)
	fi
	if [ "$hs" = "$ms" ]; then
		same=$((same + 1))
		continue
	fi
	diff=$((diff + 1))
	echo "DIFF $name herd-only: $(echo "$hs" | grep -vxF "$ms" | tr '\n' ' ')" \
	     "vmsa-only: $(echo "$ms" | grep -vxF "$hs" | tr '\n' ' ')"
done
echo "$n tests, $same same, $diff differ, $skip skipped"
[ "$diff" -eq 0 ]
