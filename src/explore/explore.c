/*
 * src/explore/explore.c - executions: the scheduler, decisions, and one
 * run of a scenario from its set-up (search.c runs the searches).
 *
 * Each CPU of a scenario runs as a coroutine. The model calls the step
 * hook at the start of every step; the hook is the scheduler: it decides
 * which runnable CPU takes the next step (the current one first) and
 * switches to it only when that is another CPU, so a CPU that goes on
 * costs no switch. Scheduling decisions and the model's choices form one
 * sequence of decisions per execution (struct dec, decisions.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coro.h"
#include "model/footprint.h"
#include "model/irq.h"
#include "model/order.h"
#include "model/write.h"
#include "dpor.h"
#include "explore_int.h"
#include "repeat.h"
#include "resume.h"

#define STACK_SIZE (256u << 10)

/* ------------------------------------------------------------------ */
/* Decisions                                                           */
/* ------------------------------------------------------------------ */

static uint64_t rng_next(struct explorer *x)
{
	/* xorshift64*: small, fast and good enough to spread decisions. */
	x->rng ^= x->rng >> 12;
	x->rng ^= x->rng << 25;
	x->rng ^= x->rng >> 27;
	return x->rng * 0x2545f4914f6cdd1dull;
}

/* Remember how this execution first departed from its prefix. */
static void diverge(struct explorer *x, enum divergence kind, unsigned want,
		    unsigned got)
{
	if (x->div != DIV_NONE)
		return;
	x->div = kind;
	x->div_at = x->pos;
	x->div_want = want;
	x->div_got = got;
}

/* Is decision p, recorded earlier, the one this execution meets now (n
 * options to decide `what`)? If not, remember how it differs. */
static void check_replayed(struct explorer *x, const struct dec *p,
			   unsigned n, const char *what)
{
	if (p->what && p->what != what && strcmp(p->what, what)) {
		diverge(x, DIV_WHAT, p->n, n);
		x->div_what = p->what;
		x->div_what_got = what;
	} else if (p->n && p->n != n) {
		diverge(x, DIV_OPTIONS, p->n, n);
		x->div_what = what;
	} else if (p->chosen >= n) {
		diverge(x, DIV_RANGE, n, p->chosen);
	}
}

/*
 * The next decision of this execution among n options: replayed from the
 * prefix, else option `first` (or a random one), recorded. `free_` says
 * whether the search may try the other options.
 */
static unsigned decide_from(struct explorer *x, unsigned n, bool free_,
			    const char *what, unsigned first)
{
	struct dec d = {.n = n, .free_ = free_, .what = what};

	if (x->pos < x->n_prefix) {
		struct dec *p = &x->dec.p[x->pos];

		/* Another decision than when it was recorded: the scenario
		 * is not deterministic. A decision out of range: the string
		 * is not this execution's. The execution goes on with option
		 * 0; the caller reports. */
		check_replayed(x, p, n, what);
		if (p->chosen >= n)
			p->chosen = 0;
		p->n = n;
		p->free_ = free_;
		p->what = what;
		x->pos++;
		return p->chosen;
	}
	d.chosen = first;
	if (x->random && free_)
		d.chosen = (unsigned)(rng_next(x) % n);
	x->dec.n = x->pos;
	if (dec_vec_push(&x->dec, d)) {
		x->oom = true;
		return 0;
	}
	x->pos++;
	return d.chosen;
}

unsigned decide(struct explorer *x, unsigned n, bool free_, const char *what)
{
	return decide_from(x, n, free_, what, 0);
}

/* ------------------------------------------------------------------ */
/* Scheduling                                                          */
/* ------------------------------------------------------------------ */

/*
 * May waiting CPU c make its read now: does the word hold what it waits
 * for? What the read would return (data_peek: through the cache model,
 * the newest value), so that the test and the read agree; a read that
 * would report a violation instead (a freed page, a loss of coherency)
 * may be made too, and reports it.
 */
static bool wait_ok(const struct explorer *x, const struct xcpu *c)
{
	uint64_t v;

	if (data_peek(x->run.m, (int)c->id, c->w.pa, 8, true, &v))
		return true;
	v &= c->w.mask;
	return c->w.eq ? v == c->w.val : v != c->w.val;
}

