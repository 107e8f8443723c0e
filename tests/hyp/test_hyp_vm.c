/*
 * tests/hyp/test_hyp_vm.c - the hypervisor core's VM set-up, guest entry
 * and exit dispatch (src/hyp/vm.c, vcpu.c, exit.c): exact register and
 * descriptor values, the configurations set-up refuses, and the exit
 * table (handlers by class, chaining, entry hooks).
 */
#include "hyp_fixture.h"

TEST(hyp_cfg_default)
{
	vmsa_hyp_vm_cfg_t c = vmsa_hyp_vm_cfg_default();

	CHECK_EQ(c.vmid, VMSA_GUEST_VMID);
	CHECK_EQ(c.ipa_bits, 30);
	CHECK_EQ(c.slot_ipa, 0x200000);
	CHECK_EQ(c.slot_pages, 1);
	CHECK_EQ(c.slot_alloc, 1);
	CHECK_EQ(c.slot_map, 1);
	CHECK(c.guest_s1);
	CHECK_EQ(c.s1_ipa, 0);
	CHECK_EQ(c.variants, 0);
	CHECK(c.mutation == NULL);
	CHECK(!c.slot_block);
}

/* Stage-2 XN[1]: the library's leaves without VMSA_PGT_PROT_X. */
#define XN (1ull << 54)

/* ---------------------------------------------------------------------
 * The layout set-up builds, checked after a guest read through it
 * ------------------------------------------------------------------- */

/* An entry hook: the registers vmsa_hyp_vcpu_enter wrote, read at EL2
 * just before the ERET. */
static void check_regs(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, void *arg)
{
	(void)arg;
	CHECK_EQ(vmsa_current_el(vm->m, cpu), 2);
	CHECK_EQ(vmsa_mrs(vm->m, cpu, VMSA_REG_VTCR_EL2), vm->vtcr);
	CHECK_EQ(vmsa_mrs(vm->m, cpu, VMSA_REG_VTTBR_EL2),
		 vm->pgt.root_pa.pa | (uint64_t)vm->cfg.vmid << 48);
	CHECK_EQ(vmsa_mrs(vm->m, cpu, VMSA_REG_HCR_EL2),
		 VMSA_HCR_VM | VMSA_HCR_RW | (vm->fwb ? VMSA_HCR_FWB : 0));
	CHECK_EQ(vmsa_mrs(vm->m, cpu, VMSA_REG_SCTLR_EL1), VMSA_SCTLR_M);
	CHECK_EQ(vmsa_mrs(vm->m, cpu, VMSA_REG_TTBR0_EL1),
		 vm->cfg.s1_ipa | (uint64_t)VMSA_KERNEL_ASID << 48);
	CHECK_EQ(vmsa_mrs(vm->m, cpu, VMSA_REG_TCR_EL1), VMSA_KERNEL_TCR);
	CHECK_EQ(vmsa_mrs(vm->m, cpu, VMSA_REG_MAIR_EL1), VMSA_KERNEL_MAIR);
}

static void setup_two(vmsa_run_t *r)
{
	vmsa_hyp_vm_cfg_t c = vmsa_hyp_vm_cfg_default();
	vmsa_hyp_vm_t *vm;

	c.slot_pages = 3;
	c.slot_alloc = 2;
	c.slot_map = 1;
	vm = vmsa_hyp_vm_setup(r, &c);
	if (vm)
		CHECK_EQ(vmsa_hyp_add_entry_hook(vm, check_regs, NULL), 0);
}

/* The guest (stage 1 on) reads memslot page 0, mapped at set-up. */
static void guest_read0(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	uint64_t v = 0;

	vmsa_hyp_vcpu_enter(vm, cpu, VMSA_HYP_ENTER_S1);
	if (vmsa_read(vm->m, cpu, vm->cfg.slot_ipa, 8, &v))
		vmsa_assert(r, cpu, v == VMSA_HYP_DATA(0), "page 0 reads wrong");
}

