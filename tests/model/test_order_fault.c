/*
 * tests/model/test_order_fault.c - how Arm's ordering of data accesses
 * (feature relaxed, src/model/order.c) orders faulting accesses, the
 * handlers they enter and the accesses around them (Arm ARM B2.3.7,
 * whose relations name MMU Fault Effects; the fault types are RYLSQG's),
 * run as litmus tests from Arm's catalogue (herd7's verdicts in the
 * comments). Each asserts the exact observation: how many executions
 * reach the final condition and how many do not.
 */

#include "harness.h"
#include "litmus/litmus_run.h"

/* Run text under variant: the observation and its two counts. */
static void expect(const char *text, const char *variant,
		   vmsa_litmus_outcome_t want, uint64_t pos, uint64_t neg)
{
	lit_expect(text, variant, want, pos, neg, NULL, 0);
}

/* P1 reads y, then stores through an address that depends on it to an
 * invalid page; its handler reads x. */
static const char mp_addr_fault[] =
	"AArch64 MP+rel+addr-mmufault-po\n"
	"{ [PTE(z)]=(oa:PA(z), valid:0);\n"
	"  0:X1=y; 0:X3=x; 1:X1=y; 1:X3=x; 1:X5=z; }\n"
	" P0           | P1                   | P1.F        ;\n"
	" MOV W2,#1    | LDR W0,[X1]          |             ;\n"
	" STR W2,[X3]  | EOR W6,W0,W0         |             ;\n"
	" MOV W0,#1    | STR WZR,[X5,W6,SXTW] | LDR W2,[X3] ;\n"
	" STLR W0,[X1] |                      |             ;\n"
	"exists (1:X0=1 /\\ 1:X2=0)\n";

/* The same with a data dependency instead. */
static const char mp_data_fault[] =
	"AArch64 MP+rel+data-mmufault-po\n"
	"{ [PTE(z)]=(oa:PA(z), valid:0);\n"
	"  0:X1=y; 0:X3=x; 1:X1=y; 1:X3=x; 1:X5=z; }\n"
	" P0           | P1          | P1.F        ;\n"
	" MOV W2,#1    | LDR W0,[X1] |             ;\n"
	" STR W2,[X3]  | STR W0,[X5] | LDR W2,[X3] ;\n"
	" MOV W0,#1    |             |             ;\n"
	" STLR W0,[X1] |             |             ;\n"
	"exists (1:X0=1 /\\ 1:X2=0)\n";

/*
 * Instruction-fetch-barrier-ordered-before: the walk's read is
 * Translation-intrinsically-before the fault, an exception entry and so
 * an Instruction Fetch Barrier Effect, which orders it before every
 * later Effect; the walk is ordered after the load by the address
 * dependency (Address dependency to an Implicit TTD Memory Read
 * Effect). herd7: Forbidden in both variants.
 */
TEST(order_fault_addr_orders_handler)
{
	expect(mp_addr_fault, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 3);
	expect(mp_addr_fault, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 3);
}

/*
 * A data dependency reaches only the write, which a faulting store does
 * not make: without ETS2 nothing orders the load before the handler
 * (herd7 Allowed). With ETS2 a Translation fault is TLBUncacheable and
 * ETS-ordered-before orders every earlier explicit access before its
 * walk (herd7 Forbidden).
 */
TEST(order_fault_ets2_orders_earlier_accesses)
{
	expect(mp_data_fault, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 1, 3);
	expect(mp_data_fault, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 3);
}

/*
 * Barrier-ordered-before orders a write before a later MMU Fault Effect
 * across DMB ST, but nothing orders the fault before its handler's
 * read: herd7 Allowed without ETS2, Forbidden with it (ETS-ordered-
 * before, as above).
 */
