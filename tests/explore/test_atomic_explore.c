/*
 * The explorer with exclusives and atomics (docs/model.md "Atomics,
 * exclusives and acquire/release"): two CPUs increment one word with a
 * LDXR/STXR loop, or with LDADD, and no update is lost in any
 * execution; a plain load/store increment loses one. Exact execution
 * counts (the STXR's spurious failure is a choice, at most once in a
 * row per CPU).
 *
 * The scenarios are not registered (no VMSA_SCENARIO): they run through
 * vmsa_explore() directly and stay out of the bundled list.
 */
#include "harness.h"
#include "vmsa/explore.h"

struct inc_data {
	vmsa_pa_t word;
};

static struct inc_data *data(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

/* CPUs run at EL2 with the MMU off: VA = PA. */
static void inc_setup(vmsa_run_t *r)
{
	data(r)->word = vmsa_page_alloc(vmsa_run_machine(r), VMSA_SETUP, 1, 1);
}

static void excl_inc(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t v;
	unsigned st = 1;

	while (st) {
		if (!vmsa_ldxr(m, cpu, data(r)->word, 8, VMSA_ORD_ACQ, &v) ||
		    !vmsa_stxr(m, cpu, data(r)->word, 8, v + 1, VMSA_ORD_REL,
			       &st))
			return;
	}
}

static void ldadd_inc(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_rmw(vmsa_run_machine(r), cpu, data(r)->word, 8, VMSA_RMW_ADD, 1,
		 VMSA_ORD_ACQ_REL, NULL);
}

static void plain_inc(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t v;

	if (vmsa_read(m, cpu, data(r)->word, 8, &v))
		vmsa_write(m, cpu, data(r)->word, 8, v + 1);
}

static void inc_check(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	vmsa_assert(r, VMSA_SETUP,
		    vmsa_phys_read(m, VMSA_SETUP, data(r)->word, 8, false) == 2,
		    "an increment was lost");
}

static const vmsa_scenario_t excl = {
	.name = "atomic/excl-inc", .setup = inc_setup,
	.cpu = {excl_inc, excl_inc}, .check = inc_check,
};
static const vmsa_scenario_t ldadd = {
	.name = "atomic/ldadd-inc", .setup = inc_setup,
	.cpu = {ldadd_inc, ldadd_inc}, .check = inc_check,
};
static const vmsa_scenario_t plain = {
	.name = "atomic/plain-inc", .setup = inc_setup,
	.cpu = {plain_inc, plain_inc}, .check = inc_check,
};

static uint64_t run(const vmsa_scenario_t *s, int bound, bool reduce,
		    const char *verdict)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;
	uint64_t n;

	o.preemptions = bound;
	o.reduction = reduce;
	CHECK_EQ(vmsa_explore(s, "default", &o, &res), 0);
	CHECK_STR(res.error, "");
	CHECK_STR(res.verdict, verdict);
	CHECK(res.complete || res.violated);
	n = res.stats.executions;
	vmsa_explore_result_free(&res);
	return n;
}

/*
 * Without preemption: either CPU first (2), and each CPU's STXR passes
 * or fails spuriously once and then passes (2 x 2): 8. With
 * preemptions, the other CPU's STXR between a LDXR and its STXR clears
 * the mark and the loop goes round again; the search stays finite
 * because a CPU's spurious failures cannot follow one another.
 */
TEST(explore_atomic_excl_increment_loses_nothing)
{
	CHECK_EQ(run(&excl, 0, false, "safe"), 8);
	CHECK_EQ(run(&excl, 1, false, "safe"), 32);
	CHECK_EQ(run(&excl, 2, false, "safe"), 104);
	CHECK_EQ(run(&excl, 2, true, "safe"), 104);
	CHECK_EQ(run(&excl, VMSA_UNBOUNDED, true, "safe"), 82);
}

/* One step per CPU: 6 executions without the reduction at bound 2 (as
 * for any two one-step CPUs: each order three times), the 2 orders of
 * the two dependent RMWs with it. */
TEST(explore_atomic_ldadd_increment_loses_nothing)
{
	CHECK_EQ(run(&ldadd, 2, false, "safe"), 6);
	CHECK_EQ(run(&ldadd, VMSA_UNBOUNDED, true, "safe"), 2);
}

TEST(explore_atomic_plain_increment_loses_one)
{
	run(&plain, 2, false, "assert");
	run(&plain, 2, true, "assert");
}