/* With serial_start: may CPU i start (every CPU before it passed the
 * gate or finished), or leave the gate (every CPU passed it or
 * finished)? */
static bool gate_open(const struct explorer *x, unsigned i)
{
	/* Starting, only the CPUs before it count. */
	unsigned end = x->cpu[i].at_gate ? x->ncpus : i;

	for (unsigned j = 0; j < end; j++)
		if (j != i && !x->cpu[j].gate_passed &&
		    x->cpu[j].state != XCPU_DONE)
			return false;
	return true;
}

/* A CPU held by the start gate: not yet started, or waiting in it. */
static bool gate_held(const struct explorer *x, unsigned i)
{
	const struct xcpu *c = &x->cpu[i];

	return x->opts.serial_start && c->state != XCPU_DONE &&
	       (!c->gate_passed || c->at_gate) && !gate_open(x, i);
}

static bool runnable_slow(struct explorer *x, unsigned i)
{
	struct xcpu *c = &x->cpu[i];

	if (gate_held(x, i))
		return false;
	if (c->state == XCPU_BLOCKED && c->at_gate) {
		c->state = XCPU_READY;
		c->at_gate = false;
	}
	/* A CPU that waits or has finished (in WFE or WFI) wakes for an
	 * interrupt it can take (irq_idle() takes it: step_hook(),
	 * cpu_entry()). A waiting one stays waiting: whether it may run is
	 * tested again at the next scheduling point. */
	if (c->state == XCPU_WAITING)
		return wait_ok(x, c) || irq_deliverable(x->run.m, i);
	if (c->state != XCPU_READY && irq_deliverable(x->run.m, i))
		c->state = XCPU_READY;
	return c->state == XCPU_READY;
}

/* May CPU i run at this scheduling point (a CPU the gate held may be
 * let go, a finished or waiting one woken)? The usual cases at every
 * step answer at once, as runnable_slow() would: a ready CPU past the
 * start gate (the gate holds it no more: gate_held() is false for it),
 * and a finished one (never held: it runs only to take an interrupt).
 * The scheduler's cost per step was a twentieth of a litmus search. */
static inline bool runnable(struct explorer *x, unsigned i)
{
	struct xcpu *c = &x->cpu[i];

	if (c->state == XCPU_READY && c->gate_passed && !c->at_gate)
		return true;
	if (c->state == XCPU_DONE) {
		if (!irq_deliverable(x->run.m, i))
			return false;
		c->state = XCPU_READY;
		return true;
	}
	return runnable_slow(x, i);
}

/*
 * The reduction's view of the waits at a scheduling point (can: the
 * CPUs that may run): a waiting CPU that may not is a check that failed,
 * which races with what made it fail as its read would have
 * (dpor_wait_check). Each wait's first scheduling point is its arrival.
 */
static void wait_checks(struct explorer *x, unsigned can)
{
	for (unsigned i = 0; i < x->ncpus; i++) {
		struct xcpu *c = &x->cpu[i];
		bool arrived = c->wait_arrived;

		if (c->state != XCPU_WAITING)
			continue;
		c->wait_arrived = false;
		if (can >> i & 1)
			continue;
		if (!x->wait_fp)
			x->wait_fp = calloc(1, sizeof(*x->wait_fp));
		if (!x->wait_fp) {
			x->oom = true;
			return;
		}
		fp_wait_check(x->wait_fp, i, c->w.pa);
		if (dpor_wait_check(x->dp, i, x->wait_fp, arrived))
			x->oom = true;
	}
}

/* Which CPU runs next: the current one (when it can) is option 0, then
 * the other runnable CPUs in order. -1 when none can run, -2 when the
 * reduction prunes this execution (every CPU that could run sleeps: the
 * executions that go on from here were explored already). */
