/*
 * src/hyp/fault.c - the stage-2 fault handler (KVM's user_mem_abort and
 * its permission-fault path) and the TLB conflict abort handler.
 *
 * A vCPU's stage-2 fault is taken to EL2 on its own CPU. Under the MMU
 * lock held for reading, the handler reads the entry that translates the
 * IPA now (vmsa_pgt_get_leaf) and does what it calls for:
 *  - the entry allows the access: another CPU resolved the fault after
 *    this one's walk (its store reached the walks late, RSPVBD), or this
 *    CPU's TLB holds a stricter entry than the table (a relaxation
 *    invalidated only locally elsewhere). Return, after removing this
 *    CPU's entries for the IPA: TLBI IPAS2E1 for the stage-2 entries,
 *    then TLBI VMALLE1 for the combined stage 1+2 ones, which IPAS2E1
 *    need not remove (D8.17.6.1, RTVTYQ), each completed by DSB NSH
 *    (RYNJCP). Without it (VMSA_HYP_V_NO_RESOLVED_TLBI), a stale entry
 *    faults again for ever;
 *  - invalid: map the page the memslot gives (allocating it on the first
 *    fault) with a shared walk; the library cleans it to the PoC first
 *    (unless S2FWB), so that a guest with its MMU off, whose accesses go
 *    to the PoC, sees what the host wrote through its cache;
 *  - valid without the permission: relax it (a write while dirty
 *    logging: mark the page dirty first, so that the migration copies it
 *    again).
 */
#include "hyp_int.h"

bool vmsa_hyp_is_s2(const struct vmsa_exception *e, vmsa_fault_kind_t k)
{
	return e && (e->type == VMSA_EXC_DATA_ABORT ||
		     e->type == VMSA_EXC_INSN_ABORT) &&
	       e->is_mmu_fault && e->fault.kind == k &&
	       (k == VMSA_FAULT_TLB_CONFLICT || e->fault.stage == VMSA_STAGE2);
}

int hyp_map_locked(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, uint64_t ipa,
		   uint64_t size, vmsa_pa_t pa, unsigned prot,
		   unsigned flags, bool no_clean)
{
	int err;

	if (no_clean)
		*hyp_cpu_word(vm, HYP_NOCMO, cpu) = 1;
	err = vmsa_pgt_map(&vm->pgt, VMSA_IA(ipa), size, VMSA_OA(pa), prot,
			   flags);
	*hyp_cpu_word(vm, HYP_NOCMO, cpu) = 0;
	return err;
}

/* Does the stage-2 entry desc allow the access? Valid, Access flag set,
 * S2AP[0] (read) or S2AP[1] (write), XN[1:0] = 0 for an instruction
 * fetch (D8.4.2, D8.5.2). */
static bool allows(uint64_t desc, vmsa_acc_kind_t acc)
{
	unsigned s2ap = (unsigned)(desc >> VMSA_D_AP_SHIFT) & 3u;

	if (!(desc & VMSA_D_VALID) || !(desc & VMSA_D_AF))
		return false;
	switch (acc) {
	case VMSA_ACC_WRITE:
		return s2ap & VMSA_S2AP_WO;
	case VMSA_ACC_EXEC:
		return (s2ap & VMSA_S2AP_RO) &&
		       !((desc >> VMSA_D_S2XN_SHIFT) & 3u);
	default:
		return s2ap & VMSA_S2AP_RO;
	}
}

/* Local invalidation of this CPU's entries for ipa (the VM's VMID is the
 * current one: the vCPU runs with it). */
static void invalidate_local(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, uint64_t ipa)
{
	const vmsa_tlbi_op_t ipas2 = {.type = VMSA_TLBI_IPAS2E1,
				      .sh = VMSA_TLBI_NSH};
	const vmsa_tlbi_op_t vmall = {.type = VMSA_TLBI_VMALLE1,
				      .sh = VMSA_TLBI_NSH};

	vmsa_tlbi(vm->m, cpu, ipas2, vmsa_tlbi_ipa(ipa, VMSA_GRANULE_4K, -1));
	vmsa_dsb(vm->m, cpu, VMSA_BAR_NSH);
	vmsa_tlbi(vm->m, cpu, vmall, 0);
	vmsa_dsb(vm->m, cpu, VMSA_BAR_NSH);
}

/* Bit i of the dirty bitmap, with compare-and-swap (fault paths hold the
 * lock for reading only, several at a time). The first guess is an
 * empty bitmap. */
