/*
 * src/pgtable/flush.c - vmsa_pgt_flush: clean mapped pages to the Point
 * of Coherency (before a guest or a device reads them non-cacheable,
 * ARCH-RULES section 7), and the handler of a stage-2 TLB conflict abort.
 */
#include "pgt_int.h"

typedef struct flush_args {
	uint64_t start, end;
	bool issued;
} flush_args_t;

static int flush_leaf(pgt_ctx_t *x, uint64_t *p, uint64_t v, uint64_t ia,
		      int level, void *arg)
{
	flush_args_t *f = arg;
	uint64_t size = 1ull << pgt_sh(x, level);
	uint64_t from = ia < f->start ? f->start : ia;
	uint64_t to = ia + size > f->end ? f->end : ia + size;
	uint64_t oa = (v & pgt_oa_mask(x->g, level)) + (from - ia);

	(void)p;
	if (!pgt_leaf_cacheable(x, v))
		return 0;
	pgt_cmo_range(x, VMSA_PGT_DC_CVAC, oa, to - from);
	f->issued = true;
	return 0;
}

int vmsa_pgt_flush(vmsa_pgt_t *pgt, vmsa_pgt_ia_t ia, uint64_t size)
{
	flush_args_t f = {.start = ia.ia, .end = ia.ia + size};
	pgt_ctx_t x;
	int err;

	err = pgt_begin_range(&x, pgt, ia.ia, size, 0, 0);
	if (err)
		return err;
	/* With FWB stage 2 forces Write-Back: the guest's view is the
	 * cached one whatever its own attributes (D8.6.6). */
	if (pgt->cfg.regime == VMSA_PGT_S2 && pgt->ops->features.s2fwb)
		return 0;
	err = pgt_for_leaves(&x, f.start, f.end, flush_leaf, &f);
	/* The cleans complete before the caller relies on them. */
	if (f.issued)
		pgt_dsb(&x, VMSA_PGT_DSB_ISH);
	return err;
}

/* RBLRKC: for EL1&0 with stage 2, TLBI VMALLS12E1 removes what caused a
 * stage-2 conflict for certain; local, since the conflict is in this
 * CPU's TLB; DSB NSH completes it before the access is retried (the
 * exception return is the context synchronization event). */
void vmsa_pgt_s2_conflict_handler(const vmsa_pgt_ops_t *ops, uint16_t vmid)
{
	vmsa_pgt_tlbi_t t = {
		.op = {.type = VMSA_TLBI_VMALLS12E1, .sh = VMSA_TLBI_NSH},
		.xt = 0,
		.vmid = vmid,
	};

	if (!ops || !ops->tlbi || !ops->dsb)
		return;
	ops->tlbi(ops->ctx, &t);
	ops->dsb(ops->ctx, VMSA_PGT_DSB_NSH);
}
