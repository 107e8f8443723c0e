/*
 * src/model/translate.c - translating a CPU's access: which descriptor
 * values a walk may use, held TLB entries, TLB conflicts.
 *
 * A translation is the architecture's pure walk (src/arch/walk*.c) with a
 * read callback that offers, for every descriptor read, each value the
 * architecture allows the walk to use at that point:
 *  - the value memory has now, and older values whose overwriting stores
 *    are not yet visible to walks (RSPVBD: visible at the writer's DSB);
 *  - values held by this CPU's TLB for that level and input address,
 *    walk-cache (table) entries and, for stage 2, leaves (tlb.h);
 *  - values the location had at any time since the CPU's last context
 *    synchronisation event that make the walk fault: a walk done early
 *    (speculatively) and a spurious fault (D8.2, ETS2 in ARCH-RULES
 *    section 6): a Translation fault (invalid), an Access flag fault
 *    (AF = 0) or a Permission fault (a leaf that refuses the access).
 *    FEAT_ETS2 orders earlier explicit accesses and DSBs before walks
 *    that give TLBUncacheable faults (Translation, Address size, Access
 *    flag: B2.3 "TLBUncacheable Effects", D9.7 RCKTPD); FEAT_ETS3 before
 *    any MMU fault, Permission faults too (D8.2.6.1, B2.3
 *    "ETS-ordered-before"), so each kind has its own window start.
 * A stage-1 leaf the TLB holds is a candidate on its own (a TLB hit needs
 * no walk, so no path to it): the chooser picks between walking and each
 * such entry. More than one candidate is a choice point; option 0 is
 * always memory as it is now, so the default chooser models a TLB-less,
 * in-order machine.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "footprint.h"
#include "order.h"
#include "translate.h"
#include "write.h"
#include "xlat_cache.h"
#include "util/vec.h"

/* A value a walk read may return, and the held entry it comes from (NULL
 * for memory's values). */
struct cand {
	uint64_t desc;
	const struct held *src;
	bool early;	/* offered only as an early walk's faulting value:
			   never cached (the TLBI since removed what that
			   walk may have cached) */
	uint64_t path;	/* an early walk's older table value (early_table):
			   the step its next read is no earlier than */
	bool perm_only;	/* that next read may give a Permission fault
			   only (early_table_faults) */
	bool too_old;	/* overwritten before a retry's handler returned
			   (retry_too_old) */
	uint64_t old_since; /* an older value from memory: the step of the
			       write that overwrote it (0: memory's value,
			       or not from memory), for check_old_table */
};

/* An entry the walk may have cached (see read_cb). */
struct fill {
	struct slot s;
	uint64_t desc;
	uint64_t loc;		/* PA the value was read for */
	bool s12;		/* a stage-2 leaf used for the final IPA
				   (a combined entry may be cached) */
};

VEC_DEFINE(cand_vec, struct cand)
VEC_DEFINE(fill_vec, struct fill)
VEC_DEFINE(hit_vec, const struct held *)

/*
 * The lists of one translation. None has a fixed size: every value the
 * architecture allows is offered, however many stale entries and pending
 * stores there are. They live as long as the machine so that a walk
 * allocates nothing once they are large enough (translations do not nest:
 * a walk's reads never start another translation).
 */
struct xlat_scratch {
	struct cand_vec cand;	/* the current read's candidates */
	struct fill_vec fill;	/* what the walk may have cached */
	struct hit_vec hits;	/* stage-1 leaves held for the VA */
};

void xlat_access_fault(struct xlat *x, const vmsa_access_t *acc,
		       vmsa_fault_kind_t kind)
{
	vmsa_fault_t *f = &x->walk.fault;

	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->stage = VMSA_STAGE1;
	f->acc = acc->kind;
	f->va = acc->addr;
	f->ipa = x->walk.ipa;
	f->fsc = vmsa_fault_fsc(kind, 0);
}

void xlat_scratch_free(vmsa_machine_t *m)
{
	if (!m->xs)
		return;
	cand_vec_free(&m->xs->cand);
	fill_vec_free(&m->xs->fill);
	hit_vec_free(&m->xs->hits);
	free(m->xs);
	m->xs = NULL;
}

/* What the read callback needs, and what it learnt. */
struct walk_ctx {
	vmsa_machine_t *m;
	struct cpu *c;
	int ctx;			/* the context being translated in */
	const vmsa_regime_cfg_t *cfg;
	uint64_t window;		/* spurious-fault window start */
	uint64_t perm_window;		/* the same for Permission faults */
	uint64_t path_floor;		/* an early walk reached this read no
					   earlier than this step, by the
					   values its path read (read_cb) */
	bool early_path;		/* the last read used an older table
					   value an early walk read: this one
					   may only fault (early_table) */
	bool early_perm_only;		/* and only with a Permission fault */
	bool retry;			/* an access retried after its fault
					   was handled (tlbu_window) */
	bool used_too_old;		/* and it used a value or entry
					   overwritten before the handler
					   returned (retry_too_old) */
	bool refill;			/* record what this walk may cache */

	bool held_path;			/* a held table entry led here */
	bool acc_write;			/* the access is a write */
	unsigned n_held_hits;		/* hits from held and retiring entries
					   (then retired ones: held_leaves) */
	unsigned n_held_set_hits;	/* of those, the first ones, from the
					   held set (held_gives) */
	bool multi_size;		/* entries of different sizes seen */
	bool bbm_conflict;		/* entries that needed a break seen */
	vmsa_stage_t conflict_stage;
	bool freed;			/* a descriptor read from a freed page */
	uint64_t freed_pa;
	bool used_stale;		/* a value memory no longer has was used */
	/* A choice depended on which values are visible to walks: a value
	 * other than memory's newest was offered first or used, or sizes
	 * differed with older values offered (footprint.h, FP_SUB_VIS). */
	bool vis_any;
	bool s1_tagged;			/* s1_tag: the last stage-1 entry used */
	vmsa_tlb_tag_t s1_tag;
	/* ... or, when it was a descriptor read, its slot and value: the
	 * tag is made from them once, after the walk (each read's was a
	 * sixtieth of a litmus search, and only the last one counts). */
	bool s1_from_read;
	struct slot s1_slot;
	uint64_t s1_value;
	/* The same for the stage-2 leaf of the final IPA, under relaxed
	 * (s2_record): the slot and value read, or the combined entry
	 * used. */
	bool s2_from_read;
	struct slot s2_slot;
	uint64_t s2_value;
	const struct held *s2_held;
	uint64_t retired_ts;		/* a retired entry was used: its
					   TLBI's place (0: none) */
	bool retired_alone;		/* ... and met retired_alone() */
	bool oom;			/* a list could not grow */
	bool exposed;			/* a descriptor read from a page host
					   code may write unseen */
	/* Descriptors read from memory's current value only: those whose
	 * hardware update failed (hw_update). */
	const uint64_t *forced;
	unsigned n_forced;
	/* The dirty state update of the held leaf's own value was chosen
	 * (held_update): hw_update makes it without asking again. */
	bool held_upd;
	uint64_t held_pa, held_old;

	struct xlat_scratch *xs;
};

/* A walk context before translate_hw() sets it up. */
static const struct walk_ctx zero_walk_ctx;

static bool is_forced(const struct walk_ctx *w, uint64_t pa)
{
	for (unsigned i = 0; i < w->n_forced; i++)
		if (w->forced[i] == pa)
			return true;
	return false;
}

/* What memory holds at pa now: the newest value of its history. */
static uint64_t mem_now(const vmsa_machine_t *m, uint64_t pa)
{
	const struct hist *h = hist_find(&m->hist, pa);

	return h ? h->v[h->n - 1].value : mem_read(&m->mem, pa, 8);
}

/* The tag a lookup at (stage, level) for this read has in the context. */
static struct slot read_slot(const struct walk_ctx *w,
			     const vmsa_walk_read_t *r)
{
	const vmsa_regime_cfg_t *cfg = w->cfg;
	unsigned tt = vmsa_s1_tt_index(&cfg->s1, r->va);
	const vmsa_tt_cfg_t *t = r->stage == VMSA_STAGE2 ? &cfg->s2.tt[0] :
							   &cfg->s1.tt[tt];
	uint64_t size = vmsa_level_size(t->granule, r->level);

	return (struct slot){
		.ctx = (unsigned)w->ctx, .stage = r->stage, .level = r->level,
		.granule = t->granule, .tt = tt, .ia = r->ia & ~(size - 1),
	};
}

/* Does held entry h answer a lookup with tag `want` for input address ia? */
static bool held_hits(const struct held *h, const vmsa_tlb_tag_t *want,
		      uint64_t ia)
{
	const vmsa_tlb_tag_t *t = &h->tag;
	uint64_t a = ia, base = t->ia;

	if (h->any_va)
		return false;
	if (t->level != want->level || t->granule != want->granule ||
	    !tag_same_context(t, want))
		return false;
	if (t->stage == VMSA_TLB_S1) {
		a = vmsa_va_canonical(ia);
		base = vmsa_va_canonical(base);
	}
	return a - base < t->size;
}

/* Does a combined entry made from a stage-2 value answer the final IPA
 * lookup (vmid, level, IPA)? */
static bool s12_hits(const struct held *h, const vmsa_tlb_tag_t *want,
		     uint64_t ipa)
{
	const vmsa_tlb_tag_t *t = &h->tag;

	return h->any_va && t->regime == want->regime &&
	       t->vmid == want->vmid && t->level == want->level &&
	       t->granule == want->granule && ipa - t->ia < t->size;
}

/* Offer value v (from held entry src, or NULL) unless it is offered
 * already: the options of a choice are distinct values. */
static void add_cand_early(struct walk_ctx *w, uint64_t v,
			   const struct held *src, bool early)
{
	struct cand_vec *c = &w->xs->cand;

	/* An older table offered only to an early walk that faults
	 * (add_cand_table) does not stand for a held entry of the same
	 * value, which leads on to every value: drop_shadowed_tables(). */
	for (unsigned i = 0; i < c->n; i++)
		if (c->p[i].desc == v && !(c->p[i].path && src))
			return;
	if (cand_vec_push(c, (struct cand){.desc = v, .src = src, .early = early}))
		w->oom = true;
}

/* An older table an early walk may have read (add_cand_table, among the
 * n_mem memory values) that a held entry offers too: the held entry's
 * option gives all it gives and more (the walk leads on to every value
 * under it, faulting ones included), so the early one goes. */
static void drop_shadowed_tables(struct walk_ctx *w, unsigned *n_mem)
{
	struct cand_vec *c = &w->xs->cand;
	unsigned k = 0, n = *n_mem;

	for (unsigned i = 0; i < c->n; i++) {
		bool shadowed = false;

		for (unsigned j = n; i < n && c->p[i].path && j < c->n; j++)
			shadowed |= c->p[j].desc == c->p[i].desc;
		if (shadowed)
			(*n_mem)--;
		else
			c->p[k++] = c->p[i];
	}
	c->n = k;
}

static void add_cand(struct walk_ctx *w, uint64_t v, const struct held *src)
{
	add_cand_early(w, v, src, false);
}

/* Offer older value v from memory, overwritten at step `since`
 * (memory_cands, unpublished_cands), marked too_old when a retry's walk
 * should not fault through it (retry_too_old). */
static void add_cand_old(struct walk_ctx *w, uint64_t v, uint64_t since,
			 bool too_old)
{
	struct cand_vec *c = &w->xs->cand;
	unsigned n = c->n;

	add_cand_early(w, v, NULL, false);
	if (c->n > n) {
		c->p[n].too_old = too_old;
		c->p[n].old_since = since;
	}
}

void fp_held_next(vmsa_machine_t *m, const struct slot *s, uint64_t desc)
{
	if (fp_keeps(m) &&
	    vmsa_desc_kind(desc, s->level, s->granule) == VMSA_DESC_TABLE)
		fp_page_state(m, vmsa_desc_oa(desc, s->level, s->granule),
			      false);
}

/*
 * A table value that is no longer memory's (a held table entry, or an
 * older value a walk reads from memory: a store not yet visible to it,
 * or under relaxed one it is not ordered after) leads to a table that
 * may have been freed since the value was overwritten at step `since`
 * (and perhaps allocated again as something else): a walk through it is
 * a walk through a freed table. Stage-1 tables under stage 2 are IPAs:
 * their pages are checked when read instead.
 */
static void check_old_table(struct walk_ctx *w, const vmsa_walk_read_t *r,
			    const struct slot *s, uint64_t desc,
			    uint64_t since)
{
	uint64_t next;

	if (w->freed ||
	    vmsa_desc_kind(desc, s->level, s->granule) != VMSA_DESC_TABLE)
		return;
	if (r->stage == VMSA_STAGE1 && w->cfg->s2.enabled &&
	    w->cfg->regime == VMSA_REGIME_EL10)
		return;
	next = vmsa_desc_oa(desc, s->level, s->granule);
	fp_page_state(w->m, next, false);
	if (page_freed_since(w->m, next, since)) {
		w->freed = true;
		w->freed_pa = next;
	}
}

/*
 * FEAT_ETS2: the CPU's explicit accesses and DSBs earlier in program order
 * are ordered before a walk read that gives a Translation, Address size
 * or Access flag fault (FEAT_ETS3: any MMU fault, Permission too) (ARCH-RULES section 6; herd's ETS2 tests such as
 * ETS2.CoWR0+posptev1p-fripptev1 and ETS2.MP+poptev1l+po). Data accesses
 * are sequentially consistent in the model, so every store made before
 * the window start (w->window, which with ETS2 is no earlier than the
 * last explicit access or DSB) is ordered before such a walk: the walk
 * cannot read a faulting value that one of them had already overwritten,
 * even while the overwriting store is still invisible to walks that do
 * not fault (RSPVBD). Value i of h is such a value.
 */
