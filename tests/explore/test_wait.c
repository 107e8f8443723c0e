/*
 * Waits (vmsa_wait_eq/ne, vmsa_lock; docs/explorer.md, "Waits"): a wait
 * whose condition is false is not runnable, so a check that would fail
 * is no step: exact steps and traces of small two-CPU scenarios. And
 * every search (plain, reduced, bounded or not, random, split over
 * workers) and `vmsa replay` run the same executions: the replay of
 * the decisions of a violation found by each of them gives the same
 * trace, step for step.
 *
 * The scenarios are not registered (no VMSA_SCENARIO): they run through
 * vmsa_explore() directly and stay out of the bundled list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "explore/explore_int.h"
#include "vmsa/explore.h"

struct wait_data {
	vmsa_pa_t x, y;
};

static struct wait_data *wd(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

static void wait_setup(vmsa_run_t *r)
{
	struct wait_data *d = wd(r);

	d->x = vmsa_page_alloc(vmsa_run_machine(r), VMSA_SETUP, 1, 1);
	d->y = d->x + 64;
}

/* CPU0 waits for x == 1, which CPU1 writes. */
static void waiter(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_wait_eq(r, cpu, wd(r)->x, ~0ull, 1);
}

static void writer(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_phys_write(vmsa_run_machine(r), cpu, wd(r)->x, 8, 1, true);
}

static const vmsa_scenario_t wait_one = {
	.name = "test/wait-one", .setup = wait_setup, .cpu = {waiter, writer},
};

/* The trace: the model's events, "step cpu op text" each, joined by
 * "; ", executions separated by " | " (every execution's, or with
 * `last` the latest one's). */
struct tbuf {
	char text[8192];
	size_t n;
	bool last;
	unsigned reads, writes;	/* over every execution */
	bool all_ones;		/* every read-pa returned 1 */
};

static void tb_add(struct tbuf *t, const char *s)
{
	int k = snprintf(t->text + t->n, sizeof(t->text) - t->n, "%s", s);

	if (k > 0)
		t->n += (size_t)k < sizeof(t->text) - t->n ?
			(size_t)k : sizeof(t->text) - t->n - 1;
}

static void tb_event(void *ctx, const vmsa_trace_event_t *e)
{
	struct tbuf *t = ctx;
	char line[300];

	if (!strcmp(e->op, "read-pa")) {
		t->reads++;
		if (!strstr(e->text, "= 0x1"))
			t->all_ones = false;
	}
	if (!strcmp(e->op, "write-pa"))
		t->writes++;
	snprintf(line, sizeof(line), "%s%llu %d %s %s",
		 t->n && t->text[t->n - 1] != ' ' ? "; " : "",
		 (unsigned long long)e->step, e->cpu, e->op,
		 e->text ? e->text : "");
	tb_add(t, line);
}

/* A new execution starts. */
static void tb_machine(void *ctx, const vmsa_machine_t *m)
{
	struct tbuf *t = ctx;

	(void)m;
	if (t->last) {
		t->n = 0;
		t->text[0] = 0;
	} else if (t->n) {
		tb_add(t, " | ");
	}
}

static void tb_init(struct tbuf *t, vmsa_explore_opts_t *o, bool last)
{
	memset(t, 0, sizeof(*t));
	t->last = last;
	t->all_ones = true;
	o->trace = tb_event;
	o->trace_machine = tb_machine;
	o->trace_ctx = t;
}

/*
 * CPU0 waits for x == 1, CPU1 writes it. At bound 0 the plain search
 * runs two executions: CPU0 first (its wait is not runnable, CPU1 writes,
 * CPU0 reads 1) and CPU1 first (it writes, then CPU0 reads 1). Each is
 * two steps, one write and one read that returns 1: the check CPU0 would
 * have made before the write, which would fail, is no step (it used to
 * be: 5 steps, a read of 0 in the first execution). Unbounded the same
 * two (no step can be preempted that changes anything: 3 executions,
 * the third CPU1 first then preempted for CPU0, whose wait then holds).
 */
