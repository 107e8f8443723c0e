/*
 * src/litmus/run.c - running a litmus test: the variant, a dynamic
 * scenario (set-up builds the tables and the initial memory, one CPU
 * function per thread interprets its code, the final check captures the
 * observed locations), the exhaustive search with no preemption bound
 * going on after every execution (explore_outcomes), and the final
 * states, witnesses and observation as herd7 counts them.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "choice_stats.h"
#include "cond.h"
#include "jobs.h"
#include "explore/explore_int.h"
#include "explore/isolate.h"
#include "explore/parallel.h"
#include "explore/report.h"
#include "model/cache.h"
#include "model/machine.h"
#include "run_int.h"
#include "state_memo.h"
#include "vmsa/explore.h"
#include "vmsa/sysreg.h"

struct lit_exec *lit_exec_of(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

static const struct lit_rt *rt_of(vmsa_run_t *r)
{
	return (const struct lit_rt *)r->scenario;
}

/* ---------------------------------------------------------------------
 * Set-up and final check
 * ------------------------------------------------------------------- */

static void setup(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct lit_exec *lx = lit_exec_of(r);
	const struct lit_rt *rt = rt_of(r);
	const struct lit_test *t = rt->t;
	vmsa_pa_t l2;

	lx->rt = rt;
	lx->l1 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	l2 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	lx->l3 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	for (unsigned i = 0; i < t->nsym; i++)
		lx->pa[i] = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	if (vmsa_stopped(m))
		return;
	vmsa_desc_write_pa(m, VMSA_SETUP, lx->l1,
			   vmsa_desc_make_table(l2, VMSA_GRANULE_4K));
	vmsa_desc_write_pa(m, VMSA_SETUP, l2 + 8 * (LIT_TBL_VA >> 21),
			   vmsa_desc_make_table(lx->l3, VMSA_GRANULE_4K));
	/* The L3 table mapped at LIT_TBL_VA: EL1 only (herd's of_pte). */
	{
		struct lit_desc d;

		lit_desc_default(&d);
		d.el0 = 0;
		vmsa_desc_write_pa(m, VMSA_SETUP, lx->l3,
				   lit_desc_encode(&d, lx->l3));
	}
	for (unsigned i = 0; i < t->nsym; i++) {
		const struct lit_sym *s = &t->sym[i];
		int oa = s->pte.oa_sym >= 0 ? s->pte.oa_sym : (int)i;

		vmsa_desc_write_pa(m, VMSA_SETUP, lx->l3 + 8 * (i + 1),
				   lit_desc_encode(&s->pte, lx->pa[oa]));
		if (s->nelem)
			for (unsigned k = 0; k < s->nelem; k++)
				vmsa_phys_write(m, VMSA_SETUP,
						lx->pa[i] + k * s->size, s->size,
						(uint64_t)s->elem[k], true);
		else
			vmsa_phys_write(m, VMSA_SETUP, lx->pa[i], 8,
					lit_value_runtime(&s->init, lx->pa),
					true);
		/* herd7's initial values are in memory, with no cache in
		 * between: the same at the Point of Coherency as in the
		 * cache, so that a thread whose mapping is Non-cacheable
		 * or Device reads them too (a clean, DC CVAC by PA). */
		(void)cache_maint(&m->cache, &m->mem, CACHE_CVAC, lx->pa[i]);
	}
	if (rt->memtag)
		lit_memtag_setup(m, lx, t);
	/* Each thread in its translation regime, one after another, before
	 * any runs its code (herd7's threads start there): register steps,
	 * which the explorer's snapshot of set-up keeps, so that no
	 * execution makes them again (docs/litmus.md, "Search size"). */
	for (unsigned i = 0; rt->setup_entries && i < t->nthreads &&
			    !vmsa_stopped(m); i++)
		lit_enter(m, i, rt, lx->l1);
}

static void check(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct lit_exec *lx = lit_exec_of(r);
	const struct lit_test *t = rt_of(r)->t;

	for (unsigned i = 0; i < t->nobs; i++) {
		const struct lit_loc *o = &t->obs[i];

		switch (o->kind) {
		case LOC_REG:
			lx->obsv[i] = lit_reg_final(t, o->thread, o->reg,
						    lx->regs[o->thread][o->reg],
						    lx->pa);
			break;
		case LOC_MEM:
			lx->obsv[i] = vmsa_phys_read(m, VMSA_SETUP,
						     lx->pa[o->sym] +
						     o->elem *
						     t->sym[o->sym].size,
						     t->sym[o->sym].size, true);
			/* A signed type's value is signed, as herd7
			 * prints it ([x]=-1 of an int or an int8_t); an
			 * unsigned one's is not. */
			lx->obsv[i] = lit_typed(lx->obsv[i],
						t->sym[o->sym].size,
						t->sym[o->sym].is_unsigned);
			break;
		case LOC_PTE:
			lx->obsv[i] = vmsa_phys_read(m, VMSA_SETUP,
						     lx->l3 + 8 * (o->sym + 1),
						     8, true);
			break;
		case LOC_TAG:
			/* The newest tag store of x's first granule (memory
			 * holds the last in coherence order). */
			lx->obsv[i] = vmsa_phys_read(m, VMSA_SETUP,
					vmsa_mte_tag_pa(m, lx->pa[o->sym]), 8,
					true) & 0xf;
			break;
		}
	}
	lx->captured = true;
}

/* ---------------------------------------------------------------------
 * Variants
 * ------------------------------------------------------------------- */

struct variant {
	enum lit_handling handling;
	bool ets2, ets3, memtag;
	char list[128];
};

static int variant_tags(const char *s, struct variant *v, char *err,
			size_t errsz, const char *where)
{
	char buf[256], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", s ? s : "");
	for (char *w = strtok_r(buf, ", \t", &save); w;
	     w = strtok_r(NULL, ", \t", &save)) {
		if (!strcasecmp(w, "vmsa") || !strcasecmp(w, "kvm"))
			;
		else if (!strcasecmp(w, "fatal") || !strcasecmp(w, "precise"))
			v->handling = LIT_FATAL;
		else if (!strcasecmp(w, "handled") ||
			 !strcasecmp(w, "imprecise"))
			v->handling = LIT_HANDLED;
		else if (!strcasecmp(w, "faulttonext") ||
			 !strcasecmp(w, "skip"))
			v->handling = LIT_SKIP;
		else if (!strcasecmp(w, "ets2"))
			v->ets2 = true;
		else if (!strcasecmp(w, "ets3"))
			v->ets3 = v->ets2 = true;
		else if (!strcasecmp(w, "memtag") || !strcasecmp(w, "mte") ||
			 !strcasecmp(w, "tagmem"))
			/* herd's MemTag (herd/variant.ml: memtag, mte,
			 * tagmem): docs/litmus.md, "Memory tagging". */
			v->memtag = true;
		else if (!strcasecmp(w, "sync"))
			; /* synchronous Tag Check Faults: the only mode */
		else {
			snprintf(err, errsz, "%s: unsupported variant '%s' "
				 "(known: vmsa, fatal, precise, handled, "
				 "imprecise, faulttonext, ets2, ets3, memtag, "
				 "sync)",
				 where, w);
			return -EINVAL;
		}
	}
	return 0;
}

