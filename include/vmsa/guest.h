/*
 * vmsa/guest.h - ready-made software for scenarios to run on the model:
 * a kernel (an OS at EL1&0 with its own stage-1 tables) and a VM (a guest
 * kernel under a hypervisor's stage 2), with the set-up, register values,
 * TLB maintenance and fault handlers the bundled scenarios use. A
 * scenario about one sequence of descriptor writes and barriers needs
 * only that sequence of its own; everything around it is here.
 *
 * Both keep what set-up chose (table and page addresses) at the start of
 * the run data (vmsa_run_data()). A scenario with data of its own puts
 * the struct first in its own:
 *
 *	struct mine { struct vmsa_kernel k; vmsa_pa_t extra; };
 *
 * The kernel: 4K granule, 39-bit VA (TTBR0 only, start level 1), ASID
 * VMSA_KERNEL_ASID, MAIR attribute 0 Normal Write-Back and 1 Device; one
 * level-1, level-2 and level-3 table map the 2M at VA 0, with
 * VMSA_KERNEL_VA -> page[0] and VMSA_KERNEL_VA_NEW unmapped.
 *
 * The VM: stage 2 for VMID VMSA_GUEST_VMID (4K granule, 32-bit IPA, start
 * level 1) maps guest RAM at VMSA_GUEST_IPA_RAM through one level-3
 * table; the guest's own stage-1 tables (the kernel layout above) are in
 * guest memory, their table descriptors holding IPAs:
 *	VMSA_GUEST_IPA_RAM + 0, 4K, 8K   the guest's L1, L2, L3 -> tab[0..2]
 *	VMSA_GUEST_IPA_PAGE              VA VMSA_KERNEL_VA in the guest;
 *	                                 -> page[0] when set-up maps it
 * page[0] holds 0xa0 and page[1] 0xa1 at offset 0, for both.
 *
 * docs/explorer.md walks through a scenario built with these.
 */
#ifndef VMSA_GUEST_H
#define VMSA_GUEST_H

#include "vmsa/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* libvmsa is built with -fvisibility=hidden: what this header declares
 * is the exported API (docs: README, "Using the library"). */
#pragma GCC visibility push(default)

/* ---------------------------------------------------------------------
 * A kernel at EL1&0
 * ------------------------------------------------------------------- */

#define VMSA_KERNEL_ASID 1u
/* TCR_EL1: T0SZ 25 (39-bit VA), 4K, TTBR1 walks off, 40-bit IPA. */
#define VMSA_KERNEL_TCR (VMSA_TCR_T0SZ(25) | VMSA_TCR_TG0_4K | \
			 VMSA_TCR_EPD1 | VMSA_TCR_IPS(VMSA_PS_40))
/* MAIR_EL1: 0 Normal Write-Back, 1 Device-nGnRnE. */
#define VMSA_KERNEL_MAIR (VMSA_MAIR(0, VMSA_MAIR_NORMAL_WB) | \
			  VMSA_MAIR(1, VMSA_MAIR_DEVICE_nGnRnE))
#define VMSA_KERNEL_VA 0x1000ull     /* mapped to page[0] at set-up */
#define VMSA_KERNEL_VA_NEW 0x2000ull /* unmapped at set-up */

/* What vmsa_kernel_setup() leaves at the start of the run data. */
struct vmsa_kernel {
	vmsa_pa_t l1, l2, l3;   /* the translation tables */
	vmsa_pa_t page[2];      /* data pages: 0xa0, 0xa1 at offset 0 */
	vmsa_pa_t flag;         /* a zeroed word, for "CPU n is done" */
};

/* The kernel of this execution: the start of vmsa_run_data(r). */
struct vmsa_kernel *vmsa_kernel_of(vmsa_run_t *r);

/* A level-3 page descriptor of the kernel's mapping for pa: AttrIndx 0
 * (Normal Write-Back), EL1 read-write, Inner Shareable, AF set. */
uint64_t vmsa_kernel_pte(vmsa_pa_t pa);

/* A level-2 2M block descriptor with the same attributes (pa 2M
 * aligned). */
