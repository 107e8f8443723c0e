/*
 * scenarios/common.h - shared set-up for the bundled scenarios: a kernel's
 * stage-1 EL1&0 tables (4K granule, 39-bit VA, start level 1) mapping the
 * 2M at VA 0 through one level-3 table, and helpers to run CPUs at EL1.
 */
#ifndef VMSA_SCENARIOS_COMMON_H
#define VMSA_SCENARIOS_COMMON_H

#include "vmsa/scenario.h"

#define K_ASID 1u
#define K_TCR (25ull | (1ull << 23) | (2ull << 32)) /* T0SZ 25, EPD1, 40-bit */
#define K_MAIR 0x00ffull                           /* 0 NormalWB, 1 Device */
#define K_VA 0x1000ull                             /* the page remapped */
#define K_VA_NEW 0x2000ull                         /* unmapped at set-up */

/* What set-up leaves for the CPUs in vmsa_run_data(). */
struct kernel {
	vmsa_pa_t l1, l2, l3;   /* tables */
	vmsa_pa_t page[2];      /* data pages: 0xa0, 0xa1 at offset 0 */
	vmsa_pa_t flag;         /* a zeroed word for flags */
};

static inline struct kernel *kernel_of(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

static inline uint64_t kernel_pte(vmsa_pa_t pa)
{
	return vmsa_desc_make_s1_leaf(pa, 3, VMSA_GRANULE_4K, 0,
				      VMSA_AP_RW_EL1, VMSA_SH_ISH, true);
}

/* A 2M block of the kernel's mapping, level 2, same attributes. */
static inline uint64_t kernel_block(vmsa_pa_t pa)
{
	return vmsa_desc_make_s1_leaf(pa, 2, VMSA_GRANULE_4K, 0,
				      VMSA_AP_RW_EL1, VMSA_SH_ISH, true);
}

/* The level-3 descriptor of va. */
static inline vmsa_pa_t kernel_pte_pa(const struct kernel *k, uint64_t va)
{
	return k->l3 + 8 * ((va >> 12) & 511);
}

/* Set-up: tables, two data pages, K_VA -> page[0], a flag word. */
static inline void kernel_setup(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct kernel *k = kernel_of(r);

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
	vmsa_desc_write_pa(m, VMSA_SETUP, kernel_pte_pa(k, K_VA),
			   kernel_pte(k->page[0]));
	vmsa_phys_write(m, VMSA_SETUP, k->page[0], 8, 0xa0, true);
	vmsa_phys_write(m, VMSA_SETUP, k->page[1], 8, 0xa1, true);
}

/* CPU cpu turns its EL1&0 MMU on with the kernel tables and drops to EL1. */
static inline void kernel_enter(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct kernel *k = kernel_of(r);

	vmsa_msr(m, cpu, VMSA_REG_MAIR_EL1, K_MAIR);
	vmsa_msr(m, cpu, VMSA_REG_TCR_EL1, K_TCR);
	vmsa_msr(m, cpu, VMSA_REG_TTBR0_EL1,
		 k->l1 | (uint64_t)K_ASID << 48);
	vmsa_msr(m, cpu, VMSA_REG_SCTLR_EL1, 1);
	vmsa_eret(m, cpu, 1);
}

/* TLBI RVAAE1IS for the 2M at VA 0 (FEAT_TLBIRANGE): every entry, of
 * any level and ASID, walk caches included, for the range, as Linux's
 * flush_tlb_kernel_range() with range operations. 2M = (NUM + 1) *
 * 2^(5 * SCALE + 1) pages with SCALE 1, NUM 7. */
static inline void kernel_tlbi_2m(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_tlbi_op_t op = {.type = VMSA_TLBI_RVAAE1, .sh = VMSA_TLBI_IS};

	vmsa_tlbi(vmsa_run_machine(r), cpu, op,
		  vmsa_tlbi_range(0, 0, VMSA_GRANULE_4K, 1, 7, -1));
}

/* TLBI by VA of the kernel's ASID. */
static inline void kernel_tlbi_va(vmsa_run_t *r, vmsa_cpu_t cpu,
				  vmsa_tlbi_type_t type,
				  vmsa_tlbi_shareability_t sh, uint64_t va)
{
	vmsa_tlbi_op_t op = {.type = type, .sh = sh};

	vmsa_tlbi(vmsa_run_machine(r), cpu, op,
		  vmsa_tlbi_va(va, K_ASID, VMSA_GRANULE_4K, -1));
}

/* The remapping CPU is done (after its last DSB): the flag goes to 1. */
static inline void kernel_remap_done(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_phys_write(vmsa_run_machine(r), cpu, kernel_of(r)->flag, 8, 1,
			true);
}

/* An EL1 fault handler that waits until the remapping CPU is done, as a
 * kernel's fault path waits on the lock of the CPU changing the table;
 * then the faulting access is retried. */
static inline void kernel_wait_remapped(vmsa_machine_t *m, vmsa_cpu_t cpu,
					const struct vmsa_exception *e,
					void *arg)
{
	vmsa_run_t *r = arg;

	(void)m;
	(void)e;
	vmsa_wait_eq(r, cpu, kernel_of(r)->flag, ~0ull, 1);
}

#endif
