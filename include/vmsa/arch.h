/*
 * vmsa/arch.h - the architecture core: translation walks, memory
 * attributes, the break-before-make rule, TLB maintenance operations.
 *
 * Everything here is a pure function of its arguments: the model
 * (src/model/) supplies memory contents through callbacks and keeps all
 * state. Rule IDs in comments are the Arm ARM's (DDI 0487).
 */
#ifndef VMSA_ARCH_H
#define VMSA_ARCH_H

#include "vmsa/desc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* libvmsa is built with -fvisibility=hidden: what this header declares
 * is the exported API (docs: README, "Using the library"). */
#pragma GCC visibility push(default)

/* =====================================================================
 * Translation regimes, memory attributes, permissions
 * =================================================================== */

typedef enum {
	VMSA_REGIME_EL10 = 0, /* EL1&0: stage 1 (TTBR0/1_EL1), stage 2 (VTTBR_EL2) */
	VMSA_REGIME_EL20 = 1, /* EL2&0 (HCR_EL2.E2H = 1): TTBR0/1_EL2 */
	VMSA_REGIME_EL2 = 2,  /* EL2 (E2H = 0): TTBR0_EL2 only */
} vmsa_regime_t;

const char *vmsa_regime_name(vmsa_regime_t r); /* "EL1&0" */

typedef enum {
	VMSA_MT_DEVICE_nGnRnE = 0,
	VMSA_MT_DEVICE_nGnRE = 1,
	VMSA_MT_DEVICE_nGRE = 2,
	VMSA_MT_DEVICE_GRE = 3,
	VMSA_MT_NORMAL = 4,
} vmsa_mem_type_t;

typedef enum {
	VMSA_CACHE_NC = 0, /* Non-cacheable */
	VMSA_CACHE_WT = 1, /* Write-Through */
	VMSA_CACHE_WB = 2, /* Write-Back */
} vmsa_cacheability_t;

/* Memory attributes of a translation (D8.6). For Device types and for
 * Normal Non-cacheable (inner and outer), sh is VMSA_SH_OSH as the
 * architecture treats them as Outer Shareable. */
typedef struct vmsa_memattr {
	vmsa_mem_type_t type;
	vmsa_cacheability_t inner, outer; /* NC for Device */
	unsigned sh;                      /* VMSA_SH_* */
} vmsa_memattr_t;

/* True when the attributes make accesses go through the coherent data
 * cache: Normal, Inner and Outer Write-Back. Anything else reaches the
 * Point of Coherency directly in vmsa's cache model. */
bool vmsa_memattr_cacheable(const vmsa_memattr_t *a);

/* Stage-1 attributes from MAIR_ELx byte `attr_indx` and the descriptor's
 * SH. UNPREDICTABLE MAIR encodings decode as Device-nGnRnE. */
vmsa_memattr_t vmsa_memattr_s1(uint64_t mair, unsigned attr_indx, unsigned sh);

/* Stage-2 attributes from MemAttr[3:0] and SH, without FEAT_S2FWB. */
vmsa_memattr_t vmsa_memattr_s2(unsigned memattr, unsigned sh);

/* Combine stage 1 and stage 2 (D8.6.6): the stronger Device type, the
 * weaker cacheability, the more shareable. With fwb (HCR_EL2.FWB = 1)
 * s2_memattr is interpreted with the FEAT_S2FWB encoding and may force
 * Write-Back regardless of stage 1. */
vmsa_memattr_t vmsa_memattr_combine(const vmsa_memattr_t *s1,
				    unsigned s2_memattr, unsigned s2_sh,
				    bool fwb);

/* Write e.g. "NormalWB ISH", "Device-nGnRnE" into buf (always
 * NUL-terminated when size > 0, truncated to size). Returns the length
 * the text wanted, as snprintf (never negative: it cannot fail). */
int vmsa_memattr_format(char *buf, size_t size, const vmsa_memattr_t *a);

/* Access permissions of a translation, after hierarchical table
 * attributes. `r,w,x` apply to the regime's privileged EL (EL1 or EL2),
 * `r0,w0,x0` to EL0. For stage 2, r/w apply to both, x is execution at
 * EL1 and x0 at EL0 (XN[1:0], FEAT_XNX). */
typedef struct vmsa_perms {
	bool r, w, x;
	bool r0, w0, x0;
} vmsa_perms_t;

/* =====================================================================
 * Translation configuration
 * =================================================================== */

/* One translation table: what TTBRn_ELx/VTTBR_EL2 and the matching TCR
 * fields select. */
