/*
 * tests/model/test_spe.c - the Statistical Profiling Extension's
 * profiling unit (src/model/spe.c): when profiling is enabled (D17.4,
 * Table D17-1), the record written after each sampled access through
 * both stages, the Profiling Buffer management events of a stage-1 or
 * stage-2 fault and of a full buffer (D17.8, D24.7.5 PMBSR_EL1); the EC
 * 0x18 traps of MDCR_EL2.E2PB/TPMS and the FEAT_FGT ERET trap (EC 0x1A,
 * D24.2.71) with their emulation by the EL2 handler (vmsa_exc_emulate).
 *
 * The guest is fixture_s2.h's VM 0 on CPU1: VA 0x1000 -> data page 0.
 * The tests add VA 0x2000 -> data page 1 (the buffer), VA 0x3000 -> an
 * IPA stage 2 does not map, and leave VA 0x5000 unmapped at stage 1.
 */
#include "fixture_s2.h"
#include "model/spe.h"

#define VA_BUF 0x2000ull
#define VA_S2_HOLE 0x3000ull
#define VA_S1_HOLE 0x5000ull
#define IPA_S2_HOLE (FX2_IPA_DATA + 0x10000ull)
#define E2PB_EL1 VMSA_MDCR_E2PB(VMSA_MDCR_E2PB_EL1)
#define E2PB_TRAP VMSA_MDCR_E2PB(VMSA_MDCR_E2PB_EL1_TRAP)

/* ESR_EL2 of the traps: EC 0x18 with PMBLIMITR_EL1's encoding (op0 3,
 * op1 0, CRn 9, CRm 10, op2 0), MSR; PMBSR_EL1 (op2 3), MRS; ERET. */
#define ESR_MSR_PMBLIMITR 0x62302414ull
#define ESR_MRS_PMBSR 0x62362415ull
#define ESR_ERET 0x6a000000ull
/* PMBSR_EL1 after a stage-2 / stage-1 level-3 Translation fault on a
 * buffer write: EC 0b100101 / 0b100100, S, FSC 0b000111. */
#define PMBSR_S2_L3 0x94020007ull
#define PMBSR_S1_L3 0x90020007ull
#define PMBSR_FULL 0x00020001ull       /* S, EC 0, BSC buffer filled */

/* VM 0 with the extra guest mappings; CPU1 enters it (E2PB and the
 * other SPE registers set at EL2 first). */
static void spe_setup(struct fx2 *f, bool fgt, uint64_t mdcr,
		      uint64_t pmscr, uint64_t ptr, uint64_t limit)
{
	vmsa_features_t ft = vmsa_features_default();

	memset(f, 0, sizeof(*f));
	ft.fgt = fgt;
	f->m = vmsa_machine_new(&ft, NULL);
	fx2_vm_build(f, 0, 1);
	vmsa_desc_write_pa(f->m, VMSA_SETUP, fx2_pte(&f->vm[0], VA_BUF),
			   fx_page_desc(fx2_data_ipa(1)));
	vmsa_desc_write_pa(f->m, VMSA_SETUP, fx2_pte(&f->vm[0], VA_S2_HOLE),
			   fx_page_desc(IPA_S2_HOLE));
	vmsa_msr(f->m, 1, VMSA_REG_MDCR_EL2, mdcr);
	vmsa_msr(f->m, 1, VMSA_REG_PMSCR_EL1, pmscr);
	vmsa_msr(f->m, 1, VMSA_REG_PMBPTR_EL1, ptr);
	vmsa_msr(f->m, 1, VMSA_REG_PMBLIMITR_EL1, limit);
	fx2_enter_guest(f, 1, 0);
}

static uint64_t reg(struct fx2 *f, enum vmsa_sysreg r)
{
	return vmsa_mrs(f->m, 1, r);
}

/* A sampled read at EL1: the read, then its record at the buffer VA
 * (VA 0x2000 -> IPA data page 1 -> page[1]) in the next step; PMBPTR_EL1
 * moves on by 64 bytes. */
