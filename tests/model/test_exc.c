/*
 * tests/model/test_exc.c - abort routing and syndromes, UNDEFINED system
 * register accesses (src/model/exc.c; Arm ARM D8.15, D24.2.46 ESR_EL2,
 * D24.2.76 HPFAR_EL2).
 */
#include "harness.h"
#include "model/exc.h"

static vmsa_fault_t fault(vmsa_fault_kind_t kind, vmsa_stage_t stage,
			  int level, bool s1ptw, uint64_t va, uint64_t ipa)
{
	vmsa_fault_t f;

	memset(&f, 0, sizeof(f));
	f.kind = kind;
	f.stage = stage;
	f.level = level;
	f.s1ptw = s1ptw;
	f.va = va;
	f.ipa = ipa;
	f.ipa_valid = stage == VMSA_STAGE2;
	f.fsc = vmsa_fault_fsc(kind, level);
	return f;
}

/* A regime with the given stages enabled (only the fields routing reads). */
static vmsa_regime_cfg_t regime(vmsa_regime_t r, bool s1, bool s2)
{
	vmsa_regime_cfg_t c;

	memset(&c, 0, sizeof(c));
	c.regime = r;
	c.s1.enabled = s1;
	c.s2.enabled = s2;
	return c;
}

TEST(exc_stage1_translation_l3_write_from_el1)
{
	vmsa_fault_t f = fault(VMSA_FAULT_TRANSLATION, VMSA_STAGE1, 3, false,
			       0xffff000012345678ull, 0);
	vmsa_regime_cfg_t c = regime(VMSA_REGIME_EL10, true, true);
	struct vmsa_exception e;
	char buf[160];

	CHECK_EQ(exc_abort_target_el(&f, 1, VMSA_HCR_VM, &c, 0, true), 1);
	exc_build_abort(&e, &f, false, true, 1, 1);
	CHECK_EQ(e.type, VMSA_EXC_DATA_ABORT);
	CHECK_EQ(e.ec, VMSA_EC_DABT_CUR);
	CHECK_EQ(e.iss, 0x47);
	CHECK_EQ(e.esr, 0x96000047);
	CHECK(e.far_valid);
	CHECK_EQ(e.far, 0xffff000012345678ull);
	CHECK(!e.hpfar_valid);
	CHECK(e.is_mmu_fault);
	CHECK_EQ(e.fault.fsc, 0x07);
	CHECK_EQ(VMSA_ESR_EC(e.esr), 0x25);
	CHECK_EQ(VMSA_ESR_FSC(e.esr), 0x07);
	CHECK(e.esr & VMSA_ESR_WNR);
	vmsa_exception_format(buf, sizeof(buf), &e);
	CHECK_STR(buf, "data abort EL1->EL1 ESR 0x96000047 FAR "
		       "0xffff000012345678 (translation, stage 1, level 3)");

	/* A read gives WnR = 0. */
	exc_build_abort(&e, &f, false, false, 1, 1);
	CHECK_EQ(e.esr, 0x96000007);
}

TEST(exc_stage1_from_el0)
{
	vmsa_fault_t f = fault(VMSA_FAULT_PERMISSION, VMSA_STAGE1, 2, false,
			       0x400000, 0);
	vmsa_regime_cfg_t c = regime(VMSA_REGIME_EL10, true, false);
	vmsa_regime_cfg_t host = regime(VMSA_REGIME_EL20, true, false);
	struct vmsa_exception e;

	CHECK_EQ(exc_abort_target_el(&f, 0, 0, &c, 0, false), 1);
	exc_build_abort(&e, &f, false, true, 0, 1);
	/* EC 0x24: from a lower EL. */
	CHECK_EQ(e.esr, 0x9200004e);
	/* TGE = 1 sends EL0's stage 1 faults to EL2 (E2H = 0 or 1). */
	CHECK_EQ(exc_abort_target_el(&f, 0, VMSA_HCR_TGE, &c, 0, false), 2);
	CHECK_EQ(exc_abort_target_el(&f, 0, VMSA_HCR_TGE | VMSA_HCR_E2H,
				     &host, 0, false), 2);
	exc_build_abort(&e, &f, false, true, 0, 2);
	CHECK_EQ(e.esr, 0x9200004e);
	CHECK(!e.hpfar_valid);
	/* Faults at EL2 stay there. */
	CHECK_EQ(exc_abort_target_el(&f, 2, 0, &host, 0, false), 2);
	exc_build_abort(&e, &f, false, false, 2, 2);
	CHECK_EQ(e.esr, 0x9600000e);
}

