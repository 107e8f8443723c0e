/*
 * src/model/order.h - Arm's ordering of data accesses (the `relaxed`
 * feature): memory as a list of messages with timestamps, per CPU the
 * views of Promising-ARM (Pulte et al., PLDI 2019), reads that may
 * return any message the views allow (an explorer choice, option 0 the
 * newest), barriers, acquire/release and dependencies (docs/model.md,
 * "Ordering of data accesses"). Private to libvmsa.
 *
 * Without the feature nothing here runs: every hook is behind one test
 * of m->f.relaxed, so the sequentially consistent hot path is unchanged.
 */
#ifndef VMSA_MODEL_ORDER_H
#define VMSA_MODEL_ORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "util/htab.h"
#include "util/vec.h"
#include "vmsa/model.h"

/* A write: the 8-byte word it left (the location's value after it),
 * its writer, and the previous message of the same word (index + 1; 0:
 * the initial value). Its timestamp is its index + 1 in the machine's
 * list: timestamp 0 is every location's initial value. */
struct ord_msg {
	uint64_t word;
	uint64_t value;
	int cpu;
	uint32_t prev;
};

/* A location (an 8-byte word) written since the last reset: its value
 * before the first message, its newest message, and per CPU its
 * coherence view and forwarding bank (the timestamp of the CPU's last
 * write there and the view of that write's address and data). */
struct ord_loc {
	uint64_t init;
	uint32_t last;
	uint64_t coh[VMSA_MAX_CPUS];
	uint64_t fwd_ts[VMSA_MAX_CPUS];
	uint64_t fwd_view[VMSA_MAX_CPUS];
};

struct ord_slot {
	uint64_t key;
	uint32_t gen;
	uint32_t idx;	/* into struct order.locs */
};

static inline uint64_t ord_hash(uint64_t pa)
{
	return (pa >> 3) * 0x9e3779b97f4a7c15ull;
}

HTAB_DEFINE(ord_slots, struct ord_slot, ord_hash)
VEC_DEFINE(ord_msgs, struct ord_msg)
VEC_DEFINE(ord_locs, struct ord_loc)
VEC_DEFINE(ord_tsv, uint64_t)

/* A CPU's views (Promising-ARM's thread state without promises). */
struct ord_views {
	uint64_t rold, wold;	/* newest read / write so far */
	uint64_t rnew, wnew;	/* lower bound of later reads / writes */
	uint64_t cap;		/* addresses of accesses so far, branches */
	uint64_t rel;		/* release writes (for RCsc acquires) */
};

struct order {
	struct ord_slots slots;
	struct ord_locs locs;
	struct ord_msgs msgs;
	struct ord_views v[VMSA_MAX_CPUS];
	struct ord_tsv cand;	/* a read's candidates: room for every
				   message and the initial value */
	bool newest;		/* the next read takes the newest message */
};

int order_init(struct order *o);
void order_destroy(struct order *o);
/* Forget every message and view (reset, snapshot restore). */
void order_reset(struct order *o);

/*
 * A read of size bytes at pa by cpu (>= 0) whose newest value, as the
 * memory and cache models give it, is `now`: returns the value read,
 * chosen among the messages the CPU's views allow, and sets *view to
 * the read's post-view. `ord` adds acquire semantics, `addr` is the view
 * of its address. With `rmw_old` non-NULL it is the read of a
 * compare-and-swap: an older message is offered only when its value
 * differs from *rmw_old (a failed CAS is a plain read; a successful one
 * is atomic, so it reads the newest message).
 */
uint64_t order_read(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
		    uint64_t now, vmsa_order_t ord, vmsa_view_t addr,
		    const uint64_t *rmw_old, vmsa_view_t *view);

/* A write by cpu at the 8-byte word `word`, which held `before` and now
 * holds `after`: a new message with the next timestamp. */
void order_write(vmsa_machine_t *m, int cpu, uint64_t word, uint64_t before,
		 uint64_t after, vmsa_order_t ord, vmsa_view_t addr,
		 vmsa_view_t data);

/* DMB or DSB of kind b; ISB. */
void order_barrier(vmsa_machine_t *m, int cpu, vmsa_barrier_t b);
void order_isb(vmsa_machine_t *m, int cpu);

/* The next read of the machine reads the newest message (a wait loop,
 * which reads until it sees what it waits for: every write is
 * eventually visible). */
void order_read_newest(vmsa_machine_t *m);

#endif