TEST(spe_record_through_both_stages)
{
	struct fx2 f;
	uint64_t steps, *rec;

	spe_setup(&f, false, E2PB_EL1, VMSA_PMSCR_E1SPE, VA_BUF,
		  (VA_BUF + 0x1000) | VMSA_PMBLIMITR_E);
	steps = vmsa_steps(f.m);
	CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xa0);
	CHECK_EQ(vmsa_steps(f.m) - steps, 2);
	CHECK_EQ(vmsa_spe_records(f.m, 1), 1);
	rec = vmsa_pa_ptr(f.m, f.vm[0].page[1]);
	CHECK_EQ(rec[0], FX2_VA);
	CHECK_EQ(rec[1], 1);                    /* EL1, a read */
	CHECK_EQ(reg(&f, VMSA_REG_PMBPTR_EL1), VA_BUF + 64);
	CHECK_EQ(reg(&f, VMSA_REG_PMBSR_EL1), 0);
	CHECK(!vmsa_spe_irq_pending(f.m, 1, NULL));
	/* A write is sampled too, at the next 64 bytes. */
	CHECK(vmsa_write(f.m, 1, FX2_VA, 8, 0x55));
	CHECK_EQ(rec[8], FX2_VA);
	CHECK_EQ(rec[9], 0x101);                /* EL1, a write */
	CHECK_EQ(reg(&f, VMSA_REG_PMBPTR_EL1), VA_BUF + 128);
	CHECK(vmsa_violation(f.m) == NULL);
	vmsa_machine_free(f.m);
}

/*
 * E2PB = 0b00: EL2 owns the buffer (RKFMHR), so the guest's EL1 sample
 * is written through the EL2 regime (RKRVDC), here with EL2's MMU off:
 * PMBPTR_EL1 is a PA, stage 2 plays no part, and the write goes to the
 * PoC: into a line the cache holds dirty (data page 3, written at
 * set-up) it is a loss of coherency; into a fresh page it is fine.
 */
TEST(spe_owner_el2_uses_the_el2_regime)
{
	for (unsigned fresh = 0; fresh < 2; fresh++) {
		const vmsa_violation_t *v;
		vmsa_pa_t buf;
		struct fx2 f;
		uint64_t *rec;

		memset(&f, 0, sizeof(f));
		f.m = fx_machine(2, 0, true);
		fx2_vm_build(&f, 0, 1);
		buf = fresh ? vmsa_page_alloc(f.m, VMSA_SETUP, 1, 1)
			    : f.vm[0].page[3];
		vmsa_msr(f.m, 1, VMSA_REG_PMSCR_EL1, VMSA_PMSCR_E1SPE);
		vmsa_msr(f.m, 1, VMSA_REG_PMBPTR_EL1, buf);
		vmsa_msr(f.m, 1, VMSA_REG_PMBLIMITR_EL1,
			 (buf + 0x1000) | VMSA_PMBLIMITR_E);
		fx2_enter_guest(&f, 1, 0);
		fx2_read(&f, 1, FX2_VA);
		v = vmsa_violation(f.m);
		if (!fresh) {
			CHECK(v != NULL && v->kind == VMSA_V_COHERENCY &&
			      v->step == vmsa_steps(f.m));
			vmsa_machine_free(f.m);
			continue;
		}
		CHECK(v == NULL);
		rec = vmsa_pa_ptr(f.m, buf);
		CHECK_EQ(rec[0], FX2_VA);
		CHECK_EQ(rec[1], 1);
		CHECK_EQ(vmsa_spe_records(f.m, 1), 1);
		vmsa_machine_free(f.m);
	}
}

/* Profiling off at the EL (E1SPE = 0, or the buffer disabled): no
 * record and no step. */
TEST(spe_disabled_takes_no_step)
{
	static const struct {
		uint64_t pmscr, limit;
	} cases[] = {
		{ VMSA_PMSCR_E0SPE, (VA_BUF + 0x1000) | VMSA_PMBLIMITR_E },
		{ VMSA_PMSCR_E1SPE, VA_BUF + 0x1000 },
	};

	for (unsigned i = 0; i < 2; i++) {
		struct fx2 f;
		uint64_t steps;

		spe_setup(&f, false, E2PB_EL1, cases[i].pmscr, VA_BUF,
			  cases[i].limit);
		steps = vmsa_steps(f.m);
		CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xa0);
		CHECK_EQ(vmsa_steps(f.m) - steps, 1);
		CHECK_EQ(vmsa_spe_records(f.m, 1), 0);
		CHECK_EQ(reg(&f, VMSA_REG_PMBPTR_EL1), VA_BUF);
		vmsa_machine_free(f.m);
	}
}

