/*
 * scenarios/seeds/kvm_bbml2.c - Seed 001: KVM's stage 2 skipping the
 * break under BBML2 (docs/seeds.md, Seed 001).
 *
 * A patch let KVM change live stage-2 entries with a compare-and-swap and
 * invalidate afterwards, without a break, on BBML2 CPUs (never merged; a
 * 2026 RFC enables it only with BBML3, FWB and DIC, assuming the output
 * address of a live entry never changes). Each scenario is one of its
 * operations racing a guest, on the hypervisor core (vmsa/hyp.h): VMs,
 * vCPUs, the stage-2 fault handler, dirty logging, the MMU lock. The
 * manual has no BBM level 3 (docs/model.md): Linux's BBML3 is level 2
 * without conflict aborts, `bbm2-noabort`.
 */
#include <errno.h>

#include "vmsa/hyp.h"

/* What set-up leaves (the VM first, as vmsa/hyp.h asks). */
struct kb {
	vmsa_hyp_vm_t vm;
	vmsa_pa_t page0;   /* host page of memslot page 0 */
	vmsa_pa_t l2e;     /* the level-2 entry of the memslot's 2M */
	vmsa_pa_t pte0;    /* the level-3 entry of memslot page 0 */
	vmsa_pa_t spare;   /* a second host page (oa-change) */
	vmsa_hyp_exit_t prev_abort; /* the core's abort exit (table-to-block) */
};

static struct kb *kb_of(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

/* The level-2 entry of ipa: the root is one level-2 table (30-bit IPA,
 * start level 2: vmsa_hyp_vm_cfg_default()). */
static vmsa_pa_t l2e_pa(const vmsa_hyp_vm_t *vm, uint64_t ipa)
{
	return vm->pgt.root_pa.pa + 8 * ((ipa >> 21) & 511);
}

/* The level-3 entry of ipa, below a table the level-2 entry holds now
 * (set-up only: a read without a step). */
static vmsa_pa_t pte_pa(const vmsa_hyp_vm_t *vm, uint64_t ipa)
{
	const uint64_t *t = vmsa_pa_cptr(vm->m, l2e_pa(vm, ipa));

	return vmsa_desc_oa(*t, 2, VMSA_GRANULE_4K) + 8 * ((ipa >> 12) & 511);
}

/* A compare-and-swap of the descriptor at pa (the table pages are the
 * library's, already exposed to host code through its ops). */
static uint64_t desc_cas(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_pa_t pa,
			 uint64_t old, uint64_t v)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	return vmsa_desc_cas(m, cpu, vmsa_pa_ptr(m, pa), old, v);
}

/* TLBI `type` IS for the VM (the VMID in VTTBR_EL2), operand ipa with a
 * level hint (-1: none). One step. */
static void tlbi_is(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_tlbi_type_t type,
		    uint64_t ipa, int level)
{
	vmsa_tlbi_op_t op = {.type = type, .sh = VMSA_TLBI_IS};

	vmsa_tlbi(vmsa_run_machine(r), cpu, op,
		  vmsa_tlbi_ipa(ipa, VMSA_GRANULE_4K, level));
}

static vmsa_hyp_vm_t *setup_vm(vmsa_run_t *r, vmsa_hyp_vm_cfg_t *c)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_setup(r, c);

	if (vm && !c->slot_block && c->slot_alloc)
		kb_of(r)->page0 = vmsa_hyp_slot_peek(vm, 0);
	return vm;
}

/* A guest write of `v` to memslot page 0 (VA = IPA with stage 1 on). */
static void guest_write(vmsa_run_t *r, vmsa_cpu_t cpu, uint64_t v)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);

	vmsa_hyp_vcpu_enter(vm, cpu, VMSA_HYP_ENTER_S1);
	vmsa_write(vmsa_run_machine(r), cpu, vm->cfg.slot_ipa, 8, v);
}

/* ---------------------------------------------------------------------
 * kvm-bbml2/wrprotect-nsh, wrprotect-is: dirty logging
 * ------------------------------------------------------------------- */

/*
 * The host (CPU1) turns dirty logging on: the switch, then the memslot
 * write-protected, each writable entry rewritten in place (the patch's
 * cmpxchg: the same single store while the lock keeps other writers out)
 * and invalidated; then it copies the page (a migration's first pass).
 * The vCPU (CPU0) writes the page. The property: a page the dirty bitmap
 * does not name still holds what the copy read. The patch's invalidation
 * is non-shareable (the library's broadcast TLBIs made local on CPU1 by
 * the model backend's mutation): the vCPU's TLB keeps the writable entry
 * and its write lands after the copy without a fault.
 */
