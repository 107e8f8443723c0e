/*
 * tests/model/test_model_exc.c - exceptions through the whole machine
 * (DESIGN "The model's semantics" items 10 and 12; ARCH-RULES section 8;
 * Arm ARM D1.4, D8.15, D24.2.46 ESR_ELx, D24.2.113 PAR_EL1): a fault
 * delivered to a handler and the access retried, the syndrome registers
 * the handler reads, exception entry and return as steps and context
 * synchronisation events, unhandled aborts and UNDEFINED instructions,
 * FP/SIMD trap priority for a 32-bit guest, and AT.
 */
#include <stdio.h>
#include <string.h>

#include "fixture.h"

#define MAPPED 0x1000ull	/* VA -> page[0] in the fixture */
#define UNMAPPED 0x2000ull	/* invalid level-3 entry */
#define PAGE1_WORD 0x5151515151515151ull

/* ------------------------------------------------------------------ */
/* A small trace recorder: op names and steps                          */
/* ------------------------------------------------------------------ */

#define MAX_EVENTS 64

struct ops {
	unsigned n;
	uint64_t step[MAX_EVENTS];
	int cpu[MAX_EVENTS];
	char op[MAX_EVENTS][16];
};

static void record_op(void *ctx, const vmsa_trace_event_t *e)
{
	struct ops *o = ctx;

	if (o->n == MAX_EVENTS)
		return;
	o->step[o->n] = e->step;
	o->cpu[o->n] = e->cpu;
	snprintf(o->op[o->n], sizeof(o->op[0]), "%s", e->op);
	o->n++;
}

/* Check event i: op name and step. */
#define CHECK_EVENT(o, i, name, st)                                      \
	do {                                                             \
		CHECK((i) < (o)->n);                                     \
		if ((i) < (o)->n) {                                      \
			CHECK_STR((o)->op[i], name);                     \
			CHECK_EQ((o)->step[i], st);                      \
		}                                                        \
	} while (0)

/* ------------------------------------------------------------------ */
/* A chooser that counts real choices (n >= 2) and takes option 0      */
/* ------------------------------------------------------------------ */

struct counter {
	unsigned n;
	char last_what[64];
};

