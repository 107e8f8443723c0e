/*
 * src/explore/dpor.h - dynamic partial-order reduction of the exhaustive
 * search (docs/explorer.md, "Partial-order reduction"). Private.
 *
 * The explorer tells this module where each event (what one CPU does
 * between two scheduling points: one model step, or resuming from a
 * wait) begins and ends; the model records the event's footprint
 * (src/model/footprint.h). At the end of an execution dpor_analyse()
 * finds the races of its events and adds CPUs to the backtrack sets of
 * the scheduling decisions where reversing a race must start. The
 * search then explores, at a scheduling decision, only the CPUs of its
 * backtrack set (and, without a preemption bound, not those in its
 * sleep set). The model's own choices are not scheduling decisions: the
 * search explores every option of each of them.
 */
#ifndef VMSA_EXPLORE_DPOR_H
#define VMSA_EXPLORE_DPOR_H

#include <stdbool.h>
#include <stdint.h>

#include "vmsa/model.h"

struct dpor;

/* A reducer for executions of ncpus CPUs; bounded: the search has a
 * preemption bound (then Coons et al.'s bounded POR, without sleep
 * sets). NULL when out of memory. */
struct dpor *dpor_new(unsigned ncpus, bool bounded);
/* A reducer that only gathers the footprints of steps at their
 * scheduling decisions (never analysed; no race diagnostic): a parallel
 * search's probes of a sibling's step (par_worker.c). */
struct dpor *dpor_new_steps(unsigned ncpus);
void dpor_free(struct dpor *d);

/* A new execution on machine m (recording footprints from now on). */
void dpor_exec_begin(struct dpor *d, vmsa_machine_t *m);

/*
 * Right after dpor_exec_begin(): the execution's decisions [0, n) are
 * the previous execution's (the search replays them), so a step whose
 * decisions all come from there is the previous execution's step again
 * and its footprint need not be recorded (the model must be
 * deterministic: the explorer's replays already rely on that).
 */
void dpor_exec_replays(struct dpor *d, unsigned n);

/*
 * Where an execution is at a scheduling point, between two events: what
 * resuming another execution there needs of the reducer (docs/explorer.md,
 * "Resuming from a decision"). ok: no event is in progress.
 */
struct dpor_cursor {
	unsigned events;
	unsigned sleep;
	int sleep_node[VMSA_MAX_CPUS];
	int ended;
	bool ok;
};
struct dpor_cursor dpor_cursor(const struct dpor *d);

/*
 * Right after dpor_exec_begin() and dpor_exec_replays(): the execution
 * starts at cursor c, taken at a scheduling point before decision p of
 * an earlier execution whose decisions [0, p) this one replays, with
 * p <= the replayed count. Its events before c are the previous
 * execution's, copied as a replay would make them again. 0; -EINVAL
 * when the previous execution cannot give them (the caller replays from
 * the start instead); -ENOMEM.
 */
int dpor_exec_resume(struct dpor *d, const struct dpor_cursor *c);

/* Stop recording (the execution is over, having made pos decisions). */
void dpor_exec_end(struct dpor *d, vmsa_machine_t *m, unsigned pos);

/* The event in progress, if any, is over; the execution has made pos
 * decisions so far. */
void dpor_event_end(struct dpor *d, vmsa_machine_t *m, unsigned pos);

/* The race diagnostic names events by operation (VMSA_DPOR_RACES=steps,
 * docs/explorer.md "Which dependencies cost"): the explorer then traces
 * the machine and passes each traced operation (op, the trace text) to
 * dpor_note_op(), which labels the event in progress with its first. */
bool dpor_wants_ops(const struct dpor *d);
void dpor_note_op(struct dpor *d, const char *op, const char *text);

/* The CPUs that must not be scheduled now (the sleep set). */
unsigned dpor_sleeping(const struct dpor *d);

