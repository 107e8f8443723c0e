/*
 * src/hyp/vcpu.c - vCPUs: loading the VM's stage 2 and entering the
 * guest (vmsa/hyp.h). A vCPU is the model CPU it runs on.
 */
#include "hyp_int.h"

void vmsa_hyp_load_s2(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	if (!vm)
		return;
	vmsa_msr(vm->m, cpu, VMSA_REG_VTCR_EL2, vm->vtcr);
	vmsa_msr(vm->m, cpu, VMSA_REG_VTTBR_EL2,
		 VMSA_VTTBR(vm->pgt.root_pa.pa, vm->cfg.vmid));
}

/* HCR_EL2 while the guest runs: stage 2 on, EL1 AArch64 unless the VM
 * clears RW, FWB when the machine has it (the stage-2 leaves the library
 * makes then force Write-Back, D8.6.6), and what the VM adds. */
static uint64_t guest_hcr(const vmsa_hyp_vm_t *vm)
{
	return ((VMSA_GUEST_HCR & ~vm->cfg.hcr_clear) | vm->cfg.hcr_set |
		(vm->fwb ? VMSA_HCR_FWB : 0));
}

/* The entry hooks, in the order they were added. */
void hyp_run_hooks(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	for (unsigned i = 0; i < vm->n_hooks && !vmsa_stopped(vm->m); i++)
		vm->hooks[i].fn(vm, cpu, vm->hooks[i].arg);
}

void vmsa_hyp_vcpu_enter(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, unsigned flags)
{
	bool s1 = flags & VMSA_HYP_ENTER_S1;

	if (!vm || !hyp_ok(vm, cpu, !(flags & ~VMSA_HYP_ENTER_S1) &&
				    (!s1 || vm->cfg.guest_s1),
			   "vmsa_hyp_vcpu_enter: unknown flags, or stage 1 "
			   "on in a VM without one"))
		return;
	/* SCTLR_EL1 is zero at reset: with the MMU off nothing to write. */
	if (s1) {
		vmsa_msr(vm->m, cpu, VMSA_REG_MAIR_EL1, VMSA_KERNEL_MAIR);
		vmsa_msr(vm->m, cpu, VMSA_REG_TCR_EL1, VMSA_KERNEL_TCR);
		vmsa_msr(vm->m, cpu, VMSA_REG_TTBR0_EL1,
			 VMSA_TTBR(vm->cfg.s1_ipa, VMSA_KERNEL_ASID));
		vmsa_msr(vm->m, cpu, VMSA_REG_SCTLR_EL1, VMSA_SCTLR_M);
	}
	vmsa_hyp_load_s2(vm, cpu);
	vmsa_msr(vm->m, cpu, VMSA_REG_HCR_EL2, guest_hcr(vm));
	hyp_run_hooks(vm, cpu);
	if (!vmsa_stopped(vm->m))
		vmsa_eret(vm->m, cpu, 1);
}
