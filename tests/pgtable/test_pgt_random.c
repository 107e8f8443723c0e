/*
 * tests/pgtable/test_pgt_random.c - the page-table library's randomized
 * differential test.
 *
 * Random sequences of map (random size and alignment, so that blocks,
 * pages and contiguous runs all occur; sometimes VMSA_PGT_CONTIG or
 * VMSA_PGT_PAGES), unmap, wrprotect, relax_perms, mkyoung,
 * test_clear_young, split and collapse over a small window of the input
 * space, on stage 2 and on each stage-1 regime, for each granule. After
 * every step the tables are compared with
 *
 *  (a) a reference: a flat array of per-page mappings (output address,
 *      permissions, memory type, young) updated by each operation's
 *      documented semantics (include/vmsa/pgtable.h, docs/pgtable.md);
 *  (b) the architecture core's translation, vmsa_walk_stage() /
 *      vmsa_walk(), configured from the table's root and geometry through
 *      the same register encodings a hypervisor writes (VTCR_EL2,
 *      TCR_ELx), for every page of a small window and a sample of a
 *      large one: result, output address, permissions, memory type;
 *
 * and the invariants are checked: every table page's reference count is
 * 1 + its valid (or locked) entries, every page the ops handed out is
 * reachable (nothing leaked, nothing freed twice or while counted), no
 * empty table is left linked, no RES0 bit is set, every contiguous run
 * is whole and consistent, invalid entries at rest are zero.
 *
 * The test's ops register every table page, so that a descriptor access
 * outside a live table page is reported instead of followed, a double
 * free or a count dropped below zero is caught. Deterministic: fixed
 * seeds; even seeds run on the host backend (src/backend/host.c, its
 * pool, reference counts and physical addresses, watched by the test's
 * ops), odd ones on the test's own ops. A failure prints the
 * configuration, seed and step; to replay one with a trace of every
 * operation:
 *
 *	VMSA_PGT_SEED=<seed> VMSA_PGT_TRACE=1 build/test/vmsa-tests pgt_random
 *
 * VMSA_PGT_STEPS=<n> changes the number of steps of every seed (longer
 * runs, with VMSA_PGT_SEED, for a soak).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "vmsa/backend.h"
#include "vmsa/pgtable.h"

#include "pgt_ops.h"

/* =====================================================================
 * Random numbers (splitmix64: fixed seeds, same sequence everywhere)
 * =================================================================== */

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rng_below(uint64_t *s, uint64_t n)
{
	return n ? rng_next(s) % n : 0;
}

/* True with probability pct / 100. */
static bool rng_pct(uint64_t *s, unsigned pct)
{
	return rng_below(s, 100) < pct;
}

/* =====================================================================
 * One run: a table, its window, the reference and the scan
 * =================================================================== */

#define PROT_RWX (VMSA_PGT_PROT_R | VMSA_PGT_PROT_W | VMSA_PGT_PROT_X)
#define PROT_TYPE (VMSA_PGT_PROT_NC | VMSA_PGT_PROT_DEVICE)

/* MAIR_ELx of the stage-1 runs: index 0 and 3 Normal WB, 1 Normal NC,
 * 2 Device-nGnRE (the cfg's attr_* name them). */
#define MAIR_TEST 0x00000000ff0444ffull
#define PA_BITS 48u
#define OA_BASE 0x0000008000000000ull /* 512 GiB: mapped output space */

/* What one page of the window maps to. */
typedef struct tref {
	uint64_t oa;
	uint8_t prot;   /* VMSA_PGT_PROT_* (memory type included) */
	bool valid;
	bool young;
} tref_t;

/* One page of the window as the tables hold it (the scan). */
typedef struct tcur {
	uint64_t desc;        /* the leaf descriptor, 0 when invalid */
	int level;            /* the leaf's level */
	uint32_t leaf_first;  /* window page of the leaf entry's first page */
	uint32_t leaf_pages;
	uint32_t run_first;   /* its contiguous run (the leaf when none) */
	uint32_t run_pages;
} tcur_t;

typedef struct trun_cfg {
	const char *name;
	vmsa_pgt_cfg_t cfg;
	vmsa_pgt_features_t feat;
	uint64_t win;         /* first input address of the window */
	uint64_t win_size;
	int block_level;      /* the level whose blocks the window can hold */
	unsigned steps;
	uint64_t seeds[4];    /* 0 ends the list */
} trun_cfg_t;

typedef struct trun {
	const trun_cfg_t *rc;
	tops_t to;
	vmsa_host_t *host;    /* even seeds: the host backend under to */
	vmsa_pgt_t pgt;
	bool live;            /* pgt initialised */
	unsigned pshift;
	uint64_t npages;
	uint64_t block_pages; /* pages of a block at rc->block_level */
	uint64_t run_pages;   /* pages of a contiguous run of pages */
	tref_t *ref;
	tcur_t *cur;
	bool *was_valid;      /* each window page before the step's map */
	bool two_el;          /* stage 1 with EL0 (USER meaningful) */
	uint64_t seed;
	unsigned step;
	char op[160];         /* the step's operation, for messages */
	uint64_t op_first;    /* window pages the step's operation named */
	uint64_t op_n;
	bool failed;          /* stop at the first mismatch */
	bool trace;
	/* The architecture core's view of the table. */
	vmsa_regime_cfg_t regime;
	vmsa_stage_cfg_t s2;
	/* Scan results. */
	unsigned reached;     /* table pages reachable from the root */
	unsigned n_tables;    /* tables below the root: */
	struct {
		int level;    /* the level of their entries */
		uint64_t ia;  /* the first input address they map */
	} tables[TO_MAX_PAGES];
	unsigned n_empty;     /* tables below the root with no used entry */
	unsigned n_pre;       /* the tables before the step's map */
	struct {
		int level;
		uint64_t ia;
	} pre[TO_MAX_PAGES];
	/* Shared walks never free tables (a concurrent walker may be in
	 * them): after a shared unmap, tables may be left empty until an
	 * exclusive unmap of their range. */
	bool empties_ok;
	uint64_t unmap_lo, unmap_hi; /* the step's exclusive unmap, if any */
	unsigned long walks;  /* vmsa_walk() calls made (a check counts) */
} trun_t;

/* What the runs of one configuration exercised: a test whose random
 * operations never made a block, a contiguous run or a successful
 * collapse would prove little, so run_all() checks these are not 0. */
static struct {
	unsigned long block_leaves;   /* met by scans */
	unsigned long contig_leaves;
	unsigned long collapsed;      /* collapses that made a block */
	unsigned long blocks_split;   /* splits that had a block to split */
	unsigned long relaxed;        /* relax_perms of a mapped page */
	unsigned long steps;
} stats;

