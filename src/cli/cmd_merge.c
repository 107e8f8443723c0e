/*
 * src/cli/cmd_merge.c - vmsa merge: put together the `vmsa check --json
 * --shard I/N` outputs of N shards into one result per configuration,
 * the line `vmsa check --json` gives in one run (parallel.h says how a
 * search is cut into shards).
 *
 * Each shard reports, per configuration, the executions of each plan
 * unit it ran and the unit that stopped its search, if any. The serial
 * search stops at the first unit, in depth-first order, that stops: the
 * smallest stop over all shards. Its executions are those of every unit
 * before it, whoever ran them, and its own; its verdict, violation and
 * error are the stopping shard's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "explore/expect.h"
#include "explore/parallel.h"
#include "json_read.h"

static const char merge_help[] =
	"usage: vmsa merge FILE...\n"
	"\n"
	"Merge the outputs of 'vmsa check --json --shard I/N' for I = 1..N\n"
	"(any number of files, shards in any order, '-' for standard input)\n"
	"into one JSON line per configuration, as 'vmsa check --json' gives\n"
	"in one run: the verdict and first violation of the whole search,\n"
	"the executions of every shard summed up to it. The summary line\n"
	"goes to stderr.\n"
	"\n"
	"Exit status: 0 when every configuration is as expected, 1 when one\n"
	"is not, 2 when the input cannot be merged: a file that cannot be\n"
	"read, a line that is not a shard's result, a shard missing or\n"
	"given twice, shards run with other options or another plan.\n";

/* The counts of a unit in a shard's "ran" ([unit, counts...]): its
 * executions, then of them those blocked, ruled and ended
 * (vmsa_explore_stats_t). */
enum { RAN_EXECUTIONS, RAN_BLOCKED, RAN_RULED, RAN_ENDED, RAN_COUNTS };

/* One line of input: one configuration's result from one shard. */
struct row {
	char *text;                     /* the line; v's spans point into it */
	struct jv v;
	const char *file;
	unsigned line;
	const char *scenario, *config, *expect, *verdict;
	const struct jv *shard, *violation, *error, *ran;
	uint64_t index, count, units, steps, executions;
	int64_t stop;                   /* -1: none */
	bool as_expected, complete;
	double seconds;
};

/* The rows of one configuration, by shard. */
struct group {
	struct row *first;
	struct row **by_shard;          /* [count] */
};

struct merge {
	struct row *rows;
	unsigned n, cap;
	struct group *groups;
	unsigned n_groups;
};

static int row_error(const struct row *r, const char *what)
{
	return cli_usage_error("merge: %s:%u: %s", r->file, r->line, what);
}

/* The string member `key` of o, or NULL. */
static const char *get_str(const struct jv *o, const char *key)
{
	const struct jv *v = json_get(o, key);

	return v && v->t == JV_STR ? v->str : NULL;
}

static bool get_bool(const struct jv *o, const char *key, bool *out)
{
	const struct jv *v = json_get(o, key);

	if (!v || v->t != JV_BOOL)
		return false;
	*out = v->b;
	return true;
}

/* The shard object's members into r. Returns 0, or the usage status. */
static int read_shard(struct row *r)
{
	const struct jv *sh = r->shard, *stop = json_get(sh, "stop");
	const struct jv *pre = json_get(sh, "preemptions");
	uint64_t s;

	if (json_u64(json_get(sh, "index"), &r->index) ||
	    json_u64(json_get(sh, "count"), &r->count) ||
	    json_u64(json_get(sh, "units"), &r->units) ||
	    json_u64(json_get(sh, "steps"), &r->steps) ||
	    !get_str(sh, "plan") || !pre ||
	    (pre->t != JV_NUM && pre->t != JV_STR) ||
	    !(r->ran = json_get(sh, "ran")) || r->ran->t != JV_ARR || !stop)
		return row_error(r, "its \"shard\" lacks a field or has a bad one");
	if (r->count < 1 || r->index < 1 || r->index > r->count ||
	    r->count > PAR_MAX_SHARDS)
		return row_error(r, "its shard is not I/N with 1 <= I <= N");
	r->stop = -1;
	if (stop->t != JV_NULL) {
		if (json_u64(stop, &s) || s >= r->units)
			return row_error(r, "its \"stop\" is not a unit of the plan");
		r->stop = (int64_t)s;
	}
	for (unsigned i = 0; i < r->ran->n; i++) {
		const struct jv *p = &r->ran->items[i];
		uint64_t u, n[RAN_COUNTS];

		if (p->t != JV_ARR || p->n != 1 + RAN_COUNTS)
			return row_error(r, "its \"ran\" has an entry that is "
					 "not [unit, executions, blocked, "
					 "ruled, ended]");
		if (json_u64(&p->items[0], &u) || u >= r->units ||
		    u % r->count != r->index - 1)
			return row_error(r, "its \"ran\" lists a unit that is "
					 "not one of its own");
		for (unsigned k = 0; k < RAN_COUNTS; k++)
			if (json_u64(&p->items[1 + k], &n[k]))
				return row_error(r, "its \"ran\" has a count "
						 "that is not a number");
	}
	return 0;
}

