/*
 * src/arch/perms.h - access permissions of a translation (private to
 * src/arch/: the walk uses it, nothing outside the architecture core).
 *
 * A leaf descriptor plus the hierarchical attributes of the tables above
 * it give a vmsa_perms_t (what the TLB may cache, RFBQWG); a separate
 * check applies it, with PSTATE.PAN, to one access. Arm ARM D8.4.
 */
#ifndef VMSA_ARCH_PERMS_H
#define VMSA_ARCH_PERMS_H

#include "vmsa/arch.h"

/* Hierarchical attributes gathered from stage-1 table descriptors on the
 * way down. Each level can only take permissions away, so they are ORed. */
struct vmsa_hier {
	unsigned ap_table;	/* APTable[1:0] */
	bool uxn_table;		/* UXNTable, or XNTable (one privilege level) */
	bool pxn_table;
};

/* True for stage-1 regimes with an unprivileged level (EL1&0, EL2&0). */
bool vmsa_regime_two_el(vmsa_regime_t r);

/* Add the attributes of the decoded table descriptor `t` to `h`, unless
 * hpd (TCR_ELx.HPDn = 1) disables them. */
void vmsa_hier_add(struct vmsa_hier *h, const vmsa_desc_t *t, bool hpd,
		   bool two_el);

/* Stage-1 permissions of the decoded leaf `d` (Direct permissions). */
vmsa_perms_t vmsa_s1_perms(const vmsa_desc_t *d, const struct vmsa_hier *h,
			   bool two_el, bool wxn);

/* Stage-2 permissions of the decoded leaf `d`: S2AP and XN[1:0]. */
vmsa_perms_t vmsa_s2_perms(const vmsa_desc_t *d);

/* Everything allowed: a disabled stage (RVBBBJ, RBBLJH). */
vmsa_perms_t vmsa_perms_all(void);

/* Both stages must allow an access: the combined permission is the AND. */
vmsa_perms_t vmsa_perms_and(const vmsa_perms_t *a, const vmsa_perms_t *b);

/* Does stage 1 allow `acc`? Applies PSTATE.PAN. */
bool vmsa_s1_allows(const vmsa_perms_t *p, const vmsa_access_t *acc,
		    bool two_el);

/* Does stage 2 allow `acc`? A stage-1 table fetch is passed as a read. */
bool vmsa_s2_allows(const vmsa_perms_t *p, const vmsa_access_t *acc);

#endif