TEST(wait_failed_check_is_not_a_step)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;
	struct tbuf t;

	tb_init(&t, &o, false);
	o.preemptions = 0;
	CHECK_EQ(vmsa_explore(&wait_one, "default", &o, &res), 0);
	CHECK_STR(res.verdict, "safe");
	CHECK(res.complete);
	CHECK_EQ(res.stats.executions, 2);
	CHECK_EQ(res.stats.steps, 4);
	CHECK_EQ(t.reads, 2);
	CHECK_EQ(t.writes, 2);
	CHECK(t.all_ones);
	/* CPU0 first: its wait is not runnable, CPU1 writes, CPU0 reads;
	 * then CPU1 first. */
	CHECK_STR(t.text, "1 1 write-pa [0x40000000]/8 := 0x1; "
		  "2 0 read-pa [0x40000000]/8 = 0x1 | "
		  "1 1 write-pa [0x40000000]/8 := 0x1; "
		  "2 0 read-pa [0x40000000]/8 = 0x1");
	vmsa_explore_result_free(&res);

	tb_init(&t, &o, false);
	o.preemptions = VMSA_UNBOUNDED;
	CHECK_EQ(vmsa_explore(&wait_one, "default", &o, &res), 0);
	CHECK_STR(res.verdict, "safe");
	CHECK_EQ(res.stats.executions, 3);
	CHECK_EQ(res.stats.steps, 6);
	CHECK_EQ(t.reads, 3);
	CHECK(t.all_ones);
	vmsa_explore_result_free(&res);

	/* The reduction: the write and the read are dependent, and the
	 * read cannot come first: one execution. */
	tb_init(&t, &o, false);
	o.reduction = true;
	CHECK_EQ(vmsa_explore(&wait_one, "default", &o, &res), 0);
	CHECK_STR(res.verdict, "safe");
	CHECK_EQ(res.stats.executions, 1);
	CHECK_EQ(res.stats.steps, 2);
	CHECK_EQ(t.reads, 1);
	CHECK(t.all_ones);
	vmsa_explore_result_free(&res);
}

/*
 * A window a wait may miss: CPU0 writes x = 1, then x = 0, then waits
 * for y == 1; CPU1 waits for x == 1 (masked: its low bit; a wait_ne of 0
 * in the second scenario), then writes y = 1 and asserts. When CPU1
 * looks between CPU0's two writes, it asserts ("saw the window"); when
 * it looks only after, both CPUs wait for ever: a deadlock. Both are
 * reachable, and only through CPU1's check racing with x = 0.
 */
static void window_writer(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	vmsa_phys_write(m, cpu, wd(r)->x, 8, 3, true);
	vmsa_phys_write(m, cpu, wd(r)->x, 8, 0, true);
	vmsa_wait_eq(r, cpu, wd(r)->y, ~0ull, 1);
}

static void window_eq(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	uint64_t v = vmsa_wait_eq(r, cpu, wd(r)->x, 1, 1);

	vmsa_phys_write(vmsa_run_machine(r), cpu, wd(r)->y, 8, 1, true);
	vmsa_assert(r, cpu, v != 3, "saw the window");
}

static void window_ne(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	uint64_t v = vmsa_wait_ne(r, cpu, wd(r)->x, ~0ull, 0);

	vmsa_phys_write(vmsa_run_machine(r), cpu, wd(r)->y, 8, 1, true);
	vmsa_assert(r, cpu, v != 3, "saw the window");
}

/* The same with a lock: CPU1 takes it, CPU0's lock waits for it. */
static void lock_holder(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_lock(r, cpu, wd(r)->y);
	vmsa_phys_write(vmsa_run_machine(r), cpu, wd(r)->x, 8, 3, true);
	vmsa_unlock(r, cpu, wd(r)->y);
}

static void lock_taker(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_lock(r, cpu, wd(r)->y);
	vmsa_assert(r, cpu, vmsa_phys_read(vmsa_run_machine(r), cpu, wd(r)->x,
					   8, true) != 3, "after the holder");
	vmsa_unlock(r, cpu, wd(r)->y);
}

static const vmsa_scenario_t window_eq_s = {
	.name = "test/wait-window-eq", .setup = wait_setup,
	.cpu = {window_writer, window_eq},
};

static const vmsa_scenario_t window_ne_s = {
	.name = "test/wait-window-ne", .setup = wait_setup,
	.cpu = {window_writer, window_ne},
};

static const vmsa_scenario_t lock_s = {
	.name = "test/wait-lock", .setup = wait_setup,
	.cpu = {lock_holder, lock_taker},
};

/* The violation a search found (verdict; NULL: any), replayed: the
 * same violation, at the same step, with the same trace as the execution
 * that found it (the search's last). */
