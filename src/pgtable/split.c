/*
 * src/pgtable/split.c - a block becomes a table of the next level
 * mapping the same output with the same attributes: eager split for
 * dirty logging (vmsa_pgt_split), and the split other operations need
 * when a block must hold a smaller mapping.
 *
 * The new table is built while unlinked (no walker can see it, so plain
 * stores and no maintenance), then replaces the block through bbm.c: one
 * store at FEAT_BBM level 2 (RKFLJB), break-before-make at levels 0 and
 * 1 (RWHZWS: a size change).
 */
#include "pgt_int.h"

uint64_t *pgt_split_table(pgt_ctx_t *x, uint64_t d, int level)
{
	unsigned n = 1u << (x->gshift - 3), i;
	uint64_t csize = 1ull << pgt_sh(x, level + 1);
	uint64_t oa = d & pgt_oa_mask(x->g, level);
	/* The entries keep every attribute; the Contiguous and nT bits
	 * described the block, not its pages. */
	uint64_t attrs = pgt_leaf_attrs(d, x->g, level) &
			 ~(VMSA_D_CONT | VMSA_D_NT);
	uint64_t *t = pgt_zalloc(x);

	if (!t)
		return NULL;
	for (i = 0; i < n; i++)
		pgt_write(x, t + i,
			      pgt_mk_leaf(x->g, level + 1, oa + i * csize,
					  attrs),
			      false);
	pgt_ref(x, t, (int)n);
	return t;
}

int pgt_split_block(pgt_ctx_t *x, uint64_t *p, uint64_t old, uint64_t ia,
		    int level)
{
	uint64_t *t;
	int err;

	if (old & VMSA_D_CONT) {
		err = pgt_uncont(x, p, ia, level);
		if (err)
			return err;
		old = pgt_read(x, p);
		if (!pgt_is_leaf(old, level))
			return -EAGAIN;
	}
	t = pgt_split_table(x, old, level);
	if (!t)
		return -ENOMEM;
	err = pgt_block_to_table(x, p, old, t, ia, level);
	if (err)
		pgt_free_tree(x, t, level + 1);
	return err;
}

/* Split every block met in [addr, end) of table at level, down to
 * pages. */
static int split_table(pgt_ctx_t *x, uint64_t *table, int level,
		       uint64_t addr, uint64_t end)
{
	uint64_t size = 1ull << pgt_sh(x, level), base, v;
	unsigned i = pgt_index(x, level, addr), n = pgt_nentries(x, level);
	int err;

	for (; i < n && addr < end; i++, addr = base + size) {
		base = addr & ~(size - 1);
		v = pgt_read(x, table + i);
		if (x->shared && v == VMSA_PGT_LOCKED)
			return -EAGAIN;
		if (level < 3 && pgt_is_leaf(v, level) && pgt_valid(v)) {
			err = pgt_split_block(x, table + i, v, base, level);
			if (err)
				return err;
			v = pgt_read(x, table + i);
		}
		if (!pgt_is_table(v, level))
			continue;
		err = split_table(x, pgt_child(x, v), level + 1, addr, end);
		if (err)
			return err;
	}
	return 0;
}

int vmsa_pgt_split(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, uint64_t size,
		   unsigned flags)
{
	pgt_ctx_t x;
	int err;

	err = pgt_begin_range(&x, pgt, ia.ia, size, flags, VMSA_PGT_SHARED);
	if (err)
		return err;
	err = split_table(&x, pgt->root, pgt->start_level, ia.ia,
			  ia.ia + size);
	pgt_sync(&x);
	return err;
}
