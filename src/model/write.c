/*
 * src/model/write.c - what a store to a descriptor does to TLBs, and the
 * break-before-make check.
 *
 * Overwriting a valid descriptor of a context that a CPU may have cached
 * leaves the old value (and, for a table, every valid entry below it) in
 * the set of entries that CPU's TLB may still hold, until a TLBI removes
 * them (tlb.h). The new value is then checked with the architecture's rule
 * (vmsa_bbm_check(), RWHZWS, RKFLJB, RNGLXZ) against every entry any CPU
 * may still hold for an overlapping input range in the same context: a
 * change that needs a break at the machine's FEAT_BBM level is a
 * violation, reported at this write. A store stays invisible to walks until
 * the writer's next DSB (RSPVBD, hist.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bbm_memo.h"
#include "context.h"
#include "entry_set.h"
#include "footprint.h"
#include "same.h"
#include "translate.h"
#include "write.h"

/* A held entry that may compete with entries in the written range, with
 * its input range computed once for the fast tests. */
struct cand {
	struct held *h;		/* in cpu's held set (check_entry may mark
				   it: struct held.same) */
	unsigned cpu;
	uint64_t ia, size;	/* input range (VAs canonical) */
};

VEC_DEFINE(wcand_vec, struct cand)

/*
 * The lists of one descriptor store: every place the location is a
 * descriptor (one per context and table it is in: a table shared by
 * many address spaces is in many), and the held entries that may compete
 * with the new value. Neither has a fixed size; they live as long as the
 * machine so that a store allocates nothing once they are large enough
 * (stores do not nest).
 */
struct write_scratch {
	struct slot_vec slots;
	struct wcand_vec cand;
	struct bbm_memo *bbm;	/* check_one()'s vmsa_bbm_check() answers */
	struct entry_set seen;	/* table_same()'s answered candidates */
	unsigned long table_asks;	/* fast_table() calls (a statistic) */
	unsigned long skip_tests;	/* fast_skip() calls (a statistic) */
};

void write_scratch_free(vmsa_machine_t *m)
{
	if (!m->ws)
		return;
	slot_vec_free(&m->ws->slots);
	wcand_vec_free(&m->ws->cand);
	bbm_memo_free(m->ws->bbm);
	entry_set_free(&m->ws->seen);
	free(m->ws);
	m->ws = NULL;
}

static struct write_scratch *scratch(vmsa_machine_t *m)
{
	if (!m->ws)
		m->ws = calloc(1, sizeof(*m->ws));
	return m->ws;
}

/* The slots pa is in, over every context some CPU may have cached, into
 * out (emptied first). False (a violation reported) when out of memory. */
static bool find_slots(vmsa_machine_t *m, int cpu, uint64_t pa,
		       struct slot_vec *out)
{
	/* What decides them (footprint.h): the places of pa's page in the
	 * tables of the contexts some CPU caches (a change of which
	 * contexts are cached writes the parts of their pages). */
	fp_struct_page(m, pa, false);
	out->n = 0;
	for (unsigned i = 0; i < m->n_ctx; i++) {
		if (!ctx_cached_by_any(m, i))
			continue;
		if (ctx_refresh(m, i) || ctx_slots(m, i, pa, out)) {
			violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
				  "model limit: out of memory for the places "
				  "of a descriptor in translation tables");
			return false;
		}
	}
	return true;
}

