/*
 * tests/explore/test_guest.c - the ready-made kernel and VM of
 * vmsa/guest.h and the register values of vmsa/sysreg.h: exact values,
 * and scenarios built on them reading exactly what set-up mapped.
 */
#include "harness.h"
#include "vmsa/explore.h"
#include "vmsa/guest.h"

/* The register values are the ones the bundled scenarios always used,
 * written as numbers. */
TEST(guest_register_values)
{
	CHECK_EQ(VMSA_KERNEL_TCR, 25ull | (1ull << 23) | (2ull << 32));
	CHECK_EQ(VMSA_KERNEL_MAIR, 0xffull);
	CHECK_EQ(VMSA_GUEST_VTCR, 32ull | (1ull << 6) | (1ull << 8) |
				  (1ull << 10) | (3ull << 12) | (2ull << 16));
	CHECK_EQ(VMSA_GUEST_HCR, 1ull | (1ull << 31));
	CHECK_EQ(VMSA_TTBR(0x40001000, 1), 0x0001000040001000ull);
	CHECK_EQ(VMSA_VTTBR(0x40002000, 5), 0x0005000040002000ull);
	CHECK_EQ(VMSA_MAIR(1, VMSA_MAIR_NORMAL_NC) | VMSA_MAIR(0, 0xff),
		 0x44ffull);
	CHECK_EQ(VMSA_TCR_TG1_4K | VMSA_TCR_T1SZ(25), (2ull << 30) | (25 << 16));
	CHECK_EQ(VMSA_VTCR_TG0_16K | VMSA_VTCR_PS(VMSA_PS_48),
		 (2ull << 14) | (5ull << 16));
}

TEST(guest_descriptors)
{
	struct vmsa_kernel k = {.l3 = 0x40002000};
	struct vmsa_guest g = {.s2_l3 = 0x40005000};

	/* Page: valid, page, AttrIndx 0, AP RW EL1, SH ISH, AF. */
	CHECK_EQ(vmsa_kernel_pte(0x40003000), 0x40003000ull | 0x703);
	/* Block: the same attributes, bit 1 clear. */
	CHECK_EQ(vmsa_kernel_block(0x40200000), 0x40200000ull | 0x701);
	CHECK_EQ(vmsa_kernel_pte_pa(&k, VMSA_KERNEL_VA), 0x40002008ull);
	CHECK_EQ(vmsa_kernel_pte_pa(&k, 0x1ff000), 0x40002ff8ull);
	/* Stage 2: MemAttr 0xf (Normal WB) or 0x6 with FWB, S2AP RW. */
	CHECK_EQ(vmsa_guest_s2_pte(&g, 0x40006000),
		 0x40006000ull | 0x7ff);
	g.fwb = true;
	CHECK_EQ(vmsa_guest_s2_pte(&g, 0x40006000),
		 0x40006000ull | 0x7db);
	CHECK_EQ(vmsa_guest_s2_pte_pa(&g, VMSA_GUEST_IPA_PAGE),
		 0x40005000ull + 8 * 0x10);
}

/* A kernel CPU reads both VAs, then maps VMSA_KERNEL_VA_NEW itself. */
static void kernel_cpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_kernel *k = vmsa_kernel_of(r);
	uint64_t v = 0;

	vmsa_kernel_enter(r, cpu);
	vmsa_assert(r, cpu, vmsa_current_el(m, cpu) == 1, "not at EL1");
	if (!vmsa_read(m, cpu, VMSA_KERNEL_VA, 8, &v))
		return;
	vmsa_assert(r, cpu, v == 0xa0, "VMSA_KERNEL_VA is not page[0]");
	vmsa_desc_write_pa(m, cpu, vmsa_kernel_pte_pa(k, VMSA_KERNEL_VA_NEW),
			   vmsa_kernel_pte(k->page[1]));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_isb(m, cpu);
	if (!vmsa_read(m, cpu, VMSA_KERNEL_VA_NEW, 8, &v))
		return;
	vmsa_assert(r, cpu, v == 0xa1, "VMSA_KERNEL_VA_NEW is not page[1]");
}

/* Reading VMSA_KERNEL_VA_NEW before it is mapped faults: no handler. */
static void kernel_unmapped(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	uint64_t v;

	vmsa_kernel_enter(r, cpu);
	vmsa_read(vmsa_run_machine(r), cpu, VMSA_KERNEL_VA_NEW, 8, &v);
}

/* The guest reads its page through both stages. */
static void guest_cpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t v = 0;

	vmsa_guest_enter(r, cpu, true);
	if (!vmsa_read(m, cpu, VMSA_KERNEL_VA, 8, &v))
		return;
	vmsa_assert(r, cpu, v == 0xa0, "the guest page is not page[0]");
}

static void guest_setup_mapped(vmsa_run_t *r)
{
	vmsa_guest_setup(r, true);
}

static void guest_setup_unmapped(vmsa_run_t *r)
{
	vmsa_guest_setup(r, false);
}

static const vmsa_scenario_t kernel_ok = {
	.name = "test/kernel", .setup = vmsa_kernel_setup,
	.cpu = {kernel_cpu},
};
static const vmsa_scenario_t kernel_fault = {
	.name = "test/kernel-fault", .setup = vmsa_kernel_setup,
	.cpu = {kernel_unmapped},
};
static const vmsa_scenario_t guest_ok = {
	.name = "test/guest", .setup = guest_setup_mapped, .cpu = {guest_cpu},
};
static const vmsa_scenario_t guest_fault = {
	.name = "test/guest-fault", .setup = guest_setup_unmapped,
	.cpu = {guest_cpu},
};

static void check_verdict(const vmsa_scenario_t *s, const char *config,
			  const char *verdict, unsigned to_el)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	CHECK_EQ(vmsa_explore(s, config, &o, &res), 0);
	CHECK_STR(res.error, "");
	CHECK_STR(res.verdict, verdict);
	if (res.violated)
		CHECK_MSG(strstr(res.violation.message, to_el == 2 ?
				 "EL1->EL2" : "EL1->EL1") != NULL,
			  "%s: %s", s->name, res.violation.message);
	vmsa_explore_result_free(&res);
}

TEST(guest_kernel_scenarios)
{
	check_verdict(&kernel_ok, "default", "safe", 0);
	check_verdict(&kernel_fault, "default", "unhandled-abort", 1);
}

TEST(guest_vm_scenarios)
{
	check_verdict(&guest_ok, "default", "safe", 0);
	check_verdict(&guest_ok, "s2fwb", "safe", 0);
	/* Stage 2 does not map the guest page: a stage-2 fault to EL2. */
	check_verdict(&guest_fault, "default", "unhandled-abort", 2);
}
