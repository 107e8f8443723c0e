/*
 * tests/hyp/test_pause.c - the kernel-side primitives of vmsa/hyp.h
 * (src/hyp/pause.c, spurious.c): the spurious translation fault check
 * on the model alone, and the pause and stop_machine rendezvous through
 * the explorer (unregistered scenarios: exact verdicts and counts).
 */
#include <string.h>

#include "harness.h"
#include "model/chooser.h"
#include "model/fixture.h"
#include "vmsa/explore.h"
#include "vmsa/hyp.h"

#define UNMAPPED 0x2000ull	/* invalid level-3 entry in the fixture */

struct spur {
	unsigned calls;
	bool spurious[4];
	uint64_t par[4];
};

static void check_spurious(vmsa_machine_t *m, vmsa_cpu_t cpu,
			   const struct vmsa_exception *e, void *arg)
{
	struct spur *s = arg;
	bool sp = vmsa_fault_is_spurious(m, cpu, e);

	if (s->calls < 4) {
		s->spurious[s->calls] = sp;
		s->par[s->calls] = vmsa_mrs(m, cpu, VMSA_REG_PAR_EL1);
	}
	s->calls++;
	if (!sp)
		vmsa_unhandled(m, cpu, e);
}

/*
 * CPU0 maps UNMAPPED -> page[1] (DSB, no ISB anywhere on CPU1): CPU1's
 * walk may use the invalid value from before (no ETS2); the chooser
 * takes it, so CPU1 faults; the handler's AT S1E1R (after the entry, a
 * context synchronisation event) translates: PAR_EL1.F = 0, spurious,
 * and the retried read returns page[1]'s data. Steps of the check: the
 * AT and the MRS.
 */
TEST(hyp_spurious_fault_is_ignored)
{
	static const unsigned pick_stale[] = {1};
	struct fx f;
	struct spur s;
	struct ch ch;

	memset(&s, 0, sizeof(s));
	fx_setup(&f, 2, 0);
	vmsa_set_handler(f.m, 1, 1, check_spurious, &s);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, UNMAPPED),
			   fx_page_desc(f.page[1]));
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	ch_init(&ch, pick_stale, 1);
	ch_only(&ch, "stage-1 descriptor value");
	ch_attach(&ch, f.m);
	CHECK_EQ(fx_read(&f, 1, UNMAPPED), 0xa1);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(s.calls, 1);
	CHECK(s.spurious[0]);
	CHECK_EQ(s.par[0] & 1, 0);
	CHECK_EQ(s.par[0] & 0xfffffffff000ull, f.page[1]);
	fx_done(&f);
}

/* A real fault: the AT faults too (PAR_EL1.F = 1): not spurious, the
 * handler gives up. */
TEST(hyp_real_fault_is_not_spurious)
{
	struct fx f;
	struct spur s;
	const vmsa_violation_t *v;

	memset(&s, 0, sizeof(s));
	fx_setup(&f, 2, 0);
	vmsa_set_handler(f.m, 1, 1, check_spurious, &s);
	CHECK_EQ(fx_read(&f, 1, UNMAPPED), ~0ull);
	CHECK_EQ(s.calls, 1);
	CHECK(!s.spurious[0]);
	CHECK_EQ(s.par[0] & 1, 1);
	v = vmsa_violation(f.m);
	CHECK(v && v->kind == VMSA_V_UNHANDLED_ABORT);
	fx_done(&f);
}

/* Not a stage-1 Translation or Access flag fault: false, no step. */
TEST(hyp_spurious_other_exceptions)
{
	struct fx f;
	struct vmsa_exception e;
	uint64_t step;

	fx_setup(&f, 1, 0);
	memset(&e, 0, sizeof(e));
	e.type = VMSA_EXC_IRQ;
	e.to_el = 1;
	step = vmsa_steps(f.m);
	CHECK(!vmsa_fault_is_spurious(f.m, 0, &e));
	e.type = VMSA_EXC_DATA_ABORT;
	e.is_mmu_fault = true;
	e.fault.kind = VMSA_FAULT_PERMISSION;
	CHECK(!vmsa_fault_is_spurious(f.m, 0, &e));
	CHECK_EQ(vmsa_steps(f.m), step);
	fx_done(&f);
}

/* ------------------------------------------------------------------ */
/* Rendezvous through the explorer                                     */
/* ------------------------------------------------------------------ */

struct rv {
	vmsa_pause_t p;
	vmsa_pa_t count;	/* fn's runs */
};

static void rv_setup(vmsa_run_t *r, unsigned ncpus, unsigned flags)
{
	struct rv *d = vmsa_run_data(r);

	vmsa_pause_setup(r, &d->p, ncpus, flags);
	d->count = vmsa_page_alloc(vmsa_run_machine(r), VMSA_SETUP, 1, 1);
}

