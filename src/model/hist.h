/*
 * src/model/hist.h - recent values of descriptor locations.
 *
 * For every location that has been written as a descriptor, the model keeps
 * the last few values with the step at which each was written and the step
 * at which it became visible to translation table walks. Two rules need
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

#define HIST_DEPTH 8
#define HIST_PENDING UINT64_MAX

struct hist_val {
	uint64_t value;
	uint64_t write_step;
	uint64_t vis_step;	/* HIST_PENDING until the writer's DSB */
	int cpu;		/* writer, or -1 for set-up and the initial value */
};

struct hist {
	uint64_t pa;		/* 8-byte aligned; 0 marks a free slot */
	unsigned n;		/* values in v[], oldest first */
	struct hist_val v[HIST_DEPTH];
};

/* Open-addressing table of struct hist keyed by PA. */
struct hist_table {
	struct hist *slots;
	unsigned cap;		/* power of two */
	unsigned used;
};

int hist_init(struct hist_table *t);
void hist_destroy(struct hist_table *t);
void hist_reset(struct hist_table *t);

/* The history of pa, or NULL when it was never written as a descriptor. */
struct hist *hist_find(const struct hist_table *t, uint64_t pa);

/* Record that `cpu` wrote `value` at pa at step `step` (pending until its
 * DSB; visible at once when cpu < 0). `prev` is the value memory held
 * before, used as the initial entry of a new history. Returns the history,
 * or NULL when out of memory. */
struct hist *hist_write(struct hist_table *t, uint64_t pa, uint64_t prev,
			uint64_t value, int cpu, uint64_t step);

/* `cpu`'s DSB at `step`: its pending values at pa become visible. */
void hist_publish(struct hist *h, int cpu, uint64_t step);

/* Index of the newest value visible to walks (there is always one). */
unsigned hist_visible(const struct hist *h);

/* True when value i was the visible value at some time at or after
 * `since` (it is visible now, or a newer value became visible later than
 * `since`). */
bool hist_current_since(const struct hist *h, unsigned i, uint64_t since);

/* Memory [pa, pa + size) was zeroed (a fresh allocation): every location
 * in it with a history now holds 0, visible to walks at once. */
void hist_forget_page(struct hist_table *t, uint64_t pa, uint64_t size,
		      uint64_t step);

/* Make dst a copy of src (dst set up by hist_init or a copy). Returns 0
 * or -ENOMEM (dst unchanged). */
int hist_copy(struct hist_table *dst, const struct hist_table *src);

#endif
