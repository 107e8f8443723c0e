/*
 * src/model/barrier.c - DSB, DMB, ISB and TLB maintenance.
 *
 * A TLBI is recorded when issued and takes effect when its CPU completes
 * a DSB that covers loads and stores in a domain at least as large as the
 * operation's (RYNJCP, RPSMWS): DSB ISH/OSH/SY for broadcast operations,
 * any of those or DSB NSH for local ones (a DSB NSH completes a broadcast
 * one on the issuing CPU only); DSB ISHST never completes a TLBI.
 * From then on no CPU of the domain uses the removed entries for a new
 * access (RLXHLD), except the issuer itself, which without FEAT_ETS2 may
 * go on using them until its next context synchronisation event (RBLDZX;
 * with ETS2 the DSB orders its later walks after the TLBI, B2.3
 * TTD-read-ordered-before: issuer_keeps()). Old values of
 * stores that were not yet visible to walks when the TLBI was issued
 * (RSPVBD) are not removed: a walk may have re-read them after the
 * invalidation. Every DSB except the load-only forms makes the CPU's
 * descriptor stores visible to walks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "barrier.h"
#include "context.h"
#include "footprint.h"
#include "order.h"
#include "validate.h"

const char *vmsa_barrier_name(vmsa_barrier_t b)
{
	static const char *const names[] = {
		"sy", "st", "ld", "ish", "ishst", "ishld",
		"nsh", "nshst", "nshld", "osh", "oshst", "oshld",
	};

	return (unsigned)b < sizeof(names) / sizeof(names[0]) ? names[b] : "?";
}

static bool bar_loads_only(vmsa_barrier_t b)
{
	return b == VMSA_BAR_LD || b == VMSA_BAR_ISHLD ||
	       b == VMSA_BAR_NSHLD || b == VMSA_BAR_OSHLD;
}

static bool bar_stores_only(vmsa_barrier_t b)
{
	return b == VMSA_BAR_ST || b == VMSA_BAR_ISHST ||
	       b == VMSA_BAR_NSHST || b == VMSA_BAR_OSHST;
}

/* Does a DSB of kind b complete a TLBI with shareability sh? */
static bool completes(vmsa_barrier_t b, vmsa_tlbi_shareability_t sh)
{
	if (bar_loads_only(b) || bar_stores_only(b))
		return false;
	if (b == VMSA_BAR_NSH)
		return sh == VMSA_TLBI_NSH;
	return true; /* SY, ISH, OSH: every PE of this machine */
}

/*
 * What a context synchronisation event changes of c's TLB (footprint.h;
 * docs/explorer.md, "The TLB in parts" and "Emptying retiring
 * entries"): it empties the retiring and retired entries (and the
 * translations made while retired ones existed, c->fresh, which only
 * c's own walks read). Another CPU touches retiring entries only in a
 * TLBI completion on c (apply(), c not the issuer), which deletes those
 * it matches (removes(): a test of the TLBI and the entry alone) and
 * does nothing else with them; only c's own steps add to them or read
 * them. Deleting the entries a test selects and deleting all of them
 * commute (the set ends empty in either order, and nothing else the
 * two steps do depends on it), so the emptying records nothing of the
 * retiring entries: the completion then finds fewer or more of them
 * to delete, which changes only its own footprint, never the state.
 * Before, it wrote their parts, and was dependent with every broadcast
 * TLBI completion that looked at them. Retired entries no other CPU reads
 * (apply() looks at held and retiring ones, a store's check at held
 * ones); another CPU's TLBI completion adds to them (retire()), so
 * whether the set is emptied before or after that matters: both touch
 * FP_OBJ_RETIRED + cpu, which this reads even when the set is empty (it
 * would empty what the completion adds) and writes when it empties it.
 * c's own walks read retired entries in their parts of its TLB, which
 * the completion that retired them wrote (it removed them from the held
 * set).
 */
