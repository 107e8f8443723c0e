/*
 * The explorer's continue_after_bbm option (vmsa_explore_opts_t; issue
 * 11, model error 6): a break-before-make violation is a warning of its
 * execution and the search goes on with the behaviours D8.17.1 allows
 * after it (held entries, TLB conflict aborts). Exact verdicts and
 * counts on bundled scenarios whose default verdict is `bbm`.
 */
#include "harness.h"
#include "vmsa/explore.h"

static void run(const char *name, const char *config, bool cont,
		bool isolate, vmsa_explore_result_t *res)
{
	const vmsa_scenario_t *s = vmsa_scenario_find(name);
	vmsa_explore_opts_t o = vmsa_explore_defaults();

	CHECK(s != NULL);
	o.continue_after_bbm = cont;
	o.isolate = isolate;
	if (s)
		CHECK_EQ(vmsa_explore(s, config, &o, res), 0);
}

/* DSB ISHST does not complete the TLBI (RYNJCP): every execution breaks
 * break-before-make, and going on, the reader only ever reads one of the
 * two pages: safe, each execution with its warning. */
TEST(explore_bbm_continue_tlbi_not_completed)
{
	vmsa_explore_result_t res;

	run("bbm/tlbi-not-completed", "bbm0", false, false, &res);
	CHECK_STR(res.verdict, "bbm");
	CHECK_EQ(res.stats.bbm_warnings, 0);
	vmsa_explore_result_free(&res);

	run("bbm/tlbi-not-completed", "bbm0", true, false, &res);
	CHECK_STR(res.error, "");
	CHECK_STR(res.verdict, "safe");
	CHECK(res.complete);
	CHECK_EQ(res.stats.executions, 299);
	CHECK_EQ(res.stats.bbm_warnings, 299);
	vmsa_explore_result_free(&res);

	/* The same through a child process. */
	run("bbm/tlbi-not-completed", "bbm0", true, true, &res);
	CHECK_STR(res.verdict, "safe");
	CHECK_EQ(res.stats.executions, 299);
	CHECK_EQ(res.stats.bbm_warnings, 299);
	vmsa_explore_result_free(&res);
}

/* size/split at BBM level 0: after the size change the reader's lookup
 * may match the block and the page: a TLB conflict abort nobody handles
 * (D8.17.1, at level 0 too), and its replay needs the option. */
TEST(explore_bbm_continue_conflict_abort)
{
	const vmsa_scenario_t *s = vmsa_scenario_find("size/split");
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res, again;

	run("size/split", "bbm0", true, false, &res);
	CHECK_STR(res.verdict, "conflict-abort-unhandled");
	CHECK_EQ(res.stats.executions, 27);
	CHECK_EQ(res.stats.bbm_warnings, 27);
	o.continue_after_bbm = true;
	if (s && res.decisions) {
		CHECK_EQ(vmsa_replay(s, "bbm0", res.decisions, &o, &again), 0);
		CHECK_STR(again.error, "");
		CHECK(again.violated);
		CHECK_EQ(again.violation.kind, res.violation.kind);
		CHECK_EQ(again.violation.step, res.violation.step);
		vmsa_explore_result_free(&again);
	}
	vmsa_explore_result_free(&res);
}
