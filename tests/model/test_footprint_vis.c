/*
 * tests/model/test_footprint_vis.c - a walk and a DSB that publishes a
 * descriptor it read (footprint.h, FP_SUB_VIS; docs/explorer.md, "Walks
 * before a publication"). A DSB only removes values a walk may read
 * (RSPVBD: the newest visible value or any newer one), so a walk made
 * before it that used memory's newest value of every word commutes with
 * it: they are independent. A walk before it that used an older value
 * (which the DSB makes unreadable), and any walk after it (which had
 * fewer options), are dependent with it; and under the feature relaxed,
 * where the ordering model reads the word's history, every walk of the
 * word is. The differential tests (tests/explore/test_dpor_random.c)
 * check outcomes; this one fails if the refinement is applied where it
 * is not sound, or no longer applied.
 */
#include "chooser.h"
#include "fp_fixture.h"
#include "model/footprint.h"
#include "model/machine.h"

#define VA 0x2000ull	/* unmapped at set-up */

static void count_fault(vmsa_machine_t *m, vmsa_cpu_t cpu,
			const struct vmsa_exception *e, void *arg)
{
	(void)m;
	(void)cpu;
	(void)e;
	++*(unsigned *)arg;
}

static unsigned n_faults;

/* Two CPUs at EL1 on the fixture's tables (BBM level 0), relaxed or
 * not; CPU0 has stored a page descriptor for VA (page[1]), not yet
 * visible to walks: a walk may read it or the invalid value before.
 * CPU1's EL1 aborts are counted (n_faults). */
static void setup(struct fx *f, bool relaxed)
{
	vmsa_features_t ft = vmsa_features_default();

	ft.ncpus = 2;
	ft.relaxed = relaxed;
	f->m = fx_machine_with(&ft);
	fx_tables(f);
	fx_enter_el1(f, 0);
	fx_enter_el1(f, 1);
	n_faults = 0;
	vmsa_set_handler(f->m, 1, 1, count_fault, &n_faults);
	vmsa_desc_write_pa(f->m, 0, fx_pte(f, VA), fx_page_desc(f->page[1]));
}

/* CPU1 reads VA taking option `pick` of its descriptor value, recorded
 * into fp; true when the read completed. */
static bool walk(struct fx *f, unsigned pick, struct footprint *fp)
{
	const unsigned picks[] = {pick};
	struct ch ch;
	uint64_t v = 0;
	bool ok;

	ch_init(&ch, picks, 1);
	ch_only(&ch, "stage-1 descriptor value");
	ch_attach(&ch, f->m);
	fp_attach(f->m, fp);
	fp_begin(f->m);
	ok = vmsa_read(f->m, 1, VA, 8, &v);
	fp_end(f->m);
	fp_attach(f->m, NULL);
	vmsa_set_chooser(f->m, NULL);
	CHECK(!ok || v == 0xa1u);
	return ok;
}

/* CPU0's DSB ISH, recorded into fp. */
static void publish(struct fx *f, struct footprint *fp)
{
	fp_attach(f->m, fp);
	fp_begin(f->m);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	fp_end(f->m);
	fp_attach(f->m, NULL);
}

/* The item of the visibility of VA's descriptor: unversioned, or its
 * version `version`. */
static uint64_t vis_item(const struct fx *f, bool versioned,
			 uint32_t version, bool w)
{
	vmsa_pa_t pa = fx_pte(f, VA);
	unsigned word = (unsigned)(pa >> 3) & 7;

	return FP_ITEM(pa >> 6, versioned ? fp_sub_vis_version(word, version)
					  : FP_SUB_VIS + word, w);
}

static bool dependent(const struct footprint *a, const struct footprint *b)
{
	bool d = fp_dependent(a, b);

	CHECK_EQ(d, fp_dependent(b, a));
	return d;
}

TEST(footprint_vis_newest_walk_before_publication_independent)
{
	struct fx f;
	struct footprint w = {0}, d = {0};

	setup(&f, false);
	CHECK(walk(&f, 0, &w));
	CHECK_EQ(n_faults, 0u);
	publish(&f, &d);
	/* The walk saw version 0; the DSB made version 1. */
	CHECK(fp_has_item(&w, vis_item(&f, true, 0, false)));
	CHECK(!fp_has_item(&w, vis_item(&f, false, 0, false)));
	CHECK(fp_has_item(&d, vis_item(&f, false, 0, true)));
	CHECK(fp_has_item(&d, vis_item(&f, true, 1, true)));
	CHECK(!vmsa_stopped(f.m));
	CHECK(!dependent(&w, &d));
	fp_free(&w);
	fp_free(&d);
	fx_done(&f);
}

TEST(footprint_vis_older_walk_before_publication_dependent)
{
	struct fx f;
	struct footprint w = {0}, d = {0};

	setup(&f, false);
	/* Option 1: the invalid value before the store (a Translation
	 * fault), which the DSB makes unreadable; the handler returns and
	 * the retry takes the new value. */
	CHECK(walk(&f, 1, &w));
	CHECK_EQ(n_faults, 1u);
	publish(&f, &d);
	CHECK(!vmsa_stopped(f.m));
	CHECK(fp_has_item(&w, vis_item(&f, false, 0, false)));
	CHECK(dependent(&w, &d));
	fp_free(&w);
	fp_free(&d);
	fx_done(&f);
}

TEST(footprint_vis_walk_after_publication_dependent)
{
	struct fx f;
	struct footprint w = {0}, d = {0};

	setup(&f, false);
	publish(&f, &d);
	/* Only the new value is offered now: the walk had fewer options
	 * than before the DSB, which it reads the version of. */
	CHECK(walk(&f, 0, &w));
	CHECK(fp_has_item(&w, vis_item(&f, true, 1, false)));
	CHECK(dependent(&w, &d));
	fp_free(&w);
	fp_free(&d);
	fx_done(&f);
}

TEST(footprint_vis_relaxed_walk_before_publication_dependent)
{
	struct fx f;
	struct footprint w = {0}, d = {0};

	setup(&f, true);
	CHECK(walk(&f, 0, &w));
	publish(&f, &d);
	CHECK(!fp_has_item(&w, vis_item(&f, true, 0, false)));
	CHECK(dependent(&w, &d));
	fp_free(&w);
	fp_free(&d);
	fx_done(&f);
}