static void cse_footprint(vmsa_machine_t *m, const struct cpu *c)
{
	if (!m->fp)
		return;
	if (m->f.relaxed)
		fp_obj(m, FP_OBJ_RETIRED + c->id, c->retired.n != 0);
}

/*
 * The retired entries a context synchronisation event leaves: without
 * `relaxed`, none. With it, those of a TLBI the event is not ordered
 * after: an ISB is ordered after what a dependency or a DSB puts before
 * it (IFB-ordered-before), not after a load that only a DMB ST, a DMB LD
 * or nothing orders before it, so a walk after the ISB may still be one
 * done before the TLBI completed (herd's MP+bbm+DSB-ISB+VMALL with DMB
 * ST for its DSB SY, Allowed). retired_leaves() offers an entry only to
 * an access not ordered after its TLBI (the access's fault floor), so an
 * entry whose TLBI the CPU's views reach now is dropped here for good;
 * the translations made while retired entries existed (c->fresh) go with
 * the last of them. The CPU's views reach a TLBI through what it read:
 * the writes the issuer made after the completing DSB (wnew) and its
 * hardware updates after an IFB that followed it (hw_floor's hwt).
 */
static void keep_unordered_retired(vmsa_machine_t *m, struct cpu *c)
{
	uint64_t floor;
	unsigned k = 0;

	if (!m->f.relaxed || !c->retired.n) {
		held_clear(&c->retired);
		c->fresh.n = 0;
		return;
	}
	floor = order_fault_floor(m, (int)c->id);
	for (unsigned i = 0; i < c->retired.n; i++)
		if (c->retired.p[i].tlbi_ts > floor)
			c->retired.p[k++] = c->retired.p[i];
	held_truncate(&c->retired, k);
	if (!k)
		c->fresh.n = 0;
}

void cse(vmsa_machine_t *m, struct cpu *c)
{
	/* The start of the CPU's window, which other CPUs' stores and
	 * publishing DSBs are ordered with; emptying its retiring and
	 * retired entries. */
	fp_flags(m, FP_DESC_R);
	fp_obj(m, FP_OBJ_WINDOW + c->id, true);
	cse_footprint(m, c);
	c->last_cse = m->step;
	held_clear(&c->retiring);
	if (m->f.relaxed)
		order_isb(m, (int)c->id);
	keep_unordered_retired(m, c);
	/* What is pending now is taken before the next instruction. */
	c->irq_cse = m->step;
}

static bool protected_loc(const struct pending_tlbi *p, uint64_t loc)
{
	for (unsigned i = 0; i < p->protect.n; i++)
		if (p->protect.p[i] == loc)
			return true;
	return false;
}

/* Does the TLBI remove held entry h? Combined entries made from stage-2
 * values stand for every VA (vmsa_tlbi_matches_any_va). */
static bool removes(const struct pending_tlbi *p, const struct held *h)
{
	if (protected_loc(p, h->loc))
		return false;
	if (h->any_va)
		return vmsa_tlbi_matches_any_va(&p->t, &h->tag);
	return vmsa_tlbi_matches(&p->t, &h->tag);
}

/* Does the TLBI leave nothing of context x in a TLB, so that a CPU that
 * no longer uses x has nothing of it cached? */
static bool clears_context(const struct pending_tlbi *p,
			   const vmsa_regime_cfg_t *x)
{
	const vmsa_tlbi_info_t *info = vmsa_tlbi_info(p->t.op.type);
	bool has_s2 = x->regime == VMSA_REGIME_EL10 && x->s2.enabled;

	if (x->regime != p->t.regime)
		return false;
	switch (info->scope) {
	case VMSA_TLBI_SCOPE_ALL:
		return true;
	case VMSA_TLBI_SCOPE_VMALLS12:
		return x->s2.vmid == p->t.vmid;
	case VMSA_TLBI_SCOPE_VMALL:
		return !has_s2 && (x->regime != VMSA_REGIME_EL10 ||
				   x->s2.vmid == p->t.vmid);
	default:
		return false;
	}
}