static bool ets_orders(const vmsa_machine_t *m, vmsa_fault_kind_t fk)
{
	if (fk == VMSA_FAULT_PERMISSION)
		return m->f.ets3;
	return fk != VMSA_FAULT_NONE && m->f.ets2;
}

static bool ets2_excludes(const struct walk_ctx *w, const struct hist *h,
			  unsigned i, vmsa_fault_kind_t fk)
{
	if (!ets_orders(w->m, fk) || i + 1 >= h->n)
		return false;
	if (!w->m->f.relaxed)
		return h->v[i + 1].write_step <= w->window;
	/* Under Arm's ordering a hardware update is ordered before no
	 * explicit access of any CPU but by a DSB of the CPU that made it
	 * (RMKHJS; herd's ets-ob starts at an explicit access), so its
	 * step says nothing: the value it overwrote is excluded only when
	 * the update is at or before what the walking CPU's explicit
	 * accesses saw in memory's order (NT-10-dmb allowed, NT-13-dmb
	 * not, with ETS2). */
	if (h->v[i + 1].hw)
		return order_value_ts(w->m, h->key, h->v[i + 1].value) <=
		       order_explicit_view(w->m, (int)w->c->id);
	/* A CPU's store: "ordered before" is not "made before" either:
	 * the explicit accesses earlier in program order are ordered
	 * before the walk (herd: [Exp & M]; po; [FAULT]; tr-ib^-1), and so
	 * is every write their views reach. Value i is too old when the
	 * write that replaced it is one of those (a descriptor word's
	 * messages are appended, so their steps and timestamps are in the
	 * same order). herd's D15347-M-load and MP-pte are Allowed with
	 * ETS2: the reader's load is ordered before its walk, but the
	 * writer's two stores are not ordered. */
	return h->v[i + 1].write_step <=
	       order_step_at(w->m, h->key, order_ets_floor(w->m,
							 (int)w->c->id));
}

/* The cheap half of ets2_excludes(), which needs no fault kind: false
 * when no fault kind can exclude value i. The fault kind costs a decode
 * and a permission check (vmsa_walk_read_fault()) per value, so the read
 * callback computes it only when this says it can matter. */
static bool ets2_may_exclude(const struct walk_ctx *w, const struct hist *h,
			     unsigned i)
{
	/* With the feature relaxed the window does not bound what ETS2
	 * excludes (ets2_excludes: views, not steps). */
	return (w->m->f.ets2 || w->m->f.ets3) && i + 1 < h->n &&
	       (w->m->f.relaxed || h->v[i + 1].write_step <= w->window);
}

/*
 * The step from which an early walk may have read a value that gives a
 * TLBUncacheable fault (Translation, Access flag, Address size). Without
 * `relaxed`, the CPU's last context synchronisation event (with ETS2 its
 * last DSB or explicit access): spurious_window(). With it, what the walk
 * is ordered after is a matter of views, not steps: an ISB orders it
 * after what IFB-ordered-before puts before the ISB (a dependency or a
 * DSB; not a DMB ST after a load: herd's MP+bbm+dsb-isb+VMALL with DMB ST
 * for its DSB SY, Allowed), which observed() bounds it by (obs_early:
 * vCSE; uc: vTTD, with ETS2 the DSBs), so the step of the event itself
 * bounds nothing. But not for the walk of an access retried after its
 * fault was handled: there the window starts at the CPU's last context
 * synchronisation event (the handler's exception return) as outside
 * relaxed. A write to Normal memory completes in finite time (B2.10.1),
 * so a walk cannot go on reading a value overwritten long before
 * forever; the retry is where a loop would (a handler that waits for
 * the fix, returns, and the access faults again on the same old value,
 * for ever: a livelock the architecture does not have). Herd7 drops an
 * execution whose re-executed access faults (docs/litmus.md), so the
 * litmus front end loses nothing; a C scenario loses the executions
 * where a retry faults again on a value overwritten before the exception
 * return (docs/model.md, rule 9).
 */
static uint64_t tlbu_window(const struct walk_ctx *w)
{
	return w->m->f.relaxed && !w->retry ? 0 : w->window;
}

/* The start of the window in which an early walk may have read a value
 * that gives fault kind fk, for this read (the walk's path so far
 * included). */
static uint64_t early_since(const struct walk_ctx *w, vmsa_fault_kind_t fk)
{
	uint64_t since = fk == VMSA_FAULT_PERMISSION ? w->perm_window :
						       tlbu_window(w);

	return w->path_floor > since ? w->path_floor : since;
}

/*
 * The fault an early walk would take with older value v (rule 9 of
 * docs/model.md): a Translation fault for an invalid value, an Access
 * flag fault for a leaf with AF = 0, a Permission fault for a leaf that
 * refuses the access; VMSA_FAULT_NONE for everything else (a valid value
 * that translates, which would be a stale translation, not a fault;
 * reserved encodings and Address size faults are not offered).
 */
static vmsa_fault_kind_t early_fault(const vmsa_walk_read_t *r, uint64_t v,
				     const struct slot *s)
{
	vmsa_fault_kind_t fk;

	if (vmsa_desc_kind(v, s->level, s->granule) == VMSA_DESC_INVALID)
		return VMSA_FAULT_TRANSLATION;
	fk = vmsa_walk_read_fault(r, v);
	if (fk == VMSA_FAULT_ACCESS_FLAG || fk == VMSA_FAULT_PERMISSION)
		return fk;
	return VMSA_FAULT_NONE;
}

/* A Translation, Access flag or Address size fault (B2.3.1,
 * TLBUncacheable Effects). */
static bool tlb_uncacheable(vmsa_fault_kind_t fk)
{
	return fk == VMSA_FAULT_TRANSLATION || fk == VMSA_FAULT_ACCESS_FLAG ||
	       fk == VMSA_FAULT_ADDRESS_SIZE;
}

/* What the completed TLBIs bound an early walk by (observed()): the
 * places its walk and its fault are ordered after, and its entry. */
struct tlbi_bound {
	uint64_t walk, fault;
	vmsa_tlb_tag_t tag;
};

/*
 * The step before which no early walk reading value i of h was done: that
 * of the last completed TLBI the walk or its fault is ordered after and
 * that is ordered after the write that overwrote value i. The walk is
 * not done before a TLBI it is ordered after (D15347-M-load-shoot+DMB.LD),
 * and a fault is ordered after more than its walk (barriers and acquires
 * order MMU Fault Effects, B2.3.7), so not before a TLBI of another CPU
 * that completed before the fault either (TLBI-ordered-before, from the
 * Effect a TLBI-before TTD read is Translation-intrinsically-before to an
 * Effect of a different PE; herd: R+shoot+dmb.st-mmufault_af Forbidden,
 * and with the CPU's own TLBI coWRExpNExp+DSB-TLBI-DSB Allowed). But a
 * TLBI not ordered after the overwriting write (a DMB, or nothing,
 * between a store and the TLBI: Barrier-ordered-before ends at explicit
 * accesses and faults, and only DSB-ordered-before reaches a TLBI) may
 * come before it, and a walk after the TLBI may read value i
 * (TLBI-coherence-after orders the TLBI before the write; herd's FB with
 * DMB ISH for its DSB ISH, Allowed). A write that is not one of the
 * ordering model's messages counts as ordered before every TLBI.
 */
static uint64_t early_tlbi_since(const struct walk_ctx *w,
				 const vmsa_walk_read_t *r, const struct hist *h,
				 unsigned i, const struct tlbi_bound *tb)
{
	uint64_t over = 0, a, b;

	if (!w->m->ord.tlbis.n)
		return 0;
	if (i + 1 < h->n) {
		over = order_ts_of_step(w->m, r->pa, h->v[i + 1].write_step,
					h->v[i + 1].value);
		if (over == UINT64_MAX)
			over = 0;
	}
	a = order_tlbi_step(w->m, tb->walk, &tb->tag, -1, over);
	b = order_tlbi_step(w->m, tb->fault, &tb->tag, (int)w->c->id, over);
	return a > b ? a : b;
}

/* The faults an early walk may take at the read after an older table
 * (early_table_faults): TLBUncacheable ones (Translation, Access flag),
 * bounded by the CPU's TLBUncacheable window, and Permission faults,
 * bounded by its Permission window (they differ with ETS2: an earlier
 * explicit access orders a walk that gives a Permission fault only with
 * ETS3). */
enum early_kinds { EARLY_TLBU = 1, EARLY_PERM = 2 };

/*
 * The kind of fault (early_kinds, 0 for none offered) value v gives the
 * read at the level below slot s, in the table that older value `table`
 * of s points to: what vmsa_walk_read_fault() finds at that read, with
 * the walk's access and the table attributes met above and in `table`
 * (vmsa_walk_next_fault()), as early_fault() offers it there: not a
 * reserved encoding nor an Address size fault, and nothing for a table
 * (two older tables in one walk are not offered).
 */
static unsigned next_fault_kind(const vmsa_walk_read_t *r,
				const struct slot *s, uint64_t table,
				uint64_t v)
{
	if (vmsa_desc_kind(v, s->level + 1, s->granule) == VMSA_DESC_RESERVED)
		return 0;
	switch (vmsa_walk_next_fault(r, table, v)) {
	case VMSA_FAULT_TRANSLATION:
	case VMSA_FAULT_ACCESS_FLAG:
		return EARLY_TLBU;
	case VMSA_FAULT_PERMISSION:
		return EARLY_PERM;
	default:
		return 0;
	}
}

/* The fault kind ets2_excludes() weighs for a kind of early_kinds. */
static vmsa_fault_kind_t early_kind_fault(unsigned kind)
{
	return kind == EARLY_PERM ? VMSA_FAULT_PERMISSION :
				    VMSA_FAULT_TRANSLATION;
}

/*
 * May an early walk have read older table value v (rule 9)? Only as a
 * walk that faults: the value leads on, and the read after it, in the
 * table v points to, must give a fault (early_table_faults). Outside
 * relaxed (under it the next read's candidates are bounded by views
 * this test does not repeat: left open, docs/model.md), once per walk
 * (the next read may only fault), and not after a failed hardware
 * update (its reads are memory's newest).
 */
static bool early_table_ok(const struct walk_ctx *w, const struct slot *s,
			   uint64_t v)
{
	return !w->m->f.relaxed && !w->early_path && !w->n_forced &&
	       vmsa_desc_kind(v, s->level, s->granule) == VMSA_DESC_TABLE;
}

/* A stage-2 descriptor read of table_pa()'s walk: memory's newest value
 * (what read_cb gives the walk's own reads then), read as the walk's
 * footprint. */
static int table_pa_read(void *arg, const vmsa_walk_read_t *r,
			 uint64_t *value)
{
	struct walk_ctx *w = arg;

	fp_word(w->m, r->pa, false);
	fp_struct_page(w->m, r->pa, false);
	if (!mem_contains(&w->m->mem, r->pa, 8))
		return -EFAULT;
	*value = mem_now(w->m, r->pa);
	return 0;
}

/*
 * The PA of the stage-1 table at IPA ipa, which an early walk's
 * translation of the table address (a stage-2 walk, S1PTW) gives with
 * memory's newest values; false when that walk faults (the early walk
 * would then take a stage-2 fault instead: not offered). read_cb gives
 * the walk's own S1PTW reads the same values after an older table
 * (early_path), so it reaches this PA or faults.
 */
static bool table_pa(struct walk_ctx *w, uint64_t ipa, uint64_t *pa)
{
	vmsa_access_t fetch = {
		.addr = ipa, .kind = VMSA_ACC_READ, .el = 1, .pan = false,
	};
	vmsa_walk_t out;

	if (!vmsa_walk_stage(&w->cfg->s2, table_pa_read, w, &fetch, &out))
		return false;
	*pa = out.pa;
	return true;
}

/*
 * Which kinds of fault (early_kinds, of those in `avail`) does the entry
 * for r's input address in the table older value v of slot s points to
 * give (next_fault_kind) to a read made at or after step since[0]
 * (TLBUncacheable faults) or since[1] (Permission faults), as
 * memory_cands() offers that read its values once path_floor is that
 * step (the newest visible value and the pending ones, then older ones
 * current since then; with ETS2 not one overwritten before the window:
 * ets2_excludes(), which for Permission faults needs ETS3)? The reads of
 * a walk are ordered (each one's address comes from the value before),
 * so the early walk's next read came at or after the step it read v at.
 * Not through a table in a page freed since (the walk could have read it
 * before the free: left open). What it looks at is the step's footprint:
 * the word's values, their visibility and the window, the page's state
 * and table structure.
 */
