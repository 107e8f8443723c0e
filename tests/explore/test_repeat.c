/*
 * The repeated-state livelock (src/explore/repeat.c): a faulting access
 * retried with the state unchanged since its previous retry, and no
 * other CPU run in between, is a livelock reported at once; a retry loop
 * whose state changes (by its own handler, or by another CPU between
 * the faults) is left to the step budget, exactly as without the check
 * (budget_livelocks_only). Exact verdicts, messages, steps, CPUs and
 * execution counts, for test scenarios and the two bundled livelocks.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "explore/coro.h"
#include "explore/resume.h"
#include "vmsa/explore.h"
#include "vmsa/guest.h"
#include "vmsa/model.h"
#include "vmsa/scenario.h"

/* The kernel first (vmsa/guest.h), then two words in its flag page:
 * `changes`, which CPU1 moves on, and `seen`, the value CPU0's handler
 * saw last. */
struct rp_data {
	struct vmsa_kernel k;
};

static vmsa_pa_t changes_pa(vmsa_run_t *r)
{
	return vmsa_kernel_of(r)->flag + 8;
}

static vmsa_pa_t seen_pa(vmsa_run_t *r)
{
	return vmsa_kernel_of(r)->flag + 16;
}

/* CPU0 reads the unmapped VMSA_KERNEL_VA_NEW: a Translation fault to
 * EL1 at every try until something maps it. */
static void reader(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	uint64_t v;

	vmsa_kernel_enter(r, cpu);
	if (vmsa_read(vmsa_run_machine(r), cpu, VMSA_KERNEL_VA_NEW, 8, &v))
		vmsa_assert(r, cpu, v == 0xa1, "the new page reads as another");
}

/* Returns: nothing changes, the retry faults again. */
static void h_nothing(vmsa_machine_t *m, vmsa_cpu_t cpu,
		      const struct vmsa_exception *e, void *arg)
{
	(void)m;
	(void)cpu;
	(void)e;
	(void)arg;
}

/* Counts its faults in model memory: the state changes every time. */
static void h_count(vmsa_machine_t *m, vmsa_cpu_t cpu,
		    const struct vmsa_exception *e, void *arg)
{
	vmsa_pa_t pa = changes_pa(arg);

	(void)e;
	vmsa_phys_write(m, cpu, pa, 8, vmsa_phys_read(m, cpu, pa, 8, true) + 1,
			true);
}

/* Waits until CPU1 moved `changes` on since the last fault, and notes
 * the new value in `seen`: CPU1 runs between any two faults. */
static void h_wait_change(vmsa_machine_t *m, vmsa_cpu_t cpu,
			  const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;
	uint64_t seen = vmsa_phys_read(m, cpu, seen_pa(r), 8, true);
	uint64_t v = vmsa_wait_ne(r, cpu, changes_pa(r), ~0ull, seen);

	(void)e;
	vmsa_phys_write(m, cpu, seen_pa(r), 8, v, true);
}

/* CPU1 moves `changes` on three times (each once CPU0 saw the last),
 * then maps VMSA_KERNEL_VA_NEW to page[1] and moves it on once more:
 * CPU0's retry then succeeds. */
static void changer_maps(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	const struct vmsa_kernel *k = vmsa_kernel_of(r);

	for (uint64_t i = 1; i <= 3; i++) {
		vmsa_wait_eq(r, cpu, seen_pa(r), ~0ull, i - 1);
		vmsa_phys_write(m, cpu, changes_pa(r), 8, i, true);
	}
	vmsa_wait_eq(r, cpu, seen_pa(r), ~0ull, 3);
	vmsa_desc_write_pa(m, cpu, vmsa_kernel_pte_pa(k, VMSA_KERNEL_VA_NEW),
			   vmsa_kernel_pte(k->page[1]));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_phys_write(m, cpu, changes_pa(r), 8, 4, true);
}

/* CPU1 moves `changes` on for ever (each once CPU0 saw the last). */
static void changer_forever(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	for (uint64_t i = 1; !vmsa_stopped(m); i++) {
		vmsa_wait_eq(r, cpu, seen_pa(r), ~0ull, i - 1);
		vmsa_phys_write(m, cpu, changes_pa(r), 8, i, true);
	}
}

