/*
 * src/explore/coro.h - coroutines: each simulated CPU runs on its own
 * stack, and a model step hands control to another CPU.
 *
 * Switching is on the explorer's hot path (every step that changes CPU),
 * so x86-64 and AArch64 use a few lines of assembly that save only the
 * callee-saved registers; other machines fall back to ucontext.
 */
#ifndef VMSA_EXPLORE_CORO_H
#define VMSA_EXPLORE_CORO_H

#include <stddef.h>

struct coro;

/* Create a coroutine with a stack of stack_size bytes. NULL on failure. */
struct coro *coro_new(size_t stack_size);
void coro_free(struct coro *c);

/* (Re)arm c to run fn(arg) from the start the next time it is switched
 * to. fn must never return: it ends by switching away for good. */
void coro_start(struct coro *c, void (*fn)(void *), void *arg);

/* The coroutine for the thread that calls it (the scheduler's own
 * context): it has no stack of its own. */
struct coro *coro_main(void);

/* Save the current context into `from` and resume `to`. */
void coro_switch(struct coro *from, struct coro *to);

/* "asm" or "ucontext". */
const char *coro_kind(void);

#endif
