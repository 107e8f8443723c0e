/*
 * src/hyp/lock.c - the MMU lock: a reader-writer lock in the
 * hypervisor's page (KVM's kvm->mmu_lock). Fault paths take it for
 * reading and change the tables with shared walks; every other change
 * takes it for writing (exclusive walks).
 */
#include "hyp_int.h"

/* The library issues no barrier after its last make (docs/pgtable.md,
 * "Publishing a new mapping"), and a walk is guaranteed to see a store
 * only after a DSB of the CPU that made it (RSPVBD): without one, a vCPU
 * that faulted on the entry could fault again for as long as this CPU
 * issues no DSB. So releasing the lock, in either mode, publishes the
 * changes made under it first: DSB ISHST. */
static void publish(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	vmsa_dsb(vm->m, cpu, VMSA_BAR_ISHST);
}

/* Every operation on the lock word is one step; each starts with a
 * compare-and-swap that guesses the usual value (free, or held by this
 * CPU alone), so that the common case is one step, and waits (a blocking
 * wait, not a spin) only when the guess was wrong. */
void vmsa_hyp_read_lock(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	vmsa_pa_t l;
	uint64_t v = 0, got;

	if (!vm)
		return;
	l = hyp_pa(vm, HYP_LOCK);

	while (!vmsa_stopped(vm->m)) {
		got = vmsa_phys_cas(vm->m, cpu, l, 8, v, v + 1, true);
		if (got == v)
			return;
		v = (got & HYP_WRITER)
			    ? vmsa_wait_eq(vm->run, cpu, l, HYP_WRITER, 0)
			    : got;
	}
}

bool vmsa_hyp_read_unlock(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	vmsa_pa_t l;
	uint64_t v = 1, got;

	if (!vm)
		return false;
	l = hyp_pa(vm, HYP_LOCK);
	publish(vm, cpu);
	while (!vmsa_stopped(vm->m)) {
		got = vmsa_phys_cas(vm->m, cpu, l, 8, v, v - 1, true);
		if (got == v)
			return v > 1;
		if (!hyp_ok(vm, cpu, got != 0 && !(got & HYP_WRITER),
			    "read_unlock of an MMU lock not held for reading"))
			return false;
		v = got;
	}
	return false;
}

void vmsa_hyp_write_lock(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	vmsa_pa_t l;

	if (!vm)
		return;
	l = hyp_pa(vm, HYP_LOCK);
	while (!vmsa_stopped(vm->m) &&
	       vmsa_phys_cas(vm->m, cpu, l, 8, 0, HYP_WRITER, true) != 0)
		vmsa_wait_eq(vm->run, cpu, l, ~0ull, 0);
	if (hyp_cpu_ok(vm, cpu))
		*hyp_cpu_word(vm, HYP_EXCL, cpu) = 1;
}

void vmsa_hyp_write_unlock(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	if (!vm)
		return;
	publish(vm, cpu);
	if (hyp_cpu_ok(vm, cpu))
		*hyp_cpu_word(vm, HYP_EXCL, cpu) = 0;
	vmsa_phys_write(vm->m, cpu, hyp_pa(vm, HYP_LOCK), 8, 0, true);
}

/*
 * The vCPU returns to the guest and retries the access. When another
 * fault path did the work (this one got -EAGAIN, or found the mapping
 * there), the vCPU may fault again until the other CPU's store reaches
 * its walks, which the architecture guarantees only at that CPU's next
 * DSB (RSPVBD): on hardware the other CPU runs on and gets there; in a
 * preemption-bounded search the spinning vCPU could use up the bound and
 * the other CPU never run again, a livelock hardware does not have. So
 * the retry waits until no other fault path is in progress (readers of
 * the MMU lock), a blocking wait the search sees: when other readers
 * held the lock as this one released it (`others`), the only case where
 * another fault path can be half-way.
 */
void vmsa_hyp_fault_done(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, bool others)
{
	if (vm && others)
		vmsa_wait_eq(vm->run, cpu, hyp_pa(vm, HYP_LOCK), ~HYP_WRITER, 0);
}
