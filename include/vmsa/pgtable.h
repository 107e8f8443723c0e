/*
 * vmsa/pgtable.h - the page-table library: stage-1 and stage-2
 * translation tables managed the way a hypervisor or kernel must, at
 * every FEAT_BBM level.
 *
 * The library touches hardware only through vmsa_pgt_ops_t (descriptor
 * reads, writes and compare-and-swap, barriers, TLB and cache
 * maintenance, table pages). Three backends provide it (vmsa/backend.h):
 * the model (every operation is a model step, so the explorer checks the
 * library), the host (plain memory, no-op maintenance: unit tests and
 * benchmarks) and AArch64 (inline assembly, for EL2 or EL1 code). This
 * header includes only the architecture core's types (vmsa/desc.h,
 * vmsa/arch.h), never the model's, and the library builds freestanding.
 *
 *	vmsa_pgt_t pgt;
 *	vmsa_pgt_cfg_t cfg = {.regime = VMSA_PGT_S2, .granule = VMSA_GRANULE_4K,
 *			      .ia_bits = 40, .start_level = VMSA_PGT_LEVEL_AUTO,
 *			      .vmid = 1};
 *	int err = vmsa_pgt_init(&pgt, &cfg, &ops);
 *	err = vmsa_pgt_map(&pgt, VMSA_IA(0x80000000), 0x200000,
 *			   VMSA_OA(0x40000000), VMSA_PGT_PROT_RWX, 0);
 *
 * Every function returns 0 or a negative errno value; each documents its
 * own. docs/pgtable.md gives the update sequence of every operation at
 * every BBM level, with the Arm rule it satisfies.
 */
#ifndef VMSA_PGTABLE_H
#define VMSA_PGTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsa/desc.h"
#include "vmsa/arch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* libvmsa is built with -fvisibility=hidden: what this header declares
 * is the exported API (docs: README, "Using the library"). */
#pragma GCC visibility push(default)

/* ---------------------------------------------------------------------
 * Address types
 *
 * Single-member structs, so that passing an output address where an input
 * address is expected, or a table page's physical address where a mapped
 * output address is expected, does not compile (docs/arch.md, "Address
 * types: a decision").
 * ------------------------------------------------------------------- */

/* Input address of the table: an IPA for stage 2, a VA for stage 1. */
typedef struct vmsa_pgt_ia { uint64_t ia; } vmsa_pgt_ia_t;
/* Output address a leaf maps to: a PA (stage 2, or stage 1 without
 * stage 2), an IPA (a stage-1 table of a guest). */
typedef struct vmsa_pgt_oa { uint64_t oa; } vmsa_pgt_oa_t;
/* Physical address of a table page, as the table's owner sees memory:
 * what a table descriptor and TTBR/VTTBR hold. */
typedef struct vmsa_pgt_pa { uint64_t pa; } vmsa_pgt_pa_t;

#define VMSA_IA(x) ((vmsa_pgt_ia_t){.ia = (uint64_t)(x)})
#define VMSA_OA(x) ((vmsa_pgt_oa_t){.oa = (uint64_t)(x)})
#define VMSA_PGT_PA(x) ((vmsa_pgt_pa_t){.pa = (uint64_t)(x)})

/* ---------------------------------------------------------------------
 * Features of the machine the tables are used on
 * ------------------------------------------------------------------- */

typedef struct vmsa_pgt_features {
	/* ID_AA64MMFR2_EL1.BBM: 0, 1 or 2. */
	unsigned bbm_level;
	/* At level 2: the CPUs never raise a TLB conflict abort for a size
	 * change made without a break (Linux's BBML2_NOABORT). When false,
	 * a level-2 size change may abort and the caller installs
	 * vmsa_pgt_s2_conflict_handler (or its own) at EL2. */
	bool bbm2_noabort;
	bool tlbirange;      /* FEAT_TLBIRANGE: range TLBIs may be used */
	bool s2fwb;          /* FEAT_S2FWB with HCR_EL2.FWB = 1 */
	bool dic;            /* CTR_EL0.DIC: no I-cache invalidation to PoU */
	bool idc;            /* CTR_EL0.IDC: no D-cache clean to PoU */
	bool hw_af;          /* TCR/VTCR.HA set: hardware Access flag */
	bool hw_dbm;         /* TCR/VTCR.HD set: hardware dirty state (DBM) */
} vmsa_pgt_features_t;

/* ---------------------------------------------------------------------
 * The ops interface: the only way the library touches hardware
 * ------------------------------------------------------------------- */

