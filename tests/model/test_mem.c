/*
 * tests/model/test_mem.c - physical memory and the page allocator
 * (src/model/mem.c): set-up errors, allocation order and alignment,
 * zeroing, exhaustion, free errors, PA <-> pointer translation,
 * little-endian accesses and the cheap reset.
 */
#include "../harness.h"

#include <errno.h>

#include "model/mem.h"

#define BASE 0x40000000ull
#define SIZE 0x100000ull /* 1 MiB: 256 pages */
#define PG 4096ull

/* A fresh 1 MiB memory at BASE. */
static void setup(struct vmsa_mem *m)
{
	int rc = mem_init(m, BASE, SIZE);

	CHECK_EQ(rc, 0);
}

/* Whether every byte of memory is zero. */
static bool all_zero(const struct vmsa_mem *m)
{
	for (uint64_t i = 0; i < m->size; i++)
		if (m->bytes[i])
			return false;
	return true;
}

TEST(mem_init_rejects_bad_ranges)
{
	struct vmsa_mem m;

	CHECK_EQ(mem_init(&m, BASE, 0), -EINVAL);
	CHECK_EQ(mem_init(&m, BASE, 0x1000), -EINVAL);
	CHECK_EQ(mem_init(&m, BASE, 0x18000), -EINVAL);
	CHECK_EQ(mem_init(&m, BASE + 0x1000, 0x10000), -EINVAL);
	CHECK_EQ(mem_init(&m, BASE + 0x8000, 0x10000), -EINVAL);
	/* Wraps past the top of the address space. */
	CHECK_EQ(mem_init(&m, 0xffffffffffff0000ull, 0x20000), -EINVAL);
	/* Nothing was allocated: destroy is still fine. */
	mem_destroy(&m);
	CHECK(m.bytes == NULL);

	/* The last 64 KiB of the address space is a valid memory. */
	CHECK_EQ(mem_init(&m, 0xffffffffffff0000ull, 0x10000), 0);
	CHECK(mem_contains(&m, 0xfffffffffffffff8ull, 8));
	CHECK_EQ(mem_alloc(&m, 16, 16), 0xffffffffffff0000ull);
	mem_destroy(&m);
}

TEST(mem_init_state)
{
	struct vmsa_mem m;

	setup(&m);
	CHECK_EQ(m.base, BASE);
	CHECK_EQ(m.size, SIZE);
	CHECK_EQ(mem_free_pages(&m), 256);
	CHECK_EQ((uintptr_t)m.bytes % 0x10000, 0);
	CHECK(all_zero(&m));
	CHECK(mem_page_free(&m, BASE));
	CHECK(mem_page_free(&m, BASE + SIZE - 1));
	mem_destroy(&m);
}

TEST(mem_alloc_lowest_fit_and_alignment)
{
	struct vmsa_mem m;

	setup(&m);
	/* The first page is base; then upwards. */
	CHECK_EQ(mem_alloc(&m, 1, 1), BASE);
	CHECK_EQ(mem_alloc(&m, 1, 1), BASE + PG);
	/* 16 pages aligned to 16 pages skip to the next 64K boundary. */
	CHECK_EQ(mem_alloc(&m, 16, 16), BASE + 0x10000);
	/* The hole below is used first. */
	CHECK_EQ(mem_alloc(&m, 1, 1), BASE + 2 * PG);
	CHECK_EQ(mem_alloc(&m, 4, 4), BASE + 4 * PG);
	CHECK_EQ(mem_alloc(&m, 1, 1), BASE + 3 * PG);
	CHECK_EQ(mem_alloc(&m, 2, 1), BASE + 8 * PG);
	CHECK_EQ(mem_free_pages(&m), 256 - 1 - 1 - 16 - 1 - 4 - 1 - 2);
	CHECK(!mem_page_free(&m, BASE + 0x10000 + 15 * PG));
	CHECK(mem_page_free(&m, BASE + 0x20000));
	CHECK(mem_page_free(&m, BASE + 10 * PG));
	mem_destroy(&m);
}

TEST(mem_alloc_aligns_the_pa_not_the_offset)
{
	struct vmsa_mem m;

	/* base is 64K aligned but not 2M aligned: a 2M-aligned request
	 * must land on a 2M PA boundary. */
	CHECK_EQ(mem_init(&m, 0x40010000ull, 0x3f0000), 0); /* to 0x40400000 */
	CHECK_EQ(mem_alloc(&m, 1, 512), 0x40200000ull);
	CHECK_EQ(mem_alloc(&m, 1, 1), 0x40010000ull);
	/* The next 2M boundary is past the end. */
	CHECK_EQ(mem_alloc(&m, 1, 512), VMSA_BAD_PA);
	mem_destroy(&m);
}

