/*
 * src/cli/cmd_check.c - vmsa check: explore the selected configurations
 * and compare each verdict with the scenario's expectation.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_int.h"
#include "explore/expect.h"
#include "explore/parallel.h"

static const char check_help[] =
	"usage: vmsa check [OPTIONS] [PATTERN[@CONFIG]...]\n"
	"\n"
	"Explore the bundled scenarios (all of them, or those whose name\n"
	"matches a glob PATTERN such as 'bbm/*'; @CONFIG selects one\n"
	"configuration, itself a glob) and compare each configuration's\n"
	"verdict with its expectation. Under each violation, print the 'vmsa\n"
	"replay' command that shows it step by step; for each unexpected\n"
	"result, also the violation or the error.\n"
	"\n"
	"Options:\n"
	"  --preemptions N|unbounded  preemption bound of the exhaustive\n"
	"                             search (default 2)\n"
	"  --steps N         step budget of each CPU in one execution\n"
	"                    (default 10000; beyond it: a livelock)\n"
	"  --random N        random search: N executions instead of the\n"
	"                    exhaustive search\n"
	"  --max-executions N  stop each exhaustive search after N\n"
	"                    executions; one that stops so is reported\n"
	"                    incomplete (never a complete 'safe')\n"
	"  --seed S          seed of the random search (with --random)\n"
	"  --json            one JSON object per configuration (JSON Lines)\n"
	"  --html FILE       also write a self-contained HTML page showing\n"
	"                    each violating execution, one lane per CPU\n"
	"  --quiet           print only unexpected results and the summary\n"
	"  --reduction       partial-order reduction: explore one interleaving\n"
	"                    of each class of equivalent ones (same verdicts,\n"
	"                    far fewer executions); the default with\n"
	"                    --preemptions unbounded\n"
	"  --no-reduction    the plain search: every interleaving (exact\n"
	"                    execution counts that --jobs keeps; the default\n"
	"                    under a preemption bound; --shard always runs it)\n"
	"  --continue-after-bbm  report a break-before-make violation as a\n"
	"                    warning and go on with what the manual allows\n"
	"                    (any entry a TLB may hold, or a TLB conflict\n"
	"                    abort); the table's verdict is then never bbm\n"
	"  --resume          start executions from states saved at decisions\n"
	"                    of earlier ones instead of replaying them from\n"
	"                    set-up: the same results, faster; the\n"
	"                    scenarios' code must keep its state on its\n"
	"                    stacks, in the run data and in the machine, as\n"
	"                    the bundled ones do (docs/explorer.md,\n"
	"                    \"Resuming from a decision\")\n"
	"  --no-isolate      run each search in this process, not in a child\n"
	"                    process (then a crash of scenario code ends the\n"
	"                    whole run instead of that configuration)\n"
	"  --jobs N          run the searches in N worker processes (default\n"
	"                    1): each search is split between them; the\n"
	"                    verdicts are those of one process (with\n"
	"                    --no-reduction the results are exactly those of\n"
	"                    one process; reduced, the execution count and\n"
	"                    which violation is found may differ)\n"
	"  --with FEATURES   add features to every selected configuration\n"
	"                    ('relaxed', 'relaxed+ets2': configuration\n"
	"                    names joined with '+'), each still compared\n"
	"                    with its own expectation: bbm0 becomes\n"
	"                    bbm0+relaxed, which 'vmsa replay' takes too\n"
	"  --shard I/N       run only part I of N of each plain exhaustive\n"
	"                    search (a fixed part: N runs anywhere cover it\n"
	"                    all; without the reduction, which cannot be cut\n"
	"                    into fixed parts); with --json, 'vmsa merge'\n"
	"                    puts them together\n"
	"\n"
	"Verdicts beyond safe and the violation kinds: nondeterministic (the\n"
	"scenario's re-runs did not make the same decisions) and crashed\n"
	"(scenario code crashed: the signal, and the decisions that led\n"
	"there). Neither is ever as expected.\n"
	"\n"
	"Exit status: 0 when every configuration is as expected, 1 when one\n"
	"is not, 2 on a usage error (unknown option, a pattern matching\n"
	"nothing, a bad configuration, an expectation that is not a verdict).\n";

/* Steps between two states --resume saves: a save costs about as much as
 * a few steps of a bundled scenario, and 4 made the bundled searches
 * fastest at bound 3 and unbounded (docs/explorer-log.md). */