static unsigned early_table_faults(struct walk_ctx *w,
				   const vmsa_walk_read_t *r,
				   const struct slot *s, uint64_t v,
				   unsigned avail, const uint64_t since[2])
{
	vmsa_machine_t *m = w->m;
	int next = s->level + 1;
	unsigned stride = geom_granule_stride(s->granule);
	uint64_t idx = (r->ia >> geom_level_shift(s->granule, next)) &
		       ((1ull << stride) - 1);
	uint64_t pa = vmsa_desc_oa(v, s->level, s->granule) + 8 * idx;
	uint64_t end = HIST_PENDING;
	const struct hist *h;
	unsigned vis, found = 0;

	/* A stage-1 table under stage 2 is at an IPA. */
	if (r->stage == VMSA_STAGE1 && w->cfg->s2.enabled &&
	    w->cfg->regime == VMSA_REGIME_EL10 && !table_pa(w, pa, &pa))
		return 0;
	fp_page_state(m, pa, false);
	if (!mem_contains(&m->mem, pa, 8))
		return 0;
	for (unsigned k = 0; k < 2; k++)
		if ((avail & 1u << k) && page_freed_since(m, pa, since[k]))
			avail &= ~(1u << k);
	if (!avail)
		return 0;
	fp_word(m, pa, false);
	fp_window_word(m, w->c->id, pa);
	fp_vis(m, pa, false);
	fp_struct_page(m, pa, false);
	h = hist_find(&m->hist, pa);
	if (!h)
		return next_fault_kind(r, s, v, mem_read(&m->mem, pa, 8)) &
		       avail;
	vis = hist_visible(h);
	for (unsigned i = h->n; i-- > vis && found != avail;) {
		unsigned k = next_fault_kind(r, s, v, h->v[i].value) & avail;

		if (k && !ets2_excludes(w, h, i, early_kind_fault(k)))
			found |= k;
		if (h->v[i].vis_step < end)
			end = h->v[i].vis_step;
	}
	for (unsigned i = vis; i-- > 0 && found != avail;) {
		unsigned k = next_fault_kind(r, s, v, h->v[i].value) & avail;

		if (k && hist_current_between(h->v[i].vis_step, end,
					      since[k == EARLY_PERM]) &&
		    !ets2_excludes(w, h, i, early_kind_fault(k)))
			found |= k;
		if (h->v[i].vis_step < end)
			end = h->v[i].vis_step;
	}
	return found;
}

/* Offer older table value v, which an early walk read at or after step
 * `path` (read_cb then makes that the path's floor and lets the next
 * read only fault, with perm_only only with a Permission fault), unless
 * v is offered already. */
static void add_cand_table(struct walk_ctx *w, uint64_t v, uint64_t path,
			   bool perm_only)
{
	struct cand_vec *c = &w->xs->cand;

	for (unsigned i = 0; i < c->n; i++)
		if (c->p[i].desc == v)
			return;
	if (cand_vec_push(c, (struct cand){.desc = v, .early = true, .path = path,
				       .perm_only = perm_only}))
		w->oom = true;
}

/*
 * Offer older table value i of h (visible from its vis_step until `end`)
 * to an early walk whose next read, in the table it points to, faults
 * (early_table_faults; herd's tests have one level of tables, so this is
 * the manual's reading: a walk done early reads each level at some time
 * in the window, in order). The table's read is bounded as the fault's
 * (B2.3: with ETS2 the earlier explicit accesses are ordered before
 * every read of the walk whose fault they order), and not before the
 * TLBIs that bound it (early_tlbi_since): for a Translation or Access
 * flag fault by the TLBUncacheable window, for a Permission fault by the
 * Permission window, which ETS2 alone does not move to the last explicit
 * access. The next read's floor is the earliest step a fault found
 * allows: a value of the other kind is bounded there by its own window
 * again (early_since), which gives the same bound as here.
 */
static void early_table_cand(struct walk_ctx *w, const vmsa_walk_read_t *r,
			     const struct slot *s, const struct hist *h,
			     unsigned i, uint64_t end,
			     const struct tlbi_bound *tb)
{
	uint64_t tlbi = early_tlbi_since(w, r, h, i, tb);
	uint64_t since[2] = {0, 0}, path = UINT64_MAX;
	unsigned avail = 0, found;

	for (unsigned k = 0; k < 2; k++) {
		vmsa_fault_kind_t fk = early_kind_fault(1u << k);
		uint64_t es = early_since(w, fk);

		if (tlbi > es)
			es = tlbi;
		if (!hist_current_between(h->v[i].vis_step, end, es) ||
		    ets2_excludes(w, h, i, fk))
			continue;
		since[k] = h->v[i].vis_step > es ? h->v[i].vis_step : es;
		avail |= 1u << k;
	}
	if (!avail)
		return;
	found = early_table_faults(w, r, s, h->v[i].value, avail, since);
	for (unsigned k = 0; k < 2; k++)
		if ((found & 1u << k) && since[k] < path)
			path = since[k];
	if (found)
		add_cand_table(w, h->v[i].value, path,
			       !(found & EARLY_TLBU));
}

/* Offer older value i of h (visible from its vis_step until `end`) if an
 * early walk may have read it and faulted (not before the TLBIs that
 * bound it: early_tlbi_since): a value that faults, or a table through
 * which the walk's next read faults (early_table_ok, early_table_cand). */
static void early_cand(struct walk_ctx *w, const vmsa_walk_read_t *r,
		       const struct slot *s, const struct hist *h, unsigned i,
		       uint64_t end, uint64_t uc, const struct tlbi_bound *tb)
{
	uint64_t v = h->v[i].value;
	vmsa_fault_kind_t fk = early_fault(r, v, s);
	uint64_t es, since;

	if (fk == VMSA_FAULT_NONE && early_table_ok(w, s, v)) {
		early_table_cand(w, r, s, h, i, end, tb);
		return;
	}
	if (fk == VMSA_FAULT_NONE ||
	    (h->v[i].write_step < uc && tlb_uncacheable(fk)))
		return;
	es = early_since(w, fk);
	since = early_tlbi_since(w, r, h, i, tb);
	if (since > es)
		es = since;
	if (hist_current_between(h->v[i].vis_step, end, es) &&
	    !ets2_excludes(w, h, i, fk))
		add_cand_early(w, v, NULL, fk != VMSA_FAULT_TRANSLATION);
}

/*
 * Feature relaxed: what the walking CPU has observed (order.c). A walk
 * is ordered after the reads its access is ordered after (address
 * dependency, DMB LD, acquire, DSB, ISB): it reads no value older than
 * a descriptor write one of them saw (herd: I2V-R-DSB.ISH-ISB-R+W);
 * a walk done early is ordered after what was observed at the last
 * context synchronisation event; and a walk ordered after a completed
 * TLBI that covers its entry was not done before that TLBI
 * (D15347-M-load-shoot+DMB.LD). *obs and *obs_early are steps before
 * which a value is too old (*uc: a value that gives a
 * TLBUncacheable fault); *tb: what the completed TLBIs bound an early
 * walk by (early_tlbi_since). A TLB-cacheable value (tlb_refill) is
 * bounded only by the TLBIs that remove its own entry (tlbi_coh_of).
 */
static void observed(const struct walk_ctx *w, const vmsa_walk_read_t *r,
		     const struct slot *s, const struct hist *h,
		     uint64_t *obs, uint64_t *obs_early,
		     uint64_t *uc, struct tlbi_bound *tb)
{
	int cpu = (int)w->c->id;
	uint64_t floor = order_walk_floor(w->m, cpu), t;
	vmsa_tlb_tag_t tag = slot_tag(w->m, s, h->v[h->n - 1].value);

	/* The completed TLBIs that match tag (below) are read. */
	fp_tlbis_entry(w->m, &tag, h->v[h->n - 1].value);
	/* A value that gives a TLBUncacheable fault: none a write at or
	 * before the walk's place in memory's order overwrote
	 * (TLBUncacheable-coherence-before; herd's D15347-SB-DSB+DSB-ISB).
	 * An early walk's (early_cand) too is ordered after the access's
	 * address (B2.3.7, Address dependency to an Implicit TTD Memory
	 * Read Effect): such a value is never cached (RXCLRD), so the walk
	 * that read it is this access's own, done once its address was
	 * known, not one done before the read that address depends on
	 * (herd's TLBuncacheable-ca; tests/litmus/data MP.pte+dsb+addr
	 * Never, MP.pte+dsb+po Sometimes). A TLB-cacheable value (a
	 * Permission fault) may come from an earlier walk of the same VA,
	 * in no order with the address: *obs_early ignores it. */
	*uc = order_newest_step(w->m, r->pa, order_ttd_floor(w->m, cpu, false));

	/* Values: only what orders the TTD read itself (an address
	 * dependency, an IFB, with ETS2 a DSB) bounds how old a value it
	 * may read; a DMB or an acquire orders the access and its fault
	 * but not its walk (B2.3.7: Barrier-ordered-before ends at
	 * Explicit and MMU Fault Effects; herd's NT-10-dsb+dmbld-isb). */
	*obs = order_obs_step(w->m, cpu, r->pa,
			      order_walk_obs_floor(w->m, cpu, &tag));
	*obs_early = order_obs_step(w->m, cpu, r->pa,
				    order_cse_floor(w->m, cpu));
	/* After a completed TLBI, no value a write the TLBI is ordered
	 * after overwrote (TLBI-coherence-before; herd's TA1). */
	t = order_tlbi_coh_step(w->m, cpu, r->pa, floor, &tag,
				w->c->last_cse);
	if (t > *obs)
		*obs = t;
	if (t > *obs_early)
		*obs_early = t;
	/* Only values that fault are offered early: what their walk and
	 * their fault are ordered after (early_tlbi_since). */
	tb->walk = floor;
	tb->fault = order_fault_floor(w->m, cpu);
	tb->tag = tag;
}

/*
 * Feature relaxed: may value v be in the TLB after the CPU observed a
 * newer one? A value that translates, or gives a Permission fault, is
 * TLB-cacheable (B2.3.1: only Translation, Access flag and Address size
 * faults are TLBUncacheable), and a walk of it is in no ordering with
 * the write that overwrote it but through a completed TLBI that covers
 * the entry and is ordered after that write (B2.3.7 TLBI-coherence-
 * after, herd's TLBI-ca; a walk's TTD read is not ordered after earlier
 * explicit reads by a DSB without ETS2, and its entry may have been
 * cached before them). So what the CPU observed bounds it only through
 * such a TLBI, whose view is fixed at its issue: a walk done between the
 * TLBI and the CPU's read of the new value may refill the TLB with the
 * old entry (herd's V2I-R-DSB.ST-TLBI-DSB.ISH-ISB-R+W Allowed, DSB ST
 * orders no load before the TLBI; coRRExpNExp+DSB.LD-TLBI-DSB-ISB
 * Forbidden).
 */
static bool tlb_refill(const vmsa_walk_read_t *r, const struct slot *s,
		       uint64_t v)
{
	return vmsa_desc_kind(v, s->level, s->granule) != VMSA_DESC_INVALID &&
	       !tlb_uncacheable(vmsa_walk_read_fault(r, v));
}

/*
 * Feature relaxed: the step of the newest write to r's word that a
 * completed TLBI removing the entry v would give, and that the walk is
 * after, is ordered after (0: none): the walk reads no value that write
 * overwrote (TLBI-coherence-after). The entry's tag is v's own: a
 * last-level TLBI removes a leaf, a TLBI by ASID a global entry, whatever
 * the word holds now (an invalid descriptor, after a break, gives a tag
 * that neither matches). every_other: count every completed TLBI of
 * another CPU (order_tlbi_ca_step), else those the walk is ordered after
 * (order_tlbi_coh_step).
 */
static uint64_t tlbi_coh_of(struct walk_ctx *w, const vmsa_walk_read_t *r,
			    const struct slot *s, uint64_t v,
			    bool every_other)
{
	int cpu = (int)w->c->id;
	vmsa_tlb_tag_t tag;

	if (!w->m->ord.tlbis.n && !w->m->ord.ltlbis.n)
		return 0;
	tag = slot_tag(w->m, s, v);
	/* The completed TLBIs that match tag are read. */
	fp_tlbis_entry(w->m, &tag, v);
	if (every_other)
		return order_tlbi_ca_step(w->m, cpu, r->pa, &tag,
					  w->c->last_cse);
	return order_tlbi_coh_step(w->m, cpu, r->pa,
				   order_walk_floor(w->m, cpu), &tag,
				   w->c->last_cse);
}

static bool stale_after_fresh(struct walk_ctx *w, const vmsa_walk_read_t *r,
			      const struct slot *s, const struct hist *h,
			      unsigned i);

/*
 * Feature relaxed: TLB-cacheable values older than the newest one
 * visible to walks. A walk's read of such a value is in no ordering
 * with the write that overwrote it but through a completed TLBI that
 * removes the entry and is ordered after that write (B2.3.7: of
 * TTD-observed-by only TLBI-coherence-after reaches it; herd's TLBI-ca),
 * so the writer's DSB, which publishes the overwrite in the model's
 * steps (rule 4, RSPVBD), does not keep it from the walk by itself: the
 * TLB could hold it. Where the CPU's TLB still holds it, a held entry
 * gives it too; after a TLBI that removed it, only memory can (herd's
 * Artem3+HDx-TLBIy+dsb.st+dmb.ld with P0's first DSB weakened to a DMB:
 * P0's read of P1's dirty-state update orders nothing before its TLBI,
 * tests/litmus/tlbi/Artem3+dmb.ishst). A TLBI ordered after the
 * overwrite bounds it (order_tlbi_ca_step), the walking CPU's own local
 * ones included (V2I-W-DSB.ST-TLBI-DSB.ISH-ISB-R Forbidden). Offered
 * last, after memory's and the held entries' candidates and their
 * conflict checks (a value one of those gives keeps its option), so that
 * every option offered before is offered as before: only values no other
 * option gives are added, which the TLB conflict and break-before-make
 * checks above do not compare (they stand for an entry cached before the
 * overwrite, as a held entry does); and none that a held stage-1 leaf
 * the TLB-entry choice offered gives (the held-entry rule).
 */
