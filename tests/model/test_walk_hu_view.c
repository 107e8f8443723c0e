/*
 * tests/model/test_walk_hu_view.c - a walk that reads a value a hardware
 * Access flag update left is ordered after the store under that update
 * (src/model/order.c, msg_ts_of): the store is Coherence-before the
 * update ([W]; ca; [HU]) and the walk reads from the update (rf from an
 * Implicit TTD write), both TTD-observed-by (B2.3.8), and the walk is
 * Translation-intrinsically-before its access (B2.3.4). Arm's catalogue
 * test LDRx+STRx-STRptex+af (herd7's verdicts in the comments) and the
 * control MP+HA-DSB.LD, where the update is the reading CPU's own and
 * orders nothing; exact states and counts.
 */

#include "harness.h"
#include "litmus/litmus_run.h"

/* P1 writes y's page through z, DSB, then points x at y's page with
 * AF = 0; P0's load of x walks the new descriptor (its Access flag set
 * by the hardware) and cannot read y's old value. herd7: Forbidden
 * (vmsa,fatal and vmsa,fatal,ets2). */
static const char ldr_str_af[] =
	"AArch64 LDRx+STRx-STRptex+af\n"
	"TTHM=HA\n"
	"{ int x=0; int y=1; int z=0; pte_x=(af:0); pte_z=(oa:phy_y);\n"
	"  0:X2=x; 1:X4=z; 1:X6=pte_x; 1:X3=(oa:phy_y,af:0) }\n"
	" P0          | P1          ;\n"
	" LDR W1,[X2] | MOV W1,#2   ;\n"
	"             | STR W1,[X4] ;\n"
	"             | DSB ISH     ;\n"
	"             | STR X3,[X6] ;\n"
	"exists 0:X1=1 /\\ y=2 /\\ pte_x=(oa:phy_y,af:1)\n";

/* P0's load sets AF; its DSB LD does not order that update before its
 * store of y, so P1 may see y and then AF = 0. herd7: Allowed. */
static const char mp_ha_dsb_ld[] =
	"AArch64 MP+HA-DSB.LD\n"
	"TTHM=HA\n"
	"{ pte_x=(oa:phy_x,af:0); 0:X1=x; 0:X3=1; 0:X4=y; 1:X4=y;\n"
	"  1:X1=pte_x; }\n"
	" P0          | P1          ;\n"
	" LDR W2,[X1] | LDR W3,[X4] ;\n"
	" DSB LD      | DMB LD      ;\n"
	" STR W3,[X4] | LDR X2,[X1] ;\n"
	"exists(1:X3=1 /\\ 1:X2=(oa:phy_x,af:0))\n";

TEST(walk_hu_view_orders_after_store_under_update)
{
	static const char *const st[] = {
		"0:X1=0; [y]=2; [PTE(x)]=(oa:PA(y));",
		"0:X1=0; [y]=2; [PTE(x)]=(oa:PA(y), af:0);",
		"0:X1=2; [y]=2; [PTE(x)]=(oa:PA(y));",
	};

	lit_expect(ldr_str_af, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 35, st, 3);
	lit_expect(ldr_str_af, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 35, st,
		   3);
}

TEST(walk_hu_view_own_update_orders_nothing)
{
	static const char *const st[] = {
		"1:X2=(oa:PA(x)); 1:X3=0;",
		"1:X2=(oa:PA(x)); 1:X3=1;",
		"1:X2=(oa:PA(x), af:0); 1:X3=0;",
		"1:X2=(oa:PA(x), af:0); 1:X3=1;",
	};

	lit_expect(mp_ha_dsb_ld, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 3, 18,
		   st, 4);
	lit_expect(mp_ha_dsb_ld, "vmsa,fatal,ets2", VMSA_LITMUS_SOMETIMES, 3,
		   18, st, 4);
}