#define CHECK_RESUME_EVERY 4

struct check_args {
	vmsa_explore_opts_t xo;
	bool json, quiet, random_given, seed_given, reduction_given;
	bool no_reduction_given;
	unsigned jobs, shard, shards;
	const char *html, *with;
	char **pats;
	int npats;
};

/* "I/N" with 1 <= I <= N <= PAR_MAX_SHARDS: 0, or -EINVAL. */
static int parse_shard(const char *val, unsigned *i, unsigned *n)
{
	const char *slash = val ? strchr(val, '/') : NULL;
	char part[24];
	uint64_t a, b;

	if (!slash || (size_t)(slash - val) >= sizeof(part))
		return -EINVAL;
	memcpy(part, val, (size_t)(slash - val));
	part[slash - val] = 0;
	if (cli_parse_count(part, 1, PAR_MAX_SHARDS, &a) ||
	    cli_parse_count(slash + 1, 1, PAR_MAX_SHARDS, &b) || a > b)
		return -EINVAL;
	*i = (unsigned)a;
	*n = (unsigned)b;
	return 0;
}

/*
 * Without --reduction or --no-reduction: the reduction where it pays, in
 * an unbounded search (where it turns millions of executions into
 * thousands); a bounded search stays plain, because there the reduction
 * cannot use sleep sets and adds bounded POR's conservative branch
 * points, so its fewer executions cost more time in all (the whole
 * bundled run at bound 2: 8.6 s reduced against 5.8 s plain;
 * docs/explorer.md, "The reduction by default"). A shard always runs
 * the plain search: which races a reduced search finds in which unit
 * depends on timing, so a shard's part could not be fixed.
 */
static void check_default_reduction(struct check_args *a)
{
	if (a->reduction_given || a->no_reduction_given)
		return;
	a->xo.reduction = !a->shards && !a->random_given &&
			  a->xo.preemptions == VMSA_UNBOUNDED;
}

