/*
 * tests/litmus/test_litmus_wplace_random.c - the write-placement rule
 * (docs/model.md, "A write's place below messages it could precede";
 * dpor_wplace_redundant in src/explore/dpor.c) against the search
 * without it, on random small litmus tests: 2 or 3 threads of 2 to 5
 * instructions over the locations x, y and z (plain, acquire and release
 * loads and stores, DMB SY/LD/ST, address and data dependencies, and on
 * some threads the remap of z's page: a descriptor store, DSB, TLBI,
 * DSB). Each test runs twice under `vmsa,fatal` (VMSA_ORDER_WPRUNE=0 and
 * the rule on); the observation and the set of final states must be
 * the same, and the rule may only make fewer executions.
 *
 * make check runs a fixed set (seed 0x5eed: programs 0 to 19 and the
 * four of `catches`);
 * VMSA_WPLACE_RANDOM_N and VMSA_WPLACE_RANDOM_SEED run others (the wide
 * run of docs/litmus.md: 2,000 programs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore/coro.h"
#include "explore/resume.h"
#include "litmus_run.h"
#include "xorshift.h"

/* A test's text being built. */
struct gen {
	char *p;
	size_t n, cap;
	uint64_t rng;
	/* The retired-entry rule's programs (gen_z_test): z, whose page
	 * thread 0 remaps, half of the accesses. */
	bool zbias;
};

static void put(struct gen *g, const char *s)
{
	size_t k = strlen(s);

	if (g->n + k + 1 > g->cap)
		return; /* the caller's buffer is large enough */
	memcpy(g->p + g->n, s, k + 1);
	g->n += k;
}

static unsigned pick(struct gen *g, unsigned n)
{
	return (unsigned)(xorshift64(&g->rng) % n);
}

#define MAX_THREADS 3
#define MAX_INSNS 5
#define MAX_LINES 12	/* per thread: a remap takes 5 lines */
#define MAX_Z_LINES 20	/* gen_z_test's threads: 5 instructions */

/* One thread's lines (at most cap: lines past it are left out, as
 * gen_test's programs always were) and the registers its loads write. */
struct thread {
	char line[MAX_Z_LINES][40];
	unsigned nlines, cap;
	unsigned loads[MAX_INSNS];
	unsigned nloads;
	bool remap;
};

static const char *const locs[] = {"X1", "X2", "X3"};	/* x, y, z */

/* A location: x or y mostly (two threads' stores and loads of the same
 * two locations make the reorderings: 2+2W, S, R, MP), z sometimes. */
static const char *gen_loc(struct gen *g);

static const char *gen_loc(struct gen *g)
{
	unsigned k = pick(g, 8);

	if (g->zbias)
		return locs[k < 2 ? 0 : k < 4 ? 1 : 2];
	return locs[k < 4 ? 0 : k < 7 ? 1 : 2];
}

static void line(struct thread *t, const char *s)
{
	if (t->nlines < t->cap)
		snprintf(t->line[t->nlines++], sizeof(t->line[0]), "%s", s);
}

/* A store of value v: plain, release, or with a data dependency on the
 * thread's latest load. */
static void gen_store(struct gen *g, struct thread *t, unsigned v)
{
	const char *loc = gen_loc(g);
	char s[40];

	if (t->nloads && !pick(g, 3)) {
		unsigned r = t->loads[t->nloads - 1];

		snprintf(s, sizeof(s), "EOR W20,W%u,W%u", r, r);
		line(t, s);
		snprintf(s, sizeof(s), "ADD W20,W20,#%u", v);
		line(t, s);
		snprintf(s, sizeof(s), "STR W20,[%s]", loc);
		line(t, s);
		return;
	}
	snprintf(s, sizeof(s), "MOV W21,#%u", v);
	line(t, s);
	snprintf(s, sizeof(s), "%s W21,[%s]", pick(g, 4) ? "STR" : "STLR",
		 loc);
	line(t, s);
}

/* A load into W(10 + k): plain, acquire, or with an address dependency
 * on the thread's latest load. */
static void gen_load(struct gen *g, struct thread *t)
{
	const char *loc = gen_loc(g);
	unsigned r = 10 + t->nloads;
	char s[40];

	if (t->nloads && !pick(g, 3)) {
		unsigned d = t->loads[t->nloads - 1];

		snprintf(s, sizeof(s), "EOR W22,W%u,W%u", d, d);
		line(t, s);
		snprintf(s, sizeof(s), "LDR W%u,[%s,W22,SXTW]", r, loc);
	} else {
		snprintf(s, sizeof(s), "%s W%u,[%s]",
			 pick(g, 4) ? "LDR" : "LDAR", r, loc);
	}
	line(t, s);
	t->loads[t->nloads++] = r;
}