static unsigned count_choice(void *ctx, unsigned n, const char *what)
{
	struct counter *c = ctx;

	(void)n;
	c->n++;
	snprintf(c->last_what, sizeof(c->last_what), "%s", what);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Handlers                                                            */
/* ------------------------------------------------------------------ */

/* What a handler saw. */
struct seen {
	struct fx *f;
	unsigned calls;
	struct vmsa_exception e;
	unsigned el;		/* vmsa_current_el() inside the handler */
	uint64_t entry_step;	/* vmsa_steps() when the handler started */
	uint64_t esr, far;	/* read with MRS inside the handler */
	uint64_t read;		/* a value the handler read, if it did */
	bool read_ok;
	struct counter *choices; /* when set: choices of the handler's read */
	unsigned choices_in_read;
};

static void seen_entry(struct seen *s, vmsa_machine_t *m, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e)
{
	s->calls++;
	s->e = *e;
	s->el = vmsa_current_el(m, cpu);
	s->entry_step = vmsa_steps(m);
}

/* EL1 handler of a stage-1 Translation fault: read ESR_EL1 and FAR_EL1,
 * map the faulting page to page[1], make the store visible to walks
 * (DSB) and return; the exception return is the context synchronisation
 * event the retried walk needs. */
static void map_on_fault(vmsa_machine_t *m, vmsa_cpu_t cpu,
			 const struct vmsa_exception *e, void *arg)
{
	struct seen *s = arg;

	seen_entry(s, m, cpu, e);
	s->esr = vmsa_mrs(m, cpu, VMSA_REG_ESR_EL1);
	s->far = vmsa_mrs(m, cpu, VMSA_REG_FAR_EL1);
	vmsa_desc_write_pa(m, cpu, fx_pte(s->f, s->far),
			   fx_page_desc(s->f->page[1]));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
}

/* EL1 handler of an UNDEFINED instruction: read ESR_EL1, then read VA
 * UNMAPPED (mapped by the test before the exception), counting the
 * choices that read offers. Returning skips the instruction. */
static void undef_then_read(vmsa_machine_t *m, vmsa_cpu_t cpu,
			    const struct vmsa_exception *e, void *arg)
{
	struct seen *s = arg;
	unsigned before;

	seen_entry(s, m, cpu, e);
	s->esr = vmsa_mrs(m, cpu, VMSA_REG_ESR_EL1);
	before = s->choices ? s->choices->n : 0;
	s->read_ok = vmsa_read(m, cpu, UNMAPPED, 8, &s->read);
	if (s->choices)
		s->choices_in_read = s->choices->n - before;
}

/* Record only, then stop the execution (test_fpregs.c runs a guest FP
 * handler that enables FP with VMSR FPEXC and returns). */
static void record_and_stop(vmsa_machine_t *m, vmsa_cpu_t cpu,
			    const struct vmsa_exception *e, void *arg)
{
	struct seen *s = arg;

	seen_entry(s, m, cpu, e);
	s->esr = vmsa_mrs(m, cpu, VMSA_REG_ESR_EL1);
	vmsa_report(m, cpu, VMSA_V_ASSERT, "guest FP handler reached");
}

/* EL2 handler of an FP/SIMD trap: read ESR_EL2, stop trapping
 * (CPTR_EL2.TFP = 0) and return: the instruction is retried. */
static void el2_fp_untrap(vmsa_machine_t *m, vmsa_cpu_t cpu,
			  const struct vmsa_exception *e, void *arg)
{
	struct seen *s = arg;

	seen_entry(s, m, cpu, e);
	s->esr = vmsa_mrs(m, cpu, VMSA_REG_ESR_EL2);
	vmsa_msr(m, cpu, VMSA_REG_CPTR_EL2, 0);
}

/* ------------------------------------------------------------------ */
/* Faults, handlers, retry                                             */
/* ------------------------------------------------------------------ */

/*
 * A stage-1 Translation fault at level 3 of a read at EL1 goes to the
 * EL1 handler (D8.15: stage 1 faults of EL1&0 are taken to EL1), which
 * sees ESR_EL1 = EC 0x25 (Data Abort, same EL), IL, DFSC 0x07, WnR = 0,
 * ISV = 0, and FAR_EL1 = the exact VA. It maps the page; after the
 * exception return the read is retried and returns the page's data.
 * Steps: the faulting attempt, the entry, the handler's four, the
 * return and the retried access: 8.
 */
TEST(model_exc_fault_handler_maps_and_retries)
{
	struct fx f;
	struct seen s;
	struct ops o;
	struct counter ch = {0};
	vmsa_chooser_t chooser = {count_choice, &ch};
	const uint64_t va = UNMAPPED + 0x10;
	uint64_t step;

	fx_setup(&f, 2, 0);
	memset(&s, 0, sizeof(s));
	memset(&o, 0, sizeof(o));
	s.f = &f;
	vmsa_phys_write(f.m, VMSA_SETUP, f.page[1] + 0x10, 8, PAGE1_WORD,
			true);
	vmsa_set_handler(f.m, 0, 1, map_on_fault, &s);
	vmsa_set_trace(f.m, record_op, &o);
	vmsa_set_chooser(f.m, &chooser);
	step = vmsa_steps(f.m);

	CHECK_EQ(fx_read(&f, 0, va), PAGE1_WORD);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(vmsa_steps(f.m), step + 8);
	CHECK_EQ(s.calls, 1);
	CHECK_EQ(s.el, 1);
	CHECK_EQ(s.entry_step, step + 2);
	CHECK_EQ(s.esr, 0x96000007);
	CHECK_EQ(s.far, va);
	CHECK_EQ(s.e.type, VMSA_EXC_DATA_ABORT);
	CHECK_EQ(s.e.ec, VMSA_EC_DABT_CUR);
	CHECK_EQ(s.e.esr, 0x96000007);
	CHECK_EQ(s.e.from_el, 1);
	CHECK_EQ(s.e.to_el, 1);
	CHECK(s.e.far_valid);
	CHECK_EQ(s.e.far, va);
	CHECK(!s.e.hpfar_valid);
	CHECK(s.e.is_mmu_fault);
	CHECK_EQ(s.e.fault.kind, VMSA_FAULT_TRANSLATION);
	CHECK_EQ(s.e.fault.stage, VMSA_STAGE1);
	CHECK_EQ(s.e.fault.level, 3);
	CHECK_EQ(vmsa_current_el(f.m, 0), 1);

	/* Entry and return are steps of their own (DESIGN item 10). */
	CHECK_EVENT(&o, 0, "read", step + 1);
	CHECK_EVENT(&o, 1, "exception", step + 2);
	CHECK_EVENT(&o, 2, "mrs", step + 3);
	CHECK_EVENT(&o, 3, "mrs", step + 4);
	CHECK_EVENT(&o, 4, "write-desc", step + 5);
	CHECK_EVENT(&o, 5, "dsb", step + 6);
	CHECK_EVENT(&o, 6, "eret", step + 7);
	CHECK_EVENT(&o, 7, "read", step + 8);
	CHECK_EVENT(&o, 8, "read", step + 8);
	CHECK_EQ(o.n, 9);
	for (unsigned i = 0; i < o.n; i++)
		CHECK_EQ(o.cpu[i], 0);

	/*
	 * The exception return is a context synchronisation event: the
	 * retried walk cannot have been done before it, so it is offered no
	 * spurious Translation fault on the old invalid entry (no choice at
	 * all; compare model_exc_no_cse_offers_spurious_fault).
	 */
	CHECK_EQ(ch.n, 0);
	fx_done(&f);
}

/*
 * The control for the two CSE tests: a CPU makes an entry valid and
 * executes a DSB but no ISB; its next walk may still have been done
 * before the store (no ETS2: the window starts at the last context
 * synchronisation event), so it is offered the old invalid value.
 */
TEST(model_exc_no_cse_offers_spurious_fault)
{
	struct fx f;
	struct counter ch = {0};
	vmsa_chooser_t chooser = {count_choice, &ch};

	fx_setup(&f, 2, 0);
	vmsa_set_chooser(f.m, &chooser);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, UNMAPPED),
			   fx_page_desc(f.page[1]));
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK_EQ(fx_read(&f, 0, UNMAPPED), 0xa1);
	CHECK_EQ(ch.n, 1);
	CHECK_STR(ch.last_what, "stage-1 descriptor value");
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/*
 * Exception entry is a context synchronisation event: after the same
 * store and DSB, an UNDEFINED MSR (of VTTBR_EL2 at EL1) is taken to the
 * EL1 handler, whose read of the new entry is offered no stale invalid
 * value. The handler sees EC 0x00 with IL: ESR_EL1 = 0x02000000.
 */