TEST(exc_stage2_fault_on_s1_walk)
{
	/* Stage 2 translation fault at level 1 on the stage 1 walk of a
	 * load at EL1: EL2, S1PTW, HPFAR = the table's IPA. */
	vmsa_fault_t f = fault(VMSA_FAULT_TRANSLATION, VMSA_STAGE2, 1, true,
			       0x7fff1234, 0x812345678ull);
	vmsa_regime_cfg_t c = regime(VMSA_REGIME_EL10, true, true);
	struct vmsa_exception e;

	CHECK_EQ(exc_abort_target_el(&f, 1, VMSA_HCR_VM, &c, 0, false), 2);
	CHECK_EQ(exc_abort_target_el(&f, 0, VMSA_HCR_VM, &c, 0, false), 2);
	exc_build_abort(&e, &f, false, false, 1, 2);
	CHECK_EQ(e.ec, VMSA_EC_DABT_LOW);
	CHECK_EQ(e.esr, 0x92000085);
	CHECK(e.esr & VMSA_ESR_S1PTW);
	CHECK_EQ(e.far, 0x7fff1234);
	CHECK(e.hpfar_valid);
	CHECK_EQ(e.hpfar, 0x8123450);

	/* A store whose walk faults: WnR says the instruction writes. */
	exc_build_abort(&e, &f, false, true, 1, 2);
	CHECK_EQ(e.esr, 0x920000c5);

	/* A stage 2 Permission fault on the walk also writes HPFAR. */
	f = fault(VMSA_FAULT_PERMISSION, VMSA_STAGE2, 3, true, 0x1000,
		  0x40005000);
	exc_build_abort(&e, &f, false, false, 1, 2);
	CHECK_EQ(e.esr, 0x9200008f);
	CHECK(e.hpfar_valid);
	CHECK_EQ(e.hpfar, 0x400050);
}

TEST(exc_stage2_on_access_hpfar_and_isv)
{
	vmsa_fault_t f = fault(VMSA_FAULT_TRANSLATION, VMSA_STAGE2, 3, false,
			       0x8000, 0x9000a000ull);
	struct exc_abort_info info = {
		.write = true, .isv = true, .sas = 3, .srt = 5, .sf = true,
	};
	struct vmsa_exception e;

	/* STR X5 to an unmapped IPA: ISV with SAS = 3, SRT = 5, SF. */
	exc_build_abort_ex(&e, &f, &info, 1, 2);
	CHECK_EQ(e.esr, 0x93c58047);
	CHECK(e.hpfar_valid);
	CHECK_EQ(e.hpfar, 0x9000a0);
	/* Without a syndrome offered, ISV = 0. */
	exc_build_abort(&e, &f, false, true, 1, 2);
	CHECK_EQ(e.esr, 0x92000047);

	/* Stage 2 Permission fault on the access: HPFAR is UNKNOWN
	 * (D24.2.76), the syndrome is still reported. */
	f = fault(VMSA_FAULT_PERMISSION, VMSA_STAGE2, 3, false, 0x8000,
		  0x9000a000ull);
	info.sse = true;
	info.ar = true;
	info.sas = 2;
	info.sf = false;
	info.write = false;
	exc_build_abort_ex(&e, &f, &info, 0, 2);
	CHECK_EQ(e.esr, 0x93a5400f);
	CHECK(!e.hpfar_valid);

	/* No ISV for stage 1 faults, stage 2 faults on a walk, or ESR_EL1. */
	f = fault(VMSA_FAULT_TRANSLATION, VMSA_STAGE1, 3, false, 0x8000, 0);
	exc_build_abort_ex(&e, &f, &info, 1, 1);
	CHECK_EQ(e.esr, 0x96000007);
	f = fault(VMSA_FAULT_TRANSLATION, VMSA_STAGE2, 2, true, 0x8000,
		  0x1000);
	exc_build_abort_ex(&e, &f, &info, 1, 2);
	CHECK_EQ(e.esr, 0x92000086);
}

