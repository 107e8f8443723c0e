/*
 * Addresses and tags from registers (src/arch/va.c, regs.c, desc.c): the
 * canonical VA form (RJGGKN, TBI), TTBR0/TTBR1 selection by VA[55], the
 * VMID of VTTBR_EL2 with and without VTCR_EL2.VS, and the 48-bit output
 * address masks. Exact values, edges included.
 */
#include "harness.h"
#include "vmsa/arch.h"

#define VS (1ull << 19) /* VTCR_EL2.VS */

TEST(va_canonical_copies_bit_55)
{
	/* TTBR0 range: unchanged. */
	CHECK_EQ(vmsa_va_canonical(0), 0);
	CHECK_EQ(vmsa_va_canonical(0x0000ffffffffffffull), 0x0000ffffffffffffull);
	CHECK_EQ(vmsa_va_canonical(0x007fffffffffffffull), 0x007fffffffffffffull);
	/* TTBR1 range: unchanged. */
	CHECK_EQ(vmsa_va_canonical(0xffff800000001000ull), 0xffff800000001000ull);
	CHECK_EQ(vmsa_va_canonical(~0ull), ~0ull);
	/* Bit 55 alone decides: the top byte becomes its copies. */
	CHECK_EQ(vmsa_va_canonical(0x0080000000000000ull), 0xff80000000000000ull);
	CHECK_EQ(vmsa_va_canonical(0x7fffffffffffffffull), ~0ull);
	CHECK_EQ(vmsa_va_canonical(0x8000000000000000ull), 0);
	CHECK_EQ(vmsa_va_canonical(0xff7fffffffffffffull), 0x007fffffffffffffull);
	/* Tagged addresses (TBI): the tag is dropped. */
	CHECK_EQ(vmsa_va_canonical(0x5a00000000001000ull), 0x0000000000001000ull);
	CHECK_EQ(vmsa_va_canonical(0x5aff800000001000ull), 0xffff800000001000ull);
	/* IPAs and PAs (below 2^55) are unchanged. */
	CHECK_EQ(vmsa_va_canonical(0x0000fffffffff000ull), 0x0000fffffffff000ull);
	/* What a TLBI operand decodes to (IZVNJG): the same form. */
	CHECK_EQ(vmsa_tlbi_decode(VMSA_TLBI_VAAE1,
				  vmsa_tlbi_va(0xffff800000201000ull, 0,
					       VMSA_GRANULE_4K, -1)).addr,
		 0xffff800000201000ull);
}

TEST(s1_tt_index_by_va_55)
{
	vmsa_stage_cfg_t two = {.stage = VMSA_STAGE1, .two_ranges = true};
	vmsa_stage_cfg_t one = {.stage = VMSA_STAGE1, .two_ranges = false};

	CHECK_EQ(vmsa_s1_tt_index(&two, 0), 0);
	CHECK_EQ(vmsa_s1_tt_index(&two, 0x0000ffffffffffffull), 0);
	CHECK_EQ(vmsa_s1_tt_index(&two, 0xffff000000000000ull), 1);
	CHECK_EQ(vmsa_s1_tt_index(&two, 0x0080000000000000ull), 1);
	/* Tagged: bit 55, not bit 63, selects (the walk then checks the
	 * bits above the range size against it, RVZZSZ). */
	CHECK_EQ(vmsa_s1_tt_index(&two, 0x5aff800000001000ull), 1);
	CHECK_EQ(vmsa_s1_tt_index(&two, 0xff00000000001000ull), 0);
	CHECK_EQ(vmsa_s1_tt_index(&two, 0x8000000000000000ull), 0);
	/* One range (EL2 with E2H = 0): always TTBR0_EL2. */
	CHECK_EQ(vmsa_s1_tt_index(&one, 0xffff800000001000ull), 0);
	CHECK_EQ(vmsa_s1_tt_index(&one, ~0ull), 0);
}