TEST(order_fault_dmb_st_does_not_order_handler)
{
	static const char t[] =
		"AArch64 R+rel+dmb.st-mmufault-po\n"
		"{ [PTE(z)]=(oa:PA(z), valid:0);\n"
		"  0:X1=y; 0:X3=x; 1:X1=y; 1:X3=x; 1:X5=z; }\n"
		" P0           | P1           | P1.F        ;\n"
		" MOV W2,#1    | MOV W0,#2    |             ;\n"
		" STR W2,[X3]  | STR W0,[X1]  |             ;\n"
		" MOV W0,#1    | DMB ST       | LDR W2,[X3] ;\n"
		" STLR W0,[X1] | STR WZR,[X5] |             ;\n"
		"exists ([y]=2 /\\ 1:X2=0)\n";

	expect(t, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 3, 11);
	expect(t, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 8);
}

/*
 * DSB-ordered-before: a DSB ST orders earlier writes before every later
 * Effect but walks, reads included (a DMB ST only before writes): SB
 * with DSB ST is Forbidden, with DMB ST Allowed (herd7 both).
 */
TEST(order_dsb_st_orders_later_reads)
{
	static const char sb[] =
		"AArch64 SB+dsb.sts\n{ 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }\n"
		" P0          | P1          ;\n"
		" MOV W0,#1   | MOV W0,#1   ;\n"
		" STR W0,[X1] | STR W0,[X1] ;\n"
		" DSB ST      | DSB ST      ;\n"
		" LDR W2,[X3] | LDR W2,[X3] ;\n"
		"exists (0:X2=0 /\\ 1:X2=0)\n";
	static const char sb_dmb[] =
		"AArch64 SB+dmb.sts\n{ 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }\n"
		" P0          | P1          ;\n"
		" MOV W0,#1   | MOV W0,#1   ;\n"
		" STR W0,[X1] | STR W0,[X1] ;\n"
		" DMB ST      | DMB ST      ;\n"
		" LDR W2,[X3] | LDR W2,[X3] ;\n"
		"exists (0:X2=0 /\\ 1:X2=0)\n";

	expect(sb, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 4);
	expect(sb_dmb, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 4, 8);
}

/*
 * Barrier-ordered-before: the release write of an atomic whose read has
 * Acquire semantics (SWPAL) is ordered before every later Effect, and
 * after every earlier one ([Exp M]; po; [Exp W & L]): the load of y is
 * ordered before the load of x (herd7 Forbidden).
 */
TEST(order_swpal_orders_both_ways)
{
	static const char t[] =
		"AArch64 MP+rel+acqrel-po\n"
		"{ 0:X1=y; 0:X3=x; 1:X1=y; 1:X3=x; 1:X9=w; }\n"
		" P0           | P1               ;\n"
		" MOV W2,#1    |                  ;\n"
		" STR W2,[X3]  | LDR W0,[X1]      ;\n"
		" MOV W0,#1    | SWPAL W7,W8,[X9] ;\n"
		" STLR W0,[X1] | LDR W2,[X3]      ;\n"
		"exists (1:X0=1 /\\ 1:X2=0)\n";

	/* 5 executions before the SWPAL's write could go below P0's
	 * messages (rmw_write_ts): the same states. */
	expect(t, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 10);
}

/*
 * TLBI-ordered-before: an Access flag fault after DMB ST is ordered
 * after P1's store of y; its walk read the old descriptor, so it is
 * TLBI-before P0's completed TLBI, and the fault is ordered before P0's
 * store of y after that TLBI's DSB: y = 2 last with the fault is
 * Forbidden (herd7). With the CPU's own TLBI that relation does not
 * apply (it orders into another PE's Effects only), and the early walk
 * of coWRExpNExp+DSB-TLBI-DSB may still fault without ETS2 (herd7
 * Allowed; Forbidden with ETS2).
 */
