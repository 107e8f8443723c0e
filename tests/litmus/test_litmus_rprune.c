/*
 * tests/litmus/test_litmus_rprune.c - the retired-entry rule
 * (docs/model.md, "An access through a retired entry it could precede";
 * dpor_retired_redundant in src/explore/dpor.c): an execution whose
 * plain load or store used an entry another CPU's TLBI retired, when
 * that TLBI's completion is no ancestor of the access, is one the
 * interleaving where the access runs first gives, and is dropped. Two
 * tests where the rule drops executions: the final states must be
 * exactly those of the unreduced search, with and without the rule,
 * and the counts are pinned (the rule on, off: VMSA_ORDER_RPRUNE=0).
 */
#include "litmus_run.h"

/* With the rule on or off (its switch: this file's rule). */
static void expect_rule(const char *text, bool rule,
			vmsa_litmus_outcome_t obs, const char *const *want,
			unsigned n, uint64_t execs)
{
	lit_expect_rule(text, "VMSA_ORDER_RPRUNE", rule, obs, want, n, execs);
}

/*
 * P1 reads z twice while P0 remaps z's page with break-before-make. A
 * read after P0's second DSB may still use the old entry, retired by the
 * TLBI (nothing orders it after the TLBI); when P1 made no step the TLBI
 * is an ancestor of, the interleaving where the read runs before the
 * second DSB gives the same. Reading the new page and then the old one
 * stays impossible (CoRR). The unreduced search
 * (VMSA_LITMUS_NOREDUCE=1): 257 executions, the same 6 states.
 */
TEST(litmus_rprune_reads_through_the_old_entry)
{
	static const char text[] =
		"AArch64 RPR\n"
		"{\n"
		"int z=1; int a=4;\n"
		"0:X6=PTE(z); 0:X3=z; 0:X7=(oa:PA(a));\n"
		"0:X9=(oa:PA(z),valid:0);\n"
		"1:X3=z;\n"
		"}\n"
		" P0              | P1          ;\n"
		" STR X9,[X6]     | LDR W1,[X3] ;\n"
		" DSB ISH         | LDR W2,[X3] ;\n"
		" LSR X8,X3,#12   |             ;\n"
		" TLBI VAAE1IS,X8 |             ;\n"
		" DSB ISH         |             ;\n"
		" STR X7,[X6]     |             ;\n"
		"locations [1:X1; 1:X2; z;]\n"
		"exists (1:X1=4 /\\ 1:X2=1)\n";
	/* 1:X1=0: the load faulted (fatal: the thread ends there). */
	static const char *const want[] = {
		"1:X1=0; 1:X2=0; [z]=1;", "1:X1=1; 1:X2=0; [z]=1;",
		"1:X1=1; 1:X2=1; [z]=1;", "1:X1=1; 1:X2=4; [z]=1;",
		"1:X1=4; 1:X2=0; [z]=1;", "1:X1=4; 1:X2=4; [z]=1;"};

	expect_rule(text, true, VMSA_LITMUS_NEVER, want, 6, 24);
	expect_rule(text, false, VMSA_LITMUS_NEVER, want, 6, 31);
}

/*
 * A random program of test_litmus_wplace_random.c (gen_z_test, program
 * 35): P1's store to z may use the retired entry after P0's remap, but
 * P1's earlier store to y and P0's store to y are ordered (the same
 * word), and through them P0's second DSB is an ancestor of P1's store
 * to z when P0's store to y ran first: that execution must stay. The
 * rule without its ancestor test loses a state here. The unreduced
 * search (VMSA_LITMUS_NOREDUCE=1): 1,761 executions, the same 4 states
 * (279 and 303 below, 1,714 unreduced, until a completed TLBI took a
 * choice of places in memory's order: order.c, fence_place).
 */
TEST(litmus_rprune_keeps_a_tlbi_the_access_descends_from)
{
	static const char text[] =
		"AArch64 RP35\n"
		"{\n"
		"int x=0; int y=0; int z=0; int a=9;\n"
		"0:X2=y; 0:X3=z; 0:X6=PTE(z); 0:X7=(oa:PA(a));\n"
		"0:X9=(oa:PA(z),valid:0);\n"
		"1:X2=y; 1:X3=z;\n"
		"}\n"
		" P0              | P1           ;\n"
		" STR X9,[X6]     | MOV W21,#21  ;\n"
		" DSB ISH         | STR W21,[X2] ;\n"
		" LSR X8,X3,#12   | MOV W21,#22  ;\n"
		" TLBI VAAE1IS,X8 | STR W21,[X3] ;\n"
		" DSB ISH         |              ;\n"
		" STR X7,[X6]     |              ;\n"
		" MOV W21,#11     |              ;\n"
		" STR W21,[X2]    |              ;\n"
		"locations [y; z;]\n"
		"exists (y=21)\n";
	static const char *const want[] = {
		"[y]=11; [z]=0;", "[y]=11; [z]=22;", "[y]=21; [z]=0;",
		"[y]=21; [z]=22;"};

	expect_rule(text, true, VMSA_LITMUS_SOMETIMES, want, 4, 340);
	expect_rule(text, false, VMSA_LITMUS_SOMETIMES, want, 4, 364);
}
