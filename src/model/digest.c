/*
 * src/model/digest.c - a machine's state in canonical form (digest.h).
 *
 * What a digest holds is what a later step of the machine can read:
 *
 * - memory: the pages changed since the snapshot last loaded (or since
 *   the reset: mem.h's `changed` list, which every store, allocation,
 *   free and writable pointer puts its page on) with their flags and
 *   contents, the pages exposed to host code (which may change unseen),
 *   and the allocator's counters. The other pages hold what the
 *   snapshot (or the reset) gave them, the same at any two points of
 *   one execution, which is all a digest is compared across;
 * - the cache model's out-of-sync lines, the descriptor histories and
 *   the freed pages (freed_at, freed_epoch);
 * - each CPU: its EL, System and FP/SIMD registers, context, held,
 *   retiring and retired TLB entries, pending stores and TLBIs, the
 *   steps of its last context synchronisation event, explicit access
 *   and DSB, its handlers and the exceptions they run for, its
 *   Exclusives monitors, interrupts and profiling unit's count;
 * - the translation contexts in use (their configurations: CPUs refer
 *   to them by index), the step counter, the global monitors, the
 *   emulation result of the last handler, and whether a
 *   break-before-make failure was continued from (m->warned, which
 *   later translations read);
 * - the ordering model's per-CPU state, and the set-up's declarations
 *   (same contents, tagged memory).
 *
 * Left out, and why nothing later depends on them:
 * - caches of what the above determines: the contexts' table page lists
 *   and their generations (table_gen, hist_gen, ctx_epoch, pages_gen),
 *   the regime cache, the scan memo, the CPUs' remembered translations
 *   (xlat_cache.c: only translations that offered no choice, returned
 *   exactly as the walk would), memory's gen and the cache's undo log;
 * - counters and statistics: choices, xlat_hits, scan_memo_hits, the
 *   touched list (which pages a reset must clear);
 * - the hooks, settings and scratch lists (the same machine), and what
 *   only a report prints: the entries of the conflict a translation
 *   could hit (m->conflict, rebuilt by every translation before it is
 *   read), the first warning's text, step_cpu (traces);
 * - the violation: a digest is only taken while the machine runs.
 *
 * Step numbers are kept by rank (digest_step): the model compares them
 * only with each other and with the current step (a history value's
 * visibility against a window's start, a page's free against a walk's
 * start, the last ISB against a TLBI's completion: `<`, `<=`, max; no
 * difference of two steps is ever taken), and every later step has a
 * larger number than all of them. So two states whose step numbers are
 * in the same order, with 0 ("never") and HIST_PENDING ("not yet") where
 * they are, behave the same from then on.
 *
 * The ordering model of feature `relaxed` keeps timestamps and lists of
 * every message, read and TLBI of the execution, which only grow: such a
 * machine's state never repeats, and digest_machine() says so
 * (-EOPNOTSUPP) rather than ranking timestamps too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "machine.h"
#include "util/sort.h"

/* ------------------------------------------------------------------ */
/* The byte string                                                     */
/* ------------------------------------------------------------------ */

void digest_clear(struct digest *d)
{
	d->n = 0;
	d->n_steps = 0;
	d->oom = false;
}

void digest_free(struct digest *d)
{
	free(d->p);
	free(d->steps);
	memset(d, 0, sizeof(*d));
}

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 256;
	void *q;

	if (need <= *cap)
		return true;
	while (c < need)
		c *= 2;
	q = realloc(*p, c * size);
	if (!q)
		return false;
	*p = q;
	*cap = c;
	return true;
}

void digest_bytes(struct digest *d, const void *p, size_t n)
{
	if (!n)
		return;
	if (d->oom || !grow((void **)&d->p, &d->cap, d->n + n, 1)) {
		d->oom = true;
		return;
	}
	memcpy(d->p + d->n, p, n);
	d->n += n;
}

void digest_u64(struct digest *d, uint64_t v)
{
	digest_bytes(d, &v, sizeof(v));
}

void digest_step(struct digest *d, uint64_t step)
{
	if (step != 0 && step != UINT64_MAX) {
		if (d->oom || !grow((void **)&d->steps, &d->cap_steps,
				    d->n_steps + 1, sizeof(*d->steps))) {
			d->oom = true;
			return;
		}
		d->steps[d->n_steps++] = d->n;
	}
	digest_u64(d, step);
}

/* Each step number (not 0 or UINT64_MAX) becomes 1 + its rank among
 * the distinct ones. */
