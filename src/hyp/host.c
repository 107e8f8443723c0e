/*
 * src/hyp/host.c - changes the host makes to a running VM's memory: the
 * memslot, an MMU-notifier unmap, and breaking copy-on-write.
 */
#include "hyp_int.h"

void vmsa_hyp_slot_set(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, unsigned page,
		       vmsa_pa_t pa)
{
	if (!vm || !hyp_ok(vm, cpu, !vm->cfg.slot_block &&
				    page < vm->cfg.slot_pages,
			   "vmsa_hyp_slot_set: no such memslot page"))
		return;
	vmsa_phys_write(vm->m, cpu, hyp_pa(vm, HYP_SLOT + 8 * page), 8, pa,
			true);
}

int vmsa_hyp_unmap(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, uint64_t ipa,
		   uint64_t size)
{
	int err;

	if (!vm)
		return -EINVAL;
	vmsa_hyp_write_lock(vm, cpu);
	err = vmsa_pgt_unmap(&vm->pgt, VMSA_IA(ipa), size, 0);
	vmsa_hyp_write_unlock(vm, cpu);
	return err;
}

/*
 * Copy-on-write (Linux's do_wp_page, then KVM's change_pte notifier,
 * kvm_set_spte_hva in 2018): the host copies the page through its
 * cacheable linear map, so the copy may sit in the cache, dirty, while
 * memory at the Point of Coherency still holds what the new page had. A
 * guest running with its MMU off makes Device-nGnRnE data accesses
 * (RWFZPW), which go to the PoC (as do Non-cacheable mappings): unless the
 * copy is cleaned to the PoC before the new entry is made, the guest reads
 * the stale memory, a loss of coherency between mismatched attributes
 * (B2.11). With FEAT_S2FWB and HCR_EL2.FWB the stage-2 entry forces
 * Write-Back (D8.6.6) and the guest's accesses are coherent with the
 * host's cache: no clean is needed (the library then issues none).
 */
int vmsa_hyp_cow(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, unsigned page,
		 vmsa_pa_t new_pa, unsigned words)
{
	uint64_t ipa;
	vmsa_pa_t old;
	int err;

	if (!vm || vm->cfg.slot_block || page >= vm->cfg.slot_pages ||
	    words == 0 || words > VMSA_HYP_PAGE / 8)
		return -EINVAL;
	ipa = vm->cfg.slot_ipa + page * VMSA_HYP_PAGE;
	old = vmsa_phys_read(vm->m, cpu, hyp_pa(vm, HYP_SLOT + 8 * page), 8,
			     true);
	for (unsigned w = 0; w < words && !vmsa_stopped(vm->m); w++)
		vmsa_phys_write(vm->m, cpu, new_pa + 8 * w, 8,
				vmsa_phys_read(vm->m, cpu, old + 8 * w, 8,
					       true),
				true);
	vmsa_hyp_write_lock(vm, cpu);
	vmsa_hyp_slot_set(vm, cpu, page, new_pa);
	/* The library replaces a valid leaf by one with another output
	 * address with a break at every BBM level (RWHZWS): invalid entry,
	 * DSB ISHST, TLBI IPAS2E1IS, DSB ISH, TLBI VMALLE1IS, DSB ISH, then
	 * the new entry; the clean of the copy comes before the break. */
	err = hyp_map_locked(vm, cpu, ipa, VMSA_HYP_PAGE, new_pa,
			     VMSA_PGT_PROT_RW, 0,
			     vm->cfg.variants & VMSA_HYP_V_COW_NO_CLEAN);
	vmsa_hyp_write_unlock(vm, cpu);
	return err;
}