/* Parse check's arguments into *a. Returns 0, or the usage status. */
static int check_parse(int argc, char **argv, struct check_args *a)
{
	uint64_t v;

	a->xo = vmsa_explore_defaults();
	a->xo.isolate = true;
	a->jobs = 1;
	a->pats = calloc((size_t)argc + 1, sizeof(*a->pats));
	if (!a->pats)
		return cli_usage_error("check: out of memory");
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i], *val = NULL;

		if (!strcmp(s, "--json")) {
			a->json = true;
		} else if (!strcmp(s, "--no-isolate")) {
			a->xo.isolate = false;
		} else if (!strcmp(s, "--no-reduction")) {
			a->xo.reduction = false;
			a->no_reduction_given = true;
			a->reduction_given = false;
		} else if (!strcmp(s, "--reduction")) {
			a->xo.reduction = true;
			a->reduction_given = true;
			a->no_reduction_given = false;
		} else if (!strcmp(s, "--resume")) {
			a->xo.resume_every = CHECK_RESUME_EVERY;
		} else if (!strcmp(s, "--continue-after-bbm")) {
			a->xo.continue_after_bbm = true;
		} else if (!strcmp(s, "--quiet") || !strcmp(s, "-q")) {
			a->quiet = true;
		} else if (cli_is_opt(argc, argv, &i, "--preemptions", &val)) {
			if (val && !strcmp(val, "unbounded"))
				a->xo.preemptions = VMSA_UNBOUNDED;
			else if (!cli_parse_count(val, 0, 1000000, &v))
				a->xo.preemptions = (int)v;
			else
				return cli_usage_error("check: --preemptions takes a "
						   "number or 'unbounded', not '%s'",
						   val ? val : "");
		} else if (cli_is_opt(argc, argv, &i, "--steps", &val)) {
			if (cli_parse_steps("check", val, &a->xo.step_budget))
				return EXIT_USAGE;
		} else if (cli_is_opt(argc, argv, &i, "--random", &val)) {
			if (cli_parse_count(val, 1, UINT64_MAX, &a->xo.random_runs))
				return cli_usage_error("check: --random takes a number "
						   "of executions (1 or more), not '%s'",
						   val ? val : "");
			a->random_given = true;
		} else if (cli_is_opt(argc, argv, &i, "--max-executions",
				      &val)) {
			if (cli_parse_count(val, 1, UINT64_MAX,
					    &a->xo.max_executions))
				return cli_usage_error("check: --max-executions "
						   "takes a number of executions "
						   "(1 or more), not '%s'",
						   val ? val : "");
		} else if (cli_is_opt(argc, argv, &i, "--seed", &val)) {
			if (!val || cli_parse_u64(val, &a->xo.seed))
				return cli_usage_error("check: --seed takes a 64-bit "
						   "number, not '%s'", val ? val : "");
			a->seed_given = true;
		} else if (cli_is_opt(argc, argv, &i, "--jobs", &val)) {
			if (cli_parse_count(val, 1, PAR_MAX_JOBS, &v))
				return cli_usage_error("check: --jobs takes a number "
						   "of worker processes, 1 to %d, "
						   "not '%s'", PAR_MAX_JOBS,
						   val ? val : "");
			a->jobs = (unsigned)v;
		} else if (cli_is_opt(argc, argv, &i, "--shard", &val)) {
			if (parse_shard(val, &a->shard, &a->shards))
				return cli_usage_error("check: --shard takes I/N, "
						   "part I of N (1 <= I <= N <= %d), "
						   "not '%s'", PAR_MAX_SHARDS,
						   val ? val : "");
		} else if (cli_is_opt(argc, argv, &i, "--with", &val)) {
			if (!val || !*val)
				return cli_usage_error("check: --with needs "
						   "features, such as 'relaxed'");
			a->with = val;
		} else if (cli_is_opt(argc, argv, &i, "--html", &val)) {
			if (!val || !*val)
				return cli_usage_error("check: --html needs a file name");
			a->html = val;
		} else if (s[0] == '-' && s[1]) {
			return cli_usage_error("check: unknown option '%s' (see "
					   "'vmsa check --help')", s);
		} else {
			a->pats[a->npats++] = argv[i];
		}
	}
	if (a->jobs > 1 && !a->xo.isolate)
		return cli_usage_error("check: --jobs %u runs searches in worker "
				   "processes: it cannot be combined with "
				   "--no-isolate", a->jobs);
	if (a->shards && !a->xo.isolate)
		return cli_usage_error("check: --shard runs searches in worker "
				   "processes: it cannot be combined with "
				   "--no-isolate");
	if (a->shards && a->reduction_given)
		return cli_usage_error("check: --shard splits the plain "
				   "exhaustive search: it cannot be combined "
				   "with --reduction");
	check_default_reduction(a);
	if (a->shards && a->quiet)
		return cli_usage_error("check: --shard prints every "
				   "configuration's result for 'vmsa merge': it "
				   "cannot be combined with --quiet");
	if (a->shards && a->random_given)
		return cli_usage_error("check: --shard splits the exhaustive "
				   "search: it cannot be combined with --random");
	if (a->xo.max_executions && a->random_given)
		return cli_usage_error("check: --max-executions bounds the "
				   "exhaustive search: with --random N the "
				   "search makes N executions");
	if (a->xo.max_executions && a->jobs > 1)
		return cli_usage_error("check: --max-executions stops a search "
				   "at its Nth execution in depth-first order, "
				   "which --jobs (a search split between "
				   "workers) does not have: use one of them");
	if (a->xo.max_executions && a->shards)
		return cli_usage_error("check: --max-executions cannot be "
				   "combined with --shard (a shard's part of a "
				   "search has no execution count of its own to "
				   "stop at)");
	if (a->seed_given && !a->random_given)
		return cli_usage_error("check: --seed needs --random N (the "
				   "exhaustive search has no seed)");
	return 0;
}

