/*
 * tests/model/test_order_tlbi.c - TLBI-ordered-before for accesses of
 * other CPUs (Arm ARM B2.3.7; herd7's TLBI-ob, `tr-ib^-1;
 * TTD-read-ordered-before & ext`): an explicit access translated by an
 * entry that a TLBI removes, from a descriptor a later store overwrote,
 * is ordered before everything after the DSB that completes the TLBI
 * (src/model/order.c, xlat_before). Litmus tests from Arm's catalogue
 * (herd7's verdicts in the comments), exact states and counts.
 */

#include "harness.h"
#include "litmus/litmus_run.h"

/* P0 remaps x to z, then reads x's old page through y; P1 writes x
 * twice. herd7: Forbidden (vmsa and vmsa+ets2). */
static const char g1[] =
	"AArch64 G1\n"
	"{ 0:X1=(oa:PA(z)); 0:X2=PTE(x); 0:X3=x; 1:X3=x; 0:X8=y;\n"
	"  [PTE(y)]=(oa:PA(x)); }\n"
	"  P0              |  P1         ;\n"
	" STR X1,[X2]      | MOV W4,#1   ;\n"
	" DSB ISH          | MOV W5,#2   ;\n"
	" LSR X9,X3,#12    | STR W4,[X3] ;\n"
	" TLBI VAAE1IS,X9  | STR W5,[X3] ;\n"
	" DSB ISH          |             ;\n"
	" LDR W7,[X8]      |             ;\n"
	"exists (0:X7=0 /\\ z=0 /\\ x=2)\n";

/* The same without the TLBI: nothing orders P1's writes before P0's
 * read (the outcome is allowed). */
static const char g1_no_tlbi[] =
	"AArch64 G1-noTLBI\n"
	"{ 0:X1=(oa:PA(z)); 0:X2=PTE(x); 0:X3=x; 1:X3=x; 0:X8=y;\n"
	"  [PTE(y)]=(oa:PA(x)); }\n"
	"  P0              |  P1         ;\n"
	" STR X1,[X2]      | MOV W4,#1   ;\n"
	" DSB ISH          | MOV W5,#2   ;\n"
	" LDR W7,[X8]      | STR W4,[X3] ;\n"
	"                  | STR W5,[X3] ;\n"
	"exists (0:X7=0 /\\ z=0 /\\ x=2)\n";

/* Two TLBIs; P1's read of x (translated by the entry the first
 * removes) is ordered before the second TLBI, which P2's walk of y is
 * ordered after (DMB LD after its read of z). herd7: Forbidden. */
static const char artem3[] =
	"AArch64 Artem3+TLBIx-TLBIy+dmb.sy+dmb.ld\n"
	"{ 0:X1=pte_x; 0:X2=(oa:phy_x,valid:0); 0:X3=x; 0:X4=y; 0:X5=1;\n"
	"  0:X6=z; 1:X0=(oa:phy_y,valid:0); 1:X1=pte_y; 1:X3=x;\n"
	"  2:X1=z; 2:X3=y; }\n"
	" P0              | P1          | P2           ;\n"
	" STR X2,[X1]     | STR X0,[X1] | LDR W0,[X1]  ;\n"
	" DSB ISH         | DMB SY      | DMB LD       ;\n"
	" LSR X9,X3,#12   |L1:          |L2:           ;\n"
	" TLBI VAAE1IS,X9 | LDR W2,[X3] | LDR W2,[X3]  ;\n"
	" DSB ISH         |             |              ;\n"
	" LSR X9,X4,#12   |             |              ;\n"
	" TLBI VAAE1IS,X9 |             |              ;\n"
	" DSB ISH         |             |              ;\n"
	" STR W5,[X6]     |             |              ;\n"
	"exists(2:X0=1 /\\ ~fault(P1:L1,x) /\\ ~fault(P2:L2,y))\n";

/* Break (P1 invalidates x, TLBI, DSB, ISB) then copy the old page
 * through its alias z while P2 writes x. herd7: Forbidden. */
