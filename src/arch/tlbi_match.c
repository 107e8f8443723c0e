/*
 * src/arch/tlbi_match.c - which cached entries a TLB maintenance
 * operation is *required* to remove.
 *
 * The model keeps, per CPU, every entry a TLB may hold, and drops an
 * entry only when the architecture guarantees it is gone; an operation
 * may always remove more (RMMZTY), so the answer here is "true" only when
 * the manual requires it. A false answer must be backed by a rule that
 * lets hardware keep the entry. References are to the Arm ARM (DDI 0487
 * M.a.a), D8.16.3, D8.17.5.4 and the C5.5 instruction pages.
 */
#include "vmsa/arch.h"

/* RCHVGJ: entries from lookup levels above the final one are treated as
 * non-global whatever the leaf's nG, so a walk-cache entry is always
 * matched by ASID. */
static bool tag_nonglobal(const vmsa_tlb_tag_t *e)
{
	return !e->leaf || !e->global;
}

/* Which stages a scope reaches. VMALL, ASID, VA and VAA target stage-1
 * information: stage-1-only entries and combined entries, which include
 * it (RLGSCG), but not stage-2-only entries. IPAS2 applies to stage-2-
 * only entries and is not required to touch combined ones (RTVTYQ,
 * RVZZVZ). ALL and VMALLS12 apply to both stages (RGNJPZ). */
static bool stage_selected(vmsa_tlbi_scope_t scope, vmsa_tlb_stage_t st)
{
	switch (scope) {
	case VMSA_TLBI_SCOPE_ALL:
	case VMSA_TLBI_SCOPE_VMALLS12:
		return true;
	case VMSA_TLBI_SCOPE_IPAS2:
		return st == VMSA_TLB_S2;
	case VMSA_TLBI_SCOPE_VMALL:
	case VMSA_TLBI_SCOPE_ASID:
	case VMSA_TLBI_SCOPE_VA:
	case VMSA_TLBI_SCOPE_VAA:
		return st == VMSA_TLB_S1 || st == VMSA_TLB_S12;
	}
	return false;
}

/* EL1&0 entries are selected by the current VMID, except by ALL, which
 * applies "with any VMID" (D8.17.5.4). The EL2 and EL2&0 regimes have
 * no VMID. */
static bool vmid_selected(const vmsa_tlbi_t *t, const vmsa_tlb_tag_t *e)
{
	if (t->regime != VMSA_REGIME_EL10 || t->op.type == VMSA_TLBI_ALLE1)
		return true;
	return e->vmid == t->vmid;
}

/* ASID selection. ASID: non-global entries of that ASID, walk-cache ones
 * included (TLBI ASIDE1: "from a level of lookup above the final level"
 * or non-global from the final level). VA: non-global entries of the
 * ASID from any level, plus global final-level entries (RVMSWQ) -- so a
 * walk-cache entry cached under another ASID survives a VAE1 (RCHVGJ).
 * The EL2 regime has no ASIDs and treats every translation as global
 * (RSHVGC): VAE2 there takes every level. VAA, VMALL, VMALLS12, ALL and
 * IPAS2 take any ASID (RZSXRQ, RJXKNN). */
static bool asid_selected(vmsa_tlbi_scope_t scope, const vmsa_tlbi_t *t,
			  const vmsa_tlb_tag_t *e)
{
	switch (scope) {
	case VMSA_TLBI_SCOPE_ASID:
		return tag_nonglobal(e) && e->asid == t->arg.asid;
	case VMSA_TLBI_SCOPE_VA:
		if (t->regime == VMSA_REGIME_EL2)
			return true;
		return !tag_nonglobal(e) || e->asid == t->arg.asid;
	default:
		return true;
	}
}

/* The level hint. A wrong TTL (level or granule) means no entry need be
 * removed (RSQXYZ). With a hint of level L, the final-level entries that
 * must go are those at L, and the walk-cache entries those above L: the
 * tables on the path to a leaf at L (C5.5 TLBI RVAE1, TTL: "non-leaf-
 * level entries ... up to but not including the level described by the
 * TTL hint"; the 4-bit hint of the single-address forms names the same
 * leaf level, so vmsa reads it the same way). Range forms also need the
 * entry to use the TG granule (RXKMMX). */
static bool hint_selected(bool range, const vmsa_tlbi_arg_t *a,
			  const vmsa_tlb_tag_t *e)
{
	if (range && (!a->range_valid || e->granule != a->ttl_granule))
		return false;
	if (!a->ttl_valid)
		return true;
	if (e->granule != a->ttl_granule)
		return false;
	return e->leaf ? e->level == a->ttl_level : e->level < a->ttl_level;
}

/* Last byte of [start, start + size), without wrapping past the top of
 * the address space (a TTBR1 range does not wrap into TTBR0, D8.17.5.2). */
static uint64_t last_byte(uint64_t start, uint64_t size)
{
	if (size == 0)
		return start;
	if (start + (size - 1) < start)
		return UINT64_MAX;
	return start + (size - 1);
}

/* Does the operand's address, or range, meet the entry's input range?
 * The entry's size is its own block or page (or, for a table entry, the
 * region it maps): the Contiguous bit never widens it (RLQLSD). */
static bool addr_selected(const vmsa_tlbi_t *t, const vmsa_tlbi_info_t *info,
			  const vmsa_tlb_tag_t *e)
{
	bool is_va = info->scope != VMSA_TLBI_SCOPE_IPAS2;
	/* The operand's VA is canonical (RJGGKN); a tagged (TBI) entry
	 * address compares the same way. */
	uint64_t first = is_va ? vmsa_va_canonical(e->ia) : e->ia;
	uint64_t last = last_byte(first, e->size);
	uint64_t lo = t->arg.addr, hi;

	if (!info->range)
		return lo >= first && lo <= last;
	hi = last_byte(lo, t->arg.size);
	return lo <= last && first <= hi;
}

bool vmsa_tlbi_matches(const vmsa_tlbi_t *t, const vmsa_tlb_tag_t *e)
{
	const vmsa_tlbi_info_t *info = vmsa_tlbi_info(t->op.type);

	if (!info || e->regime != t->regime)
		return false;
	if (!stage_selected(info->scope, e->stage) || !vmid_selected(t, e))
		return false;
	/* L forms: only entries from the final lookup level (IDMCXY). */
	if (info->last_level && !e->leaf)
		return false;
	if (!asid_selected(info->scope, t, e))
		return false;
	switch (info->scope) {
	case VMSA_TLBI_SCOPE_VA:
	case VMSA_TLBI_SCOPE_VAA:
	case VMSA_TLBI_SCOPE_IPAS2:
		return hint_selected(info->range, &t->arg, e) &&
		       addr_selected(t, info, e);
	default:
		return true;
	}
}

bool vmsa_tlbi_matches_any_va(const vmsa_tlbi_t *t, const vmsa_tlb_tag_t *e)
{
	const vmsa_tlbi_info_t *info = vmsa_tlbi_info(t->op.type);

	if (!info)
		return false;
	switch (info->scope) {
	case VMSA_TLBI_SCOPE_ALL:
	case VMSA_TLBI_SCOPE_VMALL:
	case VMSA_TLBI_SCOPE_VMALLS12:
		/* No address, ASID or level in these: the regime, stage and
		 * VMID tests are the whole match. */
		return vmsa_tlbi_matches(t, e);
	default:
		return false;
	}
}
