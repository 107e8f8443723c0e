/*
 * src/explore/coro.c - coroutines (see coro.h).
 *
 * The assembly switch pushes the callee-saved registers of the calling
 * convention on the current stack, stores the stack pointer in `from`,
 * loads `to`'s stack pointer and pops its registers: a switch is a
 * function call that returns on another stack. A new coroutine's stack is
 * laid out as if it had switched away at the start of a trampoline that
 * calls fn(arg).
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Tell valgrind about coroutine stacks when its header is there. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define VMSA_HAVE_VALGRIND 1
#endif
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define VMSA_HAVE_MEMCHECK 1
#endif
#endif

#include "coro.h"

/* AddressSanitizer, as GCC says it (__SANITIZE_ADDRESS__) or as Clang
 * does (before version 15 only through __has_feature): a libFuzzer
 * build of the litmus fuzz target is Clang's. */
#if defined(__SANITIZE_ADDRESS__)
#define CORO_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORO_ASAN 1
#endif
#endif

#if defined(CORO_ASAN)
#include <sanitizer/asan_interface.h>
/* An abandoned execution leaves its frames' redzones poisoned on the
 * coroutine's stack: clear them before the stack is used again. */
#define unpoison_stack(c) __asan_unpoison_memory_region((c)->stack, (c)->size)
#else
#define unpoison_stack(c) ((void)(c))
#endif

#if defined(__x86_64__) || defined(__aarch64__)
#define CORO_ASM 1
#else
#define CORO_ASM 0
#include <ucontext.h>
#endif

struct coro {
	void *sp;		/* saved stack pointer (assembly switch) */
	void *stack;
	size_t size;
	void *map;		/* the mapping: a guard page, then the stack */
	size_t map_size;
	unsigned vg_id;
	void (*fn)(void *);
	void *arg;
#if !CORO_ASM
	ucontext_t uc;
#endif
};

#if CORO_ASM

void vmsa_coro_swap(void **save_sp, void *new_sp);
void vmsa_coro_trampoline(void);
/* Both are marked .hidden in the assembly: -fvisibility=hidden does not
 * reach top-level asm, and they are internal, not libvmsa's API. */

#if defined(__x86_64__)
/* System V: rbx, rbp, r12-r15 are callee-saved (MXCSR and the x87
 * control word are left alone: scenario code does not change them). */
__asm__(".text\n"
	".globl vmsa_coro_swap\n"
	".hidden vmsa_coro_swap\n"
	".type vmsa_coro_swap,@function\n"
	"vmsa_coro_swap:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	".size vmsa_coro_swap, .-vmsa_coro_swap\n"
	".globl vmsa_coro_trampoline\n"
	".hidden vmsa_coro_trampoline\n"
	".type vmsa_coro_trampoline,@function\n"
	"vmsa_coro_trampoline:\n"
	"	movq %r13, %rdi\n"
	"	callq *%r12\n"
	"	ud2\n"
	".size vmsa_coro_trampoline, .-vmsa_coro_trampoline\n"
	".section .note.GNU-stack,\"\",@progbits\n"
	".text\n");

/* Slots popped by vmsa_coro_swap: r15 r14 r13 r12 rbx rbp, then the
 * return address. The trampoline starts with rsp = top, 16-byte aligned,
 * so that its call gives fn the ABI's entry alignment (rsp + 8 aligned). */
static void *initial_sp(struct coro *c)
{
	uintptr_t top = ((uintptr_t)c->stack + c->size) & ~(uintptr_t)15;
	void **sp = (void **)top - 7;

	sp[0] = 0;					/* r15 */
	sp[1] = 0;					/* r14 */
	sp[2] = c->arg;					/* r13 */
	sp[3] = (void *)(uintptr_t)c->fn;		/* r12 */
	sp[4] = 0;					/* rbx */
	sp[5] = 0;					/* rbp */
	sp[6] = (void *)(uintptr_t)vmsa_coro_trampoline;	/* return */
	return sp;
}

