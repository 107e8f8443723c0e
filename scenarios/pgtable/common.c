/*
 * scenarios/pgtable/common.c - the VM, the MMU lock and the fault paths
 * the page-table library's scenarios share (pgt_scen.h).
 */
#include "pgt_scen.h"

/* The writer's bit of the MMU lock; readers count below it. */
#define PS_WRITER (1ull << 63)

struct ps *ps_of(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

vmsa_pa_t ps_hyp(vmsa_run_t *r, unsigned off)
{
	return ps_of(r)->hyp + off;
}

/* ---------------------------------------------------------------------
 * Set-up
 * ------------------------------------------------------------------- */

/* A set-up step that must work: an assert otherwise (set-up violations
 * stop the configuration with an error, not a verdict). */
static bool setup_ok(vmsa_run_t *r, bool ok, const char *what)
{
	if (!ok)
		vmsa_assert(r, VMSA_SETUP, false, what);
	return ok;
}

/* The guest's stage 1: entry 0 of its level-1 table maps VA [0, 1G) to
 * IPA [0, 1G) with a block, attributes as the kernel's (vmsa/guest.h). */
static void setup_guest_s1(vmsa_run_t *r, struct ps *d)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	d->s1 = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	vmsa_desc_write_pa(m, VMSA_SETUP, d->s1,
			   vmsa_desc_make_s1_leaf(0, 1, VMSA_GRANULE_4K, 0,
						  VMSA_AP_RW_EL1, VMSA_SH_ISH,
						  true));
}

static bool setup_map(vmsa_run_t *r, uint64_t ipa, uint64_t size,
		      vmsa_pa_t pa, unsigned flags)
{
	struct ps *d = ps_of(r);

	return setup_ok(r, !vmsa_pgt_map(&d->pgt, VMSA_IA(ipa), size,
					 VMSA_OA(pa), VMSA_PGT_PROT_RW, flags),
			"set-up: vmsa_pgt_map failed");
}

void ps_setup(vmsa_run_t *r, unsigned flags, unsigned n_data,
	      const vmsa_pgt_mutation_t *mu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct ps *d = ps_of(r);
	vmsa_pgt_model_cfg_t mc = {.granule = VMSA_GRANULE_4K};
	vmsa_pgt_cfg_t cfg = {
		.regime = VMSA_PGT_S2, .granule = VMSA_GRANULE_4K,
		.ia_bits = PS_IPA_BITS, .start_level = 2, .vmid = PS_VMID,
	};

	d->fwb = vmsa_run_features(r)->s2fwb;
	if (!setup_ok(r, !vmsa_pgt_model_init(&d->bk, m, r, &mc),
		      "set-up: vmsa_pgt_model_init failed") ||
	    !setup_ok(r, !mu || !vmsa_pgt_model_mutate(&d->bk, mu),
		      "set-up: vmsa_pgt_model_mutate failed") ||
	    !setup_ok(r, !vmsa_pgt_init(&d->pgt, &cfg, &d->bk.ops),
		      "set-up: vmsa_pgt_init failed"))
		return;
	d->hyp = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	setup_guest_s1(r, d);
	if (!setup_map(r, PS_IPA_S1, PS_PAGE, d->s1, 0))
		return;
	for (unsigned i = 0; i < n_data && i < PS_N_DATA; i++) {
		d->data[i] = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
		vmsa_phys_write(m, VMSA_SETUP, d->data[i], 8, PS_DATA(i), true);
		vmsa_phys_write(m, VMSA_SETUP, d->hyp + PS_HYP_SLOT + 8 * i, 8,
				d->data[i], true);
		if ((flags & PS_MAP_DATA) &&
		    !setup_map(r, PS_IPA_DATA + i * PS_PAGE, PS_PAGE,
			       d->data[i], 0))
			return;
	}
	if (flags & PS_MAP_BLOCK) {
		d->block = vmsa_page_alloc(m, VMSA_SETUP, PS_BLOCK / PS_PAGE,
					   PS_BLOCK / PS_PAGE);
		for (unsigned i = 0; i < 2; i++)
			vmsa_phys_write(m, VMSA_SETUP, d->block + i * PS_PAGE,
					8, 0xb0 + i, true);
		setup_map(r, PS_IPA_BLOCK, PS_BLOCK, d->block, 0);
	}
}

/* ---------------------------------------------------------------------
 * Entering the guest
 * ------------------------------------------------------------------- */

void ps_hyp_load(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	vmsa_msr(m, cpu, VMSA_REG_VTCR_EL2, PS_VTCR);
	vmsa_msr(m, cpu, VMSA_REG_VTTBR_EL2,
		 VMSA_VTTBR(ps_of(r)->pgt.root_pa.pa, PS_VMID));
}

void ps_guest_enter(vmsa_run_t *r, vmsa_cpu_t cpu, bool s1)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	/* SCTLR_EL1 is zero at reset: with the MMU off nothing to write. */
	if (s1) {
		vmsa_msr(m, cpu, VMSA_REG_MAIR_EL1, VMSA_KERNEL_MAIR);
		vmsa_msr(m, cpu, VMSA_REG_TCR_EL1, VMSA_KERNEL_TCR);
		vmsa_msr(m, cpu, VMSA_REG_TTBR0_EL1,
			 VMSA_TTBR(PS_IPA_S1, VMSA_KERNEL_ASID));
		vmsa_msr(m, cpu, VMSA_REG_SCTLR_EL1, VMSA_SCTLR_M);
	}
	ps_hyp_load(r, cpu);
	vmsa_msr(m, cpu, VMSA_REG_HCR_EL2,
		 VMSA_GUEST_HCR | (ps_of(r)->fwb ? VMSA_HCR_FWB : 0));
	vmsa_eret(m, cpu, 1);
}

