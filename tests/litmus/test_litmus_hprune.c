/*
 * tests/litmus/test_litmus_hprune.c - the held-entry rule (docs/model.md,
 * "A walk's older value a held entry gives"; drop_held_values() in
 * src/model/translate.c): under relaxed, a walk's older value of its
 * leaf's word that a held entry of the same translation holds is not
 * offered, as the TLB-entry choice's option for that entry gives the
 * same translation with less order. The final states must be exactly
 * those of the search without the rule (VMSA_ORDER_HPRUNE=0), reduced
 * and unreduced, and the counts are pinned.
 */
#include <stdlib.h>

#include "litmus_run.h"

/* Run text (vmsa,fatal) with the rule on or off, reduced or not, and
 * check its observation, its final states want[0 .. n) and the
 * executions. */
static void expect_rule(const char *text, bool rule, bool reduce,
			vmsa_litmus_outcome_t obs, const char *const *want,
			unsigned n, uint64_t execs)
{
	if (!rule)
		setenv("VMSA_ORDER_HPRUNE", "0", 1);
	if (!reduce)
		setenv("VMSA_LITMUS_NOREDUCE", "1", 1);
	lit_expect_execs(text, "vmsa,fatal", obs, want, n, execs);
	unsetenv("VMSA_ORDER_HPRUNE");
	unsetenv("VMSA_LITMUS_NOREDUCE");
}

/*
 * P0 remaps z's page with break-before-make while P1 reads z three
 * times. From P0's first store on, P1 may hold the old entry (every CPU
 * that caches the context may have cached it before), and until P0's
 * DSB its walks may still read the old descriptor: both give the old
 * page. The rule keeps the entry and drops the walk's old value. Reading
 * the new page and then the old one stays impossible (CoRR), and a read
 * of the invalid descriptor faults (fatal: the thread ends, 0 in its
 * registers).
 */
#define REMAP_BODY \
	"{\n" \
	"int z=1; int a=4;\n" \
	"0:X0=PTE(z); 0:X2=z; 0:X3=(oa:PA(a));\n" \
	"0:X1=(oa:PA(z),valid:0);\n" \
	"1:X4=z;\n" \
	"}\n" \
	" P0              | P1          ;\n" \
	" STR X1,[X0]     | LDR W5,[X4] ;\n" \
	" DSB ISH         | LDR W6,[X4] ;\n" \
	" LSR X9,X2,#12   | LDR W7,[X4] ;\n" \
	" TLBI VAAE1IS,X9 |             ;\n" \
	" DSB ISH         |             ;\n" \
	" STR X3,[X0]     |             ;\n" \
	"locations [1:X5; 1:X6; 1:X7;]\n" \
	"exists (1:X5=4 /\\ 1:X7=1)\n"

static const char remap_text[] = "AArch64 HPR3\n" REMAP_BODY;
/* The same with hardware Access flag management: the old leaf has
 * AF = 1, so neither its walk nor the held entry updates it, and the
 * rule applies (no_hw_update() in translate.c). */
static const char remap_ha_text[] = "AArch64 HPR3-HA\nTTHM=HA\n" REMAP_BODY;

static const char *const remap_want[] = {
	"1:X5=0; 1:X6=0; 1:X7=0;", "1:X5=1; 1:X6=0; 1:X7=0;",
	"1:X5=1; 1:X6=1; 1:X7=0;", "1:X5=1; 1:X6=1; 1:X7=1;",
	"1:X5=1; 1:X6=1; 1:X7=4;", "1:X5=1; 1:X6=4; 1:X7=0;",
	"1:X5=1; 1:X6=4; 1:X7=4;", "1:X5=4; 1:X6=0; 1:X7=0;",
	"1:X5=4; 1:X6=4; 1:X7=0;", "1:X5=4; 1:X6=4; 1:X7=4;"};

TEST(litmus_hprune_reduced_ha)
{
	expect_rule(remap_ha_text, true, true, VMSA_LITMUS_NEVER, remap_want,
		    10, 53);
	expect_rule(remap_ha_text, false, true, VMSA_LITMUS_NEVER,
		    remap_want, 10, 158);
}

TEST(litmus_hprune_reduced)
{
	expect_rule(remap_text, true, true, VMSA_LITMUS_NEVER, remap_want, 10,
		    53);
	expect_rule(remap_text, false, true, VMSA_LITMUS_NEVER, remap_want,
		    10, 158);
}

/* The same without the reduction: the rule is the model's, so it drops
 * executions of the plain search too, with the same states. */
TEST(litmus_hprune_unreduced)
{
	expect_rule(remap_text, true, false, VMSA_LITMUS_NEVER, remap_want,
		    10, 675);
	expect_rule(remap_text, false, false, VMSA_LITMUS_NEVER, remap_want,
		    10, 1408);
}
