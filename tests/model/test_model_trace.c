/*
 * tests/model/test_model_trace.c - the model's trace (vmsa_set_trace()):
 * every step is recorded, in order, with its CPU and operation, and two
 * runs of the same code with the same choices give the same trace, text
 * for text (DESIGN: "a trace that replays deterministically").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#define VA 0x1000ull
#define MAX_EVENTS 256

struct event {
	uint64_t step;
	int cpu;
	char op[24];
	char text[600];
};

struct rec {
	unsigned n;
	bool overflow;
	struct event e[MAX_EVENTS];
};

static void record(void *ctx, const vmsa_trace_event_t *e)
{
	struct rec *r = ctx;
	struct event *d;

	if (r->n == MAX_EVENTS) {
		r->overflow = true;
		return;
	}
	d = &r->e[r->n++];
	d->step = e->step;
	d->cpu = e->cpu;
	snprintf(d->op, sizeof(d->op), "%s", e->op ? e->op : "(null)");
	snprintf(d->text, sizeof(d->text), "%s", e->text ? e->text : "(null)");
}

/* A chooser that plays a script, then option 0. */
struct script {
	const unsigned *pick;
	unsigned n, next;
};

static unsigned play(void *ctx, unsigned n, const char *what)
{
	struct script *s = ctx;
	unsigned i = s->next < s->n ? s->pick[s->next] : 0;

	(void)what;
	s->next++;
	return i < n ? i : 0;
}

/* EL1 handler: return at once (the UNDEFINED instruction is skipped). */
static void skip(vmsa_machine_t *m, vmsa_cpu_t cpu,
		 const struct vmsa_exception *e, void *arg)
{
	(void)m;
	(void)cpu;
	(void)e;
	(void)arg;
}

/*
 * Two CPUs at EL1 on the fixture's tables. CPU1 uses VA; CPU0 breaks the
 * entry (invalid, DSB, TLBI, DSB) while CPU1 reads again between the
 * TLBI and its completion (a TLB hit or a walk: a choice), makes it
 * valid on page[1], writes data, takes an UNDEFINED MRS to its EL1
 * handler, and finally overwrites the valid entry with another output
 * address: a break-before-make violation that ends the execution
 * (with the script {1}; another script may stop it earlier). Returns the
 * number of steps taken; *kind gets the violation's kind.
 */
static uint64_t run(struct rec *r, const unsigned *pick, unsigned n_pick,
		    struct script *played, vmsa_violation_kind_t *kind)
{
	struct script s = {pick, n_pick, 0};
	vmsa_chooser_t ch = {play, &s};
	struct fx f;
	uint64_t steps, v;

	f.m = fx_machine(2, 0, true);
	vmsa_set_trace(f.m, record, r);
	vmsa_set_chooser(f.m, &ch);
	vmsa_set_handler(f.m, 0, 1, skip, NULL);
	fx_tables(&f);
	fx_enter_el1(&f, 0);
	fx_enter_el1(&f, 1);
	fx_read(&f, 1, VA);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(&f, 0, "vae1is", VA);
	vmsa_read(f.m, 1, VA, 8, &v);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[1]));
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_isb(f.m, 0);
	vmsa_write(f.m, 0, VA + 8, 8, 0x77);
	fx_read(&f, 1, VA + 8);
	vmsa_mrs(f.m, 0, VMSA_REG_HCR_EL2);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA), fx_page_desc(f.page[2]));
	*kind = vmsa_violation(f.m) ? vmsa_violation(f.m)->kind : VMSA_V_NONE;
	steps = vmsa_steps(f.m);
	if (played)
		*played = s;
	fx_done(&f);
	return steps;
}

static unsigned count_op(const struct rec *r, const char *op)
{
	unsigned n = 0;

	for (unsigned i = 0; i < r->n; i++)
		n += strcmp(r->e[i].op, op) == 0;
	return n;
}

static const struct event *find_op(const struct rec *r, const char *op,
				   const char *text_part)
{
	for (unsigned i = 0; i < r->n; i++)
		if (strcmp(r->e[i].op, op) == 0 &&
		    (!text_part || strstr(r->e[i].text, text_part)))
			return &r->e[i];
	return NULL;
}

/*
 * Every step is in the trace: the events' steps never go back, and the
 * steps that appear are exactly 1 .. vmsa_steps(). Each event names the
 * CPU that took the step, choices included (they belong to the step of
 * the operation that asked).
 */
TEST(model_trace_every_step)
{
	static const unsigned pick[] = {1};
	struct rec *r = calloc(1, sizeof(*r));
	vmsa_violation_kind_t kind;
	uint64_t steps, expect = 1;

	CHECK(r != NULL);
	if (!r)
		return;
	steps = run(r, pick, 1, NULL, &kind);
	CHECK_EQ(kind, VMSA_V_BBM);
	CHECK(!r->overflow);
	CHECK(r->n > 0);
	CHECK(steps > 20);
	for (unsigned i = 0; i < r->n; i++) {
		const struct event *e = &r->e[i];

		if (i > 0)
			CHECK(e->step >= r->e[i - 1].step);
		if (e->step == expect)
			expect++;
		else if (e->step != expect - 1)
			vt_fail(__FILE__, __LINE__, "event %u (%s \"%s\") at "
				"step %llu, expected %llu or %llu", i, e->op,
				e->text, (unsigned long long)e->step,
				(unsigned long long)expect - 1,
				(unsigned long long)expect);
		CHECK(e->cpu == 0 || e->cpu == 1);
		if (i > 0 && e->step == r->e[i - 1].step)
			CHECK_EQ(e->cpu, r->e[i - 1].cpu);
	}
	CHECK_EQ(expect - 1, steps);
	free(r);
}