static void check_layout(vmsa_run_t *r)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	uint64_t desc = 0;
	int level = 0;

	/* 30-bit IPA: start level 2, T0SZ 34, SL0 0. */
	CHECK_EQ(vm->pgt.start_level, 2);
	CHECK_EQ(vm->vtcr, 34ull | (1ull << 8) | (1ull << 10) | (3ull << 12) |
				   (2ull << 16));
	/* The guest's stage 1: a 1G block at VA 0, Normal WB, RW EL1. */
	CHECK_EQ(*(const uint64_t *)vmsa_pa_cptr(vm->m, vm->s1), 0x701ull);
	/* Stage 2: the table page and memslot page 0 are mapped, page 1
	 * has a host page but no mapping, page 2 has neither. */
	CHECK_EQ(vmsa_pgt_get_leaf(&vm->pgt, VMSA_IA(0), &desc, &level), 0);
	CHECK_EQ(desc, vm->s1 | XN | 0x7ffull);
	CHECK_EQ(level, 3);
	CHECK_EQ(vmsa_pgt_get_leaf(&vm->pgt, VMSA_IA(0x200000), &desc,
				   &level), 0);
	CHECK_EQ(desc, vmsa_hyp_slot_peek(vm, 0) | XN | 0x7ffull);
	CHECK_EQ(vmsa_pgt_get_leaf(&vm->pgt, VMSA_IA(0x201000), &desc,
				   &level), 0);
	CHECK_EQ(desc, 0);
	CHECK(vmsa_hyp_slot_peek(vm, 1) != 0);
	CHECK(vmsa_hyp_slot_peek(vm, 0) != vmsa_hyp_slot_peek(vm, 1));
	CHECK_EQ(vmsa_hyp_slot_peek(vm, 2), 0);
	CHECK_EQ(vmsa_hyp_slot_peek(vm, 3), 0);
	CHECK_EQ(*(const uint64_t *)vmsa_pa_cptr(vm->m,
						 vmsa_hyp_slot_peek(vm, 1)),
		 VMSA_HYP_DATA(1));
	/* The memslot's pages and the scenario's words. */
	CHECK_EQ(vmsa_hyp_slot_index(vm, 0x1fffff), -1);
	CHECK_EQ(vmsa_hyp_slot_index(vm, 0x200000), 0);
	CHECK_EQ(vmsa_hyp_slot_index(vm, 0x202fff), 2);
	CHECK_EQ(vmsa_hyp_slot_index(vm, 0x203000), -1);
	CHECK_EQ(vmsa_hyp_word(vm, 0), vm->hyp + 0x200);
	CHECK_EQ(vmsa_hyp_word(vm, 63), vm->hyp + 0x3f8);
	CHECK_EQ(vmsa_hyp_word(vm, 64), VMSA_BAD_PA);
	CHECK_EQ(vmsa_hyp_dirty_peek(vm), 0);
	/* Default exits: the two abort classes; the test's hook. */
	CHECK_EQ(vm->n_hooks, 1);
	CHECK_EQ(vm->n_exits, 2);
	CHECK_EQ(vm->exits[0].cls, VMSA_EC_DABT_LOW);
	CHECK_EQ(vm->exits[1].cls, VMSA_EC_IABT_LOW);
	CHECK(vm->exits[0].fn == vmsa_hyp_s2_abort);
}

static const vmsa_scenario_t layout = {
	.name = "test/hyp-layout", .setup = setup_two, .cpu = {guest_read0},
	.check = check_layout,
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
};

TEST(hyp_vm_layout)
{
	CHECK_EQ(hx_run(&layout, "default", 2, 0, "safe", 1, NULL), 0);
}

/* FWB: HCR_EL2.FWB at entry, and the stage-2 leaf's MemAttr forces
 * Write-Back (0b0110). */
static void check_fwb(vmsa_run_t *r)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	uint64_t desc = 0;
	int level = 0;

	CHECK(vm->fwb);
	CHECK_EQ(vmsa_pgt_get_leaf(&vm->pgt, VMSA_IA(0x200000), &desc,
				   &level), 0);
	CHECK_EQ(desc, vmsa_hyp_slot_peek(vm, 0) | XN | 0x7dbull);
}

static const vmsa_scenario_t layout_fwb = {
	.name = "test/hyp-fwb", .setup = setup_two, .cpu = {guest_read0},
	.check = check_fwb,
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
};

