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

/* Run text in both columns (vmsa,fatal and vmsa,fatal,ets2): the same
 * observation, positive count and states, negative counts neg[0] and
 * neg[1]. */
static void expect_both(const char *text, vmsa_litmus_outcome_t outcome,
			uint64_t pos, const uint64_t neg[2],
			const char *const *st, unsigned n)
{
	lit_expect(text, "vmsa,fatal", outcome, pos, neg[0], st, n);
	lit_expect(text, "vmsa,fatal,ets2", outcome, pos, neg[1], st, n);
}

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

/* The final states of MP_SHOOT's load of x: 1:X4=0 after z = 1 only
 * where nothing orders the load after P1's load of z. */
static const char *const mp_load_all[] = {
	"1:X4=0; 1:X7=0;", "1:X4=0; 1:X7=1;", "1:X4=1; 1:X7=0;",
	"1:X4=1; 1:X7=1;",
};
static const char *const mp_load_ordered[] = {
	"1:X4=0; 1:X7=0;", "1:X4=1; 1:X7=0;", "1:X4=1; 1:X7=1;",
};
static const uint64_t mp_counts[2] = {13, 13};

/* herd's MP+shoot+po+VMALL, Allowed: nothing orders P1's load of x
 * after its load of z, so it may use the old entry after seeing z = 1
 * (it goes before the TLBI and reads x's page's 0). */
TEST(retired_load_not_ordered)
{
	expect_both(MP_SHOOT("NOP        ", "LDR W4,[X3]")
		    "exists (1:X7=1 /\\ 1:X4=0)\n",
		    VMSA_LITMUS_SOMETIMES, 1, mp_counts, mp_load_all, 4);
}

/* herd's MP+shoot+DMBLD+VMALL, Forbidden: a DMB LD orders the load of x
 * after z = 1, so after the TLBI: no retired entry. */
TEST(retired_load_ordered_by_dmb)
{
	expect_both(MP_SHOOT("DMB LD     ", "LDR W4,[X3]")
		    "exists (1:X7=1 /\\ 1:X4=0)\n",
		    VMSA_LITMUS_NEVER, 0, mp_counts, mp_load_ordered, 3);
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
	/* With ETS2 37 -> 39 since the store that goes before the TLBI
	 * compares P0's walks after it (order_walks_missed,
	 * test_tlbi_ob_walks.c), same states. */
	static const uint64_t neg[2] = {37, 39};

	expect_both(MP_SHOOT("NOP        ", "STR W5,[X3]")
		    "locations [x; y;]\n"
		    "exists (1:X7=1 /\\ x=2)\n",
		    VMSA_LITMUS_SOMETIMES, 3, neg, st, 4);
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
	/* {70, 70} until P0's TLBI took a choice of places in memory's
	 * order (order.c, fence_place): the same states. */
	static const uint64_t neg[2] = {90, 87};

	expect_both(g2, VMSA_LITMUS_NEVER, 0, neg, st, 3);
}

/* G1's shape with a load of x first (herd: Forbidden, as G1): P1's load
 * caches x's entry before P0's TLBI, its store may use that entry after
 * the TLBI only before P0's later load of x's page, which then reads 2
 * (P0's reads after the TLBI count as ordered after it; without that,
 * 0:X7=0 with [x]=2 appears). */
TEST(retired_store_before_the_issuers_later_read)
{
	static const char g1_load[] =
		"AArch64 G1+load\n"
		"{ 0:X1=(oa:PA(z)); 0:X2=PTE(x); 0:X3=x; 1:X3=x; 0:X8=y;\n"
		"  [PTE(y)]=(oa:PA(x)); }\n"
		"  P0              |  P1         ;\n"
		" STR X1,[X2]      | LDR W6,[X3] ;\n"
		" DSB ISH          | MOV W5,#2   ;\n"
		" LSR X9,X3,#12    | STR W5,[X3] ;\n"
		" TLBI VAAE1IS,X9  |             ;\n"
		" DSB ISH          |             ;\n"
		" LDR W7,[X8]      |             ;\n"
		"exists (0:X7=0 /\\ z=0 /\\ x=2)\n";
	static const char *const st[] = {
		"0:X7=0; [x]=0; [z]=2;", "0:X7=2; [x]=2; [z]=0;",
	};
	/* 75 before the same-low-order-bits rule (translate.c,
	 * fresh_since): the same states. */
	static const uint64_t neg[2] = {77, 77};

	expect_both(g1_load, VMSA_LITMUS_NEVER, 0, neg, st, 2);
}

