/*
 * The model's behaviour, pinned: for every bundled scenario and
 * configuration, at preemption bounds 0 to 3 and unbounded (capped at
 * COUNTS_CAP executions; the page-table library's scenarios at bounds 0
 * to 2, see bundled.h), the verdict, whether the search completed, the
 * executions and model steps it took, the violation's step and the
 * decisions that lead to it must equal a recorded table
 * (tests/explore/counts.inc). At bound 1 it also pins a hash of every
 * trace line of every execution. Any change to what a step does, which
 * choices it offers or in which order shows up here, so the model's
 * speed-ups (translation fast path, incremental indexes, lazy trace
 * text: docs/model.md, Implementation) are checked to change nothing.
 *
 * A deliberate change of behaviour re-records the table:
 *   VMSA_COUNTS_WRITE=tests/explore/counts.inc build/test/vmsa-tests counts
 * A deeper comparison of two builds writes both tables with a larger cap
 * (VMSA_COUNTS_CAP=2000000, say) and compares the files.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundled.h"
#include "explore/coro.h"
#include "explore/resume.h"
#include "harness.h"
#include "vmsa/explore.h"

#define COUNTS_CAP 10000

/* The page-table library's scenarios (bundled.h) are pinned at bounds 0
 * to 2 (2 is the default, what `vmsa check` runs); under the sanitizers,
 * which make every step several times slower, at 0 and 1. */
#ifdef __SANITIZE_ADDRESS__
#define PGTABLE_MAX_BOUND 1
#else
#define PGTABLE_MAX_BOUND 2
#endif

static bool explored(const char *name, int bound)
{
	return !vt_pgtable_name(name) ||
	       (bound != VMSA_UNBOUNDED && bound <= PGTABLE_MAX_BOUND);
}

struct count_row {
	const char *scenario, *config;
	int bound;		/* VMSA_UNBOUNDED: capped at COUNTS_CAP */
	const char *verdict;
	int complete;
	unsigned long long executions, steps, vstep;
	const char *decisions;
	unsigned long long trace_hash; /* bound 1 only, else 0 */
};

static const struct count_row count_table[] = {
#include "counts.inc"
	{NULL, NULL, 0, NULL, 0, 0, 0, 0, NULL, 0}
};

/* FNV-1a over every trace event: step, CPU, operation and text. */
static void hash_bytes(unsigned long long *h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		*h = (*h ^ b[i]) * 0x100000001b3ull;
}

static void hash_trace(void *ctx, const vmsa_trace_event_t *e)
{
	unsigned long long *h = ctx;

	hash_bytes(h, &e->step, sizeof(e->step));
	hash_bytes(h, &e->cpu, sizeof(e->cpu));
	hash_bytes(h, e->op, strlen(e->op) + 1);
	hash_bytes(h, e->text ? e->text : "", e->text ? strlen(e->text) + 1 : 1);
}

static const struct count_row *find_row(const char *s, const char *c,
					int bound)
{
	for (const struct count_row *r = count_table; r->scenario; r++)
		if (!strcmp(r->scenario, s) && !strcmp(r->config, c) &&
		    r->bound == bound)
			return r;
	return NULL;
}

static unsigned long long cap = COUNTS_CAP;

/* Steps between saved states in the searches of counts_resumed (0: the
 * searches replay from set-up, as in counts). */
static unsigned resume_every;
/* The executions of the searches that could resume (all but bound 1's,
 * whose trace turns it off). */
static uint64_t resumable;

