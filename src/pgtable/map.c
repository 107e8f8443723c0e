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
 * walkers that see the link see its contents.
 *
 * Out of memory never leaves a range half-mapped: before the first
 * change, a read-only walk of the range (the same leaf and descent
 * decisions as the map's) counts the tables the map will create or split
 * into, all of them are allocated (-ENOMEM, nothing changed, when one
 * cannot be), and the map takes its tables from that reserve. A single
 * page or block put into existing tables meets no missing table and
 * skips the count. In a shared walk the count is an upper bound (others
 * may create tables in the meantime, never remove one); what is left of
 * the reserve is freed at the end. (Should the reserve still run out, a
 * table comes from the backend and, out of memory there, what was filled
 * of a new table is linked and an empty one freed.)
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
		err = pgt_uncont(x, p, ia, level);
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
	uint64_t *t = pgt_zalloc(x);
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

/* Whether entries of a table at level may be leaves of this map. */
static bool leaves_ok(const pgt_ctx_t *x, const map_args_t *m, int level)
{
	return level == 3 ||
	       (pgt_block_ok(x->g, level) && !(m->flags & VMSA_PGT_PAGES) &&
		!(m->delta & ((1ull << pgt_sh(x, level)) - 1)));
}

static int map_table(pgt_ctx_t *x, map_args_t *m, uint64_t *table, int level,
		     bool fresh)
{
	uint64_t size = 1ull << pgt_sh(x, level), ia;
	unsigned i = pgt_index(x, level, m->ia), n = pgt_nentries(x, level), j;
	bool leaves = leaves_ok(x, m, level);
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

/* ---------------------------------------------------------------------
 * The tables a map needs, counted before it changes anything
 * ------------------------------------------------------------------- */

static uint64_t count_entry(pgt_ctx_t *x, const map_args_t *m, uint64_t ia,
			    uint64_t v, int level);

/* Tables the part of the range from ia needs under table at level, as
 * map_table goes: a run of whole leaves needs none (put_leaf never
 * allocates: over a table it maps into it or replaces it), each entry the
 * range goes below is counted by count_entry. table NULL: a table the map
 * creates or splits into, whose entries are all invalid or all leaves:
 * each one the range goes below needs a table either way. */
static uint64_t count_table(pgt_ctx_t *x, const map_args_t *m, uint64_t ia,
			    uint64_t *table, int level)
{
	unsigned sh = pgt_sh(x, level), i = pgt_index(x, level, ia);
	unsigned n = pgt_nentries(x, level);
	uint64_t size = 1ull << sh, need = 0, k;
	bool leaves = leaves_ok(x, m, level);

	while (i < n && ia < m->end) {
		if (leaves && !(ia & (size - 1)) && m->end - ia >= size) {
			k = (m->end - ia) >> sh;
			if (k > n - i)
				k = n - i;
			i += (unsigned)k;
			ia += k << sh;
			continue;
		}
		need += count_entry(x, m, ia,
				    table ? pgt_read(x, table + i) : 0, level);
		ia = (ia & ~(size - 1)) + size;
		i++;
	}
	return need;
}

/* Tables the part of the range from ia needs below the entry v at level
 * (not a whole leaf there): those under an existing table; else one new
 * table (v invalid) or the split of the block v, plus what the range
 * needs under that. A locked entry (shared: the map stops with -EAGAIN
 * there) counts as an invalid one, so that the count stays an upper
 * bound whatever it becomes. */
static uint64_t count_entry(pgt_ctx_t *x, const map_args_t *m, uint64_t ia,
			    uint64_t v, int level)
{
	if (pgt_is_table(v, level))
		return count_table(x, m, ia, pgt_child(x, v), level + 1);
	return 1 + count_table(x, m, ia, NULL, level + 1);
}

/* Give back what is left of the reserve: pages never linked, so no
 * invalidation is needed before they are freed. */
static void reserve_free(pgt_ctx_t *x)
{
	uint64_t *t;

	while (x->reserve) {
		t = pgt_zalloc(x);
		pgt_ref(x, t, -1);
		x->ops->free_page(x->c, t);
	}
}

/* Allocate the n table pages the map needs (the reserve is empty: this
 * is called once, before the first change), linked through their first
 * word (the next page's PA + 1: a PA may be 0; the page is ours alone
 * until pgt_zalloc hands it out, zeroed again), in allocation order, so that the map uses them in the order it
 * would have allocated them. All or none: -ENOMEM with nothing kept. */
static int reserve(pgt_ctx_t *x, uint64_t n)
{
	uint64_t *t, *last = NULL;

	for (; n; n--) {
		t = x->ops->zalloc_page(x->c);
		if (!t) {
			reserve_free(x);
			return -ENOMEM;
		}
		if (last)
			last[0] = x->ops->virt_to_phys(x->c, t).pa + 1;
		else
			x->reserve = t;
		last = t;
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
			   (m->flags & VMSA_PGT_PAGES)))) {
		err = reserve(x, count_table(x, m, m->ia, table, level));
		if (err)
			return err;
		return map_table(x, m, table, level, false);
	}
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
		 * same, from the value just read, with the tables that
		 * needs allocated first. */
		if (!pgt_is_table(v, level)) {
			int err = reserve(x, count_entry(x, m, m->ia, v,
							 level));

			return err ? err
				   : descend_old(x, m, p, v, level, false);
		}
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

	err = pgt_begin_range(&x, pgt, ia.ia, size, flags,
			      VMSA_PGT_SHARED | VMSA_PGT_CONTIG |
				      VMSA_PGT_PAGES);
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
	err = map_from(&x, &m);
	if (x.reserve)
		reserve_free(&x);
	pgt_sync(&x);
	return err;
}
