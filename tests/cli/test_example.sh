#!/bin/sh
# examples/: a user's own scenarios in their own program. After
# make install PREFIX=<tmp>, the example builds against the installed
# library with its Makefile (pkg-config; shared, then STATIC=1), and
# `remap check` explores its scenarios, only those, as expected; the
# violation it finds replays. Prints "N passed, N failed[, 1 skipped]".
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmsa-example.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
prefix="$tmp/prefix"
ex="$tmp/ex"

t_run ${MAKE:-make} -s install PREFIX="$prefix"
t_status install 0

if ! command -v pkg-config >/dev/null 2>&1; then
	echo "pkg-config is not installed: the example build was skipped"
	echo "$t_pass passed, $t_fail failed, 1 skipped"
	[ "$t_fail" -eq 0 ]
	exit
fi

# Build a copy, as a user would, outside the source tree.
mkdir -p "$ex"
cp examples/remap.c examples/Makefile "$ex/"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"

t_run ${MAKE:-make} -s -C "$ex" CFLAGS="-O2 -Werror"
t_status build-shared 0
[ -x "$ex/remap" ] && t_ok || t_bad "build-shared: no remap program"

# check: the example's four configurations, as expected; nothing bundled.
t_run "$ex/remap" check
t_status check 0
t_stdout_has check-ok "remap/ok"
t_stdout_has check-no-tlbi "remap/no-tlbi"
t_stdout_has check-summary "4 configurations, 4 as expected, 0 not"
printf '%s\n' "$t_out" | grep -q "bbm/ok" &&
	t_bad "check: bundled scenarios in a user's program" || t_ok

t_run "$ex/remap" list
t_status list 0
t_stdout_has list-summary "2 scenarios, 4 configurations"

# The violation of remap/no-tlbi@bbm0 replays to the same end.
t_run "$ex/remap" check --json "remap/no-tlbi@bbm0"
t_status check-json 0
dec=$(printf '%s\n' "$t_out" | sed -n -E 's/.*"decisions": "([^"]*)".*/\1/p')
[ -n "$dec" ] && t_ok || t_bad "check-json: no decisions"
t_run "$ex/remap" replay "remap/no-tlbi@bbm0" --decisions "$dec"
t_status replay 0
t_stdout_has replay-kind "bbm: CPU0 writes"

# The same command line: a pattern that matches none of the program's
# scenarios is a usage error.
t_run "$ex/remap" check "remap/nothing"
t_status check-no-match 2

# The static build runs without the shared library.
rm -f "$ex/remap"
t_run ${MAKE:-make} -s -C "$ex" STATIC=1 CFLAGS="-O2 -Werror"
t_status build-static 0
t_run env LD_LIBRARY_PATH= "$ex/remap" check --quiet
t_status check-static 0
t_stdout_has check-static-summary "4 configurations, 4 as expected, 0 not"
if command -v ldd >/dev/null 2>&1; then
	t_run ldd "$ex/remap"
	printf '%s\n' "$t_out" | grep -q libvmsa &&
		t_bad "static: linked with libvmsa.so" || t_ok
fi

t_done
