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
 * contradicts gives no exemption. A held entry the exemption let stay
 * is marked (struct held.same), and a CPU's store that makes the ranges
 * differ while one is held is a violation (same_after_store).
 */
#include <string.h>

#include <inttypes.h>

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

/* The location of the other range of declaration p that x (in one of
 * them) corresponds to, or false. */
static bool counterpart(const struct same_pages *p, uint64_t x, uint64_t *y)
{
	if (x - p->a < p->len) {
		*y = p->b + (x - p->a);
		return true;
	}
	if (x - p->b < p->len) {
		*y = p->a + (x - p->b);
		return true;
	}
	return false;
}

/* Does held entry h, marked under the exemption, translate to PA x? */
static bool maps_to(const struct held *h, uint64_t x)
{
	uint64_t size = vmsa_level_size(h->tag.granule, h->tag.level);
	uint64_t oa = vmsa_desc_oa(h->desc, h->tag.level, h->tag.granule);

	return h->same && size && x - oa < size;
}

/* The first entry of a CPU's TLB (held or retiring: both may be used)
 * that is marked and maps x or y, as the violation's entry. */
static const struct held *exempt_held(vmsa_machine_t *m, uint64_t x,
				      uint64_t y, unsigned *holder)
{
	for (unsigned c = 0; c < m->f.ncpus; c++) {
		const struct held_set *sets[2] = {&m->cpu[c].held,
						  &m->cpu[c].retiring};

		fp_tlb_whole(m, c, false);
		for (unsigned k = 0; k < 2; k++)
			for (unsigned i = 0; i < sets[k]->n; i++)
				if (maps_to(&sets[k]->p[i], x) ||
				    maps_to(&sets[k]->p[i], y)) {
					*holder = c;
					return &sets[k]->p[i];
				}
	}
	return NULL;
}

void same_after_store(vmsa_machine_t *m, int cpu, uint64_t pa,
		      unsigned size)
{
	const struct held *h;
	unsigned holder = 0;
	uint64_t other;

	if (cpu < 0 || m->stopped)
		return;
	for (unsigned i = 0; i < m->same.n; i++) {
		if (!counterpart(&m->same.p[i], pa, &other) ||
		    !mem_contains(&m->mem, other, size))
			continue;
		/* The answer depends on the other range's bytes. */
		fp_line(m, other, false);
		if (!memcmp(mem_cptr(&m->mem, pa), mem_cptr(&m->mem, other),
			    size))
			continue;
		h = exempt_held(m, pa, other, &holder);
		if (!h)
			continue;
		violation_entry(m, &(vmsa_violation_entry_t){
			.cpu = (int)holder, .tag = h->tag, .desc = h->desc,
			.loc = h->loc,
		});
		violation(m, cpu, VMSA_V_BBM, "RWHZWS",
			  "CPU%d's store at PA 0x%" PRIx64 " makes it differ "
			  "from PA 0x%" PRIx64 ", declared to hold the same "
			  "contents, while CPU%u may still hold an entry "
			  "(from PA 0x%" PRIx64 ") that moved between them "
			  "without break-before-make because they did: the "
			  "contents must match for as long as both entries "
			  "may be used (RWHZWS)",
			  cpu, pa, other, holder, h->loc);
		return;
	}
}