/* The operations appear under their names, with their operands. */
TEST(model_trace_op_names)
{
	static const unsigned pick[] = {1};
	struct rec *r = calloc(1, sizeof(*r));
	vmsa_violation_kind_t kind;
	const struct event *e;

	CHECK(r != NULL);
	if (!r)
		return;
	run(r, pick, 1, NULL, &kind);
	CHECK_EQ(kind, VMSA_V_BBM);
	CHECK_EQ(count_op(r, "msr"), 8);
	CHECK_EQ(count_op(r, "mrs"), 1);
	CHECK_EQ(count_op(r, "eret"), 3);
	CHECK_EQ(count_op(r, "exception"), 1);
	CHECK_EQ(count_op(r, "write-desc"), 3);
	CHECK_EQ(count_op(r, "dsb"), 3);
	CHECK_EQ(count_op(r, "isb"), 1);
	CHECK_EQ(count_op(r, "tlbi"), 1);
	CHECK_EQ(count_op(r, "violation"), 1);
	CHECK(count_op(r, "choice") >= 1);
	CHECK(count_op(r, "read") >= 3);
	CHECK(count_op(r, "write") >= 1);

	e = find_op(r, "tlbi", NULL);
	CHECK(e && strncmp(e->text, "vae1is, 0x", 10) == 0);
	e = find_op(r, "dsb", NULL);
	CHECK(e && strcmp(e->text, "ish") == 0);
	e = find_op(r, "msr", NULL);
	CHECK(e && strcmp(e->text, "MAIR_EL1, 0xff") == 0);
	e = find_op(r, "isb", NULL);
	CHECK(e && strcmp(e->text, "") == 0);
	/* The details never repeat the operation ("msr msr ..."). */
	for (unsigned i = 0; i < r->n; i++) {
		size_t k = strlen(r->e[i].op);

		if (!strncmp(r->e[i].text, r->e[i].op, k) &&
		    (r->e[i].text[k] == ' ' || r->e[i].text[k] == 0))
			vt_fail(__FILE__, __LINE__, "event %u: \"%s\" \"%s\"",
				i, r->e[i].op, r->e[i].text);
	}
	e = find_op(r, "choice", NULL);
	CHECK(e && strcmp(e->text, "stage-1 TLB entry: option 1 of 2") == 0);
	CHECK(e && e->cpu == 1);
	/* The write's value is in the trace. */
	e = find_op(r, "write", "0x77");
	CHECK(e != NULL);
	/* The read of the stale TLB entry returned page[0]'s data. */
	e = find_op(r, "read", "= 0xa0");
	CHECK(e != NULL);
	/* The last event is the violation, at the last step. */
	e = &r->e[r->n - 1];
	CHECK_STR(e->op, "violation");
	CHECK_EQ(e->cpu, 0);
	CHECK(strstr(e->text, "break-before-make is required") != NULL);
	free(r);
}

/* Two runs with the same script: the same trace, event for event. A
 * different script gives a different trace (the choice is recorded). */
TEST(model_trace_deterministic)
{
	static const unsigned pick[] = {1, 0, 1};
	static const unsigned other[] = {0};
	struct rec *a = calloc(1, sizeof(*a)), *b = calloc(1, sizeof(*b));
	struct rec *c = calloc(1, sizeof(*c));
	struct script sa, sb;
	vmsa_violation_kind_t ka, kb, kc;
	uint64_t na, nb;
	bool differ = false;

	CHECK(a && b && c);
	if (!a || !b || !c)
		goto out;
	na = run(a, pick, 3, &sa, &ka);
	nb = run(b, pick, 3, &sb, &kb);
	CHECK_EQ(ka, VMSA_V_BBM);
	CHECK_EQ(kb, VMSA_V_BBM);
	CHECK_EQ(na, nb);
	CHECK_EQ(sa.next, sb.next);
	CHECK(sa.next >= 1);
	CHECK_EQ(a->n, b->n);
	for (unsigned i = 0; i < a->n && i < b->n; i++) {
		CHECK_EQ(a->e[i].step, b->e[i].step);
		CHECK_EQ(a->e[i].cpu, b->e[i].cpu);
		CHECK_STR(a->e[i].op, b->e[i].op);
		CHECK_STR(a->e[i].text, b->e[i].text);
	}
	/* Walking instead of the held entry: CPU1's read faults, and CPU1
	 * has no handler. */
	run(c, other, 1, NULL, &kc);
	CHECK_EQ(kc, VMSA_V_UNHANDLED_ABORT);
	for (unsigned i = 0; i < a->n && i < c->n; i++)
		if (strcmp(a->e[i].text, c->e[i].text) != 0)
			differ = true;
	CHECK(differ || a->n != c->n);
out:
	free(a);
	free(b);
	free(c);
}

/* Tracing off (NULL): nothing is recorded and the run is the same. */
TEST(model_trace_off)
{
	struct rec *r = calloc(1, sizeof(*r));
	struct fx f;

	CHECK(r != NULL);
	if (!r)
		return;
	fx_setup(&f, 2, 0);
	vmsa_set_trace(f.m, record, r);
	vmsa_isb(f.m, 0);
	vmsa_set_trace(f.m, NULL, NULL);
	vmsa_isb(f.m, 1);
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	CHECK_EQ(r->n, 1);
	CHECK_STR(r->e[0].op, "isb");
	CHECK_EQ(r->e[0].cpu, 0);
	fx_done(&f);
	free(r);
}
