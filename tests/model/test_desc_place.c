/*
 * tests/model/test_desc_place.c - where a descriptor store goes in
 * memory's order under `relaxed` (order.c order_write_ts,
 * desc_store_floor, msg_to_precede), run as litmus tests with herd7's
 * final states.
 *
 * B2.3.7 orders two stores of one CPU to different locations only by
 * barriers, dependencies and release, so a descriptor store may go
 * before its CPU's earlier store (test_hwdb_old.c: 2+2WNExpExp+NExpExp).
 * It stays its word's newest message, and it goes after every walk of
 * its word that was ordered after that place: with FEAT_ETS2 a walk
 * whose value gives a Translation fault is ordered after the CPU's
 * earlier explicit accesses (ets-ob), so a store it did not see is
 * after them. Here P0 stores z, then makes x valid, DMB SY, loads y;
 * P1 stores y, then x (P1's walk reads x invalid: a fault). With ETS2
 * herd7 forbids y=0 with the fault (Ja2 with the store of z added,
 * which only orders more); were the walk left out of the store's
 * floor, the valid x would go before P0's store of z and before P1's
 * y, and the load could read y=0 (Sometimes, 6 of 81 executions).
 * Expected sets and counts are the model's exact ones.
 */
#include "harness.h"
#include "litmus/litmus_run.h"

#define JA2Z                                                                 \
	"AArch64 Ja2z\n"                                                     \
	"{ pte_y=(valid:1,oa:phy_y); pte_x=(valid:0,oa:phy_x);\n"            \
	"  0:X2=pte_x; 0:X1=(valid:1,oa:phy_x); 0:X3=y; 0:X5=z; x=0;\n"      \
	"  1:X3=y; 1:X13=x; }\n"                                             \
	" P0          | P1              ;\n"                                 \
	" MOV W6,#1   | MOV W7,#1       ;\n"                                 \
	" STR W6,[X5] | STR W7,[X3]     ;\n"                                 \
	" STR X1,[X2] | MOV W4,#2       ;\n"                                 \
	" DMB SY      | L0:STR W4,[X13] ;\n"                                 \
	" LDR W7,[X3] |                 ;\n"                                 \
	"exists(0:X7=0 /\\ fault(P1:L0,x))\n"

TEST(desc_place_after_ets2_walk)
{
	static const char *const want[] = {
		"0:X7=0; ~Fault(P1:L0,x);",
		"0:X7=1; Fault(P1:L0,x);",
		"0:X7=1; ~Fault(P1:L0,x);",
	};

	lit_expect(JA2Z, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 116, want,
		   3);
}

/* Without ETS2 the walk of x may be done before P1's store of y: herd7
 * Allowed (as Ja2). */
TEST(desc_place_no_ets2)
{
	static const char *const want[] = {
		"0:X7=0; Fault(P1:L0,x);",
		"0:X7=0; ~Fault(P1:L0,x);",
		"0:X7=1; Fault(P1:L0,x);",
		"0:X7=1; ~Fault(P1:L0,x);",
	};

	lit_expect(JA2Z, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 13, 135, want,
		   4);
}

/* P1 stores z, DMB SY, then loads x (its walk reads x invalid: a
 * fault); P0 stores w, makes x valid, DMB ST, stores z. With ETS2 the
 * faulting walk is ordered after P1's store of z, so P0's store of x,
 * which that walk did not see, follows it, and so does P0's z: z=2
 * with the fault is Forbidden (D15347-R-DMBST+DMB with the store of w
 * added). */
TEST(desc_place_after_ets2_walk_dmb)
{
	static const char *const want[] = {
		"[z]=1; Fault(P1:L0,x);",
		"[z]=1; ~Fault(P1:L0,x);",
		"[z]=2; ~Fault(P1:L0,x);",
	};

	lit_expect("AArch64 D15347-R-DMBST+DMBz\n"
		   "{ pte_x=(valid:0); 0:X2=pte_x; 0:X1=(oa:phy_y); 1:X3=x;\n"
		   "  y=1; 0:X8=z; 1:X8=z; 0:X5=w; }\n"
		   " P0          | P1             ;\n"
		   " MOV W6,#1   | MOV W7,#2      ;\n"
		   " STR W6,[X5] | STR W7,[X8]    ;\n"
		   " STR X1,[X2] | DMB SY         ;\n"
		   " DMB ST      | L0:LDR W4,[X3] ;\n"
		   " MOV W7,#1   |                ;\n"
		   " STR W7,[X8] |                ;\n"
		   "exists(z=2 /\\ fault(P1:L0,x))\n",
		   "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 83, want, 3);
}