/* Barrier domains the library asks for. */
typedef enum {
	VMSA_PGT_DSB_ISHST,
	VMSA_PGT_DSB_ISH,
	VMSA_PGT_DSB_NSHST,
	VMSA_PGT_DSB_NSH,
} vmsa_pgt_dsb_t;

/* Cache maintenance the library asks for, by the table owner's virtual
 * address of the data (ops->phys_to_virt of the output address). */
typedef enum {
	VMSA_PGT_DC_CVAC,   /* clean to the Point of Coherency */
	VMSA_PGT_DC_CIVAC,  /* clean and invalidate to PoC */
	VMSA_PGT_DC_CVAU,   /* clean to the Point of Unification */
	VMSA_PGT_IC_IVAU,   /* invalidate instruction cache to PoU */
	VMSA_PGT_IC_IALLUIS,/* invalidate all instruction caches, IS */
} vmsa_pgt_cmo_t;

/* One TLB invalidation: the operation (vmsa/arch.h), its register operand
 * (vmsa_tlbi_ipa / vmsa_tlbi_va / vmsa_tlbi_range encodings; 0 when the
 * operation has none) and the VMID it is for: stage-2 and EL1&0
 * operations act on the current VMID, so a backend whose current VMID
 * differs switches to `vmid` around the operation (as KVM's
 * __tlb_switch_to_guest does). */
typedef struct vmsa_pgt_tlbi {
	vmsa_tlbi_op_t op;
	uint64_t xt;
	uint16_t vmid;
} vmsa_pgt_tlbi_t;

typedef struct vmsa_pgt_ops {
	void *ctx; /* passed to every operation */

	/* Descriptors: single-copy atomic 64-bit accesses to a table entry,
	 * given by the owner's virtual address. write() with release = true
	 * is a store-release (STLR): earlier accesses (cache maintenance of
	 * the page it maps included, via the preceding DSB) are observed
	 * first. cas() returns the value found; it stored `new` iff that
	 * equals `old`. */
	uint64_t (*read)(void *ctx, uint64_t *ptep);
	void (*write)(void *ctx, uint64_t *ptep, uint64_t v, bool release);
	uint64_t (*cas)(void *ctx, uint64_t *ptep, uint64_t old, uint64_t new);
	/* Descriptors are plain memory the library may load and store
	 * itself (64-bit atomic accesses, a store-release where asked)
	 * instead of calling read() and write(), which then see no calls;
	 * cas() is still called. For backends where an access is just an
	 * access (host, AArch64): no call per entry. False for the model,
	 * whose accesses are steps. */
	bool direct;

	/* Barriers and maintenance, executed by the calling CPU. */
	void (*dsb)(void *ctx, vmsa_pgt_dsb_t kind);
	void (*isb)(void *ctx);
	void (*tlbi)(void *ctx, const vmsa_pgt_tlbi_t *t);
	/* One call per granule-sized page of data at va (the table's
	 * granule): the backend maintains it line by line (IC_IALLUIS
	 * ignores va). */
	void (*cmo)(void *ctx, vmsa_pgt_cmo_t op, void *va);
	/* Optional: the same for [va, va + size) (granule-aligned, one or
	 * more pages), so that a block or a run of pages is one call. When
	 * NULL the library calls cmo() once per granule page. */
	void (*cmo_range)(void *ctx, vmsa_pgt_cmo_t op, void *va,
			  uint64_t size);

	/* Table pages: one translation granule, zeroed, aligned to its size.
	 * zalloc_page() returns NULL when out of memory (the library fails
	 * the operation with -ENOMEM and leaves the tables valid; a map asks
	 * for all its pages before its first change). The library may use
	 * a page it holds unlinked as scratch (a map links its reserve
	 * through the first word) and zeroes it again before it becomes a
	 * table. The
	 * reference count of a table page starts at 1; get/put adjust it and
	 * page_count() reads it. free_page() is called only on a page whose
	 * count the library dropped to 0, after the invalidation that makes
	 * its reuse safe. */
	void *(*zalloc_page)(void *ctx);
	/* n (2 to 16) contiguous zeroed granules aligned to n granules, each
	 * a page of its own with count 1 (freed one by one with free_page):
	 * the concatenated root of a stage-2 table. May be NULL: such roots
	 * are then refused with -EINVAL. */
	void *(*zalloc_pages)(void *ctx, unsigned n);
	void (*free_page)(void *ctx, void *page);
	void (*get_page)(void *ctx, void *page);
	void (*put_page)(void *ctx, void *page);
	int (*page_count)(void *ctx, void *page);
	/* Optional: add delta (positive or negative, never below 0) to the
	 * count at once, as delta get_page or put_page calls would. When
	 * NULL the library calls those one by one. */
	void (*page_ref_add)(void *ctx, void *page, int delta);

	/* The owner's view of memory: table pages and mapped data. */
	vmsa_pgt_pa_t (*virt_to_phys)(void *ctx, void *va);
	void *(*phys_to_virt)(void *ctx, vmsa_pgt_pa_t pa);

	/* Read by vmsa_pgt_init (which cache maintenance a new leaf needs)
	 * and by each operation (the BBM level): change them only while no
	 * table uses the ops. */
	vmsa_pgt_features_t features;
} vmsa_pgt_ops_t;