TEST(hyp_vm_fwb)
{
	CHECK_EQ(hx_run(&layout_fwb, "s2fwb", 2, 0, "safe", 1, NULL), 0);
}

/* A 40-bit IPA: the library concatenates two level-1 roots (SL0 1). */
static void setup_40(vmsa_run_t *r)
{
	vmsa_hyp_vm_cfg_t c = vmsa_hyp_vm_cfg_default();

	vmsa_hyp_vm_t *vm;

	c.ipa_bits = 40;
	c.vmid = 7;
	vm = vmsa_hyp_vm_setup(r, &c);
	if (vm)
		CHECK_EQ(vmsa_hyp_add_entry_hook(vm, check_regs, NULL), 0);
}

static void check_40(vmsa_run_t *r)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);

	CHECK_EQ(vm->pgt.start_level, 1);
	CHECK_EQ(vm->pgt.n_roots, 2);
	CHECK_EQ(vm->vtcr, 24ull | (1ull << 6) | (1ull << 8) | (1ull << 10) |
				   (3ull << 12) | (2ull << 16));
}

static const vmsa_scenario_t layout_40 = {
	.name = "test/hyp-40", .setup = setup_40, .cpu = {guest_read0},
	.check = check_40,
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
};

TEST(hyp_vm_40bit_ipa)
{
	CHECK_EQ(hx_run(&layout_40, "default", 2, 0, "safe", 1, NULL), 0);
}

/* ---------------------------------------------------------------------
 * Configurations set-up refuses
 * ------------------------------------------------------------------- */

static unsigned bad_case;

static void setup_bad(vmsa_run_t *r)
{
	vmsa_hyp_vm_cfg_t c = vmsa_hyp_vm_cfg_default();

	switch (bad_case) {
	case 0: c.vmid = 0; break;
	case 1: c.ipa_bits = 29; break;
	case 2: c.ipa_bits = 41; break;
	case 3: c.slot_pages = VMSA_HYP_SLOT_MAX + 1; break;
	case 4: c.slot_alloc = 2; break;
	case 5: c.slot_ipa = 0x200800; break;
	case 6: c.slot_ipa = 0x3ffff000; c.slot_pages = 2;
		c.slot_alloc = c.slot_map = 0; break;
	case 7: c.s1_ipa = 0x200000; break;
	case 8: c.slot_block = true; c.slot_ipa = 0x201000; break;
	default: vmsa_hyp_vm_setup(r, NULL); return;
	}
	CHECK(vmsa_hyp_vm_setup(r, &c) == NULL);
}

static const vmsa_scenario_t bad = {
	.name = "test/hyp-bad", .setup = setup_bad, .cpu = {guest_read0},
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
};

TEST(hyp_vm_setup_refuses)
{
	static const char *const why[] = {
		"VMID 0", "ipa_bits", "ipa_bits", "slot_pages", "slot_pages",
		"misaligned", "beyond", "stage-1 table", "misaligned",
		"cfg NULL",
	};

	for (bad_case = 0; bad_case < 10; bad_case++) {
		const char *msg;

		CHECK_EQ(hx_run(&bad, "default", 0, 0, "", 0, &msg),
			 -ECANCELED);
		CHECK_MSG(strstr(msg, why[bad_case]) != NULL,
			  "case %u: %s", bad_case, msg);
	}
}

/* ---------------------------------------------------------------------
 * Exits: handlers by class, chaining, entry hooks
 *
 * An entry hook gives the guest FP access at EL1 (CPACR_EL1.FPEN) and
 * traps it to EL2 (CPTR_EL2.TFP); the guest's FP instruction exits with
 * EC 0x07, whose handler clears TFP; the instruction is retried and
 * executes. Word 0 counts entries, word 1 FP exits.
 * ------------------------------------------------------------------- */

#define CPTR_TFP (1ull << 10)
#define CPACR_FPEN (3ull << 20)

static void count(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, unsigned w)
{
	vmsa_pa_t pa = vmsa_hyp_word(vm, w);

	vmsa_phys_write(vm->m, cpu, pa, 8,
			vmsa_phys_read(vm->m, cpu, pa, 8, true) + 1, true);
}