TEST(exc_cache_maintenance_abort)
{
	/* DC CIVAC at EL0 on a page without write permission... the fault
	 * reports CM = 1 and WnR = 1. */
	vmsa_fault_t f = fault(VMSA_FAULT_PERMISSION, VMSA_STAGE1, 3, false,
			       0x5000, 0);
	struct exc_abort_info info = { .cm = true };
	struct vmsa_exception e;

	exc_build_abort_ex(&e, &f, &info, 0, 1);
	CHECK_EQ(e.esr, 0x9200014f);
}

TEST(exc_instruction_abort)
{
	vmsa_fault_t f = fault(VMSA_FAULT_TRANSLATION, VMSA_STAGE1, 2, false,
			       0x400123, 0);
	vmsa_regime_cfg_t c = regime(VMSA_REGIME_EL10, true, false);
	struct vmsa_exception e;

	CHECK_EQ(exc_abort_target_el(&f, 0, 0, &c, 0, false), 1);
	exc_build_abort(&e, &f, true, false, 0, 1);
	CHECK_EQ(e.type, VMSA_EXC_INSN_ABORT);
	CHECK_EQ(e.ec, VMSA_EC_IABT_LOW);
	CHECK_EQ(e.esr, 0x82000006);
	CHECK_EQ(e.far, 0x400123);
	/* Same EL; no WnR in an Instruction Abort even if asked. */
	exc_build_abort(&e, &f, true, true, 1, 1);
	CHECK_EQ(e.esr, 0x86000006);

	/* Access flag fault at stage 2 on an instruction fetch from EL1. */
	f = fault(VMSA_FAULT_ACCESS_FLAG, VMSA_STAGE2, 3, false, 0x400123,
		  0x80400123ull);
	exc_build_abort(&e, &f, true, false, 1, 2);
	CHECK_EQ(e.esr, 0x8200000b);
	CHECK(e.hpfar_valid);
	CHECK_EQ(e.hpfar, 0x804000);
}

TEST(exc_tlb_conflict_syndrome)
{
	vmsa_fault_t f = fault(VMSA_FAULT_TLB_CONFLICT, VMSA_STAGE2, 2,
			       false, 0x200000, 0x80200000ull);
	struct vmsa_exception e;

	/* FSC 0x30 and the looked-up address (IJYDXJ); HPFAR UNKNOWN. */
	exc_build_abort(&e, &f, false, true, 1, 2);
	CHECK_EQ(e.esr, 0x92000070);
	CHECK(e.far_valid);
	CHECK_EQ(e.far, 0x200000);
	CHECK(!e.hpfar_valid);
	CHECK_EQ(e.fault.fsc, 0x30);
	exc_build_abort(&e, &f, false, false, 1, 1);
	CHECK_EQ(e.esr, 0x96000030);
	/* An instruction fetch reports an Instruction Abort (RWJMZJ). */
	exc_build_abort(&e, &f, true, false, 1, 1);
	CHECK_EQ(e.esr, 0x86000030);
	CHECK_EQ(e.type, VMSA_EXC_INSN_ABORT);
}

