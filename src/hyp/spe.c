/*
 * src/hyp/spe.c - the hypervisor's handling of a guest's Statistical
 * Profiling buffer (vmsa/hyp.h, "SPE buffer handling"; docs/hyp.md).
 *
 * The profiling unit writes the guest's records through the guest's
 * stage 1 and the VM's stage 2 (D17.7.1, D17.7.3); a stage-2 fault there
 * is no exception the hypervisor could fix and replay: it is a Profiling
 * Buffer management event in the guest-visible PMBSR_EL1 (D17.8.3; no
 * FEAT_SPE_EXC), the record is lost and profiling stops. So the
 * hypervisor makes the buffer's pages present at stage 2 before the unit
 * writes, or repairs the event before the guest can see it:
 *  - pin at enable (VMSA_HYP_SPE_PIN_ENABLE): MDCR_EL2.E2PB = 0b10 traps
 *    the guest's PMB* accesses (EC 0x18, D24.3.17); when the guest sets
 *    PMBLIMITR_EL1.E, walk the guest's stage 1 in software for every
 *    page of [PMBPTR_EL1, LIMIT) and map each IPA at stage 2, then write
 *    the register;
 *  - re-pin at a trapped ERET (VMSA_HYP_SPE_PIN_ERET, needs FEAT_FGT):
 *    HFGITR_EL2.ERET traps the guest's ERET (EC 0x1A, D24.2.71), the
 *    point where the guest enables EL0 profiling after changing its
 *    tables with profiling off; walk and map again, then emulate the
 *    ERET;
 *  - translate on fault (VMSA_HYP_SPE_TRANSLATE): on the physical
 *    PMBIRQ (taken to EL2 with HCR_EL2.IMO), at every exit and before
 *    emulating the guest's read of PMBSR_EL1, a stage-2 event (EC
 *    0b100101) is repaired: walk the guest's stage 1 for PMBPTR_EL1
 *    (the faulting address), map the IPA, clear the event (S, EC, MSS;
 *    which deasserts PMBIRQ); profiling restarts at PMBPTR_EL1;
 *  - pin all: nothing here (all guest memory mapped at set-up).
 * "Map" is the stage-2 fault path itself (vmsa_hyp_s2_abort on a
 * Translation fault for a write to the IPA): it finds or allocates the
 * memslot page and maps it, as the guest's own write would.
 */
#include <stdint.h>
#include <string.h>

#include "hyp_int.h"

#define PMBSR_EVENT (VMSA_PMBSR_S | (0x3full << VMSA_PMBSR_EC_SHIFT) | \
		     0xffffull)

static unsigned mode_of(void *arg)
{
	return (unsigned)(uintptr_t)arg;
}

int vmsa_hyp_spe_walk(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, uint64_t va,
		      uint64_t *ipa)
{
	uint64_t tcr, table;
	unsigned ia_bits;
	int level, start;

	/* The guest's MMU off: its VAs are IPAs. */
	if (!(vmsa_mrs(vm->m, cpu, VMSA_REG_SCTLR_EL1) & VMSA_SCTLR_M)) {
		*ipa = va;
		return 0;
	}
	tcr = vmsa_mrs(vm->m, cpu, VMSA_REG_TCR_EL1);
	/* TTBR0 only, 4K granule: what the guests here use. */
	ia_bits = 64u - (unsigned)(tcr & 0x3f);
	if (((tcr >> 14) & 3u) != 0 || ia_bits > 48 || (va >> ia_bits) ||
	    !vmsa_s1_start_level(VMSA_GRANULE_4K, ia_bits, &start))
		return -EINVAL;
	table = vmsa_mrs(vm->m, cpu, VMSA_REG_TTBR0_EL1) & vmsa_oa_mask(1);
	for (level = start; level <= 3 && !vmsa_stopped(vm->m); level++) {
		uint64_t dipa = (table & vmsa_oa_mask(12)) +
				8 * vmsa_table_index(VMSA_GRANULE_4K, start,
						     level, ia_bits, va);
		int page = vmsa_hyp_slot_index(vm, dipa);
		vmsa_pa_t host, dpa;
		uint64_t d;

		/* The guest's tables are in its memslot. */
		if (page < 0)
			return -EFAULT;
		host = vmsa_phys_read(vm->m, cpu,
				      hyp_pa(vm, HYP_SLOT + 8 * (unsigned)page),
				      8, true);
		if (!host)
			return -EFAULT;
		dpa = host + (dipa & (VMSA_HYP_PAGE - 1));
		d = vmsa_phys_read(vm->m, cpu, dpa, 8, true);
		switch (vmsa_desc_kind(d, level, VMSA_GRANULE_4K)) {
		case VMSA_DESC_TABLE:
			table = vmsa_desc_oa(d, level, VMSA_GRANULE_4K);
			break;
		case VMSA_DESC_BLOCK:
		case VMSA_DESC_PAGE:
			*ipa = vmsa_desc_oa(d, level, VMSA_GRANULE_4K) |
			       (va & (vmsa_level_size(VMSA_GRANULE_4K, level) -
				      1));
			return 0;
		default:
			return -ENOENT;
		}
	}
	return -EFAULT;
}

