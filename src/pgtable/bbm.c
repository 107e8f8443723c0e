/*
 * src/pgtable/bbm.c - every change to a table entry, in one place: make
 * (invalid -> valid), break (valid -> invalid, invalidated), replace one
 * valid leaf by another, change permissions, split a block, collapse a
 * table, clear a Contiguous run. Each operation of the library changes
 * reachable entries only through these functions (wrprotect's loop
 * writes pgt_update out inline; stores into a new table that no walker
 * can reach yet are plain, in map.c and split.c), so the sequence for
 * each BBM level can be read and checked here.
 *
 * Rules (Arm ARM DDI 0487; ARCH-RULES.md sections 1, 2 and 4):
 * - RWHZWS / RDDMVT: replacing a valid entry by a valid one that differs
 *   in memory type, shareability, output address, block size or the
 *   Contiguous bit, or goes from non-global to global, needs
 *   break-before-make: invalid, DSB, broadcast TLBI, DSB, new entry.
 * - RGPPYH: other changes (permissions, AF, software bits) need no break,
 *   only the TLB invalidation before the change is relied on.
 * - RKFLJB, RPVTFW: at FEAT_BBM level 2 a size change (block <-> table
 *   mapping the same output) needs no break; RKHRBC: at levels 1 and 2 a
 *   Contiguous-bit-only change needs none either. Level 1's nT sequence
 *   is not used: level 1 is treated as level 0 for block <-> table.
 * - RXCLRD: an invalid entry is never cached, so making one valid needs
 *   no TLBI; what the new page holds must reach the Point of Coherency
 *   first (ARCH-RULES section 7), hence the cache maintenance before the
 *   make, and the make is a store-release.
 *
 * Shared walks: every store is a compare-and-swap from the value read;
 * a break stores VMSA_PGT_LOCKED, which hardware walks see as invalid
 * and other software walkers as "back off" (-EAGAIN). The CPU that
 * locked an entry finishes the sequence with a plain store-release.
 */
#include "pgt_int.h"

/*
 * An exclusive store over a valid entry while the hardware may update it
 * (TCR/VTCR.HA or HD): no other software writes it, but the walker may
 * set AF or make the entry dirty between our read and our store, with an
 * atomic read-modify-write (RLFTXR, RPQJJR). A plain store would undo
 * that update; software changing entries the hardware may update "should
 * avoid the possibility of simultaneous updates" with a compare-and-swap
 * (IBMRWH). So: a CAS from the value read; when it fails, the hardware
 * changed bits, and our change is applied again to what it left (our
 * bits win, its others stay). Hardware updates only ever set AF or the
 * dirty state, so this ends.
 */
static void store_hw(pgt_ctx_t *x, uint64_t *p, uint64_t old, uint64_t new_)
{
	uint64_t ours = old ^ new_, cur;

	while ((cur = x->ops->cas(x->c, p, old, new_)) != old) {
		new_ = (cur & ~ours) | (new_ & ours);
		old = cur;
	}
}

/* A store of the operation: CAS in shared walks (-EAGAIN when another
 * walker changed the entry since it was read), else a plain store (a CAS
 * that keeps the hardware's updates when it may make them: store_hw). */
static int store(pgt_ctx_t *x, uint64_t *p, uint64_t old, uint64_t new_,
		 bool release)
{
	x->stores = true;
	if (x->shared)
		return x->ops->cas(x->c, p, old, new_) == old ? 0 : -EAGAIN;
	if (x->hw && pgt_valid(old)) {
		store_hw(x, p, old, new_);
		return 0;
	}
	pgt_write(x, p, new_, release);
	return 0;
}

int pgt_make(pgt_ctx_t *x, uint64_t *p, uint64_t old, uint64_t new_)
{
	int err;

	if (old == VMSA_PGT_LOCKED)
		return -EAGAIN;
	err = store(x, p, old, new_, true);
	if (!err)
		x->ops->get_page(x->c, pgt_page_of(x, p));
	return err;
}

/* The second half of a break: the entry is ours (invalid or locked by
 * us): a store-release of the new value, no CAS needed. */
static void remake(pgt_ctx_t *x, uint64_t *p, uint64_t new_)
{
	x->stores = true;
	pgt_write(x, p, new_, true);
}

int pgt_break(pgt_ctx_t *x, uint64_t *p, uint64_t old, uint64_t ia, int level)
{
	int err = store(x, p, old, x->shared ? VMSA_PGT_LOCKED : 0, false);

	if (err)
		return err;
	pgt_dsb(x, VMSA_PGT_DSB_ISHST);
	if (pgt_is_table(old, level))
		x->table_tlbi = true;
	else
		pgt_tlbi_leaf(x, ia, level);
	pgt_sync(x);
	return 0;
}

