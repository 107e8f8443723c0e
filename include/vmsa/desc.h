/*
 * vmsa/desc.h - VMSAv8-64 translation table descriptors and granule geometry.
 *
 * Part of the architecture core (src/arch/): pure functions, no state.
 * References are to the Arm ARM (DDI 0487), chapter D8.3 (descriptor
 * formats) and D8.7 (contiguous bit, nT bit).
 */
#ifndef VMSA_DESC_H
#define VMSA_DESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* libvmsa is built with -fvisibility=hidden: what this header declares
 * is the exported API (docs: README, "Using the library"). */
#pragma GCC visibility push(default)

/* Address kinds. They are all 64-bit integers; the names say which address
 * space a value belongs to. Plain integers on purpose: the same value
 * changes space by architecture (a guest's table descriptor holds an IPA)
 * and scenario code is address arithmetic; docs/arch.md, "Address types:
 * a decision", says why, and how the page-table library keeps PA and IPA
 * apart at compile time all the same. */
typedef uint64_t vmsa_pa_t;  /* physical address */
typedef uint64_t vmsa_ipa_t; /* intermediate physical address (stage-2 input) */
typedef uint64_t vmsa_va_t;  /* virtual address (stage-1 input) */

/* Translation granule. */
typedef enum {
	VMSA_GRANULE_4K = 0,
	VMSA_GRANULE_16K = 1,
	VMSA_GRANULE_64K = 2,
} vmsa_granule_t;

/* Translation stage. */
typedef enum {
	VMSA_STAGE1 = 1,
	VMSA_STAGE2 = 2,
} vmsa_stage_t;

/* Lowest and highest lookup level numbers. Level -1 exists only with
 * 52-bit addresses (FEAT_LPA2, 4K granule); the types allow it. */
#define VMSA_LEVEL_MIN (-1)
#define VMSA_LEVEL_MAX 3

/* What a descriptor is, given the level it is read at (D8.3.1). */
typedef enum {
	VMSA_DESC_INVALID = 0,  /* bit 0 clear: faults; bits [63:1] ignored */
	VMSA_DESC_TABLE = 1,    /* bits [1:0] = 0b11 at levels 0-2 */
	VMSA_DESC_BLOCK = 2,    /* bits [1:0] = 0b01 at a level that allows blocks */
	VMSA_DESC_PAGE = 3,     /* bits [1:0] = 0b11 at level 3 */
	VMSA_DESC_RESERVED = 4, /* 0b01 at level 3, or a block where none is
				   allowed: treated as invalid (translation
				   fault) by the walk */
} vmsa_desc_kind_t;

/* Descriptor bit positions (both stages unless noted). */
#define VMSA_D_VALID (1ull << 0)
#define VMSA_D_TYPE (1ull << 1) /* table (L0-2) or page (L3) */
#define VMSA_D_ATTRINDX_SHIFT 2 /* stage 1, [4:2] */
#define VMSA_D_MEMATTR_SHIFT 2  /* stage 2, [5:2] */
#define VMSA_D_NS (1ull << 5)   /* stage 1 */
#define VMSA_D_AP_SHIFT 6       /* stage 1 AP[2:1] / stage 2 S2AP[1:0], [7:6] */
#define VMSA_D_SH_SHIFT 8       /* [9:8] */
#define VMSA_D_AF (1ull << 10)
#define VMSA_D_NG (1ull << 11)  /* stage 1 */
#define VMSA_D_NT (1ull << 16)  /* block descriptors, FEAT_BBM */
#define VMSA_D_GP (1ull << 50)  /* stage 1, FEAT_BTI */
#define VMSA_D_DBM (1ull << 51)
#define VMSA_D_CONT (1ull << 52)
#define VMSA_D_PXN (1ull << 53) /* stage 1 */
#define VMSA_D_UXN (1ull << 54) /* stage 1 UXN (EL1&0) or XN */
#define VMSA_D_S2XN_SHIFT 53    /* stage 2 XN[1:0], [54:53] */
#define VMSA_D_SW_SHIFT 55      /* software use, [58:55] */
#define VMSA_D_PBHA_SHIFT 59    /* page-based hardware attributes, [62:59] */
/* Table descriptor attributes (stage 1 only; RES0/ignored at stage 2). */
#define VMSA_D_PXNTABLE (1ull << 59)
#define VMSA_D_UXNTABLE (1ull << 60) /* UXNTable, or XNTable */
#define VMSA_D_APTABLE_SHIFT 61      /* APTable[1:0], [62:61] */
#define VMSA_D_NSTABLE (1ull << 63)

