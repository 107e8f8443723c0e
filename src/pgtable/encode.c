/*
 * src/pgtable/encode.c - from a mapping's permissions and memory type to
 * descriptor bits, and back: what the operations need to know about a
 * leaf (writable, cacheable, executable) and how a permission changes.
 *
 * Formats: Arm ARM (DDI 0487) D8.3.1 (block and page descriptors), D8.4
 * (stage-1 AP[2:1], PXN/UXN; stage-2 S2AP, XN[1:0]), D8.6 (AttrIndx,
 * stage-2 MemAttr, with FEAT_S2FWB the D8.6.6 encoding).
 */
#include "pgt_int.h"

#define S1_AP1 (1ull << 6)  /* AP[1]: EL0 access (RES1 at EL2, E2H = 0) */
#define S1_AP2 (1ull << 7)  /* AP[2]: read-only */
#define S2_AP_R (1ull << 6) /* S2AP[0]: read */
#define S2_AP_W (1ull << 7) /* S2AP[1]: write */
#define S2_XN (1ull << 54)  /* XN[1:0] = 0b10: no execution at EL1, EL0 */
#define XN_BITS (VMSA_D_PXN | VMSA_D_UXN)
#define SH_ISH ((uint64_t)VMSA_SH_ISH << VMSA_D_SH_SHIFT)
#define MEMATTR_MASK (0xfull << VMSA_D_MEMATTR_SHIFT)

#define PROT_ALL (VMSA_PGT_PROT_R | VMSA_PGT_PROT_W | VMSA_PGT_PROT_X | \
		  VMSA_PGT_PROT_USER | VMSA_PGT_PROT_NC | VMSA_PGT_PROT_DEVICE)

static bool two_privileges(const vmsa_pgt_t *pgt)
{
	return pgt->cfg.regime == VMSA_PGT_S1_EL1 ||
	       pgt->cfg.regime == VMSA_PGT_S1_EL20;
}

/* Stage 2 (D8.3.1, D8.4.5, D8.6.5/6): MemAttr Normal WB (0xF; 0x6 forces
 * WB with FWB), Normal NC 0x5 and Device-nGnRE 0x1 in both encodings;
 * Inner Shareable; AF set (mapped pages are accessed: no Access flag
 * fault on first use); XN[1:0] = 0b10 when not executable. */
static uint64_t s2_attrs(const vmsa_pgt_t *pgt, unsigned prot)
{
	uint64_t a = SH_ISH | VMSA_D_AF;
	unsigned m;

	if (prot & VMSA_PGT_PROT_DEVICE)
		m = VMSA_S2_MEMATTR_DEVICE_nGnRE;
	else if (prot & VMSA_PGT_PROT_NC)
		m = VMSA_S2_MEMATTR_NORMAL_NC;
	else
		m = pgt->ops->features.s2fwb ? VMSA_S2FWB_MEMATTR_NORMAL_WB
					     : VMSA_S2_MEMATTR_NORMAL_WB;
	a |= (uint64_t)m << VMSA_D_MEMATTR_SHIFT;
	if (prot & VMSA_PGT_PROT_R)
		a |= S2_AP_R;
	if (prot & VMSA_PGT_PROT_W)
		a |= S2_AP_W;
	if (!(prot & VMSA_PGT_PROT_X))
		a |= S2_XN;
	return a;
}

/* Stage 1 (D8.3.1, D8.4.1): AttrIndx from the configuration, Inner
 * Shareable, AF, nG in the regimes with ASIDs (every leaf belongs to the
 * table's ASID). AP[2] = read-only; AP[1] = EL0 access, which is RES1 in
 * the single-privilege EL2 regime (RMGGZM). Execute-never: EL2 has one XN bit
 * (54); with two privileges a USER mapping executes at EL0 only (PXN),
 * any other at the privileged EL only (UXN). */
static uint64_t s1_attrs(const vmsa_pgt_t *pgt, unsigned prot)
{
	uint64_t a = SH_ISH | VMSA_D_AF;
	unsigned idx;

	if (prot & VMSA_PGT_PROT_DEVICE)
		idx = pgt->cfg.attr_device;
	else if (prot & VMSA_PGT_PROT_NC)
		idx = pgt->cfg.attr_normal_nc;
	else
		idx = pgt->cfg.attr_normal;
	a |= (uint64_t)idx << VMSA_D_ATTRINDX_SHIFT;
	if (!(prot & VMSA_PGT_PROT_W))
		a |= S1_AP2;
	if (!two_privileges(pgt)) {
		a |= S1_AP1;
		if (!(prot & VMSA_PGT_PROT_X))
			a |= VMSA_D_UXN;
		return a;
	}
	a |= VMSA_D_NG;
	if (prot & VMSA_PGT_PROT_USER) {
		a |= S1_AP1 | VMSA_D_PXN;
		if (!(prot & VMSA_PGT_PROT_X))
			a |= VMSA_D_UXN;
	} else {
		a |= VMSA_D_UXN;
		if (!(prot & VMSA_PGT_PROT_X))
			a |= VMSA_D_PXN;
	}
	return a;
}

