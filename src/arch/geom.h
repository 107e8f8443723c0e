/*
 * src/arch/geom.h - the small geometry and descriptor-kind functions of
 * geometry.c and desc.c, inline for the model's hot paths.
 *
 * Every translation the model makes asks these many times per level
 * (about a tenth of an exploration's instructions went to calling them).
 * The public functions (vmsa/desc.h) stay as they are and call these;
 * an internal file that includes this header gets the inline versions
 * under the public names, through the macros at the end. The rules
 * cited are in the public functions' comments (geometry.c, desc.c).
 */
#ifndef VMSA_ARCH_GEOM_H
#define VMSA_ARCH_GEOM_H

#include "vmsa/desc.h"

static inline unsigned geom_granule_shift(vmsa_granule_t g)
{
	return g == VMSA_GRANULE_16K ? 14 : g == VMSA_GRANULE_64K ? 16 : 12;
}

/* Descriptors are 8 bytes: a table of one granule resolves shift - 3
 * bits. */
static inline unsigned geom_granule_stride(vmsa_granule_t g)
{
	return geom_granule_shift(g) - 3u;
}

static inline unsigned geom_level_shift(vmsa_granule_t g, int level)
{
	if (level < VMSA_LEVEL_MIN)
		level = VMSA_LEVEL_MIN;
	if (level > VMSA_LEVEL_MAX)
		level = VMSA_LEVEL_MAX;
	return geom_granule_shift(g) +
	       (unsigned)(VMSA_LEVEL_MAX - level) * geom_granule_stride(g);
}

static inline uint64_t geom_level_size(vmsa_granule_t g, int level)
{
	unsigned shift = geom_level_shift(g, level);

	return shift < 64 ? 1ull << shift : 0;
}

static inline int geom_granule_min_level(vmsa_granule_t g)
{
	return g == VMSA_GRANULE_64K ? 1 : 0;
}

static inline bool geom_block_allowed(vmsa_granule_t g, int level)
{
	if (g != VMSA_GRANULE_4K && g != VMSA_GRANULE_16K &&
	    g != VMSA_GRANULE_64K)
		return false;
	if (level == 2)
		return true;
	return g == VMSA_GRANULE_4K && level == 1;
}

static inline uint64_t geom_table_index(vmsa_granule_t g, int start_level,
					int level, unsigned ia_bits,
					uint64_t ia)
{
	unsigned shift = geom_level_shift(g, level);
	unsigned bits;

	if (level == start_level)
		bits = ia_bits > shift ? ia_bits - shift : 0;
	else
		bits = geom_granule_stride(g);
	if (shift >= 64)
		return 0;
	ia >>= shift;
	return bits >= 64 ? ia : ia & ((1ull << bits) - 1);
}

static inline uint64_t geom_oa_mask(unsigned lo)
{
	/* 48-bit OA: the address field ends at bit 47. */
	if (lo >= VMSA_OA_BITS)
		return 0;
	return ((1ull << VMSA_OA_BITS) - 1) & ~((1ull << lo) - 1);
}

static inline uint64_t geom_desc_oa_mask(vmsa_granule_t g, int level)
{
	return geom_oa_mask(geom_level_shift(g, level));
}

static inline vmsa_desc_kind_t geom_desc_kind(uint64_t raw, int level,
					      vmsa_granule_t g)
{
	if (!(raw & VMSA_D_VALID))
		return VMSA_DESC_INVALID;
	if (level < geom_granule_min_level(g) || level > VMSA_LEVEL_MAX)
		return VMSA_DESC_RESERVED;
	if (level == VMSA_LEVEL_MAX)
		return (raw & VMSA_D_TYPE) ? VMSA_DESC_PAGE :
					     VMSA_DESC_RESERVED;
	if (raw & VMSA_D_TYPE)
		return VMSA_DESC_TABLE;
	return geom_block_allowed(g, level) ? VMSA_DESC_BLOCK :
					      VMSA_DESC_RESERVED;
}

static inline vmsa_pa_t geom_desc_oa(uint64_t raw, int level,
				     vmsa_granule_t g)
{
	switch (geom_desc_kind(raw, level, g)) {
	case VMSA_DESC_TABLE:
		return raw & geom_oa_mask(geom_granule_shift(g));
	case VMSA_DESC_BLOCK:
	case VMSA_DESC_PAGE:
		return raw & geom_desc_oa_mask(g, level);
	default:
		return 0;
	}
}

#define vmsa_granule_shift(g) geom_granule_shift(g)
#define vmsa_granule_stride(g) geom_granule_stride(g)
#define vmsa_level_shift(g, l) geom_level_shift(g, l)
#define vmsa_level_size(g, l) geom_level_size(g, l)
#define vmsa_granule_min_level(g) geom_granule_min_level(g)
#define vmsa_block_allowed(g, l) geom_block_allowed(g, l)
#define vmsa_table_index(g, s, l, b, ia) geom_table_index(g, s, l, b, ia)
#define vmsa_oa_mask(lo) geom_oa_mask(lo)
/*
 * vmsa_desc_decode() into *d: for the walk, which keeps the decoded
 * descriptor in its own records. A struct returned by value is built in
 * a temporary with narrow stores and copied out with wide loads, which
 * stall on those stores (store forwarding fails): perf put a twentieth
 * of a litmus search's cycles on vmsa_desc_decode, most on that copy.
 */
void desc_decode_into(vmsa_desc_t *d, uint64_t raw, vmsa_stage_t stage,
		      int level, vmsa_granule_t granule);

#define vmsa_desc_oa_mask(g, l) geom_desc_oa_mask(g, l)
#define vmsa_desc_kind(d, l, g) geom_desc_kind(d, l, g)
#define vmsa_desc_oa(d, l, g) geom_desc_oa(d, l, g)

#endif