static int schedule(struct explorer *x, int cur)
{
	unsigned opt[VMSA_MAX_CPUS], n = 0, first = 0, sleeping = 0, can = 0;
	bool cur_ok = cur >= 0 && runnable(x, (unsigned)cur);
	bool bounded, fresh;
	unsigned c;

	/* A scheduling point ends the event in progress (dpor.h). */
	if (x->dp) {
		dpor_event_end(x->dp, x->run.m, x->pos);
		sleeping = dpor_sleeping(x->dp);
		/* A write's place, or an access through a retired entry,
		 * that another interleaving gives (dpor.h); not in an
		 * execution the scenario ends anyway. */
		if (!x->ended &&
		    ((x->wprune && dpor_wplace_redundant(x->dp, x->run.m)) ||
		     (x->rprune &&
		      dpor_retired_redundant(x->dp, x->run.m)) ||
		     (x->rdprune &&
		      dpor_read_redundant(x->dp, x->run.m)))) {
			x->wdrop = x->ended = true;
			return -2;
		}
	}
	/* Ended by the scenario (explore_end): nothing runs again; the
	 * callers leave for the main context, as for a pruned one. */
	if (x->ended)
		return -2;
	/* A probe ends with the step it probes. */
	if (x->probe_end && x->pos >= x->probe_end) {
		x->pruned = true;
		return -2;
	}
	if (cur_ok) {
		opt[n++] = (unsigned)cur;
		can |= 1u << cur;
	}
	for (unsigned i = 0; i < x->ncpus; i++)
		if ((int)i != cur && runnable(x, i)) {
			opt[n++] = i;
			can |= 1u << i;
		}
	if (x->dp)
		wait_checks(x, can);
	if (n == 0)
		return -1;
	while (first < n && (sleeping >> opt[first] & 1))
		first++;
	if (first == n) {
		x->pruned = true;
		return -2;
	}
	if (n == 1) {
		if (x->dp && dpor_event_begin(x->dp, x->run.m, opt, 1, 0, -1,
					      false, false))
			x->oom = true;
		return (int)opt[0];
	}
	/* A state saved here resumes right after this call, in another
	 * execution: what follows reads x's fields, not locals made from
	 * them (but the options, the same in every execution that gets
	 * here). */
	if (cur >= 0)
		resume_point(x);
	bounded = cur_ok && x->opts.preemptions != VMSA_UNBOUNDED &&
		  x->preemptions >= (unsigned)x->opts.preemptions;
	fresh = x->pos >= x->n_prefix;
	c = decide_from(x, n, !bounded, DECIDE_CPU, first);
	if (x->dp && dpor_event_begin(x->dp, x->run.m, opt, n, c,
				      (int)x->pos - 1, fresh, !bounded))
		x->oom = true;
	if (cur_ok && c != 0)
		x->preemptions++;
	return (int)opt[c];
}

/* No CPU can run, `from` (self its coroutine) the one that asked: a
 * deadlock when some CPU waits or is held by the start gate, else the
 * end of the execution. Either way, back to the main context. */
static void none_runnable(struct explorer *x, int from, struct coro *self)
{
	bool blocked = false;

	for (unsigned i = 0; i < x->ncpus; i++)
		if (x->cpu[i].state == XCPU_BLOCKED ||
		    x->cpu[i].state == XCPU_WAITING || gate_held(x, i))
			blocked = true;
	if (blocked && !vmsa_stopped(x->run.m)) {
		/* vmsa_report() switches to the main context. */
		x->cur = from;
		vmsa_report(x->run.m, from, VMSA_V_DEADLOCK,
			    "every unfinished CPU is blocked in a wait");
		return;
	}
	x->cur = -1;
	if (self != x->main_co)
		coro_switch(self, x->main_co);
}

/* Leave CPU `from` (which cannot go on, or stops for good) for another,
 * or for the scheduler's own context when nothing can run. */
static void switch_away(struct explorer *x, int from)
{
	int next = schedule(x, -1);
	struct coro *self = from >= 0 ? x->cpu[from].co : x->main_co;

	if (next == -2) {
		/* Pruned: abandon the execution, as a violation does. */
		x->cur = -1;
		if (self != x->main_co)
			coro_switch(self, x->main_co);
		return;
	}
	if (next < 0) {
		none_runnable(x, from, self);
		return;
	}
	x->cur = next;
	/* A CPU that waits or has finished can go on at once when an
	 * interrupt woke it (runnable()). */
	if (next != from) {
		x->switches++;
		coro_switch(self, x->cpu[next].co);
	}
}

/* What every step of a CPU's code is checked for, counted as it is:
 * the running CPU makes it (the model checked that cpu exists; another
 * CPU's number would switch stacks under it), within its step budget.
 * False when it reported a violation. */
