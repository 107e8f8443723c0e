/*
 * tests/model/test_af_memo.c - the remembered candidates of the
 * speculative Access flag scan (src/model/af_memo.c, hwspec.c): with HA
 * (features hafdbs and relaxed) a CPU that starts using a context is
 * offered one "speculative AF update" per leaf with AF = 0 of its tables
 * (D8.5.1.2 RLHQRX, ILLCCB). A table as the snapshot left it has its
 * candidates from the snapshot's memo; a table written after the
 * restore is scanned again, so the second scan sees the write, and the
 * next restore (which undoes the write) is back to the memo's answer.
 */
#include "chooser.h"
#include "fixture.h"
#include "model/af_memo.h"
#include "model/context.h"
#include "model/machine.h"

#define TCR_HA (1ull << 39)
#define SPEC "speculative AF update"

/* A page descriptor for page[i] with AF = 0. */
static uint64_t leaf_af0(const struct fx *f, unsigned i)
{
	return vmsa_desc_make_s1_leaf(f->page[i], 3, VMSA_GRANULE_4K, 0,
				      VMSA_AP_RW_EL1, VMSA_SH_ISH, false);
}

/* One CPU with HAFDBS under Arm's ordering, the fixture's tables and a
 * second leaf, VA 0x2000 -> page[1], with AF = 0, in a snapshot. */
static vmsa_snapshot_t *snap(struct fx *f)
{
	vmsa_features_t ft = vmsa_features_default();
	vmsa_snapshot_t *s;

	ft.ncpus = 1;
	ft.hafdbs = true;
	ft.relaxed = true;
	f->m = fx_machine_with(&ft);
	fx_tables(f);
	vmsa_desc_write_pa(f->m, VMSA_SETUP, fx_pte(f, 0x2000),
			   leaf_af0(f, 1));
	s = vmsa_snapshot_take(f->m);
	CHECK(s != NULL);
	return s;
}

/* CPU0 to EL1 with the fixture's tables and TCR_EL1.HA: the ERET makes
 * it use the context, which scans its tables. Returns the number of
 * speculative updates offered; ch answers them with picks[0..n), then
 * 0 (no update). */
static unsigned enter_ha(struct fx *f, struct ch *ch, const unsigned *picks,
			 unsigned n)
{
	vmsa_machine_t *m = f->m;

	ch_init(ch, picks, n);
	ch_only(ch, SPEC);
	ch_attach(ch, m);
	vmsa_msr(m, 0, VMSA_REG_MAIR_EL1, FX_MAIR);
	vmsa_msr(m, 0, VMSA_REG_TCR_EL1, FX_TCR | TCR_HA);
	vmsa_msr(m, 0, VMSA_REG_TTBR0_EL1, f->l1 | (uint64_t)FX_ASID << 48);
	vmsa_msr(m, 0, VMSA_REG_SCTLR_EL1, 1);
	vmsa_eret(m, 0, 1);
	CHECK(!vmsa_stopped(m));
	return ch_count(ch, SPEC);
}

static unsigned memo_tables(const vmsa_machine_t *m)
{
	struct af_memo *am = m->scan_memo ? scan_memo_af(m->scan_memo) : NULL;

	return am ? af_memo_size(am) : 0;
}

/* The memo is learnt once and gives the snapshot's single candidate in
 * every execution; taking the update sets AF in memory. */
TEST(af_memo_learnt_and_reused)
{
	struct fx f = {0};
	vmsa_snapshot_t *s = snap(&f);
	uint64_t pte = fx_pte(&f, 0x2000);
	struct ch ch;

	for (unsigned round = 0; round < 3; round++) {
		const unsigned pick = round == 1;

		CHECK_EQ(vmsa_snapshot_restore(f.m, s), 0);
		CHECK_EQ(enter_ha(&f, &ch, &pick, 1), 1);
		/* L1, L2 and L3, all as restored. */
		CHECK_EQ(memo_tables(f.m), 3);
		CHECK_EQ(vmsa_phys_read(f.m, 0, pte, 8, true),
			 leaf_af0(&f, 1) | (round == 1 ? VMSA_D_AF : 0));
	}
	vmsa_snapshot_free(s);
	vmsa_machine_free(f.m);
}

