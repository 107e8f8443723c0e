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

#include "vmsa/model.h"

struct dpor;

/* A reducer for executions of ncpus CPUs; bounded: the search has a
 * preemption bound (then Coons et al.'s bounded POR, without sleep
 * sets). NULL when out of memory. */
struct dpor *dpor_new(unsigned ncpus, bool bounded);
void dpor_free(struct dpor *d);

/* A new execution on machine m (recording footprints from now on). */
void dpor_exec_begin(struct dpor *d, vmsa_machine_t *m);

/* Stop recording (the execution is over). */
void dpor_exec_end(struct dpor *d, vmsa_machine_t *m);

/* The event in progress, if any, is over. */
void dpor_event_end(struct dpor *d, vmsa_machine_t *m);

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

/* CPU cpu had not finished when a violation ended the execution: its
 * next event, never run, counts as touching everything, so that the
 * races it would have had are reversed (only for searches that go on
 * after violations: explore_outcomes()). */
int dpor_add_pending(struct dpor *d, unsigned cpu);

/* Find the races of the execution that just ended and extend the
 * backtrack sets. 0, or -ENOMEM. */
int dpor_analyse(struct dpor *d);

/* The next option to explore at the scheduling decision with index
 * `node`, whose option `chosen` has just been explored: -1 when none is
 * left. */
int dpor_next_option(struct dpor *d, unsigned node, unsigned chosen);

#endif