/* Stage-1 AP[2:1] values (D8.4.1). For single-privilege regimes (EL2 with
 * E2H=0, EL3) AP[1] is ignored. */
#define VMSA_AP_RW_EL1 0u  /* privileged RW, EL0 none */
#define VMSA_AP_RW_ALL 1u  /* privileged RW, EL0 RW */
#define VMSA_AP_RO_EL1 2u  /* privileged RO, EL0 none */
#define VMSA_AP_RO_ALL 3u  /* privileged RO, EL0 RO */

/* Stage-2 S2AP values. */
#define VMSA_S2AP_NONE 0u
#define VMSA_S2AP_RO 1u
#define VMSA_S2AP_WO 2u
#define VMSA_S2AP_RW 3u

/* Shareability field values (SH[1:0]). */
#define VMSA_SH_NSH 0u
#define VMSA_SH_OSH 2u
#define VMSA_SH_ISH 3u

/* Stage-2 MemAttr[3:0] values most used (without FEAT_S2FWB). */
#define VMSA_S2_MEMATTR_DEVICE_nGnRnE 0x0u
#define VMSA_S2_MEMATTR_DEVICE_nGnRE 0x1u
#define VMSA_S2_MEMATTR_NORMAL_NC 0x5u
#define VMSA_S2_MEMATTR_NORMAL_WT 0xAu
#define VMSA_S2_MEMATTR_NORMAL_WB 0xFu
/* With HCR_EL2.FWB = 1 (FEAT_S2FWB) MemAttr is read differently: 0b0110
 * forces Normal Write-Back whatever stage 1 says (D8.6.6). */
#define VMSA_S2FWB_MEMATTR_NORMAL_WB 0x6u

/*
 * A decoded descriptor. Which fields are meaningful depends on kind and
 * stage; the others are zero after vmsa_desc_decode(). vmsa_desc_encode()
 * of a decoded value gives back the raw descriptor bit for bit, including
 * RES0 and IMPLEMENTATION DEFINED bits (kept in `other`).
 */
typedef struct vmsa_desc {
	vmsa_desc_kind_t kind;
	vmsa_stage_t stage;
	vmsa_granule_t granule;
	int level;

	/* Output address (block, page) or next-level table address (table),
	 * extracted for the granule; 52-bit forms are not decoded yet and
	 * their bits stay in `other`. */
	vmsa_pa_t oa;

	/* Leaf (block/page) attributes, stage 1. */
	unsigned attr_indx; /* AttrIndx[2:0] */
	bool ns;
	unsigned ap;        /* AP[2:1] as a 2-bit value, VMSA_AP_* */
	bool ng;
	bool pxn, uxn;      /* uxn is XN for single-privilege regimes */
	bool gp;

	/* Leaf attributes, stage 2. */
	unsigned memattr;   /* MemAttr[3:0] */
	unsigned s2ap;      /* S2AP[1:0], VMSA_S2AP_* */
	unsigned xn;        /* XN[1:0] (bit 54 = XN[1], bit 53 = XN[0]) */

	/* Leaf attributes, both stages. */
	unsigned sh;        /* SH[1:0] */
	bool af;
	bool nt;            /* nT, block descriptors only (FEAT_BBM) */
	bool dbm;
	bool contig;
	unsigned sw;        /* software bits [58:55] of leaves and tables
			       (in a table, the top of the IGNORED
			       [58:51]; its [54:51] stay in `other`) */
	unsigned pbha;      /* [62:59] of leaves */

	/* Table attributes (stage 1). */
	bool ns_table;
	unsigned ap_table;  /* APTable[1:0] */
	bool uxn_table;     /* UXNTable, or XNTable */
	bool pxn_table;

	/* Invalid descriptors: bits [63:1], which software may use freely. */
	uint64_t ignored;

	/* Bits not covered by a field above (RES0, IGNORED or unknown at
	 * this kind/stage), so that decode+encode is exact. */
	uint64_t other;
} vmsa_desc_t;