static bool held_rule_applies(const struct walk_ctx *w,
			      const vmsa_walk_read_t *r);
static bool held_gives(const struct walk_ctx *w, const struct slot *s,
		       uint64_t pa, uint64_t v);
static bool no_hw_update(const struct walk_ctx *w, uint64_t v);

/* In the walk of an access retried after its fault was handled: was
 * value i of h overwritten, the overwrite visible to walks, before the
 * CPU's last context synchronisation event, the handler's exception
 * return? A retry that faults through such a value is one a write that
 * completes in finite time (B2.10.1) cannot repeat for ever: the
 * execution is dropped (stale_retry_fault, access.c), as tlbu_window()
 * keeps such faulting values from the retry outright. */
static bool retry_too_old(const struct walk_ctx *w, const struct hist *h,
			  unsigned i)
{
	return w->retry && i + 1 < h->n && h->v[i + 1].vis_step <= w->window;
}

static void unpublished_cands(struct walk_ctx *w, const vmsa_walk_read_t *r,
			      const struct slot *s)
{
	const struct hist *h = hist_find(&w->m->hist, r->pa);

	if (!h)
		return;
	for (unsigned i = hist_visible(h); i-- > 0;) {
		uint64_t v = h->v[i].value;

		if (!tlb_refill(r, s, v) ||
		    h->v[i].write_step < tlbi_coh_of(w, r, s, v, true) ||
		    stale_after_fresh(w, r, s, h, i))
			continue;
		/* The TLB-entry choice's option for a held entry of this
		 * translation with v gives it with less order (the
		 * held-entry rule, drop_held_values). */
		if (held_rule_applies(w, r) && held_gives(w, s, r->pa, v) &&
		    no_hw_update(w, v))
			continue;
		if (!ets2_may_exclude(w, h, i) ||
		    !ets2_excludes(w, h, i, vmsa_walk_read_fault(r, v)))
			add_cand_old(w, v, h->v[i + 1].write_step,
				     retry_too_old(w, h, i));
	}
}

static bool fresh_since(const struct cpu *c, uint64_t va, vmsa_granule_t g,
			uint64_t ts);

/*
 * Feature relaxed: is value i of history h (read by r at slot s) a
 * stage-1 leaf overwritten by a write that a completed TLBI of another
 * CPU removing its entry is ordered after, while an earlier access of the
 * CPU with the same low-order address bits translated after that TLBI
 * (fresh_since)? A walk that reads it now is TLBI-before the TLBI
 * (TLBI-coherence-after keeps a walk after it from the value), which
 * that earlier translation rules out as it does for a retired entry
 * (herd's coRR-pte15, coRR-pte9-ob Forbidden: P0's second read of x
 * after its first used the new mapping).
 */
static bool stale_after_fresh(struct walk_ctx *w, const vmsa_walk_read_t *r,
			      const struct slot *s, const struct hist *h,
			      unsigned i)
{
	vmsa_tlb_tag_t tag;
	uint64_t ts;

	if (!w->m->f.relaxed || i + 1 >= h->n || !w->c->fresh.n ||
	    s->stage != VMSA_STAGE1)
		return false;
	tag = slot_tag(w->m, s, h->v[i].value);
	if (!tag.leaf)
		return false;
	fp_tlbis_entry(w->m, &tag, h->v[i].value);
	ts = order_tlbi_removed_ts(w->m, (int)w->c->id, r->pa & ~7ull, &tag,
				   h->v[i + 1].write_step);
	return ts && fresh_since(w->c, r->va, s->granule, ts);
}

/* Memory's candidates: now, then older values still visible to walks,
 * then (spurious faults) older invalid values inside the window. */
static void memory_cands(struct walk_ctx *w, const vmsa_walk_read_t *r,
			 const struct slot *s)
{
	const struct hist *h = hist_find(&w->m->hist, r->pa);
	uint64_t end = HIST_PENDING, obs = 0, obs_early = 0;
	uint64_t lower, uc = 0;
	struct tlbi_bound tb = {0};
	unsigned vis;

	if (!h) {
		add_cand(w, mem_read(&w->m->mem, r->pa, 8), NULL);
		return;
	}
	if (w->m->f.relaxed)
		observed(w, r, s, h, &obs, &obs_early, &uc,
			 &tb);
	/* h->v[h->n - 1] is what memory holds now. */
	vis = hist_visible(h);
	for (unsigned i = h->n; i-- > vis;) {
		/* Older than what the CPU observed: a TLB-cacheable value
		 * only through a TLBI that removes its own entry. */
		if (i + 1 < h->n &&
		    (tlb_refill(r, s, h->v[i].value) ?
		     h->v[i].write_step < tlbi_coh_of(w, r, s, h->v[i].value,
						       false) :
		     h->v[i].write_step < obs))
			continue;
		if (i + 1 < h->n && h->v[i].write_step < uc &&
		    tlb_uncacheable(vmsa_walk_read_fault(r, h->v[i].value)))
			continue;
		if (stale_after_fresh(w, r, s, h, i))
			continue;
		if (!ets2_may_exclude(w, h, i) ||
		    !ets2_excludes(w, h, i,
				   vmsa_walk_read_fault(r, h->v[i].value)))
			add_cand_old(w, h->v[i].value,
				     i + 1 < h->n ? h->v[i + 1].write_step : 0,
				     false);
		if (h->v[i].vis_step < end)
			end = h->v[i].vis_step;
	}
	/* Histories keep every value: `end`, the earliest time a newer
	 * value became visible, is kept as the walk goes back, so that a
	 * long history costs one pass (hist_current_since would be one pass
	 * per value). Every window starts at or after `lower` (the earlier
	 * of the two fault windows), so a value not current since then is
	 * skipped before its fault kind is computed, and once `end` is at
	 * or before it no older value can be offered. */
	lower = tlbu_window(w) < w->perm_window ? tlbu_window(w) :
						   w->perm_window;
	if (w->path_floor > lower)
		lower = w->path_floor;

	for (unsigned i = vis; i-- > 0;) {
		if (end != HIST_PENDING && end <= lower)
			break;
		if (hist_current_between(h->v[i].vis_step, end, lower) &&
		    h->v[i].write_step >= obs_early)
			early_cand(w, r, s, h, i, end, uc, &tb);
		if (h->v[i].vis_step < end)
			end = h->v[i].vis_step;
	}
}

static bool is_leaf(uint64_t d, int level, vmsa_granule_t g)
{
	vmsa_desc_kind_t k = vmsa_desc_kind(d, level, g);

	return k == VMSA_DESC_BLOCK || k == VMSA_DESC_PAGE;
}

/* A leaf with AF = 0 gives an Access flag fault, or with hardware AF
 * management is used only once the hardware has set AF in memory: like
 * any faulting entry it is never cached (RXCLRD), nor is one the
 * hardware did not update (IRGQLZ). */
static bool af_fault(uint64_t d, int level, vmsa_granule_t g)
{
	return is_leaf(d, level, g) && !(d & VMSA_D_AF);
}

/* Would a TLB holding all these valid values hold entries of different
 * sizes for one address: a table and a block, or leaves with a different
 * Contiguous bit (RNGLXZ)? */
static bool sizes_differ(const struct cand *cand, unsigned n, int level,
			 vmsa_granule_t g)
{
	int kind = -1;
	int contig = -1;

	for (unsigned i = 0; i < n; i++) {
		vmsa_desc_kind_t k = vmsa_desc_kind(cand[i].desc, level, g);
		int c = !!(cand[i].desc & VMSA_D_CONT);

		if (k != VMSA_DESC_TABLE && !is_leaf(cand[i].desc, level, g))
			continue;
		if (kind >= 0 && kind != (k == VMSA_DESC_TABLE))
			return true;
		if (k != VMSA_DESC_TABLE && contig >= 0 && contig != c)
			return true;
		kind = k == VMSA_DESC_TABLE;
		if (k != VMSA_DESC_TABLE)
			contig = c;
	}
	return false;
}

static void note_fill(struct walk_ctx *w, const struct slot *s, uint64_t d,
		      uint64_t loc, bool s12)
{
	if (w->refill &&
	    fill_vec_push(&w->xs->fill, (struct fill){*s, d, loc, s12}))
		w->oom = true;
}

/*
 * The reads of one walk are ordered: each one's address comes from the
 * value the previous one returned. A walk done early (spurious faults) was
 * done at some time at or after the window start at which every value it
 * used so far could be read, so a later read of it cannot return a value
 * that was overwritten before the earliest store of those values. Without
 * this, a table filled, published with a DSB and only then linked would
 * offer its entries' pre-fill invalid values to walks through the link.
 * Only memory's values count: a held entry may have been cached earlier.
 */
static void note_path(struct walk_ctx *w, uint64_t pa, uint64_t v)
{
	const struct hist *h = hist_find(&w->m->hist, pa);
	uint64_t start = HIST_PENDING;

	if (!h)
		return;
	/* A value that leads on is valid, and memory offers valid values
	 * only from the newest visible one on (memory_cands): older copies
	 * of the same value were not what the walk read. */
	for (unsigned i = hist_visible(h); i < h->n; i++)
		if (h->v[i].value == v && h->v[i].write_step < start)
			start = h->v[i].write_step;
	if (start != HIST_PENDING && start > w->path_floor)
		w->path_floor = start;
}

/*
 * Feature relaxed: a walk read is ordered before its access (herd's
 * tr-ib), so what the access is ordered before is ordered after the
 * descriptor write the walk read (another CPU's: reading its own write
 * orders nothing, as forwarding does not). The CPU's vrOld takes that
 * write's place: with ETS2 a later faulting walk cannot read a value it
 * replaced (coRR-pte8-dsb-isb: Forbidden). The oldest write of the value
 * stands for it (the weakest order).
 */
static void note_walk_read(struct walk_ctx *w, uint64_t pa, uint64_t v)
{
	const struct hist *h = hist_find(&w->m->hist, pa);

	if (!h)
		return;
	for (unsigned i = 0; i < h->n; i++)
		if (h->v[i].value == v) {
			order_walk_seen(w->m, (int)w->c->id, pa,
					h->v[i].write_step);
			return;
		}
}

/*
 * What a walk read of the visibility of its words (footprint.h,
 * FP_SUB_VIS), outside relaxed (there the word stands for it): the
 * version of each word with a history, when only memory's newest values
 * were used and nothing depended on older ones being offered (`any`
 * false); else the visibility itself. `remembered`: for a remembered
 * translation, made only where nothing could be chosen, so where every
 * word's newest value was visible; checked all the same (a word whose
 * newest value is not visible would have offered an older one).
 */
static void fp_walk_vis(vmsa_machine_t *m, const vmsa_walk_t *wk, bool any,
			bool remembered)
{
	if (!m->fp || m->f.relaxed)
		return;
	for (unsigned i = 0; i < wk->n_reads; i++) {
		uint64_t pa = wk->reads[i].pa;
		const struct hist *h = hist_find(&m->hist, pa);

		if (!h)
			continue;
		if (any || (remembered && hist_visible(h) != h->n - 1))
			fp_vis(m, pa, false);
		else
			fp_vis_version(m, pa, h->pubs, false);
	}
}

/* Note an entry the CPU's TLB may hold for a lookup that could hit
 * entries of different sizes, for the TLB conflict abort's report
 * (m->conflict; each entry once). */
static void note_conflict(struct walk_ctx *w, const vmsa_tlb_tag_t *tag,
			  uint64_t desc, uint64_t loc)
{
	struct ventry_vec *v = &w->m->conflict;
	vmsa_violation_entry_t e = {
		.cpu = (int)w->c->id, .tag = *tag, .desc = desc, .loc = loc,
	};

	for (unsigned i = 0; i < v->n; i++)
		if (v->p[i].desc == desc && v->p[i].loc == loc &&
		    v->p[i].tag.level == tag->level)
			return;
	if (ventry_vec_push(v, e))
		violation(w->m, (int)w->c->id, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for the entries of a TLB "
			  "conflict");
}

/* The valid candidates of one lookup whose sizes differ: memory's values
 * (tagged as the slot they are read for) and the held entries. */
static void note_conflicts(struct walk_ctx *w, const vmsa_walk_read_t *r,
			   const struct slot *s, const struct cand *cand,
			   unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t d = cand[i].desc;
		const struct held *src = cand[i].src;
		vmsa_desc_kind_t k = vmsa_desc_kind(d, s->level, s->granule);
		vmsa_tlb_tag_t tag;

		if (k != VMSA_DESC_TABLE && !is_leaf(d, s->level, s->granule))
			continue;
		if (src) {
			note_conflict(w, &src->tag, src->desc, src->loc);
			continue;
		}
		tag = slot_tag(w->m, s, d);
		note_conflict(w, &tag, d, r->pa);
	}
}

/*
 * After a break-before-make failure the model continued from
 * (vmsa_set_bbm_continue), may the TLB hold two entries for this lookup
 * that differ in a way that needed the break (vmsa_bbm_check())? One of
 * them is held (memory's newest value and a held entry, or two held
 * entries): "it is possible that TLBs concurrently hold multiple
 * different copies of those translation table entries", and a lookup
 * that matches several may take a TLB conflict abort (D8.17.1). The
 * pair is noted for the conflict's report.
 */
