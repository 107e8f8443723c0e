/*
 * src/model/checkpoint.h - the machine's whole state between two steps,
 * saved and loaded again (docs/explorer.md, "Resuming from a decision").
 * Private to libvmsa.
 *
 * The explorer restarts every execution from set-up's snapshot and
 * replays the decisions of its prefix: 73 to 96% of the model steps of a
 * long search are such replays. A checkpoint taken at a scheduling point
 * lets a later execution that shares the decisions before that point
 * start there instead. Unlike vmsa_snapshot_t (set-up only, CPUs plain),
 * a checkpoint holds everything an execution can change: memory, cache,
 * histories, the ordering model, every CPU's TLB sets, pending stores and
 * TLBIs, monitors, interrupts, contexts, freed pages and the warning of a
 * continued break-before-make violation.
 */
#ifndef VMSA_MODEL_CHECKPOINT_H
#define VMSA_MODEL_CHECKPOINT_H

#include "vmsa/model.h"

struct machine_ckpt;

/* An empty checkpoint (reused by every save into it), or NULL when out
 * of memory. */
struct machine_ckpt *machine_ckpt_new(void);
void machine_ckpt_free(struct machine_ckpt *c);

/*
 * Save m's state into c, replacing what c held. m must be between two
 * steps (the explorer calls it from its step hook, before the step
 * starts: step_begin_at) and not stopped. Hooks, chooser, trace and the
 * set-up snapshot m was restored from are not part of the state: the
 * caller keeps them. Returns 0, -EINVAL (a step in progress, or m
 * stopped) or -ENOMEM (c is then empty and must not be loaded).
 */
int machine_ckpt_save(const vmsa_machine_t *m, struct machine_ckpt *c);

/*
 * m becomes the machine c was saved from, as it was then: every later
 * call of the model returns what it would have returned then, asks the
 * same choices with the same numbers of options, records the same
 * footprints and traces the same text. m must be the machine c was saved
 * from; any number of steps, executions and snapshot restores may have
 * happened since. Generation counters and epochs that caches are keyed
 * on move forward, never back, so no memo made after the save is taken
 * for one made before it. The set-up snapshot m's memory was last
 * loaded from at the save (and its scan memo) must still exist: memory
 * is saved as the pages changed since that load. Returns 0, -EINVAL
 * (c holds no successful save, or was saved from a machine with another
 * number of CPUs; m unchanged) or -ENOMEM (m is then in an unspecified
 * state: the caller restores set-up's snapshot instead).
 */
int machine_ckpt_load(vmsa_machine_t *m, const struct machine_ckpt *c);

#endif
