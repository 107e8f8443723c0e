/*
 * tests/model/test_retired.c - an access not ordered after another
 * CPU's TLBI may use the entry that TLBI removed (feature relaxed; the
 * retired set, src/model/translate.c retired_leaves, and
 * src/model/order.c order_retired_ok). B2.3.7: nothing orders such an
 * access's TTD read after the TLBI, so it may be TLBI-before it; then
 * TLBI-ordered-before orders the access before everything after the
 * TLBI's DSB, so it must still fit there in memory's order: a load reads
 * a write from before the TLBI, a store goes before it and before what
 * the issuer read since. Litmus tests from Arm's catalogue or built like
 * them, herd7's verdicts in the comments, exact states and counts.
 */

#include "harness.h"
#include "litmus/litmus_run.h"

/* P0 remaps x to y's page, TLBI VMALLE1IS, then writes z; P1 reads z,
 * then (P1_MID) accesses x with P1_X. */
#define MP_SHOOT(p1_mid, p1_x)                                               \
	"AArch64 MP+shoot\n"                                                 \
	"{ 0:X2=pte_x; 0:X1=(oa:phy_y); 0:X3=x; 1:X3=x; y=1;\n"              \
	"  0:X8=z; 1:X8=z; 1:X5=2; }\n"                                      \
	" P0              | P1          ;\n"                                 \
	" STR X1,[X2]     | LDR W7,[X8] ;\n"                                 \
	" DSB ISH         | " p1_mid " ;\n"                                  \
	" TLBI VMALLE1IS  | " p1_x " ;\n"                                    \
	" DSB ISH         |             ;\n"                                 \
	" MOV W7,#1       |             ;\n"                                 \
	" STR W7,[X8]     |             ;\n"

/* herd's MP+shoot+po+VMALL, Allowed: nothing orders P1's load of x
 * after its load of z, so it may use the old entry after seeing z = 1
 * (it goes before the TLBI and reads x's page's 0). */
TEST(retired_load_not_ordered)
{
	static const char *const st[] = {
		"1:X4=0; 1:X7=0;", "1:X4=0; 1:X7=1;",
		"1:X4=1; 1:X7=0;", "1:X4=1; 1:X7=1;",
	};
	const char *t = MP_SHOOT("NOP        ", "LDR W4,[X3]") \
		"exists (1:X7=1 /\\ 1:X4=0)\n";

	lit_expect(t, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 1, 18, st, 4);
	lit_expect(t, "vmsa,fatal,ets2", VMSA_LITMUS_SOMETIMES, 1, 21, st, 4);
}

/* herd's MP+shoot+DMBLD+VMALL, Forbidden: a DMB LD orders the load of x
 * after z = 1, so after the TLBI: no retired entry. */
TEST(retired_load_ordered_by_dmb)
{
	static const char *const st[] = {
		"1:X4=0; 1:X7=0;", "1:X4=1; 1:X7=0;", "1:X4=1; 1:X7=1;",
	};
	const char *t = MP_SHOOT("DMB LD     ", "LDR W4,[X3]") \
		"exists (1:X7=1 /\\ 1:X4=0)\n";

	lit_expect(t, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 18, st, 3);
	lit_expect(t, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 21, st, 3);
}

/* A store in place of the load (herd: Allowed, as MP+shoot+po+VMALL):
 * P1's store of 2 may use the old entry after seeing z = 1 and lands in
 * x's old page, placed before the TLBI ([x]=2 with 1:X7=1: only the
 * retired entry gives it; without it: Never, 53 executions). */
TEST(retired_store_goes_before_the_tlbi)
{
	static const char *const st[] = {
		"1:X7=0; [x]=0; [y]=2;", "1:X7=0; [x]=2; [y]=1;",
		"1:X7=1; [x]=0; [y]=2;", "1:X7=1; [x]=2; [y]=1;",
	};
	const char *t = MP_SHOOT("NOP        ", "STR W5,[X3]") \
		"locations [x; y;]\n"                                        \
		"exists (1:X7=1 /\\ x=2)\n";

	lit_expect(t, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 3, 65, st, 4);
	lit_expect(t, "vmsa,fatal,ets2", VMSA_LITMUS_SOMETIMES, 3, 81, st, 4);
}

/* herd's G2, Forbidden: P1's store to x may use the entry P0's TLBI
 * removed only where it still fits before the TLBI: after its own store
 * of 1 to the same page (through y) and before P0's load, which must
 * then see it ([x]=2 with 0:X7=0 is not reachable). */
TEST(retired_store_seen_by_the_issuer)
{
	static const char g2[] =
		"AArch64 G2\n"
		"{ 0:X1=(oa:PA(z)); 0:X2=PTE(x); 0:X3=x; 1:X3=x;\n"
		"  0:X8=y; 1:X8=y; [PTE(y)]=(oa:PA(x)); }\n"
		"  P0              |  P1         ;\n"
		" STR X1,[X2]      | MOV W4,#1   ;\n"
		" DSB ISH          | MOV W5,#2   ;\n"
		" LSR X9,X3,#12    | STR W4,[X8] ;\n"
		" TLBI VAAE1IS,X9  | STR W5,[X3] ;\n"
		" DSB ISH          |             ;\n"
		" LDR W7,[X8]      |             ;\n"
		"exists (0:X7=0 /\\ z=0 /\\ x=2)\n";
	static const char *const st[] = {
		"0:X7=0; [x]=1; [z]=2;", "0:X7=1; [x]=1; [z]=2;",
		"0:X7=2; [x]=2; [z]=0;",
	};

	lit_expect(g2, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 152, st, 3);
	lit_expect(g2, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 152, st, 3);
}