static void one(FILE *out, const vmsa_scenario_t *s, const char *config,
		int bound, unsigned *rows)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;
	unsigned long long h = 0xcbf29ce484222325ull;
	const struct count_row *r = find_row(s->name, config, bound);
	char what[160];

	snprintf(what, sizeof(what), "%s@%s bound %d", s->name, config,
		 bound);
	o.preemptions = bound;
	o.resume_every = resume_every;
	if (bound == VMSA_UNBOUNDED)
		o.max_executions = cap;
	if (bound == 1) {
		o.trace = hash_trace;
		o.trace_ctx = &h;
	} else {
		h = 0;
	}
	if (vmsa_explore(s, config, &o, &res)) {
		vt_fail(__FILE__, __LINE__, "%s: %s", what, res.error);
		return;
	}
	(*rows)++;
	if (bound != 1)
		resumable += res.stats.executions;
	if (out) {
		fprintf(out, "{\"%s\", \"%s\", %d, \"%s\", %d, %lluull, "
			"%lluull, %lluull, \"%s\", 0x%llxull},\n", s->name,
			config, bound, res.verdict, res.complete ? 1 : 0,
			(unsigned long long)res.stats.executions,
			(unsigned long long)res.stats.steps,
			res.violated ? (unsigned long long)res.violation.step
				     : 0ull,
			res.decisions ? res.decisions : "", h);
	} else if (!r) {
		/* A scenario added since the table was recorded: nothing to
		 * compare with yet (re-recording adds it). */
		(*rows)--;
	} else {
		CHECK_MSG(!strcmp(res.verdict, r->verdict), "%s: verdict %s, "
			  "recorded %s", what, res.verdict, r->verdict);
		CHECK_MSG(res.complete == (r->complete != 0), "%s: complete",
			  what);
		CHECK_MSG(res.stats.executions == r->executions,
			  "%s: %llu executions, recorded %llu", what,
			  (unsigned long long)res.stats.executions,
			  r->executions);
		CHECK_MSG(res.stats.steps == r->steps,
			  "%s: %llu steps, recorded %llu", what,
			  (unsigned long long)res.stats.steps, r->steps);
		CHECK_MSG((res.violated ? res.violation.step : 0) == r->vstep,
			  "%s: violation step", what);
		CHECK_MSG(!strcmp(res.decisions ? res.decisions : "",
				  r->decisions), "%s: decisions %s, recorded %s",
			  what, res.decisions ? res.decisions : "",
			  r->decisions);
		CHECK_MSG(h == r->trace_hash, "%s: trace hash %llx, recorded "
			  "%llx", what, h, r->trace_hash);
	}
	vmsa_explore_result_free(&res);
}

static void counts(void)
{
	const char *path = resume_every ? NULL : getenv("VMSA_COUNTS_WRITE");
	FILE *out = path ? fopen(path, "w") : NULL;
	static const int bounds[] = {0, 1, 2, 3, VMSA_UNBOUNDED};
	unsigned rows = 0, failures = vt_failures();

	if (getenv("VMSA_COUNTS_CAP"))
		cap = strtoull(getenv("VMSA_COUNTS_CAP"), NULL, 0);
	CHECK(!path || out);
	if (path && !out) {
		vt_fail(__FILE__, __LINE__, "cannot write %s", path);
		return;
	}
	for (unsigned i = 0; i < vmsa_scenario_count(); i++) {
		const vmsa_scenario_t *s = vmsa_scenario_get(i);

		for (unsigned c = 0; c < VMSA_MAX_CONFIGS && s->configs[c].name;
		     c++)
			for (unsigned b = 0; b < 5; b++)
				if (explored(s->name, bounds[b]))
					one(out, s, s->configs[c].name,
					    bounds[b], &rows);
	}
	if (out) {
		fclose(out);
	} else {
		unsigned want = 0;

		for (const struct count_row *r = count_table; r->scenario; r++)
			want += explored(r->scenario, r->bound);
		CHECK_MSG(rows == want, "%u of the %u recorded configurations "
			  "and bounds were explored", rows, want);
	}
	if (vt_failures() != failures && !resume_every)
		fprintf(stderr, "test_counts: the model's behaviour changed; "
			"when that is intended, re-record the table:\n"
			"  VMSA_COUNTS_WRITE=tests/explore/counts.inc "
			"build/test/vmsa-tests counts\n");
}

TEST(counts)
{
	resume_every = 0;
	counts();
}

/*
 * The same table with every execution resumed from the deepest state
 * saved at a scheduling decision that its prefix keeps (docs/explorer.md,
 * "Resuming from a decision"; the bundled scenarios keep their state as
 * that needs): the same verdicts, executions, steps, violation steps and
 * decisions, at every bound (at bound 1, whose trace turns resuming off,
 * the same again). And it did resume: over half the executions of the
 * searches that can start from a saved state.
 */
TEST(counts_resumed)
{
	uint64_t before = resume_count;

	resume_every = 1;
	resumable = 0;
	counts();
	resume_every = 0;
	fprintf(stderr, "  %llu of %llu executions resumed\n",
		(unsigned long long)(resume_count - before),
		(unsigned long long)resumable);
	/* (No images, as under AddressSanitizer's fake stacks: the same
	 * table, from set-up.) */
	if (coro_images())
		CHECK(2 * (resume_count - before) > resumable);
}