/* A leaf with AF = 0 written to the level-3 table between two scans:
 * the second scan offers it too (after the snapshot's one, in table
 * order), and updates it when chosen; the memo does not learn the
 * changed table; the next restore undoes the write and the memo's
 * single candidate is back. */
TEST(af_memo_sees_write_between_scans)
{
	struct fx f = {0};
	vmsa_snapshot_t *s = snap(&f);
	uint64_t pte2 = fx_pte(&f, 0x2000), pte3 = fx_pte(&f, 0x3000);
	const unsigned second[] = {0, 1}, take = 1;
	struct ch ch;

	CHECK_EQ(vmsa_snapshot_restore(f.m, s), 0);
	CHECK_EQ(enter_ha(&f, &ch, NULL, 0), 1);
	CHECK_EQ(memo_tables(f.m), 3);

	CHECK_EQ(vmsa_snapshot_restore(f.m, s), 0);
	/* A set-up write: no CPU wrote it, so it counts as the word's
	 * initial value, which only the scan offers (a CPU's write gets
	 * its update from spec_af_after_write instead). */
	vmsa_desc_write_pa(f.m, VMSA_SETUP, pte3, leaf_af0(&f, 2));
	CHECK(!mem_page_unchanged(&f.m->mem, f.l3));
	/* Take the second update only: the first offered is pte2's. */
	CHECK_EQ(enter_ha(&f, &ch, second, 2), 2);
	CHECK_EQ(memo_tables(f.m), 3);
	CHECK_EQ(vmsa_phys_read(f.m, 0, pte2, 8, true), leaf_af0(&f, 1));
	CHECK_EQ(vmsa_phys_read(f.m, 0, pte3, 8, true),
		 leaf_af0(&f, 2) | VMSA_D_AF);

	CHECK_EQ(vmsa_snapshot_restore(f.m, s), 0);
	CHECK_EQ(enter_ha(&f, &ch, &take, 1), 1);
	CHECK_EQ(vmsa_phys_read(f.m, 0, pte2, 8, true),
		 leaf_af0(&f, 1) | VMSA_D_AF);
	CHECK_EQ(vmsa_phys_read(f.m, 0, pte3, 8, true), 0);
	vmsa_snapshot_free(s);
	vmsa_machine_free(f.m);
}

/* Many tables (the memo's table grows past its first 16 slots): each
 * one's candidates are exactly its leaves with AF = 0, valid or table
 * entries left out, found again after more tables were added, and a
 * table's key includes its level (a level-3 Page is not a level-2
 * Block: the same page read as a level-2 table has different ones). */
TEST(af_memo_many_tables)
{
	struct fx f = {0};
	vmsa_snapshot_t *s = snap(&f);
	enum { N = 40 };
	uint64_t pa[N];
	struct af_cands c;

	vmsa_snapshot_free(s);
	for (unsigned i = 0; i < N; i++) {
		pa[i] = vmsa_page_alloc(f.m, VMSA_SETUP, 1, 1);
		/* Entry i % 512: a page descriptor, AF = 0; entry
		 * i % 512 + 1: the same with AF = 1; entry 511 - i: a
		 * table descriptor (at level 3 a Page too, AF = 0). */
		vmsa_desc_write_pa(f.m, VMSA_SETUP, pa[i] + 8 * i,
				   leaf_af0(&f, 0));
		vmsa_desc_write_pa(f.m, VMSA_SETUP, pa[i] + 8 * (i + 1),
				   leaf_af0(&f, 0) | VMSA_D_AF);
		vmsa_desc_write_pa(f.m, VMSA_SETUP, pa[i] + 8 * (511 - i),
				   vmsa_desc_make_table(f.page[1],
							VMSA_GRANULE_4K));
	}
	s = vmsa_snapshot_take(f.m);
	CHECK(s != NULL);
	CHECK_EQ(vmsa_snapshot_restore(f.m, s), 0);
	for (unsigned round = 0; round < 2; round++) {
		for (unsigned i = 0; i < N; i++) {
			struct tpage t3 = {.pa = pa[i], .level = 3,
					   .entries = 512};
			struct tpage t2 = {.pa = pa[i], .level = 2,
					   .entries = 512};

			CHECK(af_memo_cands(f.m, &t3, VMSA_GRANULE_4K, &c));
			CHECK_EQ(c.n, 2);
			CHECK_EQ(c.k[0], i);
			CHECK_EQ(c.k[1], 511 - i);
			/* At level 2 bits 1:0 = 3 is a table, and a
			 * level-3 page descriptor is one too. */
			CHECK(af_memo_cands(f.m, &t2, VMSA_GRANULE_4K, &c));
			CHECK_EQ(c.n, 0);
		}
		CHECK_EQ(memo_tables(f.m), 2 * N);
	}
	/* Written since the restore: no answer; restored: the same. */
	vmsa_desc_write_pa(f.m, VMSA_SETUP, pa[7] + 8 * 100, leaf_af0(&f, 0));
	{
		struct tpage t3 = {.pa = pa[7], .level = 3, .entries = 512};

		CHECK(!af_memo_cands(f.m, &t3, VMSA_GRANULE_4K, &c));
		CHECK_EQ(vmsa_snapshot_restore(f.m, s), 0);
		CHECK(af_memo_cands(f.m, &t3, VMSA_GRANULE_4K, &c));
		CHECK_EQ(c.n, 2);
	}
	vmsa_snapshot_free(s);
	vmsa_machine_free(f.m);
}

