/*
 * src/pgtable/map.c - vmsa_pgt_map: install leaves for a range, the
 * largest the size and alignment allow, allocating tables on the way.
 *
 * One recursive call per table. In a table, a run of entries that can
 * all be leaves at this level is installed in two passes: first the cache
 * maintenance of the run's whole output (one call when the backend takes
 * ranges) and one DSB ISH, then the stores, so that a run costs one
 * barrier, not one per entry.
 *
 * A new table is filled while it is still unlinked (no walker can see it:
 * plain stores, nothing to read back, one reference update for all its
 * entries), then linked with a store-release (a CAS in shared walks), so
 * walkers that see the link see its contents. Out of memory while filling
 * it, what was filled is linked (mapped as asked) and an empty table is
 * freed.
 *
 * An entry in the way is handled by bbm.c: an invalid one is made valid
 * (no TLBI, RXCLRD), a different leaf replaced with the sequence its
 * change needs (RWHZWS), a table replaced by a block (exclusive walks; a
 * shared walk maps into the table instead, never freeing a table another
 * walker may be reading), and a block that must hold smaller mappings is
 * split first.
 */
#include "pgt_int.h"

typedef struct map_args {
	uint64_t start, ia, end; /* the range; ia: the next address */
	uint64_t delta;          /* oa - ia */
	uint64_t attrs;
	unsigned flags;
	unsigned cmo;            /* pgt_cmo_kind of the new leaves */
} map_args_t;

static int map_table(pgt_ctx_t *x, map_args_t *m, uint64_t *table, int level,
		     bool fresh);

/* The Contiguous bit for the leaf at ia: set when its whole aligned run
 * is inside the range and the output is aligned like the input (D8.7.1),
 * so that every entry of the run is written by this call, alike. */
static uint64_t contig_bit(const pgt_ctx_t *x, const map_args_t *m,
			   uint64_t ia, int level)
{
	unsigned n = pgt_contig_n(x->g, level);
	uint64_t run, first;

	if (!(m->flags & VMSA_PGT_CONTIG) || !n)
		return 0;
	run = (uint64_t)n << pgt_sh(x, level);
	first = ia & ~(run - 1);
	if ((m->delta & (run - 1)) || first < m->start ||
	    m->end - first < run)
		return 0;
	return VMSA_D_CONT;
}

/* Whether every entry of the Contiguous run holding entry k is invalid:
 * only then may the new entries carry the bit. Over valid entries, a new
 * entry claiming the whole run would overlap the old ones still in
 * place (a multiple hit, RNGLXZ), so such a run is mapped without it. */
static bool run_empty(pgt_ctx_t *x, uint64_t *table, unsigned k, int level)
{
	unsigned n = pgt_contig_n(x->g, level), i;

	for (i = k & ~(n - 1); i < (k & ~(n - 1)) + n; i++)
		if (pgt_read(x, table + i))
			return false;
	return true;
}

/* Install the leaf new_ at p over whatever is there. */
static int put_leaf(pgt_ctx_t *x, map_args_t *m, uint64_t *p, uint64_t new_,
		    uint64_t ia, int level)
{
	uint64_t old = pgt_read(x, p);
	int err;

	if (!pgt_valid(old))
		return pgt_make(x, p, old, new_);
	if (pgt_is_table(old, level)) {
		if (x->shared)
			return map_table(x, m, pgt_child(x, old), level + 1,
					 false);
		return pgt_table_to_block(x, p, old, new_, ia, level, false);
	}
	if (old == new_)
		return 0;
	/* One entry of a Contiguous run cannot change alone (RNGLXZ). */
	if (old & VMSA_D_CONT) {
		uint64_t run = (uint64_t)pgt_contig_n(x->g, level)
			       << pgt_sh(x, level);

		err = pgt_uncont(x, p, ia & ~(run - 1), level);
		if (err)
			return err;
		old = pgt_read(x, p);
		if (!pgt_valid(old))
			return pgt_make(x, p, old, new_);
	}
	return pgt_replace_leaf(x, p, old, new_, ia, level);
}

