/*
 * tests/model/test_cache_restore.c - cache_restore() (src/model/
 * cache.c): after random accesses, maintenance and page zeroing, a
 * restore from the snapshot's cache leaves exactly the snapshot's lines
 * (state and other copy of every line, and nothing else), whether it
 * undoes the logged changes, copies everything (another snapshot, a log
 * that overflowed, a reset in between) or mixes them over many rounds.
 */
#include "../harness.h"

#include "model/cache.h"
#include "../xorshift.h"

#define BASE 0x80000000ull
#define SIZE 0x40000ull /* 256 KiB: 4096 lines */

static uint64_t rng = 0x243f6a8885a308d3ull;

static uint64_t rnd(void)
{
	return xorshift64(&rng);
}

/* Random traffic: n operations on the first `lines` lines. */
static void traffic(struct vmsa_cache *c, struct vmsa_mem *m, unsigned n,
		    unsigned lines)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t pa = BASE + (rnd() % lines) * CACHE_LINE_SIZE +
			      8 * (rnd() % 8);
		uint64_t v;

		switch (rnd() % 8) {
		case 0: case 1: case 2:
			cache_write(c, m, pa, 8, true, rnd());
			break;
		case 3: case 4:
			cache_write(c, m, pa, 8, false, rnd() % 4);
			break;
		case 5:
			cache_maint(c, m, (enum cache_op)(rnd() % 3), pa);
			break;
		case 6:
			cache_read(c, m, pa, 8, rnd() & 1, &v);
			break;
		default:
			if (rnd() % 16 == 0)
				cache_page_zeroed(c, pa & ~(uint64_t)
						  (MEM_PAGE_SIZE - 1),
						  MEM_PAGE_SIZE);
			else if (rnd() % 64 == 0)
				cache_page_zeroed(c, BASE, SIZE / 2);
			break;
		}
	}
}

/* c holds exactly the lines of want, with the same contents. */
static void same_lines(const struct vmsa_cache *c,
		       const struct vmsa_cache *want)
{
	CHECK_EQ(c->lines.count, want->lines.count);
	for (uint32_t i = 0; i <= want->lines.mask; i++) {
		const struct cache_line *w = &want->lines.slot[i], *g;

		if (!cache_lines_used(&want->lines, w))
			continue;
		g = cache_lines_find(&c->lines, w->key);
		CHECK(g != NULL);
		if (!g)
			continue;
		CHECK_EQ(g->state, w->state);
		CHECK(!memcmp(g->other, w->other, CACHE_LINE_SIZE));
	}
}

TEST(cache_restore_undoes_every_change)
{
	struct vmsa_mem m;
	struct vmsa_cache c, snap, other;
	unsigned undone = 0;

	CHECK_EQ(mem_init(&m, BASE, SIZE), 0);
	CHECK_EQ(cache_init(&c), 0);
	CHECK_EQ(cache_init(&snap), 0);
	CHECK_EQ(cache_init(&other), 0);
	/* The snapshot: many out-of-sync lines (the set-up). */
	traffic(&c, &m, 3000, 2048);
	CHECK_EQ(cache_copy(&snap, &c), 0);
	CHECK(snap.lines.count > 200);
	CHECK_EQ(cache_copy(&other, &c), 0);
	traffic(&other, &m, 200, 2048);
	for (unsigned round = 0; round < 300; round++) {
		unsigned kind = (unsigned)(rnd() % 10);
		bool logged = c.base == 1 && !c.log_full;

		if (kind == 0) {
			/* Another snapshot in between: then back. */
			CHECK_EQ(cache_restore(&c, &other, 2), 0);
			same_lines(&c, &other);
		} else if (kind == 1) {
			cache_reset(&c);
		}
		/* Few changes mostly; now and then more than the log holds. */
		traffic(&c, &m, kind == 2 ? 20000 : (unsigned)(rnd() % 40),
			kind == 2 ? 4096 : 2048);
		logged = c.base == 1 && !c.log_full;
		CHECK_EQ(cache_restore(&c, &snap, 1), 0);
		same_lines(&c, &snap);
		undone += logged;
	}
	/* Both ways were taken. */
	CHECK(undone > 100);
	CHECK(undone < 300);
	cache_destroy(&other);
	cache_destroy(&snap);
	cache_destroy(&c);
	mem_destroy(&m);
}
