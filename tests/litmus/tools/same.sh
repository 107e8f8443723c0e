#!/bin/sh
# tests/litmus/tools/same.sh - do two `vmsa litmus --json` runs of the same
# tests give the same answers? For every test that ran to an observation
# in both (not unsupported, not an error), compares the observation and
# the whole set of final states; prints each test that differs and a
# summary line. Used to show that a change of the search (the start
# gate, a reduction) keeps every verdict: run the tests with and without
# it and compare (docs/litmus.md, "Search size").
#
# usage: same.sh A.json B.json
# Exit status 0 when nothing differs, 1 when something does, 2 on a
# usage error.
a=${1:?usage: same.sh A.json B.json}
b=${2:?usage: same.sh A.json B.json}
[ -r "$a" ] && [ -r "$b" ] || { echo "same.sh: cannot read $a or $b" >&2; exit 2; }
awk '
	# The fields of one line of vmsa litmus --json (its own format: no
	# nested objects; "states" is the only array).
	function field(line, name,    s) {
		s = line
		if (!sub(".*\"" name "\": ", "", s)) return ""
		if (substr(s, 1, 1) == "[") { sub(/\], "[a-z]+": .*/, "]", s); return s }
		sub(/, "[a-z]+": .*/, "", s); sub(/}$/, "", s)
		return s
	}
	function key(line) { return field(line, "file") "/" field(line, "variant") }
	function ran(o) { return o != "" && o !~ /unsupported|error/ }
	FNR == NR { obs[key($0)] = field($0, "observation"); st[key($0)] = field($0, "states"); next }
	{
		k = key($0); o = field($0, "observation")
		if (!(k in obs) || !ran(o) || !ran(obs[k])) { skipped++; next }
		both++
		if (o != obs[k]) { diff++; print "observation differs: " k ": " obs[k] " / " o; next }
		if (field($0, "states") != st[k]) { diff++; print "states differ: " k; next }
		same++
	}
	END {
		printf "%d tests ran in both: %d the same, %d differ (%d not compared)\n",
		    both, same, diff + 0, skipped
		exit diff > 0
	}' "$a" "$b"
