/*
 * src/model/structure.c - which pages' places in the translation tables
 * a step changed, for the reduction's footprint of the table structure
 * (footprint.h, fp_struct_*; docs/explorer.md, "Table structure by
 * page").
 *
 * Whether a store is a descriptor store, and its slots, is a function
 * of the page list of every cached context at the store's page
 * (find_slots() in write.c). Those lists are remembered per context and
 * scanned again after m->table_gen moves (ctx_refresh()). A step that
 * moves it takes the lists of the cached contexts before its first move
 * (fp_struct_before(), what a store just before the step would use) and
 * compares them at its end with fresh scans (what a store just after it
 * would use): the pages where a context's records that cover them
 * differ between the two (a record in one and not in the other, or in
 * another order) are the pages whose answer may differ, and their
 * parts are written. For every other
 * page the answer is the same before and after the step, so a store
 * there and the step commute as far as the structure goes.
 *
 * The fresh scans leave the remembered lists as a search without the
 * reduction would: marked for a scan at their next use (the plain model
 * scans lazily, and what it then reads is what the next use sees).
 */
#include "context.h"
#include "footprint.h"


void fp_struct_before(vmsa_machine_t *m)
{
	struct footprint *fp = m->fp;

	/* Only before the step's first change: later ones compare with
	 * the same lists. */
	if (!fp || m->table_gen != fp->table_gen0)
		return;
	fp->snap.n = 0;
	fp->snap_ok = true;
	for (unsigned i = 0; i < m->n_ctx && fp->snap_ok; i++) {
		const struct context *c;

		if (!ctx_cached_by_any(m, i))
			continue;
		if (ctx_refresh(m, i)) {
			fp->snap_ok = false;
			break;
		}
		c = &m->ctx.p[i];
		for (unsigned p = 0; p < c->pages.n; p++)
			if (fp_tpage_vec_push(&fp->snap, (struct fp_tpage){
				.ctx = i, .tp = c->pages.p[p]})) {
				fp->snap_ok = false;
				break;
			}
	}
}

static bool same_tpage(const struct tpage *a, const struct tpage *b)
{
	return a->pa == b->pa && a->ia_base == b->ia_base &&
	       a->stage == b->stage && a->level == b->level &&
	       a->tt == b->tt && a->entries == b->entries;
}

/* Does table page tp cover any byte of the 4 KiB page pg? */
static bool covers(const struct tpage *tp, uint64_t pg)
{
	uint64_t end = tp->pa + 8ull * (tp->entries ? tp->entries : 1);

	return tp->pa >> 12 <= pg && pg <= (end - 1) >> 12;
}

/* Are the records of context ctx that cover page pg the same, in the
 * same order, in the snapshot and in v? (find_slots() gives a word's
 * slots in that order, and a store acts on them in turn.) */
static bool same_at(const struct footprint *fp, unsigned ctx,
		    const struct tpage_vec *v, uint64_t pg)
{
	unsigned k = 0;

	for (unsigned p = 0; p < v->n; p++) {
		if (!covers(&v->p[p], pg))
			continue;
		while (k < fp->snap.n && !(fp->snap.p[k].ctx == ctx &&
					   covers(&fp->snap.p[k].tp, pg)))
			k++;
		if (k == fp->snap.n || !same_tpage(&fp->snap.p[k].tp, &v->p[p]))
			return false;
		k++;
	}
	for (; k < fp->snap.n; k++)
		if (fp->snap.p[k].ctx == ctx && covers(&fp->snap.p[k].tp, pg))
			return false;
	return true;
}

static bool all_parts(unsigned done)
{
	return done == (1u << FP_STRUCT_PARTS) - 1;
}

/* The part of page pg, written (once: *done has a bit per part). */
static void page_changed(vmsa_machine_t *m, uint64_t pg, unsigned *done)
{
	unsigned bit = 1u << (pg % FP_STRUCT_PARTS);

	if (*done & bit)
		return;
	*done |= bit;
	fp_struct_page(m, pg << 12, true);
}

