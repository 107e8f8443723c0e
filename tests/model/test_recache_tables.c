/*
 * tests/model/test_recache_tables.c - the table pages of a context that
 * no CPU caches for a while (src/model/context.c, ctx_refresh()).
 *
 * While no CPU caches a context, a store to its tables is a data store
 * (no TLB can hold anything of it: write.c, find_slots()), so it does not
 * move the table generation that tells when a context's list of table
 * pages must be scanned again. Software may relink its tables then (a
 * hypervisor rebuilding a guest's stage 1 while no vCPU runs it). When a
 * CPU caches the context again, the list must be the tables' as they are
 * now: a store to a table page linked while it was uncached is a
 * descriptor store (break-before-make checks, old values given to TLBs),
 * and one to a page unlinked then is data. Fails if the list kept from
 * before the uncaching is used again.
 */
#include "fixture_s2.h"
#include "model/machine.h"
#include "model/write.h"

/* CPU1's exit to EL2: CPU0 invalidates the VM's stage 1 and 2 (which
 * uncaches the guest's context on CPU1, at EL2 and not using it), then
 * relinks the guest's level-2 entry 0 from its level-3 table to data
 * page 1 with a plain store: a data store, the context being uncached. */
static void relink(struct fx2 *f, int cpu, void *arg)
{
	bool *uncached = arg;

	(void)cpu;
	fx2_tlbi(f, 0, "vmalls12e1is", 0);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	*uncached = !is_table_slot(f->m, f->vm[0].g_tab[2] + 8);
	vmsa_phys_write(f->m, 0, f->vm[0].g_tab[1], 8,
			vmsa_desc_make_table(fx2_data_ipa(1), VMSA_GRANULE_4K),
			true);
	CHECK(!vmsa_stopped(f->m));
}

TEST(recached_context_lists_its_tables_as_they_are)
{
	struct fx2 f;
	bool uncached = false;

	fx2_setup(&f, 2, 1);
	fx2_enter_guest(&f, 1, 0);
	CHECK_EQ(fx2_read(&f, 1, FX2_VA), 0xa0);
	fx2_hyp_select(&f, 0, 0);
	/* Cached: the level-3 table is a table page, data page 1 is not. */
	CHECK(is_table_slot(f.m, f.vm[0].g_tab[2] + 8));
	CHECK(!is_table_slot(f.m, f.vm[0].page[1] + 8));
	CHECK(fx2_guest_exit(&f, 1, relink, &uncached));
	CHECK(uncached);
	/* Back in the guest: cached again, with the level-2 entry that now
	 * makes data page 1 its level-3 table. */
	CHECK(is_table_slot(f.m, f.vm[0].page[1] + 8));
	CHECK(!is_table_slot(f.m, f.vm[0].g_tab[2] + 8));
	fx2_done(&f);
}
