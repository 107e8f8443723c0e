/*
 * src/model/checkpoint.c - the machine's whole state between two steps,
 * saved and loaded again (checkpoint.h).
 *
 * A save runs at nearly every scheduling point of a search, so it copies
 * only what is in use: the lists' live elements, the live slots of the
 * hash tables (with their slot numbers, so that a load puts every entry
 * back where it was: the digest and some scans walk tables in slot
 * order), the memory pages changed since the set-up snapshot was loaded
 * (or since the reset), and the freed pages of the current epoch. All of
 * it goes into one arena that the checkpoint keeps from save to save, so
 * a warm checkpoint allocates nothing.
 *
 * Every field of struct vmsa_machine and struct cpu is one of:
 *  - copied: state a later step reads (the comments below, per group);
 *  - kept: not state of the execution (hooks, chooser, trace, the
 *    footprint recorder, settings, features, scratch lists, statistics,
 *    pure-function memos keyed on their whole input, allocations);
 *  - moved forward: generations and epochs that memos are keyed on
 *    (ctx_epoch, table_gen, hist_gen, mem.gen, the freed-page epoch).
 *    Restoring their saved values could make a memo made after the save
 *    match again while the state it was made from is gone; a fresh value
 *    makes every such memo miss, and the memos whose contents the load
 *    restores (the contexts' page lists) are stamped with the fresh
 *    value where they were current at the save.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "context.h"
#include "machine.h"

/* ------------------------------------------------------------------ */
/* The arena                                                           */
/* ------------------------------------------------------------------ */

/* A list saved in the arena: n elements from byte offset off (offsets,
 * not pointers: the arena moves when it grows). */
struct ck_list {
	size_t off;
	unsigned n;
};

/* A page of memory to put back (mem_*). data: its offset in the arena
 * when its contents are saved whole, SIZE_MAX when they are not
 * (memory's word log holds every change since the base, or the page is
 * zero: not MEM_PG_DIRTY). */
struct ck_page {
	uint32_t pg;
	uint8_t flags;
	size_t data;
};

/* A logged word (the word log's entry) and, when its page is one whose
 * changes are all logged, its value at the save. */
struct ck_word {
	uint64_t pa;
	uint64_t value;
	bool apply;
};

struct ck_freed {
	uint64_t index;
	uint64_t at;
};

/* A context: its configuration and, when its page list was current at
 * the save (pages_gen == table_gen), that list. */
struct ck_ctx {
	vmsa_regime_cfg_t cfg;
	bool current;
	struct ck_list pages;
};

/* A pending TLBI with its protect list in the arena. */
struct ck_tlbi {
	struct pending_tlbi p;	/* p.protect: not used */
	struct ck_list protect;
};

struct ck_held {
	struct ck_list p;
	struct held_kinds kinds;
};

struct ck_cpu {
	struct cpu c;		/* scalars and fixed arrays; its lists' and
				   sets' pointers are not used */
	struct ck_list ctx_mask, fresh, pending_st, pending_tlbi;
	struct ck_held held, retiring, retired;
};

/* A hash table's live slots: entries whose gen field holds their slot
 * number. */
struct ck_table {
	uint32_t mask, count;
	struct ck_list e;
};

struct machine_ckpt {
	bool valid;
	uint8_t *a;
	size_t n, cap;

	/* Memory. */
	const struct mem_snap *mem_base;	/* m->mem.loaded */
	uint32_t nbase;				/* its pages */
	struct ck_list touched;		/* touched[nbase ..] */
	struct ck_list changed;		/* the changed list */
	struct ck_list pages;		/* struct ck_page, changed order */
	struct ck_list exposed;		/* base's exposed pages host code
					   changed unseen: struct ck_page */
	struct ck_list wlog;		/* struct ck_word */
	bool wlog_full;
	uint32_t nfree, first_free;

	/* Cache model. */
	struct ck_table cache;
	uint64_t cache_base;
	struct ck_list cache_log;
	bool cache_log_full;
	bool cache_stale_seen;

	/* Descriptor histories. */
	struct ck_table hist;
	struct ck_list hist_vals;

	/* Ordering model: the struct (its scalars and fixed arrays), then
	 * its lists. */
	struct order ord;
	struct ck_table ord_slots;
	struct ck_list locs, msgs, reads, walks, twalks, tlbis, ltlbis, xwrites,
		spec_seen, proms;

	unsigned ncpus;
	struct ck_cpu cpu[VMSA_MAX_CPUS];

	unsigned n_ctx;
	struct ck_list ctx;		/* struct ck_ctx */
	struct ck_list freed;		/* struct ck_freed */
	struct scan_memo *scan_memo;

	uint64_t step, reg_steps, choices;
	int step_cpu;
	bool chosen;
	bool last_emulated;
	uint64_t last_emulated_value;
	unsigned excl_mask;
	struct ck_list ventries, conflict, same, tagged, wentries;
	bool ventries_oom;
	bool warned;
	vmsa_violation_t warning;	/* when warned */
};

/* The arena's first size (machine_ckpt_new), doubled as it fills. */
#define CK_ARENA_MIN 4096

