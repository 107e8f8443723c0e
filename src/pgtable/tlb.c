/*
 * src/pgtable/tlb.c - TLB invalidation: which operation removes an old
 * entry for each regime, the operand encodings, and the completion of
 * everything an operation issued, before table pages are reused.
 *
 * Rules (Arm ARM DDI 0487, ARCH-RULES.md section 4): a descriptor store
 * is seen by walks only after a DSB (RSPVBD), so DSB ISHST comes before
 * the TLBI; a broadcast TLBI completes with a DSB ISH by the issuer
 * (RYNJCP, RPSMWS); TLBI IPAS2E1IS need not remove combined stage 1+2
 * entries, so it is followed, after DSB ISH, by TLBI VMALLE1IS
 * (D8.17.6.1, RTVTYQ); walk-cache entries of an unlinked table go only
 * with a non-last-level invalidation (by VMID or ASID here), and with
 * FEAT_nTLBPA = 0 a table page is reused only after it (D8.16).
 */
#include "pgt_int.h"

/* TTL[3:0] (D8.17.5.1, Table D8-121): TG (granule + 1) and the level;
 * 0 = no hint. Level 0 and 16K level 1 hold no leaves here. */
static uint64_t ttl4(vmsa_granule_t g, int level)
{
	if (level < 1 || level > 3)
		return 0;
	return ((uint64_t)((unsigned)g + 1) << 2) | (unsigned)level;
}

/* Xt of TLBI IPAS2E1*: IPA[51:12] in [39:0] (bits below the granule
 * RES0, IHQTLK), TTL in [47:44]. */
static uint64_t ipa_operand(vmsa_granule_t g, uint64_t ipa, int level)
{
	uint64_t f = (ipa >> 12) & ((1ull << 40) - 1);

	f &= ~((1ull << (2 * (unsigned)g)) - 1);
	return (ttl4(g, level) << 44) | f;
}

/* Xt of TLBI VA*: ASID in [63:48], TTL [47:44], VA[55:12] in [43:0]. */
static uint64_t va_operand(vmsa_granule_t g, uint64_t va, uint16_t asid,
			   int level)
{
	uint64_t f = (va >> 12) & ((1ull << 44) - 1);

	f &= ~((1ull << (2 * (unsigned)g)) - 1);
	return ((uint64_t)asid << 48) | (ttl4(g, level) << 44) | f;
}

static void tlbi(pgt_ctx_t *x, vmsa_tlbi_type_t type,
		 vmsa_tlbi_shareability_t sh, uint64_t xt)
{
	vmsa_pgt_tlbi_t t = {
		.op = {.type = type, .sh = sh, .nxs = false},
		.xt = xt,
		.vmid = x->pgt->cfg.vmid,
	};

	x->ops->tlbi(x->c, &t);
}

/* The by-address, last-level invalidation of a leaf: IPAS2E1 for stage 2;
 * VALE1 (EL1&0, by ASID: our leaves are nG), VALE2 (EL2&0 with the ASID,
 * EL2 without) for stage 1. Last level is enough: the tables on the way
 * stay as they were. */
static void leaf_op(pgt_ctx_t *x, uint64_t ia, int level,
		    vmsa_tlbi_shareability_t sh)
{
	const vmsa_pgt_cfg_t *c = &x->pgt->cfg;

	switch (c->regime) {
	case VMSA_PGT_S2:
		tlbi(x, VMSA_TLBI_IPAS2E1, sh, ipa_operand(x->g, ia, level));
		break;
	case VMSA_PGT_S1_EL1:
		tlbi(x, VMSA_TLBI_VALE1, sh,
		     va_operand(x->g, ia, c->asid, level));
		break;
	case VMSA_PGT_S1_EL20:
		tlbi(x, VMSA_TLBI_VALE2, sh,
		     va_operand(x->g, ia, c->asid, level));
		break;
	case VMSA_PGT_S1_EL2:
	default:
		tlbi(x, VMSA_TLBI_VALE2, sh, va_operand(x->g, ia, 0, level));
		break;
	}
}

void pgt_tlbi_leaf(pgt_ctx_t *x, uint64_t ia, int level)
{
	if (x->n_tlbi == PGT_TLBI_MAX) {
		x->table_tlbi = true;
		return;
	}
	x->n_tlbi++;
	leaf_op(x, ia, level, VMSA_TLBI_IS);
	x->leaf_tlbi = true;
}

