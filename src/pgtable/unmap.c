/*
 * src/pgtable/unmap.c - vmsa_pgt_unmap: remove the mappings of a range,
 * free the tables that no longer map anything.
 *
 * First the blocks and Contiguous runs that straddle an end of the range
 * are split or cleared (pgt_cut_at: the only step that may fail with
 * -ENOMEM, before anything is unmapped). Then, per table: a table entirely
 * inside the range is unlinked whole (exclusive walks), its pages freed
 * after the invalidation of the whole VMID/ASID that removes any walk
 * cache entry for it (D8.16, FEAT_nTLBPA = 0: a table page is reused only
 * after that); leaves are cleared, a batch of up to 64 invalidated after
 * one DSB ISHST (RSPVBD), the batch's TLBIs completed once at the end
 * (pgt_sync: DSB ISH, then VMALLE1IS for stage 2, D8.17.6.1). A table
 * left empty is unlinked the same way.
 *
 * Shared walks lock each leaf (VMSA_PGT_LOCKED) instead of clearing it,
 * complete the invalidation, then clear it: no other walker can install a
 * mapping there while the old one may still be cached. They never free a
 * table (another walker may be reading it).
 */
#include "pgt_int.h"

typedef struct unmap_args {
	uint64_t start, end;
} unmap_args_t;

/* Invalidate the leaves of one batch: entries first + bit of mask, in the
 * table whose entry 0 maps tbase. */
static void flush_batch(pgt_ctx_t *x, uint64_t *table, int level,
			uint64_t tbase, unsigned first, uint64_t mask)
{
	pgt_tlbi_batch(x, tbase, first, mask, level);
	if (!x->shared || !mask)
		return;
	/* The entries are locked by us: once the invalidation has
	 * completed, they become invalid for good. */
	pgt_sync(x);
	for (; mask; mask &= mask - 1)
		pgt_clear(x, table + first + (unsigned)__builtin_ctzll(mask));
}

/* Unlink the table entry p (exclusive walks): its pages are freed after
 * the invalidation that covers it. */
static void unlink_table(pgt_ctx_t *x, uint64_t *p, uint64_t v, int level)
{
	pgt_clear(x, p);
	pgt_defer_free(x, pgt_child(x, v), level + 1);
}

/* Unmap [addr, u->end) in table (entry 0 maps tbase). Returns the number
 * of entries it removed, or a negative errno. */
static int unmap_table(pgt_ctx_t *x, const unmap_args_t *u, uint64_t *table,
		       int level, uint64_t tbase, uint64_t addr)
{
	uint64_t size = 1ull << pgt_sh(x, level), base, v, mask = 0;
	unsigned i = pgt_index(x, level, addr), n = pgt_nentries(x, level);
	unsigned first = i & ~63u, removed = 0;
	uint64_t *child;
	int err = 0;

	for (; i < n && addr < u->end; i++, addr = base + size) {
		base = addr & ~(size - 1);
		if ((i & ~63u) != first) {
			flush_batch(x, table, level, tbase, first, mask);
			first = i & ~63u;
			mask = 0;
		}
		v = pgt_read(x, table + i);
		if (!pgt_valid(v)) {
			if (x->shared && v == VMSA_PGT_LOCKED) {
				err = -EAGAIN;
				break;
			}
			continue;
		}
		if (pgt_is_table(v, level)) {
			child = pgt_child(x, v);
			if (!x->shared && base >= u->start &&
			    u->end - base >= size) {
				unlink_table(x, table + i, v, level);
				removed++;
				continue;
			}
			err = unmap_table(x, u, child, level + 1, base, addr);
			if (err < 0)
				break;
			/* A table that lost entries may have become empty;
			 * one that lost none may have been empty already:
			 * left by a shared unmap or a failed map, which an
			 * exclusive unmap of its range frees (pgtable.h,
			 * docs/pgtable.md). */
			if (!x->shared &&
			    x->ops->page_count(x->c, child) == 1) {
				unlink_table(x, table + i, v, level);
				removed++;
			}
			err = 0;
			continue;
		}
		/* A leaf: the edges were split, so it is inside. */
		if (x->shared) {
			if (x->ops->cas(x->c, table + i, v, VMSA_PGT_LOCKED) !=
			    v) {
				err = -EAGAIN;
				break;
			}
			x->stores = true;
		} else {
			pgt_clear(x, table + i);
		}
		removed++;
		mask |= 1ull << (i - first);
	}
	flush_batch(x, table, level, tbase, first, mask);
	return err < 0 ? err : (int)removed;
}

/* Make a the boundary of a leaf: split the block, clear the Contiguous
 * run that straddles it. *next (when not NULL) is set to the end of the
 * entry (or run) that a starts: an end at or before it needs no cut. */
int pgt_cut_at(pgt_ctx_t *x, uint64_t a, uint64_t *next)
{
	uint64_t *p, v, size, run;
	int level, err;

	if (next)
		*next = a;
	if (a >> x->pgt->cfg.ia_bits)
		return 0;
	for (;;) {
		err = pgt_find(x, a, &p, &v, &level);
		if (err)
			return err;
		size = 1ull << pgt_sh(x, level);
		if (!pgt_valid(v)) {
			if (next)
				*next = (a & ~(size - 1)) + size;
			return 0;
		}
		run = (uint64_t)pgt_contig_n(x->g, level) * size;
		if ((v & VMSA_D_CONT) && run && (a & (run - 1))) {
			err = pgt_uncont(x, p, a, level);
			if (err)
				return err;
			continue;
		}
		if (!(a & (size - 1))) {
			/* A run that a starts is not cut by an end inside
			 * it: only the run's end is free of a cut. */
			if (next)
				*next = (v & VMSA_D_CONT) && run ? a + run
								  : a + size;
			return 0;
		}
		err = pgt_split_block(x, p, v, a & ~(size - 1), level);
		if (err)
			return err;
	}
}

int vmsa_pgt_unmap(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, uint64_t size,
		   unsigned flags)
{
	unmap_args_t u;
	uint64_t next;
	pgt_ctx_t x;
	int err;

	err = pgt_begin_range(&x, pgt, ia.ia, size, flags, VMSA_PGT_SHARED);
	if (err)
		return err;
	u.start = ia.ia;
	u.end = ia.ia + size;
	err = pgt_cut_at(&x, u.start, &next);
	/* A range that ends where the entry (or run) it starts with ends
	 * needs no cut at its end: the next entry starts there (the usual
	 * unmap of one page or one block: one walk, not two). */
	if (!err && u.end != next)
		err = pgt_cut_at(&x, u.end, NULL);
	if (!err)
		err = unmap_table(&x, &u, pgt->root, pgt->start_level, 0,
				  u.start);
	pgt_sync(&x);
	return err < 0 ? err : 0;
}
