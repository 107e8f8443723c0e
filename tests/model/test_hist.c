/*
 * tests/model/test_hist.c - descriptor histories (src/model/hist.c):
 * they grow past their first room, drop only values that stopped being
 * visible before `dead_before`, survive a copy (values pool and all) and
 * a zeroed page.
 */
#include "harness.h"

#include "model/hist.h"

#define PA 0x40001008ull

/* Values 1..n written by CPU 0 at steps 1..n, none published. */
static void pending(struct hist_table *t, unsigned n)
{
	for (unsigned i = 1; i <= n; i++)
		CHECK(hist_write(t, PA, 0x77, i, 0, i, 0) != NULL);
}

TEST(hist_grows_past_first_room)
{
	struct hist_table t;
	const struct hist *h;

	CHECK_EQ(hist_init(&t), 0);
	pending(&t, 3 * HIST_FIRST_CAP);
	h = hist_find(&t, PA);
	CHECK(h != NULL);
	if (h) {
		/* The value before the first write, then every write. */
		CHECK_EQ(h->n, 3 * HIST_FIRST_CAP + 1);
		CHECK_EQ(h->v[0].value, 0x77);
		CHECK_EQ(h->v[h->n - 1].value, 3 * HIST_FIRST_CAP);
		CHECK_EQ(hist_visible(h), 0);
	}
	hist_destroy(&t);
}

TEST(hist_prunes_only_dead_values)
{
	struct hist_table t;
	struct hist *h;

	CHECK_EQ(hist_init(&t), 0);
	/* Each value published at its own step: value i (i >= 1) was
	 * overwritten, visibly, at step i + 1. */
	for (unsigned i = 1; i < HIST_FIRST_CAP; i++) {
		h = hist_write(&t, PA, 0x77, i, 0, i, 0);
		hist_publish(h, 0, i);
	}
	h = hist_find(&t, PA);
	CHECK_EQ(h->n, HIST_FIRST_CAP);
	/* Full: with dead_before 4, the values replaced by step 4 (0x77,
	 * 1, 2 and 3) go; 4 was visible until step 5 and stays. */
	h = hist_write(&t, PA, 0x77, 100, 0, 100, 4);
	CHECK_EQ(h->n, HIST_FIRST_CAP - 4 + 1);
	CHECK_EQ(h->cap, HIST_FIRST_CAP);
	CHECK_EQ(h->v[0].value, 4);
	CHECK_EQ(h->v[h->n - 1].value, 100);
	hist_destroy(&t);
}

TEST(hist_copy_and_reset)
{
	struct hist_table a, b;
	const struct hist *h;

	CHECK_EQ(hist_init(&a), 0);
	CHECK_EQ(hist_init(&b), 0);
	pending(&a, 20);
	CHECK(hist_write(&a, PA + 8, 5, 6, -1, 30, 0) != NULL);
	CHECK_EQ(hist_copy(&b, &a), 0);
	hist_reset(&a);
	CHECK(hist_find(&a, PA) == NULL);
	h = hist_find(&b, PA);
	CHECK(h != NULL);
	if (h) {
		CHECK_EQ(h->n, 21);
		for (unsigned i = 1; i <= 20; i++)
			if (h->v[i].value != i)
				CHECK_EQ(h->v[i].value, i);
	}
	h = hist_find(&b, PA + 8);
	CHECK(h != NULL);
	if (h) {
		CHECK_EQ(h->n, 2);
		CHECK_EQ(h->v[1].vis_step, 30); /* set-up: visible at once */
	}
	/* The page is zeroed: both locations now hold a visible 0. */
	CHECK_EQ(hist_forget_page(&b, PA & ~0xfffull, 4096, 40, 0), 0);
	h = hist_find(&b, PA);
	CHECK_EQ(h->v[h->n - 1].value, 0);
	CHECK_EQ(h->v[h->n - 1].vis_step, 40);
	h = hist_find(&b, PA + 8);
	CHECK_EQ(h->n, 3);
	hist_destroy(&a);
	hist_destroy(&b);
}