static void mark_dirty(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, unsigned i)
{
	vmsa_pa_t b = hyp_pa(vm, HYP_DIRTY);
	uint64_t v = 0, got;

	while (!vmsa_stopped(vm->m)) {
		got = vmsa_phys_cas(vm->m, cpu, b, 8, v, v | 1ull << i, true);
		if (got == v || (got & 1ull << i))
			return;
		v = got;
	}
}

static bool logging(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	return vmsa_phys_read(vm->m, cpu, hyp_pa(vm, HYP_LOGGING), 8, true);
}

/* The host page of memslot page i: the memslot's, or a new one that this
 * CPU installs with compare-and-swap (the loser of a race frees its page
 * and takes the winner's). VMSA_BAD_PA when memory is exhausted. */
static vmsa_pa_t slot_page(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, unsigned i)
{
	vmsa_pa_t s = hyp_pa(vm, HYP_SLOT + 8 * i), pa, got;

	pa = vmsa_phys_read(vm->m, cpu, s, 8, true);
	if (pa)
		return pa;
	pa = vmsa_page_alloc(vm->m, cpu, 1, 1);
	if (!hyp_ok(vm, cpu, pa != VMSA_BAD_PA,
		    "the fault path cannot allocate a page"))
		return VMSA_BAD_PA;
	got = vmsa_phys_cas(vm->m, cpu, s, 8, 0, pa, true);
	if (got == 0)
		return pa;
	vmsa_page_free(vm->m, cpu, pa, 1);
	return got;
}

/* An invalid entry: map what the memslot (or the guest's stage-1 table)
 * has at ipa. */
static void map_fault(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, uint64_t ipa,
		      int page, vmsa_acc_kind_t acc)
{
	uint64_t size = VMSA_HYP_PAGE;
	unsigned prot = VMSA_PGT_PROT_RW, flags = VMSA_PGT_SHARED;
	vmsa_pa_t pa;
	int err;

	if (page < 0) {
		pa = vm->s1;
	} else {
		bool log = logging(vm, cpu);

		if (log) {
			flags |= VMSA_PGT_PAGES;
			if (acc == VMSA_ACC_WRITE)
				mark_dirty(vm, cpu, (unsigned)page);
			else
				prot = VMSA_PGT_PROT_R;
		}
		if (vm->cfg.slot_block) {
			size = log ? VMSA_HYP_PAGE : VMSA_HYP_BLOCK;
			ipa &= ~(size - 1);
			pa = vm->block + (ipa - vm->cfg.slot_ipa);
		} else {
			pa = slot_page(vm, cpu, (unsigned)page);
		}
	}
	if (acc == VMSA_ACC_EXEC)
		prot |= VMSA_PGT_PROT_X;
	if (pa == VMSA_BAD_PA || vmsa_stopped(vm->m))
		return;
	err = hyp_map_locked(vm, cpu, ipa, size, pa, prot, flags,
			     vm->cfg.variants & VMSA_HYP_V_NO_CLEAN);
	hyp_ok(vm, cpu, err == 0 || err == -EAGAIN,
	       "the fault path's vmsa_pgt_map failed (not -EAGAIN)");
}

/* A valid entry without the permission: relax it, a write while dirty
 * logging marking the page dirty first. The library invalidates this
 * CPU's TLB after the change (docs/pgtable.md, relax_perms). */
static void relax(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, uint64_t ipa, int page,
		  vmsa_acc_kind_t acc)
{
	unsigned prot = acc == VMSA_ACC_WRITE ? VMSA_PGT_PROT_W
		      : acc == VMSA_ACC_EXEC  ? VMSA_PGT_PROT_X
					      : VMSA_PGT_PROT_R;
	int err;

	if (acc == VMSA_ACC_WRITE && page >= 0 && logging(vm, cpu))
		mark_dirty(vm, cpu, (unsigned)page);
	if (vmsa_stopped(vm->m))
		return;
	err = vmsa_pgt_relax_perms(&vm->pgt, VMSA_IA(ipa), prot,
				   VMSA_PGT_SHARED);
	hyp_ok(vm, cpu, err == 0 || err == -EAGAIN || err == -ENOENT,
	       "the fault path's vmsa_pgt_relax_perms failed");
}

/* The fault's IPA (page aligned) and the memslot page (-1: the guest's
 * stage-1 table); false when the fault is not one the VM handles. */
static bool fault_target(const vmsa_hyp_vm_t *vm,
			 const struct vmsa_exception *e, uint64_t *ipa,
			 int *page)
{
	if (!e->fault.ipa_valid)
		return false;
	*ipa = e->fault.ipa & ~(VMSA_HYP_PAGE - 1);
	*page = vmsa_hyp_slot_index(vm, *ipa);
	return *page >= 0 || (vm->cfg.guest_s1 && *ipa == vm->cfg.s1_ipa);
}