/* Does replacing leaf old by leaf new_ need a break (RWHZWS)? */
static bool needs_break(const pgt_ctx_t *x, uint64_t old, uint64_t new_,
			int level)
{
	uint64_t diff = old ^ new_;
	uint64_t must = pgt_oa_mask(x->g, level) | PGT_TYPE_MASK |
			(0xfull << VMSA_D_MEMATTR_SHIFT) |
			(3ull << VMSA_D_SH_SHIFT) | VMSA_D_CONT | VMSA_D_NT;

	if (diff & must)
		return true;
	/* Stage 1: the NS bit changes the output address space; nG 1 -> 0
	 * may make a global entry overlap non-global ones. */
	if (!x->s2 && ((diff & VMSA_D_NS) ||
		       ((old & VMSA_D_NG) && !(new_ & VMSA_D_NG))))
		return true;
	return false;
}

int pgt_update(pgt_ctx_t *x, uint64_t *p, uint64_t old, uint64_t new_)
{
	return store(x, p, old, new_, false);
}

int pgt_replace_leaf(pgt_ctx_t *x, uint64_t *p, uint64_t old, uint64_t new_,
		     uint64_t ia, int level)
{
	int err;

	if (old == new_)
		return 0;
	if (needs_break(x, old, new_, level)) {
		err = pgt_break(x, p, old, ia, level);
		if (!err)
			remake(x, p, new_);
		return err;
	}
	err = pgt_update(x, p, old, new_);
	if (err)
		return err;
	pgt_dsb(x, VMSA_PGT_DSB_ISHST);
	pgt_tlbi_leaf(x, ia, level);
	return 0;
}

void pgt_clear(pgt_ctx_t *x, uint64_t *p)
{
	x->stores = true;
	pgt_write(x, p, 0, false);
	x->ops->put_page(x->c, pgt_page_of(x, p));
}

int pgt_block_to_table(pgt_ctx_t *x, uint64_t *p, uint64_t old,
		       uint64_t *child, uint64_t ia, int level)
{
	uint64_t t = pgt_mk_table(x, child);
	int err;

	if (x->bbm >= 2) {
		/* RKFLJB: level 2, same output and attributes at another
		 * size: one store (release: the new table's entries first),
		 * then the old block goes from the TLBs, so that later
		 * changes under it, invalidated at the page level, cannot
		 * leave the block behind (a TTL hint of the page level
		 * would not match it, RSQXYZ). */
		x->stores = true;
		if (x->shared) {
			if (x->ops->cas(x->c, p, old, t) != old)
				return -EAGAIN;
		} else {
			pgt_write(x, p, t, true);
		}
		pgt_dsb(x, VMSA_PGT_DSB_ISHST);
		pgt_tlbi_leaf(x, ia, level);
		pgt_sync(x);
		return 0;
	}
	err = pgt_break(x, p, old, ia, level);
	if (!err)
		remake(x, p, t);
	return err;
}

int pgt_table_to_block(pgt_ctx_t *x, uint64_t *p, uint64_t old,
		       uint64_t new_, uint64_t ia, int level, bool same)
{
	uint64_t *child = pgt_child(x, old);
	int err;

	if (same && x->bbm >= 2) {
		/* RKFLJB: the block maps what the table mapped. The walk
		 * caches may still hold the table entry, so the whole
		 * VMID/ASID is invalidated before the table page is freed. */
		err = store(x, p, old, new_, true);
		if (err)
			return err;
		pgt_defer_free(x, child, level + 1);
		pgt_sync(x);
		return 0;
	}
	err = pgt_break(x, p, old, ia, level);
	if (err)
		return err;
	/* The break's invalidation covered every entry under the table. */
	pgt_free_tree(x, child, level + 1);
	remake(x, p, new_);
	return 0;
}

/* The run of Contiguous entries holding p: runs are aligned in their
 * table (D8.7.1), and tables to their size. */
static uint64_t *run_start(const pgt_ctx_t *x, uint64_t *p, int level)
{
	uintptr_t bytes = (uintptr_t)pgt_contig_n(x->g, level) * 8;

	return (uint64_t *)((uintptr_t)p & ~(bytes - 1));
}

