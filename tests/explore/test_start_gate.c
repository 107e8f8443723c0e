/*
 * The explorer's serial_start option and vmsa_start_gate(): the CPUs run
 * their code before the gate one after another, in CPU order, and the
 * code after it only once every CPU has passed it. Exact execution
 * counts with and without it, with and without the reduction, the order
 * of the first steps in every execution, and the bad calls.
 */
#include <string.h>

#include "harness.h"
#include "vmsa/explore.h"
#include "vmsa/model.h"
#include "vmsa/scenario.h"

struct gate_data {
	vmsa_pa_t page[2];
};

static void gate_setup(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct gate_data *d = vmsa_run_data(r);

	for (int i = 0; i < 2; i++)
		d->page[i] = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
}

/* Two steps before the gate (its own page), two after (a read of the
 * other CPU's page and a write of its own). */
static void gate_cpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	const struct gate_data *d = vmsa_run_data(r);

	vmsa_phys_write(m, cpu, d->page[cpu], 8, 1, true);
	vmsa_phys_write(m, cpu, d->page[cpu] + 8, 8, 2, true);
	vmsa_start_gate(r, cpu);
	(void)vmsa_phys_read(m, cpu, d->page[1 - cpu], 8, true);
	vmsa_phys_write(m, cpu, d->page[cpu], 8, 3, true);
}

/* The gate twice: a bad call (CPU0 waits in its first; CPU1, the last
 * to pass, goes on to its second). */
static void gate_twice(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_start_gate(r, cpu);
	vmsa_start_gate(r, cpu);
}

/* Another CPU's number: a bad call. */
static void gate_other(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_start_gate(r, 1 - cpu);
}

static const vmsa_scenario_t gate_scen = {
	.name = "test/start-gate", .setup = gate_setup,
	.cpu = {gate_cpu, gate_cpu},
	.configs = {{.name = "default", .expect = "safe"}}};

/* The first steps of the execution being traced: which CPU made them. */
struct first_steps {
	int cpu[4];
	unsigned n;
	unsigned bad;	/* executions whose first four were not 0,0,1,1 */
};

static void trace_first(void *ctx, const vmsa_trace_event_t *e)
{
	struct first_steps *f = ctx;

	if (e->step == 1)
		f->n = 0;
	if (f->n < 4 && strcmp(e->op, "write-pa") == 0) {
		f->cpu[f->n++] = e->cpu;
		if (f->n == 4 && !(f->cpu[0] == 0 && f->cpu[1] == 0 &&
				   f->cpu[2] == 1 && f->cpu[3] == 1))
			f->bad++;
	}
}

static uint64_t count(bool serial, bool reduction)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;
	uint64_t n;

	o.preemptions = VMSA_UNBOUNDED;
	o.serial_start = serial;
	o.reduction = reduction;
	CHECK_EQ(vmsa_explore(&gate_scen, "default", &o, &res), 0);
	CHECK_STR(res.verdict, "safe");
	CHECK(res.complete);
	n = res.stats.executions;
	vmsa_explore_result_free(&res);
	return n;
}

TEST(explore_start_gate_counts)
{
	/* Without the gate the four steps before it interleave too. */
	CHECK_EQ(count(false, false), 252);
	CHECK_EQ(count(true, false), 10);
	CHECK_EQ(count(false, true), 11);
	CHECK_EQ(count(true, true), 3);
}

TEST(explore_start_gate_order)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;
	struct first_steps f;

	memset(&f, 0, sizeof(f));
	o.preemptions = VMSA_UNBOUNDED;
	o.serial_start = true;
	o.trace = trace_first;
	o.trace_ctx = &f;
	CHECK_EQ(vmsa_explore(&gate_scen, "default", &o, &res), 0);
	CHECK_EQ(res.stats.executions, 10);
	CHECK_EQ(f.bad, 0);
	vmsa_explore_result_free(&res);
	/* Without it CPU1 may go first. */
	memset(&f, 0, sizeof(f));
	o.serial_start = false;
	CHECK_EQ(vmsa_explore(&gate_scen, "default", &o, &res), 0);
	CHECK_EQ(res.stats.executions, 252);
	CHECK_EQ(f.bad, 201);
	vmsa_explore_result_free(&res);
}