static const vmsa_scenario_t rp_same = {
	.name = "test/repeat-same", .setup = vmsa_kernel_setup,
	.cpu = {reader}, .handler = {[0] = {[1] = h_nothing}}};
static const vmsa_scenario_t rp_count = {
	.name = "test/repeat-count", .setup = vmsa_kernel_setup,
	.cpu = {reader}, .handler = {[0] = {[1] = h_count}}};
static const vmsa_scenario_t rp_maps = {
	.name = "test/repeat-other-maps", .setup = vmsa_kernel_setup,
	.cpu = {reader, changer_maps},
	.handler = {[0] = {[1] = h_wait_change}}};
static const vmsa_scenario_t rp_forever = {
	.name = "test/repeat-other-forever", .setup = vmsa_kernel_setup,
	.cpu = {reader, changer_forever},
	.handler = {[0] = {[1] = h_wait_change}}};

/*
 * A handler that keeps its count in host memory on CPU0's stack (as the
 * litmus interpreter keeps a thread's registers) and maps the page at
 * its fourth fault. Declared with vmsa_run_state(), the count is part of
 * the state and the retries do not repeat; undeclared, the machine's
 * state is the same at the third retry and a livelock is reported that
 * the scenario does not have: what the declaration is for.
 */
struct rp_host {
	struct vmsa_kernel k;
	unsigned *count;	/* CPU0's, written once by CPU0 */
};

static void host_reader(vmsa_run_t *r, vmsa_cpu_t cpu, bool declare)
{
	struct rp_host *d = vmsa_run_data(r);
	unsigned count = 0;
	uint64_t v;

	d->count = &count;
	if (declare)
		CHECK_EQ(vmsa_run_state(r, cpu, &count, sizeof(count)), 0);
	vmsa_kernel_enter(r, cpu);
	if (vmsa_read(vmsa_run_machine(r), cpu, VMSA_KERNEL_VA_NEW, 8, &v))
		vmsa_assert(r, cpu, v == 0xa1, "the new page reads as another");
	CHECK_EQ(vmsa_run_state(r, cpu, NULL, 0), 0);
}

static void host_declared(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	host_reader(r, cpu, true);
}

static void host_undeclared(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	host_reader(r, cpu, false);
}

static void h_host_count(vmsa_machine_t *m, vmsa_cpu_t cpu,
			 const struct vmsa_exception *e, void *arg)
{
	struct rp_host *d = vmsa_run_data(arg);

	(void)e;
	if (++*d->count < 4)
		return;
	vmsa_desc_write_pa(m, cpu, vmsa_kernel_pte_pa(&d->k, VMSA_KERNEL_VA_NEW),
			   vmsa_kernel_pte(d->k.page[1]));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_isb(m, cpu);
}

static const vmsa_scenario_t rp_declared = {
	.name = "test/repeat-declared", .setup = vmsa_kernel_setup,
	.cpu = {host_declared}, .handler = {[0] = {[1] = h_host_count}}};
static const vmsa_scenario_t rp_undeclared = {
	.name = "test/repeat-undeclared", .setup = vmsa_kernel_setup,
	.cpu = {host_undeclared}, .handler = {[0] = {[1] = h_host_count}}};

/* What a search found. */
struct found {
	char verdict[32];
	char message[512];
	int cpu;
	uint64_t step, executions;
	bool complete;
};

/* Steps between states saved to resume from (0: none). */
static unsigned resume_every;

static struct found search(const vmsa_scenario_t *s, const char *config,
			   int preemptions, bool reduction, unsigned budget,
			   bool budget_only)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;
	struct found f;

	memset(&f, 0, sizeof(f));
	o.preemptions = preemptions;
	o.reduction = reduction;
	o.step_budget = budget;
	o.budget_livelocks_only = budget_only;
	o.resume_every = resume_every;
	CHECK_EQ(vmsa_explore(s, config, &o, &res), 0);
	snprintf(f.verdict, sizeof(f.verdict), "%s", res.verdict);
	f.executions = res.stats.executions;
	f.complete = res.complete;
	f.cpu = -1;
	if (res.violated) {
		snprintf(f.message, sizeof(f.message), "%s",
			 res.violation.message);
		f.cpu = res.violation.cpu;
		f.step = res.violation.step;
	}
	vmsa_explore_result_free(&res);
	return f;
}

