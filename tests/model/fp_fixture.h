/*
 * tests/model/fp_fixture.h - what the footprint tests share: whether a
 * recorded footprint holds an item, and two CPUs at EL1 with a second
 * page mapped.
 */
#ifndef VMSA_TESTS_MODEL_FP_FIXTURE_H
#define VMSA_TESTS_MODEL_FP_FIXTURE_H

#include "fixture.h"
#include "model/footprint.h"
#include "model/machine.h"

/* Does footprint fp hold item exactly (its lines, sorted or not)? */
static inline bool fp_has_item(const struct footprint *fp, uint64_t item)
{
	for (unsigned i = 0; i < fp->lines.n; i++)
		if (fp->lines.p[i] == item)
			return true;
	return false;
}

/* Two CPUs at EL1, with and without the features relaxed and ETS2: VA
 * 0x1000 -> page[0] and 0x2000 -> page[1]. */
static inline void fx_two_pages_el1(struct fx *f, bool relaxed, bool ets2)
{
	vmsa_features_t ft = vmsa_features_default();

	ft.ncpus = 2;
	ft.relaxed = relaxed;
	ft.ets2 = ets2;
	f->m = fx_machine_with(&ft);
	fx_tables(f);
	vmsa_desc_write_pa(f->m, VMSA_SETUP, fx_pte(f, 0x2000),
			   fx_page_desc(f->page[1]));
	fx_enter_el1(f, 0);
	fx_enter_el1(f, 1);
}

#endif