TEST(model_exc_entry_is_context_synchronisation)
{
	struct fx f;
	struct seen s;
	struct counter ch = {0};
	vmsa_chooser_t chooser = {count_choice, &ch};
	uint64_t step;

	fx_setup(&f, 2, 0);
	memset(&s, 0, sizeof(s));
	s.f = &f;
	s.choices = &ch;
	vmsa_set_handler(f.m, 0, 1, undef_then_read, &s);
	vmsa_set_chooser(f.m, &chooser);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, UNMAPPED),
			   fx_page_desc(f.page[1]));
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	step = vmsa_steps(f.m);
	vmsa_msr(f.m, 0, VMSA_REG_VTTBR_EL2, 0x1234);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(s.calls, 1);
	CHECK_EQ(s.entry_step, step + 2);
	CHECK_EQ(s.e.type, VMSA_EXC_UNDEFINED);
	CHECK_EQ(s.e.ec, VMSA_EC_UNKNOWN);
	CHECK_EQ(s.e.to_el, 1);
	CHECK_EQ(s.esr, 0x02000000);
	CHECK(s.read_ok);
	CHECK_EQ(s.read, 0xa1);
	CHECK_EQ(s.choices_in_read, 0);
	CHECK_EQ(ch.n, 0);
	/* msr, entry, mrs, read, return. */
	CHECK_EQ(vmsa_steps(f.m), step + 5);
	CHECK_EQ(vmsa_current_el(f.m, 0), 1);
	/* The MSR had no effect: the guest's regime is unchanged. */
	CHECK_EQ(fx_read(&f, 0, MAPPED), 0xa0);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/*
 * No handler at EL1: the Translation fault is an `unhandled-abort`
 * violation, reported at the step of the faulting access; the execution
 * stops there (no entry step).
 */
