/*
 * tests/model/test_skip_abort.c - vmsa_skip_insn() in a Data Abort
 * handler: the handler ends the faulting instruction without retrying
 * it (ELR_ELx past it, as a kernel's exception fixup does, and as
 * herd7's `fatal` and `faultToNext` conventions need). The access is
 * not performed and returns false with the machine not stopped.
 */
#include <string.h>

#include "fixture.h"

#define UNMAPPED 0x2000ull	/* invalid level-3 entry in the fixture */

struct skip_seen {
	unsigned calls;
	bool skip;
};

static void skip_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
			 const struct vmsa_exception *e, void *arg)
{
	struct skip_seen *s = arg;

	(void)e;
	s->calls++;
	if (s->skip)
		vmsa_skip_insn(m, cpu);
}

/* A load and a store that fault, skipped: not performed, false, no
 * violation; a step for the access, the entry and the return only. */
TEST(model_skip_abort_not_performed)
{
	struct fx f;
	struct skip_seen s = {0, true};
	uint64_t v = 1, step;

	fx_setup(&f, 1, 0);
	vmsa_set_handler(f.m, 0, 1, skip_handler, &s);
	step = vmsa_steps(f.m);
	CHECK(!vmsa_read(f.m, 0, UNMAPPED, 8, &v));
	CHECK_EQ(v, 0);
	CHECK(!vmsa_stopped(f.m));
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(s.calls, 1);
	CHECK_EQ(vmsa_steps(f.m), step + 3);
	CHECK(!vmsa_write(f.m, 0, UNMAPPED, 8, 0x77));
	CHECK(!vmsa_stopped(f.m));
	CHECK_EQ(s.calls, 2);
	CHECK_EQ(vmsa_current_el(f.m, 0), 1);
	/* The CPU goes on: a mapped access completes afterwards. */
	CHECK_EQ(fx_read(&f, 0, 0x1000), 0xa0);
	fx_done(&f);
}

/* A handler that neither skips nor fixes the fault retakes it: the
 * model retries the instruction (the default, unchanged), and the
 * handler can skip on a later attempt. */
struct retry_seen {
	unsigned calls;
};

static void skip_second(vmsa_machine_t *m, vmsa_cpu_t cpu,
			const struct vmsa_exception *e, void *arg)
{
	struct retry_seen *s = arg;

	(void)e;
	if (++s->calls == 2)
		vmsa_skip_insn(m, cpu);
}

TEST(model_skip_abort_after_retry)
{
	struct fx f;
	struct retry_seen s = {0};
	uint64_t v;

	fx_setup(&f, 1, 0);
	vmsa_set_handler(f.m, 0, 1, skip_second, &s);
	CHECK(!vmsa_read(f.m, 0, UNMAPPED, 4, &v));
	CHECK_EQ(s.calls, 2);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}
