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