/*
 * A scheduling point with options opt[0 .. n) (CPU numbers, in option
 * order) chose option `chosen`; `node` is the index of its decision in
 * the execution's decisions, or -1 when there was no decision (one
 * option). fresh: the decision was made now, not replayed. free_: the
 * search may try other options there (the preemption bound allows it).
 * Starts the chosen CPU's event. 0, or -ENOMEM.
 */
int dpor_event_begin(struct dpor *d, vmsa_machine_t *m, const unsigned *opt,
		     unsigned n, unsigned chosen, int node, bool fresh,
		     bool free_);

/*
 * At a scheduling point (after dpor_event_end): CPU cpu waits (vmsa_wait_eq
 * and the like) and may not make its read, the wait's condition being
 * false; `check` is what that depends on (fp_wait_check). The failed
 * check is no step, but the reduction must reverse its race with the
 * event that made it fail, as for a read: it becomes an event of its own
 * (no scheduling decision, never a race's earlier event) when cpu has
 * just arrived at the wait (`arrived`) or the event that just ended is
 * dependent with it. 0, or -ENOMEM. docs/explorer.md, "Waits".
 */
struct footprint;
int dpor_wait_check(struct dpor *d, unsigned cpu,
		    const struct footprint *check, bool arrived);

/*
 * The event in progress is the read of a wait (vmsa_wait_eq/ne) of the
 * 8-byte word at pa, whose condition ((v & mask) == val) == eq held for
 * the value v it read; irq: an interrupt the CPU could take was pending
 * then. A race of a write with it whose reversal would only leave the
 * CPU blocked at the wait is then not reversed, its blocked check's
 * races are found instead (docs/explorer.md, "Wait reads that cannot
 * move"); with irq set, never (blocked there, the CPU would take the
 * interrupt).
 */
void dpor_wait_read(struct dpor *d, uint64_t pa, uint64_t mask,
		    uint64_t val, bool eq, uint64_t v, bool irq);

/* CPU cpu had not finished when a violation (ended false) or the
 * scenario (explore_end: ended true) ended the execution: its next
 * event, never run, counts as touching everything, so that the races it
 * would have had are reversed (searches that go on after violations:
 * explore_outcomes(); ended executions). Ended by the scenario in an
 * unbounded search, it is dependent with the event that ended it alone:
 * reversed there, the step runs with its own footprint
 * (docs/explorer.md, "Pending events"). */
int dpor_add_pending(struct dpor *d, unsigned cpu, bool ended);

/* The execution that just ended stopped before its CPUs finished (a
 * violation, a sleep-set prune): call before dpor_analyse(). */
void dpor_exec_truncated(struct dpor *d);

/* Find the races of the execution that just ended and extend the
 * backtrack sets. 0, or -ENOMEM. */
int dpor_analyse(struct dpor *d);

/* The next option to explore at the scheduling decision with index
 * `node`, whose option `chosen` has just been explored: -1 when none is
 * left. */
int dpor_next_option(struct dpor *d, unsigned node, unsigned chosen);

/*
 * A subtree of a parallel reduced search (parallel.h, docs/explorer.md
 * "Parallel search"): decisions [0, floor) are its prefix, which this
 * search never backtracks into. A race whose reversal must start at a
 * scheduling decision of the prefix cannot be explored here: each CPU
 * the analysis adds to such a decision's backtrack set is passed to
 * above(ctx, node, option, cpu) instead (the coordinator makes it a unit
 * of its own unless some unit explores that CPU there), and remembered,
 * so that it is passed once. Floor 0 (the default) never calls it.
 */
typedef void dpor_above_fn(void *ctx, unsigned node, unsigned option,
			   unsigned cpu);
void dpor_set_floor(struct dpor *d, unsigned floor, dpor_above_fn *above,
		    void *ctx);

/* What the rest of a parallel search knows of a scheduling decision of
 * a prefix (CPU masks): `cover`, the CPUs explored there or to be
 * explored by some unit, and `done`, those whose subtrees were explored
 * to the end before the unit was made (they sleep below it, as in the
 * serial search). */
