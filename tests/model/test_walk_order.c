/*
 * tests/model/test_walk_order.c - what orders a walk's TTD reads after
 * an earlier load (feature relaxed; docs/model.md, "Ordering of
 * translation table walks"), run as litmus tests with herd7's final
 * states:
 *  - B2.3.7 Barrier-ordered-before ends at Explicit Memory Effects and
 *    MMU Fault Effects: a DMB LD or an acquire orders a later access and
 *    its fault after an earlier load, not the walk's Implicit TTD reads.
 *    An ISB adds nothing when no address, control dependency or DSB
 *    feeds it (Instruction-fetch-barrier-ordered-before). So the walk
 *    may read a descriptor older than a hardware update the load
 *    observed (herd: NT-10-dsb+dmbld-isb Allowed);
 *  - a DSB then an ISB does order it (DSB-ordered-before, then
 *    IFB-ordered-before reaches Implicit TTD reads), and so does FEAT_ETS2
 *    (ets-ob: earlier explicit accesses before a walk that gives a
 *    Translation or Access flag fault);
 *  - an access ordered after another CPU's completed TLBI (here by a DMB
 *    LD) takes a walk after that TLBI, which reads nothing the TLBI's
 *    DSB ordered before it (TLBI-ordered-before, TLBI-coherence-after:
 *    herd's NT-10-tlbi Forbidden).
 * Two loads of one page translated out of order: test_retired.c.
 */
#include <string.h>

#include "harness.h"
#include "litmus/litmus_run.h"

/* P0's walk sets x's AF (HA), a DSB SY orders that before its store to
 * y; P1 loads y, then P1_ORDER, then loads x (the walk may read AF = 0:
 * an Access flag fault). */
#define NT10(p1_load, p1_order, p1_isb)                                      \
	"AArch64 NT-10\nTTHM=P0:HA\nVariant=precise\n"                       \
	"{ pte_x=(af:0); x=1; 0:X0=x; 0:X4=y; 1:X0=y; 1:X2=x; }\n"           \
	" P0          | P1              ;\n"                                 \
	" LDR W1,[X0] | " p1_load " ;\n"                                     \
	" DSB SY      | " p1_order " ;\n"                                    \
	" MOV W3,#1   | " p1_isb " ;\n"                                      \
	" STR W3,[X4] |L1:              ;\n"                                 \
	"             | LDR W3,[X2]     ;\n"                                 \
	"exists 1:X1=1 /\\ fault(P1:L1,x)\n"

static const char *const all4[] = {
	"1:X1=0; Fault(P1:L1,x);",
	"1:X1=0; ~Fault(P1:L1,x);",
	"1:X1=1; Fault(P1:L1,x);",
	"1:X1=1; ~Fault(P1:L1,x);",
};
static const char *const no_fault_after_y[] = {
	"1:X1=0; Fault(P1:L1,x);",
	"1:X1=0; ~Fault(P1:L1,x);",
	"1:X1=1; ~Fault(P1:L1,x);",
};

/* Run text under variant; check outcome, states and execution counts. */
static void expect(const char *text, const char *variant,
		   vmsa_litmus_outcome_t outcome, const char *const *want,
		   unsigned n, uint64_t pos, uint64_t neg)
{
	lit_expect(text, variant, outcome, pos, neg, want, n);
}

/* What a barrier that orders the fault but not the walk gives: AF = 0
 * may be read after y = 1 without ETS2; with ETS2 the walk is ordered
 * after the load of y (ets-ob). */
static void expect_walk_not_ordered(const char *t)
{
	/* 2 + 13 and 13 before early walks' windows were views under
	 * relaxed (tlbu_window() in translate.c): the same states. */
	expect(t, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, all4, 4, 3, 14);
	expect(t, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, no_fault_after_y, 3,
	       0, 14);
}

/* herd's NT-10-dsb+dmbld-isb: DMB LD then ISB orders the fault, not the
 * walk. */
TEST(walk_order_dmb_ld_isb_does_not_order_walk)
{
	expect_walk_not_ordered(NT10("LDR W1,[X0]    ", "DMB LD         ",
				     "ISB            "));
}

/* The same with an acquire (LDAR: [A]; po ends at Explicit and MMU Fault
 * Effects too). */
TEST(walk_order_acquire_does_not_order_walk)
{
	expect_walk_not_ordered(NT10("LDAR W1,[X0]   ", "NOP            ",
				     "ISB            "));
}

/* DSB SY then ISB orders the walk after the load (DSB-ordered-before;
 * IFB-ordered-before). */
TEST(walk_order_dsb_isb_orders_walk)
{
	const char *t = NT10("LDR W1,[X0]    ", "DSB SY         ",
			     "ISB            ");

	/* 13 here and 14 with ETS2 below before early walks' windows were
	 * views under relaxed (tlbu_window() in translate.c): the same
	 * states. */
	expect(t, "vmsa,fatal", VMSA_LITMUS_NEVER, no_fault_after_y, 3, 0,
	       14);
	/* 18 without the write-placement rule (VMSA_ORDER_WPRUNE=0, with
	 * VMSA_ORDER_RPRUNE=0 and VMSA_ORDER_RDPRUNE=0: the three rules
	 * off, the windows refined), with
	 * windows nobody observes (docs/explorer.md): with ETS2 the DSB
	 * SY's window, which the ISB's overwrites before any walk, no
	 * longer races. The rule counts every window as observed: 19, the
	 * same states. */
	expect(t, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, no_fault_after_y, 3,
	       0, 16);
}

/* herd's NT-10-tlbi: P0 invalidates x's entry between its DSB and its
 * store; P1's access after DMB LD takes a walk after that TLBI, which
 * cannot read AF = 0. */
TEST(walk_order_dmb_ld_after_tlbi)
{
	static const char *const want[] = {
		"1:X1=0; 1:X3=0; Fault(P1:L1,x);",
		"1:X1=0; 1:X3=1; ~Fault(P1:L1,x);",
		"1:X1=1; 1:X3=1; ~Fault(P1:L1,x);",
	};
	const char *t =
		"AArch64 NT-10-tlbi\nTTHM=P0:HA\nVariant=precise\n"
		"{ pte_x=(af:0); x=1; 0:X0=x; 0:X4=y; 1:X0=y; 1:X2=x; }\n"
		" P0              | P1          ;\n"
		" LDR W1,[X0]     | LDR W1,[X0] ;\n"
		" DSB ISH         | DMB LD      ;\n"
		" LSR X8,X0,#12   |L1:          ;\n"
		" TLBI VAAE1IS,X8 | LDR W3,[X2] ;\n"
		" DSB ISH         |             ;\n"
		" MOV W3,#1       |             ;\n"
		" STR W3,[X4]     |             ;\n"
		"locations [1:X3;]\n"
		"exists 1:X1=1 /\\ fault(P1:L1,x)\n";

	expect(t, "vmsa,fatal", VMSA_LITMUS_NEVER, want, 3, 0, 18);
	expect(t, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, want, 3, 0, 18);
}
