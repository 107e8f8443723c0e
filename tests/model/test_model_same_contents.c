/*
 * The read-only exemption of break-before-make (RWHZWS, D8.17.1): the
 * output address of an entry may change without a break unless "either
 * or both of the old and new translations grant write permission" or
 * "the memory contents at the new OA do not match the memory contents at
 * the previous OA". Issue 11, model error 5: herd7's
 * aarch64-BBM/CoRR+PteOA.DB0.val (read-only to read-only, same data:
 * Always, no warning) and CoRR+PteOA.DB1.val (the new entry writable:
 * BBM warning).
 *
 * The fixture maps VA 0x1000; here read-only to page[0], and page[1]
 * gets page[0]'s contents (0xa0 at offset 0, zeros elsewhere).
 */
#include <string.h>

#include "fixture.h"

#define X 0x1000ull

static uint64_t ro_desc(vmsa_pa_t pa)
{
	return vmsa_desc_make_s1_leaf(pa, 3, VMSA_GRANULE_4K, 0,
				      VMSA_AP_RO_EL1, VMSA_SH_ISH, true);
}

/* Two CPUs at EL1, X -> page[0] read-only; page[1] holds page[0]'s data
 * when `same`; the pair declared when `declare`. */
static void setup(struct fx *f, bool same, bool declare)
{
	f->m = fx_machine(2, 0, true);
	fx_tables(f);
	vmsa_desc_write_pa(f->m, VMSA_SETUP, fx_pte(f, X), ro_desc(f->page[0]));
	if (same)
		vmsa_phys_write(f->m, VMSA_SETUP, f->page[1], 8, 0xa0, true);
	if (declare)
		CHECK(vmsa_same_contents(f->m, VMSA_SETUP, f->page[0],
					 f->page[1], 1));
	fx_enter_el1(f, 0);
	fx_enter_el1(f, 1);
}

/* CPU1 uses X (its TLB may hold the old entry), CPU0 moves X to page[1]
 * with `desc`. Returns the violation, if any. */
static const vmsa_violation_t *remap(struct fx *f, uint64_t desc)
{
	CHECK_EQ(fx_read(f, 1, X), 0xa0);
	vmsa_desc_write_pa(f->m, 0, fx_pte(f, X), desc);
	return vmsa_violation(f->m);
}

static void check_bbm(const vmsa_violation_t *v, const char *reason)
{
	CHECK(v != NULL);
	if (!v)
		return;
	CHECK_EQ(v->kind, VMSA_V_BBM);
	CHECK_STR(v->rule, "RWHZWS");
	CHECK_EQ(v->cpu, 0);
	CHECK_EQ(v->n_entries, 1);
	CHECK(strstr(v->message, reason) != NULL);
}

/* CoRR+PteOA.DB0.val: read-only to read-only, same contents declared and
 * equal: no break needed, and CPU1 reads the same value either way. */
TEST(model_same_contents_ro_no_break_rwhzws)
{
	struct fx f;

	setup(&f, true, true);
	CHECK(remap(&f, ro_desc(f.page[1])) == NULL);
	CHECK_EQ(fx_read(&f, 1, X), 0xa0);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* The same pair declared the other way round. */
TEST(model_same_contents_symmetric_rwhzws)
{
	struct fx f;

	f.m = fx_machine(2, 0, true);
	fx_tables(&f);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, fx_pte(&f, X), ro_desc(f.page[0]));
	vmsa_phys_write(f.m, VMSA_SETUP, f.page[1], 8, 0xa0, true);
	CHECK(vmsa_same_contents(f.m, VMSA_SETUP, f.page[1], f.page[0], 1));
	fx_enter_el1(&f, 0);
	fx_enter_el1(&f, 1);
	CHECK(remap(&f, ro_desc(f.page[1])) == NULL);
	fx_done(&f);
}

/* Not declared: the model cannot know the contents stay equal. */
TEST(model_same_contents_undeclared_rwhzws)
{
	struct fx f;

	setup(&f, true, false);
	check_bbm(remap(&f, ro_desc(f.page[1])),
		  "output address changed and the contents there may differ");
	fx_done(&f);
}

/* Declared, but memory differs at the write (page[1] keeps 0xa1). */
TEST(model_same_contents_declared_but_differ_rwhzws)
{
	struct fx f;

	setup(&f, false, true);
	check_bbm(remap(&f, ro_desc(f.page[1])),
		  "output address changed and the contents there may differ");
	fx_done(&f);
}

/* CoRR+PteOA.DB1.val: the new entry grants write permission. */
TEST(model_same_contents_writable_new_rwhzws)
{
	struct fx f;

	setup(&f, true, true);
	check_bbm(remap(&f, fx_page_desc(f.page[1])),
		  "output address changed on a writable entry");
	fx_done(&f);
}

