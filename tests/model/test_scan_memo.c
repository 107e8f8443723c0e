/*
 * tests/model/test_scan_memo.c - the remembered table scans of a
 * snapshot (src/model/context.c, "Remembered scans"): after a restore, a
 * context's table pages come from the memo only when no page the scan
 * read has changed, and are then exactly what a fresh scan finds; a
 * descriptor written to a table on the path, a page exposed to host
 * code, or a stage-2 table that places a stage-1 table all make the
 * model scan again.
 */
#include <string.h>

#include "fixture.h"
#include "model/context.h"
#include "model/machine.h"

/* Number of remembered scans of the snapshot restored last. */
static unsigned memo_entries(const vmsa_machine_t *m)
{
	return m->scan_memo ? scan_memo_size(m->scan_memo) : 0;
}

/* Context i's pages from ctx_refresh (memo allowed) equal those of a
 * fresh scan without the memo. Returns the number of pages. */
static unsigned same_as_fresh(vmsa_machine_t *m, unsigned i)
{
	struct scan_memo *memo = m->scan_memo;
	struct tpage got[32];
	unsigned n;

	m->ctx.p[i].pages_gen = 0;
	CHECK_EQ(ctx_refresh(m, i), 0);
	n = m->ctx.p[i].pages.n;
	CHECK(n <= 32);
	if (n > 32)
		return 0;
	memcpy(got, m->ctx.p[i].pages.p, n * sizeof(*got));
	m->scan_memo = NULL;
	m->ctx.p[i].pages_gen = 0;
	CHECK_EQ(ctx_refresh(m, i), 0);
	m->scan_memo = memo;
	CHECK_EQ(m->ctx.p[i].pages.n, n);
	for (unsigned k = 0; k < n && k < m->ctx.p[i].pages.n; k++) {
		CHECK_EQ(got[k].pa, m->ctx.p[i].pages.p[k].pa);
		CHECK_EQ(got[k].ia_base, m->ctx.p[i].pages.p[k].ia_base);
		CHECK_EQ(got[k].level, m->ctx.p[i].pages.p[k].level);
		CHECK_EQ(got[k].entries, m->ctx.p[i].pages.p[k].entries);
	}
	return n;
}

/* A machine with the fixture's tables in a snapshot; restored, CPU0 at
 * EL1 with them. Returns CPU0's context. */
static unsigned restored(struct fx *f, vmsa_snapshot_t *s)
{
	CHECK_EQ(vmsa_snapshot_restore(f->m, s), 0);
	fx_enter_el1(f, 0);
	CHECK(f->m->cpu[0].cur_ctx >= 0);
	return (unsigned)f->m->cpu[0].cur_ctx;
}

TEST(scan_memo_hit_equals_fresh_scan)
{
	struct fx f = {.m = fx_machine(1, 0, false)};
	vmsa_snapshot_t *s;
	unsigned i;

	fx_tables(&f);
	s = vmsa_snapshot_take(f.m);
	CHECK(s != NULL);
	i = restored(&f, s);
	CHECK(f.m->scan_memo != NULL);
	CHECK_EQ(memo_entries(f.m), 0);
	CHECK_EQ(ctx_refresh(f.m, i), 0);
	CHECK_EQ(memo_entries(f.m), 1);		/* learnt */
	CHECK_EQ(f.m->ctx.p[i].pages.n, 3);	/* L1, L2, L3 */
	for (unsigned round = 0; round < 3; round++) {
		i = restored(&f, s);
		CHECK_EQ(same_as_fresh(f.m, i), 3);
		CHECK_EQ(memo_entries(f.m), 1);
	}
	/* A reset forgets the snapshot: no memo until the next restore. */
	vmsa_machine_reset(f.m);
	CHECK(f.m->scan_memo == NULL);
	vmsa_snapshot_free(s);
	vmsa_machine_free(f.m);
}

/* A new table linked under L2 after the restore: the memo read L2, so
 * it is not used, and the scan finds the fourth page. */
TEST(scan_memo_table_write_on_path)
{
	struct fx f = {.m = fx_machine(1, 0, false)};
	vmsa_snapshot_t *s;
	unsigned i, n;

	fx_tables(&f);
	s = vmsa_snapshot_take(f.m);
	i = restored(&f, s);
	CHECK_EQ(ctx_refresh(f.m, i), 0);
	CHECK_EQ(memo_entries(f.m), 1);
	i = restored(&f, s);
	vmsa_phys_write(f.m, 0, f.l2 + 8, 8,
			vmsa_desc_make_table(f.page[3], VMSA_GRANULE_4K),
			true);
	/* (The store refreshed CPU0's EL2 context too: the memo learnt
	 * that one's scan.) */
	n = memo_entries(f.m);
	CHECK_EQ(same_as_fresh(f.m, i), 4);
	/* Not learnt again: that scan read a changed page. */
	CHECK_EQ(memo_entries(f.m), n);
	/* The next execution is back to three pages, from the memo. */
	i = restored(&f, s);
	CHECK_EQ(same_as_fresh(f.m, i), 3);
	vmsa_snapshot_free(s);
	vmsa_machine_free(f.m);
}

/* A write to a page the scan did not read leaves the memo valid. */
TEST(scan_memo_write_off_path)
{
	struct fx f = {.m = fx_machine(1, 0, false)};
	vmsa_snapshot_t *s;
	unsigned i;

	fx_tables(&f);
	s = vmsa_snapshot_take(f.m);
	i = restored(&f, s);
	CHECK_EQ(ctx_refresh(f.m, i), 0);
	i = restored(&f, s);
	vmsa_phys_write(f.m, 0, f.page[2], 8,
			vmsa_desc_make_table(f.page[3], VMSA_GRANULE_4K),
			true);
	CHECK(!mem_page_unchanged(&f.m->mem, f.page[2]));
	CHECK(mem_page_unchanged(&f.m->mem, f.l2));
	CHECK_EQ(same_as_fresh(f.m, i), 3);
	vmsa_snapshot_free(s);
	vmsa_machine_free(f.m);
}

