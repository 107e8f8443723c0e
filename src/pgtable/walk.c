/*
 * src/pgtable/walk.c - the visitor walk (vmsa_pgt_walk), the single-entry
 * lookup (pgt_find, vmsa_pgt_get_leaf) and freeing a tree of tables.
 *
 * The walk is one recursive call per table, with a loop over the table's
 * entries in the range: the entry is read once, the visitor called, and
 * the entry read again after a visitor that may have changed it (a leaf
 * visitor may install a table, which the walk then descends into).
 */
#include "pgt_int.h"

typedef struct walk_data {
	pgt_ctx_t *x;
	const vmsa_pgt_walker_t *w;
	uint64_t addr;  /* next input address to visit */
	uint64_t end;
} walk_data_t;

/* The walk's own code for "a visitor said stop": above every visitor
 * return value, never returned by vmsa_pgt_walk. */
#define WALK_STOPPED 0x7fff

static int call(walk_data_t *d, uint64_t *p, uint64_t old, uint64_t addr,
		int level, unsigned visit)
{
	vmsa_pgt_visit_t v = {
		.pgt = d->x->pgt,
		.ptep = p,
		.old = old,
		.addr = VMSA_IA(addr),
		.end = VMSA_IA(d->end),
		.level = level,
		.visit = visit,
		.flags = d->w->flags & VMSA_PGT_SHARED,
		.arg = d->w->arg,
	};
	int r = d->w->cb(&v);

	if (r < 0 || r == VMSA_PGT_CONTINUE || r == VMSA_PGT_SKIP)
		return r;
	return r == VMSA_PGT_STOP ? WALK_STOPPED : -EINVAL;
}

static int walk_table(walk_data_t *d, uint64_t *table, int level);

static int walk_entry(walk_data_t *d, uint64_t *p, int level, uint64_t base)
{
	pgt_ctx_t *x = d->x;
	unsigned want = d->w->visit;
	uint64_t old = pgt_read(x, p);
	bool table = pgt_is_table(old, level);
	int r;

	if (table && (want & VMSA_PGT_VISIT_TABLE_PRE)) {
		r = call(d, p, old, base, level, VMSA_PGT_VISIT_TABLE_PRE);
		if (r < 0 || r == WALK_STOPPED)
			return r;
		if (r == VMSA_PGT_SKIP)
			return 0;
		old = pgt_read(x, p);
		table = pgt_is_table(old, level);
	}
	if (!table) {
		if (want & VMSA_PGT_VISIT_LEAF) {
			r = call(d, p, old, base, level, VMSA_PGT_VISIT_LEAF);
			if (r < 0 || r == WALK_STOPPED)
				return r;
			old = pgt_read(x, p);
			table = pgt_is_table(old, level);
		}
		if (!table)
			return 0;
	}
	r = walk_table(d, pgt_child(x, old), level + 1);
	if (r < 0 || r == WALK_STOPPED)
		return r;
	if (want & VMSA_PGT_VISIT_TABLE_POST)
		return call(d, p, old, base, level, VMSA_PGT_VISIT_TABLE_POST);
	return 0;
}

static int walk_table(walk_data_t *d, uint64_t *table, int level)
{
	pgt_ctx_t *x = d->x;
	uint64_t size = 1ull << pgt_sh(x, level);
	unsigned i = pgt_index(x, level, d->addr);
	unsigned n = pgt_nentries(x, level);
	uint64_t base;
	int r;

	for (; i < n && d->addr < d->end; i++) {
		base = d->addr & ~(size - 1);
		r = walk_entry(d, table + i, level, base);
		if (r < 0 || r == WALK_STOPPED)
			return r;
		/* The entry's children moved addr on; a leaf did not. */
		d->addr = base + size;
	}
	return 0;
}