/* Decode `raw`, read as a descriptor of `stage` at `level` for `granule`.
 * Never fails: a reserved encoding decodes as VMSA_DESC_RESERVED. */
vmsa_desc_t vmsa_desc_decode(uint64_t raw, vmsa_stage_t stage, int level,
			     vmsa_granule_t granule);

/* Encode `d` back to the 64-bit descriptor. Fields out of range are
 * truncated to their width; `oa` bits below the granule (or block) size
 * are dropped. Pure inverse of vmsa_desc_decode(). */
uint64_t vmsa_desc_encode(const vmsa_desc_t *d);

/* The kind of `raw` at `level` for `granule` without a full decode. */
vmsa_desc_kind_t vmsa_desc_kind(uint64_t raw, int level, vmsa_granule_t granule);

/* Output address of a block or page descriptor, or the next-level table
 * address of a table descriptor (48-bit OA). */
vmsa_pa_t vmsa_desc_oa(uint64_t raw, int level, vmsa_granule_t granule);

/* Output addresses are 48 bits everywhere in vmsa: descriptors, TTBRn_ELx
 * BADDR, PAR_EL1.PA. FEAT_LPA and FEAT_LPA2 (52 bits: OA[51:48] in
 * descriptor bits [15:12] or [9:8], TCR_ELx.DS) are not modelled, so no
 * mask below includes bits 48 and up. */
#define VMSA_OA_BITS 48u

/* Bits [VMSA_OA_BITS - 1 : lo]: where an output address aligned to 2^lo
 * sits in a descriptor or register that holds it in place (OA[47:lo] in
 * bits [47:lo]). lo = 12 gives 0x0000fffffffff000 (PAR_EL1.PA, a 4K page),
 * lo = 1 TTBRn_ELx.BADDR; 0 when lo >= VMSA_OA_BITS. HPFAR_EL2.FIPA
 * holds the same bits shifted right by 8. */
uint64_t vmsa_oa_mask(unsigned lo);

/* The output-address field of a block or page descriptor at `level`:
 * OA[47:n] with n the level's shift (D8.3.1, Tables D8-53, D8-55: the bits
 * below n are RES0 in a block). vmsa_oa_mask(vmsa_level_shift(g, level)). */
uint64_t vmsa_desc_oa_mask(vmsa_granule_t g, int level);

/* Constructors for the common cases. Every other field is zero; callers
 * set more with the VMSA_D_* bits. oa must be aligned to the entry size. */
uint64_t vmsa_desc_make_table(vmsa_pa_t next_table, vmsa_granule_t granule);
uint64_t vmsa_desc_make_s1_leaf(vmsa_pa_t oa, int level, vmsa_granule_t granule,
				unsigned attr_indx, unsigned ap, unsigned sh,
				bool af);
uint64_t vmsa_desc_make_s2_leaf(vmsa_pa_t oa, int level, vmsa_granule_t granule,
				unsigned memattr, unsigned s2ap, unsigned sh,
				bool af);

/* Write a one-line human form of the descriptor into buf (always
 * NUL-terminated, truncated to size). Returns the length it wanted, as
 * snprintf. Example: "BLOCK L2 oa=0x40200000 S2AP=RW MemAttr=NormalWB AF". */
int vmsa_desc_format(char *buf, size_t size, uint64_t raw, vmsa_stage_t stage,
		     int level, vmsa_granule_t granule);

