/*
 * src/litmus/state_memo.h - the final states a litmus search has already
 * counted, by their raw values (run.c). Private to libvmsa.
 *
 * A litmus test's final state is a line of text formatted from the
 * observed values, the fault atoms and the symbols' addresses; formatting
 * it (snprintf per observable) and hashing the text was a fortieth of a
 * long search's instructions, though a search meets only a few dozen
 * distinct states in millions of executions. The memo holds the raw words
 * a line is made from: an execution whose words are held already has its
 * line in the states already, and needs none.
 */
#ifndef VMSA_LITMUS_STATE_MEMO_H
#define VMSA_LITMUS_STATE_MEMO_H

#include <stdint.h>

/* A set of keys of `words` 64-bit words each. */
struct state_memo {
	uint64_t *keys;		/* cap slots of `words` words */
	unsigned char *used;	/* per slot: holds a key */
	unsigned words, n, cap;
};

/* An empty memo of keys of `words` words (at least 1). */
void state_memo_init(struct state_memo *sm, unsigned words);

/* Frees what the memo holds; it is empty (and usable) again. */
void state_memo_free(struct state_memo *sm);

/* Adds key (sm->words words): 1 when it was held already, 0 when it is
 * held from now on, -ENOMEM when it could not be added (and is not
 * held). */
int state_memo_add(struct state_memo *sm, const uint64_t *key);

#endif
