/*
 * tests/util/test_htab.c - the hash table helper (src/util/htab.h):
 * inserts past many doublings, removal inside probe runs (also runs that
 * wrap around the end of the table), O(1) reset and its generation
 * wrap-around, copies; htab_gen_begin() for tables kept elsewhere.
 */
#include "../harness.h"

#include "util/htab.h"

struct ent {
	uint64_t key;
	uint32_t gen;
	uint64_t val;
};

static uint64_t good_hash(uint64_t k)
{
	return k * 0x9e3779b97f4a7c15ull;
}

/* Every key to the last slot: one probe run that wraps around. */
static uint64_t bad_hash(uint64_t k)
{
	(void)k;
	return ~0ull;
}

HTAB_DEFINE(good_tab, struct ent, good_hash)
HTAB_DEFINE(bad_tab, struct ent, bad_hash)

TEST(htab_insert_find_grow)
{
	struct good_tab t;

	CHECK_EQ(good_tab_init(&t, 4), 0);
	for (uint64_t k = 0; k < 1000; k++) {
		struct ent *e = good_tab_insert(&t, k * 8);

		CHECK(e != NULL);
		if (e)
			e->val = k + 1;
	}
	CHECK_EQ(t.count, 1000);
	/* At most half full: 1000 entries need 2048 slots. */
	CHECK_EQ(t.mask + 1, 2048);
	for (uint64_t k = 0; k < 1000; k++) {
		const struct ent *e = good_tab_find(&t, k * 8);

		if (!e || e->val != k + 1)
			CHECK_EQ(k, ~0ull);
	}
	CHECK(good_tab_find(&t, 8000) == NULL);
	CHECK(good_tab_find(&t, 4) == NULL);
	good_tab_destroy(&t);
	CHECK(t.slot == NULL);
}

TEST(htab_remove_in_wrapping_probe_run)
{
	struct bad_tab t;
	unsigned seen = 0;

	CHECK_EQ(bad_tab_init(&t, 16), 0);
	/* Keys 1..7 all start at slot 15: 15, 0, 1, ... 5. */
	for (uint64_t k = 1; k <= 7; k++)
		bad_tab_insert(&t, k)->val = 10 * k;
	CHECK_EQ(t.count, 7);
	CHECK_EQ(t.slot[15].key, 1);
	CHECK_EQ(t.slot[0].key, 2);
	/* Removing from the middle of the run keeps the rest reachable. */
	bad_tab_remove(&t, bad_tab_find(&t, 3));
	bad_tab_remove(&t, bad_tab_find(&t, 1));
	CHECK_EQ(t.count, 5);
	CHECK(bad_tab_find(&t, 1) == NULL);
	CHECK(bad_tab_find(&t, 3) == NULL);
	for (uint64_t k = 2; k <= 7; k++) {
		const struct ent *e = bad_tab_find(&t, k);

		if (k == 3)
			continue;
		CHECK(e != NULL);
		if (e)
			CHECK_EQ(e->val, 10 * k);
	}
	/* The run moved back: it starts at the home slot again. */
	CHECK_EQ(t.slot[15].key, 2);
	for (uint32_t i = 0; i <= t.mask; i++)
		seen += bad_tab_used(&t, &t.slot[i]);
	CHECK_EQ(seen, 5);
	bad_tab_destroy(&t);
}

TEST(htab_reset_is_generation_and_wraps)
{
	struct good_tab t;

	CHECK_EQ(good_tab_init(&t, 64), 0);
	good_tab_insert(&t, 42)->val = 1;
	good_tab_reset(&t);
	CHECK_EQ(t.count, 0);
	CHECK(good_tab_find(&t, 42) == NULL);
	CHECK_EQ(t.gen, 2);
	/* The last generation before the counter wraps. */
	t.gen = UINT32_MAX;
	good_tab_insert(&t, 42)->val = 2;
	CHECK_EQ(good_tab_find(&t, 42)->val, 2);
	good_tab_reset(&t);
	CHECK_EQ(t.gen, 1);
	CHECK(good_tab_find(&t, 42) == NULL);
	/* Coming back to that generation does not bring the entry back. */
	t.gen = UINT32_MAX;
	CHECK(good_tab_find(&t, 42) == NULL);
	good_tab_destroy(&t);
}