struct machine_ckpt *machine_ckpt_new(void)
{
	struct machine_ckpt *c = calloc(1, sizeof(*c));

	/* An arena from the start: callers take c->a + off even for an
	 * empty list, which on a null pointer is undefined (C11 6.5.6). */
	if (c && !(c->a = malloc(CK_ARENA_MIN))) {
		free(c);
		return NULL;
	}
	if (c)
		c->cap = CK_ARENA_MIN;
	return c;
}

void machine_ckpt_free(struct machine_ckpt *c)
{
	if (!c)
		return;
	free(c->a);
	free(c);
}

/* Room for `bytes` more at the arena's end, 16-byte aligned: the offset,
 * or SIZE_MAX when out of memory. */
static size_t reserve(struct machine_ckpt *c, size_t bytes)
{
	size_t off = (c->n + 15) & ~(size_t)15, need = off + bytes;

	if (need > c->cap) {
		size_t cap = c->cap;
		uint8_t *p;

		while (cap < need)
			cap *= 2;
		p = realloc(c->a, cap);
		if (!p)
			return SIZE_MAX;
		c->a = p;
		c->cap = cap;
	}
	c->n = need;
	return off;
}

/* Save n elements of esize bytes at p into l: 0 or -ENOMEM. */
static int put(struct machine_ckpt *c, struct ck_list *l, const void *p,
	       unsigned n, size_t esize)
{
	size_t off = reserve(c, (size_t)n * esize);

	if (off == SIZE_MAX)
		return -ENOMEM;
	if (n)
		memcpy(c->a + off, p, (size_t)n * esize);
	l->off = off;
	l->n = n;
	return 0;
}

static inline const void *at(const struct machine_ckpt *c, size_t off)
{
	return c->a + off;
}

#define AT(c, l, T) ((const T *)at((c), (l).off))

/* ------------------------------------------------------------------ */
/* Hash tables (util/htab.h), slot for slot                            */
/* ------------------------------------------------------------------ */

/*
 * A load puts each entry back into its slot (a table with the same
 * entries in other slots is the same for look-ups, but not for the
 * digest, hist_forget_page()'s slot walk or a later copy). The table's
 * own generation moves forward (a new one frees every slot in O(1)); an
 * entry made after the save in a slot the saved table left free is then
 * free again. A table that grew since the save gets the saved size back.
 */
#define CK_TABLE(name, T)                                                  \
	static int name##_ck_save(struct machine_ckpt *c,                  \
				  struct ck_table *s, const struct name *t) \
	{                                                                  \
		size_t off = reserve(c, (size_t)t->count * sizeof(T));     \
		T *e;                                                      \
		unsigned k = 0;                                            \
                                                                           \
		if (off == SIZE_MAX)                                       \
			return -ENOMEM;                                    \
		e = (T *)(c->a + off);                                     \
		/* Tables are sparse (a few live slots of hundreds): the   \
		 * scan covers the span in use and stops at the last live  \
		 * one. */                                                 \
		for (uint32_t i = t->lo; k < t->count && i <= t->hi; i++)  \
			if (t->slot[i].gen == t->gen) {                    \
				e[k] = t->slot[i];                         \
				e[k++].gen = i;                            \
			}                                                  \
		s->mask = t->mask;                                         \
		s->count = t->count;                                       \
		s->e.off = off;                                            \
		s->e.n = k;                                                \
		return 0;                                                  \
	}                                                                  \
                                                                           \
	static int name##_ck_load(const struct machine_ckpt *c,            \
				  const struct ck_table *s, struct name *t) \
	{                                                                  \
		const T *e = AT(c, s->e, T);                               \
                                                                           \
		if (t->mask != s->mask || !t->slot) {                      \
			T *slot = calloc((size_t)s->mask + 1, sizeof(T));  \
                                                                           \
			if (!slot)                                         \
				return -ENOMEM;                            \
			free(t->slot);                                     \
			t->slot = slot;                                    \
			t->mask = s->mask;                                 \
			t->gen = 1; /* calloc'd slots: gen 0, free */      \
		} else {                                                   \
			htab_gen_next(t->slot, (size_t)t->mask + 1,        \
				      sizeof(T), &t->gen);                 \
		}                                                          \
		name##_span_empty(t);                                      \
		for (unsigned k = 0; k < s->e.n; k++) {                    \
			uint32_t i = e[k].gen;                             \
                                                                           \
			t->slot[i] = e[k];                                 \
			t->slot[i].gen = t->gen;                           \
			name##_span_add(t, i);                             \
		}                                                          \
		t->count = s->count;                                       \
		return 0;                                                  \
	}

CK_TABLE(cache_lines, struct cache_line)
CK_TABLE(hist_slots, struct hist)
CK_TABLE(ord_slots, struct ord_slot)

/* ------------------------------------------------------------------ */
/* Memory                                                              */
/* ------------------------------------------------------------------ */

