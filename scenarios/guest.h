/*
 * scenarios/guest.h - shared set-up for the bundled scenarios with a
 * guest: a hypervisor's stage-2 tables for one VM (4K granule, 32-bit IPA,
 * start level 1), the guest's own stage-1 tables in guest memory (the
 * common.h kernel layout, its table addresses IPAs), and helpers to run a
 * CPU as the hypervisor at EL2 or as the guest at EL1.
 *
 * Guest physical layout (IPA -> host PA, one stage-2 level-3 table):
 *	G_IPA_RAM + 0, 4K, 8K	the guest's stage-1 L1, L2, L3 -> tab[0..2]
 *	G_IPA_PAGE		the guest page, VA K_VA in the guest -> page[0]
 *				(when set-up maps it)
 * page[0] holds 0xa0 and page[1] 0xa1 at offset 0, as in common.h.
 */
#ifndef VMSA_SCENARIOS_GUEST_H
#define VMSA_SCENARIOS_GUEST_H

#include "common.h"

#define G_VMID 5u
/* VTCR_EL2: T0SZ 32 (4 GiB of IPA), SL0 1 (4K: start at level 1), walks
 * Inner/Outer Write-Back Inner Shareable, TG0 4K, PS 0b010 (40 bits). */
#define G_VTCR (32ull | (1ull << 6) | (1ull << 8) | (1ull << 10) | \
		(3ull << 12) | (2ull << 16))
#define G_HCR_RW (1ull << 31)                /* EL1 is AArch64 */
#define G_HCR (VMSA_HCR_VM | G_HCR_RW)       /* stage 2 on, DC = 0 */
#define G_IPA_RAM 0x80000000ull
#define G_IPA_PAGE (G_IPA_RAM + 0x10000ull)

/* What set-up leaves for the CPUs in vmsa_run_data(). */
struct guest {
	vmsa_pa_t s2_l1, s2_l2, s2_l3;  /* the hypervisor's stage-2 tables */
	vmsa_pa_t tab[3];               /* the guest's L1, L2, L3 (host PAs) */
	vmsa_pa_t page[2];              /* host pages for G_IPA_PAGE */
	vmsa_pa_t flag;                 /* a zeroed word: hypervisor done */
	bool fwb;                       /* FEAT_S2FWB: the hypervisor sets
					   HCR_EL2.FWB and forces Write-Back */
};

