/*
 * src/util/htab.h - open-addressing hash tables keyed by a 64-bit value,
 * the one helper behind the model's per-address tables (descriptor
 * histories, out-of-sync cache lines).
 *
 * HTAB_DEFINE(name, T, hash) defines
 *
 *	struct name { T *slot; uint32_t mask, count, gen; };
 *
 * for an entry type T with the fields `uint64_t key` and `uint32_t gen`
 * (the table's own), and `hash`, a function uint64_t (uint64_t key)
 * whose high 32 bits spread the keys (a multiplicative hash). Static
 * inline functions:
 *
 *	int  name_init(struct name *t, uint32_t cap)
 *		empty table of `cap` slots (a power of two): 0 or -ENOMEM;
 *	void name_destroy(struct name *t)
 *	void name_reset(struct name *t)
 *		empty the table in O(1), keeping its slots;
 *	T   *name_find(const struct name *t, uint64_t key)
 *		the entry for key, or NULL;
 *	T   *name_insert(struct name *t, uint64_t key)
 *		a new entry for key (which must not be in the table) with
 *		key and gen set and every other field for the caller to
 *		fill; NULL when the table cannot grow (nothing changed);
 *	void name_remove(struct name *t, T *e)
 *	bool name_used(const struct name *t, const T *e)
 *		whether slot e holds an entry (to visit them all:
 *		for i in 0..mask, name_used(t, &t->slot[i]));
 *	int  name_copy(struct name *dst, const struct name *src)
 *		make dst (initialised) a copy of src: 0 or -ENOMEM (dst
 *		unchanged).
 *
 * Linear probing, at most half the slots used (so probe runs stay short
 * and a free slot always ends a search), the table doubling when an
 * insert would pass that. A slot is in use only when its gen equals the
 * table's: the model resets its tables before every execution of a
 * search, and `gen++` does that however large a table grew. Removal
 * shifts later entries back (no tombstones). Entries move when the
 * table grows or an entry is removed: never keep a pointer to one across
 * an insert or a remove.
 */
#ifndef VMSA_UTIL_HTAB_H
#define VMSA_UTIL_HTAB_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Whether slot index k lies cyclically in (i, j]. */
static inline bool htab_in_cyclic_range(uint32_t i, uint32_t k, uint32_t j)
{
	return i <= j ? (i < k && k <= j) : (i < k || k <= j);
}

/*
 * A new generation of a table whose n_slots slots of `size` bytes carry
 * a generation stamp: every slot is free from now on, in O(1). After
 * 2^32 generations an old stamp could come back, so the slots are
 * cleared then (stamp 0, never a generation in use).
 */
static inline void htab_gen_next(void *slot, size_t n_slots, size_t size,
				 uint32_t *gen)
{
	if (++*gen != 0)
		return;
	if (slot)
		memset(slot, 0, n_slots * size);
	*gen = 1;
}

/*
 * Make *slot (*mask + 1 slots of `size` bytes, or NULL) an array of a
 * power of two slots, at least `min` and at least 2 * want (at most half
 * of them used, as HTAB_DEFINE's tables), then start a new generation
 * (htab_gen_next). The slots are kept when there are enough; new ones
 * are zeroed, stamp 0 never being a generation in use. Returns 0, or
 * -ENOMEM (nothing changed) when they cannot be had.
 */
static inline int htab_gen_begin(void **slot, uint32_t *mask, uint32_t *gen,
				 size_t size, uint32_t want, uint32_t min)
{
	size_t n = *slot ? (size_t)*mask + 1 : 0;

	if (want > UINT32_MAX / 4)
		return -ENOMEM;
	if (n < 2 * (size_t)want) {
		void *p;

		for (n = min; n < 2 * (size_t)want; n *= 2)
			;
		p = calloc(n, size);
		if (!p)
			return -ENOMEM;
		free(*slot);
		*slot = p;
		*mask = (uint32_t)(n - 1);
		*gen = 0;
	}
	htab_gen_next(*slot, n, size, gen);
	return 0;
}

