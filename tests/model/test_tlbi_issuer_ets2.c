/*
 * tests/model/test_tlbi_issuer_ets2.c - the issuer of a TLBI completed by
 * its DSB, with no context synchronisation event after it (barrier.c,
 * issuer_keeps).
 *
 * Without FEAT_ETS2 the issuer may go on using the entries the TLBI
 * removed until its next context synchronisation event (RBLDZX): herd7
 * Allowed. With FEAT_ETS2, B2.3's TTD-read-ordered-before (its FEAT_ETS2
 * case: E1 TLBI-before the TLBI E3, E3 before a DSB FULL E4 in program
 * order, E4 before E2, an Implicit TTD Memory Effect) orders every later
 * walk of the issuer after the TLBI, so a walk can no longer be the TTD
 * read the TLBI removed: herd7 Forbidden (TLBI-after; [TLBI]; DSB-ob,
 * with DSB-ob reaching [Imp & TTD & M] under ETS2). RBLDZX's extra
 * context synchronisation event for executable translations is about
 * instruction fetches, which the model does not translate; the entries
 * of these tests are executable (the default descriptor).
 *
 * The tests are Arm's aarch64-VMSA tests of those names (verdicts.tsv:
 * Allowed with vmsa, Forbidden with vmsa+ets2). Expected states and
 * counts are the model's exact ones.
 */
#include "harness.h"
#include "litmus/litmus_run.h"

/* P0 remaps x to y's page (copying pte_y), DSB, TLBI, DSB, then loads x:
 * 1 is x's old value through the removed entry, 2 is y's. */
#define VIS7(tlbi)                                                           \
	"AArch64 VIS7+TLBI\n"                                                \
	"{x=1; y=2; 0:X1=x; 0:X2=pte_y; 0:X3=pte_x;\n"                       \
	" pte_x=(db:1); pte_y=(db:1);}\n"                                    \
	" P0              ;\n"                                               \
	" LDR X5,[X2]     ;\n"                                               \
	" STR X5,[X3]     ;\n"                                               \
	" LSR X7,X1,#12   ;\n"                                               \
	" DSB ISH         ;\n"                                               \
	" " tlbi " ;\n"                                                      \
	" DSB ISH         ;\n"                                               \
	" LDR W4,[X1]     ;\n"                                               \
	"exists (0:X4=1)\n"

static const char *const vis7_all[] = {"0:X4=1;", "0:X4=2;"};

TEST(tlbi_issuer_vis7)
{
	lit_expect(VIS7("TLBI VAAE1IS,X7"), "vmsa,fatal",
		   VMSA_LITMUS_SOMETIMES, 2, 1, vis7_all, 2);
	lit_expect(VIS7("TLBI VMALLE1IS "), "vmsa,fatal",
		   VMSA_LITMUS_SOMETIMES, 2, 1, vis7_all, 2);
	/* Was Sometimes 1 1: the old entry stayed usable for an
	 * executable translation. */
	lit_expect(VIS7("TLBI VAAE1IS,X7"), "vmsa,fatal,ets2",
		   VMSA_LITMUS_NEVER, 0, 1, vis7_all + 1, 1);
	lit_expect(VIS7("TLBI VMALLE1IS "), "vmsa,fatal,ets2",
		   VMSA_LITMUS_NEVER, 0, 1, vis7_all + 1, 1);
}

/* coRRExpNExp+DSB-TLBI-DSB2: P1 invalidates pte_x; P0 reads P1's invalid
 * descriptor, DSB, TLBI, DSB, then loads x: it must fault with ETS2. */
static const char coRR_dsb2[] =
	"AArch64 coRRExpNExp+DSB-TLBI-DSB2\n"
	"{ 0:X1=pte_x; 0:X3=x;\n"
	"  1:X1=pte_x; 1:X2=(oa:phy_x,valid:0); }\n"
	"P0              | P1         ;\n"
	"LDR X2,[X1]     | STR X2,[X1];\n"
	"DSB ISH         |            ;\n"
	"LSR X9,X3,#12   |            ;\n"
	"TLBI VAAE1IS,X9 |            ;\n"
	"DSB ISH         |            ;\n"
	"L1: LDR W4,[X3] |            ;\n"
	"exists(0:X2=(oa:phy_x,valid:0) /\\ ~fault(P0:L1,x))\n";

static const char *const coRR_dsb2_all[] = {
	"0:X2=(oa:PA(x)); Fault(P0:L1,x);",
	"0:X2=(oa:PA(x)); ~Fault(P0:L1,x);",
	"0:X2=(oa:PA(x), valid:0); Fault(P0:L1,x);",
	"0:X2=(oa:PA(x), valid:0); ~Fault(P0:L1,x);",
};

TEST(tlbi_issuer_corr_dsb2)
{
	lit_expect(coRR_dsb2, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 2, 7,
		   coRR_dsb2_all, 4);
	/* Was Sometimes 1 14. */
	lit_expect(coRR_dsb2, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 6,
		   coRR_dsb2_all, 3);
}
