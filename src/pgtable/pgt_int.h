/*
 * src/pgtable/pgt_int.h - what the page-table library's files share:
 * inline granule geometry, descriptor tests, the per-operation context
 * with its pending maintenance, and the functions of bbm.c, encode.c and
 * tlb.c that every operation goes through.
 *
 * The library builds freestanding (no libc calls), so the geometry the
 * architecture core computes in src/arch/geometry.c is repeated here as
 * inline arithmetic; tests/pgtable/test_pgt_geometry.c cross-checks it
 * against the core for every granule and level.
 */
#ifndef VMSA_PGT_INT_H
#define VMSA_PGT_INT_H

#include <errno.h>

#include "vmsa/pgtable.h"

/* ---------------------------------------------------------------------
 * Geometry (D8.2, D8.3, D8.7.1)
 * ------------------------------------------------------------------- */

/* log2 of the granule: 12, 14, 16 (the enum is 0, 1, 2). */
static inline unsigned pgt_gshift(vmsa_granule_t g)
{
	return 12u + 2u * (unsigned)g;
}

/* Input bits a full table resolves: a granule holds 2^(gshift-3)
 * eight-byte descriptors. */
static inline unsigned pgt_stride(vmsa_granule_t g)
{
	return pgt_gshift(g) - 3u;
}

/* log2 of the size one entry at `level` maps. */
static inline unsigned pgt_lshift(vmsa_granule_t g, int level)
{
	return pgt_gshift(g) + (unsigned)(3 - level) * pgt_stride(g);
}

/* Blocks with a 48-bit OA: 4K L1 and L2, 16K and 64K L2 (D8.3.1). */
static inline bool pgt_block_ok(vmsa_granule_t g, int level)
{
	return level == 2 || (level == 1 && g == VMSA_GRANULE_4K);
}

/* Entries in a contiguous run (Table D8-104); 0 where none. */
static inline unsigned pgt_contig_n(vmsa_granule_t g, int level)
{
	if (g == VMSA_GRANULE_4K)
		return level >= 1 && level <= 3 ? 16u : 0u;
	if (g == VMSA_GRANULE_16K)
		return level == 3 ? 128u : level == 2 ? 32u : 0u;
	return level == 2 || level == 3 ? 32u : 0u;
}

/* OA[47:gshift], where a table descriptor keeps the next table. */
static inline uint64_t pgt_table_mask(vmsa_granule_t g)
{
	return ((1ull << 48) - 1) & ~((1ull << pgt_gshift(g)) - 1);
}

/* OA[47:lshift] of a block or page at `level`. */
static inline uint64_t pgt_oa_mask(vmsa_granule_t g, int level)
{
	return ((1ull << 48) - 1) & ~((1ull << pgt_lshift(g, level)) - 1);
}

/* ---------------------------------------------------------------------
 * Descriptors
 * ------------------------------------------------------------------- */

#define PGT_TYPE_MASK 3ull
#define PGT_S2_AP_W (1ull << 7) /* S2AP[1]: write */
#define PGT_S1_AP2 (1ull << 7)  /* AP[2]: read-only */

static inline bool pgt_valid(uint64_t d)
{
	return d & VMSA_D_VALID;
}

/* A table descriptor: bits [1:0] = 0b11 above level 3. */
static inline bool pgt_is_table(uint64_t d, int level)
{
	return level < 3 && (d & PGT_TYPE_MASK) == 3;
}

/* A block or a page: what a walk stops at. */
static inline bool pgt_is_leaf(uint64_t d, int level)
{
	return level == 3 ? (d & PGT_TYPE_MASK) == 3
			  : (d & PGT_TYPE_MASK) == 1;
}

/* Bits a leaf has beyond its output address and type: the attributes
 * that a split copies to every new entry. */
static inline uint64_t pgt_leaf_attrs(uint64_t d, vmsa_granule_t g, int level)
{
	return d & ~pgt_oa_mask(g, level) & ~PGT_TYPE_MASK;
}

/* ---------------------------------------------------------------------
 * The context of one operation
 * ------------------------------------------------------------------- */

/* Unlinked table pages waiting for the invalidation that makes their
 * reuse safe; when full, the operation completes its invalidation early
 * and frees them (pgt_sync). */
#define PGT_FREE_MAX 32