typedef struct vmsa_tt_cfg {
	vmsa_pa_t root;         /* table base (an IPA for stage 1 under stage 2) */
	vmsa_granule_t granule;
	unsigned ia_bits;       /* input address size, 64 - TnSZ */
	int start_level;
	unsigned concat;        /* concatenated root tables (stage 2), else 1 */
	uint16_t asid;          /* stage 1 of two-range regimes */
	bool epd;               /* EPDn = 1: walks of this range fault */
	bool hpd;               /* HPDn = 1: APTable/XNTable/PXNTable ignored */
	bool tbi;               /* TBIn = 1: VA[63:56] ignored */
} vmsa_tt_cfg_t;

/* One stage of a translation regime. */
typedef struct vmsa_stage_cfg {
	vmsa_stage_t stage;
	vmsa_regime_t regime;
	bool enabled;           /* SCTLR_ELx.M (stage 1) / HCR_EL2.VM (stage 2) */
	bool two_ranges;        /* EL1&0, EL2&0 stage 1: TTBR0 and TTBR1 */
	vmsa_tt_cfg_t tt[2];    /* [0] = TTBR0 (or the only table), [1] = TTBR1 */
	unsigned oa_bits;       /* output size: TCR.IPS/PS, VTCR.PS (<= pa_bits) */
	uint64_t mair;          /* stage 1: MAIR_ELx */
	bool wxn;               /* stage 1: SCTLR_ELx.WXN */
	bool dc;                /* EL1&0 stage 1 disabled with HCR_EL2.DC = 1:
				   data is Normal Write-Back */
	bool fwb;               /* stage 2: HCR_EL2.FWB (FEAT_S2FWB) */
	uint16_t vmid;          /* stage 2: VTTBR_EL2.VMID */
	bool ha;                /* FEAT_HAFDBS: TCR_ELx.HA / VTCR_EL2.HA,
				   hardware Access flag update (RHDTRB) */
	bool hd;                /* Effective TCR_ELx.HD / VTCR_EL2.HD: 0
				   unless ha (D24.2.194), hardware dirty
				   state update of DBM = 1 leaves (RNSXRD) */
} vmsa_stage_cfg_t;

/* A whole regime: stage 1 and, for EL1&0, stage 2. */
typedef struct vmsa_regime_cfg {
	vmsa_regime_t regime;
	vmsa_stage_cfg_t s1;
	vmsa_stage_cfg_t s2;    /* only for VMSA_REGIME_EL10; s2.enabled = HCR_EL2.VM */
	unsigned pa_bits;       /* the PE's physical address size (PARange) */
} vmsa_regime_cfg_t;

/* Build a stage-1 configuration for EL1&0 from TCR_EL1, TTBR0_EL1,
 * TTBR1_EL1, SCTLR_EL1 and MAIR_EL1 (pa_bits caps IPS). Returns 0, or
 * -EINVAL with *why (when why is not NULL) set to a static message when a
 * field holds a reserved value (e.g. TG0 = 0b11 is IMPLEMENTATION
 * DEFINED: we reject it) or pa_bits is not 32-56. */
int vmsa_s1_cfg_el1(vmsa_stage_cfg_t *cfg, uint64_t tcr, uint64_t ttbr0,
		    uint64_t ttbr1, uint64_t sctlr, uint64_t mair,
		    unsigned pa_bits, const char **why);

/* Apply HCR_EL2 to an EL1&0 stage-1 configuration built above: with
 * HCR_EL2.DC = 1 (Effective: not when E2H = TGE = 1) sets cfg->dc and
 * makes stage 1 behave as disabled (SCTLR_EL1.M treated as 0). Call it
 * after vmsa_s1_cfg_el1(), which has no HCR_EL2 argument. */
void vmsa_s1_cfg_el1_hcr(vmsa_stage_cfg_t *cfg, uint64_t hcr);

/* Stage 1 for EL2 (E2H = 0, TCR_EL2 format with one range) or EL2&0
 * (E2H = 1, TCR_EL2 in the TCR_EL1 format, two ranges). Returns 0, or
 * -EINVAL with *why (when not NULL) naming the reserved field value
 * (TG0 = 0b11, PS = 0b111) or a pa_bits that is not 32-56. */
int vmsa_s1_cfg_el2(vmsa_stage_cfg_t *cfg, bool e2h, uint64_t tcr,
		    uint64_t ttbr0, uint64_t ttbr1, uint64_t sctlr,
		    uint64_t mair, unsigned pa_bits, const char **why);

/* Stage 2 from VTCR_EL2, VTTBR_EL2 and HCR_EL2 (VM, FWB; DC = 1 also
 * enables stage 2, as the manual requires). An invalid SL0/T0SZ
 * combination (or a start level the PA size does not allow) is not an
 * error here: the configuration is built with concat = 0, and every walk
 * then gives a stage-2 level-0 translation fault as the manual requires.
 * Returns 0, or -EINVAL with *why (when not NULL) set for a reserved TG0
 * or a pa_bits that is not 32-56. */