TEST(mem_alloc_bad_arguments)
{
	struct vmsa_mem m;

	setup(&m);
	CHECK_EQ(mem_alloc(&m, 0, 1), VMSA_BAD_PA);
	CHECK_EQ(mem_alloc(&m, 1, 0), VMSA_BAD_PA);
	CHECK_EQ(mem_alloc(&m, 1, 3), VMSA_BAD_PA);
	CHECK_EQ(mem_alloc(&m, 4, 12), VMSA_BAD_PA);
	CHECK_EQ(mem_free_pages(&m), 256);
	CHECK_EQ(mem_alloc(&m, 1, 1), BASE);
	mem_destroy(&m);
}

TEST(mem_alloc_exhaustion)
{
	struct vmsa_mem m;

	setup(&m);
	CHECK_EQ(mem_alloc(&m, 257, 1), VMSA_BAD_PA);
	CHECK_EQ(mem_alloc(&m, 256, 1), BASE);
	CHECK_EQ(mem_free_pages(&m), 0);
	CHECK_EQ(mem_alloc(&m, 1, 1), VMSA_BAD_PA);
	CHECK_EQ(mem_free(&m, BASE + 7 * PG, 1), 0);
	CHECK_EQ(mem_alloc(&m, 2, 1), VMSA_BAD_PA);
	CHECK_EQ(mem_alloc(&m, 1, 2), VMSA_BAD_PA);
	CHECK_EQ(mem_alloc(&m, 1, 1), BASE + 7 * PG);
	CHECK_EQ(mem_free_pages(&m), 0);
	mem_destroy(&m);
}

TEST(mem_alloc_fragmentation)
{
	struct vmsa_mem m;

	setup(&m);
	CHECK_EQ(mem_alloc(&m, 3, 1), BASE);
	CHECK_EQ(mem_free(&m, BASE + PG, 1), 0); /* free the middle page */
	CHECK_EQ(mem_alloc(&m, 2, 1), BASE + 3 * PG);
	CHECK_EQ(mem_alloc(&m, 1, 1), BASE + PG);
	CHECK_EQ(mem_alloc(&m, 1, 1), BASE + 5 * PG);
	mem_destroy(&m);
}

TEST(mem_alloc_zeroes_but_free_keeps_content)
{
	struct vmsa_mem m;
	uint8_t *p;

	setup(&m);
	CHECK_EQ(mem_alloc(&m, 2, 1), BASE);
	mem_write(&m, BASE + 8, 8, 0x1111222233334444ull);
	p = mem_ptr(&m, BASE + PG);
	p[PG - 1] = 0x5a;
	CHECK_EQ(mem_free(&m, BASE, 2), 0);
	/* A stale reader of a freed page sees what was there. */
	CHECK_EQ(mem_read(&m, BASE + 8, 8), 0x1111222233334444ull);
	CHECK_EQ(mem_read(&m, BASE + 2 * PG - 1, 1), 0x5a);
	/* Allocated again: zero. */
	CHECK_EQ(mem_alloc(&m, 2, 1), BASE);
	CHECK_EQ(mem_read(&m, BASE + 8, 8), 0);
	CHECK_EQ(mem_read(&m, BASE + 2 * PG - 1, 1), 0);
	CHECK(all_zero(&m));

	/* A page written while free (an MMU-off store) is zeroed too. */
	mem_write(&m, BASE + 9 * PG, 4, 0xdeadbeef);
	CHECK_EQ(mem_alloc(&m, 8, 1), BASE + 2 * PG);
	CHECK_EQ(mem_read(&m, BASE + 9 * PG, 4), 0);
	mem_destroy(&m);
}

TEST(mem_free_errors_free_nothing)
{
	struct vmsa_mem m;

	setup(&m);
	CHECK_EQ(mem_alloc(&m, 4, 1), BASE);
	CHECK_EQ(mem_free(&m, BASE + 8, 1), -EINVAL);
	CHECK_EQ(mem_free(&m, BASE, 0), -EINVAL);
	CHECK_EQ(mem_free(&m, BASE - PG, 1), -EINVAL);
	CHECK_EQ(mem_free(&m, BASE + SIZE, 1), -EINVAL);
	CHECK_EQ(mem_free(&m, BASE + SIZE - PG, 2), -EINVAL);
	CHECK_EQ(mem_free(&m, 0, 1), -EINVAL);
	CHECK_EQ(mem_free_pages(&m), 252);

	/* A range that runs into a free page frees nothing. */
	CHECK_EQ(mem_free(&m, BASE + 2 * PG, 3), -EALREADY);
	CHECK_EQ(mem_free_pages(&m), 252);
	CHECK(!mem_page_free(&m, BASE + 2 * PG));
	CHECK(!mem_page_free(&m, BASE + 3 * PG));

	CHECK_EQ(mem_free(&m, BASE + PG, 2), 0);
	CHECK_EQ(mem_free_pages(&m), 254);
	/* Double free, whole or in part. */
	CHECK_EQ(mem_free(&m, BASE + PG, 1), -EALREADY);
	CHECK_EQ(mem_free(&m, BASE, 2), -EALREADY);
	CHECK(!mem_page_free(&m, BASE));
	CHECK_EQ(mem_free_pages(&m), 254);
	CHECK_EQ(mem_free(&m, BASE + 10 * PG, 1), -EALREADY);
	mem_destroy(&m);
}

