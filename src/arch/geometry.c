/*
 * src/arch/geometry.c - translation granules and lookup levels.
 *
 * Everything the walk needs to know about a granule: how many input
 * address bits each level resolves, where blocks may appear, how large a
 * contiguous range is, and where a walk starts for a given input size.
 * Only the VMSAv8-64 format with 48-bit addresses is covered (no
 * FEAT_LPA, FEAT_LPA2, FEAT_LVA, FEAT_TTST); see docs/arch.md.
 *
 * References: Arm ARM (DDI 0487) D8.2 (input sizes, start levels,
 * stage-2 concatenation), D8.3 (descriptor formats), D8.7 (Contiguous
 * bit, Table D8-104).
 */
#include "geom.h"

/* Input address sizes supported without FEAT_TTST (smallest) and without
 * FEAT_LVA/FEAT_LPA2 (largest): TnSZ from 39 (RPLCGL, Table D8-7) down to
 * 16 (RGTJBY). The same bounds apply to stage 2 with a 48-bit PA (Table
 * D8-8). */
#define IA_BITS_MIN 25u
#define IA_BITS_MAX 48u

/* Descriptors are 8 bytes: a table of one granule holds 2^(shift-3). */
#define DESC_SIZE_LOG2 3u

/* Stage-2 roots may be concatenated up to 16 tables (4 extra bits). */
#define S2_CONCAT_BITS_MAX 4u

static bool granule_ok(vmsa_granule_t g)
{
	return g == VMSA_GRANULE_4K || g == VMSA_GRANULE_16K ||
	       g == VMSA_GRANULE_64K;
}

/* The bodies of the small ones are in geom.h, inline for the model; the
 * names in parentheses are the public functions, not geom.h's macros. */
unsigned (vmsa_granule_shift)(vmsa_granule_t g)
{
	return geom_granule_shift(g);
}

unsigned (vmsa_granule_stride)(vmsa_granule_t g)
{
	return geom_granule_stride(g);
}

/*
 * Level 3 resolves the bits just above the page offset; every level above
 * it resolves one more stride. The formula also gives the (LPA2-only)
 * level -1. Levels outside [VMSA_LEVEL_MIN, VMSA_LEVEL_MAX] are clamped
 * so that callers with a bad level get a defined, if useless, answer.
 */
unsigned (vmsa_level_shift)(vmsa_granule_t g, int level)
{
	return geom_level_shift(g, level);
}

/* 0 when the size does not fit in 64 bits (64K level -1, which no
 * configuration has). */
uint64_t (vmsa_level_size)(vmsa_granule_t g, int level)
{
	return geom_level_size(g, level);
}

/*
 * With a 48-bit input, 4K and 16K walks can start at level 0 (16K level 0
 * resolves a single bit, IA[47]); a 64K walk resolves IA[47:42] at level 1
 * and has no level 0 without FEAT_LPA/LVA.
 */
int (vmsa_granule_min_level)(vmsa_granule_t g)
{
	return geom_granule_min_level(g);
}

/*
 * Block descriptors with a 48-bit OA (D8.3.1, Block descriptor formats):
 * 4K level 1 (1GB) and level 2 (2MB); 16K level 2 (32MB); 64K level 2
 * (512MB). 16K level 1 and 4K level 0 need TCR_ELx.DS = 1, 64K level 1
 * needs FEAT_LPA: not in vmsa's 48-bit model.
 */
bool (vmsa_block_allowed)(vmsa_granule_t g, int level)
{
	return geom_block_allowed(g, level);
}

/*
 * Table D8-104 (D8.7.1): entries in a contiguous range, VMSAv8-64.
 * Where the table lists none (levels without blocks or pages in the
 * 48-bit model), the Contiguous bit has no meaning and we return 0.
 */
unsigned vmsa_contig_entries(vmsa_granule_t g, int level)
{
	switch (g) {
	case VMSA_GRANULE_4K:
		return (level >= 1 && level <= 3) ? 16 : 0;
	case VMSA_GRANULE_16K:
		if (level == 3)
			return 128;
		return level == 2 ? 32 : 0;
	case VMSA_GRANULE_64K:
		return (level == 2 || level == 3) ? 32 : 0;
	default:
		return 0;
	}
}

void vmsa_tlb_range(uint64_t desc, int level, uint64_t ia, vmsa_granule_t g,
		    uint64_t *first, uint64_t *size)
{
	uint64_t span = vmsa_level_size(g, level);
	vmsa_desc_kind_t k;

	if ((desc & VMSA_D_CONT) && vmsa_contig_entries(g, level)) {
		k = vmsa_desc_kind(desc, level, g);
		/* The bit means something only in a valid block or page
		 * (IPGVGZ): in a table descriptor it is IGNORED. */
		if (k == VMSA_DESC_BLOCK || k == VMSA_DESC_PAGE)
			span *= vmsa_contig_entries(g, level);
	}
	*size = span;
	*first = span ? ia & ~(span - 1) : 0;
}

