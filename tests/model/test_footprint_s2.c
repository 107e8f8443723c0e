/*
 * tests/model/test_footprint_s2.c - which stage-2 descriptor stores
 * change the table structure (footprint.h FP_OBJ_STRUCT, write.c
 * s2_leaf_moves_s1()): a stage-2 leaf store is structural only when a
 * stage-1 table of a context translating through those stage-2 tables
 * sits at an IPA it maps. So the hypervisor's store of a data page's
 * stage-2 entry is independent of a guest's walk that does not read that
 * entry and of its context synchronisation, while its store of the
 * entry that maps the guest's level-3 table writes the structure at
 * that table's page (only there: a store to a data page is independent
 * of it, one to the table's page is not). The differential test
 * (tests/explore/test_dpor_random.c, dpor_random_s2) checks outcomes;
 * this one fails if every stage-2 store is structural again, or if the
 * table's is not.
 */
#include "fixture_s2.h"
#include "model/footprint.h"
#include "model/machine.h"

static void start(struct fx2 *f, struct footprint *fp)
{
	fp_attach(f->m, fp);
	fp_begin(f->m);
}

static void stop(struct fx2 *f)
{
	fp_end(f->m);
	fp_attach(f->m, NULL);
}

/* CPU1 runs the guest and has read FX2_VA (data page 0) once; CPU0 is
 * the hypervisor at EL2 with the VM selected. */
static void s2_fixture(struct fx2 *f)
{
	fx2_setup(f, 2, 1);
	fx2_enter_guest(f, 1, 0);
	CHECK_EQ(fx2_read(f, 1, FX2_VA), 0xa0);
	fx2_hyp_select(f, 0, 0);
}

/* Does fp hold an item of object obj (any part) with that write bit? */
static bool has_obj(const struct footprint *fp, unsigned obj, bool w)
{
	for (unsigned i = 0; i < fp->lines.n; i++)
		if (FP_ITEM_LINE(fp->lines.p[i]) == FP_OBJ_LINE + obj &&
		    (fp->lines.p[i] & 1) == w)
			return true;
	return false;
}

static void hyp_store(struct fx2 *f, uint64_t ipa, uint64_t v,
		      struct footprint *fp)
{
	start(f, fp);
	vmsa_desc_write_pa(f->m, 0, fx2_s2_pte(&f->vm[0], ipa), v);
	stop(f);
	CHECK(!vmsa_stopped(f->m));
}

static void guest_read(struct fx2 *f, struct footprint *fp)
{
	start(f, fp);
	CHECK_EQ(fx2_read(f, 1, FX2_VA), 0xa0);
	stop(f);
}

static void guest_isb(struct fx2 *f, struct footprint *fp)
{
	start(f, fp);
	vmsa_isb(f->m, 1);
	stop(f);
}

TEST(footprint_s2_data_leaf_not_structural)
{
	struct fx2 f;
	struct footprint st = {0}, rd = {0}, isb = {0};

	s2_fixture(&f);
	guest_read(&f, &rd);
	guest_isb(&f, &isb);
	/* A new data page's entry (invalid before: no TLB may hold an old
	 * value of it), at an IPA where no stage-1 table is. */
	hyp_store(&f, fx2_data_ipa(FX2_NPAGES),
		  fx2_s2_page_desc(f.vm[0].page[FX2_NPAGES - 1]), &st);
	CHECK(st.flags & FP_DESC_R);
	CHECK(!(st.flags & FP_DESC_W));
	CHECK(!fp_dependent(&st, &rd));
	CHECK(!fp_dependent(&rd, &st));
	CHECK(!fp_dependent(&st, &isb));
	fp_free(&st);
	fp_free(&rd);
	fp_free(&isb);
	fx2_done(&f);
}

/* Does fp write the part of the table structure of the page of pa? */
static bool writes_struct(vmsa_machine_t *m, const struct footprint *fp,
			  vmsa_pa_t pa)
{
	struct footprint probe = {0};
	bool dep;

	fp_attach(m, &probe);
	fp_begin(m);
	fp_struct_page(m, pa, false);
	fp_end(m);
	fp_attach(m, NULL);
	dep = fp_dependent(fp, &probe);
	fp_free(&probe);
	return dep;
}

/* A physical write by cpu of 0 to pa (a data store when pa is in no
 * table of a cached context). */
static void phys_store(struct fx2 *f, int cpu, vmsa_pa_t pa,
		       struct footprint *fp)
{
	start(f, fp);
	vmsa_phys_write(f->m, cpu, pa, 8, 0, true);
	stop(f);
	CHECK(!vmsa_stopped(f->m));
}

/* The entry of the guest's level-3 table's IPA (and of its level-1
 * root) moves a stage-1 table: structural, at the pages that leave the
 * guest's tables, and not a change of the list of contexts. */