int vmsa_s2_cfg(vmsa_stage_cfg_t *cfg, uint64_t vtcr, uint64_t vttbr,
		uint64_t hcr, unsigned pa_bits, const char **why);

/* =====================================================================
 * Addresses and tags from registers
 * =================================================================== */

/* VTTBR_EL2.VMID (D24.2.225): bits [63:48] when VTCR_EL2.VS (bit 19,
 * FEAT_VMID16) is 1; bits [55:48] when it is 0, VTTBR_EL2[63:56] then
 * being ignored (an 8-bit VMID). The VMID tags every EL1&0 TLB entry
 * (RNWYRD), and a TLBI executed for EL1&0 applies to the current one. */
uint16_t vmsa_vmid(uint64_t vttbr, uint64_t vtcr);

/* va with bits [63:56] copies of bit 55: the form in which the two VA
 * ranges' addresses compare whatever the top byte held. A TLBI operand
 * takes VA[63:56] from VA[55] (RJGGKN); with TBI the top byte is ignored
 * and bit 55 alone says which range an address is in (D8.2.4, RVZZSZ),
 * so a walk's leaf and a TLB entry record this form. An address of the
 * TTBR0 range with TBI loses its tag; an IPA or PA (below 2^55) is
 * unchanged. */
uint64_t vmsa_va_canonical(uint64_t va);

/* Which translation table of a stage-1 configuration translates va: 1
 * (TTBR1_ELx) when the regime has two VA ranges and VA[55] = 1, else 0
 * (TTBR0_ELx, or the only table of EL2 with E2H = 0). VA[55] decides,
 * with or without TBI, before the range check (D8.2.4; the walk then
 * checks the bits above the range size, RVZZSZ). */
unsigned vmsa_s1_tt_index(const vmsa_stage_cfg_t *cfg, uint64_t va);

/* HCR_EL2 bits used by the core. */
#define VMSA_HCR_VM (1ull << 0)
#define VMSA_HCR_IMO (1ull << 4) /* physical IRQs go to EL2 */
#define VMSA_HCR_FB (1ull << 9)
#define VMSA_HCR_DC (1ull << 12)
#define VMSA_HCR_TSC (1ull << 19) /* trap SMC at EL1 to EL2 */
#define VMSA_HCR_TGE (1ull << 27)
#define VMSA_HCR_HCD (1ull << 29) /* HVC UNDEFINED (no EL3) */
#define VMSA_HCR_RW (1ull << 31) /* EL1 is AArch64 */
#define VMSA_HCR_E2H (1ull << 34)
#define VMSA_HCR_FWB (1ull << 46)

/* =====================================================================
 * The walk
 * =================================================================== */

typedef enum {
	VMSA_ACC_READ = 0,
	VMSA_ACC_WRITE = 1,
	VMSA_ACC_EXEC = 2,
} vmsa_acc_kind_t;

/* One access to translate. */
typedef struct vmsa_access {
	uint64_t addr;          /* VA (or IPA for a stage-2-only walk) */
	vmsa_acc_kind_t kind;
	unsigned el;            /* EL of the access: 0, 1 or 2 */
	bool pan;               /* PSTATE.PAN: privileged data access to
				   EL0-accessible memory faults */
} vmsa_access_t;

struct vmsa_walk_state; /* the walk so far (src/arch/walk.c) */

/* A descriptor read by the walk, as offered to the memory reader. */
typedef struct vmsa_walk_read {
	vmsa_stage_t stage;
	int level;
	vmsa_pa_t pa;           /* where the descriptor is */
	uint64_t ia;            /* the input address this stage translates */
	uint64_t va;            /* the input address of the whole walk */
	bool s1ptw;             /* a stage-2 read for a stage-1 table access */
	/* For vmsa_walk_read_fault(); NULL outside a walk. */
	const struct vmsa_walk_state *state;
} vmsa_walk_read_t;

/* Memory reader: store the 64-bit descriptor at r->pa in *value and
 * return 0, or return a negative errno (-EFAULT by convention; the walk
 * takes any non-zero value the same way) for an external abort on the
 * walk. The
 * model uses it to offer, per read, the current value or a value a TLB
 * may still hold. */
typedef int (*vmsa_read_fn)(void *ctx, const vmsa_walk_read_t *r,
			    uint64_t *value);