/*
 * Number of lookup levels needed to resolve ia_bits with full tables at
 * every level but the first: ceil((ia_bits - page offset) / stride).
 */
static int levels_needed(vmsa_granule_t g, unsigned ia_bits)
{
	unsigned gshift = vmsa_granule_shift(g);
	unsigned stride = vmsa_granule_stride(g);

	return (int)((ia_bits - gshift + stride - 1) / stride);
}

/*
 * Stage 1: the walk starts at the level whose table covers the top of the
 * input address; each bit less halves the first table until it is one
 * entry wide, then the walk starts a level later (RYXNYW). This gives
 * Tables D8-18, D8-28 and D8-37 (4K: L0 for 40..48 bits, L1 31..39,
 * L2 25..30; 16K: L0 48 only, L1 37..47, L2 26..36, L3 25; 64K: L1 43..48,
 * L2 30..42, L3 25..29). ia_bits outside 25..48 needs FEAT_TTST or
 * FEAT_LVA/LPA2, which vmsa does not model.
 */
bool vmsa_s1_start_level(vmsa_granule_t g, unsigned ia_bits, int *start_level)
{
	if (!granule_ok(g) || ia_bits < IA_BITS_MIN || ia_bits > IA_BITS_MAX)
		return false;
	*start_level = VMSA_LEVEL_MAX + 1 - levels_needed(g, ia_bits);
	return true;
}

/*
 * VTCR_EL2.SL0 to a start level (SL2 = 0), for the encodings valid with a
 * 48-bit IPA and no FEAT_TTST/FEAT_LPA2. Returns false for encodings that
 * are reserved or need those features:
 *   4K (Table D8-19):  0 -> L2, 1 -> L1, 2 -> L0,
 *                      3 -> L3, usable only with FEAT_TTST (Table D8-24)
 *   16K (Table D8-29): 0 -> L3, 1 -> L2, 2 -> L1,
 *                      3 -> L0, usable only with VTCR_EL2.DS = 1 (D8-30)
 *   64K (Table D8-38): 0 -> L3, 1 -> L2, 2 -> L1, 3 reserved
 */
static bool s2_sl0_level(vmsa_granule_t g, unsigned sl0, int *level)
{
	if (sl0 > 2)
		return false;
	if (g == VMSA_GRANULE_4K)
		*level = 2 - (int)sl0;
	else
		*level = 3 - (int)sl0;
	return true;
}

/*
 * Stage 2: the start level comes from SL0, not from T0SZ, and the two
 * must agree, else every walk takes a stage 2 level 0 Translation fault
 * (D8.2.8.2, D8.2.9.2, D8.2.10.2). The start level must resolve at least
 * one input bit (a shallower start would do), and at most a full table
 * plus 4 more bits: the extra bits select one of up to 16 concatenated
 * root tables (ITDMHR, RJKZFY), laid out contiguously and aligned to
 * their total size (RVCLZN). This reproduces every row of Tables D8-21
 * to D8-23, D8-31 to D8-33, D8-39 to D8-41 that needs no DS, LPA or TTST:
 * e.g. 4K SL0=1 (L1) takes 31..43 bits, 2..16 tables from 40 bits; 16K
 * with a 48-bit IPA needs L1 with 2 tables (RDXBSH).
 */
bool vmsa_s2_start_level(vmsa_granule_t g, unsigned sl0, unsigned ia_bits,
			 int *start_level, unsigned *concat)
{
	unsigned shift, stride;
	int level;

	if (!granule_ok(g) || ia_bits < IA_BITS_MIN || ia_bits > IA_BITS_MAX)
		return false;
	if (!s2_sl0_level(g, sl0, &level))
		return false;

	shift = vmsa_level_shift(g, level);
	stride = vmsa_granule_stride(g);
	if (ia_bits < shift + 1 || ia_bits > shift + stride + S2_CONCAT_BITS_MAX)
		return false;

	*start_level = level;
	*concat = ia_bits > shift + stride ? 1u << (ia_bits - shift - stride) : 1;
	return true;
}

/*
 * The index bits of `level` are [shift + stride - 1 : shift], except at
 * the start level where they run up to the top of the input address
 * (fewer bits for a partial first table, more for concatenated roots).
 */
uint64_t (vmsa_table_index)(vmsa_granule_t g, int start_level, int level,
			    unsigned ia_bits, uint64_t ia)
{
	return geom_table_index(g, start_level, level, ia_bits, ia);
}