/*
 * Memory is the base it was last loaded from (the set-up snapshot's
 * mem_snap, m->mem.loaded; none after a reset: all zero and free) plus
 * the pages on the changed list (every page whose contents or flags
 * changed since: each store, allocation, free and writable pointer puts
 * its page there, and every page touched since is on it too) plus
 * whatever host code stored unseen into the base's exposed pages. A save
 * records the base and those pages: flags, and contents whole unless
 * every change since the base is a word of the word log (mem.h: the
 * page is neither exposed nor unlogged and the log did not overflow),
 * where the logged words' values are enough. A load first goes back to
 * the base (mem_load: it undoes only what changed since, its own pages
 * being kept), then applies them. The base must still be alive at the
 * load: the explorer keeps set-up's snapshot for the whole search.
 *
 * The touched list past the base, the changed list and the word log are
 * copied in order (the digest and later loads read them); mem.gen moves
 * forward (mem_load moves it: the translation fast path is keyed on it).
 */
static bool page_logged(const struct vmsa_mem *mem, uint32_t pg)
{
	return !mem->wlog_full &&
	       !(mem->page[pg] & (MEM_PG_EXPOSED | MEM_PG_UNLOGGED));
}

/* Is pg one of base's pages? Its index there, or -1. */
static int64_t base_index(const struct vmsa_mem *mem,
			  const struct mem_snap *base, uint32_t pg)
{
	uint32_t i;

	if (!base)
		return -1;
	i = mem->snap_index[pg];
	return i < base->n && base->pg[i] == pg ? (int64_t)i : -1;
}

static int save_mem(const struct vmsa_mem *mem, struct machine_ckpt *c)
{
	const struct mem_snap *base = mem->loaded;
	struct ck_page *pp;
	struct ck_word *w;
	size_t off;
	unsigned n;

	c->mem_base = base;
	c->nbase = base ? base->n : 0;
	if (mem->ntouched < c->nbase ||
	    put(c, &c->touched, mem->touched + c->nbase,
		mem->ntouched - c->nbase, sizeof(uint32_t)) ||
	    put(c, &c->changed, mem->changed, mem->nchanged,
		sizeof(uint32_t)))
		return -ENOMEM;

	off = reserve(c, (size_t)mem->nchanged * sizeof(*pp));
	if (off == SIZE_MAX)
		return -ENOMEM;
	c->pages.off = off;
	c->pages.n = mem->nchanged;
	for (uint32_t k = 0; k < mem->nchanged; k++) {
		uint32_t pg = mem->changed[k];
		uint8_t fl = mem->page[pg];
		size_t data = SIZE_MAX;

		if ((fl & MEM_PG_DIRTY) && !page_logged(mem, pg)) {
			data = reserve(c, MEM_PAGE_SIZE);
			if (data == SIZE_MAX)
				return -ENOMEM;
			memcpy(c->a + data,
			       mem->bytes + (size_t)pg * MEM_PAGE_SIZE,
			       MEM_PAGE_SIZE);
		}
		pp = (struct ck_page *)(c->a + off) + k;
		*pp = (struct ck_page){pg, fl, data};
	}

	/* The base's exposed pages not on the changed list: host code may
	 * have stored into them unseen; those that differ from the base
	 * are saved (mem_load puts the base's contents back). */
	n = 0;
	off = reserve(c, (size_t)(base ? base->nexposed : 0) * sizeof(*pp));
	if (off == SIZE_MAX)
		return -ENOMEM;
	for (uint32_t k = 0; base && k < base->nexposed; k++) {
		uint32_t i = base->exposed[k], pg = base->pg[i];
		const uint8_t *p = mem->bytes + (size_t)pg * MEM_PAGE_SIZE;
		size_t data;

		if (mem->page[pg] & MEM_PG_WRITTEN ||
		    !memcmp(p, base->data + (size_t)i * MEM_PAGE_SIZE,
			    MEM_PAGE_SIZE))
			continue;
		data = reserve(c, MEM_PAGE_SIZE);
		if (data == SIZE_MAX)
			return -ENOMEM;
		memcpy(c->a + data, p, MEM_PAGE_SIZE);
		pp = (struct ck_page *)(c->a + off) + n++;
		*pp = (struct ck_page){pg, mem->page[pg], data};
	}
	c->exposed.off = off;
	c->exposed.n = n;

	off = reserve(c, (size_t)mem->nwlog * sizeof(*w));
	if (off == SIZE_MAX)
		return -ENOMEM;
	w = (struct ck_word *)(c->a + off);
	for (uint32_t k = 0; k < mem->nwlog; k++) {
		uint64_t pa = mem->wlog[k];
		uint32_t pg = (uint32_t)((pa - mem->base) >> MEM_PAGE_SHIFT);

		w[k] = (struct ck_word){pa, 0, page_logged(mem, pg)};
		if (w[k].apply)
			memcpy(&w[k].value, mem->bytes + (pa - mem->base), 8);
	}
	c->wlog.off = off;
	c->wlog.n = mem->nwlog;
	c->wlog_full = mem->wlog_full;
	c->nfree = mem->nfree;
	c->first_free = mem->first_free;
	return 0;
}