/* P0 loads x at offset OFF, then x; P1 makes x's entry invalid, TLBI,
 * and maps x to y's frame (herd's coRR-pte9 and coRR-pte9-plus8). */
#define CORR_PTE9(off, init)                                                 \
	"AArch64 coRR-pte9\n"                                                \
	"{ " init " 0:X1=x; 1:X3=pte_x; 1:X1=x;\n"                           \
	"  1:X0=(oa:phy_x,valid:0,db:1); 1:X4=(oa:phy_y,db:1); }\n"          \
	" P0                  | P1              ;\n"                         \
	" L1:LDR W2,[X1" off "] | STR X0,[X3]     ;\n"                       \
	" L0:LDR W4,[X1]      | DSB ISH         ;\n"                         \
	"                     | LSR X9,X1,#12   ;\n"                         \
	"                     | TLBI VAAE1IS,X9 ;\n"                         \
	"                     | DSB ISH         ;\n"                         \
	"                     | STR X4,[X3]     ;\n"                         \
	"locations [0:X2;0:X4;]\n"                                           \
	"exists (0:X2=1 /\\ 0:X4=0 /\\ ~fault(P0:L0,x))\n"

/* Every final state of CORR_PTE9, sorted: the fourth only without ETS2
 * (the second load faults after the first saw the new entry; ets-ob
 * orders that walk after the first load), the fifth only out of order
 * (the witness). */
static const char *const corr_states[] = {
	"0:X2=0; 0:X4=0; Fault(P0:L0,x);",
	"0:X2=0; 0:X4=0; ~Fault(P0:L0,x);",
	"0:X2=0; 0:X4=1; ~Fault(P0:L0,x);",
	"0:X2=1; 0:X4=0; Fault(P0:L0,x);",
	"0:X2=1; 0:X4=0; ~Fault(P0:L0,x);",
	"0:X2=1; 0:X4=1; ~Fault(P0:L0,x);",
};

/* Run CORR_PTE9 text in both columns; `witness`: the out-of-order state
 * is reachable (Sometimes). */
static void expect_corr(const char *text, bool witness)
{
	static const char *const variant[2] = {"vmsa,fatal",
					       "vmsa,fatal,ets2"};
	static const uint64_t neg[2] = {24, 23};

	for (unsigned v = 0; v < 2; v++) {
		const char *st[6];
		unsigned n = 0;

		for (unsigned i = 0; i < 6; i++)
			if ((i != 3 || !v) && (i != 4 || witness))
				st[n++] = corr_states[i];
		lit_expect(text, variant[v], witness ? VMSA_LITMUS_SOMETIMES :
			   VMSA_LITMUS_NEVER, witness, neg[v], st, n);
	}
}

/* The second load (of x) may use the old entry, the first (of x+8) the
 * new one: its TTD read is TLBI-before the TLBI (herd's coRR-pte9-plus8,
 * Allowed). */
TEST(retired_two_loads_of_a_page_out_of_order)
{
	expect_corr(CORR_PTE9(",#8", "int x[3]={0,0,0}; int y[3]={1,1,1};"),
		    true);
}

/* At the same address the second load cannot go back to the old entry
 * (TLBI-ordered-before's same-low-order-bits clause: herd's coRR-pte9,
 * Forbidden). */
TEST(retired_two_loads_of_an_address_in_order)
{
	expect_corr(CORR_PTE9("   ", "pte_x=(db:1); y=1;"), false);
}
