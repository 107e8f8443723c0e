/*
 * tests/model/test_cache.c - the coherent cache and the Point of
 * Coherency (src/model/cache.c): every transition of a line with the
 * exact bytes returned and the exact event, the maintenance operations
 * (DC CVAC, CIVAC, IVAC), partial-line accesses, page zeroing, a table
 * with many lines, and reset.
 */
#include "../harness.h"

#include "model/cache.h"

#define BASE 0x80000000ull
#define SIZE 0x200000ull /* 2 MiB: 32768 lines */
#define L (BASE + 0x1000) /* a line */
#define C true		  /* cacheable */
#define NC false	  /* non-cacheable, Device or MMU off */

struct fix {
	struct vmsa_mem m;
	struct vmsa_cache c;
};

static void setup(struct fix *f)
{
	int rc = mem_init(&f->m, BASE, SIZE);

	CHECK_EQ(rc, 0);
	rc = cache_init(&f->c);
	CHECK_EQ(rc, 0);
}

static void teardown(struct fix *f)
{
	cache_destroy(&f->c);
	mem_destroy(&f->m);
}

/* Read and return the value; the event goes to *ev. */
static uint64_t rd(struct fix *f, uint64_t pa, unsigned size, bool cacheable,
		   int *ev)
{
	uint64_t v = 0xbadbadbadull;

	*ev = cache_read(&f->c, &f->m, pa, size, cacheable, &v);
	return v;
}

static int wr(struct fix *f, uint64_t pa, unsigned size, bool cacheable,
	      uint64_t v)
{
	return cache_write(&f->c, &f->m, pa, size, cacheable, v);
}

static int state(struct fix *f, uint64_t pa)
{
	return cache_line_state(&f->c, pa);
}

TEST(cache_in_sync_lines_report_nothing)
{
	struct fix f;
	int ev;

	setup(&f);
	CHECK_EQ(rd(&f, L, 8, C, &ev), 0);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(rd(&f, L, 8, NC, &ev), 0);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(state(&f, L), CACHE_LINE_IN_SYNC);
	/* Cacheable accesses alone never disagree with themselves. */
	CHECK_EQ(wr(&f, L, 8, C, 1), CACHE_OK);
	CHECK_EQ(wr(&f, L, 8, C, 2), CACHE_OK);
	CHECK_EQ(rd(&f, L, 8, C, &ev), 2);
	CHECK_EQ(ev, CACHE_OK);
	/* Non-cacheable accesses alone neither. */
	CHECK_EQ(wr(&f, L + 0x40, 8, NC, 3), CACHE_OK);
	CHECK_EQ(wr(&f, L + 0x40, 8, NC, 4), CACHE_OK);
	CHECK_EQ(rd(&f, L + 0x40, 8, NC, &ev), 4);
	CHECK_EQ(ev, CACHE_OK);
	teardown(&f);
}

/* The story of ARCH-RULES.md section 7: the host writes a page through
 * a cacheable mapping, a guest with its MMU off reads it at the PoC. */
TEST(cache_mmu_off_guest_reads_stale_poc)
{
	struct fix f;
	int ev;

	setup(&f);
	CHECK_EQ(wr(&f, L, 8, C, 0x1234), CACHE_OK);
	CHECK_EQ(state(&f, L), CACHE_LINE_DIRTY);
	CHECK_EQ(rd(&f, L, 8, NC, &ev), 0);
	CHECK_EQ(ev, CACHE_DIRTY_NC_READ);
	/* The writer still sees its data; the read changed nothing. */
	CHECK_EQ(rd(&f, L, 8, C, &ev), 0x1234);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(state(&f, L), CACHE_LINE_DIRTY);
	CHECK_EQ(mem_read(&f.m, L, 8), 0x1234);

	CHECK_EQ(cache_maint(&f.c, &f.m, CACHE_CVAC, L + 0x3f),
		 CACHE_LINE_DIRTY);
	CHECK_EQ(state(&f, L), CACHE_LINE_IN_SYNC);
	CHECK_EQ(rd(&f, L, 8, NC, &ev), 0x1234);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(rd(&f, L, 8, C, &ev), 0x1234);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(cache_lines_out_of_sync(&f.c), 0);
	teardown(&f);
}

