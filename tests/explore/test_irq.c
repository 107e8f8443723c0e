/*
 * The explorer with interrupts (docs/model.md "Interrupts"): a CPU that
 * waits or has finished wakes to take a deliverable interrupt, a masked
 * one leaves a deadlock, and the search tries the interrupt at every
 * boundary of its target: exact execution counts.
 *
 * The scenarios are not registered (no VMSA_SCENARIO): they run through
 * vmsa_explore() directly and stay out of the bundled list.
 */
#include "harness.h"
#include "vmsa/explore.h"

struct irq_data {
	vmsa_pa_t a, b;		/* words: "handler ran", "go on" */
	vmsa_irq_t kind;	/* what CPU0 sends */
	unsigned pmr;		/* CPU1's ICC_PMR_EL1 */
	unsigned reads;		/* CPU1's reads of a after entering EL1 */
	bool wait;		/* CPU1 waits for b after its reads */
};

static struct irq_data *data(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

static void irq_setup(vmsa_run_t *r, vmsa_irq_t kind, unsigned pmr,
		      unsigned reads, bool wait)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct irq_data *d = data(r);

	d->a = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	d->b = d->a + 8;
	d->kind = kind;
	d->pmr = pmr;
	d->reads = reads;
	d->wait = wait;
}

/* CPU0 interrupts CPU1 and waits for its handler. */
static void sender(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_send_irq(vmsa_run_machine(r), cpu, 1, data(r)->kind);
	vmsa_wait_eq(r, cpu, data(r)->a, ~0ull, 1);
}

/* CPU1 unmasks at the GIC, runs at EL1 (MMU off, PSTATE.I clear), reads,
 * and maybe waits for a word only its handler writes. */
static void receiver(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct irq_data *d = data(r);
	uint64_t v;

	vmsa_msr(m, cpu, VMSA_REG_ICC_PMR_EL1, d->pmr);
	vmsa_eret(m, cpu, 1);
	for (unsigned i = 0; i < d->reads; i++)
		vmsa_read(m, cpu, d->a + 16, 8, &v);
	if (d->wait)
		vmsa_wait_eq(r, cpu, d->b, ~0ull, 1);
}

static void handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
		    const struct vmsa_exception *e, void *arg)
{
	struct irq_data *d = data(arg);

	vmsa_assert(arg, cpu, e->type == VMSA_EXC_IRQ && e->irq == d->kind,
		    "the interrupt CPU0 sent");
	vmsa_phys_write(m, cpu, d->a, 8, 1, true);
	vmsa_phys_write(m, cpu, d->b, 8, 1, true);
}

static void setup_wait_nmi(vmsa_run_t *r)
{
	irq_setup(r, VMSA_IRQ_NMI, VMSA_PMR_IRQOFF, 0, true);
}

static void setup_wait_ipi_masked(vmsa_run_t *r)
{
	irq_setup(r, VMSA_IRQ_IPI, VMSA_PMR_IRQOFF, 0, true);
}

static void setup_done_nmi(vmsa_run_t *r)
{
	irq_setup(r, VMSA_IRQ_NMI, VMSA_PMR_UNMASKED, 0, false);
}

static void setup_reads(vmsa_run_t *r)
{
	irq_setup(r, VMSA_IRQ_IPI, VMSA_PMR_UNMASKED, 3, false);
}

#define IRQ_SCENARIO(ident, nm, set)                                     \
	static const vmsa_scenario_t ident = {                           \
		.name = nm, .setup = set, .cpu = {sender, receiver},     \
		.handler = {[1] = {[1] = handler}},                      \
	}

IRQ_SCENARIO(wait_nmi, "irq/wait-nmi", setup_wait_nmi);
IRQ_SCENARIO(wait_ipi_masked, "irq/wait-ipi-masked", setup_wait_ipi_masked);
IRQ_SCENARIO(done_nmi, "irq/done-nmi", setup_done_nmi);
IRQ_SCENARIO(reads, "irq/reads", setup_reads);

static void run(const vmsa_scenario_t *s, int bound, const char *verdict,
		uint64_t executions)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	o.preemptions = bound;
	CHECK_EQ(vmsa_explore(s, "default", &o, &res), 0);
	CHECK_STR(res.error, "");
	CHECK_STR(res.verdict, verdict);
	if (!res.violated)
		CHECK_EQ(res.stats.executions, executions);
	if (res.violated) {
		vmsa_explore_result_t again;

		CHECK_EQ(vmsa_replay(s, "default", res.decisions, &o, &again),
			 0);
		CHECK_STR(again.verdict, verdict);
		CHECK_EQ(again.violation.step, res.violation.step);
		vmsa_explore_result_free(&again);
	}
	/* With the reduction: the same verdict. */
	vmsa_explore_result_free(&res);
	o.reduction = true;
	CHECK_EQ(vmsa_explore(s, "default", &o, &res), 0);
	CHECK_STR(res.verdict, verdict);
	vmsa_explore_result_free(&res);
}

/* CPU1 waits for a word only its handler writes: the pseudo-NMI gets
 * through PMR's "IRQs off" value and wakes it. */
TEST(explore_irq_nmi_wakes_a_waiter)
{
	run(&wait_nmi, 2, "safe", 24);
	run(&wait_nmi, VMSA_UNBOUNDED, "safe", 40);
}

/* The same with an IPI, which that PMR masks: both CPUs wait. */
TEST(explore_irq_masked_ipi_deadlocks)
{
	run(&wait_ipi_masked, 2, "deadlock", 0);
}

/* CPU1 finished its code: idle, it still takes the interrupt. */
TEST(explore_irq_finished_cpu_takes_it)
{
	run(&done_nmi, 2, "safe", 19);
	run(&done_nmi, VMSA_UNBOUNDED, "safe", 30);
}

/*
 * The interrupt at the boundaries of CPU1 after the send. Bound 0: two
 * executions. CPU0 first: it sends and waits; CPU1's ERET is a context
 * synchronisation event after the send, so the interrupt is taken
 * before its first read, without a choice (D1.4.6.5). CPU1 first: it
 * finishes before the send, and takes it idle. Unbounded, every
 * interleaving and every boundary (pinned).
 */
TEST(explore_irq_every_boundary)
{
	run(&reads, 0, "safe", 2);
	run(&reads, VMSA_UNBOUNDED, "safe", 231);
}