/* Parse line `text` of `file` into r. Returns 0, or the usage status. */
static int read_row(struct row *r)
{
	const struct jv *secs;
	const char *why;

	if (json_parse(r->text, &r->v, &why)) {
		char msg[160];

		snprintf(msg, sizeof(msg), "not JSON: %s", why);
		return row_error(r, msg);
	}
	r->scenario = get_str(&r->v, "scenario");
	r->config = get_str(&r->v, "config");
	r->expect = get_str(&r->v, "expect");
	r->verdict = get_str(&r->v, "verdict");
	r->violation = json_get(&r->v, "violation");
	r->error = json_get(&r->v, "error");
	secs = json_get(&r->v, "seconds");
	if (!r->scenario || !r->config || !r->expect || !r->verdict ||
	    !get_bool(&r->v, "as_expected", &r->as_expected) ||
	    !get_bool(&r->v, "complete", &r->complete) ||
	    json_u64(json_get(&r->v, "executions"), &r->executions) ||
	    !secs || secs->t != JV_NUM || !r->violation ||
	    (r->violation->t != JV_NULL && r->violation->t != JV_OBJ) ||
	    !r->error || (r->error->t != JV_NULL && r->error->t != JV_STR))
		return row_error(r, "not a result line of 'vmsa check --json'");
	r->seconds = strtod(secs->src, NULL);
	if (!(r->shard = json_get(&r->v, "shard")) || r->shard->t != JV_OBJ)
		return row_error(r, "not the output of 'vmsa check --shard I/N' "
				 "(no \"shard\")");
	return read_shard(r);
}

/* A line of any length from f (malloc'd, without its newline), or NULL
 * at the end. */
static char *read_line(FILE *f)
{
	size_t cap = 256, n = 0;
	char *s = malloc(cap);
	int c;

	if (!s)
		return NULL;
	while ((c = getc(f)) != EOF && c != '\n') {
		if (n + 1 == cap) {
			char *t = realloc(s, cap *= 2);

			if (!t) {
				free(s);
				return NULL;
			}
			s = t;
		}
		s[n++] = (char)c;
	}
	if (c == EOF && n == 0) {
		free(s);
		return NULL;
	}
	s[n] = 0;
	return s;
}

/* Every line of file `name` into m. Returns 0, or the usage status. */
static int read_file(struct merge *m, const char *name)
{
	FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
	unsigned line = 0;
	char *text;
	int rc = 0;

	if (!f)
		return cli_usage_error("merge: cannot read %s: %s", name,
				       strerror(errno));
	while (!rc && (text = read_line(f))) {
		struct row *r;

		line++;
		if (!text[strspn(text, " \t\r")]) {
			free(text);
			continue;
		}
		if (m->n == m->cap) {
			unsigned cap = m->cap ? 2 * m->cap : 64;
			struct row *p = realloc(m->rows, cap * sizeof(*p));

			if (!p) {
				free(text);
				rc = cli_usage_error("merge: out of memory");
				break;
			}
			m->rows = p;
			m->cap = cap;
		}
		r = &m->rows[m->n++];
		memset(r, 0, sizeof(*r));
		r->text = text;
		r->file = name;
		r->line = line;
		rc = read_row(r);
	}
	if (f != stdin)
		fclose(f);
	if (!rc && !line)
		rc = cli_usage_error("merge: %s is empty", name);
	return rc;
}

/* Group the rows by configuration, in order of first appearance, each
 * group indexed by shard. Returns 0, or the usage status. */