TEST(cache_civac_cleans_dirty)
{
	struct fix f;
	int ev;

	setup(&f);
	CHECK_EQ(wr(&f, L + 8, 4, C, 0xcafe), CACHE_OK);
	CHECK_EQ(cache_maint(&f.c, &f.m, CACHE_CIVAC, L), CACHE_LINE_DIRTY);
	CHECK_EQ(state(&f, L), CACHE_LINE_IN_SYNC);
	CHECK_EQ(rd(&f, L + 8, 4, NC, &ev), 0xcafe);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(rd(&f, L + 8, 4, C, &ev), 0xcafe);
	CHECK_EQ(ev, CACHE_OK);
	teardown(&f);
}

TEST(cache_ivac_discards_dirty)
{
	struct fix f;
	int ev;

	setup(&f);
	CHECK_EQ(wr(&f, L, 8, NC, 0x77), CACHE_OK); /* PoC: 0x77 */
	CHECK_EQ(cache_maint(&f.c, &f.m, CACHE_CIVAC, L), CACHE_LINE_STALE);
	CHECK_EQ(wr(&f, L, 8, C, 0x1234), CACHE_OK);
	CHECK_EQ(wr(&f, L + 0x38, 8, C, 0x99), CACHE_OK);
	CHECK_EQ(cache_maint(&f.c, &f.m, CACHE_IVAC, L + 0x20),
		 CACHE_LINE_DIRTY);
	CHECK_EQ(state(&f, L), CACHE_LINE_IN_SYNC);
	/* The cached data is gone: both paths see the PoC's. */
	CHECK_EQ(rd(&f, L, 8, C, &ev), 0x77);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(rd(&f, L, 8, NC, &ev), 0x77);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(rd(&f, L + 0x38, 8, C, &ev), 0);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(mem_read(&f.m, L + 0x38, 8), 0);
	teardown(&f);
}

/* A non-cacheable write (a device, a guest with the MMU off) updates
 * the PoC under a possibly cached line; a cacheable read then hits the
 * stale copy. */
TEST(cache_nc_write_then_cacheable_read_is_stale)
{
	struct fix f;
	int ev;

	setup(&f);
	CHECK_EQ(wr(&f, L, 8, NC, 0xabcd), CACHE_OK);
	CHECK_EQ(state(&f, L), CACHE_LINE_STALE);
	CHECK_EQ(rd(&f, L, 8, C, &ev), 0);
	CHECK_EQ(ev, CACHE_STALE_READ);
	CHECK_EQ(rd(&f, L, 8, NC, &ev), 0xabcd);
	CHECK_EQ(ev, CACHE_OK);
	/* A further non-cacheable write keeps the old cached copy. */
	CHECK_EQ(wr(&f, L, 8, NC, 0xabce), CACHE_OK);
	CHECK_EQ(rd(&f, L, 8, C, &ev), 0);
	CHECK_EQ(ev, CACHE_STALE_READ);

	/* A clean does not help: the stale line is clean. */
	CHECK_EQ(cache_maint(&f.c, &f.m, CACHE_CVAC, L), CACHE_LINE_STALE);
	CHECK_EQ(state(&f, L), CACHE_LINE_STALE);
	CHECK_EQ(rd(&f, L, 8, C, &ev), 0);
	CHECK_EQ(ev, CACHE_STALE_READ);

	/* An invalidate does. */
	CHECK_EQ(cache_maint(&f.c, &f.m, CACHE_IVAC, L), CACHE_LINE_STALE);
	CHECK_EQ(state(&f, L), CACHE_LINE_IN_SYNC);
	CHECK_EQ(rd(&f, L, 8, C, &ev), 0xabce);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(mem_read(&f.m, L, 8), 0xabce);
	teardown(&f);
}