TEST(exc_tlb_conflict_routing)
{
	vmsa_fault_t s1 = fault(VMSA_FAULT_TLB_CONFLICT, VMSA_STAGE1, 2,
				false, 0x200000, 0);
	vmsa_fault_t s2 = fault(VMSA_FAULT_TLB_CONFLICT, VMSA_STAGE2, 2,
				false, 0x200000, 0x200000);
	vmsa_regime_cfg_t both = regime(VMSA_REGIME_EL10, true, true);
	vmsa_regime_cfg_t only1 = regime(VMSA_REGIME_EL10, true, false);
	vmsa_regime_cfg_t only2 = regime(VMSA_REGIME_EL10, false, true);
	vmsa_regime_cfg_t el2 = regime(VMSA_REGIME_EL2, true, false);
	uint64_t vm = VMSA_HCR_VM;

	/* Both stages, no FEAT_BBML1: IMPLEMENTATION DEFINED (RQWTKL). */
	CHECK_EQ(exc_abort_target_el(&s1, 1, vm, &both, 0, false), 1);
	CHECK_EQ(exc_abort_target_el(&s2, 1, vm, &both, 0, false), 1);
	CHECK_EQ(exc_abort_target_el(&s1, 1, vm, &both, 0, true), 2);
	CHECK_EQ(exc_abort_target_el(&s2, 0, vm, &both, 0, true), 2);
	/* With FEAT_BBML1, size-change conflicts go to EL2. */
	CHECK_EQ(exc_abort_target_el(&s1, 1, vm, &both, 1, false), 2);
	CHECK_EQ(exc_abort_target_el(&s2, 0, vm, &both, 2, false), 2);
	/* One stage enabled: only it can conflict (RZMVZT). */
	CHECK_EQ(exc_abort_target_el(&s1, 1, 0, &only1, 1, true), 1);
	CHECK_EQ(exc_abort_target_el(&s1, 0, 0, &only1, 0, true), 1);
	CHECK_EQ(exc_abort_target_el(&s2, 1, VMSA_HCR_DC, &only2, 0, false),
		 2);
	/* EL2's own regimes, and EL0 under TGE. */
	CHECK_EQ(exc_abort_target_el(&s1, 2, 0, &el2, 0, false), 2);
	CHECK_EQ(exc_abort_target_el(&s1, 0, VMSA_HCR_TGE, &only1, 0, false),
		 2);
}

TEST(exc_undef_and_fp_syndromes)
{
	struct vmsa_exception e;

	exc_build_undef(&e, 0, 1);
	CHECK_EQ(e.type, VMSA_EXC_UNDEFINED);
	CHECK_EQ(e.ec, 0);
	CHECK_EQ(e.esr, 0x02000000);
	CHECK(!e.far_valid);
	CHECK(!e.hpfar_valid);
	CHECK(!e.is_mmu_fault);

	exc_build_fp_trap(&e, 1, 2, false, 0x3);
	CHECK_EQ(e.type, VMSA_EXC_FP_TRAP);
	CHECK_EQ(e.ec, VMSA_EC_FP);
	CHECK_EQ(e.esr, 0x1fe00000);
	/* From AArch32 the condition of the A32 instruction is reported. */
	exc_build_fp_trap(&e, 1, 2, true, 0x3);
	CHECK_EQ(e.esr, 0x1f300000);
	CHECK(e.from_aarch32);

	CHECK_EQ(exc_undef_target_el(0, 0), 1);
	CHECK_EQ(exc_undef_target_el(0, VMSA_HCR_TGE), 2);
	CHECK_EQ(exc_undef_target_el(1, 0), 1);
	CHECK_EQ(exc_undef_target_el(2, VMSA_HCR_TGE), 2);
}

TEST(exc_sysreg_undefined)
{
	struct sysregs s;
	struct vmsa_exception e;

	sysreg_reset(&s);
	CHECK_EQ(exc_sysreg_check(&s, VMSA_REG_TTBR0_EL1, 1, true, &e), 0);
	CHECK_EQ(exc_sysreg_check(&s, VMSA_REG_HCR_EL2, 2, true, &e), 0);

	CHECK_EQ(exc_sysreg_check(&s, VMSA_REG_HCR_EL2, 1, false, &e), 1);
	CHECK_EQ(e.type, VMSA_EXC_UNDEFINED);
	CHECK_EQ(e.from_el, 1);
	CHECK_EQ(e.to_el, 1);
	CHECK_EQ(e.esr, 0x02000000);

	CHECK_EQ(exc_sysreg_check(&s, VMSA_REG_SCTLR_EL1, 0, false, &e), 1);
	CHECK_EQ(e.to_el, 1);
	s.r[VMSA_REG_HCR_EL2] = VMSA_HCR_TGE;
	CHECK_EQ(exc_sysreg_check(&s, VMSA_REG_SCTLR_EL1, 0, false, &e), 1);
	CHECK_EQ(e.to_el, 2);

	/* An _EL12 name with E2H = 0 is UNDEFINED at EL2 (to EL2). */
	s.r[VMSA_REG_HCR_EL2] = 0;
	CHECK_EQ(exc_sysreg_check(&s, VMSA_REG_SCTLR_EL12, 2, true, &e), 1);
	CHECK_EQ(e.to_el, 2);
	CHECK_EQ(e.esr, 0x02000000);
	s.r[VMSA_REG_HCR_EL2] = VMSA_HCR_E2H;
	CHECK_EQ(exc_sysreg_check(&s, VMSA_REG_SCTLR_EL12, 2, true, &e), 0);
}

