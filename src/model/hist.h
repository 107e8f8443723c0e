/*
 * src/model/hist.h - recent values of descriptor locations.
 *
 * For every location that has been written as a descriptor, the model keeps
 * every value a walk may still read (all values but those that stopped
 * being visible before every CPU's spurious-fault window began), with the
 * step at which each was written and the step at which it became visible
 * to translation table walks. Two rules need
 * them:
 *  - RSPVBD: a store by a CPU may stay invisible to walks (of every CPU)
 *    until that CPU's next DSB, so a walk may read the last visible value
 *    or any newer pending one;
 *  - spurious translation faults (no FEAT_ETS2): a walk may have been done
 *    early, and so use a value that was invalid at some time since the
 *    start of the CPU's window (its last context synchronisation event, or
 *    with ETS2 its last explicit access or DSB).
 */
#ifndef VMSA_MODEL_HIST_H
#define VMSA_MODEL_HIST_H

#include <stdbool.h>
#include <stdint.h>

#include "util/htab.h"
#include "util/vec.h"

/* Room a history starts with. When it is full, the values no walk can
 * use any more are dropped (hist_write) and it doubles if that did not
 * free half of it: every value a walk may still read is kept, however
 * many (the old invalid ones are spurious-fault candidates, RSPVBD needs
 * every pending one). */
#define HIST_FIRST_CAP 8u
#define HIST_PENDING UINT64_MAX

struct hist_val {
	uint64_t value;
	uint64_t write_step;
	uint64_t vis_step;	/* HIST_PENDING until the writer's DSB */
	int cpu;		/* writer, or -1 for set-up and the initial value */
	bool hw;		/* a hardware AF/dirty update (translate.c,
				   hwspec.c) */
};

struct hist {
	uint64_t key;		/* the PA, 8-byte aligned */
	uint32_t gen;		/* the table's (util/htab.h) */
	unsigned n;		/* values in v[], oldest first */
	unsigned cap;		/* room at v */
	unsigned off;		/* v's index in the table's value pool */
	/* How many DSBs made one of its values visible so far: the
	 * version of its visibility to walks, which the reduction's
	 * footprints name (footprint.h, fp_vis_version). */
	uint32_t pubs;
	struct hist_val *v;	/* valid until the next hist_write/copy */
};

static inline uint64_t hist_hash(uint64_t pa)
{
	return (pa >> 3) * 0x9e3779b97f4a7c15ull;
}

HTAB_DEFINE(hist_slots, struct hist, hist_hash)
VEC_DEFINE(hist_vals, struct hist_val)

/* Histories keyed by PA; their values in one pool, so that a reset or a
 * snapshot copy is two block operations. */
struct hist_table {
	struct hist_slots slots;
	struct hist_vals vals;
};

int hist_init(struct hist_table *t);
void hist_destroy(struct hist_table *t);
void hist_reset(struct hist_table *t);

/* The history of pa, or NULL when it was never written as a descriptor. */
struct hist *hist_find(const struct hist_table *t, uint64_t pa);

/* Record that `cpu` wrote `value` at pa at step `step` (pending until its
 * DSB; visible at once when cpu < 0). `prev` is the value memory held
 * before, used as the initial entry of a new history. `dead_before` is
 * the earliest step at which a walk may still be done early (the oldest
 * spurious-fault window of any CPU): values that stopped being visible
 * by then may be dropped. Returns the history, or NULL when out of memory
 * (nothing recorded). */
struct hist *hist_write(struct hist_table *t, uint64_t pa, uint64_t prev,
			uint64_t value, int cpu, uint64_t step,
			uint64_t dead_before);

/* `cpu`'s DSB at `step`: its pending values at pa become visible. True
 * when one did (h->pubs counts those DSBs). */
bool hist_publish(struct hist *h, int cpu, uint64_t step);

/* Index of the newest value visible to walks (there is always one). */
unsigned hist_visible(const struct hist *h);

/* True when value i was the visible value at some time at or after
 * `since` (it is visible now, or a newer value became visible later than
 * `since`). */
bool hist_current_since(const struct hist *h, unsigned i, uint64_t since);

/* The same for a value that became visible at `start`, when the values
 * newer than it became visible at `end` at the earliest (HIST_PENDING:
 * none yet): for callers that walk a history from the newest value back
 * and keep that minimum as they go. */
static inline bool hist_current_between(uint64_t start, uint64_t end,
					uint64_t since)
{
	if (start == HIST_PENDING || end <= start)
		return false;
	return end == HIST_PENDING || end > since;
}

/* Memory [pa, pa + size) was zeroed (a fresh allocation): every location
 * in it with a history now holds 0, visible to walks at once. Returns 0,
 * or -ENOMEM when a history could not take the value. */
int hist_forget_page(struct hist_table *t, uint64_t pa, uint64_t size,
		     uint64_t step, uint64_t dead_before);

/* Does any location in [pa, pa + size) have a history (which
 * hist_forget_page() would write)? */
bool hist_page_any(const struct hist_table *t, uint64_t pa, uint64_t size);

/* Make dst a copy of src (dst set up by hist_init or a copy). Returns 0
 * or -ENOMEM (dst unchanged). */
int hist_copy(struct hist_table *dst, const struct hist_table *src);

#endif