/* Entries [i, j) of table at level become leaves mapping m->ia on. */
static int map_leaves(pgt_ctx_t *x, map_args_t *m, uint64_t *table,
		      int level, unsigned i, unsigned j, bool fresh)
{
	uint64_t size = 1ull << pgt_sh(x, level), ia, nv, cont = 0;
	uint64_t oa_mask = pgt_oa_mask(x->g, level);
	uint64_t bits = m->attrs | VMSA_D_VALID | (level == 3 ? VMSA_D_TYPE : 0);
	unsigned n = pgt_contig_n(x->g, level);
	unsigned k;
	int err;

	if (m->cmo &&
	    pgt_cmo_do(x, m->cmo, m->ia + m->delta, (uint64_t)(j - i) * size))
		pgt_dsb(x, VMSA_PGT_DSB_ISH);
	if (fresh) {
		/* Unlinked and empty: plain stores, one reference update;
		 * a run here is empty by construction. */
		for (k = i, ia = m->ia; k < j; k++, ia += size) {
			if (k == i || !(k & (n - 1)))
				cont = contig_bit(x, m, ia, level);
			pgt_write(x, table + k,
				      ((ia + m->delta) & oa_mask) | bits | cont,
				      false);
		}
		m->ia = ia;
		pgt_ref(x, table, (int)(j - i));
		return 0;
	}
	for (k = i; k < j; k++) {
		ia = m->ia;
		/* Decided once per run, at its first entry (or the first
		 * of this call). */
		if (k == i || !(k & (n - 1))) {
			cont = contig_bit(x, m, ia, level);
			if (cont && !run_empty(x, table, k, level))
				cont = 0;
		}
		nv = ((ia + m->delta) & oa_mask) | bits | cont;
		err = put_leaf(x, m, table + k, nv, ia, level);
		if (err)
			return err;
		m->ia = ia + size;
	}
	return 0;
}

/* Fill a new, unlinked table for the part of the range under entry p,
 * then link it. */
static int map_new_table(pgt_ctx_t *x, map_args_t *m, uint64_t *p,
			 uint64_t old, int level, bool fresh)
{
	uint64_t *t = x->ops->zalloc_page(x->c);
	int err, link;

	if (!t)
		return -ENOMEM;
	err = map_table(x, m, t, level + 1, true);
	if (err && x->ops->page_count(x->c, t) == 1) {
		pgt_free_tree(x, t, level + 1);
		return err;
	}
	if (fresh) {
		pgt_write(x, p, pgt_mk_table(x, t), false);
		pgt_ref(x, pgt_page_of(x, p), 1);
		return err;
	}
	link = pgt_make(x, p, old, pgt_mk_table(x, t));
	if (link) {
		pgt_free_tree(x, t, level + 1);
		return link;
	}
	return err;
}

/* Map the part of the range under entry p (not a whole leaf here) in the
 * table below it: the existing one, a new one, or the split block. */
static int descend_old(pgt_ctx_t *x, map_args_t *m, uint64_t *p,
		       uint64_t old, int level, bool fresh)
{
	uint64_t size = 1ull << pgt_sh(x, level);
	int err;

	if (pgt_is_table(old, level))
		return map_table(x, m, pgt_child(x, old), level + 1, false);
	if (!pgt_valid(old)) {
		if (old == VMSA_PGT_LOCKED)
			return -EAGAIN;
		return map_new_table(x, m, p, old, level, fresh);
	}
	err = pgt_split_block(x, p, old, m->ia & ~(size - 1), level);
	if (err)
		return err;
	return map_table(x, m, pgt_child(x, pgt_read(x, p)), level + 1, false);
}

static int descend(pgt_ctx_t *x, map_args_t *m, uint64_t *p, int level,
		   bool fresh)
{
	return descend_old(x, m, p, fresh ? 0 : pgt_read(x, p), level, fresh);
}