/* A snapshot keeps set-up's declaration; a restore without one would
 * report the remap. */
TEST(model_same_contents_snapshot)
{
	struct fx f;
	vmsa_snapshot_t *snap;

	f.m = fx_machine(2, 0, true);
	fx_tables(&f);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, fx_pte(&f, X), ro_desc(f.page[0]));
	vmsa_phys_write(f.m, VMSA_SETUP, f.page[1], 8, 0xa0, true);
	CHECK(vmsa_same_contents(f.m, VMSA_SETUP, f.page[0], f.page[1], 1));
	snap = vmsa_snapshot_take(f.m);
	CHECK(snap != NULL);
	for (unsigned i = 0; snap && i < 2; i++) {
		CHECK_EQ(vmsa_snapshot_restore(f.m, snap), 0);
		fx_enter_el1(&f, 0);
		fx_enter_el1(&f, 1);
		CHECK(remap(&f, ro_desc(f.page[1])) == NULL);
	}
	vmsa_machine_reset(f.m);
	fx_tables(&f);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, fx_pte(&f, X), ro_desc(f.page[0]));
	vmsa_phys_write(f.m, VMSA_SETUP, f.page[1], 8, 0xa0, true);
	fx_enter_el1(&f, 0);
	fx_enter_el1(&f, 1);
	check_bbm(remap(&f, ro_desc(f.page[1])),
		  "output address changed and the contents there may differ");
	vmsa_snapshot_free(snap);
	fx_done(&f);
}

/* Bad calls: from a CPU, no pages, unaligned. */
TEST(model_same_contents_bad_calls)
{
	struct fx f;

	setup(&f, true, false);
	CHECK(!vmsa_same_contents(f.m, 0, f.page[0], f.page[1], 1));
	CHECK(vmsa_violation(f.m) != NULL);
	if (vmsa_violation(f.m)) {
		CHECK_EQ(vmsa_violation(f.m)->kind, VMSA_V_BAD_CALL);
		CHECK(strstr(vmsa_violation(f.m)->message,
			     "only set-up code") != NULL);
	}
	fx_done(&f);
	setup(&f, true, false);
	CHECK(!vmsa_same_contents(f.m, VMSA_SETUP, f.page[0], f.page[1], 0));
	CHECK(vmsa_violation(f.m) != NULL);
	fx_done(&f);
	setup(&f, true, false);
	CHECK(!vmsa_same_contents(f.m, VMSA_SETUP, f.page[0] + 8, f.page[1], 1));
	CHECK(vmsa_violation(f.m) != NULL);
	fx_done(&f);
}

/* ---- A store that makes declared pages differ ------------------------ */

/* After the exempted remap (X: page[0] -> page[1], CPU1's TLB may still
 * hold X -> page[0]), CPU `who` stores v at offset `off` of page `pg`.
 * The violation, if any. */
static const vmsa_violation_t *store_after(struct fx *f, int who, int pg,
					   uint64_t off, uint64_t v)
{
	CHECK(remap(f, ro_desc(f->page[1])) == NULL);
	vmsa_phys_write(f->m, who, f->page[pg] + off, 8, v, true);
	return vmsa_violation(f->m);
}

static void check_differ(const vmsa_violation_t *v, int storer,
			 int holder)
{
	CHECK(v != NULL);
	if (!v)
		return;
	CHECK_EQ(v->kind, VMSA_V_BBM);
	CHECK_STR(v->rule, "RWHZWS");
	CHECK_EQ(v->cpu, storer);
	CHECK_EQ(v->n_entries, 1);
	CHECK_EQ(v->entries[0].cpu, holder);
	CHECK(strstr(v->message, "declared to hold the same contents") !=
	      NULL);
}

/* The old page changes while CPU1 may still hold the entry to it (and
 * CPU0, which caches the context too): CPU1 could read the new data
 * through the old entry, or the old data through the new one. */
TEST(model_same_contents_store_old_page_rwhzws)
{
	struct fx f;

	setup(&f, true, true);
	check_differ(store_after(&f, 0, 0, 0, 0x55), 0, 0);
	fx_done(&f);
}

/* The same through the new page, and by the CPU that may hold it. */
TEST(model_same_contents_store_new_page_rwhzws)
{
	struct fx f;

	setup(&f, true, true);
	check_differ(store_after(&f, 1, 1, 8, 0x66), 1, 0);
	fx_done(&f);
}

/* A store that keeps the pages equal (page[0]'s own value again) is no
 * violation. */
TEST(model_same_contents_store_same_value_rwhzws)
{
	struct fx f;

	setup(&f, true, true);
	CHECK(store_after(&f, 0, 1, 0, 0xa0) == NULL);
	fx_done(&f);
}

