/*
 * tests/model/chooser.h - a scripted chooser for the model tests.
 *
 * The model asks a chooser at every decision the architecture leaves open
 * (vmsa_set_chooser). This one answers from a script, in order, and
 * records every call it gets: the `what` string, the number of options
 * and the option it picked, so that a test can assert exactly which
 * choices were offered. After the script runs out it answers 0 ("memory
 * as it is now"). With ch_only(), the script is consumed only by calls
 * whose `what` is that string; every other call gets 0 (and is recorded).
 *
 *	struct ch ch;
 *	static const unsigned picks[] = {1};
 *
 *	ch_init(&ch, picks, 1);
 *	ch_only(&ch, "TLB conflict abort");
 *	ch_attach(&ch, m);
 *	...
 *	CHECK_EQ(ch_count(&ch, "TLB conflict abort"), 1);
 */
#ifndef VMSA_TEST_MODEL_CHOOSER_H
#define VMSA_TEST_MODEL_CHOOSER_H

#include <string.h>

#include "harness.h"
#include "vmsa/model.h"

#define CH_MAX_CALLS 64
#define CH_MAX_SCRIPT 32

struct ch_call {
	const char *what;	/* the model's string (static) */
	unsigned n;		/* number of options offered */
	unsigned pick;		/* what the chooser answered */
};

struct ch {
	unsigned script[CH_MAX_SCRIPT];
	unsigned n_script, pos;
	const char *only;	/* NULL: the script answers every call */
	unsigned n_calls;	/* every call, also past CH_MAX_CALLS */
	struct ch_call calls[CH_MAX_CALLS];
};

static inline unsigned ch_choose(void *ctx, unsigned n, const char *what)
{
	struct ch *s = ctx;
	unsigned pick = 0;

	if ((!s->only || strcmp(s->only, what) == 0) && s->pos < s->n_script)
		pick = s->script[s->pos++];
	if (pick >= n)
		pick = n - 1;
	if (s->n_calls < CH_MAX_CALLS)
		s->calls[s->n_calls] = (struct ch_call){what, n, pick};
	s->n_calls++;
	return pick;
}

/* Start with `n` scripted answers (copied; at most CH_MAX_SCRIPT). */
static inline void ch_init(struct ch *s, const unsigned *script, unsigned n)
{
	memset(s, 0, sizeof(*s));
	if (n > CH_MAX_SCRIPT)
		n = CH_MAX_SCRIPT;
	if (n)
		memcpy(s->script, script, n * sizeof(*script));
	s->n_script = n;
}

/* Let only calls named `what` consume the script. */
static inline void ch_only(struct ch *s, const char *what)
{
	s->only = what;
}

/* Install s as m's chooser. */
static inline void ch_attach(struct ch *s, vmsa_machine_t *m)
{
	vmsa_chooser_t c = {ch_choose, s};

	vmsa_set_chooser(m, &c);
}

/* Forget the calls recorded so far (the script position stays). */
static inline void ch_clear_log(struct ch *s)
{
	s->n_calls = 0;
}

/* Number of recorded calls named `what`. */
static inline unsigned ch_count(const struct ch *s, const char *what)
{
	unsigned k = 0;

	for (unsigned i = 0; i < s->n_calls && i < CH_MAX_CALLS; i++)
		if (strcmp(s->calls[i].what, what) == 0)
			k++;
	return k;
}

/* The first recorded call named `what`, or NULL. */
static inline const struct ch_call *ch_find(const struct ch *s,
					    const char *what)
{
	for (unsigned i = 0; i < s->n_calls && i < CH_MAX_CALLS; i++)
		if (strcmp(s->calls[i].what, what) == 0)
			return &s->calls[i];
	return NULL;
}

#endif