static void replay_same(const vmsa_scenario_t *s, const char *config,
			vmsa_explore_opts_t o, const char *verdict,
			const char *what)
{
	vmsa_explore_result_t res, again;
	static struct tbuf run, rep;

	tb_init(&run, &o, true);
	CHECK_EQ(vmsa_explore(s, config, &o, &res), 0);
	CHECK_MSG(verdict ? !strcmp(res.verdict, verdict) : res.violated,
		  "%s %s: %s, expected %s", s->name, what, res.verdict,
		  verdict ? verdict : "a violation");
	if (!res.violated || !res.decisions) {
		vmsa_explore_result_free(&res);
		return;
	}
	tb_init(&rep, &o, true);
	o.reduction = false;
	CHECK_EQ(vmsa_replay(s, config, res.decisions, &o, &again), 0);
	CHECK_STR(again.error, "");
	CHECK_STR(again.verdict, res.verdict);
	CHECK_EQ(again.violation.step, res.violation.step);
	CHECK_EQ(again.violation.cpu, res.violation.cpu);
	CHECK_STR(again.violation.message, res.violation.message);
	CHECK_MSG(!strcmp(rep.text, run.text), "%s %s: the replay's trace\n"
		  "  %s\nis not the run's\n  %s", s->name, what, rep.text,
		  run.text);
	vmsa_explore_result_free(&again);
	vmsa_explore_result_free(&res);
}

/* Every search finds a violation each scenario has, and replays it. */
static void replay_every_search(const vmsa_scenario_t *s, const char *config,
				const char *verdict)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();

	o.preemptions = 2;
	replay_same(s, config, o, verdict, "plain, bound 2");
	o.reduction = true;
	replay_same(s, config, o, verdict, "reduced, bound 2");
	o.preemptions = VMSA_UNBOUNDED;
	replay_same(s, config, o, verdict, "reduced, unbounded");
	o.reduction = false;
	replay_same(s, config, o, verdict, "plain, unbounded");
	for (uint64_t seed = 1; seed <= 4; seed++) {
		o.random_runs = 200;
		o.seed = seed;
		replay_same(s, config, o, NULL, "random");
	}
}

TEST(wait_replay_equals_run)
{
	/* The first execution of every exhaustive search (CPU0 first, no
	 * preemption) is the deadlock. */
	replay_every_search(&window_eq_s, "default", "deadlock");
	replay_every_search(&window_ne_s, "default", "deadlock");
	replay_every_search(&lock_s, "default", "assert");
}

/* The window is found: with the deadlock's executions skipped (going on
 * after violations), both the assert and the deadlock are outcomes, in
 * the plain and in the reduced search alike; and the lock orders the
 * two critical sections both ways. */
static unsigned n_assert, n_deadlock;

static void count_outcome(void *ctx, vmsa_run_t *r, const vmsa_violation_t *v)
{
	(void)ctx;
	(void)r;
	if (v && v->kind == VMSA_V_ASSERT)
		n_assert++;
	if (v && v->kind == VMSA_V_DEADLOCK)
		n_deadlock++;
}

TEST(wait_window_both_outcomes)
{
	const vmsa_scenario_t *s[2] = {&window_eq_s, &window_ne_s};

	for (unsigned i = 0; i < 2; i++)
		for (int red = 0; red <= 1; red++) {
			vmsa_explore_opts_t o = vmsa_explore_defaults();
			vmsa_explore_stats_t st;
			char err[200];

			o.preemptions = VMSA_UNBOUNDED;
			o.reduction = red;
			n_assert = n_deadlock = 0;
			CHECK_EQ(explore_outcomes(s[i], "default", &o,
						  count_outcome, NULL, &st, err,
						  sizeof(err)), 0);
			CHECK_MSG(n_assert > 0 && n_deadlock > 0,
				  "%s, reduction %d: %u asserts, %u deadlocks",
				  s[i]->name, red, n_assert, n_deadlock);
		}
}

/*
 * A handler that waits, taken while its CPU waits: CPU0 sends CPU1 a
 * pseudo-NMI, sets c, waits for a, sets b. CPU1 (at EL1, PMR letting only
 * the NMI through) waits for b; its handler waits for c, then sets a.
 * CPU1's wait for b goes on after the handler's wait for c is over (its
 * own condition, not the handler's). Every execution makes exactly three
 * reads, each of 1: no check is a step (plain: 30 executions, 300
 * steps; reduced: 5).
 */
struct nest_data {
	vmsa_pa_t a, b, c;
};

static struct nest_data *nd(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

static void nest_setup(vmsa_run_t *r)
{
	struct nest_data *d = nd(r);

	d->a = vmsa_page_alloc(vmsa_run_machine(r), VMSA_SETUP, 1, 1);
	d->b = d->a + 64;
	d->c = d->a + 128;
}

static void nest_sender(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	vmsa_send_irq(m, cpu, 1, VMSA_IRQ_NMI);
	vmsa_phys_write(m, cpu, nd(r)->c, 8, 1, true);
	vmsa_wait_eq(r, cpu, nd(r)->a, ~0ull, 1);
	vmsa_phys_write(m, cpu, nd(r)->b, 8, 1, true);
}

static void nest_waiter(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	vmsa_msr(m, cpu, VMSA_REG_ICC_PMR_EL1, VMSA_PMR_IRQOFF);
	vmsa_eret(m, cpu, 1);
	vmsa_assert(r, cpu, vmsa_wait_eq(r, cpu, nd(r)->b, ~0ull, 1) == 1,
		    "the wait for b read b");
}

static void nest_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
			 const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;

	(void)e;
	vmsa_wait_eq(r, cpu, nd(r)->c, ~0ull, 1);
	vmsa_phys_write(m, cpu, nd(r)->a, 8, 1, true);
}