typedef enum {
	VMSA_FAULT_NONE = 0,
	VMSA_FAULT_ADDRESS_SIZE,
	VMSA_FAULT_TRANSLATION,
	VMSA_FAULT_ACCESS_FLAG,
	VMSA_FAULT_PERMISSION,
	VMSA_FAULT_EXTERNAL,     /* synchronous external abort on a walk */
	VMSA_FAULT_TLB_CONFLICT, /* raised by the model, never by the walk */
	/* Synchronous External abort on the access itself (FSC 0x10),
	 * raised by the model when the translated PA has no memory behind
	 * it. Not a fault of either stage: `stage` is VMSA_STAGE1 and
	 * `level` 0, so that it is routed as AArch64.Abort routes a fault
	 * that is not a second-stage one (HCR_EL2.TEA not modelled). */
	VMSA_FAULT_EXTERNAL_ACCESS,
	/* A synchronous Tag Check Fault (FEAT_MTE2, D10.7; FSC 0b010001):
	 * a Tag Checked access whose Logical Address Tag differs from the
	 * Allocation Tag of its Tag Granule (RBJWLM). Raised by the model
	 * after a successful translation; like the External abort on the
	 * access, not a fault of either stage (`stage` VMSA_STAGE1, `level`
	 * 0: routed as a stage-1 fault). */
	VMSA_FAULT_TAG_CHECK,
} vmsa_fault_kind_t;

const char *vmsa_fault_kind_name(vmsa_fault_kind_t k); /* "translation" */

/* If the walk read r returned desc, how would its stage end there?
 * VMSA_FAULT_TRANSLATION (invalid or reserved), VMSA_FAULT_ADDRESS_SIZE
 * (output address too wide), VMSA_FAULT_ACCESS_FLAG (a leaf with AF = 0),
 * VMSA_FAULT_PERMISSION (a leaf whose permissions, with the table
 * attributes the walk met above it, refuse the access being walked for),
 * or VMSA_FAULT_NONE (a table, or a leaf that allows the access). Called
 * from the read callback; VMSA_FAULT_NONE when r->state is NULL. */
vmsa_fault_kind_t vmsa_walk_read_fault(const vmsa_walk_read_t *r,
				       uint64_t desc);

/* If the walk read r returned the table descriptor `table` and the read
 * of the level below (in the table it points to) returned `next`, how
 * would the stage end there? vmsa_walk_read_fault() of that next read:
 * its Permission check includes table's attributes (APTable, UXNTable,
 * PXNTable at stage 1, unless TCR_ELx.HPDn disables them) with those
 * met above it. VMSA_FAULT_NONE when r->state is NULL, when `table` is
 * not a table descriptor at r->level, or when `next` is itself a table
 * (the walk leads on) or a leaf that allows the access. */
vmsa_fault_kind_t vmsa_walk_next_fault(const vmsa_walk_read_t *r,
				       uint64_t table, uint64_t next);

/* ESR_ELx.{I,D}FSC for a fault kind at a level (D24.2.41), e.g.
 * translation level 3 = 0x07, permission level 1 = 0x0D, TLB conflict =
 * 0x30, address size level -1 = 0x29. */
unsigned vmsa_fault_fsc(vmsa_fault_kind_t kind, int level);

typedef struct vmsa_fault {
	vmsa_fault_kind_t kind;
	vmsa_stage_t stage;
	int level;
	bool s1ptw;             /* stage-2 fault on a stage-1 table walk */
	vmsa_acc_kind_t acc;
	uint64_t va;            /* FAR_ELx: the faulting input address */
	vmsa_ipa_t ipa;         /* HPFAR_EL2 (stage-2 faults) */
	bool ipa_valid;
	unsigned fsc;           /* vmsa_fault_fsc(kind, level) */
} vmsa_fault_t;

/* One descriptor read of a walk, in the order the walk made them. */
typedef struct vmsa_walk_step {
	vmsa_stage_t stage;
	int level;
	bool s1ptw;
	vmsa_pa_t pa;
	uint64_t value;
} vmsa_walk_step_t;

/* Leaf of one stage. */
typedef struct vmsa_walk_leaf {
	bool present;           /* false when the stage is disabled */
	int level;
	uint64_t size;          /* block/page size (not the contiguous range) */
	uint64_t desc;          /* the leaf descriptor */
	vmsa_pa_t desc_pa;
	uint64_t ia;            /* input address of the entry's first byte */
	vmsa_pa_t oa;           /* output address of the entry's first byte */
} vmsa_walk_leaf_t;

#define VMSA_WALK_MAX_READS 40

/*
 * A hardware update of a descriptor the walk asks for (FEAT_HAFDBS,
 * D8.5): an atomic read-modify-write of the descriptor at pa from old
 * (the value the walk used) to new, setting AF (RLFTXR) and/or making a
 * writable-clean leaf writable-dirty: AP[2] cleared at stage 1, S2AP[1]
 * set at stage 2 (RPQJJR). The walk itself never writes memory: its
 * result is what the translation gives once every update is made; the
 * caller makes them (the model checks that memory still holds old, as an
 * atomic update does, RSGJBL).
 */
typedef struct vmsa_walk_update {
	vmsa_stage_t stage;
	int level;
	bool s1ptw;             /* a stage-2 leaf used for a stage-1 table */
	vmsa_pa_t pa;
	uint64_t old, new_desc;
} vmsa_walk_update_t;