TEST(cache_civac_drops_stale)
{
	struct fix f;
	int ev;

	setup(&f);
	CHECK_EQ(wr(&f, L + 0x10, 2, NC, 0x5555), CACHE_OK);
	CHECK_EQ(cache_maint(&f.c, &f.m, CACHE_CIVAC, L), CACHE_LINE_STALE);
	CHECK_EQ(state(&f, L), CACHE_LINE_IN_SYNC);
	CHECK_EQ(rd(&f, L + 0x10, 2, C, &ev), 0x5555);
	CHECK_EQ(ev, CACHE_OK);
	teardown(&f);
}

TEST(cache_maint_on_in_sync_line)
{
	struct fix f;
	int ev;

	setup(&f);
	mem_write(&f.m, L, 8, 5);
	CHECK_EQ(cache_maint(&f.c, &f.m, CACHE_CVAC, L), CACHE_LINE_IN_SYNC);
	CHECK_EQ(cache_maint(&f.c, &f.m, CACHE_CIVAC, L), CACHE_LINE_IN_SYNC);
	CHECK_EQ(cache_maint(&f.c, &f.m, CACHE_IVAC, L), CACHE_LINE_IN_SYNC);
	CHECK_EQ(rd(&f, L, 8, C, &ev), 5);
	CHECK_EQ(ev, CACHE_OK);
	teardown(&f);
}

/* Only the bytes an access touches decide. */
TEST(cache_partial_line_accesses)
{
	struct fix f;
	int ev;

	setup(&f);
	/* Dirty bytes 0..7; a non-cacheable read of bytes 8..15 is fine. */
	CHECK_EQ(wr(&f, L, 8, C, 0x1234), CACHE_OK);
	CHECK_EQ(rd(&f, L + 8, 8, NC, &ev), 0);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(rd(&f, L + 0x3f, 1, NC, &ev), 0);
	CHECK_EQ(ev, CACHE_OK);
	/* Byte 2 was written with 0 over 0: it agrees. */
	CHECK_EQ(rd(&f, L + 2, 2, NC, &ev), 0);
	CHECK_EQ(ev, CACHE_OK);
	/* Byte 1 (0x12) does not. */
	CHECK_EQ(rd(&f, L + 1, 1, NC, &ev), 0);
	CHECK_EQ(ev, CACHE_DIRTY_NC_READ);
	CHECK_EQ(rd(&f, L, 2, NC, &ev), 0);
	CHECK_EQ(ev, CACHE_DIRTY_NC_READ);
	CHECK_EQ(rd(&f, L, 1, NC, &ev), 0);
	CHECK_EQ(ev, CACHE_DIRTY_NC_READ);

	/* Stale bytes 0x20..0x23 of another line; reads elsewhere fine. */
	CHECK_EQ(wr(&f, L + 0x60, 4, NC, 0xfeedf00d), CACHE_OK);
	CHECK_EQ(rd(&f, L + 0x40, 8, C, &ev), 0);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(rd(&f, L + 0x64, 4, C, &ev), 0);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(rd(&f, L + 0x60, 8, C, &ev), 0);
	CHECK_EQ(ev, CACHE_STALE_READ);
	CHECK_EQ(rd(&f, L + 0x62, 2, C, &ev), 0);
	CHECK_EQ(ev, CACHE_STALE_READ);
	CHECK_EQ(rd(&f, L + 0x60, 8, NC, &ev), 0xfeedf00d);
	CHECK_EQ(ev, CACHE_OK);
	teardown(&f);
}

