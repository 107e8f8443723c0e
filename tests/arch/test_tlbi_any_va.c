/*
 * vmsa_tlbi_matches_any_va() (src/arch/tlbi_match.c): which operations
 * remove, for certain, a combined stage 1+2 entry whose VA is unknown
 * (one cached from a stage-2 translation). Only ALL, VMALL and VMALLS12
 * of its regime and VMID; never IPAS2 (RTVTYQ) nor anything by VA or
 * ASID.
 */
#include "harness.h"
#include "vmsa/arch.h"

static vmsa_tlbi_t op(vmsa_tlbi_type_t type, uint64_t xt, vmsa_regime_t r,
		      uint16_t vmid)
{
	vmsa_tlbi_t t = {
		.op = {.type = type, .sh = VMSA_TLBI_IS},
		.arg = vmsa_tlbi_decode(type, xt),
		.regime = r,
		.vmid = vmid,
	};

	return t;
}

/* A 2M stage-2 leaf for IPA 0x80000000, cached combined, VMID 5. */
static const vmsa_tlb_tag_t s12 = {
	.regime = VMSA_REGIME_EL10, .vmid = 5, .stage = VMSA_TLB_S12,
	.leaf = true, .level = 2, .granule = VMSA_GRANULE_4K,
	.ia = 0x80000000, .size = 0x200000,
};

#define EL10 VMSA_REGIME_EL10

TEST(tlbi_any_va_removed_by_vmall_vmalls12_all)
{
	vmsa_tlbi_t t;

	t = op(VMSA_TLBI_VMALLE1, 0, EL10, 5);
	CHECK(vmsa_tlbi_matches_any_va(&t, &s12));
	t = op(VMSA_TLBI_VMALLE1, 0, EL10, 6);
	CHECK(!vmsa_tlbi_matches_any_va(&t, &s12));
	t = op(VMSA_TLBI_VMALLS12E1, 0, EL10, 5);
	CHECK(vmsa_tlbi_matches_any_va(&t, &s12));
	t = op(VMSA_TLBI_VMALLS12E1, 0, EL10, 6);
	CHECK(!vmsa_tlbi_matches_any_va(&t, &s12));
	/* ALLE1: any VMID. */
	t = op(VMSA_TLBI_ALLE1, 0, EL10, 6);
	CHECK(vmsa_tlbi_matches_any_va(&t, &s12));
	/* Another regime: EL2's ALLE2, or VMALLE1 at EL2 with
	 * E2H = TGE = 1 (EL2&0). */
	t = op(VMSA_TLBI_ALLE2, 0, VMSA_REGIME_EL2, 0);
	CHECK(!vmsa_tlbi_matches_any_va(&t, &s12));
	t = op(VMSA_TLBI_VMALLE1, 0, VMSA_REGIME_EL20, 5);
	CHECK(!vmsa_tlbi_matches_any_va(&t, &s12));
}

TEST(tlbi_any_va_not_removed_by_address_or_asid)
{
	static const vmsa_tlbi_type_t by_addr[] = {
		VMSA_TLBI_VAE1, VMSA_TLBI_VAAE1, VMSA_TLBI_VALE1,
		VMSA_TLBI_VAALE1, VMSA_TLBI_ASIDE1, VMSA_TLBI_IPAS2E1,
		VMSA_TLBI_IPAS2LE1,
	};
	vmsa_tlbi_t t;

	for (unsigned i = 0; i < sizeof(by_addr) / sizeof(by_addr[0]); i++) {
		uint64_t xt = by_addr[i] == VMSA_TLBI_IPAS2E1 ||
					      by_addr[i] == VMSA_TLBI_IPAS2LE1 ?
				      vmsa_tlbi_ipa(0x80000000, VMSA_GRANULE_4K, -1) :
				      vmsa_tlbi_va(0x80000000, 0, VMSA_GRANULE_4K, -1);

		t = op(by_addr[i], xt, EL10, 5);
		CHECK(!vmsa_tlbi_matches_any_va(&t, &s12));
	}
	/* The same entry with a known VA: VAAE1 for that VA removes it. */
	t = op(VMSA_TLBI_VAAE1, vmsa_tlbi_va(0x80000000, 0, VMSA_GRANULE_4K, -1),
	       EL10, 5);
	CHECK(vmsa_tlbi_matches(&t, &s12));
	t = op(VMSA_TLBI_RVAE1,
	       vmsa_tlbi_range(0, 0, VMSA_GRANULE_4K, 3, 31, -1), EL10, 5);
	CHECK(!vmsa_tlbi_matches_any_va(&t, &s12));
}
