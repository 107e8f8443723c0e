/*
 * A scenario's mistake is a "bad-call" violation naming the function and
 * the bad argument, at that step, never undefined behaviour or a
 * violation it is not (src/model/validate.c). One test per kind of
 * argument, each asserting the exact kind, CPU and message, and that the
 * call did nothing.
 */
#include <stdio.h>

#include "fixture.h"

/* The machine stopped with exactly this bad-call violation on `cpu`. */
static void check_bad(vmsa_machine_t *m, vmsa_cpu_t cpu, const char *msg)
{
	const vmsa_violation_t *v = vmsa_violation(m);

	CHECK(v != NULL);
	if (!v)
		return;
	CHECK_STR(vmsa_violation_kind_name(v->kind), "bad-call");
	CHECK_EQ(v->kind, VMSA_V_BAD_CALL);
	CHECK_EQ(v->cpu, cpu);
	CHECK(v->rule == NULL);
	CHECK_EQ(v->n_entries, 0);
	CHECK_STR(v->message, msg);
}

TEST(bad_call_cpu_out_of_range)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);

	vmsa_dsb(m, 7, VMSA_BAR_ISH);
	check_bad(m, VMSA_SETUP, "scenario error: vmsa_dsb: cpu 7 out of "
		  "range, the machine has 1 CPU");
	CHECK_EQ(vmsa_steps(m), 0);
	vmsa_machine_free(m);

	/* Above the machine's CPUs but below VMSA_MAX_CPUS: still bad. */
	m = fx_machine(2, 0, true);
	vmsa_isb(m, 2);
	check_bad(m, VMSA_SETUP, "scenario error: vmsa_isb: cpu 2 out of "
		  "range, the machine has 2 CPUs");
	vmsa_machine_free(m);

	m = fx_machine(2, 0, true);
	vmsa_phys_write(m, -5, 0x40000000, 8, 1, true);
	check_bad(m, VMSA_SETUP, "scenario error: vmsa_phys_write: cpu -5 "
		  "out of range, the machine has 2 CPUs");
	CHECK_EQ(vmsa_phys_read(m, VMSA_SETUP, 0x40000000, 8, true), 0);
	vmsa_machine_free(m);
}

TEST(bad_call_setup_runs_no_cpu_operation)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);

	vmsa_msr(m, VMSA_SETUP, VMSA_REG_SCTLR_EL1, 1);
	check_bad(m, VMSA_SETUP, "scenario error: vmsa_msr: cpu -1 "
		  "(VMSA_SETUP) is not a CPU: set-up code cannot run CPU "
		  "operations");
	vmsa_machine_free(m);
}

TEST(bad_call_barrier_enum)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);

	vmsa_dmb(m, 0, (vmsa_barrier_t)12);
	check_bad(m, 0, "scenario error: vmsa_dmb: 12 is not a valid "
		  "vmsa_barrier_t (0 .. 11)");
	CHECK_EQ(vmsa_steps(m), 0);
	vmsa_machine_free(m);
}

TEST(bad_call_tlbi_op_enum)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);
	vmsa_tlbi_op_t op = {.type = VMSA_TLBI_N_TYPES, .sh = VMSA_TLBI_IS};

	vmsa_tlbi(m, 0, op, 0);
	check_bad(m, 0, "scenario error: vmsa_tlbi: 21 is not a valid "
		  "vmsa_tlbi_type_t (0 .. 20)");
	vmsa_machine_free(m);

	m = fx_machine(1, 0, true);
	op.type = VMSA_TLBI_VMALLE1;
	op.sh = (vmsa_tlbi_shareability_t)3;
	vmsa_tlbi(m, 0, op, 0);
	check_bad(m, 0, "scenario error: vmsa_tlbi: 3 is not a valid "
		  "vmsa_tlbi_shareability_t (0 .. 2)");
	vmsa_machine_free(m);
}

