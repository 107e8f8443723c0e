/*
 * tests/model/test_hwdb_old.c - a hardware dirty-state update of a
 * descriptor value memory no longer holds (features hafdbs and relaxed;
 * translate.c hw_update_old and held_update, order.c order_hw_insert_ts).
 *
 * The update is an atomic read-modify-write of the descriptor (D8.5
 * RPQJJR, RLFTXR): no write of the descriptor between the read and the
 * update in coherence order (herd's `atomic` axiom), which does not
 * require the read to be of the newest value. So the update may be
 * placed right after the value its walk (or the walk that filled a TLB
 * entry) read, before a newer write, and the access uses that entry.
 * Without ETS2 nothing orders it after the CPU's own earlier descriptor
 * store (herd's DSB-ob leaves out Implicit TTD writes); with ETS2 the
 * DSB does (no place). herd7: coWWExp-TLBI-NExp and its +VMALL form are
 * Allowed with `vmsa`, Forbidden with `vmsa,ets2`.
 * Expected sets and counts are the model's exact ones.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "litmus/litmus_run.h"

/* P0 remaps x to y's page (clean, DBM set), invalidates (TLBI), then
 * stores to x: with the TLB entry of the old value, whose dirty update
 * goes before the remap in memory's order, the store lands in x and the
 * descriptor keeps the remap's value. */
#define COWW(tlbi)                                                           \
	"AArch64 coWWExp-TLBI-NExp\nTTHM=HD\n"                               \
	"{ int x; int y; 0:X1=pte_x;\n"                                      \
	"  pte_x=(oa:phy_x,db:0,dbm:1,valid:1);\n"                           \
	"  0:X2=(oa:phy_y,db:0,dbm:1,valid:1); 0:X4=x; }\n"                  \
	" P0              ;\n"                                               \
	" STR X2,[X1]     ;\n"                                               \
	" DSB ISH         ;\n"                                               \
	" LSR X9,X4,#12   ;\n"                                               \
	" " tlbi " ;\n"                                                      \
	" DSB ISH         ;\n"                                               \
	" MOV W3,#1       ;\n"                                               \
	" STR W3,[X4]     ;\n"                                               \
	"exists(x=1 /\\ pte_x=(oa:phy_y,db:0,dbm:1))\n"

static const char *const coww_all[] = {
	"[x]=0; [PTE(x)]=(oa:PA(y), dbm:1);",
	"[x]=1; [PTE(x)]=(oa:PA(y), db:0, dbm:1);",
};

/* RPQJJR (atomic read-modify-write, not of the newest value): the
 * update of the held entry's value before the remap; herd7 Allowed. */
TEST(hwdb_old_coww_tlbi)
{
	lit_expect(COWW("TLBI VAAE1IS,X9"), "vmsa,fatal",
		   VMSA_LITMUS_SOMETIMES, 3, 12, coww_all, 2);
}

TEST(hwdb_old_coww_vmall)
{
	lit_expect(COWW("TLBI VMALLE1IS "), "vmsa,fatal",
		   VMSA_LITMUS_SOMETIMES, 3, 12, coww_all, 2);
}

/* With ETS2 the DSB after the remap orders the update after it (B2.3.7
 * DSB-ordered-before with FEAT_ETS2 covers Implicit TTD writes): no
 * place before the remap; the store walks again and goes to y. herd7
 * Forbidden. */
/* 3 and 3 before the CPU's updates after its completing DSB were placed
 * after its TLBI with ETS2 (hw_floor's hwt, order.c): the same state. */
TEST(hwdb_old_coww_ets2)
{
	lit_expect(COWW("TLBI VAAE1IS,X9"), "vmsa,fatal,ets2",
		   VMSA_LITMUS_NEVER, 0, 2, coww_all, 1);
	lit_expect(COWW("TLBI VMALLE1IS "), "vmsa,fatal,ets2",
		   VMSA_LITMUS_NEVER, 0, 2, coww_all, 1);
}

/* coRmwWExpNExp (the update must come between the initial value and a
 * SWP's write, so the SWP reads it: load buffering through the update)
 * is in tests/model/test_atomic_xlat.c. */

