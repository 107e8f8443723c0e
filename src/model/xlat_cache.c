/*
 * src/model/xlat_cache.c - the translation fast path.
 *
 * A data access that hits an unchanged mapping is the common step of a
 * scenario, and translate() walks the tables for it every time: history
 * lookups, candidate lists, held-set scans, descriptor decodes, and the
 * walk's own zeroing. When such a walk offered no choice at all (every
 * read had one candidate, memory's value; no TLB entry, held or stage-1
 * leaf, could be used instead; no conflict, no freed page), its result
 * is a function of inputs the machine can tell have not changed:
 *  - the CPU's context (its index in this execution: ctx and ctx_epoch,
 *    which every reset and snapshot restore moves on);
 *  - the access (address, kind, EL, PAN);
 *  - the CPU's spurious-fault window (which invalid values are offered);
 *  - the contents of memory and which pages are free (mem.gen counts
 *    every store, pointer handed out, allocation, free, reset and load),
 *    with no page read exposed to host code (which may store unseen);
 *  - the descriptor histories (m->hist_gen: every descriptor store, the
 *    DSB that makes stores visible to walks, and a page's reallocation);
 *  - the CPU's held and retiring TLB sets, both empty: the fast path is
 *    only taken while they are (a held entry could be a candidate).
 * Then translate() would read the same values, offer the same single
 * candidates, ask the chooser nothing, cache nothing and return the same
 * result, so the remembered one is exact. Any of the events above on any
 * CPU makes every remembered translation miss: descriptor writes to a
 * table on the path, TLBI completion (held sets change) and context or
 * system register changes included.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "xlat_cache.h"

static bool same_access(const vmsa_access_t *a, const vmsa_access_t *b)
{
	return a->addr == b->addr && a->kind == b->kind && a->el == b->el &&
	       a->pan == b->pan;
}

/* *dst = *src but for the walk's log of reads past n_reads (1.2 KB
 * of the 1.5 KB), which nothing reads: the log is for the walk itself. */
static void copy_xlat(struct xlat *dst, const struct xlat *src)
{
	size_t head = offsetof(struct xlat, walk.reads);
	size_t tail = offsetof(struct xlat, multi_size);

	memcpy(dst, src, head);
	memcpy(dst->walk.reads, src->walk.reads,
	       src->walk.n_reads * sizeof(src->walk.reads[0]));
	memcpy((char *)dst + tail, (const char *)src + tail,
	       sizeof(*dst) - tail);
}

bool xlat_cache_get(vmsa_machine_t *m, struct cpu *c,
		    const vmsa_access_t *acc, struct xlat *x)
{
	uint64_t window;

	if (!c->xc || c->held.n || c->retiring.n)
		return false;
	window = spurious_window(m, c);
	for (unsigned i = 0; i < XLAT_CACHE_WAYS; i++) {
		const struct xlat_memo *e = &c->xc[i];

		if (e->valid && e->ctx == c->cur_ctx &&
		    e->ctx_epoch == m->ctx_epoch && e->window == window &&
		    e->perm_window == perm_window(m, c) &&
		    e->mem_gen == m->mem.gen && e->hist_gen == m->hist_gen &&
		    same_access(&e->acc, acc)) {
			copy_xlat(x, &e->x);
			m->xlat_hits++;
			return true;
		}
	}
	return false;
}

void xlat_cache_put(vmsa_machine_t *m, struct cpu *c,
		    const vmsa_access_t *acc, const struct xlat *x)
{
	struct xlat_memo *e;

	if (c->held.n || c->retiring.n)
		return;
	if (!c->xc && !(c->xc = calloc(XLAT_CACHE_WAYS, sizeof(*c->xc))))
		return; /* no room: translate every time */
	e = &c->xc[c->xc_next];
	c->xc_next = (c->xc_next + 1) % XLAT_CACHE_WAYS;
	e->valid = true;
	e->ctx = c->cur_ctx;
	e->ctx_epoch = m->ctx_epoch;
	e->window = spurious_window(m, c);
	e->perm_window = perm_window(m, c);
	e->mem_gen = m->mem.gen;
	e->hist_gen = m->hist_gen;
	e->acc = *acc;
	copy_xlat(&e->x, x);
}