/*
 * Does the issuer c of a TLBI keep entry h, which the TLBI removed, until
 * its next context synchronisation event? Without FEAT_ETS2 it does
 * (RBLDZX: for the issuer's TLB the TLBI is complete after the DSB and a
 * context synchronisation event). With FEAT_ETS2 it does not: B2.3's
 * TTD-read-ordered-before, FEAT_ETS2 case (E1 TLBI-before the TLBI
 * E3, E3 before a DSB FULL E4 in program order, E4 before E2, an
 * Implicit TTD Memory Effect) orders every later walk of the issuer
 * after the TLBI, so none of them can be a TTD read the TLBI removed
 * (herd7: TLBI-after; [TLBI]; DSB-ob, DSB-ob reaching [Imp & TTD & M]
 * with ETS2; Arm's ETS2.CoWR0+tlbi-sync.ishsptev0p-fripptev0, VIS7+TLBI,
 * coRRExpNExp+DSB-TLBI-DSB2: Forbidden). The completing DSB is always
 * a DSB FULL (completes()). RBLDZX's extra context synchronisation
 * event for translations with execute permission concerns instruction
 * fetches, which RNNFPF and ETS-ordered-before leave out too; this model
 * translates no instruction fetch, so no entry stays for it.
 */
static bool issuer_keeps(const vmsa_machine_t *m, const struct cpu *c,
			 const struct cpu *issuer)
{
	return c == issuer && !m->f.ets2;
}

/*
 * Feature relaxed: a stage-1 leaf another CPU's broadcast TLBI removed
 * from c stays usable by c's translations that are not ordered after the
 * TLBI's completion (tlbi_ts: its place, order_tlbi_done). Two loads
 * of one page with nothing ordering them may be translated in either
 * order (B2.3.7: no Ordered-before between them; the later one's
 * TTD read may be TLBI-before the TLBI, which TLBI-ordered-before then
 * orders before the issuer's Effects after its DSB; herd's
 * coRR-pte9-plus8 Allowed).
 */
static void retire(vmsa_machine_t *m, const struct pending_tlbi *p,
		   struct cpu *c, const struct held *h)
{
	struct held r = *h;

