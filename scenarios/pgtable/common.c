/*
 * scenarios/pgtable/common.c - the VM, the MMU lock and the fault paths
 * the page-table library's scenarios share (pgt_scen.h).
 */
#include "pgt_scen.h"

/* The writer's bit of the MMU lock; readers count below it. */
/* The MMU lock's word, as Linux's qrwlock (ps_read_lock): the writer's
 * bit lowest, readers counted above it in units of PS_READER. */
#define PS_WRITER 1ull
#define PS_READER 2ull

struct ps *ps_of(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

vmsa_pa_t ps_hyp(vmsa_run_t *r, unsigned off)
{
	return ps_of(r)->hyp + off;
}

/* ---------------------------------------------------------------------
 * The library's ops: the model backend's, with two kinds of accesses
 * that no other CPU can observe made without a step
 *
 * An eager split fills a new 512-entry table before linking it, and a
 * collapse reads all 512 entries of the table it replaces: as steps,
 * each would be a point where the search may switch CPUs, and a split
 * and a collapse together would take some 1,100 steps, far too many to
 * search. But:
 *  - a write into a table page that this CPU allocated in the current
 *    operation and that no descriptor points to yet cannot be seen by
 *    any walk or any other CPU's code before the step that links the
 *    page; so these writes are made at once, as set-up's are
 *    (vmsa_desc_write with VMSA_SETUP), the page being "fresh" from the
 *    zalloc_page that returned it until the CPU's next descriptor store
 *    or compare-and-swap anywhere else (the link, or a break before it);
 *  - a descriptor read by a CPU that holds the MMU lock for writing (an
 *    exclusive walk) returns the same value whichever step it is made
 *    at: no other software writes descriptors without the lock, and the
 *    model has no hardware Access flag or dirty state updates. A read of
 *    a page that is free is still made as a step, so the model reports
 *    it (use-after-free).
 * What this gives up: a missing DSB between filling a new table and
 * linking it goes unnoticed here (the filled entries are visible to walks
 * at once). Everything else the library does is a step as the backend
 * makes it.
 * ------------------------------------------------------------------- */

static uint64_t *cpu_word(struct ps *d, unsigned off, vmsa_cpu_t cpu)
{
	return vmsa_pa_ptr(d->bk.m, d->hyp + off + 8 * (unsigned)cpu);
}

static vmsa_cpu_t ops_cpu(struct ps *d)
{
	return vmsa_run_cpu(d->bk.run);
}

static vmsa_pa_t page_pa(struct ps *d, const void *p)
{
	return vmsa_ptr_pa(d->bk.m, p) & ~(vmsa_pa_t)(PS_PAGE - 1);
}

static uint64_t q_read(void *ctx, uint64_t *p)
{
	struct ps *d = ctx;
	vmsa_cpu_t cpu = ops_cpu(d);

	if (cpu >= 0 && *cpu_word(d, PS_HYP_EXCL, cpu) &&
	    !vmsa_page_is_free(d->bk.m, page_pa(d, p)))
		return vmsa_desc_read(d->bk.m, VMSA_SETUP, p);
	return d->bk.ops.read(d->bk.ops.ctx, p);
}

static void q_write(void *ctx, uint64_t *p, uint64_t v, bool release)
{
	struct ps *d = ctx;
	vmsa_cpu_t cpu = ops_cpu(d);

	if (cpu >= 0) {
		uint64_t *fresh = cpu_word(d, PS_HYP_FRESH, cpu);

		if (*fresh && *fresh == page_pa(d, p)) {
			vmsa_desc_write(d->bk.m, VMSA_SETUP, p, v);
			return;
		}
		*fresh = 0;
	}
	d->bk.ops.write(d->bk.ops.ctx, p, v, release);
}

static uint64_t q_cas(void *ctx, uint64_t *p, uint64_t old, uint64_t new_)
{
	struct ps *d = ctx;
	vmsa_cpu_t cpu = ops_cpu(d);

	if (cpu >= 0)
		*cpu_word(d, PS_HYP_FRESH, cpu) = 0;
	return d->bk.ops.cas(d->bk.ops.ctx, p, old, new_);
}

static void *q_zalloc_page(void *ctx)
{
	struct ps *d = ctx;
	vmsa_cpu_t cpu = ops_cpu(d);
	void *page = d->bk.ops.zalloc_page(d->bk.ops.ctx);

	if (cpu >= 0)
		*cpu_word(d, PS_HYP_FRESH, cpu) = page ? page_pa(d, page) : 0;
	return page;
}

/* The rest as the backend does it (the optional ones if it has them). */
static void q_dsb(void *ctx, vmsa_pgt_dsb_t k)
{
	struct ps *d = ctx;

	d->bk.ops.dsb(d->bk.ops.ctx, k);
}

static void q_isb(void *ctx)
{
	struct ps *d = ctx;

	d->bk.ops.isb(d->bk.ops.ctx);
}

static void q_tlbi(void *ctx, const vmsa_pgt_tlbi_t *t)
{
	struct ps *d = ctx;

	d->bk.ops.tlbi(d->bk.ops.ctx, t);
}

static void q_cmo(void *ctx, vmsa_pgt_cmo_t op, void *va)
{
	struct ps *d = ctx;

	d->bk.ops.cmo(d->bk.ops.ctx, op, va);
}

static void q_cmo_range(void *ctx, vmsa_pgt_cmo_t op, void *va,
			uint64_t size)
{
	struct ps *d = ctx;

	d->bk.ops.cmo_range(d->bk.ops.ctx, op, va, size);
}

static void q_page_ref_add(void *ctx, void *page, int delta)
{
	struct ps *d = ctx;

	d->bk.ops.page_ref_add(d->bk.ops.ctx, page, delta);
}

static void *q_zalloc_pages(void *ctx, unsigned n)
{
	struct ps *d = ctx;

	return d->bk.ops.zalloc_pages(d->bk.ops.ctx, n);
}

static void q_free_page(void *ctx, void *page)
{
	struct ps *d = ctx;

	d->bk.ops.free_page(d->bk.ops.ctx, page);
}

static void q_get_page(void *ctx, void *page)
{
	struct ps *d = ctx;

	d->bk.ops.get_page(d->bk.ops.ctx, page);
}

static void q_put_page(void *ctx, void *page)
{
	struct ps *d = ctx;

	d->bk.ops.put_page(d->bk.ops.ctx, page);
}

static int q_page_count(void *ctx, void *page)
{
	struct ps *d = ctx;

	return d->bk.ops.page_count(d->bk.ops.ctx, page);
}

static vmsa_pgt_pa_t q_virt_to_phys(void *ctx, void *va)
{
	struct ps *d = ctx;

	return d->bk.ops.virt_to_phys(d->bk.ops.ctx, va);
}

static void *q_phys_to_virt(void *ctx, vmsa_pgt_pa_t pa)
{
	struct ps *d = ctx;

	return d->bk.ops.phys_to_virt(d->bk.ops.ctx, pa);
}

static void ops_init(struct ps *d)
{
	d->ops = (vmsa_pgt_ops_t){
		.ctx = d,
		.read = q_read, .write = q_write, .cas = q_cas,
		.dsb = q_dsb, .isb = q_isb, .tlbi = q_tlbi, .cmo = q_cmo,
		.cmo_range = d->bk.ops.cmo_range ? q_cmo_range : NULL,
		.zalloc_page = q_zalloc_page,
		.zalloc_pages = d->bk.ops.zalloc_pages ? q_zalloc_pages : NULL,
		.free_page = q_free_page, .get_page = q_get_page,
		.put_page = q_put_page, .page_count = q_page_count,
		.page_ref_add = d->bk.ops.page_ref_add ? q_page_ref_add : NULL,
		.virt_to_phys = q_virt_to_phys, .phys_to_virt = q_phys_to_virt,
		.features = d->bk.ops.features,
	};
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
	d->ha = vmsa_run_features(r)->hafdbs;
	if (!setup_ok(r, !vmsa_pgt_model_init(&d->bk, m, r, &mc),
		      "set-up: vmsa_pgt_model_init failed") ||
	    !setup_ok(r, !mu || !vmsa_pgt_model_mutate(&d->bk, mu),
		      "set-up: vmsa_pgt_model_mutate failed"))
		return;
	d->hyp = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	ops_init(d);
	/* The hardware may set AF in the stage-2 tables behind the
	 * library's back: it must know (docs/pgtable.md). */
	d->ops.features.hw_af = d->ha;
	if (!setup_ok(r, !vmsa_pgt_init(&d->pgt, &cfg, &d->ops),
		      "set-up: vmsa_pgt_init failed"))
		return;
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

	vmsa_msr(m, cpu, VMSA_REG_VTCR_EL2,
		 PS_VTCR | (ps_of(r)->ha ? VMSA_VTCR_HA : 0));
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

/* The library issues no barrier after its last make (docs/pgtable.md,
 * "Publishing a new mapping"), and a walk is guaranteed to see a store
 * only after a DSB of the CPU that made it (RSPVBD): without one, a vCPU
 * that faulted on the entry could fault again for as long as this CPU
 * issues no DSB. So releasing the lock, in either mode, publishes the
 * changes made under it first: DSB ISHST. */
static void publish(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_dsb(vmsa_run_machine(r), cpu, VMSA_BAR_ISHST);
}

/* An atomic add to the lock word that returns its writer bit only (a
 * reader's LDADD; mask 0: a STADD), ordered by ord (the lock's acquire,
 * its release: under the feature relaxed plain atomics would order
 * nothing inside the lock after it). Two readers' adds commute: the bit
 * they look at lies below the bias they add (vmsa_phys_add), so the
 * explorer's reduction need not try both orders of two readers, which
 * it had to for a compare-and-swap that guessed the count. */
static uint64_t lock_add(vmsa_run_t *r, vmsa_cpu_t cpu, uint64_t delta,
			 uint64_t mask, vmsa_order_t ord)
{
	return vmsa_phys_add_ord(vmsa_run_machine(r), cpu,
				 ps_hyp(r, PS_HYP_LOCK), 8, delta, mask, true,
				 ord);
}

/* The read of qrwlock's slow-path wait is an acquire
 * (atomic_cond_read_acquire); a wait is a plain read, so a DMB ISHLD
 * after it, only under the feature relaxed, where it orders something
 * (src/hyp/lock.c does the same). */
static void wait_acquire(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	if (vmsa_run_features(r)->relaxed)
		vmsa_dmb(vmsa_run_machine(r), cpu, VMSA_BAR_ISHLD);
}

/* qrwlock's read lock: add the bias; when a writer holds the lock, wait
 * (a blocking wait, not a spin) until it is gone, the bias kept: as
 * qrwlock's slow path, which waits with its bias added, so that no
 * writer can take the word meanwhile. One step when no writer holds it,
 * two otherwise. */
void ps_read_lock(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	if (lock_add(r, cpu, PS_READER, PS_WRITER, VMSA_ORD_ACQ)) {
		vmsa_wait_eq(r, cpu, ps_hyp(r, PS_HYP_LOCK), PS_WRITER, 0);
		wait_acquire(r, cpu);
	}
}

void ps_read_unlock(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	publish(r, cpu);
	lock_add(r, cpu, -PS_READER, 0, VMSA_ORD_REL);
}

/* The writer takes the word when it is 0 (no reader, no writer, no
 * reader waiting for a writer) and waits for that otherwise. */
void ps_write_lock(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_pa_t l = ps_hyp(r, PS_HYP_LOCK);

	while (!vmsa_stopped(m) &&
	       vmsa_phys_cas_ord(m, cpu, l, 8, 0, PS_WRITER, true,
				 VMSA_ORD_ACQ) != 0)
		vmsa_wait_eq(r, cpu, l, ~0ull, 0);
	*cpu_word(ps_of(r), PS_HYP_EXCL, cpu) = 1;
}

/* qrwlock clears the writer's byte with a store-release; here the bit
 * is subtracted, which keeps the biases of the readers waiting for it. */
void ps_write_unlock(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	publish(r, cpu);
	*cpu_word(ps_of(r), PS_HYP_EXCL, cpu) = 0;
	lock_add(r, cpu, -PS_WRITER, 0, VMSA_ORD_REL);
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

/*
 * The vCPU returns to the guest after its fault path and retries the
 * access. When another fault path did the work (this one got -EAGAIN,
 * or found the mapping there), KVM's vCPU may fault again until the
 * other CPU's store reaches its walks, which the architecture guarantees
 * only at that CPU's next DSB (RSPVBD): on hardware the other CPU runs
 * on and gets there; in a search the spinning vCPU could use up the
 * preemption bound or its step budget while the other CPU never runs
 * again, a livelock hardware does not have. So a fault at the IPA of
 * the vCPU's previous fault (its retry faulted again) first waits until
 * no fault path holds the lock (no reader: every fault path's changes
 * are then published), a blocking wait the search sees. Only a retry
 * that faulted again waits: the wait reads the reader count, which
 * every reader's add changes, so that a wait after every fault path
 * would be ordered with every other fault path's lock and unlock. The
 * previous fault's IPA is the CPU's own (a private word, no step).
 */
void ps_fault_begin(vmsa_run_t *r, vmsa_cpu_t cpu, uint64_t ipa)
{
	uint64_t *last = cpu_word(ps_of(r), PS_HYP_LAST, cpu);

	if (*last == (ipa | 1))
		vmsa_wait_eq(r, cpu, ps_hyp(r, PS_HYP_LOCK), ~PS_WRITER, 0);
	*last = ipa | 1;
}

void ps_el2_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
		    const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;
	uint64_t ipa = ps_fault_ipa(e);
	unsigned i = (unsigned)((ipa - PS_IPA_DATA) / PS_PAGE);

	if (ps_is_s2(e, VMSA_FAULT_TLB_CONFLICT)) {
		vmsa_pgt_s2_conflict_handler(&ps_of(r)->ops, PS_VMID);
		/* The abort came from a change the host is still making
		 * (its store not yet visible to walks, RSPVBD): the retry
		 * would refill the same entries until the host's next
		 * DSB. As for a fault path that found nothing to do
		 * (ps_fault_begin), the vCPU retries once the host has
		 * released the lock, a blocking wait instead of a spin
		 * that a preemption-bounded search would never end. */
		vmsa_wait_eq(r, cpu, ps_hyp(r, PS_HYP_LOCK), PS_WRITER, 0);
		return;
	}
	if (!ps_is_s2(e, VMSA_FAULT_TRANSLATION) || ipa < PS_IPA_DATA ||
	    i >= PS_N_DATA) {
		vmsa_assert(r, cpu, false, "an unexpected exception at EL2");
		return;
	}
	/* The memslot says which host page backs the IPA now: read under
	 * the lock, as KVM's fault path looks the page up. */
	ps_fault_begin(r, cpu, ipa);
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