static bool step_allowed(struct explorer *x, vmsa_cpu_t cpu)
{
	struct xcpu *c;

	if (cpu != x->cur) {
		char msg[160];

		snprintf(msg, sizeof(msg), "scenario error: CPU%d's code made "
			 "a step as cpu %d", x->cur, cpu);
		vmsa_report(x->run.m, x->cur, VMSA_V_BAD_CALL, msg);
		return false;
	}
	c = &x->cpu[cpu];
	x->steps++;
	if (++c->steps > x->opts.step_budget) {
		char msg[128];

		snprintf(msg, sizeof(msg),
			 "CPU%d exceeded its budget of %u steps",
			 cpu, x->opts.step_budget);
		vmsa_report(x->run.m, cpu, VMSA_V_LIVELOCK, msg);
		return false;
	}
	return true;
}

/* The model's step hook: the scheduler. */
static void step_hook(void *ctx, vmsa_machine_t *m, vmsa_cpu_t cpu)
{
	struct explorer *x = ctx;
	struct xcpu *c;
	int next;

	if (!step_allowed(x, cpu))
		return;
	c = &x->cpu[cpu];
	/* The read of a wait (not a step of a handler taken while it
	 * waits): runnable only while the condition holds. */
	if (c->w.pending && m->cpu[cpu].depth == c->w.depth)
		c->state = XCPU_WAITING;
	for (;;) {
		next = schedule(x, cpu);
		if (next == -2) {
			x->cur = -1;
			coro_switch(c->co, x->main_co);
			return; /* never resumed */
		}
		if (next == -1) {
			/* Only a waiting CPU cannot go on at its own step. */
			none_runnable(x, cpu, c->co);
			return; /* never resumed */
		}
		if (next != cpu) {
			x->cur = next;
			x->switches++;
			coro_switch(c->co, x->cpu[next].co);
		}
		if (c->state != XCPU_WAITING)
			return;
		c->state = XCPU_READY;
		if (wait_ok(x, c)) {
			/* A wait loop reads until it sees the newest value
			 * (every write is eventually visible): with the
			 * feature relaxed it does not choose older ones. */
			order_read_newest(m);
			return;
		}
		/* Woken by an interrupt (a wait is a WFE loop): take it,
		 * then test the word again at a new scheduling point. */
		irq_idle(m, cpu);
		if (vmsa_stopped(m))
			return;
		c->state = XCPU_WAITING;
		c->wait_arrived = true;
	}
}

/*
 * The step hook while the CPUs make their set-up steps (serial_start,
 * run_setups()): no scheduling point, since only the CPU setting up may
 * run (the CPUs before it wait at the gate, those after it have not
 * started). What step_hook() checks of a step it checks the same way:
 * the running CPU, the step budget, a wait's condition (nothing else
 * can change the word: a wait that does not hold is a deadlock, as the
 * scheduler finds it, unless an interrupt wakes the CPU), and an
 * execution ended by its scenario.
 */
static void setup_hook(void *ctx, vmsa_machine_t *m, vmsa_cpu_t cpu)
{
	struct explorer *x = ctx;
	struct xcpu *c;

	if (!step_allowed(x, cpu))
		return;
	c = &x->cpu[cpu];
	if (x->ended) {
		x->cur = -1;
		coro_switch(c->co, x->main_co);
		return; /* never resumed */
	}
	if (!c->w.pending || m->cpu[cpu].depth != c->w.depth)
		return;
	while (!wait_ok(x, c)) {
		if (!irq_deliverable(m, cpu)) {
			vmsa_report(m, cpu, VMSA_V_DEADLOCK, "every unfinished "
				    "CPU is blocked in a wait");
			return;
		}
		irq_idle(m, cpu);
		if (vmsa_stopped(m))
			return;
		c->wait_arrived = true;
	}
	order_read_newest(m);
}

static unsigned choose_hook(void *ctx, unsigned n, const char *what)
{
	return decide(ctx, n, true, what ? what : "a choice of the model");
}

/* A violation ends the execution: leave the CPU's stack for good. */
static void violation_hook(void *ctx, vmsa_machine_t *m,
			   const vmsa_violation_t *v)
{
	struct explorer *x = ctx;

	(void)m;
	(void)v;
	if (x->cur >= 0) {
		struct coro *self = x->cpu[x->cur].co;

		x->cur = -1;
		coro_switch(self, x->main_co);
	}
}

