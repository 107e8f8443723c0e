/*
 * tests/model/test_walk_rmw_view.c - a walk that read the value an
 * atomic read-modify-write left is ordered after it, under hardware
 * Access flag management too (src/model/order.c, no_update_between in
 * msg_ts_of).
 *
 * The model orders an access after the stores its walk read (a
 * translation's view), but not after a store whose older value gives
 * the same translation: with HA an older value with AF = 0 could have
 * been read instead, the walk then setting AF itself. That update must
 * come between the older value and the store in coherence order, and
 * there is no room for it when the store is an RMW that read the older
 * value (B2.3.1 atomicity; herd7's `atomic`). Then the walk read the
 * RMW's value, and the load's later store is ordered after the RMW
 * (herd7's dob: [Imp & TTD & R]; tr-ib; [Exp & M]; po; [Exp & W]).
 *
 * Shapes from Arm's NT-11 tests (NT-11-dsbld-allha and its +dsb, dmb
 * forms, which have a barrier in P0; here none). herd7's verdicts in
 * the comments were checked with herd7 (herdtools7 5feffe4e8, `-variant
 * vmsa,fatal` and `vmsa,fatal,ets2`, docs/litmus.md "Beyond the
 * catalogue: mutants against herd7"). Exact states and counts.
 */

#include "harness.h"
#include "litmus/litmus_run.h"

/* P0 loads x (its walk sets pte_x's AF) then stores y; P1 reads y,
 * DSB SY, then swaps pte_x for the descriptor d. The SWP reading AF = 0
 * means P0's walk came after it and read its value (with d AF = 0, set
 * AF on top of it), and so P0's store is ordered after it: a cycle with
 * P1's read of y. herd7: Never (both variants, both values of d). */
#define NT11_SWP(d)                                                          \
	"AArch64 NT-11-swp\n"                                                \
	"TTHM=P0:HA\n"                                                       \
	"Variant=precise\n"                                                  \
	"{ pte_x=(af:0); x=1; 0:X0=x; 0:X4=y; 1:X0=y; 1:X2=pte_x;\n"          \
	"  1:X5=" d "; }\n"                                                   \
	" P0          | P1             ;\n"                                   \
	" LDR W1,[X0] | LDR W1,[X0]    ;\n"                                   \
	" MOV W3,#1   | DSB SY         ;\n"                                   \
	" STR W3,[X4] | SWP X5,X3,[X2] ;\n"                                   \
	"exists 1:X1=1 /\\ 1:X3=(oa:phy_x,af:0)\n"

static const char swp_af1[] = NT11_SWP("(oa:phy_x)");
static const char swp_af0[] = NT11_SWP("(oa:phy_x,af:0)");

/* The control: a plain store for the SWP. P0's walk may read the
 * initial value and set AF before P1's store (there is room), so its
 * store of y is not ordered after P1's, and P1 may read it with the
 * store then last. herd7: Sometimes (both variants). */
static const char str_control[] =
	"AArch64 NT-11-str\n"
	"TTHM=P0:HA\n"
	"Variant=precise\n"
	"{ pte_x=(af:0); x=1; 0:X0=x; 0:X4=y; 1:X0=y; 1:X2=pte_x;\n"
	"  1:X5=(oa:phy_x); }\n"
	" P0          | P1          ;\n"
	" LDR W1,[X0] | LDR W1,[X0] ;\n"
	" MOV W3,#1   | DSB SY      ;\n"
	" STR W3,[X4] | STR X5,[X2] ;\n"
	"exists 1:X1=1 /\\ 0:X1=1 /\\ [pte_x]=(oa:phy_x)\n";

/* The states of both SWP tests: all but the condition's. */
static const char *const swp_states[] = {
	"1:X1=0; 1:X3=(oa:PA(x));",
	"1:X1=0; 1:X3=(oa:PA(x), af:0);",
	"1:X1=1; 1:X3=(oa:PA(x));",
};

TEST(walk_after_rmw_that_left_af_set)
{
	const char *const *st = swp_states;

	lit_expect(swp_af1, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 58, st, 3);
	lit_expect(swp_af1, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 58, st,
		   3);
}

TEST(walk_after_rmw_that_left_af_clear)
{
	const char *const *st = swp_states;

	lit_expect(swp_af0, "vmsa,fatal", VMSA_LITMUS_NEVER, 0, 123, st, 3);
	lit_expect(swp_af0, "vmsa,fatal,ets2", VMSA_LITMUS_NEVER, 0, 123, st,
		   3);
}

TEST(walk_may_read_older_value_before_plain_store)
{
	lit_expect(str_control, "vmsa,fatal", VMSA_LITMUS_SOMETIMES, 23, 47,
		   NULL, 0);
	lit_expect(str_control, "vmsa,fatal,ets2", VMSA_LITMUS_SOMETIMES, 23,
		   47, NULL, 0);
}