TEST(order_fault_after_other_cpu_tlbi)
{
	static const char shoot[] =
		"AArch64 R+shoot+dmb.st-mmufault_af\n"
		"{ [PTE(x)]=(oa:PA(x), af:0);\n"
		"  0:X1=x; 0:X3=y; pteval_t 0:X7=(oa:PA(x), af:1);\n"
		"  0:X8=PTE(x); 1:X1=x; 1:X3=y; }\n"
		" P0              | P1          ;\n"
		" STR X7,[X8]     | MOV W2,#2   ;\n"
		" DSB SY          | STR W2,[X3] ;\n"
		" LSR X9,X1,#12   | DMB ST      ;\n"
		" TLBI VAAE1IS,X9 |             ;\n"
		" DSB SY          | LDR W0,[X1] ;\n"
		" MOV W2,#1       |             ;\n"
		" STR W2,[X3]     |             ;\n"
		"exists ([y]=2 /\\ [x]=0 /\\ fault(P1))\n";
	static const char own[] =
		"AArch64 coWRExpNExp+DSB-TLBI-DSB\n"
		"{ pte_x=(valid:0); 0:X1=pte_x; 0:X2=(oa:phy_x); 0:X3=x; }\n"
		"P0;\n"
		"STR X2,[X1]    ;\n"
		"DSB ISH        ;\n"
		"LSR X9,X3,#12  ;\n"
		"TLBI VAAE1IS,X9;\n"
		"DSB ISH        ;\n"
		"L0:LDR W4,[X3] ;\n"
		"exists(fault(P0:L0,x))\n";

	expect(shoot, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 30);
	/* With ETS2 P1's store of y is ordered before its walk through its
	 * view (docs/model.md, "ETS2 under this ordering"): when that
	 * store takes a place before P0's in memory's order ([y] ends 1),
	 * the walk may still read AF = 0 and fault; herd7 allows that too
	 * (no cycle without y=1 coherence-before y=2). */
	expect(shoot, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 21);
	expect(own, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 1, 1);
	expect(own, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 1);
}

/*
 * TTD-observed-by (rf to an Implicit TTD Memory Read Effect) and
 * Translation-intrinsically-before: P0's load of x walks through the
 * descriptor P0 just made valid, so the load, and the store its address
 * depends on, are ordered after that descriptor store; P1, ordered after
 * the store of y, cannot read the old descriptor (herd7 Forbidden).
 */
TEST(order_walk_orders_after_descriptor_read)
{
	static const char t[] =
		"AArch64 MP+pterfi-addr+dmb.ld\n"
		"{ x=1; pte_x=(oa:PA(x),valid:0);\n"
		"  0:X10=(oa:PA(x), valid:1); 0:X11=PTE(x); 0:X1=x; 0:X5=y;\n"
		"  1:X11=PTE(x); 1:X1=x; 1:X5=y; }\n"
		"P0                  | P1           ;\n"
		"STR X10,[X11]       | LDR W4,[X5]  ;\n"
		"LDR W2,[X1]         | DMB LD       ;\n"
		"EOR W3,W2,W2        | LDR X10,[X11];\n"
		"MOV W4,#1           |              ;\n"
		"STR W4,[X5,W3,SXTW] |              ;\n"
		"exists (~fault(P0,x) /\\ 1:X4=1 /\\ "
		"1:X10=(oa:PA(x),valid:0))\n";

	expect(t, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 5);
}

/*
 * A hardware update orders nothing this way: herd's walk may read the
 * value from before it (AF = 0, which the hardware sets again), the
 * model's cannot once it is made, so counting it would order more than
 * B2.3 does (herd7 Allowed).
 */
TEST(order_walk_hw_update_orders_nothing)
{
	static const char t[] =
		"AArch64 MP+HA-DSB.LD\nTTHM=HA\n"
		"{ pte_x=(oa:phy_x,af:0); 0:X1=x; 0:X3=1; 0:X4=y;\n"
		"  1:X4=y; 1:X1=pte_x; }\n"
		"P0          | P1          ;\n"
		"LDR W2,[X1] | LDR W3,[X4] ;\n"
		"DSB LD      | DMB LD      ;\n"
		"STR W3,[X4] | LDR X2,[X1] ;\n"
		"exists(1:X3=1 /\\ 1:X2=(oa:phy_x,af:0))\n";

	/* The executions include the speculative AF update of the initial
	 * value (hwspec.c) or not. */
	expect(t, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 3, 18);
}

