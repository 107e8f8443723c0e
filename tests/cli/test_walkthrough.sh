#!/bin/sh
# docs/explorer.md, "A first scenario, step by step": the C blocks of that
# section, in order, are one program. After make install into a staging
# tree (DESTDIR), they build with -std=c11 -Wall -Wextra -Werror against
# the installed headers and library only, and the program's `check` gives
# the verdicts the section shows; its violation replays to the end shown.
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmsa-walkthrough.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
dest="$tmp/dest"
prefix=/opt/vmsa
root="$dest$prefix"

t_run ${MAKE:-make} -s install DESTDIR="$dest" PREFIX="$prefix"
t_status install 0

# The section runs from its heading to the next "## " heading; take every
# ```c block in it.
awk '
	/^## A first scenario, step by step$/ { in_sec = 1; next }
	in_sec && /^## / { in_sec = 0 }
	in_sec && /^```c$/ { in_c = 1; n++; next }
	in_c && /^```$/ { in_c = 0; print ""; next }
	in_c { print }
	END { if (n < 8) exit 1 }
' docs/explorer.md >"$tmp/first.c"
t_status extract 0
grep -q 'int main' "$tmp/first.c" && t_ok || t_bad "extract: no main()"

# Only the installed tree: no -I of the source, the installed library.
t_run ${CC:-cc} -std=c11 -Wall -Wextra -Werror -I"$root/include" \
	-o "$tmp/first" "$tmp/first.c" -L"$root/lib" -lvmsa \
	-Wl,-rpath,"$root/lib"
t_status build 0

t_run "$tmp/first" check
t_status check 0
for row in "first/kernel   bbm0       safe      safe                             212" \
	"first/no-tlbi  bbm0       bbm       bbm                                1" \
	"first/ok       bbm0       safe      safe                             283" \
	"first/ok       bbm2+ets2  safe      safe                             252" \
	"4 configurations, 4 as expected, 0 not"; do
	t_stdout_has "check: $row" "$row"
done

t_run "$tmp/first" check --json first/no-tlbi
t_status check-json 0
dec=$(printf '%s\n' "$t_out" | sed -n -E 's/.*"decisions": "([^"]*)".*/\1/p')
[ -n "$dec" ] && t_ok || t_bad "check-json: no decision string"
t_run "$tmp/first" replay first/no-tlbi@bbm0 --decisions "$dec"
t_status replay 0
last=$(printf '%s\n' "$t_out" | tail -n 1)
want=$(sed -n '/^## A first scenario, step by step$/,/^## /p' docs/explorer.md |
	grep '^bbm: CPU0 writes')
[ -n "$want" ] && [ "$last" = "$want" ] && t_ok ||
	t_bad "replay: last line '$last', the section shows '$want'"

t_done