/* Short names for traces. */
const char *vmsa_granule_name(vmsa_granule_t g);      /* "4K" */
const char *vmsa_desc_kind_name(vmsa_desc_kind_t k);   /* "BLOCK" */

/* ---------------------------------------------------------------------
 * Granule geometry (D8.2, D8.3, D8.7).
 * ------------------------------------------------------------------- */

/* log2 of the granule size: 12, 14 or 16. */
unsigned vmsa_granule_shift(vmsa_granule_t g);

/* Bits resolved per full table level: 9, 11 or 13. */
unsigned vmsa_granule_stride(vmsa_granule_t g);

/* Lowest bit of the input address resolved at `level` (the log2 of the
 * size mapped by one entry at that level): 4K L3 = 12, L2 = 21, ... */
unsigned vmsa_level_shift(vmsa_granule_t g, int level);

/* Size of the region one entry at `level` maps. */
uint64_t vmsa_level_size(vmsa_granule_t g, int level);

/* First lookup level that can exist for the granule with a 48-bit input:
 * 0 for 4K and 16K, 1 for 64K (LPA2/LPA 52-bit forms not enabled). A
 * level number, not a status: it cannot fail. */
int vmsa_granule_min_level(vmsa_granule_t g);

/* True when a block descriptor is allowed at `level` for the granule with
 * 48-bit output addresses (4K: L1, L2; 16K: L2; 64K: L2). Level 3 is
 * never a block (pages are). */
bool vmsa_block_allowed(vmsa_granule_t g, int level);

/* Number of entries in a contiguous range at `level` (D8.7.1, Table
 * D8-104): 4K: 16 at L1-L3; 16K: 128 at L3, 32 at L2; 64K: 32 at L2, L3.
 * 0 where the Contiguous bit has no meaning. */
unsigned vmsa_contig_entries(vmsa_granule_t g, int level);

/* The input range a TLB may cache the entry `desc` at `level` for, given
 * any input address `ia` it translates: for a block or page with the
 * Contiguous bit, the whole contiguous range (D8.7.1, Table D8-104: such
 * an entry may be cached as though it were one entry for the range);
 * otherwise the level's size. *first is the range's first address (ia
 * aligned down), *size its size, 0 when it is the whole 64-bit space (no
 * such level). This is what entries compete over in a TLB lookup (TLB
 * conflicts, break-before-make), not what a TLBI removes: the Contiguous
 * bit never widens a TLBI (RLQLSD). */
void vmsa_tlb_range(uint64_t desc, int level, uint64_t ia, vmsa_granule_t g,
		    uint64_t *first, uint64_t *size);

/* Number of index bits the start level resolves for an input size of
 * ia_bits, and the start level itself, for stage 1 (TnSZ): the lowest
 * level that covers ia_bits with one table. Returns false (and sets
 * nothing) when ia_bits is out of the range the granule supports. */
bool vmsa_s1_start_level(vmsa_granule_t g, unsigned ia_bits, int *start_level);

/* Stage 2: the start level from VTCR_EL2.SL0 (and SL2 = 0) for the granule,
 * and the number of concatenated root tables needed for ia_bits (1-16).
 * Returns false when the combination is not a valid configuration
 * (would need more than 16 tables, or the start level cannot be used with
 * this input size). The manual makes such a VTCR_EL2 a stage-2 level-0
 * translation fault on every walk; vmsa_walk() reports exactly that. */
bool vmsa_s2_start_level(vmsa_granule_t g, unsigned sl0, unsigned ia_bits,
			 int *start_level, unsigned *concat);

/* Index of `ia` in the table at `level` of a walk that starts at
 * `start_level` with an input size of ia_bits. At the start level the
 * index takes every bit up to ia_bits, so for concatenated stage-2 roots
 * it spans all the tables (entry i of table 0..concat-1, contiguous). */
uint64_t vmsa_table_index(vmsa_granule_t g, int start_level, int level,
			  unsigned ia_bits, uint64_t ia);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif
