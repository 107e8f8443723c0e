/*
 * tests/litmus/test_litmus_wplace.c - a write's place below another
 * CPU's message under the reduction (docs/litmus.md, "Search size"):
 * two tests whose outcomes the write-placement rules tried for the
 * search size lose (the rule measured on branch litorder2, and one that
 * forbids a place below any message whose step does not happen before
 * the write's). Any rule that prunes placements must keep them (the
 * rule of dpor_wplace_redundant does). Exact final states (the same as
 * the unreduced search's) and the reduced search's execution count.
 */
#include <string.h>

#include "litmus_run.h"

/* Run text (vmsa,fatal) and check its observation, its final states
 * want[0 .. n) and how many executions the search made. */
static void expect_run(const char *text, vmsa_litmus_outcome_t obs,
		       const char *const *want, unsigned n, uint64_t execs)
{
	lit_expect_execs(text, "vmsa,fatal", obs, want, n, execs);
}

/*
 * herd's NT-0C-db (Arm's catalogue): P0's store to x sets the dirty
 * state of x's descriptor (a hardware update in the same step), P1's
 * store to x, which faults unless it sees that update, is then placed
 * below P0's store: [x]=1 with no fault, P0 reading y=1. P1's store can
 * only run after P0's (its walk reads the update), so its place below
 * P0's store is no other interleaving's. The rule measured on branch
 * litorder2 ("a write not below another CPU's message made since its
 * CPU's previous step") loses that state: 4 states instead of 5.
 */
TEST(litmus_wplace_store_after_the_update_it_needs)
{
	static const char text[] =
		"AArch64 NT-0C-db\n"
		"Variant=precise\n"
		"TTHM=P0:HA P0:HD\n"
		"{\n"
		"pte_x=(db:0,dbm:1);\n"
		"0:X2=x; 0:X4=y;\n"
		"1:X2=x; 1:X4=y;\n"
		"}\n"
		" P0          | P1          ;\n"
		" MOV W0,#1   | MOV W0,#1   ;\n"
		" STR W0,[X2] | STR W0,[X4] ;\n"
		" DMB SY      | DMB ST      ;\n"
		" LDR W1,[X4] | MOV W1,#2   ;\n"
		"             |L0:          ;\n"
		"             | STR W1,[X2] ;\n"
		"locations [x;]\n"
		"exists (0:X1=0 /\\ fault(P1:L0,x))\n";
	static const char *const want[] = {
		"0:X1=0; [x]=1; Fault(P1:L0,x);",
		"0:X1=0; [x]=2; ~Fault(P1:L0,x);",
		"0:X1=1; [x]=1; Fault(P1:L0,x);",
		"0:X1=1; [x]=1; ~Fault(P1:L0,x);",
		"0:X1=1; [x]=2; ~Fault(P1:L0,x);"};

	/* 87 executions without the write-placement rule
	 * (VMSA_ORDER_WPRUNE=0, with VMSA_ORDER_RPRUNE=0 and
	 * VMSA_ORDER_RDPRUNE=0). */
	expect_run(text, VMSA_LITMUS_SOMETIMES, want, 5, 41);
}

/*
 * Three CPUs: P1's stores a=1 and b=1 (no barrier) and P0's c=1; DMB;
 * a=2 in the order b=1 < c=1 < a=2 < a=1, which P2 observes (b=1 then,
 * after a DMB, c=0) with [a]=1 at the end. Every interleaving needs a
 * write placed below another CPU's message whose step does not happen
 * before the write's: c=1 below a=1 (P1's first store runs first), or
 * b=1 below c=1 (P0's stores run first). A rule forbidding every such
 * placement loses the state "2:X0=1; 2:X2=0; [a]=1;" (so does one that
 * asks only whether the other message's step happens before the
 * write's).
 */
TEST(litmus_wplace_three_writers)
{
	static const char text[] =
		"AArch64 WRR3\n"
		"{\n"
		"0:X1=c; 0:X3=a;\n"
		"1:X1=a; 1:X3=b;\n"
		"2:X1=b; 2:X3=c;\n"
		"}\n"
		" P0          | P1          | P2          ;\n"
		" MOV W0,#1   | MOV W0,#1   | LDR W0,[X1] ;\n"
		" STR W0,[X1] | STR W0,[X1] | DMB SY      ;\n"
		" DMB SY      | MOV W2,#1   | LDR W2,[X3] ;\n"
		" MOV W2,#2   | STR W2,[X3] |             ;\n"
		" STR W2,[X3] |             |             ;\n"
		"exists (a=1 /\\ 2:X0=1 /\\ 2:X2=0)\n";
	static const char *const want[] = {
		"2:X0=0; 2:X2=0; [a]=1;", "2:X0=0; 2:X2=0; [a]=2;",
		"2:X0=0; 2:X2=1; [a]=1;", "2:X0=0; 2:X2=1; [a]=2;",
		"2:X0=1; 2:X2=0; [a]=1;", "2:X0=1; 2:X2=0; [a]=2;",
		"2:X0=1; 2:X2=1; [a]=1;", "2:X0=1; 2:X2=1; [a]=2;"};

	/* The unreduced search: 98,316 executions, the same 8 states;
	 * 472 without the write-placement rule (VMSA_ORDER_WPRUNE=0, with
	 * VMSA_ORDER_RPRUNE=0 and VMSA_ORDER_RDPRUNE=0). */
	expect_run(text, VMSA_LITMUS_SOMETIMES, want, 8, 116);
}