TEST(cache_dirty_read_mixes_nothing)
{
	struct fix f;
	int ev;

	setup(&f);
	/* PoC 0x1111 in bytes 0-1 (cleaned), then a cacheable write of byte
	 * 0: the PoC copy returned is exactly the PoC's bytes. */
	CHECK_EQ(wr(&f, L, 2, C, 0x1111), CACHE_OK);
	CHECK_EQ(cache_maint(&f.c, &f.m, CACHE_CVAC, L), CACHE_LINE_DIRTY);
	CHECK_EQ(wr(&f, L, 1, C, 0x22), CACHE_OK);
	CHECK_EQ(rd(&f, L, 2, NC, &ev), 0x1111);
	CHECK_EQ(ev, CACHE_DIRTY_NC_READ);
	CHECK_EQ(rd(&f, L, 2, C, &ev), 0x1122);
	CHECK_EQ(ev, CACHE_OK);
	teardown(&f);
}

TEST(cache_write_to_stale_line)
{
	struct fix f;
	int ev;

	setup(&f);
	CHECK_EQ(wr(&f, L, 8, NC, 0x55), CACHE_OK);
	/* The stale line's byte 0 is 0, the PoC's 0x55: writing bytes
	 * 8..15 cacheable means the write-back loses the 0x55. */
	CHECK_EQ(wr(&f, L + 8, 8, C, 0x66), CACHE_WRITE_TO_STALE);
	CHECK_EQ(state(&f, L), CACHE_LINE_DIRTY);
	/* Reported once; from now on the line is dirty against the PoC. */
	CHECK_EQ(rd(&f, L, 8, C, &ev), 0x55);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(rd(&f, L + 8, 8, C, &ev), 0x66);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(rd(&f, L, 8, NC, &ev), 0x55);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(rd(&f, L + 8, 8, NC, &ev), 0);
	CHECK_EQ(ev, CACHE_DIRTY_NC_READ);
	CHECK_EQ(wr(&f, L + 8, 8, C, 0x67), CACHE_OK);
	CHECK_EQ(cache_maint(&f.c, &f.m, CACHE_CVAC, L), CACHE_LINE_DIRTY);
	CHECK_EQ(rd(&f, L + 8, 8, NC, &ev), 0x67);
	CHECK_EQ(ev, CACHE_OK);
	teardown(&f);
}

TEST(cache_write_to_stale_over_the_same_bytes)
{
	struct fix f;
	int ev;

	setup(&f);
	/* The only stale bytes are rewritten: the write-back loses
	 * nothing the program has not overwritten itself. */
	CHECK_EQ(wr(&f, L, 8, NC, 0x55), CACHE_OK);
	CHECK_EQ(wr(&f, L, 8, C, 0x77), CACHE_OK);
	CHECK_EQ(state(&f, L), CACHE_LINE_DIRTY);
	CHECK_EQ(rd(&f, L, 8, C, &ev), 0x77);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(rd(&f, L, 8, NC, &ev), 0x55);
	CHECK_EQ(ev, CACHE_DIRTY_NC_READ);
	teardown(&f);
}

TEST(cache_nc_write_to_dirty_line)
{
	struct fix f;
	int ev;

	setup(&f);
	CHECK_EQ(wr(&f, L, 8, C, 0x1), CACHE_OK);
	/* Bytes 8..15 are 0 in the dirty line: its write-back would put
	 * them back over the 0x2. */
	CHECK_EQ(wr(&f, L + 8, 8, NC, 0x2), CACHE_NC_WRITE_TO_DIRTY);
	CHECK_EQ(state(&f, L), CACHE_LINE_DIRTY);
	/* Both copies now hold the 0x2; the dirty byte 0 stays dirty. */
	CHECK_EQ(rd(&f, L + 8, 8, NC, &ev), 0x2);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(rd(&f, L + 8, 8, C, &ev), 0x2);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(rd(&f, L, 8, NC, &ev), 0);
	CHECK_EQ(ev, CACHE_DIRTY_NC_READ);
	CHECK_EQ(rd(&f, L, 8, C, &ev), 0x1);
	CHECK_EQ(ev, CACHE_OK);
	teardown(&f);
}

