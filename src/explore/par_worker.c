/*
 * src/explore/par_worker.c - a worker of a parallel search: the ordinary
 * search of one unit (a decision prefix and everything below it) in a
 * child process, handing part of its remaining work away when asked.
 *
 * Between two executions the remaining work of a depth-first search is,
 * for each decision from the deepest up, its untried options. Handing
 * away those of the shallowest decision that has any, and never
 * backtracking to it again (raising the floor past it), splits the unit
 * into two contiguous runs of the depth-first order: what the worker
 * keeps (everything it ran and everything deeper) comes first, the
 * handed-away options after it. The coordinator relies on that order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "isolate.h"
#include "par_int.h"

struct worker {
	int fd;
	atomic_int *ask;
	bool expand;
};

/* d with its padding zeroed: the pipe carries whole structs (valgrind
 * rightly reports uninitialised padding written out). */
static struct dec clean_dec(const struct dec *d)
{
	struct dec c;

	memset(&c, 0, sizeof(c));
	c.chosen = d->chosen;
	c.n = d->n;
	c.free_ = d->free_;
	/* A string literal of the library (DECIDE_CPU or the model's name
	 * of its choice): the same address in every fork of the
	 * coordinator, where the unit is replayed and checked. */
	c.what = d->what;
	return c;
}

static void send_donation(int fd, const struct dec *d, unsigned k)
{
	char kind = REC_DONATE;
	uint32_t depth = k;

	iso_write_all(fd, &kind, 1);
	iso_write_all(fd, &depth, sizeof(depth));
	for (unsigned i = 0; i <= k; i++) {
		struct dec c = clean_dec(&d[i]);

		iso_write_all(fd, &c, sizeof(c));
	}
}

/* explorer.between of an expanding worker (a shard's plan): after the
 * first execution, hand away every untried option, shallowest decision
 * first, so that the unit keeps that one execution. */
static void donate_all(struct explorer *x)
{
	struct worker *w = x->between_ctx;

	for (unsigned k = x->floor; k < x->dec.n; k++) {
		const struct dec *d = &x->dec.p[k];

		if (d->free_ && d->chosen + 1u < d->n)
			send_donation(w->fd, x->dec.p, k);
	}
	x->floor = x->dec.n;
}

/* explorer.between: when asked, hand away the untried options of the
 * shallowest decision that has any (none: the unit has nothing left to
 * split; the coordinator asks again later). */
static void maybe_donate(struct explorer *x)
{
	struct worker *w = x->between_ctx;

	if (w->expand) {
		donate_all(x);
		return;
	}
	if (!atomic_load_explicit(w->ask, memory_order_relaxed) ||
	    !atomic_exchange(w->ask, 0))
		return;
	for (unsigned k = x->floor; k < x->dec.n; k++) {
		const struct dec *d = &x->dec.p[k];

		if (d->free_ && d->chosen + 1u < d->n) {
			send_donation(w->fd, x->dec.p, k);
			x->floor = k + 1;
			return;
		}
	}
}

/* x replays d[0 .. len) and never backtracks into it. */
static int load_prefix(struct explorer *x, const struct dec *d, unsigned len,
		       vmsa_explore_result_t *res)
{
	if (dec_vec_reserve(&x->dec, len)) {
		snprintf(res->error, sizeof(res->error),
			 "out of memory for decisions");
		return -ENOMEM;
	}
	if (len)
		memcpy(x->dec.p, d, len * sizeof(*d));
	x->dec.n = x->n_prefix = x->floor = len;
	return 0;
}

_Noreturn void par_worker(int fd, atomic_int *ask, bool expand,
			  const vmsa_scenario_t *s, const char *config,
			  const vmsa_explore_opts_t *o, const struct dec *d,
			  unsigned len)
{
	vmsa_explore_opts_t wo = *o;
	vmsa_explore_result_t res;
	struct worker w = {fd, ask, expand};
	struct explorer *x;
	int rc;

	wo.isolate = false;
	wo.progress = NULL;
	memset(&res, 0, sizeof(res));
	iso_catch_crashes(fd);
	x = explorer_new(s, config, &wo, res.error, sizeof(res.error), &rc);
	if (x) {
		rc = load_prefix(x, d, len, &res);
		/* A reduced search cannot be split (search.c runs it only
		 * without `between`): it runs whole, as one unit. */
		if (!o->reduction) {
			x->between = maybe_donate;
			x->between_ctx = &w;
		}
		if (!rc)
			rc = explore_search(x, &res);
		explorer_free(x);
	}
	iso_send_result(fd, rc, &res);
	fflush(NULL);
	_exit(0);
}
