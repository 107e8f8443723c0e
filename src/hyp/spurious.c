/*
 * src/hyp/spurious.c - the spurious translation fault check of an EL1
 * fault handler (vmsa/hyp.h).
 *
 * Without FEAT_ETS2 a walk may have been done before the access that
 * uses it, as early as the CPU's last context synchronisation event, so
 * a CPU may take a Translation fault on an entry that another CPU had
 * already made valid (docs/model.md rule 9). A handler tells such a
 * fault from a real one by walking again: AT on the faulting address
 * after the exception entry (a context synchronisation event when
 * SCTLR_EL1.EIS = 1, RBBSRF) sees the tables as they are now.
 */
#include "vmsa/hyp.h"

/* PAR_EL1.F: the AT's translation faulted (D24.2.113). */
#define PAR_F 1ull

bool vmsa_fault_is_spurious(vmsa_machine_t *m, vmsa_cpu_t cpu,
			    const struct vmsa_exception *e)
{
	bool write;

	if (e->type != VMSA_EXC_DATA_ABORT || !e->is_mmu_fault ||
	    e->to_el != 1 || e->fault.stage != VMSA_STAGE1 ||
	    (e->fault.kind != VMSA_FAULT_TRANSLATION &&
	     e->fault.kind != VMSA_FAULT_ACCESS_FLAG))
		return false;
	write = e->esr & VMSA_ESR_WNR;
	vmsa_at(m, cpu, write ? VMSA_AT_S1E1W : VMSA_AT_S1E1R, e->far);
	return !(vmsa_mrs(m, cpu, VMSA_REG_PAR_EL1) & PAR_F);
}