/*
 * TLBI-coherence-before: P1's walk after its TLBI, DSB and ISB is
 * TLBI-after the TLBI, which P1's DSB orders after its read of y; that
 * read saw P0's store of y, which DMB ST orders after the descriptor
 * store, so the walk cannot read the old valid descriptor (herd7 TA1
 * Forbidden). Without the DMB ST the two stores are unordered: the old
 * descriptor may still be read (Allowed).
 */
TEST(order_walk_after_tlbi_coherence)
{
	static const char ta1[] =
		"AArch64 TA1\n"
		"{ pte_x=(valid:1); 0:X1=(oa:phy_x,valid:0); 0:X2=pte_x;\n"
		"  0:X8=y; 1:X8=y; 1:X3=x; }\n"
		"P0           | P1              ;\n"
		"STR X1,[X2]  | LDR W7,[X8]     ;\n"
		"DMB ST       | DSB ISH         ;\n"
		"MOV W7,#1    | LSR X9,X3,#12   ;\n"
		"STR W7,[X8]  | TLBI VAAE1IS,X9 ;\n"
		"             | DSB ISH         ;\n"
		"             | ISB             ;\n"
		"             | L0: LDR W4,[X3] ;\n"
		"exists (1:X7=1 /\\ ~fault(P1:L0,x))\n";
	static const char ta1_po[] =
		"AArch64 TA1-po\n"
		"{ pte_x=(valid:1); 0:X1=(oa:phy_x,valid:0); 0:X2=pte_x;\n"
		"  0:X8=y; 1:X8=y; 1:X3=x; }\n"
		"P0           | P1              ;\n"
		"STR X1,[X2]  | LDR W7,[X8]     ;\n"
		"             | DSB ISH         ;\n"
		"MOV W7,#1    | LSR X9,X3,#12   ;\n"
		"STR W7,[X8]  | TLBI VAAE1IS,X9 ;\n"
		"             | DSB ISH         ;\n"
		"             | ISB             ;\n"
		"             | L0: LDR W4,[X3] ;\n"
		"exists (1:X7=1 /\\ ~fault(P1:L0,x))\n";

	/* 0/8 and 1/19 until P1's TLBI took a choice of places in
	 * memory's order (order.c, fence_place): the same answers. */
	expect(ta1, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 10);
	expect(ta1_po, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 2, 24);
}

/*
 * TLBUncacheable-coherence-before with Instruction-fetch-barrier-
 * ordered-before: P1's walk after STR z; DSB ISH; ISB is ordered after
 * its store of z, which P0's load of z (reading 0) is coherence-before,
 * and that load is ordered after P0's descriptor store by DSB ISH: a
 * walk giving a Translation fault from the old invalid value would be
 * coherence-before that store (herd7 Forbidden). Without the ISB
 * nothing orders the walk (without ETS2 a DSB does not order walks):
 * Allowed.
 */