int vmsa_hyp_spe_map(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, uint64_t ipa)
{
	struct vmsa_exception e;

	/* A write Translation fault at stage 2 on ipa, as the guest's own
	 * store would take: the fault path finds the entry (mapped,
	 * read-only while dirty logging, or invalid) and does what it
	 * calls for. */
	memset(&e, 0, sizeof(e));
	e.type = VMSA_EXC_DATA_ABORT;
	e.from_el = 1;
	e.to_el = 2;
	e.ec = VMSA_EC_DABT_LOW;
	e.is_mmu_fault = true;
	e.fault.kind = VMSA_FAULT_TRANSLATION;
	e.fault.stage = VMSA_STAGE2;
	e.fault.level = 3;
	e.fault.acc = VMSA_ACC_WRITE;
	e.fault.ipa = ipa;
	e.fault.ipa_valid = true;
	if (vmsa_hyp_slot_index(vm, ipa) < 0)
		return -EFAULT;
	vmsa_hyp_s2_abort(vm, cpu, &e, NULL);
	return vmsa_stopped(vm->m) ? -EINTR : 0;
}

/* Map every page of [ptr, limit) the guest's stage 1 maps. */
static int pin_range(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, uint64_t ptr,
		     uint64_t limit)
{
	uint64_t va;

	for (va = ptr & ~(VMSA_HYP_PAGE - 1); va < limit; va += VMSA_HYP_PAGE) {
		uint64_t ipa;
		int err = vmsa_hyp_spe_walk(vm, cpu, va, &ipa);

		/* A page the guest does not map is its own stage-1 fault
		 * when the unit writes there: nothing to pin. */
		if (err == -ENOENT)
			continue;
		if (!err)
			err = vmsa_hyp_spe_map(vm, cpu, ipa);
		if (err)
			return err;
	}
	return 0;
}

int vmsa_hyp_spe_pin(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	uint64_t ptr = vmsa_mrs(vm->m, cpu, VMSA_REG_PMBPTR_EL1);
	uint64_t limit = vmsa_mrs(vm->m, cpu, VMSA_REG_PMBLIMITR_EL1);

	return pin_range(vm, cpu, ptr, limit & VMSA_PMBLIMITR_LIMIT_MASK);
}

bool vmsa_hyp_spe_repair(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	uint64_t sr = vmsa_mrs(vm->m, cpu, VMSA_REG_PMBSR_EL1), ipa;

	if (!(sr & VMSA_PMBSR_S) || VMSA_PMBSR_EC(sr) != VMSA_PMBSR_EC_S2)
		return false;
	if (vmsa_hyp_spe_walk(vm, cpu,
			      vmsa_mrs(vm->m, cpu, VMSA_REG_PMBPTR_EL1),
			      &ipa) ||
	    vmsa_hyp_spe_map(vm, cpu, ipa))
		return false;
	/* Profiling restarts from PMBPTR_EL1, the faulting address
	 * (D17.7.4: after an MMU fault, software that clears S may restart
	 * from the saved write pointer). */
	vmsa_msr(vm->m, cpu, VMSA_REG_PMBSR_EL1, sr & ~PMBSR_EVENT);
	return true;
}

/* A pinning that failed without stopping the execution (a table
 * outside the memslot, a configuration the walk does not know) is the
 * scenario's mistake: an "assert". True when the caller may go on. */
static bool pinned(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, int err)
{
	if (vmsa_stopped(vm->m))
		return false;
	return hyp_ok(vm, cpu, err == 0, "SPE: pinning the buffer failed");
}

/* EC 0x18: the guest's MRS/MSR of a PMB* register (MDCR_EL2.E2PB =
 * 0b10). Emulated on the real register, which EL2 accesses untrapped,
 * and stepped over (the model would run it again otherwise). */
static void sysreg_exit(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu,
			const struct vmsa_exception *e, void *arg)
{
	unsigned mode = mode_of(arg);
	uint64_t v = e->sysreg_value;

	if (!hyp_ok(vm, cpu, e->type == VMSA_EXC_SYSREG_TRAP &&
			     (e->sysreg == VMSA_REG_PMBLIMITR_EL1 ||
			      e->sysreg == VMSA_REG_PMBPTR_EL1 ||
			      e->sysreg == VMSA_REG_PMBSR_EL1),
		    "unexpected exit: a trapped MSR/MRS of another register"))
		return;
	if (e->sysreg_read) {
		if (e->sysreg == VMSA_REG_PMBSR_EL1 &&
		    (mode & VMSA_HYP_SPE_TRANSLATE))
			vmsa_hyp_spe_repair(vm, cpu);
		v = vmsa_mrs(vm->m, cpu, e->sysreg);
		if (!vmsa_stopped(vm->m))
			vmsa_exc_emulate(vm->m, cpu, v);
		return;
	}
	/* Pin before the buffer is enabled, so that no record can be
	 * written before its pages are present. */
	if (e->sysreg == VMSA_REG_PMBLIMITR_EL1 && (v & VMSA_PMBLIMITR_E) &&
	    (mode & VMSA_HYP_SPE_PIN_ENABLE) &&
	    !pinned(vm, cpu,
		    pin_range(vm, cpu,
			      vmsa_mrs(vm->m, cpu, VMSA_REG_PMBPTR_EL1),
			      v & VMSA_PMBLIMITR_LIMIT_MASK)))
		return;
	vmsa_msr(vm->m, cpu, e->sysreg, v);
	vmsa_skip_insn(vm->m, cpu);
}