/* Distinct descriptors one walk may update: the stage-2 leaves of up to
 * four stage-1 table levels, the stage-1 leaf, the stage-2 leaf of the
 * output IPA (a 48-bit walk; the stage-2 leaf that maps the stage-1
 * leaf's table is one of the first four). */
#define VMSA_WALK_MAX_UPDATES 8

typedef struct vmsa_walk {
	vmsa_fault_t fault;     /* kind == VMSA_FAULT_NONE when translated */
	uint64_t ia;            /* the input address */
	vmsa_ipa_t ipa;         /* stage-1 output (== pa when no stage 2) */
	vmsa_pa_t pa;           /* final output address */
	vmsa_walk_leaf_t leaf[2]; /* [0] = stage 1, [1] = stage 2 */
	vmsa_perms_t perms;     /* effective, both stages */
	vmsa_memattr_t attr;    /* effective, both stages */
	bool ng;                /* stage-1 leaf nG */
	uint16_t asid;          /* ASID of the range used (stage 1) */
	unsigned n_reads;
	vmsa_walk_step_t reads[VMSA_WALK_MAX_READS];
	unsigned n_updates;     /* hardware updates the translation needs */
	vmsa_walk_update_t updates[VMSA_WALK_MAX_UPDATES];
} vmsa_walk_t;

/* Walk one stage: translate acc->addr with cfg, reading descriptors
 * through `read`. For stage 1, table addresses are used as they are
 * (no stage 2). Fills *out; returns true when translated, false on a
 * fault (out->fault says which). Permission checks use acc->kind and
 * acc->el. */
bool vmsa_walk_stage(const vmsa_stage_cfg_t *cfg, vmsa_read_fn read,
		     void *ctx, const vmsa_access_t *acc, vmsa_walk_t *out);

/* Walk a whole regime: stage 1, with every stage-1 table address
 * translated through stage 2 when stage 2 is enabled (a fault there is
 * reported as a stage-2 fault with s1ptw set), then the output IPA
 * through stage 2. Permissions and attributes are combined (stage 2 can
 * only restrict; FWB as configured). */
bool vmsa_walk(const vmsa_regime_cfg_t *cfg, vmsa_read_fn read, void *ctx,
	       const vmsa_access_t *acc, vmsa_walk_t *out);

/* As vmsa_walk(), for a TLB hit on a held stage-1 leaf: `held` (desc,
 * level, ia; desc_pa for reports) replaces the stage-1 table walk; its
 * Access flag and permissions are checked, and the output IPA still goes
 * through stage 2 when enabled. A held entry that is not a block or page
 * covering acc->addr gives a translation fault at its level. With stage 1
 * disabled, `held` is ignored. */
bool vmsa_walk_held(const vmsa_regime_cfg_t *cfg, vmsa_read_fn read,
		    void *ctx, const vmsa_access_t *acc,
		    const vmsa_walk_leaf_t *held, vmsa_walk_t *out);

/* As vmsa_walk_held(), but a write through a writable-clean held leaf
 * (TCR_ELx.HD, DBM = 1, not yet dirty) records its dirty state update
 * as an update of the held value itself (out->updates[].old is held's
 * desc) instead of walking the tables again: the caller places that
 * update, atomic with the read that filled the entry, in memory's
 * order. Same arguments and result as vmsa_walk_held(). */
bool vmsa_walk_held_update(const vmsa_regime_cfg_t *cfg, vmsa_read_fn read,
			   void *ctx, const vmsa_access_t *acc,
			   const vmsa_walk_leaf_t *held, vmsa_walk_t *out);

/* Write a one-line summary of a walk result ("va 0x1000 -> pa 0x40001000
 * L3 4K NormalWB ISH r w x" or "translation fault stage 2 L1 s1ptw
 * fsc=0x05 read va=0x1000 ipa=0x80000000") into buf, truncated to size.
 * Returns the length the text wanted, as snprintf (never negative). */
int vmsa_walk_format(char *buf, size_t size, const vmsa_walk_t *w);

/* =====================================================================
 * Break-before-make (D8.17.1, D8.17.2; ARCH-RULES.md sections 1-2)
 * =================================================================== */

typedef struct vmsa_bbm_features {
	unsigned level;         /* FEAT_BBM level: 0, 1 or 2 */
	bool level2_may_abort;  /* level 2 implementations may still raise
				   TLB conflict aborts (false = BBML2_NOABORT) */
} vmsa_bbm_features_t;