/*
 * D17.8.3: a stage-2 Translation fault on the buffer write is a
 * management event, not an exception: PMBSR_EL1 = S, EC 0b100101, FSC
 * level 3; PMBPTR_EL1 the faulting VA; ESR_EL1/ESR_EL2 untouched; the
 * record is lost and profiling stops (the next read is not sampled);
 * PMBIRQ is asserted for the owning EL (EL1: E2PB = 0b11).
 */
TEST(spe_stage2_fault_is_a_management_event)
{
	struct fx2 f;
	unsigned owner = 0;
	uint64_t steps;

	spe_setup(&f, false, E2PB_EL1, VMSA_PMSCR_E1SPE, VA_S2_HOLE,
		  (VA_S2_HOLE + 0x1000) | VMSA_PMBLIMITR_E);
	CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xa0);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(reg(&f, VMSA_REG_PMBSR_EL1), PMBSR_S2_L3);
	CHECK_EQ(VMSA_PMBSR_EC(PMBSR_S2_L3), VMSA_PMBSR_EC_S2);
	CHECK_EQ(reg(&f, VMSA_REG_PMBPTR_EL1), VA_S2_HOLE);
	CHECK_EQ(reg(&f, VMSA_REG_ESR_EL1), 0);
	CHECK_EQ(reg(&f, VMSA_REG_FAR_EL1), 0);
	CHECK_EQ(vmsa_spe_records(f.m, 1), 0);
	CHECK(vmsa_spe_irq_pending(f.m, 1, &owner));
	CHECK_EQ(owner, 1);
	steps = vmsa_steps(f.m);
	CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xa0);
	CHECK_EQ(vmsa_steps(f.m) - steps, 1);
	CHECK(vmsa_violation(f.m) == NULL);
	vmsa_machine_free(f.m);
}

/* A stage-1 fault (VA 0x5000 is not mapped): EC 0b100100. Software
 * that clears S restarts profiling from PMBPTR_EL1 (D17.7.4). */
TEST(spe_stage1_fault_then_restart)
{
	struct fx2 f;

	spe_setup(&f, false, E2PB_EL1, VMSA_PMSCR_E1SPE, VA_S1_HOLE,
		  (VA_S1_HOLE + 0x1000) | VMSA_PMBLIMITR_E);
	CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xa0);
	CHECK_EQ(reg(&f, VMSA_REG_PMBSR_EL1), PMBSR_S1_L3);
	CHECK_EQ(reg(&f, VMSA_REG_PMBPTR_EL1), VA_S1_HOLE);
	/* The guest maps the page and restarts profiling. */
	vmsa_desc_write_pa(f.m, 1, fx2_pte(&f.vm[0], VA_S1_HOLE),
			   fx_page_desc(fx2_data_ipa(2)));
	vmsa_dsb(f.m, 1, VMSA_BAR_ISH);
	vmsa_msr(f.m, 1, VMSA_REG_PMBSR_EL1, 0);
	CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xa0);
	CHECK_EQ(vmsa_spe_records(f.m, 1), 1);
	CHECK_EQ(((uint64_t *)vmsa_pa_ptr(f.m, f.vm[0].page[2]))[0], FX2_VA);
	CHECK_EQ(reg(&f, VMSA_REG_PMBPTR_EL1), VA_S1_HOLE + 64);
	CHECK(vmsa_violation(f.m) == NULL);
	vmsa_machine_free(f.m);
}

/* D17.8.2: after a record, less than a record's room below the limit:
 * buffer full (EC 0, BSC 1), PMBPTR_EL1 after the last record. */
