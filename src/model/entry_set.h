/*
 * src/model/entry_set.h - a set of translation table entries (value,
 * level, input address: a vmsa_bbm_entry_t), emptied in O(1).
 *
 * write.c's table_same() asks whether a new table maps each held entry
 * that competes with it the same way; the answer depends only on the
 * entry's value, level and input address, and every CPU that caches a
 * context holds the same old entries, so a split's table met each of its
 * 513 candidates once per CPU. The set remembers the entries already
 * answered within one call. Open addressing, at most half full; a slot
 * is in use when it carries the set's generation, so emptying the set is
 * a new generation.
 */
#ifndef VMSA_MODEL_ENTRY_SET_H
#define VMSA_MODEL_ENTRY_SET_H

#include <stdbool.h>
#include <stdint.h>

#include "vmsa/arch.h"

struct entry_slot {
	vmsa_bbm_entry_t e;
	uint32_t gen;
};

/* A zeroed struct is an empty set with no room. */
struct entry_set {
	struct entry_slot *slot;
	uint32_t mask;		/* slots - 1 */
	uint32_t gen;		/* of the slots in use (never 0) */
};

/* Empty s and make room for n entries: true, or false without the memory
 * (s is then unusable until a reset that succeeds). At most n entries
 * may be put in before the next reset. */
bool entry_set_reset(struct entry_set *s, unsigned n);

/* The slot of e in s: in use (entry_set_used) when e is in the set, else
 * the free slot where entry_set_put() puts it. Only after a successful
 * reset. */
struct entry_slot *entry_set_find(struct entry_set *s,
				  const vmsa_bbm_entry_t *e);

static inline bool entry_set_used(const struct entry_set *s,
				  const struct entry_slot *x)
{
	return x->gen == s->gen;
}

/* Put e in the free slot x that entry_set_find(s, e) gave, with no put
 * since. */
static inline void entry_set_put(struct entry_set *s, struct entry_slot *x,
				 const vmsa_bbm_entry_t *e)
{
	x->e = *e;
	x->gen = s->gen;
}

void entry_set_free(struct entry_set *s);

#endif