/* A leaf store into the level-3 table: the scan reads only the tables
 * above the last level, so the memo stays valid. */
TEST(scan_memo_leaf_store)
{
	struct fx f = {.m = fx_machine(1, 0, false)};
	vmsa_snapshot_t *s;
	uint64_t hits;
	unsigned i;

	fx_tables(&f);
	s = vmsa_snapshot_take(f.m);
	i = restored(&f, s);
	CHECK_EQ(ctx_refresh(f.m, i), 0);
	i = restored(&f, s);
	vmsa_phys_write(f.m, 0, f.l3 + 16, 8, fx_page_desc(f.page[3]), true);
	CHECK(!mem_page_unchanged(&f.m->mem, f.l3));
	hits = f.m->scan_memo_hits;
	CHECK_EQ(same_as_fresh(f.m, i), 3);
	CHECK_EQ(f.m->scan_memo_hits, hits + 1);
	/* A store into the level-2 table is read by the scan: no hit. */
	vmsa_phys_write(f.m, 0, f.l2 + 16, 8, 0, true);
	CHECK_EQ(same_as_fresh(f.m, i), 3);
	CHECK_EQ(f.m->scan_memo_hits, hits + 1);
	vmsa_snapshot_free(s);
	vmsa_machine_free(f.m);
}

/* Host code holding a pointer into a table may change it unseen: a
 * page exposed by vmsa_pa_ptr() never comes from the memo. */
TEST(scan_memo_exposed_table)
{
	struct fx f = {.m = fx_machine(1, 0, false)};
	vmsa_snapshot_t *s;
	uint64_t *l2;
	unsigned i;

	fx_tables(&f);
	s = vmsa_snapshot_take(f.m);
	i = restored(&f, s);
	CHECK_EQ(ctx_refresh(f.m, i), 0);
	CHECK_EQ(memo_entries(f.m), 1);
	i = restored(&f, s);
	l2 = vmsa_pa_ptr(f.m, f.l2);
	CHECK(l2 != NULL);
	if (l2)
		l2[1] = vmsa_desc_make_table(f.page[3], VMSA_GRANULE_4K);
	CHECK(!mem_page_unchanged(&f.m->mem, f.l2));
	CHECK_EQ(same_as_fresh(f.m, i), 4);
	vmsa_snapshot_free(s);
	vmsa_machine_free(f.m);
}

/* Remembered answers (snap_answer_get/put): kept with the snapshot,
 * given back only while the pages they read are as restored, keyed by
 * every word of the key. */
TEST(snap_answer_pages_and_key)
{
	struct fx f = {.m = fx_machine(1, 0, false)};
	uint64_t key[3] = {SNAP_ANSWER_FAST_TABLE, 7, 9};
	vmsa_snapshot_t *s;
	bool yes = false;

	fx_tables(&f);
	/* No snapshot restored: nothing is remembered. */
	snap_answer_put(f.m, key, 3, f.l3, 4096, true);
	CHECK(!snap_answer_get(f.m, key, 3, f.l3, 4096, &yes));
	s = vmsa_snapshot_take(f.m);
	CHECK(s != NULL);
	restored(&f, s);
	CHECK(!snap_answer_get(f.m, key, 3, f.l3, 4096, &yes));
	snap_answer_put(f.m, key, 3, f.l3, 4096, true);
	CHECK(snap_answer_get(f.m, key, 3, f.l3, 4096, &yes));
	CHECK(yes);
	/* Another key word, or fewer words: not that answer. */
	key[2] = 10;
	CHECK(!snap_answer_get(f.m, key, 3, f.l3, 4096, &yes));
	CHECK(!snap_answer_get(f.m, key, 2, f.l3, 4096, &yes));
	key[2] = 9;
	/* The next execution: still known. */
	restored(&f, s);
	yes = false;
	CHECK(snap_answer_get(f.m, key, 3, f.l3, 4096, &yes));
	CHECK(yes);
	/* A store into the page it read: not given, and not recorded
	 * while the page differs from the snapshot's. */
	vmsa_phys_write(f.m, 0, f.l3 + 16, 8, fx_page_desc(f.page[3]), true);
	CHECK(!snap_answer_get(f.m, key, 3, f.l3, 4096, &yes));
	key[1] = 8;
	snap_answer_put(f.m, key, 3, f.l3, 4096, false);
	restored(&f, s);
	CHECK(!snap_answer_get(f.m, key, 3, f.l3, 4096, &yes));
	key[1] = 7;
	CHECK(snap_answer_get(f.m, key, 3, f.l3, 4096, &yes));
	/* A store to another page leaves it; a page exposed to host code
	 * does not. */
	vmsa_phys_write(f.m, 0, f.page[2], 8, 1, true);
	CHECK(snap_answer_get(f.m, key, 3, f.l3, 4096, &yes));
	CHECK(vmsa_pa_ptr(f.m, f.l3) != NULL);
	CHECK(!snap_answer_get(f.m, key, 3, f.l3, 4096, &yes));
	/* Outside memory or longer than a key: never. */
	restored(&f, s);
	CHECK(!snap_answer_get(f.m, key, SNAP_ANSWER_WORDS + 1, f.l3, 4096,
			       &yes));
	CHECK(!snap_answer_get(f.m, key, 3, ~0ull << 12, 4096, &yes));
	vmsa_snapshot_free(s);
	vmsa_machine_free(f.m);
}