	if (!m->f.relaxed || p->sh == VMSA_TLBI_NSH ||
	    h->tag.stage != VMSA_TLB_S1 || !h->tag.leaf)
		return;
	r.tlbi_ts = p->ts;
	r.sole = false;	/* mark_sole() decides, once all are removed */
	/* Its part of c's TLB is written (tlbi_removes); whether c's next
	 * context synchronisation event empties it is this object. */
	fp_obj(m, FP_OBJ_RETIRED + c->id, true);
	if (held_add(&c->retired, &r))
		violation(m, (int)c->id, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for TLB entries");
}

/*
 * Do this TLBI's removals commute with every other TLBI completion's
 * (footprint.h, FP_SUB_DEL; docs/explorer.md, "Removals that commute")?
 * A completion on c deletes the held and retiring entries removes()
 * selects (the issuer, without FEAT_ETS2, moves its held ones to its
 * retiring set instead: issuer_keeps()), keeping the order of the rest
 * (apply()). removes() tests the TLBI and the entry alone, so two
 * completions leave the same sets, in the same order, whichever runs
 * first, and each selects the same entries of what is left; even the
 * issuer's move: an entry both select ends deleted, an entry only the
 * issuer's selects ends retiring (at the same place: appended in the
 * held set's order, after the retiring entries neither deletes). Two
 * conditions make that exact:
 *  - the TLBI protects no location (its issuer had no pending store
 *    when it was issued): removes() then gives one answer for entries
 *    held_add() counts as one (same tag, value and any_va, but another
 *    location), so an entry the move into the retiring set drops as a
 *    duplicate is deleted or kept with the one it duplicates;
 *  - not the feature relaxed: there another CPU's broadcast TLBI
 *    retires the stage-1 leaves it deletes from the held set into c's
 *    retired set, at its place in the order of writes (retire()), and
 *    not those it deletes from the retiring set: an entry both TLBIs
 *    select is retired only when that one runs first.
 * Anything else of a completion (the contexts it may uncache, the
 * ordering model's records) it records as before.
 */
static bool removal_commutes(const vmsa_machine_t *m,
			     const struct pending_tlbi *p)
{
	return !m->f.relaxed && !p->protect.n;
}

/*
 * What a TLBI's completion on c reads of c's TLB (footprint.h,
 * fp_tlb_lookup): a TLBI by address (VA, VAA or IPAS2, not a range over
 * more than one 4 KiB unit) looks only at entries whose own input range
 * may hold the address (vmsa_tlbi_matches: addr_selected), which are
 * the entries of the address's unit and the large ones; any other TLBI
 * at every entry. It writes only the parts of the entries it removes
 * (apply(): tlbi_removes()), so a completion that removes nothing a walk
 * can hit is independent of that walk. When its removals commute
 * (removal_commutes()), both are removals (fp_tlb_select,
 * fp_tlb_remove).
 */
static void tlbi_footprint(vmsa_machine_t *m, const struct pending_tlbi *p,
			   const struct cpu *c)
{
	const vmsa_tlbi_info_t *info = vmsa_tlbi_info(p->t.op.type);
	bool by_addr = info && (info->scope == VMSA_TLBI_SCOPE_VA ||
				info->scope == VMSA_TLBI_SCOPE_VAA ||
				info->scope == VMSA_TLBI_SCOPE_IPAS2);
	uint64_t span = by_addr && info->range ? p->t.arg.size : 1;

	if (!m->fp)
		return;
	if (removal_commutes(m, p))
		fp_tlb_select(m, c->id, p->t.arg.addr, span, !by_addr);
	else if (by_addr)
		fp_tlb_lookup(m, c->id, p->t.arg.addr, span, false);
	else
		fp_tlb_whole(m, c->id, false);
}

/* The TLBI removes h from c's TLB (or moves it to its retiring or
 * retired entries: the same part). */
static void tlbi_removes(vmsa_machine_t *m, const struct pending_tlbi *p,
			 const struct cpu *c, const struct held *h)
{
	if (removal_commutes(m, p))
		fp_tlb_remove(m, c->id, &h->tag, h->desc, h->any_va);
	else
		fp_tlb_entry(m, c->id, &h->tag, h->desc, h->any_va, true);
}

static bool s1_leaf(const struct held *h)
{
	return h->tag.stage == VMSA_TLB_S1 && h->tag.leaf;
}

/* Delete from c's retiring set the entries the TLBI removes, keeping
 * the order of the rest (removal_commutes() needs it). Returns how many
 * of them were stage-1 leaves. */
static unsigned remove_retiring(vmsa_machine_t *m,
				const struct pending_tlbi *p, struct cpu *c)
{
	unsigned k = 0, leaves = 0;

	for (unsigned i = 0; i < c->retiring.n; i++) {
		if (removes(p, &c->retiring.p[i])) {
			leaves += s1_leaf(&c->retiring.p[i]);
			tlbi_removes(m, p, c, &c->retiring.p[i]);
		} else
			c->retiring.p[k++] = c->retiring.p[i];
	}
	held_truncate(&c->retiring, k);
	return leaves;
}

/*
 * The entry this completion just retired into c->retired.p[n0], when it
 * added one: sole when it was the only stage-1 leaf the completion
 * removed from c (`leaves` counts them) and memory no longer holds its
 * value (the retired-entry rule's conditions: translate.c,
 * retired_alone()). complete_tlbis() clears it again when the DSB
 * completes more than one TLBI.
 */
static void mark_sole(vmsa_machine_t *m, struct cpu *c, unsigned n0,
		      unsigned leaves)
{
	struct held *r;

	/* Only then is there an entry at n0 (the set may have none: no
	 * pointer into it before). */
	if (c->retired.n != n0 + 1 || leaves != 1)
		return;
	r = &c->retired.p[n0];
	r->sole = mem_read(&m->mem, r->loc, 8) != r->desc;
}

/* Not sole, the entries retired by TLBIs completed at this step (one
 * DSB completed several TLBIs: the entry's own completion was not all
 * the step removed). By step, not by place: a TLBI's place may be below
 * older ones (order_tlbi_done). */
static void unmark_sole(vmsa_machine_t *m)
{
	for (unsigned k = 0; k < m->f.ncpus; k++)
		for (unsigned i = 0; i < m->cpu[k].retired.n; i++)
			if (order_tlbi_now(m, m->cpu[k].retired.p[i].tlbi_ts))
				m->cpu[k].retired.p[i].sole = false;
}

static void apply(vmsa_machine_t *m, const struct pending_tlbi *p,
		  struct cpu *issuer, struct cpu *c)
{
	struct held_set *hs = &c->held;
	unsigned k = 0, leaves = 0, n0 = c->retired.n;