uint64_t vmsa_kernel_block(vmsa_pa_t pa);

/* PA of the level-3 descriptor of va (inside the 2M at VA 0). */
vmsa_pa_t vmsa_kernel_pte_pa(const struct vmsa_kernel *k, vmsa_va_t va);

/* Set-up (CPU VMSA_SETUP): allocates the three tables, two data pages and
 * the flag page, links the tables, maps VMSA_KERNEL_VA to page[0] and
 * writes 0xa0 and 0xa1 to the pages. Six pages, lowest first. */
void vmsa_kernel_setup(vmsa_run_t *r);

/* On CPU cpu (at EL2): MAIR_EL1, TCR_EL1, TTBR0_EL1 (the kernel's L1 and
 * ASID), SCTLR_EL1.M = 1, then ERET to EL1. Five steps; from the ERET on,
 * the kernel's translations may be in cpu's TLB (RNRJPP). Also callable
 * from set-up, after vmsa_kernel_setup(), for a CPU already running in
 * the kernel when the scenario's code starts: the snapshot of set-up
 * keeps the steps (docs/model.md, "Set-up is restored exactly") and the
 * CPU's code starts at EL1 (docs/explorer.md, "Readers in the kernel
 * from set-up"). */
void vmsa_kernel_enter(vmsa_run_t *r, vmsa_cpu_t cpu);

/* TLBI RVAAE1IS for the 2M at VA 0 (needs FEAT_TLBIRANGE): every entry
 * of the range, any level and ASID, walk caches included, as Linux's
 * flush_tlb_kernel_range() with range operations. One step. */
void vmsa_kernel_tlbi_2m(vmsa_run_t *r, vmsa_cpu_t cpu);

/* TLBI `type` (a VA form: VAE1, VALE1, VAAE1 ...) with shareability sh
 * for va in the kernel's ASID, with no level hint. One step. */
void vmsa_kernel_tlbi_va(vmsa_run_t *r, vmsa_cpu_t cpu,
			 vmsa_tlbi_type_t type, vmsa_tlbi_shareability_t sh,
			 vmsa_va_t va);

/* The CPU changing the tables is done (call it after its last DSB): the
 * flag goes to 1 (a cacheable physical write, one step). */
void vmsa_kernel_remap_done(vmsa_run_t *r, vmsa_cpu_t cpu);

/* An EL1 fault handler (.handler[cpu][1]) that waits until the flag is 1,
 * as a kernel's fault path waits on the lock of the CPU changing the
 * table; on return the faulting access is retried. arg is the run. */
void vmsa_kernel_wait_remapped(vmsa_machine_t *m, vmsa_cpu_t cpu,
			       const struct vmsa_exception *e, void *arg);

/* ---------------------------------------------------------------------
 * A VM under a hypervisor
 * ------------------------------------------------------------------- */

#define VMSA_GUEST_VMID 5u
/* VTCR_EL2: 32-bit IPA, start level 1, walks Inner/Outer Write-Back
 * Inner Shareable, 4K, 40-bit PA. */
#define VMSA_GUEST_VTCR (VMSA_VTCR_T0SZ(32) | VMSA_VTCR_SL0(1) | \
			 VMSA_VTCR_IRGN0_WB | VMSA_VTCR_ORGN0_WB | \
			 VMSA_VTCR_SH0_ISH | VMSA_VTCR_TG0_4K | \
			 VMSA_VTCR_PS(VMSA_PS_40))
/* HCR_EL2 while the guest runs: stage 2 on, EL1 AArch64 (DC = 0). */
#define VMSA_GUEST_HCR (VMSA_HCR_VM | VMSA_HCR_RW)
#define VMSA_GUEST_IPA_RAM 0x80000000ull
#define VMSA_GUEST_IPA_PAGE (VMSA_GUEST_IPA_RAM + 0x10000ull)