TEST(mem_page_free_queries)
{
	struct vmsa_mem m;

	setup(&m);
	CHECK_EQ(mem_alloc(&m, 1, 1), BASE);
	CHECK(!mem_page_free(&m, BASE));
	CHECK(!mem_page_free(&m, BASE + PG - 1));
	CHECK(mem_page_free(&m, BASE + PG));
	/* Outside memory nothing is a free page. */
	CHECK(!mem_page_free(&m, BASE - 1));
	CHECK(!mem_page_free(&m, BASE + SIZE));
	mem_destroy(&m);
}

TEST(mem_pa_ptr_round_trip)
{
	struct vmsa_mem m;
	int local;
	uint8_t *p;

	setup(&m);
	p = mem_ptr(&m, BASE);
	CHECK(p == m.bytes);
	CHECK(mem_cptr(&m, BASE + 0x1234) == m.bytes + 0x1234);
	CHECK(mem_ptr(&m, BASE + SIZE - 1) == m.bytes + SIZE - 1);
	CHECK_EQ(mem_pa(&m, p), BASE);
	CHECK_EQ(mem_pa(&m, p + 123), BASE + 123);
	CHECK_EQ(mem_pa(&m, p + SIZE - 1), BASE + SIZE - 1);
	CHECK_EQ(mem_pa(&m, mem_ptr(&m, BASE + 0x5678)), BASE + 0x5678);

	CHECK(mem_ptr(&m, BASE - 1) == NULL);
	CHECK(mem_ptr(&m, BASE + SIZE) == NULL);
	CHECK(mem_ptr(&m, 0) == NULL);
	CHECK(mem_cptr(&m, ~0ull) == NULL);
	CHECK_EQ(mem_pa(&m, NULL), VMSA_BAD_PA);
	CHECK_EQ(mem_pa(&m, p + SIZE), VMSA_BAD_PA);
	CHECK_EQ(mem_pa(&m, &local), VMSA_BAD_PA);

	/* Every 64K-aligned PA has a 64K-aligned pointer. */
	for (uint64_t pa = BASE; pa < BASE + SIZE; pa += 0x10000)
		CHECK_EQ((uintptr_t)mem_cptr(&m, pa) % 0x10000, 0);
	mem_destroy(&m);
}

TEST(mem_contains_edges)
{
	struct vmsa_mem m;

	setup(&m);
	CHECK(mem_contains(&m, BASE, SIZE));
	CHECK(mem_contains(&m, BASE + SIZE - 8, 8));
	CHECK(!mem_contains(&m, BASE + SIZE - 7, 8));
	CHECK(!mem_contains(&m, BASE - 1, 2));
	CHECK(!mem_contains(&m, BASE, SIZE + 1));
	CHECK(!mem_contains(&m, ~0ull, 2));
	CHECK(!mem_contains(&m, BASE + 8, ~0ull));
	CHECK(mem_contains(&m, BASE + SIZE, 0));
	CHECK(!mem_contains(&m, BASE + SIZE + 1, 0));
	mem_destroy(&m);
}

TEST(mem_read_write_little_endian)
{
	struct vmsa_mem m;
	const uint8_t *b;

	setup(&m);
	mem_write(&m, BASE + 0x100, 8, 0x1122334455667788ull);
	b = mem_cptr(&m, BASE + 0x100);
	CHECK_EQ(b[0], 0x88);
	CHECK_EQ(b[7], 0x11);
	CHECK_EQ(mem_read(&m, BASE + 0x100, 1), 0x88);
	CHECK_EQ(mem_read(&m, BASE + 0x101, 1), 0x77);
	CHECK_EQ(mem_read(&m, BASE + 0x102, 2), 0x5566);
	CHECK_EQ(mem_read(&m, BASE + 0x104, 4), 0x11223344);
	CHECK_EQ(mem_read(&m, BASE + 0x100, 8), 0x1122334455667788ull);

	/* A narrow write touches only its bytes. */
	mem_write(&m, BASE + 0x102, 2, 0xabcdef);
	CHECK_EQ(mem_read(&m, BASE + 0x100, 8), 0x11223344cdef7788ull);
	mem_write(&m, BASE + 0x107, 1, 0);
	CHECK_EQ(mem_read(&m, BASE + 0x100, 8), 0x00223344cdef7788ull);
	/* The last bytes of memory. */
	mem_write(&m, BASE + SIZE - 8, 8, ~0ull);
	CHECK_EQ(mem_read(&m, BASE + SIZE - 1, 1), 0xff);
	mem_destroy(&m);
}

