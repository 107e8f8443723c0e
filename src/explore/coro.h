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

/*
 * The image of a suspended coroutine (switched away from, or armed by
 * coro_start and not yet run): its stack pointer and the live part of
 * its stack, which coro_image_load() puts back at the same addresses, so
 * that the coroutine resumes as it was when the image was taken (the
 * explorer resumes executions so: docs/explorer.md, "Resuming from a
 * decision"). Pointers into the stack stay valid; what the frames point
 * to elsewhere is the caller's to restore. Only the assembly switch has
 * images (coro_images()); the buffer is reused from one save to the
 * next.
 */
struct coro_image {
	void *sp;
	unsigned char *bytes;
	size_t n, cap;
};

/* Can coroutines be imaged here (the assembly switch, and locals on the
 * stack: not under AddressSanitizer's fake stacks)? */
int coro_images(void);
/* Save suspended coroutine c into img: 0, or -ENOMEM (img unusable). */
int coro_image_save(const struct coro *c, struct coro_image *img);
/* c (suspended, the one img was taken of) becomes as img was taken. */
void coro_image_load(struct coro *c, const struct coro_image *img);
void coro_image_free(struct coro_image *img);

/* "asm" or "ucontext". */
const char *coro_kind(void);

#endif
