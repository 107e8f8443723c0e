/*
 * src/explore/resume.c - resuming an execution from a state saved at a
 * scheduling decision of an earlier one (resume.h).
 *
 * Why a resumed execution is the execution a replay would run: the
 * search replays a prefix because its executions are deterministic
 * functions of their decisions (a re-run that decides otherwise is
 * reported as nondeterministic). A state saved before decision p holds
 * everything the rest of an execution reads: the machine (every part an
 * execution changes: model/checkpoint.h), each CPU's coroutine stack,
 * put back at its own addresses, so that the frames and the pointers
 * into them are as they were, the run data, the explorer's place (the
 * decision index, preemptions, each CPU's scheduling state and step
 * count) and the reducer's (its events so far, the sleep set:
 * dpor_exec_resume). The scenario's code keeps nothing elsewhere, which
 * is what vmsa_explore_opts_t.resume_every asks of it. An execution
 * whose decisions [0, p) are the saved one's reaches that same state by
 * replaying them, so it may start there.
 *
 * The states of the current path form a stack by decision: backtracking
 * to decision b changes it and forgets everything after, so the states
 * saved after b are dropped, those before it kept. A state is saved
 * only resume_every steps after the last one on the path (or the
 * execution's start): saving costs about as much as a few steps, and a
 * state every step would cost more than the replays it saves.
 *
 * The livelock check's records of the retries so far (repeat.c) are
 * saved too, with the count of coroutine switches they compare with: a
 * retry after the resume finds what it would find in a replay. A
 * reducer with an event in progress cannot be saved (dpor_cursor).
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "coro.h"
#include "dpor.h"
#include "explore_int.h"
#include "model/checkpoint.h"
#include "repeat.h"
#include "resume.h"

/* A saved state: before decision `pos`, CPU `cur` running. */
struct xsave {
	unsigned pos;
	int cur;
	unsigned preemptions;
	uint64_t steps;			/* the execution's steps before it */
	uint64_t switches;		/* x->switches then (repeat.c) */
	struct machine_ckpt *m;
	struct repeat_image *rep;
	struct coro_image img[VMSA_MAX_CPUS];
	struct xcpu cpu[VMSA_MAX_CPUS];
	struct dpor_cursor dc;
	_Alignas(16) unsigned char data[VMSA_RUN_DATA_SIZE];
};

struct resume {
	struct xsave *p;	/* p[0 .. n): the path's states, by pos */
	unsigned n, cap;	/* cap: slots made (their buffers kept) */
	unsigned every;
	uint64_t exec0;		/* x->steps when the execution began */
	uint64_t last;		/* x->steps at the path's latest state */
	bool request;		/* a CPU asks for a save (resume_point) */
};

_Atomic uint64_t resume_count;
_Atomic unsigned resume_depth_max;

struct resume *resume_new(const struct explorer *x)
{
	struct resume *r;

	if (!x->opts.resume_every || x->opts.random_runs || x->opts.trace ||
	    !coro_images())
		return NULL;
	r = calloc(1, sizeof(*r));
	if (r)
		r->every = x->opts.resume_every;
	return r;
}

void resume_free(struct resume *r)
{
	if (!r)
		return;
	for (unsigned i = 0; i < r->cap; i++) {
		machine_ckpt_free(r->p[i].m);
		repeat_image_free(r->p[i].rep);
		for (unsigned c = 0; c < VMSA_MAX_CPUS; c++)
			coro_image_free(&r->p[i].img[c]);
	}
	free(r->p);
	free(r);
}

void resume_exec_begin(struct explorer *x)
{
	if (x->rs)
		x->rs->exec0 = x->rs->last = x->steps;
}

void resume_point(struct explorer *x)
{
	struct resume *r = x->rs;

	if (!r || x->steps - r->last < r->every || x->oom ||
	    r->n >= RESUME_MAX_STATES ||
	    (r->n && r->p[r->n - 1].pos >= x->pos))
		return;
	r->request = true;
	coro_switch(x->cpu[x->cur].co, x->main_co);
}

/* A slot for the next state (its buffers kept from earlier ones). */
static struct xsave *slot(struct resume *r)
{
	if (r->n == r->cap) {
		unsigned cap = r->cap ? 2 * r->cap : 16;
		struct xsave *p = realloc(r->p, cap * sizeof(*p));

		if (!p)
			return NULL;
		memset(p + r->cap, 0, (cap - r->cap) * sizeof(*p));
		r->p = p;
		r->cap = cap;
	}
	if (!r->p[r->n].m)
		r->p[r->n].m = machine_ckpt_new();
	if (!r->p[r->n].rep)
		r->p[r->n].rep = repeat_image_new();
	return r->p[r->n].m && r->p[r->n].rep ? &r->p[r->n] : NULL;
}

/* Save the state of the execution (every CPU suspended); nothing is
 * pushed when a part cannot be saved. */
static void save(struct explorer *x, struct resume *r)
{
	struct xsave *s = slot(r);

	if (!s)
		return;
	if (x->dp) {
		s->dc = dpor_cursor(x->dp);
		if (!s->dc.ok)
			return;
	}
	if (machine_ckpt_save(x->run.m, s->m) || repeat_save(x->rep, s->rep))
		return;
	for (unsigned i = 0; i < x->ncpus; i++)
		if (coro_image_save(x->cpu[i].co, &s->img[i]))
			return;
	memcpy(s->cpu, x->cpu, sizeof(s->cpu));
	memcpy(s->data, x->run.data, sizeof(s->data));
	s->pos = x->pos;
	s->cur = x->cur;
	s->preemptions = x->preemptions;
	s->steps = x->steps - r->exec0;
	s->switches = x->switches;
	r->n++;
	r->last = x->steps;
	if (r->n > resume_depth_max)
		resume_depth_max = r->n;
}

void resume_serve(struct explorer *x)
{
	struct resume *r = x->rs;

	while (r && r->request) {
		r->request = false;
		save(x, r);
		coro_switch(x->main_co, x->cpu[x->cur].co);
	}
}

bool resume_start(struct explorer *x)
{
	struct resume *r = x->rs;
	struct xsave *s;

	if (!r || !x->n_prefix)
		return false;
	/* The decision the prefix changes is its last: the states before
	 * it stay, the later ones are of a path left for good. */
	while (r->n && r->p[r->n - 1].pos > x->n_prefix - 1)
		r->n--;
	if (!r->n)
		return false;
	s = &r->p[r->n - 1];
	/* The reducer first: dpor_exec_begin() sets the ordering model's
	 * event, which the machine's state then puts back. */
	if (x->dp) {
		dpor_exec_begin(x->dp, x->run.m);
		dpor_exec_replays(x->dp, x->n_prefix - 1);
		if (dpor_exec_resume(x->dp, &s->dc)) {
			r->n--;
			return false;
		}
	}
	if (machine_ckpt_load(x->run.m, s->m) || repeat_load(x->rep, s->rep)) {
		r->n = 0;
		return false;
	}
	for (unsigned i = 0; i < x->ncpus; i++)
		coro_image_load(x->cpu[i].co, &s->img[i]);
	memcpy(x->cpu, s->cpu, sizeof(x->cpu));
	memcpy(x->run.data, s->data, sizeof(x->run.data));
	x->pos = s->pos;
	x->cur = s->cur;
	x->preemptions = s->preemptions;
	x->pruned = x->ended = x->wdrop = x->mdrop = false;
	x->setup_last = -1;
	x->switches = s->switches;
	r->exec0 = x->steps;
	x->steps += s->steps;
	r->last = x->steps;
	resume_count++;
	return true;
}
