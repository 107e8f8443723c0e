/*
 * src/explore/search.c - the searches: exhaustive depth-first search over
 * decision sequences, or random runs, each execution run by explore.c;
 * the search stops at the first violation, and reports a scenario whose
 * re-runs do not make the decisions they replay as nondeterministic.
 *
 * The exhaustive search is stateless depth-first search: after an
 * execution, the deepest decision with an untried option is advanced,
 * everything after it forgotten, and the scenario re-run from the start,
 * replaying the decisions before it. A scheduling decision that would
 * switch away from a CPU that could go on is a preemption; once an
 * execution has used the bound, such decisions take option 0 and their
 * other options are not explored.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dpor.h"
#include "model/machine.h"
#include "expect.h"
#include "explore_int.h"

vmsa_explore_opts_t vmsa_explore_defaults(void)
{
	vmsa_explore_opts_t o = {
		.preemptions = 2,
		.step_budget = 10000,
	};

	return o;
}

/* Advance the deepest decision with an untried option; false when every
 * sequence within the bounds has been explored. Decisions below
 * x->floor are a subtree's prefix (parallel.c): never advanced. */
static bool backtrack(struct explorer *x)
{
	while (x->dec.n > x->floor) {
		struct dec *d = &x->dec.p[x->dec.n - 1];

		if (x->dp && d->what && !strcmp(d->what, DECIDE_CPU)) {
			/* With the reduction, only the CPUs of the decision's
			 * backtrack set (dpor.h). */
			int o = dpor_next_option(x->dp, x->dec.n - 1,
						 d->chosen);

			if (o >= 0) {
				d->chosen = (unsigned)o;
				x->n_prefix = x->dec.n;
				return true;
			}
		} else if (d->free_ && d->chosen + 1u < d->n) {
			d->chosen++;
			x->n_prefix = x->dec.n;
			return true;
		}
		x->dec.n--;
	}
	return false;
}

