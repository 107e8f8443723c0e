/*
 * A translated access whose PA is outside model memory is a synchronous
 * External abort, as on hardware (D8.15; ESR_ELx DFSC): FSC 0x10 for the
 * access itself, FSC 0x14 + level for a translation table walk read, with
 * S1PTW when the read is a stage-2 walk for a stage-1 table. It goes to
 * the handler of the right EL, and is "unhandled-abort" without one.
 * Memory is [0x40000000, 0x41000000); 0x80000000 is outside it.
 */
#include "fixture_s2.h"

#define NOWHERE 0x80000000ull

/* The handler's record of the exception; the handler then stops the
 * execution (nothing it could do would make the access succeed). */
static struct vmsa_exception seen;
static unsigned n_seen;

static void record(vmsa_machine_t *m, vmsa_cpu_t cpu,
		   const struct vmsa_exception *e, void *arg)
{
	(void)arg;
	seen = *e;
	n_seen++;
	vmsa_report(m, cpu, VMSA_V_ASSERT, "seen");
}

static void record_on(vmsa_machine_t *m, vmsa_cpu_t cpu)
{
	memset(&seen, 0, sizeof(seen));
	n_seen = 0;
	vmsa_set_handler(m, cpu, 1, record, NULL);
	vmsa_set_handler(m, cpu, 2, record, NULL);
}

static void check_seen(unsigned to_el, uint64_t esr, uint64_t far,
		       vmsa_fault_kind_t kind, vmsa_stage_t stage, int level,
		       bool s1ptw)
{
	CHECK_EQ(n_seen, 1);
	CHECK_EQ(seen.type, VMSA_EXC_DATA_ABORT);
	CHECK_EQ(seen.to_el, to_el);
	CHECK_EQ(seen.esr, esr);
	CHECK(seen.far_valid);
	CHECK_EQ(seen.far, far);
	CHECK(!seen.hpfar_valid);
	CHECK(seen.is_mmu_fault);
	CHECK_EQ(seen.fault.kind, kind);
	CHECK_EQ(seen.fault.stage, stage);
	CHECK_EQ(seen.fault.level, level);
	CHECK_EQ(seen.fault.s1ptw, s1ptw);
}

/* EL2 with its MMU off: VA = PA, and nothing answers at 0x80000000. */
TEST(external_abort_mmu_off)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);
	uint64_t v = 1;

	record_on(m, 0);
	CHECK(!vmsa_read(m, 0, NOWHERE, 8, &v));
	CHECK_EQ(v, 0);
	/* EC 0x25 (same EL), IL, DFSC 0x10. */
	check_seen(2, 0x96000010, NOWHERE, VMSA_FAULT_EXTERNAL_ACCESS,
		   VMSA_STAGE1, 0, false);
	CHECK_EQ(seen.fault.fsc, 0x10);
	vmsa_machine_free(m);
}

/* Without a handler: unhandled-abort, with the syndrome in the message
 * and no stage or level for the access's own External abort. */
TEST(external_abort_unhandled)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);
	const vmsa_violation_t *v;

	CHECK(!vmsa_write(m, 0, NOWHERE + 8, 4, 1));
	v = vmsa_violation(m);
	CHECK(v != NULL);
	if (!v)
		return;
	CHECK_EQ(v->kind, VMSA_V_UNHANDLED_ABORT);
	CHECK_EQ(v->cpu, 0);
	/* WnR for the store. */
	CHECK_STR(v->message, "CPU0: no handler at EL2 for data abort "
		  "EL2->EL2 ESR 0x96000050 FAR 0x80000008 (external abort on "
		  "access)");
	vmsa_machine_free(m);
}

/* Stage 1 at EL1: the level-1 entry points at a level-2 table outside
 * memory, so the walk's level-2 read aborts: FSC 0x16, to EL1. */
TEST(external_abort_stage1_walk)
{
	struct fx f;
	uint64_t v;

	f.m = fx_machine(1, 0, true);
	fx_tables(&f);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, f.l1,
			   vmsa_desc_make_table(NOWHERE, VMSA_GRANULE_4K));
	fx_enter_el1(&f, 0);
	record_on(f.m, 0);
	CHECK(!vmsa_read(f.m, 0, 0x1000, 8, &v));
	check_seen(1, 0x96000016, 0x1000, VMSA_FAULT_EXTERNAL, VMSA_STAGE1, 2,
		   false);
	fx_done(&f);
}

/* Stage 1 at EL1: a page mapped to a PA outside memory. An instruction
 * fetch from it is an Instruction Abort with IFSC 0x10 (EC 0x21). */
TEST(external_abort_stage1_final_access)
{
	struct fx f;
	uint64_t v;

	fx_setup(&f, 1, 0);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, fx_pte(&f, 0x2000),
			   fx_page_desc(NOWHERE));
	record_on(f.m, 0);
	CHECK(!vmsa_read(f.m, 0, 0x2010, 8, &v));
	check_seen(1, 0x96000010, 0x2010, VMSA_FAULT_EXTERNAL_ACCESS,
		   VMSA_STAGE1, 0, false);
	fx_done(&f);

	fx_setup(&f, 1, 0);
	/* Executable at EL1: clear PXN (bit 53) and UXN (bit 54). */
	vmsa_desc_write_pa(f.m, VMSA_SETUP, fx_pte(&f, 0x2000),
			   fx_page_desc(NOWHERE) & ~(3ull << 53));
	record_on(f.m, 0);
	CHECK(!vmsa_fetch(f.m, 0, 0x2000));
	CHECK_EQ(n_seen, 1);
	CHECK_EQ(seen.type, VMSA_EXC_INSN_ABORT);
	CHECK_EQ(seen.esr, 0x86000010);
	fx_done(&f);
}

