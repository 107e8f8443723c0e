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
