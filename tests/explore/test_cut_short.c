/*
 * Executions cut short, counted by why (vmsa_explore_stats_t.blocked,
 * .ruled, .ended; docs/explorer.md, "Executions by how they ended"):
 * exact counts of small searches. The plain search and a search under a
 * preemption bound use no sleep sets and block nothing; the reduced
 * unbounded search of bbm/ok blocks 39 of its 261 executions; a scenario
 * that ends its executions (explore_end(), as the litmus front end ends
 * those herd7 drops) has each one counted as ended, and not checked.
 * The litmus front end's counts (ruled, blocked) are pinned in
 * tests/litmus/test_litmus_rdprune.c and carried over worker processes
 * in tests/litmus/test_litmus_jobs.c.
 *
 * The scenario here is not registered (no VMSA_SCENARIO): it runs
 * through vmsa_explore() directly and stays out of the bundled list.
 */
#include "harness.h"
#include "explore/explore_int.h"
#include "vmsa/explore.h"
#include "vmsa/scenario.h"

static vmsa_explore_stats_t stats_of(const vmsa_scenario_t *s,
				     const char *config, int bound,
				     bool reduce)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;
	vmsa_explore_stats_t st = {0};

	o.preemptions = bound;
	o.reduction = reduce;
	CHECK(s != NULL);
	if (!s || vmsa_explore(s, config, &o, &res))
		return st;
	CHECK(res.complete);
	CHECK_STR(res.verdict, "safe");
	st = res.stats;
	vmsa_explore_result_free(&res);
	return st;
}

TEST(cut_short_bbm_ok_blocked)
{
	const vmsa_scenario_t *s = vmsa_scenario_find("bbm/ok");
	vmsa_explore_stats_t st;

	st = stats_of(s, "bbm0", VMSA_UNBOUNDED, true);
	CHECK_EQ(st.executions, 261);
	CHECK_EQ(st.blocked, 39);
	CHECK_EQ(st.ruled, 0);
	CHECK_EQ(st.ended, 0);
	/* Under a bound the reduction keeps no sleep sets. */
	st = stats_of(s, "bbm0", 2, true);
	CHECK_EQ(st.executions, 99);
	CHECK_EQ(st.blocked, 0);
	st = stats_of(s, "bbm0", 2, false);
	CHECK_EQ(st.executions, 283);
	CHECK_EQ(st.blocked, 0);
	CHECK_EQ(st.ruled + st.ended, 0);
}

TEST(cut_short_size_split_blocked)
{
	vmsa_explore_stats_t st = stats_of(vmsa_scenario_find("size/split"),
					   "bbm2-noabort", VMSA_UNBOUNDED,
					   true);

	CHECK_EQ(st.executions, 126);
	CHECK_EQ(st.blocked, 36);
	CHECK_EQ(st.ruled + st.ended, 0);
}

/* CPU0 writes 1 to x and then to y; CPU1 reads x, ends the execution
 * when it read 0 (before the write), and reads y. The check counts the
 * executions it sees, the reader those where it read 0. */
static unsigned checked, zeros;

static vmsa_pa_t x_of(vmsa_run_t *r)
{
	return *(vmsa_pa_t *)vmsa_run_data(r);
}

static void end_setup(vmsa_run_t *r)
{
	*(vmsa_pa_t *)vmsa_run_data(r) =
		vmsa_page_alloc(vmsa_run_machine(r), VMSA_SETUP, 1, 1);
}

static void end_writer(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_phys_write(vmsa_run_machine(r), cpu, x_of(r), 8, 1, true);
	vmsa_phys_write(vmsa_run_machine(r), cpu, x_of(r) + 8, 8, 1, true);
}

static void end_reader(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	if (!vmsa_phys_read(vmsa_run_machine(r), cpu, x_of(r), 8, true)) {
		zeros++;
		explore_end(r);
	}
	vmsa_phys_read(vmsa_run_machine(r), cpu, x_of(r) + 8, 8, true);
}

static void end_check(vmsa_run_t *r)
{
	(void)r;
	checked++;
}

static const vmsa_scenario_t end_s = {
	.name = "test/cut-short-end", .setup = end_setup,
	.check = end_check, .cpu = {end_writer, end_reader},
};

/*
 * The plain search, unbounded: 13 executions (the interleavings of the
 * two CPUs' steps, their start included). Those where the reader's read
 * of x came first, 3 of them, end at the step after it (the reader's
 * read of y never runs) and are not checked; the other 10 are.
 */
TEST(cut_short_ended_by_the_scenario)
{
	vmsa_explore_stats_t st;

	checked = zeros = 0;
	st = stats_of(&end_s, "default", VMSA_UNBOUNDED, false);
	CHECK_EQ(st.executions, 13);
	CHECK_EQ(st.ended, 3);
	CHECK_EQ(zeros, st.ended);
	CHECK_EQ(checked, 10);
	CHECK_EQ(st.blocked + st.ruled, 0);
}