TEST(cache_nc_write_of_the_cached_value_to_dirty_line)
{
	struct fix f;
	int ev;

	setup(&f);
	/* Writing what the dirty line already holds: the write-back puts
	 * back the same bytes, and the PoC now has them. */
	CHECK_EQ(wr(&f, L, 8, C, 0x1), CACHE_OK);
	CHECK_EQ(wr(&f, L, 8, NC, 0x1), CACHE_OK);
	CHECK_EQ(rd(&f, L, 8, NC, &ev), 0x1);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(state(&f, L), CACHE_LINE_DIRTY);
	teardown(&f);
}

TEST(cache_nc_write_that_changes_nothing_stays_in_sync)
{
	struct fix f;
	int ev;

	setup(&f);
	CHECK_EQ(wr(&f, L, 8, NC, 0), CACHE_OK);
	CHECK_EQ(state(&f, L), CACHE_LINE_IN_SYNC);
	CHECK_EQ(cache_lines_out_of_sync(&f.c), 0);
	/* But a cacheable write of the same value makes the line dirty: a
	 * later non-cacheable write under it is lost at write-back. */
	CHECK_EQ(wr(&f, L, 8, C, 0), CACHE_OK);
	CHECK_EQ(state(&f, L), CACHE_LINE_DIRTY);
	CHECK_EQ(wr(&f, L, 8, NC, 9), CACHE_NC_WRITE_TO_DIRTY);
	CHECK_EQ(rd(&f, L, 8, C, &ev), 9);
	CHECK_EQ(ev, CACHE_OK);
	teardown(&f);
}

TEST(cache_page_zeroed_drops_its_lines_only)
{
	struct fix f;
	uint64_t p = BASE, q = BASE + 0x1000;
	int ev;

	setup(&f);
	CHECK_EQ(mem_alloc(&f.m, 2, 1), BASE);
	CHECK_EQ(wr(&f, p, 8, C, 1), CACHE_OK);
	CHECK_EQ(wr(&f, p + 0xfc0, 8, NC, 2), CACHE_OK);
	CHECK_EQ(wr(&f, q, 8, C, 3), CACHE_OK);
	CHECK_EQ(cache_lines_out_of_sync(&f.c), 3);

	/* The page is freed and allocated again, zeroed in memory and at
	 * the PoC. */
	CHECK_EQ(mem_free(&f.m, p, 1), 0);
	CHECK_EQ(mem_alloc(&f.m, 1, 1), p);
	cache_page_zeroed(&f.c, p, MEM_PAGE_SIZE);
	CHECK_EQ(state(&f, p), CACHE_LINE_IN_SYNC);
	CHECK_EQ(state(&f, p + 0xfc0), CACHE_LINE_IN_SYNC);
	CHECK_EQ(rd(&f, p, 8, NC, &ev), 0);
	CHECK_EQ(ev, CACHE_OK);
	CHECK_EQ(rd(&f, p + 0xfc0, 8, C, &ev), 0);
	CHECK_EQ(ev, CACHE_OK);
	/* The neighbour page keeps its dirty line. */
	CHECK_EQ(state(&f, q), CACHE_LINE_DIRTY);
	CHECK_EQ(rd(&f, q, 8, NC, &ev), 0);
	CHECK_EQ(ev, CACHE_DIRTY_NC_READ);
	CHECK_EQ(cache_lines_out_of_sync(&f.c), 1);
	teardown(&f);
}

/* Zeroing 16 pages (1,024 lines, more than the table's 64 slots: the
 * table's entries are visited instead of the range's lines) drops the
 * lines of the range, several of them in one probe run, and no other. */