/* htab_gen_begin(): sizes, slots kept or replaced, the generation. */
TEST(htab_gen_begin_sizes_and_generations)
{
	struct ent *slot = NULL;
	void *p = NULL;
	uint32_t mask = 0, gen = 0;

	/* First call: at least min slots, a power of two, zeroed. */
	CHECK_EQ(htab_gen_begin(&p, &mask, &gen, sizeof(*slot), 3, 16), 0);
	slot = p;
	CHECK(slot != NULL);
	CHECK_EQ(mask, 15);
	CHECK_EQ(gen, 1);
	CHECK_EQ(slot[15].gen, 0);
	slot[3].gen = gen;
	/* Enough slots for 8 (16 >= 2 * 8): kept, a new generation. */
	CHECK_EQ(htab_gen_begin(&p, &mask, &gen, sizeof(*slot), 8, 16), 0);
	CHECK(p == slot);
	CHECK_EQ(mask, 15);
	CHECK_EQ(gen, 2);
	CHECK_EQ(slot[3].gen, 1);
	/* 9 need 18: 32 new slots, zeroed, generation 1 again. */
	CHECK_EQ(htab_gen_begin(&p, &mask, &gen, sizeof(*slot), 9, 16), 0);
	slot = p;
	CHECK_EQ(mask, 31);
	CHECK_EQ(gen, 1);
	CHECK_EQ(slot[3].gen, 0);
	/* The generation wraps: every stamp cleared, never 0 in use. */
	slot[5].gen = UINT32_MAX;
	gen = UINT32_MAX;
	CHECK_EQ(htab_gen_begin(&p, &mask, &gen, sizeof(*slot), 1, 16), 0);
	CHECK(p == slot);
	CHECK_EQ(gen, 1);
	CHECK_EQ(slot[5].gen, 0);
	/* Too many: refused, nothing changed. */
	CHECK_EQ(htab_gen_begin(&p, &mask, &gen, sizeof(*slot),
				UINT32_MAX / 2, 16), -ENOMEM);
	CHECK(p == slot);
	CHECK_EQ(mask, 31);
	CHECK_EQ(gen, 1);
	free(p);
}

TEST(htab_copy)
{
	struct good_tab a, b;

	CHECK_EQ(good_tab_init(&a, 4), 0);
	CHECK_EQ(good_tab_init(&b, 4), 0);
	for (uint64_t k = 1; k <= 20; k++)
		good_tab_insert(&a, k)->val = k * k;
	CHECK_EQ(good_tab_copy(&b, &a), 0);
	CHECK_EQ(b.count, 20);
	CHECK_EQ(b.mask, a.mask);
	CHECK(b.slot != a.slot);
	for (uint64_t k = 1; k <= 20; k++)
		CHECK_EQ(good_tab_find(&b, k)->val, k * k);
	/* An empty source empties the copy. */
	good_tab_reset(&a);
	CHECK_EQ(good_tab_copy(&b, &a), 0);
	CHECK_EQ(b.count, 0);
	CHECK(good_tab_find(&b, 5) == NULL);
	good_tab_destroy(&a);
	good_tab_destroy(&b);
}

/* Every slot in use lies in [lo, hi] (checkpoint.c scans only that):
 * exactly the used slots' bounds after inserts (the wrapping probe run
 * included), a superset after removals, nothing after a reset or the
 * last removal, the source's after a copy and after a grow. */
static void check_span(const struct bad_tab *t, bool exact)
{
	uint32_t lo = UINT32_MAX, hi = 0;

	for (uint32_t i = 0; i <= t->mask; i++)
		if (bad_tab_used(t, &t->slot[i])) {
			lo = i < lo ? i : lo;
			hi = i > hi ? i : hi;
		}
	if (!t->count) {
		CHECK(t->lo > t->hi);
		return;
	}
	CHECK(t->lo <= lo && hi <= t->hi);
	if (exact) {
		CHECK_EQ(t->lo, lo);
		CHECK_EQ(t->hi, hi);
	}
}

TEST(htab_span_holds_every_used_slot)
{
	struct bad_tab t, c = {0};

	CHECK_EQ(bad_tab_init(&t, 16), 0);
	check_span(&t, true);
	/* bad_hash: the run starts at the last slot and wraps to 0, 1. */
	for (uint64_t k = 1; k <= 3; k++)
		CHECK(bad_tab_insert(&t, k) != NULL);
	CHECK_EQ(t.lo, 0);
	CHECK_EQ(t.hi, 15);
	check_span(&t, true);
	/* Removals move entries back into slots in use: still a bound. */
	bad_tab_remove(&t, bad_tab_find(&t, 1));
	check_span(&t, false);
	CHECK_EQ(bad_tab_copy(&c, &t), 0);
	CHECK_EQ(c.lo, t.lo);
	CHECK_EQ(c.hi, t.hi);
	bad_tab_remove(&t, bad_tab_find(&t, 2));
	bad_tab_remove(&t, bad_tab_find(&t, 3));
	check_span(&t, true);
	/* Past a grow (more than half full): the new slots' bounds. */
	for (uint64_t k = 1; k <= 12; k++)
		CHECK(bad_tab_insert(&t, k) != NULL);
	CHECK_EQ(t.mask, 31);
	check_span(&t, true);
	bad_tab_reset(&t);
	check_span(&t, true);
	CHECK(t.lo > t.hi);
	bad_tab_destroy(&t);
	bad_tab_destroy(&c);
}