static const vmsa_scenario_t nest_s = {
	.name = "test/wait-nested", .setup = nest_setup,
	.cpu = {nest_sender, nest_waiter},
	.handler = {[1] = {[1] = nest_handler}},
};

TEST(wait_interrupted_by_a_waiting_handler)
{
	for (int red = 0; red <= 1; red++) {
		vmsa_explore_opts_t o = vmsa_explore_defaults();
		vmsa_explore_result_t res;
		struct tbuf t;

		tb_init(&t, &o, true);
		o.preemptions = VMSA_UNBOUNDED;
		o.reduction = red;
		CHECK_EQ(vmsa_explore(&nest_s, "default", &o, &res), 0);
		CHECK_STR(res.error, "");
		CHECK_STR(res.verdict, "safe");
		CHECK(res.complete);
		CHECK(t.all_ones);
		/* Reduced, an execution may be abandoned (pruned) before
		 * its end. */
		if (!red)
			CHECK_EQ(t.reads, 3 * res.stats.executions);
		/* Reduced 5 and 50 (6 and 56 while the wait reads that
		 * cannot move were skipped only with their CPU blocked
		 * across the write: docs/explorer.md): the same outcome, all
		 * ones. */
		CHECK_EQ(res.stats.executions, red ? 5 : 30);
		CHECK_EQ(res.stats.steps, red ? 50 : 300);
		vmsa_explore_result_free(&res);
	}
}

/*
 * A race whose earlier event ends a block that began where only its CPU
 * could run (the bounded reduction, dpor.c race_bounded(): nothing can
 * be added at the block's start, the reversal is tried where the race
 * is). CPU1 writes z and waits for x; CPU0 sets x, then y; CPU1 then
 * reads y. When CPU1 runs first, its wait is then not runnable: CPU0's
 * block starts at a decision with one option. CPU1 reads y = 0 only when
 * it runs between CPU0's two writes, a preemption of CPU0: never at
 * bound 0, at bound 1 and above in the plain and the reduced search
 * alike (the failed assertion y == 1 is the outcome that shows it).
 */
static void single_setter(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	vmsa_phys_write(m, cpu, wd(r)->x, 8, 1, true);
	vmsa_phys_write(m, cpu, wd(r)->y, 8, 1, true);
}

static void single_reader(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_phys_write(vmsa_run_machine(r), cpu, wd(r)->x + 128, 8, 1, true);
	vmsa_wait_eq(r, cpu, wd(r)->x, ~0ull, 1);
	vmsa_assert(r, cpu,
		    vmsa_phys_read(vmsa_run_machine(r), cpu, wd(r)->y, 8,
				   true) == 1,
		    "y is read before CPU0 wrote it");
}

static const vmsa_scenario_t single_s = {
	.name = "test/wait-single-block", .setup = wait_setup,
	.cpu = {single_setter, single_reader},
};

TEST(wait_bounded_race_in_a_block_only_its_cpu_could_start)
{
	/* Executions per bound (0, 1, 2), plain then reduced (reduced
	 * 2, 4, 6 while a wait's read was skipped whatever its CPU did
	 * between the write and the read: under a bound that may lose a
	 * preemption the reversal saves, dpor.c nothing_moves()). */
	static const uint64_t want[2][3] = {{2, 6, 14}, {2, 5, 8}};

	for (int red = 0; red <= 1; red++)
		for (int b = 0; b <= 2; b++) {
			vmsa_explore_opts_t o = vmsa_explore_defaults();
			vmsa_explore_stats_t st;
			char err[200];

			o.preemptions = b;
			o.reduction = red;
			n_assert = n_deadlock = 0;
			CHECK_EQ(explore_outcomes(&single_s, "default", &o,
						  count_outcome, NULL, &st, err,
						  sizeof(err)), 0);
			CHECK_MSG((n_assert > 0) == (b > 0) && n_deadlock == 0,
				  "bound %d, reduction %d: %u asserts, %u "
				  "deadlocks", b, red, n_assert, n_deadlock);
			CHECK_MSG(st.executions == want[red][b],
				  "bound %d, reduction %d: %llu executions",
				  b, red, (unsigned long long)st.executions);
		}
}

