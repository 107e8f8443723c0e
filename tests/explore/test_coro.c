/*
 * Coroutines (src/explore/coro.c): switching back and forth keeps each
 * coroutine's registers and stack, a coroutine can be restarted, and code
 * on a coroutine stack sees the ABI's stack alignment (printf of a double
 * and 16-byte aligned locals).
 */
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "harness.h"
#include "explore/coro.h"

struct pingpong {
	struct coro *main, *co;
	int counter;
	uintptr_t local_addr;
	char text[32];
};

static void worker(void *arg)
{
	struct pingpong *p = arg;
	alignas(16) double d = 0.5;
	long callee_saved = 12345;

	p->local_addr = (uintptr_t)&d;
	for (int i = 0; i < 3; i++) {
		p->counter += 10;
		snprintf(p->text, sizeof(p->text), "%.2f", d * (i + 1));
		coro_switch(p->co, p->main);
		callee_saved += 1;
	}
	p->counter = (int)callee_saved;
	coro_switch(p->co, p->main);
	/* Never resumed. */
}

TEST(coro_pingpong)
{
	struct pingpong p = {0};

	p.main = coro_main();
	p.co = coro_new(64 << 10);
	CHECK(p.main != NULL && p.co != NULL);
	if (!p.main || !p.co)
		return;
	coro_start(p.co, worker, &p);
	for (int round = 0; round < 2; round++) {
		p.counter = 0;
		for (int i = 0; i < 3; i++) {
			coro_switch(p.main, p.co);
			CHECK_EQ(p.counter, 10 * (i + 1));
			CHECK_STR(p.text, i == 0 ? "0.50" : i == 1 ? "1.00" :
						     "1.50");
		}
		CHECK_EQ(p.local_addr % 16, 0);
		coro_switch(p.main, p.co);
		CHECK_EQ(p.counter, 12348);
		/* Restart from the beginning for the second round. */
		coro_start(p.co, worker, &p);
	}
	CHECK(coro_kind()[0] != 0);
	coro_free(p.co);
	free(p.main);
}

/*
 * An image (coro_image_save/load) takes a suspended coroutine back to
 * where it was: its locals on the stack (an array and a pointer into
 * it), its callee-saved registers (a count kept in a register across
 * the switches) and where it resumes. The coroutine counts up, reporting
 * each value; the image is taken after its second report, and loaded
 * after its fourth: it reports 3, 4 again, with the same local address.
 */
struct counter {
	struct coro *main, *co;
	long seen;
	uintptr_t addr;
};

static void count_up(void *arg)
{
	struct counter *k = arg;
	volatile long arr[64];
	volatile long *p = &arr[17];
	long n = 0;

	for (unsigned i = 0; i < 64; i++)
		arr[i] = (long)i * 3;
	for (;;) {
		n++;
		*p += 1;
		k->seen = n * 1000 + *p;
		k->addr = (uintptr_t)p;
		coro_switch(k->co, k->main);
	}
}

TEST(coro_image_resumes_where_taken)
{
	struct counter k = {0};
	struct coro_image img = {0};
	uintptr_t addr;

	if (!coro_images()) {
		/* ucontext: no images; the explorer never asks for one. */
		CHECK_EQ(coro_image_save(NULL, &img), -1);
		return;
	}
	k.main = coro_main();
	k.co = coro_new(64 << 10);
	CHECK(k.main != NULL && k.co != NULL);
	if (!k.main || !k.co)
		return;
	coro_start(k.co, count_up, &k);
	coro_switch(k.main, k.co);
	CHECK_EQ(k.seen, 1000 + 52);
	coro_switch(k.main, k.co);
	CHECK_EQ(k.seen, 2000 + 53);
	addr = k.addr;
	CHECK_EQ(coro_image_save(k.co, &img), 0);
	CHECK(img.n > 64 * sizeof(long));
	coro_switch(k.main, k.co);
	coro_switch(k.main, k.co);
	CHECK_EQ(k.seen, 4000 + 55);
	coro_image_load(k.co, &img);
	coro_switch(k.main, k.co);
	CHECK_EQ(k.seen, 3000 + 54);
	CHECK_EQ(k.addr, addr);
	coro_switch(k.main, k.co);
	CHECK_EQ(k.seen, 4000 + 55);
	/* The same image again, as often as a search resumes from it. */
	coro_image_load(k.co, &img);
	coro_switch(k.main, k.co);
	CHECK_EQ(k.seen, 3000 + 54);
	coro_image_free(&img);
	CHECK(img.bytes == NULL && img.cap == 0);
	coro_free(k.co);
	free(k.main);
}
