/*
 * tests/model/test_entry_set.c - the set of translation table entries
 * behind table_same()'s one question per distinct held entry
 * (src/model/entry_set.c): over resets and growth it holds exactly the
 * entries put in since the last reset, telling apart entries that differ
 * in value, level or input address alone.
 */
#include "../harness.h"

#include <string.h>

#include "model/entry_set.h"

static uint64_t rng = 0x6a09e667f3bcc908ull;

static unsigned rnd(unsigned n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (unsigned)((rng * 0x2545f4914f6cdd1dull) >> 33) % n;
}

/* An entry of a key space where each field varies on its own. */
static vmsa_bbm_entry_t entry(void)
{
	vmsa_bbm_entry_t e;

	memset(&e, 0, sizeof(e));
	e.desc = 0x40000000703ull + (uint64_t)rnd(8) * 0x1000;
	e.level = 1 + (int)rnd(3);
	e.ia = (uint64_t)rnd(8) << 21;
	return e;
}

static bool same(const vmsa_bbm_entry_t *a, const vmsa_bbm_entry_t *b)
{
	return a->desc == b->desc && a->level == b->level && a->ia == b->ia;
}

TEST(entry_set_agrees_with_a_list)
{
	static vmsa_bbm_entry_t list[512];
	struct entry_set s;
	unsigned bad = 0, hits = 0;

	memset(&s, 0, sizeof(s));
	for (unsigned round = 0; round < 400; round++) {
		/* Room for a few to a few hundred entries: growth included. */
		unsigned room = 1 + rnd(round % 4 == 0 ? 500 : 40), n = 0;

		CHECK(entry_set_reset(&s, room));
		for (unsigned i = 0; i < 4 * room; i++) {
			vmsa_bbm_entry_t e = entry();
			struct entry_slot *x = entry_set_find(&s, &e);
			bool in = false;

			for (unsigned k = 0; k < n && !in; k++)
				in = same(&list[k], &e);
			bad += entry_set_used(&s, x) != in;
			hits += in;
			if (!in && n < room) {
				entry_set_put(&s, x, &e);
				list[n++] = e;
			}
		}
	}
	CHECK_EQ(bad, 0);
	CHECK(hits > 10000);
	entry_set_free(&s);
	CHECK(s.slot == NULL);
}

/*
 * Half full (64 entries in 128 slots: the most a reset allows), every key
 * of the 192 asked: probe runs are long, so an absent key's run often
 * passes a present one that differs from it in one field alone, which
 * must not be taken for it.
 */
TEST(entry_set_half_full)
{
	struct entry_set s;
	unsigned bad = 0;

	memset(&s, 0, sizeof(s));
	for (unsigned round = 0; round < 200; round++) {
		bool in[8][3][8];
		unsigned n = 0;

		memset(in, 0, sizeof(in));
		CHECK(entry_set_reset(&s, 64));
		CHECK_EQ(s.mask + 1, 128);
		while (n < 64) {
			vmsa_bbm_entry_t e = entry();
			struct entry_slot *x = entry_set_find(&s, &e);

			if (entry_set_used(&s, x))
				continue;
			entry_set_put(&s, x, &e);
			in[(e.desc >> 12) & 7][e.level - 1][e.ia >> 21] = true;
			n++;
		}
		for (unsigned d = 0; d < 8; d++)
			for (int l = 1; l <= 3; l++)
				for (unsigned a = 0; a < 8; a++) {
					vmsa_bbm_entry_t e = {
						0x40000000703ull + d * 0x1000ull,
						l, (uint64_t)a << 21};

					bad += entry_set_used(
						       &s, entry_set_find(&s, &e)) !=
					       in[d][l - 1][a];
				}
	}
	CHECK_EQ(bad, 0);
	entry_set_free(&s);
}
