/*
 * tests/litmus/test_litmus_rdprune.c - the read rule (docs/model.md, "A
 * read of an older message another order gives"; dpor_read_redundant in
 * src/explore/dpor.c): an execution whose plain read took a message of
 * its word older than messages other events made before it, when none of
 * those events is an ancestor of the read, is one the interleaving where
 * the read runs first gives, and is dropped. Three tests: the final
 * states must be exactly those of the unreduced search
 * (VMSA_LITMUS_NOREDUCE=1, counts in the comments), with and without the
 * rule, and the counts are pinned (the rule on, off: VMSA_ORDER_RDPRUNE=0).
 */
#include "litmus_run.h"

/* With the rule on or off (its switch: this file's rule). */
static void expect_rule(const char *text, bool rule,
			vmsa_litmus_outcome_t obs, const char *const *want,
			unsigned n, uint64_t execs)
{
	lit_expect_rule(text, "VMSA_ORDER_RDPRUNE", rule, obs, want, n, execs);
}

/*
 * Two writers of x and a thread that reads it twice. A read that takes
 * the initial value or the other writer's message while a newer message
 * of x exists is one the order where the read runs before that store
 * gives. Reading 2 then 1 is allowed (the two stores in either
 * coherence order); reading 1 then 2 leaves [x]=2. The unreduced search:
 * 440 executions, the same 12 states.
 */
static const char rda[] =
	"AArch64 RDA\n"
	"{\n"
	"int x=0;\n"
	"0:X1=x; 1:X1=x; 2:X1=x;\n"
	"}\n"
	" P0          | P1          | P2          ;\n"
	" MOV W0,#1   | MOV W0,#2   | LDR W2,[X1] ;\n"
	" STR W0,[X1] | STR W0,[X1] | LDR W3,[X1] ;\n"
	"locations [2:X2; 2:X3; x;]\n"
	"exists (2:X2=2 /\\ 2:X3=1)\n";

TEST(litmus_rdprune_two_writers_one_reader)
{
	static const char *const want[] = {
		"2:X2=0; 2:X3=0; [x]=1;", "2:X2=0; 2:X3=0; [x]=2;",
		"2:X2=0; 2:X3=1; [x]=1;", "2:X2=0; 2:X3=1; [x]=2;",
		"2:X2=0; 2:X3=2; [x]=1;", "2:X2=0; 2:X3=2; [x]=2;",
		"2:X2=1; 2:X3=1; [x]=1;", "2:X2=1; 2:X3=1; [x]=2;",
		"2:X2=1; 2:X3=2; [x]=2;", "2:X2=2; 2:X3=1; [x]=1;",
		"2:X2=2; 2:X3=2; [x]=1;", "2:X2=2; 2:X3=2; [x]=2;"};

	expect_rule(rda, true, VMSA_LITMUS_SOMETIMES, want, 12, 30);
	expect_rule(rda, false, VMSA_LITMUS_SOMETIMES, want, 12, 78);
}

/* The executions the rule drops are counted (vmsa_litmus_result_t.ruled,
 * `vmsa litmus --json`'s "ruled"): RDA's 30 executions with the rule
 * come with 18 it dropped, none blocked by a sleep set; without the
 * rule none is dropped and 78 run to their end. */
TEST(litmus_rdprune_counts_what_it_drops)
{
	vmsa_litmus_result_t r;

	CHECK_EQ(lit_run(rda, "vmsa,fatal", false, &r), 0);
	CHECK_EQ(r.executions, 30);
	CHECK_EQ(r.ruled, 18);
	CHECK_EQ(r.blocked, 0);
	vmsa_litmus_result_free(&r);
	setenv("VMSA_ORDER_RDPRUNE", "0", 1);
	CHECK_EQ(lit_run(rda, "vmsa,fatal", false, &r), 0);
	unsetenv("VMSA_ORDER_RDPRUNE");
	CHECK_EQ(r.executions, 78);
	CHECK_EQ(r.ruled, 0);
	CHECK_EQ(r.blocked, 0);
	vmsa_litmus_result_free(&r);
}

