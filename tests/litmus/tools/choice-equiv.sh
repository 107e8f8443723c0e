#!/bin/sh
# tests/litmus/tools/choice-equiv.sh - which options of a search's
# decisions lead to the same final states? Reads the lines that
# VMSA_LITMUS_DECISIONS=1 prints on stderr (one per execution: its
# decisions, then its final state) of a plain search
# (VMSA_LITMUS_NOREDUCE=1: every subtree of the decision tree complete;
# under the reduction a subtree may leave out what a sibling covers, so
# its states say nothing about the option). For each decision of two
# options or more whose options all ended in some execution, the set of
# final states below each option; per kind of decision it prints how
# many decisions were made, their options, the decisions whose options
# all give the same set, the options whose set equals another option's,
# and the options whose set is included in another's (that option could
# be left out without losing a final state of that subtree). A
# measurement for docs/litmus.md ("Branch litchoice"), not a proof: an
# option equivalent in one test may not be in another.
#
# usage: VMSA_LITMUS_NOREDUCE=1 VMSA_LITMUS_DECISIONS=1 \
#            vmsa litmus --max-executions 0 TEST 2>&1 >/dev/null |
#            sh choice-equiv.sh
awk -F'\t' '
	$1 != "decisions" { next }
	{
		if (!($3 in sid)) { sid[$3] = ++nst }
		s = sid[$3]; execs++
		k = split($2, d, ";"); prefix = ""
		for (i = 1; i < k; i++) {
			split(d[i], f, "|")
			if (f[3] >= 2) {
				if (!(prefix in kind)) {
					kind[prefix] = f[1]; nopt[prefix] = f[3]
					nodes[++nn] = prefix
				}
				if (!((prefix, f[2]) in seen)) {
					seen[prefix, f[2]] = 1; nseen[prefix]++
				}
				in_set[prefix, f[2], s] = 1
			}
			prefix = prefix f[2] ","
		}
	}
	function set(node, c,    t, j) {
		t = ""
		for (j = 1; j <= nst; j++) t = t (((node, c, j) in in_set) ? "1" : "0")
		return t
	}
	function within(a, b,    j) {
		for (j = 1; j <= length(a); j++)
			if (substr(a, j, 1) == "1" && substr(b, j, 1) == "0") return 0
		return 1
	}
	END {
		for (i = 1; i <= nn; i++) {
			p = nodes[i]; w = kind[p]; n = nopt[p]
			if (nseen[p] != n) continue
			made[w]++; opts[w] += n
			for (c = 0; c < n; c++) st[c] = set(p, c)
			same = 1
			for (c = 1; c < n; c++) if (st[c] != st[0]) same = 0
			alleq[w] += same
			for (c = 0; c < n; c++) {
				e = 0; u = 0
				for (o = 0; o < n; o++) {
					if (o == c) continue
					if (st[o] == st[c]) e = 1
					if (within(st[c], st[o])) u = 1
				}
				eq[w] += e; sub_[w] += u
			}
		}
		printf "%d executions, %d final states\n", execs, nst
		printf "%8s %8s %8s %8s %8s  %s\n", "made", "options", "all-same",
		    "same", "within", "kind"
		# One row per kind, sorted by the name of the kind.
		for (w in made)
			printf "%8d %8d %8d %8d %8d  %s\n", made[w], opts[w], alleq[w],
			    eq[w], sub_[w], w | "sort -k 6"
		close("sort -k 6")
	}'