TEST(model_exc_unhandled_abort)
{
	struct fx f;
	const vmsa_violation_t *v;
	uint64_t step, val = 7;

	fx_setup(&f, 2, 0);
	step = vmsa_steps(f.m);
	CHECK(!vmsa_read(f.m, 1, UNMAPPED, 8, &val));
	CHECK_EQ(val, 0);
	CHECK_EQ(vmsa_steps(f.m), step + 1);
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_UNHANDLED_ABORT);
		CHECK_STR(vmsa_violation_kind_name(v->kind),
			  "unhandled-abort");
		CHECK_EQ(v->step, step + 1);
		CHECK_EQ(v->cpu, 1);
		CHECK(v->rule == NULL);
		CHECK(strstr(v->message, "no handler at EL1") != NULL);
		CHECK(strstr(v->message, "ESR 0x96000007") != NULL);
	}
	CHECK(vmsa_stopped(f.m));
	/* Later operations do nothing. */
	vmsa_isb(f.m, 0);
	CHECK_EQ(vmsa_steps(f.m), step + 1);
	fx_done(&f);
}

/* A write fault without a handler: WnR = 1 in the reported syndrome. */
TEST(model_exc_unhandled_write_abort)
{
	struct fx f;
	const vmsa_violation_t *v;
	uint64_t step;

	fx_setup(&f, 2, 0);
	step = vmsa_steps(f.m);
	CHECK(!vmsa_write(f.m, 0, UNMAPPED + 8, 8, 1));
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_UNHANDLED_ABORT);
		CHECK_EQ(v->step, step + 1);
		CHECK(strstr(v->message, "ESR 0x96000047 FAR 0x2008") != NULL);
	}
	fx_done(&f);
}

/* MSR to an EL2 register at EL1 without a handler: UNDEFINED (D1.4.5.6),
 * reported as `undefined-instruction` at the MSR's step. */
TEST(model_exc_msr_el2_register_at_el1)
{
	struct fx f;
	const vmsa_violation_t *v;
	uint64_t step;

	fx_setup(&f, 2, 0);
	step = vmsa_steps(f.m);
	vmsa_msr(f.m, 1, VMSA_REG_HCR_EL2, VMSA_HCR_VM);
	CHECK_EQ(vmsa_steps(f.m), step + 1);
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_UNDEFINED);
		CHECK_STR(vmsa_violation_kind_name(v->kind),
			  "undefined-instruction");
		CHECK_EQ(v->step, step + 1);
		CHECK_EQ(v->cpu, 1);
	}
	fx_done(&f);
}

/* MRS of an EL2 register at EL1: the same, and the read returns 0. */
TEST(model_exc_mrs_el2_register_at_el1)
{
	struct fx f;
	const vmsa_violation_t *v;
	uint64_t step;

	fx_setup(&f, 2, 0);
	step = vmsa_steps(f.m);
	CHECK_EQ(vmsa_mrs(f.m, 0, VMSA_REG_ESR_EL2), 0);
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_UNDEFINED);
		CHECK_EQ(v->step, step + 1);
	}
	fx_done(&f);
}

/* ------------------------------------------------------------------ */
/* FP/SIMD for a 32-bit guest (ARCH-RULES section 8)                   */
/* ------------------------------------------------------------------ */

#define CPACR_FPEN_ALL (3ull << 20)
#define CPTR_TFP (1ull << 10)
#define FPEXC_EN (1ull << 30)
#define ESR_SENTINEL 0x5eedull

/*
 * CPU0 becomes a 32-bit guest (HCR_EL2.RW = 0) at EL1, MMU off, with
 * CPACR_EL1 enabling FP, FPEXC32_EL2 = fpexc and CPTR_EL2.TFP = 1 (set
 * last: TFP also traps the hypervisor's own FPEXC32_EL2 access).
 * ESR_EL1 holds a sentinel.
 */
static void enter_aarch32_guest(vmsa_machine_t *m, uint64_t fpexc)
{
	vmsa_msr(m, 0, VMSA_REG_CPACR_EL1, CPACR_FPEN_ALL);
	vmsa_msr(m, 0, VMSA_REG_FPEXC32_EL2, fpexc);
	vmsa_msr(m, 0, VMSA_REG_ESR_EL1, ESR_SENTINEL);
	vmsa_msr(m, 0, VMSA_REG_CPTR_EL2, CPTR_TFP);
	vmsa_eret(m, 0, 1);
}

