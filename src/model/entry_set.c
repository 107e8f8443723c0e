/*
 * src/model/entry_set.c - a set of translation table entries; see
 * entry_set.h.
 */
#include <stdlib.h>
#include <string.h>

#include "entry_set.h"
#include "util/htab.h"

bool entry_set_reset(struct entry_set *s, unsigned n)
{
	void *slot = s->slot;
	bool ok = !htab_gen_begin(&slot, &s->mask, &s->gen,
				  sizeof(*s->slot), n, 64);

	s->slot = slot;
	return ok;
}

struct entry_slot *entry_set_find(struct entry_set *s,
				  const vmsa_bbm_entry_t *e)
{
	uint64_t k = (e->desc * 0x9e3779b97f4a7c15ull) ^
		     ((e->ia + (uint64_t)(int64_t)e->level) *
		      0xc2b2ae3d27d4eb4full);

	/* At most half the slots are in use: a free one ends every run. */
	for (uint32_t i = (uint32_t)(k >> 32) & s->mask;;
	     i = (i + 1) & s->mask) {
		struct entry_slot *x = &s->slot[i];

		if (x->gen != s->gen ||
		    (x->e.desc == e->desc && x->e.ia == e->ia &&
		     x->e.level == e->level))
			return x;
	}
}

void entry_set_free(struct entry_set *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}
