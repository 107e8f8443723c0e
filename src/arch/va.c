/*
 * src/arch/va.c - the two VA ranges of a stage-1 regime: which table
 * translates an address, and the canonical form in which addresses of
 * either range compare.
 *
 * Arm ARM DDI 0487 D8.2.4 (VA range selection, RVZZSZ), D8.8 (address
 * tagging, TBI), D8.17.5.1 (TLBI operand VA[63:56], RJGGKN). Every part
 * of vmsa that selects TTBR0/TTBR1 or compares VAs calls these, so the
 * rule is in one place.
 */
#include "vmsa/arch.h"

/* VA[55] selects the range; bits [63:56] are then copies of it. */
#define VA_RANGE_BIT 55
#define VA_TOP_BYTE_SHIFT (63 - VA_RANGE_BIT)

uint64_t vmsa_va_canonical(uint64_t va)
{
	/* Shift bit 55 up to bit 63 and arithmetic-shift back. */
	return (uint64_t)((int64_t)(va << VA_TOP_BYTE_SHIFT) >>
			  VA_TOP_BYTE_SHIFT);
}

unsigned vmsa_s1_tt_index(const vmsa_stage_cfg_t *cfg, uint64_t va)
{
	return cfg->two_ranges && ((va >> VA_RANGE_BIT) & 1) ? 1u : 0u;
}