/* The remap of z's page to a's (break-before-make left out: the store
 * replaces a valid entry), then its TLBI, as herd's +PTE tests do. */
static void gen_remap(struct thread *t)
{
	line(t, "STR X7,[X6]");
	line(t, "DSB ISH");
	line(t, "LSR X8,X3,#12");
	line(t, "TLBI VAAE1IS,X8");
	line(t, "DSB ISH");
	t->remap = true;
}

/* The remap of z's page with break-before-make (herd's +W+PTE tests):
 * the invalid descriptor, DSB, TLBI, DSB, the new one. */
static void gen_remap_bbm(struct thread *t)
{
	line(t, "STR X9,[X6]");
	line(t, "DSB ISH");
	line(t, "LSR X8,X3,#12");
	line(t, "TLBI VAAE1IS,X8");
	line(t, "DSB ISH");
	line(t, "STR X7,[X6]");
	t->remap = true;
}

static void gen_thread(struct gen *g, struct thread *t, unsigned id)
{
	static const char *const dmbs[] = {"DMB SY", "DMB LD", "DMB ST"};
	/* gen_z_test: 1 to 3 instructions, smaller programs (a remap and
	 * the walks of z make far more executions). */
	unsigned n = g->zbias ? 1 + pick(g, 3) : 2 + pick(g, 3);
	/* gen_z_test: thread 0 remaps z at one of its places. */
	unsigned at = g->zbias && id == 0 ? pick(g, n + 1) : ~0u;

	memset(t, 0, sizeof(*t));
	t->cap = g->zbias ? MAX_Z_LINES : MAX_LINES;
	for (unsigned i = 0; i <= n; i++) {
		unsigned k;

		if (i == at)
			(pick(g, 2) ? gen_remap_bbm : gen_remap)(t);
		if (i == n)
			break;
		k = pick(g, 16);
		if (g->zbias && k == 15)
			k = 8;	/* a load: only thread 0 remaps */
		if (k < 8)
			gen_store(g, t, 10 * (id + 1) + i + 1);
		else if (k < 12)
			gen_load(g, t);
		else if (k < 15)
			line(t, dmbs[pick(g, 3)]);
		else if (!t->remap)
			gen_remap(t);
	}
}

/* A random test into buf (cap bytes); with zbias, gen_z_test's. */
static void gen_any(uint64_t seed, char *buf, size_t cap, bool zbias)
{
	struct gen g = {buf, 0, cap, seed ? seed : 1, zbias};
	struct thread th[MAX_THREADS];
	unsigned nt = 2 + pick(&g, 2), rows = 0;
	char s[80];

	buf[0] = 0;
	for (unsigned i = 0; i < nt; i++) {
		gen_thread(&g, &th[i], i);
		if (th[i].nlines > rows)
			rows = th[i].nlines;
	}
	put(&g, "AArch64 WPR\n{\nint x=0; int y=0; int z=0; int a=9;\n");
	for (unsigned i = 0; i < nt; i++) {
		snprintf(s, sizeof(s), "%u:X1=x; %u:X2=y; %u:X3=z;\n", i, i, i);
		put(&g, s);
		if (th[i].remap) {
			snprintf(s, sizeof(s),
				 "%u:X6=PTE(z); %u:X7=(oa:PA(a));\n", i, i);
			put(&g, s);
		}
		if (th[i].remap && zbias) {
			snprintf(s, sizeof(s),
				 "%u:X9=(oa:PA(z),valid:0);\n", i);
			put(&g, s);
		}
	}
	put(&g, "}\n");
	for (unsigned i = 0; i < nt; i++) {
		snprintf(s, sizeof(s), "%sP%u", i ? " | " : " ", i);
		put(&g, s);
	}
	put(&g, " ;\n");
	for (unsigned r = 0; r < rows; r++) {
		for (unsigned i = 0; i < nt; i++) {
			snprintf(s, sizeof(s), "%s%-22s", i ? " | " : " ",
				 r < th[i].nlines ? th[i].line[r] : "");
			put(&g, s);
		}
		put(&g, " ;\n");
	}
	put(&g, "locations [x; y; z;");
	for (unsigned i = 0; i < nt; i++)
		for (unsigned k = 0; k < th[i].nloads; k++) {
			snprintf(s, sizeof(s), " %u:X%u;", i, th[i].loads[k]);
			put(&g, s);
		}
	put(&g, "]\nexists (x=0)\n");
}

