/*
 * src/explore/decisions.h - decision strings: the printable form of one
 * execution that `vmsa check` prints and `vmsa replay` takes back.
 * Private to libvmsa (the explorer and the command line use it).
 *
 * A decision string is CHECK:DECISIONS. CHECK is four hexadecimal digits
 * hashed from the scenario's name, the configuration's name and the step
 * budget, so that a string replayed on anything else is refused rather
 * than replayed into a meaningless trace. DECISIONS has one character per
 * decision, 0-9a-zA-Z for options 0..61 and "(N)" beyond, without its
 * trailing zeros: a replay takes option 0 for every decision past the
 * end of the string, so trimming them loses nothing.
 */
#ifndef VMSA_EXPLORE_DECISIONS_H
#define VMSA_EXPLORE_DECISIONS_H

#include <stdbool.h>

#include "util/vec.h"

/* One decision of an execution: `chosen` of `n` options (n is 0 when
 * the decision comes from a string and is not yet known); free_ is false
 * when the preemption bound forbids exploring the other options. A
 * re-run must meet the same decision (the same `what`, the same n) at
 * the same place, or the scenario is not deterministic. */
struct dec {
	unsigned chosen;
	unsigned n;
	bool free_;
	const char *what;	/* what was decided (DECIDE_CPU or the model's
				   name for its choice); NULL from a string */
};

/* The `what` of a scheduling decision. */
#define DECIDE_CPU "which CPU runs next"

VEC_DEFINE(dec_vec, struct dec)

/* The check of scenario `name` in configuration `config` with a step
 * budget of `steps`: 0..0xffff. */
unsigned decisions_check(const char *name, const char *config,
			 unsigned steps);

/* "CHECK:DECISIONS" for d[0 .. n), trailing zeros trimmed; malloc'd
 * (NULL when out of memory). */
char *decisions_encode(unsigned check, const struct dec *d, unsigned n);

/*
 * Read string s. *has_check says whether it starts with "HHHH:" (then
 * *check is its value). With d not NULL, the decisions replace what d
 * holds; with d NULL only the syntax is checked. Returns 0, or -EINVAL
 * (or -ENOMEM) with *why naming what is wrong.
 */
int decisions_decode(const char *s, bool *has_check, unsigned *check,
		     struct dec_vec *d, const char **why);

#endif