static double clock_seconds(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* This process's processor time, for max_seconds. */
static double cpu_seconds(void)
{
	return clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
}

double now_seconds(void)
{
	return clock_seconds(CLOCK_MONOTONIC);
}

/* The effort so far, into res. */
static void fill_stats(const struct explorer *x, vmsa_explore_result_t *res,
		       double t0)
{
	res->stats = explore_stats(x, now_seconds() - t0);
}

/*
 * A re-run departed from the decisions an earlier execution recorded with
 * the same prefix: the scenario is not deterministic (it reads state that
 * outlives an execution, a clock, uninitialised memory ...), and no
 * verdict of the search can be trusted. Say where, and what differed.
 */
static void nondeterministic(struct explorer *x, vmsa_explore_result_t *res)
{
	unsigned long long e = (unsigned long long)x->executions;

	if (x->div == DIV_ENDED)
		snprintf(res->error, sizeof(res->error),
			 "the scenario is not deterministic: execution %llu "
			 "ended before decision %u, which an earlier "
			 "execution with the same decisions before it made",
			 e, x->div_at);
	else if (x->div == DIV_WHAT)
		snprintf(res->error, sizeof(res->error),
			 "the scenario is not deterministic: in execution "
			 "%llu, decision %u decided '%s', where an earlier "
			 "execution with the same decisions before it decided "
			 "'%s'", e, x->div_at, x->div_what_got, x->div_what);
	else
		snprintf(res->error, sizeof(res->error),
			 "the scenario is not deterministic: in execution "
			 "%llu, decision %u (%s) had %u options, where an "
			 "earlier execution with the same decisions before it "
			 "had %u", e, x->div_at, x->div_what, x->div_got,
			 x->div_want);
	res->verdict = VERDICT_NONDETERMINISTIC;
}

void finish(struct explorer *x, vmsa_explore_result_t *res, double t0)
{
	const vmsa_violation_t *v = explore_violation(x);

	fill_stats(x, res, t0);
	if (v) {
		res->violated = true;
		res->violation = *v;
		/* The machine's entries die with it: the result keeps a copy
		 * (vmsa_explore_result_free). Out of memory keeps none and
		 * says so, rather than showing part of the list. */
		res->violation.entries = NULL;
		res->violation.n_entries = 0;
		if (v->n_entries) {
			vmsa_violation_entry_t *e =
				malloc(v->n_entries * sizeof(*e));

			if (e) {
				memcpy(e, v->entries, v->n_entries * sizeof(*e));
				res->violation.entries = e;
				res->violation.n_entries = v->n_entries;
			} else {
				snprintf(res->error, sizeof(res->error),
					 "out of memory for the violation's "
					 "%u entries", v->n_entries);
			}
		}
		res->verdict = vmsa_violation_kind_name(v->kind);
		res->decisions = decisions_encode(x->check, x->dec.p, x->pos);
	} else {
		res->verdict = "safe";
	}
}

int vmsa_explore(const vmsa_scenario_t *s, const char *config,
		 const vmsa_explore_opts_t *o, vmsa_explore_result_t *res)
{
	struct explorer *x;
	int rc;

	if (o->isolate)
		return explore_isolated(s, config, o, res);
	memset(res, 0, sizeof(*res));
	x = explorer_new(s, config, o, res->error, sizeof(res->error), &rc);
	if (!x)
		return rc;
	rc = explore_search(x, res);
	explorer_free(x);
	return rc;
}

int explore_end_pending(struct explorer *x, int except)
{
	bool ended = x->ended && !explore_violation(x);

	for (unsigned c = 0; c < x->ncpus; c++)
		if (x->cpu[c].state != XCPU_DONE && (int)c != except &&
		    dpor_add_pending(x->dp, c, ended))
			return -ENOMEM;
	return 0;
}

bool explore_rule_on(const char *name)
{
	const char *v = getenv(name);

	return !(v && !strcmp(v, "0"));
}

int explore_make_dp(struct explorer *x)
{
	bool rules;

	x->dp = dpor_new(x->ncpus, x->opts.preemptions != VMSA_UNBOUNDED);
	if (!x->dp)
		return -ENOMEM;
	/* The write-placement and retired-entry rules, under relaxed and
	 * unbounded only (their arguments are the source-set reduction's):
	 * dpor_wplace_redundant(), dpor_retired_redundant(). */
	rules = x->run.m->f.relaxed && x->opts.preemptions == VMSA_UNBOUNDED;
	x->wprune = rules && explore_rule_on("VMSA_ORDER_WPRUNE");
	x->rprune = rules && explore_rule_on("VMSA_ORDER_RPRUNE");
	x->rdprune = rules && explore_rule_on("VMSA_ORDER_RDPRUNE");
	if (x->wprune || x->rprune || x->rdprune)
		dpor_all_windows(x->dp);
	return 0;
}

int explore_search(struct explorer *x, vmsa_explore_result_t *res)
{
	const vmsa_explore_opts_t *o = &x->opts;
	double t0 = now_seconds(), last = t0;
	double cpu0 = o->max_seconds > 0 ? cpu_seconds() : 0;

	explore_running = x;
	x->random = o->random_runs > 0;
	/* A worker of a parallel search made its reducer already (it
	 * seeds its prefix's decisions: par_worker.c). */
	if (!x->random && o->reduction && !x->dp &&
	    explore_make_dp(x)) {
		snprintf(res->error, sizeof(res->error), "out of memory");
		return -ENOMEM;
	}
	x->rng = o->seed ? o->seed : 0x9e3779b97f4a7c15ull;
	for (;;) {
		run_once(x);
		if (x->setup_failed || x->oom) {
			snprintf(res->error, sizeof(res->error), "%s",
				 x->oom ? "out of memory for decisions" :
				 "the scenario's set-up stopped the machine");
			if (x->setup_failed && vmsa_violation(x->run.m))
				snprintf(res->error, sizeof(res->error),
					 "set-up: %s",
					 vmsa_violation(x->run.m)->message);
			return x->oom ? -ENOMEM : -ECANCELED;
		}
		if (x->div != DIV_NONE) {
			fill_stats(x, res, t0);
			nondeterministic(x, res);
			return -EPROTO;
		}
		if (explore_violation(x))
			break;
		if (o->progress && now_seconds() - last >= 1.0) {
			vmsa_explore_stats_t st =
				explore_stats(x, now_seconds() - t0);

			last = now_seconds();
			o->progress(o->progress_ctx, &st);
		}
		if (o->max_executions && x->executions >= o->max_executions)
			break;
		if (o->max_seconds > 0 && cpu_seconds() - cpu0 >= o->max_seconds)
			break;
		if (x->random) {
			if (x->executions >= o->random_runs)
				break;
			x->dec.n = x->n_prefix = 0;
			continue;
		}
		/* Sleep-set blocked executions have races too. */
		if (x->dp && x->ended && explore_end_pending(x, -1))
			x->oom = true;
		if (x->dp && (x->pruned || x->ended ||
			      vmsa_stopped(x->run.m)))
			dpor_exec_truncated(x->dp);
		if (x->dp && dpor_analyse(x->dp))
			x->oom = true;
		if (x->oom) {
			snprintf(res->error, sizeof(res->error),
				 "out of memory for the reduction");
			return -ENOMEM;
		}
		if (x->between)
			x->between(x);
		if (!backtrack(x)) {
			res->complete = true;
			break;
		}
	}
	finish(x, res, t0);
	return 0;
}

int explore_outcomes_on(struct explorer *x,
			void (*fn)(void *ctx, vmsa_run_t *r,
				   const vmsa_violation_t *v),
			void *ctx, bool *complete, char *err, size_t err_size)
{
	const vmsa_explore_opts_t *o = &x->opts;
	int rc = 0;

	*complete = false;
	/* A worker's explorer runs unit after unit: a stop was its last. */
	x->stop = false;
	explore_running = x;
	/* A worker of a parallel search made its reducer already (it
	 * seeds its prefix's decisions: par_worker.c). */
	if (o->reduction && !x->dp && explore_make_dp(x))
		rc = -ENOMEM;
	while (!rc) {
		const vmsa_violation_t *v;

		run_once(x);
		if (x->setup_failed || x->oom || x->div != DIV_NONE) {
			snprintf(err, err_size, "%s", x->oom ? "out of memory" :
				 x->setup_failed ? "set-up failed" :
				 "not deterministic");
			rc = x->oom ? -ENOMEM : x->setup_failed ? -ECANCELED :
			     -EPROTO;
			break;
		}
		v = explore_violation(x);
		if (!x->pruned && !x->wdrop && !x->mdrop) {
			x->in_outcome = true;
			fn(ctx, &x->run, v);
			x->in_outcome = false;
			if (x->stop)
				break;
		}
		if (x->dp && (v || x->ended) &&
		    explore_end_pending(x, v ? v->cpu : -1))
			rc = -ENOMEM;
		if (x->dp && (x->pruned || v || x->ended))
			dpor_exec_truncated(x->dp);
		if (x->dp && dpor_analyse(x->dp))
			rc = -ENOMEM;
		if (!rc && o->max_executions &&
		    x->executions >= o->max_executions)
			break;
		if (!rc && x->between)
			x->between(x);
		if (!rc && !backtrack(x)) {
			*complete = true;
			break;
		}
	}
	if (rc == -ENOMEM && !x->oom)
		snprintf(err, err_size, "out of memory for the reduction");
	return rc;
}

int explore_outcomes(const vmsa_scenario_t *s, const char *config,
		     const vmsa_explore_opts_t *o,
		     void (*fn)(void *ctx, vmsa_run_t *r,
				const vmsa_violation_t *v),
		     void *ctx, vmsa_explore_stats_t *st, char *err,
		     size_t err_size)
{
	double t0 = now_seconds();
	struct explorer *x;
	bool complete;
	int rc = 0;

	x = explorer_new(s, config, o, err, err_size, &rc);
	if (!x)
		return rc;
	rc = explore_outcomes_on(x, fn, ctx, &complete, err, err_size);
	*st = explore_stats(x, now_seconds() - t0);
	explorer_free(x);
	return rc;
}

void vmsa_explore_result_free(vmsa_explore_result_t *res)
{
	free(res->decisions);
	res->decisions = NULL;
	free((void *)res->violation.entries);
	res->violation.entries = NULL;
	res->violation.n_entries = 0;
}
