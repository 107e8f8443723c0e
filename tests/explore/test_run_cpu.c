/*
 * vmsa_run_cpu(): the CPU whose code is running, as code called without a
 * CPU number (the page-table library through the model backend) learns
 * it: each CPU function and the handler it takes see their own CPU, set-up
 * and the final check see VMSA_SETUP. The scenario is not registered.
 */
#include "harness.h"
#include "vmsa/explore.h"

#define CPTR_TFP (1ull << 10) /* CPTR_EL2.TFP (E2H = 0): traps FP to EL2 */

/* What each part saw in the latest execution (host memory: the test's
 * own record, never read by the scenario). */
static vmsa_cpu_t seen_setup = 99, seen_check = 99;
static vmsa_cpu_t seen_cpu[2] = {99, 99}, seen_handler[2] = {99, 99};

static void setup(vmsa_run_t *r)
{
	seen_setup = vmsa_run_cpu(r);
}

/* The FP trap's handler at EL2: it runs on the trapping CPU. It turns the
 * trap off so that the retried instruction executes. */
static void fp_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;

	(void)e;
	seen_handler[cpu] = vmsa_run_cpu(r);
	vmsa_assert(r, cpu, vmsa_run_cpu(r) == cpu, "handler: wrong CPU");
	vmsa_msr(m, cpu, VMSA_REG_CPTR_EL2, 0);
}

/* Each CPU traps once, with steps before and after, so that the other
 * CPU runs in between in some executions. */
static void cpu_fn(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	vmsa_msr(m, cpu, VMSA_REG_CPTR_EL2, CPTR_TFP);
	seen_cpu[cpu] = vmsa_run_cpu(r);
	vmsa_assert(r, cpu, vmsa_run_cpu(r) == cpu, "cpu: wrong CPU");
	vmsa_fp_access(m, cpu, false);
	vmsa_assert(r, cpu, vmsa_run_cpu(r) == cpu, "cpu: wrong CPU after");
}

static void check(vmsa_run_t *r)
{
	seen_check = vmsa_run_cpu(r);
}

TEST(run_cpu_in_every_part)
{
	static const vmsa_scenario_t s = {
		.name = "test/run-cpu", .setup = setup,
		.cpu = {cpu_fn, cpu_fn}, .check = check,
		.handler = {[0][2] = fp_handler, [1][2] = fp_handler},
	};
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	CHECK_EQ(vmsa_explore(&s, "bbm0", &o, &res), 0);
	CHECK_STR(res.error, "");
	CHECK_STR(res.verdict, "safe");
	CHECK(res.complete);
	/* Every interleaving of the two CPUs' steps within the default
	 * bound of 2 preemptions (pinned: a change means the explorer or the
	 * model's steps changed). */
	CHECK_EQ(res.stats.executions, 86);
	CHECK_EQ(seen_setup, VMSA_SETUP);
	CHECK_EQ(seen_check, VMSA_SETUP);
	CHECK_EQ(seen_cpu[0], 0);
	CHECK_EQ(seen_cpu[1], 1);
	CHECK_EQ(seen_handler[0], 0);
	CHECK_EQ(seen_handler[1], 1);
	vmsa_explore_result_free(&res);
}

TEST(run_cpu_null)
{
	CHECK_EQ(vmsa_run_cpu(NULL), VMSA_SETUP);
}