static void trap_fp(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, void *arg)
{
	(void)arg;
	count(vm, cpu, 0);
	vmsa_msr(vm->m, cpu, VMSA_REG_CPACR_EL1, CPACR_FPEN);
	if (!vmsa_phys_read(vm->m, cpu, vmsa_hyp_word(vm, 1), 8, true))
		vmsa_msr(vm->m, cpu, VMSA_REG_CPTR_EL2, CPTR_TFP);
}

static void fp_exit(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu,
		    const struct vmsa_exception *e, void *arg)
{
	vmsa_assert(vm->run, cpu, e->ec == VMSA_EC_FP && arg == (void *)vm,
		    "fp_exit: wrong class or arg");
	count(vm, cpu, 1);
	vmsa_msr(vm->m, cpu, VMSA_REG_CPTR_EL2, 0);
}

static void setup_exits(vmsa_run_t *r, bool with_fp)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_setup(r, &(vmsa_hyp_vm_cfg_t){
		.vmid = 1, .ipa_bits = 30, .slot_ipa = 0x200000,
		.slot_pages = 1, .slot_alloc = 1, .slot_map = 1,
	});
	vmsa_hyp_exit_t prev;

	if (!vm)
		return;
	CHECK_EQ(vmsa_hyp_add_entry_hook(vm, trap_fp, NULL), 0);
	if (with_fp) {
		CHECK_EQ(vmsa_hyp_set_exit(vm, VMSA_EC_FP, fp_exit, vm, &prev),
			 0);
		CHECK(prev.fn == NULL);
		CHECK_EQ(prev.cls, VMSA_EC_FP);
	}
}

static void setup_fp(vmsa_run_t *r)
{
	setup_exits(r, true);
}

static void setup_no_fp(vmsa_run_t *r)
{
	setup_exits(r, false);
}

static void guest_fp(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);

	vmsa_hyp_vcpu_enter(vm, cpu, 0);
	vmsa_assert(r, cpu, vmsa_fp_access(vm->m, cpu, false),
		    "the FP instruction did not execute");
}

static void check_fp(vmsa_run_t *r)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);

	CHECK_EQ(*(const uint64_t *)vmsa_pa_cptr(vm->m, vmsa_hyp_word(vm, 0)),
		 2);
	CHECK_EQ(*(const uint64_t *)vmsa_pa_cptr(vm->m, vmsa_hyp_word(vm, 1)),
		 1);
}

static const vmsa_scenario_t exits_fp = {
	.name = "test/hyp-exit-fp", .setup = setup_fp, .cpu = {guest_fp},
	.check = check_fp,
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
};
static const vmsa_scenario_t exits_none = {
	.name = "test/hyp-exit-none", .setup = setup_no_fp,
	.cpu = {guest_fp},
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
};

TEST(hyp_exit_dispatch)
{
	const char *msg;

	CHECK_EQ(hx_run(&exits_fp, "default", 2, 0, "safe", 1, NULL), 0);
	CHECK_EQ(hx_run(&exits_none, "default", 2, 0, "assert", 1, &msg), 0);
	CHECK_STR(msg, "unexpected exit: no handler for its exception class");
}

/* The table's limits and chaining, in set-up. */
static void noop_exit(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu,
		      const struct vmsa_exception *e, void *arg)
{
	(void)vm, (void)cpu, (void)e, (void)arg;
}

static void noop_hook(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, void *arg)
{
	(void)vm, (void)cpu, (void)arg;
}