TEST(repeat_same_state)
{
	struct found f = search(&rp_same, "default", 2, false, 10000, false);

	/* The first retry has no lone run before it; the second, after
	 * one, takes the first digest; the third finds the same state: the
	 * enter (5 steps), the read (1), then three times its fault's
	 * entry and the handler's return (2 each), the retries before the
	 * third (1 each). */
	CHECK_STR(f.verdict, "livelock");
	CHECK_STR(f.message, "CPU0 retried its access after a translation "
		  "fault (stage 1, VA 0x2000) with the machine state "
		  "unchanged since its previous retry and no other CPU "
		  "run: it can repeat forever");
	CHECK_EQ(f.cpu, 0);
	CHECK_EQ(f.step, 14);
	CHECK_EQ(f.executions, 1);
	/* The budget alone: the same execution, 10,000 steps later. */
	f = search(&rp_same, "default", 2, false, 10000, true);
	CHECK_STR(f.verdict, "livelock");
	CHECK_STR(f.message, "CPU0 exceeded its budget of 10000 steps");
	CHECK_EQ(f.cpu, 0);
	CHECK_EQ(f.step, 10000);
	CHECK_EQ(f.executions, 1);
}

TEST(repeat_changing_state_left_to_budget)
{
	/* The handler's count changes the state at every fault: only the
	 * budget finds it, as without the check. */
	for (int budget_only = 0; budget_only <= 1; budget_only++) {
		struct found f = search(&rp_count, "default", 2, false, 300,
					budget_only);

		CHECK_STR(f.verdict, "livelock");
		CHECK_STR(f.message, "CPU0 exceeded its budget of 300 steps");
		CHECK_EQ(f.cpu, 0);
		CHECK_EQ(f.step, 300);
		CHECK_EQ(f.executions, 1);
	}
}

TEST(repeat_other_cpu_changes_state)
{
	/* CPU1 runs between any two faults: never a repeated state. Where
	 * it maps the page the search is safe, with every execution of the
	 * search without the check; where it goes on for ever, the budget
	 * finds the livelock in the same execution as without it. */
	for (int budget_only = 0; budget_only <= 1; budget_only++) {
		struct found f = search(&rp_maps, "default", 2, false, 10000,
					budget_only);

		CHECK_STR(f.verdict, "safe");
		CHECK(f.complete);
		CHECK_EQ(f.executions, 358);
		f = search(&rp_maps, "default", VMSA_UNBOUNDED, true, 10000,
			   budget_only);
		CHECK_STR(f.verdict, "safe");
		CHECK(f.complete);
		CHECK_EQ(f.executions, 360);
		f = search(&rp_forever, "default", 2, false, 300, budget_only);
		CHECK_STR(f.verdict, "livelock");
		CHECK_STR(f.message, "CPU0 exceeded its budget of 300 steps");
		CHECK_EQ(f.cpu, 0);
		CHECK_EQ(f.step, 398);
		CHECK_EQ(f.executions, 1);
	}
}

/* The two bundled livelocks (docs/explorer.md, "Livelocks"). */
static void bundled(const char *name, const char *config, int cpu,
		    uint64_t step, uint64_t exec_p2, uint64_t exec_unb,
		    uint64_t exec_budget, const char *message)
{
	const vmsa_scenario_t *s = vmsa_scenario_find(name);
	struct found f;

	CHECK(s != NULL);
	if (!s)
		return;
	f = search(s, config, 2, false, 10000, false);
	CHECK_STR(f.verdict, "livelock");
	CHECK_STR(f.message, message);
	CHECK_EQ(f.cpu, cpu);
	CHECK_EQ(f.step, step);
	CHECK_EQ(f.executions, exec_p2);
	f = search(s, config, VMSA_UNBOUNDED, true, 10000, false);
	CHECK_STR(f.verdict, "livelock");
	CHECK_STR(f.message, message);
	CHECK_EQ(f.cpu, cpu);
	CHECK_EQ(f.step, step);
	CHECK_EQ(f.executions, exec_unb);
	/* The budget alone (1,000 steps here, to keep it short): the
	 * execution that runs it out comes about a hundred later. */
	f = search(s, config, VMSA_UNBOUNDED, true, 1000, true);
	CHECK_STR(f.verdict, "livelock");
	CHECK_EQ(f.cpu, cpu);
	CHECK_EQ(f.executions, exec_budget);
}