TEST(vmid_8_or_16_bits)
{
	uint64_t vttbr = 0xabcd000040000000ull;
	vmsa_stage_cfg_t cfg;

	CHECK_EQ(vmsa_vmid(vttbr, 0), 0xcd);
	CHECK_EQ(vmsa_vmid(vttbr, VS), 0xabcd);
	CHECK_EQ(vmsa_vmid(vttbr, ~VS), 0xcd);
	CHECK_EQ(vmsa_vmid(vttbr, ~0ull), 0xabcd);
	CHECK_EQ(vmsa_vmid(0x00ff000000000000ull, 0), 0xff);
	CHECK_EQ(vmsa_vmid(0xff00000000000000ull, 0), 0);
	CHECK_EQ(vmsa_vmid(0xff00000000000000ull, VS), 0xff00);
	CHECK_EQ(vmsa_vmid(0x0000fffffffffffeull, VS), 0);
	CHECK_EQ(vmsa_vmid(~0ull, VS), 0xffff);
	/* The stage-2 configuration takes the same VMID. */
	CHECK_EQ(vmsa_s2_cfg(&cfg, 0x80000000ull | 25 | VS, vttbr, 0, 48, NULL),
		 0);
	CHECK_EQ(cfg.vmid, 0xabcd);
	CHECK_EQ(vmsa_s2_cfg(&cfg, 0x80000000ull | 25, vttbr, 0, 48, NULL), 0);
	CHECK_EQ(cfg.vmid, 0xcd);
}

TEST(oa_masks_48_bits)
{
	CHECK_EQ(VMSA_OA_BITS, 48);
	CHECK_EQ(vmsa_oa_mask(0), 0x0000ffffffffffffull);
	CHECK_EQ(vmsa_oa_mask(1), 0x0000fffffffffffeull);  /* TTBR BADDR */
	CHECK_EQ(vmsa_oa_mask(12), 0x0000fffffffff000ull); /* PAR_EL1.PA */
	CHECK_EQ(vmsa_oa_mask(47), 0x0000800000000000ull);
	CHECK_EQ(vmsa_oa_mask(48), 0);
	CHECK_EQ(vmsa_oa_mask(63), 0);
	CHECK_EQ(vmsa_oa_mask(64), 0);
	CHECK_EQ(vmsa_oa_mask(1000), 0);

	CHECK_EQ(vmsa_desc_oa_mask(VMSA_GRANULE_4K, 3), 0x0000fffffffff000ull);
	CHECK_EQ(vmsa_desc_oa_mask(VMSA_GRANULE_4K, 2), 0x0000ffffffe00000ull);
	CHECK_EQ(vmsa_desc_oa_mask(VMSA_GRANULE_4K, 1), 0x0000ffffc0000000ull);
	CHECK_EQ(vmsa_desc_oa_mask(VMSA_GRANULE_4K, 0), 0x0000ff8000000000ull);
	CHECK_EQ(vmsa_desc_oa_mask(VMSA_GRANULE_16K, 3), 0x0000ffffffffc000ull);
	CHECK_EQ(vmsa_desc_oa_mask(VMSA_GRANULE_16K, 2), 0x0000fffffe000000ull);
	CHECK_EQ(vmsa_desc_oa_mask(VMSA_GRANULE_16K, 0), 0x0000800000000000ull);
	CHECK_EQ(vmsa_desc_oa_mask(VMSA_GRANULE_64K, 3), 0x0000ffffffff0000ull);
	CHECK_EQ(vmsa_desc_oa_mask(VMSA_GRANULE_64K, 2), 0x0000ffffe0000000ull);
	CHECK_EQ(vmsa_desc_oa_mask(VMSA_GRANULE_64K, 1), 0x0000fc0000000000ull);
	/* 4K level -1 would map 256T: no OA bit below 48 is left. */
	CHECK_EQ(vmsa_desc_oa_mask(VMSA_GRANULE_4K, -1), 0);
}

/* 52-bit output addresses (FEAT_LPA, FEAT_LPA2) are not supported: no
 * mask has OA[51:48], and where those descriptor forms keep them (64K
 * bits [15:12], LPA2 bits [9:8]) they are no address. */
TEST(oa_masks_no_52_bit_forms)
{
	uint64_t page64 = vmsa_desc_make_s1_leaf(0x40010000, 3, VMSA_GRANULE_64K,
						 0, VMSA_AP_RW_EL1,
						 VMSA_SH_ISH, true);

	for (unsigned lo = 0; lo < 64; lo++)
		CHECK_EQ(vmsa_oa_mask(lo) & 0xffff000000000000ull, 0);
	CHECK_EQ(vmsa_desc_oa_mask(VMSA_GRANULE_64K, 3) & 0xf000, 0);
	CHECK_EQ(vmsa_desc_oa(page64 | 0xf000, 3, VMSA_GRANULE_64K),
		 0x40010000);
	CHECK_EQ(vmsa_desc_oa(page64 | (1ull << 48), 3, VMSA_GRANULE_64K),
		 0x40010000);
}