static void cpu_entry(void *arg)
{
	struct xcpu *c = arg;
	struct explorer *x = c->x;

	x->scenario->cpu[c->id](&x->run, c->id);
	/* Finished: the CPU idles, and is resumed only to take an
	 * interrupt (runnable()). Finished before the start gate: the
	 * next CPU's set-up comes (run_setups()). */
	for (;;) {
		c->state = XCPU_DONE;
		if (x->in_setup)
			coro_switch(c->co, x->main_co);
		else
			switch_away(x, (int)c->id);
		if (!irq_idle(x->run.m, (int)c->id) && vmsa_stopped(x->run.m))
			break;
	}
	/* Never resumed. */
	abort();
}

/*
 * vmsa_start_gate(): the CPU's set-up steps are done. Later CPUs may
 * start; this one waits until every CPU passed or finished (the last to
 * pass goes on at once). Back to run_setups() either way, which starts
 * the next CPU's set-up, and after the last the search: a CPU waiting
 * here is resumed by the scheduler (runnable_slow() lets it go).
 */
void gate_pass(struct explorer *x, vmsa_cpu_t cpu)
{
	struct xcpu *c = &x->cpu[cpu];

	c->gate_passed = true;
	c->at_gate = true;
	if (gate_open(x, (unsigned)cpu)) {
		c->at_gate = false;
		x->setup_last = cpu;
	} else {
		c->state = XCPU_BLOCKED;
	}
	if (x->in_setup)
		coro_switch(c->co, x->main_co);
}

uint64_t wait_read(struct explorer *x, vmsa_cpu_t cpu, uint64_t pa,
		   uint64_t mask, uint64_t val, bool eq)
{
	struct xcpu *c = &x->cpu[cpu];
	vmsa_machine_t *m = x->run.m;
	/* The wait this one is in, when the handler of an interrupt that
	 * woke it waits: the interrupted wait goes on once this one is
	 * over. */
	struct xwait outer = c->w;
	uint64_t v;
	vmsa_view_t view;

	/* step_hook() holds the read's step until the word holds; the read
	 * itself then records the word that the write which let it run
	 * wrote (the reduction orders the two). */
	c->w = (struct xwait){.pa = pa, .mask = mask, .val = val, .eq = eq,
			      .pending = true, .depth = m->cpu[cpu].depth};
	c->wait_arrived = true;
	v = access_phys_read_v(m, cpu, pa, 8, true, &view);
	/* A wait is a loop that exits on the value read: what follows it
	 * depends on that read by a control dependency (under the feature
	 * relaxed, later writes and, after a context synchronisation
	 * event, later reads and walks are ordered after it: B2.3.7 ctrl,
	 * ctrl; ISB). Nothing without relaxed. */
	if (!vmsa_stopped(m) && ((v & mask) == val) == eq)
		vmsa_ctrl_dep(m, cpu, view);
	/* The read the condition let run (not one that reported a
	 * violation): the reduction may then skip reversals of it that
	 * cannot change anything. A set-up step is no event. */
	if (x->dp && !x->in_setup && !vmsa_stopped(m) &&
	    ((v & mask) == val) == eq)
		dpor_wait_read(x->dp, pa, mask, val, eq, v,
			       irq_deliverable(m, (unsigned)cpu));
	if (c->state == XCPU_WAITING)
		c->state = XCPU_READY;
	c->w = outer;
	c->wait_arrived = outer.pending;
	return v;
}

/* ------------------------------------------------------------------ */
/* Executions                                                          */
/* ------------------------------------------------------------------ */

/* The race diagnostic's trace (dpor_wants_ops): names the events. */
static void race_ops_trace(void *ctx, const vmsa_trace_event_t *e)
{
	struct explorer *x = ctx;

	if (x->dp)
		dpor_note_op(x->dp, e->op, e->text);
}

