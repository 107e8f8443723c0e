/*
 * src/explore/guest.c - ready-made software for scenarios (vmsa/guest.h):
 * a kernel at EL1&0 and a VM under a hypervisor. Plain scenario code on
 * the public API, nothing the model does not offer every scenario: each
 * function is the sequence of operations its contract lists, so a
 * scenario using it explores exactly what it would with the operations
 * written out.
 */
#include "vmsa/guest.h"

/* ---------------------------------------------------------------------
 * The kernel
 * ------------------------------------------------------------------- */

struct vmsa_kernel *vmsa_kernel_of(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

uint64_t vmsa_kernel_pte(vmsa_pa_t pa)
{
	return vmsa_desc_make_s1_leaf(pa, 3, VMSA_GRANULE_4K, 0,
				      VMSA_AP_RW_EL1, VMSA_SH_ISH, true);
}

uint64_t vmsa_kernel_block(vmsa_pa_t pa)
{
	return vmsa_desc_make_s1_leaf(pa, 2, VMSA_GRANULE_4K, 0,
				      VMSA_AP_RW_EL1, VMSA_SH_ISH, true);
}

vmsa_pa_t vmsa_kernel_pte_pa(const struct vmsa_kernel *k, vmsa_va_t va)
{
	return k->l3 + 8 * ((va >> 12) & 511);
}

void vmsa_kernel_setup(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_kernel *k = vmsa_kernel_of(r);

	k->l1 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	k->l2 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	k->l3 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	k->page[0] = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	k->page[1] = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	k->flag = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	vmsa_desc_write_pa(m, VMSA_SETUP, k->l1,
			   vmsa_desc_make_table(k->l2, VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, k->l2,
			   vmsa_desc_make_table(k->l3, VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, vmsa_kernel_pte_pa(k, VMSA_KERNEL_VA),
			   vmsa_kernel_pte(k->page[0]));
	vmsa_phys_write(m, VMSA_SETUP, k->page[0], 8, 0xa0, true);
	vmsa_phys_write(m, VMSA_SETUP, k->page[1], 8, 0xa1, true);
}

void vmsa_kernel_enter(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_kernel *k = vmsa_kernel_of(r);

	vmsa_msr(m, cpu, VMSA_REG_MAIR_EL1, VMSA_KERNEL_MAIR);
	vmsa_msr(m, cpu, VMSA_REG_TCR_EL1, VMSA_KERNEL_TCR);
	vmsa_msr(m, cpu, VMSA_REG_TTBR0_EL1,
		 VMSA_TTBR(k->l1, VMSA_KERNEL_ASID));
	vmsa_msr(m, cpu, VMSA_REG_SCTLR_EL1, VMSA_SCTLR_M);
	vmsa_eret(m, cpu, 1);
}

/* 2M = (NUM + 1) * 2^(5 * SCALE + 1) pages with SCALE 1, NUM 7. */
void vmsa_kernel_tlbi_2m(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_tlbi_op_t op = {.type = VMSA_TLBI_RVAAE1, .sh = VMSA_TLBI_IS};

	vmsa_tlbi(vmsa_run_machine(r), cpu, op,
		  vmsa_tlbi_range(0, 0, VMSA_GRANULE_4K, 1, 7, -1));
}

void vmsa_kernel_tlbi_va(vmsa_run_t *r, vmsa_cpu_t cpu,
			 vmsa_tlbi_type_t type, vmsa_tlbi_shareability_t sh,
			 vmsa_va_t va)
{
	vmsa_tlbi_op_t op = {.type = type, .sh = sh};

	vmsa_tlbi(vmsa_run_machine(r), cpu, op,
		  vmsa_tlbi_va(va, VMSA_KERNEL_ASID, VMSA_GRANULE_4K, -1));
}

void vmsa_kernel_remap_done(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_phys_write(vmsa_run_machine(r), cpu, vmsa_kernel_of(r)->flag, 8,
			1, true);
}

void vmsa_kernel_wait_remapped(vmsa_machine_t *m, vmsa_cpu_t cpu,
			       const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;

	(void)m;
	(void)e;
	vmsa_wait_eq(r, cpu, vmsa_kernel_of(r)->flag, ~0ull, 1);
}

/* ---------------------------------------------------------------------
 * The VM
 * ------------------------------------------------------------------- */

struct vmsa_guest *vmsa_guest_of(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

uint64_t vmsa_guest_s2_pte(const struct vmsa_guest *g, vmsa_pa_t pa)
{
	return vmsa_desc_make_s2_leaf(pa, 3, VMSA_GRANULE_4K,
				      g->fwb ? VMSA_S2FWB_MEMATTR_NORMAL_WB :
					       VMSA_S2_MEMATTR_NORMAL_WB,
				      VMSA_S2AP_RW, VMSA_SH_ISH, true);
}

vmsa_pa_t vmsa_guest_s2_pte_pa(const struct vmsa_guest *g, vmsa_ipa_t ipa)
{
	return g->s2_l3 + 8 * ((ipa >> 12) & 511);
}

void vmsa_guest_setup(vmsa_run_t *r, bool map_page)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_guest *g = vmsa_guest_of(r);

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
	vmsa_desc_write_pa(m, VMSA_SETUP,
			   g->s2_l1 + 8 * (VMSA_GUEST_IPA_RAM >> 30),
			   vmsa_desc_make_table(g->s2_l2, VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP,
			   g->s2_l2 + 8 * ((VMSA_GUEST_IPA_RAM >> 21) & 511),
			   vmsa_desc_make_table(g->s2_l3, VMSA_GRANULE_4K));
	for (unsigned i = 0; i < 3; i++)
		vmsa_desc_write_pa(m, VMSA_SETUP,
				   vmsa_guest_s2_pte_pa(g, VMSA_GUEST_IPA_RAM +
							       0x1000 * i),
				   vmsa_guest_s2_pte(g, g->tab[i]));
	if (map_page)
		vmsa_desc_write_pa(m, VMSA_SETUP,
				   vmsa_guest_s2_pte_pa(g, VMSA_GUEST_IPA_PAGE),
				   vmsa_guest_s2_pte(g, g->page[0]));

	/* The guest's stage 1, written by the guest in its own memory: its
	 * table descriptors hold IPAs (a stage-1 table address is an IPA
	 * under stage 2), and so does its leaf. */
	vmsa_desc_write_pa(m, VMSA_SETUP, g->tab[0],
			   vmsa_desc_make_table(VMSA_GUEST_IPA_RAM + 0x1000,
						VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, g->tab[1],
			   vmsa_desc_make_table(VMSA_GUEST_IPA_RAM + 0x2000,
						VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP,
			   g->tab[2] + 8 * ((VMSA_KERNEL_VA >> 12) & 511),
			   vmsa_kernel_pte(VMSA_GUEST_IPA_PAGE));

	vmsa_phys_write(m, VMSA_SETUP, g->page[0], 8, 0xa0, true);
	vmsa_phys_write(m, VMSA_SETUP, g->page[1], 8, 0xa1, true);
}

void vmsa_guest_hyp_load(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	vmsa_msr(m, cpu, VMSA_REG_VTCR_EL2, VMSA_GUEST_VTCR);
	vmsa_msr(m, cpu, VMSA_REG_VTTBR_EL2,
		 VMSA_VTTBR(vmsa_guest_of(r)->s2_l1, VMSA_GUEST_VMID));
}

void vmsa_guest_enter(vmsa_run_t *r, vmsa_cpu_t cpu, bool s1)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	if (s1) {
		vmsa_msr(m, cpu, VMSA_REG_MAIR_EL1, VMSA_KERNEL_MAIR);
		vmsa_msr(m, cpu, VMSA_REG_TCR_EL1, VMSA_KERNEL_TCR);
		vmsa_msr(m, cpu, VMSA_REG_TTBR0_EL1,
			 VMSA_TTBR(VMSA_GUEST_IPA_RAM, VMSA_KERNEL_ASID));
	}
	vmsa_msr(m, cpu, VMSA_REG_SCTLR_EL1, s1 ? VMSA_SCTLR_M : 0);
	vmsa_guest_hyp_load(r, cpu);
	vmsa_msr(m, cpu, VMSA_REG_HCR_EL2,
		 VMSA_GUEST_HCR | (vmsa_guest_of(r)->fwb ? VMSA_HCR_FWB : 0));
	vmsa_eret(m, cpu, 1);
}

void vmsa_guest_tlbi(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_tlbi_type_t type,
		     vmsa_ipa_t ipa)
{
	vmsa_tlbi_op_t op = {.type = type, .sh = VMSA_TLBI_IS};

	vmsa_tlbi(vmsa_run_machine(r), cpu, op,
		  vmsa_tlbi_ipa(ipa, VMSA_GRANULE_4K, -1));
}

void vmsa_guest_hyp_done(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_phys_write(vmsa_run_machine(r), cpu, vmsa_guest_of(r)->flag, 8, 1,
			true);
}

void vmsa_guest_wait_hyp(vmsa_machine_t *m, vmsa_cpu_t cpu,
			 const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;

	(void)m;
	(void)e;
	vmsa_wait_eq(r, cpu, vmsa_guest_of(r)->flag, ~0ull, 1);
}