bool is_table_slot(vmsa_machine_t *m, uint64_t pa)
{
	struct write_scratch *ws = scratch(m);

	if (!ws) {
		violation(m, m->step_cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for a descriptor store");
		return false;
	}
	return find_slots(m, m->step_cpu, pa & ~7ull, &ws->slots) &&
	       ws->slots.n > 0;
}

static bool slot_leaf_kind(uint64_t d, int level, vmsa_granule_t g);

bool spec_af_leaf(vmsa_machine_t *m, uint64_t pa, uint64_t v)
{
	struct write_scratch *ws = scratch(m);

	if (v & VMSA_D_AF)
		return false;
	if (!ws || !find_slots(m, m->step_cpu, pa & ~7ull, &ws->slots))
		return false;
	for (unsigned i = 0; i < ws->slots.n; i++) {
		const struct slot *s = &ws->slots.p[i];
		const vmsa_regime_cfg_t *cfg = &m->ctx.p[s->ctx].cfg;
		bool ha = s->stage == VMSA_STAGE2 ? cfg->s2.ha : cfg->s1.ha;

		if (ha && slot_leaf_kind(v, s->level, s->granule))
			return true;
	}
	return false;
}

/* A store's old values for one CPU's held set (held_add() indexes the
 * set, so a table's 512 entries each cost one lookup). */
struct hold_arg {
	vmsa_machine_t *m;
	struct cpu *c;
};

static void hold(struct hold_arg *a, const struct slot *s, uint64_t pa,
		 uint64_t desc)
{
	struct held h = {
		.tag = slot_tag(a->m, s, desc),
		.desc = desc,
		.loc = pa,
		.since = a->m->step,
	};

	/* c's walks read what its TLB holds. */
	fp_tlb_entry(a->m, a->c->id, &h.tag, desc, false, true);
	fp_held_next(a->m, s, desc);
	if (held_add(&a->c->held, &h))
		violation(a->m, (int)a->c->id, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for TLB entries");
	/* A stage-2 leaf of an EL1&0 context may also be cached combined
	 * with stage 1 (VA -> PA), and TLBI IPAS2* need not remove that
	 * (RTVTYQ): only VMALL, VMALLS12 or ALL do (barrier.c removes()).
	 * D8.17.6.1 requires the stage-1 invalidation "even if stage 1
	 * translation is disabled", so this holds with stage 1 off too. */
	if (s->stage == VMSA_STAGE2 && h.tag.leaf &&
	    h.tag.regime == VMSA_REGIME_EL10) {
		h.tag.stage = VMSA_TLB_S12;
		h.any_va = true;
		fp_tlb_entry(a->m, a->c->id, &h.tag, desc, true, true);
		if (held_add(&a->c->held, &h))
			violation(a->m, (int)a->c->id, VMSA_V_MODEL_LIMIT,
				  NULL,
				  "model limit: out of memory for TLB entries");
	}
}

static void hold_visit(void *arg, const struct slot *s, uint64_t pa,
		       uint64_t desc)
{
	hold(arg, s, pa, desc);
}

/* Every CPU that may have cached s's context may now hold the old
 * values of pa that walks may still read (and so TLBs may have cached):
 * what memory holds now (`now`) and, when pa has a history h, the older
 * values whose overwrite is not visible yet; and what is below them when
 * they are tables. */
/*
 * Feature relaxed: c may have cached value v of pa (a stage-1 leaf),
 * overwritten by the write of step over_step, only TLBI-before a
 * completed TLBI of another CPU that removes it and is ordered after that
 * write (a walk after the TLBI cannot read v: TLBI-coherence-after). Such
 * an entry is a retired one (barrier.c, retire(): usable by accesses not
 * ordered after the TLBI, translate.c, retired_leaves), not a held one:
 * true when it was added there. herd's coRR-pte15: P1 breaks x, P2 reads
 * the break, invalidates, maps x again; P0's second read of x cannot use
 * x's old entry once its first used the new one (same low-order bits).
 */
static bool hold_retired(struct hold_arg *a, const struct slot *s, uint64_t pa,
			 uint64_t v, uint64_t over_step)
{
	struct held r = {
		.tag = slot_tag(a->m, s, v),
		.desc = v,
		.loc = pa,
		.since = a->m->step,
	};

	if (!a->m->f.relaxed || s->stage != VMSA_STAGE1 || !r.tag.leaf)
		return false;
	fp_tlbis_entry(a->m, &r.tag, v);
	r.tlbi_ts = order_tlbi_removed_ts(a->m, (int)a->c->id, pa & ~7ull,
					  &r.tag, over_step);
	if (!r.tlbi_ts)
		return false;
	fp_obj(a->m, FP_OBJ_RETIRED + a->c->id, true);
	if (held_add(&a->c->retired, &r))
		violation(a->m, (int)a->c->id, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for TLB entries");
	return true;
}

static void hold_old(vmsa_machine_t *m, const struct slot *s,
		     const struct hist *h, uint64_t now, uint64_t pa)
{
	unsigned first = h ? hist_visible(h) : 0, n = h ? h->n : 1;

	for (unsigned c = 0; c < m->f.ncpus; c++) {
		struct hold_arg a = {m, &m->cpu[c]};

		/* Whether c caches s's context (its MSRs, ERETs and TLBI
		 * completions write that). */
		fp_tlb_ctx(m, c, s->ctx, false);
		if (!cpu_caches_ctx(&m->cpu[c], s->ctx))
			continue;
		for (unsigned i = first; i < n; i++) {
			uint64_t v = h ? h->v[i].value : now;
			vmsa_desc_kind_t k = vmsa_desc_kind(v, s->level,
							    s->granule);

			if (k == VMSA_DESC_INVALID || k == VMSA_DESC_RESERVED)
				continue;
			/* Nor is a leaf with AF = 0: it gives an Access flag
			 * fault (no hardware AF updates in the model), and
			 * such an entry is never cached either (RXCLRD,
			 * IWZCBG). */
			if ((k == VMSA_DESC_BLOCK || k == VMSA_DESC_PAGE) &&
			    !(v & VMSA_D_AF))
				continue;
			if (h && i + 1 < n &&
			    hold_retired(&a, s, pa, v, h->v[i + 1].write_step))
				continue;
			hold(&a, s, pa, v);
			ctx_visit_below(m, s, v, hold_visit, &a);
		}
	}
}

/* The input range entry desc at (level, ia, ia aligned to the level's
 * `size`) competes over in a TLB lookup: [ia, ia + size) or, with the
 * Contiguous bit, its whole contiguous range (vmsa_tlb_range(), D8.7.1).
 * VAs canonical. Stores check many entries: only the bit costs a call. */
static void lookup_range(uint64_t desc, int level, uint64_t ia, uint64_t size,
			 vmsa_granule_t g, bool va, uint64_t *first,
			 uint64_t *span)
{
	if (va)
		ia = vmsa_va_canonical(ia);
	*first = ia;
	*span = size;
	if (desc & VMSA_D_CONT)
		vmsa_tlb_range(desc, level, ia, g, first, span);
}

/* A new entry at a slot, as competes() compares it with held entries:
 * its tag and its lookup range, computed once for the many held entries
 * and contiguous neighbours a store checks it against. */
struct new_ent {
	vmsa_tlb_tag_t t;
	uint64_t first, span;
};

static void new_ent_init(const vmsa_machine_t *m, const struct slot *s,
			 uint64_t desc, struct new_ent *e)
{
	e->t = slot_tag(m, s, desc);
	lookup_range(desc, s->level, e->t.ia, e->t.size, s->granule,
		     e->t.stage == VMSA_TLB_S1, &e->first, &e->span);
}

/* May held entry h and the new entry e at slot s meet in one lookup?
 * Either may be a Contiguous entry cached for its whole range, so a page
 * and a neighbour of its contiguous range meet when either has the bit. */
static bool competes(const struct held *h, const struct slot *s,
		     const struct new_ent *e)
{
	const vmsa_tlb_tag_t *t = &e->t;
	uint64_t a, as;

	if (h->tag.granule != t->granule)
		return false;
	if (h->any_va) {
		/* A combined entry from a stage-2 value, keyed by IPA. */
		if (s->stage != VMSA_STAGE2 || h->tag.regime != t->regime ||
		    h->tag.vmid != t->vmid)
			return false;
	} else if (!tag_same_context(&h->tag, t)) {
		return false;
	}
	lookup_range(h->desc, h->tag.level, h->tag.ia, h->tag.size,
		     h->tag.granule, t->stage == VMSA_TLB_S1, &a, &as);
	return range_overlap(a, as, e->first, e->span);
}

/* Is d a block or page at this level? */
static bool slot_leaf_kind(uint64_t d, int level, vmsa_granule_t g)
{
	vmsa_desc_kind_t k = vmsa_desc_kind(d, level, g);

	return k == VMSA_DESC_BLOCK || k == VMSA_DESC_PAGE;
}

/* Report a violation of the rule r: cpu writes desc at slot s, c holds h. */
static void report(vmsa_machine_t *m, int cpu, const struct slot *s,
		   uint64_t pa, uint64_t desc, unsigned holder,
		   const struct held *h, const vmsa_bbm_result_t *r)
{
	char nd[160], od[160];

	vmsa_desc_format(nd, sizeof(nd), desc, s->stage, s->level, s->granule);
	vmsa_desc_format(od, sizeof(od), h->desc, s->stage, h->tag.level,
			 h->tag.granule);
	violation_entry(m, &(vmsa_violation_entry_t){
		.cpu = (int)holder, .tag = h->tag, .desc = h->desc,
		.loc = h->loc,
	});
	violation(m, cpu, VMSA_V_BBM, r->rule,
		  "CPU%d writes [%s] at PA 0x%" PRIx64 " (stage %d, %s 0x%"
		  PRIx64 ") while CPU%u may still hold [%s] from PA 0x%" PRIx64
		  ": %s; break-before-make is required (%s)",
		  cpu, nd, pa, (int)s->stage,
		  s->stage == VMSA_STAGE2 ? "IPA" : "VA", s->ia, holder, od,
		  h->loc, r->reason, r->rule);
}

struct check_arg {
	vmsa_machine_t *m;
	int cpu;
	bool done;
	/* Held entries of the written slot's context that overlap its
	 * range: every one of them. */
	struct wcand_vec *cand;
	int size_level;		/* the level level_size is for */
	uint64_t level_size;
};

static struct cand make_cand(struct held *h, unsigned cpu,
			     const struct slot *s)
{
	struct cand c = {.h = h, .cpu = cpu};

	lookup_range(h->desc, h->tag.level, h->tag.ia, h->tag.size,
		     h->tag.granule, s->stage == VMSA_STAGE1, &c.ia, &c.size);
	return c;
}

/*
 * True when candidate c certainly needs no break against entry desc at
 * slot s, whose lookup range is [first, first + size): their ranges are
 * disjoint, or (FEAT_BBM level 2) they are the same mapping at another
 * size (vmsa_bbm_same_mapping, RKFLJB). A new table's entries are mostly
 * such pairs; anything else goes through the full rule.
 */
static bool fast_skip(const vmsa_machine_t *m, const struct cand *c,
		      const struct slot *s, uint64_t desc, uint64_t first,
		      uint64_t size)
{
	uint64_t ia = s->stage == VMSA_STAGE1 ? vmsa_va_canonical(s->ia) : s->ia;
	vmsa_bbm_entry_t oe = {c->h->desc, c->h->tag.level, c->h->tag.ia};
	vmsa_bbm_entry_t ne = {desc, s->level, ia};

	if (!range_overlap(c->ia, c->size, first, size))
		return true;
	return m->f.bbm_level >= 2 && vmsa_bbm_same_mapping(&oe, &ne, s->granule);
}

/*
 * Collect, once per written slot, the held entries that can meet anything
 * in its range: every CPU's held set (not `retiring`: entries a CPU's own
 * completed TLBI removed stay usable by that CPU until its next context
 * synchronisation event (RBLDZX, without ETS2), but are in no TLB for the
 * others, so a write after the DSB does not compete with them). A new
 * table's 512 entries are then checked against a few candidates, not
 * every entry.
 */
static bool collect(struct check_arg *a, const struct slot *s, uint64_t desc)
{
	vmsa_machine_t *m = a->m;
	struct new_ent e;

	new_ent_init(m, s, desc, &e);
	a->cand->n = 0;
	a->size_level = VMSA_LEVEL_MIN - 1;
	for (unsigned c = 0; c < m->f.ncpus; c++) {
		struct held_set *hs = &m->cpu[c].held;

		for (unsigned i = 0; i < hs->n; i++) {
			if (!competes(&hs->p[i], s, &e))
				continue;
			if (wcand_vec_push(a->cand,
					   make_cand(&hs->p[i], c, s))) {
				violation(m, a->cpu, VMSA_V_MODEL_LIMIT, NULL,
					  "model limit: out of memory for "
					  "the entries a store competes "
					  "with");
				return false;
			}
		}
	}
	return true;
}

/*
 * VMSA_BBM_SAME_CONTENTS when replacing held leaf h by leaf desc at slot
 * s moves the output address between ranges set-up declared to hold the
 * same contents (RWHZWS; same.c). Compared over the input range both
 * entries translate (each one's own size); the output addresses are PAs
 * unless s is a stage-1 slot under stage 2 (IPAs: declared, not compared).
 */
/* Are slot s's output addresses PAs (not a stage-1 slot under stage
 * 2, whose are IPAs)? */
static bool slot_oa_is_pa(const vmsa_machine_t *m, const struct slot *s)
{
	const vmsa_regime_cfg_t *cfg = &m->ctx.p[s->ctx].cfg;

	return !(s->stage == VMSA_STAGE1 && cfg->regime == VMSA_REGIME_EL10 &&
		 cfg->s2.enabled);
}

static unsigned same_flag(vmsa_machine_t *m, const struct slot *s,
			  uint64_t desc, const struct held *h)
{
	bool va = s->stage == VMSA_STAGE1;
	uint64_t osz = vmsa_level_size(s->granule, h->tag.level);
	uint64_t nsz = vmsa_level_size(s->granule, s->level);
	uint64_t oia, nia, first, oend, nend, last, oa_o, oa_n;
	bool bytes;

	if (!m->same.n || !slot_leaf_kind(h->desc, h->tag.level, s->granule) ||
	    !slot_leaf_kind(desc, s->level, s->granule) || !osz || !nsz)
		return 0;
	oia = (va ? vmsa_va_canonical(h->tag.ia) : h->tag.ia) & ~(osz - 1);
	nia = (va ? vmsa_va_canonical(s->ia) : s->ia) & ~(nsz - 1);
	first = oia > nia ? oia : nia;
	oend = oia + (osz - 1);
	nend = nia + (nsz - 1);
	last = oend < nend ? oend : nend;
	if (first > last)
		return 0;
	oa_o = vmsa_desc_oa(h->desc, h->tag.level, s->granule) + (first - oia);
	oa_n = vmsa_desc_oa(desc, s->level, s->granule) + (first - nia);
	bytes = slot_oa_is_pa(m, s);
	return same_contents(m, oa_o, oa_n, last - first + 1, bytes) ?
		       VMSA_BBM_SAME_CONTENTS : 0;
}

static vmsa_bbm_result_t bbm_rule(vmsa_machine_t *m,
				   const vmsa_bbm_entry_t *oe,
				   const vmsa_bbm_entry_t *ne,
				   const struct slot *s, unsigned flags)
{
	vmsa_bbm_features_t f = {m->f.bbm_level, m->f.bbm_may_abort};

	/* The same pairs come back in every execution (bbm_memo.h). */
	return m->ws ? bbm_check_memo(&m->ws->bbm, oe, ne, s->stage,
				      s->granule, &f, flags)
		     : vmsa_bbm_check(oe, ne, s->stage, s->granule, &f, flags);
}

/* Check entry desc at slot s (e: new_ent_init()) against held entry h of
 * CPU c. True when the pair needs no break only because the output
 * ranges were declared to hold the same contents, and they are PAs
 * whose bytes were compared (RWHZWS): then h stays held under that
 * exemption (check_entry marks it), which a later store that makes the
 * ranges differ breaks (same.c). */
static bool check_one(struct check_arg *a, const struct slot *s, uint64_t pa,
		      uint64_t desc, const struct new_ent *e,
		      const struct held *h, unsigned c)
{
	vmsa_machine_t *m = a->m;
	vmsa_bbm_entry_t ne = {desc, s->level, s->ia};
	vmsa_bbm_entry_t oe = {h->desc, h->tag.level, h->tag.ia};
	vmsa_bbm_result_t r;
	unsigned same;

	/* The same mapping at another size is legal at level 2 (RKFLJB):
	 * no need to run the full rule for each page of a block split. */
	if (!competes(h, s, e) ||
	    (m->f.bbm_level >= 2 &&
	     vmsa_bbm_same_mapping(&oe, &ne, s->granule)))
		return false;
	same = same_flag(m, s, desc, h);
	r = bbm_rule(m, &oe, &ne, s, same);
	if (!vmsa_bbm_needs_break(&r)) {
		if (!same || !slot_oa_is_pa(m, s))
			return false;
		r = bbm_rule(m, &oe, &ne, s, 0);
		return vmsa_bbm_needs_break(&r);
	}
	report(m, a->cpu, s, pa, desc, c, h, &r);
	a->done = true;
	return false;
}

/* Held entry h of CPU c stays held under the same-contents exemption
 * (check_one): marked, a change of c's TLB. */
static void mark_same(vmsa_machine_t *m, unsigned c, struct held *h)
{
	if (h->same)
		return;
	fp_tlb_entry(m, c, &h->tag, h->desc, h->any_va, true);
	h->same = true;
}

/* Do candidates x and y give fast_skip() the same answer for one new
 * entry: the same arguments from the candidate (its range, and its held
 * entry's value, level and input address)? hold() holds a stage-2 leaf
 * of an EL1&0 context twice, as itself and as a combined entry, one
 * after the other: a collapse's block met each of 512 pages twice. */
static bool same_skip_args(const struct cand *x, const struct cand *y)
{
	return x->ia == y->ia && x->size == y->size &&
	       x->h->desc == y->h->desc && x->h->tag.level == y->h->tag.level &&
	       x->h->tag.ia == y->h->tag.ia;
}

/* Check one new entry against the candidates. */
static void check_entry(struct check_arg *a, const struct slot *s,
			uint64_t pa, uint64_t desc)
{
	const struct wcand_vec *cv = a->cand;
	uint64_t first, size;
	struct new_ent e;
	bool have_e = false;	/* e computed once, for the first check */
	bool skipped = false;	/* cv->p[i - 1] needed no check */

	/* The entries of one table share a level: size it once. Only a
	 * Contiguous entry has a range of another size (vmsa_tlb_range). */
	if (s->level != a->size_level) {
		a->size_level = s->level;
		a->level_size = vmsa_level_size(s->granule, s->level);
	}
	lookup_range(desc, s->level, s->ia, a->level_size, s->granule,
		     s->stage == VMSA_STAGE1, &first, &size);
	for (unsigned i = 0; i < cv->n && !a->done; i++) {
		/* The previous candidate's answer, when it is certainly
		 * this one's too: skipped. */
		if (skipped && same_skip_args(&cv->p[i - 1], &cv->p[i]))
			continue;
		a->m->ws->skip_tests++;
		skipped = fast_skip(a->m, &cv->p[i], s, desc, first, size);
		if (skipped)
			continue;
		if (!have_e) {
			new_ent_init(a->m, s, desc, &e);
			have_e = true;
		}
		if (check_one(a, s, pa, desc, &e, cv->p[i].h, cv->p[i].cpu))
			mark_same(a->m, cv->p[i].cpu, cv->p[i].h);
	}
}

/* Is d a block or page at slot s? */
static bool slot_leaf(uint64_t d, const struct slot *s)
{
	vmsa_desc_kind_t k = vmsa_desc_kind(d, s->level, s->granule);

	return k == VMSA_DESC_BLOCK || k == VMSA_DESC_PAGE;
}

/*
 * Memory's current values of the other entries of a written leaf's
 * contiguous range (D8.7.1, Table D8-104). Not only the old values a
 * store leaves held: every valid entry of a cached context may be in a
 * TLB. When the new entry or a neighbour has the Contiguous bit, one may
 * be cached as covering the other's address, and if their Contiguous
 * bits differ the range is misprogrammed and a TLB may hold overlapping
 * entries (RQTRPM): compared like a held entry (vmsa_bbm_check(),
 * RNGLXZ). Every CPU that caches the context may hold them; the first
 * is named.
 */
static void check_neighbours(struct check_arg *a, const struct slot *s,
			     uint64_t pa, uint64_t desc)
{
	vmsa_machine_t *m = a->m;
	unsigned n = vmsa_contig_entries(s->granule, s->level);
	uint64_t pa0 = pa & ~(8ull * n - 1), size;
	unsigned holder = 0;
	const uint64_t *t;
	struct new_ent e;
	bool have_e = false;	/* e computed once, for the first check */

	/* The range's entries are adjacent and aligned in the table, and
	 * its input range is aligned too (Table D8-104). */
	if (n < 2 || !slot_leaf(desc, s) ||
	    !mem_contains(&m->mem, pa0, 8ull * n))
		return;
	t = mem_cptr(&m->mem, pa0);
	size = vmsa_level_size(s->granule, s->level);
	for (unsigned j = 0; j < n && !a->done; j++) {
		struct slot ns = *s;
		struct held h;

		/* Without the bit on either side, neither covers the
		 * other. */
		if (pa0 + 8ull * j == pa || !((t[j] | desc) & VMSA_D_CONT) ||
		    !slot_leaf(t[j], s))
			continue;
		while (holder < m->f.ncpus &&
		       !cpu_caches_ctx(&m->cpu[holder], s->ctx))
			holder++;
		if (holder == m->f.ncpus)
			return;
		ns.ia = (s->ia & ~(size * n - 1)) + size * j;
		h = (struct held){
			.tag = slot_tag(m, &ns, t[j]), .desc = t[j],
			.loc = pa0 + 8ull * j, .since = m->step,
		};
		if (!have_e) {
			new_ent_init(m, s, desc, &e);
			have_e = true;
		}
		/* A neighbour is memory's value, not a held entry: nothing
		 * to mark. */
		(void)check_one(a, s, pa, desc, &e, &h, holder);
	}
}

/*
 * The whole of a new table in one pass, for FEAT_BBM level 2: true when
 * every valid entry of the table desc points to is a leaf that each
 * candidate overlapping it maps the same way
 * (vmsa_bbm_same_mapping_table), so the table needs no further check. False sends the caller to the general
 * check of every entry (nested tables, stage-1 tables under stage 2,
 * anything that differs).
 */
static bool table_same(struct check_arg *a, const struct slot *s,
		       const uint64_t *t, unsigned entries, int level);

static bool fast_table(struct check_arg *a, const struct slot *s,
		       uint64_t desc)
{
	vmsa_machine_t *m = a->m;
	const vmsa_regime_cfg_t *cfg = &m->ctx.p[s->ctx].cfg;
	int level = s->level + 1;
	unsigned entries = 1u << vmsa_granule_stride(s->granule);
	uint64_t pa;
	const uint64_t *t;

	m->ws->table_asks++;
	if (m->f.bbm_level < 2 || level > VMSA_LEVEL_MAX ||
	    (s->stage == VMSA_STAGE1 && cfg->regime == VMSA_REGIME_EL10 &&
	     cfg->s2.enabled))
		return false;
	pa = vmsa_desc_oa(desc, s->level, s->granule);
	if (!mem_contains(&m->mem, pa, 8ull * entries))
		return false;
	t = mem_cptr(&m->mem, pa);
	/* The answer is a function of the table's entries and of the
	 * candidates: the explorer asks it again in every execution of a
	 * table its set-up prepared (context.h: snap_answer_get). */
	if (a->cand->n <= (SNAP_ANSWER_WORDS - 7) / 3) {
		uint64_t key[SNAP_ANSWER_WORDS] = {
			SNAP_ANSWER_FAST_TABLE, m->f.bbm_level,
			(uint64_t)level, s->ia, s->granule, pa, a->cand->n,
		};
		unsigned n = 7;
		bool yes;

		for (unsigned k = 0; k < a->cand->n; k++) {
			const struct held *h = a->cand->p[k].h;

			key[n++] = h->desc;
			key[n++] = (uint64_t)h->tag.level;
			key[n++] = h->tag.ia;
		}
		if (snap_answer_get(m, key, n, pa, 8ull * entries, &yes))
			return yes;
		yes = table_same(a, s, t, entries, level);
		snap_answer_put(m, key, n, pa, 8ull * entries, yes);
		return yes;
	}
	return table_same(a, s, t, entries, level);
}

/* fast_table()'s test of the entries t of the new table (at level)
 * against every candidate. The answer for a candidate depends only on
 * its value, level and input address: one asked already (another CPU's
 * copy of it) is not asked again (entry_set.h). */
static bool table_same(struct check_arg *a, const struct slot *s,
		       const uint64_t *t, unsigned entries, int level)
{
	struct entry_set *seen = &a->m->ws->seen;
	bool dedup = entry_set_reset(seen, a->cand->n);

	/* In one pass over the entries: a nested table needs the general
	 * check of what is below it; vmsa_bbm_same_mapping_table()
	 * compares entries within each one's own size, so a Contiguous
	 * entry (new or held) covers more and takes the general check. */
	{
		uint64_t general = VMSA_D_CONT |
				   (level < VMSA_LEVEL_MAX ? VMSA_D_TYPE : 0);

		for (unsigned i = 0; i < entries; i++)
			if ((t[i] & VMSA_D_VALID) && (t[i] & general))
				return false;
	}
	for (unsigned k = 0; k < a->cand->n; k++) {
		const struct cand *c = &a->cand->p[k];
		vmsa_bbm_entry_t oe = {c->h->desc, c->h->tag.level, c->h->tag.ia};
		struct entry_slot *x = dedup ? entry_set_find(seen, &oe) : NULL;

		if (c->h->desc & VMSA_D_CONT)
			return false;
		/* Asked already: the answer was yes. */
		if (x && entry_set_used(seen, x))
			continue;
		if (!vmsa_bbm_same_mapping_table(&oe, t, entries, level, s->ia,
						 s->granule))
			return false;
		if (x)
			entry_set_put(seen, x, &oe);
	}
	return true;
}

static void check_visit(void *arg, const struct slot *s, uint64_t pa,
			uint64_t desc)
{
	struct check_arg *a = arg;

	if (!a->done && (s->level == VMSA_LEVEL_MAX ||
			 vmsa_desc_kind(desc, s->level, s->granule) !=
				 VMSA_DESC_TABLE))
		check_entry(a, s, pa, desc);
}

static void add_pending(vmsa_machine_t *m, struct cpu *c, uint64_t pa)
{
	for (unsigned i = 0; i < c->pending_st.n; i++)
		if (c->pending_st.p[i] == pa)
			return;
	if (pa_vec_push(&c->pending_st, pa))
		violation(m, (int)c->id, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for pending stores");
}

/*
 * Does a store of stage-2 slot s (a leaf before and after: a table is
 * structural anyway) move a stage-1 table? Only when a context
 * translating through these stage-2 tables looks a stage-1 table up at
 * an IPA the slot maps (ctx_s2_range_places_s1): a context's scan
 * translates only the IPAs of its stage-1 roots and of the tables its
 * table descriptors lead to, and the translation of an IPA reads no
 * stage-2 leaf but the one that maps it. Else the store changes no
 * context's table pages (the stage-2 word itself is read by the walks
 * that translate through it, which the footprint's words order). One
 * rule for every search: the plain search, the reduced one (which
 * records it as a write of the table structure) and a model used
 * without the explorer rescan table pages after the same stores.
 */
static bool s2_leaf_moves_s1(vmsa_machine_t *m, const struct slot *s)
{
	uint64_t size = vmsa_level_size(s->granule, s->level);
	uint64_t lo = s->ia & ~(size - 1);

	return ctx_s2_range_places_s1(m, s->ctx, lo, lo + size);
}

static bool is_table(uint64_t d, const struct slot *s, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (vmsa_desc_kind(d, s[i].level, s[i].granule) ==
		    VMSA_DESC_TABLE)
			return true;
	return false;
}

/*
 * What the break-before-make check of new entry desc at slot s reads of
 * the TLBs (footprint.h): of every CPU, the entries that may meet it in
 * a lookup (collect(), competes(): they overlap its lookup range, with
 * the Contiguous bit its whole contiguous range; a table's range covers
 * everything below it), and whether the CPU caches s's context
 * (check_neighbours() names a CPU that does).
 */
static void store_tlb_footprint(vmsa_machine_t *m, const struct slot *s,
				uint64_t desc)
{
	uint64_t first, span;

	if (!m->fp)
		return;
	lookup_range(desc, s->level, s->ia,
		     vmsa_level_size(s->granule, s->level), s->granule,
		     s->stage == VMSA_STAGE1, &first, &span);
	for (unsigned c = 0; c < m->f.ncpus; c++) {
		fp_tlb_ctx(m, c, s->ctx, false);
		fp_tlb_lookup(m, c, first, span, false);
	}
}

/*
 * Is a descriptor store's step compared with the CPUs' windows (their
 * last context synchronisation events), so that the two must not be
 * swapped? With ETS2 or ETS3 without the feature relaxed
 * (ets2_excludes() in translate.c: the step of the write that replaced
 * a value against the window); under relaxed, for a hardware update
 * (cpu < 0), whose value is visible to walks from its own step
 * (hist_write()), a step that hist_current_between() compares with the
 * window an early walk starts at.
 *
 * A CPU's store meets a window nowhere without ETS2 and ETS3, and
 * nowhere under relaxed with them either (there ets2_excludes()
 * compares the step of the write that replaced a value with the step of
 * a message the walking CPU's views reach, order_ets_floor(), not with
 * its window; the windows with ETS2 start at DSBs too, last_dsb, and are
 * compared as below):
 *  - its value stays pending (HIST_PENDING) until its CPU's DSB
 *    publishes it, and what walks compare with windows are visibility
 *    steps (hist_current_between()), set by that DSB (which reads every
 *    window: barrier.c, publish());
 *  - its step meets a window in a maximum (note_path(): an early walk's
 *    path starts no earlier than either), which is compared only with
 *    other steps' visibility, never with the store's or the window's own
 *    step;
 *  - in pruning dead history (oldest_window()), whose values no walk can
 *    read in either order (windows only move forward);
 *  - under relaxed, order.c compares its step (and timestamp) with the
 *    views of other CPUs (order_obs_step(), order_newest_step(): the
 *    write steps of messages against a view's timestamp). A context
 *    synchronisation event sets its CPU's views from that CPU's own
 *    earlier views (order_isb()) and assigns no timestamp, so the views
 *    and the store's timestamp are the same in either order; what moves
 *    timestamps (stores, DSBs, TLBIs) writes FP_OBJ_ORDER, as the store
 *    does.
 * So swapping an adjacent CPU store and another CPU's context
 * synchronisation event gives the same state and the same choices.
 * docs/explorer.md, "What a step touches".
 */
static bool store_reads_windows(const vmsa_machine_t *m, int cpu)
{
	if (m->f.relaxed)
		return cpu < 0;
	return m->f.ets2 || m->f.ets3;
}

void desc_store(vmsa_machine_t *m, int cpu, uint64_t pa, uint64_t v)
{
	struct write_scratch *ws = scratch(m);
	uint64_t old = mem_read(&m->mem, pa, 8);
	const struct slot *s;
	unsigned n = 0;
	bool structural;

	/* What it touches (footprint.h): its word (value, history: walks
	 * of it read them); the table structure at its page (its slots:
	 * find_slots(); a structural store changes it at the pages whose
	 * places move, fp_end) and the list of contexts (FP_DESC_R:
	 * s2_leaf_moves_s1() looks at every context translating through
	 * the same stage-2 tables); every CPU's TLB (which contexts each
	 * caches, their held entries that break-before-make checks
	 * against; hold_old() writes those of the CPUs it gives old values
	 * to); every CPU's window with ETS2 or ETS3 without relaxed, or
	 * for a hardware update under relaxed (the new value's write or
	 * visibility step is compared with it: store_reads_windows());
	 * the Contiguous bits when it sets or
	 * clears one (walks' conflict checks read the neighbours'). Its
	 * checks also read other descriptors: those of its table (which
	 * other descriptor stores write: FP_OBJ_STORES orders them all)
	 * and those below a table it writes or replaces (a structural
	 * store; every change of structure is a descriptor store's, so
	 * FP_OBJ_STORES orders it with them too). */
	fp_flags(m, FP_DESC_R);
	fp_obj(m, FP_OBJ_CACHED, false);
	fp_obj(m, FP_OBJ_STORES, true);
	if (store_reads_windows(m, cpu))
		fp_window_word_all(m, pa);
	if ((old | v) & VMSA_D_CONT)
		fp_cont_slot(m, pa, true);
	if (!ws) {
		violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for a descriptor store");
		return;
	}
	if (cpu >= 0) {
		if (!find_slots(m, cpu, pa, &ws->slots))
			return;
		n = ws->slots.n;
	}
	s = ws->slots.p;
	structural = n && (is_table(old, s, n) || is_table(v, s, n));

	for (unsigned i = 0; i < n && !structural; i++)
		if (s[i].stage == VMSA_STAGE2 && s2_leaf_moves_s1(m, &s[i]))
			structural = true; /* stage-1 tables move with it */
	if (v == old)
		n = 0; /* nothing changes for a TLB */
	if (n) {
		/* Holding entries adds no history: h stays valid. */
		const struct hist *h = hist_find(&m->hist, pa);

		for (unsigned i = 0; i < n && !m->stopped; i++)
			hold_old(m, &s[i], h, old, pa);
	}
	for (unsigned i = 0; i < n && !m->stopped; i++) {
		struct check_arg a = {.m = m, .cpu = cpu, .cand = &ws->cand};
		vmsa_desc_kind_t k = vmsa_desc_kind(v, s[i].level,
						    s[i].granule);

		if (k == VMSA_DESC_INVALID || k == VMSA_DESC_RESERVED)
			continue;
		store_tlb_footprint(m, &s[i], v);
		if (!collect(&a, &s[i], v))
			return;
		check_entry(&a, &s[i], pa, v);
		if (!a.done)
			check_neighbours(&a, &s[i], pa, v);
		/* Only a table has entries below it: for a block or page
		 * ctx_visit_below() visits nothing, so fast_table()'s answer
		 * could not be used (a collapse's block would be tested
		 * against the hundreds of entries the store just held). */
		if (!a.done && k == VMSA_DESC_TABLE && !fast_table(&a, &s[i], v))
			ctx_visit_below(m, &s[i], v, check_visit, &a);
	}
	if (m->stopped)
		return;
	/* Set-up stores are visible from the start and happen before any
	 * walk: only CPU stores (or locations that already have one) need a
	 * history. */
	m->hist_gen++;
	if ((cpu >= 0 || hist_find(&m->hist, pa)) &&
	    !hist_write(&m->hist, pa, old, v, cpu, m->step,
			oldest_window(m))) {
		violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for descriptor history");
		return;
	}
	if (cpu >= 0)
		add_pending(m, &m->cpu[cpu], pa);
	if (structural || cpu < 0) {
		fp_struct_before(m);
		m->table_gen++;
	}
	/* Descriptors are written through the (coherent) data cache. */
	desc_data_write(m, cpu, pa, v);
}

/*
 * A promise of a descriptor store (promise.c): desc_store() made it as
 * cpu's store, a value of the word's history its next DSB publishes.
 * Until the store that fulfils it runs, no DSB of cpu is ordered before
 * it (a DSB earlier in program order does not order a later store), so
 * its value is no CPU's: pending for walks (they may read it as a newer
 * value) until desc_promise_own() hands it back. The word stays in
 * cpu's pending stores only for another value of cpu there.
 */
static struct hist_val *hist_last_of(vmsa_machine_t *m, uint64_t pa,
				     uint64_t v, int cpu)
{
	struct hist *h = hist_find(&m->hist, pa);

	for (unsigned i = h ? h->n : 0; i-- > 0;)
		if (h->v[i].value == v && h->v[i].cpu == cpu && !h->v[i].hw &&
		    h->v[i].vis_step == HIST_PENDING)
			return &h->v[i];
	return NULL;
}

static bool cpu_pending_in(vmsa_machine_t *m, uint64_t pa, int cpu)
{
	struct hist *h = hist_find(&m->hist, pa);

	for (unsigned i = 0; h && i < h->n; i++)
		if (h->v[i].cpu == cpu && h->v[i].vis_step == HIST_PENDING)
			return true;
	return false;
}

void desc_promise_hide(vmsa_machine_t *m, int cpu, uint64_t pa, uint64_t v)
{
	struct hist_val *hv = hist_last_of(m, pa, v, cpu);
	struct cpu *c = &m->cpu[cpu];

	if (hv)
		hv->cpu = -1;
	if (cpu_pending_in(m, pa, cpu))
		return;
	for (unsigned i = 0; i < c->pending_st.n; i++)
		if (c->pending_st.p[i] == pa) {
			c->pending_st.p[i] = c->pending_st.p[--c->pending_st.n];
			break;
		}
}

void desc_promise_own(vmsa_machine_t *m, int cpu, uint64_t pa, uint64_t v)
{
	struct hist_val *hv = hist_last_of(m, pa, v, -1);

	/* Its visibility to walks changes with the CPU's next DSB. */
	fp_word(m, pa, true);
	if (hv)
		hv->cpu = cpu;
	add_pending(m, &m->cpu[cpu], pa);
}

unsigned long write_table_asks(const vmsa_machine_t *m)
{
	return m->ws ? m->ws->table_asks : 0;
}

unsigned long write_skip_tests(const vmsa_machine_t *m)
{
	return m->ws ? m->ws->skip_tests : 0;
}