TEST(footprint_s2_table_leaf_structural)
{
	struct fx2 f;
	struct footprint st = {0}, root = {0}, data = {0}, table = {0};

	s2_fixture(&f);
	/* The hypervisor's data store to data page 1: reads the structure
	 * at that page only. */
	phys_store(&f, 0, f.vm[0].page[1] + 8, &data);
	hyp_store(&f, FX2_IPA_TABLES + 0x2000, 0, &st);
	CHECK(!(st.flags & FP_DESC_W));
	CHECK(writes_struct(f.m, &st, f.vm[0].g_tab[2]));
	CHECK(!writes_struct(f.m, &st, f.vm[0].page[1]));
	CHECK(!fp_dependent(&st, &data));
	CHECK(!fp_dependent(&data, &st));
	/* A store to the level-3 table's page, no table page any more: a
	 * data store, which the order with the move decided. */
	phys_store(&f, 0, f.vm[0].g_tab[2] + 8 * 5, &table);
	CHECK(fp_dependent(&st, &table));
	hyp_store(&f, FX2_IPA_TABLES, 0, &root);
	CHECK(!(root.flags & FP_DESC_W));
	CHECK(writes_struct(f.m, &root, f.vm[0].g_tab[0]));
	CHECK(writes_struct(f.m, &root, f.vm[0].g_tab[1]));
	fp_free(&st);
	fp_free(&root);
	fp_free(&data);
	fp_free(&table);
	fx2_done(&f);
}

/* Which contexts some CPU caches is part of the structure stores read:
 * the guest's context, uncached by a TLBI completion while its CPU is
 * at EL2, makes a store to its level-3 table's page data; the guest's
 * return, which caches the context again, writes that page's part, as
 * the uncaching did. */
struct recache {
	struct footprint tlbi, data, back;
};

static void uncache_and_store(struct fx2 *f, int cpu, void *arg)
{
	struct recache *r = arg;

	(void)cpu;
	stop(f);	/* the exception entry */
	fx2_tlbi(f, 0, "vmalls12e1is", 0);
	start(f, &r->tlbi);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	stop(f);
	phys_store(f, 0, f->vm[0].g_tab[2] + 8 * 5, &r->data);
	start(f, &r->back);	/* the return to the guest */
}

TEST(footprint_s2_caching_writes_structure)
{
	struct fx2 f;
	struct footprint entry = {0};
	struct recache r = {{0}, {0}, {0}};

	s2_fixture(&f);
	start(&f, &entry);
	CHECK(fx2_guest_exit(&f, 1, uncache_and_store, &r));
	stop(&f);
	/* The store was data: no history. */
	CHECK(!has_obj(&r.data, FP_OBJ_STORES, true));
	CHECK(writes_struct(f.m, &r.tlbi, f.vm[0].g_tab[2]));
	CHECK(writes_struct(f.m, &r.back, f.vm[0].g_tab[2]));
	CHECK(!writes_struct(f.m, &r.back, f.vm[0].page[1]));
	CHECK(fp_dependent(&r.data, &r.back));
	CHECK(fp_dependent(&r.tlbi, &r.data));
	fp_free(&entry);
	fp_free(&r.tlbi);
	fp_free(&r.data);
	fp_free(&r.back);
	fx2_done(&f);
}

/* Without a recorder the same rule (s2_leaf_moves_s1: one rule for the
 * plain and the reduced search): a data page's stage-2 entry leaves the
 * table generation (no table page to rescan), the entry of the guest's
 * level-3 table's IPA moves it. */
TEST(footprint_s2_plain_model_same_rule)
{
	struct fx2 f;
	uint64_t gen;

	s2_fixture(&f);
	gen = f.m->table_gen;
	vmsa_desc_write_pa(f.m, 0, fx2_s2_pte(&f.vm[0], fx2_data_ipa(1)), 0);
	CHECK_EQ(f.m->table_gen, gen);
	vmsa_desc_write_pa(f.m, 0, fx2_s2_pte(&f.vm[0], FX2_IPA_TABLES + 0x2000),
			   0);
	CHECK(f.m->table_gen != gen);
	fx2_done(&f);
}

/* The guest on CPU1 leaves to EL2 and comes back (a change of the
 * context it uses, both cached already): the hypervisor's store of the
 * data page's stage-2 entry (which gives CPU1 old values: it reads
 * whether CPU1 caches the guest's context, not which one it uses) is
 * independent of it; a TLBI completion that may uncache a context CPU1
 * does not use reads which one it uses: dependent. */
static void nothing(struct fx2 *f, int cpu, void *arg)
{
	(void)f;
	(void)cpu;
	(void)arg;
}

TEST(footprint_s2_context_use_apart_from_caching)
{
	struct fx2 f;
	struct footprint ex = {0}, st = {0}, tl = {0};

	s2_fixture(&f);
	start(&f, &ex);
	CHECK(fx2_guest_exit(&f, 1, nothing, NULL));
	stop(&f);
	CHECK(has_obj(&ex, FP_OBJ_TLBUSE + 1, true));
	CHECK(!has_obj(&ex, FP_OBJ_TLBCTX + 1, true));
	hyp_store(&f, fx2_data_ipa(0), 0, &st);
	CHECK(!fp_dependent(&ex, &st));
	CHECK(!fp_dependent(&st, &ex));
	fx2_tlbi(&f, 0, "vmalls12e1is", 0);
	start(&f, &tl);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	stop(&f);
	/* It reads which context CPU1 uses, the part the exit wrote. */
	CHECK(has_obj(&tl, FP_OBJ_TLBUSE + 1, false));
	CHECK(fp_dependent(&ex, &tl));
	fp_free(&ex);
	fp_free(&st);
	fp_free(&tl);
	fx2_done(&f);
}
