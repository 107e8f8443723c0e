/*
 * src/util/vec.h - growable arrays, the one helper every variable-length
 * list of the model and the explorer uses (held TLB entries, pending
 * stores and TLBIs, table pages, decisions, violation entries, ...).
 *
 * VEC_DEFINE(name, T) defines
 *
 *	struct name { T *p; unsigned n, cap; };
 *
 * and static inline functions on it:
 *
 *	int  name_reserve(struct name *v, size_t need)
 *		room for `need` elements in all: 0, or -ENOMEM with v
 *		unchanged (also when `need` does not fit an unsigned);
 *	int  name_push(struct name *v, T x)
 *		append x: 0, or -ENOMEM with v unchanged;
 *	void name_free(struct name *v)
 *		release the memory; v is empty again.
 *
 * A zeroed struct is an empty vector, and `v->n = 0` empties one while
 * keeping its memory: the model resets its state before every execution
 * of a search, so keeping the memory makes steady-state resets free of
 * allocations. Elements move when the vector grows: never keep a pointer
 * to one across a push or reserve.
 */
#ifndef VMSA_UTIL_VEC_H
#define VMSA_UTIL_VEC_H

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* The first capacity of a vector that grows from empty. */
#define VEC_MIN_CAP 16u

/*
 * The capacity to grow to from `cap` so that `need` elements fit:
 * doubling (so that n pushes cost O(n) copies), at least VEC_MIN_CAP.
 * 0 when no capacity of `esize`-byte elements can hold `need` (the
 * element count must fit an unsigned and the bytes a size_t).
 */
static inline size_t vec_next_cap(size_t cap, size_t need, size_t esize)
{
	size_t max = SIZE_MAX / esize;

	if (max > UINT_MAX)
		max = UINT_MAX;
	if (need > max)
		return 0;
	if (cap < VEC_MIN_CAP)
		cap = VEC_MIN_CAP;
	while (cap < need)
		cap = cap > max / 2 ? max : 2 * cap;
	return cap;
}

#define VEC_DEFINE(name, T)                                               \
	struct name {                                                     \
		T *p;                                                     \
		unsigned n, cap;                                          \
	};                                                                \
                                                                          \
	static inline __attribute__((unused)) int                         \
	name##_reserve(struct name *v, size_t need)                       \
	{                                                                 \
		size_t cap;                                               \
		T *p;                                                     \
                                                                          \
		if (need <= v->cap)                                       \
			return 0;                                         \
		cap = vec_next_cap(v->cap, need, sizeof(T));              \
		if (!cap)                                                 \
			return -ENOMEM;                                   \
		p = realloc(v->p, cap * sizeof(T));                       \
		if (!p)                                                   \
			return -ENOMEM;                                   \
		v->p = p;                                                 \
		v->cap = (unsigned)cap;                                   \
		return 0;                                                 \
	}                                                                 \
                                                                          \
	static inline __attribute__((unused)) int                         \
	name##_push(struct name *v, T x)                                  \
	{                                                                 \
		if (v->n == v->cap &&                                     \
		    name##_reserve(v, (size_t)v->n + 1))                  \
			return -ENOMEM;                                   \
		v->p[v->n++] = x;                                         \
		return 0;                                                 \
	}                                                                 \
                                                                          \
	static inline __attribute__((unused)) void                        \
	name##_free(struct name *v)                                       \
	{                                                                 \
		free(v->p);                                               \
		v->p = NULL;                                              \
		v->n = v->cap = 0;                                        \
	}

#endif