/* A guest's stage-1 table at an IPA whose stage-2 walk reads outside
 * memory: the stage-2 level-3 table of the tables' IPAs is moved there.
 * A stage-2 External abort on the walk with S1PTW: FSC 0x17, S1PTW,
 * EC 0x24 (from EL1), to EL2. */
TEST(external_abort_stage2_walk_for_s1_table)
{
	struct fx2 f;
	uint64_t v;

	fx2_setup(&f, 1, 1);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, f.vm[0].s2_l2,
			   vmsa_desc_make_table(NOWHERE, VMSA_GRANULE_4K));
	fx2_enter_guest(&f, 0, 0);
	record_on(f.m, 0);
	CHECK(!vmsa_read(f.m, 0, FX2_VA, 8, &v));
	check_seen(2, 0x92000097, FX2_VA, VMSA_FAULT_EXTERNAL, VMSA_STAGE2,
		   3, true);
	fx2_done(&f);
}

/* The stage-2 walk of the access's own IPA reads outside memory: guest
 * VA 0x2000 -> IPA 0x80200000, whose stage-2 level-2 entry points at a
 * level-3 table outside memory. FSC 0x17 without S1PTW, to EL2. */
TEST(external_abort_stage2_walk_for_final_ipa)
{
	struct fx2 f;
	uint64_t v;

	fx2_setup(&f, 1, 1);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, f.vm[0].s2_l2 + 8,
			   vmsa_desc_make_table(NOWHERE, VMSA_GRANULE_4K));
	vmsa_desc_write_pa(f.m, VMSA_SETUP, fx2_pte(&f.vm[0], 0x2000),
			   fx_page_desc(0x80200000));
	fx2_enter_guest(&f, 0, 0);
	record_on(f.m, 0);
	CHECK(!vmsa_read(f.m, 0, 0x2000, 8, &v));
	check_seen(2, 0x92000017, 0x2000, VMSA_FAULT_EXTERNAL, VMSA_STAGE2, 3,
		   false);
	fx2_done(&f);
}

/* Stage 2 maps a data IPA to a PA outside memory: the access itself
 * aborts, FSC 0x10, and (not a stage-2 fault) goes to the guest's EL1. */
TEST(external_abort_stage2_final_access)
{
	struct fx2 f;
	uint64_t v;

	fx2_setup(&f, 1, 1);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, fx2_s2_pte(&f.vm[0],
						      fx2_data_ipa(1)),
			   fx2_s2_page_desc(NOWHERE));
	vmsa_desc_write_pa(f.m, VMSA_SETUP, fx2_pte(&f.vm[0], 0x3000),
			   fx_page_desc(fx2_data_ipa(1)));
	fx2_enter_guest(&f, 0, 0);
	record_on(f.m, 0);
	CHECK(!vmsa_read(f.m, 0, 0x3008, 8, &v));
	check_seen(1, 0x96000010, 0x3008, VMSA_FAULT_EXTERNAL_ACCESS,
		   VMSA_STAGE1, 0, false);
	fx2_done(&f);
}

/* DC CVAC of such a page: a Data Abort with CM and WnR. */
TEST(external_abort_cache_maintenance)
{
	struct fx f;

	fx_setup(&f, 1, 0);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, fx_pte(&f, 0x2000),
			   fx_page_desc(NOWHERE));
	record_on(f.m, 0);
	vmsa_dc(f.m, 0, VMSA_DC_CVAC, 0x2040);
	check_seen(1, 0x96000150, 0x2040, VMSA_FAULT_EXTERNAL_ACCESS,
		   VMSA_STAGE1, 0, false);
	fx_done(&f);
}

/* The fault kind's code, name and walk text: no stage, no level. */
TEST(external_abort_kind_code_and_text)
{
	vmsa_walk_t w;
	char text[200];

	CHECK_EQ(vmsa_fault_fsc(VMSA_FAULT_EXTERNAL_ACCESS, 0), 0x10);
	CHECK_EQ(vmsa_fault_fsc(VMSA_FAULT_EXTERNAL_ACCESS, 3), 0x10);
	CHECK_STR(vmsa_fault_kind_name(VMSA_FAULT_EXTERNAL_ACCESS),
		  "external abort on access");
	memset(&w, 0, sizeof(w));
	w.fault.kind = VMSA_FAULT_EXTERNAL_ACCESS;
	w.fault.stage = VMSA_STAGE1;
	w.fault.acc = VMSA_ACC_WRITE;
	w.fault.va = 0x2000;
	w.fault.fsc = 0x10;
	vmsa_walk_format(text, sizeof(text), &w);
	CHECK_STR(text, "external abort on access fsc=0x10 write va=0x2000");
}
