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

	lit_expect(text, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 6, both, 1);
	lit_expect(text, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 6, both, 1);
}
