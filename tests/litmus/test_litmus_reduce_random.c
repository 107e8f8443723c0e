/*
 * tests/litmus/test_litmus_reduce_random.c - the reduced search of a
 * litmus test against the plain one (VMSA_LITMUS_NOREDUCE) on random
 * tests that use what the catalogue's slowest tests use and the other
 * random tests do not: faults that end the thread or are retried
 * (`Variant=imprecise`: a second fault drops the execution, which the
 * reduction ends with pending events), hardware Access flag and dirty
 * state updates (TTHM=HA, HA HD) of a descriptor that starts with AF = 0
 * or read-only, atomics (SWP, LDADD, CASAL) and page-table threads that
 * break, remap (by a store or a CASAL on the descriptor), make read-only,
 * clear the Access flag or clear the valid bit with STCLR, each followed
 * by DSB, TLBI, DSB and sometimes ISB, fault handlers (Pn.F) that
 * return past the faulting access, and ETS2 and ETS3.
 *
 * Each test runs twice under its own Variant= line; the observation and
 * the set of final states must be the same (docs/explorer.md, "Why the
 * reduction is sound"; docs/litmus.md, "Executions ended when they are
 * dropped"). The reduced search is then split over two worker processes
 * that hand work over as soon as they can (`vmsa litmus --jobs 2
 * --split-search`), which must give them again; with the races found
 * above a worker's floor left unexplored, programs 20, 34 and 37 differ.
 * A search past CAP executions is cut and skipped. make check
 * runs programs 0 to 39 of seed 0x7ed5; VMSA_REDUCE_RANDOM_N,
 * VMSA_REDUCE_RANDOM_SEED and VMSA_REDUCE_RANDOM_CAP run others (the wide
 * run of docs/explorer.md). With the pending events of an ended execution
 * left out (an ended execution adds none) program 34 loses both of its
 * final states.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "litmus_split.h"
#include "xorshift.h"

/* The cap of each search (VMSA_REDUCE_RANDOM_CAP for a wide run). */
#define CAP 60000
static unsigned long cap_execs = CAP;

/* A test's text being built into a caller's buffer. */
struct rgen {
	char *buf;
	size_t len, cap;
	uint64_t rng;
};

static void emit(struct rgen *g, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (g->len >= g->cap)
		return;
	va_start(ap, fmt);
	k = vsnprintf(g->buf + g->len, g->cap - g->len, fmt, ap);
	va_end(ap);
	if (k > 0)
		g->len += (size_t)k;
}

static unsigned roll(struct rgen *g, unsigned n)
{
	return (unsigned)(xorshift64(&g->rng) % n);
}

#define RT_LINES 16
#define RT_REGS 4

/* One thread or fault handler column: its lines, the registers its
 * loads and atomics leave values in, whether it touches z (whose page
 * may fault) and whether it writes z's descriptor; with `handler`, its
 * first access of z is its only one, followed by the label Ln (n: the
 * thread's index; herd7 rejects a label used twice) its fault handler
 * returns to (`labelled` once placed). A handler column is
 * thread `of`'s (whose registers it shares). */
struct rthread {
	char ln[RT_LINES][40];
	unsigned n;
	unsigned reg[RT_REGS], nreg;
	bool z, pt, handler, labelled;
	unsigned of;
};