/* Outside the declared pages: nothing to compare. */
TEST(model_same_contents_store_elsewhere_rwhzws)
{
	struct fx f;

	setup(&f, true, true);
	CHECK(store_after(&f, 0, 2, 0, 0x55) == NULL);
	fx_done(&f);
}

/* Once no TLB may hold the old entry the pages may differ: after CPU0's
 * TLBI VAE1IS and DSB, CPU1's entry is gone, but CPU0's own stays usable
 * by CPU0 until its next context synchronisation event (RBLDZX, without
 * ETS2: the retiring set); after an ISB on CPU0 none is left. */
static const vmsa_violation_t *store_after_tlbi(struct fx *f, bool isb)
{
	CHECK(remap(f, ro_desc(f->page[1])) == NULL);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(f, 0, "vae1is", X);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	if (isb)
		vmsa_isb(f->m, 0);
	vmsa_phys_write(f->m, 0, f->page[0], 8, 0x55, true);
	return vmsa_violation(f->m);
}

TEST(model_same_contents_store_after_tlbi_rwhzws)
{
	struct fx f;

	setup(&f, true, true);
	check_differ(store_after_tlbi(&f, false), 0, 0);
	fx_done(&f);
	setup(&f, true, true);
	CHECK(store_after_tlbi(&f, true) == NULL);
	fx_done(&f);
}

/* ---- Explored ------------------------------------------------------- */

#include "vmsa/explore.h"

struct sx {
	struct fx f;
	vmsa_pa_t flag;
};

static void sx_setup(vmsa_run_t *r)
{
	struct sx *d = vmsa_run_data(r);

	d->f.m = vmsa_run_machine(r);
	fx_tables(&d->f);
	vmsa_desc_write_pa(d->f.m, VMSA_SETUP, fx_pte(&d->f, X),
			   ro_desc(d->f.page[0]));
	vmsa_phys_write(d->f.m, VMSA_SETUP, d->f.page[1], 8, 0xa0, true);
	vmsa_same_contents(d->f.m, VMSA_SETUP, d->f.page[0], d->f.page[1],
			   1);
	d->flag = d->f.page[3] + 64;
}

/* CPU0: the exempted remap, a flag, then the TLBI sequence and an ISB
 * (after which no TLB may hold X -> page[0]). */
static void sx_remapper(vmsa_run_t *r, vmsa_cpu_t c)
{
	struct sx *d = vmsa_run_data(r);

	fx_enter_el1(&d->f, c);
	vmsa_desc_write_pa(d->f.m, c, fx_pte(&d->f, X),
			   ro_desc(d->f.page[1]));
	vmsa_phys_write(d->f.m, c, d->flag, 8, 1, true);
	vmsa_dsb(d->f.m, c, VMSA_BAR_ISH);
	fx_tlbi_va(&d->f, c, "vae1is", X);
	vmsa_dsb(d->f.m, c, VMSA_BAR_ISH);
	vmsa_isb(d->f.m, c);
}

/* CPU1: reads X (its TLB may hold the entry), then, once the remap is
 * done (the flag), changes page[0]: a violation unless CPU0's ISB came
 * first. */
static void sx_writer(vmsa_run_t *r, vmsa_cpu_t c)
{
	struct sx *d = vmsa_run_data(r);
	uint64_t v;

	fx_enter_el1(&d->f, c);
	vmsa_read(d->f.m, c, X, 8, &v);
	if (vmsa_phys_read(d->f.m, c, d->flag, 8, true))
		vmsa_phys_write(d->f.m, c, d->f.page[0], 8, 0x55, true);
}

/* The violation is found by the plain search and by the reduced one
 * (unbounded: the store's read of every TLB meets the TLBI completion
 * and the ISB that empty them). */
TEST(model_same_contents_store_explored_rwhzws)
{
	static const vmsa_scenario_t s = {
		.name = "t/same-contents-store",
		.setup = sx_setup,
		.cpu = {sx_remapper, sx_writer},
	};

	for (int reduce = 0; reduce <= 1; reduce++) {
		vmsa_explore_opts_t o = vmsa_explore_defaults();
		vmsa_explore_result_t res;

		o.preemptions = VMSA_UNBOUNDED;
		o.reduction = reduce;
		CHECK_EQ(vmsa_explore(&s, "bbm0", &o, &res), 0);
		CHECK_STR(res.verdict, "bbm");
		CHECK_STR(res.violation.rule, "RWHZWS");
		CHECK_EQ(res.violation.cpu, 1);
		CHECK(strstr(res.violation.message,
			     "declared to hold the same contents") != NULL);
		vmsa_explore_result_free(&res);
	}
}
