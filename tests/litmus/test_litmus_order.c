/*
 * tests/litmus/test_litmus_order.c - descriptor stores and speculative
 * Access flag updates in memory's order against data stores that come
 * before them in program order: the hand-written tests of
 * tests/litmus/order/ with their exact final states and witness counts.
 * Each observation and each final state is herd7's (`herd7 -variant
 * vmsa,fatal[,ets2]`, herdtools7 5feffe4e8, compared state by state
 * with tests/litmus/tools/herd-states.sh); both were Never in vmsa,
 * found by herd-fuzz with three mutations per mutant (docs/litmus.md,
 * "Stores before a descriptor store").
 */
#include <stdio.h>

#include "litmus_run.h"
#include "litmus/run_int.h"

/* tests/litmus/order/NAME.litmus under variant: its observation,
 * states (n of want), witnesses and executions dropped for a promise
 * left unfulfilled. */
static void expect_dropped(const char *name, const char *variant,
			   vmsa_litmus_outcome_t obs, const char *const *want,
			   unsigned n, uint64_t pos, uint64_t neg,
			   uint64_t dropped)
{
	char path[128];

	snprintf(path, sizeof(path), "tests/litmus/order/%s.litmus", name);
	lit_expect_file_v(path, variant, false, obs, want, n, pos, neg,
			  dropped);
}

/* The same with no execution dropped. */
static void expect(const char *name, const char *variant,
		   vmsa_litmus_outcome_t obs, const char *const *want,
		   unsigned n, uint64_t pos, uint64_t neg)
{
	expect_dropped(name, variant, obs, want, n, pos, neg, 0);
}

/*
 * herd's MP-HU with no barrier between P0's two stores: P0 writes x,
 * then a valid descriptor of y with AF = 0; the hardware may set AF
 * (a speculative update, ordered with no instruction); P1 reads the
 * updated descriptor, DMB LD, then x = 0. P0's descriptor store goes
 * below its store of x in memory's order, and so may the update, right
 * after the value it updates (order.c, spec_write_ts). With the DMB ST
 * of the original test, Never (test_litmus_decided's catalogue runs).
 */
TEST(litmus_order_spec_update_early)
{
	static const char *const st[] = {
		"1:X1=(oa:PA(y)); 1:X3=0;", "1:X1=(oa:PA(y)); 1:X3=1;",
		"1:X1=(oa:PA(y), af:0); 1:X3=0;",
		"1:X1=(oa:PA(y), af:0); 1:X3=1;",
		"1:X1=(oa:PA(y), valid:0); 1:X3=0;",
		"1:X1=(oa:PA(y), valid:0); 1:X3=1;"};

	expect("MP-HU+po", "vmsa,fatal", VMSA_LITMUS_SOMETIMES, st, 6, 1,
	       48);
	expect("MP-HU+po", "vmsa,fatal,ets2", VMSA_LITMUS_SOMETIMES, st, 6,
	       1, 48);
}

/*
 * 2+2W through a PTE: P0 writes PTE(x) (STLR), DMB ST, z = 1; P1 writes
 * z = 2, DSB LD (which orders no store), then PTE(x). With z = 2 and
 * P0's PTE value last, P1's PTE store goes first in the word's order
 * though it runs after its store of z, which goes after P0's: a
 * descriptor store stays its word's newest message, so only a promise
 * of it (a store after an unordered store: promise.c, site_of) gives
 * that. With DSB ISH for the DSB LD (the catalogue's test), Never.
 */
TEST(litmus_order_pte_store_promised)
{
	static const char *const st[] = {
		"[z]=1; [PTE(x)]=(oa:PA(a));", "[z]=1; [PTE(x)]=(oa:PA(y));",
		"[z]=2; [PTE(x)]=(oa:PA(a));", "[z]=2; [PTE(x)]=(oa:PA(y));"};

	expect("D15347-2+2WExpExp+DMBST+DSB.LD", "vmsa,fatal",
	       VMSA_LITMUS_SOMETIMES, st, 4, 4, 70);
	expect("D15347-2+2WExpExp+DMBST+DSB.LD", "vmsa,fatal,ets2",
	       VMSA_LITMUS_SOMETIMES, st, 4, 4, 70);
}

/* The F2.mod-MP-sync mutants below: herd7's eight final states, in both
 * columns, 16 witnesses of 1,162 executions, 12 dropped (1,130 and 10
 * until a completed TLBI and a publishing DSB took a choice of places
 * in memory's order, order.c fence_place: the same states). */
static void expect_f2(const char *name)
{
	static const char *const st[] = {
		"0:X7=0; 1:X0=0; Fault(P1:L0,x);",
		"0:X7=0; 1:X0=0; ~Fault(P1:L0,x);",
		"0:X7=0; 1:X0=1; Fault(P1:L0,x);",
		"0:X7=0; 1:X0=1; ~Fault(P1:L0,x);",
		"0:X7=1; 1:X0=0; Fault(P1:L0,x);",
		"0:X7=1; 1:X0=0; ~Fault(P1:L0,x);",
		"0:X7=1; 1:X0=1; Fault(P1:L0,x);",
		"0:X7=1; 1:X0=1; ~Fault(P1:L0,x);"};

	expect_dropped(name, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, st, 8, 16,
		       1134, 12);
	expect_dropped(name, "vmsa,fatal,ets2", VMSA_LITMUS_SOMETIMES, st, 8,
		       16, 1134, 12);
}