static void gen_test(uint64_t seed, char *buf, size_t cap)
{
	gen_any(seed, buf, cap, false);
}

/* A random test whose thread 0 remaps z's page (with or without a
 * break) among its accesses, and whose threads access z half of the
 * time: the retired-entry rule's programs (a thread that used z's old
 * entry uses it again after the remap's TLBI). */
static void gen_z_test(uint64_t seed, char *buf, size_t cap)
{
	gen_any(seed, buf, cap, true);
}

/* Run text with the rule on or off; a search past CAP executions is cut
 * (reported unsupported, then skipped). */
#define CAP 30000

/* Under `vmsa,fatal`, with the environment variable var set to val for
 * the run (var NULL: none). */
static int run_env(const char *text, const char *var, const char *val,
		   vmsa_litmus_result_t *r)
{
	vmsa_litmus_opts_t o = vmsa_litmus_defaults();
	int rc;

	o.variant = "vmsa,fatal";
	o.max_executions = CAP;
	if (var)
		setenv(var, val, 1);
	rc = lit_run_opts(text, &o, r);
	if (var)
		unsetenv(var);
	return rc;
}

/* With the rule whose switch is var on or off. */
static int run(const char *text, const char *var, bool rule,
	       vmsa_litmus_result_t *r)
{
	return run_env(text, rule ? NULL : var, "0", r);
}

static unsigned long env_or(const char *name, unsigned long dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : dflt;
}

/* Programs of the default seed beyond the first 20 where a rule that
 * drops every free place of a write ("never place") loses final states
 * (found by the wide run, docs/litmus.md): the fixed set includes them. */
static const unsigned long catches[] = {61, 174, 186, 190};

/* Run program i of seed with the rule whose switch is var off and on;
 * count into *differ, *fewer, *cut and execs. */
static void one(const char *var, bool z, uint64_t seed, unsigned long i,
		unsigned *differ, unsigned *fewer, unsigned *cut,
		uint64_t *execs)
{
	static char text[8192];
	vmsa_litmus_result_t off, on;
	int rc_off, rc_on;

	(z ? gen_z_test : gen_test)(seed * 1000003u + i, text, sizeof(text));
	rc_off = run(text, var, false, &off);
	rc_on = run(text, var, true, &on);
	/* 0, or -EOPNOTSUPP for a search cut at CAP. */
	CHECK(rc_off == 0 || off.outcome == VMSA_LITMUS_UNSUPPORTED);
	CHECK(rc_on == 0 || on.outcome == VMSA_LITMUS_UNSUPPORTED);
	CHECK(off.outcome != VMSA_LITMUS_ERROR);
	if (off.outcome == VMSA_LITMUS_UNSUPPORTED ||
	    on.outcome == VMSA_LITMUS_UNSUPPORTED) {
		(*cut)++;
	} else {
		if (!lit_same_result(&off, &on)) {
			(*differ)++;
			fprintf(stderr, "program %lu: states differ "
				"(%u off, %u on):\n%s", i, off.nstates,
				on.nstates, text);
		}
		CHECK(on.executions <= off.executions);
		*fewer += on.executions < off.executions;
		execs[0] += off.executions;
		execs[1] += on.executions;
	}
	vmsa_litmus_result_free(&off);
	vmsa_litmus_result_free(&on);
}

/*
 * The rule whose switch is var, off and on, on n programs of the seed
 * (n_var: how many, when set: the wide run, which prints its counts;
 * else n_default and the programs `extra`): none may differ. Returns
 * how many made fewer executions with the rule.
 */
static unsigned same_states_random(const char *var, bool z, const char *n_var,
				   unsigned long n_default,
				   const unsigned long *extra, size_t n_extra)
{
	const char *wide = getenv(n_var);
	unsigned long n = env_or(n_var, n_default);
	uint64_t seed = env_or("VMSA_WPLACE_RANDOM_SEED", 0x5eed);
	uint64_t execs[2] = {0, 0};
	unsigned differ = 0, fewer = 0, cut = 0;

	for (unsigned long i = 0; i < n; i++)
		one(var, z, seed, i, &differ, &fewer, &cut, execs);
	for (size_t k = 0; !wide && k < n_extra; k++)
		one(var, z, seed, extra[k], &differ, &fewer, &cut, execs);
	CHECK_EQ(differ, 0);
	if (wide)
		fprintf(stderr, "%lu programs (%u cut at %u): %u with fewer "
			"executions; executions %llu off, %llu on\n", n, cut,
			CAP, fewer, (unsigned long long)execs[0],
			(unsigned long long)execs[1]);
	return wide ? 1 : fewer;
}