TEST(bad_call_dc_ic_at_enums)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);

	vmsa_dc(m, 0, (vmsa_dc_op_t)4, 0x40000000);
	check_bad(m, 0, "scenario error: vmsa_dc: 4 is not a valid "
		  "vmsa_dc_op_t (0 .. 3)");
	vmsa_machine_free(m);

	m = fx_machine(1, 0, true);
	vmsa_ic(m, 0, (vmsa_ic_op_t)-1, 0);
	check_bad(m, 0, "scenario error: vmsa_ic: -1 is not a valid "
		  "vmsa_ic_op_t (0 .. 2)");
	vmsa_machine_free(m);

	m = fx_machine(1, 0, true);
	vmsa_at(m, 0, (vmsa_at_op_t)10, 0);
	check_bad(m, 0, "scenario error: vmsa_at: 10 is not a valid "
		  "vmsa_at_op_t (0 .. 9)");
	CHECK_EQ(vmsa_steps(m), 0);
	vmsa_machine_free(m);
}

TEST(bad_call_sysreg_enum)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);
	char msg[128];

	snprintf(msg, sizeof(msg), "scenario error: vmsa_mrs: %d is not a valid "
		 "enum vmsa_sysreg (0 .. %d)", (int)VMSA_REG_END,
		 (int)VMSA_REG_END - 1);
	CHECK_EQ(vmsa_mrs(m, 0, VMSA_REG_END), 0);
	check_bad(m, 0, msg);
	vmsa_machine_free(m);
}

TEST(bad_call_el_that_does_not_exist)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);

	vmsa_eret(m, 0, 3);
	check_bad(m, 0, "scenario error: vmsa_eret: EL3 does not exist, the "
		  "model has EL0, EL1 and EL2");
	CHECK_EQ(vmsa_current_el(m, 0), 2);
	vmsa_machine_free(m);

	m = fx_machine(1, 0, true);
	vmsa_set_handler(m, 0, 0, NULL, NULL);
	check_bad(m, 0, "scenario error: vmsa_set_handler: EL0 takes no "
		  "exceptions, handlers are for EL1 and EL2");
	vmsa_machine_free(m);

	/* Returning to the same EL is the architecture's UNDEFINED, not a
	 * scenario error. */
	m = fx_machine(1, 0, true);
	vmsa_eret(m, 0, 2);
	CHECK_EQ(vmsa_violation(m)->kind, VMSA_V_UNDEFINED);
	vmsa_machine_free(m);
}

TEST(bad_call_phys_outside_memory)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);

	/* Memory is [0x40000000, 0x41000000): the last word is fine. */
	vmsa_phys_write(m, VMSA_SETUP, 0x40fffff8, 8, 5, true);
	CHECK_EQ(vmsa_phys_read(m, VMSA_SETUP, 0x40fffff8, 8, true), 5);
	CHECK(vmsa_violation(m) == NULL);
	CHECK_EQ(vmsa_phys_read(m, 0, 0x41000000, 4, true), 0);
	check_bad(m, 0, "scenario error: vmsa_phys_read: PA 0x41000000 "
		  "(size 4) is outside memory [0x40000000, 0x41000000)");
	vmsa_machine_free(m);

	/* Set-up code's mistakes are reported too (on no CPU). */
	m = fx_machine(1, 0, true);
	vmsa_phys_write(m, VMSA_SETUP, 0x3ffffff8, 8, 1, false);
	check_bad(m, VMSA_SETUP, "scenario error: vmsa_phys_write: PA "
		  "0x3ffffff8 (size 8) is outside memory [0x40000000, "
		  "0x41000000)");
	vmsa_machine_free(m);

	m = fx_machine(1, 0, true);
	CHECK_EQ(vmsa_phys_cas(m, 0, 0x50000000, 8, 0, 1, true), 0);
	check_bad(m, 0, "scenario error: vmsa_phys_cas: PA 0x50000000 "
		  "(size 8) is outside memory [0x40000000, 0x41000000)");
	vmsa_machine_free(m);
}