struct progress {
	const char *name, *config;
	bool shown;
};

/* opts.progress: one line on stderr, rewritten in place. */
static void show_progress(void *ctx, const vmsa_explore_stats_t *s)
{
	struct progress *p = ctx;

	fprintf(stderr, "\r\033[K%s@%s: %" PRIu64 " executions, %.0fs ...",
		p->name, p->config, s->executions, s->seconds);
	fflush(stderr);
	p->shown = true;
}

/* Do two violations agree on kind, step, CPU and message? */
static bool same_violation(const vmsa_violation_t *a,
			   const vmsa_violation_t *b)
{
	return a->kind == b->kind && a->step == b->step && a->cpu == b->cpu &&
	       !strcmp(a->message, b->message);
}

/*
 * Replay row r's violation (recording it when `record`): a decision
 * string must reproduce its violation every time; when it does not, say
 * so in r->note. The recorded trace goes to r->trace.
 */
static void check_replay(struct report_row *r, const vmsa_explore_opts_t *xo,
			 bool record)
{
	vmsa_explore_opts_t ro = *xo;
	vmsa_explore_result_t again;
	struct report_trace *t = NULL;

	ro.progress = NULL;
	ro.random_runs = 0;
	if (record) {
		t = malloc(sizeof(*t));
		if (t && report_trace_init(t, &ro)) {
			report_trace_free(t);
			free(t);
			t = NULL;
		}
	}
	if (vmsa_replay(r->scenario, r->config, r->res.decisions, &ro, &again))
		snprintf(r->note, sizeof(r->note), "the replay failed: %s",
			 again.error);
	else if (again.error[0] || !again.violated ||
		 !same_violation(&again.violation, &r->res.violation))
		snprintf(r->note, sizeof(r->note),
			 "the replay did not reproduce the violation%s%s",
			 again.error[0] ? ": " : "", again.error);
	vmsa_explore_result_free(&again);
	r->trace = t;
}

/* Row r for configuration sel, before its search. */
static void row_init(struct report_row *r, const struct sel *sel)
{
	const char *expect = sel->s->configs[sel->config].expect;

	memset(r, 0, sizeof(*r));
	r->scenario = sel->s;
	r->config = sel->name;
	r->expect = expect ? expect : "(none)";
}

/* Row r after its search returned rc: replay its violation, decide
 * whether it is as expected. */
static void row_finish(struct report_row *r, const struct sel *sel,
		       const struct check_args *a, int rc)
{
	const char *expect = sel->s->configs[sel->config].expect;

	r->ran = rc == 0;
	if (r->ran && r->res.violated)
		check_replay(r, &a->xo, a->html != NULL);
	r->as_expected = r->ran && expect && !r->note[0] &&
			 !strcmp(r->res.verdict, expect);
}

/* Explore one configuration into r. */
static void check_one(struct report_row *r, const struct sel *sel,
		      const struct check_args *a, bool progress)
{
	vmsa_explore_opts_t xo = a->xo;
	struct progress p = {sel->s->name, sel->name, false};
	int rc;

	row_init(r, sel);
	if (progress) {
		xo.progress = show_progress;
		xo.progress_ctx = &p;
	}
	rc = vmsa_explore(r->scenario, r->config, &xo, &r->res);
	/* An isolated search showed its progress from the child: p.shown
	 * is the child's. */
	if (p.shown || (progress && xo.isolate))
		fputs("\r\033[K", stderr);
	row_finish(r, sel, a, rc);
}

