#!/bin/sh
# tests/litmus/tools/pin.sh - rewrite tests/litmus/pinned.tsv from the
# results of `make litmus-check` (build/litmus-check/*.cmp): every test
# that ran to an observation in under MAX_SECONDS (default 0.2), with
# its variant, vmsa's observation and herd7's verdict.
# usage: pin.sh LITMUS_DIR [MAX_SECONDS] > tests/litmus/pinned.tsv
dir=${1:?usage: pin.sh LITMUS_DIR [MAX_SECONDS]}
max=${2:-0.2}
out=${OUT:-build/litmus-check}
echo "# file (under LITMUS_DIR)	variant (- : the test's own)	vmsa observation	herd7 verdict"
for f in "$out"/*.cmp; do
	b=$(basename "$f" .cmp)
	folder=${b%%.*}
	variant=${b#*.}
	[ "$variant" = "Variant=" ] && variant=-
	awk -F'\t' -v folder="$folder" -v variant="$variant" -v max="$max" \
	    -v dir="$dir" '
	function verdict(o) {
		if (o == "Never") return "Forbidden"
		if (o == "Sometimes" || o == "Always") return "Allowed"
		return o
	}
	($4 == "agree" || $4 == "disagree") && $5 + 0 < max + 0 {
		file = $1
		if (folder != "aarch64-VMSA") file = file ".litmus"
		printf "%s/%s\t%s\t%s\t%s\n", folder, file, variant, $3, verdict($2)
	}' "$f"
done | sort
