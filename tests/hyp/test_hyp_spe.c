/*
 * tests/hyp/test_hyp_spe.c - the hypervisor's SPE buffer handling
 * (src/hyp/spe.c): the software walk of the guest's stage 1, mapping a
 * buffer IPA through the fault path, pinning, repairing a stage-2
 * management event, the traps it sets, and its set-up's checks. The
 * Seed 002 scenarios (scenarios/seeds/spe.c) run it end to end.
 *
 * The VM: a memslot of 6 pages at IPA 2M, pages 0-4 with a host page,
 * 0-3 mapped at stage 2; the guest's stage 1 in pages 0-2 (L1, L2, L3;
 * 39-bit VA) maps VA 0x1000 -> page 3, VA 0x10000 -> page 5 (no host
 * page yet) and VA 0x11000 -> page 4. CPU0 runs at EL2 with the guest's
 * EL1 registers loaded, as the hypervisor does on an exit.
 */
#include "hyp_fixture.h"

#define VA_BUF 0x10000ull
#define VA_NOMAP 0x5000ull
#define PMBSR_S2_L3 0x94020007ull   /* S, EC 0b100101, FSC L3 Translation */
#define PMBSR_S1_L3 0x90020007ull   /* EC 0b100100 */

static uint64_t ipa_of(const vmsa_hyp_vm_t *vm, unsigned page)
{
	return vm->cfg.slot_ipa + (uint64_t)page * VMSA_HYP_PAGE;
}

static uint64_t pte(uint64_t ipa)
{
	return vmsa_desc_make_s1_leaf(ipa, 3, VMSA_GRANULE_4K, 0,
				      VMSA_AP_RW_EL1, VMSA_SH_ISH, true);
}

static void setup(vmsa_run_t *r)
{
	vmsa_hyp_vm_cfg_t c = vmsa_hyp_vm_cfg_default();
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_hyp_vm_t *vm;
	vmsa_pa_t l3;

	c.guest_s1 = false;
	c.slot_pages = 6;
	c.slot_alloc = 5;
	c.slot_map = 4;
	vm = vmsa_hyp_vm_setup(r, &c);
	if (!vm)
		return;
	vmsa_desc_write_pa(m, VMSA_SETUP, vmsa_hyp_slot_peek(vm, 0),
			   vmsa_desc_make_table(ipa_of(vm, 1),
						VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, vmsa_hyp_slot_peek(vm, 1),
			   vmsa_desc_make_table(ipa_of(vm, 2),
						VMSA_GRANULE_4K));
	l3 = vmsa_hyp_slot_peek(vm, 2);
	vmsa_desc_write_pa(m, VMSA_SETUP, l3 + 8, pte(ipa_of(vm, 3)));
	vmsa_desc_write_pa(m, VMSA_SETUP, l3 + 8 * 0x10, pte(ipa_of(vm, 5)));
	vmsa_desc_write_pa(m, VMSA_SETUP, l3 + 8 * 0x11, pte(ipa_of(vm, 4)));
	CHECK_EQ(vmsa_hyp_spe_setup(vm, 8), -EINVAL);
	CHECK_EQ(vmsa_hyp_spe_setup(vm, VMSA_HYP_SPE_TRANSLATE), 0);
	/* The sysreg (EC 0x18) and IRQ exits and the entry hook. */
	CHECK_EQ(vm->n_exits, 4);
	CHECK_EQ(vm->exits[2].cls, VMSA_EC_SYSREG);
	CHECK_EQ(vm->exits[3].cls, VMSA_HYP_EXIT_IRQ);
	CHECK_EQ(vm->n_hooks, 1);
}

/* The hypervisor on CPU0 with the guest's EL1 translation registers. */
static void guest_regs(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	vmsa_msr(vm->m, cpu, VMSA_REG_MAIR_EL1, VMSA_KERNEL_MAIR);
	vmsa_msr(vm->m, cpu, VMSA_REG_TCR_EL1, VMSA_KERNEL_TCR);
	vmsa_msr(vm->m, cpu, VMSA_REG_TTBR0_EL1,
		 VMSA_TTBR(ipa_of(vm, 0), VMSA_KERNEL_ASID));
	vmsa_msr(vm->m, cpu, VMSA_REG_SCTLR_EL1, VMSA_SCTLR_M);
	vmsa_hyp_load_s2(vm, cpu);
}

/* The stage-2 leaf of ipa now (0 when none). */
static uint64_t s2_leaf(vmsa_hyp_vm_t *vm, uint64_t ipa)
{
	uint64_t desc = 0;
	int level = 0;

	if (vmsa_pgt_get_leaf(&vm->pgt, VMSA_IA(ipa), &desc, &level))
		return 0;
	return desc;
}

static void walk_cpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	uint64_t ipa = 0, steps;

	guest_regs(vm, cpu);
	steps = vmsa_steps(vm->m);
	CHECK_EQ(vmsa_hyp_spe_walk(vm, cpu, VA_BUF + 0x123, &ipa), 0);
	CHECK_EQ(ipa, ipa_of(vm, 5) + 0x123);
	/* SCTLR_EL1, TCR_EL1, TTBR0_EL1, then per level the memslot word
	 * and the descriptor. */
	CHECK_EQ(vmsa_steps(vm->m) - steps, 9);
	CHECK_EQ(vmsa_hyp_spe_walk(vm, cpu, VA_NOMAP, &ipa), -ENOENT);
	CHECK_EQ(vmsa_hyp_spe_walk(vm, cpu, 1ull << 39, &ipa), -EINVAL);
	/* The guest's MMU off: the VA is the IPA. */
	vmsa_msr(vm->m, cpu, VMSA_REG_SCTLR_EL1, 0);
	CHECK_EQ(vmsa_hyp_spe_walk(vm, cpu, VA_NOMAP, &ipa), 0);
	CHECK_EQ(ipa, VA_NOMAP);
	vmsa_msr(vm->m, cpu, VMSA_REG_SCTLR_EL1, VMSA_SCTLR_M);
	/* A stage-2 event for a VA the guest maps at stage 1 only. */
	CHECK_EQ(s2_leaf(vm, ipa_of(vm, 5)) & VMSA_D_VALID, 0);
	CHECK_EQ(vmsa_hyp_slot_peek(vm, 5), 0);
	vmsa_msr(vm->m, cpu, VMSA_REG_PMBPTR_EL1, VA_BUF);
	vmsa_msr(vm->m, cpu, VMSA_REG_PMBSR_EL1, PMBSR_S1_L3);
	CHECK(!vmsa_hyp_spe_repair(vm, cpu));
	CHECK_EQ(vmsa_mrs(vm->m, cpu, VMSA_REG_PMBSR_EL1), PMBSR_S1_L3);
	vmsa_msr(vm->m, cpu, VMSA_REG_PMBSR_EL1,
		 PMBSR_S2_L3 | VMSA_PMBSR_DL);
	CHECK(vmsa_hyp_spe_repair(vm, cpu));
	/* S, EC and MSS cleared, DL kept; the page allocated and mapped
	 * writable at stage 2; PMBPTR_EL1 untouched (restart there). */
	CHECK_EQ(vmsa_mrs(vm->m, cpu, VMSA_REG_PMBSR_EL1), VMSA_PMBSR_DL);
	CHECK_EQ(vmsa_mrs(vm->m, cpu, VMSA_REG_PMBPTR_EL1), VA_BUF);
	CHECK(vmsa_hyp_slot_peek(vm, 5) != 0);
	CHECK_EQ(s2_leaf(vm, ipa_of(vm, 5)),
		 vmsa_desc_make_s2_leaf(vmsa_hyp_slot_peek(vm, 5), 3,
					VMSA_GRANULE_4K,
					VMSA_S2_MEMATTR_NORMAL_WB,
					VMSA_S2AP_RW, VMSA_SH_ISH, true) |
			 (1ull << 54));
	/* Outside the memslot: nothing to map. */
	CHECK_EQ(vmsa_hyp_spe_map(vm, cpu, 0x40000000ull), -EFAULT);
}

