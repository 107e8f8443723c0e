/*
 * scenarios/table.c - freeing a translation table page (D8.16, RRVJDB;
 * FEAT_nTLBPA, ARCH-RULES section 4): a TLB's walk cache may keep a table
 * descriptor after the descriptor is gone, and go on walking through the
 * page it points to. A table page may only be freed after a TLBI that
 * removes the walk-cache entries for the whole range it translated has
 * completed; Linux's __flush_tlb_kernel_pgtable() before
 * pte_free_kernel() (memory hot-remove, huge vmap), or KVM's TLBI by VMID
 * before freeing a stage-2 table page.
 *
 * CPU0, the kernel, tears the 2M region at VA 0 down: it unlinks the
 * level-3 table (the level-2 table descriptor becomes invalid), frees the
 * table page, and the page allocator hands that page straight out again
 * as data. Later it maps the region again with a fresh table
 * (VMSA_KERNEL_VA_NEW -> page[1]) and tells CPU1, which reads the new
 * mapping. If CPU1's TLB may still hold the old level-2 table
 * descriptor, its walk goes through the old table page, which now holds
 * somebody's data.
 */
#include "vmsa/guest.h"

/* Data another user of the reused page writes (it would read as a
 * valid descriptor: a walk through it maps something arbitrary). */
#define T_DATA 0x00600000deadb003ull

static void teardown_remap(vmsa_run_t *r, vmsa_cpu_t cpu, bool tlbi)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_kernel *k = vmsa_kernel_of(r);
	vmsa_pa_t data, table;

	vmsa_kernel_enter(r, cpu);
	/* Unmap: unlink the level-3 table. */
	vmsa_desc_write_pa(m, cpu, k->l2, 0);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	if (tlbi) {
		/* The leaves and the walk-cache entry for the table: every
		 * entry for the 2M it translated. */
		vmsa_kernel_tlbi_2m(r, cpu);
		vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	}
	vmsa_page_free(m, cpu, k->l3, 1);

	/* The page is reused as data at once (lowest free page first). */
	data = vmsa_page_alloc(m, cpu, 1, 1);
	vmsa_assert(r, cpu, data == k->l3,
		    "the allocator did not hand the table page out again");
	vmsa_phys_write(m, cpu, data + 8 * ((VMSA_KERNEL_VA_NEW >> 12) & 511),
			8, T_DATA, true);

	/* Map the region again with a new table, publish it. */
	table = vmsa_page_alloc(m, cpu, 1, 1);
	vmsa_desc_write_pa(m, cpu,
			   table + 8 * ((VMSA_KERNEL_VA_NEW >> 12) & 511),
			   vmsa_kernel_pte(k->page[1]));
	vmsa_dsb(m, cpu, VMSA_BAR_ISHST);
	vmsa_desc_write_pa(m, cpu, k->l2,
			   vmsa_desc_make_table(table, VMSA_GRANULE_4K));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_isb(m, cpu);
	vmsa_kernel_remap_done(r, cpu);
}

static void cpu_without_tlbi(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	teardown_remap(r, cpu, false);
}

static void cpu_with_tlbi(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	teardown_remap(r, cpu, true);
}

/* CPU1 runs the kernel from the start, waits for the new mapping and
 * reads it. Without ETS2 its first walk may still see the level-2 entry
 * invalid (a spurious translation fault, ets2.c): its fault handler waits
 * for CPU0, as Linux's is_spurious_el1_translation_fault() path retries. */
static void reader(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t v;

	vmsa_kernel_enter(r, cpu);
	vmsa_wait_eq(r, cpu, vmsa_kernel_of(r)->flag, ~0ull, 1);
	if (!vmsa_read(m, cpu, VMSA_KERNEL_VA_NEW, 8, &v))
		return;
	vmsa_assert(r, cpu, v == 0xa1,
		    "the new mapping does not read as its page");
}

#define TABLE_SCENARIO(ident, sname, sdoc, fn, verdict)                     \
	VMSA_SCENARIO(ident, .name = sname, .doc = sdoc,                    \
		      .setup = vmsa_kernel_setup, .cpu = {fn, reader},      \
		      .handler = {[1] = {[1] = vmsa_kernel_wait_remapped}}, \
		      .configs = {{.name = "bbm0", .expect = verdict}})

TABLE_SCENARIO(table_free_without_tlbi, "table/free-without-tlbi",
	       "unlink a level-3 table and reuse its page with no TLBI: a "
	       "walk cache still points at it",
	       cpu_without_tlbi, "freed-table-walk")
TABLE_SCENARIO(table_free_with_tlbi, "table/free-with-tlbi",
	       "unlink a level-3 table, TLBI RVAAE1IS for its 2M, then "
	       "free and reuse its page",
	       cpu_with_tlbi, "safe")