static int group_rows(struct merge *m)
{
	if (!(m->groups = calloc(m->n ? m->n : 1, sizeof(*m->groups))))
		return cli_usage_error("merge: out of memory");
	for (unsigned i = 0; i < m->n; i++) {
		struct row *r = &m->rows[i];
		struct group *g = NULL;

		for (unsigned k = 0; k < m->n_groups && !g; k++)
			if (!strcmp(m->groups[k].first->scenario, r->scenario) &&
			    !strcmp(m->groups[k].first->config, r->config))
				g = &m->groups[k];
		if (!g) {
			g = &m->groups[m->n_groups++];
			g->first = r;
			g->by_shard = calloc(r->count, sizeof(*g->by_shard));
			if (!g->by_shard)
				return cli_usage_error("merge: out of memory");
		}
		if (r->count != g->first->count)
			return cli_usage_error("merge: %s@%s: %s:%u is shard "
					       "%" PRIu64 "/%" PRIu64 ", %s:%u is "
					       "of %" PRIu64 " shards", r->scenario,
					       r->config, r->file, r->line,
					       r->index, r->count,
					       g->first->file, g->first->line,
					       g->first->count);
		if (g->by_shard[r->index - 1])
			return cli_usage_error("merge: %s@%s: shard %" PRIu64
					       "/%" PRIu64 " is given twice (%s:%u "
					       "and %s:%u)", r->scenario, r->config,
					       r->index, r->count,
					       g->by_shard[r->index - 1]->file,
					       g->by_shard[r->index - 1]->line,
					       r->file, r->line);
		g->by_shard[r->index - 1] = r;
	}
	return 0;
}

/* Do the shards of g form one search: all present, the same plan and
 * options? Returns 0, or the usage status. */
static int group_check(const struct group *g)
{
	const struct row *a = g->first;
	const struct jv *pa = json_get(a->shard, "preemptions");

	for (uint64_t i = 0; i < a->count; i++) {
		const struct row *b = g->by_shard[i];
		const struct jv *pb;
		const char *what = NULL;

		if (!b)
			return cli_usage_error("merge: %s@%s: shard %" PRIu64
					       "/%" PRIu64 " is missing",
					       a->scenario, a->config, i + 1,
					       a->count);
		pb = json_get(b->shard, "preemptions");
		if (pa->len != pb->len || memcmp(pa->src, pb->src, pa->len))
			what = "--preemptions";
		else if (a->steps != b->steps)
			what = "--steps";
		else if (a->units != b->units ||
			 strcmp(get_str(a->shard, "plan"),
				get_str(b->shard, "plan")))
			what = "the plan of the search (another version of "
			       "the program or of the scenario?)";
		else if (strcmp(a->expect, b->expect))
			what = "the expected verdict";
		if (what)
			return cli_usage_error("merge: %s@%s: shards %" PRIu64
					       " (%s:%u) and %" PRIu64 " (%s:%u) "
					       "differ in %s", a->scenario,
					       a->config, a->index, a->file,
					       a->line, b->index, b->file, b->line,
					       what);
	}
	return 0;
}

/* The merged result of a group. */
struct result {
	const struct row *stop;         /* the row that decides, or NULL */
	uint64_t executions, base;      /* base: before the stop unit */
	uint64_t cut[RAN_COUNTS];       /* summed up to the stop (RAN_*) */
	bool complete, as_expected;
	double seconds;
};

/* Executions of each plan unit from the shards; then the sums up to
 * the first stop. Returns 0, or the usage status (a unit missing). */
static int group_merge(const struct group *g, struct result *res)
{
	const struct row *a = g->first;
	uint64_t (*ex)[RAN_COUNTS] = malloc((a->units ? a->units : 1) *
					    sizeof(*ex));
	bool *have = calloc(a->units ? a->units : 1, sizeof(*have));
	uint64_t limit = a->units;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if (!ex || !have) {
		free(ex);
		free(have);
		return cli_usage_error("merge: out of memory");
	}
	res->complete = true;
	res->as_expected = true;
	for (uint64_t i = 0; i < a->count; i++) {
		const struct row *r = g->by_shard[i];

		for (unsigned k = 0; k < r->ran->n; k++) {
			const struct jv *p = &r->ran->items[k];
			uint64_t u = 0;

			json_u64(&p->items[0], &u);
			for (unsigned c = 0; c < RAN_COUNTS; c++)
				json_u64(&p->items[1 + c], &ex[u][c]);
			have[u] = true;
		}
		if (r->stop >= 0 && (uint64_t)r->stop < limit) {
			limit = (uint64_t)r->stop;
			res->stop = r;
		}
		res->complete = res->complete && r->complete;
		res->as_expected = res->as_expected && r->as_expected;
		if (r->seconds > res->seconds)
			res->seconds = r->seconds;
	}
	for (uint64_t u = 0; u <= limit && u < a->units && !rc; u++) {
		if (!have[u])
			rc = cli_usage_error("merge: %s@%s: no shard reports "
					     "unit %" PRIu64 " of the plan (a "
					     "shard's output is cut short?)",
					     a->scenario, a->config, u);
		else {
			if (u < limit)
				res->base += ex[u][RAN_EXECUTIONS];
			else
				res->executions = ex[u][RAN_EXECUTIONS];
			for (unsigned c = 0; c < RAN_COUNTS; c++)
				res->cut[c] += ex[u][c];
		}
	}
	res->executions += res->base;
	if (res->stop) {
		res->complete = false;
		res->as_expected = res->stop->as_expected;
	}
	free(ex);
	free(have);
	return rc;
}