TEST(order_walk_after_dsb_isb_coherence)
{
	static const char isb[] =
		"AArch64 D15347-SB-DSB+DSB-ISB\n"
		"{ pte_x=(valid:0); 0:X2=pte_x; 0:X1=(oa:phy_y); 1:X3=x; y=1;\n"
		"  0:X8=z; 1:X8=z; }\n"
		"P0          | P1             ;\n"
		"STR X1,[X2] | MOV W7,#2      ;\n"
		"            | STR W7,[X8]    ;\n"
		"DSB ISH     | DSB ISH        ;\n"
		"            | ISB            ;\n"
		"LDR W7,[X8] | L0:LDR W4,[X3] ;\n"
		"exists (0:X7=0 /\\ fault(P1:L0,x))\n";
	static const char no_isb[] =
		"AArch64 D15347-SB-DSB+DSB\n"
		"{ pte_x=(valid:0); 0:X2=pte_x; 0:X1=(oa:phy_y); 1:X3=x; y=1;\n"
		"  0:X8=z; 1:X8=z; }\n"
		"P0          | P1             ;\n"
		"STR X1,[X2] | MOV W7,#2      ;\n"
		"            | STR W7,[X8]    ;\n"
		"DSB ISH     | DSB ISH        ;\n"
		"LDR W7,[X8] | L0:LDR W4,[X3] ;\n"
		"exists (0:X7=0 /\\ fault(P1:L0,x))\n";

	/* 15 before early walks' windows were views under relaxed
	 * (tlbu_window() in translate.c): the same observation. */
	expect(isb, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 16);
	expect(no_isb, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 4, 15);
}

/*
 * A pick dependency (CSEL on a loaded value, B2.3.2.1 and B2.3.6) orders
 * a write (Pick-ordered-before) but not the walk of a faulting store:
 * with a real address dependency the walk is ordered after the load of
 * y, so it is TLBI-after P0's TLBI and cannot use the old read-only
 * descriptor (herd7 Forbidden); with a pick one it may (Allowed).
 */
TEST(order_pick_address_does_not_order_walk)
{
	static const char addr[] =
		"AArch64 S+shoot+addr_mmufault_db\n"
		"{ [PTE(x)]=(oa:PA(x), db:0);\n"
		"  pteval_t 0:X0=(oa:PA(x), db:1); 0:X1=PTE(x); 0:X3=y; 0:X5=x;\n"
		"  1:X3=y; 1:X5=x; }\n"
		" P0               | P1                  ;\n"
		" STR X0,[X1]      | LDR W2,[X3]         ;\n"
		" DSB SY           | EOR W6,W2,W2        ;\n"
		" LSR X10,X5,#12   | MOV W4,#1           ;\n"
		" TLBI VAAE1IS,X10 | L0:                 ;\n"
		" DSB SY           | STR W4,[X5,W6,SXTW] ;\n"
		" MOV W2,#1        |                     ;\n"
		" STR W2,[X3]      |                     ;\n"
		"exists (1:X2=1 /\\ fault(P1:L0,x))\n";
	static const char pick[] =
		"AArch64 S+shoot+pickaddr_mmufault_db\n"
		"{ [PTE(x)]=(oa:PA(x), db:0);\n"
		"  pteval_t 0:X0=(oa:PA(x), db:1); 0:X1=PTE(x); 0:X3=y; 0:X5=x;\n"
		"  1:X3=y; 1:X5=x; 1:X11=0; 1:X12=0; }\n"
		" P0               | P1                  ;\n"
		" STR X0,[X1]      | LDR W2,[X3]         ;\n"
		" DSB SY           | CMP W2,#1           ;\n"
		" LSR X10,X5,#12   | CSEL W6,W11,W12,EQ  ;\n"
		" TLBI VAAE1IS,X10 | MOV W4,#1           ;\n"
		" DSB SY           | L0:                 ;\n"
		" MOV W2,#1        | STR W4,[X5,W6,SXTW] ;\n"
		" STR W2,[X3]      |                     ;\n"
		"exists (1:X2=1 /\\ fault(P1:L0,x))\n";

	/* Counts since the threads start together (vmsa_start_gate); 7
	 * more (60 before; 2 since a late walk's step orders writes,
	 * test_tlbi_late.c) since P1's store may use the entry P0's TLBI
	 * removed while it is not ordered after that TLBI and still fits
	 * before it (the retired set, test_retired.c); 1 more since
	 * the check of that entry records the order of writes it reads
	 * (order_retired_ok): same final states. */
	expect(addr, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 17);
	expect(pick, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 1, 17);
}