static inline struct guest *guest_of(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

/* Stage-2 MemAttr 0b0110 with HCR_EL2.FWB = 1: Normal Write-Back
 * whatever stage 1 says (D8.6.6), KVM's choice when it has FEAT_S2FWB. */
#define G_S2_FWB_NORMAL 0x6u

/* A stage-2 page descriptor for guest RAM: Normal Write-Back (forced
 * with FWB), RW, Inner Shareable, AF set. */
static inline uint64_t guest_s2_pte(const struct guest *g, vmsa_pa_t pa)
{
	return vmsa_desc_make_s2_leaf(pa, 3, VMSA_GRANULE_4K,
				      g->fwb ? G_S2_FWB_NORMAL :
					       VMSA_S2_MEMATTR_NORMAL_WB,
				      VMSA_S2AP_RW, VMSA_SH_ISH, true);
}

/* PA of the stage-2 level-3 descriptor of ipa (inside the first 2M of
 * guest RAM). */
static inline vmsa_pa_t guest_s2_pte_pa(const struct guest *g,
					vmsa_ipa_t ipa)
{
	return g->s2_l3 + 8 * ((ipa >> 12) & 511);
}

/*
 * Set-up: the stage-2 tables, the guest's stage-1 tables mapping K_VA to
 * G_IPA_PAGE, two host pages and a flag. map_page: G_IPA_PAGE is mapped
 * to page[0] at stage 2; otherwise the hypervisor maps it later. With
 * FEAT_S2FWB in the configuration the hypervisor uses it.
 */
static inline void guest_setup(vmsa_run_t *r, bool map_page)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct guest *g = guest_of(r);

	g->s2_l1 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	g->s2_l2 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	g->s2_l3 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	for (unsigned i = 0; i < 3; i++)
		g->tab[i] = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	g->page[0] = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	g->page[1] = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	g->flag = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	g->fwb = vmsa_run_features(r)->s2fwb;

	/* Stage 2: IPA bits [31:30] index level 1, [29:21] level 2. */
	vmsa_desc_write_pa(m, VMSA_SETUP, g->s2_l1 + 8 * (G_IPA_RAM >> 30),
			   vmsa_desc_make_table(g->s2_l2, VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP,
			   g->s2_l2 + 8 * ((G_IPA_RAM >> 21) & 511),
			   vmsa_desc_make_table(g->s2_l3, VMSA_GRANULE_4K));
	for (unsigned i = 0; i < 3; i++)
		vmsa_desc_write_pa(m, VMSA_SETUP,
				   guest_s2_pte_pa(g, G_IPA_RAM + 0x1000 * i),
				   guest_s2_pte(g, g->tab[i]));
	if (map_page)
		vmsa_desc_write_pa(m, VMSA_SETUP,
				   guest_s2_pte_pa(g, G_IPA_PAGE),
				   guest_s2_pte(g, g->page[0]));

	/* The guest's stage 1, written by the guest in its own memory: table
	 * descriptors hold IPAs. */
	vmsa_desc_write_pa(m, VMSA_SETUP, g->tab[0],
			   vmsa_desc_make_table(G_IPA_RAM + 0x1000,
						VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, g->tab[1],
			   vmsa_desc_make_table(G_IPA_RAM + 0x2000,
						VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, g->tab[2] + 8 * ((K_VA >> 12) & 511),
			   kernel_pte(G_IPA_PAGE));

	vmsa_phys_write(m, VMSA_SETUP, g->page[0], 8, 0xa0, true);
	vmsa_phys_write(m, VMSA_SETUP, g->page[1], 8, 0xa1, true);
}

/* The hypervisor on cpu (at EL2) loads the VM's stage-2 registers, as
 * KVM's __load_stage2() does before TLB maintenance for the VM: TLBIs
 * by IPA and VMALLE1 act on the VMID in VTTBR_EL2. Writing them at EL2
 * does not make the guest's translations cached there (RNRJPP). */
static inline void guest_hyp_load(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	vmsa_msr(m, cpu, VMSA_REG_VTCR_EL2, G_VTCR);
	vmsa_msr(m, cpu, VMSA_REG_VTTBR_EL2,
		 guest_of(r)->s2_l1 | (uint64_t)G_VMID << 48);
}

/*
 * cpu (at EL2) runs the guest: the guest's EL1 registers (stage 1 on with
 * its tables in guest memory when s1, else SCTLR_EL1.M = 0: the guest's
 * MMU is off), stage 2 on (HCR_EL2.FWB too when the hypervisor uses
 * FEAT_S2FWB), then ERET to EL1. From the ERET on, the
 * guest's translations may be cached on cpu.
 */
static inline void guest_enter(vmsa_run_t *r, vmsa_cpu_t cpu, bool s1)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	if (s1) {
		vmsa_msr(m, cpu, VMSA_REG_MAIR_EL1, K_MAIR);
		vmsa_msr(m, cpu, VMSA_REG_TCR_EL1, K_TCR);
		vmsa_msr(m, cpu, VMSA_REG_TTBR0_EL1,
			 G_IPA_RAM | (uint64_t)K_ASID << 48);
	}
	vmsa_msr(m, cpu, VMSA_REG_SCTLR_EL1, s1 ? 1 : 0);
	guest_hyp_load(r, cpu);
	vmsa_msr(m, cpu, VMSA_REG_HCR_EL2,
		 G_HCR | (guest_of(r)->fwb ? VMSA_HCR_FWB : 0));
	vmsa_eret(m, cpu, 1);
}

/* A TLBI for the VM on the hypervisor's CPU: by IPA (IPAS2E1*) or with
 * no operand (VMALLE1*, VMALLS12E1*). */
static inline void guest_tlbi(vmsa_run_t *r, vmsa_cpu_t cpu,
			      vmsa_tlbi_type_t type, vmsa_ipa_t ipa)
{
	vmsa_tlbi_op_t op = {.type = type, .sh = VMSA_TLBI_IS};

	vmsa_tlbi(vmsa_run_machine(r), cpu, op,
		  vmsa_tlbi_ipa(ipa, VMSA_GRANULE_4K, -1));
}

/* The hypervisor is done (after its last DSB): the flag goes to 1. */
static inline void guest_hyp_done(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_phys_write(vmsa_run_machine(r), cpu, guest_of(r)->flag, 8, 1,
			true);
}

/*
 * The hypervisor's stage-2 fault handler on a guest's CPU (EL2): a
 * stage-2 fault on an IPA that another CPU is changing waits until that
 * CPU is done, as KVM's fault path waits for the MMU lock, and returns
 * to the guest, which retries the access. A fault on an IPA that is
 * mapped by then is spurious: returning is all it needs.
 */
static inline void guest_wait_hyp(vmsa_machine_t *m, vmsa_cpu_t cpu,
				  const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;

	(void)m;
	(void)e;
	vmsa_wait_eq(r, cpu, guest_of(r)->flag, ~0ull, 1);
}

#endif