static void setup_machine(struct explorer *x)
{
	vmsa_machine_t *m = x->run.m;
	vmsa_chooser_t ch = {choose_hook, x};

	vmsa_set_chooser(m, &ch);
	vmsa_set_bbm_continue(m, x->opts.continue_after_bbm);
	vmsa_set_bbm_no_conflict_abort(m, x->opts.bbm_no_conflict_abort);
	/* The held-entry rule (translate.c, drop_held_values()): on in
	 * every search unless VMSA_ORDER_HPRUNE is "0", to compare. */
	machine_set_held_prune(m, explore_rule_on("VMSA_ORDER_HPRUNE"));
	vmsa_set_step_hook(m, NULL, NULL);
	machine_set_retry_hook(m, repeat_retry, x);
	vmsa_set_violation_hook(m, violation_hook, x);
	if (!x->opts.trace && x->dp && dpor_wants_ops(x->dp))
		vmsa_set_trace(m, race_ops_trace, x);
	else
		vmsa_set_trace(m, x->opts.trace, x->opts.trace_ctx);
	if (x->opts.trace_machine)
		x->opts.trace_machine(x->opts.trace_ctx, m);
	for (unsigned c = 0; c < x->ncpus; c++)
		for (unsigned el = 1; el <= 2; el++)
			vmsa_set_handler(m, c, el,
					 x->scenario->handler[c][el], &x->run);
}

/*
 * Set-up is deterministic: its result is saved after the first execution
 * and restored before the others (machine state and run data), which is
 * much cheaper than running it again. Without a snapshot (out of memory)
 * set-up simply runs every time.
 */
static void save_setup(struct explorer *x)
{
	x->snap = vmsa_snapshot_take(x->run.m);
	if (x->snap)
		memcpy(x->saved_data, x->run.data, sizeof(x->saved_data));
}

static bool restore_setup(struct explorer *x)
{
	if (!x->snap || vmsa_snapshot_restore(x->run.m, x->snap))
		return false;
	memcpy(x->run.data, x->saved_data, sizeof(x->saved_data));
	setup_machine(x);
	return true;
}

/*
 * With serial_start: each CPU in turn makes its set-up steps, up to its
 * start gate (or its end), from the main context and with setup_hook():
 * no scheduling point, no event of the reduction. The scheduler offered
 * no choice there (only the CPU setting up could run), so the decisions
 * are those it made; and no race can be reversed across the gate, so
 * the reduction loses nothing by not seeing those steps: every later
 * step comes after all of them. A CPU finished before the gate is not
 * woken by an interrupt until the gate opens. Returns false when the
 * execution stopped or was ended there.
 */
static bool run_setups(struct explorer *x)
{
	vmsa_machine_t *m = x->run.m;

	x->setup_last = -1;
	x->in_setup = true;
	/* The messages of set-up steps are no event's (order.h). */
	order_event(&m->ord, -1);
	vmsa_set_step_hook(m, setup_hook, x);
	for (unsigned i = 0; i < x->ncpus; i++) {
		if (vmsa_stopped(m) || x->ended)
			break;
		/* Another CPU than the one before runs (repeat.c). */
		if (i)
			x->switches++;
		x->cur = (int)i;
		coro_switch(x->main_co, x->cpu[i].co);
	}
	x->in_setup = false;
	x->cur = -1;
	vmsa_set_step_hook(m, NULL, NULL);
	return !vmsa_stopped(m) && !x->ended;
}

/* The first CPU to run: the one that passed the start gate last goes on
 * (no scheduling point there, as before a step), else the first
 * decision. */
static void run_cpus(struct explorer *x)
{
	int last = x->setup_last;

	if (last >= 0) {
		x->cur = last;
		coro_switch(x->main_co, x->cpu[last].co);
	} else {
		switch_away(x, -1);
	}
}

/* Start the execution from set-up (run once, or its snapshot) and run
 * its CPUs; false when set-up failed. */