#define KB_WRITTEN 0xd0ull
#define KB_COPY 0  /* hypervisor word: the copy of page 0's word 0 */

static void host_log_copy(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	vmsa_machine_t *m = vmsa_run_machine(r);
	int err;

	vmsa_hyp_load_s2(vm, cpu);
	err = vmsa_hyp_dirty_enable(vm, cpu);
	vmsa_assert(r, cpu, err == 0, "vmsa_hyp_dirty_enable failed");
	vmsa_phys_write(m, cpu, vmsa_hyp_word(vm, KB_COPY), 8,
			vmsa_phys_read(m, cpu, kb_of(r)->page0, 8, true),
			true);
}

static void vcpu_write(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	guest_write(r, cpu, KB_WRITTEN);
}

static void check_log(vmsa_run_t *r)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	const uint64_t *copy = vmsa_pa_cptr(vm->m, vmsa_hyp_word(vm, KB_COPY));
	const uint64_t *now = vmsa_pa_cptr(vm->m, kb_of(r)->page0);

	vmsa_assert(r, VMSA_SETUP, (vmsa_hyp_dirty_peek(vm) & 1) || *copy == *now,
		    "write completed without a dirty-log fault after "
		    "wrprotect returned");
}

static void setup_log(vmsa_run_t *r, const vmsa_pgt_mutation_t *mu)
{
	vmsa_hyp_vm_cfg_t c = vmsa_hyp_vm_cfg_default();

	c.mutation = mu;
	setup_vm(r, &c);
}

static void setup_log_is(vmsa_run_t *r)
{
	setup_log(r, NULL);
}

static void setup_log_nsh(vmsa_run_t *r)
{
	static const vmsa_pgt_mutation_t local = {
		.kind = VMSA_PGT_MUT_TLBI_LOCAL, .cpu = 1};

	setup_log(r, &local);
}

#define KB_LOG_SCENARIO(ident, sname, sdoc, fn, verdict)                   \
	VMSA_SCENARIO(ident, .name = sname, .doc = sdoc, .setup = fn,      \
		      .cpu = {vcpu_write, host_log_copy}, .check = check_log, \
		      .handler = {[0] = {[2] = vmsa_hyp_exit_handler}},     \
		      .configs = {{.name = "bbm2-noabort", .expect = verdict}})

KB_LOG_SCENARIO(kb_wrprotect_nsh, "kvm-bbml2/wrprotect-nsh",
		"dirty logging's write-protect invalidated non-shareable "
		"(the patch) while a vCPU writes",
		setup_log_nsh, "assert")
KB_LOG_SCENARIO(kb_wrprotect_is, "kvm-bbml2/wrprotect-is",
		"dirty logging's write-protect invalidated Inner Shareable "
		"while a vCPU writes",
		setup_log_is, "safe")

/* ---------------------------------------------------------------------
 * kvm-bbml2/relax-stale, relax-stale-local-tlbi
 * ------------------------------------------------------------------- */

/*
 * Dirty logging is on (CPU0 turns it on before entering the guest); both
 * vCPUs write page 0. The first write faults and its fault path relaxes
 * the entry to writable in place, invalidating only its own TLB
 * (vmsa_pgt_relax_perms). The other vCPU's TLB may still hold the
 * read-only entry (overwritten while its context was cached): its write
 * faults, its fault path finds the entry already writable. Returning
 * without an invalidation (VMSA_HYP_V_NO_RESOLVED_TLBI) retries into the
 * same stale entry forever; the core's default invalidates this CPU's
 * TLB for the IPA (TLBI IPAS2E1, VMALLE1, DSB NSH) first.
 */
static void vcpu_log_write(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);

	vmsa_hyp_load_s2(vm, cpu);
	vmsa_assert(r, cpu, vmsa_hyp_dirty_enable(vm, cpu) == 0,
		    "vmsa_hyp_dirty_enable failed");
	guest_write(r, cpu, KB_WRITTEN);
}

static void vcpu_write2(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	guest_write(r, cpu, KB_WRITTEN + 1);
}

static void setup_relax(vmsa_run_t *r, unsigned variants)
{
	vmsa_hyp_vm_cfg_t c = vmsa_hyp_vm_cfg_default();

	c.variants = variants;
	setup_vm(r, &c);
}

