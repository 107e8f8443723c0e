/*
 * src/model/same.c - pages that hold the same contents.
 *
 * RWHZWS (D8.17.1) requires break-before-make when an entry's output
 * address changes and "either or both of the old and new translations
 * grant write permission" or "the memory contents at the new OA do not
 * match the memory contents at the previous OA". So a read-only entry may
 * be moved between two copies of the same data without a break: the TLB
 * may hold both entries, and either gives the same data.
 *
 * The condition is on the contents for as long as both entries may be
 * used, not at one instant: comparing the bytes when the descriptor is
 * written would accept a copy that another mapping changes a step later.
 * Only the software knows that it keeps them equal, so it says so
 * (vmsa_same_contents(), from set-up: the contents a test starts with).
 * The model then also compares the bytes at the descriptor write, where
 * it can (the output addresses are PAs): a declaration that memory
 * contradicts gives no exemption. Stores that make declared pages differ
 * later are not checked (docs/model.md).
 */
#include <string.h>

#include "footprint.h"
#include "same.h"
#include "validate.h"

bool vmsa_same_contents(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_pa_t pa_old,
			vmsa_pa_t pa_new, unsigned npages)
{
	struct same_pages p = {
		.a = pa_old, .b = pa_new,
		.len = (uint64_t)npages * VMSA_PAGE_SIZE,
	};

	if (!check_same_contents(m, "vmsa_same_contents", cpu, pa_old, pa_new,
				 npages))
		return false;
	if (same_vec_push(&m->same, p)) {
		violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for same-contents "
			  "declarations");
		return false;
	}
	return true;
}

/* Does declaration p cover x -> y over len bytes, in either direction? */
static bool covers(const struct same_pages *p, uint64_t x, uint64_t y,
		   uint64_t len)
{
	if (x - p->a < p->len && len <= p->len - (x - p->a) &&
	    y - p->b == x - p->a)
		return true;
	return y - p->a < p->len && len <= p->len - (y - p->a) &&
	       x - p->b == y - p->a;
}

bool same_contents(vmsa_machine_t *m, uint64_t oa_old, uint64_t oa_new,
		   uint64_t len, bool bytes)
{
	bool declared = false;

	for (unsigned i = 0; i < m->same.n && !declared; i++)
		declared = covers(&m->same.p[i], oa_old, oa_new, len);
	if (!declared || !bytes)
		return declared;
	if (!mem_contains(&m->mem, oa_old, len) ||
	    !mem_contains(&m->mem, oa_new, len))
		return false;
	/* The store's verdict now depends on these bytes: data stores to
	 * them do not commute with it (footprint.h). */
	for (uint64_t off = 0; off < len; off += 64) {
		fp_line(m, oa_old + off, false);
		fp_line(m, oa_new + off, false);
	}
	return memcmp(mem_cptr(&m->mem, oa_old), mem_cptr(&m->mem, oa_new),
		      len) == 0;
}