int pgt_prot_attrs(const vmsa_pgt_t *pgt, unsigned prot, uint64_t *attrs)
{
	bool s2 = pgt->cfg.regime == VMSA_PGT_S2;

	if (prot & ~(unsigned)PROT_ALL)
		return -EINVAL;
	if ((prot & (VMSA_PGT_PROT_W | VMSA_PGT_PROT_X)) &&
	    !(prot & VMSA_PGT_PROT_R))
		return -EINVAL;
	if ((prot & VMSA_PGT_PROT_NC) && (prot & VMSA_PGT_PROT_DEVICE))
		return -EINVAL;
	/* Stage 1 cannot take read access away from the privileged EL;
	 * EL0 exists only in the two-privilege regimes. */
	if (!s2 && !(prot & VMSA_PGT_PROT_R))
		return -EINVAL;
	if ((prot & VMSA_PGT_PROT_USER) && !two_privileges(pgt))
		return -EINVAL;
	*attrs = s2 ? s2_attrs(pgt, prot) : s1_attrs(pgt, prot);
	return 0;
}

uint64_t pgt_mk_table(pgt_ctx_t *x, uint64_t *child)
{
	vmsa_pgt_pa_t pa = x->ops->virt_to_phys(x->c, child);

	return (pa.pa & pgt_table_mask(x->g)) | VMSA_D_VALID | VMSA_D_TYPE;
}

/* Cacheable: Normal Inner and Outer Write-Back (stage 2 MemAttr 0xF, or
 * with FWB 0x6/0x7; stage 1 the configuration's Normal index). */
bool pgt_leaf_cacheable(const pgt_ctx_t *x, uint64_t d)
{
	unsigned m = (unsigned)(d >> VMSA_D_MEMATTR_SHIFT) & 0xf;

	if (!x->s2)
		return ((d >> VMSA_D_ATTRINDX_SHIFT) & 7) ==
		       x->pgt->cfg.attr_normal;
	if (x->ops->features.s2fwb)
		return m == 0x6 || m == 0x7;
	return m == VMSA_S2_MEMATTR_NORMAL_WB;
}

/* Executable at some EL: stage 2 XN[1:0] != 0b10 (FEAT_XNX encodings),
 * stage 1 PXN or UXN clear. */
bool pgt_leaf_exec(const pgt_ctx_t *x, uint64_t d)
{
	if (x->s2)
		return ((d >> VMSA_D_S2XN_SHIFT) & 3) != 2;
	return (d & XN_BITS) != XN_BITS;
}

bool pgt_leaf_writable(const pgt_ctx_t *x, uint64_t d)
{
	return x->s2 ? (d & S2_AP_W) != 0 : (d & S1_AP2) == 0;
}

uint64_t pgt_wrprotect_desc(const pgt_ctx_t *x, uint64_t d)
{
	return x->s2 ? d & ~S2_AP_W : d | S1_AP2;
}

/* What a permission change may touch (RWHZWS does not list these:
 * changing them needs TLB maintenance, no break, RGPPYH). */
uint64_t pgt_perm_mask(const pgt_ctx_t *x)
{
	return S1_AP1 | S1_AP2 | XN_BITS | (x->s2 ? 0 : VMSA_D_GP);
}

uint64_t pgt_relax_desc(const pgt_ctx_t *x, uint64_t d, unsigned prot)
{
	if (x->s2) {
		if (prot & VMSA_PGT_PROT_R)
			d |= S2_AP_R;
		if (prot & VMSA_PGT_PROT_W)
			d |= S2_AP_W;
		if (prot & VMSA_PGT_PROT_X)
			d &= ~XN_BITS;
		return d;
	}
	if (prot & VMSA_PGT_PROT_W)
		d &= ~S1_AP2;
	if (prot & VMSA_PGT_PROT_X) {
		if (x->pgt->cfg.regime == VMSA_PGT_S1_EL2)
			d &= ~VMSA_D_UXN;
		else
			d &= (d & S1_AP1) ? ~VMSA_D_UXN : ~VMSA_D_PXN;
	}
	return d;
}