TEST(spe_buffer_full)
{
	struct fx2 f;

	spe_setup(&f, false, E2PB_EL1, VMSA_PMSCR_E1SPE, VA_BUF,
		  (VA_BUF + 0x1000) | VMSA_PMBLIMITR_E);
	vmsa_msr(f.m, 1, VMSA_REG_PMBPTR_EL1, VA_BUF + 0x1000 - 128);
	CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xa0);
	CHECK_EQ(reg(&f, VMSA_REG_PMBSR_EL1), 0);
	CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xa0);
	CHECK_EQ(reg(&f, VMSA_REG_PMBSR_EL1), PMBSR_FULL);
	CHECK_EQ(reg(&f, VMSA_REG_PMBPTR_EL1), VA_BUF + 0x1000);
	CHECK_EQ(vmsa_spe_records(f.m, 1), 2);
	vmsa_machine_free(f.m);
}

/* Table D17-1 (Non-secure, no EL3): where profiling is enabled. */
TEST(spe_enabled_by_el)
{
	static const struct {
		unsigned e2pb;
		uint64_t hcr, pmscr1, pmscr2;
		unsigned el;
		bool on;
	} cases[] = {
		{ 3, 0, VMSA_PMSCR_E1SPE, 0, 1, true },
		{ 3, 0, VMSA_PMSCR_E0SPE, 0, 1, false },
		{ 3, 0, VMSA_PMSCR_E0SPE, 0, 0, true },
		{ 3, 0, VMSA_PMSCR_E1SPE, 0, 0, false },
		/* EL1 owner: never at EL2, nor at EL0 with TGE = 1 */
		{ 3, 0, 0, VMSA_PMSCR_E2SPE, 2, false },
		{ 2, VMSA_HCR_TGE, VMSA_PMSCR_E0SPE, VMSA_PMSCR_E0HSPE, 0,
		  false },
		/* EL2 owner (E2PB = 0b00) */
		{ 0, 0, 0, VMSA_PMSCR_E2SPE, 2, true },
		{ 0, 0, VMSA_PMSCR_E1SPE, 0, 1, true },
		{ 0, VMSA_HCR_TGE | VMSA_HCR_E2H, VMSA_PMSCR_E0SPE, 0, 0,
		  false },
		{ 0, VMSA_HCR_TGE | VMSA_HCR_E2H, 0, VMSA_PMSCR_E0HSPE, 0,
		  true },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cpu c;

		memset(&c, 0, sizeof(c));
		c.el = cases[i].el;
		c.regs.r[VMSA_REG_MDCR_EL2] = VMSA_MDCR_E2PB(cases[i].e2pb);
		c.regs.r[VMSA_REG_HCR_EL2] = cases[i].hcr;
		c.regs.r[VMSA_REG_PMSCR_EL1] = cases[i].pmscr1;
		c.regs.r[VMSA_REG_PMSCR_EL2] = cases[i].pmscr2;
		c.regs.r[VMSA_REG_PMBLIMITR_EL1] = VMSA_PMBLIMITR_E;
		CHECK_MSG(spe_enabled(&c) == cases[i].on, "case %u", i);
		CHECK_EQ(spe_owning_el(&c.regs), cases[i].e2pb ? 1u : 2u);
		/* Stopped (S = 1): never. */
		c.regs.r[VMSA_REG_PMBSR_EL1] = VMSA_PMBSR_S;
		CHECK(!spe_enabled(&c));
	}
}

/* What the EL2 handler saw, and what it does. */
struct trap_log {
	unsigned n;
	struct vmsa_exception e;
	uint64_t esr_el2;
	enum { SKIP, EMULATE, UNTRAP } how;
	uint64_t value;
};

/* Emulates a trapped MSR (writing the value | 0x100), then steps over
 * the instruction as t->how says: vmsa_skip_insn, vmsa_exc_emulate, or
 * neither after clearing the ERET trap (so that it runs again). */
static void trap_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
			 const struct vmsa_exception *e, void *arg)
{
	struct trap_log *t = arg;

	t->n++;
	t->e = *e;
	t->esr_el2 = vmsa_mrs(m, cpu, VMSA_REG_ESR_EL2);
	if (e->type == VMSA_EXC_SYSREG_TRAP && !e->sysreg_read)
		vmsa_msr(m, cpu, e->sysreg, e->sysreg_value | 0x100);
	switch (t->how) {
	case SKIP:
		vmsa_skip_insn(m, cpu);
		break;
	case EMULATE:
		vmsa_exc_emulate(m, cpu, t->value);
		break;
	case UNTRAP:
		vmsa_msr(m, cpu, VMSA_REG_HFGITR_EL2, 0);
		break;
	}
}

