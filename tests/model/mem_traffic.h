/*
 * tests/model/mem_traffic.h - random traffic of every kind that changes
 * the model's memory (src/model/mem.c), for the tests of what a load,
 * reset or word log must account for: stores of 1 to 8 bytes through
 * mem_write and through mem_store_ptr, allocations and frees, writable
 * pointers (mem_ptr) and, rarely, host pointers (mem_host_ptr, after
 * which host code stores that the model never sees).
 *
 * The including test defines BASE and SIZE (the memory it made with
 * mem_init) and passes its own xorshift state.
 */
#ifndef VMSA_TESTS_MEM_TRAFFIC_H
#define VMSA_TESTS_MEM_TRAFFIC_H

#include "../xorshift.h"

#include "model/mem.h"

/* n operations of random kinds at random places of [BASE, BASE+SIZE). */
static void mem_traffic(struct vmsa_mem *m, uint64_t *rng, unsigned n)
{
	static const unsigned sizes[] = {1, 2, 4, 8};

	for (unsigned i = 0; i < n; i++) {
		unsigned size = sizes[xorshift64(rng) % 4];
		uint64_t pa = BASE + (xorshift64(rng) % (SIZE / size)) * size;
		uint8_t *p;

		switch (xorshift64(rng) % 8) {
		case 0: case 1: case 2:
			mem_write(m, pa, size, xorshift64(rng));
			break;
		case 3:
			p = mem_store_ptr(m, pa, size);
			mem_store_le(p, size, xorshift64(rng));
			break;
		case 4:
			mem_alloc(m, 1 + (unsigned)(xorshift64(rng) % 2), 1);
			break;
		case 5:
			mem_free(m, pa & ~(uint64_t)(MEM_PAGE_SIZE - 1), 1);
			break;
		case 6:
			if (xorshift64(rng) % 8)
				break;
			p = mem_host_ptr(m, pa);
			p[0] ^= (uint8_t)xorshift64(rng);
			break;
		default:
			p = mem_ptr(m, pa);
			p[0] ^= (uint8_t)(xorshift64(rng) | 1);
			break;
		}
	}
}

#endif