static bool run_from_setup(struct explorer *x)
{
	vmsa_machine_t *m = x->run.m;
	bool setup_ok;

	x->pos = 0;
	x->preemptions = 0;
	x->cur = -1;
	if (!restore_setup(x)) {
		vmsa_machine_reset(m);
		setup_machine(x);
		memset(x->run.data, 0, sizeof(x->run.data));
		if (x->scenario->setup)
			x->scenario->setup(&x->run);
		/* The first execution starts from the snapshot too: memory
		 * then comes from it in every execution, which states saved
		 * to resume from store only their changes to (resume.h). */
		if (!vmsa_stopped(m)) {
			save_setup(x);
			if (x->rs && x->snap)
				restore_setup(x);
		}
	}
	x->executions++;
	if (vmsa_stopped(m)) {
		x->setup_failed = true;
		return false;
	}
	resume_exec_begin(x);
	for (unsigned i = 0; i < x->ncpus; i++) {
		x->cpu[i].state = XCPU_READY;
		x->cpu[i].steps = 0;
		x->cpu[i].gate_passed = x->cpu[i].at_gate = false;
		x->cpu[i].w.pending = x->cpu[i].wait_arrived = false;
		x->cpu[i].state_p = NULL;
		x->cpu[i].state_size = 0;
		coro_start(x->cpu[i].co, cpu_entry, &x->cpu[i]);
	}
	x->pruned = false;
	x->ended = false;
	x->wdrop = x->mdrop = false;
	x->setup_last = -1;
	repeat_reset(x->rep);
	setup_ok = !x->opts.serial_start || run_setups(x);
	if (x->dp) {
		dpor_exec_begin(x->dp, m);
		/* The last of the prefix is the decision backtrack() changed. */
		dpor_exec_replays(x->dp, x->n_prefix ? x->n_prefix - 1 : 0);
	}
	vmsa_set_step_hook(m, step_hook, x);
	/* The first CPU to run is a decision too. */
	if (setup_ok) {
		run_cpus(x);
		resume_serve(x);
	}
	return true;
}

/* An execution cut short: why, for the statistics. A rule's drop also
 * ends the execution (schedule()); a probe's end (par_worker.c) is no
 * execution of the search, whose counts the probe puts back. */
static void count_cut_short(struct explorer *x)
{
	if (x->wdrop)
		x->ruled++;
	else if (x->pruned && !x->probe_end)
		x->blocked++;
	else if (x->ended)
		x->ended_by_scenario++;
}

/*
 * Feature relaxed: is the execution just run, which its scenario did not
 * end, not one of the architecture's? So the ordering model says of it
 * once a walk made after a completed TLBI read a value that TLBI is
 * ordered after the overwriting of, with a read of the issuer that missed
 * what the access is then ordered before (vmsa_infeasible, tlbi_late.c);
 * or when a CPU's promise can no longer be fulfilled
 * (vmsa_promises_doomed), or is still pending at the end of an
 * execution that ran to its end (Promising-ARM certifies every promise:
 * docs/model.md, "How load buffering is covered"). A violation met in
 * such an execution is not one the architecture can reach that way: the
 * step that made it infeasible, or the promise no later store can
 * fulfil, rules out every way on from there. The litmus front end drops
 * these itself (explore_end); a C scenario's check need not.
 */
static bool not_architectural(const struct explorer *x)
{
	const vmsa_machine_t *m = x->run.m;
	bool to_end = !vmsa_stopped(m);

	if (!vmsa_machine_features(m)->relaxed)
		return false;
	if (vmsa_infeasible(m))
		return true;
	for (unsigned c = 0; c < x->ncpus; c++)
		if (vmsa_promises_doomed(m, (vmsa_cpu_t)c) ||
		    (to_end && vmsa_promises_pending(m, (vmsa_cpu_t)c)))
			return true;
	return false;
}

const vmsa_violation_t *explore_violation(const struct explorer *x)
{
	return x->mdrop ? NULL : vmsa_violation(x->run.m);
}

/* One execution, replaying x->dec[0 .. n_prefix): from the deepest state
 * saved on the way that its prefix keeps (resume.h), else from set-up. */
void run_once(struct explorer *x)
{
	vmsa_machine_t *m = x->run.m;

	x->div = DIV_NONE;
	if (resume_start(x)) {
		x->executions++;
		vmsa_set_step_hook(m, step_hook, x);
		coro_switch(x->main_co, x->cpu[x->cur].co);
		resume_serve(x);
	} else if (!run_from_setup(x)) {
		return;
	}
	vmsa_set_step_hook(m, NULL, NULL);
	if (x->dp)
		dpor_exec_end(x->dp, m, x->pos);
	if (!x->pruned && !x->ended && not_architectural(x))
		x->mdrop = x->ended = true;
	count_cut_short(x);
	if (x->pruned || x->ended)
		return; /* abandoned: no check, no divergence to report */
	if (!vmsa_stopped(m) && x->scenario->check)
		x->scenario->check(&x->run);
	if (vmsa_bbm_warning(m))
		x->bbm_warnings++;
	/* A deterministic re-run makes at least the decisions it replays. */
	if (x->pos < x->n_prefix)
		diverge(x, DIV_ENDED, 0, x->n_prefix - x->pos);
}

