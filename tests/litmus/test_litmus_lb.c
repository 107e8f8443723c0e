/*
 * tests/litmus/test_litmus_lb.c - load buffering (promises, docs/litmus.md
 * "Load buffering"): the hand-written tests of tests/litmus/lb/ with
 * their exact final states, witness counts and dropped executions.
 * Verdicts are Arm's (herd7's aarch64.cat): LB, LB+dmb.sy+po and LB+pte
 * (the store a descriptor store) Allowed;
 * with address, data or control dependencies or DMB SY on both sides
 * Forbidden (no out-of-thin-air values).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "litmus_run.h"

static const char *const none_11[] = {
	"0:X0=0; 1:X0=0;", "0:X0=0; 1:X0=1;", "0:X0=1; 1:X0=0;"};
static const char *const all_4[] = {
	"0:X0=0; 1:X0=0;", "0:X0=0; 1:X0=1;", "0:X0=1; 1:X0=0;",
	"0:X0=1; 1:X0=1;"};

/* name's observation, its states (n of want), its witnesses and how
 * many executions were dropped for a promise left unfulfilled
 * (tests/litmus/lb/NAME.litmus; sc: on sequentially consistent
 * memory). */
static void expect(const char *name, bool sc, vmsa_litmus_outcome_t obs,
		   const char *const *want, unsigned n, uint64_t pos,
		   uint64_t neg, uint64_t dropped)
{
	char path[128];

	snprintf(path, sizeof(path), "tests/litmus/lb/%s.litmus", name);
	lit_expect_file(path, sc, obs, want, n, pos, neg, dropped);
}

TEST(litmus_lb_allowed)
{
	/* Each CPU may promise its store; the other reads it. */
	expect("LB", false, VMSA_LITMUS_SOMETIMES, all_4, 4, 12, 70, 0);
	/* P0's DMB SY orders its read first, P1 still promises. */
	expect("LB+dmb.sy+po", false, VMSA_LITMUS_SOMETIMES, all_4, 4, 1,
	       21, 0);
}

TEST(litmus_lb_forbidden)
{
	/* Dependencies and DMBs order each store after its read: no
	 * store needs a promise, none is offered (the search is as
	 * without promises: 4 executions; 8 without the read rule,
	 * VMSA_ORDER_RDPRUNE=0; 10 without it and the write-placement
	 * rule, VMSA_ORDER_WPRUNE=0 and VMSA_ORDER_RPRUNE=0). */
	expect("LB+addrs", false, VMSA_LITMUS_NEVER, none_11, 3, 0, 4, 0);
	expect("LB+datas", false, VMSA_LITMUS_NEVER, none_11, 3, 0, 4, 0);
	expect("LB+ctrls", false, VMSA_LITMUS_NEVER, none_11, 3, 0, 4, 0);
	expect("LB+dmb.sys", false, VMSA_LITMUS_NEVER, none_11, 3, 0, 4, 0);
}

TEST(litmus_lb_sc)
{
	/* --sc: sequentially consistent memory, no promises. */
	expect("LB", true, VMSA_LITMUS_NEVER, none_11, 3, 0, 3, 0);
}

TEST(litmus_lb_unfulfilled_dropped)
{
	static const char *const want[] = {"0:X0=0;"};

	/* P1's store to the read-only x faults: the executions where P1
	 * promised it end with the promise pending and are dropped. Such
	 * an execution ends there, P0 with it (explore_end): 23 dropped
	 * (34 without the read rule, VMSA_ORDER_RDPRUNE=0; 36 without it
	 * and the write-placement rule, VMSA_ORDER_WPRUNE=0 and
	 * VMSA_ORDER_RPRUNE=0), 44 when P0 went on to its end
	 * (VMSA_LITMUS_NOEND, the rules on before the read rule). */
	expect("LB+ro", false, VMSA_LITMUS_NEVER, want, 1, 0, 11, 23);
}

TEST(litmus_lb_descriptor_store)
{
	static const char *const all[] = {
		"0:X1=1; 1:X1=0;", "0:X1=1; 1:X1=1;", "0:X1=2; 1:X1=0;",
		"0:X1=2; 1:X1=1;"};

	/* P1 remaps x to z's page after reading y; P0's walk of x reads
	 * the new descriptor before P1's read is done and P0's store of y
	 * is what P1 reads (herd7 Allowed; Never before descriptor stores
	 * were promised, 2026-12-06): P1's promise is the descriptor store
	 * itself, published to walks only from its fulfilment on. */
	expect("LB+pte", false, VMSA_LITMUS_SOMETIMES, all, 4, 5, 72, 8);
	/* A DMB SY orders the read first: no promise (herd7 Forbidden);
	 * the 2 dropped are P0's promise of y left unfulfilled. */
	expect("LB+pte+dmb", false, VMSA_LITMUS_NEVER, all, 3, 0, 16, 2);
}