/* The line `vmsa check --json` prints for the group in one run. */
static void print_result(const struct group *g, const struct result *res)
{
	const struct row *a = g->first, *s = res->stop;

	fputs("{\"scenario\": ", stdout);
	report_json_string(stdout, a->scenario);
	fputs(", \"config\": ", stdout);
	report_json_string(stdout, a->config);
	fputs(", \"expect\": ", stdout);
	report_json_string(stdout, a->expect);
	fputs(", \"verdict\": ", stdout);
	report_json_string(stdout, s ? s->verdict : "safe");
	printf(", \"as_expected\": %s, \"complete\": %s, \"executions\": %"
	       PRIu64 ", \"blocked\": %" PRIu64 ", \"ruled\": %" PRIu64
	       ", \"ended\": %" PRIu64 ", \"seconds\": %.3f, \"violation\": ",
	       res->as_expected ? "true" : "false",
	       res->complete ? "true" : "false", res->executions,
	       res->cut[RAN_BLOCKED], res->cut[RAN_RULED],
	       res->cut[RAN_ENDED], res->seconds);
	if (s)
		fwrite(s->violation->src, 1, s->violation->len, stdout);
	else
		fputs("null", stdout);
	fputs(", \"error\": ", stdout);
	if (s && s->error->t == JV_STR) {
		/* A shard numbers executions in a crash or nondeterminism
		 * message from the start of its plan unit. */
		char msg[sizeof(((vmsa_explore_result_t *)0)->error)];

		snprintf(msg, sizeof(msg), "%s", s->error->str);
		if (!strcmp(s->verdict, VERDICT_CRASHED) ||
		    !strcmp(s->verdict, VERDICT_NONDETERMINISTIC))
			par_renumber(msg, sizeof(msg), res->base);
		report_json_string(stdout, msg);
	} else {
		fputs("null", stdout);
	}
	fputs("}\n", stdout);
}

static void merge_free(struct merge *m)
{
	for (unsigned i = 0; i < m->n; i++) {
		json_free(&m->rows[i].v);
		free(m->rows[i].text);
	}
	for (unsigned i = 0; i < m->n_groups; i++)
		free(m->groups[i].by_shard);
	free(m->rows);
	free(m->groups);
}

/* vmsa merge: exit 0 when every merged configuration is as expected, 1
 * when one is not, 2 when the input cannot be merged. */
int cmd_merge(int argc, char **argv)
{
	struct report_style st = {0};
	struct merge m = {0};
	struct result *res = NULL;
	unsigned ok = 0, files = 0;
	int rc = 0;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(merge_help, stdout);
			return 0;
		}
	for (int i = 1; i < argc && !rc; i++) {
		if (argv[i][0] == '-' && argv[i][1])
			rc = cli_usage_error("merge: unknown option '%s' (see "
					     "'vmsa merge --help')", argv[i]);
		else
			rc = read_file(&m, argv[i]);
		files++;
	}
	if (!rc && !files)
		rc = cli_usage_error("merge: no files (see 'vmsa merge --help')");
	if (!rc)
		rc = group_rows(&m);
	if (!rc && !(res = calloc(m.n_groups ? m.n_groups : 1, sizeof(*res))))
		rc = cli_usage_error("merge: out of memory");
	for (unsigned i = 0; !rc && i < m.n_groups; i++) {
		rc = group_check(&m.groups[i]);
		if (!rc)
			rc = group_merge(&m.groups[i], &res[i]);
	}
	/* Nothing is printed unless everything merges. */
	for (unsigned i = 0; !rc && i < m.n_groups; i++) {
		print_result(&m.groups[i], &res[i]);
		ok += res[i].as_expected;
	}
	if (!rc) {
		report_summary(stderr, &st, m.n_groups, ok);
		rc = ok == m.n_groups ? 0 : 1;
	}
	free(res);
	merge_free(&m);
	return rc;
}