TEST(explore_start_gate_bad_calls)
{
	vmsa_scenario_t s = gate_scen;
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	o.serial_start = true;
	s.cpu[0] = s.cpu[1] = gate_twice;
	CHECK_EQ(vmsa_explore(&s, "default", &o, &res), 0);
	CHECK_STR(res.verdict, "bad-call");
	CHECK_STR(res.violation.message, "scenario error: vmsa_start_gate: "
		  "CPU1 passed the start gate already");
	vmsa_explore_result_free(&res);
	s.cpu[0] = s.cpu[1] = gate_other;
	CHECK_EQ(vmsa_explore(&s, "default", &o, &res), 0);
	CHECK_STR(res.verdict, "bad-call");
	CHECK_STR(res.violation.message, "scenario error: vmsa_start_gate: "
		  "cpu 1 is not the CPU running this code (CPU0)");
	vmsa_explore_result_free(&res);
}

/* Before the gate the steps are made outside the scheduler (setup_hook()
 * in explore.c): what the scheduler checks of a step is still checked
 * there. */
static void setup_loops(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	const struct gate_data *d = vmsa_run_data(r);

	while (!vmsa_stopped(m))
		vmsa_phys_write(m, cpu, d->page[cpu], 8, 1, true);
	vmsa_start_gate(r, cpu);
}

static void setup_other_cpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	const struct gate_data *d = vmsa_run_data(r);

	vmsa_phys_write(m, 1 - cpu, d->page[cpu], 8, 1, true);
	vmsa_start_gate(r, cpu);
}

/* CPU1 waits before the gate for a word CPU0 writes only after it. */
static void setup_waits(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	const struct gate_data *d = vmsa_run_data(r);

	if (cpu == 1)
		vmsa_wait_eq(r, cpu, d->page[0], ~0ull, 1);
	vmsa_start_gate(r, cpu);
	if (cpu == 0)
		vmsa_phys_write(m, cpu, d->page[0], 8, 1, true);
}

/* CPU1 waits before the gate for a word CPU0 wrote before it: it
 * holds. */
static void setup_waits_ok(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	const struct gate_data *d = vmsa_run_data(r);

	if (cpu == 0)
		vmsa_phys_write(m, cpu, d->page[0], 8, 1, true);
	else
		vmsa_wait_eq(r, cpu, d->page[0], ~0ull, 1);
	vmsa_start_gate(r, cpu);
	(void)vmsa_phys_read(m, cpu, d->page[1 - cpu], 8, true);
	vmsa_phys_write(m, cpu, d->page[cpu] + 8, 8, 2, true);
}

static void explore_gate(const vmsa_scenario_t *s, vmsa_explore_result_t *res)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();

	o.preemptions = VMSA_UNBOUNDED;
	o.serial_start = true;
	o.step_budget = 50;
	CHECK_EQ(vmsa_explore(s, "default", &o, res), 0);
}

/* Both CPUs run fn: the search's verdict, and its violation's message
 * (NULL: not checked); res is the caller's to free. */
static void gate_verdict(vmsa_scenario_t *s, vmsa_cpu_fn fn,
			 vmsa_explore_result_t *res, const char *verdict,
			 const char *message)
{
	s->cpu[0] = s->cpu[1] = fn;
	explore_gate(s, res);
	CHECK_STR(res->verdict, verdict);
	if (message)
		CHECK_STR(res->violation.message, message);
}

TEST(explore_start_gate_setup_checks)
{
	vmsa_scenario_t s = gate_scen;
	vmsa_explore_result_t res;

	gate_verdict(&s, setup_loops, &res, "livelock",
		     "CPU0 exceeded its budget of 50 steps");
	CHECK_EQ(res.violation.step, 50);
	vmsa_explore_result_free(&res);
	gate_verdict(&s, setup_other_cpu, &res, "bad-call",
		     "scenario error: CPU0's code made a step as cpu 1");
	vmsa_explore_result_free(&res);
	gate_verdict(&s, setup_waits, &res, "deadlock",
		     "every unfinished CPU is blocked in a wait");
	CHECK_EQ(res.violation.cpu, 1);
	vmsa_explore_result_free(&res);
	/* A wait before the gate whose word holds goes on. */
	gate_verdict(&s, setup_waits_ok, &res, "safe", NULL);
	CHECK(res.complete);
	CHECK_EQ(res.stats.executions, 10);
	vmsa_explore_result_free(&res);
}