static void load_mem(struct vmsa_mem *mem, const struct machine_ckpt *c)
{
	const struct mem_snap *base = c->mem_base;
	const struct ck_page *pp = AT(c, c->pages, struct ck_page);
	const struct ck_page *xp = AT(c, c->exposed, struct ck_page);
	const struct ck_word *w = AT(c, c->wlog, struct ck_word);
	const uint32_t *t = AT(c, c->touched, uint32_t);

	if (base)
		mem_load(mem, base);
	else
		mem_reset(mem);
	/* Pages past the base: zero and flagless now, listed again in
	 * their order. */
	for (unsigned k = 0; k < c->touched.n; k++)
		mem->touched[mem->ntouched++] = t[k];
	for (unsigned k = 0; k < c->pages.n; k++) {
		uint8_t *p = mem->bytes + (size_t)pp[k].pg * MEM_PAGE_SIZE;
		int64_t i;

		mem->page[pp[k].pg] = pp[k].flags;
		if (pp[k].data != SIZE_MAX) {
			memcpy(p, at(c, pp[k].data), MEM_PAGE_SIZE);
		} else if (!(pp[k].flags & MEM_PG_DIRTY)) {
			/* Zero: only a base page may hold anything now. */
			i = base_index(mem, base, pp[k].pg);
			if (i >= 0 && (base->flags[i] & MEM_PG_DIRTY))
				memset(p, 0, MEM_PAGE_SIZE);
		}
		/* Else the base's contents and the logged words. */
	}
	for (unsigned k = 0; k < c->exposed.n; k++)
		memcpy(mem->bytes + (size_t)xp[k].pg * MEM_PAGE_SIZE,
		       at(c, xp[k].data), MEM_PAGE_SIZE);
	for (unsigned k = 0; k < c->wlog.n; k++) {
		mem->wlog[k] = w[k].pa;
		if (w[k].apply)
			memcpy(mem->bytes + (w[k].pa - mem->base), &w[k].value,
			       8);
	}
	mem->nwlog = c->wlog.n;
	mem->wlog_full = c->wlog_full;
	if (c->changed.n)
		memcpy(mem->changed, at(c, c->changed.off),
		       c->changed.n * sizeof(uint32_t));
	mem->nchanged = c->changed.n;
	mem->nfree = c->nfree;
	mem->first_free = c->first_free;
	mem->gen++;
}

/* ------------------------------------------------------------------ */
/* Cache and histories                                                 */
/* ------------------------------------------------------------------ */

/* The out-of-sync lines, and the undo log of the snapshot restore the
 * cache came from (cache_restore() after a load undoes from the saved
 * state what changed since that restore: the log lists exactly that). */
static int save_cache(const struct vmsa_cache *k, struct machine_ckpt *c)
{
	c->cache_base = k->base;
	c->cache_log_full = k->log_full;
	c->cache_stale_seen = k->stale_seen;
	return cache_lines_ck_save(c, &c->cache, &k->lines) ||
	       put(c, &c->cache_log, k->log.p, k->log.n, sizeof(uint64_t)) ?
		       -ENOMEM : 0;
}

static int load_cache(struct vmsa_cache *k, const struct machine_ckpt *c)
{
	if (cache_lines_ck_load(c, &c->cache, &k->lines) ||
	    line_log_reserve(&k->log, c->cache_log.n))
		return -ENOMEM;
	if (c->cache_log.n)
		memcpy(k->log.p, at(c, c->cache_log.off),
		       c->cache_log.n * sizeof(uint64_t));
	k->log.n = c->cache_log.n;
	k->log_full = c->cache_log_full;
	k->base = c->cache_base;
	k->stale_seen = c->cache_stale_seen;
	return 0;
}

/* The histories and their value pool (offsets kept: each history's v
 * points into the pool again after the load). */
static int save_hist(const struct hist_table *h, struct machine_ckpt *c)
{
	return hist_slots_ck_save(c, &c->hist, &h->slots) ||
	       put(c, &c->hist_vals, h->vals.p, h->vals.n,
		   sizeof(struct hist_val)) ? -ENOMEM : 0;
}

