/*
 * src/util/sort.h - sorting arrays of uint64_t, the one helper the
 * model's sorts use (a step's footprint lines, the timestamps a write
 * may go between, a digest's step numbers).
 *
 * Most of these arrays hold a handful of values, and qsort's merge sort,
 * with a call through a pointer per comparison, cost more than the work
 * itself: small arrays are sorted by insertion. The values are plain
 * numbers, so every correct sort gives the same array.
 */
#ifndef VMSA_UTIL_SORT_H
#define VMSA_UTIL_SORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* Up to this many values, insertion; beyond, qsort. */
#define U64_SORT_SMALL 48

/* qsort's comparison of two uint64_t. */
static inline int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort p[0 .. n) ascending by insertion (any n; quadratic). */
static inline void u64_insertion_sort(uint64_t *p, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint64_t v = p[i];
		size_t j = i;

		for (; j > 0 && p[j - 1] > v; j--)
			p[j] = p[j - 1];
		p[j] = v;
	}
}

/* Sort p[0 .. n) ascending. */
static inline void u64_sort(uint64_t *p, size_t n)
{
	if (n <= U64_SORT_SMALL)
		u64_insertion_sort(p, n);
	else
		qsort(p, n, sizeof(*p), u64_cmp);
}

#endif