/*
 * FPEXC32_EL2.EN = 0 and CPTR_EL2.TFP = 1: the guest's own UNDEFINED
 * (priority 21, to EL1) beats the hypervisor's trap (priority 24, to
 * EL2) (D1.4.5.6; Linux "Only force FPEXC32_EL2.EN if trapping FPSIMD").
 * The exception goes to EL1 in AArch32 with EC 0x00; as it is taken to
 * AArch32 Undefined mode, no syndrome register is written: ESR_EL1,
 * which is the guest's DFSR, keeps its value.
 */
TEST(model_exc_fp_aarch32_undef_beats_el2_trap)
{
	vmsa_machine_t *m = fx_machine(2, 0, true);
	struct seen s1, s2;
	const vmsa_violation_t *v;
	uint64_t step;

	memset(&s1, 0, sizeof(s1));
	memset(&s2, 0, sizeof(s2));
	vmsa_set_handler(m, 0, 1, record_and_stop, &s1);
	vmsa_set_handler(m, 0, 2, el2_fp_untrap, &s2);
	enter_aarch32_guest(m, 0);
	CHECK(vmsa_violation(m) == NULL);
	step = vmsa_steps(m);
	CHECK(!vmsa_fp_access(m, 0, true));
	CHECK_EQ(s2.calls, 0);
	CHECK_EQ(s1.calls, 1);
	CHECK_EQ(s1.el, 1);
	CHECK_EQ(s1.entry_step, step + 2);
	CHECK_EQ(s1.e.type, VMSA_EXC_UNDEFINED);
	CHECK_EQ(s1.e.ec, VMSA_EC_UNKNOWN);
	CHECK_EQ(s1.e.esr, 0x02000000);
	CHECK_EQ(s1.e.from_el, 1);
	CHECK_EQ(s1.e.to_el, 1);
	CHECK(s1.e.to_aarch32);
	CHECK(s1.e.from_aarch32);
	CHECK_STR(s1.e.cause, "FPEXC32_EL2.EN");
	CHECK_EQ(s1.esr, ESR_SENTINEL);
	v = vmsa_violation(m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_ASSERT);
		CHECK_EQ(v->step, step + 3);
	}
	vmsa_machine_free(m);
}

/*
 * FPEXC32_EL2.EN = 1: nothing at EL1 stops the instruction, and
 * CPTR_EL2.TFP traps it to EL2 with EC 0x07, CV = 1, COND = 0b1110:
 * ESR_EL2 = 0x1fe00000. The handler clears TFP and returns; the
 * instruction is retried and executes. Steps: attempt, entry, MRS, MSR,
 * return, retry.
 */
TEST(model_exc_fp_aarch32_el2_trap)
{
	vmsa_machine_t *m = fx_machine(2, 0, true);
	struct seen s1, s2;
	uint64_t step;

	memset(&s1, 0, sizeof(s1));
	memset(&s2, 0, sizeof(s2));
	vmsa_set_handler(m, 0, 1, record_and_stop, &s1);
	vmsa_set_handler(m, 0, 2, el2_fp_untrap, &s2);
	enter_aarch32_guest(m, FPEXC_EN);
	step = vmsa_steps(m);
	CHECK(vmsa_fp_access(m, 0, true));
	CHECK(vmsa_violation(m) == NULL);
	CHECK_EQ(vmsa_steps(m), step + 6);
	CHECK_EQ(s1.calls, 0);
	CHECK_EQ(s2.calls, 1);
	CHECK_EQ(s2.el, 2);
	CHECK_EQ(s2.entry_step, step + 2);
	CHECK_EQ(s2.e.type, VMSA_EXC_FP_TRAP);
	CHECK_EQ(s2.e.ec, VMSA_EC_FP);
	CHECK_EQ(s2.e.esr, 0x1fe00000);
	CHECK_EQ(s2.esr, 0x1fe00000);
	CHECK_EQ(s2.e.from_el, 1);
	CHECK_EQ(s2.e.to_el, 2);
	CHECK(s2.e.from_aarch32);
	CHECK(!s2.e.to_aarch32);
	CHECK_STR(s2.e.cause, "CPTR_EL2.TFP");
	CHECK_EQ(vmsa_current_el(m, 0), 1);
	/* The guest's ESR_EL1 is untouched by a trap to EL2. */
	CHECK_EQ(vmsa_mrs(m, 0, VMSA_REG_ESR_EL1), ESR_SENTINEL);
	CHECK(vmsa_violation(m) == NULL);
	vmsa_machine_free(m);
}