/* ---------------------------------------------------------------------
 * Tables
 * ------------------------------------------------------------------- */

/* The translation regime a table serves. */
typedef enum {
	VMSA_PGT_S2,      /* stage 2 of an EL1&0 guest (VTTBR_EL2, a VMID) */
	VMSA_PGT_S1_EL2,  /* EL2 stage 1, E2H = 0 (TTBR0_EL2, no ASID) */
	VMSA_PGT_S1_EL20, /* EL2&0 stage 1, E2H = 1 (TTBRn_EL2, an ASID) */
	VMSA_PGT_S1_EL1,  /* EL1&0 stage 1 (TTBRn_EL1, an ASID, a VMID) */
} vmsa_pgt_regime_t;

/* The start level is derived from the granule and input size: the
 * shallowest legal level for stage 1; for stage 2 the level that needs at
 * most 16 concatenated root tables with the fewest root pages. */
#define VMSA_PGT_LEVEL_AUTO (-99)

typedef struct vmsa_pgt_cfg {
	vmsa_pgt_regime_t regime;
	vmsa_granule_t granule;
	unsigned ia_bits;      /* input address size: 2^ia_bits bytes */
	int start_level;       /* or VMSA_PGT_LEVEL_AUTO */
	uint16_t vmid;         /* S2, S1_EL1: the VMID TLBIs are issued for */
	uint16_t asid;         /* S1_EL20, S1_EL1: the ASID non-global leaves
				  carry, and by-VA TLBIs name */
	/* Stage 1: MAIR attribute indexes of the three memory types. */
	uint8_t attr_normal, attr_normal_nc, attr_device;
} vmsa_pgt_cfg_t;

/* A table. The fields are the library's: read them, never write them. */
typedef struct vmsa_pgt {
	vmsa_pgt_cfg_t cfg;
	const vmsa_pgt_ops_t *ops;
	int start_level;
	unsigned n_roots;       /* concatenated root tables (stage 2) */
	vmsa_pgt_pa_t root_pa;  /* for VTTBR_EL2.BADDR / TTBRn.BADDR */
	uint64_t *root;         /* the owner's virtual address of the root */
	/* Precomputed by init, per level: log2 of an entry's size and the
	 * entries of a table (the start level's with its concatenation). */
	uint8_t level_shift[4];
	uint32_t level_entries[4];
	/* Precomputed by init, per prot value (VMSA_PGT_PROT_*, 6 bits):
	 * the leaf attributes (0: prot not valid for the regime) and the
	 * cache maintenance a new leaf needs with the ops' features. */
	uint64_t prot_attrs[64];
	uint8_t prot_cmo[64];
} vmsa_pgt_t;

/* Initialise pgt for cfg, allocating the (zeroed, possibly concatenated)
 * root. Returns 0; -EINVAL when cfg or ops is NULL or inconsistent (a
 * granule, input size or start level the architecture does not allow, a
 * stage-2 root that would need more than 16 tables, a missing op,
 * bbm_level > 2); -ENOMEM when the root cannot be allocated. */
int vmsa_pgt_init(vmsa_pgt_t *pgt, const vmsa_pgt_cfg_t *cfg,
		  const vmsa_pgt_ops_t *ops);

/* Free every table page, the root included. No invalidation: the caller
 * has stopped using the tables and invalidated their VMID or ASID. */
void vmsa_pgt_destroy(vmsa_pgt_t *pgt);

/* ---------------------------------------------------------------------
 * Mappings
 * ------------------------------------------------------------------- */