/* What vmsa_guest_setup() leaves at the start of the run data. */
struct vmsa_guest {
	vmsa_pa_t s2_l1, s2_l2, s2_l3;  /* the hypervisor's stage-2 tables */
	vmsa_pa_t tab[3];               /* the guest's L1, L2, L3 (host PAs) */
	vmsa_pa_t page[2];              /* host pages for VMSA_GUEST_IPA_PAGE */
	vmsa_pa_t flag;                 /* a zeroed word: hypervisor done */
	bool fwb;                       /* the configuration has FEAT_S2FWB:
					   the hypervisor sets HCR_EL2.FWB
					   and forces Write-Back */
};

/* The VM of this execution: the start of vmsa_run_data(r). */
struct vmsa_guest *vmsa_guest_of(vmsa_run_t *r);

/* A stage-2 level-3 page descriptor for guest RAM at host pa: Normal
 * Write-Back (forced with FWB when g->fwb), S2AP RW, Inner Shareable, AF
 * set. */
uint64_t vmsa_guest_s2_pte(const struct vmsa_guest *g, vmsa_pa_t pa);

/* PA of the stage-2 level-3 descriptor of ipa (inside the first 2M of
 * guest RAM). */
vmsa_pa_t vmsa_guest_s2_pte_pa(const struct vmsa_guest *g, vmsa_ipa_t ipa);

/* Set-up (CPU VMSA_SETUP): the stage-2 tables, the guest's stage-1
 * tables mapping VA VMSA_KERNEL_VA to VMSA_GUEST_IPA_PAGE, two host pages
 * and a flag; with map_page, VMSA_GUEST_IPA_PAGE is mapped to page[0] at
 * stage 2 (otherwise the hypervisor maps it later). g->fwb is set from
 * the configuration's FEAT_S2FWB. Nine pages, lowest first. */
void vmsa_guest_setup(vmsa_run_t *r, bool map_page);

/* On the hypervisor's CPU (at EL2): VTCR_EL2 and VTTBR_EL2 (the VM's
 * stage-2 root and VMID), as KVM's __load_stage2() before TLB
 * maintenance for the VM: TLBIs by IPA and VMALLE1 act on the VMID in
 * VTTBR_EL2. Two steps; the guest's translations are not cached on cpu
 * by this (RNRJPP). */
void vmsa_guest_hyp_load(vmsa_run_t *r, vmsa_cpu_t cpu);

/* On cpu (at EL2), run the guest: with s1 its EL1 registers (MAIR_EL1,
 * TCR_EL1, TTBR0_EL1 = VMSA_GUEST_IPA_RAM, its tables in guest memory)
 * and SCTLR_EL1.M = 1, else SCTLR_EL1.M = 0 (the guest's MMU off); the
 * stage-2 registers (vmsa_guest_hyp_load()); HCR_EL2 = VMSA_GUEST_HCR,
 * plus FWB when g->fwb; then ERET to EL1. From the ERET on, the guest's
 * translations may be in cpu's TLB. Also callable from set-up, after
 * vmsa_guest_setup(), for a guest already running when the scenario's
 * code starts (as vmsa_kernel_enter(); vmsa_guest_hyp_load() too). */
void vmsa_guest_enter(vmsa_run_t *r, vmsa_cpu_t cpu, bool s1);

/* A broadcast TLBI for the VM on the hypervisor's CPU: `type` with the
 * IS suffix and operand ipa (IPAS2E1, RIPAS2E1 ...; ignored by VMALLE1,
 * VMALLS12E1), no level hint. One step. */
void vmsa_guest_tlbi(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_tlbi_type_t type,
		     vmsa_ipa_t ipa);

/* The hypervisor is done (after its last DSB): the flag goes to 1. */
void vmsa_guest_hyp_done(vmsa_run_t *r, vmsa_cpu_t cpu);

/* The hypervisor's stage-2 fault handler on a guest's CPU
 * (.handler[cpu][2]): waits until the flag is 1, as KVM's fault path
 * waits for the MMU lock, then returns to the guest, which retries the
 * access. arg is the run. */
void vmsa_guest_wait_hyp(vmsa_machine_t *m, vmsa_cpu_t cpu,
			 const struct vmsa_exception *e, void *arg);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif
