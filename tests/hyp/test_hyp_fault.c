/*
 * tests/hyp/test_hyp_fault.c - the hypervisor core's stage-2 fault
 * handler, dirty logging, host-side unmap and copy-on-write
 * (src/hyp/fault.c, dirty.c, host.c): what each maps, marks and
 * invalidates, and the verdict of each buggy variant.
 */
#include "hyp_fixture.h"

#define XN (1ull << 54)
#define S2AP_W (1ull << 7)

static unsigned variants;     /* cfg.variants of the next set-up */
static unsigned slot_alloc;   /* cfg.slot_alloc (and slot_map 0) */

static vmsa_hyp_vm_t *setup_vm(vmsa_run_t *r, unsigned pages, unsigned map)
{
	vmsa_hyp_vm_cfg_t c = vmsa_hyp_vm_cfg_default();

	c.slot_pages = pages;
	c.slot_alloc = slot_alloc;
	c.slot_map = map;
	c.variants = variants;
	return vmsa_hyp_vm_setup(r, &c);
}

static uint64_t peek(const vmsa_hyp_vm_t *vm, vmsa_pa_t pa)
{
	return *(const uint64_t *)vmsa_pa_cptr(vm->m, pa);
}

static uint64_t leaf(vmsa_hyp_vm_t *vm, uint64_t ipa, int *level)
{
	uint64_t desc = 0;
	int l = 0;

	CHECK_EQ(vmsa_pgt_get_leaf(&vm->pgt, VMSA_IA(ipa), &desc, &l), 0);
	if (level)
		*level = l;
	return desc;
}

/* ---------------------------------------------------------------------
 * Translation faults: map the memslot's page (allocating it), cleaned to
 * the PoC first unless the variant drops it
 *
 * The host (the vCPU's own CPU, at EL2 before entering) writes word 0 of
 * page 0 through its cache; the guest, MMU off, reads it at the PoC.
 * ------------------------------------------------------------------- */

static void setup_unmapped(vmsa_run_t *r)
{
	setup_vm(r, 2, 0);
}

static void host_write_then_read(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	uint64_t v = 0;

	if (slot_alloc)
		vmsa_phys_write(vm->m, cpu, vmsa_hyp_slot_peek(vm, 0), 8, 0x55,
				true);
	vmsa_hyp_vcpu_enter(vm, cpu, 0);
	if (vmsa_read(vm->m, cpu, vm->cfg.slot_ipa, 8, &v))
		vmsa_assert(r, cpu, v == (slot_alloc ? 0x55 : 0),
			    "the guest read the wrong value");
}

static void check_mapped(vmsa_run_t *r)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	int level;

	CHECK(vmsa_hyp_slot_peek(vm, 0) != 0);
	CHECK_EQ(leaf(vm, vm->cfg.slot_ipa, &level),
		 vmsa_hyp_slot_peek(vm, 0) | XN |
			 (vm->fwb ? 0x7dbull : 0x7ffull));
	CHECK_EQ(level, 3);
	/* Page 1 untouched; the lock free again. */
	CHECK_EQ(leaf(vm, vm->cfg.slot_ipa + 0x1000, NULL), 0);
	CHECK_EQ(peek(vm, vm->hyp), 0);
}

static const vmsa_scenario_t fault_map = {
	.name = "test/hyp-fault-map", .setup = setup_unmapped,
	.cpu = {host_write_then_read}, .check = check_mapped,
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
};

TEST(hyp_fault_maps_and_cleans)
{
	const char *msg;

	slot_alloc = 2;
	variants = 0;
	CHECK_EQ(hx_run(&fault_map, "default", 2, 0, "safe", 0, NULL), 0);
	CHECK_EQ(hx_run(&fault_map, "s2fwb", 2, 0, "safe", 0, NULL), 0);
	/* No clean: the guest reads the PoC's stale 0xa0 while the cache
	 * holds 0x55. */
	variants = VMSA_HYP_V_NO_CLEAN;
	CHECK_EQ(hx_run(&fault_map, "default", 2, 0, "coherency", 0, &msg), 0);
	/* With FWB the guest's access is Write-Back: coherent. */
	CHECK_EQ(hx_run(&fault_map, "s2fwb", 2, 0, "safe", 0, NULL), 0);
	variants = 0;
}

TEST(hyp_fault_allocates)
{
	/* No host page at set-up: the fault allocates a zeroed one. */
	slot_alloc = 0;
	variants = 0;
	CHECK_EQ(hx_run(&fault_map, "default", 2, 0, "safe", 1, NULL), 0);
	slot_alloc = 2;
}

/* ---------------------------------------------------------------------
 * Dirty logging: a read maps read-only, a write marks the page dirty;
 * get-and-clear returns the bitmap and write-protects again.
 * CPU0 enables logging, then runs the guest: read page 1, write page 0.
 * CPU1 waits for the write, then collects the bitmap (word 0).
 * ------------------------------------------------------------------- */

static void setup_dirty(vmsa_run_t *r)
{
	slot_alloc = 2;
	setup_vm(r, 2, 2);
}

static void dirty_vcpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	uint64_t v = 0;
	int err;

	vmsa_hyp_load_s2(vm, cpu);
	err = vmsa_hyp_dirty_enable(vm, cpu);
	vmsa_assert(r, cpu, err == 0, "vmsa_hyp_dirty_enable failed");
	if (err)
		return;
	vmsa_hyp_vcpu_enter(vm, cpu, VMSA_HYP_ENTER_S1);
	if (!vmsa_read(vm->m, cpu, vm->cfg.slot_ipa + 0x1000, 8, &v))
		return;
	vmsa_assert(r, cpu, v == VMSA_HYP_DATA(1), "page 1 reads wrong");
	vmsa_write(vm->m, cpu, vm->cfg.slot_ipa, 8, 0x77);
}

static void dirty_host(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);

	vmsa_hyp_load_s2(vm, cpu);
	vmsa_wait_eq(r, cpu, vmsa_hyp_slot_peek(vm, 0), ~0ull, 0x77);
	vmsa_phys_write(vm->m, cpu, vmsa_hyp_word(vm, 0), 8,
			vmsa_hyp_dirty_get_clear(vm, cpu), true);
}

static void check_dirty(vmsa_run_t *r)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	uint64_t base = vmsa_hyp_slot_peek(vm, 0);

	CHECK_EQ(peek(vm, vmsa_hyp_word(vm, 0)), 1);
	CHECK_EQ(vmsa_hyp_dirty_peek(vm), 0);
	CHECK_EQ(peek(vm, base), 0x77);
	/* Both pages read-only again (S2AP RO). */
	CHECK_EQ(leaf(vm, vm->cfg.slot_ipa, NULL), base | XN | 0x77full);
	CHECK_EQ(leaf(vm, vm->cfg.slot_ipa + 0x1000, NULL),
		 vmsa_hyp_slot_peek(vm, 1) | XN | 0x77full);
}

static const vmsa_scenario_t dirty = {
	.name = "test/hyp-dirty", .setup = setup_dirty,
	.cpu = {dirty_vcpu, dirty_host}, .check = check_dirty,
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
};

TEST(hyp_dirty_logging)
{
	variants = 0;
	CHECK_EQ(hx_run(&dirty, "default", 0, 0, "safe", 0, NULL), 0);
	CHECK_EQ(hx_run(&dirty, "default", 1, 0, "safe", 0, NULL), 0);
}

/* ---------------------------------------------------------------------
 * An already-resolved fault: CPU0's TLB holds a read-only entry for page
 * 0 while the table has it writable (CPU1 relaxed it, invalidating only
 * its own TLB). CPU0's write faults; the handler finds the entry allows
 * the write and returns after a local invalidation, and the retried
 * write completes. Without the invalidation (the variant) the stale
 * entry faults again for ever: livelock.
 * Word 0: CPU1 write-protected page 0; word 1: CPU1 relaxed it.
 * ------------------------------------------------------------------- */

static void setup_resolved(vmsa_run_t *r)
{
	slot_alloc = 2;
	setup_vm(r, 2, 2);
}

static void resolved_vcpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	uint64_t v = 0;

	vmsa_wait_eq(r, cpu, vmsa_hyp_word(vm, 0), ~0ull, 1);
	vmsa_hyp_vcpu_enter(vm, cpu, VMSA_HYP_ENTER_S1);
	if (!vmsa_read(vm->m, cpu, vm->cfg.slot_ipa, 8, &v))
		return;
	/* Tell CPU1 (through page 1) that the read-only entry may be held,
	 * then wait for the relaxation. */
	if (!vmsa_write(vm->m, cpu, vm->cfg.slot_ipa + 0x1000, 8, 1))
		return;
	vmsa_wait_eq(r, cpu, vmsa_hyp_word(vm, 1), ~0ull, 1);
	vmsa_write(vm->m, cpu, vm->cfg.slot_ipa, 8, 0x66);
}

static void resolved_host(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	int err;

	vmsa_hyp_load_s2(vm, cpu);
	vmsa_hyp_write_lock(vm, cpu);
	err = vmsa_pgt_wrprotect(&vm->pgt, VMSA_IA(vm->cfg.slot_ipa), 0x1000,
				 0);
	vmsa_hyp_write_unlock(vm, cpu);
	vmsa_assert(r, cpu, err == 0, "wrprotect failed");
	vmsa_phys_write(vm->m, cpu, vmsa_hyp_word(vm, 0), 8, 1, true);
	vmsa_wait_eq(r, cpu, vmsa_hyp_slot_peek(vm, 1), ~0ull, 1);
	vmsa_hyp_read_lock(vm, cpu);
	err = vmsa_pgt_relax_perms(&vm->pgt, VMSA_IA(vm->cfg.slot_ipa),
				   VMSA_PGT_PROT_W, VMSA_PGT_SHARED);
	vmsa_hyp_read_unlock(vm, cpu);
	vmsa_assert(r, cpu, err == 0, "relax_perms failed");
	vmsa_phys_write(vm->m, cpu, vmsa_hyp_word(vm, 1), 8, 1, true);
}

static void check_resolved(vmsa_run_t *r)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);

	CHECK_EQ(leaf(vm, vm->cfg.slot_ipa, NULL),
		 vmsa_hyp_slot_peek(vm, 0) | XN | 0x7ffull);
}

static const vmsa_scenario_t resolved = {
	.name = "test/hyp-resolved", .setup = setup_resolved,
	.cpu = {resolved_vcpu, resolved_host}, .check = check_resolved,
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
};

TEST(hyp_fault_already_resolved)
{
	const char *msg;

	variants = 0;
	CHECK_EQ(hx_run(&resolved, "default", 0, 2000, "safe", 0, NULL), 0);
	variants = VMSA_HYP_V_NO_RESOLVED_TLBI;
	/* The retry finds the state of the previous one (the explorer's
	 * repeated-state check, src/explore/repeat.c), long before the
	 * budget runs out. */
	CHECK_EQ(hx_run(&resolved, "default", 0, 2000, "livelock", 4, &msg),
		 0);
	CHECK_STR(msg, "CPU0 retried its access after a permission fault "
		  "(stage 2, VA 0x200000) with the machine state unchanged "
		  "since its previous retry and no other CPU run: it can "
		  "repeat forever");
	variants = 0;
}

/* A writer that releases the MMU lock with read_unlock: the release
 * sees the writer's bit (src/hyp/lock.c) and says so. */
static void wrong_unlock(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);

	vmsa_hyp_write_lock(vm, cpu);
	vmsa_hyp_read_unlock(vm, cpu);
}

static const vmsa_scenario_t wrong_unlock_s = {
	.name = "test/hyp-wrong-unlock", .setup = setup_resolved,
	.cpu = {wrong_unlock},
};

TEST(hyp_read_unlock_of_a_write_lock)
{
	const char *msg;

	CHECK_EQ(hx_run(&wrong_unlock_s, "default", 0, 0, "assert", 1, &msg),
		 0);
	CHECK_STR(msg, "read_unlock of an MMU lock held for writing");
}

/* ---------------------------------------------------------------------
 * Host-side unmap, then a fault maps the page again
 * ------------------------------------------------------------------- */

static void unmap_then_read(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	uint64_t v = 0;
	int err;

	vmsa_hyp_load_s2(vm, cpu);
	err = vmsa_hyp_unmap(vm, cpu, vm->cfg.slot_ipa, 0x2000);
	vmsa_assert(r, cpu, err == 0, "vmsa_hyp_unmap failed");
	vmsa_assert(r, cpu, leaf(vm, vm->cfg.slot_ipa, NULL) == 0,
		    "page 0 still mapped after vmsa_hyp_unmap");
	vmsa_hyp_vcpu_enter(vm, cpu, 0);
	if (vmsa_read(vm->m, cpu, vm->cfg.slot_ipa + 0x1000, 8, &v))
		vmsa_assert(r, cpu, v == VMSA_HYP_DATA(1), "page 1 reads wrong");
}

static void check_unmap(vmsa_run_t *r)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);

	CHECK_EQ(leaf(vm, vm->cfg.slot_ipa, NULL), 0);
	CHECK_EQ(leaf(vm, vm->cfg.slot_ipa + 0x1000, NULL),
		 vmsa_hyp_slot_peek(vm, 1) | XN | 0x7ffull);
	CHECK_EQ(vmsa_hyp_unmap(NULL, 0, 0, 0), -EINVAL);
}

static const vmsa_scenario_t unmap = {
	.name = "test/hyp-unmap", .setup = setup_resolved,
	.cpu = {unmap_then_read}, .check = check_unmap,
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
};

TEST(hyp_unmap)
{
	variants = 0;
	CHECK_EQ(hx_run(&unmap, "default", 2, 0, "safe", 1, NULL), 0);
}

/* ---------------------------------------------------------------------
 * Copy-on-write, then the guest (MMU off) reads the copy: coherent only
 * with the clean to the PoC, or with FWB. Word 0 holds the new page.
 * ------------------------------------------------------------------- */

static void setup_cow(vmsa_run_t *r)
{
	vmsa_hyp_vm_t *vm;

	slot_alloc = 1;
	vm = setup_vm(r, 1, 1);
	if (vm)
		vmsa_phys_write(vm->m, VMSA_SETUP, vmsa_hyp_word(vm, 0), 8,
				vmsa_page_alloc(vm->m, VMSA_SETUP, 1, 1), true);
}

static void cow_then_read(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	uint64_t v = 0;
	int err;

	vmsa_hyp_load_s2(vm, cpu);
	err = vmsa_hyp_cow(vm, cpu, 0, peek(vm, vmsa_hyp_word(vm, 0)), 1);
	vmsa_assert(r, cpu, err == 0, "vmsa_hyp_cow failed");
	vmsa_hyp_vcpu_enter(vm, cpu, 0);
	if (vmsa_read(vm->m, cpu, vm->cfg.slot_ipa, 8, &v))
		vmsa_assert(r, cpu, v == VMSA_HYP_DATA(0), "the copy reads wrong");
}

static void check_cow(vmsa_run_t *r)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
	vmsa_pa_t to = peek(vm, vmsa_hyp_word(vm, 0));

	CHECK_EQ(vmsa_hyp_slot_peek(vm, 0), to);
	CHECK_EQ(leaf(vm, vm->cfg.slot_ipa, NULL),
		 to | XN | (vm->fwb ? 0x7dbull : 0x7ffull));
	CHECK_EQ(vmsa_hyp_cow(vm, 0, 1, to, 1), -EINVAL);
	CHECK_EQ(vmsa_hyp_cow(vm, 0, 0, to, 0), -EINVAL);
	CHECK_EQ(vmsa_hyp_cow(vm, 0, 0, to, 513), -EINVAL);
}

static const vmsa_scenario_t cow = {
	.name = "test/hyp-cow", .setup = setup_cow,
	.cpu = {cow_then_read}, .check = check_cow,
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
};

TEST(hyp_cow)
{
	const char *msg;

	variants = 0;
	CHECK_EQ(hx_run(&cow, "default", 2, 0, "safe", 1, NULL), 0);
	CHECK_EQ(hx_run(&cow, "s2fwb", 2, 0, "safe", 1, NULL), 0);
	variants = VMSA_HYP_V_COW_NO_CLEAN;
	CHECK_EQ(hx_run(&cow, "default", 2, 0, "coherency", 1, &msg), 0);
	CHECK_EQ(hx_run(&cow, "s2fwb", 2, 0, "safe", 1, NULL), 0);
	variants = 0;
}