static bool bbm_pair(struct walk_ctx *w, const vmsa_walk_read_t *r,
		     const struct slot *s, const struct cand *a,
		     const struct cand *b)
{
	vmsa_bbm_features_t f = {w->m->f.bbm_level, w->m->f.bbm_may_abort};
	vmsa_bbm_entry_t oe = {a->desc, s->level, s->ia};
	vmsa_bbm_entry_t ne = {b->desc, s->level, s->ia};
	vmsa_bbm_result_t res;

	if (a->src) {
		oe.level = a->src->tag.level;
		oe.ia = a->src->tag.ia;
	}
	if (b->src) {
		ne.level = b->src->tag.level;
		ne.ia = b->src->tag.ia;
	}
	res = vmsa_bbm_check(&oe, &ne, r->stage, s->granule, &f, 0);
	if (!vmsa_bbm_needs_break(&res))
		return false;
	note_conflicts(w, r, s, a, 1);
	note_conflicts(w, r, s, b, 1);
	return true;
}

static void bbm_conflicts(struct walk_ctx *w, const vmsa_walk_read_t *r,
			  const struct slot *s, unsigned n_mem)
{
	const struct cand_vec *cv = &w->xs->cand;

	if (!w->m->warned)
		return;
	for (unsigned i = n_mem; i < cv->n; i++) {
		if (bbm_pair(w, r, s, &cv->p[i], &cv->p[0]))
			w->bbm_conflict = true;
		for (unsigned j = n_mem; j < i; j++)
			if (bbm_pair(w, r, s, &cv->p[j], &cv->p[i]))
				w->bbm_conflict = true;
	}
	if (w->bbm_conflict && !w->multi_size)
		w->conflict_stage = r->stage;
}

/*
 * What a read's outcome owes to older values being offered (footprint.h,
 * FP_SUB_VIS): the value used when it came from memory (from_mem), the
 * first one offered (bbm_conflicts() compares held entries with it),
 * and sizes that differ with older values offered (sizes_older) when a
 * TLB conflict abort can come of it.
 */
static bool owes_older(const struct walk_ctx *w, uint64_t pa, uint64_t used,
		       uint64_t first, bool from_mem, bool sizes_older)
{
	uint64_t newest = mem_now(w->m, pa);

	return (from_mem && used != newest) || first != newest ||
	       (sizes_older && multi_size_may_abort(w->m));
}

/*
 * Does a stage-1 leaf entry of the CPU's held set that the TLB-entry
 * choice of this translation offered hold value v read from slot s at
 * pa? Not a retiring one: the completion of the TLBI in progress removes
 * that entry, while the walk's fill would go to the held set, which that
 * completion leaves alone, so the two would not leave the same TLB.
 */
static bool held_gives(const struct walk_ctx *w, const struct slot *s,
		       uint64_t pa, uint64_t v)
{
	for (unsigned j = 0; j < w->n_held_set_hits; j++) {
		const struct held *h = w->xs->hits.p[j];

		if (h->loc == pa && h->desc == v && h->tag.level == s->level)
			return true;
	}
	return false;
}

/*
 * The held-entry rule (docs/model.md, "A walk's older value a held entry
 * gives"). A walk that would read an older value of its leaf's word, one
 * that a held entry of the same translation holds (held_gives()), gives
 * the translation the TLB-entry choice's option for that entry gives
 * (the same leaf at the same level: the same output address,
 * permissions and attributes; a held leaf has AF = 1, RXCLRD) and the
 * same TLB after it (the entry it would cache is that one, which
 * held_add() keeps once); what the walk read before the leaf, the walk
 * reading memory's newest value (always kept) read too. Outside relaxed
 * nothing else differs. Under relaxed the walk only adds order: its
 * reads order the CPU's later hardware updates and DSB-ordered accesses
 * after the writes they read (order_walk_read's hu), keep later stores
 * of the word after the walk's place, and order the access after them
 * (order_walk_view); the held entry was cached by a walk the model
 * places earlier. So every continuation of the walk's option is one of
 * the held entry's, and the older values held entries give are left
 * out of the walk's candidates. Only where nothing else differs: the
 * walk's reads so far took memory's newest values and cached nothing
 * (no fill, no held table, nothing stale), it is a stage-1 walk with
 * stage 2 off, and the context has no hardware Access flag or dirty
 * state update (whose atomic read-modify-write of the descriptor a held
 * entry does differently: held_update()). Early walks' values stay.
 */
static bool held_rule_applies(const struct walk_ctx *w,
			      const vmsa_walk_read_t *r)
{
	return w->m->held_prune && w->n_held_set_hits &&
	       r->stage == VMSA_STAGE1 && !w->cfg->s2.enabled &&
	       !w->xs->fill.n && !w->held_path && !w->used_stale &&
	       !w->n_forced;
}

/*
 * Would a walk that reads leaf value v make no hardware update for this
 * access: no Access flag or dirty state management, or AF already set
 * (RXCLRD: every held leaf has it) and no dirty state update (not a
 * write, or v writable or not DBM; RXZFQH)? Then the walk and a held
 * entry with v translate alike (held_update() only acts on a
 * writable-clean leaf under a write), and the held-entry rule holds
 * with the management on.
 */
static bool no_hw_update(const struct walk_ctx *w, uint64_t v)
{
	uint64_t ap2 = 2ull << VMSA_D_AP_SHIFT;

	if (!w->cfg->s1.ha && !w->cfg->s1.hd)
		return true;
	if (!(v & VMSA_D_AF))
		return false;
	return !(w->acc_write && w->cfg->s1.hd && (v & VMSA_D_DBM) &&
		 (v & ap2));
}

static void drop_held_values(struct walk_ctx *w, const vmsa_walk_read_t *r,
			     const struct slot *s)
{
	struct cand_vec *cv = &w->xs->cand;
	unsigned k = 1;

	if (cv->n < 2 || !held_rule_applies(w, r))
		return;
	for (unsigned i = 1; i < cv->n; i++)
		if (cv->p[i].early || cv->p[i].src ||
		    !held_gives(w, s, r->pa, cv->p[i].desc) ||
		    !no_hw_update(w, cv->p[i].desc))
			cv->p[k++] = cv->p[i];
	cv->n = k;
}

/*
 * The read after an older table value an early walk read
 * (early_table_cand): only the values that make the walk fault are kept,
 * which early_table_faults() made sure of when it offered the table
 * (with the walk's table attributes, the older table's included); with
 * perm_only (the table is too old for a TLBUncacheable fault) only those
 * that give a Permission fault. None left would be
 * this model's error, reported as such rather than a translation no
 * early walk could give. False then (the read is over).
 */
static bool early_path_faults(struct walk_ctx *w, const vmsa_walk_read_t *r,
			      const struct slot *s, bool perm_only)
{
	struct cand_vec *cv = &w->xs->cand;
	unsigned k = 0;

	for (unsigned i = 0; i < cv->n; i++) {
		vmsa_fault_kind_t fk = early_fault(r, cv->p[i].desc, s);

		if (!cv->p[i].src && fk != VMSA_FAULT_NONE &&
		    (!perm_only || fk == VMSA_FAULT_PERMISSION))
			cv->p[k++] = cv->p[i];
	}
	cv->n = k;
	if (k || w->oom)
		return true;
	violation(w->m, (int)w->c->id, VMSA_V_MODEL_LIMIT, NULL,
		  "model error: an early walk through an older table found "
		  "no value that faults at level %d (PA 0x%" PRIx64 ")",
		  s->level, r->pa);
	return false;
}

static int read_cb(void *arg, const vmsa_walk_read_t *r, uint64_t *value)
{
	struct walk_ctx *w = arg;
	struct slot s = read_slot(w, r);
	vmsa_tlb_tag_t want;
	struct cand_vec *cv = &w->xs->cand;
	const struct held *src;
	uint64_t now;
	unsigned n_mem, pick;
	bool differ;
	/* The read before used an older table value an early walk read
	 * (early_cand): this one may only fault. */
	bool early_path = w->early_path;
	bool early_perm_only = w->early_perm_only;
	/* The lookup of the final IPA, where combined stage 1+2 entries
	 * hit; with stage 1 off too (VA = IPA): D8.17.6.1 requires the
	 * stage-1 invalidation "even if stage 1 translation is disabled". */
	bool final_s2 = r->stage == VMSA_STAGE2 && !r->s1ptw;
	struct held_set *sets[2] = {&w->c->held, &w->c->retiring};

	/* The walk's reads: the descriptor's word and its history (stores
	 * and the DSBs that publish them write it), the table structure at
	 * its page (the part of the page it walked; the walk reads no other
	 * context nor the list of contexts: docs/explorer.md, "Table
	 * structure by page"), the entries of its TLB that may hit r->ia
	 * (held_hits(), s12_hits(): an entry's own range holds it). */
	fp_word(w->m, r->pa, false);
	/* memory_cands() compares the word's history with the window. */
	if (!w->m->f.relaxed)
		fp_window_word(w->m, w->c->id, r->pa);
	fp_tlb_lookup(w->m, w->c->id, r->ia, 1, false);
	fp_struct_page(w->m, r->pa, false);
	fp_page_state(w->m, r->pa, false);
	if (!mem_contains(&w->m->mem, r->pa, 8))
		return -EFAULT; /* External abort on the walk */
	if (mem_page_exposed(&w->m->mem, r->pa))
		w->exposed = true;
	if (mem_page_free(&w->m->mem, r->pa) && !w->freed) {
		w->freed = true;
		w->freed_pa = r->pa;
	}
	cv->n = 0;
	if (w->n_forced && is_forced(w, r->pa)) {
		/* The atomic update of this descriptor read memory's value
		 * and failed: the walk that starts again reads it (the
		 * read of an atomic read-modify-write and the walk's read are
		 * one coherence-ordered location; herd's `atomic` axiom has
		 * no write between a hardware update and the read it
		 * modifies). */
		add_cand(w, mem_now(w->m, r->pa), NULL);
		*value = cv->p[0].desc;
		if (w->m->f.relaxed)
			order_walk_read(w->m, (int)w->c->id, r->pa, *value);
		return 0;
	}
	if (early_path && r->s1ptw) {
		/* The stage-2 walk of an older stage-1 table's address:
		 * memory's newest values, as early_table_faults() found
		 * the table's PA with (table_pa). */
		*value = mem_now(w->m, r->pa);
		return 0;
	}
	w->early_path = false;
	w->early_perm_only = false;
	memory_cands(w, r, &s);
	drop_held_values(w, r, &s);
	if (early_path && !early_path_faults(w, r, &s, early_perm_only)) {
		*value = 0;
		return 0;
	}
	if (!cv->n) {
		/* Out of memory for the first value: w->oom stops the
		 * execution after the walk; read memory meanwhile. */
		*value = mem_read(&w->m->mem, r->pa, 8);
		return 0;
	}
	now = cv->p[0].desc;
	n_mem = cv->n;
	/* The lookup's tag, for the held entries (none: not needed). An
	 * early walk through an older table read memory, not the TLB. */
	if (!early_path && (sets[0]->n || sets[1]->n))
		slot_tag_into(&want, w->m, &s, 0);
	for (unsigned k = 0; k < 2 && !early_path; k++) {
		/* None of the kinds the tests below accept (tlb.h). */
		if (!sets[k]->n || !held_may_hit(sets[k], s.level, final_s2))
			continue;
		for (unsigned i = 0; i < sets[k]->n; i++) {
			const struct held *h = &sets[k]->p[i];

			/* Stage-1 leaves are TLB hits of their own. */
			if (h->tag.stage == VMSA_TLB_S1 && h->tag.leaf)
				continue;
			if (held_hits(h, &want, r->ia) ||
			    (final_s2 && s12_hits(h, &want, r->ia)))
				add_cand(w, h->desc, h);
		}
	}
	if (cv->n > n_mem)
		drop_shadowed_tables(w, &n_mem);
	differ = sizes_differ(cv->p, cv->n, s.level, s.granule);
	if (differ) {
		note_conflicts(w, r, &s, cv->p, cv->n);
		w->multi_size = true;
		w->conflict_stage = r->stage;
	}
	bbm_conflicts(w, r, &s, n_mem);
	if (w->m->f.relaxed)
		unpublished_cands(w, r, &s);
	pick = choose(w->m, cv->n, r->stage == VMSA_STAGE2 ?
				   "stage-2 descriptor value" :
				   "stage-1 descriptor value");
	*value = cv->p[pick].desc;
	src = cv->p[pick].src;
	if (pick != 0)
		w->used_stale = true;
	w->used_too_old |= cv->p[pick].too_old;
	/* Only a recorder outside relaxed reads it (fp_walk_vis()): not
	 * worked out on every walk of every search. */
	if (w->m->fp && !w->m->f.relaxed && !w->vis_any)
		w->vis_any = owes_older(w, r->pa, *value, now,
					pick < n_mem, n_mem > 1 && differ);
	if (src)
		check_old_table(w, r, &s, src->desc, src->since);
	else if (cv->p[pick].old_since)
		check_old_table(w, r, &s, *value, cv->p[pick].old_since);
	if (pick < n_mem)
		note_path(w, r->pa, *value);
	if (cv->p[pick].path) {
		/* An older table an early walk read at or after that step:
		 * its next read comes no earlier and must fault. */
		w->early_path = true;
		w->early_perm_only = cv->p[pick].perm_only;
		if (cv->p[pick].path > w->path_floor)
			w->path_floor = cv->p[pick].path;
	}
	if (w->m->f.relaxed && r->stage == VMSA_STAGE1) {
		w->s1_slot = s;
		w->s1_value = *value;
		w->s1_from_read = true;
		w->s1_tagged = true;
	}
	/* Read root to leaf: the last one is the leaf's. */
	if (w->m->f.relaxed && final_s2) {
		w->s2_slot = s;
		w->s2_value = *value;
		w->s2_from_read = !(src && src->any_va);
		w->s2_held = src && src->any_va ? src : NULL;
	}
	if (pick < n_mem && w->m->f.relaxed) {
		order_walk_read(w->m, (int)w->c->id, r->pa, *value);
		/* What ETS2 orders a faulting walk after (ets2_excludes). */
		if (w->m->f.ets2)
			note_walk_read(w, r->pa, *value);
	}
	/* What the TLB may now hold: values memory no longer has, and
	 * anything under a held table entry (reachable only through it).
	 * A hit on a combined stage 1+2 entry translates the VA to the PA
	 * in one go: it holds no IPA -> PA entry that a stage-2-only
	 * lookup could use, so it refills only a combined entry (else an
	 * IPAS2E1IS that already completed would be undone). */
	if (vmsa_desc_kind(*value, s.level, s.granule) != VMSA_DESC_INVALID &&
	    !af_fault(*value, s.level, s.granule) && !cv->p[pick].early &&
	    (*value != now || w->held_path) && !(src && src->any_va))
		note_fill(w, &s, *value, r->pa, false);
	if (final_s2 && (*value != now || w->held_path) &&
	    is_leaf(*value, s.level, s.granule) && !cv->p[pick].early &&
	    !af_fault(*value, s.level, s.granule))
		note_fill(w, &s, *value, r->pa, true);
	if (pick >= n_mem &&
	    vmsa_desc_kind(*value, s.level, s.granule) == VMSA_DESC_TABLE)
		w->held_path = true;
	return 0;
}