/*
 * Message passing with no barrier: P1 reads y = 1 and then the initial
 * x, older than P0's store to x. That store is an ancestor of P1's read
 * of x (P0's store to y follows it, P1's read of y read that), so the
 * execution must stay: the rule without its ancestor test loses the
 * state 1:X2=1; 1:X4=0 (Never instead of Sometimes). The unreduced
 * search: 38 executions, the same 4 states.
 */
TEST(litmus_rdprune_keeps_a_store_the_read_descends_from)
{
	static const char text[] =
		"AArch64 RDB\n"
		"{\n"
		"int x=0; int y=0;\n"
		"0:X1=x; 0:X3=y; 1:X1=x; 1:X3=y;\n"
		"}\n"
		" P0          | P1          ;\n"
		" MOV W0,#1   | LDR W2,[X3] ;\n"
		" STR W0,[X1] | LDR W4,[X1] ;\n"
		" STR W0,[X3] |             ;\n"
		"locations [1:X2; 1:X4;]\n"
		"exists (1:X2=1 /\\ 1:X4=0)\n";
	static const char *const want[] = {
		"1:X2=0; 1:X4=0;", "1:X2=0; 1:X4=1;", "1:X2=1; 1:X4=0;",
		"1:X2=1; 1:X4=1;"};

	expect_rule(text, true, VMSA_LITMUS_SOMETIMES, want, 4, 8);
	expect_rule(text, false, VMSA_LITMUS_SOMETIMES, want, 4, 14);
}

/*
 * Hardware Access flag updates (TTHM=HA): P1's SWP writes pte_y with
 * AF=0, and its event may also make a speculative update that sets AF
 * again, newer than its own store. P0's second read takes the SWP's
 * message while that update is newer: the event that made the newer
 * message also made the one read, so moving the read before it would
 * take its message away, and the execution must stay. The rule without
 * that condition loses the witness (AF 1, 0, 1: Never instead of
 * Sometimes). The unreduced search: 171 executions, the same 8 states.
 */
TEST(litmus_rdprune_keeps_a_read_of_the_same_event)
{
	static const char text[] =
		"AArch64 RDC3\n"
		"TTHM=HA\n"
		"{\n"
		"int y=0;\n"
		"pte_y=(af:0);\n"
		"0:X5=pte_y;\n"
		"1:X5=pte_y;\n"
		"1:X6=(oa:phy_y,af:0);\n"
		"}\n"
		"  P0          |  P1            ;\n"
		"LDR X7,[X5]   | SWP X6,X8,[X5] ;\n"
		"DMB LD        |                ;\n"
		"LDR X9,[X5]   |                ;\n"
		"DMB LD        |                ;\n"
		"LDR X10,[X5]  |                ;\n"
		"locations [0:X7; 0:X9; 0:X10;]\n"
		"exists\n"
		"  0:X7=(oa:phy_y,af:1) /\\\n"
		"  0:X9=(oa:phy_y,af:0) /\\\n"
		"  0:X10=(oa:phy_y,af:1)\n";
	static const char *const want[] = {
		"0:X7=(oa:PA(y)); 0:X9=(oa:PA(y)); 0:X10=(oa:PA(y));",
		"0:X7=(oa:PA(y)); 0:X9=(oa:PA(y)); 0:X10=(oa:PA(y), af:0);",
		"0:X7=(oa:PA(y)); 0:X9=(oa:PA(y), af:0); 0:X10=(oa:PA(y));",
		"0:X7=(oa:PA(y)); 0:X9=(oa:PA(y), af:0); "
		"0:X10=(oa:PA(y), af:0);",
		"0:X7=(oa:PA(y), af:0); 0:X9=(oa:PA(y)); 0:X10=(oa:PA(y));",
		"0:X7=(oa:PA(y), af:0); 0:X9=(oa:PA(y)); "
		"0:X10=(oa:PA(y), af:0);",
		"0:X7=(oa:PA(y), af:0); 0:X9=(oa:PA(y), af:0); "
		"0:X10=(oa:PA(y));",
		"0:X7=(oa:PA(y), af:0); 0:X9=(oa:PA(y), af:0); "
		"0:X10=(oa:PA(y), af:0);"};

	expect_rule(text, true, VMSA_LITMUS_SOMETIMES, want, 8, 59);
	expect_rule(text, false, VMSA_LITMUS_SOMETIMES, want, 8, 90);
}