static void variant_list(struct variant *v)
{
	static const char *const h[] = {"fatal", "handled", "faulttonext"};

	snprintf(v->list, sizeof(v->list), "vmsa,%s%s%s", h[v->handling],
		 v->ets3 ? ",ets3" : v->ets2 ? ",ets2" : "",
		 v->memtag ? ",memtag" : "");
}

/* TTHM=HA, HA HD, HD, P0:HA, P0:HA P0:HD: TCR_EL1.HA (bit 39) and HD
 * (bit 40) per thread. herd7 lets HD alone enable dirty-state updates
 * (and the Access flag updates that come with them); the architecture
 * treats HD as 0 while HA is 0 (D24.2.194), so the hardware herd's test
 * describes is HA = HD = 1: HD sets both. */
static int tthm(const struct lit_test *t, struct lit_rt *rt, char *err,
		size_t errsz)
{
	char buf[64], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", t->tthm);
	for (char *w = strtok_r(buf, " \t,", &save); w;
	     w = strtok_r(NULL, " \t,", &save)) {
		int th = -1;
		uint64_t bit;
		char *f = w;

		if (w[0] == 'P' && strchr(w, ':')) {
			th = atoi(w + 1);
			f = strchr(w, ':') + 1;
		}
		if (!strcmp(f, "HA"))
			bit = 1ull << 39;
		else if (!strcmp(f, "HD"))
			bit = 1ull << 40 | 1ull << 39;
		else {
			snprintf(err, errsz, "%s: bad TTHM entry '%s' (expected "
				 "HA, HD, Pn:HA or Pn:HD)", t->file, w);
			return -EINVAL;
		}
		for (unsigned i = 0; i < t->nthreads; i++)
			if (th < 0 || (unsigned)th == i)
				rt->tcr_ha_hd[i] |= bit;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * States
 * ------------------------------------------------------------------- */

struct states {
	char **s;
	unsigned n, cap;	/* a hash table of cap slots */
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int states_add(struct states *st, const char *s)
{
	if (2 * (st->n + 1) > st->cap) {
		unsigned cap = st->cap ? 2 * st->cap : 64;
		char **ns = calloc(cap, sizeof(*ns));

		if (!ns)
			return -ENOMEM;
		for (unsigned i = 0; i < st->cap; i++) {
			if (!st->s[i])
				continue;
			uint64_t j = hash(st->s[i]) & (cap - 1);

			while (ns[j])
				j = (j + 1) & (cap - 1);
			ns[j] = st->s[i];
		}
		free(st->s);
		st->s = ns;
		st->cap = cap;
	}
	uint64_t j = hash(s) & (st->cap - 1);

	while (st->s[j]) {
		if (!strcmp(st->s[j], s))
			return 0;
		j = (j + 1) & (st->cap - 1);
	}
	st->s[j] = strdup(s);
	if (!st->s[j])
		return -ENOMEM;
	st->n++;
	return 0;
}

/* The search's accumulator (the callback's context). */
struct acc {
	const struct lit_rt *rt;
	struct states st;
	uint64_t executions, prop_true, prop_false, discarded;
	uint64_t violations, unchecked;
	vmsa_violation_kind_t vkind;
	char vmsg[512];
	int unsup_line;
	bool unsup_past;	/* lit_exec's */
	bool fault_overflow, oom, runaway, cutoff;
	unsigned *order;	/* observables in herd's printing order */
	bool want_witness;
	char *witness;		/* a positive execution's decisions */
	char *first;		/* the first execution's decisions */
	struct choice_stats stats;	/* VMSA_LITMUS_STATS */
	struct state_memo seen;	/* the raw words of the states counted */
	bool crash;		/* VMSA_LITMUS_CRASH names the test */
};

/* The decision string of the execution r belongs to (the explorer's
 * run is its first member). */
static char *decisions_of(vmsa_run_t *r)
{
	struct explorer *x = (struct explorer *)r;

	return decisions_encode(x->check, x->dec.p, x->dec.n);
}

static bool fault_matches(const struct lit_fatom *a, const struct lit_fault *f)
{
	return (a->label_insn < 0 || a->label_insn == f->insn) &&
	       (a->sym < 0 || a->sym == f->sym) &&
	       (a->ftype == FT_ANY || a->ftype == f->type);
}

/* The words a final state's line is made from (outcome()): the observed
 * values, the fault atoms (one bit each), the symbols' addresses. */
static unsigned state_words(const struct lit_test *t)
{
	return t->nobs + 1 + t->nsym;
}

/*
 * Was an execution with this final state counted already (its line is
 * in the states)? If not, it is remembered now: the caller adds its
 * line. The line is a function of these words only, so equal words make
 * the same line. Out of memory, the answer is no (the line is made and
 * added again, which changes nothing).
 */
static bool state_seen(struct acc *a, const struct lit_test *t,
		       const struct lit_exec *lx, const uint8_t *fatomv)
{
	uint64_t key[LIT_MAX_OBS + 1 + LIT_MAX_SYMS], *k = key;

	_Static_assert(LIT_MAX_OBS <= 64, "the fault atoms fit in a word");
	memcpy(k, lx->obsv, t->nobs * sizeof(*k));
	k += t->nobs;
	*k = 0;
	for (unsigned i = 0; i < t->nfatom; i++)
		*k |= (uint64_t)(fatomv[i] != 0) << i;
	k++;
	for (unsigned i = 0; i < t->nsym; i++)
		k[i] = lx->pa[i];
	return state_memo_add(&a->seen, key) == 1;
}

/* Is observable i of an unsigned type (printed so, as herd7 does)? */
static bool obs_unsigned(const struct lit_test *t, unsigned i)
{
	const struct lit_loc *o = &t->obs[i];

	if (o->kind == LOC_MEM)
		return t->sym[o->sym].is_unsigned;
	return o->kind == LOC_REG && t->reg_unsigned[o->thread][o->reg];
}

static void outcome(void *ctx, vmsa_run_t *r, const vmsa_violation_t *v)
{
	struct acc *a = ctx;
	struct lit_exec *lx = lit_exec_of(r);
	const struct lit_test *t = a->rt->t;
	uint8_t fatomv[LIT_MAX_OBS];
	char line[2048];
	size_t k = 0;
	bool prop;

	a->executions++;
	if (a->crash)
		raise(SIGSEGV);
	{
		struct explorer *x = (struct explorer *)r;

		choice_stats_add(&a->stats, x->dec.p, x->dec.n);
	}
	if (lx->unsup_line && !a->unsup_line) {
		a->unsup_line = lx->unsup_line;
		a->unsup_past = lx->unsup_past;
	}
	if (lx->fault_overflow)
		a->fault_overflow = true;
	if (lx->runaway)
		a->runaway = true;
	/* The test is unsupported whatever the other executions give
	 * (lit_conclude): the search need not go on. A thread that runs
	 * away takes thousands of steps in every execution that reaches
	 * its loop, and a search of them ran for hours. */
	if (lx->unsup_line || lx->fault_overflow || lx->runaway)
		explore_stop(r);
	if (lx->cutoff)
		a->cutoff = true;
	if (v) {
		if (!a->violations++) {
			a->vkind = v->kind;
			snprintf(a->vmsg, sizeof(a->vmsg), "%s", v->message);
		}
		return;
	}
	if (lx->discard) {
		a->discarded++;
		return;
	}
	if (!lx->captured) {
		a->unchecked++;
		return;
	}
	for (unsigned i = 0; i < t->nfatom; i++) {
		const struct lit_fatom *fa = &t->fatom[i];

		fatomv[i] = 0;
		for (unsigned j = 0; j < lx->nfault[fa->thread]; j++)
			if (fault_matches(fa, &lx->fault[fa->thread][j]))
				fatomv[i] = 1;
	}
	prop = lit_cond_eval(t, t->cond, lx->obsv, fatomv, lx->pa);
	if (prop)
		a->prop_true++;
	else
		a->prop_false++;
	if (a->want_witness && prop && !a->witness)
		a->witness = decisions_of(r);
	if (a->want_witness && !a->first)
		a->first = decisions_of(r);
	if (!a->stats.dump && state_seen(a, t, lx, fatomv))
		return;
	line[0] = 0;
	for (unsigned n = 0; n < t->nobs; n++) {
		unsigned i = a->order[n];
		char name[64], val[128];

		lit_obs_name(name, sizeof(name), t, i);
		if (t->obs[i].kind == LOC_TAG)
			snprintf(val, sizeof(val), ":%s",
				 lit_colour[lx->obsv[i] & 7]);
		else if (t->obs[i].kind == LOC_PTE)
			lit_value_format(val, sizeof(val), t, lx->obsv[i],
					 lx->pa, true);
		else
			lit_number_format(val, sizeof(val), t, lx->obsv[i],
					  lx->pa, obs_unsigned(t, i));
		k += (size_t)snprintf(line + k, k < sizeof(line) ?
				      sizeof(line) - k : 0, "%s=%s; ", name,
				      val);
	}
	for (unsigned i = 0; i < t->nfatom && k < sizeof(line); i++)
		k += (size_t)snprintf(line + k, sizeof(line) - k, "%s%s; ",
				      fatomv[i] ? "" : "~", t->fatom[i].text);
	if (k && k < sizeof(line))
		line[k - 1] = 0; /* no trailing blank */
	{
		struct explorer *x = (struct explorer *)r;

		choice_dump(&a->stats, stderr, x->dec.p, x->dec.n, line);
	}
	if (states_add(&a->st, line))
		a->oom = true;
}

static void dbg_trace(void *ctx, const vmsa_trace_event_t *e)
{
	(void)ctx;
	fprintf(stderr, "  %llu cpu%d %s %s\n", (unsigned long long)e->step,
		e->cpu, e->op, e->text);
}

static const struct lit_test *sort_t;

static int obs_cmp(const void *pa, const void *pb)
{
	const struct lit_loc *a = &sort_t->obs[*(const unsigned *)pa];
	const struct lit_loc *b = &sort_t->obs[*(const unsigned *)pb];

	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	if (a->kind == LOC_REG)
		return a->thread != b->thread ? a->thread - b->thread :
						(int)a->reg - (int)b->reg;
	/* Memory as herd7 orders it, by the printed name: [y] before
	 * x[1] (lit_obs_name); the same as by name among [x] and [y]. */
	if (a->kind == LOC_MEM && (a->indexed || b->indexed)) {
		char na[64], nb[64];

		lit_obs_name(na, sizeof(na), sort_t,
			     (unsigned)(a - sort_t->obs));
		lit_obs_name(nb, sizeof(nb), sort_t,
			     (unsigned)(b - sort_t->obs));
		if (strcmp(na, nb))
			return strcmp(na, nb);
		return (int)a->elem - (int)b->elem;
	}
	return strcmp(sort_t->sym[a->sym].name, sort_t->sym[b->sym].name);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---------------------------------------------------------------------
 * The HTML page of one execution
 * ------------------------------------------------------------------- */

/*
 * The command that makes the page again (the execution is of a scenario
 * built from the test, which `vmsa replay` cannot name): `vmsa litmus`
 * with the options that decide which execution the page shows (the
 * search is deterministic).
 */
static char *rerun_cmd(const vmsa_litmus_t *t, const vmsa_litmus_opts_t *lo,
		       const char *variant)
{
	const char *w[12];
	char dir[4096], max[32];
	const char *slash = strrchr(lo->html_file, '/');
	unsigned n = 0;

	snprintf(dir, sizeof(dir), "%.*s",
		 slash ? (int)(slash - lo->html_file) : 1,
		 slash ? lo->html_file : ".");
	w[n++] = "vmsa";
	w[n++] = "litmus";
	w[n++] = "--variant";
	w[n++] = variant;
	if (lo->max_executions != VMSA_LITMUS_MAX_EXECUTIONS) {
		snprintf(max, sizeof(max), "%llu",
			 (unsigned long long)lo->max_executions);
		w[n++] = "--max-executions";
		w[n++] = max;
	}
	if (lo->sc)
		w[n++] = "--sc";
	if (lo->conflict_aborts)
		w[n++] = "--conflict-aborts";
	w[n++] = "--html";
	w[n++] = dir;
	w[n++] = t->file;
	return report_shell_cmd(w, n);
}

/* The page of the execution `decisions` of scenario s (its explorer
 * configuration xcfg; shown as `shown`, the result's configuration). */
static int write_html(const vmsa_scenario_t *s, const char *xcfg,
		      const char *shown, const char *rerun,
		      const vmsa_explore_opts_t *xo, const char *decisions,
		      const char *path, char *err, size_t errsz)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	struct report_trace tr;
	struct report_row row;
	struct report_style st = {.prog = "vmsa", .replay = true,
				  .rerun = rerun,
				  .name_width = 20, .config_width = 10,
				  .expect_width = 8, .verdict_width = 24};
	FILE *f;
	int rc;

	memset(&row, 0, sizeof(row));
	o.preemptions = VMSA_UNBOUNDED;
	/* The search's model settings: the replay must make its choices. */
	o.continue_after_bbm = xo->continue_after_bbm;
	o.bbm_no_conflict_abort = xo->bbm_no_conflict_abort;
	/* The start gate changes which CPUs a scheduling decision offers:
	 * the search's decisions mean its execution only with it. */
	o.serial_start = xo->serial_start;
	if (report_trace_init(&tr, &o)) {
		snprintf(err, errsz, "out of memory for the trace");
		return -ENOMEM;
	}
	rc = vmsa_replay(s, xcfg, decisions, &o, &row.res);
	if (rc) {
		snprintf(err, errsz, "the replay failed: %.200s",
			 row.res.error);
		goto out;
	}
	f = fopen(path, "w");
	if (!f) {
		rc = -errno;
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		goto out;
	}
	row.scenario = s;
	row.config = shown;
	row.expect = "safe";
	row.ran = true;
	row.as_expected = true;
	row.trace = &tr;
	if (report_html(f, &st, &row, 1))
		rc = -EIO;
	if (fclose(f) && !rc)
		rc = -EIO;
	if (rc)
		snprintf(err, errsz, "%s: write error", path);
out:
	vmsa_explore_result_free(&row.res);
	report_trace_free(&tr);
	return rc;
}

/* ---------------------------------------------------------------------
 * The run
 * ------------------------------------------------------------------- */

const char *vmsa_litmus_outcome_name(vmsa_litmus_outcome_t o)
{
	static const char *const n[] = {"Never", "Sometimes", "Always",
					"unsupported", "error"};

	return (unsigned)o < 5 ? n[o] : "?";
}

void vmsa_litmus_result_free(vmsa_litmus_result_t *res)
{
	if (!res)
		return;
	for (unsigned i = 0; i < res->nstates; i++)
		free(res->states[i]);
	free(res->states);
	free(res->witness);
	res->states = NULL;
	res->witness = NULL;
	res->nstates = 0;
}

static int unsupported(vmsa_litmus_result_t *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int unsupported(vmsa_litmus_result_t *res, const char *fmt, ...)
{
	va_list ap;

	res->outcome = VMSA_LITMUS_UNSUPPORTED;
	va_start(ap, fmt);
	vsnprintf(res->error, sizeof(res->error), fmt, ap);
	va_end(ap);
	return -ENOTSUP;
}

/*
 * A search stopped at lo->max_executions: unsupported ("did not finish"),
 * but with the observation when the executions made decide it already.
 * An execution where the proposition holds and one where it does not
 * make the observation Sometimes whatever the executions not made give:
 * the complete search's set of executions contains these two. Nothing
 * else can be decided early (Never and Always need every execution), and
 * only when nothing but the bound stopped the search (no unsupported
 * instruction, violation or runaway thread met: those make the test
 * unsupported whatever it observed). Returns -ENOTSUP as unsupported().
 */
static int cut_search(const struct lit_test *t, const vmsa_litmus_opts_t *lo,
		      struct acc *a, vmsa_litmus_result_t *res)
{
	char ran[96] = "";

	res->prop_true = a->prop_true;
	res->prop_false = a->prop_false;
	/* The cap counts the executions the reduction cut short too;
	 * `executions` (and the counts below) only those that ran to their
	 * end: say so when they differ. */
	if (a->executions < lo->max_executions)
		snprintf(ran, sizeof(ran), " (%llu of them ran to their end: "
			 "the reduction cut the others short)",
			 (unsigned long long)a->executions);
	if (!a->prop_true || !a->prop_false || a->oom || a->unsup_line ||
	    a->runaway || a->fault_overflow || a->violations || a->unchecked)
		return unsupported(res, "%s: unsupported: the search did not "
				   "finish within %llu executions%s", t->file,
				   (unsigned long long)lo->max_executions, ran);
	res->decided_sometimes = true;
	res->witness = a->witness;
	a->witness = NULL;
	return unsupported(res, "%s: unsupported: the search did not finish "
			   "within %llu executions%s, but its observation is "
			   "decided: Sometimes (the proposition holds in %llu "
			   "of %s and not in %llu)", t->file,
			   (unsigned long long)lo->max_executions, ran,
			   (unsigned long long)a->prop_true,
			   ran[0] ? "those" : "them",
			   (unsigned long long)a->prop_false);
}

static void lit_finish(const struct lit_test *t, struct acc *a,
		   vmsa_litmus_result_t *res)
{
	res->executions = a->executions;
	res->discarded = a->discarded;
	res->loop = a->cutoff;
	res->prop_true = a->prop_true;
	res->prop_false = a->prop_false;
	res->outcome = !a->prop_true ? VMSA_LITMUS_NEVER :
		       !a->prop_false ? VMSA_LITMUS_ALWAYS :
					VMSA_LITMUS_SOMETIMES;
	switch (t->quant) {
	case Q_EXISTS:
		res->positive = a->prop_true;
		res->negative = a->prop_false;
		res->ok = a->prop_true > 0;
		break;
	case Q_NOT_EXISTS:
		res->positive = a->prop_false;
		res->negative = a->prop_true;
		res->ok = a->prop_true == 0;
		break;
	case Q_FORALL:
		res->positive = a->prop_true;
		res->negative = a->prop_false;
		res->ok = a->prop_false == 0;
		break;
	}
}

/* herd7 rejects a test with an access whose size is not its location's
 * ("Illegal mixed-size test"): unsupported here, with its line, rather
 * than an answer herd7 would not give. */
static int mixed_size(const struct lit_test *t, vmsa_litmus_result_t *res)
{
	uint64_t x0[LIT_NREGS];
	int line;

	for (unsigned i = 0; i < t->nthreads; i++) {
		lit_static_regs(t, (int)i, x0);
		line = lit_mixed_size_line(t, (int)i, x0);
		if (line)
			return unsupported(res, "%s:%d: unsupported: an access "
					   "whose size is not its location's "
					   "(a W register on a 64-bit "
					   "location, an X register on an int "
					   "one, a byte or halfword access on "
					   "a wider one; herd7: \"Illegal "
					   "mixed-size test\")", t->file,
					   line);
	}
	return 0;
}

/* The stores each thread may promise (promise.c); a test with a store
 * that may need a promise the interpreter cannot offer (its value or
 * address comes from a load, or too many of them) is unsupported:
 * running it could miss executions. */
static int promise_sites(const struct lit_test *t, struct lit_rt *rt,
			 vmsa_litmus_result_t *res)
{
	uint64_t x0[LIT_NREGS];
	struct lit_site site[LIT_MAX_SCAN_SITES];
	struct lit_hu_site hu[LIT_MAX_HU_SITES];

	for (unsigned i = 0; i < t->nthreads; i++) {
		lit_static_regs(t, (int)i, x0);
		int got = lit_promise_sites(t, rt->handling, (int)i, x0, site,
					    LIT_MAX_SCAN_SITES);
		unsigned n, k = 0;

		if (got == -2)
			return unsupported(res, "%s: unsupported: P%u's fault "
					   "handler returns to an address that "
					   "comes from a load (the stores it "
					   "may promise cannot be told)",
					   t->file, i);
		if (got < 0 || got > LIT_MAX_SCAN_SITES)
			return unsupported(res, "%s: unsupported: P%u's code "
					   "has too many paths (branches, "
					   "loops, faults; or a loop that does "
					   "not end) or stores to find those "
					   "it may promise (load buffering)",
					   t->file, i);
		n = (unsigned)got;
		for (unsigned j = 0; j < n; j++) {
			/* A store nobody else reads needs no promise. */
			if (site[j].addr_known &&
			    !lit_site_observed(t, (int)i, &site[j]))
				continue;
			if (!site[j].known)
				return unsupported(res, "%s:%d: unsupported: "
						   "this store may need a "
						   "promise (load buffering) "
						   "but its address or value "
						   "comes from a load",
						   t->file, site[j].line);
			k++;
		}
		if (k > LIT_MAX_PROMISE_SITES)
			return unsupported(res, "%s: unsupported: P%u has %u "
					   "stores after unordered reads (load "
					   "buffering: at most %d promises per "
					   "thread)", t->file, i, k,
					   LIT_MAX_PROMISE_SITES);
		got = lit_hu_sites(t, rt, (int)i, x0, hu, LIT_MAX_HU_SITES);
		if (got < 0)
			return unsupported(res, "%s: unsupported: P%u writes "
					   "a page that comes from a load, "
					   "whose hardware update may need a "
					   "promise (load buffering)", t->file,
					   i);
		n = (unsigned)got;
		/* Leaving one out could miss executions. */
		if (n > LIT_MAX_HU_SITES)
			return unsupported(res, "%s: unsupported: P%u's "
					   "hardware updates of %u pages may "
					   "need promises (load buffering: at "
					   "most %d per thread)", t->file, i,
					   n, LIT_MAX_HU_SITES);
		rt->promise_sites[i] = k + n;
	}
	return 0;
}

vmsa_litmus_opts_t vmsa_litmus_defaults(void)
{
	vmsa_litmus_opts_t o = {.variant = "vmsa",
				.max_executions = VMSA_LITMUS_MAX_EXECUTIONS};

	return o;
}

/*
 * Which exceptions of each thread synchronise context (docs/litmus.md,
 * "Search size"). A thread without a Pn.F handler runs no instruction in
 * its handler (lit_fault_handler only records the fault and, by the
 * variant, ends the thread, skips the instruction or retries it). So:
 *
 *  - the entry to that handler need not be a context synchronisation
 *    event (SCTLR_EL1.EIS = 0, RBBSRF): the return, the next event of
 *    the thread, is one, and it sets everything the entry would have
 *    set: the thread's window (last_cse: the later step wins, and no
 *    walk of the thread lies between), its retiring and retired entries
 *    and its translations made with them (emptied again; what other CPUs
 *    add or remove between the two is emptied too), its views
 *    (order_isb() raises rnew, wrnew, ttd to cap and dsb and sets cse to
 *    ttd: only maxima, so isb(join(isb(v))) = isb(join(v)) for another
 *    CPU's join into them in between, order_tlbi_ob_join()), and the
 *    start of its interrupt window (no interrupts in litmus tests);
 *  - when the thread ends at the fault (fatal handling), the return need
 *    not be one either (SCTLR_EL1.EOS = 0, RBWCFK): what it sets is read
 *    only by the thread's own later walks and instructions, and there are
 *    none: its window (other CPUs' publishing DSBs read every window for
 *    the comparison the thread's walks make; pruning keeps whatever some
 *    CPU's walk can still read), its retiring and retired entries (a
 *    store's check reads held entries only; another CPU's TLBI
 *    completion removes retiring ones, which changes no outcome), its
 *    views.
 *
 * As context synchronisation events these steps race with every other
 * CPU's publishing DSB and TLBI completion (the window, the TLB), and
 * the reduction explores both orders of each such race. Every other
 * thread keeps EIS = EOS = 1, and the entry from EL2 SCTLR_EL2.EOS = 1
 * (interp.c, enter()). out: cfg with "+exs" when some bit is clear (for
 * the explorer; the result's config stays the configuration the user
 * reads). VMSA_LITMUS_NOEXS turns it off, to compare.
 */
static void exc_sync(struct lit_rt *rt, char *out, size_t n, const char *cfg)
{
	const struct lit_test *t = rt->t;
	bool off = getenv("VMSA_LITMUS_NOEXS") != NULL;

	rt->exs = false;
	for (unsigned i = 0; i < t->nthreads; i++) {
		uint64_t b = VMSA_SCTLR_EIS | VMSA_SCTLR_EOS;

		if (!off && !t->has_handler[i])
			b = rt->handling == LIT_FATAL ? 0 : VMSA_SCTLR_EOS;
		rt->sctlr_exs[i] = b;
		rt->exs |= b != (VMSA_SCTLR_EIS | VMSA_SCTLR_EOS);
	}
	snprintf(out, n, "%s%s", cfg, rt->exs ? "+exs" : "");
}

/* Everything one test's search needs: the dynamic scenario, the
 * accumulator its outcome callback fills, the explorer's options
 * (vmsa_litmus_run() and, one per test, lit_run_jobs()). Not moved once
 * made: the scenario's configuration names xcfg. */
struct lit_job {
	struct lit_rt rt;
	struct acc a;
	vmsa_explore_opts_t o;
	vmsa_litmus_opts_t lo;
	char xcfg[sizeof(((vmsa_litmus_result_t *)0)->config) + 8];
	unsigned order[LIT_MAX_OBS];
	double t0;
	/* rt.cand_memo's storage: per thread, without and with hardware
	 * update sites. */
	struct lit_cand_memo cand_memo[2 * LIT_MAX_THREADS];
};

/*
 * Check test t under options lo and make job's search ready: 1 when it
 * is (res holds the test's description so far), else what
 * vmsa_litmus_run() returns for a test that cannot run, with res filled
 * (unsupported, a bad variant, an error).
 */
static int lit_prepare(struct lit_job *job, const vmsa_litmus_t *t,
		       const vmsa_litmus_opts_t *lo, vmsa_litmus_result_t *res)
{
	const char *variant;
	struct variant var = {.handling = LIT_FATAL};
	struct lit_rt *rtp = &job->rt;
	struct acc *ap = &job->a;
	vmsa_explore_opts_t *op = &job->o;
	const char *why;
	vmsa_features_t f;
	bool relaxed;
	char err[640];

	memset(job, 0, sizeof(*job));
	job->t0 = now_seconds();
	job->lo = *lo;
	*op = vmsa_explore_defaults();
	memset(res, 0, sizeof(*res));
	res->outcome = VMSA_LITMUS_ERROR;
	variant = lo->variant;
	if (!t) {
		snprintf(res->error, sizeof(res->error), "no test");
		return -EINVAL;
	}
	res->quantifier = t->quant == Q_EXISTS ? "exists" :
			  t->quant == Q_FORALL ? "forall" : "~exists";
	res->kind = t->quant == Q_EXISTS ? "Allowed" :
		    t->quant == Q_FORALL ? "Required" : "Forbidden";
	snprintf(res->condition, sizeof(res->condition), "%s", t->cond_text);
	if (variant_tags(variant ? variant : "vmsa", &var, res->error,
			 sizeof(res->error), "--variant") ||
	    variant_tags(t->variant, &var, res->error, sizeof(res->error),
			 t->file)) {
		/* A test's own unknown variant (memtag ...) is a feature
		 * the model lacks: unsupported, not an error. */
		char why[sizeof(res->error)];

		if (strstr(res->error, "--variant"))
			return -EINVAL;
		/* Not res->error itself: vsnprintf into its own source is
		 * undefined (it printed an empty reason). */
		snprintf(why, sizeof(why), "%s", res->error);
		return unsupported(res, "%s", why);
	}
	variant_list(&var);
	snprintf(res->variant, sizeof(res->variant), "%s", var.list);
	/* Arm's ordering of data accesses (the model's `relaxed`
	 * feature): herd7's model is not sequentially consistent.
	 * lo->sc (--sc) runs on sequentially consistent memory instead,
	 * to compare. */
	relaxed = !lo->sc;
	snprintf(res->config, sizeof(res->config), "%s%s",
		 var.ets3 ? "ets3" : var.ets2 ? "ets2" : "default",
		 relaxed ? "+relaxed" : "");
	if (t->unsupported[0])
		return unsupported(res, "%s", t->unsupported);
	if (lit_memtag_check(t, var.memtag, err, sizeof(err)))
		return unsupported(res, "%s", err);
	if (!t->nthreads) {
		snprintf(res->error, sizeof(res->error), "%s: no thread",
			 t->file);
		return -EINVAL;
	}
	rtp->t = t;
	rtp->handling = var.handling;
	/* VMSA_LITMUS_NOSCANMEMO: every promise point scans the paths
	 * again, to compare. */
	rtp->cand_memo = getenv("VMSA_LITMUS_NOSCANMEMO") ? NULL
							  : job->cand_memo;
	if (t->tthm[0]) {
		if (tthm(t, rtp, res->error, sizeof(res->error)))
			return -EINVAL;
		f = vmsa_features_default();
		if (vmsa_config_parse("hafdbs", t->nthreads, &f, &why))
			return unsupported(res, "%s:1: unsupported: TTHM=%s "
					   "needs hardware Access flag and "
					   "dirty state management (feature "
					   "hafdbs, not in the model yet)",
					   t->file, t->tthm);
		snprintf(res->config, sizeof(res->config), "%s%s",
			 var.ets3 ? "ets3+hafdbs" : var.ets2 ? "ets2+hafdbs"
							     : "hafdbs",
			 relaxed ? "+relaxed" : "");
	}
	rtp->relaxed = relaxed;
	rtp->memtag = var.memtag;
	rtp->dsb_orders_hu = var.ets2 || var.ets3;
	if (mixed_size(t, res) || (relaxed && promise_sites(t, rtp, res)))
		return -ENOTSUP;
	rtp->scen.name = t->name;
	rtp->scen.doc = "litmus test";
	rtp->scen.setup = setup;
	rtp->scen.check = check;
	for (unsigned i = 0; i < t->nthreads; i++) {
		rtp->scen.cpu[i] = lit_cpu_fn;
		rtp->scen.handler[i][1] = lit_fault_handler;
	}
	exc_sync(rtp, job->xcfg, sizeof(job->xcfg), res->config);
	rtp->scen.configs[0].name = job->xcfg;
	rtp->scen.configs[0].expect = "safe";
	ap->rt = rtp;
	for (unsigned i = 0; i < t->nobs; i++)
		job->order[i] = i;
	sort_t = t;
	qsort(job->order, t->nobs, sizeof(job->order[0]), obs_cmp);
	ap->order = job->order;
	ap->want_witness = true;
	choice_stats_init(&ap->stats);
	state_memo_init(&ap->seen, state_words(t));
	/* A test hook: a search of test NAME crashes (tests of --jobs). */
	ap->crash = getenv("VMSA_LITMUS_CRASH") &&
		    !strcmp(getenv("VMSA_LITMUS_CRASH"), t->name);
	op->preemptions = VMSA_UNBOUNDED;
	/* herd7 warns about a break-before-make violation and goes on with
	 * what the manual allows: so does the model in this mode. */
	op->continue_after_bbm = true;
	/* herd7's executions never take a TLB conflict abort: by default
	 * the machine generates none (RZQNWZ); --conflict-aborts offers
	 * it, taken as a fault of the test's convention. */
	op->bbm_no_conflict_abort = !lo->conflict_aborts;
	rtp->conflict_aborts = lo->conflict_aborts;
	op->reduction = !getenv("VMSA_LITMUS_NOREDUCE");
	/* The threads enter their translation regime one after another,
	 * all before any test instruction: the orders of those entry steps
	 * are not explored. Entering first is the earliest a thread can
	 * hold entries or start a spurious-fault window, so no behaviour
	 * of a later entry is lost (docs/litmus.md, "Search size"). The
	 * entries are set-up's; VMSA_LITMUS_NOGATE makes them the threads'
	 * first steps, interleaved like any other. */
	op->serial_start = !getenv("VMSA_LITMUS_NOGATE");
	rtp->setup_entries = op->serial_start;
	/* An execution herd7 drops whatever comes next ends there; the
	 * reduction sees the other CPUs' next steps as pending
	 * (docs/litmus.md, "Executions ended when they are dropped"). */
	rtp->end_dropped = !getenv("VMSA_LITMUS_NOEND");
	op->max_executions = lo->max_executions;
	/* The interpreter keeps a thread's state on its coroutine's stack
	 * (struct lit_cpu) and in the run data (struct lit_exec), so an
	 * execution can resume from a state saved at a decision
	 * (docs/explorer.md, "Resuming from a decision"); VMSA_LITMUS_NORESUME
	 * replays every execution from set-up, to compare. */
	op->resume_every = getenv("VMSA_LITMUS_NORESUME") ? 0 :
			   LIT_RESUME_EVERY;
	if (getenv("VMSA_LITMUS_TRACE"))
		op->trace = dbg_trace;
	return 1;
}

/*
 * The result of job's search (its status rc, err its message; `made`
 * the explorer's executions, to compare with the cap) from its
 * accumulator, and the HTML page. Returns as vmsa_litmus_run().
 */
static int lit_conclude(struct lit_job *job, const vmsa_litmus_t *t, int rc,
			const char *err, const vmsa_explore_stats_t *st,
			vmsa_litmus_result_t *res)
{
	const vmsa_litmus_opts_t *lo = &job->lo;
	struct acc *ap = &job->a;
	uint64_t made = st->executions;
	char herr[640];

	res->executions = ap->executions;
	res->blocked = st->blocked;
	res->ruled = st->ruled;
	choice_stats_print(&ap->stats, stderr, t->file);
	if (rc) {
		snprintf(res->error, sizeof(res->error), "%s: the search "
			 "failed: %s", t->file, err);
		goto out;
	}
	if (lo->max_executions && made >= lo->max_executions) {
		rc = cut_search(t, lo, ap, res);
		if (res->decided_sometimes)
			goto html;
		goto out;
	}
	if (ap->oom) {
		rc = -ENOMEM;
		snprintf(res->error, sizeof(res->error), "%s: out of memory",
			 t->file);
		goto out;
	}
	if (ap->unsup_line && ap->unsup_past) {
		rc = unsupported(res, "%s:%d: unsupported: this access "
				 "reaches past its location's bytes (herd7 "
				 "has no execution with it)", t->file,
				 ap->unsup_line);
		goto out;
	}
	if (ap->unsup_line) {
		rc = unsupported(res, "%s:%d: unsupported: this instruction "
				 "cannot run here", t->file, ap->unsup_line);
		goto out;
	}
	if (ap->runaway) {
		rc = unsupported(res, "%s: unsupported: a thread ran %d "
				 "instructions (a loop that does not end; "
				 "herd7 unrolls loops a bounded number of "
				 "times)", t->file, LIT_MAX_INSNS);
		goto out;
	}
	if (ap->fault_overflow) {
		rc = unsupported(res, "%s: unsupported: more than %d faults "
				 "in a thread", t->file, LIT_MAX_FAULTS);
		goto out;
	}
	if (ap->violations) {
		if (ap->vkind == VMSA_V_BBM)
			rc = unsupported(res, "%s: unsupported: a bbm violation "
					 "stops the model (needs "
					 "continue-after-BBM): %s", t->file,
					 ap->vmsg);
		else
			rc = unsupported(res, "%s: unsupported: the model stops "
					 "on a %s violation: %s", t->file,
					 vmsa_violation_kind_name(ap->vkind),
					 ap->vmsg);
		goto out;
	}
	if (ap->unchecked) {
		rc = -EPROTO;
		snprintf(res->error, sizeof(res->error), "%s: %llu executions "
			 "ended without their final state", t->file,
			 (unsigned long long)ap->unchecked);
		goto out;
	}
	lit_finish(t, ap, res);
	res->states = calloc(ap->st.n ? ap->st.n : 1, sizeof(char *));
	if (!res->states) {
		rc = -ENOMEM;
		goto out;
	}
	for (unsigned i = 0; i < ap->st.cap; i++)
		if (ap->st.s[i]) {
			res->states[res->nstates++] = ap->st.s[i];
			ap->st.s[i] = NULL;
		}
	qsort(res->states, res->nstates, sizeof(char *), str_cmp);
	if (ap->witness) {
		res->witness = ap->witness;
		ap->witness = NULL;
	}
html:
	if (lo->html_file && (res->witness || ap->first)) {
		char *rerun = rerun_cmd(t, lo, res->variant);

		if (write_html(&job->rt.scen, job->xcfg, res->config, rerun,
			       &job->o, res->witness ? res->witness : ap->first,
			       lo->html_file, herr, sizeof(herr))) {
			rc = -EIO;
			snprintf(res->error, sizeof(res->error),
				 "%s: the HTML page: %s", t->file, herr);
		}
		free(rerun);
	}
out:
	if (rc && res->outcome != VMSA_LITMUS_UNSUPPORTED)
		res->outcome = VMSA_LITMUS_ERROR;
	return rc;
}

/* What the accumulator holds, freed. */
static void acc_free(struct acc *ap)
{
	state_memo_free(&ap->seen);
	choice_stats_free(&ap->stats);
	free(ap->witness);
	free(ap->first);
	for (unsigned i = 0; i < ap->st.cap; i++)
		free(ap->st.s[i]);
	free(ap->st.s);
	memset(&ap->st, 0, sizeof(ap->st));
	ap->witness = ap->first = NULL;
}

/* ---------------------------------------------------------------------
 * One test's search in the workers of a parallel run (jobs.h)
 * ------------------------------------------------------------------- */

/* A byte buffer that save() builds. */
struct bytes {
	char *p;
	size_t n, cap;
	bool oom;
};

static void put(struct bytes *b, const void *p, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 1024;
		char *q;

		while (cap < b->n + n)
			cap *= 2;
		if (!(q = realloc(b->p, cap))) {
			b->oom = true;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

/* A string: its length (UINT32_MAX: NULL), then its bytes. */
static void put_str(struct bytes *b, const char *s)
{
	uint32_t len = s ? (uint32_t)strlen(s) : UINT32_MAX;

	put(b, &len, sizeof(len));
	if (s)
		put(b, s, len);
}

/* The bytes of save(), read back (isolate.h's inbox); a read past the
 * end sets `bad`. */
struct reader {
	struct inbox in;
	bool bad;
};

static void get(struct reader *r, void *p, size_t n)
{
	if (r->bad || !iso_take(&r->in, p, n)) {
		r->bad = true;
		memset(p, 0, n);
	}
}

/* A malloc'd copy of the next string (NULL: it was NULL, or bad). */
static char *get_str(struct reader *r)
{
	uint32_t len;
	char *s;

	get(r, &len, sizeof(len));
	if (r->bad || len == UINT32_MAX)
		return NULL;
	if (r->in.n - r->in.at < len || !(s = malloc((size_t)len + 1))) {
		r->bad = true;
		return NULL;
	}
	get(r, s, len);
	s[len] = 0;
	return s;
}

/* The counts and flags of an accumulator, in save()'s order. */
#define ACC_COUNTS(a) {&(a)->executions, &(a)->prop_true, &(a)->prop_false, \
		       &(a)->discarded, &(a)->violations, &(a)->unchecked}

/* The rows of a worker's VMSA_LITMUS_STATS counts (none when off). */
static void stats_save(struct bytes *b, const struct choice_stats *cs)
{
	uint32_t n = cs->on ? cs->n : 0;

	put(b, &n, sizeof(n));
	put(b, &cs->dropped, sizeof(cs->dropped));
	for (unsigned k = 0; k < n; k++) {
		put_str(b, cs->what[k]);
		put(b, &cs->made[k], sizeof(cs->made[k]));
		put(b, &cs->other[k], sizeof(cs->other[k]));
	}
}

/* stats_save()'s rows added to the coordinator's counts, so that
 * VMSA_LITMUS_STATS prints under --jobs what it prints in one process. */
static void stats_merge(struct reader *r, struct choice_stats *cs)
{
	uint32_t n = 0;
	uint64_t dropped = 0;

	get(r, &n, sizeof(n));
	get(r, &dropped, sizeof(dropped));
	cs->dropped += cs->on ? dropped : 0;
	for (uint32_t k = 0; k < n && !r->bad; k++) {
		char *what = get_str(r);
		uint64_t made = 0, other = 0;

		get(r, &made, sizeof(made));
		get(r, &other, sizeof(other));
		if (!what)
			r->bad = true;
		else
			choice_stats_merge(cs, what, made, other);
	}
}

/* par_outcomes.save, in a worker: everything its unit's outcome()
 * calls gathered (the final states as their lines). */
static int acc_save(void *ctx, char **p, size_t *n)
{
	struct acc *a = ctx;
	struct bytes b = {0};
	uint64_t *c[] = ACC_COUNTS(a);
	int32_t v[3] = {(int32_t)a->vkind, a->unsup_line, a->unsup_past};
	uint8_t f[4] = {a->fault_overflow, a->oom, a->runaway, a->cutoff};

	for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		put(&b, c[i], sizeof(*c[i]));
	put(&b, v, sizeof(v));
	put(&b, f, sizeof(f));
	put_str(&b, a->vmsg);
	put_str(&b, a->witness);
	put_str(&b, a->first);
	put(&b, &a->st.n, sizeof(a->st.n));
	for (unsigned i = 0; i < a->st.cap; i++)
		if (a->st.s[i])
			put_str(&b, a->st.s[i]);
	stats_save(&b, &a->stats);
	if (b.oom) {
		free(b.p);
		return -ENOMEM;
	}
	*p = b.p;
	*n = b.n;
	return 0;
}

/* A string of a unit, into *to when *to is NULL (the first unit in
 * depth-first order that has one wins, as in the serial search). */
static void merge_first(char **to, char *s)
{
	if (!*to)
		*to = s;
	else
		free(s);
}

/* par_outcomes.merge, in the coordinator: one unit's accumulator (the
 * bytes of acc_save()) added to the test's, units in depth-first
 * order. Counts add up, flags or, the states are the union; the first
 * violation, unsupported line, witness and first execution are those of
 * the earliest unit that has one. */
static int acc_merge(void *ctx, const char *p, size_t n)
{
	struct acc *a = ctx, u;
	/* The inbox only reads through its pointer. */
	struct reader r = {{(char *)p, n, n, 0}, false};
	uint64_t *c[] = ACC_COUNTS(a), *cu[] = ACC_COUNTS(&u);
	int32_t v[3];
	uint8_t f[4];
	unsigned ns;
	char *vmsg;

	memset(&u, 0, sizeof(u));
	if (!p)
		return -EPROTO;
	for (unsigned i = 0; i < sizeof(cu) / sizeof(cu[0]); i++)
		get(&r, cu[i], sizeof(*cu[i]));
	get(&r, v, sizeof(v));
	get(&r, f, sizeof(f));
	vmsg = get_str(&r);
	if (u.violations && !a->violations) {
		a->vkind = (vmsa_violation_kind_t)v[0];
		snprintf(a->vmsg, sizeof(a->vmsg), "%s", vmsg ? vmsg : "");
	}
	free(vmsg);
	for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		*c[i] += *cu[i];
	if (!a->unsup_line) {
		a->unsup_line = v[1];
		a->unsup_past = v[2] != 0;
	}
	a->fault_overflow |= f[0];
	a->oom |= f[1];
	a->runaway |= f[2];
	a->cutoff |= f[3];
	merge_first(&a->witness, get_str(&r));
	merge_first(&a->first, get_str(&r));
	get(&r, &ns, sizeof(ns));
	for (unsigned i = 0; i < ns && !r.bad; i++) {
		char *line = get_str(&r);

		if (line && states_add(&a->st, line))
			r.bad = true;
		free(line);
	}
	stats_merge(&r, &a->stats);
	return r.bad ? -EPROTO : 0;
}

int lit_job_prepare(struct lit_job **jobp, const vmsa_litmus_t *t,
		    const vmsa_litmus_opts_t *lo, vmsa_litmus_result_t *res)
{
	struct lit_job *job = malloc(sizeof(*job));
	int rc;

	*jobp = NULL;
	if (!job) {
		memset(res, 0, sizeof(*res));
		res->outcome = VMSA_LITMUS_ERROR;
		snprintf(res->error, sizeof(res->error), "out of memory");
		return -ENOMEM;
	}
	rc = lit_prepare(job, t, lo, res);
	if (rc == 1)
		*jobp = job;
	else
		free(job);
	return rc;
}

void lit_job_search(struct lit_job *job, bool split, struct par_config *pc,
		    struct par_outcomes *out)
{
	out->whole = !split;
	out->fn = outcome;
	out->save = acc_save;
	out->merge = acc_merge;
	out->ctx = &job->a;
	pc->s = &job->rt.scen;
	pc->config = job->xcfg;
	pc->out = out;
}

const vmsa_explore_opts_t *lit_job_opts(const struct lit_job *job)
{
	return &job->o;
}

int lit_job_conclude(struct lit_job *job, const vmsa_litmus_t *t, int rc,
		     const char *err, const vmsa_explore_stats_t *st,
		     vmsa_litmus_result_t *res)
{
	res->seconds = st->seconds;
	return lit_conclude(job, t, rc, err, st, res);
}

void lit_job_free(struct lit_job *job)
{
	if (!job)
		return;
	acc_free(&job->a);
	free(job);
}

int vmsa_litmus_run(const vmsa_litmus_t *t, const vmsa_litmus_opts_t *lo,
		    vmsa_litmus_result_t *res)
{
	vmsa_litmus_opts_t dflt = vmsa_litmus_defaults();
	struct lit_job *job;
	vmsa_explore_stats_t st;
	char err[640];
	int rc = lit_job_prepare(&job, t, lo ? lo : &dflt, res);

	if (rc != 1)
		return rc;
	memset(&st, 0, sizeof(st));
	rc = explore_outcomes(&job->rt.scen, job->xcfg, &job->o, outcome,
			      &job->a, &st, err, sizeof(err));
	res->seconds = now_seconds() - job->t0;
	rc = lit_conclude(job, t, rc, err, &st, res);
	lit_job_free(job);
	return rc;
}