TEST(exc_sysreg_fpexc32_trapped_by_cptr)
{
	struct sysregs s;
	struct vmsa_exception e;
	char buf[128];

	sysreg_reset(&s);
	CHECK_EQ(exc_sysreg_check(&s, VMSA_REG_FPEXC32_EL2, 2, false, &e), 0);
	/* E2H = 0: CPTR_EL2.TFP traps the access, EC 0x07 (D24.2.52). */
	s.r[VMSA_REG_CPTR_EL2] = SYSREG_CPTR_TFP;
	CHECK_EQ(exc_sysreg_check(&s, VMSA_REG_FPEXC32_EL2, 2, true, &e), 1);
	CHECK_EQ(e.type, VMSA_EXC_FP_TRAP);
	CHECK_EQ(e.to_el, 2);
	CHECK_EQ(e.esr, 0x1fe00000);
	CHECK_STR(e.cause, "CPTR_EL2.TFP");
	vmsa_exception_format(buf, sizeof(buf), &e);
	CHECK_STR(buf, "FP/SIMD trap EL2->EL2 ESR 0x1fe00000 (CPTR_EL2.TFP)");
	/* At EL1 it is UNDEFINED first. */
	CHECK_EQ(exc_sysreg_check(&s, VMSA_REG_FPEXC32_EL2, 1, true, &e), 1);
	CHECK_EQ(e.type, VMSA_EXC_UNDEFINED);
	CHECK_EQ(e.to_el, 1);

	/* E2H = 1: FPEN = 0bx0 traps, 0b01 and 0b11 do not (at EL2);
	 * TFP's bit means nothing in this format. */
	s.r[VMSA_REG_HCR_EL2] = VMSA_HCR_E2H;
	s.r[VMSA_REG_CPTR_EL2] = SYSREG_CPTR_TFP;
	CHECK_EQ(exc_sysreg_check(&s, VMSA_REG_FPEXC32_EL2, 2, true, &e), 1);
	CHECK_STR(e.cause, "CPTR_EL2.FPEN");
	s.r[VMSA_REG_CPTR_EL2] = 2ull << 20;
	CHECK_EQ(exc_sysreg_check(&s, VMSA_REG_FPEXC32_EL2, 2, true, &e), 1);
	s.r[VMSA_REG_CPTR_EL2] = 1ull << 20;
	CHECK_EQ(exc_sysreg_check(&s, VMSA_REG_FPEXC32_EL2, 2, true, &e), 0);
	s.r[VMSA_REG_CPTR_EL2] = 3ull << 20;
	CHECK_EQ(exc_sysreg_check(&s, VMSA_REG_FPEXC32_EL2, 2, true, &e), 0);
}

TEST(exc_type_names)
{
	CHECK_STR(vmsa_exc_type_name(VMSA_EXC_DATA_ABORT), "data abort");
	CHECK_STR(vmsa_exc_type_name(VMSA_EXC_INSN_ABORT),
		  "instruction abort");
	CHECK_STR(vmsa_exc_type_name(VMSA_EXC_FP_TRAP), "FP/SIMD trap");
	CHECK_STR(vmsa_exc_type_name(VMSA_EXC_UNDEFINED), "undefined");
	CHECK_STR(vmsa_exc_type_name(VMSA_EXC_IRQ), "IRQ");
}
