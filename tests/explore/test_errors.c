/*
 * tests/explore/test_errors.c - the negative errno values of the public
 * functions that can fail (DESIGN.md: errors are negative errno values),
 * one test per function and cause: the exact value and, where there is
 * one, the message.
 */
#include <errno.h>
#include <stdio.h>

#include "harness.h"
#include "explore/decisions.h"
#include "vmsa/explore.h"

/* Scenarios of this file's own, not registered (vmsa_explore takes any
 * scenario): a CPU that does nothing, and a set-up that gives up. */
static void idle(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	(void)r;
	(void)cpu;
}

static void setup_gives_up(vmsa_run_t *r)
{
	vmsa_assert(r, VMSA_SETUP, false, "set-up gives up");
}

static const vmsa_scenario_t one_cpu = {
	.name = "test/one-cpu", .cpu = {idle},
	.configs = {{.name = "default", .expect = "safe"}},
};
static const vmsa_scenario_t two_cpus = {
	.name = "test/two-cpus", .cpu = {idle, idle},
	.configs = {{.name = "default", .expect = "safe"}},
};
static const vmsa_scenario_t no_cpu = {
	.name = "test/no-cpu",
	.configs = {{.name = "default", .expect = "safe"}},
};
static const vmsa_scenario_t bad_setup = {
	.name = "test/bad-setup", .setup = setup_gives_up, .cpu = {idle},
	.configs = {{.name = "default", .expect = "safe"}},
};

static int explore(const vmsa_scenario_t *s, const char *config,
		   vmsa_explore_result_t *res)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();

	return vmsa_explore(s, config, &o, res);
}

static int replay(const vmsa_scenario_t *s, const char *config,
		  const char *decisions, vmsa_explore_result_t *res)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();

	return vmsa_replay(s, config, decisions, &o, res);
}

/* Replay `decisions` behind the check of s@config (default budget). */
static int replay_checked(const vmsa_scenario_t *s, const char *config,
			  const char *decisions, vmsa_explore_result_t *res)
{
	char d[64];

	snprintf(d, sizeof(d), "%04x:%s",
		 decisions_check(s->name, config,
				 vmsa_explore_defaults().step_budget),
		 decisions);
	return replay(s, config, d, res);
}

TEST(errno_explore_ok)
{
	vmsa_explore_result_t res;

	CHECK_EQ(explore(&one_cpu, "default", &res), 0);
	CHECK_STR(res.verdict, "safe");
	CHECK_STR(res.error, "");
	vmsa_explore_result_free(&res);
	vmsa_explore_result_free(&res); /* a second free is harmless */
	CHECK(res.decisions == NULL);
}

TEST(errno_explore_bad_config)
{
	vmsa_explore_result_t res;

	CHECK_EQ(explore(&one_cpu, "bbm9", &res), -EINVAL);
	CHECK_STR(res.error, "configuration 'bbm9': unknown feature (expected "
		  "default, bbm0, bbm1, bbm2, bbm2-noabort, ets2, ets3, s2fwb, "
		  "hafdbs, fb, fgt, exs, relaxed, norange or cpusN, joined by "
		  "'+')");
	vmsa_explore_result_free(&res);
	CHECK_EQ(explore(&one_cpu, "", &res), -EINVAL);
	CHECK_STR(res.error, "configuration '': empty configuration name");
	vmsa_explore_result_free(&res);
}

TEST(errno_explore_too_few_cpus)
{
	vmsa_explore_result_t res;

	CHECK_EQ(explore(&two_cpus, "cpus1", &res), -EINVAL);
	CHECK_STR(res.error, "configuration 'cpus1' has 1 CPUs, scenario "
		  "test/two-cpus needs 2");
	vmsa_explore_result_free(&res);
}

TEST(errno_explore_no_cpu)
{
	vmsa_explore_result_t res;

	CHECK_EQ(explore(&no_cpu, "default", &res), -EINVAL);
	CHECK_STR(res.error, "scenario test/no-cpu has no CPU function");
	vmsa_explore_result_free(&res);
	CHECK_EQ(replay(&no_cpu, "default", "0", &res), -EINVAL);
	vmsa_explore_result_free(&res);
}