/* EC 0x1A: the guest's ERET (HFGITR_EL2.ERET): re-pin an enabled
 * buffer, then complete the ERET. */
static void eret_exit(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu,
		      const struct vmsa_exception *e, void *arg)
{
	(void)arg;
	if (!hyp_ok(vm, cpu, e->type == VMSA_EXC_ERET_TRAP,
		    "unexpected exit: EC 0x1A without an ERET"))
		return;
	if ((vmsa_mrs(vm->m, cpu, VMSA_REG_PMBLIMITR_EL1) & VMSA_PMBLIMITR_E) &&
	    !pinned(vm, cpu, vmsa_hyp_spe_pin(vm, cpu)))
		return;
	if (!vmsa_stopped(vm->m))
		vmsa_exc_emulate(vm->m, cpu, 0);
}

/* A physical PMBIRQ taken to EL2 (HCR_EL2.IMO): repair a stage-2 event.
 * Another event (stage 1, buffer full) is the guest's, to which KVM
 * would inject a virtual PMBIRQ: the model has no virtual interrupts,
 * and a level interrupt left asserted would be taken for ever. */
static void irq_exit(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu,
		     const struct vmsa_exception *e, void *arg)
{
	(void)arg;
	if (!hyp_ok(vm, cpu, e->irq == VMSA_IRQ_PMB,
		    "unexpected exit: an IRQ other than PMBIRQ"))
		return;
	if (!vmsa_hyp_spe_repair(vm, cpu) && !vmsa_stopped(vm->m))
		hyp_ok(vm, cpu, false,
		       "SPE: PMBIRQ for an event the guest must handle (a "
		       "virtual PMBIRQ: not modelled)");
}

/* Every entry: a stage-2 event is repaired before the guest runs. */
static void entry_hook(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, void *arg)
{
	(void)arg;
	vmsa_hyp_spe_repair(vm, cpu);
}

int vmsa_hyp_spe_setup(vmsa_hyp_vm_t *vm, unsigned mode)
{
	void *arg = (void *)(uintptr_t)mode;
	int err = 0;

	if (!vm || vmsa_run_cpu(vm->run) != VMSA_SETUP ||
	    (mode & ~(VMSA_HYP_SPE_PIN_ENABLE | VMSA_HYP_SPE_PIN_ERET |
		      VMSA_HYP_SPE_TRANSLATE)))
		return -EINVAL;
	if (mode)
		err = vmsa_hyp_set_exit(vm, VMSA_EC_SYSREG, sysreg_exit, arg,
					NULL);
	if (!err && (mode & VMSA_HYP_SPE_PIN_ERET))
		err = vmsa_hyp_set_exit(vm, VMSA_EC_ERET, eret_exit, arg,
					NULL);
	if (!err && (mode & VMSA_HYP_SPE_TRANSLATE))
		err = vmsa_hyp_add_entry_hook(vm, entry_hook, arg);
	if (!err && (mode & VMSA_HYP_SPE_TRANSLATE)) {
		vmsa_hyp_exit_t prev;

		/* PMBIRQ, unless the VM handles IRQs itself (then its
		 * handler calls vmsa_hyp_spe_repair). */
		err = vmsa_hyp_set_exit(vm, VMSA_HYP_EXIT_IRQ, irq_exit, arg,
					&prev);
		if (!err && prev.fn)
			err = vmsa_hyp_set_exit(vm, VMSA_HYP_EXIT_IRQ, prev.fn,
						prev.arg, NULL);
	}
	return err;
}

void vmsa_hyp_spe_traps(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, unsigned mode)
{
	vmsa_msr(vm->m, cpu, VMSA_REG_MDCR_EL2,
		 VMSA_MDCR_E2PB(mode ? VMSA_MDCR_E2PB_EL1_TRAP
				     : VMSA_MDCR_E2PB_EL1));
	/* PMBIRQ let through the GIC's priority mask (it reaches EL2 with
	 * HCR_EL2.IMO, which the VM's cfg.hcr_set gives). */
	if (mode & VMSA_HYP_SPE_TRANSLATE)
		vmsa_msr(vm->m, cpu, VMSA_REG_ICC_PMR_EL1, 0xff);
	if (!(mode & VMSA_HYP_SPE_PIN_ERET) ||
	    !hyp_ok(vm, cpu, vmsa_machine_features(vm->m)->fgt,
		    "SPE: trapping ERET needs FEAT_FGT (HFGITR_EL2)"))
		return;
	vmsa_msr(vm->m, cpu, VMSA_REG_HFGITR_EL2, VMSA_HFGITR_ERET);
}
