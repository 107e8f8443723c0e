/*
 * tests/model/test_atomic_xlat.c - atomics and exclusives under Arm's
 * ordering of data accesses, where their translation matters: the
 * hardware update their CPU's later access makes (FEAT_HAFDBS) and the
 * TLBI rules every explicit access obeys (src/model/atomic.c,
 * access.c, promise.c).
 *
 * coRmwWExpNExp (herd7's catalogue, Allowed in both columns): P0 swaps
 * a new descriptor into x's writable-clean PTE, then stores x. Seeing
 * x = 1 and the PTE still clean needs the store to use the old
 * translation and its dirty-state update to come before the SWP's write
 * in coherence order. The update is atomic with the walk's read (herd's
 * `atomic` exempts only an Explicit write of the same CPU between an
 * Explicit RMW's read and write), so the SWP must read the update: load
 * buffering through the update of a later store. B2.3's internal
 * coherence rules are between Explicit Effects, and nothing orders the
 * update after the SWP (a walk is not ordered after its CPU's earlier
 * explicit write of the descriptor by coherence; rule 4), so the model
 * promises the update (src/litmus/promise.c, offered when the thread
 * itself reads the PTE first) and lets the walk fulfil it although the
 * CPU's SWP has read and overwritten it (order_hw_pre: no coherence
 * view). Expected sets and counts are the model's exact ones.
 */
#include "harness.h"
#include "litmus/litmus_run.h"
#include "vmsa/litmus.h"

#define CO_RMW(mid)                                                          \
	"AArch64 coRmwWExpNExp\nTTHM=HD\n"                                   \
	"{ int x; int y; 0:X1=pte_x;\n"                                      \
	"  pte_x=(oa:phy_x,db:0,dbm:1,valid:1);\n"                           \
	"  0:X2=(oa:phy_y,db:0,dbm:1,valid:1); 0:X4=x; }\n"                  \
	" P0             ;\n"                                                \
	" SWP X2,X9,[X1] ;\n"                                                \
	mid                                                                  \
	" MOV W3,#1      ;\n"                                                \
	" STR W3,[X4]    ;\n"                                                \
	"exists(x=1 /\\ pte_x=(oa:phy_y,db:0,dbm:1))\n"

static const char *const both[] = {
	"[x]=0; [PTE(x)]=(oa:PA(y), dbm:1);",
	"[x]=1; [PTE(x)]=(oa:PA(y), db:0, dbm:1);",
};

/* The catalogue's test: Sometimes with and without ETS2, as herd7. */
TEST(atomic_xlat_rmw_reads_later_update)
{
	const char *text = CO_RMW("");

	lit_expect(text, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 6, 8, both, 2);
	lit_expect(text, "vmsa,fatal,ets2", VMSA_LITMUS_SOMETIMES, 6, 8,
		   both, 2);
}

/* DSB SY; ISB between: the walk is ordered after the DSB, which orders
 * the SWP's write before it (Instruction-fetch-barrier-ordered-before)
 * and publishes it to walks (rule 4): the store uses the new
 * descriptor, the update cannot come first. */
TEST(atomic_xlat_rmw_dsb_isb)
{
	const char *text = CO_RMW(" DSB SY ;\n ISB ;\n");

	lit_expect(text, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 12, both, 1);
	lit_expect(text, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 12, both, 1);
}

/*
 * Atomics and exclusives translate as every explicit access does
 * (access.c access_xlat, access_xlat_done): an entry another CPU's TLBI
 * removed stays usable by an atomic that nothing orders after the TLBI
 * (retired entries), which then goes before the TLBI, read and write;
 * and an atomic translated by an entry a TLBI removes is ordered before
 * everything after that TLBI's DSB (TLBI-ordered-before, B2.3.7).
 *
 * P0 remaps x to y's page, TLBI VMALLE1IS, then writes z; P1 reads z,
 * then (P1_MID) writes 2 to x with P1_X. [x]=2 with z = 1 seen: only
 * through the old entry, placed before the TLBI (herd7 allows it for a
 * STR: MP+shoot+po+VMALL's store form, tests/model/test_retired.c;
 * nothing in B2.3 treats an atomic's or a STXR's translation
 * otherwise). Before atomics went through access_xlat: Never.
 */
#define MP_SHOOT(p1_mid, p1_x)                                               \
	"AArch64 MP+shoot+atomic\n"                                          \
	"{ 0:X2=pte_x; 0:X1=(oa:phy_y); 0:X3=x; 1:X3=x; y=1;\n"              \
	"  0:X8=z; 1:X8=z; 1:X5=2; 1:X6=0; }\n"                              \
	" P0              | P1          ;\n"                                 \
	" STR X1,[X2]     | LDR W7,[X8] ;\n"                                 \
	" DSB ISH         | " p1_mid " ;\n"                                  \
	" TLBI VMALLE1IS  | " p1_x " ;\n"                                    \
	" DSB ISH         |             ;\n"                                 \
	" MOV W7,#1       |             ;\n"                                 \
	" STR W7,[X8]     |             ;\n"                                 \
	"locations [x; y;]\n"                                                \
	"exists (1:X7=1 /\\ x=2)\n"

