/*
 * The explorer on the bundled break-before-make scenarios: exact verdicts,
 * completeness, and replays that reproduce the violation.
 */
#include <errno.h>

#include "harness.h"
#include "vmsa/explore.h"

static void check_verdict(const char *name, const char *config,
			  const char *verdict, bool complete)
{
	const vmsa_scenario_t *s = vmsa_scenario_find(name);
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_EQ(vmsa_explore(s, config, &o, &res), 0);
	CHECK_STR(res.error, "");
	CHECK_STR(res.verdict, verdict);
	CHECK_EQ(res.complete, complete);
	CHECK(res.stats.executions > 0);
	if (res.violated) {
		vmsa_explore_result_t again;

		/* The replay stops at the same violation, at the same step. */
		CHECK_EQ(vmsa_replay(s, config, res.decisions, &o, &again), 0);
		CHECK_STR(again.error, "");
		CHECK(again.violated);
		CHECK_EQ(again.violation.kind, res.violation.kind);
		CHECK_EQ(again.violation.step, res.violation.step);
		CHECK_EQ(again.violation.cpu, res.violation.cpu);
		CHECK_STR(again.violation.message, res.violation.message);
		CHECK_STR(again.decisions, res.decisions);
		vmsa_explore_result_free(&again);
	}
	vmsa_explore_result_free(&res);
}

TEST(explore_bbm_ok_safe)
{
	check_verdict("bbm/ok", "bbm0", "safe", true);
}

TEST(explore_bbm_valid_to_valid)
{
	check_verdict("bbm/valid-to-valid", "bbm0", "bbm", false);
}

TEST(explore_bbm_missing_tlbi)
{
	check_verdict("bbm/missing-tlbi", "bbm0", "bbm", false);
}

TEST(explore_bbm_missing_dsb_before_tlbi)
{
	check_verdict("bbm/missing-dsb-before-tlbi", "bbm0", "bbm", false);
}

TEST(explore_bbm_tlbi_local)
{
	check_verdict("bbm/tlbi-local", "bbm0", "bbm", false);
}

TEST(explore_bbm_tlbi_not_completed)
{
	check_verdict("bbm/tlbi-not-completed", "bbm0", "bbm", false);
}

/* max_seconds: a limit the search passes at its first execution stops it
 * there, incomplete; one it never reaches changes nothing. */
TEST(explore_max_seconds)
{
	const vmsa_scenario_t *s = vmsa_scenario_find("pgtable/fault-same");
	const vmsa_scenario_t *ok = vmsa_scenario_find("bbm/ok");
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res, free_;

	CHECK(s != NULL && ok != NULL);
	if (!s || !ok)
		return;
	o.preemptions = VMSA_UNBOUNDED;
	o.reduction = true;
	o.max_seconds = 1e-9;
	CHECK_EQ(vmsa_explore(s, "bbm2", &o, &res), 0);
	CHECK_STR(res.verdict, "safe");
	CHECK_EQ(res.complete, false);
	CHECK_EQ(res.stats.executions, 1);
	vmsa_explore_result_free(&res);
	o.max_seconds = 3600;
	CHECK_EQ(vmsa_explore(ok, "bbm0", &o, &res), 0);
	o.max_seconds = 0;
	CHECK_EQ(vmsa_explore(ok, "bbm0", &o, &free_), 0);
	CHECK_STR(res.verdict, "safe");
	CHECK_EQ(res.complete, true);
	CHECK_EQ(res.stats.executions, free_.stats.executions);
	vmsa_explore_result_free(&res);
	vmsa_explore_result_free(&free_);
}

TEST(explore_bad_config)
{
	const vmsa_scenario_t *s = vmsa_scenario_find("bbm/ok");
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	CHECK_EQ(vmsa_explore(s, "bbm7", &o, &res), -EINVAL);
	CHECK(strstr(res.error, "configuration 'bbm7'") != NULL);
}

TEST(explore_bad_decisions)
{
	const vmsa_scenario_t *s = vmsa_scenario_find("bbm/ok");
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	CHECK_EQ(vmsa_replay(s, "bbm0", "01#", &o, &res), -EINVAL);
	CHECK(strstr(res.error, "bad decision string") != NULL);
}