/* ------------------------------------------------------------------ */
/* AT                                                                  */
/* ------------------------------------------------------------------ */

#define PAR_F 1ull
#define PAR_RES1 (1ull << 11)

/*
 * AT S1E1R of a mapped VA at EL1: PAR_EL1.F = 0 with the PA, ATTR = the
 * MAIR byte of AttrIndx 0 (0xff, Normal Write-Back), SH = 0b11 (Inner
 * Shareable, bits [8:7]) and RES1 bit 11. One step; no fault.
 */
TEST(model_exc_at_s1e1r_mapped)
{
	struct fx f;
	uint64_t step, par;

	fx_setup(&f, 2, 0);
	step = vmsa_steps(f.m);
	vmsa_at(f.m, 0, VMSA_AT_S1E1R, MAPPED + 0x123);
	CHECK_EQ(vmsa_steps(f.m), step + 1);
	par = vmsa_mrs(f.m, 0, VMSA_REG_PAR_EL1);
	CHECK_EQ(par, 0xff00000000000000ull | f.page[0] | 3ull << 7 |
			      PAR_RES1);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* AT S1E1R of an unmapped VA: no exception, PAR_EL1.F = 1 with FST =
 * 0x07 (Translation fault, level 3) in bits [6:1], S = 0, PTW = 0. */
TEST(model_exc_at_s1e1r_unmapped)
{
	struct fx f;
	uint64_t step;

	fx_setup(&f, 2, 0);
	step = vmsa_steps(f.m);
	vmsa_at(f.m, 1, VMSA_AT_S1E1R, UNMAPPED);
	CHECK_EQ(vmsa_steps(f.m), step + 1);
	CHECK_EQ(vmsa_mrs(f.m, 1, VMSA_REG_PAR_EL1),
		 PAR_F | 0x07ull << 1 | PAR_RES1);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* AT S1E1W of a read-only page: a Permission fault at level 3 (FST
 * 0x0f). */
TEST(model_exc_at_s1e1w_read_only)
{
	struct fx f;

	fx_setup(&f, 2, 0);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, fx_pte(&f, UNMAPPED),
			   vmsa_desc_make_s1_leaf(f.page[1], 3,
						  VMSA_GRANULE_4K, 0,
						  VMSA_AP_RO_EL1, VMSA_SH_ISH,
						  true));
	vmsa_at(f.m, 0, VMSA_AT_S1E1W, UNMAPPED);
	CHECK_EQ(vmsa_mrs(f.m, 0, VMSA_REG_PAR_EL1),
		 PAR_F | 0x0full << 1 | PAR_RES1);
	vmsa_at(f.m, 0, VMSA_AT_S1E1R, UNMAPPED);
	CHECK_EQ(vmsa_mrs(f.m, 0, VMSA_REG_PAR_EL1),
		 0xff00000000000000ull | f.page[1] | 3ull << 7 | PAR_RES1);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* AT S12E1R at EL1 is UNDEFINED: `undefined-instruction` at its step,
 * and PAR_EL1 is not written. */
TEST(model_exc_at_s12e1r_at_el1)
{
	struct fx f;
	const vmsa_violation_t *v;
	uint64_t step;

	fx_setup(&f, 2, 0);
	step = vmsa_steps(f.m);
	vmsa_at(f.m, 0, VMSA_AT_S12E1R, MAPPED);
	CHECK_EQ(vmsa_steps(f.m), step + 1);
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_UNDEFINED);
		CHECK_EQ(v->step, step + 1);
		CHECK_EQ(v->cpu, 0);
		CHECK(strstr(v->message, "at s12e1r") != NULL);
	}
	fx_done(&f);
}