TEST(litmus_wplace_random_same_states)
{
	same_states_random("VMSA_ORDER_WPRUNE", false, "VMSA_WPLACE_RANDOM_N",
			   20, catches, sizeof(catches) / sizeof(*catches));
}

/*
 * The retired-entry rule (docs/model.md, "An access through a retired
 * entry it could precede"; dpor_retired_redundant) against the search
 * without it (VMSA_ORDER_RPRUNE=0), on the same random programs: the
 * same observation and final states, never more executions, and in some
 * programs fewer (the rule dropped executions: a test that could not
 * fail otherwise). The rule without its ancestor test (every such
 * access dropped) loses a final state in program 35.
 * VMSA_RPRUNE_RANDOM_N runs others (the wide run of docs/litmus.md).
 */
TEST(litmus_rprune_random_same_states)
{
	CHECK(same_states_random("VMSA_ORDER_RPRUNE", true,
				 "VMSA_RPRUNE_RANDOM_N", 40, NULL, 0) > 0);
}

/*
 * The held-entry rule (docs/model.md, "A walk's older value a held entry
 * gives"; drop_held_values in src/model/translate.c) against the search
 * without it (VMSA_ORDER_HPRUNE=0), on the programs of the retired-entry
 * rule (half of the accesses to z, whose page thread 0 remaps): the same
 * observation and final states, never more executions, and in some
 * programs fewer (the rule left values out: a test that could not fail
 * otherwise). VMSA_HPRUNE_RANDOM_N runs others (the wide run of
 * docs/litmus.md).
 */
TEST(litmus_hprune_random_same_states)
{
	CHECK(same_states_random("VMSA_ORDER_HPRUNE", true,
				 "VMSA_HPRUNE_RANDOM_N", 40, NULL, 0) > 0);
}

/*
 * The read rule (docs/model.md, "A read of an older message another
 * order gives"; dpor_read_redundant in src/explore/dpor.c) against the
 * search without it (VMSA_ORDER_RDPRUNE=0), on both kinds of programs:
 * x and y mostly (loads that may take older messages than other
 * threads' stores), and the remaps of z. The same observation and final
 * states, never more executions, and in some programs fewer (the rule
 * dropped executions: a test that could not fail otherwise).
 * VMSA_RDPRUNE_RANDOM_N runs others (the wide run of docs/litmus.md).
 */
TEST(litmus_rdprune_random_same_states)
{
	for (int z = 0; z <= 1; z++)
		CHECK(same_states_random("VMSA_ORDER_RDPRUNE", z,
					 "VMSA_RDPRUNE_RANDOM_N", 40, NULL,
					 0) > 0);
}

/*
 * Resuming executions from saved states (docs/explorer.md, "Resuming
 * from a decision") against replaying every one from set-up
 * (VMSA_LITMUS_NORESUME), on the same random programs: the same search,
 * execution for execution (the count, the observation, the final
 * states, the decision string of a witness), and the programs resume
 * (resume_count moves): a test that could not fail otherwise.
 */
static int run_resume(const char *text, bool resume, vmsa_litmus_result_t *r)
{
	return run_env(text, resume ? NULL : "VMSA_LITMUS_NORESUME", "1", r);
}

TEST(litmus_resume_random_same_search)
{
	unsigned long n = env_or("VMSA_RESUME_RANDOM_N", 20);
	uint64_t seed = env_or("VMSA_WPLACE_RANDOM_SEED", 0x5eed);
	uint64_t before = resume_count, execs = 0;
	static char text[8192];

	for (unsigned long i = 0; i < n; i++) {
		vmsa_litmus_result_t off, on;
		int rc_off, rc_on;

		gen_test(seed * 1000003u + i, text, sizeof(text));
		rc_off = run_resume(text, false, &off);
		rc_on = run_resume(text, true, &on);
		CHECK_EQ(rc_on, rc_off);
		CHECK_EQ(on.executions, off.executions);
		CHECK_EQ(on.outcome, off.outcome);
		if (!lit_same_result(&off, &on))
			fprintf(stderr, "program %lu: states differ:\n%s", i,
				text);
		CHECK(lit_same_result(&off, &on));
		CHECK_STR(on.witness ? on.witness : "",
			  off.witness ? off.witness : "");
		execs += off.executions;
		vmsa_litmus_result_free(&off);
		vmsa_litmus_result_free(&on);
	}
	/* Most executions of these programs share a prefix with the one
	 * before: far more than one in ten starts from a saved state. */
	if (coro_images())
		CHECK(resume_count - before > execs / 10);
}
