/*
 * src/pgtable/collapse.c - vmsa_pgt_collapse: a table that maps one
 * aligned output range with the same attributes everywhere becomes one
 * block (after dirty logging, the reverse of split).
 *
 * The block maps exactly what the table mapped, so at FEAT_BBM level 2 it
 * replaces the table with one store (RKFLJB); at levels 0 and 1 the table
 * entry is broken first (RWHZWS: a size change). Either way the old
 * tables are freed only after the invalidation of the whole VMID/ASID
 * that removes their walk-cache entries (bbm.c, pgt_table_to_block).
 */
#include "pgt_int.h"

/* Bits two leaves of one uniform range may differ in besides the output
 * address and type: the Contiguous bit describes the entry's run only. */
#define IGNORED_BITS VMSA_D_CONT

/* Whether every entry of table (at level, mapping from ia) is a valid leaf
 * or a uniform table mapping ia + off -> oa + off with attrs. */
static bool uniform(pgt_ctx_t *x, uint64_t *table, int level, uint64_t oa,
		    uint64_t attrs)
{
	unsigned n = 1u << (x->gshift - 3), i;
	uint64_t size = 1ull << pgt_sh(x, level), v;

	for (i = 0; i < n; i++, oa += size) {
		v = pgt_read(x, table + i);
		if (pgt_is_table(v, level)) {
			if (!uniform(x, pgt_child(x, v), level + 1, oa, attrs))
				return false;
			continue;
		}
		if (!pgt_valid(v) || !pgt_is_leaf(v, level) ||
		    (v & pgt_oa_mask(x->g, level)) != oa ||
		    (pgt_leaf_attrs(v, x->g, level) & ~IGNORED_BITS) != attrs)
			return false;
	}
	return true;
}

/* The attributes and output address of the first leaf under table. */
static bool first_leaf(pgt_ctx_t *x, uint64_t *table, int level,
		       uint64_t *oa, uint64_t *attrs)
{
	uint64_t v = pgt_read(x, table);

	while (pgt_is_table(v, level)) {
		table = pgt_child(x, v);
		level++;
		v = pgt_read(x, table);
	}
	if (!pgt_valid(v))
		return false;
	*oa = v & pgt_oa_mask(x->g, level);
	*attrs = pgt_leaf_attrs(v, x->g, level) & ~IGNORED_BITS;
	return true;
}

int vmsa_pgt_collapse(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, unsigned flags)
{
	uint64_t *table, *p, v, oa, attrs, size;
	bool aligned = false;
	pgt_ctx_t x;
	int level, err;

	/* Collapse frees tables, which only an exclusive walk may do. */
	err = pgt_begin_at(&x, pgt, ia.ia, flags, 0);
	if (err)
		return err;
	for (level = pgt->start_level; level < 3; level++) {
		if (pgt_block_ok(x.g, level) &&
		    !(ia.ia & ((1ull << pgt_sh(&x, level)) - 1)))
			aligned = true;
	}
	if (!aligned)
		return -EINVAL;
	table = pgt->root;
	for (level = pgt->start_level; level < 3; level++) {
		size = 1ull << pgt_sh(&x, level);
		p = table + pgt_index(&x, level, ia.ia);
		v = pgt_read(&x, p);
		if (!pgt_is_table(v, level))
			return -ENOENT;
		if (pgt_block_ok(x.g, level) && !(ia.ia & (size - 1)))
			break;
		table = pgt_child(&x, v);
	}
	if (level == 3)
		return -ENOENT;
	table = pgt_child(&x, v);
	if (!first_leaf(&x, table, level + 1, &oa, &attrs) ||
	    (oa & (size - 1)) || !uniform(&x, table, level + 1, oa, attrs))
		return -EEXIST;
	err = pgt_table_to_block(&x, p, v, pgt_mk_leaf(x.g, level, oa, attrs),
				 ia.ia, level, true);
	pgt_sync(&x);
	return err;
}