int vmsa_pgt_walk(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, uint64_t size,
		  const vmsa_pgt_walker_t *w)
{
	pgt_ctx_t x;
	walk_data_t d;
	int r;

	if (!pgt_check_pgt(pgt) || !w || !w->cb)
		return -EINVAL;
	r = pgt_check_range(pgt, ia.ia, size);
	if (r)
		return r;
	pgt_ctx_init(&x, pgt, w->flags);
	d.x = &x;
	d.w = w;
	d.addr = ia.ia;
	d.end = ia.ia + size;
	r = walk_table(&d, pgt->root, pgt->start_level);
	return r == WALK_STOPPED ? 0 : r;
}

int pgt_find(pgt_ctx_t *x, uint64_t ia, uint64_t **pp, uint64_t *val,
	     int *level)
{
	uint64_t *table = x->pgt->root;
	int l = x->pgt->start_level;
	uint64_t *p;
	uint64_t v;

	for (;;) {
		p = table + pgt_index(x, l, ia);
		v = pgt_read(x, p);
		if (!pgt_is_table(v, l))
			break;
		table = pgt_child(x, v);
		l++;
	}
	*pp = p;
	*val = v;
	*level = l;
	return x->shared && v == VMSA_PGT_LOCKED ? -EAGAIN : 0;
}

int vmsa_pgt_get_leaf(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, uint64_t *desc,
		      int *level)
{
	pgt_ctx_t x;
	uint64_t *p;

	if (!pgt_check_pgt(pgt) || !desc || !level ||
	    ia.ia >> pgt->cfg.ia_bits)
		return -EINVAL;
	pgt_ctx_init(&x, pgt, 0);
	return pgt_find(&x, ia.ia, &p, desc, level);
}

void pgt_free_tree(pgt_ctx_t *x, uint64_t *table, int level)
{
	unsigned n = level == x->pgt->start_level ? pgt_nentries(x, level)
						  : 1u << (x->gshift - 3);
	unsigned per_page = 1u << (x->gshift - 3), i;
	uint64_t v;

	/* Only the tables below need finding; a last-level table holds
	 * none, so its entries are not read at all. */
	for (i = 0; level < 3 && i < n; i++) {
		v = pgt_read(x, table + i);
		if (pgt_is_table(v, level))
			pgt_free_tree(x, pgt_child(x, v), level + 1);
	}
	/* Each page of a (concatenated) root, or the one table page: its
	 * count (1 + valid and locked entries) dropped to 0, then freed. */
	for (i = 0; i < n; i += per_page) {
		pgt_ref(x, table + i, -x->ops->page_count(x->c, table + i));
		x->ops->free_page(x->c, table + i);
	}
}

/* One table of pgt_for_leaves: entry i maps tbase + i * size. */
static int leaves_table(pgt_ctx_t *x, uint64_t *table, int level,
			uint64_t tbase, uint64_t addr, uint64_t end,
			pgt_leaf_fn fn, void *arg)
{
	uint64_t size = 1ull << pgt_sh(x, level), base, v, mask = 0;
	unsigned i = pgt_index(x, level, addr), n = pgt_nentries(x, level);
	unsigned first = i & ~63u;
	int r = 0;

	for (; i < n && addr < end; i++, addr = base + size) {
		base = addr & ~(size - 1);
		if ((i & ~63u) != first || !mask) {
			pgt_tlbi_batch(x, tbase, first, mask, level);
			first = i & ~63u;
			mask = 0;
		}
		v = pgt_read(x, table + i);
		if (pgt_is_table(v, level)) {
			r = leaves_table(x, pgt_child(x, v), level + 1, base,
					 addr, end, fn, arg);
		} else if (pgt_valid(v)) {
			r = fn(x, table + i, v, base, level, arg);
			if (r > 0)
				mask |= 1ull << (i - first);
		} else if (x->shared && v == VMSA_PGT_LOCKED) {
			r = -EAGAIN;
		}
		if (r < 0)
			break;
	}
	pgt_tlbi_batch(x, tbase, first, mask, level);
	return r < 0 ? r : 0;
}

int pgt_for_leaves(pgt_ctx_t *x, uint64_t start, uint64_t end,
		   pgt_leaf_fn fn, void *arg)
{
	return leaves_table(x, x->pgt->root, x->pgt->start_level, 0, start,
			    end, fn, arg);
}
