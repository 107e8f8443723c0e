/*
 * tests/model/test_xlat_cache.c - the translation fast path
 * (src/model/xlat_cache.c): a translation that offered no choice is used
 * again only while nothing it depends on changed, and every event that
 * can change it makes the next access translate afresh, with the new
 * result: a store to a table on the path (descriptor or plain data, and
 * through a host pointer), a pending store made visible, a held entry,
 * its TLBI completing, a register write, an exception level change, an
 * ISB, a page freed, a snapshot restore. Each case checks the value read
 * and m->xlat_hits exactly.
 */
#include "fixture.h"
#include "model/chooser.h"
#include "model/machine.h"

#define VA 0x1000ull

static uint64_t hits(const struct fx *f)
{
	return f->m->xlat_hits;
}

TEST(xlat_cache_hit_on_unchanged_mapping)
{
	struct fx f;

	fx_setup(&f, 2, 0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);	/* walks, remembers */
	CHECK_EQ(hits(&f), 0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(hits(&f), 2);
	/* Per CPU and per address. */
	CHECK_EQ(fx_read(&f, 1, VA), 0xa0);
	CHECK_EQ(fx_read(&f, 0, VA + 8), 0);
	CHECK_EQ(hits(&f), 2);
	fx_done(&f);
}

/* A descriptor store into the level-3 table, even to another entry
 * (invalid to valid: nothing becomes held), makes the next access walk
 * again; it then remembers the walk. */
TEST(xlat_cache_table_store_on_path)
{
	struct fx f;

	fx_setup(&f, 1, 0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(hits(&f), 1);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, VA + 0x1000),
			   fx_page_desc(f.page[1]));
	CHECK_EQ(f.m->cpu[0].held.n, 0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(hits(&f), 1);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);		/* the store becomes visible */
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(hits(&f), 1);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(fx_read(&f, 0, VA + 0x1000), 0xa1);
	CHECK_EQ(hits(&f), 2);
	CHECK(!vmsa_violation(f.m));
	fx_done(&f);
}

/* A store through a host pointer is not seen by the model: pages exposed
 * that way are never remembered. */
TEST(xlat_cache_exposed_table)
{
	struct fx f;
	uint64_t *pte;

	fx_setup(&f, 1, 0);
	pte = vmsa_pa_ptr(f.m, fx_pte(&f, VA));
	CHECK(pte != NULL);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(hits(&f), 0);
	if (pte)
		*pte = fx_page_desc(f.page[2]);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa2);
	CHECK_EQ(hits(&f), 0);
	fx_done(&f);
}

/* Break-before-make by CPU1 on a mapping CPU0 uses: the invalid store is
 * pending (a choice: not remembered), then visible; CPU0 holds the old
 * entry (no fast path) until the TLBI completes and it synchronises;
 * then the new mapping is remembered. */
TEST(xlat_cache_bbm_sequence)
{
	struct fx f;
	struct ch s;

	fx_setup(&f, 2, 0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(hits(&f), 1);
	ch_init(&s, (const unsigned[]){1}, 1);
	ch_attach(&s, f.m);
	vmsa_desc_write_pa(f.m, 1, fx_pte(&f, VA), 0);
	/* Pending: the invalid value and the old one are both offered; the
	 * old one is taken. */
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK(s.n_calls > 0);
	CHECK_EQ(hits(&f), 1);
	vmsa_dsb(f.m, 1, VMSA_BAR_ISH);
	fx_tlbi_va(&f, 1, "vae1is", VA);
	vmsa_dsb(f.m, 1, VMSA_BAR_ISH);
	vmsa_desc_write_pa(f.m, 1, fx_pte(&f, VA), fx_page_desc(f.page[1]));
	vmsa_dsb(f.m, 1, VMSA_BAR_ISH);
	vmsa_isb(f.m, 0);
	CHECK(!vmsa_violation(f.m));
	ch_clear_log(&s);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa1);
	CHECK_EQ(s.n_calls, 0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa1);
	CHECK_EQ(hits(&f), 2);
	fx_done(&f);
}

/* Held entries turn the fast path off: a remembered translation would
 * hide the old entry a walk may still use. */
TEST(xlat_cache_held_entry)
{
	struct fx f;
	struct ch s;

	fx_setup(&f, 2, 2);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(hits(&f), 1);
	/* Valid to valid with the same output (AF already set): allowed at
	 * every level; CPU0 may hold the old descriptor. */
	vmsa_desc_write_pa(f.m, 1, fx_pte(&f, VA),
			   fx_page_desc(f.page[0]) | VMSA_D_NG);
	vmsa_dsb(f.m, 1, VMSA_BAR_ISH);
	CHECK(!vmsa_violation(f.m));
	CHECK(f.m->cpu[0].held.n > 0);
	ch_init(&s, (const unsigned[]){1}, 1);
	ch_attach(&s, f.m);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK(s.n_calls > 0);	/* the held entry was offered */
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(hits(&f), 1);
	fx_done(&f);
}

/* Register writes, exception entry and return, ISB: each changes what
 * the key says (context, window), so the next read walks again; a
 * context's translations stay remembered while it is not current. */
TEST(xlat_cache_context_and_window)
{
	struct fx f;

	fx_setup(&f, 1, 0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(hits(&f), 1);
	vmsa_isb(f.m, 0);			/* window moves */
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(hits(&f), 1);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(hits(&f), 2);
	/* Another ASID: another context, its own walk. */
	vmsa_msr(f.m, 0, VMSA_REG_TTBR0_EL1, f.l1 | 9ull << 48);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(hits(&f), 2);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(hits(&f), 3);
	/* Back to the first ASID: its walk is still remembered. */
	vmsa_msr(f.m, 0, VMSA_REG_TTBR0_EL1, f.l1 | (uint64_t)FX_ASID << 48);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(hits(&f), 4);
	CHECK(!vmsa_violation(f.m));
	fx_done(&f);
}

/* Freeing the data page: the translation's page state changed, and the
 * access is a use after free. */
TEST(xlat_cache_page_freed)
{
	struct fx f;
	uint64_t v;

	fx_setup(&f, 1, 0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
	CHECK_EQ(hits(&f), 1);
	vmsa_page_free(f.m, 0, f.page[0], 1);
	CHECK(!vmsa_read(f.m, 0, VA, 8, &v));
	CHECK(vmsa_violation(f.m) != NULL);
	if (vmsa_violation(f.m))
		CHECK_EQ(vmsa_violation(f.m)->kind, VMSA_V_UAF);
	CHECK_EQ(hits(&f), 1);
	fx_done(&f);
}

/* A restore starts a new execution: nothing remembered is used, even for
 * the same registers and tables. */
TEST(xlat_cache_snapshot_restore)
{
	struct fx f = {.m = fx_machine(1, 0, false)};
	vmsa_snapshot_t *s;

	fx_tables(&f);
	s = vmsa_snapshot_take(f.m);
	CHECK(s != NULL);
	for (unsigned round = 0; round < 3; round++) {
		CHECK_EQ(vmsa_snapshot_restore(f.m, s), 0);
		fx_enter_el1(&f, 0);
		CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
		CHECK_EQ(hits(&f), round);
		CHECK_EQ(fx_read(&f, 0, VA), 0xa0);
		CHECK_EQ(hits(&f), round + 1);
	}
	vmsa_snapshot_free(s);
	fx_done(&f);
}