/* A table written since the restore by stores only: its candidates are
 * the memo's and the stored words', each as memory holds it now, in
 * table order; a store that sets AF removes one, more than max is no
 * answer, and a pointer handed out into the table (a change the word
 * log does not name) or a table the memo does not know gives none. */
TEST(af_memo_logged_candidates)
{
	struct fx f = {0};
	vmsa_snapshot_t *s = snap(&f);
	uint64_t pte2 = fx_pte(&f, 0x2000), pte3 = fx_pte(&f, 0x3000);
	struct tpage t3 = {.pa = f.l3, .level = 3, .entries = 512};
	uint16_t i2 = (uint16_t)((pte2 - f.l3) / 8);
	uint16_t i3 = (uint16_t)((pte3 - f.l3) / 8);
	struct af_cands c;
	uint16_t k[4];
	unsigned n = 99;

	CHECK_EQ(vmsa_snapshot_restore(f.m, s), 0);
	/* Not learnt yet: no answer. */
	CHECK(!af_memo_cands_logged(f.m, &t3, VMSA_GRANULE_4K, k, 4, &n));
	CHECK(af_memo_cands(f.m, &t3, VMSA_GRANULE_4K, &c));
	CHECK_EQ(c.n, 1);
	CHECK_EQ(c.k[0], i2);
	/* Unchanged: the memo's. */
	CHECK(af_memo_cands_logged(f.m, &t3, VMSA_GRANULE_4K, k, 4, &n));
	CHECK_EQ(n, 1);
	CHECK_EQ(k[0], i2);

	vmsa_desc_write_pa(f.m, VMSA_SETUP, pte3, leaf_af0(&f, 2));
	CHECK(!af_memo_cands(f.m, &t3, VMSA_GRANULE_4K, &c));
	CHECK(af_memo_cands_logged(f.m, &t3, VMSA_GRANULE_4K, k, 4, &n));
	CHECK_EQ(n, 2);
	CHECK_EQ(k[0], i2);
	CHECK_EQ(k[1], i3);
	CHECK(!af_memo_cands_logged(f.m, &t3, VMSA_GRANULE_4K, k, 1, &n));
	/* The memo's candidate with AF set: gone; pte3 stays. */
	vmsa_desc_write_pa(f.m, VMSA_SETUP, pte2, leaf_af0(&f, 1) | VMSA_D_AF);
	CHECK(af_memo_cands_logged(f.m, &t3, VMSA_GRANULE_4K, k, 4, &n));
	CHECK_EQ(n, 1);
	CHECK_EQ(k[0], i3);
	/* A pointer into the table: the log cannot tell. */
	(void)mem_ptr(&f.m->mem, f.l3);
	CHECK(!af_memo_cands_logged(f.m, &t3, VMSA_GRANULE_4K, k, 4, &n));

	/* Restored: the memo's answer again, and the log's is the same. */
	CHECK_EQ(vmsa_snapshot_restore(f.m, s), 0);
	CHECK(af_memo_cands(f.m, &t3, VMSA_GRANULE_4K, &c));
	CHECK(af_memo_cands_logged(f.m, &t3, VMSA_GRANULE_4K, k, 4, &n));
	CHECK_EQ(n, 1);
	CHECK_EQ(k[0], i2);
	vmsa_snapshot_free(s);
	vmsa_machine_free(f.m);
}
