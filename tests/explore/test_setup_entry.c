/*
 * CPUs that enter their translation regime in set-up instead of in
 * their own code (docs/explorer.md, "CPUs already running: enter in
 * set-up"), on bench/scaling's own scenarios (bench/scaling_scen.h):
 * `readers` at R = 1 (a writer remaps the kernel page with the full
 * break-before-make sequence while a reader reads it twice) and
 * `s2remap` at N = 1 (a hypervisor remaps a guest's page at stage 2
 * while the guest reads it twice). Entered in set-up, the reader's
 * window for early walks opens before the writer's first step, so its
 * walks may read every value they could read after a later entry: the
 * search is far smaller (its ERET no longer races with the writer's
 * stores) and the reader sees exactly the same behaviours. Exact counts
 * and the set of the reader's behaviours both ways.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "vmsa/explore.h"
#include "vmsa/guest.h"
#include "vmsa/model.h"
#include "vmsa/scenario.h"

#include "../../bench/scaling_scen.h"

/* The reader's (CPU1's) behaviours: per execution, its accesses,
 * values, faults and exceptions in order (not its MSRs, its entry or
 * its choices). */
#define MAX_BEHAVIOURS 16
struct behaviours {
	char cur[1024];
	size_t len;
	bool started;
	char seen[MAX_BEHAVIOURS][1024];
	unsigned n;
	unsigned overflow;
};

static void end_execution(struct behaviours *b)
{
	if (!b->started)
		return;
	for (unsigned i = 0; i < b->n; i++)
		if (strcmp(b->seen[i], b->cur) == 0)
			goto reset;
	if (b->n == MAX_BEHAVIOURS)
		b->overflow++;
	else
		memcpy(b->seen[b->n++], b->cur, sizeof(b->cur));
reset:
	b->cur[0] = '\0';
	b->len = 0;
}

static void on_machine(void *ctx, const vmsa_machine_t *m)
{
	struct behaviours *b = ctx;

	(void)m;
	end_execution(b);
	b->started = true;
}

static void on_step(void *ctx, const vmsa_trace_event_t *e)
{
	struct behaviours *b = ctx;
	int n;

	if (e->cpu != 1 || strcmp(e->op, "msr") == 0 ||
	    strcmp(e->op, "choice") == 0 ||
	    (strcmp(e->op, "eret") == 0 && e->text &&
	     strstr(e->text, "EL2")))
		return;
	n = snprintf(b->cur + b->len, sizeof(b->cur) - b->len, "%s %s;",
		     e->op, e->text ? e->text : "");
	if (n > 0 && (size_t)n < sizeof(b->cur) - b->len)
		b->len += (size_t)n;
}

static bool same_sets(const struct behaviours *a, const struct behaviours *b)
{
	if (a->n != b->n)
		return false;
	for (unsigned i = 0; i < a->n; i++) {
		bool found = false;

		for (unsigned j = 0; j < b->n && !found; j++)
			found = strcmp(a->seen[i], b->seen[j]) == 0;
		if (!found)
			return false;
	}
	return true;
}

/* Search s at point 1 of its axis, unbounded; the executions, and the
 * reader's behaviours when b. */
static uint64_t search(const vmsa_scenario_t *s, bool setup_entry,
		       bool reduction, struct behaviours *b)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;
	uint64_t n;

	param = 1;
	if (s == &readers)
		readers_prepare();
	entered_at_setup = setup_entry;
	o.preemptions = VMSA_UNBOUNDED;
	o.reduction = reduction;
	if (b) {
		memset(b, 0, sizeof(*b));
		o.trace = on_step;
		o.trace_machine = on_machine;
		o.trace_ctx = b;
	}
	CHECK_EQ(vmsa_explore(s, "bbm0", &o, &res), 0);
	CHECK_STR(res.verdict, "safe");
	CHECK(res.complete);
	n = res.stats.executions;
	vmsa_explore_result_free(&res);
	if (b)
		end_execution(b);
	return n;
}

TEST(explore_setup_entry_counts)
{
	/* bench/scaling's `readers` and `readers-entering` at R = 1. */
	CHECK_EQ(search(&readers, true, true, NULL), 28);
	CHECK_EQ(search(&readers, true, false, NULL), 955);
	CHECK_EQ(search(&readers, false, true, NULL), 261);
}

TEST(explore_setup_entry_same_behaviours)
{
	static struct behaviours entered, entering, plain;

	CHECK_EQ(search(&readers, true, true, &entered), 28);
	CHECK_EQ(search(&readers, false, true, &entering), 261);
	CHECK_EQ(search(&readers, true, false, &plain), 955);
	CHECK_EQ(entered.overflow, 0);
	/* Old page twice; new twice; old then new; old, a fault (the
	 * handler waits for the remap), new; a fault, then new twice; new,
	 * a fault, new. */
	CHECK_EQ(entered.n, 6);
	CHECK(same_sets(&entered, &entering));
	CHECK(same_sets(&entered, &plain));
}

TEST(explore_setup_entry_guest)
{
	static struct behaviours entered, entering;

	/* bench/scaling's `s2remap` at N = 1 (247), entered in set-up. */
	CHECK_EQ(search(&s2remap, true, true, &entered), 49);
	CHECK_EQ(search(&s2remap, false, true, &entering), 247);
	CHECK_EQ(entered.overflow, 0);
	CHECK_EQ(entered.n, 6);
	CHECK(same_sets(&entered, &entering));
}
