/*
 * src/litmus/cond.h - the final condition and locations[] (cond.c).
 * Private.
 */
#ifndef VMSA_LITMUS_COND_H
#define VMSA_LITMUS_COND_H

#include "litmus_int.h"

/* Parse `locations[...]` (optional) and the condition from text, whose
 * first line is `line`. 0, or -EINVAL/-ENOMEM with err set. */
int lit_parse_cond(struct lit_test *t, const char *text, int line,
		   char *err, size_t errsz);

/* Write observable i as herd prints it ("1:X2", "[x]", "[PTE(x)]"). */
int lit_obs_name(char *buf, size_t size, const struct lit_test *t,
		 unsigned i);

#endif