/*
 * A data compare-and-swap is atomic under Arm's ordering (feature
 * relaxed): no write comes between the write it read and its own in the
 * word's coherence order (vmsa_phys_cas passes rmw to ord_store). CPU0's
 * CAS 0 -> 6 and CPU1's plain write of 7: when the CAS succeeds it read
 * the initial 0 as the newest write, so CPU1's 7 was not yet written and
 * must come after the 6: x ends at 7. Placed between the 0 and the 6
 * (which a plain store may be, before a write its CPU has not seen), it
 * would leave 6. The plain and the reduced search alike.
 */
static bool cas_swapped;

static void cas_setter(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_phys_write(vmsa_run_machine(r), cpu, wd(r)->x, 8, 7, true);
}

static void cas_casser(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	cas_swapped |= vmsa_phys_cas(vmsa_run_machine(r), cpu, wd(r)->x, 8, 0,
				     6, true) == 0;
}

static void cas_check(vmsa_run_t *r)
{
	uint64_t v = vmsa_phys_read(vmsa_run_machine(r), VMSA_SETUP,
				    wd(r)->x, 8, true);

	vmsa_assert(r, VMSA_SETUP, v == 6 || v == 7, "x is neither 6 nor 7");
	vmsa_assert(r, VMSA_SETUP, !cas_swapped || v == 7,
		    "a write came between the CAS's read and its write");
	cas_swapped = false;
}

static const vmsa_scenario_t cas_s = {
	.name = "test/cas-atomic", .setup = wait_setup,
	.cpu = {cas_casser, cas_setter}, .check = cas_check,
};

TEST(wait_phys_cas_atomic_under_relaxed)
{
	for (int red = 0; red <= 1; red++) {
		vmsa_explore_opts_t o = vmsa_explore_defaults();
		vmsa_explore_result_t res;

		o.preemptions = VMSA_UNBOUNDED;
		o.reduction = red;
		o.isolate = false;
		cas_swapped = false;
		CHECK_EQ(vmsa_explore(&cas_s, "default+relaxed", &o, &res), 0);
		CHECK_MSG(res.verdict && !strcmp(res.verdict, "safe") &&
			  res.complete,
			  "reduction %d: %s: %s", red,
			  res.verdict ? res.verdict : "?",
			  res.violation.message);
		vmsa_explore_result_free(&res);
	}
}

/* The unbounded search of s finds a violation, plain and reduced. */
static void violated_plain_and_reduced(const vmsa_scenario_t *s)
{
	for (int red = 0; red < 2; red++) {
		vmsa_explore_opts_t o = vmsa_explore_defaults();
		vmsa_explore_result_t res;

		o.preemptions = VMSA_UNBOUNDED;
		o.reduction = red;
		CHECK_EQ(vmsa_explore(s, "default", &o, &res), 0);
		CHECK_MSG(res.violated, "%s, reduction %d: %llu executions",
			  s->name, red,
			  (unsigned long long)res.stats.executions);
		vmsa_explore_result_free(&res);
	}
}

/* CPU0 writes x = first, cleans the line to the PoC (in sync again),
 * writes x = 2; CPU1 waits for x != not and asserts it did not read the
 * initial 0, which it may by reading before both writes. */
static void write_clean_write(vmsa_run_t *r, vmsa_cpu_t cpu, uint64_t first)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	vmsa_phys_write(m, cpu, wd(r)->x, 8, first, true);
	vmsa_dc(m, cpu, VMSA_DC_CVAC, wd(r)->x);
	vmsa_phys_write(m, cpu, wd(r)->x, 8, 2, true);
}

static void wait_not(vmsa_run_t *r, vmsa_cpu_t cpu, uint64_t not)
{
	uint64_t v = vmsa_wait_ne(r, cpu, wd(r)->x, ~0ull, not);

	vmsa_assert(r, cpu, v != 0, "read the initial 0");
}

/*
 * A wait's read that returns what an earlier write of the same value
 * left (the "same value" case of the reduction's write_fails_wait): x = 2
 * twice, a wait for x != 5 (always true).
 */
static void twice_writer(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	write_clean_write(r, cpu, 2);
}

static void not_five_reader(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	wait_not(r, cpu, 5);
}

static const vmsa_scenario_t wait_same_value = {
	.name = "test/wait-same-value", .setup = wait_setup,
	.cpu = {twice_writer, not_five_reader},
};

TEST(wait_same_value_keeps_the_read_before_both_writes)
{
	violated_plain_and_reduced(&wait_same_value);
}

/*
 * The same with a wait that the value before the second write fails:
 * x = 1 then 2, a wait for x != 1. The read cannot go between the two
 * writes, but it can go before both.
 */
static void one_two_writer(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	write_clean_write(r, cpu, 1);
}

static void not_one_reader(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	wait_not(r, cpu, 1);
}