/*
 * MDCR_EL2.E2PB = 0b10: EL1's MSR PMBLIMITR_EL1 traps to EL2 (EC 0x18,
 * Direction 0) with the value written; the handler emulates it and the
 * MSR is not executed again. MRS PMBSR_EL1 traps (Direction 1) and
 * returns what the handler gives.
 */
TEST(spe_e2pb_traps_buffer_registers)
{
	struct trap_log t = {0};
	struct fx2 f;

	spe_setup(&f, false, E2PB_TRAP, 0, 0, 0);
	vmsa_set_handler(f.m, 1, 2, trap_handler, &t);
	vmsa_msr(f.m, 1, VMSA_REG_PMBLIMITR_EL1, 0x7000 | VMSA_PMBLIMITR_E);
	CHECK_EQ(t.n, 1);
	CHECK_EQ(t.e.type, VMSA_EXC_SYSREG_TRAP);
	CHECK_EQ(t.e.ec, VMSA_EC_SYSREG);
	CHECK_EQ(t.e.esr, ESR_MSR_PMBLIMITR);
	CHECK_EQ(t.esr_el2, ESR_MSR_PMBLIMITR);
	CHECK_EQ(t.e.sysreg, VMSA_REG_PMBLIMITR_EL1);
	CHECK_EQ(t.e.sysreg_value, 0x7001);
	CHECK_EQ(vmsa_current_el(f.m, 1), 1);
	CHECK_EQ(vmsa_mrs(f.m, 1, VMSA_REG_PMBSR_EL1), 0); /* skipped */
	CHECK_EQ(t.n, 2);
	t.how = EMULATE;
	t.value = 0x4242;
	CHECK_EQ(vmsa_mrs(f.m, 1, VMSA_REG_PMBSR_EL1), 0x4242);
	CHECK_EQ(t.n, 3);
	CHECK_EQ(t.esr_el2, ESR_MRS_PMBSR);
	CHECK(t.e.sysreg_read);
	/* What the handler wrote at EL2 is the register (not trapped). */
	vmsa_set_handler(f.m, 1, 2, NULL, NULL);
	vmsa_msr(f.m, 1, VMSA_REG_MDCR_EL2, 0); /* UNDEFINED at EL1 */
	CHECK(vmsa_violation(f.m) != NULL);
	vmsa_machine_free(f.m);
}

/* E2PB = 0b11: no trap; TPMS traps PMSCR_EL1. */
TEST(spe_e2pb_el1_no_trap_tpms_traps_pmscr)
{
	struct trap_log t = {0};
	struct fx2 f;

	spe_setup(&f, false, E2PB_EL1 | VMSA_MDCR_TPMS, 0, 0, 0);
	vmsa_set_handler(f.m, 1, 2, trap_handler, &t);
	vmsa_msr(f.m, 1, VMSA_REG_PMBPTR_EL1, 0x2000);
	CHECK_EQ(t.n, 0);
	CHECK_EQ(vmsa_mrs(f.m, 1, VMSA_REG_PMBPTR_EL1), 0x2000);
	vmsa_msr(f.m, 1, VMSA_REG_PMSCR_EL1, 1);
	CHECK_EQ(t.n, 1);
	CHECK_EQ(t.e.sysreg, VMSA_REG_PMSCR_EL1);
	/* op0 3, op1 0, CRn 9, CRm 9, op2 0, MSR */
	CHECK_EQ(t.e.esr, 0x62302412ull);
	CHECK(vmsa_violation(f.m) == NULL);
	vmsa_machine_free(f.m);
}