/*
 * Load buffering where the promise must come after the thread's own
 * barrier: P0 writes a writable descriptor of x (STLR), DSB ISH, TLBI,
 * DMB SY, then reads x and writes y = 1 (nothing orders those two); P1
 * reads y = 1 (LDAPR), then writes x = 1 through the new descriptor
 * (STLR), which P0's read of x returns. P0's store of y is promised; a
 * promise made before P0's first instruction takes a place below the
 * descriptor store that the DMB SY orders before the store of y, which
 * then cannot fulfil it. The thread may promise again after a barrier
 * that orders its stores (interp.c, promise()). herd7 Allowed; vmsa
 * Never before (a herd-fuzz mutant of F2.mod-MP-sync, four mutations).
 */
TEST(litmus_order_promise_after_barrier)
{
	expect_f2("F2.mod-MP-sync+mutant");
}

/*
 * The same mutant with a loop that runs twice between its TLBI and its
 * DMB SY: a thread with a loop promised at its start only, so the
 * promise the DMB SY needs after it was never made (herd7 Allowed, with
 * these eight final states; vmsa Never before 2026-12-07). Threads with
 * loops now promise after their store-ordering barriers too, each site
 * the code can still reach (lit_site_ahead()).
 */
TEST(litmus_order_promise_after_barrier_in_looped_thread)
{
	expect_f2("F2.mod-MP-sync+loop");
}

/* Which sites a thread can still reach (lit_site_ahead): any at or
 * after the current instruction; one before it only along a branch
 * back (a loop), not past a forward branch. */
TEST(litmus_site_ahead)
{
	struct lit_insn in[5];
	struct lit_code c = {.insn = in, .n = 5, .cap = 5};

	memset(in, 0, sizeof(in));
	in[0].op = OP_STR;
	in[1].op = OP_DMB;
	in[2].op = OP_CBNZ;	/* back to 0 */
	in[2].target = 0;
	in[3].op = OP_STR;
	in[4].op = OP_NOP;
	CHECK(lit_site_ahead(&c, 1, 3));
	CHECK(lit_site_ahead(&c, 3, 3));
	CHECK(lit_site_ahead(&c, 2, 0));	/* the loop */
	CHECK(lit_site_ahead(&c, 1, 0));
	CHECK(!lit_site_ahead(&c, 3, 0));	/* past the loop */
	CHECK(!lit_site_ahead(&c, 4, 3));
	/* A forward branch leads to no earlier site. */
	in[2].op = OP_B;
	in[2].target = 4;
	CHECK(!lit_site_ahead(&c, 2, 0));
	CHECK(!lit_site_ahead(&c, 1, 0));
	CHECK(lit_site_ahead(&c, 1, 3));	/* at or after: offered */
}

/* Was tests/litmus/order/NAME.litmus cut off by the unrolling? */
static bool order_cut_off(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "tests/litmus/order/%s.litmus", name);
	return lit_file_cut_off(path);
}

/*
 * A fault handler's return counts towards herd7's unrolling as a
 * backward jump to the instruction it returns to (the faulting one, or
 * ELR_EL1's label): herd7 places the handler's code after the thread's,
 * so each FaultRet is a jump back (herd/mem.ml). The third return to
 * one instruction cuts the execution off and drops it. Before
 * 2026-12-07 returns were not counted: Handler+retry ran into the
 * limit of 8 faults (unsupported), Handler+resume-same counted up to
 * 7 returns.
 */
TEST(litmus_order_handler_return_counts_as_back_jump)
{
	static const char *const retry[] = {"0:X6=1;"};
	static const char *const same[] = {
		"0:X6=1; 0:X7=0;", "0:X6=1; 0:X7=1;", "0:X6=1; 0:X7=2;"};

	expect_dropped("Handler+retry", NULL, VMSA_LITMUS_ALWAYS, retry, 1, 12,
		       0, 4);
	expect_dropped("Handler+resume-same", NULL, VMSA_LITMUS_SOMETIMES, same,
		       3, 5, 4, 7);
	CHECK(order_cut_off("Handler+retry"));
	CHECK(order_cut_off("Handler+resume-same"));
}

/*
 * A jump back inside a fault handler counts towards herd7's unrolling
 * as one in the thread's code (herd7 places the handler's code after
 * the thread's), per instruction over the whole execution: a handler
 * that runs twice continues the counts of its first run. Handler+loop
 * waits for a flag in a loop on the loaded value (three iterations at
 * most); Handler+loop-twice waits twice, for two flags, so W8, its
 * iterations in all, is at most 4 (it would reach 6 with a count per
 * run). herd7's final states in both. Before 2026-12-07 the handler's
 * loops were not counted: both tests were unsupported (the promise
 * scan's paths never ended).
 */
TEST(litmus_order_handler_loop_counts)
{
	static const char *const loop[] = {"0:X0=5; 0:X7=1; 0:X8=1;",
					   "0:X0=5; 0:X7=1; 0:X8=2;",
					   "0:X0=5; 0:X7=1; 0:X8=3;"};
	static const char *const twice[] = {
		"0:X0=5; 0:X8=2;", "0:X0=5; 0:X8=3;", "0:X0=5; 0:X8=4;"};

	expect_dropped("Handler+loop", NULL, VMSA_LITMUS_ALWAYS, loop, 3, 3, 0,
		       2);
	expect_dropped("Handler+loop-twice", NULL, VMSA_LITMUS_SOMETIMES,
		       twice, 3, 4, 5, 10);
	CHECK(order_cut_off("Handler+loop"));
	CHECK(order_cut_off("Handler+loop-twice"));
}