static const char *const shoot_all[] = {
	"1:X7=0; [x]=0; [y]=2;", "1:X7=0; [x]=2; [y]=1;",
	"1:X7=1; [x]=0; [y]=2;", "1:X7=1; [x]=2; [y]=1;",
};

/* Run text in both columns: the same observation, positive count and
 * states, negative counts neg[0] and neg[1]. */
static void expect_both(const char *text, vmsa_litmus_outcome_t outcome,
			uint64_t pos, uint64_t neg0, uint64_t neg1,
			const char *const *st, unsigned n)
{
	lit_expect(text, "vmsa,fatal", outcome, pos, neg0, st, n);
	lit_expect(text, "vmsa,fatal,ets2", outcome, pos, neg1, st, n);
}

/* The negative counts here and below rose (22 -> 39, 25, 36; 29 -> 70)
 * when an atomic's write could take earlier places in memory's order
 * (order_read_rmw, rmw_write_ts): same final states. */
TEST(atomic_xlat_retired_swp)
{
	expect_both(MP_SHOOT("NOP        ", "SWP W5,W4,[X3]"),
		    VMSA_LITMUS_SOMETIMES, 3, 39, 39, shoot_all, 4);
}

/* A CAS of 0 to 2 that succeeds through the old entry: read and write
 * before the TLBI (through the new one it reads y's 1 and fails). The
 * counts here and below rose (26 -> 27, 133 -> 145) when the check of a
 * retired entry began to record the word and order it reads
 * (order_retired_ok): same final states. */
TEST(atomic_xlat_retired_cas)
{
	static const char *const st[] = {
		"1:X7=0; [x]=0; [y]=1;", "1:X7=0; [x]=2; [y]=1;",
		"1:X7=1; [x]=0; [y]=1;", "1:X7=1; [x]=2; [y]=1;",
	};

	expect_both(MP_SHOOT("NOP        ", "CAS W6,W5,[X3]"),
		    VMSA_LITMUS_SOMETIMES, 3, 25, 25, st, 4);
}

/* LDXR and STXR, each translated with the old entry (a failed STXR
 * leaves both pages as they were). */
TEST(atomic_xlat_retired_exclusives)
{
	static const char *const st[] = {
		"1:X7=0; [x]=0; [y]=1;", "1:X7=0; [x]=0; [y]=2;",
		"1:X7=0; [x]=2; [y]=1;", "1:X7=1; [x]=0; [y]=1;",
		"1:X7=1; [x]=0; [y]=2;", "1:X7=1; [x]=2; [y]=1;",
	};

	/* 3 and 111 before a passing STXR's write could go right after
	 * its LDXR's read, below newer messages (order_stxr_place), 159
	 * before the same-low-order-bits rule (translate.c,
	 * fresh_since): the same states. */
	expect_both(MP_SHOOT("LDXR W4,[X3]", "STXR W9,W5,[X3]"),
		    VMSA_LITMUS_SOMETIMES, 4, 166, 166, st, 6);
}

/* A DMB LD orders the SWP after P1's load of z = 1, so after the TLBI:
 * no retired entry (herd's MP+shoot+DMBLD+VMALL, Forbidden). */
TEST(atomic_xlat_retired_ordered_by_dmb)
{
	expect_both(MP_SHOOT("DMB LD     ", "SWP W5,W4,[X3]"),
		    VMSA_LITMUS_NEVER, 0, 36, 36, shoot_all, 3);
}

/* herd's G2 with P1's store of x a SWP (Forbidden as G2: B2.3.7's
 * TLBI-ordered-before is about any Explicit Memory Effect): a SWP whose
 * entry P0's TLBI removes is ordered before P0's load after the TLBI's
 * DSB, which then sees P1's earlier store of y (x's page). Before
 * atomics recorded their translation (order_xlat_access): Sometimes,
 * 5 of 62 executions. */
TEST(atomic_xlat_tlbi_ordered_before)
{
	static const char g2[] =
		"AArch64 G2+SWP\n"
		"{ 0:X1=(oa:PA(z)); 0:X2=PTE(x); 0:X3=x; 1:X3=x;\n"
		"  0:X8=y; 1:X8=y; [PTE(y)]=(oa:PA(x)); }\n"
		"  P0              |  P1            ;\n"
		" STR X1,[X2]      | MOV W4,#1      ;\n"
		" DSB ISH          | MOV W5,#2      ;\n"
		" LSR X9,X3,#12    | STR W4,[X8]    ;\n"
		" TLBI VAAE1IS,X9  | SWP W5,W6,[X3] ;\n"
		" DSB ISH          |                ;\n"
		" LDR W7,[X8]      |                ;\n"
		"exists (0:X7=0 /\\ z=0 /\\ x=2)\n";
	static const char *const st[] = {
		"0:X7=0; [x]=1; [z]=2;", "0:X7=1; [x]=1; [z]=2;",
		"0:X7=2; [x]=2; [z]=0;",
	};

	/* 70 until P0's TLBI took a choice of places in memory's order
	 * (order.c, fence_place): the same states. */
	expect_both(g2, VMSA_LITMUS_NEVER, 0, 90, 87, st, 3);
}