static const char mini_marc03[] =
	"AArch64 miniMarc03\n"
	"{ int x = 1; int y = 0; int z; pte_z = (oa:phy_x);\n"
	"  0:X2=x; 1:X2=x; 1:X4=y; 1:X6=pte_x; 1:X8=pte_y;\n"
	"  1:X7=(oa:phy_x,valid:0); 1:X10=z; 2:X2=x; }\n"
	" P0 | P1              | P2          ;\n"
	"    | STR X7,[X6]     | MOV W0,2    ;\n"
	"    | LSR X3,X2,12    | STR W0,[X2] ;\n"
	"    | DSB ISH         |             ;\n"
	"    | TLBI VAAE1IS,X3 |             ;\n"
	"    | DSB ISH         |             ;\n"
	"    | ISB             |             ;\n"
	"    | LDR W5,[X10]    |             ;\n"
	"locations[1:X5;y;]\n"
	"~exists x=2 /\\ 1:X5=1\n";

/* Run text under variant: the observation, the executions where the
 * condition's proposition holds and does not, and the final states. */
static void expect(const char *text, const char *variant,
		   vmsa_litmus_outcome_t want, uint64_t pos, uint64_t neg,
		   const char *const *states, unsigned n)
{
	vmsa_litmus_result_t r;

	CHECK_EQ(lit_run(text, variant, false, &r), 0);
	CHECK_EQ(r.outcome, want);
	CHECK_EQ(r.prop_true, pos);
	CHECK_EQ(r.prop_false, neg);
	check_states(&r, states, n);
	vmsa_litmus_result_free(&r);
}

TEST(order_tlbi_orders_other_cpu_writes)
{
	static const char *const st[] = {
		"0:X7=0; [x]=0; [z]=2;", "0:X7=1; [x]=1; [z]=2;",
		"0:X7=2; [x]=2; [z]=0;", "0:X7=2; [x]=2; [z]=1;",
	};

	/* 142 before the same-low-order-bits rule (translate.c,
	 * fresh_since), 150 before the TLBI took a choice of places in
	 * memory's order (order.c, fence_place): the same states. */
	expect(g1, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 173, st, 4);
	expect(g1, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 170, st, 4);
}

TEST(order_tlbi_control_without_tlbi)
{
	static const char *const st[] = {
		"0:X7=0; [x]=0; [z]=2;", "0:X7=0; [x]=1; [z]=2;",
		"0:X7=0; [x]=2; [z]=0;", "0:X7=0; [x]=2; [z]=1;",
		"0:X7=1; [x]=1; [z]=2;", "0:X7=1; [x]=2; [z]=0;",
		"0:X7=2; [x]=2; [z]=0;", "0:X7=2; [x]=2; [z]=1;",
	};

	/* 8/100 until a publishing DSB took a choice of places in memory's
	 * order (order.c, fence_place): the same states. */
	expect(g1_no_tlbi, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 11, 115, st,
	       8);
}

TEST(order_tlbi_orders_reads_before_later_tlbi)
{
	static const char *const st[] = {
		"2:X0=0; Fault(P1:L1,x); Fault(P2:L2,y);",
		"2:X0=0; Fault(P1:L1,x); ~Fault(P2:L2,y);",
		"2:X0=0; ~Fault(P1:L1,x); Fault(P2:L2,y);",
		"2:X0=0; ~Fault(P1:L1,x); ~Fault(P2:L2,y);",
		"2:X0=1; Fault(P1:L1,x); Fault(P2:L2,y);",
		"2:X0=1; Fault(P1:L1,x); ~Fault(P2:L2,y);",
		"2:X0=1; ~Fault(P1:L1,x); Fault(P2:L2,y);",
	};

	/* More executions since P1's load of x may use the entry P0's TLBI
	 * of x removed when it fits before that TLBI (test_retired.c), and
	 * since a late walk's step orders writes (test_tlbi_late.c): 1231
	 * and 1647 before, same states. With ETS2 232 -> 238 since the
	 * access that goes before a TLBI compares the issuer's walks after
	 * it (order_walks_missed: their descriptor words are in its
	 * footprint; test_tlbi_ob_walks.c), same states. */
	expect(artem3, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 369, st, 7);
	expect(artem3, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 378, st, 7);
}

TEST(order_tlbi_break_then_copy)
{
	static const char *const st[] = {
		"1:X5=1; [x]=1; [y]=0;", "1:X5=2; [x]=2; [y]=0;",
	};

	/* ~exists: the proposition holds in no execution. */
	expect(mini_marc03, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 11, st, 2);
	expect(mini_marc03, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 11, st,
	       2);
}
