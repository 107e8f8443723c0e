/*
 * src/explore/resume.h - resuming an execution from a state saved at a
 * scheduling decision of an earlier one (docs/explorer.md, "Resuming
 * from a decision"). Private.
 *
 * The search is stateless: every execution starts from set-up's snapshot
 * and replays the decisions of its prefix, and those replayed steps were
 * 73 to 96% of the model's work. With vmsa_explore_opts_t.resume_every,
 * a CPU at a scheduling decision asks the main context to save the
 * whole state there (the machine: model/checkpoint.h; every CPU's
 * coroutine stack: coro_image; the run data, the explorer's and the
 * reducer's place in the execution); the states of one execution's path
 * form a stack by decision. An execution whose prefix keeps the
 * decisions before a saved state starts from the deepest such state,
 * and replays only the decisions after it.
 */
#ifndef VMSA_EXPLORE_RESUME_H
#define VMSA_EXPLORE_RESUME_H

#include <stdbool.h>
#include <stdint.h>

struct explorer;
struct resume;

/* The saver of explorer x, whose options ask for it (resume_every) and
 * allow it (no random runs, no trace, coroutine images): NULL when not
 * (or out of memory: the search then replays, as without it). */
struct resume *resume_new(const struct explorer *x);
void resume_free(struct resume *r);

/* A new execution: the time to tell how many steps it has made. */
void resume_exec_begin(struct explorer *x);

/* At a scheduling decision of the running CPU x->cur (before it is
 * made, the reducer's event ended): save the state here when due. The
 * CPU's coroutine switches to the main context, which saves and
 * switches back (resume_serve); an execution resumed here later returns
 * from this call too. */
void resume_point(struct explorer *x);

/* In the main context, after it took control from the CPUs: save for
 * the CPU that asked (resume_point), give control back, and again until
 * the execution ends or is abandoned. */
void resume_serve(struct explorer *x);

/* Put in place, for the execution that replays x->dec[0 .. n_prefix),
 * the deepest saved state its prefix keeps, dropping the states it does
 * not: true when it did (the caller then switches to CPU x->cur, which
 * goes on from the decision it saved at), false when none fits or one
 * could not be loaded (the caller starts from set-up). */
bool resume_start(struct explorer *x);

/* Executions resumed in this process so far, over every search (for
 * tests: that a search did resume). */
extern _Atomic uint64_t resume_count;

/* The most states one path keeps: past it, deeper decisions are not
 * saved (a later execution that changes one resumes from the deepest
 * state kept and replays the rest). A state holds the machine, whose
 * lists grow with the execution, so an execution of thousands of
 * decisions (a loop that runs until a budget ends it) kept thousands of
 * ever larger states: a litmus thread whose fault handler returns to
 * its faulting load took 1 GB and 5 s for one execution. */
#define RESUME_MAX_STATES 256u

/* The most states a path of any search kept so far in this process
 * (for tests: the bound above holds). */
extern _Atomic unsigned resume_depth_max;

#endif
