/*
 * src/model/hwspec.c - speculative hardware Access flag updates.
 *
 * With AF hardware management enabled, hardware may set AF for a
 * translation made for a speculative access, or with no architecturally
 * executed access at all (D8.5.1.2: RLHQRX, RGGYFS, ILLCCB, IPJWQY). Such
 * an update is ordered with no instruction of any CPU: like the update of
 * an access (RLFTXR) it is an atomic read-modify-write of the descriptor,
 * and nothing else constrains it. herd7 models it the same way (herd/mem.ml
 * add_setaf, AArch64Sem.ml spurious_setaf): for each write of a valid
 * descriptor with AF = 0 to a translation table entry, the initial value
 * included, an optional event that reads that value and writes it with
 * AF = 1, atomically, so right after it in coherence order.
 *
 * The model does the same under Arm's ordering of data accesses (features
 * relaxed and hafdbs; without relaxed every update is made by an access
 * in its step, docs/model.md), as a choice of the explorer:
 *  - right after a CPU writes such a value (the update is then the
 *    word's newest message, and visible to walks when the write is: the
 *    writer's next DSB);
 *  - for an initial value, when a CPU first uses a context with HA whose
 *    tables hold it, if no one has written the word yet.
 * At most one update per value written: a second one would find AF = 1
 * and write nothing (herd7 adds at most one per write too), so the bound
 * loses nothing. Its place in memory's order: appended, or right after
 * the value it updates (order.c, spec_write_ts). What is lost
 * (docs/model.md): an update placed between those two or later than
 * writes to other locations made after the value it updates, and the
 * initial value's update once the word has been written.
 */
#include <inttypes.h>

#include "af_memo.h"
#include "context.h"
#include "footprint.h"
#include "hwspec.h"
#include "hist.h"
#include "order.h"
#include "translate.h"
#include "write.h"

/*
 * Walks are not ordered with a speculative update either (herd7 has no
 * ob edge from a walk's read to an update coherence-after it): the value
 * it updated stays one a walk may read, beside the update, until a newer
 * write becomes visible to walks. So its value in the word's history is
 * pending for good (no CPU's DSB publishes it), and an initial value
 * gets a history.
 */
void spec_hist(vmsa_machine_t *m, uint64_t word, uint64_t v, uint64_t nv)
{
	struct hist *h = hist_find(&m->hist, word);

	if (!h) {
		h = hist_write(&m->hist, word, v, nv, -1, m->step,
			       oldest_window(m));
		if (!h) {
			violation(m, m->step_cpu, VMSA_V_MODEL_LIMIT, NULL,
				  "model limit: out of memory for descriptor "
				  "history");
			return;
		}
	}
	if (h->n && h->v[h->n - 1].value == nv) {
		h->v[h->n - 1].vis_step = HIST_PENDING;
		h->v[h->n - 1].cpu = -1;
		h->v[h->n - 1].hw = true;
	}
}

/* Make the update of v at word, as cpu's write (-1: none). */
static void update(vmsa_machine_t *m, int cpu, uint64_t word, uint64_t v)
{
	uint64_t nv = v | VMSA_D_AF;

	trace(m, m->step_cpu, "hw-update", "[0x%" PRIx64 "] 0x%016" PRIx64
	      " -> 0x%016" PRIx64 ": speculative AF", word, v, nv);
	desc_store(m, cpu, word, nv);
	if (m->stopped)
		return;
	/* No CPU's message: only the DSBs of CPUs whose walks read it
	 * publish it (order_hw_dsb). */
	order_spec_write(m, -1, word, v, nv);
	spec_hist(m, word, v, nv);
}

void spec_af_after_write(vmsa_machine_t *m, int cpu, uint64_t word,
			 uint64_t v, bool loaded)
{
	/* herd7: no update for an atomic that wrote back what it read. */
	if (loaded || m->stopped || mem_read(&m->mem, word, 8) != v ||
	    !spec_af_leaf(m, word, v))
		return;
	if (choose(m, 2, "speculative AF update"))
		update(m, cpu, word, v);
}

/* Offer the update of entry k of table page tp, whose words are at
 * bytes, a Block or Page descriptor with AF = 0, when its word has not
 * been seen yet (order_spec_first). */