TEST(repeat_bundled_livelocks)
{
	bundled("contpte/conflict-stage2-at-el1", "bbm2", 1, 44, 19, 8, 105,
		"CPU1 retried its access after a TLB conflict fault (stage 2, "
		"VA 0x3000) with the machine state unchanged since its "
		"previous retry and no other CPU run: it can repeat forever");
	bundled("kvm-bbml2/relax-stale", "bbm2-noabort", 1, 82, 86, 7, 114,
		"CPU1 retried its access after a permission fault (stage 2, "
		"VA 0x200000) with the machine state unchanged since its "
		"previous retry and no other CPU run: it can repeat forever");
}

TEST(repeat_declared_host_state)
{
	struct found f = search(&rp_declared, "default", 2, false, 10000,
				false);

	CHECK_STR(f.verdict, "safe");
	CHECK(f.complete);
	CHECK_EQ(f.executions, 1);
	f = search(&rp_undeclared, "default", 2, false, 10000, false);
	CHECK_STR(f.verdict, "livelock");
	CHECK_EQ(f.cpu, 0);
	CHECK_EQ(f.step, 14);
	CHECK_EQ(f.executions, 1);
	f = search(&rp_undeclared, "default", 2, false, 10000, true);
	CHECK_STR(f.verdict, "safe");
}

/* Only the running CPU declares its own memory. */
static void bad_declare(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	static const unsigned x;

	CHECK_EQ(vmsa_run_state(r, 1 - cpu, &x, sizeof(x)), -EINVAL);
	CHECK_EQ(vmsa_run_state(r, cpu, NULL, 4), -EINVAL);
	CHECK_EQ(vmsa_run_state(r, cpu, &x, sizeof(x)), 0);
	CHECK_EQ(vmsa_run_state(r, cpu, NULL, 0), 0);
	vmsa_phys_write(vmsa_run_machine(r), cpu, vmsa_kernel_of(r)->flag, 8,
			1, true);
}

static void setup_bad_declare(vmsa_run_t *r)
{
	static const unsigned x;

	vmsa_kernel_setup(r);
	CHECK_EQ(vmsa_run_state(r, 0, &x, sizeof(x)), -EINVAL);
	CHECK_EQ(vmsa_run_state(NULL, 0, &x, sizeof(x)), -EINVAL);
}

TEST(repeat_run_state_bad_calls)
{
	static const vmsa_scenario_t s = {
		.name = "test/repeat-bad-declare", .setup = setup_bad_declare,
		.cpu = {bad_declare, bad_declare}};
	struct found f = search(&s, "default", 0, false, 10000, false);

	/* Bound 0 still decides which CPU starts. */
	CHECK_STR(f.verdict, "safe");
	CHECK_EQ(f.executions, 2);
}

/*
 * Executions resumed from saved states (docs/explorer.md, "Resuming
 * from a decision") keep the livelock check's records of the retries
 * made before the state: a search that resumes finds the same livelocks
 * at the same step of the same execution, and lets the same changing
 * states go, as one that replays every execution from set-up. The
 * scenarios whose handler waits for another CPU make states while a
 * retry is recorded; the search did resume.
 */
TEST(repeat_resumed_same_search)
{
	static const vmsa_scenario_t *const scen[] = {&rp_maps, &rp_forever,
						      &rp_same, &rp_count};
	static const int bounds[] = {1, 2, VMSA_UNBOUNDED};
	uint64_t before = resume_count;

	for (unsigned i = 0; i < 4; i++)
		for (unsigned b = 0; b < 3; b++) {
			struct found plain, resumed;

			resume_every = 0;
			plain = search(scen[i], "default", bounds[b],
				       bounds[b] == VMSA_UNBOUNDED, 300, false);
			resume_every = 1;
			resumed = search(scen[i], "default", bounds[b],
					 bounds[b] == VMSA_UNBOUNDED, 300,
					 false);
			resume_every = 0;
			CHECK_STR(resumed.verdict, plain.verdict);
			CHECK_STR(resumed.message, plain.message);
			CHECK_EQ(resumed.cpu, plain.cpu);
			CHECK_EQ(resumed.step, plain.step);
			CHECK_EQ(resumed.executions, plain.executions);
			CHECK_EQ(resumed.complete, plain.complete);
		}
	/* 751 when written: most of the searches' executions. */
	if (coro_images())
		CHECK(resume_count - before > 500);
}