static void add(struct rthread *t, const char *fmt, ...)
{
	va_list ap;

	if (t->n == RT_LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(t->ln[t->n++], sizeof(t->ln[0]), fmt, ap);
	va_end(ap);
}

/* x and y mostly; z (X3) sometimes, whose page thread 0 may change. */
static unsigned pick_loc(struct rgen *g, struct rthread *t)
{
	unsigned k = roll(g, 6);
	unsigned x = k < 2 ? 1 : k < 4 ? 2 : 3;

	if (x == 3 && t->labelled)
		x = 1;
	if (x == 3)
		t->z = true;
	return x;
}

/* After an access of loc: the handler's label follows the first of z. */
static void after_access(struct rthread *t, unsigned id, unsigned loc)
{
	if (loc == 3 && t->handler && !t->labelled) {
		add(t, "L%u:", id);
		t->labelled = true;
	}
}

/* A register for a value read (W10 up), or 0 when all are taken. */
static unsigned new_reg(struct rthread *t)
{
	if (t->nreg == RT_REGS)
		return 0;
	t->reg[t->nreg] = 10 + t->nreg;
	return t->reg[t->nreg++];
}

static void gen_access(struct rgen *g, struct rthread *t, unsigned id,
		       unsigned i)
{
	static const char *const bars[] = {"DMB SY", "DMB LD", "DMB ST",
					   "DSB ISH", "ISB"};
	static const char *const rmw[] = {"SWP", "LDADD"};
	unsigned k = roll(g, 12), v = 10 * (id + 1) + i + 1, r, loc = 0;

	if (k < 4) {
		add(t, "MOV W21,#%u", v);
		loc = pick_loc(g, t);
		add(t, "%s W21,[X%u]", roll(g, 3) ? "STR" : "STLR", loc);
	} else if (k < 7 && (r = new_reg(t))) {
		loc = pick_loc(g, t);
		if (t->nreg > 1 && !roll(g, 3)) {
			add(t, "EOR W22,W%u,W%u", t->reg[t->nreg - 2],
			    t->reg[t->nreg - 2]);
			add(t, "LDR W%u,[X%u,W22,SXTW]", r, loc);
		} else {
			add(t, "%s W%u,[X%u]", roll(g, 3) ? "LDR" : "LDAR", r,
			    loc);
		}
	} else if (k < 9 && (r = new_reg(t))) {
		loc = pick_loc(g, t);
		add(t, "MOV W21,#%u", v);
		if (roll(g, 3)) {
			add(t, "%s W21,W%u,[X%u]", rmw[roll(g, 2)], r, loc);
		} else {
			add(t, "MOV W%u,#0", r);
			add(t, "CASAL W%u,W21,[X%u]", r, loc);
		}
	} else {
		add(t, "%s", bars[roll(g, 5)]);
	}
	after_access(t, id, loc);
}

/* Thread 0's change of z's descriptor (X6 = PTE(z)), then DSB, TLBI,
 * DSB and sometimes ISB: a remap to a's page (by STR, or by CASAL on the
 * value it read), a break (optionally followed by the remap), read-only,
 * Access flag 0, or the valid bit cleared by STCLR. */
static void gen_pte(struct rgen *g, struct rthread *t, unsigned k)
{
	t->pt = true;
	if (k == 4) {
		add(t, "MOV X9,#1");
		add(t, "STCLR X9,[X6]");
	} else if (k == 5) {
		add(t, "LDR X4,[X6]");
		add(t, "CASAL X4,X7,[X6]");
	} else {
		add(t, "STR X%u,[X6]", k == 1 ? 8 : 7);
	}
	add(t, "DSB ISH");
	add(t, "LSR X5,X3,#12");
	add(t, "TLBI VAAE1IS,X5");
	add(t, "DSB ISH");
	if (k == 1 && roll(g, 2))
		add(t, "STR X7,[X6]");
	else if (!roll(g, 3))
		add(t, "ISB");
}

/* The value X7 (and X8, a break) hold for gen_pte's kind: chosen with
 * it, so the init section and the thread agree. */
static const char *const pte_vals[] = {
	"(oa:PA(a))", "(oa:PA(a))", "(oa:PA(z),db:0)", "(oa:PA(z),af:0)",
	"(oa:PA(a))", "(oa:PA(a))",
};

static void gen_rich(uint64_t seed, char *buf, size_t cap)
{
	static const char *const variants[] = {"vmsa", "imprecise",
					       "vmsa,ets2", "imprecise,ets2",
					       "vmsa,ets3"};
	static const char *const tthm[] = {"", "TTHM=HA\n", "TTHM=HA HD\n"};
	static const char *const init_pte[] = {"", "[PTE(z)]=(af:0);\n",
					       "[PTE(z)]=(db:0);\n",
					       "[PTE(z)]=(db:0,dbm:1);\n"};
	struct rgen g = {buf, 0, cap, seed ? seed : 1};
	/* The handlers are drawn from a stream of their own, so that a
	 * program without one is what it was before they existed. */
	struct rgen hg = {NULL, 0, 0, (seed ^ 0x4a11d1e5u) | 1};
	struct rthread th[3];
	struct rthread hd[3];
	unsigned nt = 2 + roll(&g, 2), rows = 0, pte_kind = 0, nh = 0;
	bool pt = roll(&g, 3) != 0;

	buf[0] = 0;
	memset(th, 0, sizeof(th));
	memset(hd, 0, sizeof(hd));
	for (unsigned i = 0; i < nt; i++) {
		unsigned n = 1 + roll(&g, i == 0 && pt ? 2 : 3);
		unsigned at = i == 0 && pt ? roll(&g, n + 1) : ~0u;

		th[i].handler = !(i == 0 && pt) && !roll(&hg, 4);
		for (unsigned j = 0; j <= n; j++) {
			if (j == at) {
				pte_kind = roll(&g, 6);
				gen_pte(&g, &th[i], pte_kind);
			}
			if (j < n)
				gen_access(&g, &th[i], i, j);
		}
		if (th[i].n > rows)
			rows = th[i].n;
	}
	/* A handler (column Pi.F) for each thread whose label was placed:
	 * it returns past the faulting access of z, sometimes after a load
	 * of x or y (an order made through the fault). */
	for (unsigned i = 0; i < nt; i++) {
		struct rthread *h = &hd[nh];

		if (!th[i].labelled)
			continue;
		h->of = i;
		add(h, "ADR X9,L%u", i);
		add(h, "MSR ELR_EL1,X9");
		if (roll(&hg, 2)) {
			add(h, "LDR W19,[X%u]", 1 + roll(&hg, 2));
			h->reg[h->nreg++] = 19;
		}
		add(h, "ERET");
		nh++;
	}
	emit(&g, "AArch64 RR\nVariant=%s\n%s{\n",
	     variants[roll(&g, 5)], tthm[roll(&g, 3)]);
	emit(&g, "int x=0; int y=0; int z=0; int a=9;\n%s",
	     init_pte[roll(&g, 4)]);
	for (unsigned i = 0; i < nt; i++) {
		emit(&g, "%u:X1=x; %u:X2=y; %u:X3=z;\n", i, i, i);
		if (th[i].pt)
			emit(&g, "%u:X6=PTE(z); %u:X7=%s; "
			     "%u:X8=(oa:PA(z),valid:0);\n", i, i,
			     pte_vals[pte_kind], i);
	}
	emit(&g, "}\n");
	for (unsigned i = 0; i < nt; i++)
		emit(&g, "%sP%u", i ? " | " : " ", i);
	for (unsigned k = 0; k < nh; k++)
		emit(&g, " | P%u.F", hd[k].of);
	emit(&g, " ;\n");
	for (unsigned k = 0; k < nh; k++)
		if (hd[k].n > rows)
			rows = hd[k].n;
	for (unsigned r = 0; r < rows; r++) {
		for (unsigned i = 0; i < nt; i++)
			emit(&g, "%s%-20s", i ? " | " : " ",
			     r < th[i].n ? th[i].ln[r] : "");
		for (unsigned k = 0; k < nh; k++)
			emit(&g, " | %-16s", r < hd[k].n ? hd[k].ln[r] : "");
		emit(&g, " ;\n");
	}
	emit(&g, "locations [x; y; z; a;");
	for (unsigned i = 0; i < nt; i++) {
		for (unsigned k = 0; k < th[i].nreg; k++)
			emit(&g, " %u:X%u;", i, th[i].reg[k]);
		if (th[i].z)
			emit(&g, " Fault(P%u,z);", i);
	}
	for (unsigned k = 0; k < nh; k++)
		for (unsigned j = 0; j < hd[k].nreg; j++)
			emit(&g, " %u:X%u;", hd[k].of, hd[k].reg[j]);
	emit(&g, "]\nexists (x=0)\n");
}

static unsigned long env_num(const char *name, unsigned long dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : dflt;
}

/* Under the test's own variant, reduced or not. */
static int run_one(const char *text, bool reduce, vmsa_litmus_result_t *r)
{
	vmsa_litmus_opts_t o = vmsa_litmus_defaults();
	int rc;

	o.max_executions = cap_execs;
	if (!reduce)
		setenv("VMSA_LITMUS_NOREDUCE", "1", 1);
	rc = lit_run_opts(text, &o, r);
	unsetenv("VMSA_LITMUS_NOREDUCE");
	return rc;
}

TEST(litmus_reduce_random_same_states)
{
	const char *wide = getenv("VMSA_REDUCE_RANDOM_N");
	unsigned long n = env_num("VMSA_REDUCE_RANDOM_N", 40);
	uint64_t seed = env_num("VMSA_REDUCE_RANDOM_SEED", 0x7ed5);
	uint64_t execs[2] = {0, 0};
	unsigned differ = 0, cut = 0, compared = 0, dropped = 0, split = 0;
	unsigned long handed = 0;
	double ask = par_ask_seconds;
	static char text[8192];

	cap_execs = env_num("VMSA_REDUCE_RANDOM_CAP", CAP);
	par_ask_seconds = 0;

	for (unsigned long i = 0; i < n; i++) {
		vmsa_litmus_result_t plain, red;
		int rc_p, rc_r;

		gen_rich(seed * 1000003u + i, text, sizeof(text));
		rc_p = run_one(text, false, &plain);
		rc_r = run_one(text, true, &red);
		CHECK(plain.outcome != VMSA_LITMUS_ERROR);
		CHECK(red.outcome != VMSA_LITMUS_ERROR);
		if (plain.outcome == VMSA_LITMUS_UNSUPPORTED ||
		    red.outcome == VMSA_LITMUS_UNSUPPORTED) {
			cut++;
		} else {
			CHECK_EQ(rc_p, 0);
			CHECK_EQ(rc_r, 0);
			compared++;
			dropped += plain.discarded != 0;
			execs[0] += plain.executions;
			execs[1] += red.executions;
			if (!lit_same_result(&plain, &red)) {
				differ++;
				fprintf(stderr, "program %lu: states differ "
					"(%u plain, %u reduced):\n%s", i,
					plain.nstates, red.nstates, text);
			} else if (red.executions > 1) {
				split++;
				if (!split_same(text, &red, &handed)) {
					differ++;
					fprintf(stderr, "program %lu: split "
						"search differs:\n%s", i,
						text);
				}
			}
		}
		vmsa_litmus_result_free(&plain);
		vmsa_litmus_result_free(&red);
	}
	par_ask_seconds = ask;
	CHECK_EQ(differ, 0);
	if (wide)
		fprintf(stderr, "%lu programs: %u compared, %u cut at %lu, "
			"%u with dropped executions, %u split; executions "
			"%llu plain, %llu reduced\n", n, compared, cut,
			cap_execs, dropped, split,
			(unsigned long long)execs[0],
			(unsigned long long)execs[1]);
	/* The split searches were split (a worker handed work over). */
	if (split)
		CHECK(handed > 0);
	/* Most of the fixed set is compared (29 of 40), and some of it drops
	 * executions (the pending events): a test that could not fail
	 * otherwise. */
	if (!wide) {
		CHECK(compared >= n / 2);
		CHECK(dropped > 0);
	}
}