static void offer(vmsa_machine_t *m, const struct tpage *tp,
		  const uint8_t *bytes, unsigned k)
{
	uint64_t pa = tp->pa + 8ull * k;
	uint64_t v = mem_load_le(bytes + 8ull * k, 8);

	if (!order_spec_first(m, pa))
		return;
	if (choose(m, 2, "speculative AF update"))
		update(m, -1, pa, v);
}

/* Can one of the n entries at bytes be a leaf with AF = 0? */
static uint64_t some_maybe_leaf0(const uint8_t *bytes, unsigned n)
{
	uint64_t any = 0;

	for (unsigned k = 0; k < n; k++)
		any |= af_maybe_leaf0(mem_load_le(bytes + 8ull * k, 8));
	return any;
}

/* The same for eight entries, the scan's usual block: a fixed count
 * the compiler unrolls (the loop with a variable count was a twentieth
 * of a litmus search's instructions). */
static uint64_t block_maybe_leaf0(const uint8_t *bytes)
{
	uint64_t any = 0;

	for (unsigned k = 0; k < 8; k++)
		any |= af_maybe_leaf0(mem_load_le(bytes + 8ull * k, 8));
	return any;
}

/* Candidates of a written table taken from the memo and the word log
 * (more: the table is read in place). */
#define AF_LOGGED_MAX 64u

/*
 * Offer the update of every leaf with AF = 0 of table page tp, whose
 * words are at bytes. A CPU calls this at every exception entry and
 * return. A table as the snapshot left it has its candidates remembered
 * (af_memo.c); a table changed since by stores only has them from the
 * memo and the words the stores wrote (af_memo_cands_logged). An update
 * made here changes only the word it updates, so the entries after it
 * are still as found. Another is read in place, skipping eight entries
 * at a time when none of them can be such a leaf (most entries are
 * invalid). Both offer the same entries in the
 * same order.
 */
static void scan_page(vmsa_machine_t *m, const struct tpage *tp,
		      vmsa_granule_t g, const uint8_t *bytes)
{
	struct af_cands cands;
	uint16_t k[AF_LOGGED_MAX];
	unsigned n;

	if (af_memo_cands(m, tp, g, &cands)) {
		for (unsigned i = 0; i < cands.n && !m->stopped; i++)
			offer(m, tp, bytes, cands.k[i]);
		return;
	}
	if (af_memo_cands_logged(m, tp, g, k, AF_LOGGED_MAX, &n)) {
		for (unsigned i = 0; i < n && !m->stopped; i++)
			offer(m, tp, bytes, k[i]);
		return;
	}
	for (unsigned k0 = 0; k0 < tp->entries && !m->stopped; k0 += 8) {
		unsigned n = tp->entries - k0 < 8 ? tp->entries - k0 : 8;

		if (!(n == 8 ? block_maybe_leaf0(bytes + 8ull * k0) :
			       some_maybe_leaf0(bytes + 8ull * k0, n)))
			continue;
		for (unsigned k = k0; k < k0 + n && !m->stopped; k++)
			if (af_candidate(mem_load_le(bytes + 8ull * k, 8),
					 tp->level, g))
				offer(m, tp, bytes, k);
	}
}

void spec_af_context(vmsa_machine_t *m, int cpu, unsigned i)
{
	const struct context *c = &m->ctx.p[i];

	if (!(c->cfg.s1.enabled && c->cfg.s1.ha) &&
	    !(c->cfg.s2.enabled && c->cfg.s2.ha))
		return;
	/* It scans every table page of the context: the whole structure
	 * (footprint.h). */
	fp_struct_whole(m, false);
	if (ctx_refresh(m, i)) {
		violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for the table pages of "
			  "a context");
		return;
	}
	c = &m->ctx.p[i];
	for (unsigned p = 0; p < c->pages.n && !m->stopped; p++) {
		const struct tpage tp = c->pages.p[p];
		const vmsa_stage_cfg_t *st = tp.stage == VMSA_STAGE2 ?
			&c->cfg.s2 : &c->cfg.s1;
		vmsa_granule_t g = tp.stage == VMSA_STAGE2 ?
			st->tt[0].granule : st->tt[tp.tt].granule;

		if (!st->enabled || !st->ha ||
		    !mem_contains(&m->mem, tp.pa, 8ull * tp.entries))
			continue;
		scan_page(m, &tp, g, m->mem.bytes + (tp.pa - m->mem.base));
	}
}
