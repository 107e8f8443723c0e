/*
 * bench/unbounded.c - issue 8's target "every bundled scenario explored
 * unbounded (complete) in under 1 s each, all of them in under 10 s":
 * every configuration of every bundled scenario searched with no
 * preemption bound and the partial-order reduction (`vmsa check
 * --reduction --preemptions unbounded`), in this process, one after
 * another. Prints one JSON object: per configuration its verdict,
 * whether it is the expected one, whether the search was complete,
 * executions (with, of them, those cut short: `blocked` by the sleep
 * sets and `ruled` by a rule for relaxed searches) and seconds
 * (processor time of this process), then the totals and how many
 * configurations took over 1 s or were cut.
 *
 * Some searches are still far from the target (docs/explorer.md,
 * "Current measurements"), so each one stops after
 * VMSA_BENCH_UNBOUNDED_CAP executions (default 20000; 0: no limit, which
 * can take hours): a cut search reports "complete": false.
 * VMSA_BENCH_UNBOUNDED_ONLY, a glob (fnmatch(3)) of "scenario@config",
 * runs only the configurations it matches (with VMSA_DPOR_RACES, to see
 * one search's races: docs/explorer.md).
 *
 * The cap counts executions, so that two builds can be compared search
 * for search; but a search cut at it may still finish within the
 * target's second. So each configuration cut or over 1 s is searched
 * again with no cap on executions and a limit of
 * VMSA_BENCH_UNBOUNDED_TARGET_SECONDS of processor time (default 1; 0:
 * not again): "target" says whether it finished within it, and the
 * totals how many configurations meet the target (complete in under
 * that time, in either search) and, when all do, their seconds in all.
 *
 * Executions resume from states saved at scheduling decisions 4 steps
 * apart (vmsa_explore_opts_t.resume_every 4, `vmsa check --resume`: the
 * bundled scenarios keep their state as it needs);
 * VMSA_BENCH_UNBOUNDED_RESUME=0 replays every execution from set-up, to
 * compare (the same executions and verdicts: "resume_every" in the
 * output says which).
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmsa/explore.h"

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The search again, with no cap on executions and `limit` seconds of
 * processor time: into *res, its processor time returned. */
static double within(const vmsa_scenario_t *s, const char *cfg,
		     const vmsa_explore_opts_t *o, double limit,
		     vmsa_explore_result_t *res)
{
	vmsa_explore_opts_t t = *o;
	double t0 = cpu_now();

	t.max_executions = 0;
	t.max_seconds = limit;
	if (vmsa_explore(s, cfg, &t, res))
		return -1;
	return cpu_now() - t0;
}

int main(void)
{
	const char *cap_env = getenv("VMSA_BENCH_UNBOUNDED_CAP");
	const char *lim_env = getenv("VMSA_BENCH_UNBOUNDED_TARGET_SECONDS");
	double limit = lim_env ? atof(lim_env) : 1.0;
	unsigned met = 0;
	double met_s = 0;
	const char *only = getenv("VMSA_BENCH_UNBOUNDED_ONLY");
	const char *res_env = getenv("VMSA_BENCH_UNBOUNDED_RESUME");
	uint64_t cap = cap_env ? strtoull(cap_env, NULL, 10) : 20000;
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	uint64_t total_execs = 0;
	double total_s = 0;
	unsigned n = 0, over_1s = 0, cut = 0, unexpected = 0;

	o.preemptions = VMSA_UNBOUNDED;
	o.reduction = true;
	o.isolate = false;
	o.max_executions = cap;
	o.resume_every = res_env ? (unsigned)strtoul(res_env, NULL, 10) : 4;
	printf("{\"bench\": \"unbounded\", \"cap\": %llu, "
	       "\"resume_every\": %u, \"configs\": {",
	       (unsigned long long)cap, o.resume_every);
	for (unsigned i = 0; i < vmsa_scenario_count(); i++) {
		const vmsa_scenario_t *s = vmsa_scenario_get(i);

		for (unsigned c = 0; c < VMSA_MAX_CONFIGS && s->configs[c].name;
		     c++) {
			const char *cfg = s->configs[c].name;
			vmsa_explore_result_t res;
			double t0, t;
			bool as_expected;
			char full[256];

			snprintf(full, sizeof(full), "%s@%s", s->name, cfg);
			if (only && fnmatch(only, full, 0))
				continue;
			t0 = cpu_now();

			if (vmsa_explore(s, cfg, &o, &res)) {
				fprintf(stderr, "bench/unbounded: %s@%s: %s\n",
					s->name, cfg, res.error);
				return 1;
			}
			t = cpu_now() - t0;
			as_expected = s->configs[c].expect &&
				      !strcmp(res.verdict, s->configs[c].expect);
			/* A cut search that found nothing is not a verdict. */
			cut += !res.complete && !strcmp(res.verdict, "safe");
			over_1s += t > 1.0;
			unexpected += !as_expected;
			total_execs += res.stats.executions;
			total_s += t;
			printf("%s\n  \"%s@%s\": {\"verdict\": \"%s\", "
			       "\"as_expected\": %s, \"complete\": %s, "
			       "\"executions\": %llu, \"blocked\": %llu, "
			       "\"ruled\": %llu, \"seconds\": %.3f",
			       n ? "," : "", s->name, cfg, res.verdict,
			       as_expected ? "true" : "false",
			       res.complete ? "true" : "false",
			       (unsigned long long)res.stats.executions,
			       (unsigned long long)res.stats.blocked,
			       (unsigned long long)res.stats.ruled, t);
			/* A search that ends at a violation is complete
			 * for the target: it has its verdict. */
			if (res.complete || strcmp(res.verdict, "safe")) {
				if (t < (limit > 0 ? limit : 1.0)) {
					met++;
					met_s += t;
				}
			}
			if (limit > 0 && (t >= limit ||
			    (!res.complete && !strcmp(res.verdict, "safe")))) {
				vmsa_explore_result_t r2;
				double t2 = within(s, cfg, &o, limit, &r2);

				if (t2 < 0) {
					fprintf(stderr, "bench/unbounded: %s: %s\n",
						full, r2.error);
					return 1;
				}
				printf(", \"target\": {\"verdict\": \"%s\", "
				       "\"complete\": %s, \"executions\": %llu, "
				       "\"seconds\": %.3f}", r2.verdict,
				       r2.complete ? "true" : "false",
				       (unsigned long long)r2.stats.executions, t2);
				if ((r2.complete || strcmp(r2.verdict, "safe")) &&
				    t2 < limit) {
					met++;
					met_s += t2;
				}
				vmsa_explore_result_free(&r2);
			}
			printf("}");
			fflush(stdout);
			vmsa_explore_result_free(&res);
			n++;
		}
	}
	printf("},\n \"n_configs\": %u, \"total_executions\": %llu, "
	       "\"total_seconds\": %.3f, \"n_over_1s\": %u, \"n_cut\": %u, "
	       "\"n_unexpected\": %u, \"target_seconds\": %.1f, "
	       "\"n_within_target\": %u, \"seconds_if_all_within\": ",
	       n, (unsigned long long)total_execs, total_s, over_1s, cut,
	       unexpected, limit, met);
	if (met == n)
		printf("%.3f}\n", met_s);
	else
		printf("null}\n");
	return 0;
}