static void count_fn(vmsa_run_t *r, vmsa_cpu_t cpu, void *arg)
{
	struct rv *d = vmsa_run_data(r);
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t n = vmsa_phys_read(m, cpu, d->count, 8, true);

	(void)arg;
	vmsa_phys_write(m, cpu, d->count, 8, n + 1, true);
}

/* Each CPU at EL1 with interrupts unmasked (PSTATE.I clear, PMR 0xe0). */
static void el1(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	vmsa_msr(m, cpu, VMSA_REG_ICC_PMR_EL1, VMSA_PMR_UNMASKED);
	vmsa_eret(m, cpu, 1);
}

static void stop_cpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	el1(r, cpu);
	vmsa_stop_machine(r, cpu, &((struct rv *)vmsa_run_data(r))->p, 1,
			  count_fn, NULL);
	vmsa_assert(r, cpu,
		    vmsa_mrs(vmsa_run_machine(r), cpu, VMSA_REG_DAIF) == 0,
		    "PSTATE.I restored");
}

/* After every execution: fn ran once, every CPU acknowledged EXIT (the
 * last one moved the state past it, as Linux's multi_cpu_stop() does),
 * the count of acknowledgements full again. */
static void stop_check(vmsa_run_t *r)
{
	struct rv *d = vmsa_run_data(r);
	const uint64_t *w = vmsa_pa_cptr(vmsa_run_machine(r), d->p.page);
	const uint64_t *n = vmsa_pa_cptr(vmsa_run_machine(r), d->count);

	vmsa_assert(r, VMSA_SETUP, *n == 1, "fn ran once");
	vmsa_assert(r, VMSA_SETUP, w[0x108 / 8] == VMSA_STOP_EXIT + 1,
		    "EXIT acknowledged");
	vmsa_assert(r, VMSA_SETUP, w[0x110 / 8] == 3, "count reset");
}

static void stop_setup(vmsa_run_t *r)
{
	rv_setup(r, 3, 0);
}

static const vmsa_scenario_t stop3 = {
	.name = "test/stop-machine-3", .setup = stop_setup,
	.cpu = {stop_cpu, stop_cpu, stop_cpu}, .check = stop_check,
};

/* The pausing CPU and the paused one (whose handler is pause_nmi); the
 * check: both words set. */
static void pause_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
			  const struct vmsa_exception *e, void *arg)
{
	struct rv *d = vmsa_run_data(arg);

	if (!vmsa_pause_nmi(arg, cpu, e, &d->p))
		vmsa_unhandled(m, cpu, e);
}

static void pauser(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	struct rv *d = vmsa_run_data(r);

	el1(r, cpu);
	vmsa_pause_others(r, cpu, &d->p);
	count_fn(r, cpu, NULL);
	vmsa_resume_others(r, cpu, &d->p);
}

static void pausee(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	el1(r, cpu);
}

static void pause_setup(vmsa_run_t *r)
{
	rv_setup(r, 3, 0);
}

static void pause_late_setup(vmsa_run_t *r)
{
	rv_setup(r, 3, VMSA_PAUSE_LATE_PAUSED);
}

static void pause_check(vmsa_run_t *r)
{
	struct rv *d = vmsa_run_data(r);
	const uint64_t *w = vmsa_pa_cptr(vmsa_run_machine(r), d->p.page);

	vmsa_assert(r, VMSA_SETUP, w[1] == 1 && w[2] == 1 && w[0] == 0 &&
			    w[0x100 / 8] == 1,
		    "CPU1 and CPU2 paused, resumed");
}

static const vmsa_scenario_t pause3 = {
	.name = "test/pause-3", .setup = pause_setup,
	.cpu = {pauser, pausee, pausee}, .check = pause_check,
	.handler = {[1] = {[1] = pause_handler}, [2] = {[1] = pause_handler}},
};

static const vmsa_scenario_t pause3_late = {
	.name = "test/pause-3-late", .setup = pause_late_setup,
	.cpu = {pauser, pausee, pausee}, .check = pause_check,
	.handler = {[1] = {[1] = pause_handler}, [2] = {[1] = pause_handler}},
};

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
	vmsa_explore_result_free(&res);
}

/* Three CPUs through every state: fn once, EXIT acknowledged, the count
 * full, PSTATE.I restored, in every execution (counts pinned; 48 and
 * 2,448 before EXIT was acknowledged, 2026-12-08). */
TEST(hyp_stop_machine_three_cpus)
{
	run(&stop3, 0, "safe", 48);
	run(&stop3, 1, "safe", 2736);
}

/* CPU0 pauses CPU1 and CPU2 (either may take the pseudo-NMI at any
 * boundary, or idle after its code), both set "paused"; with the buggy
 * order nobody ever does: a deadlock. */
TEST(hyp_pause_three_cpus)
{
	run(&pause3, 1, "safe", 640);
	run(&pause3_late, 1, "deadlock", 0);
}