#else /* __aarch64__ */
/* AAPCS64: x19-x28, fp (x29), lr (x30) and d8-d15 are callee-saved. */
__asm__(".text\n"
	".globl vmsa_coro_swap\n"
	".hidden vmsa_coro_swap\n"
	".type vmsa_coro_swap,%function\n"
	"vmsa_coro_swap:\n"
	"	sub sp, sp, #160\n"
	"	stp x19, x20, [sp, #0]\n"
	"	stp x21, x22, [sp, #16]\n"
	"	stp x23, x24, [sp, #32]\n"
	"	stp x25, x26, [sp, #48]\n"
	"	stp x27, x28, [sp, #64]\n"
	"	stp x29, x30, [sp, #80]\n"
	"	stp d8, d9, [sp, #96]\n"
	"	stp d10, d11, [sp, #112]\n"
	"	stp d12, d13, [sp, #128]\n"
	"	stp d14, d15, [sp, #144]\n"
	"	mov x2, sp\n"
	"	str x2, [x0]\n"
	"	mov sp, x1\n"
	"	ldp x19, x20, [sp, #0]\n"
	"	ldp x21, x22, [sp, #16]\n"
	"	ldp x23, x24, [sp, #32]\n"
	"	ldp x25, x26, [sp, #48]\n"
	"	ldp x27, x28, [sp, #64]\n"
	"	ldp x29, x30, [sp, #80]\n"
	"	ldp d8, d9, [sp, #96]\n"
	"	ldp d10, d11, [sp, #112]\n"
	"	ldp d12, d13, [sp, #128]\n"
	"	ldp d14, d15, [sp, #144]\n"
	"	add sp, sp, #160\n"
	"	ret\n"
	".size vmsa_coro_swap, .-vmsa_coro_swap\n"
	".globl vmsa_coro_trampoline\n"
	".hidden vmsa_coro_trampoline\n"
	".type vmsa_coro_trampoline,%function\n"
	"vmsa_coro_trampoline:\n"
	"	mov x0, x20\n"
	"	blr x19\n"
	"	brk #0\n"
	".size vmsa_coro_trampoline, .-vmsa_coro_trampoline\n"
	".section .note.GNU-stack,\"\",%progbits\n"
	".text\n");

/* The frame vmsa_coro_swap pops: x19 = fn, x20 = arg, x30 = trampoline. */
static void *initial_sp(struct coro *c)
{
	uintptr_t top = ((uintptr_t)c->stack + c->size) & ~(uintptr_t)15;
	void **sp = (void **)(top - 160);

	memset(sp, 0, 160);
	sp[0] = (void *)(uintptr_t)c->fn;		/* x19 */
	sp[1] = c->arg;					/* x20 */
	sp[11] = (void *)(uintptr_t)vmsa_coro_trampoline;	/* x30 */
	return sp;
}
#endif

const char *coro_kind(void)
{
	return "asm";
}

void coro_start(struct coro *c, void (*fn)(void *), void *arg)
{
	unpoison_stack(c);
	c->fn = fn;
	c->arg = arg;
	c->sp = initial_sp(c);
}

void coro_switch(struct coro *from, struct coro *to)
{
	vmsa_coro_swap(&from->sp, to->sp);
}

#else /* ucontext */

const char *coro_kind(void)
{
	return "ucontext";
}

static void uc_entry(unsigned hi, unsigned lo)
{
	struct coro *c = (struct coro *)(((uintptr_t)hi << 16 << 16) |
					 (uintptr_t)lo);

	c->fn(c->arg);
	abort(); /* fn must not return */
}

void coro_start(struct coro *c, void (*fn)(void *), void *arg)
{
	uintptr_t p = (uintptr_t)c;

	unpoison_stack(c);
	c->fn = fn;
	c->arg = arg;
	getcontext(&c->uc);
	c->uc.uc_stack.ss_sp = c->stack;
	c->uc.uc_stack.ss_size = c->size;
	c->uc.uc_link = NULL;
	makecontext(&c->uc, (void (*)(void))uc_entry, 2,
		    (unsigned)(p >> 16 >> 16), (unsigned)p);
}

void coro_switch(struct coro *from, struct coro *to)
{
	swapcontext(&from->uc, &to->uc);
}
#endif

/*
 * Freed stacks are kept for the next coroutines of the same size: every
 * search makes one per CPU and frees them at its end, and a search of
 * bbm/ok spent 7% of its time in munmap() (and then faulted the new
 * stack's pages in). A few mappings, guard page and all, taken and given
 * back under a spin lock (threads that explore at the same time share
 * the pool); released at exit.
 */
#define STACK_POOL 8

static struct {
	void *map;
	size_t size;
} stack_pool[STACK_POOL];
static atomic_flag stack_lock = ATOMIC_FLAG_INIT;
static bool stack_atexit;

static void pool_lock(void)
{
	while (atomic_flag_test_and_set_explicit(&stack_lock,
						 memory_order_acquire))
		;
}

static void pool_unlock(void)
{
	atomic_flag_clear_explicit(&stack_lock, memory_order_release);
}

static void pool_free(void)
{
	pool_lock();
	for (unsigned i = 0; i < STACK_POOL; i++)
		if (stack_pool[i].map) {
			munmap(stack_pool[i].map, stack_pool[i].size);
			stack_pool[i].map = NULL;
		}
	pool_unlock();
}

/* A kept mapping of `size` bytes, or NULL. */
static void *pool_take(size_t size)
{
	void *map = NULL;

	pool_lock();
	for (unsigned i = 0; i < STACK_POOL && !map; i++)
		if (stack_pool[i].map && stack_pool[i].size == size) {
			map = stack_pool[i].map;
			stack_pool[i].map = NULL;
		}
	pool_unlock();
	return map;
}