static int map_table(pgt_ctx_t *x, map_args_t *m, uint64_t *table, int level,
		     bool fresh)
{
	uint64_t size = 1ull << pgt_sh(x, level), ia;
	unsigned i = pgt_index(x, level, m->ia), n = pgt_nentries(x, level), j;
	bool leaves = level == 3 || (pgt_block_ok(x->g, level) &&
				     !(m->flags & VMSA_PGT_PAGES) &&
				     !(m->delta & (size - 1)));
	int err;

	while (i < n && m->ia < m->end) {
		/* The longest run of entries that are whole leaves here. */
		j = i;
		ia = m->ia;
		while (leaves && j < n && ia < m->end && !(ia & (size - 1)) &&
		       m->end - ia >= size) {
			j++;
			ia += size;
		}
		if (j > i) {
			err = map_leaves(x, m, table, level, i, j, fresh);
			if (err)
				return err;
			i = j;
			continue;
		}
		err = descend(x, m, table + i, level, fresh);
		if (err)
			return err;
		i++;
	}
	return 0;
}

/* The range is one entry of table at level: when it can be a leaf there
 * (a fault mapping a page or a block), put it directly; anything else
 * goes the general way. */
static int map_one(pgt_ctx_t *x, map_args_t *m, uint64_t *table, int level)
{
	uint64_t size = 1ull << pgt_sh(x, level), *p;
	int err;

	if (m->end - m->ia != size || (m->ia & (size - 1)) ||
	    (m->delta & (size - 1)) || (m->flags & VMSA_PGT_CONTIG) ||
	    (level < 3 && (!pgt_block_ok(x->g, level) ||
			   (m->flags & VMSA_PGT_PAGES))))
		return map_table(x, m, table, level, false);
	/* As map_leaves for a run of one: the maintenance, then the entry
	 * read and made (or replaced). */
	if (m->cmo && pgt_cmo_do(x, m->cmo, m->ia + m->delta, size))
		pgt_dsb(x, VMSA_PGT_DSB_ISH);
	p = table + pgt_index(x, level, m->ia);
	err = put_leaf(x, m, p, pgt_mk_leaf(x->g, level, m->ia + m->delta,
					    m->attrs),
		       m->ia, level);
	if (!err)
		m->ia = m->end;
	return err;
}

/* Go down without recursion while the range is inside one entry, too
 * small for a leaf there, and that entry is a table (the usual case of a
 * fault mapping one page), then map from that table. */
static int map_from(pgt_ctx_t *x, map_args_t *m)
{
	uint64_t *table = x->pgt->root, *p, v, size;
	int level = x->pgt->start_level;

	for (; level < 3; level++) {
		size = 1ull << pgt_sh(x, level);
		if (((m->ia ^ (m->end - 1)) & ~(size - 1)) ||
		    m->end - m->ia >= size)
			break;
		p = table + pgt_index(x, level, m->ia);
		v = pgt_read(x, p);
		/* Not a table: the range goes below this entry all the
		 * same, from the value just read. */
		if (!pgt_is_table(v, level))
			return descend_old(x, m, p, v, level, false);
		table = pgt_child(x, v);
	}
	return map_one(x, m, table, level);
}

int vmsa_pgt_map(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, uint64_t size,
		 vmsa_pgt_oa_t oa, unsigned prot, unsigned flags)
{
	uint64_t gmask;
	map_args_t m;
	pgt_ctx_t x;
	int err;

	if (!pgt_check_pgt(pgt) ||
	    (flags & ~(unsigned)(VMSA_PGT_SHARED | VMSA_PGT_CONTIG |
				 VMSA_PGT_PAGES)))
		return -EINVAL;
	err = pgt_check_range(pgt, ia.ia, size);
	if (err)
		return err;
	gmask = (1ull << pgt_gshift(pgt->cfg.granule)) - 1;
	if ((oa.oa & gmask) || oa.oa >= 1ull << 48 ||
	    size > (1ull << 48) - oa.oa)
		return -EINVAL;
	if (prot >= 64 || !pgt->prot_attrs[prot])
		return -EINVAL;
	m.attrs = pgt->prot_attrs[prot];
	m.cmo = pgt->prot_cmo[prot];
	m.start = m.ia = ia.ia;
	m.end = ia.ia + size;
	m.delta = oa.oa - ia.ia;
	m.flags = flags;
	pgt_ctx_init(&x, pgt, flags);
	err = map_from(&x, &m);
	pgt_sync(&x);
	return err;
}