TEST(errno_explore_setup_failed)
{
	vmsa_explore_result_t res;

	CHECK_EQ(explore(&bad_setup, "default", &res), -ECANCELED);
	CHECK_STR(res.error, "set-up: set-up gives up");
	vmsa_explore_result_free(&res);
	CHECK_EQ(replay_checked(&bad_setup, "default", "", &res), -ECANCELED);
	CHECK_STR(res.error, "the scenario's set-up stopped the machine");
	vmsa_explore_result_free(&res);
}

TEST(errno_replay)
{
	vmsa_explore_result_t res;

	CHECK_EQ(replay_checked(&one_cpu, "default", "", &res), 0);
	CHECK_STR(res.error, "");
	vmsa_explore_result_free(&res);
	CHECK_EQ(replay(&one_cpu, "default", "", &res), -EINVAL);
	vmsa_explore_result_free(&res);
	CHECK_EQ(replay_checked(&one_cpu, "default", "0(", &res), -EINVAL);
	CHECK_STR(res.error, "bad decision string: '(' must be followed by a "
		  "number (at most 1000000) and ')'");
	vmsa_explore_result_free(&res);
	CHECK_EQ(replay(&one_cpu, "nope", "0", &res), -EINVAL);
	vmsa_explore_result_free(&res);
}

TEST(errno_config_parse)
{
	vmsa_features_t f;
	const char *why = NULL;

	CHECK_EQ(vmsa_config_parse("bbm2+ets2", 2, &f, &why), 0);
	CHECK_EQ(f.bbm_level, 2);
	CHECK(f.ets2);
	CHECK_EQ(vmsa_config_parse("bbm2+nope", 2, &f, &why), -EINVAL);
	CHECK(why != NULL && !strncmp(why, "unknown feature", 15));
	/* No FEAT_BBM level 3: ID_AA64MMFR2_EL1.BBM (D24.2.90) defines 0,
	 * 1 and 2 only; the name is refused with that reason, alone or
	 * joined with others, and leaves nothing half applied visible. */
	why = NULL;
	CHECK_EQ(vmsa_config_parse("bbm3", 2, &f, &why), -EINVAL);
	CHECK_STR(why, "bbm3: there is no FEAT_BBM level 3: "
		  "ID_AA64MMFR2_EL1.BBM (Arm ARM DDI 0487 M.a.a, D24.2.90, "
		  "bits [55:52]) defines only 0b0000, 0b0001 and 0b0010, all "
		  "other values are reserved (bbm2-noabort is level 2 without "
		  "TLB conflict aborts)");
	why = NULL;
	CHECK_EQ(vmsa_config_parse("ets2+bbm3", 2, &f, &why), -EINVAL);
	CHECK(why != NULL && !strncmp(why, "bbm3: there is no FEAT_BBM "
				      "level 3", 31));
	CHECK_EQ(vmsa_config_parse("bbm3x", 2, &f, &why), -EINVAL);
	CHECK(why != NULL && !strncmp(why, "unknown feature", 15));
	CHECK_EQ(vmsa_config_parse("", 2, &f, &why), -EINVAL);
	CHECK_STR(why, "empty configuration name");
	CHECK_EQ(vmsa_config_parse(NULL, 2, &f, &why), -EINVAL);
	CHECK_STR(why, "empty configuration name");
	/* Parsed, then refused by vmsa_features_check(): 9 CPUs. */
	CHECK_EQ(vmsa_config_parse("default", 9, &f, &why), -EINVAL);
	CHECK(why != NULL);
}

TEST(errno_features_check)
{
	vmsa_features_t f = vmsa_features_default();
	const char *why = NULL;

	CHECK_EQ(vmsa_features_check(&f, &why), 0);
	f.bbm_level = 3;
	CHECK_EQ(vmsa_features_check(&f, &why), -EINVAL);
	CHECK(why != NULL);
}