/* PMSCR_EL1 at EL2 with E2H = 1 is PMSCR_EL2; PMSCR_EL12 is PMSCR_EL1. */
TEST(spe_pmscr_vhe_redirect)
{
	CHECK_EQ(sysreg_redirect(VMSA_REG_PMSCR_EL1, 2, VMSA_HCR_E2H),
		 VMSA_REG_PMSCR_EL2);
	CHECK_EQ(sysreg_redirect(VMSA_REG_PMSCR_EL1, 2, 0),
		 VMSA_REG_PMSCR_EL1);
	CHECK_EQ(sysreg_redirect(VMSA_REG_PMSCR_EL12, 2, VMSA_HCR_E2H),
		 VMSA_REG_PMSCR_EL1);
	CHECK(!sysreg_access_ok(VMSA_REG_PMSCR_EL12, 2, true, 0));
	CHECK(!sysreg_access_ok(VMSA_REG_PMSCR_EL2, 1, true, 0));
	CHECK_STR(vmsa_sysreg_name(VMSA_REG_HFGITR_EL2), "HFGITR_EL2");
}

/*
 * FEAT_FGT, HFGITR_EL2.ERET: EL1's ERET to EL0 traps to EL2 (EC 0x1A,
 * ISS 0, e->eret_el 0). Emulated, the return goes to EL0; skipped, the
 * CPU stays at EL1; neither, the ERET runs again (here untrapped by the
 * handler, so it completes: one trap).
 */
TEST(spe_fgt_eret_trap)
{
	static const unsigned want_el[] = {[SKIP] = 1, [EMULATE] = 0,
					   [UNTRAP] = 0};

	for (unsigned how = SKIP; how <= UNTRAP; how++) {
		struct trap_log t = {0};
		vmsa_features_t ft = vmsa_features_default();
		struct fx2 f;

		t.how = how;
		memset(&f, 0, sizeof(f));
		ft.fgt = true;
		f.m = vmsa_machine_new(&ft, NULL);
		fx2_vm_build(&f, 0, 1);
		vmsa_msr(f.m, 1, VMSA_REG_HFGITR_EL2, VMSA_HFGITR_ERET);
		CHECK_EQ(vmsa_mrs(f.m, 1, VMSA_REG_HFGITR_EL2),
			 VMSA_HFGITR_ERET);
		fx2_enter_guest(&f, 1, 0); /* EL2 -> EL1: not trapped */
		CHECK_EQ(vmsa_current_el(f.m, 1), 1);
		vmsa_set_handler(f.m, 1, 2, trap_handler, &t);
		vmsa_eret(f.m, 1, 0);
		CHECK_EQ(t.n, 1);
		CHECK_EQ(t.e.type, VMSA_EXC_ERET_TRAP);
		CHECK_EQ(t.e.esr, ESR_ERET);
		CHECK_EQ(t.esr_el2, ESR_ERET);
		CHECK_EQ(t.e.eret_el, 0);
		CHECK_EQ(vmsa_current_el(f.m, 1), want_el[how]);
		CHECK(vmsa_violation(f.m) == NULL);
		vmsa_machine_free(f.m);
	}
}

/* Without FEAT_FGT, HFGITR_EL2 is UNDEFINED (no handler: a violation);
 * vmsa_exc_emulate outside a trap's handler is a scenario error. */
TEST(spe_hfgitr_needs_fgt_and_emulate_needs_a_trap)
{
	struct fx2 f;
	const vmsa_violation_t *v;

	spe_setup(&f, false, E2PB_EL1, 0, 0, 0);
	vmsa_msr(f.m, 0, VMSA_REG_HFGITR_EL2, VMSA_HFGITR_ERET);
	v = vmsa_violation(f.m);
	CHECK(v != NULL && v->kind == VMSA_V_UNDEFINED);
	vmsa_machine_free(f.m);

	spe_setup(&f, false, E2PB_EL1, 0, 0, 0);
	vmsa_exc_emulate(f.m, 1, 0);
	v = vmsa_violation(f.m);
	CHECK(v != NULL && v->kind == VMSA_V_BAD_CALL);
	vmsa_machine_free(f.m);
}

/* PMBIRQ follows PMBSR_EL1.S (RTSJRP, IGRLRX): pending from the event
 * on, not once software clears S; never sent by a CPU. */
