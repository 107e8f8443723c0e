/*
 * src/pgtable/perms.c - permission and Access flag changes: wrprotect,
 * relax_perms, mkyoung, test_clear_young.
 *
 * None of these changes is on RWHZWS's list, so none breaks; each is one
 * store (a CAS in shared walks) per entry. What differs is the
 * invalidation (RGPPYH):
 * - wrprotect restricts: every old entry must be gone from every TLB
 *   before the caller relies on it (dirty logging), so broadcast TLBIs,
 *   completed with DSB ISH (and VMALLE1IS for stage 2, D8.17.6.1).
 * - relax_perms widens: a CPU still holding the stricter entry takes a
 *   permission fault, and its fault path calls relax_perms again, which
 *   then finds nothing to change and invalidates that CPU's own TLB. So a
 *   local (NSH) invalidation is enough, and it is issued even when the
 *   entry already had the permissions (as KVM's fault path does).
 * - mkyoung sets the Access flag: an entry with AF = 0 gives an Access
 *   flag fault and is never cached (RXCLRD): no invalidation at all.
 * - test_clear_young clears it without invalidation: a TLB that keeps a
 *   young entry only delays ageing (as Linux does).
 * Contiguous runs keep their entries alike (RNGLXZ): wrprotect widens its
 * range to whole runs, relax_perms and mkyoung change the whole run.
 */
#include "pgt_int.h"

/* Write-protect the leaves of one table in [addr, end) (entry i maps
 * tbase + i * size): the same batching as pgt_for_leaves (one DSB ISHST
 * and the TLBIs per 64 entries), written out here because wrprotect runs
 * over every page of a guest for dirty logging: a writable leaf is
 * recognised with one mask and compare, and a page that is already
 * read-only costs one read. */
static int wrprotect_table(pgt_ctx_t *x, uint64_t *table, int level,
			   uint64_t tbase, uint64_t addr, uint64_t end)
{
	uint64_t size = 1ull << pgt_sh(x, level), v, mask, base;
	unsigned i = pgt_index(x, level, addr), n = pgt_nentries(x, level);
	unsigned last, stop, first;
	/* Writable: S2AP[1] set (stage 2), AP[2] clear (stage 1). */
	uint64_t wbit = x->s2 ? PGT_S2_AP_W : PGT_S1_AP2;
	/* A writable page (level 3) or block: type and write bits. */
	uint64_t cmask = wbit | PGT_TYPE_MASK;
	uint64_t cval = (x->s2 ? PGT_S2_AP_W : 0) | (level == 3 ? 3 : 1);
	bool shared = x->shared, direct = x->direct;
	int r = 0;

	/* The entries of this table that [addr, end) reaches. */
	last = (unsigned)((end - (addr & ~(size - 1)) + size - 1) / size);
	if (last > n - i)
		last = n - i;
	last += i;
	while (i < last && !r) {
		stop = (i | 63u) + 1 < last ? (i | 63u) + 1 : last;
		first = i & ~63u;
		mask = 0;
		/* Exclusive, on plain memory: the common dirty-logging
		 * case, a load and a store per writable page with nothing
		 * reloaded from the context in between. */
		if (direct && !shared && !x->hw) {
			for (; i < stop; i++) {
				v = __atomic_load_n(table + i,
						    __ATOMIC_RELAXED);
				if ((v & cmask) != cval)
					break;
				__atomic_store_n(table + i, v ^ wbit,
						 __ATOMIC_RELAXED);
				mask |= 1ull << (i & 63u);
			}
		}
		for (; i < stop; i++) {
			v = pgt_read(x, table + i);
			if ((v & cmask) == cval) {
				/* A CAS when shared or when the hardware
				 * may set AF under us (pgt_update). */
				if (shared || x->hw) {
					r = pgt_update(x, table + i, v, v ^ wbit);
					if (r)
						break;
				} else {
					pgt_write(x, table + i, v ^ wbit,
						  false);
				}
				mask |= 1ull << (i & 63u);
				continue;
			}
			if (pgt_is_table(v, level)) {
				base = tbase + (uint64_t)i * size;
				r = wrprotect_table(x, pgt_child(x, v),
						    level + 1, base,
						    addr > base ? addr : base,
						    end);
				if (r)
					break;
			} else if (shared && v == VMSA_PGT_LOCKED) {
				r = -EAGAIN;
				break;
			}
		}
		if (mask) {
			x->stores = true;
			pgt_tlbi_batch(x, tbase, first, mask, level);
		}
	}
	return r;
}

/* The first address of the Contiguous run holding a, or a. */
static uint64_t run_floor(pgt_ctx_t *x, uint64_t a)
{
	uint64_t *p, v, run;
	int level;

	if (pgt_find(x, a, &p, &v, &level) || !pgt_valid(v) ||
	    !(v & VMSA_D_CONT))
		return a;
	run = (uint64_t)pgt_contig_n(x->g, level) << pgt_sh(x, level);
	return run ? a & ~(run - 1) : a;
}