/* The parts of the 4 KiB pages table page tp covers, written. */
static void tpage_changed(vmsa_machine_t *m, const struct tpage *tp,
			  unsigned *done)
{
	uint64_t end = tp->pa + 8ull * (tp->entries ? tp->entries : 1);

	for (uint64_t pg = tp->pa >> 12; pg <= (end - 1) >> 12 &&
	     !all_parts(*done); pg++)
		page_changed(m, pg, done);
}

/* The pages tp covers where context ctx's records differ between the
 * snapshot and v, written. */
static void tpage_diff(vmsa_machine_t *m, unsigned ctx,
		       const struct tpage_vec *v, const struct tpage *tp,
		       unsigned *done)
{
	uint64_t end = tp->pa + 8ull * (tp->entries ? tp->entries : 1);

	for (uint64_t pg = tp->pa >> 12; pg <= (end - 1) >> 12 &&
	     !all_parts(*done); pg++)
		if (!(*done & 1u << (pg % FP_STRUCT_PARTS)) &&
		    !same_at(m->fp, ctx, v, pg))
			page_changed(m, pg, done);
}

/* Context i is cached now: scan it afresh and mark every page where its
 * records differ from the snapshot's. False when it cannot be scanned. */
static bool diff_context(vmsa_machine_t *m, unsigned i, unsigned *done)
{
	const struct footprint *fp = m->fp;
	struct context *c = &m->ctx.p[i];
	uint64_t gen = c->pages_gen;

	if (ctx_refresh(m, i))
		return false;
	c = &m->ctx.p[i];
	for (unsigned p = 0; p < c->pages.n; p++)
		tpage_diff(m, i, &c->pages, &c->pages.p[p], done);
	for (unsigned k = 0; k < fp->snap.n; k++)
		if (fp->snap.p[k].ctx == i)
			tpage_diff(m, i, &c->pages, &fp->snap.p[k].tp, done);
	/* Scanned for this comparison only: as without a recorder, the
	 * next use scans again (the list was not current before). */
	if (gen != m->table_gen)
		c->pages_gen = gen;
	return true;
}

void fp_struct_changed(vmsa_machine_t *m)
{
	struct footprint *fp = m->fp;
	unsigned done = 0;

	if (!fp)
		return;
	if (!fp->snap_ok) {
		fp_struct_whole(m, true);
		return;
	}
	for (unsigned i = 0; i < m->n_ctx; i++) {
		if (!ctx_cached_by_any(m, i))
			continue;
		if (!diff_context(m, i, &done)) {
			fp_struct_whole(m, true);
			return;
		}
	}
	/* A context cached before and not now (its uncaching wrote
	 * FP_OBJ_CACHED too): its pages, as changed. */
	for (unsigned k = 0; k < fp->snap.n; k++)
		if (!ctx_cached_by_any(m, fp->snap.p[k].ctx))
			tpage_changed(m, &fp->snap.p[k].tp, &done);
}

void fp_struct_context(vmsa_machine_t *m, unsigned i)
{
	struct context *c;
	unsigned done = 0;
	uint64_t gen;

	if (!m->fp || i >= m->n_ctx)
		return;
	c = &m->ctx.p[i];
	gen = c->pages_gen;
	if (ctx_refresh(m, i)) {
		fp_struct_whole(m, true);
		return;
	}
	c = &m->ctx.p[i];
	for (unsigned p = 0; p < c->pages.n && !all_parts(done); p++)
		tpage_changed(m, &c->pages.p[p], &done);
	/* As in diff_context(): scanned for the footprint only. */
	if (gen != m->table_gen)
		c->pages_gen = gen;
}

void fp_struct_uncached(vmsa_machine_t *m, unsigned i)
{
	if (m->fp && !ctx_cached_by_any(m, i))
		fp_struct_context(m, i);
}
