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

/*
 * The retries recorded so far, saved with a state an execution may
 * resume from (docs/explorer.md, "Resuming from a decision"): the next
 * retry compares with them as it would in a replay. An image is reused
 * from one save to the next. repeat_save: 0, or -ENOMEM (img unusable);
 * repeat_load (r then holds exactly the saved records): 0, or -ENOMEM
 * (r holds none: the caller replays instead). A NULL r records nothing.
 */
struct repeat_image;
struct repeat_image *repeat_image_new(void);
void repeat_image_free(struct repeat_image *img);
int repeat_save(const struct repeat *r, struct repeat_image *img);
int repeat_load(struct repeat *r, const struct repeat_image *img);

void repeat_free(struct repeat *r);

#endif