/* Did an earlier access of c with va's low-order address bits (the
 * bits below the translation granule g, which no translation changes:
 * the two may be to one location through aliases) translate without a
 * retired entry, reading a descriptor written after memory's place ts
 * or ordered after it (fresh_view)? Then a later one cannot use an
 * entry older than that translation: TLBI-ordered-before orders the
 * earlier TTD read before the TLBI issuer's later Effects when a later
 * access with the same low-order address bits uses a translation from
 * before the TLBI (B2.3.7; herd7's aarch64.cat, same-low-order-bits),
 * which the earlier read cannot be when it read what the issuer wrote
 * after the TLBI or is ordered after it: coRR-pte9 and
 * coRR+alias-2BBM-alias Forbidden; coRR-pte9-plus8, coRR+posw0w4+BBM
 * (an access 4 bytes on) and MP+shoot+po+VMALL (the earlier access's
 * descriptor unchanged: its read may come before the TLBI) Allowed. */
static bool fresh_since(const struct cpu *c, uint64_t va, vmsa_granule_t g,
			uint64_t ts)
{
	uint64_t low = (1ull << geom_granule_shift(g)) - 1;

	for (size_t i = 0; i + 1 < c->fresh.n; i += 2)
		if (!((c->fresh.p[i] ^ va) & low) && c->fresh.p[i + 1] >= ts)
			return true;
	return false;
}

/* What the TTD reads of translation wk are ordered after
 * (fresh_since): the newest descriptor writes they read and what
 * orders walks (the access's address, IFBs, with ETS2 DSBs). */
static uint64_t fresh_view(const vmsa_machine_t *m, int cpu,
			   const vmsa_walk_t *wk)
{
	uint64_t v = order_walk_view(m, cpu, wk);
	uint64_t f = order_ttd_floor(m, cpu, false);

	return v > f ? v : f;
}

/* The word of va's PA through retired leaf h: known without stage 2
 * (UINT64_MAX otherwise). */
static uint64_t retired_word(const struct walk_ctx *w, const struct held *h,
			     uint64_t va)
{
	if (w->cfg->s2.enabled)
		return UINT64_MAX;
	return (vmsa_desc_oa(h->desc, h->tag.level, h->tag.granule) +
		(va & (h->tag.size - 1))) & ~7ull;
}

/* A retired entry stands for a translation made before the TLBI that
 * removed it, which the access is not ordered after. In the walk of an
 * access retried after its fault was handled: was its value overwritten
 * before the handler's exception return (retry_too_old)? */
static bool retry_too_old_entry(const struct walk_ctx *w, const struct held *h)
{
	return w->retry && h->since <= w->window;
}

/* The CPU's retired stage-1 leaves (barrier.c, retire()) for va whose
 * TLBI the access is not ordered after (order_fault_floor: what its
 * address, barriers and acquires order it after), appended to
 * w->xs->hits: the translation may have been done before that TLBI
 * (TLBI-ordered-before does not apply; herd's coRR-pte9-plus8). It
 * then orders the access before everything after the TLBI's DSB: the
 * access must still fit before the TLBI in memory's order
 * (order_retired_ok; herd's G1, G2, miniMarc03 Forbidden). */
static void retired_leaves(struct walk_ctx *w, uint64_t va, unsigned tt)
{
	const struct held_set *rs = &w->c->retired;
	uint64_t floor;

	if (!rs->n)
		return;
	/* vCAP too for a store (a control dependency orders it: B2.3.7
	 * dob); with ETS3 the earlier explicit accesses, which order a
	 * walk that faults (ets-ob: a retired entry is a valid leaf with
	 * AF = 1, so only its Permission faults, which ETS2 does not
	 * order). */
	floor = order_fault_floor(w->m, (int)w->c->id);
	if (w->acc_write && w->m->ord.v[w->c->id].cap > floor)
		floor = w->m->ord.v[w->c->id].cap;
	if (w->m->f.ets3 && order_ets_floor(w->m, (int)w->c->id) > floor)
		floor = order_ets_floor(w->m, (int)w->c->id);
	for (unsigned i = 0; i < rs->n; i++) {
		const struct held *h = &rs->p[i];
		struct slot s = {
			.ctx = (unsigned)w->ctx, .stage = VMSA_STAGE1,
			.level = h->tag.level,
			.granule = w->cfg->s1.tt[tt].granule, .tt = tt,
			.ia = h->tag.ia,
		};
		vmsa_tlb_tag_t want;

		/* An entry memory still holds gives nothing a walk after
		 * the TLBI does not (a TLBI VMALLE1IS removes those too). */
		if (mem_read(&w->m->mem, h->loc, 8) == h->desc ||
		    h->tlbi_ts <= floor ||
		    fresh_since(w->c, va, s.granule, h->tlbi_ts) ||
		    (w->n_forced && is_forced(w, h->loc)))
			continue;
		/* An entry that cannot translate va first: what
		 * order_retired_ok() looks at (the TLBI issuer's later
		 * steps, the order of writes) is then no part of the step. */
		slot_tag_into(&want, w->m, &s, h->desc);
		if (!held_hits(h, &want, va) ||
		    !order_retired_ok(w->m, (int)w->c->id,
				      retired_word(w, h, va), w->acc_write,
				      h->tlbi_ts))
			continue;
		if (hit_vec_push(&w->xs->hits, h))
			w->oom = true;
	}
}

/*
 * The retired entry h, picked with n_hits entries held for the address:
 * is the translation one the retired-entry rule may drop (docs/model.md,
 * "An access through a retired entry it could precede")? Just before
 * the TLBI completion that retired h the CPU held h and, for this
 * address, nothing else (no entry held now, h.sole: that completion
 * removed no other stage-1 leaf from it, and its retired set is h
 * alone, so it was empty then); memory no longer held h's value then
 * (h.sole), so that completion orders its issuer after an access
 * translated by h just before it (xlat_before), as this one does
 * (order_retired_access). No hardware update of h, stage 1 only, no
 * continued break-before-make failure: the translation through the
 * held h is then the same as through the retired h.
 */
static bool retired_alone(const struct walk_ctx *w, const struct held *h,
			  unsigned n_hits)
{
	return h->sole && n_hits == 0 && w->c->retired.n == 1 &&
	       !w->held_upd && !w->cfg->s2.enabled && !w->m->warned;
}

/* Stage-1 leaves this CPU's TLB holds for va in the context, into
 * w->xs->hits. */
static void held_leaves(struct walk_ctx *w, uint64_t va)
{
	const vmsa_regime_cfg_t *cfg = w->cfg;
	struct held_set *sets[2] = {&w->c->held, &w->c->retiring};
	unsigned tt = vmsa_s1_tt_index(&cfg->s1, va);

	w->xs->hits.n = 0;
	w->n_held_hits = 0;
	w->n_held_set_hits = 0;
	if (!cfg->s1.enabled)
		return;
	for (unsigned k = 0; k < 2; k++) {
		/* The held set's hits first (sets[0]), then the retiring
		 * set's. */
		if (k == 1)
			w->n_held_set_hits = (unsigned)w->xs->hits.n;
		if (!sets[k]->kinds.s1_leaf)
			continue;	/* none to test below (tlb.h) */
		for (unsigned i = 0; i < sets[k]->n; i++) {
			const struct held *h = &sets[k]->p[i];
			struct slot s = {
				.ctx = (unsigned)w->ctx, .stage = VMSA_STAGE1,
				.level = h->tag.level,
				.granule = cfg->s1.tt[tt].granule, .tt = tt,
				.ia = h->tag.ia,
			};
			vmsa_tlb_tag_t want;

			if (h->tag.stage != VMSA_TLB_S1 || !h->tag.leaf ||
			    (w->n_forced && is_forced(w, h->loc)))
				continue;
			slot_tag_into(&want, w->m, &s, h->desc);
			if (held_hits(h, &want, va) &&
			    hit_vec_push(&w->xs->hits, h))
				w->oom = true;
		}
	}
	w->n_held_hits = (unsigned)w->xs->hits.n;
	retired_leaves(w, va, tt);
}

/* Record what the walk may have cached on this CPU (see read_cb). */
static void refill(struct walk_ctx *w)
{
	for (unsigned i = 0; i < w->xs->fill.n; i++) {
		const struct fill *f = &w->xs->fill.p[i];
		struct held h = {
			.tag = slot_tag(w->m, &f->s, f->desc),
			.desc = f->desc,
			.loc = f->loc,
			.since = w->m->step,
		};

		if (f->s12) {
			/* A combined entry from a stage-2 value: only a
			 * stage-1 invalidation removes it (D8.17.6.1). */
			h.tag.stage = VMSA_TLB_S12;
			h.any_va = true;
		}
		/* Other CPUs' stores read this TLB (break-before-make,
		 * holding old values) and their TLBIs change it. */
		fp_tlb_entry(w->m, w->c->id, &h.tag, h.desc, h.any_va, true);
		fp_held_next(w->m, &f->s, h.desc);
		if (held_add(&w->c->held, &h))
			violation(w->m, (int)w->c->id, VMSA_V_MODEL_LIMIT, NULL,
				  "model limit: out of memory for TLB entries");
	}
}

uint64_t oldest_window(const vmsa_machine_t *m)
{
	uint64_t w = UINT64_MAX;

	/* Under relaxed no value is dead: a walk may read a TLB-cacheable
	 * value however long ago it was overwritten (unpublished_cands). */
	if (m->f.relaxed)
		return 0;

	/* perm_window() <= spurious_window(): the earlier one. */
	for (unsigned c = 0; c < m->f.ncpus; c++) {
		uint64_t x = perm_window(m, &m->cpu[c]);

		if (x < w)
			w = x;
	}
	return w;
}

uint64_t spurious_window(const vmsa_machine_t *m, const struct cpu *c)
{
	uint64_t w = c->last_cse;

	/* With ETS2, an explicit access or a DSB earlier in program order is
	 * ordered before a walk that faults: the walk cannot have been done
	 * before them. */
	if (m->f.ets2) {
		/* With the feature relaxed an explicit access orders only
		 * what its views reach: ets2_excludes(). */
		if (c->last_explicit > w && !m->f.relaxed)
			w = c->last_explicit;
		if (c->last_dsb > w)
			w = c->last_dsb;
	}
	return w;
}

uint64_t perm_window(const vmsa_machine_t *m, const struct cpu *c)
{
	uint64_t w = c->last_cse;

	/* DSB-ordered-before covers every walk with ETS2 (B2.3); an
	 * earlier explicit access orders a walk that gives a Permission
	 * fault only with ETS3 (ETS-ordered-before). */
	if (m->f.ets2 && c->last_dsb > w)
		w = c->last_dsb;
	if (m->f.ets3 && c->last_explicit > w && !m->f.relaxed)
		w = c->last_explicit;
	return w;
}

/* The stage-1 leaf a translation used, as a conflict entry: the held
 * entry it came from, or the walk's own leaf tagged as its slot. */
static void note_leaf_conflict(struct walk_ctx *w, uint64_t va,
			       const struct held *from,
			       const vmsa_walk_leaf_t *l)
{
	const vmsa_regime_cfg_t *cfg = w->cfg;
	unsigned tt = vmsa_s1_tt_index(&cfg->s1, va);
	struct slot s = {
		.ctx = (unsigned)w->ctx, .stage = VMSA_STAGE1,
		.level = l->level, .granule = cfg->s1.tt[tt].granule,
		.tt = tt, .ia = l->ia,
	};
	vmsa_tlb_tag_t tag;

	if (from) {
		note_conflict(w, &from->tag, from->desc, from->loc);
		return;
	}
	tag = slot_tag(w->m, &s, l->desc);
	note_conflict(w, &tag, l->desc, l->desc_pa);
}