struct dpor_mask {
	uint32_t cover, done;
};

/* Seed prefix decision `node` (before the first execution reaches it):
 * its backtrack set starts as m.cover and its done set as m.done; each
 * CPU of m.done then needs its footprint there (dpor_seed_fp) before the
 * search starts. 0, or -ENOMEM. */
int dpor_seed(struct dpor *d, unsigned node, struct dpor_mask m);

/* The footprint of CPU cpu's event at seeded decision `node` (flags,
 * lines[0 .. n)): what it sleeps with below. 0, or -ENOMEM. */
int dpor_seed_fp(struct dpor *d, unsigned node, unsigned cpu, unsigned flags,
		 const uint64_t *lines, unsigned n);

/* Decision `node`'s mask as dpor_seed takes it (zero for a decision
 * that is not a scheduling decision or was never reached): its
 * backtrack set with everything explored there, its done set. */
struct dpor_mask dpor_mask_of(const struct dpor *d, unsigned node);

/* The footprint CPU cpu's events at decision `node` have had, over
 * every execution that went through there with it: what a CPU of its
 * done set sleeps with (for dpor_seed_fp): flags (FP_ALL when it could
 * not be recorded) and *lines[0 .. return value). */
unsigned dpor_done_fp(const struct dpor *d, unsigned node, unsigned cpu,
		      unsigned *flags, const uint64_t **lines);

/* The CPU of option `option` at scheduling decision `node`, or -1 when
 * the decision was never reached or has no such option. */
int dpor_option_cpu(const struct dpor *d, unsigned node, unsigned option);

/*
 * Seeded prefix decision `node` (dpor_seed) gets CPU cpu as a sleeper:
 * a sibling explored before this unit's option there, in the order of
 * the units (docs/explorer.md, "The reduced search in parallel"), its
 * subtree unfinished but guaranteed to be explored by some unit. It
 * joins the decision's done and cover sets and sleeps below it with
 * footprint (flags, lines[0 .. n)): the union of its step's footprints
 * there over every option of the model's choices in the step. 0,
 * -EINVAL (not seeded), or -ENOMEM.
 */
int dpor_seed_sleeper(struct dpor *d, unsigned node, unsigned cpu,
		      unsigned flags, const uint64_t *lines, unsigned n);

/* The options (a mask of option indices) still to explore at
 * scheduling decision `node`, besides the one it is taking now: what a
 * worker can hand away there. */
uint32_t dpor_untried(const struct dpor *d, unsigned node, unsigned chosen);

/*
 * The event that just ended placed a plain data write freely below
 * messages already made (order.c, wp_n): is that place one that the
 * interleaving where the write's CPU runs first covers (docs/model.md,
 * "A write's place below messages it could precede")? Then the search
 * drops this execution.
 */
bool dpor_wplace_redundant(struct dpor *d, const vmsa_machine_t *m);

/*
 * The event that just ended made one plain load or store through an
 * entry another CPU's TLBI retired (order.c, rt_n and rt_ok): is it one
 * the interleaving where the access runs before that TLBI's completion,
 * through the entry then still held, covers (docs/model.md, "An access
 * through a retired entry it could precede")? Then the search drops
 * this execution.
 */
bool dpor_retired_redundant(struct dpor *d, const vmsa_machine_t *m);

/*
 * The event that just ended made one plain read of a data word that took
 * a message older than messages other events made (order.c, rd_n and
 * rd_ok): is it one the interleaving where the read runs before those
 * events covers (docs/model.md, "A read of an older message another
 * order gives")? Then the search drops this execution.
 */
bool dpor_read_redundant(struct dpor *d, const vmsa_machine_t *m);

/* Count every write of a CPU's window as observed (no window left out of
 * the analysis): what dpor_wplace_redundant() and
 * dpor_retired_redundant() need. */
void dpor_all_windows(struct dpor *d);

#endif