/* Permissions and memory type of a mapping. */
enum {
	VMSA_PGT_PROT_R = 1u << 0,
	VMSA_PGT_PROT_W = 1u << 1,
	VMSA_PGT_PROT_X = 1u << 2,
	/* Stage 1 of an EL1&0 or EL2&0 regime: also accessible at EL0
	 * (AP[1] = 1; executable at EL0 only, as the architecture makes
	 * writable-at-EL0 memory never privileged-executable). */
	VMSA_PGT_PROT_USER = 1u << 3,
	/* Memory type (default: Normal Write-Back cacheable). */
	VMSA_PGT_PROT_NC = 1u << 4,     /* Normal Non-cacheable */
	VMSA_PGT_PROT_DEVICE = 1u << 5, /* Device-nGnRE */
};
#define VMSA_PGT_PROT_RW (VMSA_PGT_PROT_R | VMSA_PGT_PROT_W)
#define VMSA_PGT_PROT_RWX (VMSA_PGT_PROT_RW | VMSA_PGT_PROT_X)

/* Flags of an operation. */
enum {
	/* Shared walk (the fault path): lock-free, every change is a
	 * compare-and-swap and a break goes through the locked marker; a
	 * walker that meets another's locked entry or loses a race returns
	 * -EAGAIN. Without it the walk is exclusive: the caller holds the
	 * table's lock and no other walker changes the tables. */
	VMSA_PGT_SHARED = 1u << 0,
	/* map: set the Contiguous bit on every aligned run of entries that
	 * the architecture allows (D8.7.1), that the call maps whole and
	 * that was entirely invalid before (a run over valid entries is
	 * mapped without the bit). */
	VMSA_PGT_CONTIG = 1u << 1,
	/* map: only last-level pages, no blocks (dirty logging). */
	VMSA_PGT_PAGES = 1u << 2,
};

/* The value a shared walker stores during a break: invalid (bit 0 clear),
 * so hardware walks fault, and distinct from every value the library
 * otherwise writes, so software walkers know to back off. */
#define VMSA_PGT_LOCKED ((uint64_t)1 << 10)

/* Map [ia, ia + size) to [oa, oa + size) with prot, using the largest
 * blocks that size and alignment allow (unless VMSA_PGT_PAGES), allocating
 * tables as needed. Replacing an existing valid mapping follows the BBM
 * sequence of the machine's level (docs/pgtable.md). New pages that are
 * cacheable are cleaned to PoC before they become visible (unless
 * S2FWB), and executable ones invalidated from the I-cache (unless DIC).
 * Returns 0; -EINVAL for an unaligned ia, oa or size (granule), size 0,
 * a range beyond the input size or wrapping, or prot without R where W or
 * X is set; -ENOMEM when a table cannot be allocated: every table the
 * map needs is allocated before its first change, so the range is then
 * unchanged (every descriptor and every table page's count as before,
 * no page kept; in a shared walk: this call changed no entry, others may
 * have); -EAGAIN (shared walks) when another walker holds an entry of
 * the range or changed it first (what this call mapped so far stays). */
int vmsa_pgt_map(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, uint64_t size,
		 vmsa_pgt_oa_t oa, unsigned prot, unsigned flags);

/* Remove every mapping in [ia, ia + size) and invalidate it (broadcast).
 * Tables that become empty are unlinked and freed after the invalidation
 * of the table entry (the whole VMID or ASID), so their pages can be
 * reused; a shared walk never frees a table (another walker may be
 * reading it): it leaves empty tables to an exclusive unmap. A block or a
 * Contiguous run partly inside the range is split or loses the bit
 * first. Returns 0; -EINVAL (alignment, range, unknown flags); -ENOMEM
 * when a block to split needs a table (nothing is unmapped then);
 * -EAGAIN (shared walks: the entries removed so far stay removed). */
int vmsa_pgt_unmap(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, uint64_t size,
		   unsigned flags);

/* Remove write permission from every leaf in [ia, ia + size) and
 * invalidate (broadcast: a restriction is never local). A block or a
 * Contiguous run partly inside the range is write-protected whole.
 * Returns 0, -EINVAL, -EAGAIN as unmap. */
int vmsa_pgt_wrprotect(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, uint64_t size,
		       unsigned flags);

/* Add the permissions in prot (R, W, X) to the leaf mapping ia (to its
 * whole Contiguous run), as the permission-fault path does, then
 * invalidate this CPU's TLB only, also when nothing changed: a stale,
 * stricter entry elsewhere faults and that CPU's fault path calls this
 * too (docs/pgtable.md). Returns 0; -ENOENT when ia is not mapped;
 * -EINVAL (prot beyond R|W|X, ia out of range); -EAGAIN (shared). */
int vmsa_pgt_relax_perms(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, unsigned prot,
			 unsigned flags);

/* Set the Access flag of the leaf mapping ia (its whole Contiguous run).
 * No invalidation: an entry with AF = 0 is never cached (RXCLRD). Returns
 * 0, -ENOENT, -EINVAL, -EAGAIN as relax_perms. */
int vmsa_pgt_mkyoung(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, unsigned flags);