int pgt_uncont(pgt_ctx_t *x, uint64_t *p, uint64_t ia, int level)
{
	unsigned n = pgt_contig_n(x->g, level), i, done;
	uint64_t *r = run_start(x, p, level);
	uint64_t size = 1ull << pgt_sh(x, level);
	uint64_t run_ia = ia & ~((uint64_t)n * size - 1);
	uint64_t v[128]; /* the largest run: 16K level 3 */
	int err = 0;

	for (i = 0; i < n; i++)
		v[i] = pgt_read(x, r + i);
	if (x->bbm >= 1) {
		/* RKHRBC: a Contiguous-bit-only change needs no break at
		 * levels 1 and 2; every entry is then invalidated, one TLBI
		 * each (RLQLSD: the bit does not widen a TLBI). */
		for (i = 0; i < n && !err; i++)
			if (pgt_valid(v[i]) && (v[i] & VMSA_D_CONT))
				err = pgt_update(x, r + i, v[i],
						 v[i] & ~VMSA_D_CONT);
		done = err ? i - 1 : n;
		pgt_dsb(x, VMSA_PGT_DSB_ISHST);
		for (i = 0; i < done; i++)
			if (pgt_valid(v[i]) && (v[i] & VMSA_D_CONT))
				pgt_tlbi_leaf(x, run_ia + i * size, level);
		pgt_sync(x);
		return err;
	}
	/* Level 0: break the whole run, then make it again without the
	 * bit (RWHZWS treats the Contiguous bit as a size, RNGLXZ). */
	for (i = 0; i < n && !err; i++)
		if (pgt_valid(v[i]) && (v[i] & VMSA_D_CONT))
			err = store(x, r + i, v[i],
				    x->shared ? VMSA_PGT_LOCKED : 0, false);
	done = err ? i - 1 : n;
	if (err) {
		/* Lost a race half-way: put back what we locked, unchanged
		 * (the entries were never seen otherwise). */
		for (i = 0; i < done; i++)
			if (pgt_valid(v[i]) && (v[i] & VMSA_D_CONT))
				remake(x, r + i, v[i]);
		return err;
	}
	pgt_dsb(x, VMSA_PGT_DSB_ISHST);
	for (i = 0; i < n; i++)
		if (pgt_valid(v[i]) && (v[i] & VMSA_D_CONT))
			pgt_tlbi_leaf(x, run_ia + i * size, level);
	pgt_sync(x);
	for (i = 0; i < n; i++)
		if (pgt_valid(v[i]) && (v[i] & VMSA_D_CONT))
			remake(x, r + i, v[i] & ~VMSA_D_CONT);
	return 0;
}

/* One maintenance operation over [oa, oa + size): one call when the
 * backend takes ranges, else one per granule page. */
void pgt_cmo_range(pgt_ctx_t *x, vmsa_pgt_cmo_t op, uint64_t oa,
		   uint64_t size)
{
	uint64_t gsize = 1ull << x->gshift, off;

	if (x->ops->cmo_range) {
		x->ops->cmo_range(x->c, op,
				  x->ops->phys_to_virt(x->c, VMSA_PGT_PA(oa)),
				  size);
		return;
	}
	for (off = 0; off < size; off += gsize)
		x->ops->cmo(x->c, op,
			    x->ops->phys_to_virt(x->c, VMSA_PGT_PA(oa + off)));
}

unsigned pgt_cmo_kind(const pgt_ctx_t *x, uint64_t d)
{
	const vmsa_pgt_features_t *f = &x->ops->features;
	unsigned k = 0;

	/* Stage 1 tables map the owner's own memory through its cacheable
	 * view: nothing to clean. Stage 2: a guest may read the page with
	 * its MMU off or non-cacheable (ARCH-RULES section 7). */
	if (!x->s2)
		return 0;
	if (!f->s2fwb && pgt_leaf_cacheable(x, d))
		k |= PGT_CMO_POC;
	if (pgt_leaf_exec(x, d) && !f->dic) {
		k |= PGT_CMO_IC;
		/* A clean to PoC also reaches PoU; without one,
		 * instructions need the data cleaned to PoU unless
		 * CTR_EL0.IDC. */
		if (!(k & PGT_CMO_POC) && !f->idc)
			k |= PGT_CMO_POU;
	}
	return k;
}

bool pgt_cmo_new(pgt_ctx_t *x, uint64_t d, uint64_t oa, uint64_t size)
{
	return pgt_cmo_do(x, pgt_cmo_kind(x, d), oa, size);
}

bool pgt_cmo_do_all(pgt_ctx_t *x, unsigned kind, uint64_t oa,
		    uint64_t size)
{
	bool poc = kind & PGT_CMO_POC, pou = kind & PGT_CMO_POU;
	bool ic = kind & PGT_CMO_IC;

	if (!kind)
		return false;
	if (poc || pou)
		pgt_cmo_range(x, poc ? VMSA_PGT_DC_CVAC : VMSA_PGT_DC_CVAU, oa,
			      size);
	if (!ic)
		return poc;
	/* The clean must complete before the instruction cache is
	 * invalidated, else a refill could read the stale PoU copy. */
	if (poc || pou)
		x->ops->dsb(x->c, VMSA_PGT_DSB_ISH);
	pgt_cmo_range(x, VMSA_PGT_IC_IVAU, oa, size);
	return true;
}
