/*
 * tests/model/test_mem_load.c - mem_load() of the snapshot loaded last
 * undoes only the pages on the `changed` list (and compares the exposed
 * ones), and of a page changed only by logged stores only the words the
 * word log names (a wrong size or offset there fails it): after random
 * stores, allocations, frees, pointers handed out and
 * stores through host pointers (mem_traffic.h), memory is exactly as a load from scratch
 * makes it: every byte, every page's flags, the free count and the
 * allocation hint.
 */
#include "../harness.h"

#include "model/mem.h"

#define BASE 0x40000000ull
#define SIZE 0x100000ull /* 1 MiB: 256 pages */

#include "mem_traffic.h"

static uint64_t rng = 0x13198a2e03707344ull;

static void same_memory(const struct vmsa_mem *a, const struct vmsa_mem *b)
{
	CHECK(!memcmp(a->bytes, b->bytes, SIZE));
	CHECK(!memcmp(a->page, b->page, a->npages));
	CHECK_EQ(a->nfree, b->nfree);
	CHECK_EQ(a->first_free, b->first_free);
	CHECK_EQ(a->ntouched, b->ntouched);
}

TEST(mem_load_undoes_only_changes)
{
	struct vmsa_mem a, b;
	struct mem_snap s;

	CHECK_EQ(mem_init(&a, BASE, SIZE), 0);
	CHECK_EQ(mem_init(&b, BASE, SIZE), 0);
	mem_traffic(&a, &rng, 400);		/* the set-up */
	CHECK_EQ(mem_save(&a, &s), 0);
	CHECK(s.nexposed > 0);
	for (unsigned round = 0; round < 300; round++) {
		mem_load(&a, &s);	/* incremental from the 2nd round */
		mem_reset(&b);
		mem_load(&b, &s);	/* from scratch */
		same_memory(&a, &b);
		/* Host code stores into an exposed page between loads. */
		if (round % 7 == 0) {
			uint8_t *p = a.bytes + (size_t)s.pg[s.exposed[0]] *
					       MEM_PAGE_SIZE;
			p[round % MEM_PAGE_SIZE] ^= 0x5a;
		}
		mem_traffic(&a, &rng, (unsigned)(xorshift64(&rng) % 30));
	}
	mem_load(&a, &s);
	mem_reset(&b);
	mem_load(&b, &s);
	same_memory(&a, &b);
	mem_snap_free(&s);
	mem_destroy(&b);
	mem_destroy(&a);
}
