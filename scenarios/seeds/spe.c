/*
 * scenarios/seeds/spe.c - Seed 002: the SPE profiling buffer of a guest
 * and stage-2 faults (docs/seeds.md, "Seed 002"; ARCH-RULES.md section 9;
 * Arm ARM D17.7, D17.8, D24.7).
 *
 * One vCPU (CPU0) on the hypervisor core (vmsa/hyp.h) with the SPE
 * buffer handling of src/hyp/spe.c. The guest has its own stage 1 (4K,
 * 39-bit VA, three levels) in its memslot:
 *	memslot page 0, 1, 2   the guest's L1, L2, L3 tables
 *	memslot page 3         user data: VA 0x1000, EL0 read-write
 *	memslot page 4, 5      buffer pages A and B
 *	VA 0x2000              the guest's L3 table (so it can change it)
 *	VA 0x10000             the buffer: page A, then page B
 * Stage 2 maps pages 0 to 3 at set-up (pin-all: all six); page 5 has no
 * host page until something maps it.
 *
 * The guest kernel (EL1) sets PMSCR_EL1.E0SPE (EL0 profiling only),
 * PMBPTR_EL1 = VA 0x10000 and PMBLIMITR_EL1 = 0x11000 | E; with profiling
 * off at EL1 it moves its buffer VA from page A to page B (break, TLBI
 * VAE1IS, DSB, make: its own tables, nothing the manual forbids while the
 * buffer is enabled: D17.7.1 RVGJHQ makes the buffer's translation that
 * of any VA of the regime, and no rule of D17.4-D17.9 restricts changing
 * it while profiling is disabled), and returns to EL0, which enables
 * profiling. EL0 reads its data (a sampled load: the profiling unit
 * writes the record to VA 0x10000 in the next step), then makes a
 * system call (SVC, taken to the guest's EL1, whose handler is the guest
 * kernel) in which the kernel reads PMBSR_EL1 and
 * checks that it shows no stage-2 buffer fault; twice. The final check:
 * a record reached the guest's buffer page B.
 */
#include <stdint.h>

#include "vmsa/hyp.h"

#define VA_USER 0x1000ull
#define VA_L3 0x2000ull
#define VA_BUF 0x10000ull
#define BUF_PAGE_A 4u
#define BUF_PAGE_B 5u
#define SLOT_PAGES 6u

struct spe_run {
	vmsa_hyp_vm_t vm;       /* first: vmsa_hyp_vm_of() */
	unsigned mode;          /* VMSA_HYP_SPE_* */
};

static uint64_t slot_ipa(const vmsa_hyp_vm_t *vm, unsigned i)
{
	return vm->cfg.slot_ipa + (uint64_t)i * VMSA_HYP_PAGE;
}

static uint64_t s1_page(uint64_t ipa, unsigned ap)
{
	return vmsa_desc_make_s1_leaf(ipa, 3, VMSA_GRANULE_4K, 0, ap,
				      VMSA_SH_ISH, true);
}

