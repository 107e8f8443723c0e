/*
 * Decision strings and divergence: the check that ties a string to its
 * scenario, configuration and step budget; trimmed trailing zeros; the
 * exact messages for a replay that does not fit and for a scenario that
 * is not deterministic (found by the search, never a verdict).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "explore/decisions.h"
#include "explore/explore_int.h"
#include "vmsa/explore.h"

TEST(decisions_encode_trims_and_checks)
{
	struct dec d[] = {{.chosen = 0, .n = 2}, {.chosen = 1, .n = 2},
			  {.chosen = 63, .n = 64}, {.chosen = 0, .n = 2},
			  {.chosen = 0, .n = 3}};
	char *s = decisions_encode(0xa3f9, d, 5);

	CHECK_STR(s, "a3f9:01(63)");
	free(s);
	s = decisions_encode(0x12, d, 1);
	CHECK_STR(s, "0012:");
	free(s);
}

TEST(decisions_decode_round_trip)
{
	struct dec_vec d = {0};
	unsigned check = 0;
	bool has = false;
	const char *why = NULL;

	CHECK_EQ(decisions_decode("a3f9:01(63)z", &has, &check, &d, &why), 0);
	CHECK(has);
	CHECK_EQ(check, 0xa3f9);
	CHECK_EQ(d.n, 4);
	if (d.n == 4) {
		CHECK_EQ(d.p[1].chosen, 1);
		CHECK_EQ(d.p[2].chosen, 63);
		CHECK_EQ(d.p[3].chosen, 35);
	}
	CHECK_EQ(decisions_decode("0101", &has, &check, NULL, &why), 0);
	CHECK(!has);
	CHECK_EQ(decisions_decode("a3f:01", &has, &check, NULL, &why), -EINVAL);
	CHECK_STR(why, "the check before ':' must be 4 hexadecimal digits");
	CHECK_EQ(decisions_decode("a3f9:0#", &has, &check, NULL, &why), -EINVAL);
	CHECK_STR(why, "only 0-9, a-z, A-Z and (N) may follow the check");
	dec_vec_free(&d);
}

/* The check depends on the scenario, the configuration and the budget. */
TEST(decisions_check_differs)
{
	unsigned a = decisions_check("size/split", "bbm0", 10000);

	CHECK_EQ(a, decisions_check("size/split", "bbm0", 10000));
	CHECK_NE(a, decisions_check("size/split", "bbm1", 10000));
	CHECK_NE(a, decisions_check("size/spli", "tbbm0", 10000));
	CHECK_NE(a, decisions_check("size/split", "bbm0", 3));
	CHECK(a <= 0xffff);
}

/* Replay size/split@CONFIG from decisions d: vmsa_replay's status, with
 * its error in err. */
static int replay(const char *config, const char *d, char *err, size_t size)
{
	const vmsa_scenario_t *s = vmsa_scenario_find("size/split");
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;
	int rc = vmsa_replay(s, config, d, &o, &res);

	snprintf(err, size, "%s", res.error);
	vmsa_explore_result_free(&res);
	return rc;
}