int vmsa_pgt_wrprotect(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, uint64_t size,
		       unsigned flags)
{
	uint64_t start, end, last;
	pgt_ctx_t x;
	int err;

	err = pgt_begin_range(&x, pgt, ia.ia, size, flags, VMSA_PGT_SHARED);
	if (err)
		return err;
	start = run_floor(&x, ia.ia);
	last = ia.ia + size - 1;
	end = ia.ia + size;
	if (run_floor(&x, last) != last) {
		uint64_t *p, v;
		int level;

		pgt_find(&x, last, &p, &v, &level);
		end = run_floor(&x, last) +
		      ((uint64_t)pgt_contig_n(x.g, level)
		       << pgt_sh(&x, level));
	}
	err = wrprotect_table(&x, pgt->root, pgt->start_level, 0, start, end);
	pgt_sync(&x);
	return err;
}

/* Apply new_of(v) to the leaf at p, or to its whole Contiguous run. */
static int update_run(pgt_ctx_t *x, uint64_t *p, uint64_t v, int level,
		      uint64_t (*new_of)(pgt_ctx_t *, uint64_t, unsigned),
		      unsigned arg, bool local_tlbi, uint64_t ia)
{
	unsigned n = 1, i;
	uint64_t *r = p, size = 1ull << pgt_sh(x, level), w, nv;
	int err;

	if (v & VMSA_D_CONT) {
		n = pgt_contig_n(x->g, level);
		r = (uint64_t *)((uintptr_t)p & ~((uintptr_t)n * 8 - 1));
		ia &= ~((uint64_t)n * size - 1);
	}
	for (i = 0; i < n; i++) {
		w = r + i == p ? v : pgt_read(x, r + i);
		if (!pgt_valid(w))
			continue;
		nv = new_of(x, w, arg);
		if (nv != w) {
			err = pgt_update(x, r + i, w, nv);
			if (err)
				return err;
		}
		if (local_tlbi)
			pgt_tlbi_leaf_local(x, ia + i * size, level);
	}
	return 0;
}

static uint64_t relaxed(pgt_ctx_t *x, uint64_t v, unsigned prot)
{
	return pgt_relax_desc(x, v, prot);
}

static uint64_t young(pgt_ctx_t *x, uint64_t v, unsigned unused)
{
	(void)x;
	(void)unused;
	return v | VMSA_D_AF;
}

/* The valid leaf translating ia, or -ENOENT / -EAGAIN. */
static int leaf_at(pgt_ctx_t *x, uint64_t ia, uint64_t **p, uint64_t *v,
		   int *level, uint64_t *base)
{
	int err = pgt_find(x, ia, p, v, level);

	if (err)
		return err;
	if (!pgt_valid(*v))
		return -ENOENT;
	*base = ia & ~((1ull << pgt_sh(x, *level)) - 1);
	return 0;
}

int vmsa_pgt_relax_perms(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, unsigned prot,
			 unsigned flags)
{
	uint64_t *p, v, base;
	pgt_ctx_t x;
	int level, err;

	if (prot & ~(unsigned)VMSA_PGT_PROT_RWX)
		return -EINVAL;
	err = pgt_begin_at(&x, pgt, ia.ia, flags, VMSA_PGT_SHARED);
	if (!err)
		err = leaf_at(&x, ia.ia, &p, &v, &level, &base);
	if (!err)
		err = update_run(&x, p, v, level, relaxed, prot, true, base);
	return err;
}

int vmsa_pgt_mkyoung(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, unsigned flags)
{
	uint64_t *p, v, base;
	pgt_ctx_t x;
	int level, err;

	err = pgt_begin_at(&x, pgt, ia.ia, flags, VMSA_PGT_SHARED);
	if (!err)
		err = leaf_at(&x, ia.ia, &p, &v, &level, &base);
	if (!err)
		err = update_run(&x, p, v, level, young, 0, false, base);
	return err;
}

typedef struct young_args {
	bool clear, young;
} young_args_t;

static int young_leaf(pgt_ctx_t *x, uint64_t *p, uint64_t v, uint64_t ia,
		      int level, void *arg)
{
	young_args_t *y = arg;

	(void)ia;
	(void)level;
	if (!(v & VMSA_D_AF))
		return 0;
	y->young = true;
	if (!y->clear)
		return 0;
	return pgt_update(x, p, v, v & ~VMSA_D_AF);
}

int vmsa_pgt_test_clear_young(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia,
			      uint64_t size, bool clear, unsigned flags)
{
	young_args_t y = {.clear = clear, .young = false};
	pgt_ctx_t x;
	int err;

	err = pgt_begin_range(&x, pgt, ia.ia, size, flags, VMSA_PGT_SHARED);
	if (err)
		return err;
	err = pgt_for_leaves(&x, ia.ia, ia.ia + size, young_leaf, &y);
	pgt_sync(&x);
	if (err)
		return err;
	return y.young;
}
