/*
 * src/arch/perms.c - stage 1 and stage 2 access permissions.
 *
 * Only Direct permissions (no FEAT_S1PIE/S2PIE, no Overlays, no GCS),
 * which is what VMSAv8-64 tables without TCR2 use. References: Arm ARM
 * (DDI 0487) D8.4.1.2 (stage 1), D8.4.2.1 (stage 2), D8.4.5 (PAN).
 */
#include "perms.h"

/* AP[2:1] and APTable[1:0] bits, as the decoded 2-bit values hold them. */
#define AP_RO (1u << 1)		/* AP[2] / APTable[1]: no write */
#define AP_EL0 (1u << 0)	/* AP[1]: EL0 access; APTable[0]: no EL0 */

/* S2AP[1:0] (RHBFHL) and XN[1:0] (RSTCTY) bits. */
#define S2AP_R (1u << 0)
#define S2AP_W (1u << 1)
#define S2XN_0 (1u << 0)
#define S2XN_1 (1u << 1)

bool vmsa_regime_two_el(vmsa_regime_t r)
{
	return r == VMSA_REGIME_EL10 || r == VMSA_REGIME_EL20;
}

/*
 * APTable (RYTXKB), UXNTable/XNTable and PXNTable (RRLQFP) limit every
 * later level; HPDn = 1 makes them IGNORED (IPKGJC, INYWHQ). With one
 * privilege level, APTable[0] and bit 59 are RES0 (IPCLHM), so they are
 * dropped here rather than trusted.
 */
void vmsa_hier_add(struct vmsa_hier *h, const vmsa_desc_t *t, bool hpd,
		   bool two_el)
{
	if (hpd)
		return;
	h->ap_table |= two_el ? t->ap_table : (t->ap_table & AP_RO);
	h->uxn_table |= t->uxn_table;
	if (two_el)
		h->pxn_table |= t->pxn_table;
}

/*
 * Two privilege levels (Table D8-63, Table D8-65): AP[2] removes writes
 * at both levels, AP[1] grants EL0 the same data access as EL1. UXN/PXN
 * (RRBDFT, RLWPVL) remove execution, after UXNTable/PXNTable. Memory EL0
 * can write is never privileged-executable (RVWLLR). WXN removes
 * execution from writable memory at each level separately (RSYMMB,
 * RFYMXJ).
 */
static vmsa_perms_t s1_perms_two_el(const vmsa_desc_t *d,
				    const struct vmsa_hier *h, bool wxn)
{
	bool ro = (d->ap & AP_RO) || (h->ap_table & AP_RO);
	bool el0 = (d->ap & AP_EL0) && !(h->ap_table & AP_EL0);
	vmsa_perms_t p = {
		.r = true,
		.w = !ro,
		.x = !(d->pxn || h->pxn_table),
		.r0 = el0,
		.w0 = el0 && !ro,
		.x0 = !(d->uxn || h->uxn_table),
	};

	if (p.w0)
		p.x = false;
	if (wxn && p.w)
		p.x = false;
	if (wxn && p.w0)
		p.x0 = false;
	return p;
}

/*
 * One privilege level (Table D8-62, Table D8-66): AP[1] is RES1 and has
 * no meaning (RMGGZM), bit 54 is XN (RTRZVM), nothing applies to EL0.
 */
static vmsa_perms_t s1_perms_one_el(const vmsa_desc_t *d,
				    const struct vmsa_hier *h, bool wxn)
{
	bool ro = (d->ap & AP_RO) || (h->ap_table & AP_RO);
	vmsa_perms_t p = {
		.r = true,
		.w = !ro,
		.x = !(d->uxn || h->uxn_table),
	};

	if (wxn && p.w)
		p.x = false;
	return p;
}

vmsa_perms_t vmsa_s1_perms(const vmsa_desc_t *d, const struct vmsa_hier *h,
			   bool two_el, bool wxn)
{
	return two_el ? s1_perms_two_el(d, h, wxn) : s1_perms_one_el(d, h, wxn);
}

/*
 * S2AP does not tell EL1 from EL0 (IHXWLL). XN[1:0] with FEAT_XNX
 * (Table D8-78): 00 both may execute, 01 EL0 only, 10 neither, 11 EL1
 * only. So EL1 may execute when the two bits are equal, EL0 when XN[1]
 * is clear. Without FEAT_XNX, XN[0] is RES0 and the table agrees.
 */
vmsa_perms_t vmsa_s2_perms(const vmsa_desc_t *d)
{
	bool r = d->s2ap & S2AP_R, w = d->s2ap & S2AP_W;
	bool xn1 = d->xn & S2XN_1, xn0 = d->xn & S2XN_0;
	vmsa_perms_t p = {
		.r = r, .w = w, .x = xn1 == xn0,
		.r0 = r, .w0 = w, .x0 = !xn1,
	};

	return p;
}

vmsa_perms_t vmsa_perms_all(void)
{
	vmsa_perms_t p = { true, true, true, true, true, true };

	return p;
}

vmsa_perms_t vmsa_perms_and(const vmsa_perms_t *a, const vmsa_perms_t *b)
{
	vmsa_perms_t p = {
		.r = a->r && b->r, .w = a->w && b->w, .x = a->x && b->x,
		.r0 = a->r0 && b->r0, .w0 = a->w0 && b->w0, .x0 = a->x0 && b->x0,
	};

	return p;
}

static bool perms_allow(const vmsa_perms_t *p, vmsa_acc_kind_t kind,
			bool unpriv)
{
	switch (kind) {
	case VMSA_ACC_READ:
		return unpriv ? p->r0 : p->r;
	case VMSA_ACC_WRITE:
		return unpriv ? p->w0 : p->w;
	case VMSA_ACC_EXEC:
		return unpriv ? p->x0 : p->x;
	}
	return false;
}

/*
 * PSTATE.PAN = 1 makes a privileged data access to memory that EL0 can
 * read or write a stage 1 Permission fault (RXTSQH). It never affects
 * instruction fetches (RPMTWB) nor regimes with one privilege level
 * (RTBYDZ). FEAT_PAN3 (EPAN) is not modelled.
 */
bool vmsa_s1_allows(const vmsa_perms_t *p, const vmsa_access_t *acc,
		    bool two_el)
{
	bool unpriv = acc->el == 0;

	if (unpriv && !two_el)
		return false;
	if (!unpriv && two_el && acc->pan && acc->kind != VMSA_ACC_EXEC &&
	    (p->r0 || p->w0))
		return false;
	return perms_allow(p, acc->kind, unpriv);
}

/* S2AP and XN (RFQNDX, RSTCTY); a stage-1 table fetch needs read
 * permission at stage 2 (MMURead, RTVZYF), and arrives here as a read. */
bool vmsa_s2_allows(const vmsa_perms_t *p, const vmsa_access_t *acc)
{
	return perms_allow(p, acc->kind, acc->el == 0);
}
