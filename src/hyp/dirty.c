/*
 * src/hyp/dirty.c - dirty logging: the host write-protects the memslot
 * (after splitting a block slot into pages, KVM's eager split), the
 * fault path marks each page the guest writes afterwards in a bitmap
 * before making it writable again (fault.c), and the host collects and
 * clears the bitmap, write-protecting the pages it names again.
 *
 * The property migration relies on: once vmsa_hyp_dirty_enable (or
 * vmsa_hyp_dirty_get_clear) returned, no guest write to a protected page
 * completes without a permission fault that marks it dirty. The library's
 * wrprotect gives it with a broadcast invalidation completed before it
 * returns (docs/pgtable.md, wrprotect).
 */
#include "hyp_int.h"

int vmsa_hyp_dirty_enable(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	int err = 0;

	if (!vm)
		return -EINVAL;
	vmsa_hyp_write_lock(vm, cpu);
	vmsa_phys_write(vm->m, cpu, hyp_pa(vm, HYP_LOGGING), 8, 1, true);
	if (vm->cfg.slot_block)
		err = vmsa_pgt_split(&vm->pgt, VMSA_IA(vm->cfg.slot_ipa),
				     VMSA_HYP_BLOCK, 0);
	if (!err)
		err = vmsa_pgt_wrprotect(&vm->pgt, VMSA_IA(vm->cfg.slot_ipa),
					 hyp_slot_size(vm), 0);
	vmsa_hyp_write_unlock(vm, cpu);
	return err;
}

uint64_t vmsa_hyp_dirty_get_clear(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	vmsa_pa_t b;
	uint64_t bits;

	if (!vm)
		return 0;
	b = hyp_pa(vm, HYP_DIRTY);
	/* Fault paths set bits under the lock held for reading: with it
	 * held for writing, a read and a write are enough. */
	vmsa_hyp_write_lock(vm, cpu);
	bits = vmsa_phys_read(vm->m, cpu, b, 8, true);
	if (bits)
		vmsa_phys_write(vm->m, cpu, b, 8, 0, true);
	for (unsigned i = 0; i < 64 && !vmsa_stopped(vm->m); i++) {
		if (!(bits & 1ull << i))
			continue;
		hyp_ok(vm, cpu,
		       !vmsa_pgt_wrprotect(&vm->pgt,
					   VMSA_IA(vm->cfg.slot_ipa +
						   i * VMSA_HYP_PAGE),
					   VMSA_HYP_PAGE, 0),
		       "vmsa_hyp_dirty_get_clear: vmsa_pgt_wrprotect failed");
	}
	vmsa_hyp_write_unlock(vm, cpu);
	return bits;
}

uint64_t vmsa_hyp_dirty_peek(const vmsa_hyp_vm_t *vm)
{
	if (!vm)
		return 0;
	return *(const uint64_t *)vmsa_pa_cptr(vm->m, hyp_pa(vm, HYP_DIRTY));
}