vmsa_explore_stats_t explore_stats(const struct explorer *x, double seconds)
{
	vmsa_explore_stats_t st = {
		.executions = x->executions, .steps = x->steps,
		.seconds = seconds, .bbm_warnings = x->bbm_warnings,
		.blocked = x->blocked, .ruled = x->ruled,
		.ended = x->ended_by_scenario,
	};

	return st;
}

void explore_end(vmsa_run_t *r)
{
	r->x->ended = true;
}

void explore_stop(vmsa_run_t *r)
{
	if (r->x->in_outcome)
		r->x->stop = true;
}

struct explorer *explore_running;

void explorer_free(struct explorer *x)
{
	if (explore_running == x)
		explore_running = NULL;
	for (unsigned i = 0; i < VMSA_MAX_CPUS; i++)
		coro_free(x->cpu[i].co);
	free(x->main_co);
	vmsa_snapshot_free(x->snap);
	resume_free(x->rs);
	dpor_free(x->dp);
	repeat_free(x->rep);
	if (x->wait_fp) {
		fp_free(x->wait_fp);
		free(x->wait_fp);
	}
	vmsa_machine_free(x->run.m);
	dec_vec_free(&x->dec);
	free(x);
}

static unsigned scenario_cpus(const vmsa_scenario_t *s)
{
	unsigned n = 0;

	while (n < VMSA_MAX_CPUS && s->cpu[n])
		n++;
	return n;
}

/* A new explorer for s in configuration `config`, or NULL with err set
 * and *rc the negative errno vmsa_explore() returns: -EINVAL for what the
 * caller got wrong (the scenario, the configuration), -ENOMEM. */
struct explorer *explorer_new(const vmsa_scenario_t *s, const char *config,
			      const vmsa_explore_opts_t *o, char *err,
			      size_t err_size, int *rc)
{
	struct explorer *x = calloc(1, sizeof(*x));
	const char *why = NULL;

	*rc = -ENOMEM;
	if (!x) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	*rc = -EINVAL;
	x->scenario = s;
	x->opts = *o;
	x->ncpus = scenario_cpus(s);
	if (!x->ncpus) {
		snprintf(err, err_size, "scenario %s has no CPU function",
			 s->name);
		goto fail;
	}
	if (vmsa_config_parse(config, x->ncpus, &x->run.f, &why)) {
		snprintf(err, err_size, "configuration '%s': %s", config, why);
		goto fail;
	}
	if (x->run.f.ncpus < x->ncpus) {
		snprintf(err, err_size,
			 "configuration '%s' has %u CPUs, scenario %s needs %u",
			 config, x->run.f.ncpus, s->name, x->ncpus);
		goto fail;
	}
	/* vmsa_config_parse() checked the features: only memory is left
	 * to fail. */
	*rc = -ENOMEM;
	x->run.m = vmsa_machine_new(&x->run.f, &why);
	x->main_co = coro_main();
	if (!x->run.m || !x->main_co) {
		snprintf(err, err_size, "cannot create the machine: %s",
			 why ? why : "out of memory");
		goto fail;
	}
	for (unsigned i = 0; i < x->ncpus; i++) {
		x->cpu[i].co = coro_new(STACK_SIZE);
		x->cpu[i].id = i;
		x->cpu[i].x = x;
		if (!x->cpu[i].co) {
			snprintf(err, err_size, "out of memory for CPU stacks");
			goto fail;
		}
	}
	/* Without it (out of memory, or not wanted) livelocks are left to
	 * the step budget. */
	if (!o->budget_livelocks_only)
		x->rep = repeat_new();
	x->run.x = x;
	x->run.scenario = s;
	x->rs = resume_new(x);
	x->check = decisions_check(s->name, config, o->step_budget);
	*rc = 0;
	return x;
fail:
	explorer_free(x);
	return NULL;
}