static int load_hist(struct hist_table *h, const struct machine_ckpt *c)
{
	const struct hist *e = AT(c, c->hist.e, struct hist);

	if (hist_slots_ck_load(c, &c->hist, &h->slots) ||
	    hist_vals_reserve(&h->vals, c->hist_vals.n))
		return -ENOMEM;
	if (c->hist_vals.n)
		memcpy(h->vals.p, at(c, c->hist_vals.off),
		       c->hist_vals.n * sizeof(struct hist_val));
	h->vals.n = c->hist_vals.n;
	/* The saved histories are the used slots (their numbers in gen):
	 * the others need no pointer, and a scan of every slot cost a
	 * third of a load. */
	for (unsigned k = 0; k < c->hist.e.n; k++) {
		struct hist *x = &h->slots.slot[e[k].gen];

		x->v = h->vals.p + x->off;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The ordering model                                                  */
/* ------------------------------------------------------------------ */

/*
 * All of struct order is state (views, per-CPU access records, bound,
 * newest, infeasible, the explorer's event and its write-placement
 * counts, and every list), but for `cand`: scratch that each operation
 * fills before reading (its room only grows, so it stays enough for the
 * restored messages). Without the feature relaxed the lists are empty
 * and cost nothing.
 */
static int save_order(const struct order *o, struct machine_ckpt *c)
{
	c->ord = *o;
	return ord_slots_ck_save(c, &c->ord_slots, &o->slots) ||
	       put(c, &c->locs, o->locs.p, o->locs.n, sizeof(*o->locs.p)) ||
	       put(c, &c->msgs, o->msgs.p, o->msgs.n, sizeof(*o->msgs.p)) ||
	       put(c, &c->reads, o->reads.p, o->reads.n,
		   sizeof(*o->reads.p)) ||
	       put(c, &c->walks, o->walks.p, o->walks.n,
		   sizeof(*o->walks.p)) ||
	       put(c, &c->twalks, o->twalks.p, o->twalks.n,
		   sizeof(*o->twalks.p)) ||
	       put(c, &c->tlbis, o->tlbis.p, o->tlbis.n,
		   sizeof(*o->tlbis.p)) ||
	       put(c, &c->ltlbis, o->ltlbis.p, o->ltlbis.n,
		   sizeof(*o->ltlbis.p)) ||
	       put(c, &c->xwrites, o->xwrites.p, o->xwrites.n,
		   sizeof(*o->xwrites.p)) ||
	       put(c, &c->spec_seen, o->spec_seen.p, o->spec_seen.n,
		   sizeof(*o->spec_seen.p)) ||
	       put(c, &c->proms, o->proms.p, o->proms.n,
		   sizeof(*o->proms.p)) ? -ENOMEM : 0;
}

/* Copy the saved list l into dst (room for it reserved). */
static void copy_out(void *dst, const struct machine_ckpt *c,
		     struct ck_list l, size_t esize)
{
	if (l.n)
		memcpy(dst, at(c, l.off), (size_t)l.n * esize);
}

/* Make vector v (a VEC_DEFINE `name`) the saved list l: 0 or -ENOMEM.
 * The vector keeps its memory when it is large enough. */
#define LOAD_VEC(name, v, c, l)                                           \
	(name##_reserve((v), (l).n) ? -ENOMEM :                           \
	 (copy_out((v)->p, (c), (l), sizeof(*(v)->p)), (v)->n = (l).n, 0))

static int load_order(struct order *o, const struct machine_ckpt *c)
{
	struct order keep = *o;

	/* The scalars and arrays from the save; the lists' memory is the
	 * machine's. */
	*o = c->ord;
	o->slots = keep.slots;
	o->locs = keep.locs;
	o->msgs = keep.msgs;
	o->cand = keep.cand;
	o->reads = keep.reads;
	o->walks = keep.walks;
	o->twalks = keep.twalks;
	o->tlbis = keep.tlbis;
	o->ltlbis = keep.ltlbis;
	o->xwrites = keep.xwrites;
	o->spec_seen = keep.spec_seen;
	o->proms = keep.proms;
	if (ord_slots_ck_load(c, &c->ord_slots, &o->slots) ||
	    LOAD_VEC(ord_locs, &o->locs, c, c->locs) ||
	    LOAD_VEC(ord_msgs, &o->msgs, c, c->msgs) ||
	    LOAD_VEC(ord_reads, &o->reads, c, c->reads) ||
	    LOAD_VEC(ord_reads, &o->walks, c, c->walks) ||
	    LOAD_VEC(ord_reads, &o->twalks, c, c->twalks) ||
	    LOAD_VEC(ord_tlbis, &o->tlbis, c, c->tlbis) ||
	    LOAD_VEC(ord_tlbis, &o->ltlbis, c, c->ltlbis) ||
	    LOAD_VEC(ord_xwrites, &o->xwrites, c, c->xwrites) ||
	    LOAD_VEC(ord_tsv, &o->spec_seen, c, c->spec_seen) ||
	    LOAD_VEC(ord_proms, &o->proms, c, c->proms))
		return -ENOMEM;
	/* cand must hold every message and one more (order.c reserves it
	 * as messages are added). */
	if (ord_tsv_reserve(&o->cand, 2 * ((size_t)o->msgs.n + 2)))
		return -ENOMEM;
	return 0;
}

/* ------------------------------------------------------------------ */
/* CPUs                                                                */
/* ------------------------------------------------------------------ */

/*
 * Copied: everything but the memory of the lists and sets (whose
 * contents are copied) and the translation memo xc/xc_next (kept: each
 * remembered translation is keyed on ctx_epoch, which a load moves
 * forward, so none made before or after the save is used again; it is
 * rebuilt by the next translations that offer no choice, and a fast-path
 * hit returns exactly what the walk would). Registers, EL, context,
 * handlers, the exceptions running (frame[] and trap point into
 * coroutine stack frames that the explorer restores at the same
 * addresses: copied as they are), skip, FP/SIMD registers, emulation,
 * profiling, Exclusives monitors and interrupts are plain fields.
 *
 * A held set's index is not saved: the load marks it stale (idx_ok
 * false), and the next add or find builds it again from the entries
 * (an index lookup and a search find the same, entries being unique);
 * the set keeps its slot array and idx_gen, which only moves forward.
 */
static int save_held(struct machine_ckpt *c, struct ck_held *s,
		     const struct held_set *h)
{
	s->kinds = h->kinds;
	return put(c, &s->p, h->p, h->n, sizeof(*h->p));
}

static int load_held(const struct machine_ckpt *c, const struct ck_held *s,
		     struct held_set *h)
{
	if (h->cap < s->p.n) {
		size_t cap = vec_next_cap(h->cap, s->p.n, sizeof(*h->p));
		struct held *p = cap ? realloc(h->p, cap * sizeof(*p)) : NULL;

		if (!p)
			return -ENOMEM;
		h->p = p;
		h->cap = (unsigned)cap;
	}
	if (s->p.n)
		memcpy(h->p, at(c, s->p.off), s->p.n * sizeof(*h->p));
	h->n = s->p.n;
	h->kinds = s->kinds;
	h->idx_ok = false;
	return 0;
}

static int save_cpu(struct machine_ckpt *c, struct ck_cpu *s,
		    const struct cpu *u)
{
	struct ck_tlbi *t;
	size_t off;

	memcpy(&s->c, u, sizeof(*u));
	if (put(c, &s->ctx_mask, u->ctx_mask.p, u->ctx_mask.n,
		sizeof(uint64_t)) ||
	    put(c, &s->fresh, u->fresh.p, u->fresh.n, sizeof(uint64_t)) ||
	    put(c, &s->pending_st, u->pending_st.p, u->pending_st.n,
		sizeof(uint64_t)) ||
	    save_held(c, &s->held, &u->held) ||
	    save_held(c, &s->retiring, &u->retiring) ||
	    save_held(c, &s->retired, &u->retired))
		return -ENOMEM;
	off = reserve(c, (size_t)u->pending_tlbi.n * sizeof(*t));
	if (off == SIZE_MAX)
		return -ENOMEM;
	s->pending_tlbi.off = off;
	s->pending_tlbi.n = u->pending_tlbi.n;
	for (unsigned i = 0; i < u->pending_tlbi.n; i++) {
		const struct pending_tlbi *p = &u->pending_tlbi.p[i];
		struct ck_list prot;

		if (put(c, &prot, p->protect.p, p->protect.n,
			sizeof(uint64_t)))
			return -ENOMEM;
		/* After put(): the arena may have moved. */
		t = (struct ck_tlbi *)(c->a + off) + i;
		t->p = *p;
		memset(&t->p.protect, 0, sizeof(t->p.protect));
		t->protect = prot;
	}
	return 0;
}

/* u's pending TLBIs become the saved ones: the entries past the saved
 * count that u owns give their protect lists back, the others reuse
 * theirs (a pending TLBI owns its protect list, barrier.c). */
static int load_tlbis(const struct machine_ckpt *c, const struct ck_cpu *s,
		      struct tlbi_vec *v)
{
	const struct ck_tlbi *t = AT(c, s->pending_tlbi, struct ck_tlbi);
	unsigned n = s->pending_tlbi.n;

	for (unsigned i = n; i < v->n; i++)
		pa_vec_free(&v->p[i].protect);
	if (v->n > n)
		v->n = n;
	if (tlbi_vec_reserve(v, n))
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		struct pa_vec prot = {0};

		if (i < v->n)
			prot = v->p[i].protect;
		v->p[i] = t[i].p;
		v->p[i].protect = prot;
		/* Counted at once: an error leaves no entry whose list
		 * is not its own. */
		if (i >= v->n)
			v->n = i + 1;
		if (LOAD_VEC(pa_vec, &v->p[i].protect, c, t[i].protect))
			return -ENOMEM;
	}
	return 0;
}

static int load_cpu(const struct machine_ckpt *c, const struct ck_cpu *s,
		    struct cpu *u)
{
	/* The machine's memory for the lists and sets, and its memo. */
	struct word_vec ctx_mask = u->ctx_mask, fresh = u->fresh;
	struct pa_vec pending_st = u->pending_st;
	struct tlbi_vec pending_tlbi = u->pending_tlbi;
	struct held_set held = u->held, retiring = u->retiring,
			retired = u->retired;
	struct xlat_memo *xc = u->xc;
	unsigned xc_next = u->xc_next;

	memcpy(u, &s->c, sizeof(*u));
	u->ctx_mask = ctx_mask;
	u->fresh = fresh;
	u->pending_st = pending_st;
	u->pending_tlbi = pending_tlbi;
	u->held = held;
	u->retiring = retiring;
	u->retired = retired;
	u->xc = xc;
	u->xc_next = xc_next;
	if (LOAD_VEC(word_vec, &u->ctx_mask, c, s->ctx_mask) ||
	    LOAD_VEC(word_vec, &u->fresh, c, s->fresh) ||
	    LOAD_VEC(pa_vec, &u->pending_st, c, s->pending_st) ||
	    load_held(c, &s->held, &u->held) ||
	    load_held(c, &s->retiring, &u->retiring) ||
	    load_held(c, &s->retired, &u->retired) ||
	    load_tlbis(c, s, &u->pending_tlbi))
		return -ENOMEM;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Contexts and freed pages                                            */
/* ------------------------------------------------------------------ */

/*
 * Contexts 0 .. n_ctx-1 are state (CPUs and the regime cache refer to
 * them by index); their page lists are a cache of a scan, valid while
 * pages_gen == table_gen. The lists current at the save are copied and
 * stamped with a fresh table_gen at the load (a structural change since
 * the save moved table_gen on; the old value must not come back, or a
 * list scanned after the save would look current); the others are
 * marked for a scan (pages_gen 0), as they were.
 */
static int save_contexts(const vmsa_machine_t *m, struct machine_ckpt *c)
{
	size_t off = reserve(c, (size_t)m->n_ctx * sizeof(struct ck_ctx));

	if (off == SIZE_MAX)
		return -ENOMEM;
	c->n_ctx = m->n_ctx;
	c->ctx.off = off;
	c->ctx.n = m->n_ctx;
	for (unsigned i = 0; i < m->n_ctx; i++) {
		const struct context *x = &m->ctx.p[i];
		struct ck_list pages = {0, 0};
		bool current = x->pages_gen == m->table_gen;
		struct ck_ctx *e;

		if (current && put(c, &pages, x->pages.p, x->pages.n,
				   sizeof(*x->pages.p)))
			return -ENOMEM;
		e = (struct ck_ctx *)(c->a + off) + i;
		e->cfg = x->cfg;
		e->current = current;
		e->pages = pages;
	}
	return 0;
}

static int load_contexts(vmsa_machine_t *m, const struct machine_ckpt *c)
{
	const struct ck_ctx *e = AT(c, c->ctx, struct ck_ctx);

	m->table_gen++;
	while (m->ctx.n < c->n_ctx)
		if (context_vec_push(&m->ctx, (struct context){.pages_gen = 0}))
			return -ENOMEM;
	for (unsigned i = 0; i < c->n_ctx; i++) {
		struct context *x = &m->ctx.p[i];

		x->cfg = e[i].cfg;
		x->pages_gen = 0;
		x->pages.n = 0;
		if (!e[i].current)
			continue;
		if (LOAD_VEC(tpage_vec, &x->pages, c, e[i].pages))
			return -ENOMEM;
		x->pages_gen = m->table_gen;
	}
	m->n_ctx = c->n_ctx;
	return 0;
}

/*
 * Freed pages: the records of the current epoch. A page is freed only
 * while allocated, so it is on memory's touched list since the reset
 * that began the epoch (and a snapshot restore's records are of the
 * snapshot's pages, which its load lists): scanning that list finds
 * every record, at the cost of the pages in use rather than of memory's
 * size. The load moves the epoch forward (every record made after the
 * save is forgotten at once) and writes the saved records in it.
 */
static int save_freed(const vmsa_machine_t *m, struct machine_ckpt *c)
{
	const struct vmsa_mem *mem = &m->mem;
	struct ck_freed *f;
	size_t off = reserve(c, (size_t)mem->ntouched * sizeof(*f));
	unsigned n = 0;

	if (off == SIZE_MAX)
		return -ENOMEM;
	f = (struct ck_freed *)(c->a + off);
	for (uint32_t k = 0; k < mem->ntouched; k++) {
		uint32_t pg = mem->touched[k];

		if (m->freed_epoch[pg] == m->epoch)
			f[n++] = (struct ck_freed){pg, m->freed_at[pg]};
	}
	c->freed.off = off;
	c->freed.n = n;
	return 0;
}

static void load_freed(vmsa_machine_t *m, const struct machine_ckpt *c)
{
	const struct ck_freed *f = AT(c, c->freed, struct ck_freed);

	/* As machine_reset_cpus(): clear for real only when it wraps. */
	if (++m->epoch == 0) {
		memset(m->freed_epoch, 0, m->f.mem_size / VMSA_PAGE_SIZE *
					  sizeof(*m->freed_epoch));
		m->epoch = 1;
	}
	for (unsigned k = 0; k < c->freed.n; k++) {
		m->freed_at[f[k].index] = f[k].at;
		m->freed_epoch[f[k].index] = m->epoch;
	}
}

/* ------------------------------------------------------------------ */
/* Save and load                                                       */
/* ------------------------------------------------------------------ */

/*
 * Machine fields not handled above:
 *  - copied: step, reg_steps, step_cpu (traces of choices), choices and
 *    chosen (a translation compares choices before and after it; the
 *    count of choices asked comes back with the rest), last_emulated(_
 *    value), excl_mask, stopped and the violation (a stopped machine is
 *    not saved: false and all zero, as a reset leaves them, so a load
 *    clears them) with the entries noted for the next violation
 *    (ventries, ventries_oom), the
 *    conflict list, set-up's declarations (same, tagged: cheap, and a
 *    snapshot restore since the save refills them anyway), the
 *    continued break-before-make warning (warned, warning, wentries),
 *    and scan_memo (the snapshot's memo: alive as long as the snapshot,
 *    which the memory's base needs alive anyway);
 *  - moved forward: ctx_epoch (regime cache and translation memos:
 *    their context indices may name contexts made after the save),
 *    table_gen (contexts above), hist_gen (translation memos), epoch
 *    (freed pages above), mem.gen (memory above);
 *  - kept: f (features), keep_cache/load_cpus (false between steps),
 *    the hooks, chooser, trace, fp, on_violation, retry hook and their
 *    contexts (the caller's), xs/ws (scratch; ws holds the pure
 *    bbm_check memo), rc (regime cache: keyed by registers, its context
 *    indices by ctx_epoch), scan_pages/scan_recording (scratch of a
 *    scan, idle between steps), xlat_hits and scan_memo_hits
 *    (statistics of work done), bbm_continue, bbm_no_abort and held_prune
 *    (settings of the machine, kept by resets too).
 */
int machine_ckpt_save(const vmsa_machine_t *m, struct machine_ckpt *c)
{
	int err;

	c->valid = false;
	if (m->stopped || m->keep_cache || m->load_cpus)
		return -EINVAL;
	c->n = 0;
	err = save_mem(&m->mem, c);
	if (!err)
		err = save_cache(&m->cache, c);
	if (!err)
		err = save_hist(&m->hist, c);
	if (!err)
		err = save_order(&m->ord, c);
	c->ncpus = m->f.ncpus;
	for (unsigned i = 0; !err && i < m->f.ncpus; i++)
		err = save_cpu(c, &c->cpu[i], &m->cpu[i]);
	if (!err)
		err = save_contexts(m, c);
	if (!err)
		err = save_freed(m, c);
	if (!err &&
	    (put(c, &c->ventries, m->ventries.p, m->ventries.n,
		 sizeof(*m->ventries.p)) ||
	     put(c, &c->conflict, m->conflict.p, m->conflict.n,
		 sizeof(*m->conflict.p)) ||
	     put(c, &c->same, m->same.p, m->same.n, sizeof(*m->same.p)) ||
	     put(c, &c->tagged, m->tagged.p, m->tagged.n,
		 sizeof(*m->tagged.p)) ||
	     put(c, &c->wentries, m->wentries.p, m->wentries.n,
		 sizeof(*m->wentries.p))))
		err = -ENOMEM;
	if (err) {
		c->n = 0;
		return err;
	}
	c->scan_memo = m->scan_memo;
	c->step = m->step;
	c->reg_steps = m->reg_steps;
	c->step_cpu = m->step_cpu;
	c->choices = m->choices;
	c->chosen = m->chosen;
	c->last_emulated = m->last_emulated;
	c->last_emulated_value = m->last_emulated_value;
	c->excl_mask = m->excl_mask;
	/* Not stopped: the violation is as a reset left it (all zero; only
	 * violation() fills it, and it stops the machine). */
	c->ventries_oom = m->ventries_oom;
	c->warned = m->warned;
	if (m->warned)
		c->warning = m->warning;
	c->valid = true;
	return 0;
}

int machine_ckpt_load(vmsa_machine_t *m, const struct machine_ckpt *c)
{
	if (!c->valid || c->ncpus != m->f.ncpus)
		return -EINVAL;
	load_mem(&m->mem, c);
	if (load_cache(&m->cache, c) || load_hist(&m->hist, c) ||
	    load_order(&m->ord, c))
		return -ENOMEM;
	for (unsigned i = 0; i < c->ncpus; i++)
		if (load_cpu(c, &c->cpu[i], &m->cpu[i]))
			return -ENOMEM;
	m->ctx_epoch++;
	m->hist_gen++;
	if (load_contexts(m, c))
		return -ENOMEM;
	load_freed(m, c);
	if (LOAD_VEC(ventry_vec, &m->ventries, c, c->ventries) ||
	    LOAD_VEC(ventry_vec, &m->conflict, c, c->conflict) ||
	    LOAD_VEC(same_vec, &m->same, c, c->same) ||
	    LOAD_VEC(mte_vec, &m->tagged, c, c->tagged) ||
	    LOAD_VEC(ventry_vec, &m->wentries, c, c->wentries))
		return -ENOMEM;
	m->scan_memo = c->scan_memo;
	m->step = c->step;
	m->reg_steps = c->reg_steps;
	m->step_cpu = c->step_cpu;
	m->choices = c->choices;
	m->chosen = c->chosen;
	m->last_emulated = c->last_emulated;
	m->last_emulated_value = c->last_emulated_value;
	m->excl_mask = c->excl_mask;
	if (m->stopped || m->violation.kind != VMSA_V_NONE)
		memset(&m->violation, 0, sizeof(m->violation));
	m->ventries_oom = c->ventries_oom;
	m->stopped = false;
	/* Without a warning, the warning is as a reset left it (zero). */
	if (c->warned) {
		m->warning = c->warning;
		if (m->warning.entries)
			m->warning.entries = m->wentries.p;
	} else if (m->warned) {
		memset(&m->warning, 0, sizeof(m->warning));
	}
	m->warned = c->warned;
	return 0;
}