TEST(spe_pmbirq_follows_pmbsr_s)
{
	struct fx2 f;

	spe_setup(&f, false, E2PB_EL1, VMSA_PMSCR_E1SPE, VA_S2_HOLE,
		  (VA_S2_HOLE + 0x1000) | VMSA_PMBLIMITR_E);
	CHECK(!vmsa_irq_pending(f.m, 1, VMSA_IRQ_PMB));
	CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xa0);
	CHECK(vmsa_irq_pending(f.m, 1, VMSA_IRQ_PMB));
	vmsa_msr(f.m, 1, VMSA_REG_PMBSR_EL1, 0);
	CHECK(!vmsa_irq_pending(f.m, 1, VMSA_IRQ_PMB));
	/* Setting S by hand asserts it too (IGRLRX). */
	vmsa_msr(f.m, 1, VMSA_REG_PMBSR_EL1, VMSA_PMBSR_S);
	CHECK(vmsa_irq_pending(f.m, 1, VMSA_IRQ_PMB));
	CHECK_STR(vmsa_irq_name(VMSA_IRQ_PMB), "PMBIRQ");
	CHECK(vmsa_violation(f.m) == NULL);
	vmsa_send_irq(f.m, 0, 1, VMSA_IRQ_PMB);
	CHECK(vmsa_violation(f.m) != NULL &&
	      vmsa_violation(f.m)->kind == VMSA_V_BAD_CALL);
	vmsa_machine_free(f.m);
}

struct pmb_log {
	unsigned n;
	vmsa_irq_t irq;
	unsigned to_el;
};

/* EL2's IRQ handler: services the buffer (clears S). */
static void pmb_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
			const struct vmsa_exception *e, void *arg)
{
	struct pmb_log *l = arg;

	l->n++;
	l->irq = e->irq;
	l->to_el = e->to_el;
	vmsa_msr(m, cpu, VMSA_REG_PMBSR_EL1, 0);
}

/* With HCR_EL2.IMO and ICC_PMR_EL1 letting it through, the guest's
 * stage-2 event interrupts EL2 at the next step boundary (the default
 * chooser takes it at once); its handler clears S and it is gone. */
TEST(spe_pmbirq_taken_at_el2)
{
	struct pmb_log l = {0};
	struct fx2 f;

	memset(&f, 0, sizeof(f));
	f.m = fx_machine(2, 0, true);
	fx2_vm_build(&f, 0, 1);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, fx2_pte(&f.vm[0], VA_S2_HOLE),
			   fx_page_desc(IPA_S2_HOLE));
	vmsa_msr(f.m, 1, VMSA_REG_MDCR_EL2, E2PB_EL1);
	vmsa_msr(f.m, 1, VMSA_REG_PMSCR_EL1, VMSA_PMSCR_E1SPE);
	vmsa_msr(f.m, 1, VMSA_REG_PMBPTR_EL1, VA_S2_HOLE);
	vmsa_msr(f.m, 1, VMSA_REG_PMBLIMITR_EL1,
		 (VA_S2_HOLE + 0x1000) | VMSA_PMBLIMITR_E);
	vmsa_msr(f.m, 1, VMSA_REG_ICC_PMR_EL1, 0xff);
	fx2_hyp_select(&f, 1, 0);
	vmsa_msr(f.m, 1, VMSA_REG_HCR_EL2, FX2_HCR | VMSA_HCR_IMO);
	fx2_guest_regs(&f, 1);
	vmsa_eret(f.m, 1, 1);
	vmsa_set_handler(f.m, 1, 2, pmb_handler, &l);
	CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xa0);   /* the event */
	CHECK_EQ(l.n, 0);
	CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xa0);   /* taken first */
	CHECK_EQ(l.n, 1);
	CHECK_EQ(l.irq, VMSA_IRQ_PMB);
	CHECK_EQ(l.to_el, 2);
	CHECK_EQ(vmsa_current_el(f.m, 1), 1);
	/* Profiling restarted: the second read was sampled (and faulted
	 * again: the IPA is still unmapped). */
	CHECK(vmsa_irq_pending(f.m, 1, VMSA_IRQ_PMB));
	CHECK(vmsa_violation(f.m) == NULL);
	vmsa_machine_free(f.m);
}
