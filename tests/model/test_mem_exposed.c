/*
 * tests/model/test_mem_exposed.c - host pointers (mem_host_ptr, behind
 * vmsa_pa_ptr) and exact restores: host code stores through them without
 * the model seeing it, so the page and its whole allocation are
 * "exposed" and come back at every reset and every snapshot load.
 */
#include "../harness.h"

#include "model/mem.h"

#define BASE 0x40000000ull
#define SIZE 0x100000ull /* 1 MiB: 256 pages */
#define PG 4096ull

static bool exposed(const struct vmsa_mem *m, uint64_t pa)
{
	return m->page[(pa - BASE) / PG] & MEM_PG_EXPOSED;
}

static uint64_t word(const struct vmsa_mem *m, uint64_t pa)
{
	return mem_read(m, pa, 8);
}

TEST(mem_host_ptr_exposes_its_allocation_only)
{
	struct vmsa_mem m;
	uint64_t a, b, c, *p;

	CHECK_EQ(mem_init(&m, BASE, SIZE), 0);
	a = mem_alloc(&m, 2, 1);
	b = mem_alloc(&m, 1, 1);
	c = mem_alloc(&m, 3, 1);
	CHECK_EQ(a, BASE);
	CHECK_EQ(b, BASE + 2 * PG);
	CHECK_EQ(c, BASE + 3 * PG);
	/* A pointer into the second page of a: both pages of a. */
	p = mem_host_ptr(&m, a + PG + 8);
	CHECK(p == (uint64_t *)(m.bytes + PG + 8));
	CHECK(exposed(&m, a));
	CHECK(exposed(&m, a + PG));
	CHECK(!exposed(&m, b));
	CHECK(!exposed(&m, c));
	/* The middle page of c: all three, nothing else. */
	mem_host_ptr(&m, c + PG);
	CHECK(!exposed(&m, b));
	CHECK(exposed(&m, c) && exposed(&m, c + PG) && exposed(&m, c + 2 * PG));
	CHECK(!exposed(&m, c + 3 * PG));
	/* A free page: that page alone. */
	mem_host_ptr(&m, BASE + 10 * PG);
	CHECK(exposed(&m, BASE + 10 * PG));
	CHECK(!exposed(&m, BASE + 9 * PG));
	CHECK(!exposed(&m, BASE + 11 * PG));
	/* The model's own pointer exposes nothing. */
	mem_ptr(&m, b);
	CHECK(!exposed(&m, b));
	CHECK(mem_host_ptr(&m, BASE + SIZE) == NULL);
	CHECK(mem_host_ptr(&m, BASE - 1) == NULL);
	mem_destroy(&m);
}

TEST(mem_exposed_page_exposes_a_new_allocation)
{
	struct vmsa_mem m;
	uint64_t a, b;

	CHECK_EQ(mem_init(&m, BASE, SIZE), 0);
	a = mem_alloc(&m, 1, 1);
	mem_host_ptr(&m, a);
	CHECK_EQ(mem_free(&m, a, 1), 0);
	/* a's page is reused as the first of three: an old pointer may still
	 * reach it, and the new owner may store anywhere in the three. */
	b = mem_alloc(&m, 3, 1);
	CHECK_EQ(b, a);
	CHECK(exposed(&m, b) && exposed(&m, b + PG) && exposed(&m, b + 2 * PG));
	/* Exposed pages stay possibly non-zero: a reset clears them. */
	((uint64_t *)mem_host_ptr(&m, b))[0] = 7;
	((uint64_t *)mem_host_ptr(&m, b))[600] = 9; /* second page */
	mem_reset(&m);
	CHECK_EQ(word(&m, b), 0);
	CHECK_EQ(word(&m, b + 600 * 8), 0);
	CHECK(!exposed(&m, b));
	mem_destroy(&m);
}

/* What the explorer does: save after set-up, then load before every
 * execution, with host stores that the model never sees in between. */
TEST(mem_load_undoes_host_stores)
{
	struct vmsa_mem m;
	struct mem_snap s;
	uint64_t a, b, *p;

	CHECK_EQ(mem_init(&m, BASE, SIZE), 0);
	a = mem_alloc(&m, 2, 1);
	b = mem_alloc(&m, 2, 1);
	p = mem_host_ptr(&m, a);
	p[0] = 0x11;
	p[512] = 0x22; /* the second page, through the same pointer */
	mem_write(&m, b + PG, 8, 0x33);
	CHECK_EQ(mem_save(&m, &s), 0);
	for (int round = 0; round < 3; round++) {
		uint64_t *q, *n, fresh;

		mem_load(&m, &s);
		CHECK_EQ(word(&m, a), 0x11);
		CHECK_EQ(word(&m, a + PG), 0x22);
		CHECK_EQ(word(&m, b), 0);
		CHECK_EQ(word(&m, b + PG), 0x33);
		/* An execution: stores through set-up's pointer, through a
		 * new pointer past its page, into a new allocation. */
		p[0] = 0xa0 + (uint64_t)round;
		p[512] = 0xb0 + (uint64_t)round;
		q = mem_host_ptr(&m, b);
		q[512] = 0xc0 + (uint64_t)round;
		fresh = mem_alloc(&m, 2, 1);
		CHECK_EQ(fresh, BASE + 4 * PG);
		n = mem_host_ptr(&m, fresh);
		CHECK_EQ(n[512], 0);
		n[512] = 0xd0 + (uint64_t)round;
	}
	mem_load(&m, &s);
	CHECK_EQ(word(&m, a), 0x11);
	CHECK_EQ(word(&m, a + PG), 0x22);
	CHECK_EQ(word(&m, b + PG), 0x33);
	CHECK_EQ(word(&m, BASE + 5 * PG), 0);
	CHECK_EQ(mem_free_pages(&m), 256 - 4);
	mem_snap_free(&s);
	mem_destroy(&m);
}