static const vmsa_scenario_t walk = {
	.name = "test/hyp-spe-walk", .setup = setup, .cpu = {walk_cpu},
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
};

/* The software walk and the repair of a stage-2 event, exactly. */
TEST(hyp_spe_walk_and_repair)
{
	CHECK_EQ(hx_run(&walk, "default", 2, 0, "safe", 1, NULL), 0);
}

/* Pinning [PMBPTR_EL1, LIMIT): VA 0x10000 (page 5) and 0x11000 (page 4,
 * already allocated) mapped; a page the guest does not map is skipped. */
static void pin_cpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);

	guest_regs(vm, cpu);
	vmsa_msr(vm->m, cpu, VMSA_REG_PMBPTR_EL1, VA_BUF);
	vmsa_msr(vm->m, cpu, VMSA_REG_PMBLIMITR_EL1,
		 (VA_BUF + 3 * VMSA_HYP_PAGE) | VMSA_PMBLIMITR_E);
	CHECK_EQ(vmsa_hyp_spe_pin(vm, cpu), 0);
	CHECK(s2_leaf(vm, ipa_of(vm, 5)) & VMSA_D_VALID);
	CHECK(s2_leaf(vm, ipa_of(vm, 4)) & VMSA_D_VALID);
	/* Mode bits: E2PB = 0b10 traps the registers; 0 leaves them to
	 * the guest (E2PB = 0b11). */
	vmsa_hyp_spe_traps(vm, cpu, VMSA_HYP_SPE_PIN_ENABLE);
	CHECK_EQ(vmsa_mrs(vm->m, cpu, VMSA_REG_MDCR_EL2),
		 VMSA_MDCR_E2PB(VMSA_MDCR_E2PB_EL1_TRAP));
	vmsa_hyp_spe_traps(vm, cpu, 0);
	CHECK_EQ(vmsa_mrs(vm->m, cpu, VMSA_REG_MDCR_EL2),
		 VMSA_MDCR_E2PB(VMSA_MDCR_E2PB_EL1));
	/* Trapping ERET needs FEAT_FGT: refused here. */
	vmsa_hyp_spe_traps(vm, cpu, VMSA_HYP_SPE_PIN_ERET);
}

static const vmsa_scenario_t pin = {
	.name = "test/hyp-spe-pin", .setup = setup, .cpu = {pin_cpu},
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
};

TEST(hyp_spe_pin_and_traps)
{
	const char *msg = NULL;

	CHECK_EQ(hx_run(&pin, "default", 2, 0, "assert", 1, &msg), 0);
	CHECK_STR(msg, "SPE: trapping ERET needs FEAT_FGT (HFGITR_EL2)");
}