TEST(mem_reset_restores_everything)
{
	struct vmsa_mem m;
	uint8_t *p;

	setup(&m);
	CHECK_EQ(mem_alloc(&m, 3, 1), BASE);
	CHECK_EQ(mem_alloc(&m, 16, 16), BASE + 0x10000);
	mem_write(&m, BASE + 0x10000 + 15 * PG, 8, 42);
	CHECK_EQ(mem_free(&m, BASE, 1), 0);
	/* Stores outside any allocation: by a CPU and through a pointer. */
	mem_write(&m, BASE + 0x80000, 2, 0x1234);
	p = mem_ptr(&m, BASE + 0x90010);
	p[0] = 1;
	p[PG - 0x11] = 2; /* the last byte of that page */
	mem_write(&m, BASE + SIZE - 8, 8, ~0ull);

	mem_reset(&m);
	CHECK_EQ(mem_free_pages(&m), 256);
	CHECK(all_zero(&m));
	CHECK_EQ(m.ntouched, 0);
	for (uint64_t pa = BASE; pa < BASE + SIZE; pa += PG)
		CHECK(mem_page_free(&m, pa));
	/* The allocation sequence starts over. */
	CHECK_EQ(mem_alloc(&m, 1, 1), BASE);
	CHECK_EQ(mem_alloc(&m, 16, 16), BASE + 0x10000);
	CHECK_EQ(mem_alloc(&m, 1, 1), BASE + PG);
	mem_destroy(&m);
}

TEST(mem_reset_touches_each_page_once)
{
	struct vmsa_mem m;

	setup(&m);
	for (int round = 0; round < 100; round++) {
		/* Every page touched, some many times: the list holds each
		 * once, so it never outgrows the page count. */
		for (uint64_t pa = BASE; pa < BASE + SIZE; pa += 512)
			mem_write(&m, pa, 8, (uint64_t)round + 1);
		CHECK_EQ(mem_alloc(&m, 256, 1), BASE);
		CHECK_EQ(m.ntouched, 256);
		CHECK_EQ(mem_read(&m, BASE + SIZE - 512, 8), 0);
		mem_write(&m, BASE + SIZE - 512, 8, 7);
		mem_reset(&m);
		CHECK_EQ(m.ntouched, 0);
	}
	CHECK(all_zero(&m));
	mem_destroy(&m);
}

/*
 * The spare (mem.c): mem_destroy() keeps the mapping and arrays of a
 * memory for the next mem_init() of the same size, which must then be
 * exactly a fresh memory: every byte zero (written by the model, through
 * host pointers, restored from a snapshot), every page free with no
 * flag, nothing listed. A memory of another size is made afresh.
 */
TEST(mem_spare_is_a_fresh_memory)
{
	struct vmsa_mem m, o;
	struct mem_snap s;
	void *block;
	uint64_t a, *p;
	bool flags = false;

	setup(&m);
	a = mem_alloc(&m, 3, 1);
	mem_write(&m, a + 8, 8, 0x1111);
	p = mem_host_ptr(&m, a + PG);
	p[7] = 0x2222;
	CHECK_EQ(mem_save(&m, &s), 0);
	mem_write(&m, BASE + 100 * PG, 8, 0x3333);
	mem_load(&m, &s);
	mem_snap_free(&s);
	block = m.block;
	mem_destroy(&m);

	setup(&m);
	CHECK(m.block == block); /* the spare */
	CHECK(all_zero(&m));
	for (uint32_t i = 0; i < m.npages; i++)
		flags |= m.page[i] != 0;
	CHECK(!flags);
	CHECK_EQ(m.ntouched, 0);
	CHECK_EQ(m.nchanged, 0);
	CHECK_EQ(mem_free_pages(&m), 256);
	CHECK_EQ(mem_alloc(&m, 1, 1), BASE);
	CHECK_EQ(mem_read(&m, BASE + PG + 56, 8), 0);

	/* Another size while m lives: a fresh mapping. */
	CHECK_EQ(mem_init(&o, BASE, 2 * SIZE), 0);
	CHECK(o.block != block);
	CHECK_EQ(mem_free_pages(&o), 512);
	CHECK(all_zero(&o));
	mem_destroy(&o);
	mem_destroy(&m);
}