static int rank_steps(struct digest *d)
{
	size_t n = d->n_steps, u = 0;
	uint64_t *v = malloc((n ? n : 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		memcpy(&v[i], d->p + d->steps[i], sizeof(v[i]));
	u64_sort(v, n);
	for (size_t i = 0; i < n; i++)
		if (!u || v[u - 1] != v[i])
			v[u++] = v[i];
	for (size_t i = 0; i < n; i++) {
		uint64_t s, lo = 0, hi = u;

		memcpy(&s, d->p + d->steps[i], sizeof(s));
		while (lo < hi) {
			uint64_t mid = (lo + hi) / 2;

			if (v[mid] < s)
				lo = mid + 1;
			else
				hi = mid;
		}
		s = lo + 1;
		memcpy(d->p + d->steps[i], &s, sizeof(s));
	}
	free(v);
	return 0;
}

int digest_finish(struct digest *d)
{
	if (d->oom || rank_steps(d))
		return -ENOMEM;
	return 0;
}

/* No hash: the bytes themselves are compared (memcmp stops at the first
 * difference), so no collision can make two states equal. */
bool digest_equal(const struct digest *a, const struct digest *b)
{
	return a->n == b->n && !memcmp(a->p, b->p, a->n);
}

/* ------------------------------------------------------------------ */
/* The machine                                                         */
/* ------------------------------------------------------------------ */

static void page(struct digest *d, const struct vmsa_mem *mem, uint32_t pg)
{
	uint8_t fl = mem->page[pg];

	digest_u64(d, pg);
	digest_bytes(d, &fl, 1);
	/* A page that is not DIRTY is zero. */
	if (fl & MEM_PG_DIRTY)
		digest_bytes(d, mem->bytes + (size_t)pg * MEM_PAGE_SIZE,
			     MEM_PAGE_SIZE);
}

static void memory(struct digest *d, const vmsa_machine_t *m)
{
	const struct vmsa_mem *mem = &m->mem;
	uint64_t npages = m->f.mem_size / VMSA_PAGE_SIZE;

	digest_u64(d, mem->nchanged);
	for (uint32_t k = 0; k < mem->nchanged; k++)
		page(d, mem, mem->changed[k]);
	/* Exposed pages: host code may have stored to them unseen. */
	for (uint32_t k = 0; k < mem->ntouched; k++)
		if (mem->page[mem->touched[k]] & MEM_PG_EXPOSED)
			page(d, mem, mem->touched[k]);
	digest_u64(d, mem->nfree);
	digest_u64(d, mem->first_free);
	for (uint64_t i = 0; i < npages; i++) {
		if (m->freed_epoch[i] != m->epoch)
			continue;
		digest_u64(d, i);
		digest_step(d, m->freed_at[i]);
	}
}

/* Out-of-sync lines, in slot order (a table with the same lines in
 * other slots only looks different: no livelock is then reported). */
static void cache(struct digest *d, const struct vmsa_cache *c)
{
	const struct cache_lines *t = &c->lines;

	digest_u64(d, t->count);
	for (uint32_t i = 0; t->slot && i <= t->mask; i++) {
		const struct cache_line *l = &t->slot[i];

		if (!cache_lines_used(t, l))
			continue;
		digest_u64(d, l->key);
		digest_bytes(d, &l->state, 1);
		digest_bytes(d, l->other, sizeof(l->other));
	}
}

static void histories(struct digest *d, const struct hist_table *t)
{
	const struct hist_slots *s = &t->slots;

	digest_u64(d, s->count);
	for (uint32_t i = 0; s->slot && i <= s->mask; i++) {
		const struct hist *h = &s->slot[i];

		if (!hist_slots_used(s, h))
			continue;
		digest_u64(d, h->key);
		digest_u64(d, h->n);
		for (unsigned k = 0; k < h->n; k++) {
			const struct hist_val *v = &h->v[k];

			digest_u64(d, v->value);
			digest_step(d, v->write_step);
			digest_step(d, v->vis_step);
			digest_u64(d, (uint64_t)(int64_t)v->cpu);
			digest_u64(d, v->hw);
		}
	}
}

static void held(struct digest *d, const struct held_set *s)
{
	digest_u64(d, s->n);
	for (unsigned i = 0; i < s->n; i++) {
		const struct held *h = &s->p[i];

		digest_bytes(d, &h->tag, sizeof(h->tag));
		digest_u64(d, h->desc);
		digest_u64(d, h->loc);
		digest_step(d, h->since);
		digest_u64(d, h->tlbi_ts);
		digest_u64(d, h->any_va);
		digest_u64(d, h->sole);
		digest_u64(d, h->same);
	}
}

static void words(struct digest *d, const uint64_t *p, unsigned n)
{
	digest_u64(d, n);
	digest_bytes(d, p, (size_t)n * sizeof(*p));
}

/* A TLBI's operation by field: its structs have padding, which a copy
 * need not keep (the checkpoint's, an initialiser's). */
static void tlbi_op(struct digest *d, const vmsa_tlbi_t *t)
{
	const vmsa_tlbi_arg_t *a = &t->arg;

	digest_u64(d, t->op.type);
	digest_u64(d, t->op.sh);
	digest_u64(d, t->op.nxs);
	digest_u64(d, t->regime);
	digest_u64(d, t->vmid);
	digest_u64(d, a->addr);
	digest_u64(d, a->size);
	digest_u64(d, a->asid);
	digest_u64(d, a->ttl_valid);
	digest_u64(d, (uint64_t)(int64_t)a->ttl_level);
	digest_u64(d, a->ttl_granule);
	digest_u64(d, a->range_valid);
	digest_u64(d, a->ns);
}

static void tlbis(struct digest *d, const struct tlbi_vec *v)
{
	digest_u64(d, v->n);
	for (unsigned i = 0; i < v->n; i++) {
		const struct pending_tlbi *t = &v->p[i];

		tlbi_op(d, &t->t);
		digest_u64(d, t->sh);
		digest_step(d, t->step);
		digest_u64(d, t->view);
		words(d, t->protect.p, t->protect.n);
		digest_u64(d, t->local_done);
	}
}

static void cpu_irq(struct digest *d, const struct cpu *c)
{
	digest_u64(d, c->irq_pending);
	for (unsigned k = 0; k < VMSA_IRQ_KINDS; k++)
		digest_step(d, c->irq_since[k]);
	digest_u64(d, c->irq_active);
	digest_step(d, c->irq_cse);
}

static void cpu(struct digest *d, const struct cpu *c)
{
	digest_u64(d, c->el);
	digest_bytes(d, c->regs.r, sizeof(c->regs.r));
	digest_u64(d, (uint64_t)(int64_t)c->cur_ctx);
	words(d, c->ctx_mask.p, c->ctx_mask.n);
	held(d, &c->held);
	held(d, &c->retiring);
	held(d, &c->retired);
	words(d, c->fresh.p, c->fresh.n);
	words(d, c->pending_st.p, c->pending_st.n);
	tlbis(d, &c->pending_tlbi);
	digest_step(d, c->last_cse);
	digest_step(d, c->last_explicit);
	digest_step(d, c->last_dsb);
	digest_bytes(d, c->handlers, sizeof(c->handlers));
	/* The running handlers' exceptions live in their callers' frames:
	 * the same frames are the same exceptions. */
	digest_u64(d, c->depth);
	digest_bytes(d, c->frame, c->depth * sizeof(c->frame[0]));
	digest_u64(d, c->skip_depth);
	digest_u64(d, c->skipped);
	digest_bytes(d, c->v, sizeof(c->v));
	digest_bytes(d, &c->trap, sizeof(c->trap));
	digest_u64(d, c->emulated);
	digest_u64(d, c->emulated_value);
	digest_u64(d, c->spe_records);
	digest_u64(d, c->excl.local);
	digest_u64(d, c->excl.global);
	digest_u64(d, c->excl.pa);
	digest_u64(d, c->excl.size);
	digest_u64(d, c->excl.n_spurious);
	for (unsigned i = 0; i < c->excl.n_spurious; i++) {
		digest_u64(d, c->excl.spurious[i].pa);
		digest_u64(d, c->excl.spurious[i].site);
	}
	digest_u64(d, c->excl.prom);
	digest_u64(d, c->excl.read);
	cpu_irq(d, c);
}

/* The ordering model without feature relaxed: per-CPU state of the
 * access being translated, and lists that stay empty (checked). */
static int order(struct digest *d, const vmsa_machine_t *m)
{
	const struct order *o = &m->ord;

	if (m->f.relaxed || o->msgs.n || o->locs.n || o->slots.count ||
	    o->reads.n || o->walks.n || o->twalks.n || o->tlbis.n || o->ltlbis.n ||
	    o->xwrites.n || o->proms.n || o->max_ts)
		return -EOPNOTSUPP;
	for (unsigned i = 0; i < VMSA_MAX_CPUS; i++) {
		const struct ord_acc *a = &o->acc[i];

		digest_u64(d, o->walk_addr[i]);
		digest_u64(d, a->retire);
		digest_u64(d, a->ord);
		digest_u64(d, a->addr);
		digest_u64(d, a->data);
		digest_u64(d, a->rmw);
		digest_u64(d, o->pending[i]);
	}
	digest_u64(d, o->bound);
	digest_u64(d, o->newest);
	digest_u64(d, o->infeasible);
	words(d, o->spec_seen.p, o->spec_seen.n);
	return 0;
}

int digest_machine(struct digest *d, const vmsa_machine_t *m)
{
	if (order(d, m))
		return -EOPNOTSUPP;
	memory(d, m);
	cache(d, &m->cache);
	histories(d, &m->hist);
	for (unsigned i = 0; i < m->f.ncpus; i++)
		cpu(d, &m->cpu[i]);
	digest_u64(d, m->n_ctx);
	for (unsigned i = 0; i < m->n_ctx; i++)
		digest_bytes(d, &m->ctx.p[i].cfg, sizeof(m->ctx.p[i].cfg));
	/* The current step: every later one is larger than all above. */
	digest_step(d, m->step);
	digest_u64(d, m->excl_mask);
	digest_u64(d, m->last_emulated);
	digest_u64(d, m->last_emulated_value);
	digest_u64(d, m->warned);
	digest_u64(d, m->ventries_oom);
	digest_u64(d, m->same.n);
	digest_bytes(d, m->same.p, m->same.n * sizeof(*m->same.p));
	digest_u64(d, m->tagged.n);
	digest_bytes(d, m->tagged.p, m->tagged.n * sizeof(*m->tagged.p));
	return 0;
}