typedef struct pgt_ctx {
	vmsa_pgt_t *pgt;
	const vmsa_pgt_ops_t *ops;
	void *c;                /* ops->ctx */
	vmsa_granule_t g;
	unsigned gshift;
	bool s2;
	bool shared;            /* VMSA_PGT_SHARED */
	bool direct;            /* ops->direct: loads and stores inline */
	bool hw;                /* features.hw_af or hw_dbm: the hardware
				   may update valid leaves under us */
	unsigned bbm;           /* features.bbm_level */
	/* Per level (start level to 3): log2 of an entry's size, and the
	 * number of entries of a table (the start level's may differ). */
	const uint8_t *shift;   /* pgt->level_shift */
	const uint32_t *nent;   /* pgt->level_entries */

	/* Maintenance issued but not yet completed (pgt_sync). */
	bool stores;            /* descriptor stores since the last DSB */
	bool leaf_tlbi;         /* by-address TLBIs issued, not completed */
	bool table_tlbi;        /* a table entry was unlinked */
	unsigned n_tlbi;        /* by-address TLBIs issued so far */
	/* Table pages a map allocated before changing anything (map.c),
	 * each page's first word the PA of the next plus 1 (0: the last; a
	 * PA, not a pointer, so that the word is the same wherever the
	 * backend's memory is mapped); pgt_zalloc takes from here. */
	uint64_t *reserve;
	unsigned n_free;
	struct {
		uint64_t *table;
		int level;
	} free[PGT_FREE_MAX];
} pgt_ctx_t;

static inline void pgt_ctx_init(pgt_ctx_t *x, vmsa_pgt_t *pgt,
				unsigned flags)
{
	x->pgt = pgt;
	x->ops = pgt->ops;
	x->c = pgt->ops->ctx;
	x->g = pgt->cfg.granule;
	x->gshift = 12u + 2u * (unsigned)x->g;
	x->s2 = pgt->cfg.regime == VMSA_PGT_S2;
	x->shared = flags & VMSA_PGT_SHARED;
	x->direct = pgt->ops->direct;
	x->hw = pgt->ops->features.hw_af || pgt->ops->features.hw_dbm;
	x->bbm = pgt->ops->features.bbm_level;
	x->stores = false;
	x->leaf_tlbi = false;
	x->table_tlbi = false;
	x->n_tlbi = 0;
	x->n_free = 0;
	x->reserve = NULL;
	x->shift = pgt->level_shift;
	x->nent = pgt->level_entries;
}

/* Accessors through the ops. */
static inline uint64_t pgt_read(pgt_ctx_t *x, uint64_t *p)
{
	if (x->direct)
		return __atomic_load_n(p, __ATOMIC_RELAXED);
	return x->ops->read(x->c, p);
}

/* A descriptor store: single-copy atomic, a store-release when asked
 * (earlier accesses, the new table's entries included, observed
 * first). */