static void run_fail(trun_t *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Report the first mismatch of a run with everything needed to replay
 * it, and stop the run there (later steps would only repeat it). */
static void run_fail(trun_t *r, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	vt_checked();
	if (r->failed)
		return;
	r->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vt_fail(__FILE__, __LINE__, "%s%s seed %" PRIu64 " step %u (%s): %s",
		r->rc->name, r->host ? " (host backend)" : "", r->seed, r->step,
		r->op, msg);
}

static uint64_t page_ia(const trun_t *r, uint64_t p)
{
	return r->rc->win + (p << r->pshift);
}

/* ---------------------------------------------------------------------
 * Descriptors to reference form
 * ------------------------------------------------------------------- */

static bool is_s2(const trun_t *r)
{
	return r->rc->cfg.regime == VMSA_PGT_S2;
}

/* The memory type bits of prot a leaf's attributes stand for, or -1. */
static int leaf_type(const trun_t *r, const vmsa_desc_t *d)
{
	const vmsa_pgt_cfg_t *c = &r->rc->cfg;

	if (is_s2(r)) {
		unsigned wb = r->rc->feat.s2fwb ? VMSA_S2FWB_MEMATTR_NORMAL_WB
						: VMSA_S2_MEMATTR_NORMAL_WB;
		if (d->memattr == wb)
			return 0;
		if (!r->rc->feat.s2fwb &&
		    d->memattr == VMSA_S2_MEMATTR_NORMAL_NC)
			return VMSA_PGT_PROT_NC;
		if (d->memattr == VMSA_S2_MEMATTR_DEVICE_nGnRE)
			return VMSA_PGT_PROT_DEVICE;
		/* With FWB, NC is MemAttr 0b0101 too (stage 1 decides
		 * unless stage 2 forces): accept the FWB spelling. */
		if (r->rc->feat.s2fwb && d->memattr == 0x5)
			return VMSA_PGT_PROT_NC;
		return -1;
	}
	if (d->attr_indx == c->attr_normal)
		return 0;
	if (d->attr_indx == c->attr_normal_nc)
		return VMSA_PGT_PROT_NC;
	if (d->attr_indx == c->attr_device)
		return VMSA_PGT_PROT_DEVICE;
	return -1;
}

/* prot (permissions and type) a leaf descriptor encodes, or -1 for an
 * encoding the library never means (reported by the caller). */
static int leaf_prot(const trun_t *r, const vmsa_desc_t *d)
{
	int type = leaf_type(r, d);
	unsigned p = 0;

	if (type < 0)
		return -1;
	if (is_s2(r)) {
		if (d->s2ap & VMSA_S2AP_RO)
			p |= VMSA_PGT_PROT_R;
		if (d->s2ap & VMSA_S2AP_WO)
			p |= VMSA_PGT_PROT_W;
		/* XN[1:0] = 00 executable at EL1 and EL0, 10 at neither;
		 * the library has no reason for the FEAT_XNX forms. */
		if (d->xn == 0)
			p |= VMSA_PGT_PROT_X;
		else if (d->xn != 2)
			return -1;
	} else {
		p |= VMSA_PGT_PROT_R;
		if (!(d->ap & 2)) /* AP[2] = 0: writable */
			p |= VMSA_PGT_PROT_W;
		if (r->two_el && (d->ap & 1)) {
			p |= VMSA_PGT_PROT_USER;
			if (!d->uxn)
				p |= VMSA_PGT_PROT_X;
		} else if (!(r->two_el ? d->pxn : d->uxn)) {
			p |= VMSA_PGT_PROT_X;
		}
	}
	return (int)(p | (unsigned)type);
}

/* ---------------------------------------------------------------------
 * The scan: every table reachable from the root, with the invariants
 * ------------------------------------------------------------------- */

static unsigned entries_per_page(const trun_t *r)
{
	return (unsigned)(r->to.psize / 8);
}

/* Entries of the (possibly concatenated) root: every index the start
 * level resolves for ia_bits. */
static uint64_t root_entries(const trun_t *r)
{
	unsigned shift = vmsa_level_shift(r->rc->cfg.granule,
					  r->pgt.start_level);

	return (uint64_t)1 << (r->rc->cfg.ia_bits - shift);
}

/* Check one contiguous entry against the first of its aligned run: every
 * entry of a run is a valid leaf at the same level with the Contiguous
 * bit, the output addresses follow each other from an address aligned to
 * the run, and the attributes are the same but for the Access flag,
 * which hardware may set in one entry only (D8.7.1). */
static void check_contig(trun_t *r, const uint64_t *table, unsigned i,
			 int level, uint64_t ia)
{
	vmsa_granule_t g = r->rc->cfg.granule;
	unsigned n = vmsa_contig_entries(g, level);
	unsigned first = i & ~(n - 1);
	uint64_t lsize = vmsa_level_size(g, level);
	uint64_t oam = vmsa_desc_oa_mask(g, level);
	uint64_t e = table[i], f = table[first];
	uint64_t attrs = ~oam & ~VMSA_D_AF;

	if (n == 0) {
		run_fail(r, "Contiguous bit at level %d where it means "
			 "nothing, ia 0x%" PRIx64, level, ia);
		return;
	}
	if (vmsa_desc_kind(f, level, g) != vmsa_desc_kind(e, level, g) ||
	    (f & attrs) != (e & attrs) ||
	    (e & oam) != (f & oam) + (uint64_t)(i - first) * lsize ||
	    ((f & oam) & (n * lsize - 1)) != 0)
		run_fail(r, "contiguous run broken at ia 0x%" PRIx64
			 " level %d: entry 0x%016" PRIx64 ", first of run "
			 "0x%016" PRIx64, ia, level, e, f);
}

/* Record a leaf in the window pages it maps. */
static void note_leaf(trun_t *r, const uint64_t *table, unsigned i,
		      int level, uint64_t ia)
{
	vmsa_granule_t g = r->rc->cfg.granule;
	uint64_t e = table[i];
	uint64_t lsize = vmsa_level_size(g, level);
	uint64_t lp = lsize >> r->pshift;
	vmsa_desc_t d = vmsa_desc_decode(e, is_s2(r) ? VMSA_STAGE2 : VMSA_STAGE1,
					 level, g);
	uint64_t first, rfirst, rpages = lp;

	if (d.other || d.pbha || d.nt || d.dbm || d.sw || d.ns || d.gp) {
		run_fail(r, "leaf 0x%016" PRIx64 " at level %d ia 0x%" PRIx64
			 " has bits the library never sets (RES0/IGNORED "
			 "0x%" PRIx64 ")", e, level, ia, d.other);
		return;
	}
	if (leaf_prot(r, &d) < 0) {
		run_fail(r, "leaf 0x%016" PRIx64 " at level %d ia 0x%" PRIx64
			 ": attributes no prot encodes", e, level, ia);
		return;
	}
	if (ia < r->rc->win || ia + lsize > r->rc->win + r->rc->win_size) {
		run_fail(r, "leaf at level %d ia 0x%" PRIx64 " outside the "
			 "window [0x%" PRIx64 ", +0x%" PRIx64 ")", level, ia,
			 r->rc->win, r->rc->win_size);
		return;
	}
	first = (ia - r->rc->win) >> r->pshift;
	rfirst = first;
	if (level < 3)
		stats.block_leaves++;
	if (d.contig)
		stats.contig_leaves++;
	if (d.contig) {
		unsigned n = vmsa_contig_entries(g, level);

		check_contig(r, table, i, level, ia);
		if (n) {
			uint64_t run_ia = ia & ~(n * lsize - 1);

			rpages = n * lp;
			rfirst = run_ia >= r->rc->win
					 ? (run_ia - r->rc->win) >> r->pshift
					 : 0;
		}
	}
	for (uint64_t k = 0; k < lp; k++) {
		tcur_t *c = &r->cur[first + k];

		c->desc = e;
		c->level = level;
		c->leaf_first = (uint32_t)first;
		c->leaf_pages = (uint32_t)lp;
		c->run_first = (uint32_t)rfirst;
		c->run_pages = (uint32_t)rpages;
	}
}

static void scan_table(trun_t *r, uint64_t *table, unsigned n, int level,
		       uint64_t ia);

/* A table descriptor: its next-level page must be a live page met once,
 * and the descriptor must carry nothing but the address and type (the
 * library sets no table attributes: APTable and the XN tables would
 * change permissions under the leaves). */
static void follow_table(trun_t *r, uint64_t e, int level, uint64_t ia)
{
	vmsa_granule_t g = r->rc->cfg.granule;
	vmsa_desc_t d = vmsa_desc_decode(e, is_s2(r) ? VMSA_STAGE2 : VMSA_STAGE1,
					 level, g);
	uint64_t *next = r->to.ops.phys_to_virt(r->to.ops.ctx,
						VMSA_PGT_PA(d.oa));

	if (d.other || d.sw || d.pxn_table || d.uxn_table || d.ap_table ||
	    d.ns_table) {
		run_fail(r, "table descriptor 0x%016" PRIx64 " at level %d ia "
			 "0x%" PRIx64 " has bits besides address and type",
			 e, level, ia);
		return;
	}
	if (to_find(&r->to, next) < 0 ||
	    r->to.page[to_find(&r->to, next)] != (void *)next) {
		run_fail(r, "table descriptor 0x%016" PRIx64 " at level %d ia "
			 "0x%" PRIx64 " points to no live table page", e,
			 level, ia);
		return;
	}
	scan_table(r, next, entries_per_page(r), level + 1, ia);
}

/* The used entries of one table page: what its reference count counts. */
static void check_count(trun_t *r, uint64_t *page, unsigned used, bool root,
			int level, uint64_t ia)
{
	uint64_t size = vmsa_level_size(r->rc->cfg.granule, level - 1);

	int i = to_find(&r->to, page);
	int want = 1 + (int)used;

	if (i < 0 || r->to.page[i] != (void *)page) {
		run_fail(r, "table page %p (level %d, ia 0x%" PRIx64 ") is not "
			 "a live page", (void *)page, level, ia);
		return;
	}
	if (r->to.count[i] != want)
		run_fail(r, "table page at level %d ia 0x%" PRIx64 ": reference "
			 "count %d, expected 1 + %u used entries", level, ia,
			 r->to.count[i], used);
	if (!root && used == 0) {
		r->n_empty++;
		/* An exclusive unmap frees every table it empties. */
		if (!r->empties_ok ||
		    (ia < r->unmap_hi && ia + size > r->unmap_lo))
			run_fail(r, "empty table left at level %d ia 0x%" PRIx64,
				 level, ia);
	}
	if (!root && r->n_tables < TO_MAX_PAGES) {
		r->tables[r->n_tables].level = level;
		r->tables[r->n_tables].ia = ia;
		r->n_tables++;
	}
	r->reached++;
}

static void scan_table(trun_t *r, uint64_t *table, unsigned n, int level,
		       uint64_t ia)
{
	vmsa_granule_t g = r->rc->cfg.granule;
	uint64_t lsize = vmsa_level_size(g, level);
	unsigned per_page = entries_per_page(r);
	bool root = level == r->pgt.start_level;
	unsigned used = 0;

	for (unsigned i = 0; i < n && !r->failed; i++) {
		uint64_t e = table[i], eia = ia + (uint64_t)i * lsize;

		if (e != 0) {
			used++;
			if (!(e & VMSA_D_VALID))
				run_fail(r, "invalid entry 0x%016" PRIx64 " left "
					 "at level %d ia 0x%" PRIx64 " (invalid "
					 "entries at rest are 0)", e, level, eia);
			else if (level < 3 && (e & VMSA_D_TYPE))
				follow_table(r, e, level, eia);
			else if (vmsa_desc_kind(e, level, g) == VMSA_DESC_RESERVED)
				run_fail(r, "reserved encoding 0x%016" PRIx64
					 " at level %d ia 0x%" PRIx64, e, level,
					 eia);
			else
				note_leaf(r, table, i, level, eia);
		}
		/* Each page of a concatenated root is counted alone. */
		if ((i + 1) % per_page == 0 || i + 1 == n) {
			uint64_t *page = table + (i / per_page) * per_page;
			uint64_t pia = ia + (uint64_t)(i / per_page) *
						    per_page * lsize;

			for (unsigned k = n; k < per_page && i + 1 == n; k++)
				if (page[k] != 0)
					run_fail(r, "root entry %u beyond the "
						 "input size is 0x%016" PRIx64,
						 k, page[k]);
			check_count(r, page, used, root, level, pia);
			used = 0;
		}
	}
}

/* Scan the whole table into r->cur and check the invariants. */
static void scan(trun_t *r)
{
	uint64_t n = root_entries(r);

	memset(r->cur, 0, r->npages * sizeof(*r->cur));
	r->reached = 0;
	r->n_tables = 0;
	r->n_empty = 0;
	scan_table(r, r->pgt.root, (unsigned)n, r->pgt.start_level, 0);
	if (r->failed)
		return;
	if (r->n_empty == 0)
		r->empties_ok = false;
	if (r->reached != r->to.n)
		run_fail(r, "%u table pages reachable, %u allocated and not "
			 "freed (leak)", r->reached, r->to.n);
	if (r->host && vmsa_host_pages_in_use(r->host) != r->reached)
		run_fail(r, "%u table pages reachable, %zu in use in the host "
			 "backend", r->reached, vmsa_host_pages_in_use(r->host));
	if (r->to.bad)
		run_fail(r, "ops contract: %s", r->to.why);
}

/* ---------------------------------------------------------------------
 * Comparison with the reference
 * ------------------------------------------------------------------- */

static void describe(char *buf, size_t n, const tref_t *t)
{
	if (!t->valid)
		snprintf(buf, n, "invalid");
	else
		snprintf(buf, n, "oa 0x%" PRIx64 " prot 0x%x %s", t->oa,
			 t->prot, t->young ? "young" : "old");
}

/* The window page p as the scan found it, in reference form. */
static tref_t actual(const trun_t *r, uint64_t p)
{
	const tcur_t *c = &r->cur[p];
	tref_t t = { 0 };
	vmsa_desc_t d;

	if (!c->desc)
		return t;
	d = vmsa_desc_decode(c->desc, is_s2(r) ? VMSA_STAGE2 : VMSA_STAGE1,
			     c->level, r->rc->cfg.granule);
	t.valid = true;
	t.oa = d.oa + ((p - c->leaf_first) << r->pshift);
	t.prot = (uint8_t)leaf_prot(r, &d);
	t.young = d.af;
	return t;
}

static bool same(const tref_t *a, const tref_t *b)
{
	if (a->valid != b->valid)
		return false;
	return !a->valid || (a->oa == b->oa && a->prot == b->prot &&
			     a->young == b->young);
}

static void compare_ref(trun_t *r)
{
	for (uint64_t p = 0; p < r->npages && !r->failed; p++) {
		tref_t a = actual(r, p);

		if (!same(&a, &r->ref[p])) {
			char want[80], got[80];

			describe(want, sizeof(want), &r->ref[p]);
			describe(got, sizeof(got), &a);
			run_fail(r, "ia 0x%" PRIx64 ": reference %s, tables %s "
				 "(leaf 0x%016" PRIx64 " level %d)",
				 page_ia(r, p), want, got, r->cur[p].desc,
				 r->cur[p].level);
		}
	}
	vt_checked();
}

/* ---------------------------------------------------------------------
 * Comparison with the architecture core's walk
 * ------------------------------------------------------------------- */

/* Descriptor reads of vmsa_walk: table pages only. */
static int walk_read(void *ctx, const vmsa_walk_read_t *rd, uint64_t *value)
{
	trun_t *r = ctx;
	uint64_t *p = r->to.ops.phys_to_virt(r->to.ops.ctx,
					     VMSA_PGT_PA(rd->pa));

	if ((rd->pa & 7) || to_find(&r->to, p) < 0)
		return -EFAULT;
	*value = *p;
	return 0;
}

/* TCR/VTCR TG0 encodings. */
static unsigned tg0(vmsa_granule_t g)
{
	return g == VMSA_GRANULE_4K ? 0 : g == VMSA_GRANULE_64K ? 1 : 2;
}

/* Configure the architecture core as a hypervisor would configure the
 * MMU for this table: VTCR_EL2/VTTBR_EL2, or TCR_ELx/TTBR0_ELx with the
 * TTBR1 range disabled. Returns false (and fails the run) when the
 * registers cannot express the table's geometry. */
static bool setup_walk(trun_t *r)
{
	const vmsa_pgt_cfg_t *c = &r->rc->cfg;
	uint64_t t0sz = 64 - c->ia_bits;
	uint64_t root = r->pgt.root_pa.pa;
	const char *why = NULL;
	int err;

	memset(&r->regime, 0, sizeof(r->regime));
	r->regime.pa_bits = PA_BITS;
	if (c->regime == VMSA_PGT_S2) {
		/* SL0: 4K: 2 - level; 16K and 64K: 3 - level. */
		int top = c->granule == VMSA_GRANULE_4K ? 2 : 3;
		uint64_t vtcr = t0sz | (uint64_t)(top - r->pgt.start_level) << 6 |
				(uint64_t)tg0(c->granule) << 14 | 5ull << 16;
		uint64_t hcr = VMSA_HCR_VM | VMSA_HCR_RW |
			       (r->rc->feat.s2fwb ? VMSA_HCR_FWB : 0);

		err = vmsa_s2_cfg(&r->s2, vtcr, root | (uint64_t)c->vmid << 48,
				  hcr, PA_BITS, &why);
		if (!err && (r->s2.tt[0].concat != r->pgt.n_roots ||
			     r->s2.tt[0].start_level != r->pgt.start_level)) {
			run_fail(r, "VTCR_EL2 cannot describe start level %d "
				 "with %u roots (SL0 gives level %d, %u roots)",
				 r->pgt.start_level, r->pgt.n_roots,
				 r->s2.tt[0].start_level, r->s2.tt[0].concat);
			return false;
		}
	} else if (c->regime == VMSA_PGT_S1_EL2) {
		uint64_t tcr = t0sz | (uint64_t)tg0(c->granule) << 14 | 5ull << 16;

		r->regime.regime = VMSA_REGIME_EL2;
		err = vmsa_s1_cfg_el2(&r->regime.s1, false, tcr, root, 0, 1,
				      MAIR_TEST, PA_BITS, &why);
	} else {
		/* TCR_EL1 format: EPD1 = 1 (no TTBR1 walks), IPS 48 bits. */
		uint64_t tcr = t0sz | (uint64_t)tg0(c->granule) << 14 |
			       (1ull << 23) | 2ull << 30 | 5ull << 32;
		uint64_t ttbr0 = root | (uint64_t)c->asid << 48;

		if (c->regime == VMSA_PGT_S1_EL20) {
			r->regime.regime = VMSA_REGIME_EL20;
			err = vmsa_s1_cfg_el2(&r->regime.s1, true, tcr, ttbr0, 0,
					      1, MAIR_TEST, PA_BITS, &why);
		} else {
			r->regime.regime = VMSA_REGIME_EL10;
			err = vmsa_s1_cfg_el1(&r->regime.s1, tcr, ttbr0, 0, 1,
					      MAIR_TEST, PA_BITS, &why);
		}
	}
	if (err) {
		run_fail(r, "architecture core configuration: %s",
			 why ? why : "?");
		return false;
	}
	if (c->regime != VMSA_PGT_S2 &&
	    r->regime.s1.tt[0].start_level != r->pgt.start_level) {
		run_fail(r, "T0SZ %u gives start level %d, the table has %d",
			 (unsigned)t0sz, r->regime.s1.tt[0].start_level,
			 r->pgt.start_level);
		return false;
	}
	return true;
}

/* What the architecture must grant a page mapped with prot. */
static vmsa_perms_t want_perms(const trun_t *r, unsigned prot)
{
	bool rd = prot & VMSA_PGT_PROT_R, w = prot & VMSA_PGT_PROT_W,
	     x = prot & VMSA_PGT_PROT_X, user = prot & VMSA_PGT_PROT_USER;
	vmsa_perms_t p = { 0 };

	if (is_s2(r))
		return (vmsa_perms_t){ rd, w, x, rd, w, x };
	p.r = true;
	p.w = w;
	if (!r->two_el) {
		p.x = x;
	} else if (user) {
		/* EL0 and the privileged level share the data access;
		 * execution at EL0 only (the header's contract). */
		p.r0 = true;
		p.w0 = w;
		p.x0 = x;
	} else {
		p.x = x;
	}
	return p;
}

static void want_attr(unsigned prot, vmsa_mem_type_t *type,
		      vmsa_cacheability_t *inner)
{
	*type = VMSA_MT_NORMAL;
	*inner = VMSA_CACHE_WB;
	if (prot & VMSA_PGT_PROT_NC) {
		*inner = VMSA_CACHE_NC;
	} else if (prot & VMSA_PGT_PROT_DEVICE) {
		*type = VMSA_MT_DEVICE_nGnRE;
		*inner = VMSA_CACHE_NC;
	}
}

static bool perms_eq(const vmsa_perms_t *a, const vmsa_perms_t *b)
{
	return a->r == b->r && a->w == b->w && a->x == b->x &&
	       a->r0 == b->r0 && a->w0 == b->w0 && a->x0 == b->x0;
}

/* Translate one address of window page p with the architecture core and
 * compare with the reference. */
static void walk_page(trun_t *r, uint64_t p, uint64_t off)
{
	const tref_t *t = &r->ref[p];
	uint64_t ia = page_ia(r, p) + off;
	vmsa_access_t acc = {
		.addr = ia, .kind = VMSA_ACC_READ,
		.el = (r->rc->cfg.regime == VMSA_PGT_S1_EL2 ||
		       r->rc->cfg.regime == VMSA_PGT_S1_EL20) ? 2 : 1,
	};
	vmsa_walk_t w;
	bool ok;
	vmsa_perms_t want;
	vmsa_mem_type_t type;
	vmsa_cacheability_t inner;
	char got[200];
	uint64_t leaf = 0x5a5a;
	int level = -9, ret;

	/* The library's own lookup agrees with the scan. */
	ret = vmsa_pgt_get_leaf(&r->pgt, VMSA_IA(ia), &leaf, &level);
	if (ret != 0 || leaf != r->cur[p].desc ||
	    (leaf && level != r->cur[p].level)) {
		run_fail(r, "get_leaf(0x%" PRIx64 "): %d, 0x%016" PRIx64
			 " level %d; the scan found 0x%016" PRIx64 " level %d",
			 ia, ret, leaf, level, r->cur[p].desc, r->cur[p].level);
		return;
	}

	if (is_s2(r))
		ok = vmsa_walk_stage(&r->s2, walk_read, r, &acc, &w);
	else
		ok = vmsa_walk(&r->regime, walk_read, r, &acc, &w);
	r->walks++;
	vmsa_walk_format(got, sizeof(got), &w);
	if (!t->valid) {
		if (ok || w.fault.kind != VMSA_FAULT_TRANSLATION)
			run_fail(r, "walk of unmapped ia 0x%" PRIx64 ": %s", ia,
				 got);
		return;
	}
	if (!t->young) {
		/* No hardware Access flag: an old page faults (RGTXSQ). */
		if (ok || w.fault.kind != VMSA_FAULT_ACCESS_FLAG)
			run_fail(r, "walk of old ia 0x%" PRIx64 " (Access flag "
				 "clear): %s", ia, got);
		return;
	}
	if (!ok) {
		run_fail(r, "walk of mapped ia 0x%" PRIx64 ": %s", ia, got);
		return;
	}
	want = want_perms(r, t->prot);
	want_attr(t->prot, &type, &inner);
	if (w.pa != t->oa + off || !perms_eq(&w.perms, &want) ||
	    w.attr.type != type || w.attr.inner != inner ||
	    w.leaf[is_s2(r) ? 1 : 0].level != r->cur[p].level)
		run_fail(r, "walk of ia 0x%" PRIx64 ": %s; reference oa 0x%"
			 PRIx64 " prot 0x%x, scan level %d", ia, got,
			 t->oa + off, t->prot, r->cur[p].level);
}

/* Every page of a small window; in a large one the pages of the step's
 * range ends and a random sample. */
static void compare_walk(trun_t *r, uint64_t first, uint64_t n)
{
	uint64_t s = r->seed ^ ((uint64_t)r->step << 32);
	uint64_t ends[4] = { first, first + n - 1, first ? first - 1 : 0,
			     first + n < r->npages ? first + n : first };

	if (r->npages <= 1024) {
		for (uint64_t p = 0; p < r->npages && !r->failed; p++)
			walk_page(r, p, (p * 8) & (r->to.psize - 1));
		return;
	}
	for (unsigned i = 0; i < 4 && !r->failed; i++)
		if (n && ends[i] < r->npages)
			walk_page(r, ends[i], 0);
	for (unsigned i = 0; i < 48 && !r->failed; i++)
		walk_page(r, rng_below(&s, r->npages),
			  rng_below(&s, r->to.psize) & ~7ull);
}

/* ---------------------------------------------------------------------
 * Comparison with the library's own walker
 * ------------------------------------------------------------------- */

typedef struct visits {
	trun_t *r;
	unsigned long leaves, pre, post;
} visits_t;

static int visit_cb(const vmsa_pgt_visit_t *v)
{
	visits_t *vs = v->arg;
	trun_t *r = vs->r;
	uint64_t a = v->addr.ia, p;

	if (v->pgt != &r->pgt || v->end.ia != r->rc->win + r->rc->win_size ||
	    v->flags != 0 || *v->ptep != v->old) {
		run_fail(r, "visit of ia 0x%" PRIx64 " level %d: wrong pgt, "
			 "end, flags or old value", a, v->level);
		return -EIO;
	}
	if (v->visit == VMSA_PGT_VISIT_TABLE_PRE) {
		vs->pre++;
	} else if (v->visit == VMSA_PGT_VISIT_TABLE_POST) {
		vs->post++;
	} else if (v->visit != VMSA_PGT_VISIT_LEAF) {
		run_fail(r, "visit kind %u", v->visit);
		return -EIO;
	} else if (v->old & VMSA_D_VALID) {
		p = (a - r->rc->win) >> r->pshift;
		if (a < r->rc->win || p >= r->npages || r->cur[p].desc != v->old ||
		    r->cur[p].level != v->level || r->cur[p].leaf_first != p) {
			run_fail(r, "leaf visit ia 0x%" PRIx64 " level %d 0x%016"
				 PRIx64 " is not a leaf of the scan", a,
				 v->level, v->old);
			return -EIO;
		}
		vs->leaves++;
	}
	return VMSA_PGT_CONTINUE;
}

/* vmsa_pgt_walk over the window visits every leaf the scan found, once,
 * and every table before and after its entries. */
static void compare_visits(trun_t *r)
{
	visits_t vs = { .r = r };
	vmsa_pgt_walker_t w = {
		.cb = visit_cb, .arg = &vs,
		.visit = VMSA_PGT_VISIT_LEAF | VMSA_PGT_VISIT_TABLE_PRE |
			 VMSA_PGT_VISIT_TABLE_POST,
	};
	unsigned long leaves = 0;
	int ret;

	for (uint64_t p = 0; p < r->npages; p++)
		if (r->cur[p].desc && r->cur[p].leaf_first == p)
			leaves++;
	ret = vmsa_pgt_walk(&r->pgt, VMSA_IA(r->rc->win), r->rc->win_size, &w);
	if (r->failed)
		return;
	if (ret != 0 || vs.leaves != leaves || vs.pre != r->n_tables ||
	    vs.post != r->n_tables)
		run_fail(r, "walk: %d, %lu leaves (scan: %lu), %lu tables pre, "
			 "%lu post (scan: %u)", ret, vs.leaves, leaves, vs.pre,
			 vs.post, r->n_tables);
}

/* =====================================================================
 * The operations and their reference semantics
 * =================================================================== */

static void trace(trun_t *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void trace(trun_t *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->op, sizeof(r->op), fmt, ap);
	va_end(ap);
	if (r->trace)
		fprintf(stderr, "%s seed %" PRIu64 " step %u: %s\n",
			r->rc->name, r->seed, r->step, r->op);
}

static void expect_ret(trun_t *r, int got, int want)
{
	vt_checked();
	if (got != want)
		run_fail(r, "returned %d, expected %d", got, want);
}

/* A random range of the window, aligned so that blocks and contiguous
 * runs occur: [*first, *first + *n) in pages. */
static void pick_range(trun_t *r, uint64_t *s, uint64_t *first, uint64_t *n)
{
	uint64_t unit, count;
	unsigned k = (unsigned)rng_below(s, 10);

	if (k < 4)
		unit = r->block_pages;
	else if (k < 6)
		unit = r->run_pages;
	else
		unit = 1;
	count = unit * (1 + rng_below(s, 3));
	if (k < 6 && rng_pct(s, 25))
		count += rng_below(s, r->run_pages); /* a ragged end */
	if (k >= 6)
		count = 1 + rng_below(s, r->run_pages * 3);
	*first = rng_below(s, r->npages / unit) * unit;
	if (k < 6 && rng_pct(s, 15) && *first >= unit)
		*first -= 1 + rng_below(s, unit / 2 + 1); /* a ragged start */
	if (*first + count > r->npages)
		count = r->npages - *first;
	*n = count;
	r->op_first = *first;
	r->op_n = count;
}

/* A random window page, mostly one mapped by a leaf of `min_level` or
 * shallower (so that operations on mappings mostly find one): a few
 * random tries, then any page. */
static uint64_t pick_mapped(trun_t *r, uint64_t *s, int max_level)
{
	uint64_t p = rng_below(s, r->npages);

	if (rng_pct(s, 15))
		return p;
	for (unsigned i = 0; i < 24; i++, p = rng_below(s, r->npages))
		if (r->cur[p].desc && r->cur[p].level <= max_level)
			return p;
	return p;
}

/* An output address for a map of window page `first`: mostly congruent
 * to the input modulo a block (so blocks are possible), sometimes only
 * modulo a contiguous run, sometimes any page. */
static uint64_t pick_oa(trun_t *r, uint64_t *s, uint64_t first)
{
	uint64_t ia = page_ia(r, first);
	uint64_t bsize = r->block_pages << r->pshift;
	uint64_t rsize = r->run_pages << r->pshift;
	unsigned k = (unsigned)rng_below(s, 20);

	if (k < 12)
		return OA_BASE + rng_below(s, 8) * bsize + (ia & (bsize - 1));
	if (k < 17)
		return OA_BASE + rng_below(s, 8) * bsize +
		       rng_below(s, 4) * rsize + (ia & (rsize - 1));
	return OA_BASE + (rng_below(s, 8 * r->block_pages) << r->pshift);
}

static unsigned pick_prot(trun_t *r, uint64_t *s)
{
	unsigned p = VMSA_PGT_PROT_R;
	unsigned t = (unsigned)rng_below(s, 10);

	if (rng_pct(s, 50))
		p |= VMSA_PGT_PROT_W;
	if (t == 8)
		p |= VMSA_PGT_PROT_NC;
	else if (t == 9)
		p |= VMSA_PGT_PROT_DEVICE;
	else if (rng_pct(s, 30))
		p |= VMSA_PGT_PROT_X; /* never executable Device memory */
	if (r->two_el && rng_pct(s, 20))
		p |= VMSA_PGT_PROT_USER;
	return p;
}

/* The shared (fault-path) walk must behave as the exclusive one when
 * nobody else is walking: half the operations use it. */
static unsigned pick_shared(uint64_t *s)
{
	return rng_pct(s, 50) ? VMSA_PGT_SHARED : 0;
}

static const char *flag_names(unsigned f)
{
	static const char *names[8] = {
		"", " shared", " contig", " shared contig", " pages",
		" shared pages", " contig pages", " shared contig pages",
	};

	return names[f & 7];
}

/* Whether the entry at `level` translating ia is a table descriptor
 * (the scan met a table of level + 1 there), now or (pre) before the
 * step's map. */
static bool has_table_in(const trun_t *r, bool pre, int level, uint64_t ia)
{
	uint64_t base = ia & ~(vmsa_level_size(r->rc->cfg.granule, level) - 1);
	unsigned n = pre ? r->n_pre : r->n_tables;

	for (unsigned i = 0; i < n; i++) {
		int l = pre ? r->pre[i].level : r->tables[i].level;
		uint64_t a = pre ? r->pre[i].ia : r->tables[i].ia;

		if (l == level + 1 && a == base)
			return true;
	}
	return false;
}

static bool has_table(const trun_t *r, int level, uint64_t ia)
{
	return has_table_in(r, false, level, ia);
}

/*
 * The leaf map made for window page p of a map of [first, first + n) to
 * oa: the largest block (the shallowest level that allows one) whose
 * aligned range lies inside the map and whose input and output are
 * equally aligned, else a page; only pages with VMSA_PGT_PAGES. With
 * VMSA_PGT_CONTIG, the Contiguous bit on every entry whose aligned run
 * lies inside the map with its output aligned to the run, and was empty
 * before (every entry 0: over valid entries, a new entry claiming the
 * whole run would overlap old ones still in place, RNGLXZ); without it,
 * on none. A shared map never replaces a table by a block (that would
 * free the table under another walker): it maps into the table instead.
 */
static bool run_was_empty(const trun_t *r, uint64_t ia, int level,
			  uint64_t run)
{
	vmsa_granule_t g = r->rc->cfg.granule;
	uint64_t first = ia & ~(run - 1), size = vmsa_level_size(g, level);

	for (uint64_t a = first; a < first + run; a += size)
		if (level < 3 && has_table_in(r, true, level, a))
			return false;
	for (uint64_t a = first; a < first + run; a += (uint64_t)1 << r->pshift)
		if (r->was_valid[(a - r->rc->win) >> r->pshift])
			return false;
	return true;
}

static void check_map_shape(trun_t *r, uint64_t first, uint64_t n,
			    uint64_t oa, unsigned flags, uint64_t p)
{
	vmsa_granule_t g = r->rc->cfg.granule;
	uint64_t lo = page_ia(r, first), hi = page_ia(r, first + n);
	uint64_t ia = page_ia(r, p), delta = ia - lo;
	const tcur_t *c = &r->cur[p];
	int want = 3;
	uint64_t size, run;
	unsigned nrun;
	bool contig;

	for (int l = r->pgt.start_level; l < 3 && !(flags & VMSA_PGT_PAGES);
	     l++) {
		size = vmsa_level_size(g, l);
		if (vmsa_block_allowed(g, l) && (ia & ~(size - 1)) >= lo &&
		    (ia & ~(size - 1)) + size <= hi &&
		    ((oa + delta - ia) & (size - 1)) == 0 &&
		    !((flags & VMSA_PGT_SHARED) && has_table_in(r, true, l, ia))) {
			want = l;
			break;
		}
	}
	if (c->level != want) {
		run_fail(r, "map made a level-%d leaf at ia 0x%" PRIx64
			 ", expected level %d", c->level, ia, want);
		return;
	}
	size = vmsa_level_size(g, want);
	nrun = vmsa_contig_entries(g, want);
	run = nrun * size;
	contig = (flags & VMSA_PGT_CONTIG) && nrun &&
		 (ia & ~(run - 1)) >= lo && (ia & ~(run - 1)) + run <= hi &&
		 ((oa + delta - ia) & (run - 1)) == 0 &&
		 run_was_empty(r, ia, want, run);
	if (!!(c->desc & VMSA_D_CONT) != contig)
		run_fail(r, "map %s the Contiguous bit at ia 0x%" PRIx64
			 " (level %d): 0x%016" PRIx64, contig ? "did not set"
			 : "set", ia, want, c->desc);
}

static void op_map(trun_t *r, uint64_t *s)
{
	uint64_t first, n, oa;
	unsigned prot, flags = pick_shared(s);
	int ret;

	pick_range(r, s, &first, &n);
	oa = pick_oa(r, s, first);
	prot = pick_prot(r, s);
	if (rng_pct(s, 30))
		flags |= VMSA_PGT_CONTIG;
	if (rng_pct(s, 20))
		flags |= VMSA_PGT_PAGES;
	if (rng_pct(s, 10)) {
		/* One block's worth of pages with a block's alignment (for
		 * dirty logging), which collapse can make a block again. */
		first = rng_below(s, r->npages / r->block_pages) *
			r->block_pages;
		n = r->block_pages;
		r->op_first = first;
		r->op_n = n;
		oa = OA_BASE + (rng_below(s, 8) * r->block_pages << r->pshift);
		flags |= VMSA_PGT_PAGES;
	}
	trace(r, "map ia 0x%" PRIx64 " size 0x%" PRIx64 " oa 0x%" PRIx64
	      " prot 0x%x%s", page_ia(r, first), n << r->pshift, oa, prot,
	      flag_names(flags));
	r->n_pre = r->n_tables;
	memcpy(r->pre, r->tables, r->n_tables * sizeof(r->pre[0]));
	for (uint64_t p = 0; p < r->npages; p++)
		r->was_valid[p] = r->cur[p].desc != 0;
	ret = vmsa_pgt_map(&r->pgt, VMSA_IA(page_ia(r, first)), n << r->pshift,
			   VMSA_OA(oa), prot, flags);
	expect_ret(r, ret, 0);
	for (uint64_t k = 0; k < n; k++)
		r->ref[first + k] = (tref_t){
			.oa = oa + (k << r->pshift), .prot = (uint8_t)prot,
			.valid = true, .young = true,
		};
	if (r->failed)
		return;
	scan(r);
	for (uint64_t k = 0; k < n && !r->failed; k++)
		check_map_shape(r, first, n, oa, flags, first + k);
}

static void op_unmap(trun_t *r, uint64_t *s)
{
	uint64_t first, n;
	unsigned flags = pick_shared(s);

	pick_range(r, s, &first, &n);
	trace(r, "unmap ia 0x%" PRIx64 " size 0x%" PRIx64 "%s",
	      page_ia(r, first), n << r->pshift, flag_names(flags));
	expect_ret(r, vmsa_pgt_unmap(&r->pgt, VMSA_IA(page_ia(r, first)),
				     n << r->pshift, flags), 0);
	if (flags & VMSA_PGT_SHARED) {
		r->empties_ok = true;
	} else {
		r->unmap_lo = page_ia(r, first);
		r->unmap_hi = page_ia(r, first + n);
	}
	for (uint64_t k = 0; k < n; k++)
		r->ref[first + k].valid = false;
}

/*
 * The pages an operation on the leaf mapping window page p changes: the
 * whole leaf entry (a block partly inside a range is changed whole, as
 * wrprotect, relax_perms and the Access flag operations never split),
 * and for wrprotect, relax_perms and mkyoung its whole contiguous run
 * (entries of a run are kept alike, RNGLXZ); test_clear_young clears the
 * entries of its range only (hardware may set AF in one entry of a run,
 * software may clear it in one).
 */
static void leaf_extent(const trun_t *r, uint64_t p, bool whole_run,
			uint64_t *first, uint64_t *n)
{
	const tcur_t *c = &r->cur[p];

	*first = whole_run ? c->run_first : c->leaf_first;
	*n = whole_run ? c->run_pages : c->leaf_pages;
}

static void op_wrprotect(trun_t *r, uint64_t *s)
{
	uint64_t first, n, f, m;
	unsigned flags = pick_shared(s);

	pick_range(r, s, &first, &n);
	trace(r, "wrprotect ia 0x%" PRIx64 " size 0x%" PRIx64 "%s",
	      page_ia(r, first), n << r->pshift, flag_names(flags));
	expect_ret(r, vmsa_pgt_wrprotect(&r->pgt, VMSA_IA(page_ia(r, first)),
					 n << r->pshift, flags), 0);
	for (uint64_t k = 0; k < n; k++) {
		if (!r->cur[first + k].desc)
			continue;
		leaf_extent(r, first + k, true, &f, &m);
		for (uint64_t q = f; q < f + m; q++)
			r->ref[q].prot &= (uint8_t)~VMSA_PGT_PROT_W;
	}
}

static void op_relax(trun_t *r, uint64_t *s)
{
	uint64_t p = pick_mapped(r, s, 3), f, m;
	uint64_t off = rng_below(s, r->to.psize) & ~7ull;
	unsigned prot = 1 + (unsigned)rng_below(s, 7);
	unsigned flags = pick_shared(s);
	bool mapped = r->cur[p].desc != 0;

	r->op_first = p;
	r->op_n = 1;
	if (!is_s2(r))
		prot |= VMSA_PGT_PROT_R;
	trace(r, "relax_perms ia 0x%" PRIx64 " prot 0x%x%s",
	      page_ia(r, p) + off, prot, flag_names(flags));
	expect_ret(r, vmsa_pgt_relax_perms(&r->pgt, VMSA_IA(page_ia(r, p) + off),
					   prot, flags),
		   mapped ? 0 : -ENOENT);
	if (!mapped)
		return;
	stats.relaxed++;
	leaf_extent(r, p, true, &f, &m);
	for (uint64_t q = f; q < f + m; q++)
		r->ref[q].prot |= (uint8_t)prot;
}

static void op_mkyoung(trun_t *r, uint64_t *s)
{
	uint64_t p = pick_mapped(r, s, 3), f, m;
	unsigned flags = pick_shared(s);
	bool mapped = r->cur[p].desc != 0;

	r->op_first = p;
	r->op_n = 1;
	trace(r, "mkyoung ia 0x%" PRIx64 "%s", page_ia(r, p), flag_names(flags));
	expect_ret(r, vmsa_pgt_mkyoung(&r->pgt, VMSA_IA(page_ia(r, p)), flags),
		   mapped ? 0 : -ENOENT);
	if (!mapped)
		return;
	leaf_extent(r, p, true, &f, &m);
	for (uint64_t q = f; q < f + m; q++)
		r->ref[q].young = true;
}

static void op_young(trun_t *r, uint64_t *s)
{
	uint64_t first, n, f, m;
	bool clear = rng_pct(s, 60), young = false;
	unsigned flags = pick_shared(s);

	pick_range(r, s, &first, &n);
	trace(r, "test_clear_young ia 0x%" PRIx64 " size 0x%" PRIx64 "%s%s",
	      page_ia(r, first), n << r->pshift, clear ? " clear" : "",
	      flag_names(flags));
	for (uint64_t k = 0; k < n; k++)
		if (r->ref[first + k].valid && r->ref[first + k].young)
			young = true;
	expect_ret(r, vmsa_pgt_test_clear_young(&r->pgt,
						VMSA_IA(page_ia(r, first)),
						n << r->pshift, clear, flags),
		   young ? 1 : 0);
	if (!clear)
		return;
	for (uint64_t k = 0; k < n; k++) {
		if (!r->cur[first + k].desc)
			continue;
		leaf_extent(r, first + k, false, &f, &m);
		for (uint64_t q = f; q < f + m; q++)
			r->ref[q].young = false;
	}
}

/* Clean to PoC: one DC CVAC per cacheable (Normal Write-Back) mapped
 * page of the range; none on stage 2 with FWB, which makes the guest's
 * accesses cacheable whatever it does. */
static void op_flush(trun_t *r, uint64_t *s)
{
	uint64_t first, n, want = 0, cmo = r->to.n_cmo;
	uint64_t cvac = r->to.n_cmo_op[VMSA_PGT_DC_CVAC];

	pick_range(r, s, &first, &n);
	trace(r, "flush ia 0x%" PRIx64 " size 0x%" PRIx64, page_ia(r, first),
	      n << r->pshift);
	for (uint64_t k = 0; k < n; k++)
		if (r->ref[first + k].valid &&
		    !(r->ref[first + k].prot & PROT_TYPE) &&
		    !(is_s2(r) && r->rc->feat.s2fwb))
			want++;
	expect_ret(r, vmsa_pgt_flush(&r->pgt, VMSA_IA(page_ia(r, first)),
				     n << r->pshift), 0);
	if (r->to.n_cmo - cmo != want ||
	    r->to.n_cmo_op[VMSA_PGT_DC_CVAC] - cvac != want)
		run_fail(r, "flush made %lu cache maintenance calls (%lu DC "
			 "CVAC), expected %" PRIu64 " DC CVAC",
			 r->to.n_cmo - (unsigned long)cmo,
			 r->to.n_cmo_op[VMSA_PGT_DC_CVAC] - (unsigned long)cvac,
			 want);
}

static void op_split(trun_t *r, uint64_t *s)
{
	uint64_t first, n;
	unsigned flags = pick_shared(s);

	pick_range(r, s, &first, &n);
	if (rng_pct(s, 60)) {
		/* Mostly around a block, if there is one. */
		uint64_t b = pick_mapped(r, s, 2);

		if (r->cur[b].desc && r->cur[b].level < 3) {
			first = b > n / 2 ? b - n / 2 : 0;
			if (first + n > r->npages)
				first = r->npages - n;
			r->op_first = first;
		}
	}
	for (uint64_t k = 0; k < n; k++)
		if (r->cur[first + k].desc && r->cur[first + k].level < 3) {
			stats.blocks_split++;
			break;
		}
	trace(r, "split ia 0x%" PRIx64 " size 0x%" PRIx64 "%s",
	      page_ia(r, first), n << r->pshift, flag_names(flags));
	expect_ret(r, vmsa_pgt_split(&r->pgt, VMSA_IA(page_ia(r, first)),
				     n << r->pshift, flags), 0);
	/* The mappings are unchanged; every leaf of the range is a page. */
	scan(r);
	for (uint64_t k = 0; k < n && !r->failed; k++)
		if (r->cur[first + k].desc && r->cur[first + k].level != 3)
			run_fail(r, "split left a level-%d leaf at ia 0x%" PRIx64,
				 r->cur[first + k].level, page_ia(r, first + k));
}

/* The level collapse replaces a table at for ia: the shallowest level
 * whose blocks are allowed and whose entry size ia is aligned to. */
static int collapse_level(const trun_t *r, uint64_t ia)
{
	vmsa_granule_t g = r->rc->cfg.granule;

	for (int l = r->pgt.start_level; l < 3; l++)
		if (vmsa_block_allowed(g, l) &&
		    !(ia & (vmsa_level_size(g, l) - 1)))
			return l;
	return -1;
}

/* Does [ia, ia + size) hold one uniform mapping a block could replace:
 * every page valid with the same attributes, the output following the
 * input from an address aligned to size? Pages outside the window are
 * never mapped. */
static bool uniform(const trun_t *r, uint64_t ia, uint64_t size)
{
	uint64_t first = (ia - r->rc->win) >> r->pshift;
	uint64_t n = size >> r->pshift;
	const tref_t *t0 = &r->ref[first];

	if (ia + size > r->rc->win + r->rc->win_size || !t0->valid ||
	    (t0->oa & (size - 1)))
		return false;
	for (uint64_t k = 1; k < n; k++) {
		const tref_t *t = &r->ref[first + k];

		if (!t->valid || t->prot != t0->prot || t->young != t0->young ||
		    t->oa != t0->oa + (k << r->pshift))
			return false;
	}
	return true;
}

static void op_collapse(trun_t *r, uint64_t *s)
{
	uint64_t nb = r->npages / r->block_pages;
	uint64_t first = rng_below(s, nb) * r->block_pages;
	uint64_t ia = page_ia(r, first);
	int level = collapse_level(r, ia);
	uint64_t size;
	unsigned flags = rng_pct(s, 15) ? VMSA_PGT_SHARED : 0;
	int want;

	/* Mostly a table that can be collapsed, when there is one. */
	for (uint64_t b = 0; b < nb && rng_pct(s, 70); b++) {
		uint64_t f = ((first / r->block_pages + b) % nb) * r->block_pages;
		uint64_t a = page_ia(r, f);
		int l = collapse_level(r, a);

		if (has_table(r, l, a) &&
		    uniform(r, a, vmsa_level_size(r->rc->cfg.granule, l))) {
			first = f;
			ia = a;
			level = l;
			break;
		}
	}
	size = vmsa_level_size(r->rc->cfg.granule, level);

	/* Collapse frees tables: exclusive walks only. */
	if (flags & VMSA_PGT_SHARED)
		want = -EINVAL;
	else if (!has_table(r, level, ia))
		want = -ENOENT;
	else
		want = uniform(r, ia, size) ? 0 : -EEXIST;
	r->op_first = first;
	r->op_n = r->block_pages;
	trace(r, "collapse ia 0x%" PRIx64 " (level %d)%s", ia, level,
	      flag_names(flags));
	expect_ret(r, vmsa_pgt_collapse(&r->pgt, VMSA_IA(ia), flags), want);
	if (want != 0 || r->failed)
		return;
	stats.collapsed++;
	scan(r);
	if (!r->failed && r->cur[first].level != level)
		run_fail(r, "collapse left a level-%d leaf at ia 0x%" PRIx64,
			 r->cur[first].level, ia);
}

/* =====================================================================
 * The driver
 * =================================================================== */

static void step(trun_t *r, uint64_t *s)
{
	unsigned k = (unsigned)rng_below(s, 100);

	if (k < 33)
		op_map(r, s);
	else if (k < 45)
		op_unmap(r, s);
	else if (k < 55)
		op_wrprotect(r, s);
	else if (k < 63)
		op_relax(r, s);
	else if (k < 68)
		op_mkyoung(r, s);
	else if (k < 75)
		op_young(r, s);
	else if (k < 78)
		op_flush(r, s);
	else if (k < 90)
		op_split(r, s);
	else
		op_collapse(r, s);
}

static bool run_setup(trun_t *r, const trun_cfg_t *rc, uint64_t seed)
{
	int err;

	memset(r, 0, sizeof(*r));
	r->rc = rc;
	r->seed = seed;
	r->trace = getenv("VMSA_PGT_TRACE") != NULL;
	snprintf(r->op, sizeof(r->op), "init");
	tops_init(&r->to, rc->cfg.granule, &rc->feat);
	if (seed % 2 == 0) {
		/* Pool at 1 GiB: aligned to 16 granules of any size. */
		vmsa_host_cfg_t hc = {
			.granule = rc->cfg.granule, .pool_pages = 1024,
			.pool_pa = 0x40000000, .features = rc->feat,
		};

		r->host = vmsa_host_new(&hc);
		if (!r->host) {
			run_fail(r, "vmsa_host_new failed");
			return false;
		}
		r->to.inner = vmsa_host_ops(r->host);
	}
	r->pshift = vmsa_granule_shift(rc->cfg.granule);
	r->npages = rc->win_size >> r->pshift;
	r->block_pages = vmsa_level_size(rc->cfg.granule, rc->block_level) >>
			 r->pshift;
	r->run_pages = vmsa_contig_entries(rc->cfg.granule, 3);
	r->two_el = rc->cfg.regime == VMSA_PGT_S1_EL20 ||
		    rc->cfg.regime == VMSA_PGT_S1_EL1;
	r->ref = calloc(r->npages, sizeof(*r->ref));
	r->cur = calloc(r->npages, sizeof(*r->cur));
	r->was_valid = calloc(r->npages, sizeof(*r->was_valid));
	if (!r->ref || !r->cur || !r->was_valid) {
		run_fail(r, "out of memory");
		return false;
	}
	err = vmsa_pgt_init(&r->pgt, &rc->cfg, &r->to.ops);
	if (err) {
		run_fail(r, "vmsa_pgt_init: %d", err);
		return false;
	}
	r->live = true;
	return setup_walk(r);
}

static void run_teardown(trun_t *r)
{
	if (r->live) {
		vmsa_pgt_destroy(&r->pgt);
		vt_checked();
		if (r->to.n != 0)
			run_fail(r, "%u table pages not freed by destroy",
				 r->to.n);
		if (r->to.bad)
			run_fail(r, "ops contract: %s", r->to.why);
	}
	if (r->host) {
		const vmsa_host_stats_t *st = vmsa_host_stats(r->host);

		vt_checked();
		if (st->errors || (r->live && vmsa_host_pages_in_use(r->host)))
			run_fail(r, "host backend: %" PRIu64 " errors, %zu "
				 "pages in use after destroy", st->errors,
				 vmsa_host_pages_in_use(r->host));
		vmsa_host_free(r->host);
	}
	tops_release(&r->to);
	free(r->ref);
	free(r->cur);
	free(r->was_valid);
}

/* One seed: steps operations, each checked against the reference, the
 * invariants and the architecture's walk. */
static void run_seed(const trun_cfg_t *rc, uint64_t seed)
{
	trun_t r;
	uint64_t s = seed;
	const char *env = getenv("VMSA_PGT_STEPS");
	unsigned steps = env ? (unsigned)strtoul(env, NULL, 0) : rc->steps;

	if (run_setup(&r, rc, seed)) {
		scan(&r);
		for (r.step = 1; r.step <= steps && !r.failed; r.step++) {
			stats.steps++;
			r.op_first = r.op_n = 0;
			r.unmap_lo = r.unmap_hi = 0;
			step(&r, &s);
			if (r.failed)
				break;
			scan(&r);
			compare_ref(&r);
			compare_walk(&r, r.op_first, r.op_n);
			compare_visits(&r);
		}
		CHECK(r.walks > 0 || r.failed);
	}
	run_teardown(&r);
}

static void run_all(const trun_cfg_t *rc)
{
	const char *env = getenv("VMSA_PGT_SEED");

	memset(&stats, 0, sizeof(stats));
	if (env) {
		run_seed(rc, strtoull(env, NULL, 0));
		return;
	}
	for (unsigned i = 0; i < 4 && rc->seeds[i]; i++)
		run_seed(rc, rc->seeds[i]);
	CHECK_MSG(stats.block_leaves && stats.contig_leaves && stats.collapsed &&
			  stats.blocks_split && stats.relaxed,
		  "%s: %lu steps exercised too little: %lu block leaves, %lu "
		  "contiguous leaves, %lu collapses, %lu blocks split, %lu "
		  "relaxed", rc->name, stats.steps, stats.block_leaves,
		  stats.contig_leaves, stats.collapsed, stats.blocks_split,
		  stats.relaxed);
	if (getenv("VMSA_PGT_TRACE"))
		fprintf(stderr, "%s: %lu steps, %lu block leaves, %lu contiguous "
			"leaves, %lu collapses, %lu blocks split, %lu relaxed\n",
			rc->name, stats.steps, stats.block_leaves,
			stats.contig_leaves, stats.collapsed, stats.blocks_split,
			stats.relaxed);
}

#define GiB (1ull << 30)
#define MiB (1ull << 20)

/* Windows: a few blocks of the granule's block level, straddling a
 * boundary of the level above (so two tables of the block level share
 * the range) but holding no aligned block of that level (collapse and
 * map then have one block level to choose). */
static const trun_cfg_t runs[] = {
	{
		.name = "s2 4K bbm0",
		.cfg = { .regime = VMSA_PGT_S2, .granule = VMSA_GRANULE_4K,
			 .ia_bits = 40, .start_level = VMSA_PGT_LEVEL_AUTO,
			 .vmid = 5 },
		.feat = { .bbm_level = 0 },
		.win = GiB - 8 * MiB, .win_size = 16 * MiB, .block_level = 2,
		.steps = 120, .seeds = { 1, 2, 3 },
	},
	{
		.name = "s2 4K bbm2 concatenated",
		.cfg = { .regime = VMSA_PGT_S2, .granule = VMSA_GRANULE_4K,
			 .ia_bits = 40, .start_level = 1, .vmid = 5 },
		.feat = { .bbm_level = 2, .bbm2_noabort = true, .s2fwb = true },
		.win = 512 * GiB - 8 * MiB, .win_size = 16 * MiB,
		.block_level = 2, .steps = 120, .seeds = { 11, 12 },
	},
	{
		.name = "s2 16K bbm1",
		.cfg = { .regime = VMSA_PGT_S2, .granule = VMSA_GRANULE_16K,
			 .ia_bits = 38, .start_level = VMSA_PGT_LEVEL_AUTO,
			 .vmid = 7 },
		.feat = { .bbm_level = 1 },
		.win = 64 * GiB - 64 * MiB, .win_size = 128 * MiB,
		.block_level = 2, .steps = 100, .seeds = { 21, 22 },
	},
	{
		.name = "s2 64K bbm2",
		.cfg = { .regime = VMSA_PGT_S2, .granule = VMSA_GRANULE_64K,
			 .ia_bits = 44, .start_level = VMSA_PGT_LEVEL_AUTO,
			 .vmid = 9 },
		.feat = { .bbm_level = 2 },
		.win = 4096 * GiB - 512 * MiB, .win_size = GiB,
		.block_level = 2, .steps = 80, .seeds = { 31, 32 },
	},
	{
		.name = "s1 el2 4K",
		.cfg = { .regime = VMSA_PGT_S1_EL2, .granule = VMSA_GRANULE_4K,
			 .ia_bits = 39, .start_level = VMSA_PGT_LEVEL_AUTO,
			 .attr_normal = 0, .attr_normal_nc = 1,
			 .attr_device = 2 },
		.feat = { .bbm_level = 0 },
		.win = 2 * GiB - 4 * MiB, .win_size = 8 * MiB,
		.block_level = 2, .steps = 120, .seeds = { 41, 42 },
	},
	{
		.name = "s1 el20 16K",
		.cfg = { .regime = VMSA_PGT_S1_EL20,
			 .granule = VMSA_GRANULE_16K, .ia_bits = 47,
			 .start_level = VMSA_PGT_LEVEL_AUTO, .asid = 3,
			 .attr_normal = 0, .attr_normal_nc = 1,
			 .attr_device = 2 },
		.feat = { .bbm_level = 2, .bbm2_noabort = false },
		.win = 64 * GiB - 64 * MiB, .win_size = 128 * MiB,
		.block_level = 2, .steps = 100, .seeds = { 51, 52 },
	},
	{
		.name = "s1 el1 64K",
		.cfg = { .regime = VMSA_PGT_S1_EL1, .granule = VMSA_GRANULE_64K,
			 .ia_bits = 48, .start_level = VMSA_PGT_LEVEL_AUTO,
			 .vmid = 2, .asid = 4, .attr_normal = 0,
			 .attr_normal_nc = 1, .attr_device = 2 },
		.feat = { .bbm_level = 1 },
		.win = 4096 * GiB - 512 * MiB, .win_size = GiB,
		.block_level = 2, .steps = 80, .seeds = { 61, 62 },
	},
	{
		.name = "s1 el1 4K",
		.cfg = { .regime = VMSA_PGT_S1_EL1, .granule = VMSA_GRANULE_4K,
			 .ia_bits = 48, .start_level = VMSA_PGT_LEVEL_AUTO,
			 .vmid = 2, .asid = 4, .attr_normal = 3,
			 .attr_normal_nc = 1, .attr_device = 2 },
		.feat = { .bbm_level = 2, .bbm2_noabort = true },
		.win = 512 * GiB - 2 * MiB, .win_size = 4 * MiB,
		.block_level = 2, .steps = 150, .seeds = { 71, 72 },
	},
};

TEST(pgt_random_s2_4k)
{
	run_all(&runs[0]);
}

TEST(pgt_random_s2_4k_concat)
{
	run_all(&runs[1]);
}

TEST(pgt_random_s2_16k)
{
	run_all(&runs[2]);
}

TEST(pgt_random_s2_64k)
{
	run_all(&runs[3]);
}

TEST(pgt_random_s1_el2_4k)
{
	run_all(&runs[4]);
}

TEST(pgt_random_s1_el20_16k)
{
	run_all(&runs[5]);
}

TEST(pgt_random_s1_el1_64k)
{
	run_all(&runs[6]);
}

TEST(pgt_random_s1_el1_4k)
{
	run_all(&runs[7]);
}
