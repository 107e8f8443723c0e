#!/bin/sh
# tests/litmus/tools/diy-states.sh - the model against herd7 on tests
# that herdtools7's own generator writes: diy7 enumerates the cycles of
# a set of relaxations (edges such as Rfe, PodRR, TLBI-sync.ISHdWW, with
# VMSA annotations such as RfePteV0P: a read of a PTE write that makes
# the entry invalid), writes one litmus test per cycle, and each test is
# run by herd7 and by `vmsa litmus` and their final states compared
# (herd-states.sh). The tests are made in a temporary directory and
# left there only when OUT is given. docs/litmus.md, "Tests herd7's
# generator writes".
#
# usage: diy-states.sh HERD DIY VMSA VARIANT SIZE NPROCS RELAX SAFE \
#                      [SAMPLE [SEED [OUT]]]
#   HERD: the herd7 command with its options; DIY: the diy7 command
#         (herdtools7's gen/diy.exe); VMSA: the vmsa binary;
#   VARIANT: herd7's variant for both, e.g. vmsa,fatal;
#   SIZE, NPROCS: diy7's -size and -nprocs (the longest cycle, the most
#         threads);
#   RELAX, SAFE: diy7's -relax and -safe lists (quoted, blank-separated);
#   SAMPLE: compare only this many of the generated tests, picked by
#         SEED (default: all); OUT: a directory to keep the tests in.
#   HERD_STATES_TIMEOUT (environment): herd7's limit per test in seconds
#         (default 30; a test over it is skipped).
# Prints what herd-states.sh prints for the tests compared (DIFF and
# SKIP lines, then "N tests, N same, N differ, N skipped"), first a line
# "generated N, compared M". Exit status: herd-states.sh's (1 when a
# test differs), 2 on a usage error or when diy7 writes no test.
usage='usage: diy-states.sh HERD DIY VMSA VARIANT SIZE NPROCS RELAX SAFE [SAMPLE [SEED [OUT]]]'
[ $# -ge 8 ] || { echo "$usage" >&2; exit 2; }
herd=$1 diy=$2 vmsa=$3 variant=$4 size=$5 nprocs=$6 relax=$7 safe=$8
sample=${9:-0} seed=${10:-1} out=${11:-}
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$vmsa" ] || { echo "diy-states.sh: $vmsa is not executable" >&2; exit 2; }
case $size$nprocs$sample$seed in
*[!0-9]*) echo "diy-states.sh: SIZE, NPROCS, SAMPLE and SEED are numbers" >&2
	exit 2 ;;
esac
if [ -n "$out" ]; then
	mkdir -p "$out" || exit 2
	dir=$out
else
	dir=$(mktemp -d) || exit 2
	trap 'rm -rf "$dir"' EXIT
fi
vmsa=$(cd "$(dirname "$vmsa")" && pwd)/$(basename "$vmsa")

# diy7 writes its tests (and a list, @all) into the current directory.
(cd "$dir" && $diy -arch AArch64 -variant vmsa -size "$size" \
	-nprocs "$nprocs" -relax "$relax" -safe "$safe" >/dev/null 2>&1)
ls "$dir" | grep '\.litmus$' | LC_ALL=C sort >"$dir/.all"
n=$(wc -l <"$dir/.all")
[ "$n" -gt 0 ] || { echo "diy-states.sh: diy7 wrote no test" >&2; exit 2; }

# A sample: the tests ordered by a hash of their name and the seed.
if [ "$sample" -gt 0 ] && [ "$sample" -lt "$n" ]; then
	awk -v seed="$seed" '{
		h = seed
		for (i = 1; i <= length($0); i++)
			h = (h * 31 + index("abcdefghijklmnopqrstuvwxyz" \
				"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-._",
				substr($0, i, 1))) % 1000003
		print h, $0
	}' "$dir/.all" | LC_ALL=C sort -n | head -n "$sample" |
		cut -d' ' -f2 >"$dir/.list"
else
	cp "$dir/.all" "$dir/.list"
fi
echo "generated $n, compared $(wc -l <"$dir/.list")"
cd "$dir" || exit 2
# shellcheck disable=SC2046
sh "$here/herd-states.sh" "$herd" "$vmsa" "$variant" $(cat .list)
