/*
 * tests/model/fixture_guest.h - a guest for the model tests and
 * benchmarks: minimal stage-2 tables (4K granule, 32-bit IPA, start
 * level 1) whose one level-3 table maps the IPA window
 * [FG_IPA_WINDOW, FG_IPA_WINDOW + 2M), and helpers to run a CPU as the
 * guest at EL1.
 *
 * The window is the first 2 MiB of the default machine's memory (PA
 * 0x40000000), so a page allocated low in memory can be mapped at its
 * own address (ipa == pa: stage-1 tables of a guest with its MMU on)
 * and guest pages at FG_GUEST_IPA(i), in the window's second MiB.
 *
 * Only vmsa/model.h is used (no test harness), so that bench/ can build
 * on it too: helpers report failure by their return value.
 */
#ifndef VMSA_TEST_MODEL_FIXTURE_GUEST_H
#define VMSA_TEST_MODEL_FIXTURE_GUEST_H

#include "vmsa/model.h"

#define FG_VMID 3u
/* VTCR_EL2: T0SZ = 32 (4 GiB of IPA), SL0 = 1 (start at level 1 with
 * 4K), TG0 = 4K, PS = 0b010 (40 bits). */
#define FG_VTCR (32ull | (1ull << 6) | (2ull << 16))
#define FG_HCR_RW (1ull << 31)			/* EL1 is AArch64 */
#define FG_IPA_WINDOW 0x40000000ull
#define FG_GUEST_IPA(i) (FG_IPA_WINDOW + 0x100000ull + 0x1000ull * (i))

/* Stage-2 MemAttr values: Normal WB (without FWB), and with FEAT_S2FWB
 * 0b0110, "Normal Write-Back whatever stage 1 says". */
#define FG_S2_WB VMSA_S2_MEMATTR_NORMAL_WB
#define FG_S2_FWB_FORCE_WB 0x6u

struct fg {
	vmsa_machine_t *m;
	vmsa_pa_t l1, l2, l3;	/* stage-2 tables */
};

/* A machine with the defaults, ncpus CPUs and FEAT_S2FWB as given;
 * NULL when the features are refused. */
static inline vmsa_machine_t *fg_machine(unsigned ncpus, bool s2fwb)
{
	vmsa_features_t f = vmsa_features_default();

	f.ncpus = ncpus;
	f.s2fwb = s2fwb;
	return vmsa_machine_new(&f, NULL);
}

/* A stage-2 level-3 page descriptor: RW, Inner Shareable, AF set. */
static inline uint64_t fg_s2_desc(vmsa_pa_t pa, unsigned memattr)
{
	return vmsa_desc_make_s2_leaf(pa, 3, VMSA_GRANULE_4K, memattr,
				      VMSA_S2AP_RW, VMSA_SH_ISH, true);
}

/* Allocate and link the stage-2 tables (set-up: not steps). */
static inline bool fg_tables(struct fg *g)
{
	vmsa_machine_t *m = g->m;

	g->l1 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	g->l2 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	g->l3 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	if (g->l1 == VMSA_BAD_PA || g->l2 == VMSA_BAD_PA ||
	    g->l3 == VMSA_BAD_PA)
		return false;
	/* IPA bits [31:30] index level 1, [29:21] level 2. */
	vmsa_desc_write_pa(m, VMSA_SETUP, g->l1 + 8 * (FG_IPA_WINDOW >> 30),
			   vmsa_desc_make_table(g->l2, VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP,
			   g->l2 + 8 * ((FG_IPA_WINDOW >> 21) & 511),
			   vmsa_desc_make_table(g->l3, VMSA_GRANULE_4K));
	return true;
}

/* PA of the stage-2 level-3 descriptor for ipa (inside the window). */
static inline vmsa_pa_t fg_s2_pte(const struct fg *g, vmsa_ipa_t ipa)
{
	return g->l3 + 8 * ((ipa >> 12) & 511);
}

/* Map ipa -> pa at stage 2 (set-up write). */
static inline void fg_s2_map(struct fg *g, vmsa_ipa_t ipa, vmsa_pa_t pa,
			     unsigned memattr)
{
	vmsa_desc_write_pa(g->m, VMSA_SETUP, fg_s2_pte(g, ipa),
			   fg_s2_desc(pa, memattr));
}

/*
 * CPU cpu (at EL2) becomes the guest: stage 2 on (HCR_EL2.VM, RW, and
 * `hcr_extra`: DC, FWB ...), SCTLR_EL1 = sctlr_el1, then ERET to EL1.
 * The stage-1 registers (TCR/TTBR0/MAIR_EL1) are the caller's, before.
 */
static inline void fg_enter_guest(struct fg *g, int cpu, uint64_t hcr_extra,
				  uint64_t sctlr_el1)
{
	vmsa_machine_t *m = g->m;

	vmsa_msr(m, cpu, VMSA_REG_VTCR_EL2, FG_VTCR);
	vmsa_msr(m, cpu, VMSA_REG_VTTBR_EL2, g->l1 | (uint64_t)FG_VMID << 48);
	vmsa_msr(m, cpu, VMSA_REG_HCR_EL2,
		 VMSA_HCR_VM | FG_HCR_RW | hcr_extra);
	vmsa_msr(m, cpu, VMSA_REG_SCTLR_EL1, sctlr_el1);
	vmsa_eret(m, cpu, 1);
}

#endif
