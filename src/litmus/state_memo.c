/*
 * src/litmus/state_memo.c - the final states a litmus search has already
 * counted, by their raw values: a set of fixed-size keys (open
 * addressing, linear probing, at most half full).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "state_memo.h"

void state_memo_init(struct state_memo *sm, unsigned words)
{
	*sm = (struct state_memo){.words = words ? words : 1};
}

void state_memo_free(struct state_memo *sm)
{
	free(sm->keys);
	free(sm->used);
	state_memo_init(sm, sm->words);
}

static uint64_t hash(const uint64_t *key, unsigned words)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;

	for (unsigned i = 0; i < words; i++)
		h = (h ^ key[i]) * 0xff51afd7ed558ccdull;
	return h ^ h >> 29;
}

/* The slot that holds key, or the free slot where it would go (the
 * table has a free slot: it is at most half full). */
static unsigned slot_of(const struct state_memo *sm, const uint64_t *key)
{
	size_t bytes = (size_t)sm->words * sizeof(*key);
	unsigned i = (unsigned)hash(key, sm->words) & (sm->cap - 1);

	while (sm->used[i] &&
	       memcmp(sm->keys + (size_t)i * sm->words, key, bytes))
		i = (i + 1) & (sm->cap - 1);
	return i;
}

/* Room for one more key: 0 or -ENOMEM (the memo unchanged). */
static int grow(struct state_memo *sm)
{
	struct state_memo old = *sm;
	unsigned cap = old.cap ? 2 * old.cap : 64;

	if (2 * (old.n + 1) <= old.cap)
		return 0;
	if (cap < old.cap)
		return -ENOMEM;
	sm->keys = malloc((size_t)cap * old.words * sizeof(*sm->keys));
	sm->used = calloc(cap, 1);
	if (!sm->keys || !sm->used) {
		free(sm->keys);
		free(sm->used);
		*sm = old;
		return -ENOMEM;
	}
	sm->cap = cap;
	for (unsigned i = 0; i < old.cap; i++) {
		const uint64_t *k = old.keys + (size_t)i * old.words;
		unsigned j;

		if (!old.used[i])
			continue;
		j = slot_of(sm, k);
		memcpy(sm->keys + (size_t)j * sm->words, k,
		       (size_t)sm->words * sizeof(*k));
		sm->used[j] = 1;
	}
	free(old.keys);
	free(old.used);
	return 0;
}

int state_memo_add(struct state_memo *sm, const uint64_t *key)
{
	unsigned i;

	if (sm->cap && sm->used[slot_of(sm, key)])
		return 1;
	if (grow(sm))
		return -ENOMEM;
	i = slot_of(sm, key);
	memcpy(sm->keys + (size_t)i * sm->words, key,
	       (size_t)sm->words * sizeof(*key));
	sm->used[i] = 1;
	sm->n++;
	return 0;
}