/* P1 remaps x and y (no barrier); P0 stores y then x. Its walk of x may
 * read the initial value after P1's remap of x (not yet visible to
 * walks of other CPUs, rule 4), and its update may then go right after
 * that value (hw_update_old). The state x=1 with pte_y dirty after P1's
 * remap needs P1's two descriptor stores in the other order in memory's
 * order (the update of x follows the remap of y that P0's walk of y
 * read, and precedes the remap of x): nothing orders two stores of one
 * CPU to different locations (B2.3.7), so the remap of y may take its
 * earliest place, before the remap of x (order.c desc_store_floor).
 * herd7 Allowed: Sometimes, 1098 executions (569 when descriptor stores
 * were appended: Never), the same with ETS2. With DMB STs between the
 * stores (P1's orders its two remaps, Barrier-ordered-before) herd7 and
 * the model forbid it: 342 executions, as before. */
#define P2W(b1, b0)                                                          \
	"AArch64 2+2WNExpExp+NExpNExp\nTTHM=HD\n"                            \
	"{ int z; 0:X2=x; 1:X4=pte_x; 0:X3=y; 1:X6=pte_y;\n"                 \
	"  1:X5=(oa:phy_z,db:0,dbm:1);\n"                                    \
	"  1:X7=(oa:phy_y,db:0,dbm:1);\n"                                    \
	"  pte_x=(oa:phy_x,db:0,dbm:1);\n"                                   \
	"  pte_y=(oa:phy_y,db:1,dbm:1); }\n"                                 \
	" P0          | P1          ;\n"                                     \
	" MOV W8,#1   | STR X5,[X4] ;\n"                                     \
	" STR W8,[X3] | " b1 " ;\n"                                          \
	" " b0 " | STR X7,[X6] ;\n"                                          \
	" MOV W9,#1   |             ;\n"                                     \
	" STR W9,[X2] |             ;\n"                                     \
	"exists(x=1 /\\ y=1 /\\ pte_x=(oa:phy_z,db:0,dbm:1) /\\ "           \
	"pte_y=(oa:phy_y,db:1,dbm:1))\n"

static const char *const p2w_states[] = {
	"[x]=0; [y]=1; [PTE(x)]=(oa:PA(z), dbm:1); "
	"[PTE(y)]=(oa:PA(y), db:0, dbm:1);",
	"[x]=0; [y]=1; [PTE(x)]=(oa:PA(z), dbm:1); "
	"[PTE(y)]=(oa:PA(y), dbm:1);",
	"[x]=1; [y]=1; [PTE(x)]=(oa:PA(z), db:0, dbm:1); "
	"[PTE(y)]=(oa:PA(y), db:0, dbm:1);",
	"[x]=1; [y]=1; [PTE(x)]=(oa:PA(z), db:0, dbm:1); "
	"[PTE(y)]=(oa:PA(y), dbm:1);",
};

TEST(hwdb_old_2p2w)
{
	lit_expect(P2W("           ", "           "), "vmsa,fatal",
		   VMSA_LITMUS_SOMETIMES, 421, 1623, p2w_states, 4);
	lit_expect(P2W("           ", "           "), "vmsa,fatal,ets2",
		   VMSA_LITMUS_SOMETIMES, 416, 1596, p2w_states, 4);
}

TEST(hwdb_old_2p2w_dmbst)
{
	lit_expect(P2W("DMB ST     ", "DMB ST     "), "vmsa,fatal",
		   VMSA_LITMUS_NEVER, 0, 232, p2w_states, 3);
}

/* The update of a value is atomic with its read: not placed between a
 * value and another hardware update that read it (order.c
 * overwritten_msg). P0's store walks the AF = 0, clean descriptor and
 * sets both flags in one update (RPRHKD); another update of the same
 * value (a speculative AF update) must not split it: herd7 Forbidden. */
TEST(hwdb_old_atomic_with_update)
{
	static const char *const want[] = {
		"[PTE(x)]=(oa:PA(x), dbm:1);",
	};

	lit_expect("AArch64 STRx-LDRptex\nTTHM=HA HD\n"
		   "{ pte_x=(oa:phy_x,af:0,db:0,dbm:1); 0:X2=x; 1:X4=pte_x; }\n"
		   " P0          | P1          ;\n"
		   " MOV W1,#1   |             ;\n"
		   " STR W1,[X2] | LDR X3,[X4] ;\n"
		   "exists(pte_x=(af:0,db:1,dbm:1) \\/ "
		   "pte_x=(af:1,db:0,dbm:1))\n",
		   "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 28, want, 1);
}