/* What differs between an old and a new entry (bit set). */
enum {
	VMSA_CHG_MEMTYPE = 1u << 0,   /* AttrIndx / MemAttr */
	VMSA_CHG_SH = 1u << 1,        /* shareability */
	VMSA_CHG_OA = 1u << 2,        /* output address (or NS: address space) */
	VMSA_CHG_SIZE = 1u << 3,      /* block size or table <-> block */
	VMSA_CHG_CONTIG = 1u << 4,    /* Contiguous bit */
	VMSA_CHG_NG_1TO0 = 1u << 5,   /* non-global becomes global */
	VMSA_CHG_NG_0TO1 = 1u << 6,
	VMSA_CHG_PERM = 1u << 7,      /* AP/S2AP/XN/PXN/UXN/GP */
	VMSA_CHG_AF = 1u << 8,
	VMSA_CHG_DBM = 1u << 9,
	VMSA_CHG_SW = 1u << 10,       /* software bits */
	VMSA_CHG_NT = 1u << 11,
	VMSA_CHG_TABLE = 1u << 12,    /* table descriptor's next-level address
					 or table attributes */
	VMSA_CHG_OTHER = 1u << 13,    /* any other bit */
	VMSA_CHG_VALIDITY = 1u << 14, /* valid <-> invalid */
};

typedef enum {
	VMSA_BBM_NONE = 0,  /* nothing needed: identical, or the old entry is
			       invalid (nothing can be cached from it) */
	VMSA_BBM_TLBI,      /* legal without a break; TLB invalidation needed
			       before the new value is used for certain
			       (RGPPYH): permissions, AF, DBM, software bits,
			       nG 0 -> 1, valid -> invalid */
	VMSA_BBM_NT_OK,     /* size change, legal at FEAT_BBM level 1 only
			       because the block of the pair has nT = 1
			       (the new block of a collapse, the old block
			       of a split) */
	VMSA_BBM_LEVEL2_OK, /* size change legal at FEAT_BBM level 2; also
			       a Contiguous-bit-only change at level 1
			       (RKHRBC) */
	VMSA_BBM_BREAK,     /* break-before-make required */
} vmsa_bbm_verdict_t;

const char *vmsa_bbm_verdict_name(vmsa_bbm_verdict_t v);

/* One side of a comparison: a descriptor, the level it sits at, and the
 * input address of the first byte it maps. Comparing entries at two
 * different levels (a held 2M block against a new 4K page under it) is
 * allowed: the output addresses are compared at the overlapping input. */
typedef struct vmsa_bbm_entry {
	uint64_t desc;
	int level;
	uint64_t ia;
} vmsa_bbm_entry_t;

/* Flags for vmsa_bbm_check(). */
#define VMSA_BBM_SAME_CONTENTS 1u /* a different OA holds the same data */

typedef struct vmsa_bbm_result {
	vmsa_bbm_verdict_t verdict;
	unsigned changes;        /* VMSA_CHG_* */
	const char *rule;        /* rule ID for the report, e.g. "RWHZWS";
				    NULL for VMSA_BBM_NONE */
	const char *reason;      /* one line, static */
	bool may_conflict_abort; /* the two entries could both be held and
				    the implementation may raise a TLB
				    conflict abort for an access to them */
} vmsa_bbm_result_t;

/* Classify replacing `old` by `new` (same stage and granule) on a machine
 * with features `f`. Entries whose input ranges do not meet, and a table
 * entry against an entry at a deeper level beneath it (one walk uses both),
 * give VMSA_BBM_NONE: the leaves under a replaced table are the caller's
 * to compare, one call each. */
vmsa_bbm_result_t vmsa_bbm_check(const vmsa_bbm_entry_t *old,
				 const vmsa_bbm_entry_t *new_,
				 vmsa_stage_t stage, vmsa_granule_t g,
				 const vmsa_bbm_features_t *f, unsigned flags);

/* True when a write classified `r` is a violation at this BBM level if
 * the old entry may still be held by a TLB. */
bool vmsa_bbm_needs_break(const vmsa_bbm_result_t *r);

/* True when `old` and `new_` (same stage and granule) are both blocks or
 * pages whose input ranges overlap, that translate the first input
 * address they share to the same output address, and whose descriptors
 * are equal except for the output address (vmsa_desc_oa_mask() at each
 * one's level), bits [1:0], Contiguous and nT: the same mapping at another
 * size. At FEAT_BBM level 2 such a change needs no break (RKFLJB), so
 * vmsa_bbm_check() never says VMSA_BBM_BREAK for it there (at levels 0
 * and 1 it may). The model's fast test for the pages of a block split or
 * collapse; false means "ask vmsa_bbm_check()". Input addresses compare
 * in vmsa_va_canonical() form. */
bool vmsa_bbm_same_mapping(const vmsa_bbm_entry_t *old,
			   const vmsa_bbm_entry_t *new_, vmsa_granule_t g);

/* The same test for a whole new table: true when every valid entry
 * table[i] (at `level`, translating from ia + i * the level's size, i <
 * n_entries) whose input range overlaps old's is the same mapping as old
 * in the sense of vmsa_bbm_same_mapping(). Entries that do not overlap
 * old are not looked at (true when none does). */