	/* The entries of c's TLB it may remove: its walks and the stores
	 * that give old values to it or check it read them. */
	tlbi_footprint(m, p, c);
	/* The entries it keeps stay in their order (removal_commutes()). */
	for (unsigned i = 0; i < hs->n; i++) {
		struct held h = hs->p[i];

		if (!removes(p, &h)) {
			hs->p[k++] = h;
			continue;
		}
		tlbi_removes(m, p, c, &h);
		leaves += s1_leaf(&h);
		/* The issuer may use what it removed until its next context
		 * synchronisation event, without ETS2 (issuer_keeps). */
		if (issuer_keeps(m, c, issuer) && held_add(&c->retiring, &h))
			violation(m, (int)c->id, VMSA_V_MODEL_LIMIT, NULL,
				  "model limit: out of memory for TLB entries");
		if (c != issuer)
			retire(m, p, c, &h);
	}
	held_truncate(hs, k);
	if (c != issuer) {
		leaves += remove_retiring(m, p, c);
		mark_sole(m, c, n0, leaves);
	}
	for (unsigned x = 0; x < m->n_ctx; x++) {
		if (!clears_context(p, &m->ctx.p[x].cfg))
			continue;
		/* Whether c uses x (cpu_update_context writes it) and
		 * caches it: a look, then an uncaching, which commutes with
		 * another completion's (fp_tlb_ctx_uncache). */
		fp_tlb_use(m, c->id, x, false);
		if ((int)x != c->cur_ctx && cpu_caches_ctx(c, x)) {
			fp_tlb_ctx_uncache(m, c->id, x, true);
			fp_obj(m, FP_OBJ_CACHED, true);
			cpu_uncache_ctx(c, x);
			fp_struct_uncached(m, x);
			if (!ctx_cached_by_any(m, x))
				ctx_forget_pages(m, x);
		} else {
			fp_tlb_ctx_uncache(m, c->id, x, false);
		}
	}
}

static void complete_tlbis(vmsa_machine_t *m, struct cpu *c, vmsa_barrier_t b)
{
	unsigned kept = 0, done = 0;

	for (unsigned i = 0; i < c->pending_tlbi.n; i++) {
		struct pending_tlbi *p = &c->pending_tlbi.p[i];

		if (!completes(b, p->sh)) {
			/* A DSB NSH completes a broadcast TLBI on the
			 * issuing PE only, the one PE affected by both
			 * (B2.4.1, "The completion of any cache or TLB
			 * maintenance instruction includes its completion on
			 * all PEs that are affected by both the instruction
			 * and the DSB"): the others wait for a DSB ISH. */
			if (b == VMSA_BAR_NSH && !p->local_done) {
				apply(m, p, c, c);
				p->local_done = true;
			}
			c->pending_tlbi.p[kept++] = *p;
			continue;
		}
		/* A broadcast TLBI's completion, which other CPUs' walks
		 * may be ordered after (order.c). */
		if (m->f.relaxed && p->sh != VMSA_TLBI_NSH) {
			p->ts = order_tlbi_done(m, (int)c->id, &p->t,
						p->view, p->step);
			done++;
		}
		if (p->sh == VMSA_TLBI_NSH) {
			if (m->f.relaxed)
				order_tlbi_local_done(m, (int)c->id, &p->t,
						      p->view);
			apply(m, p, c, c);
		} else {
			/* Not again on the issuer once done there: entries
			 * it cached since then are not removed. */
			for (unsigned k = 0; k < m->f.ncpus; k++)
				if (&m->cpu[k] != c || !p->local_done)
					apply(m, p, c, &m->cpu[k]);
		}
		pa_vec_free(&p->protect);
	}
	c->pending_tlbi.n = kept;
	if (done > 1)
		unmark_sole(m);
}

/* The CPU's stores become visible to every walker. */
static void publish(vmsa_machine_t *m, struct cpu *c)
{
	if (c->pending_st.n) {
		m->hist_gen++;	/* walks read other values now */
		/* The visibility of the words (their histories), compared
		 * with every CPU's window (the part of each word, below);
		 * and the values other descriptor stores' checks may read. */
		fp_obj(m, FP_OBJ_STORES, true);
		/* Walks of CPUs ordered after this DSB see them (order.c). */
		if (m->f.relaxed)
			order_publish(m, (int)c->id, c->pending_st.p,
				      c->pending_st.n);
	}
	for (unsigned i = 0; i < c->pending_st.n; i++) {
		uint64_t pa = c->pending_st.p[i];
		struct hist *h = hist_find(&m->hist, pa);

		/* Under relaxed the ordering model reads the word's
		 * history in many places: the word, as before. */
		if (m->f.relaxed)
			fp_word(m, pa, true);
		/* The part of pa in every CPU's window (footprint.h,
		 * fp_window_word_all: walks compare the window with the
		 * histories of the words they read). */
		fp_window_word_all(m, pa);
		if (h && hist_publish(h, (int)c->id, m->step) &&
		    !m->f.relaxed) {
			/* Its visibility, not its contents (footprint.h,
			 * FP_SUB_VIS). */
			fp_vis(m, pa, true);
			fp_vis_version(m, pa, h->pubs, true);
		}
	}
	c->pending_st.n = 0;
}

void vmsa_dsb(vmsa_machine_t *m, int cpu, vmsa_barrier_t b)
{
	struct cpu *c;

	if (!check_cpu(m, "vmsa_dsb", cpu) ||
	    !check_barrier(m, "vmsa_dsb", cpu, b) || !step_begin(m, cpu))
		return;
	c = &m->cpu[cpu];
	trace(m, cpu, "dsb", "%s", vmsa_barrier_name(b));
	/* Completing TLBIs changes the TLBs of the CPUs they apply to
	 * (apply()), publishing stores the words published (publish());
	 * with ETS2 it starts the CPU's window. It reads the contexts. */
	fp_flags(m, FP_DESC_R);
	if (m->f.ets2)
		fp_obj(m, FP_OBJ_WINDOW + c->id, true);
	/* TLBIs first: the stores pending when they were issued keep their
	 * old values held (protect lists), whatever publish() does now. */
	complete_tlbis(m, c, b);
	/* A DSB orders data accesses at least as its DMB does (B2.3.7);
	 * before publish(), whose place in memory's order follows what the
	 * DSB orders (order_publish). */
	if (m->f.relaxed)
		order_barrier(m, cpu, b, true);
	if (!bar_loads_only(b))
		publish(m, c);
	c->last_dsb = m->step;
	if (m->f.relaxed && !bar_loads_only(b) && !bar_stores_only(b))
		order_hw_dsb(m, cpu);
}

void vmsa_dmb(vmsa_machine_t *m, int cpu, vmsa_barrier_t b)
{
	if (!check_cpu(m, "vmsa_dmb", cpu) ||
	    !check_barrier(m, "vmsa_dmb", cpu, b) || !step_begin(m, cpu))
		return;
	/* Without the feature relaxed, plain accesses are sequentially
	 * consistent, and a DMB orders nothing for the translation
	 * machinery (a DSB does). */
	trace(m, cpu, "dmb", "%s", vmsa_barrier_name(b));
	if (m->f.relaxed)
		order_barrier(m, cpu, b, false);
}

void vmsa_isb(vmsa_machine_t *m, int cpu)
{
	if (!check_cpu(m, "vmsa_isb", cpu) || !step_begin(m, cpu))
		return;
	trace(m, cpu, "isb", "%s", "");
	cse(m, &m->cpu[cpu]);
}

static void tlbi_v(vmsa_machine_t *m, int cpu, vmsa_tlbi_op_t op, uint64_t xt,
		   vmsa_view_t dep, const char *fn)
{
	struct cpu *c;
	uint64_t hcr;
	struct pending_tlbi p;
	char name[48];

	if (!check_cpu(m, fn, cpu) ||
	    !check_tlbi_op(m, fn, cpu, op) || !step_begin(m, cpu))
		return;
	c = &m->cpu[cpu];
	hcr = c->regs.r[VMSA_REG_HCR_EL2];
	/* The operation's name is only for a trace or a report: formatting
	 * it for every TLBI cost more than the TLBI. */
	if (m->trace) {
		vmsa_tlbi_format(name, sizeof(name), op);
		/* Without its "tlbi " (the operation column says it). */
		trace(m, cpu, "tlbi", "%s, 0x%llx", name + strlen("tlbi "),
		      (unsigned long long)xt);
	}
	if (!vmsa_tlbi_allowed(op, c->el, m->f.tlbirange, true)) {
		vmsa_tlbi_format(name, sizeof(name), op);
		undefined_instruction(m, cpu, name);
		return;
	}
	memset(&p, 0, sizeof(p));
	p.t.op = op;
	p.t.arg = vmsa_tlbi_decode(op.type, xt);
	p.t.regime = vmsa_tlbi_regime(op.type, c->el, hcr);
	p.t.vmid = vmsa_vmid(c->regs.r[VMSA_REG_VTTBR_EL2],
			     c->regs.r[VMSA_REG_VTCR_EL2]);
	p.sh = vmsa_tlbi_effective_sh(op, c->el, hcr);
	p.step = m->step;
	if (m->f.relaxed)
		p.view = order_tlbi_view(m, cpu) > dep ?
			 order_tlbi_view(m, cpu) : dep;
	if (c->pending_st.n) {
		if (pa_vec_reserve(&p.protect, c->pending_st.n))
			goto oom;
		memcpy(p.protect.p, c->pending_st.p,
		       c->pending_st.n * sizeof(*p.protect.p));
		p.protect.n = c->pending_st.n;
	}
	if (tlbi_vec_push(&c->pending_tlbi, p) == 0)
		return;
	pa_vec_free(&p.protect);
oom:
	violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
		  "model limit: out of memory for pending TLB maintenance");
}

void vmsa_tlbi(vmsa_machine_t *m, int cpu, vmsa_tlbi_op_t op, uint64_t xt)
{
	tlbi_v(m, cpu, op, xt, 0, "vmsa_tlbi");
}

void vmsa_tlbi_v(vmsa_machine_t *m, int cpu, vmsa_tlbi_op_t op, uint64_t xt,
		 vmsa_view_t dep)
{
	tlbi_v(m, cpu, op, xt, dep, "vmsa_tlbi_v");
}