static inline void pgt_write(pgt_ctx_t *x, uint64_t *p, uint64_t v,
			     bool release)
{
	if (!x->direct)
		x->ops->write(x->c, p, v, release);
	else if (release)
		__atomic_store_n(p, v, __ATOMIC_RELEASE);
	else
		__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static inline void pgt_dsb(pgt_ctx_t *x, vmsa_pgt_dsb_t k)
{
	x->ops->dsb(x->c, k);
	if (k == VMSA_PGT_DSB_ISH || k == VMSA_PGT_DSB_ISHST)
		x->stores = false;
}

/* Past this many by-address TLBIs in one operation, the rest are
 * replaced by one invalidation of the whole VMID/ASID (as Linux's
 * flush_tlb_range falls back to the whole mm): cheaper than thousands of
 * broadcasts, and it removes at least as much. */
#define PGT_TLBI_MAX 64

/* Add delta to a table page's reference count. */
static inline void pgt_ref(pgt_ctx_t *x, void *page, int delta)
{
	if (x->ops->page_ref_add) {
		if (delta)
			x->ops->page_ref_add(x->c, page, delta);
		return;
	}
	for (; delta > 0; delta--)
		x->ops->get_page(x->c, page);
	for (; delta < 0; delta++)
		x->ops->put_page(x->c, page);
}

/* A zeroed table page with a count of 1: from the map's reserve when it
 * has one (the link word cleared: the page is zeroed again), else from
 * the backend. NULL when out of memory. */
static inline uint64_t *pgt_zalloc(pgt_ctx_t *x)
{
	uint64_t *t = x->reserve;

	if (!t)
		return x->ops->zalloc_page(x->c);
	x->reserve = t[0] ? x->ops->phys_to_virt(x->c, VMSA_PGT_PA(t[0] - 1))
			  : NULL;
	t[0] = 0;
	return t;
}

/* The table page holding entry p: tables are aligned to the granule. */
static inline void *pgt_page_of(const pgt_ctx_t *x, uint64_t *p)
{
	return (void *)((uintptr_t)p & ~(((uintptr_t)1 << x->gshift) - 1));
}

static inline uint64_t *pgt_child(pgt_ctx_t *x, uint64_t d)
{
	return x->ops->phys_to_virt(x->c,
				    VMSA_PGT_PA(d & pgt_table_mask(x->g)));
}

/* Input address range checks shared by the operations: [ia, ia + size)
 * inside the table's input size, granule-aligned, not empty. */
static inline int pgt_check_range(const vmsa_pgt_t *pgt, uint64_t ia,
				  uint64_t size)
{
	uint64_t gmask = (1ull << pgt_gshift(pgt->cfg.granule)) - 1;
	uint64_t limit = 1ull << pgt->cfg.ia_bits;

	if (!size || (ia & gmask) || (size & gmask))
		return -EINVAL;
	if (ia >= limit || size > limit - ia)
		return -EINVAL;
	return 0;
}

static inline bool pgt_check_pgt(const vmsa_pgt_t *pgt)
{
	return pgt && pgt->root && pgt->ops;
}

/* The prologue of the operations on a range: a usable table, no flag
 * outside `allowed`, a valid range (pgt_check_range); then the walk's
 * context. Returns 0, or -EINVAL with *x untouched. */
static inline int pgt_begin_range(pgt_ctx_t *x, vmsa_pgt_t *pgt, uint64_t ia,
				  uint64_t size, unsigned flags,
				  unsigned allowed)
{
	int err;

	if (!pgt_check_pgt(pgt) || (flags & ~allowed))
		return -EINVAL;
	err = pgt_check_range(pgt, ia, size);
	if (err)
		return err;
	pgt_ctx_init(x, pgt, flags);
	return 0;
}

/* The same for the operations on one address: ia inside the table's
 * input size (any alignment: it names the entry that translates it). */
static inline int pgt_begin_at(pgt_ctx_t *x, vmsa_pgt_t *pgt, uint64_t ia,
			       unsigned flags, unsigned allowed)
{
	if (!pgt_check_pgt(pgt) || (flags & ~allowed) ||
	    ia >> pgt->cfg.ia_bits)
		return -EINVAL;
	pgt_ctx_init(x, pgt, flags);
	return 0;
}

/* Index of ia in a table at `level` (the start level takes every bit up
 * to ia_bits: concatenated roots are one long table). */
static inline unsigned pgt_index(const pgt_ctx_t *x, int level, uint64_t ia)
{
	return (unsigned)(ia >> x->shift[level]) & (x->nent[level] - 1);
}

/* Number of entries of the table at `level`. */
static inline unsigned pgt_nentries(const pgt_ctx_t *x, int level)
{
	return x->nent[level];
}

/* log2 of the size one entry at `level` maps. */
static inline unsigned pgt_sh(const pgt_ctx_t *x, int level)
{
	return x->shift[level];
}

/* ---------------------------------------------------------------------
 * encode.c: a mapping's descriptor
 * ------------------------------------------------------------------- */

/* The leaf attributes for prot (everything but OA, type and Contiguous).
 * -EINVAL when prot is not valid for the regime. */
int pgt_prot_attrs(const vmsa_pgt_t *pgt, unsigned prot, uint64_t *attrs);

/* A leaf at `level` mapping oa with attrs. */
static inline uint64_t pgt_mk_leaf(vmsa_granule_t g, int level, uint64_t oa,
				   uint64_t attrs)
{
	return attrs | (oa & pgt_oa_mask(g, level)) | VMSA_D_VALID |
	       (level == 3 ? VMSA_D_TYPE : 0);
}

uint64_t pgt_mk_table(pgt_ctx_t *x, uint64_t *child);

/* Whether the memory a leaf maps is cacheable (needs a clean to PoC
 * before a stage-2 guest may see it) and executable. */
bool pgt_leaf_cacheable(const pgt_ctx_t *x, uint64_t d);
bool pgt_leaf_exec(const pgt_ctx_t *x, uint64_t d);

/* Write permission, and the bits a permission change touches. */
bool pgt_leaf_writable(const pgt_ctx_t *x, uint64_t d);
uint64_t pgt_wrprotect_desc(const pgt_ctx_t *x, uint64_t d);
uint64_t pgt_perm_mask(const pgt_ctx_t *x);
/* d with the permissions of prot (R, W, X) added. */
uint64_t pgt_relax_desc(const pgt_ctx_t *x, uint64_t d, unsigned prot);

/* ---------------------------------------------------------------------
 * tlb.c: TLB maintenance
 * ------------------------------------------------------------------- */

/* Invalidate the leaf at ia, level (broadcast, by address: IPAS2E1IS,
 * VALE1IS, VALE2IS with the level hint). The caller has made the store
 * visible (DSB ISHST). Completed by pgt_sync. */
void pgt_tlbi_leaf(pgt_ctx_t *x, uint64_t ia, int level);
/* A batch: DSB ISHST, then pgt_tlbi_leaf for entry first + b (mapping
 * tbase + (first + b) * the level's size) of each bit b of mask. */
void pgt_tlbi_batch(pgt_ctx_t *x, uint64_t tbase, unsigned first,
		    uint64_t mask, int level);
/* The same, local to this CPU (NSH), completed at once with DSB NSH. */
void pgt_tlbi_leaf_local(pgt_ctx_t *x, uint64_t ia, int level);
/* Complete every pending invalidation (DSB ISH; VMALLE1IS after
 * IPAS2E1IS; the whole VMID/ASID after a table unlink), then free the
 * table pages waiting for it. */
void pgt_sync_slow(pgt_ctx_t *x);
static inline void pgt_sync(pgt_ctx_t *x)
{
	if (x->table_tlbi || x->leaf_tlbi || x->n_free)
		pgt_sync_slow(x);
}
/* Queue an unlinked table (and the tables below it) to be freed after
 * the invalidation. */
void pgt_defer_free(pgt_ctx_t *x, uint64_t *table, int level);

/* ---------------------------------------------------------------------
 * bbm.c: the update sequences, one place for every change to an entry
 * ------------------------------------------------------------------- */

/* Make an invalid entry valid (no break, no TLBI: RXCLRD). Exclusive: a
 * store-release; shared: a CAS from old, -EAGAIN if it lost. Takes the
 * table page's reference for the new entry. */
int pgt_make(pgt_ctx_t *x, uint64_t *p, uint64_t old, uint64_t new_);

/* Break a valid entry: store the invalid (exclusive) or locked (shared,
 * CAS, -EAGAIN if lost) value, DSB ISHST, TLBI of the old entry (leaf or
 * table) and complete it. Returns 0 with the entry invalid. */
int pgt_break(pgt_ctx_t *x, uint64_t *p, uint64_t old, uint64_t ia, int level);

/* Replace a valid leaf by a new valid leaf at the same level, choosing
 * the sequence from what differs (RWHZWS): break-before-make for output
 * address, memory type, shareability, size/Contiguous (below level 1 of
 * FEAT_BBM) and nG 1->0; one store plus TLBI otherwise. The caller has
 * done the cache maintenance of the new output. */
int pgt_replace_leaf(pgt_ctx_t *x, uint64_t *p, uint64_t old, uint64_t new_,
		     uint64_t ia, int level);

/* Change a leaf's bits that need no break (permissions, AF, software
 * bits): one store or CAS. The caller issues the TLBI it needs. */
int pgt_update(pgt_ctx_t *x, uint64_t *p, uint64_t old, uint64_t new_);

/* Store 0 over a valid entry, or over one the caller locked, and drop its
 * reference. The caller invalidates: in batches (pgt_tlbi_batch) after an
 * exclusive clear; before the clear of an entry it locked (unmap.c). */
void pgt_clear(pgt_ctx_t *x, uint64_t *p);

/* Replace the block at p by the table `child` (already filled, unlinked)
 * mapping the same output: one store/CAS at FEAT_BBM level 2, a break at
 * levels 0 and 1 (RKFLJB, RWHZWS). */
int pgt_block_to_table(pgt_ctx_t *x, uint64_t *p, uint64_t old,
		       uint64_t *child, uint64_t ia, int level);

/* Replace the table at p by the block new_: one store/CAS at level 2 when
 * the block maps what the table mapped (collapse), a break otherwise. The
 * old table is freed after the invalidation. */
int pgt_table_to_block(pgt_ctx_t *x, uint64_t *p, uint64_t old,
		       uint64_t new_, uint64_t ia, int level, bool same);

/* Clear the Contiguous bit on the whole run holding entry p at level
 * (which maps ia, any address of the entry), so that one entry of it can
 * change on its own (RNGLXZ: a run must stay consistent). */
int pgt_uncont(pgt_ctx_t *x, uint64_t *p, uint64_t ia, int level);

/* Clean (and invalidate the I-cache of) [oa, oa + size) before it is
 * mapped, as the new leaf d requires. Returns whether anything was
 * issued (the caller then needs DSB ISH before the make). */
bool pgt_cmo_new(pgt_ctx_t *x, uint64_t d, uint64_t oa, uint64_t size);
/* One maintenance operation over [oa, oa + size): one call when the
 * backend takes ranges, else one per granule page. */
void pgt_cmo_range(pgt_ctx_t *x, vmsa_pgt_cmo_t op, uint64_t oa,
		   uint64_t size);
/* The same in two steps, for a map that decides once for all its leaves:
 * which maintenance a leaf with attributes d needs, then doing it. */
enum { PGT_CMO_POC = 1, PGT_CMO_POU = 2, PGT_CMO_IC = 4 };
unsigned pgt_cmo_kind(const pgt_ctx_t *x, uint64_t d);
bool pgt_cmo_do_all(pgt_ctx_t *x, unsigned kind, uint64_t oa,
		    uint64_t size);
static inline bool pgt_cmo_do(pgt_ctx_t *x, unsigned kind, uint64_t oa,
			      uint64_t size)
{
	/* The usual case, a cacheable page or block, in one call. */
	if (kind == PGT_CMO_POC && x->ops->cmo_range) {
		x->ops->cmo_range(x->c, VMSA_PGT_DC_CVAC,
				  x->ops->phys_to_virt(x->c, VMSA_PGT_PA(oa)),
				  size);
		return true;
	}
	return pgt_cmo_do_all(x, kind, oa, size);
}

/* ---------------------------------------------------------------------
 * split.c, walk.c
 * ------------------------------------------------------------------- */

/* Build, unlinked, a table of level+1 mapping what the block d at level
 * maps. NULL when out of memory. */
uint64_t *pgt_split_table(pgt_ctx_t *x, uint64_t d, int level);

/* Split the block at p (read as old) into a table of the next level. */
int pgt_split_block(pgt_ctx_t *x, uint64_t *p, uint64_t old, uint64_t ia,
		    int level);

/* Find the entry translating ia: *pp, its value and level. Returns 0,
 * or -EAGAIN when a locked entry is on the way (shared). */
int pgt_find(pgt_ctx_t *x, uint64_t ia, uint64_t **pp, uint64_t *val,
	     int *level);

/* Make a the boundary of a leaf (unmap.c): split the block, clear the
 * Contiguous run that straddles it; *next: where the entry a starts
 * ends. -ENOMEM, -EAGAIN. */
int pgt_cut_at(pgt_ctx_t *x, uint64_t a, uint64_t *next);

/* Call fn for every valid leaf overlapping [start, end), in order. fn
 * returns a negative errno to stop, 1 when it changed the leaf in a way
 * that needs a broadcast TLBI (issued in batches of up to 64 after one
 * DSB ISHST, completed by pgt_sync), 0 otherwise. A locked entry in a
 * shared walk stops it with -EAGAIN. */
typedef int (*pgt_leaf_fn)(pgt_ctx_t *x, uint64_t *p, uint64_t v,
			   uint64_t ia, int level, void *arg);
int pgt_for_leaves(pgt_ctx_t *x, uint64_t start, uint64_t end,
		   pgt_leaf_fn fn, void *arg);

/* Free a table page and everything below it (no invalidation: the caller
 * has done it), dropping each reference so that every page reaches 0. */
void pgt_free_tree(pgt_ctx_t *x, uint64_t *table, int level);

#endif
