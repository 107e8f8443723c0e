/*
 * src/explore/repeat.h - a livelock seen as a repeated state: a CPU
 * retries the same faulting access with nothing changed since its
 * previous retry (docs/explorer.md, "The two livelocks"). Private.
 */
#ifndef VMSA_EXPLORE_REPEAT_H
#define VMSA_EXPLORE_REPEAT_H

#include <stdbool.h>

#include "vmsa/model.h"

struct explorer;
struct repeat;

/* The retry hook the explorer installs on its machine (model/machine.h,
 * machine_retry_fn); ctx is the explorer. */
void repeat_retry(void *ctx, vmsa_machine_t *m, int cpu,
		  const vmsa_fault_t *f, bool first);

/* A new one (NULL: out of memory; the search then goes on without it,
 * leaving livelocks to the step budget). */
struct repeat *repeat_new(void);

/* Forget every retry recorded (a new execution). */
void repeat_reset(struct repeat *r);

/* Has no retry been recorded since the last reset? (An execution is
 * resumed only from such a point: docs/explorer.md, "Resuming from a
 * decision"; a NULL r records none.) */
bool repeat_idle(const struct repeat *r);

void repeat_free(struct repeat *r);

#endif