static const vmsa_scenario_t wait_blocked_between = {
	.name = "test/wait-blocked-between", .setup = wait_setup,
	.cpu = {one_two_writer, not_one_reader},
};

TEST(wait_blocked_between_keeps_the_read_before_both_writes)
{
	violated_plain_and_reduced(&wait_blocked_between);
}

/*
 * Wait reads behind writes they cannot move before (docs/explorer.md,
 * "Wait reads that cannot move"; dpor.c stood_for_check()): shapes
 * where the reduction skips the race of a write with a wait's read and
 * must find the races of the failed check the read stands for in its
 * place. Each scenario's outcome is what every CPU read and the final
 * words x, y, z (or the violation); the plain and the reduced search,
 * unbounded, must give the same set, in exactly the executions pinned.
 * The writes that matter are made to a line in sync with the PoC (a DC
 * CVAC after each write), so that they are one word's change whose
 * value before the reduction knows (footprint.h, FP_DW_ONE).
 */
static uint64_t wgot[3][4];

/* A set of outcomes (hashes). */
struct outcome_set {
	uint64_t *p;
	unsigned n, cap;
};

static void wgot_set(vmsa_cpu_t cpu, unsigned k, uint64_t v)
{
	wgot[cpu][k] = v;
}

static void wc_write(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_pa_t pa,
		     uint64_t v)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	vmsa_phys_write(m, cpu, pa, 8, v, true);
	vmsa_dc(m, cpu, VMSA_DC_CVAC, pa);
}

static uint64_t wc_read(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_pa_t pa)
{
	return vmsa_phys_read(vmsa_run_machine(r), cpu, pa, 8, true);
}

static void wc_outcome(void *ctx, vmsa_run_t *r, const vmsa_violation_t *v)
{
	struct outcome_set *set = ctx;
	uint64_t h = 0xcbf29ce484222325ull;
	const unsigned char *b = (const unsigned char *)wgot;
	uint64_t words[3] = {0, 0, 0};

	if (v) {
		h ^= (uint64_t)v->kind * 0x9e3779b97f4a7c15ull;
	} else {
		vmsa_machine_t *m = vmsa_run_machine(r);

		for (unsigned i = 0; i < 3; i++)
			words[i] = *(const uint64_t *)vmsa_pa_cptr(
				m, wd(r)->x + 64 * i);
		for (size_t i = 0; i < sizeof(wgot); i++)
			h = (h ^ b[i]) * 0x100000001b3ull;
		for (unsigned i = 0; i < 3; i++)
			h = (h ^ words[i]) * 0x100000001b3ull;
	}
	for (unsigned i = 0; i < set->n; i++)
		if (set->p[i] == h)
			return;
	if (set->n == set->cap) {
		set->cap = set->cap ? 2 * set->cap : 16;
		set->p = realloc(set->p, set->cap * sizeof(uint64_t));
	}
	set->p[set->n++] = h;
}

/* Plain and reduced outcome sets of s, unbounded, equal (`outcomes` of
 * them), in exactly `plain` and `reduced` executions. */
static void same_plain_reduced(const vmsa_scenario_t *s, unsigned outcomes,
			       uint64_t plain, uint64_t reduced)
{
	struct outcome_set set[2] = {{0}};
	uint64_t want[2] = {plain, reduced};

	for (int red = 0; red <= 1; red++) {
		vmsa_explore_opts_t o = vmsa_explore_defaults();
		vmsa_explore_stats_t st;
		char err[200];

		o.preemptions = VMSA_UNBOUNDED;
		o.reduction = red;
		CHECK_EQ(explore_outcomes(s, "default", &o, wc_outcome,
					  &set[red], &st, err, sizeof(err)), 0);
		CHECK_MSG(st.executions == want[red],
			  "%s, reduction %d: %llu executions", s->name, red,
			  (unsigned long long)st.executions);
	}
	CHECK_MSG(set[0].n == outcomes && set[1].n == outcomes,
		  "%s: %u outcomes plain, %u reduced", s->name, set[0].n,
		  set[1].n);
	for (unsigned i = 0; i < set[0].n; i++) {
		bool found = false;

		for (unsigned j = 0; j < set[1].n; j++)
			found |= set[0].p[i] == set[1].p[j];
		CHECK_MSG(found, "%s: an outcome of the plain search is "
			  "missing from the reduced one", s->name);
	}
	free(set[0].p);
	free(set[1].p);
}

/* Several writers of the wait's word: CPU0 writes x = 1 then 2, CPU2
 * x = 3 then 1; CPU1 waits for x != 1. Every value but 1 may be the
 * one read (the initial 0 before every write), or none (a deadlock). */
static void several_w0(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	wc_write(r, cpu, wd(r)->x, 1);
	wc_write(r, cpu, wd(r)->x, 2);
}