#define HTAB_DEFINE(name, T, hash)                                        \
	struct name {                                                     \
		T *slot;                                                  \
		uint32_t mask;	/* slots - 1 (slots: a power of two) */   \
		uint32_t count;	/* slots in use */                        \
		uint32_t gen;	/* never 0: 0 marks a slot never used */  \
		/* Every slot in use is in [lo, hi] (lo > hi: none): a    \
		 * scan of a sparse table looks only there. */            \
		uint32_t lo, hi;                                          \
	};                                                                \
                                                                          \
	static inline __attribute__((unused)) void                        \
	name##_span_empty(struct name *t)                                 \
	{                                                                 \
		t->lo = UINT32_MAX;                                       \
		t->hi = 0;                                                \
	}                                                                 \
                                                                          \
	/* Slot i is in use now. */                                       \
	static inline __attribute__((unused)) void                        \
	name##_span_add(struct name *t, uint32_t i)                       \
	{                                                                 \
		if (i < t->lo)                                            \
			t->lo = i;                                        \
		if (i > t->hi)                                            \
			t->hi = i;                                        \
	}                                                                 \
                                                                          \
	static inline __attribute__((unused)) uint32_t                    \
	name##_home(const struct name *t, uint64_t key)                   \
	{                                                                 \
		return (uint32_t)(hash(key) >> 32) & t->mask;             \
	}                                                                 \
                                                                          \
	static inline __attribute__((unused)) bool                        \
	name##_used(const struct name *t, const T *e)                     \
	{                                                                 \
		return e->gen == t->gen;                                  \
	}                                                                 \
                                                                          \
	static inline __attribute__((unused)) int                         \
	name##_init(struct name *t, uint32_t cap)                         \
	{                                                                 \
		/* calloc: gen 0 is never the table's generation. */      \
		t->slot = calloc(cap, sizeof(T));                         \
		t->mask = t->slot ? cap - 1 : 0;                          \
		t->count = 0;                                             \
		t->gen = 1;                                               \
		name##_span_empty(t);                                     \
		return t->slot ? 0 : -ENOMEM;                             \
	}                                                                 \
                                                                          \
	static inline __attribute__((unused)) void                        \
	name##_destroy(struct name *t)                                    \
	{                                                                 \
		free(t->slot);                                            \
		memset(t, 0, sizeof(*t));                                 \
		name##_span_empty(t);                                     \
	}                                                                 \
                                                                          \
	static inline __attribute__((unused)) void                        \
	name##_reset(struct name *t)                                      \
	{                                                                 \
		t->count = 0;                                             \
		name##_span_empty(t);                                     \
		htab_gen_next(t->slot, (size_t)t->mask + 1, sizeof(T),    \
			      &t->gen);                                   \
	}                                                                 \
                                                                          \
	static inline __attribute__((unused)) T *                         \
	name##_find(const struct name *t, uint64_t key)                   \
	{                                                                 \
		if (!t->count)                                            \
			return NULL;                                      \
		for (uint32_t i = name##_home(t, key);;                   \
		     i = (i + 1) & t->mask) {                             \
			T *e = &t->slot[i];                               \
                                                                          \
			if (e->gen != t->gen)                             \
				return NULL;                              \
			if (e->key == key)                                \
				return e;                                 \
		}                                                         \
	}                                                                 \
                                                                          \
	/* The first free slot on key's probe sequence. */                \
	static inline __attribute__((unused)) T *                         \
	name##_free_slot(struct name *t, uint64_t key)                    \
	{                                                                 \
		uint32_t i = name##_home(t, key);                         \
                                                                          \
		while (t->slot[i].gen == t->gen)                          \
			i = (i + 1) & t->mask;                            \
		return &t->slot[i];                                       \
	}                                                                 \
                                                                          \
	static inline __attribute__((unused)) int                         \
	name##_grow(struct name *t)                                       \
	{                                                                 \
		struct name old = *t;                                     \
		uint32_t n = (old.mask + 1) * 2;                          \
                                                                          \
		if (n == 0)                                               \
			return -ENOMEM;                                   \
		t->slot = calloc(n, sizeof(T));                           \
		if (!t->slot) {                                           \
			t->slot = old.slot;                               \
			return -ENOMEM;                                   \
		}                                                         \
		t->mask = n - 1;                                          \
		name##_span_empty(t);                                     \
		for (uint32_t i = 0; i <= old.mask; i++)                  \
			if (old.slot[i].gen == t->gen) {                  \
				T *e = name##_free_slot(t,                \
							old.slot[i].key); \
                                                                          \
				*e = old.slot[i];                         \
				name##_span_add(t, (uint32_t)(e -         \
							      t->slot));  \
			}                                                 \
		free(old.slot);                                           \
		return 0;                                                 \
	}                                                                 \
                                                                          \
	static inline __attribute__((unused)) T *                         \
	name##_insert(struct name *t, uint64_t key)                       \
	{                                                                 \
		T *e;                                                     \
                                                                          \
		if ((t->count + 1ull) * 2 > t->mask + 1ull &&             \
		    name##_grow(t))                                       \
			return NULL;                                      \
		e = name##_free_slot(t, key);                             \
		e->key = key;                                             \
		e->gen = t->gen;                                          \
		t->count++;                                               \
		name##_span_add(t, (uint32_t)(e - t->slot));              \
		return e;                                                 \
	}                                                                 \
                                                                          \
	static inline __attribute__((unused)) void                        \
	name##_remove(struct name *t, T *e)                               \
	{                                                                 \
		uint32_t i = (uint32_t)(e - t->slot), j = i;              \
                                                                          \
		for (;;) {                                                \
			j = (j + 1) & t->mask;                            \
			if (t->slot[j].gen != t->gen)                     \
				break;                                    \
			/* An entry whose home is in (i, j] stays. */     \
			if (htab_in_cyclic_range(                         \
				    i, name##_home(t, t->slot[j].key), j))\
				continue;                                 \
			t->slot[i] = t->slot[j];                          \
			i = j;                                            \
		}                                                         \
		t->slot[i].gen = 0;                                       \
		/* Entries moved only to slots in use: the span holds. */ \
		if (!--t->count)                                          \
			name##_span_empty(t);                             \
	}                                                                 \
                                                                          \
	static inline __attribute__((unused)) int                         \
	name##_copy(struct name *dst, const struct name *src)             \
	{                                                                 \
		size_t bytes = ((size_t)src->mask + 1) * sizeof(T);       \
                                                                          \
		/* An empty source (the usual case) costs nothing. */     \
		if (!src->count) {                                        \
			name##_reset(dst);                                \
			return 0;                                         \
		}                                                         \
		if (dst->mask != src->mask) {                             \
			T *slot = malloc(bytes);                          \
                                                                          \
			if (!slot)                                        \
				return -ENOMEM;                           \
			free(dst->slot);                                  \
			dst->slot = slot;                                 \
		}                                                         \
		memcpy(dst->slot, src->slot, bytes);                      \
		dst->mask = src->mask;                                    \
		dst->count = src->count;                                  \
		dst->gen = src->gen;                                      \
		dst->lo = src->lo;                                        \
		dst->hi = src->hi;                                        \
		return 0;                                                 \
	}

#endif