TEST(bad_call_phys_size_and_alignment)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);

	vmsa_phys_read(m, 0, 0x40000002, 4, true);
	check_bad(m, 0, "scenario error: vmsa_phys_read: PA 0x40000002 is "
		  "not aligned to its size 4");
	vmsa_machine_free(m);

	m = fx_machine(1, 0, true);
	vmsa_phys_write(m, 0, 0x40000000, 3, 0, true);
	check_bad(m, 0, "scenario error: vmsa_phys_write: size 3 is not 1, "
		  "2, 4 or 8");
	vmsa_machine_free(m);
}

/* Descriptor accesses outside memory used to be "use-after-free". */
TEST(bad_call_desc_outside_memory)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);
	uint64_t local = 0;

	CHECK_EQ(vmsa_desc_read_pa(m, 0, 0x80000000), 0);
	check_bad(m, 0, "scenario error: vmsa_desc_read_pa: PA 0x80000000 "
		  "(size 8) is outside memory [0x40000000, 0x41000000)");
	vmsa_machine_free(m);

	m = fx_machine(1, 0, true);
	vmsa_desc_write(m, 0, &local, 1);
	check_bad(m, 0, "scenario error: vmsa_desc_write: the pointer is not "
		  "into the machine's memory");
	CHECK_EQ(local, 0);
	vmsa_machine_free(m);

	m = fx_machine(1, 0, true);
	{
		uint8_t *p = vmsa_pa_ptr(m, 0x40001000);

		vmsa_desc_cas(m, 0, (uint64_t *)(void *)(p + 4), 0, 1);
	}
	check_bad(m, 0, "scenario error: vmsa_desc_cas: the pointer (PA "
		  "0x40001004) is not 8-byte aligned");
	vmsa_machine_free(m);
}

TEST(bad_call_translated_access_size)
{
	struct fx f;

	fx_setup(&f, 1, 0);
	CHECK_EQ(vmsa_steps(f.m), 5);
	{
		uint64_t v = 1;

		CHECK(!vmsa_read(f.m, 0, 0x1004, 8, &v));
		CHECK_EQ(v, 0);
	}
	check_bad(f.m, 0, "scenario error: vmsa_read: VA 0x1004 is not "
		  "aligned to its size 8 (the model makes aligned accesses "
		  "only)");
	CHECK_EQ(vmsa_steps(f.m), 5);
	fx_done(&f);

	fx_setup(&f, 1, 0);
	CHECK(!vmsa_write(f.m, 0, 0x1000, 16, 0));
	check_bad(f.m, 0, "scenario error: vmsa_write: size 16 is not 1, 2, "
		  "4 or 8");
	fx_done(&f);
}

TEST(bad_call_page_allocator)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);

	CHECK_EQ(vmsa_page_alloc(m, VMSA_SETUP, 1, 3), VMSA_BAD_PA);
	check_bad(m, VMSA_SETUP, "scenario error: vmsa_page_alloc: alignment "
		  "of 3 pages is not a power of two");
	vmsa_machine_free(m);

	m = fx_machine(1, 0, true);
	vmsa_page_free(m, 0, 0x40000800, 1);
	check_bad(m, 0, "scenario error: vmsa_page_free: PA 0x40000800 is "
		  "not page aligned");
	vmsa_machine_free(m);

	/* Freeing pages of memory that are not allocated stays a
	 * double-free: that is the page-table code's mistake. */
	m = fx_machine(1, 0, true);
	vmsa_page_free(m, 0, 0x40000000, 1);
	CHECK_EQ(vmsa_violation(m)->kind, VMSA_V_DOUBLE_FREE);
	vmsa_machine_free(m);
}

/* A bad call after the machine stopped keeps the first violation. */
TEST(bad_call_after_stop_changes_nothing)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);

	vmsa_report(m, 0, VMSA_V_ASSERT, "first");
	vmsa_dsb(m, 9, VMSA_BAR_SY);
	CHECK_EQ(vmsa_violation(m)->kind, VMSA_V_ASSERT);
	CHECK_STR(vmsa_violation(m)->message, "first");
	vmsa_machine_free(m);
}