static void several_w2(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	wc_write(r, cpu, wd(r)->x, 3);
	wc_write(r, cpu, wd(r)->x, 1);
}

static void several_waiter(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	memset(wgot[cpu], 0, sizeof(wgot[cpu]));
	wgot_set(cpu, 0, vmsa_wait_ne(r, cpu, wd(r)->x, ~0ull, 1));
}

static const vmsa_scenario_t several_writers_s = {
	.name = "test/wait-several-writers", .setup = wait_setup,
	.cpu = {several_w0, several_waiter, several_w2},
};

TEST(wait_fixed_several_writers)
{
	same_plain_reduced(&several_writers_s, 7, 10290, 321);
}

/* A wait preceded by another step of its CPU: CPU0 writes x = 1, y = 1,
 * x = 2; CPU1 reads y, then waits for x != 1. */
static void before_writer(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	wc_write(r, cpu, wd(r)->x, 1);
	wc_write(r, cpu, wd(r)->y, 1);
	wc_write(r, cpu, wd(r)->x, 2);
}

static void before_waiter(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	memset(wgot[cpu], 0, sizeof(wgot[cpu]));
	wgot_set(cpu, 0, wc_read(r, cpu, wd(r)->y));
	wgot_set(cpu, 1, vmsa_wait_ne(r, cpu, wd(r)->x, ~0ull, 1));
}

static const vmsa_scenario_t step_before_s = {
	.name = "test/wait-step-before", .setup = wait_setup,
	.cpu = {before_writer, before_waiter},
};

TEST(wait_fixed_after_a_step_of_its_cpu)
{
	same_plain_reduced(&step_before_s, 3, 68, 4);
}

/* The waiting CPU's later step races with the writer's later step:
 * CPU0 writes x = 1, x = 2, then y = 5; CPU1 waits for x != 1, then
 * writes y = 7 and reads it back. */
static void later_writer(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	wc_write(r, cpu, wd(r)->x, 1);
	wc_write(r, cpu, wd(r)->x, 2);
	vmsa_phys_write(vmsa_run_machine(r), cpu, wd(r)->y, 8, 5, true);
}

static void later_waiter(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	memset(wgot[cpu], 0, sizeof(wgot[cpu]));
	wgot_set(cpu, 0, vmsa_wait_ne(r, cpu, wd(r)->x, ~0ull, 1));
	vmsa_phys_write(vmsa_run_machine(r), cpu, wd(r)->y, 8, 7, true);
	wgot_set(cpu, 1, wc_read(r, cpu, wd(r)->y));
}

static const vmsa_scenario_t later_step_s = {
	.name = "test/wait-later-step", .setup = wait_setup,
	.cpu = {later_writer, later_waiter},
};

TEST(wait_fixed_later_steps_race)
{
	same_plain_reduced(&later_step_s, 6, 125, 9);
}

/*
 * The page-table scenarios' MMU lock (scenarios/pgtable/common.c): a
 * reader adds its bias (2) to z, and waits while the writer bit (1) is
 * set; the writer takes z from 0 with a CAS (waiting for 0 otherwise),
 * writes y, and subtracts its bit; CPU2 waits for no reader (z's bits
 * above the writer's all 0), then reads y. Commuting adds (no one word's
 * change: never skipped) and a CAS of a line in sync (one word's).
 */
static void mmu_reader(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_pa_t z = wd(r)->x + 128;

	memset(wgot[cpu], 0, sizeof(wgot[cpu]));
	if (vmsa_phys_add(m, cpu, z, 8, 2, 1, true))
		vmsa_wait_eq(r, cpu, z, 1, 0);
	wgot_set(cpu, 0, wc_read(r, cpu, wd(r)->y));
	vmsa_phys_add(m, cpu, z, 8, -2ull, 0, true);
}

static void mmu_writer(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_pa_t z = wd(r)->x + 128;

	while (!vmsa_stopped(m) && vmsa_phys_cas(m, cpu, z, 8, 0, 1, true))
		vmsa_wait_eq(r, cpu, z, ~0ull, 0);
	wc_write(r, cpu, wd(r)->y, 1);
	vmsa_phys_add(m, cpu, z, 8, -1ull, 0, true);
}

static void mmu_no_readers(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	memset(wgot[cpu], 0, sizeof(wgot[cpu]));
	vmsa_wait_eq(r, cpu, wd(r)->x + 128, ~1ull, 0);
	wgot_set(cpu, 0, wc_read(r, cpu, wd(r)->y));
}

static const vmsa_scenario_t mmu_lock_s = {
	.name = "test/wait-mmu-lock", .setup = wait_setup,
	.cpu = {mmu_reader, mmu_writer, mmu_no_readers},
};