TEST(cache_range_zeroed_drops_its_lines_only)
{
	struct fix f;
	const uint64_t lo = BASE + 0x1000, size = 16 * MEM_PAGE_SIZE;
	static const uint64_t in[] = {0, 0x40, 0x80, 0x7fc0, 0xffc0};
	static const uint64_t out[] = {0x0, 0xfc0, 0x11000, 0x20000};

	setup(&f);
	for (unsigned i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		CHECK_EQ(wr(&f, lo + in[i], 8, C, i + 1), CACHE_OK);
	for (unsigned i = 0; i < sizeof(out) / sizeof(out[0]); i++)
		CHECK_EQ(wr(&f, BASE + out[i], 8, NC, i + 1), CACHE_OK);
	CHECK_EQ(cache_lines_out_of_sync(&f.c), 9);
	cache_page_zeroed(&f.c, lo, size);
	CHECK_EQ(cache_lines_out_of_sync(&f.c), 4);
	for (unsigned i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		CHECK_EQ(state(&f, lo + in[i]), CACHE_LINE_IN_SYNC);
	for (unsigned i = 0; i < sizeof(out) / sizeof(out[0]); i++)
		CHECK_EQ(state(&f, BASE + out[i]), CACHE_LINE_STALE);
	teardown(&f);
}

/* A line number for step i, scattered over memory in a fixed order. */
static uint64_t scattered_line(unsigned i)
{
	return BASE + (((uint64_t)i * 7919u) % (SIZE / CACHE_LINE_SIZE)) *
			      CACHE_LINE_SIZE;
}

TEST(cache_many_lines)
{
	enum { N = 20000 };
	struct fix f;
	unsigned bad = 0;
	int ev;

	setup(&f);
	/* 20000 distinct lines (7919 is prime to 32768): the table grows
	 * many times and probes collide. */
	for (unsigned i = 0; i < N; i++) {
		uint64_t pa = scattered_line(i);

		if (wr(&f, pa, 8, i % 2 ? C : NC, i + 1) != CACHE_OK)
			bad++;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(cache_lines_out_of_sync(&f.c), N);

	/* Clean and invalidate every third line, in yet another order. */
	for (unsigned i = 0; i < N; i += 3)
		cache_maint(&f.c, &f.m, CACHE_CIVAC, scattered_line(N - 1 - i));
	bad = 0;
	for (unsigned i = 0; i < N; i++) {
		uint64_t pa = scattered_line(i);
		bool gone = (N - 1 - i) % 3 == 0;
		int want = gone ? CACHE_LINE_IN_SYNC
				: i % 2 ? CACHE_LINE_DIRTY : CACHE_LINE_STALE;
		uint64_t v = rd(&f, pa, 8, i % 2 ? NC : C, &ev);

		if (state(&f, pa) != want)
			bad++;
		if (gone ? (ev != CACHE_OK || v != i + 1)
			 : (ev == CACHE_OK || v != 0))
			bad++;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(cache_lines_out_of_sync(&f.c), N - (N + 2) / 3);

	cache_reset(&f.c);
	CHECK_EQ(cache_lines_out_of_sync(&f.c), 0);
	bad = 0;
	for (unsigned i = 0; i < N; i++)
		if (state(&f, scattered_line(i)) != CACHE_LINE_IN_SYNC)
			bad++;
	CHECK_EQ(bad, 0);
	teardown(&f);
}

TEST(cache_reset_with_memory)
{
	struct fix f;
	int ev;

	setup(&f);
	for (int round = 0; round < 3; round++) {
		CHECK_EQ(wr(&f, L, 8, C, 0x1234), CACHE_OK);
		CHECK_EQ(wr(&f, L + 0x40, 8, NC, 0x99), CACHE_OK);
		CHECK_EQ(cache_lines_out_of_sync(&f.c), 2);
		cache_reset(&f.c);
		mem_reset(&f.m);
		CHECK_EQ(state(&f, L), CACHE_LINE_IN_SYNC);
		CHECK_EQ(state(&f, L + 0x40), CACHE_LINE_IN_SYNC);
		CHECK_EQ(rd(&f, L, 8, NC, &ev), 0);
		CHECK_EQ(ev, CACHE_OK);
		CHECK_EQ(rd(&f, L + 0x40, 8, C, &ev), 0);
		CHECK_EQ(ev, CACHE_OK);
	}
	teardown(&f);
}

TEST(cache_reset_generation_wraps)
{
	struct fix f;

	setup(&f);
	f.c.lines.gen = UINT32_MAX;
	CHECK_EQ(wr(&f, L, 8, C, 1), CACHE_OK);
	CHECK_EQ(state(&f, L), CACHE_LINE_DIRTY);
	cache_reset(&f.c);
	CHECK_EQ(f.c.lines.gen, 1);
	CHECK_EQ(state(&f, L), CACHE_LINE_IN_SYNC);
	/* The next generation must not bring the old entry back. */
	cache_reset(&f.c);
	f.c.lines.gen = UINT32_MAX;
	CHECK_EQ(state(&f, L), CACHE_LINE_IN_SYNC);
	teardown(&f);
}

TEST(cache_event_texts)
{
	static const enum cache_event evs[] = {
		CACHE_STALE_READ, CACHE_DIRTY_NC_READ, CACHE_WRITE_TO_STALE,
		CACHE_NC_WRITE_TO_DIRTY,
	};

	CHECK_STR(cache_event_text(CACHE_OK), "no loss of coherency");
	for (unsigned i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
		const char *t = cache_event_text(evs[i]);

		CHECK(t != NULL && strstr(t, "Point of Coherency") != NULL);
		for (unsigned j = 0; j < i; j++)
			CHECK(strcmp(t, cache_event_text(evs[j])) != 0);
	}
	CHECK_STR(cache_event_text((enum cache_event)99),
		  "unknown cache event");
}

/*
 * stale_seen (the read rule's condition, docs/model.md: "A read of an
 * older message another order gives"): false after reset and while lines
 * are only dirty; true once a line is stale, and it stays true when the
 * line is in sync again (maintenance); a copy carries it, a restore
 * takes the snapshot's value, and a reset clears it.
 */
TEST(cache_stale_seen)
{
	struct fix f;
	struct vmsa_cache snap;

	setup(&f);
	CHECK_EQ(cache_init(&snap), 0);
	CHECK(!f.c.stale_seen);
	CHECK_EQ(wr(&f, L, 8, C, 1), CACHE_OK);
	CHECK_EQ(state(&f, L), CACHE_LINE_DIRTY);
	CHECK(!f.c.stale_seen);
	CHECK_EQ(cache_copy(&snap, &f.c), 0);
	CHECK(!snap.stale_seen);
	/* A non-cacheable write to another line in sync: stale. */
	CHECK_EQ(wr(&f, L + 0x40, 8, NC, 2), CACHE_OK);
	CHECK_EQ(state(&f, L + 0x40), CACHE_LINE_STALE);
	CHECK(f.c.stale_seen);
	cache_maint(&f.c, &f.m, CACHE_CIVAC, L + 0x40);
	CHECK_EQ(state(&f, L + 0x40), CACHE_LINE_IN_SYNC);
	CHECK(f.c.stale_seen);
	/* The snapshot taken before it: a restore brings back false. */
	CHECK_EQ(cache_restore(&f.c, &snap, 1), 0);
	CHECK(!f.c.stale_seen);
	CHECK_EQ(wr(&f, L + 0x80, 8, NC, 3), CACHE_OK);
	CHECK(f.c.stale_seen);
	CHECK_EQ(cache_copy(&snap, &f.c), 0);
	CHECK(snap.stale_seen);
	cache_reset(&f.c);
	CHECK(!f.c.stale_seen);
	cache_destroy(&snap);
	teardown(&f);
}