static void setup_relax_stale(vmsa_run_t *r)
{
	setup_relax(r, VMSA_HYP_V_NO_RESOLVED_TLBI);
}

static void setup_relax_tlbi(vmsa_run_t *r)
{
	setup_relax(r, 0);
}

#define KB_RELAX_SCENARIO(ident, sname, sdoc, fn, verdict)                \
	VMSA_SCENARIO(ident, .name = sname, .doc = sdoc, .setup = fn,     \
		      .cpu = {vcpu_log_write, vcpu_write2},               \
		      .handler = {[0] = {[2] = vmsa_hyp_exit_handler},     \
				  [1] = {[2] = vmsa_hyp_exit_handler}},    \
		      .configs = {{.name = "bbm2-noabort", .expect = verdict}})

KB_RELAX_SCENARIO(kb_relax_stale, "kvm-bbml2/relax-stale",
		  "a permission relaxed with a local invalidation; the other "
		  "vCPU's fault path finds it resolved and returns without "
		  "invalidating",
		  setup_relax_stale, "livelock")
KB_RELAX_SCENARIO(kb_relax_stale_tlbi, "kvm-bbml2/relax-stale-local-tlbi",
		  "the same, the fault path invalidates its own TLB for the "
		  "IPA before returning",
		  setup_relax_tlbi, "safe")

/* ---------------------------------------------------------------------
 * kvm-bbml2/table-to-block, table-to-block-vmid
 * ------------------------------------------------------------------- */

/*
 * The memslot is 2M of host memory mapped with a full level-3 table (512
 * pages). The host (CPU0) collapses it into one 2M block with the same
 * output addresses: one compare-and-swap of the level-2 entry, then
 * KVM's invalidation by IPA of the block's address (TLBI IPAS2E1IS; DSB;
 * VMALLE1IS; DSB). An old *table* entry caches every entry below it
 * (the level-3 page entries of the other 511 pages), which an
 * invalidation of one address does not remove; -vmid adds what KVM does
 * for a table: TLBI VMALLS12E1IS; DSB ISH. Later the host unmaps the
 * block (break; DSB; TLBI IPAS2E1IS with the level-2 hint; DSB;
 * VMALLE1IS; DSB) and frees its memory; then the range is faulted in
 * again with fresh zeroed memory (the same 2M: the allocator takes the
 * lowest fit) mapped by a block. The guest (CPU1, stage 1 off) reads
 * memslot page 1 twice; a fault waits for the new block. A read through
 * a level-3 entry of the old table between the free and the new
 * allocation uses freed memory.
 */
#define KB_DONE 1  /* hypervisor word: the new block is mapped */

static void host_collapse(vmsa_run_t *r, vmsa_cpu_t cpu, bool vmid)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct kb *k = kb_of(r);
	uint64_t ipa = vm->cfg.slot_ipa;
	uint64_t table = vmsa_desc_read_pa(m, cpu, k->l2e);
	uint64_t block = vmsa_desc_read_pa(m, cpu, k->pte0) & ~VMSA_D_TYPE;
	vmsa_pa_t fresh;

	vmsa_hyp_load_s2(vm, cpu);
	vmsa_hyp_write_lock(vm, cpu);
	desc_cas(r, cpu, k->l2e, table, block);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	tlbi_is(r, cpu, VMSA_TLBI_IPAS2E1, ipa, 2);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	tlbi_is(r, cpu, VMSA_TLBI_VMALLE1, 0, -1);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	if (vmid) {
		tlbi_is(r, cpu, VMSA_TLBI_VMALLS12E1, 0, -1);
		vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	}
	vmsa_hyp_write_unlock(vm, cpu);

	vmsa_hyp_write_lock(vm, cpu);
	vmsa_desc_write_pa(m, cpu, k->l2e, 0);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	tlbi_is(r, cpu, VMSA_TLBI_IPAS2E1, ipa, 2);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	tlbi_is(r, cpu, VMSA_TLBI_VMALLE1, 0, -1);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_page_free(m, cpu, vm->block, 512);
	vmsa_hyp_write_unlock(vm, cpu);

	/* Faulted in again later: fresh zeroed memory, which the allocator
	 * (lowest fit) takes from the same 2M, mapped with a block. */
	fresh = vmsa_page_alloc(m, cpu, 512, 512);
	vmsa_assert(r, cpu, fresh == vm->block,
		    "the allocator did not give the same 2M back");
	vmsa_hyp_write_lock(vm, cpu);
	vmsa_desc_write_pa(m, cpu, k->l2e,
			   (block & ~vmsa_desc_oa_mask(VMSA_GRANULE_4K, 2)) |
				   fresh);
	vmsa_hyp_write_unlock(vm, cpu);
	vmsa_phys_write(m, cpu, vmsa_hyp_word(vm, KB_DONE), 8, 1, true);
}