void vmsa_hyp_s2_abort(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e, void *arg)
{
	vmsa_acc_kind_t acc;
	uint64_t ipa, desc = 0;
	int page, level;

	(void)arg;
	if (!vm || !e)
		return;
	/* A stage-2 fault on a stage-1 table walk needs the table readable
	 * (the model makes no hardware Access flag or dirty updates). */
	acc = e->fault.s1ptw ? VMSA_ACC_READ : e->fault.acc;
	if (vmsa_hyp_is_s2(e, VMSA_FAULT_TLB_CONFLICT)) {
		vmsa_hyp_conflict(vm, cpu, e);
		return;
	}
	if (!hyp_ok(vm, cpu, (vmsa_hyp_is_s2(e, VMSA_FAULT_TRANSLATION) ||
			      vmsa_hyp_is_s2(e, VMSA_FAULT_PERMISSION)) &&
				     fault_target(vm, e, &ipa, &page),
		    "unexpected stage-2 exit: not a Translation or "
		    "Permission fault in the memslot"))
		return;
	vmsa_hyp_fault_begin(vm, cpu, ipa);
	vmsa_hyp_read_lock(vm, cpu);
	if (vmsa_stopped(vm->m))
		return;
	if (!hyp_ok(vm, cpu, !vmsa_pgt_get_leaf(&vm->pgt, VMSA_IA(ipa), &desc,
						&level),
		    "vmsa_pgt_get_leaf failed"))
		return;
	if (allows(desc, acc)) {
		if (!(vm->cfg.variants & VMSA_HYP_V_NO_RESOLVED_TLBI))
			invalidate_local(vm, cpu, ipa);
	} else if (desc & VMSA_D_VALID) {
		relax(vm, cpu, ipa, page, acc);
	} else {
		map_fault(vm, cpu, ipa, page, acc);
	}
	if (!vmsa_stopped(vm->m))
		vmsa_hyp_read_unlock(vm, cpu);
}

/* ---------------------------------------------------------------------
 * TLB conflict aborts
 * ------------------------------------------------------------------- */

/* The IPA of a conflict abort's access: HPFAR_EL2 is UNKNOWN for a TLB
 * conflict (IJYDXJ), so the handler finds it from FAR_EL2, which is the
 * IPA when the guest's stage 1 is off, and otherwise through AT S1E1R
 * (PAR_EL1 holds the IPA, D24.2.123). False when AT faults. */
static bool conflict_ipa(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu,
			 const struct vmsa_exception *e, uint64_t *ipa)
{
	uint64_t par;

	if (!e->far_valid)
		return false;
	if (!(vmsa_mrs(vm->m, cpu, VMSA_REG_SCTLR_EL1) & VMSA_SCTLR_M)) {
		*ipa = e->far;
		return true;
	}
	vmsa_at(vm->m, cpu, VMSA_AT_S1E1R, e->far);
	par = vmsa_mrs(vm->m, cpu, VMSA_REG_PAR_EL1);
	if (par & 1u)
		return false;
	*ipa = (par & 0x000ffffffffff000ull) | (e->far & 0xfffu);
	return true;
}

void vmsa_hyp_conflict(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e)
{
	uint64_t ipa;

	if (!vm || !e)
		return;
	if ((vm->cfg.variants & VMSA_HYP_V_CONFLICT_IPA) &&
	    conflict_ipa(vm, cpu, e, &ipa)) {
		/* Gunyah's handler: the IPA's stage-2 entries, then every
		 * stage-1 and combined entry of the VMID (D8.17.6.1: after
		 * the IPAS2E1 completed, so that no combined entry is
		 * refilled from a stage-2 entry still held), DSB NSH, ISB. */
		invalidate_local(vm, cpu, ipa);
		vmsa_isb(vm->m, cpu);
	} else {
		vmsa_pgt_s2_conflict_handler(&vm->ops, vm->cfg.vmid);
	}
	/* The abort came from a change the host is still making (its
	 * store not yet visible to walks, RSPVBD): the retry would refill
	 * the same entries until the host's next DSB. As for a fault path
	 * that found nothing to do (vmsa_hyp_fault_begin), the vCPU retries
	 * once the host has released the lock: a blocking wait instead of
	 * a spin that a preemption-bounded search would never end. */
	if (!vmsa_stopped(vm->m))
		vmsa_wait_eq(vm->run, cpu, hyp_pa(vm, HYP_LOCK), HYP_WRITER,
			     0);
}