/* Column widths of the table for the selection. */
static void check_widths(struct report_style *st, const struct sel *sel,
			 unsigned n)
{
	st->name_width = (int)strlen("scenario");
	st->config_width = (int)strlen("config");
	st->expect_width = (int)strlen("expected");
	/* Verdicts are known only as rows come: the widest there can be. */
	st->verdict_width = (int)expect_verdict_width();
	for (unsigned i = 0; i < n; i++) {
		const vmsa_config_t *c = &sel[i].s->configs[sel[i].config];
		int w = (int)strlen(sel[i].s->name);

		if (w > st->name_width)
			st->name_width = w;
		w = (int)strlen(sel[i].name);
		if (w > st->config_width)
			st->config_width = w;
		w = c->expect ? (int)strlen(c->expect) : 6;
		if (w > st->expect_width)
			st->expect_width = w;
	}
}

/* Write the HTML page to path. Returns 0, or -1 after a message. */
static int check_write_html(const char *path, FILE *f,
			    const struct report_style *st,
			    const struct report_row *rows, unsigned n)
{
	int rc = report_html(f, st, rows, n);

	if (fclose(f) || rc) {
		fprintf(stderr, "%s: check: cannot write %s: %s\n", cli_prog, path,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* Print row r as the options say; 1 when it is as expected. */
static unsigned check_print(const struct report_row *r,
			    const struct check_args *a,
			    const struct report_style *st)
{
	if (a->json) {
		/* --quiet keeps only what is not as expected, in either
		 * format. */
		if (!a->quiet || !r->as_expected)
			report_json_row(stdout, r);
	} else {
		if (!a->quiet)
			report_table_row(stdout, st, r);
		if (!r->as_expected)
			report_unexpected(stdout, st, r);
		else if (!a->quiet)
			report_replay_line(stdout, st, r);
	}
	fflush(stdout);
	return r->as_expected;
}

/* A check run over worker processes (--jobs): what each configuration's
 * result needs to become its row. */
struct check_run {
	const struct check_args *a;
	const struct report_style *st;
	const struct sel *sel;
	struct report_row *rows;
	unsigned ok;
};

/* explore_parallel's callback: configuration i's row, printed. */
static void check_done(void *ctx, unsigned i, int rc,
		       vmsa_explore_result_t *res, const struct par_shard *sh)
{
	struct check_run *cr = ctx;
	struct report_row *r = &cr->rows[i];

	row_init(r, &cr->sel[i]);
	r->res = *res;
	row_finish(r, &cr->sel[i], cr->a, rc);
	/* The shard's account lives only during this call. */
	r->shard = sh;
	cr->ok += check_print(r, cr->a, cr->st);
	r->shard = NULL;
}

/* The selection's searches over a.jobs worker processes. Returns 0, or
 * the exit status after a message when they cannot run at all. */
static int check_parallel(struct check_run *cr, unsigned n)
{
	struct par_config *pc = calloc(n ? n : 1, sizeof(*pc));
	int rc;

	if (!pc)
		return cli_usage_error("check: out of memory");
	for (unsigned i = 0; i < n; i++) {
		pc[i].s = cr->sel[i].s;
		pc[i].config = cr->sel[i].name;
	}
	rc = explore_parallel(pc, n, &cr->a->xo, cr->a->jobs, cr->a->shard,
			      cr->a->shards, check_done, cr);
	free(pc);
	if (rc) {
		fprintf(stderr, "%s: check: cannot run worker processes: %s\n",
			cli_prog, strerror(-rc));
		return 1;
	}
	return 0;
}

/*
 * --with: each selected configuration's name with the features added
 * ("bbm0" and "relaxed": "bbm0+relaxed"; a feature of the same kind
 * replaces the configuration's own, as a later part of any name does:
 * "bbm0+bbm2" is level 2), into names[] (malloc'd, freed by the caller).
 * The whole name must fit the scenario (cli_config_fits): features that
 * clash with a configuration's own (vmsa_features_check), or too few
 * CPUs, are a usage error naming that configuration. Returns 0, or the
 * usage status after a message.
 */
static int check_with(const char *with, struct sel *sel, unsigned n,
		      char **names)
{
	vmsa_features_t f;
	const char *why = "";
	unsigned ncpus;
	int rc;

	if (vmsa_config_parse(with, 0, &f, &why))
		return cli_usage_error("check: --with '%s' is not a list of "
				   "features: %s", with, why);
	for (unsigned i = 0; i < n; i++) {
		const char *base = sel[i].s->configs[sel[i].config].name;
		size_t len = strlen(base) + strlen(with) + 2;

		names[i] = malloc(len);
		if (!names[i])
			return cli_usage_error("check: out of memory");
		snprintf(names[i], len, "%s+%s", base, with);
		rc = cli_config_fits(sel[i].s, names[i], &why, &ncpus);
		if (rc == -ERANGE)
			return cli_usage_error("check: %s@%s with --with '%s' "
					   "has %u CPUs, the scenario needs %u",
					   sel[i].s->name, base, with, ncpus,
					   cli_n_cpus(sel[i].s));
		if (rc)
			return cli_usage_error("check: %s@%s with --with '%s': %s",
					   sel[i].s->name, base, with, why);
		sel[i].name = names[i];
	}
	return 0;
}

/* Free what check's main function allocated. */
static void check_free(struct check_args *a, struct sel *sel,
		       char **names, unsigned n)
{
	for (unsigned i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
	free(sel);
	free(a->pats);
}

/* vmsa check: explore the selection, report each configuration, exit
 * 0 when all are as expected, 1 when one is not, 2 on usage errors. */
int cmd_check(int argc, char **argv, const char *argv0)
{
	struct check_args a = {0};
	struct report_style st = {.prog = argv0};
	struct report_row *rows = NULL;
	struct sel *sel = NULL;
	char **names = NULL;
	unsigned n = 0, ok = 0;
	FILE *html = NULL;
	int rc;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(check_help, stdout);
			return 0;
		}
	rc = check_parse(argc, argv, &a);
	if (!rc)
		rc = cli_select_all("check", a.pats, a.npats, &sel, &n);
	if (!rc)
		rc = cli_check_expects("check", sel, n);
	if (!rc && a.with && !(names = calloc(n + 1, sizeof(*names))))
		rc = cli_usage_error("check: out of memory");
	if (!rc && a.with)
		rc = check_with(a.with, sel, n, names);
	if (!rc && a.html && !(html = fopen(a.html, "w")))
		rc = cli_usage_error("check: cannot open '%s' for --html: %s",
				 a.html, strerror(errno));
	if (!rc && !(rows = calloc(n + 1, sizeof(*rows))))
		rc = cli_usage_error("check: out of memory");
	if (rc) {
		if (html)
			fclose(html);
		check_free(&a, sel, names, n);
		return rc;
	}
	st.color = !a.json && cli_want_color();
	st.step_budget = a.xo.step_budget;
	st.continue_after_bbm = a.xo.continue_after_bbm;
	st.max_executions = a.xo.max_executions;
	check_widths(&st, sel, n);
	if (!a.json && !a.quiet)
		report_table_header(stdout, &st);
	if (a.jobs > 1 || a.shards) {
		struct check_run cr = {&a, &st, sel, rows, 0};

		rc = check_parallel(&cr, n);
		ok = cr.ok;
		if (rc) {
			free(rows);
			check_free(&a, sel, names, n);
			if (html)
				fclose(html);
			return rc;
		}
	} else {
		for (unsigned i = 0; i < n; i++) {
			check_one(&rows[i], &sel[i], &a,
				  !a.quiet && isatty(STDERR_FILENO));
			ok += check_print(&rows[i], &a, &st);
		}
	}
	if (!a.json || !a.quiet)
		report_summary(a.json ? stderr : stdout, &st, n, ok);
	rc = ok == n ? 0 : 1;
	if (html && check_write_html(a.html, html, &st, rows, n))
		rc = 1;
	for (unsigned i = 0; i < n; i++) {
		vmsa_explore_result_free(&rows[i].res);
		report_trace_free(rows[i].trace);
		free(rows[i].trace);
	}
	free(rows);
	check_free(&a, sel, names, n);
	return rc;
}