/* Does replacing stage-1 entry (d1, level l1, ia1) by (d2, l2, ia2) need
 * a break? */
static bool s1_needs_break(const vmsa_machine_t *m, vmsa_granule_t g,
			   uint64_t d1, int l1, uint64_t ia1, uint64_t d2,
			   int l2, uint64_t ia2)
{
	vmsa_bbm_features_t f = {m->f.bbm_level, m->f.bbm_may_abort};
	vmsa_bbm_entry_t oe = {d1, l1, ia1}, ne = {d2, l2, ia2};
	vmsa_bbm_result_t r = vmsa_bbm_check(&oe, &ne, VMSA_STAGE1, g, &f, 0);

	return vmsa_bbm_needs_break(&r);
}

/* The stage-1 leaves this CPU holds for va (hits) against the walk's
 * leaf l, the value memory now has where each was read (a TLB hit reads
 * no tables, but the new entry may be cached too) and each other, after
 * a break-before-make failure the model continued from: a pair that
 * needed the break makes a TLB conflict abort possible (D8.17.1). */
static void held_leaf_bbm(struct walk_ctx *w, uint64_t va,
			  const struct held **hits, unsigned n,
			  const vmsa_walk_leaf_t *l)
{
	const vmsa_regime_cfg_t *cfg = w->cfg;
	vmsa_granule_t g = cfg->s1.tt[vmsa_s1_tt_index(&cfg->s1, va)].granule;

	for (unsigned i = 0; i < n; i++) {
		const struct held *h = hits[i];
		bool found = false;

		if (l->present && h->desc != l->desc &&
		    s1_needs_break(w->m, g, h->desc, h->tag.level, h->tag.ia,
				   l->desc, l->level, l->ia)) {
			note_leaf_conflict(w, va, NULL, l);
			found = true;
		}
		if (mem_contains(&w->m->mem, h->loc, 8)) {
			uint64_t now = mem_read(&w->m->mem, h->loc, 8);
			vmsa_tlb_tag_t tag = h->tag;

			fp_word(w->m, h->loc, false);
			if (now != h->desc &&
			    s1_needs_break(w->m, g, h->desc, h->tag.level,
					   h->tag.ia, now, h->tag.level,
					   h->tag.ia)) {
				note_conflict(w, &tag, now, h->loc);
				found = true;
			}
		}
		for (unsigned j = 0; j < i; j++) {
			if (!s1_needs_break(w->m, g, hits[j]->desc,
					    hits[j]->tag.level, hits[j]->tag.ia,
					    h->desc, h->tag.level, h->tag.ia))
				continue;
			note_conflict(w, &hits[j]->tag, hits[j]->desc,
				      hits[j]->loc);
			found = true;
		}
		if (!found)
			continue;
		note_conflict(w, &h->tag, h->desc, h->loc);
		if (!w->multi_size && !w->bbm_conflict)
			w->conflict_stage = VMSA_STAGE1;
		w->bbm_conflict = true;
	}
}

/* The slot of the leaf a translation used at stage st. */
static struct slot leaf_slot(const struct walk_ctx *w, uint64_t va,
			     vmsa_stage_t st, const vmsa_walk_leaf_t *l)
{
	const vmsa_regime_cfg_t *cfg = w->cfg;
	unsigned tt = vmsa_s1_tt_index(&cfg->s1, va);

	return (struct slot){
		.ctx = (unsigned)w->ctx, .stage = st, .level = l->level,
		.granule = st == VMSA_STAGE2 ? cfg->s2.tt[0].granule :
					       cfg->s1.tt[tt].granule,
		.tt = st == VMSA_STAGE2 ? 0 : tt, .ia = l->ia,
	};
}

/* The n entries at t ORed together: whether any has the Contiguous
 * bit, in one pass the compiler vectorises (most groups have none). */
static uint64_t cont_any(const uint64_t *t, unsigned n)
{
	uint64_t any = 0;

	for (unsigned j = 0; j < n; j++)
		any |= t[j];
	return any;
}

/*
 * A lookup for the address of leaf l (stage st, without the Contiguous
 * bit) may also hit a Contiguous entry of another slot of its contiguous
 * range: such an entry may be cached as covering the whole range (D8.7.1,
 * Table D8-104), so with the bits misprogrammed a TLB holds overlapping
 * entries (RQTRPM) and the lookup may raise a TLB conflict abort
 * (RNGLXZ; RFCPSG at FEAT_BBM level 1, IHYQMB at level 2). The
 * neighbours are memory's current values (every valid entry of a cached
 * context may be in the TLB) and this CPU's held entries whose
 * contiguous range (vmsa_tlb_range) covers l. Notes each one, and l,
 * for the conflict report; true if there is one. Every translation asks:
 * the Contiguous bit is tested first, the rest only for entries with it.
 */
static bool contig_neighbours(struct walk_ctx *w, uint64_t va, vmsa_stage_t st,
			      const vmsa_walk_leaf_t *l)
{
	struct held_set *sets[2] = {&w->c->held, &w->c->retiring};
	struct slot s = leaf_slot(w, va, st, l);
	unsigned n = vmsa_contig_entries(s.granule, s.level);
	uint64_t pa0 = l->desc_pa & ~(8ull * n - 1);
	const uint64_t *t = NULL;
	bool found = false, have_want = false;
	vmsa_tlb_tag_t want;
	uint64_t size, ia;

	if (n < 2 || (l->desc & VMSA_D_CONT))
		return false;
	size = vmsa_level_size(s.granule, s.level);
	ia = st == VMSA_STAGE1 ? vmsa_va_canonical(l->ia) : l->ia;
	/* Only the neighbours' Contiguous bits matter (their values when
	 * set): stores that set or clear one write their group's part of
	 * FP_OBJ_CONT (fp_cont_store). */
	fp_cont_group(w->m, pa0, n);
	if (mem_contains(&w->m->mem, pa0, 8ull * n))
		t = mem_cptr(&w->m->mem, pa0);
	if (t && !(cont_any(t, n) & VMSA_D_CONT))
		t = NULL;	/* no neighbour has it: nothing to note */
	for (unsigned j = 0; t && j < n; j++) {
		struct slot ns;
		vmsa_tlb_tag_t tag;

		if (!(t[j] & VMSA_D_CONT) || pa0 + 8ull * j == l->desc_pa ||
		    !is_leaf(t[j], s.level, s.granule))
			continue;
		ns = s;
		ns.ia = (s.ia & ~(size * n - 1)) + size * j;
		tag = slot_tag(w->m, &ns, t[j]);
		note_conflict(w, &tag, t[j], pa0 + 8ull * j);
		found = true;
	}
	for (unsigned k = 0; k < 2; k++) {
		if (!sets[k]->kinds.cont)
			continue;	/* none to test below (tlb.h) */
		for (unsigned i = 0; i < sets[k]->n; i++) {
			const struct held *h = &sets[k]->p[i];
			uint64_t first, span, own;

			if (!(h->desc & VMSA_D_CONT) || h->any_va ||
			    !h->tag.leaf || h->tag.level != s.level ||
			    h->tag.granule != s.granule)
				continue;
			if (!have_want) {
				want = slot_tag(w->m, &s, l->desc);
				have_want = true;
			}
			if (!tag_same_context(&h->tag, &want))
				continue;
			own = st == VMSA_STAGE1 ? vmsa_va_canonical(h->tag.ia) :
						  h->tag.ia;
			vmsa_tlb_range(h->desc, s.level, own, s.granule,
				       &first, &span);
			/* l's own slot is compared where it is read. */
			if (ia - first >= span || ia - own < size)
				continue;
			note_conflict(w, &h->tag, h->desc, h->loc);
			found = true;
		}
	}
	if (found) {
		if (!have_want)
			want = slot_tag(w->m, &s, l->desc);
		note_conflict(w, &want, l->desc, l->desc_pa);
	}
	return found;
}

/* A short name for what an update changes, for its trace line. */
static const char *update_what(const vmsa_walk_update_t *u)
{
	bool af = (u->old ^ u->new_desc) & VMSA_D_AF;
	bool dirty = ((u->old ^ u->new_desc) & ~VMSA_D_AF) != 0;

	return af && dirty ? "AF, dirty" : af ? "AF" : "dirty";
}

/* The newest value of pa's history, new_desc, was written by the
 * hardware (ets2_excludes). */
static void mark_hw(vmsa_machine_t *m, uint64_t pa, uint64_t new_desc)
{
	struct hist *h = hist_find(&m->hist, pa);

	if (h && h->n && h->v[h->n - 1].value == new_desc)
		h->v[h->n - 1].hw = true;
}

/*
 * Feature relaxed: the update of a value memory no longer holds, made
 * right after it in memory's order (order_hw_insert_ts), as a choice
 * beside walking again (option 0). Atomic means no write of the word
 * between the walk's read and the update (RPLLLM; herd's `atomic`
 * axiom), not a read of the newest value: herd's coWWExp-TLBI-NExp is
 * Allowed. Memory keeps its newest value and walks their values: only
 * the message is new, and the access uses the updated descriptor. True
 * when made.
 */
static bool hw_update_old(vmsa_machine_t *m, unsigned cpu,
			  const struct walk_ctx *w,
			  const vmsa_walk_update_t *u)
{
	bool chosen = w->held_upd && u->pa == w->held_pa &&
		      u->old == w->held_old;
	bool aba = mem_now(m, u->pa) == u->old;
	uint64_t ts;

	/* aba: memory holds the value the walk read, but a write of the
	 * same value came after an older copy of it, which the walk may
	 * have read just as well (herd's S+dmb.st+ctrl-HUdb with DMB LD:
	 * the update goes before P0's rewrite). Option 0 updates the
	 * newest copy, as before. */
	if (!m->f.relaxed ||
	    !order_hw_insert_ts(m, (int)cpu, u->pa, u->old, &ts) ||
	    (!chosen && !choose(m, 2, aba ?
				"hardware update: after the newest copy of "
				"the value it read, or after an older one" :
				"hardware update: walk again, or update the "
				"overwritten value it read")))
		return false;
	trace(m, (int)cpu, "hw-update", "[0x%" PRIx64 "] 0x%016" PRIx64
	      " -> 0x%016" PRIx64 ": stage %d L%d %s%s, in memory's order "
	      "before its newer value 0x%016" PRIx64, u->pa, u->old,
	      u->new_desc, (int)u->stage, u->level, update_what(u),
	      u->s1ptw ? " (stage-1 walk)" : "", mem_now(m, u->pa));
	order_hw_insert(m, (int)cpu, u->pa, u->old, u->new_desc, ts);
	return true;
}

/*
 * Make the hardware updates a translation needs (FEAT_HAFDBS, D8.5):
 * each an atomic read-modify-write of the descriptor in memory (RLFTXR,
 * RPQJJR), done in the step of the access. It succeeds when memory still
 * holds the value the walk used, and is then a descriptor store of this
 * CPU (desc_store: break-before-make checked, old values held by the
 * CPUs that may cache them, visible to other walks at this CPU's next
 * DSB like its other stores, RMKHJS). Setting AF or clearing the dirty
 * state needs no break (RWHZWS lists neither). When memory holds another
 * value (a TLB's stale copy, RSGJBL, or an older value still visible to
 * walks), nothing is written from there on and *failed is its PA: the
 * walk starts again. Returns false then.
 */
static bool hw_update(vmsa_machine_t *m, unsigned cpu,
		      const struct walk_ctx *w, const vmsa_walk_t *wk,
		      uint64_t *failed)
{
	for (unsigned i = 0; i < wk->n_updates && !m->stopped; i++) {
		const vmsa_walk_update_t *u = &wk->updates[i];
		uint64_t cur = mem_now(m, u->pa);

		fp_word(m, u->pa, false);
		/* Whether an older value is still visible (footprint.h,
		 * FP_SUB_VIS). */
		if (!m->f.relaxed)
			fp_vis(m, u->pa, false);
		/* Promised earlier (promise.c): memory has it already. */
		if (m->f.relaxed &&
		    order_fulfil_hw(m, (int)cpu, u->pa, u->old, u->new_desc))
			continue;
		if (hw_update_old(m, cpu, w, u))
			continue;
		if (cur != u->old) {
			trace(m, (int)cpu, "hw-update", "[0x%" PRIx64 "] 0x%016"
			      PRIx64 " -> 0x%016" PRIx64 ": stage %d L%d %s "
			      "failed, memory holds 0x%016" PRIx64,
			      u->pa, u->old, u->new_desc, (int)u->stage,
			      u->level, update_what(u), cur);
			*failed = u->pa;
			return false;
		}
		trace(m, (int)cpu, "hw-update", "[0x%" PRIx64 "] 0x%016" PRIx64
		      " -> 0x%016" PRIx64 ": stage %d L%d %s%s", u->pa, u->old,
		      u->new_desc, (int)u->stage, u->level, update_what(u),
		      u->s1ptw ? " (stage-1 walk)" : "");
		desc_store(m, (int)cpu, u->pa, u->new_desc);
		mark_hw(m, u->pa, u->new_desc);
		/* With Arm ordering (feature relaxed) a message of memory,
		 * the newest one (an atomic update writes right after the
		 * value it read: herd's `atomic` axiom), that moves none of
		 * the CPU's views: only a DSB SY/ISH orders it before the
		 * CPU's later accesses (RPLLLM, RRZYCN; order_hw_write). */
		if (m->f.relaxed && !m->stopped)
			order_hw_write(m, (int)cpu, u->pa, cur, u->new_desc);
	}
	return true;
}