/* Keep map (size bytes); false when the pool is full. */
static bool pool_keep(void *map, size_t size)
{
	bool kept = false;

	pool_lock();
	if (!stack_atexit)
		stack_atexit = atexit(pool_free) == 0;
	for (unsigned i = 0; i < STACK_POOL && stack_atexit && !kept; i++)
		if (!stack_pool[i].map) {
			stack_pool[i].map = map;
			stack_pool[i].size = size;
			kept = true;
		}
	pool_unlock();
	return kept;
}

/*
 * Stacks are mappings of their own with an inaccessible guard page below
 * them: a scenario that overflows its stack faults instead of corrupting
 * the heap, and tools that follow stack switches (valgrind) do not take a
 * stack next to heap blocks for one big frame.
 */
struct coro *coro_new(size_t stack_size)
{
	struct coro *c = calloc(1, sizeof(*c));
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *map;

	if (!c)
		return NULL;
	stack_size = (stack_size + page - 1) & ~(page - 1);
	map = pool_take(stack_size + page);
	if (!map) {
		map = mmap(NULL, stack_size + page, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (map == MAP_FAILED) {
			free(c);
			return NULL;
		}
		mprotect(map, page, PROT_NONE);
	}
	c->map = map;
	c->map_size = stack_size + page;
	c->stack = (char *)map + page;
	c->size = stack_size;
#ifdef VMSA_HAVE_VALGRIND
	c->vg_id = VALGRIND_STACK_REGISTER(c->stack, (char *)c->stack + c->size);
#endif
	return c;
}

void coro_free(struct coro *c)
{
	if (!c)
		return;
#ifdef VMSA_HAVE_VALGRIND
	VALGRIND_STACK_DEREGISTER(c->vg_id);
#endif
	/* AddressSanitizer keeps the shadow of unmapped memory: redzones an
	 * abandoned execution left poisoned on this stack would be found by
	 * the next mapping of the same addresses (model memory is mmapped
	 * too) as a false stack-buffer-overflow. */
	if (c->map) {
		unpoison_stack(c);
		if (!pool_keep(c->map, c->map_size))
			munmap(c->map, c->map_size);
	}
	free(c);
}

/* ------------------------------------------------------------------ */
/* Images                                                              */
/* ------------------------------------------------------------------ */

int coro_images(void)
{
#if defined(CORO_ASAN)
	/* With detect_stack_use_after_return, AddressSanitizer keeps locals
	 * in frames of its own, off the coroutine's stack: an image would
	 * not hold them. */
	if (__asan_get_current_fake_stack())
		return 0;
#endif
	return CORO_ASM;
}

/* A byte copy that AddressSanitizer does not check: a suspended stack
 * holds its frames' redzones, poisoned, between the live bytes, and both
 * are part of the image. */
#if defined(CORO_ASAN)
__attribute__((no_sanitize_address))
static void raw_copy(unsigned char *to, const unsigned char *from, size_t n)
{
	for (size_t i = 0; i < n; i++)
		to[i] = from[i];
}
#endif

int coro_image_save(const struct coro *c, struct coro_image *img)
{
	unsigned char *top;
	size_t n;

	if (!coro_images())
		return -1;
	top = (unsigned char *)c->stack + c->size;
	n = (size_t)(top - (unsigned char *)c->sp);
	if (n > img->cap) {
		unsigned char *p = realloc(img->bytes, n);

		if (!p)
			return -1;
		img->bytes = p;
		img->cap = n;
	}
#if defined(CORO_ASAN)
	raw_copy(img->bytes, c->sp, n);
#else
	memcpy(img->bytes, c->sp, n);
#endif
	img->sp = c->sp;
	img->n = n;
	return 0;
}

void coro_image_load(struct coro *c, const struct coro_image *img)
{
	/* Frames that ran since keep their redzones in the shadow, at
	 * places where the image has live bytes: cleared first, the
	 * resumed frames then go on unpoisoned (their own epilogues clear
	 * what their prologues would have set). */
	unpoison_stack(c);
#ifdef VMSA_HAVE_MEMCHECK
	/* Memcheck takes a stack's bytes below where its pointer last was
	 * for unaddressable: they are the image's frames again. */
	VALGRIND_MAKE_MEM_UNDEFINED(img->sp, img->n);
#endif
	memcpy(img->sp, img->bytes, img->n);
	c->sp = img->sp;
}

void coro_image_free(struct coro_image *img)
{
	free(img->bytes);
	*img = (struct coro_image){0};
}

struct coro *coro_main(void)
{
	struct coro *c = calloc(1, sizeof(*c));

	return c;
}