/* Set-up: the VM, the guest's stage 1 in its memslot, the SPE handling. */
static void setup_mode(vmsa_run_t *r, unsigned mode, bool pin_all)
{
	struct spe_run *d = vmsa_run_data(r);
	vmsa_hyp_vm_cfg_t c = vmsa_hyp_vm_cfg_default();
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_hyp_vm_t *vm;
	vmsa_pa_t l1, l2, l3;

	c.guest_s1 = false;
	c.slot_pages = SLOT_PAGES;
	c.slot_alloc = pin_all ? SLOT_PAGES : BUF_PAGE_B;
	c.slot_map = pin_all ? SLOT_PAGES : BUF_PAGE_A;
	/* Physical IRQs (PMBIRQ) to EL2, as KVM runs its guests. */
	c.hcr_set = VMSA_HCR_IMO;
	vm = vmsa_hyp_vm_setup(r, &c);
	if (!vm)
		return;
	d->mode = mode;
	l1 = vmsa_hyp_slot_peek(vm, 0);
	l2 = vmsa_hyp_slot_peek(vm, 1);
	l3 = vmsa_hyp_slot_peek(vm, 2);
	vmsa_desc_write_pa(m, VMSA_SETUP, l1,
			   vmsa_desc_make_table(slot_ipa(vm, 1),
						VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, l2,
			   vmsa_desc_make_table(slot_ipa(vm, 2),
						VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, l3 + 8 * (VA_USER >> 12),
			   s1_page(slot_ipa(vm, 3), VMSA_AP_RW_ALL));
	vmsa_desc_write_pa(m, VMSA_SETUP, l3 + 8 * (VA_L3 >> 12),
			   s1_page(slot_ipa(vm, 2), VMSA_AP_RW_EL1));
	vmsa_desc_write_pa(m, VMSA_SETUP, l3 + 8 * (VA_BUF >> 12),
			   s1_page(slot_ipa(vm, BUF_PAGE_A), VMSA_AP_RW_EL1));
	if (vmsa_hyp_spe_setup(vm, mode))
		vmsa_assert(r, VMSA_SETUP, false, "vmsa_hyp_spe_setup failed");
}

/* The guest kernel's system call handler (EL1): it reads its buffer's
 * status. */
static void guest_kernel(vmsa_machine_t *m, vmsa_cpu_t cpu,
			 const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;
	uint64_t sr;

	if (!e || e->type != VMSA_EXC_SVC || e->from_el != 0) {
		vmsa_assert(r, cpu, false, "guest: unexpected exception");
		return;
	}
	sr = vmsa_mrs(m, cpu, VMSA_REG_PMBSR_EL1);
	vmsa_assert(r, cpu,
		    !((sr & VMSA_PMBSR_S) &&
		      VMSA_PMBSR_EC(sr) == VMSA_PMBSR_EC_S2),
		    "guest sees a stage-2 buffer fault / records lost");
}

static void vcpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	struct spe_run *d = vmsa_run_data(r);
	vmsa_hyp_vm_t *vm = &d->vm;
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t pte_va = VA_L3 + 8 * (VA_BUF >> 12), v;

	/* The hypervisor: the guest's EL1 registers (its own stage 1), the
	 * SPE traps, then the guest at EL1. */
	vmsa_msr(m, cpu, VMSA_REG_MAIR_EL1, VMSA_KERNEL_MAIR);
	vmsa_msr(m, cpu, VMSA_REG_TCR_EL1, VMSA_KERNEL_TCR);
	vmsa_msr(m, cpu, VMSA_REG_TTBR0_EL1,
		 VMSA_TTBR(slot_ipa(vm, 0), VMSA_KERNEL_ASID));
	vmsa_msr(m, cpu, VMSA_REG_SCTLR_EL1, VMSA_SCTLR_M);
	vmsa_hyp_spe_traps(vm, cpu, d->mode);
	vmsa_hyp_vcpu_enter(vm, cpu, 0);

	/* The guest kernel enables its buffer for EL0 profiling ... */
	vmsa_msr(m, cpu, VMSA_REG_PMSCR_EL1, VMSA_PMSCR_E0SPE);
	vmsa_msr(m, cpu, VMSA_REG_PMBPTR_EL1, VA_BUF);
	vmsa_msr(m, cpu, VMSA_REG_PMBLIMITR_EL1,
		 (VA_BUF + VMSA_HYP_PAGE) | VMSA_PMBLIMITR_E);
	/* ... moves the buffer's VA from page A to page B with
	 * break-before-make (profiling is off at EL1) ... */
	vmsa_write(m, cpu, pte_va, 8, 0);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_kernel_tlbi_va(r, cpu, VMSA_TLBI_VAE1, VMSA_TLBI_IS, VA_BUF);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_write(m, cpu, pte_va, 8,
		   s1_page(slot_ipa(vm, BUF_PAGE_B), VMSA_AP_RW_EL1));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	/* ... and returns to user space, which enables profiling. */
	vmsa_eret(m, cpu, 0);
	for (unsigned i = 0; i < 2 && !vmsa_stopped(m); i++) {
		vmsa_read(m, cpu, VA_USER, 8, &v);
		vmsa_svc(m, cpu, false, 0); /* the system call */
	}
}

/* A record reached the guest's buffer page B: its first word is the
 * sampled VA. */
static void check(vmsa_run_t *r)
{
	struct spe_run *d = vmsa_run_data(r);
	vmsa_pa_t b = vmsa_hyp_slot_peek(&d->vm, BUF_PAGE_B);
	const uint64_t *p = b ? vmsa_pa_cptr(d->vm.m, b) : NULL;

	vmsa_assert(r, VMSA_SETUP, p && p[0] == VA_USER,
		    "no record reached the guest's buffer");
}

static void setup_pin_enable(vmsa_run_t *r)
{
	setup_mode(r, VMSA_HYP_SPE_PIN_ENABLE, false);
}

static void setup_pin_eret(vmsa_run_t *r)
{
	setup_mode(r, VMSA_HYP_SPE_PIN_ENABLE | VMSA_HYP_SPE_PIN_ERET, false);
}

static void setup_translate(vmsa_run_t *r)
{
	setup_mode(r, VMSA_HYP_SPE_TRANSLATE, false);
}

static void setup_pin_all(vmsa_run_t *r)
{
	setup_mode(r, 0, true);
}

#define SPE_HANDLERS {[0] = {[1] = guest_kernel, [2] = vmsa_hyp_exit_handler}}

VMSA_SCENARIO(spe_pin_at_enable,
	.name = "spe/pin-at-enable",
	.doc = "the hypervisor pins the guest's SPE buffer at stage 2 when "
	       "the guest enables it (trapped PMBLIMITR_EL1 write); the guest "
	       "then moves its buffer VA to another page with profiling off "
	       "and returns to EL0: the profiling unit's write takes a "
	       "stage-2 fault, a buffer management event in the guest's "
	       "PMBSR_EL1 (D17.8.3)",
	.setup = setup_pin_enable,
	.cpu = {vcpu},
	.check = check,
	.handler = SPE_HANDLERS,
	.configs = {{.name = "default", .expect = "assert"}});

VMSA_SCENARIO(spe_pin_at_enable_fgt,
	.name = "spe/pin-at-enable-fgt",
	.doc = "as spe/pin-at-enable, and the guest's ERET is trapped "
	       "(FEAT_FGT, HFGITR_EL2.ERET) where the hypervisor pins the "
	       "buffer again before completing the ERET",
	.setup = setup_pin_eret,
	.cpu = {vcpu},
	.check = check,
	.handler = SPE_HANDLERS,
	/* Without FEAT_FGT there is no HFGITR_EL2 to trap the ERET with:
	 * the hypervisor's set-up of the trap fails ("assert"). */
	.configs = {{.name = "fgt", .expect = "safe"},
		    {.name = "default", .expect = "assert"}});

VMSA_SCENARIO(spe_translate_on_fault,
	.name = "spe/translate-on-fault",
	.doc = "no pinning: on a stage-2 buffer management event the "
	       "hypervisor walks the guest's stage 1 for PMBPTR_EL1, maps the "
	       "IPA, clears the event and restarts profiling before the "
	       "guest can read PMBSR_EL1 (at every exit, and at the trapped "
	       "read itself); the faulting record is lost without the guest "
	       "knowing",
	.setup = setup_translate,
	.cpu = {vcpu},
	.check = check,
	.handler = SPE_HANDLERS,
	.configs = {{.name = "default", .expect = "safe"}});

VMSA_SCENARIO(spe_pin_all,
	.name = "spe/pin-all",
	.doc = "all guest memory allocated and mapped at stage 2 before the "
	       "guest runs, no SPE traps (E2PB = 0b11): stage-2 cost: every "
	       "page of guest RAM (6 pages here, all of it for the VM's life, "
	       "against the 4 the guest touches) plus the tables mapping it",
	.setup = setup_pin_all,
	.cpu = {vcpu},
	.check = check,
	.handler = SPE_HANDLERS,
	.configs = {{.name = "default", .expect = "safe"}});
