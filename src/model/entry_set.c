/*
 * src/model/entry_set.c - a set of translation table entries; see
 * entry_set.h.
 */
#include <stdlib.h>
#include <string.h>

#include "entry_set.h"

bool entry_set_reset(struct entry_set *s, unsigned n)
{
	uint32_t slots = s->slot ? s->mask + 1 : 0;

	if (n > UINT32_MAX / 4)
		return false;
	if (!slots || slots < 2 * n) {
		struct entry_slot *p;

		for (slots = 64; slots < 2 * n; slots *= 2)
			;
		/* calloc: generation 0 is never in use. */
		p = calloc(slots, sizeof(*p));
		if (!p)
			return false;
		free(s->slot);
		s->slot = p;
		s->mask = slots - 1;
		s->gen = 0;
	}
	/* After 2^32 generations an old one could come back. */
	if (++s->gen == 0) {
		memset(s->slot, 0, ((size_t)s->mask + 1) * sizeof(*s->slot));
		s->gen = 1;
	}
	return true;
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
