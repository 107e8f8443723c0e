/*
 * src/model/digest.h - a machine's state in canonical form, to tell
 * whether an execution came back to a state it was in before (the
 * explorer's repeated-fault livelock, src/explore/repeat.c). Private.
 *
 * A digest is the bytes of everything in the machine that a later step
 * can read, with step numbers replaced by their rank (digest.c says
 * which fields are left out and why). Two digests are equal when their
 * bytes are: the comparison is exact, there is no hash to collide.
 */
#ifndef VMSA_MODEL_DIGEST_H
#define VMSA_MODEL_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsa/model.h"

struct digest {
	unsigned char *p;	/* the canonical bytes */
	size_t n, cap;
	/* Offsets in p of the step numbers written so far (digest_step),
	 * ranked by digest_finish. */
	size_t *steps;
	size_t n_steps, cap_steps;
	bool oom;		/* something could not be appended */
};

/* Empty d for a new digest (its memory is kept). */
void digest_clear(struct digest *d);

/* Release d's memory; d is empty again. */
void digest_free(struct digest *d);

/* Append n bytes at p. */
void digest_bytes(struct digest *d, const void *p, size_t n);

/* Append a 64-bit value. */
void digest_u64(struct digest *d, uint64_t v);

/* Append a step number (m->step's scale): ranked by digest_finish. 0
 * ("never") and UINT64_MAX ("not yet", HIST_PENDING) stay as they are. */
void digest_step(struct digest *d, uint64_t step);

/*
 * Append m's state (digest.c lists what it holds). Returns 0, or
 * -EOPNOTSUPP for a state this file cannot put in canonical form (the
 * ordering model of feature `relaxed`, whose timestamps and lists of
 * every access only grow: such a state never repeats anyway).
 */
int digest_machine(struct digest *d, const vmsa_machine_t *m);

/* Rank the step numbers: d is complete. Returns 0, or
 * -ENOMEM when something could not be appended (d is then unusable). */
int digest_finish(struct digest *d);

/* Are the two complete digests the same state (exact comparison)? */
bool digest_equal(const struct digest *a, const struct digest *b);

#endif