/* Whether any leaf in [ia, ia + size) has its Access flag set; with
 * `clear`, also clear the flags (no invalidation: an entry kept young in
 * a TLB only delays ageing, as in Linux). Returns 1 (young), 0 (not),
 * -EINVAL, -EAGAIN (shared: a locked entry or a lost CAS). */
int vmsa_pgt_test_clear_young(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia,
			      uint64_t size, bool clear, unsigned flags);

/* Split every block in [ia, ia + size) into a table of the next level
 * mapping the same output with the same attributes (recursively, down to
 * pages), as KVM's eager split for dirty logging. The new table is built
 * unlinked, then replaces the block: break-before-make at BBM level 0
 * and 1, one compare-and-swap at level 2 (RWHZWS). Returns 0; -EINVAL;
 * -ENOMEM (blocks not yet split stay blocks, every table stays valid);
 * -EAGAIN (shared). */
int vmsa_pgt_split(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, uint64_t size,
		   unsigned flags);

/* Replace the table at the block-sized, block-aligned range starting at
 * ia by one block, when every entry below it maps the next part of one
 * aligned output range with the same attributes. Returns 0; -EINVAL (ia
 * not aligned to a block size of any level, or blocks not allowed there);
 * -ENOENT when no table is there; -EEXIST when the table does not map
 * one uniform range. The old tables are freed, which only an exclusive
 * walk may do: VMSA_PGT_SHARED gives -EINVAL. The shallowest block level
 * ia is aligned to with a table there is the one collapsed. */
int vmsa_pgt_collapse(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, unsigned flags);

/* Clean every cacheable mapped page in [ia, ia + size) to the Point of
 * Coherency (nothing with S2FWB on stage 2). Returns 0, -EINVAL. */
int vmsa_pgt_flush(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, uint64_t size);

/* The leaf (or invalid entry) translating ia: its descriptor and level.
 * Returns 0, -EINVAL (ia out of range or NULL pointers). */
int vmsa_pgt_get_leaf(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, uint64_t *desc,
		      int *level);

/* ---------------------------------------------------------------------
 * Walking with a visitor
 * ------------------------------------------------------------------- */

enum {
	VMSA_PGT_VISIT_LEAF = 1u << 0,       /* valid leaves and invalid
						entries */
	VMSA_PGT_VISIT_TABLE_PRE = 1u << 1,  /* a table entry, before its
						table */
	VMSA_PGT_VISIT_TABLE_POST = 1u << 2, /* a table entry, after */
};

/* What a visitor returns. Negative errno values stop the walk and are
 * returned by vmsa_pgt_walk. */
enum {
	VMSA_PGT_CONTINUE = 0,
	VMSA_PGT_SKIP = 1,   /* TABLE_PRE: do not descend into this table */
	VMSA_PGT_STOP = 2,   /* end the walk; vmsa_pgt_walk returns 0 */
};

typedef struct vmsa_pgt_visit {
	vmsa_pgt_t *pgt;
	uint64_t *ptep;        /* the entry (the owner's virtual address) */
	uint64_t old;          /* its value when the walker read it */
	vmsa_pgt_ia_t addr;    /* first input address the entry maps */
	vmsa_pgt_ia_t end;     /* end of the walked range */
	int level;
	unsigned visit;        /* which VMSA_PGT_VISIT_* this call is */
	unsigned flags;        /* the walk's VMSA_PGT_SHARED */
	void *arg;
} vmsa_pgt_visit_t;

typedef struct vmsa_pgt_walker {
	int (*cb)(const vmsa_pgt_visit_t *v);
	void *arg;
	unsigned visit;        /* VMSA_PGT_VISIT_* the callback wants */
	unsigned flags;        /* VMSA_PGT_SHARED */
} vmsa_pgt_walker_t;

/* Visit every entry on the way to [ia, ia + size), in address order.
 * Returns 0 (walked, or a visitor said STOP), the first negative value a
 * visitor returned, or -EINVAL (range, NULL). */
int vmsa_pgt_walk(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, uint64_t size,
		  const vmsa_pgt_walker_t *w);

/* ---------------------------------------------------------------------
 * TLB conflict aborts
 * ------------------------------------------------------------------- */

/* What an EL2 handler of a stage-2 TLB conflict abort does before the
 * faulting access is retried, when BBM level 2 may abort: TLBI
 * VMALLS12E1 (local: the conflict is in this CPU's TLB) for vmid, then
 * DSB NSH (RBLRKC). */
void vmsa_pgt_s2_conflict_handler(const vmsa_pgt_ops_t *ops, uint16_t vmid);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif

#endif
