/*
 * tests/util/test_vec.c - the growable array helper (src/util/vec.h):
 * growth keeps every element, capacities double from VEC_MIN_CAP,
 * emptying keeps the memory, impossible sizes fail without a change.
 */
#include "../harness.h"

#include <stdint.h>

#include "util/vec.h"

struct big {
	uint64_t a, b, c;
};

VEC_DEFINE(u64_vec, uint64_t)
VEC_DEFINE(big_vec, struct big)

TEST(vec_push_keeps_every_element_in_order)
{
	struct u64_vec v = {0};

	for (uint64_t i = 0; i < 1000; i++)
		CHECK_EQ(u64_vec_push(&v, i * 3), 0);
	CHECK_EQ(v.n, 1000);
	/* 16, 32, ..., 1024 */
	CHECK_EQ(v.cap, 1024);
	for (unsigned i = 0; i < v.n; i++)
		if (v.p[i] != i * 3ull)
			CHECK_EQ(v.p[i], i * 3ull);
	u64_vec_free(&v);
	CHECK(v.p == NULL);
	CHECK_EQ(v.n, 0);
	CHECK_EQ(v.cap, 0);
}

TEST(vec_capacity_starts_at_min_and_doubles)
{
	struct big_vec v = {0};

	CHECK_EQ(big_vec_push(&v, (struct big){1, 2, 3}), 0);
	CHECK_EQ(v.cap, VEC_MIN_CAP);
	CHECK_EQ(big_vec_reserve(&v, 17), 0);
	CHECK_EQ(v.cap, 32);
	CHECK_EQ(big_vec_reserve(&v, 100), 0);
	CHECK_EQ(v.cap, 128);
	/* Enough room already: nothing moves. */
	struct big *p = v.p;
	CHECK_EQ(big_vec_reserve(&v, 128), 0);
	CHECK(v.p == p);
	CHECK_EQ(v.p[0].c, 3);
	big_vec_free(&v);
}

TEST(vec_emptying_keeps_memory)
{
	struct u64_vec v = {0};

	for (unsigned i = 0; i < 40; i++)
		CHECK_EQ(u64_vec_push(&v, i), 0);
	uint64_t *p = v.p;
	v.n = 0;
	for (unsigned i = 0; i < 40; i++)
		CHECK_EQ(u64_vec_push(&v, 7), 0);
	CHECK(v.p == p);
	CHECK_EQ(v.cap, 64);
	CHECK_EQ(v.p[39], 7);
	u64_vec_free(&v);
}

TEST(vec_impossible_size_fails_unchanged)
{
	struct big_vec v = {0};

	CHECK_EQ(big_vec_push(&v, (struct big){4, 5, 6}), 0);
	/* More elements than an unsigned counts, and more bytes than a
	 * size_t holds: both refused, the vector as it was. */
	CHECK_EQ(big_vec_reserve(&v, (size_t)UINT_MAX + 1), -ENOMEM);
	CHECK_EQ(big_vec_reserve(&v, SIZE_MAX), -ENOMEM);
	CHECK_EQ(v.n, 1);
	CHECK_EQ(v.cap, VEC_MIN_CAP);
	CHECK_EQ(v.p[0].b, 5);
	CHECK_EQ(vec_next_cap(0, 1, 1), VEC_MIN_CAP);
	CHECK_EQ(vec_next_cap(16, 17, 8), 32);
	/* Doubling past the largest count stops at the largest count. */
	CHECK_EQ(vec_next_cap((size_t)UINT_MAX / 2 + 1, (size_t)UINT_MAX / 2 + 2,
			      1), UINT_MAX);
	CHECK_EQ(vec_next_cap(0, SIZE_MAX / 8 + 1, 8), 0);
	big_vec_free(&v);
}