static void host_collapse_ipa(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	host_collapse(r, cpu, false);
}

static void host_collapse_vmid(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	host_collapse(r, cpu, true);
}

/* The guest, MMU off: memslot page 1 reads as itself (set-up wrote
 * VMSA_HYP_DATA(1) there) or, once remapped, as the new zeroed block. */
static void guest_read_page1(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	uint64_t v;

	vmsa_hyp_vcpu_enter(vm, cpu, 0);
	for (int i = 0; i < 2; i++) {
		if (!vmsa_read(vmsa_run_machine(r), cpu,
			       vm->cfg.slot_ipa + VMSA_HYP_PAGE, 8, &v))
			return;
		vmsa_assert(r, cpu, v == VMSA_HYP_DATA(1) || v == 0,
			    "memslot page 1 reads as another page");
	}
}

/* The guest's stage-2 Translation faults while the range is unmapped:
 * wait until the host mapped the new block (as the fault path waits for
 * the MMU lock), then retry. Everything else: the core's handler. */
static void wait_remapped(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu,
			  const struct vmsa_exception *e, void *arg)
{
	const vmsa_hyp_exit_t *prev = &kb_of(vm->run)->prev_abort;

	if (!vmsa_hyp_is_s2(e, VMSA_FAULT_TRANSLATION)) {
		prev->fn(vm, cpu, e, prev->arg);
		return;
	}
	(void)arg;
	vmsa_wait_eq(vm->run, cpu, vmsa_hyp_word(vm, KB_DONE), ~0ull, 1);
}

static void setup_block(vmsa_run_t *r)
{
	vmsa_hyp_vm_cfg_t c = vmsa_hyp_vm_cfg_default();
	struct kb *k = kb_of(r);
	vmsa_hyp_vm_t *vm;

	c.slot_block = true;
	c.slot_map = 0;
	c.guest_s1 = false;
	vm = setup_vm(r, &c);
	if (!vm)
		return;
	/* The guest's MMU is off: its reads go to the PoC, where set-up's
	 * data must be too (set-up's map makes no cache maintenance
	 * steps): the same words written at the PoC. */
	for (unsigned i = 0; i < 2; i++)
		vmsa_phys_write(vm->m, VMSA_SETUP,
				vm->block + i * VMSA_HYP_PAGE, 8,
				VMSA_HYP_DATA(i), false);
	/* 512 level-3 pages. */
	vmsa_assert(r, VMSA_SETUP,
		    vmsa_pgt_map(&vm->pgt, VMSA_IA(c.slot_ipa), VMSA_HYP_BLOCK,
				 VMSA_OA(vm->block), VMSA_PGT_PROT_RW,
				 VMSA_PGT_PAGES) == 0 &&
			    vmsa_hyp_set_exit(vm, VMSA_EC_DABT_LOW,
					      wait_remapped, NULL,
					      &k->prev_abort) == 0,
		    "kvm-bbml2 set-up failed");
	k->l2e = l2e_pa(vm, c.slot_ipa);
	k->pte0 = pte_pa(vm, c.slot_ipa);
}

#define KB_BLOCK_SCENARIO(ident, sname, sdoc, fn, verdict)                  \
	VMSA_SCENARIO(ident, .name = sname, .doc = sdoc,                    \
		      .setup = setup_block, .cpu = {fn, guest_read_page1},  \
		      .handler = {[1] = {[2] = vmsa_hyp_exit_handler}},      \
		      .configs = {{.name = "bbm0", .expect = "bbm"},        \
				  {.name = "bbm2-noabort", .expect = verdict}})

KB_BLOCK_SCENARIO(kb_table_to_block, "kvm-bbml2/table-to-block",
		  "a full level-3 table collapsed into a 2M block by one CAS, "
		  "invalidated by the block's IPA only; later unmapped and "
		  "freed",
		  host_collapse_ipa, "stale-use-after-free")
KB_BLOCK_SCENARIO(kb_table_to_block_vmid, "kvm-bbml2/table-to-block-vmid",
		  "the same, with TLBI VMALLS12E1IS after the collapse (what "
		  "an old table entry needs)",
		  host_collapse_vmid, "safe")

