/*
 * src/hyp/lock.c - the MMU lock: a reader-writer lock in the
 * hypervisor's page (KVM's kvm->mmu_lock, an rwlock_t: Linux's qrwlock).
 * Fault paths take it for reading and change the tables with shared
 * walks; every other change takes it for writing (exclusive walks).
 *
 * The word (hyp_int.h): bit 0 the writer, the reader count above it in
 * units of HYP_READER. As in qrwlock, a reader takes it with an atomic
 * add of its bias and looks only at the writer bit of what the add
 * returns; it releases it with an atomic subtract whose result nobody
 * looks at. Those adds give the same word and the same observed bits in
 * either order (an addition never changes bits below its addend's
 * lowest set bit), so the explorer's reduction need not try both orders
 * of two readers (vmsa_phys_add, docs/explorer.md "Commuting adds"),
 * where a compare-and-swap that guessed the count had a result that
 * depends on the order. The writer takes the word from 0 with a
 * compare-and-swap and releases it by subtracting its bit, which leaves
 * the biases of the readers waiting for it.
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

/* An atomic add to the lock word that returns its writer bit only (a
 * reader's LDADD; mask 0: a STADD), with ordering ord: the lock's
 * acquire, its release (qrwlock: atomic_add_return_acquire,
 * atomic_sub_return_release; under the feature relaxed a lock of plain
 * atomics would order nothing inside it after the lock). */
static uint64_t lock_add(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, uint64_t delta,
			 uint64_t mask, vmsa_order_t ord)
{
	return vmsa_phys_add_ord(vm->m, cpu, hyp_pa(vm, HYP_LOCK), 8, delta,
				 mask, true, ord);
}

/* qrwlock's slow path waits with atomic_cond_read_acquire: the wait's
 * read is the acquire. A wait is a plain read here, so a DMB ISHLD
 * after it orders what follows after it; without the feature relaxed
 * it orders nothing the model can observe and is left out (no step). */
static void wait_acquire(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	if (vmsa_machine_features(vm->m)->relaxed)
		vmsa_dmb(vm->m, cpu, VMSA_BAR_ISHLD);
}

/* qrwlock's read lock: add the bias; when a writer holds the lock, wait
 * (a blocking wait, not a spin) until it is gone, the bias kept: as
 * qrwlock's slow path, which waits with its bias added, so that no
 * writer can take the word meanwhile. One step when no writer holds it,
 * two otherwise. */
void vmsa_hyp_read_lock(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	if (vm &&
	    lock_add(vm, cpu, HYP_READER, HYP_WRITER, VMSA_ORD_ACQ)) {
		vmsa_wait_eq(vm->run, cpu, hyp_pa(vm, HYP_LOCK), HYP_WRITER, 0);
		wait_acquire(vm, cpu);
	}
}

/* The subtract looks at the writer bit only, which keeps it commuting
 * with the other readers' adds: a reader holds the lock only while no
 * writer does, so a writer's bit there is a misuse (a writer releasing
 * with read_unlock). A release by a CPU that holds nothing cannot be
 * seen without the count (it shows later as a writer waiting for ever:
 * a deadlock). */
void vmsa_hyp_read_unlock(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	if (!vm)
		return;
	publish(vm, cpu);
	hyp_ok(vm, cpu,
	       !lock_add(vm, cpu, -HYP_READER, HYP_WRITER, VMSA_ORD_REL),
	       "read_unlock of an MMU lock held for writing");
}

/* The writer takes the word when it is 0 (no reader, no writer, no
 * reader waiting for a writer) and waits for that otherwise. */
void vmsa_hyp_write_lock(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	vmsa_pa_t l;

	if (!vm)
		return;
	l = hyp_pa(vm, HYP_LOCK);
	while (!vmsa_stopped(vm->m) &&
	       vmsa_phys_cas_ord(vm->m, cpu, l, 8, 0, HYP_WRITER, true,
				 VMSA_ORD_ACQ) != 0)
		vmsa_wait_eq(vm->run, cpu, l, ~0ull, 0);
	if (hyp_cpu_ok(vm, cpu))
		*hyp_cpu_word(vm, HYP_EXCL, cpu) = 1;
}

/* qrwlock clears the writer's byte with a store-release; here the bit
 * is subtracted, which keeps the biases of the readers waiting for it. */
void vmsa_hyp_write_unlock(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	if (!vm)
		return;
	publish(vm, cpu);
	if (hyp_cpu_ok(vm, cpu))
		*hyp_cpu_word(vm, HYP_EXCL, cpu) = 0;
	lock_add(vm, cpu, -HYP_WRITER, 0, VMSA_ORD_REL);
}

/*
 * The vCPU returns to the guest after its fault path and retries the
 * access. When another fault path did the work (this one got -EAGAIN,
 * or found the mapping there), the vCPU may fault again until the other
 * CPU's store reaches its walks, which the architecture guarantees only
 * at that CPU's next DSB (RSPVBD): on hardware the other CPU runs on and
 * gets there; in a search the spinning vCPU could use up the preemption
 * bound or its step budget while the other CPU never runs again, a
 * livelock hardware does not have. So a fault at the IPA of the vCPU's
 * previous fault (its retry faulted again) first waits until no fault
 * path holds the lock (no reader: every fault path's changes are then
 * published), a blocking wait the search sees. Only such a retry waits:
 * the wait reads the reader count, which every reader's add changes, so
 * a wait after every fault path would be ordered with every other fault
 * path's lock and unlock (and a release that returned whether others
 * held the lock would read the count too). The previous fault's IPA is
 * the CPU's own: a private word, no step.
 */
void vmsa_hyp_fault_begin(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, uint64_t ipa)
{
	uint64_t *last;

	if (!vm || !hyp_cpu_ok(vm, cpu))
		return;
	last = hyp_cpu_word(vm, HYP_LAST, cpu);
	if (*last == (ipa | 1))
		vmsa_wait_eq(vm->run, cpu, hyp_pa(vm, HYP_LOCK), HYP_READERS,
			     0);
	*last = ipa | 1;
}