/* ---------------------------------------------------------------------
 * The MMU lock
 * ------------------------------------------------------------------- */

void ps_read_lock(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_pa_t l = ps_hyp(r, PS_HYP_LOCK);

	while (!vmsa_stopped(m)) {
		uint64_t v = vmsa_wait_eq(r, cpu, l, PS_WRITER, 0);

		if (vmsa_phys_cas(m, cpu, l, 8, v, v + 1, true) == v)
			return;
	}
}

/* One compare-and-swap when this is the only reader (the common case),
 * a retry with the value found otherwise. */
void ps_read_unlock(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_pa_t l = ps_hyp(r, PS_HYP_LOCK);
	uint64_t v = 1, got;

	while (!vmsa_stopped(m)) {
		got = vmsa_phys_cas(m, cpu, l, 8, v, v - 1, true);
		if (got == v)
			return;
		vmsa_assert(r, cpu, got != 0 && !(got & PS_WRITER),
			    "read_unlock of an MMU lock not held for reading");
		v = got;
	}
}

void ps_write_lock(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_pa_t l = ps_hyp(r, PS_HYP_LOCK);

	while (!vmsa_stopped(m)) {
		vmsa_wait_eq(r, cpu, l, ~0ull, 0);
		if (vmsa_phys_cas(m, cpu, l, 8, 0, PS_WRITER, true) == 0)
			return;
	}
}

void ps_write_unlock(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_phys_write(vmsa_run_machine(r), cpu, ps_hyp(r, PS_HYP_LOCK), 8, 0,
			true);
}

/* ---------------------------------------------------------------------
 * Fault paths
 * ------------------------------------------------------------------- */

bool ps_ok(vmsa_run_t *r, vmsa_cpu_t cpu, bool cond, const char *message)
{
	vmsa_assert(r, cpu, cond, message);
	return cond;
}

bool ps_is_s2(const struct vmsa_exception *e, vmsa_fault_kind_t k)
{
	return e->type == VMSA_EXC_DATA_ABORT && e->is_mmu_fault &&
	       e->fault.kind == k &&
	       (k == VMSA_FAULT_TLB_CONFLICT || e->fault.stage == VMSA_STAGE2);
}

uint64_t ps_fault_ipa(const struct vmsa_exception *e)
{
	return e->fault.ipa;
}

void ps_fault_map_locked(vmsa_run_t *r, vmsa_cpu_t cpu, uint64_t ipa,
			 uint64_t size, vmsa_pa_t pa)
{
	int err = vmsa_pgt_map(&ps_of(r)->pgt, VMSA_IA(ipa & ~(size - 1)),
			       size, VMSA_OA(pa), VMSA_PGT_PROT_RW,
			       VMSA_PGT_SHARED);

	vmsa_assert(r, cpu, err == 0 || err == -EAGAIN,
		    "the fault path's vmsa_pgt_map failed (not -EAGAIN)");
}

void ps_fault_map(vmsa_run_t *r, vmsa_cpu_t cpu, uint64_t ipa, uint64_t size,
		  vmsa_pa_t pa)
{
	ps_read_lock(r, cpu);
	ps_fault_map_locked(r, cpu, ipa, size, pa);
	ps_read_unlock(r, cpu);
}

void ps_el2_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
		    const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;
	uint64_t ipa = ps_fault_ipa(e);
	unsigned i = (unsigned)((ipa - PS_IPA_DATA) / PS_PAGE);

	if (ps_is_s2(e, VMSA_FAULT_TLB_CONFLICT)) {
		vmsa_pgt_s2_conflict_handler(&ps_of(r)->bk.ops, PS_VMID);
		return;
	}
	if (!ps_is_s2(e, VMSA_FAULT_TRANSLATION) || ipa < PS_IPA_DATA ||
	    i >= PS_N_DATA) {
		vmsa_assert(r, cpu, false, "an unexpected exception at EL2");
		return;
	}
	/* The memslot says which host page backs the IPA now: read under
	 * the lock, as KVM's fault path looks the page up. */
	ps_read_lock(r, cpu);
	ps_fault_map_locked(r, cpu, ipa, PS_PAGE,
			 vmsa_phys_read(m, cpu, ps_hyp(r, PS_HYP_SLOT + 8 * i),
					8, true));
	ps_read_unlock(r, cpu);
}

bool ps_guest_read(vmsa_run_t *r, vmsa_cpu_t cpu, uint64_t va,
		   const uint64_t *ok, unsigned n, const char *what)
{
	uint64_t v;
	bool good = false;

	if (!vmsa_read(vmsa_run_machine(r), cpu, va, 8, &v))
		return false;
	for (unsigned i = 0; i < n; i++)
		good |= v == ok[i];
	vmsa_assert(r, cpu, good, what);
	return good;
}