/*
 * Feature relaxed: a write through a held stage-1 leaf that is
 * writable-clean (RXZFQH) and no longer memory's value. Its dirty state
 * update is an atomic read-modify-write of the descriptor (RPQJJR), and
 * the read may be the one that filled the entry: no write of the word
 * between it and the update in coherence order (herd's `atomic` axiom;
 * RSGJBL's check against "the descriptor in memory" is that read), so
 * the update may go right after the held value in memory's order, and
 * the write uses the entry (herd's coWWExp-TLBI-NExp Allowed without
 * ETS2). A choice beside walking again (option 0, RSGJBL, IHQBGN), when
 * there is such a place (order_hw_insert_ts).
 */
static bool held_update(struct walk_ctx *w, const vmsa_access_t *acc,
			const struct held *h, bool hw)
{
	vmsa_machine_t *m = w->m;
	uint64_t ts, ap2 = 2ull << VMSA_D_AP_SHIFT;

	if (!m->f.relaxed || !hw || acc->kind != VMSA_ACC_WRITE ||
	    !w->cfg->s1.hd || !(h->desc & VMSA_D_DBM) || !(h->desc & ap2) ||
	    h->desc == mem_now(m, h->loc) || is_forced(w, h->loc) ||
	    !order_hw_insert_ts(m, (int)w->c->id, h->loc, h->desc, &ts) ||
	    !choose(m, 2, "hardware update: walk again, or update the "
		    "held entry's value"))
		return false;
	w->held_upd = true;
	w->held_pa = h->loc;
	w->held_old = h->desc;
	return true;
}

/* Walks of one translation: at most one more than the descriptors a walk
 * reads, as every restart reads one more from memory only. */
#define MAX_FORCED VMSA_WALK_MAX_READS

int translate(vmsa_machine_t *m, unsigned cpu, const vmsa_access_t *acc,
	      bool refill_tlb, struct xlat *x)
{
	return translate_hw(m, cpu, acc, refill_tlb, refill_tlb, x);
}

/*
 * Feature relaxed: the combined stage 1+2 entry an EL1&0 translation
 * under stage 2 used (x->s2_tag, S12, for every VA: a combined entry made
 * from its stage-2 leaf, or the combined entry it hit), whose removal
 * by another CPU's TLBI orders the access before everything after that
 * TLBI's DSB (B2.3.7 TLBI-ordered-before; order_xlat_access). Only the
 * TLBIs that remove every combined entry of the VMID cover it
 * (vmsa_tlbi_matches_any_va: VMALLE1, VMALLS12E1, ALLE1; IPAS2 need not,
 * RTVTYQ). Without it a host that write-protected a guest page (stage-2
 * store, IPAS2E1IS, VMALLE1IS, DSB) could read the page without the
 * guest's earlier write (kvm-bbml2/wrprotect-is with `relaxed`).
 */
static void s2_record(const struct walk_ctx *w, struct xlat *x)
{
	const vmsa_walk_leaf_t *l = &x->walk.leaf[1];

	x->s2_tagged = false;
	if (!w->m->f.relaxed || w->cfg->regime != VMSA_REGIME_EL10 ||
	    !w->cfg->s2.enabled || !l->present)
		return;
	if (w->s2_held) {
		x->s2_tag = w->s2_held->tag;
	} else if (w->s2_from_read) {
		slot_tag_into(&x->s2_tag, w->m, &w->s2_slot, w->s2_value);
		x->s2_tag.stage = VMSA_TLB_S12;
	} else {
		return;
	}
	x->s2_tagged = true;
	x->s2_desc_pa = l->desc_pa;
	x->s2_desc = l->desc;
}

int translate_hw(vmsa_machine_t *m, unsigned cpu, const vmsa_access_t *acc,
		 bool refill_tlb, bool hw, struct xlat *x)
{
	uint64_t forced[MAX_FORCED];
	unsigned n_forced = 0;
	struct cpu *c = &m->cpu[cpu];
	struct walk_ctx w;
	const struct held **hits;
	unsigned n_hits, pick;
	uint64_t choices = m->choices;
	uint64_t failed = 0;

again:
	m->conflict.n = 0;
	x->stale_retry = false;
	x->s2_tagged = false;
	/* Its held, retiring and retired entries, which other CPUs'
	 * stores and TLBIs change: those that may hit the address (the
	 * stage-1 leaves, retired_leaves(); the Contiguous ones of
	 * contig_neighbours() are large), and those each read hits
	 * (read_cb). A remembered translation stands for a walk whose
	 * reads all translate the address unless stage 2 is on. */
	fp_tlb_lookup(m, cpu, acc->addr, 1, false);
	/* Its window (spurious_window(), perm_window(), the remembered
	 * translation's key): the read that makes a context
	 * synchronisation event's window observed. Outside relaxed only
	 * memory_cands() compares it with anything, with the history of
	 * each word read: the part of each (fp_window_word(), in
	 * read_cb() and below for a remembered translation). Under relaxed
	 * the ordering model compares it too (order_tlbi_coh_step()'s
	 * last_cse): the whole window (fp_window_walk). */
	if (m->f.relaxed)
		fp_window_walk(m, cpu);
	if (m->fp && c->cur_ctx >= 0 &&
	    m->ctx.p[c->cur_ctx].cfg.s2.enabled)
		fp_tlb_whole(m, cpu, false);
	/* With the feature relaxed a walk's choices depend on the CPU's
	 * views too: no remembered translations. */
	if (!m->f.relaxed && xlat_cache_get(m, c, acc, x)) {
		/* What the walk it stands for reads (footprint.h): its
		 * words, the structure at their pages, its leaf's
		 * neighbours' Contiguous bits. */
		fp_walk_vis(m, &x->walk, false, true);
		for (unsigned i = 0; m->fp && i < x->walk.n_reads; i++) {
			fp_word(m, x->walk.reads[i].pa, false);
			fp_window_word(m, cpu, x->walk.reads[i].pa);
			fp_struct_page(m, x->walk.reads[i].pa, false);
			fp_page_state(m, x->walk.reads[i].pa, false);
			/* The leaf is one of the reads: every group size of
			 * each read's slot (a superset of its one group). */
			fp_cont_slot(m, x->walk.reads[i].pa, false);
		}
		return x->walk.fault.kind == VMSA_FAULT_NONE ? 0 : -1;
	}
	/* Set up after the fast path, which needs none of it. From a zero
	 * walk_ctx, then field by field: a struct initialiser clears it
	 * with rep stos, whose start-up cost perf put at a sixth of
	 * translate_hw()'s cycles. */
	w = zero_walk_ctx;
	w.m = m;
	w.c = c;
	w.ctx = c->cur_ctx;
	w.refill = refill_tlb;
	w.cfg = &m->ctx.p[c->cur_ctx].cfg;
	w.window = spurious_window(m, c);
	w.perm_window = perm_window(m, c);
	w.retry = c->xlat_retry;
	w.forced = forced;
	w.n_forced = n_forced;
	/* x->walk is zeroed by the walk, the rest set after it. */
	if (!m->xs && !(m->xs = calloc(1, sizeof(*m->xs)))) {
		memset(x, 0, sizeof(*x));
		violation(m, (int)cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for a translation");
		x->walk.fault.kind = VMSA_FAULT_TRANSLATION;
		return -1;
	}
	w.xs = m->xs;
	w.xs->fill.n = 0;
	w.acc_write = acc->kind == VMSA_ACC_WRITE;
	held_leaves(&w, acc->addr);
	hits = w.xs->hits.p;
	/* Retired entries (after n_held_hits) are a choice, not entries
	 * the TLB holds now: no multi-hit or break-before-make check. */
	pick = choose(m, (unsigned)w.xs->hits.n + 1, "stage-1 TLB entry");
	n_hits = w.n_held_hits;

	if (pick == 0) {
		vmsa_walk(w.cfg, read_cb, &w, acc, &x->walk);
	} else {
		const struct held *h = hits[pick - 1];
		vmsa_walk_leaf_t leaf = {
			.present = true, .level = h->tag.level,
			.size = h->tag.size, .desc = h->desc, .desc_pa = h->loc,
			.ia = h->tag.ia,
		};

		w.used_stale = true;
		if (held_update(&w, acc, h, hw))
			vmsa_walk_held_update(w.cfg, read_cb, &w, acc, &leaf,
					      &x->walk);
		else
			vmsa_walk_held(w.cfg, read_cb, &w, acc, &leaf,
				       &x->walk);
		w.s1_tag = h->tag;
		w.s1_tagged = true;
		w.s1_from_read = false;
		if (pick > n_hits) {
			w.retired_ts = h->tlbi_ts;
			w.retired_alone = retired_alone(&w, h, n_hits);
			w.used_too_old |= retry_too_old_entry(&w, h);
		}
	}
	fp_walk_vis(m, &x->walk, w.vis_any, false);
	/* A translation made without a retired entry while retired ones
	 * or completed TLBIs of other CPUs exist: its address and what its
	 * TTD reads are ordered after, the newest descriptor write they
	 * read and what orders them (addresses, IFBs; fresh_since,
	 * stale_after_fresh). */
	if ((c->retired.n || (m->f.relaxed && m->ord.tlbis.n)) &&
	    pick <= n_hits &&
	    (word_vec_push(&c->fresh, acc->addr) ||
	     word_vec_push(&c->fresh, fresh_view(m, (int)cpu, &x->walk))))
		w.oom = true;
	/* Held leaves of another size than the walk's (or each other's)
	 * make a multi-hit possible. */
	for (unsigned i = 0; i < n_hits; i++) {
		const vmsa_walk_leaf_t *l = &x->walk.leaf[0];

		bool differ = l->present &&
			      (hits[i]->tag.level != l->level ||
			       ((hits[i]->desc ^ l->desc) & VMSA_D_CONT));

		for (unsigned j = 0; j < i; j++)
			if (hits[j]->tag.level != hits[i]->tag.level)
				differ = true;
		if (differ) {
			w.multi_size = true;
			w.conflict_stage = VMSA_STAGE1;
			note_leaf_conflict(&w, acc->addr, pick ? hits[pick - 1]
							       : NULL, l);
			for (unsigned j = 0; j <= i; j++)
				note_conflict(&w, &hits[j]->tag, hits[j]->desc,
					      hits[j]->loc);
		}
	}
	/* After a break-before-make failure: held leaves that needed a
	 * break against the leaf used, or against each other (D8.17.1). */
	if (m->warned && n_hits)
		held_leaf_bbm(&w, acc->addr, hits, n_hits, &x->walk.leaf[0]);
	/* Entries of other slots of a leaf's contiguous range. */
	for (unsigned st = 0; st < 2; st++) {
		const vmsa_walk_leaf_t *l = &x->walk.leaf[st];
		vmsa_stage_t stage = st ? VMSA_STAGE2 : VMSA_STAGE1;

		if (l->present && !(l->desc & VMSA_D_CONT) &&
		    contig_neighbours(&w, acc->addr, stage, l) &&
		    !w.multi_size) {
			w.multi_size = true;
			w.conflict_stage = stage;
		}
	}
	x->multi_size = w.multi_size;
	x->bbm_conflict = w.bbm_conflict;
	x->conflict_stage = w.conflict_stage;
	x->stale = w.used_stale || w.held_path;
	x->s1_tagged = w.s1_tagged;
	if (w.s1_from_read)
		slot_tag_into(&w.s1_tag, m, &w.s1_slot, w.s1_value);
	s2_record(&w, x);
	x->s1_tag = w.s1_tag;
	x->retired_ts = w.retired_ts;
	x->retired_alone = w.retired_alone;
	x->stale_retry = w.used_too_old;
	x->plain = x->tag_checked = false;
	x->freed_table = w.freed;
	x->freed_pa = w.freed_pa;
	/* Only valid values were noted: a faulting leaf is never cached
	 * (RXCLRD), but the tables above it may be. */
	if (w.oom) {
		/* An option left out would be a behaviour dropped. */
		violation(m, (int)cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for the values a walk "
			  "may use");
		x->walk.fault.kind = VMSA_FAULT_TRANSLATION;
		return -1;
	}
	if (hw && x->walk.fault.kind == VMSA_FAULT_NONE &&
	    x->walk.n_updates && !hw_update(m, cpu, &w, &x->walk, &failed)) {
		if (n_forced == MAX_FORCED) {
			violation(m, (int)cpu, VMSA_V_MODEL_LIMIT, NULL,
				  "model limit: a translation restarted more "
				  "than %u times after failed hardware "
				  "updates", MAX_FORCED);
			x->walk.fault.kind = VMSA_FAULT_TRANSLATION;
			return -1;
		}
		forced[n_forced++] = failed;
		goto again;
	}
	if (m->stopped)
		return -1;
	if (refill_tlb)
		refill(&w);
	/* A translation that offered nothing else is remembered: the fast
	 * path (xlat_cache.c) says why its result can be used again. One
	 * that needed a hardware update is not: the next one must not skip
	 * it (and memory changed). */
	if (x->walk.fault.kind == VMSA_FAULT_NONE && m->choices == choices &&
	    !x->walk.n_updates &&
	    !n_hits && !w.multi_size && !x->stale && !w.freed &&
	    !w.exposed && !w.xs->fill.n && !m->conflict.n && !m->stopped &&
	    !m->f.relaxed)
		xlat_cache_put(m, c, acc, x);
	return x->walk.fault.kind == VMSA_FAULT_NONE ? 0 : -1;
}