bool vmsa_bbm_same_mapping_table(const vmsa_bbm_entry_t *old,
				 const uint64_t *table, unsigned n_entries,
				 int level, uint64_t ia, vmsa_granule_t g);

/* =====================================================================
 * TLB maintenance (D8.17.5 - D8.17.8; ARCH-RULES.md section 4)
 * =================================================================== */

typedef enum {
	/* EL1&0 regime */
	VMSA_TLBI_VMALLE1,
	VMSA_TLBI_VAE1,
	VMSA_TLBI_ASIDE1,
	VMSA_TLBI_VAAE1,
	VMSA_TLBI_VALE1,
	VMSA_TLBI_VAALE1,
	VMSA_TLBI_RVAE1,
	VMSA_TLBI_RVAAE1,
	VMSA_TLBI_RVALE1,
	VMSA_TLBI_RVAALE1,
	VMSA_TLBI_IPAS2E1,
	VMSA_TLBI_IPAS2LE1,
	VMSA_TLBI_RIPAS2E1,
	VMSA_TLBI_RIPAS2LE1,
	VMSA_TLBI_VMALLS12E1,
	VMSA_TLBI_ALLE1,
	/* EL2 and EL2&0 regimes */
	VMSA_TLBI_ALLE2,
	VMSA_TLBI_VAE2,
	VMSA_TLBI_VALE2,
	VMSA_TLBI_RVAE2,
	VMSA_TLBI_RVALE2,
	VMSA_TLBI_N_TYPES
} vmsa_tlbi_type_t;

typedef enum {
	VMSA_TLBI_NSH = 0, /* no suffix: the issuing PE only */
	VMSA_TLBI_IS = 1,  /* Inner Shareable */
	VMSA_TLBI_OS = 2,  /* Outer Shareable */
} vmsa_tlbi_shareability_t;

typedef struct vmsa_tlbi_op {
	vmsa_tlbi_type_t type;
	vmsa_tlbi_shareability_t sh;
	bool nxs;          /* the nXS form (FEAT_XS); same matching */
} vmsa_tlbi_op_t;

/* What kind of entries an operation type selects. */
typedef enum {
	VMSA_TLBI_SCOPE_ALL,      /* ALLE1, ALLE2 */
	VMSA_TLBI_SCOPE_VMALL,    /* VMALLE1: stage 1, current VMID */
	VMSA_TLBI_SCOPE_VMALLS12, /* stage 1 and 2, current VMID */
	VMSA_TLBI_SCOPE_ASID,     /* ASIDE1 */
	VMSA_TLBI_SCOPE_VA,       /* VAE1, VALE1, VAE2 ... (by ASID) */
	VMSA_TLBI_SCOPE_VAA,      /* VAAE1, VAALE1 (all ASIDs) */
	VMSA_TLBI_SCOPE_IPAS2,    /* IPAS2E1, IPAS2LE1 */
} vmsa_tlbi_scope_t;

/* Static facts about an operation type. */
typedef struct vmsa_tlbi_info {
	const char *name;         /* "VALE1" */
	vmsa_tlbi_scope_t scope;
	unsigned el;              /* 1 for *E1, 2 for *E2: the regime family */
	bool last_level;          /* L forms: final-level entries only */
	bool range;               /* R forms (FEAT_TLBIRANGE) */
	bool has_operand;         /* takes Xt */
} vmsa_tlbi_info_t;

const vmsa_tlbi_info_t *vmsa_tlbi_info(vmsa_tlbi_type_t t);

/* Parse an assembly name, with or without "tlbi " and a trailing
 * ", xN": "tlbi vale1is", "VMALLS12E1IS", "tlbi rvae1osnxs, x1".
 * Returns 0 with *op set, or -EINVAL (*op untouched) when s is not a
 * supported TLBI operation, names a register for an operation without
 * one, or s or op is NULL. */
int vmsa_tlbi_parse(const char *s, vmsa_tlbi_op_t *op);

/* Write the assembly name, "tlbi vale1is", into buf, truncated to size.
 * Returns the length it wanted, as snprintf (never negative). */
int vmsa_tlbi_format(char *buf, size_t size, vmsa_tlbi_op_t op);

/* May an operation be executed at `el`? False means UNDEFINED there:
 * all TLBIs at EL0; *E2, ALLE1, VMALLS12E1 and IPAS2* at EL1; range forms
 * without FEAT_TLBIRANGE; nXS forms without FEAT_XS. */
bool vmsa_tlbi_allowed(vmsa_tlbi_op_t op, unsigned el, bool feat_tlbirange,
		       bool feat_xs);

/* The shareability the operation takes effect with: HCR_EL2.FB = 1
 * upgrades local EL1 operations executed at EL1 to Inner Shareable. */