TEST(replay_refuses_other_scenario)
{
	const vmsa_scenario_t *s = vmsa_scenario_find("size/split");
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res, again;
	char err[640], want[640];
	unsigned check = decisions_check("size/split", "bbm2", 10000);

	CHECK_EQ(vmsa_explore(s, "bbm2", &o, &res), 0);
	CHECK_STR(res.verdict, "conflict-abort-unhandled");
	/* The string of bbm2 replayed on bbm0 */
	CHECK_EQ(replay("bbm0", res.decisions, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "the decision string belongs to another "
		 "scenario, configuration or step budget: its check is %04x, "
		 "size/split@bbm0 with 10000 steps has %04x", check,
		 decisions_check("size/split", "bbm0", 10000));
	CHECK_STR(err, want);
	/* ... with another step budget. */
	o.step_budget = 500;
	CHECK_EQ(vmsa_replay(s, "bbm2", res.decisions, &o, &again), -EINVAL);
	CHECK(strstr(again.error, "with 500 steps has") != NULL);
	vmsa_explore_result_free(&again);
	vmsa_explore_result_free(&res);
}

TEST(replay_needs_check)
{
	char err[640], want[640];
	unsigned check = decisions_check("size/split", "bbm0", 10000);

	CHECK_EQ(replay("bbm0", "", err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "the decision string is empty: it starts "
		 "with the 4 hexadecimal digits and ':' that 'vmsa check' "
		 "prints (%04x: for size/split@bbm0 with 10000 steps)", check);
	CHECK_STR(err, want);
	CHECK_EQ(replay("bbm0", "0000", err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "the decision string has no check: ") == err);
}

TEST(replay_diverges_exactly)
{
	char d[64], err[640];
	unsigned check = decisions_check("size/split", "bbm2", 10000);

	/* Decision 0 picks the first CPU: two options. */
	snprintf(d, sizeof(d), "%04x:5", check);
	CHECK_EQ(replay("bbm2", d, err, sizeof(err)), 0);
	CHECK_STR(err, "diverged at decision 0 (expected 0..1, got 5)");
	snprintf(d, sizeof(d), "%04x:(99)", check);
	CHECK_EQ(replay("bbm2", d, err, sizeof(err)), 0);
	CHECK_STR(err, "diverged at decision 0 (expected 0..1, got 99)");
	/* bbm0 stops at its violation after 7 decisions; zeros beyond the
	 * end are implied, anything else diverges. */
	snprintf(d, sizeof(d), "%04x:0000000",
		 decisions_check("size/split", "bbm0", 10000));
	CHECK_EQ(replay("bbm0", d, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	snprintf(d, sizeof(d), "%04x:00000000001",
		 decisions_check("size/split", "bbm0", 10000));
	CHECK_EQ(replay("bbm0", d, err, sizeof(err)), 0);
	CHECK_STR(err, "diverged at decision 7 (expected the end of the "
		  "execution, got 4 more decisions)");
}

/* ------------------------------------------------------------------ */
/* A scenario that is not deterministic                                */
/* ------------------------------------------------------------------ */

/* How many times CPU0 ran, across executions: state that outlives an
 * execution, which a scenario must not have. */
static unsigned nd_runs;

/* Two steps in the first execution, none after: the second execution
 * ends before a decision the first one made. */
static void ended_cpu0(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	if (nd_runs++ == 0) {
		vmsa_dsb(m, cpu, VMSA_BAR_ISH);
		vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	}
}

/* Two steps in the first execution, one after: when it finishes early,
 * the scheduler has one CPU fewer to choose from. */
static void options_cpu0(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	if (nd_runs++ == 0)
		vmsa_dsb(m, cpu, VMSA_BAR_ISH);
}

static void one_step(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_dsb(vmsa_run_machine(r), cpu, VMSA_BAR_ISH);
}

/* Not registered: they would fail every test over the bundled ones. */
static const vmsa_scenario_t nd_ended = {
	.name = "test/nd-ended",
	.doc = "CPU0 counts its runs in a static variable",
	.cpu = {ended_cpu0, one_step},
	.configs = {{.name = "default", .expect = "safe"}},
};

static const vmsa_scenario_t nd_options = {
	.name = "test/nd-options",
	.doc = "CPU0 counts its runs in a static variable",
	.cpu = {options_cpu0, one_step, one_step},
	.configs = {{.name = "default", .expect = "safe"}},
};

/* Explore s from a fresh count: nondeterministic, at execution 2, with
 * message `error`, never a verdict. */
static void check_nondeterministic(const vmsa_scenario_t *s,
				   const char *error)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	nd_runs = 0;
	CHECK_EQ(vmsa_explore(s, "default", &o, &res), -EPROTO);
	CHECK_STR(res.verdict, "nondeterministic");
	CHECK(!res.violated);
	CHECK(!res.complete);
	CHECK(res.decisions == NULL);
	CHECK_STR(res.error, error);
	CHECK_EQ(res.stats.executions, 2);
	vmsa_explore_result_free(&res);
}

TEST(explore_nondeterministic_missing_decision)
{
	check_nondeterministic(&nd_ended, "the scenario is not deterministic: "
			       "execution 2 ended before decision 1, which an "
			       "earlier execution with the same decisions "
			       "before it made");
}

TEST(explore_nondeterministic_options)
{
	check_nondeterministic(&nd_options, "the scenario is not "
			       "deterministic: in execution 2, decision 2 "
			       "(which CPU runs next) had 2 options, where an "
			       "earlier execution with the same decisions "
			       "before it had 3");
}

/* A re-run that meets another kind of decision where one was recorded
 * (here: a model choice where the scheduler decided) diverges even with
 * the same number of options. decide() is driven directly: no small
 * scenario makes a model choice appear and vanish. */
TEST(decide_notices_another_decision)
{
	struct explorer *x = calloc(1, sizeof(*x));

	CHECK(x != NULL);
	if (!x)
		return;
	CHECK_EQ(dec_vec_push(&x->dec, (struct dec){.chosen = 1, .n = 2,
			      .free_ = true, .what = DECIDE_CPU}), 0);
	x->n_prefix = 1;
	CHECK_EQ(decide(x, 2, true, "stage-1 TLB entry"), 1);
	CHECK_EQ(x->div, DIV_WHAT);
	CHECK_EQ(x->div_at, 0);
	CHECK_STR(x->div_what, DECIDE_CPU);
	CHECK_STR(x->div_what_got, "stage-1 TLB entry");
	/* The same kind and count: no divergence. */
	x->pos = 0;
	x->div = DIV_NONE;
	CHECK_EQ(decide(x, 2, true, "stage-1 TLB entry"), 1);
	CHECK_EQ(x->div, DIV_NONE);
	dec_vec_free(&x->dec);
	free(x);
}
