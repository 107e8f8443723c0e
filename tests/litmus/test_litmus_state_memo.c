/*
 * tests/litmus/test_litmus_state_memo.c - the set of final states a
 * litmus search has counted, by raw words (src/litmus/state_memo.c): a
 * key is new once, held from then on; keys that differ in any word
 * (the last one included) are different; growing the table keeps every
 * key; a freed memo is empty again.
 */
#include <stdint.h>

#include "harness.h"
#include "litmus/state_memo.h"

TEST(litmus_state_memo_new_then_held)
{
	struct state_memo sm;
	uint64_t a[3] = {1, 2, 3}, b[3] = {1, 2, 4}, c[3] = {0, 2, 3};

	state_memo_init(&sm, 3);
	CHECK_EQ(state_memo_add(&sm, a), 0);
	CHECK_EQ(state_memo_add(&sm, a), 1);
	/* A difference in the last word or the first is a new key. */
	CHECK_EQ(state_memo_add(&sm, b), 0);
	CHECK_EQ(state_memo_add(&sm, c), 0);
	CHECK_EQ(state_memo_add(&sm, b), 1);
	CHECK_EQ(state_memo_add(&sm, c), 1);
	CHECK_EQ(sm.n, 3);
	state_memo_free(&sm);
	/* Freed: empty, the same key size, usable again. */
	CHECK_EQ(sm.n, 0);
	CHECK_EQ(sm.words, 3);
	CHECK_EQ(state_memo_add(&sm, a), 0);
	CHECK_EQ(state_memo_add(&sm, a), 1);
	state_memo_free(&sm);
}

TEST(litmus_state_memo_growth_keeps_every_key)
{
	struct state_memo sm;
	uint64_t k[2];

	state_memo_init(&sm, 2);
	/* Past several doublings of the table (64 slots at first). */
	for (uint64_t i = 0; i < 1000; i++) {
		k[0] = i % 7;
		k[1] = i;
		CHECK_EQ(state_memo_add(&sm, k), 0);
	}
	CHECK_EQ(sm.n, 1000);
	CHECK(sm.cap >= 2000);
	for (uint64_t i = 0; i < 1000; i++) {
		k[0] = i % 7;
		k[1] = i;
		CHECK_EQ(state_memo_add(&sm, k), 1);
		/* The same words in another arrangement: not held. */
		k[0] = i;
		k[1] = i % 7;
		if (i != i % 7) {
			CHECK_EQ(state_memo_add(&sm, k), 0);
		}
	}
	state_memo_free(&sm);
}

TEST(litmus_state_memo_zero_words_is_one)
{
	struct state_memo sm;
	uint64_t z = 0;

	/* A test with no observable, no fault atom and no symbol still
	 * has one word (the fault atoms'): 0 words is taken as 1. */
	state_memo_init(&sm, 0);
	CHECK_EQ(sm.words, 1);
	CHECK_EQ(state_memo_add(&sm, &z), 0);
	CHECK_EQ(state_memo_add(&sm, &z), 1);
	state_memo_free(&sm);
}