vmsa_tlbi_shareability_t vmsa_tlbi_effective_sh(vmsa_tlbi_op_t op,
						unsigned el, uint64_t hcr);

/* The regime an operation applies to when executed at `el` with HCR_EL2
 * `hcr`: *E1 operations apply to EL1&0, or to EL2&0 when executed at EL2
 * with E2H = TGE = 1; *E2 operations to EL2&0 when E2H = 1, else EL2. */
vmsa_regime_t vmsa_tlbi_regime(vmsa_tlbi_type_t t, unsigned el, uint64_t hcr);

/* The register operand, decoded. */
typedef struct vmsa_tlbi_arg {
	uint64_t addr;      /* VA (bits [55:12] sign-extended from 55) or IPA,
			       as a byte address; range base for R forms */
	uint64_t size;      /* R forms: bytes covered; 0 otherwise */
	uint16_t asid;      /* VA/ASID scopes */
	bool ttl_valid;     /* a level hint is present (TTL != 0b0000, or the
			       range TTL != 0b00) */
	int ttl_level;
	vmsa_granule_t ttl_granule; /* granule of the hint / of the range (TG) */
	bool range_valid;   /* R forms: TG != 0b00 (else nothing is removed) */
	bool ns;            /* IPAS2: the NS bit */
} vmsa_tlbi_arg_t;

/* Decode Xt for an operation type. */
vmsa_tlbi_arg_t vmsa_tlbi_decode(vmsa_tlbi_type_t t, uint64_t xt);

/* Encode operands (for scenario code and tests). ttl_level < 0 means no
 * hint. */
uint64_t vmsa_tlbi_va(uint64_t va, uint16_t asid, vmsa_granule_t g,
		      int ttl_level);
uint64_t vmsa_tlbi_ipa(vmsa_ipa_t ipa, vmsa_granule_t g, int ttl_level);
/* Range operand: [base, base + (num+1) * 2^(5*scale+1) * granule). */
uint64_t vmsa_tlbi_range(uint64_t base, uint16_t asid, vmsa_granule_t g,
			 unsigned scale, unsigned num, int ttl_level);

/* Which stages an entry holds. */
typedef enum {
	VMSA_TLB_S1 = 1,  /* stage-1 only (no stage 2 in the regime) */
	VMSA_TLB_S2 = 2,  /* stage-2 only (IPA -> PA) */
	VMSA_TLB_S12 = 3, /* combined stage 1+2 (VA -> PA) */
} vmsa_tlb_stage_t;

/* The tags of a cached entry, as much as matching needs (RNWYRD). */
typedef struct vmsa_tlb_tag {
	vmsa_regime_t regime;
	uint16_t vmid;         /* EL1&0 entries */
	uint16_t asid;
	bool global;           /* stage-1 leaf with nG = 0; walk-cache entries
				  are never global for maintenance (RCHVGJ) */
	vmsa_tlb_stage_t stage;
	bool leaf;             /* false: a walk-cache (table) entry */
	int level;
	vmsa_granule_t granule;
	uint64_t ia;           /* first input address covered (VA or IPA) */
	uint64_t size;         /* bytes covered: the entry's block/page or,
				  for a table entry, the region under it */
} vmsa_tlb_tag_t;

/* A TLBI as executed: operation, decoded operand, and the context the
 * issuing PE supplied (regime from vmsa_tlbi_regime(), its current VMID). */
typedef struct vmsa_tlbi {
	vmsa_tlbi_op_t op;
	vmsa_tlbi_arg_t arg;
	vmsa_regime_t regime;
	uint16_t vmid;
} vmsa_tlbi_t;

/* Does the architecture require `t` to remove an entry tagged `e`? True
 * only when it must: last-level forms spare walk-cache entries, a wrong
 * TTL hint removes nothing (RSQXYZ), IPAS2 spares combined entries, the
 * Contiguous bit does not widen a VA match (RLQLSD). */
bool vmsa_tlbi_matches(const vmsa_tlbi_t *t, const vmsa_tlb_tag_t *e);

/* As vmsa_tlbi_matches(), for a combined stage 1+2 entry (e->stage =
 * VMSA_TLB_S12) whose VA and ASID are unknown: one made from a stage-2
 * translation, which may have been cached for any VA, global or not. Only
 * the operations that remove every stage-1 entry of its regime and VMID
 * remove it for certain: ALL, VMALL and VMALLS12. IPAS2 need not remove
 * any combined entry (RTVTYQ), hence TLBI IPAS2E1IS; DSB; TLBI VMALLE1IS
 * (D8.17.6.1); operations by VA or ASID cannot be known to cover it. */
bool vmsa_tlbi_matches_any_va(const vmsa_tlbi_t *t, const vmsa_tlb_tag_t *e);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif
