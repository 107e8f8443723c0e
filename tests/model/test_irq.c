/*
 * tests/model/test_irq.c - interrupts between CPUs (src/model/irq.c;
 * docs/model.md "Interrupts"; Arm ARM D1.4.6.4 masking and Table D1-21,
 * D1.4.6.5 taking after a context synchronisation event, RDQXFW entry,
 * RBBSRF/RBWCFK FEAT_ExS): sending, the choice of when, masking by
 * ICC_PMR_EL1, the running priority, PSTATE.I and the routing, entry and
 * return, exception entry and return without context synchronisation,
 * bad calls.
 */
#include <stdio.h>
#include <string.h>

#include "chooser.h"
#include "fixture.h"

#define MAPPED 0x1000ull	/* VA -> page[0] in the fixture */
#define UNMAPPED 0x2000ull	/* invalid level-3 entry */
#define TAKE "take the interrupt now"

/* What the interrupt handler saw. */
struct seen {
	unsigned calls;
	struct vmsa_exception e;
	unsigned el;
	uint64_t daif, esr;	/* MRS inside the handler */
	uint64_t entry_step;
	bool clear_i;		/* clear PSTATE.I, then read MAPPED */
	struct fx *f;
};

static void irq_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
			const struct vmsa_exception *e, void *arg)
{
	struct seen *s = arg;

	s->calls++;
	s->e = *e;
	s->el = vmsa_current_el(m, cpu);
	s->entry_step = vmsa_steps(m);
	s->daif = vmsa_mrs(m, cpu, VMSA_REG_DAIF);
	s->esr = vmsa_mrs(m, cpu, e->to_el == 2 ? VMSA_REG_ESR_EL2
					       : VMSA_REG_ESR_EL1);
	if (s->clear_i) {
		vmsa_daif_clr(m, cpu, VMSA_DAIF_I);
		(void)fx_read(s->f, cpu, MAPPED);
	}
}

/* Two CPUs at EL1 on the fixture's tables; CPU1's PMR unmasks both
 * kinds; CPU1's EL1 handler records. */
static void setup(struct fx *f, struct seen *s, unsigned pmr)
{
	memset(s, 0, sizeof(*s));
	fx_setup(f, 2, 0);
	s->f = f;
	vmsa_set_handler(f->m, 1, 1, irq_handler, s);
	vmsa_msr(f->m, 1, VMSA_REG_ICC_PMR_EL1, pmr);
}

/*
 * Reset state: PSTATE.{D,A,I,F} all set (IKWHDG), ICC_PMR_EL1 = 0. The
 * ERET to EL1 restores DAIF from SPSR_EL2 (0: unmasked); with SPSR_EL1's
 * I bit set, a return from EL1 to EL0 masks IRQs.
 */
TEST(irq_reset_daif_and_eret)
{
	struct fx f;

	f.m = fx_machine(1, 0, true);
	fx_tables(&f);
	CHECK_EQ(vmsa_mrs(f.m, 0, VMSA_REG_DAIF), 0x3c0);
	CHECK_EQ(vmsa_mrs(f.m, 0, VMSA_REG_ICC_PMR_EL1), 0);
	fx_enter_el1(&f, 0);
	CHECK_EQ(vmsa_mrs(f.m, 0, VMSA_REG_DAIF), 0);
	vmsa_daif_set(f.m, 0, VMSA_DAIF_I | VMSA_DAIF_F);
	CHECK_EQ(vmsa_mrs(f.m, 0, VMSA_REG_DAIF), 0xc0);
	vmsa_daif_clr(f.m, 0, VMSA_DAIF_F);
	CHECK_EQ(vmsa_mrs(f.m, 0, VMSA_REG_DAIF), 0x80);
	vmsa_msr(f.m, 0, VMSA_REG_SPSR_EL1, VMSA_DAIF_I);
	vmsa_daif_clr(f.m, 0, VMSA_DAIF_I);
	vmsa_eret(f.m, 0, 0);
	CHECK_EQ(vmsa_current_el(f.m, 0), 0);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/*
 * CPU0 sends a pseudo-NMI to CPU1 (one step). At CPU1's next boundary
 * the default chooser takes it: entry (EL1 -> EL1, DAIF all set, ESR_EL1
 * not written), the handler's two MRS, the return (DAIF restored), then
 * CPU1's read. Five steps after the send; nothing pending after.
 */
TEST(irq_nmi_taken_at_next_boundary)
{
	struct fx f;
	struct seen s;
	struct ch ch;
	uint64_t step;

	setup(&f, &s, VMSA_PMR_UNMASKED);
	ch_init(&ch, NULL, 0);
	ch_attach(&ch, f.m);
	vmsa_msr(f.m, 1, VMSA_REG_ESR_EL1, 0x1234);
	step = vmsa_steps(f.m);
	vmsa_send_irq(f.m, 0, 1, VMSA_IRQ_NMI);
	CHECK(vmsa_irq_pending(f.m, 1, VMSA_IRQ_NMI));
	CHECK(!vmsa_irq_pending(f.m, 1, VMSA_IRQ_IPI));
	CHECK(!vmsa_irq_pending(f.m, 0, VMSA_IRQ_NMI));
	CHECK_EQ(vmsa_steps(f.m), step + 1);
	CHECK_EQ(s.calls, 0);
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(s.calls, 1);
	CHECK_EQ(s.e.type, VMSA_EXC_IRQ);
	CHECK_EQ(s.e.irq, VMSA_IRQ_NMI);
	CHECK_EQ(s.e.from_el, 1);
	CHECK_EQ(s.e.to_el, 1);
	CHECK_EQ(s.e.esr, 0);
	CHECK(!s.e.far_valid);
	CHECK_EQ(s.el, 1);
	CHECK_EQ(s.entry_step, step + 2);
	CHECK_EQ(s.daif, 0x3c0);
	CHECK_EQ(s.esr, 0x1234);
	CHECK_EQ(vmsa_steps(f.m), step + 6);
	CHECK_EQ(vmsa_mrs(f.m, 1, VMSA_REG_DAIF), 0);
	CHECK(!vmsa_irq_pending(f.m, 1, VMSA_IRQ_NMI));
	CHECK_EQ(ch_count(&ch, TAKE), 1);
	CHECK(ch_find(&ch, TAKE) && ch_find(&ch, TAKE)->n == 2);
	fx_done(&f);
}

/*
 * When is a choice: declining at CPU1's first two boundaries (its MSR
 * and its read run first), the interrupt is taken at the third, before
 * the second read. Sending it again while pending changes nothing: one
 * interrupt, one handler call.
 */
TEST(irq_choice_defers_to_a_later_boundary)
{
	static const unsigned script[] = {1, 1, 0};
	struct fx f;
	struct seen s;
	struct ch ch;

	setup(&f, &s, VMSA_PMR_UNMASKED);
	ch_init(&ch, script, 3);
	ch_only(&ch, TAKE);
	ch_attach(&ch, f.m);
	vmsa_send_irq(f.m, 0, 1, VMSA_IRQ_IPI);
	vmsa_send_irq(f.m, 0, 1, VMSA_IRQ_IPI);
	vmsa_msr(f.m, 1, VMSA_REG_MAIR_EL1, FX_MAIR);
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);
	CHECK_EQ(s.calls, 0);
	CHECK(vmsa_irq_pending(f.m, 1, VMSA_IRQ_IPI));
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);
	CHECK_EQ(s.calls, 1);
	CHECK_EQ(s.e.irq, VMSA_IRQ_IPI);
	CHECK_EQ(ch_count(&ch, TAKE), 3);
	/* Nothing pending: no more choices. */
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);
	CHECK_EQ(ch_count(&ch, TAKE), 3);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/*
 * D1.4.6.5: pending before an ISB and not masked after it, the
 * interrupt is taken before the next instruction: the boundary after
 * the ISB offers no choice. A send between the ISB and that boundary is
 * not "pending before": that one is a choice again.
 */
TEST(irq_taken_after_context_synchronisation)
{
	static const unsigned script[] = {1, 1};
	struct fx f;
	struct seen s;
	struct ch ch;

	setup(&f, &s, VMSA_PMR_UNMASKED);
	ch_init(&ch, script, 2);
	ch_only(&ch, TAKE);
	ch_attach(&ch, f.m);
	vmsa_send_irq(f.m, 0, 1, VMSA_IRQ_IPI);
	vmsa_isb(f.m, 1);			/* declined (1) */
	CHECK_EQ(ch_count(&ch, TAKE), 1);
	CHECK_EQ(s.calls, 0);
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);	/* no choice: taken */
	CHECK_EQ(ch_count(&ch, TAKE), 1);
	CHECK_EQ(s.calls, 1);

	vmsa_isb(f.m, 1);
	vmsa_send_irq(f.m, 0, 1, VMSA_IRQ_IPI);
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);	/* declined (1) */
	CHECK_EQ(ch_count(&ch, TAKE), 2);
	CHECK_EQ(s.calls, 1);
	CHECK(vmsa_irq_pending(f.m, 1, VMSA_IRQ_IPI));
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/*
 * ICC_PMR_EL1: at 0 (reset) nothing is signalled; at Linux's "IRQs off"
 * value 0x60 the IPI (0xa0) stays pending and the pseudo-NMI (0x20) is
 * taken; back at 0xe0 the IPI is taken.
 */
TEST(irq_pmr_masks_ipi_not_nmi)
{
	struct fx f;
	struct seen s;

	setup(&f, &s, 0);
	vmsa_send_irq(f.m, 0, 1, VMSA_IRQ_IPI);
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);
	CHECK_EQ(s.calls, 0);
	vmsa_msr(f.m, 1, VMSA_REG_ICC_PMR_EL1, VMSA_PMR_IRQOFF);
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);
	CHECK_EQ(s.calls, 0);
	vmsa_send_irq(f.m, 0, 1, VMSA_IRQ_NMI);
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);
	CHECK_EQ(s.calls, 1);
	CHECK_EQ(s.e.irq, VMSA_IRQ_NMI);
	CHECK(vmsa_irq_pending(f.m, 1, VMSA_IRQ_IPI));
	vmsa_msr(f.m, 1, VMSA_REG_ICC_PMR_EL1, VMSA_PMR_UNMASKED);
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);
	CHECK_EQ(s.calls, 2);
	CHECK_EQ(s.e.irq, VMSA_IRQ_IPI);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/*
 * PSTATE.I masks a pseudo-NMI too (RMHWBP, no FEAT_NMI): it stays
 * pending until DAIFClr; with both pending, the NMI comes first.
 */
TEST(irq_pstate_i_masks_nmi)
{
	struct fx f;
	struct seen s;

	setup(&f, &s, VMSA_PMR_UNMASKED);
	vmsa_daif_set(f.m, 1, VMSA_DAIF_I);
	vmsa_send_irq(f.m, 0, 1, VMSA_IRQ_IPI);
	vmsa_send_irq(f.m, 0, 1, VMSA_IRQ_NMI);
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);
	CHECK_EQ(s.calls, 0);
	vmsa_daif_clr(f.m, 1, VMSA_DAIF_I);
	CHECK_EQ(s.calls, 0);
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);
	CHECK_EQ(s.calls, 2);
	CHECK_EQ(s.e.irq, VMSA_IRQ_IPI);	/* the last one */
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/*
 * The running priority: a handler of the pseudo-NMI that clears
 * PSTATE.I is not interrupted by the pending IPI (0xa0 is not more
 * urgent than 0x20); the IPI is taken after the NMI's return.
 */
TEST(irq_running_priority)
{
	struct fx f;
	struct seen s;
	struct ch ch;

	setup(&f, &s, VMSA_PMR_UNMASKED);
	s.clear_i = true;
	ch_init(&ch, NULL, 0);
	ch_attach(&ch, f.m);
	vmsa_send_irq(f.m, 0, 1, VMSA_IRQ_IPI);
	vmsa_send_irq(f.m, 0, 1, VMSA_IRQ_NMI);
	/* The NMI at CPU1's boundary (a choice); inside it, with PSTATE.I
	 * clear, the read is not interrupted by the IPI; the IPI is taken
	 * after the NMI's return without a choice (the return is a context
	 * synchronisation event it was pending before). */
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);
	CHECK_EQ(s.calls, 2);
	CHECK_EQ(s.e.irq, VMSA_IRQ_IPI);
	CHECK_EQ(ch_count(&ch, TAKE), 1);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/*
 * Routing (Table D1-21): at EL2 with HCR_EL2.{IMO, TGE} = {0, 0} the
 * interrupt targets EL1, a lower EL: masked, it stays pending. With
 * HCR_EL2.IMO = 1 a CPU at EL1 takes it to EL2 even with PSTATE.I set.
 */
TEST(irq_routing_imo)
{
	struct fx f;
	struct seen s2;

	memset(&s2, 0, sizeof(s2));
	f.m = fx_machine(2, 0, true);
	fx_tables(&f);
	vmsa_set_handler(f.m, 1, 2, irq_handler, &s2);
	vmsa_msr(f.m, 1, VMSA_REG_ICC_PMR_EL1, VMSA_PMR_UNMASKED);
	vmsa_daif_clr(f.m, 1, VMSA_DAIF_I);
	vmsa_send_irq(f.m, 0, 1, VMSA_IRQ_NMI);
	vmsa_msr(f.m, 1, VMSA_REG_MAIR_EL1, FX_MAIR);
	CHECK_EQ(s2.calls, 0);
	vmsa_daif_set(f.m, 1, VMSA_DAIF_I);
	vmsa_msr(f.m, 1, VMSA_REG_HCR_EL2, VMSA_HCR_IMO);
	/* Now targeted at EL2, the current EL: PSTATE.I masks it. */
	fx_enter_el1(&f, 1);
	CHECK_EQ(s2.calls, 0);
	/* At EL1 (DAIF from SPSR_EL2: 0), the boundary after the ERET
	 * takes it (no choice: pending before it), to EL2. */
	vmsa_daif_set(f.m, 1, VMSA_DAIF_I);
	CHECK_EQ(s2.calls, 1);
	CHECK_EQ(s2.e.from_el, 1);
	CHECK_EQ(s2.e.to_el, 2);
	CHECK_EQ(s2.el, 2);
	CHECK_EQ(s2.daif, 0x3c0);
	CHECK_EQ(vmsa_current_el(f.m, 1), 1);
	/* PSTATE.I set at EL1 does not mask an interrupt to EL2. */
	vmsa_send_irq(f.m, 0, 1, VMSA_IRQ_IPI);
	CHECK_EQ(fx_read(&f, 1, MAPPED), 0xa0);
	CHECK_EQ(s2.calls, 2);
	CHECK_EQ(vmsa_mrs(f.m, 1, VMSA_REG_DAIF), 0x80);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* No handler at the target EL: an unhandled-abort violation naming the
 * interrupt, at the step before the boundary. */
TEST(irq_unhandled)
{
	struct fx f;
	const vmsa_violation_t *v;

	fx_setup(&f, 2, 0);
	vmsa_msr(f.m, 1, VMSA_REG_ICC_PMR_EL1, VMSA_PMR_UNMASKED);
	vmsa_send_irq(f.m, 0, 1, VMSA_IRQ_NMI);
	CHECK_EQ(fx_read(&f, 1, MAPPED), ~0ull);
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_UNHANDLED_ABORT);
		CHECK_EQ(v->cpu, 1);
		CHECK_STR(v->message,
			  "CPU1: no handler at EL1 for IRQ EL1->EL1 ESR 0x0 "
			  "(NMI)");
	}
	fx_done(&f);
}

/*
 * FEAT_ExS: with SCTLR_EL1.EOS = 0 the return from an EL1 handler is
 * not a context synchronisation event, so a walk after it may still use
 * a value that was invalid before the handler (a spurious fault is
 * offered); with EIS = 1 the entry synchronised. Without FEAT_ExS the
 * same registers change nothing: the return synchronises.
 */
static unsigned spurious_choices(bool exs, uint64_t sctlr)
{
	vmsa_features_t ft = vmsa_features_default();
	struct fx f;
	struct seen s;
	struct ch ch;
	unsigned n;
	const char *why;

	ft.exs = exs;
	memset(&s, 0, sizeof(s));
	f.m = vmsa_machine_new(&ft, &why);
	fx_tables(&f);
	fx_enter_el1(&f, 0);
	fx_enter_el1(&f, 1);
	vmsa_msr(f.m, 1, VMSA_REG_SCTLR_EL1, sctlr);
	vmsa_msr(f.m, 1, VMSA_REG_ICC_PMR_EL1, VMSA_PMR_UNMASKED);
	vmsa_set_handler(f.m, 1, 1, irq_handler, &s);
	vmsa_isb(f.m, 1);
	ch_init(&ch, NULL, 0);
	ch_attach(&ch, f.m);
	vmsa_send_irq(f.m, 0, 1, VMSA_IRQ_NMI);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, UNMAPPED),
			   fx_page_desc(f.page[1]));
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	/* Taken before this read: entry, handler, return, read. */
	CHECK_EQ(fx_read(&f, 1, UNMAPPED), 0xa1);
	CHECK_EQ(s.calls, 1);
	CHECK(vmsa_violation(f.m) == NULL);
	n = ch_count(&ch, "stage-1 descriptor value");
	fx_done(&f);
	return n;
}

TEST(irq_exs_eos0_return_does_not_synchronise)
{
	const uint64_t on = VMSA_SCTLR_M;

	CHECK_EQ(spurious_choices(false, on), 0);
	CHECK_EQ(spurious_choices(true, on | VMSA_SCTLR_EIS |
				  VMSA_SCTLR_EOS), 0);
	/* The entry (EIS = 1) came after the store: no choice either. */
	CHECK_EQ(spurious_choices(true, on | VMSA_SCTLR_EIS), 0);
	/* Neither: the window still starts at the ISB, before the store. */
	CHECK_EQ(spurious_choices(true, on), 1);
	/* EOS alone synchronises at the return. */
	CHECK_EQ(spurious_choices(true, on | VMSA_SCTLR_EOS), 0);
}

/* Bad calls: the target, the kind, DAIF bits. */
TEST(irq_bad_calls)
{
	static const struct {
		int what;
		const char *msg;
	} cases[] = {
		{0, "scenario error: vmsa_send_irq: target cpu 2 out of "
		    "range, the machine has 2 CPUs"},
		{1, "scenario error: vmsa_send_irq: 7 is not a valid "
		    "vmsa_irq_t (0 .. 1)"},
		{2, "scenario error: vmsa_daif_set: 0x1 has bits other than "
		    "VMSA_DAIF_D, _A, _I, _F (0x3c0)"},
		{3, "scenario error: vmsa_send_irq: cpu -1 (VMSA_SETUP) is "
		    "not a CPU: set-up code cannot run CPU operations"},
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vmsa_machine_t *m = fx_machine(2, 0, true);
		const vmsa_violation_t *v;

		switch (cases[i].what) {
		case 0:
			vmsa_send_irq(m, 0, 2, VMSA_IRQ_IPI);
			break;
		case 1:
			vmsa_send_irq(m, 0, 1, (vmsa_irq_t)7);
			break;
		case 2:
			vmsa_daif_set(m, 1, 1);
			break;
		case 3:
			vmsa_send_irq(m, VMSA_SETUP, 1, VMSA_IRQ_IPI);
			break;
		}
		v = vmsa_violation(m);
		CHECK(v != NULL);
		if (v) {
			CHECK_EQ(v->kind, VMSA_V_BAD_CALL);
			CHECK_STR(v->message, cases[i].msg);
		}
		CHECK_EQ(vmsa_steps(m), 0);
		vmsa_machine_free(m);
	}
}

static void give_up(vmsa_machine_t *m, vmsa_cpu_t cpu,
		    const struct vmsa_exception *e, void *arg)
{
	(void)arg;
	vmsa_unhandled(m, cpu, e);
}

/* A handler that gives up on an exception (vmsa_unhandled) stops the
 * execution with the violation an absent handler gives, at the entry. */
TEST(irq_handler_gives_up)
{
	struct fx f;
	const vmsa_violation_t *v;
	uint64_t step;

	fx_setup(&f, 2, 0);
	vmsa_set_handler(f.m, 1, 1, give_up, NULL);
	step = vmsa_steps(f.m);
	CHECK_EQ(fx_read(&f, 1, UNMAPPED), ~0ull);
	v = vmsa_violation(f.m);
	CHECK(v != NULL);
	if (v) {
		CHECK_EQ(v->kind, VMSA_V_UNHANDLED_ABORT);
		CHECK_EQ(v->cpu, 1);
		CHECK_EQ(v->step, step + 2);
		CHECK_STR(v->message,
			  "CPU1: the handler at EL1 does not handle data abort "
			  "EL1->EL1 ESR 0x96000007 FAR 0x2000 (translation, "
			  "stage 1, level 3)");
	}
	fx_done(&f);
}