void pgt_tlbi_batch(pgt_ctx_t *x, uint64_t tbase, unsigned first,
		    uint64_t mask, int level)
{
	uint64_t size = 1ull << pgt_sh(x, level);
	unsigned b;

	if (!mask)
		return;
	/* Past the limit the whole VMID/ASID goes (pgt_tlbi_leaf): no
	 * by-address TLBI, and the completion's DSB ISHST covers the
	 * stores. */
	if (x->n_tlbi == PGT_TLBI_MAX) {
		x->table_tlbi = true;
		return;
	}
	pgt_dsb(x, VMSA_PGT_DSB_ISHST);
	for (; mask; mask &= mask - 1) {
		b = (unsigned)__builtin_ctzll(mask);
		pgt_tlbi_leaf(x, tbase + (uint64_t)(first + b) * size, level);
	}
}

/* Local: only for a relaxation, whose stale stricter entries on other
 * CPUs at worst cause a spurious permission fault that their own fault
 * path resolves the same way (docs/pgtable.md, relax_perms). As for the
 * broadcast form, IPAS2E1 is followed by VMALLE1 (D8.17.6.1). */
void pgt_tlbi_leaf_local(pgt_ctx_t *x, uint64_t ia, int level)
{
	x->ops->dsb(x->c, VMSA_PGT_DSB_NSHST);
	leaf_op(x, ia, level, VMSA_TLBI_NSH);
	x->ops->dsb(x->c, VMSA_PGT_DSB_NSH);
	if (x->s2) {
		tlbi(x, VMSA_TLBI_VMALLE1, VMSA_TLBI_NSH, 0);
		x->ops->dsb(x->c, VMSA_PGT_DSB_NSH);
	} else {
		x->ops->isb(x->c);
	}
}

/* Everything cached for the table's VMID (stage 2: VMALLS12E1IS removes
 * stage-1, stage-2 and combined entries) or ASID (EL1&0: ASIDE1IS; walk
 * cache entries count as non-global, RCHVGJ), or the whole EL2 regime
 * (ALLE2IS: EL2 has no ASID, EL2&0 has no by-ASID operation of its own). */
static void table_op(pgt_ctx_t *x)
{
	const vmsa_pgt_cfg_t *c = &x->pgt->cfg;

	switch (c->regime) {
	case VMSA_PGT_S2:
		tlbi(x, VMSA_TLBI_VMALLS12E1, VMSA_TLBI_IS, 0);
		break;
	case VMSA_PGT_S1_EL1:
		tlbi(x, VMSA_TLBI_ASIDE1, VMSA_TLBI_IS,
		     (uint64_t)c->asid << 48);
		break;
	default:
		tlbi(x, VMSA_TLBI_ALLE2, VMSA_TLBI_IS, 0);
		break;
	}
}

void pgt_sync_slow(pgt_ctx_t *x)
{
	unsigned i;

	if (x->table_tlbi) {
		if (x->stores)
			pgt_dsb(x, VMSA_PGT_DSB_ISHST);
		table_op(x);
		pgt_dsb(x, VMSA_PGT_DSB_ISH);
	} else if (x->leaf_tlbi) {
		pgt_dsb(x, VMSA_PGT_DSB_ISH);
		if (x->s2) {
			tlbi(x, VMSA_TLBI_VMALLE1, VMSA_TLBI_IS, 0);
			pgt_dsb(x, VMSA_PGT_DSB_ISH);
		}
	}
	/* The issuing CPU's own translations of a stage-1 regime it may be
	 * running in see the change after a context synchronization event
	 * (RBLDZX). Stage 2 is not used by the EL2 code that changes it. */
	if ((x->table_tlbi || x->leaf_tlbi) && !x->s2)
		x->ops->isb(x->c);
	x->table_tlbi = false;
	x->leaf_tlbi = false;
	for (i = 0; i < x->n_free; i++)
		pgt_free_tree(x, x->free[i].table, x->free[i].level);
	x->n_free = 0;
}

void pgt_defer_free(pgt_ctx_t *x, uint64_t *table, int level)
{
	if (x->n_free == PGT_FREE_MAX)
		pgt_sync(x);
	x->table_tlbi = true;
	x->free[x->n_free].table = table;
	x->free[x->n_free].level = level;
	x->n_free++;
}