static void setup_limits(vmsa_run_t *r)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_setup(r, &(vmsa_hyp_vm_cfg_t){
		.vmid = 1, .ipa_bits = 30, .slot_ipa = 0x200000,
	});
	vmsa_hyp_exit_t prev;

	if (!vm)
		return;
	CHECK_EQ(vmsa_hyp_set_exit(vm, 65, noop_exit, NULL, NULL), -EINVAL);
	CHECK_EQ(vmsa_hyp_set_exit(vm, 1, NULL, NULL, NULL), -EINVAL);
	CHECK_EQ(vmsa_hyp_set_exit(NULL, 1, noop_exit, NULL, NULL), -EINVAL);
	/* Replacing the abort handler hands back the default one. */
	CHECK_EQ(vmsa_hyp_set_exit(vm, VMSA_EC_DABT_LOW, noop_exit, r, &prev),
		 0);
	CHECK(prev.fn == vmsa_hyp_s2_abort);
	CHECK_EQ(vm->n_exits, 2);
	CHECK(vm->exits[0].fn == noop_exit && vm->exits[0].arg == r);
	/* The two defaults and VMSA_HYP_MAX_EXITS - 2 more fill it. */
	for (unsigned c = 0; c < VMSA_HYP_MAX_EXITS - 2; c++)
		CHECK_EQ(vmsa_hyp_set_exit(vm, 0x28 + c, noop_exit, NULL, NULL),
			 0);
	CHECK_EQ(vmsa_hyp_set_exit(vm, VMSA_HYP_EXIT_IRQ, noop_exit, NULL,
				   NULL),
		 -ENOSPC);
	CHECK_EQ(vmsa_hyp_set_exit(vm, 0x30, noop_exit, NULL, NULL), 0);
	for (unsigned h = 0; h < VMSA_HYP_MAX_HOOKS; h++)
		CHECK_EQ(vmsa_hyp_add_entry_hook(vm, noop_hook, NULL), 0);
	CHECK_EQ(vmsa_hyp_add_entry_hook(vm, noop_hook, NULL), -ENOSPC);
	CHECK_EQ(vmsa_hyp_add_entry_hook(vm, NULL, NULL), -EINVAL);
}

/* CPU code may not change the table. */
static void cpu_limits(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);

	(void)cpu;
	CHECK_EQ(vmsa_hyp_set_exit(vm, 1, noop_exit, NULL, NULL), -EINVAL);
	CHECK_EQ(vmsa_hyp_add_entry_hook(vm, noop_hook, NULL), -EINVAL);
	vmsa_dsb(vm->m, cpu, VMSA_BAR_SY);
	/* A NULL VM: nothing happens, no step, no crash. */
	vmsa_hyp_load_s2(NULL, cpu);
	vmsa_hyp_vcpu_enter(NULL, cpu, 0);
	vmsa_hyp_read_lock(NULL, cpu);
	vmsa_hyp_read_unlock(NULL, cpu);
	vmsa_hyp_write_lock(NULL, cpu);
	vmsa_hyp_write_unlock(NULL, cpu);
	vmsa_hyp_fault_begin(NULL, cpu, 0);
	vmsa_hyp_s2_abort(NULL, cpu, NULL, NULL);
	vmsa_hyp_conflict(NULL, cpu, NULL);
	vmsa_hyp_s2_abort(vm, cpu, NULL, NULL);
	CHECK(!vmsa_hyp_is_s2(NULL, VMSA_FAULT_TRANSLATION));
	CHECK_EQ(vmsa_hyp_dirty_enable(NULL, cpu), -EINVAL);
	CHECK_EQ(vmsa_hyp_dirty_get_clear(NULL, cpu), 0);
	CHECK_EQ(vmsa_hyp_dirty_peek(NULL), 0);
	vmsa_hyp_slot_set(NULL, cpu, 0, 0);
	CHECK_EQ(vmsa_hyp_cow(NULL, cpu, 0, 0, 1), -EINVAL);
	CHECK_EQ(vmsa_hyp_word(NULL, 0), VMSA_BAD_PA);
	CHECK_EQ(vmsa_hyp_slot_peek(NULL, 0), 0);
	CHECK_EQ(vmsa_hyp_slot_index(NULL, 0), -1);
	CHECK(vmsa_hyp_vm_of(r) == vm);
	vmsa_dsb(vm->m, cpu, VMSA_BAR_SY);
}

static const vmsa_scenario_t limits = {
	.name = "test/hyp-limits", .setup = setup_limits, .cpu = {cpu_limits},
};

TEST(hyp_exit_table_limits)
{
	CHECK_EQ(hx_run(&limits, "default", 0, 0, "safe", 1, NULL), 0);
}
