/*
 * src/model/mte.h - Tag Checks of loads and stores (FEAT_MTE2, mte.c).
 * Private to src/model/.
 */
#ifndef VMSA_MODEL_MTE_H
#define VMSA_MODEL_MTE_H

#include "machine.h"

struct xlat;
struct exc_abort_info;

enum mte_check {
	MTE_PASS,	/* not Tag Checked, or the tags match: access memory */
	MTE_RETRY,	/* a Tag Check Fault was taken; retry the access */
	MTE_STOP,	/* the handler skipped it, or the execution stopped */
};

/*
 * After the translation x of the load or store acc of cpu (access_xlat),
 * before its memory access: the Tag Check when the access is Tag Checked
 * (vmsa_mte_tagged, SCTLR_ELx.TCF), addr the view of its address. A
 * mismatch is a Tag Check Fault delivered to its handler.
 */
enum mte_check mte_check(vmsa_machine_t *m, int cpu, struct xlat *x,
			 const vmsa_access_t *acc,
			 const struct exc_abort_info *info, vmsa_view_t addr);

#endif