TEST(wait_fixed_mmu_lock_adds)
{
	same_plain_reduced(&mmu_lock_s, 4, 5175, 50);
}

/* A spinlock handed over: CPU0 and CPU2 each take z (vmsa_lock), add
 * to y, clean z's line (so that the unlock's write of 0 is one word's
 * change, whose value before, the holder's number, fails the waits for
 * 0) and release it; CPU1 waits for z free and reads y. */
static void handover_locker(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_pa_t z = wd(r)->x + 128;
	uint64_t v;

	vmsa_lock(r, cpu, z);
	v = wc_read(r, cpu, wd(r)->y);
	vmsa_phys_write(vmsa_run_machine(r), cpu, wd(r)->y, 8, v + 1 + cpu,
			true);
	vmsa_dc(vmsa_run_machine(r), cpu, VMSA_DC_CVAC, z);
	vmsa_unlock(r, cpu, z);
}

static void handover_waiter(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	memset(wgot[cpu], 0, sizeof(wgot[cpu]));
	vmsa_wait_eq(r, cpu, wd(r)->x + 128, ~0ull, 0);
	wgot_set(cpu, 0, wc_read(r, cpu, wd(r)->y));
}

static const vmsa_scenario_t handover_s = {
	.name = "test/wait-lock-handover", .setup = wait_setup,
	.cpu = {handover_locker, handover_waiter, handover_locker},
};

TEST(wait_fixed_lock_handover)
{
	same_plain_reduced(&handover_s, 4, 25344, 57);
}

/* Two commuting adds of one split (2 and 6: lowest set bit 1, observing
 * nothing) to x, by CPU0 and CPU2; CPU1 waits for x != 0. Before CPU0's
 * add the word is not always its old value 0: CPU2's add may come
 * between the two without depending on either, and then the wait reads
 * 6 (the reduction takes the value before an add as what the read
 * returned less the add: write_fails_wait() in dpor.c). */
static void split_add2(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_phys_add(vmsa_run_machine(r), cpu, wd(r)->x, 8, 2, 0, true);
}

static void split_add6(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_phys_add(vmsa_run_machine(r), cpu, wd(r)->x, 8, 6, 0, true);
}

static void split_waiter(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	memset(wgot[cpu], 0, sizeof(wgot[cpu]));
	wgot_set(cpu, 0, vmsa_wait_ne(r, cpu, wd(r)->x, ~0ull, 0));
}

static const vmsa_scenario_t split_adds_s = {
	.name = "test/wait-split-adds", .setup = wait_setup,
	.cpu = {split_add2, split_waiter, split_add6},
};

TEST(wait_fixed_adds_of_one_split)
{
	same_plain_reduced(&split_adds_s, 3, 60, 3);
}

/*
 * An interrupt pending at the waiting CPU: CPU1 (at EL1, PMR letting
 * only the pseudo-NMI through) sets y and waits for x == 1; CPU0 waits
 * for y, sends CPU1 a pseudo-NMI, then writes x = 1; CPU1's handler
 * reads x. A waiting CPU with an interrupt it can take is runnable (it
 * takes it, then tests the word again): after the send and before the
 * write, CPU1 does not stay blocked but runs its handler, which reads
 * 0. So a wait's read that had an interrupt pending is never skipped
 * (dpor_wait_read's irq). (Here the reduced search finds that read
 * through other races even without the rule.)
 */
static void irq_sender(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_wait_eq(r, cpu, wd(r)->y, ~0ull, 1);
	vmsa_send_irq(vmsa_run_machine(r), cpu, 1, VMSA_IRQ_NMI);
	vmsa_phys_write(vmsa_run_machine(r), cpu, wd(r)->x, 8, 1, true);
}

static void irq_waiter(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	memset(wgot[cpu], 0, sizeof(wgot[cpu]));
	vmsa_msr(m, cpu, VMSA_REG_ICC_PMR_EL1, VMSA_PMR_IRQOFF);
	vmsa_eret(m, cpu, 1);
	vmsa_phys_write(m, cpu, wd(r)->y, 8, 1, true);
	wgot_set(cpu, 0, vmsa_wait_eq(r, cpu, wd(r)->x, ~0ull, 1));
}

static void irq_reader(vmsa_machine_t *m, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;

	(void)m;
	(void)e;
	wgot_set(cpu, 1, 1 + wc_read(r, cpu, wd(r)->x));
}

static const vmsa_scenario_t irq_wait_s = {
	.name = "test/wait-irq-pending", .setup = wait_setup,
	.cpu = {irq_sender, irq_waiter},
	.handler = {[1] = {[1] = irq_reader}},
};

TEST(wait_fixed_interrupt_pending)
{
	same_plain_reduced(&irq_wait_s, 2, 20, 3);
}
