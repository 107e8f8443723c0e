/*
 * src/explore/report_entry.c - one line of text for a TLB entry a CPU
 * may hold, shared by the replay text and the HTML page.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

#include "vmsa/desc.h"

/* "4K", "2M", "1G", or bytes: the size an entry covers. */
static void size_name(char *buf, size_t size, uint64_t bytes)
{
	static const char units[] = "KMGT";
	unsigned u = 0;

	if (!bytes || bytes % 1024) {
		snprintf(buf, size, "%" PRIu64, bytes);
		return;
	}
	bytes /= 1024;
	while (u + 1 < sizeof(units) - 1 && bytes % 1024 == 0 && bytes >= 1024) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, size, "%" PRIu64 "%c", bytes, units[u]);
}

/*
 * One line for a TLB entry a CPU may hold: what it translates (regime,
 * VA or IPA, size, ASID/VMID), the descriptor it was made from decoded
 * with its tag's level, and where that descriptor was. The model makes
 * combined stage 1+2 entries only from stage-2 values (for every VA that
 * maps to the IPA range of the tag), so those are decoded as stage 2.
 */
void report_format_entry(struct sb *b, const vmsa_violation_entry_t *e)
{
	const vmsa_tlb_tag_t *t = &e->tag;
	bool s1 = t->stage == VMSA_TLB_S1;
	char desc[200], sz[24];

	vmsa_desc_format(desc, sizeof(desc), e->desc,
			 s1 ? VMSA_STAGE1 : VMSA_STAGE2, t->level, t->granule);
	size_name(sz, sizeof(sz), t->size);
	sb_printf(b, "%s %s%s 0x%" PRIx64 "/%s", vmsa_regime_name(t->regime),
		  t->stage == VMSA_TLB_S12 ? "stage 1+2, any VA to " : "",
		  s1 ? "va" : "ipa", t->ia, sz);
	if (s1)
		sb_printf(b, t->global ? " global" : " asid %u", t->asid);
	else
		sb_printf(b, " vmid %u", t->vmid);
	sb_printf(b, "%s: %s (descriptor at 0x%" PRIx64 ")",
		  t->leaf ? "" : " (walk cache)", desc, (uint64_t)e->loc);
}

void report_violation_where(char *buf, size_t size,
			    const vmsa_violation_t *v)
{
	if (v->cpu < 0)
		snprintf(buf, size, "in the final check");
	else
		snprintf(buf, size, "on CPU%d", v->cpu);
}
