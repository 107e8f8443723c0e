#!/bin/sh
# Pinned litmus results: the tests listed in tests/litmus/pinned.tsv (a
# subset of ../shared/litmus that runs in a few seconds: each test and
# variant, vmsa's observation today, herd7's verdict) must give exactly
# the pinned observation (or "unsupported"). A change of the model that
# changes one fails here: update the file when the model improves
# (tests/litmus/tools/pin.sh rewrites it from a litmus-check run), and
# say why in the commit. The agreement with herd7 of the pinned tests is
# checked too: a test pinned as agreeing must keep agreeing. A search
# cut by the cap (20,000 executions) whose observation is decided anyway
# (a witness and a counter-example found: "... but its observation is
# decided: Sometimes", docs/litmus.md) counts as that observation: only
# Sometimes can be decided before a search ends.
# Skipped when the catalogue is not there (LITMUS_DIR, ../shared/litmus).
. "$(dirname "$0")/../lib.sh"

dir=${LITMUS_DIR:-../shared/litmus}
pins=$(dirname "$0")/pinned.tsv
t_need_catalogue "$dir" "pinned litmus results"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmsa-pinned.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

# One run per variant, all its files at once.
for v in $(grep -v '^#' "$pins" | cut -f2 | sort -u); do
	grep -v '^#' "$pins" | awk -F'\t' -v v="$v" -v d="$dir" \
		'$2 == v { print d "/" $1 }' >"$tmp/files"
	if [ "$v" = "-" ]; then
		xargs "$VMSA" litmus --tsv --max-executions 20000 \
			<"$tmp/files" >"$tmp/out.$v" 2>&1
	else
		xargs "$VMSA" litmus --tsv --max-executions 20000 \
			--variant "$v" <"$tmp/files" >"$tmp/out.$v" 2>&1
	fi
done
while IFS='	' read -r file variant want herd; do
	case "$file" in '#'*|'') continue ;; esac
	got=$(awk -F'\t' -v f="$dir/$file" '$1 != f { next }
		$3 == "unsupported" && $6 ~ /observation is decided: Sometimes/ {
			print "Sometimes"; next }
		{ print $3 }' "$tmp/out.$variant")
	t_out=$got
	if [ "$got" = "$want" ]; then t_ok; else
		t_bad "$file ($variant): vmsa gives '$got', pinned '$want'"
	fi
	case "$want" in
	Never) ours=Forbidden ;;
	Sometimes|Always) ours=Allowed ;;
	*) ours=- ;;
	esac
	if [ "$ours" = "$herd" ]; then
		[ "$got" = "$want" ] && t_ok ||
			t_bad "$file ($variant): agreed with herd7 ($herd), now '$got'"
	fi
done <"$pins"
t_done
