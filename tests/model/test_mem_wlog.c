/*
 * tests/model/test_mem_wlog.c - memory's word log (src/model/mem.c): the
 * words the model's stores changed since the last load or reset. A store
 * (mem_write, mem_store_ptr) lists its aligned word, a repeat of the
 * last word once; a pointer handed out (mem_ptr, mem_host_ptr) or an
 * allocation makes its page unlogged instead; a full log says so; a load
 * or reset starts a new log, and a snapshot taken of an unlogged page
 * does not keep it unlogged. The invariant the speculative AF scan
 * relies on (af_memo_cands_logged): after any traffic, a page that
 * mem_page_logged() accepts differs from what the load left only in
 * listed words.
 */
#include <stdlib.h>
#include <string.h>

#include "../harness.h"

#include "model/mem.h"

#define BASE 0x40000000ull
#define SIZE 0x100000ull /* 1 MiB: 256 pages */

#include "mem_traffic.h"

static bool listed(const struct vmsa_mem *m, uint64_t word)
{
	for (uint32_t i = 0; i < m->nwlog; i++)
		if (m->wlog[i] == word)
			return true;
	return false;
}

TEST(mem_wlog_lists_stores)
{
	struct vmsa_mem m;
	uint64_t pa;
	uint8_t *p;

	CHECK_EQ(mem_init(&m, BASE, SIZE), 0);
	pa = mem_alloc(&m, 2, 1);
	CHECK(pa != VMSA_BAD_PA);
	/* Allocated (and cleared): unlogged. */
	CHECK(!mem_page_logged(&m, pa));
	mem_reset(&m);
	CHECK_EQ(m.nwlog, 0);
	CHECK(mem_page_logged(&m, BASE));
	/* A 4-byte store at +0xc lists the word at +8; its repeat and a
	 * store to the other half of the word, right after, are one
	 * entry; a later store to it again is another. */
	mem_write(&m, BASE + 0xc, 4, 1);
	mem_write(&m, BASE + 0xc, 4, 2);
	mem_write(&m, BASE + 0x8, 4, 3);
	p = mem_store_ptr(&m, BASE + 0x1000, 8);
	CHECK(p == m.bytes + 0x1000);
	mem_write(&m, BASE + 0x8, 8, 4);
	CHECK_EQ(m.nwlog, 3);
	CHECK_EQ(m.wlog[0], BASE + 0x8);
	CHECK_EQ(m.wlog[1], BASE + 0x1000);
	CHECK_EQ(m.wlog[2], BASE + 0x8);
	CHECK(mem_page_logged(&m, BASE));
	CHECK(mem_page_logged(&m, BASE + 0x1000));
	/* A pointer handed out: its page only is unlogged. */
	(void)mem_ptr(&m, BASE + 0x1008);
	CHECK(!mem_page_logged(&m, BASE + 0x1000));
	CHECK(mem_page_logged(&m, BASE));
	/* Host code's pointer: unlogged (exposed) too. */
	(void)mem_host_ptr(&m, BASE + 0x2000);
	CHECK(!mem_page_logged(&m, BASE + 0x2000));
	mem_reset(&m);
	CHECK_EQ(m.nwlog, 0);
	CHECK(mem_page_logged(&m, BASE + 0x1000));
	mem_destroy(&m);
}

TEST(mem_wlog_full_and_load)
{
	struct vmsa_mem m;
	struct mem_snap s;

	CHECK_EQ(mem_init(&m, BASE, SIZE), 0);
	/* Set-up: a pointer into page 1 (unlogged) and a store. */
	*(uint64_t *)mem_ptr(&m, BASE + 0x1000) = 7;
	mem_write(&m, BASE, 8, 9);
	CHECK(!mem_page_logged(&m, BASE + 0x1000));
	CHECK_EQ(mem_save(&m, &s), 0);
	mem_load(&m, &s);
	/* As loaded: nothing changed, every page logged. */
	CHECK_EQ(m.nwlog, 0);
	CHECK(mem_page_logged(&m, BASE + 0x1000));
	for (unsigned i = 0; i < MEM_WLOG_MAX; i++)
		mem_write(&m, BASE + 8ull * i, 8, i);
	CHECK_EQ(m.nwlog, MEM_WLOG_MAX);
	CHECK(!m.wlog_full);
	CHECK(mem_page_logged(&m, BASE + 0x3000));
	/* One more word: the log cannot say, for any page. */
	mem_write(&m, BASE + 8ull * MEM_WLOG_MAX, 8, 1);
	CHECK(m.wlog_full);
	CHECK(!mem_page_logged(&m, BASE + 0x3000));
	/* The incremental load starts a new log. */
	mem_load(&m, &s);
	CHECK_EQ(m.nwlog, 0);
	CHECK(!m.wlog_full);
	CHECK(mem_page_logged(&m, BASE));
	CHECK_EQ(mem_read(&m, BASE, 8), 9);
	CHECK_EQ(mem_read(&m, BASE + 0x1000, 8), 7);
	mem_snap_free(&s);
	mem_destroy(&m);
}

static uint64_t rng = 0x243f6a8885a308d3ull;

TEST(mem_wlog_logged_pages_differ_only_in_listed_words)
{
	struct vmsa_mem m;
	struct mem_snap s;
	uint8_t *before = malloc(SIZE);
	unsigned logged_changed = 0;

	CHECK(before != NULL);
	CHECK_EQ(mem_init(&m, BASE, SIZE), 0);
	mem_traffic(&m, &rng, 300);
	CHECK_EQ(mem_save(&m, &s), 0);
	for (unsigned round = 0; round < 200; round++) {
		mem_load(&m, &s);
		memcpy(before, m.bytes, SIZE);
		/* Few stores (the log holds them) or many (it does not). */
		mem_traffic(&m, &rng,
			    (unsigned)(xorshift64(&rng) % (round % 5 ? 20 : 120)));
		for (uint64_t off = 0; off < SIZE; off += 8) {
			if (!mem_page_logged(&m, BASE + off) ||
			    !memcmp(before + off, m.bytes + off, 8))
				continue;
			CHECK(listed(&m, BASE + off));
			logged_changed++;
		}
	}
	/* The test saw logged pages change (it can fail). */
	CHECK(logged_changed > 100);
	mem_snap_free(&s);
	mem_destroy(&m);
	free(before);
}
