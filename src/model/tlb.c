/*
 * src/model/tlb.c - sets of held (stale) TLB entries; see tlb.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tlb.h"

void held_destroy(struct held_set *s)
{
	held_set_free(s);
}

void held_clear(struct held_set *s)
{
	s->n = 0;
}

static bool same_tag(const vmsa_tlb_tag_t *a, const vmsa_tlb_tag_t *b)
{
	return a->regime == b->regime && a->vmid == b->vmid &&
	       a->asid == b->asid && a->global == b->global &&
	       a->stage == b->stage && a->leaf == b->leaf &&
	       a->level == b->level && a->granule == b->granule &&
	       a->ia == b->ia && a->size == b->size;
}

int held_add(struct held_set *s, const struct held *h)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->p[i].desc == h->desc && s->p[i].any_va == h->any_va &&
		    same_tag(&s->p[i].tag, &h->tag))
			return 0;
	return held_set_push(s, *h);
}

bool tag_same_context(const vmsa_tlb_tag_t *a, const vmsa_tlb_tag_t *b)
{
	if (a->regime != b->regime || a->stage != b->stage)
		return false;
	if (a->regime == VMSA_REGIME_EL10 && a->vmid != b->vmid)
		return false;
	/* Stage-2 entries have no ASID; a global stage-1 entry matches a
	 * lookup with any ASID. */
	if (a->stage == VMSA_TLB_S2 || a->global || b->global)
		return true;
	return a->asid == b->asid;
}

bool range_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	/* Written without a + as, which may wrap at the top of the VA space. */
	return a - b < bs || b - a < as;
}