/* ---------------------------------------------------------------------
 * kvm-bbml2/oa-change
 * ------------------------------------------------------------------- */

/*
 * The RFC's assumption broken: the host moves memslot page 0 to another
 * host page (same contents: a migration between NUMA nodes) with the
 * cmpxchg-then-invalidate sequence, while the vCPU reads and writes it.
 * An output-address change of a writable entry needs break-before-make
 * at every level (RWHZWS).
 */
static void host_move(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct kb *k = kb_of(r);
	uint64_t old = vmsa_desc_read_pa(m, cpu, k->pte0);
	uint64_t oa_mask = vmsa_desc_oa_mask(VMSA_GRANULE_4K, 3);

	vmsa_hyp_load_s2(vm, cpu);
	vmsa_hyp_write_lock(vm, cpu);
	vmsa_hyp_slot_set(vm, cpu, 0, k->spare);
	desc_cas(r, cpu, k->pte0, old, (old & ~oa_mask) | k->spare);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	tlbi_is(r, cpu, VMSA_TLBI_IPAS2E1, vm->cfg.slot_ipa, 3);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	tlbi_is(r, cpu, VMSA_TLBI_VMALLE1, 0, -1);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_hyp_write_unlock(vm, cpu);
}

static void vcpu_read_write(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	uint64_t v;

	vmsa_hyp_vcpu_enter(vm, cpu, VMSA_HYP_ENTER_S1);
	if (!vmsa_read(vmsa_run_machine(r), cpu, vm->cfg.slot_ipa, 8, &v))
		return;
	vmsa_assert(r, cpu, v == VMSA_HYP_DATA(0),
		    "memslot page 0 reads as another page");
	vmsa_write(vmsa_run_machine(r), cpu, vm->cfg.slot_ipa, 8, KB_WRITTEN);
}

static void setup_move(vmsa_run_t *r)
{
	vmsa_hyp_vm_cfg_t c = vmsa_hyp_vm_cfg_default();
	struct kb *k = kb_of(r);
	vmsa_hyp_vm_t *vm = setup_vm(r, &c);

	if (!vm)
		return;
	k->pte0 = pte_pa(vm, c.slot_ipa);
	/* The copy, made and cleaned before the move (as migration does). */
	k->spare = vmsa_page_alloc(vm->m, VMSA_SETUP, 1, 1);
	vmsa_phys_write(vm->m, VMSA_SETUP, k->spare, 8, VMSA_HYP_DATA(0),
			false);
}

VMSA_SCENARIO(kb_oa_change,
	.name = "kvm-bbml2/oa-change",
	.doc = "a live stage-2 page moved to another host page with "
	       "cmpxchg, then invalidated (the RFC's assumption broken)",
	.setup = setup_move,
	.cpu = {vcpu_read_write, host_move},
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
	.configs = {{.name = "bbm2-noabort", .expect = "bbm"}});

/* ---------------------------------------------------------------------
 * kvm-bbml2/concurrent-make
 * ------------------------------------------------------------------- */

/*
 * Memslot page 0 has a host page but no stage-2 entry. Both vCPUs (MMU
 * off) read it: both fault, both fault paths map it with a shared walk
 * (a compare-and-swap of the invalid entry); the loser gets -EAGAIN, or
 * finds the entry made, and retries. Both must read the page's data and
 * finish.
 */
static void vcpu_read0(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	uint64_t v;

	vmsa_hyp_vcpu_enter(vm, cpu, 0);
	if (!vmsa_read(vmsa_run_machine(r), cpu, vm->cfg.slot_ipa, 8, &v))
		return;
	vmsa_assert(r, cpu, v == VMSA_HYP_DATA(0),
		    "memslot page 0 reads as another page (a lost mapping)");
}

static void setup_make(vmsa_run_t *r)
{
	vmsa_hyp_vm_cfg_t c = vmsa_hyp_vm_cfg_default();

	c.slot_map = 0;
	c.guest_s1 = false;
	setup_vm(r, &c);
}

VMSA_SCENARIO(kb_concurrent_make,
	.name = "kvm-bbml2/concurrent-make",
	.doc = "two vCPUs fault on the same IPA and race to install the "
	       "entry with CAS; the loser retries",
	.setup = setup_make,
	.cpu = {vcpu_read0, vcpu_read0},
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler},
		    [1] = {[2] = vmsa_hyp_exit_handler}},
	.configs = {{.name = "bbm0", .expect = "safe"},
		    {.name = "bbm2", .expect = "safe"}});
