/*
 * src/model/digest.c: step numbers kept by rank (0 and HIST_PENDING as
 * they are), exact comparison, and a machine's digest: equal for the
 * same state at two times (step numbers in the same order), different
 * when they are in another order (an explicit access, DSBs), after a store, the same again once
 * the old value is back, different with a TLBI pending; not made under
 * the feature relaxed.
 */
#include <errno.h>

#include "fixture.h"
#include "model/digest.h"
#include "model/machine.h"

static void steps(struct digest *d, const uint64_t *v, unsigned n)
{
	digest_clear(d);
	digest_u64(d, 42);
	for (unsigned i = 0; i < n; i++)
		digest_step(d, v[i]);
	CHECK_EQ(digest_finish(d), 0);
}

TEST(digest_step_ranks)
{
	struct digest a = {0}, b = {0};
	const uint64_t x[] = {5, 9, 0, UINT64_MAX, 9};
	const uint64_t y[] = {70, 200, 0, UINT64_MAX, 200};
	const uint64_t swapped[] = {9, 5, 0, UINT64_MAX, 9};
	const uint64_t merged[] = {5, 5, 0, UINT64_MAX, 5};
	const uint64_t never[] = {5, 9, 1, UINT64_MAX, 9};

	steps(&a, x, 5);
	steps(&b, y, 5);
	/* The same order: the same digest. */
	CHECK(digest_equal(&a, &b));
	steps(&b, swapped, 5);
	CHECK(!digest_equal(&a, &b));
	steps(&b, merged, 5);
	CHECK(!digest_equal(&a, &b));
	/* 0 ("never") is no rank. */
	steps(&b, never, 5);
	CHECK(!digest_equal(&a, &b));
	/* Other bytes count as they are. */
	steps(&b, y, 4);
	CHECK(!digest_equal(&a, &b));
	digest_free(&a);
	digest_free(&b);
}

static int take(vmsa_machine_t *m, struct digest *d)
{
	digest_clear(d);
	if (digest_machine(d, m))
		return -EOPNOTSUPP;
	return digest_finish(d);
}

TEST(digest_machine_state)
{
	struct fx f;
	struct digest a = {0}, b = {0};
	vmsa_tlbi_op_t op = {.type = VMSA_TLBI_VMALLE1, .sh = VMSA_TLBI_IS};

	f.m = fx_machine(2, 2, false);
	fx_tables(&f);
	/* An explicit access of each CPU (its step is state: ETS windows),
	 * then a DSB of each. */
	(void)vmsa_phys_read(f.m, 0, f.page[0], 8, true);
	vmsa_phys_write(f.m, 1, f.page[1], 8, 0, true);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_dsb(f.m, 1, VMSA_BAR_ISH);
	CHECK_EQ(take(f.m, &a), 0);
	/* The same again: later steps in the same order, the same ranks. */
	(void)vmsa_phys_read(f.m, 0, f.page[0], 8, true);
	vmsa_phys_write(f.m, 1, f.page[1], 8, 0, true);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_dsb(f.m, 1, VMSA_BAR_ISH);
	CHECK_EQ(take(f.m, &b), 0);
	CHECK(digest_equal(&a, &b));
	/* A read alone moves CPU0's last explicit access past CPU1's. */
	(void)vmsa_phys_read(f.m, 0, f.page[0], 8, true);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_dsb(f.m, 1, VMSA_BAR_ISH);
	CHECK_EQ(take(f.m, &b), 0);
	CHECK(!digest_equal(&a, &b));
	/* CPU1's access after it again: the order of a. */
	vmsa_phys_write(f.m, 1, f.page[1], 8, 0, true);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_dsb(f.m, 1, VMSA_BAR_ISH);
	CHECK_EQ(take(f.m, &b), 0);
	CHECK(digest_equal(&a, &b));
	/* The DSBs in the other order: CPU1's last DSB is now before
	 * CPU0's. */
	vmsa_dsb(f.m, 1, VMSA_BAR_ISH);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK_EQ(take(f.m, &b), 0);
	CHECK(!digest_equal(&a, &b));
	vmsa_dsb(f.m, 1, VMSA_BAR_ISH);
	CHECK_EQ(take(f.m, &b), 0);
	CHECK(digest_equal(&a, &b));
	/* A store, then the old value back: equal again. */
	vmsa_phys_write(f.m, 1, f.page[1], 8, 7, true);
	CHECK_EQ(take(f.m, &b), 0);
	CHECK(!digest_equal(&a, &b));
	vmsa_phys_write(f.m, 1, f.page[1], 8, 0, true);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_dsb(f.m, 1, VMSA_BAR_ISH);
	CHECK_EQ(take(f.m, &b), 0);
	CHECK(digest_equal(&a, &b));
	/* A TLBI waiting for its DSB is state. */
	vmsa_tlbi(f.m, 1, op, 0);
	CHECK_EQ(take(f.m, &b), 0);
	CHECK(!digest_equal(&a, &b));
	digest_free(&a);
	digest_free(&b);
	vmsa_machine_free(f.m);
}

TEST(digest_not_under_relaxed)
{
	vmsa_features_t feat = vmsa_features_default();
	const char *why = NULL;
	vmsa_machine_t *m;
	struct digest d = {0};

	feat.relaxed = true;
	m = vmsa_machine_new(&feat, &why);
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_EQ(take(m, &d), -EOPNOTSUPP);
	digest_free(&d);
	vmsa_machine_free(m);
}
