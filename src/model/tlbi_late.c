/*
 * src/model/tlbi_late.c - a walk made after another CPU's TLBI completed
 * (step order) that is TLBI-before it all the same (feature `relaxed`).
 *
 * B2.3 "TLBI-before, TLBI-after": a Completed TLBI Effect and an Implicit
 * TTD read in its Invalidation Scope are ordered one way or the other;
 * herd7 enumerates both (enumerations.cat, all-TLBI-Imp_TTD_R-enums). The
 * model runs CPUs in steps, so a walk of another CPU not ordered after the
 * TLBI (no barrier or dependency brings the TLBI's completion into its
 * views) may run after the completing DSB and still read a descriptor
 * value the TLBI's issuer overwrote before it. Such a walk cannot be
 * TLBI-after the TLBI: TLBI-coherence-before would order the TLBI before
 * the overwriting store, which its view orders before the TLBI (a cycle
 * in Ordered-before, B2.3.9). So it is TLBI-before, and B2.3.7
 * TLBI-ordered-before (second case: the walk is Translation-
 * intrinsically-before the access or its fault, and TTD-read-ordered-
 * before every Effect after the completing DSB but walks, on another PE)
 * orders the access, and what is ordered before it, before everything
 * the issuer does after that DSB.
 *
 * What the issuer does from now on is ordered by joining the access's
 * view into its views (order_tlbi_ob_join, as order_tlbi_done does for
 * accesses made before the completion). What it did already cannot be
 * moved: a read it made after the DSB that took a value overwritten at
 * or before the access's view broke that order, and the execution is
 * not one of the architecture's. The model marks it (m->ord.infeasible)
 * and its caller drops it, as it drops one that ends with a pending
 * promise (herd's FD and miniMarc05 Forbidden). The check mirrors the
 * join: a read of the issuer gives the same kept results whether the
 * access comes before it or after it in step order.
 */
#include <inttypes.h>

#include "footprint.h"
#include "machine.h"
#include "order.h"

/* Did an access of cpu made after step miss view: a read that took a
 * value overwritten at or before it (one a read ordered after view
 * cannot take), or a write placed at or before it (a write ordered after
 * view takes a later place)? */
static bool missed(const struct order *o, int cpu, uint64_t step,
		   uint64_t view)
{
	for (unsigned i = 0; i < o->reads.n; i++) {
		const struct ord_read *r = &o->reads.p[i];

		if (r->cpu == cpu && r->step > step &&
		    order_overwritten(o, r->word, r->t, view))
			return true;
	}
	for (unsigned i = 0; i < o->msgs.n; i++) {
		const struct ord_msg *g = &o->msgs.p[i];

		if (g->cpu == cpu && g->step > step && g->ts <= view &&
		    g->word != ORD_FENCE && !g->hw)
			return true;
	}
	return false;
}

/*
 * What missed() reads, as footprint items (docs/explorer.md, "What a
 * step touches": the order of writes): the issuer's reads made after
 * step and its messages, and the messages of every word those reads
 * read. The issuer's reads and writes are its own steps, which all read
 * its views (FP_OBJ_VIEWS + cpu, step_begin_at()), and the join that
 * follows writes them: an issuer's access and this step are dependent
 * through that object. A message of another CPU at a word one of those
 * reads read is a write of that word's line (order_write's caller
 * records the store's line or word), so reading the lines of those
 * words meets it; a message at any other word, or a TLBI or DSB's place
 * (ORD_FENCE), does not change missed()'s answer. The infeasible flag
 * it may set is only ever set, never cleared within an execution; the
 * litmus threads read it after each instruction (they stop) and at
 * their end (the execution is discarded, interp.c), so an execution
 * where some step sets it is dropped whatever happens after, and
 * whether a step sets it depends only on what it reads. So this step
 * no longer writes FP_OBJ_ORDER, which every write of every CPU wrote
 * too.
 */
static void issuer_reads_fp(vmsa_machine_t *m, int cpu, uint64_t step)
{
	const struct order *o = &m->ord;

	if (!m->fp)
		return;
	if (cpu != m->step_cpu)
		fp_obj(m, FP_OBJ_VIEWS + (unsigned)cpu, true);
	for (unsigned i = 0; i < o->reads.n; i++) {
		const struct ord_read *r = &o->reads.p[i];

		if (r->cpu == cpu && r->step > step)
			fp_line(m, r->word, false);
	}
}

void order_tlbi_late(vmsa_machine_t *m, int cpu, uint64_t view,
		     const vmsa_tlb_tag_t *tag, uint64_t desc_pa,
		     uint64_t desc)
{
	struct order *o = &m->ord;
	uint64_t word = desc_pa & ~7ull, read = UINT64_MAX;

	for (unsigned i = 0; i < o->tlbis.n; i++) {
		const struct ord_tlbi *t = &o->tlbis.p[i];

		/* "& ext": the access and the Effects after the DSB are
		 * on different PEs. */
		if (t->cpu == cpu || !order_tlbi_covers(&t->t, tag))
			continue;
		if (read == UINT64_MAX) {
			/* The descriptor word's messages. */
			fp_word(m, word, false);
			read = order_newest_ts(o, word, desc);
		}
		if (read == UINT64_MAX || !order_overwritten(o, word, read, t->view))
			continue; /* may be TLBI-after t: no constraint */
		/* What missed() reads (issuer_reads_fp), and the issuer's
		 * views, which the join writes (order_tlbi_ob_join). */
		issuer_reads_fp(m, t->cpu, t->step);
		if (!o->infeasible &&
		    (missed(o, t->cpu, t->step, view) ||
		     order_walks_missed(m, t->cpu, t->step, view, NULL))) {
			o->infeasible = true;
			trace(m, cpu, "infeasible",
			      "a walk TLBI-before CPU %d's TLBI (step %" PRIu64
			      ") whose later read missed this access",
			      t->cpu, t->step);
		}
		order_tlbi_ob_join(m, t->cpu, t->step, view);
	}
}

bool vmsa_infeasible(const vmsa_machine_t *m)
{
	return m->ord.infeasible;
}
