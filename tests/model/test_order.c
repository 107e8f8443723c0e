/*
 * Arm's ordering of data accesses (feature relaxed, src/model/order.c):
 * the classic litmus shapes run by the explorer over every interleaving
 * and every read choice, each asserting the exact set of final register
 * outcomes, with and without the partial-order reduction. Expected sets
 * are herd7's aarch64.cat verdicts, except where the comment says that
 * the model allows less (a C scenario that offers no promises reaches
 * no load buffering: docs/model.md, "How load buffering is covered").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "outcomes.h"
#include "vmsa/vmsa.h"

#define MAX_REGS 4
#define MAX_OUT 64

/* Registers of the execution under way (host memory: CPU code writes
 * only its own slots, the final check reads them). */
static uint64_t reg[MAX_REGS];
static unsigned n_regs;
/* The outcomes seen, as "r0,r1,..." strings. */
static char outs[MAX_OUT][32];
static unsigned n_outs;

struct locs {
	vmsa_pa_t x, y, z;
};

/* Locations in different lines (a page at VA = PA: the MMU is off). */
static void setup(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct locs *l = vmsa_run_data(r);
	vmsa_pa_t p = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);

	l->x = p;
	l->y = p + 64;
	l->z = p + 128;
	memset(reg, 0, sizeof(reg));
}

static const struct locs *L(vmsa_run_t *r)
{
	return vmsa_run_data(r);
}

static void record(vmsa_run_t *r)
{
	char s[32];
	size_t k = 0;

	(void)r;
	for (unsigned i = 0; i < n_regs; i++)
		k += (size_t)snprintf(s + k, sizeof(s) - k, "%s%llu",
				      i ? "," : "", (unsigned long long)reg[i]);
	for (unsigned i = 0; i < n_outs; i++)
		if (!strcmp(outs[i], s))
			return;
	if (n_outs < MAX_OUT)
		strcpy(outs[n_outs++], s);
}

/* Explore s in `config` with or without the reduction; the sorted
 * outcomes joined by spaces. */
static const char *outcomes(vmsa_scenario_t *s, unsigned nregs,
			    const char *config, bool reduce)
{
	static char all[MAX_OUT * 32];

	n_outs = 0;
	n_regs = nregs;
	s->setup = setup;
	s->check = record;
	outcomes_explore(s, config, reduce);
	return outcomes_join(outs[0], n_outs, sizeof(outs[0]), all,
			     sizeof(all));
}

/* Both searches give `want`. */
#define EXPECT_OUT(s, nregs, config, want)                                 \
	do {                                                               \
		CHECK_STR(outcomes(&(s), nregs, config, false), want);     \
		CHECK_STR(outcomes(&(s), nregs, config, true), want);      \
	} while (0)

static void rd(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_pa_t a, unsigned i)
{
	vmsa_read(vmsa_run_machine(r), cpu, a, 8, &reg[i]);
}

static void wr(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_pa_t a, uint64_t v)
{
	vmsa_write(vmsa_run_machine(r), cpu, a, 8, v);
}

static void dmb(vmsa_run_t *r, vmsa_cpu_t cpu, vmsa_barrier_t b)
{
	vmsa_dmb(vmsa_run_machine(r), cpu, b);
}

/* ---- MP: W x; W y || R y; R x ----------------------------------- */

static void mp_w(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->x, 1);
	wr(r, c, L(r)->y, 1);
}

static void mp_r(vmsa_run_t *r, vmsa_cpu_t c)
{
	rd(r, c, L(r)->y, 0);
	rd(r, c, L(r)->x, 1);
}

static void mp_w_dmb(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->x, 1);
	dmb(r, c, VMSA_BAR_SY);
	wr(r, c, L(r)->y, 1);
}

static void mp_r_dmb(vmsa_run_t *r, vmsa_cpu_t c)
{
	rd(r, c, L(r)->y, 0);
	dmb(r, c, VMSA_BAR_SY);
	rd(r, c, L(r)->x, 1);
}

static void mp_w_dmbst(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->x, 1);
	dmb(r, c, VMSA_BAR_ST);
	wr(r, c, L(r)->y, 1);
}

static void mp_r_dmbld(vmsa_run_t *r, vmsa_cpu_t c)
{
	rd(r, c, L(r)->y, 0);
	dmb(r, c, VMSA_BAR_LD);
	rd(r, c, L(r)->x, 1);
}

/* DMB ST orders no reads: MP+dmb.st+dmb.st is allowed. */
static void mp_r_dmbst(vmsa_run_t *r, vmsa_cpu_t c)
{
	rd(r, c, L(r)->y, 0);
	dmb(r, c, VMSA_BAR_ST);
	rd(r, c, L(r)->x, 1);
}

/* An address dependency: x + (r0 ^ r0). */
static void mp_r_addr(vmsa_run_t *r, vmsa_cpu_t c)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_access_deps_t d = {0};

	vmsa_read_v(m, c, L(r)->y, 8, VMSA_ORD_PLAIN, NULL, &reg[0], &d.addr);
	vmsa_read_v(m, c, L(r)->x + (reg[0] ^ reg[0]), 8, VMSA_ORD_PLAIN, &d,
		    &reg[1], NULL);
}

/* A control dependency alone does not order reads; with an ISB it
 * does (ctrl-isb). */
static void mp_r_ctrl(vmsa_run_t *r, vmsa_cpu_t c)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_view_t v;

	vmsa_read_v(m, c, L(r)->y, 8, VMSA_ORD_PLAIN, NULL, &reg[0], &v);
	vmsa_ctrl_dep(m, c, v);
	rd(r, c, L(r)->x, 1);
}

static void mp_r_ctrlisb(vmsa_run_t *r, vmsa_cpu_t c)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_view_t v;

	vmsa_read_v(m, c, L(r)->y, 8, VMSA_ORD_PLAIN, NULL, &reg[0], &v);
	vmsa_ctrl_dep(m, c, v);
	vmsa_isb(m, c);
	rd(r, c, L(r)->x, 1);
}

/* Release / acquire. */
static void mp_w_rel(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->x, 1);
	vmsa_write_v(vmsa_run_machine(r), c, L(r)->y, 8, 1, VMSA_ORD_REL, NULL);
}

static void mp_r_acq(vmsa_run_t *r, vmsa_cpu_t c)
{
	vmsa_read_v(vmsa_run_machine(r), c, L(r)->y, 8, VMSA_ORD_ACQ, NULL,
		    &reg[0], NULL);
	rd(r, c, L(r)->x, 1);
}

static void mp_r_acqpc(vmsa_run_t *r, vmsa_cpu_t c)
{
	vmsa_read_v(vmsa_run_machine(r), c, L(r)->y, 8, VMSA_ORD_ACQ_PC, NULL,
		    &reg[0], NULL);
	rd(r, c, L(r)->x, 1);
}

static vmsa_scenario_t mp = {.name = "t/mp", .cpu = {mp_w, mp_r}};
static vmsa_scenario_t mp_dmbs = {.name = "t/mp+dmbs",
				  .cpu = {mp_w_dmb, mp_r_dmb}};
static vmsa_scenario_t mp_st_ld = {.name = "t/mp+dmb.st+dmb.ld",
				   .cpu = {mp_w_dmbst, mp_r_dmbld}};
static vmsa_scenario_t mp_st_st = {.name = "t/mp+dmb.st+dmb.st",
				   .cpu = {mp_w_dmbst, mp_r_dmbst}};
static vmsa_scenario_t mp_addr = {.name = "t/mp+dmb+addr",
				  .cpu = {mp_w_dmb, mp_r_addr}};
static vmsa_scenario_t mp_ctrl = {.name = "t/mp+dmb+ctrl",
				  .cpu = {mp_w_dmb, mp_r_ctrl}};
static vmsa_scenario_t mp_ctrlisb = {.name = "t/mp+dmb+ctrlisb",
				     .cpu = {mp_w_dmb, mp_r_ctrlisb}};
static vmsa_scenario_t mp_relacq = {.name = "t/mp+rel+acq",
				    .cpu = {mp_w_rel, mp_r_acq}};
static vmsa_scenario_t mp_relacqpc = {.name = "t/mp+rel+acqpc",
				      .cpu = {mp_w_rel, mp_r_acqpc}};
static vmsa_scenario_t mp_po_dmb = {.name = "t/mp+po+dmb",
				    .cpu = {mp_w, mp_r_dmb}};

TEST(order_mp_sc_without_relaxed)
{
	/* Without the feature memory is sequentially consistent. */
	EXPECT_OUT(mp, 2, "default", "0,0 0,1 1,1");
}

TEST(order_mp)
{
	EXPECT_OUT(mp, 2, "relaxed", "0,0 0,1 1,0 1,1");
	EXPECT_OUT(mp_dmbs, 2, "relaxed", "0,0 0,1 1,1");
	EXPECT_OUT(mp_st_ld, 2, "relaxed", "0,0 0,1 1,1");
	EXPECT_OUT(mp_st_st, 2, "relaxed", "0,0 0,1 1,0 1,1");
	EXPECT_OUT(mp_addr, 2, "relaxed", "0,0 0,1 1,1");
	EXPECT_OUT(mp_ctrl, 2, "relaxed", "0,0 0,1 1,0 1,1");
	EXPECT_OUT(mp_ctrlisb, 2, "relaxed", "0,0 0,1 1,1");
	EXPECT_OUT(mp_relacq, 2, "relaxed", "0,0 0,1 1,1");
	EXPECT_OUT(mp_relacqpc, 2, "relaxed", "0,0 0,1 1,1");
}

TEST(order_mp_writer_reorder)
{
	/* The writer's stores may be reordered: y = 1 placed before
	 * x = 1 in memory's order. */
	EXPECT_OUT(mp_po_dmb, 2, "relaxed", "0,0 0,1 1,0 1,1");
}

/* ---- SB: W x; R y || W y; R x ------------------------------------ */

static void sb0(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->x, 1);
	rd(r, c, L(r)->y, 0);
}

static void sb1(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->y, 1);
	rd(r, c, L(r)->x, 1);
}

static void sb0_dmb(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->x, 1);
	dmb(r, c, VMSA_BAR_SY);
	rd(r, c, L(r)->y, 0);
}

static void sb1_dmb(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->y, 1);
	dmb(r, c, VMSA_BAR_SY);
	rd(r, c, L(r)->x, 1);
}

/* DMB ST does not order a write before a read. */
static void sb0_dmbst(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->x, 1);
	dmb(r, c, VMSA_BAR_ST);
	rd(r, c, L(r)->y, 0);
}

static void sb1_dmbst(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->y, 1);
	dmb(r, c, VMSA_BAR_ST);
	rd(r, c, L(r)->x, 1);
}

/* STLR then LDAR: RCsc, ordered ([L]; po; [A]); LDAPR is not. */
static void sb0_rel_acq(vmsa_run_t *r, vmsa_cpu_t c, vmsa_order_t a)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	vmsa_write_v(m, c, L(r)->x, 8, 1, VMSA_ORD_REL, NULL);
	vmsa_read_v(m, c, L(r)->y, 8, a, NULL, &reg[0], NULL);
}

static void sb1_rel_acq(vmsa_run_t *r, vmsa_cpu_t c, vmsa_order_t a)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	vmsa_write_v(m, c, L(r)->y, 8, 1, VMSA_ORD_REL, NULL);
	vmsa_read_v(m, c, L(r)->x, 8, a, NULL, &reg[1], NULL);
}

static void sb0_ra(vmsa_run_t *r, vmsa_cpu_t c)
{
	sb0_rel_acq(r, c, VMSA_ORD_ACQ);
}

static void sb1_ra(vmsa_run_t *r, vmsa_cpu_t c)
{
	sb1_rel_acq(r, c, VMSA_ORD_ACQ);
}

static void sb0_rapc(vmsa_run_t *r, vmsa_cpu_t c)
{
	sb0_rel_acq(r, c, VMSA_ORD_ACQ_PC);
}

static void sb1_rapc(vmsa_run_t *r, vmsa_cpu_t c)
{
	sb1_rel_acq(r, c, VMSA_ORD_ACQ_PC);
}

static vmsa_scenario_t sb = {.name = "t/sb", .cpu = {sb0, sb1}};
static vmsa_scenario_t sb_dmbs = {.name = "t/sb+dmbs",
				  .cpu = {sb0_dmb, sb1_dmb}};
static vmsa_scenario_t sb_dmbsts = {.name = "t/sb+dmb.sts",
				    .cpu = {sb0_dmbst, sb1_dmbst}};
static vmsa_scenario_t sb_ra = {.name = "t/sb+rel-acqs",
				.cpu = {sb0_ra, sb1_ra}};
static vmsa_scenario_t sb_rapc = {.name = "t/sb+rel-acqpcs",
				  .cpu = {sb0_rapc, sb1_rapc}};

TEST(order_sb)
{
	EXPECT_OUT(sb, 2, "default", "0,1 1,0 1,1");
	EXPECT_OUT(sb, 2, "relaxed", "0,0 0,1 1,0 1,1");
	EXPECT_OUT(sb_dmbs, 2, "relaxed", "0,1 1,0 1,1");
	EXPECT_OUT(sb_dmbsts, 2, "relaxed", "0,0 0,1 1,0 1,1");
	EXPECT_OUT(sb_ra, 2, "relaxed", "0,1 1,0 1,1");
	EXPECT_OUT(sb_rapc, 2, "relaxed", "0,0 0,1 1,0 1,1");
}

/* ---- Coherence: CoRR, CoWR, CoRW ---------------------------------- */

static void co_w1(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->x, 1);
}

static void corr_r(vmsa_run_t *r, vmsa_cpu_t c)
{
	rd(r, c, L(r)->x, 0);
	rd(r, c, L(r)->x, 1);
}

/* CoWR: W x=1; R x || W x=2: the read never sees the initial value, and
 * sees 2 only if 2 is coherence-after 1 (then x ends 2). */
static void cowr_0(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->x, 1);
	rd(r, c, L(r)->x, 0);
}

static void cowr_1(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->x, 2);
}

static void final_x(vmsa_run_t *r)
{
	reg[1] = *(const uint64_t *)vmsa_pa_cptr(vmsa_run_machine(r), L(r)->x);
	record(r);
}

static vmsa_scenario_t corr = {.name = "t/corr", .cpu = {co_w1, corr_r}};
static vmsa_scenario_t cowr = {.name = "t/cowr", .cpu = {cowr_0, cowr_1}};

TEST(order_coherence)
{
	/* CoRR: never 1 then 0. */
	EXPECT_OUT(corr, 2, "relaxed", "0,0 0,1 1,1");
	/* CoWR: r0 = 1 (own write, x ends 1 or 2), or 2 with x = 2. */
	cowr.check = final_x;
	n_outs = 0;
	n_regs = 2;
	{
		vmsa_explore_opts_t o = vmsa_explore_defaults();
		vmsa_explore_result_t res;

		cowr.setup = setup;
		o.preemptions = VMSA_UNBOUNDED;
		CHECK_EQ(vmsa_explore(&cowr, "relaxed", &o, &res), 0);
		vmsa_explore_result_free(&res);
		qsort(outs, n_outs, sizeof(outs[0]), outcomes_cmp);
		CHECK_EQ(n_outs, 3u);
		CHECK_STR(outs[0], "1,1");
		CHECK_STR(outs[1], "1,2");
		CHECK_STR(outs[2], "2,2");
	}
}

/* ---- IRIW: W x || W y || R x; R y || R y; R x --------------------- */

static void iriw_wx(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->x, 1);
}

static void iriw_wy(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->y, 1);
}

static void iriw_r2(vmsa_run_t *r, vmsa_cpu_t c)
{
	rd(r, c, L(r)->x, 0);
	rd(r, c, L(r)->y, 1);
}

static void iriw_r3(vmsa_run_t *r, vmsa_cpu_t c)
{
	rd(r, c, L(r)->y, 2);
	rd(r, c, L(r)->x, 3);
}

static void iriw_r2_dmb(vmsa_run_t *r, vmsa_cpu_t c)
{
	rd(r, c, L(r)->x, 0);
	dmb(r, c, VMSA_BAR_SY);
	rd(r, c, L(r)->y, 1);
}

static void iriw_r3_dmb(vmsa_run_t *r, vmsa_cpu_t c)
{
	rd(r, c, L(r)->y, 2);
	dmb(r, c, VMSA_BAR_SY);
	rd(r, c, L(r)->x, 3);
}

static vmsa_scenario_t iriw = {.name = "t/iriw",
			       .cpu = {iriw_wx, iriw_wy, iriw_r2, iriw_r3}};
static vmsa_scenario_t iriw_dmbs = {
	.name = "t/iriw+dmbs",
	.cpu = {iriw_wx, iriw_wy, iriw_r2_dmb, iriw_r3_dmb}};

/* Does the outcome list `all` contain `o`? */
static bool has(const char *all, const char *o)
{
	size_t n = strlen(o);

	for (const char *p = all; (p = strstr(p, o)); p++)
		if ((p == all || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

TEST(order_iriw)
{
	const char *a;

	/* Without barriers the readers may disagree on the order of the
	 * writes (1,0,1,0); Arm is other-multi-copy-atomic, so with DMBs
	 * they may not. Every other combination is allowed. */
	/* (The reduction only: the plain search of four CPUs takes
	 * seconds; the two agree on every other shape here.) */
	a = outcomes(&iriw, 4, "relaxed+cpus4", true);
	CHECK(has(a, "1,0,1,0"));
	CHECK_EQ(strlen(a), 16 * 8 - 1u);
	a = outcomes(&iriw_dmbs, 4, "relaxed+cpus4", true);
	CHECK(!has(a, "1,0,1,0"));
	CHECK_EQ(strlen(a), 15 * 8 - 1u);
}

/* ---- 2+2W and LB: shapes that need promises ----------------------- */

static void w22_0(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->x, 1);
	wr(r, c, L(r)->y, 2);
}

static void w22_1(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->y, 1);
	wr(r, c, L(r)->x, 2);
}

static void final_xy(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	reg[0] = *(const uint64_t *)vmsa_pa_cptr(m, L(r)->x);
	reg[1] = *(const uint64_t *)vmsa_pa_cptr(m, L(r)->y);
	record(r);
}

static void lb0(vmsa_run_t *r, vmsa_cpu_t c)
{
	rd(r, c, L(r)->x, 0);
	wr(r, c, L(r)->y, 1);
}

static void lb1(vmsa_run_t *r, vmsa_cpu_t c)
{
	rd(r, c, L(r)->y, 1);
	wr(r, c, L(r)->x, 1);
}

static vmsa_scenario_t w22 = {.name = "t/2+2w", .cpu = {w22_0, w22_1}};
static vmsa_scenario_t lb = {.name = "t/lb", .cpu = {lb0, lb1}};

/* S: W x=2; W y=1 || R y; W x=1 (final x in reg[1]). */
static void s0(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->x, 2);
	wr(r, c, L(r)->y, 1);
}

static void s0_dmb(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->x, 2);
	dmb(r, c, VMSA_BAR_SY);
	wr(r, c, L(r)->y, 1);
}

static void s1(vmsa_run_t *r, vmsa_cpu_t c)
{
	rd(r, c, L(r)->y, 0);
	wr(r, c, L(r)->x, 1);
}

/* x = 1 + (r0 ^ r0): a data dependency. */
static void s1_data(vmsa_run_t *r, vmsa_cpu_t c)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_access_deps_t d = {0};

	vmsa_read_v(m, c, L(r)->y, 8, VMSA_ORD_PLAIN, NULL, &reg[0], &d.data);
	vmsa_write_v(m, c, L(r)->x, 8, 1 + (reg[0] ^ reg[0]), VMSA_ORD_PLAIN,
		     &d);
}

static vmsa_scenario_t s_po = {.name = "t/s", .cpu = {s0, s1}};
static vmsa_scenario_t s_data = {.name = "t/s+dmb+data",
				 .cpu = {s0_dmb, s1_data}};

static const char *final_outcomes(vmsa_scenario_t *s, vmsa_check_fn check,
				  bool reduce)
{
	static char all[MAX_OUT * 32];

	s->setup = setup;
	s->check = check;
	n_outs = 0;
	n_regs = 2;
	outcomes_explore(s, "relaxed", reduce);
	return outcomes_join(outs[0], n_outs, sizeof(outs[0]), all,
			     sizeof(all));
}

TEST(order_reordered_writes)
{
	/* 2+2W: x = 1, y = 1 (each first write last in coherence) is
	 * allowed: the second writes are placed before the first. */
	CHECK_STR(final_outcomes(&w22, final_xy, false), "1,1 1,2 2,1 2,2");
	CHECK_STR(final_outcomes(&w22, final_xy, true), "1,1 1,2 2,1 2,2");
	/* S: r0 = 1 with x ending 2 is allowed without ordering, forbidden
	 * with a DMB and a data dependency. */
	CHECK_STR(final_outcomes(&s_po, final_x, false), "0,1 0,2 1,1 1,2");
	CHECK_STR(final_outcomes(&s_po, final_x, true), "0,1 0,2 1,1 1,2");
	CHECK_STR(final_outcomes(&s_data, final_x, false), "0,1 0,2 1,1");
	CHECK_STR(final_outcomes(&s_data, final_x, true), "0,1 0,2 1,1");
}

/* R: W x=1; W y=1 || W y=2; R x (final y in reg[1]). */
static void r0_(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->x, 1);
	wr(r, c, L(r)->y, 1);
}

static void r1_(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->y, 2);
	rd(r, c, L(r)->x, 0);
}

static void r1_dmb(vmsa_run_t *r, vmsa_cpu_t c)
{
	wr(r, c, L(r)->y, 2);
	dmb(r, c, VMSA_BAR_SY);
	rd(r, c, L(r)->x, 0);
}

static void final_y(vmsa_run_t *r)
{
	reg[1] = *(const uint64_t *)vmsa_pa_cptr(vmsa_run_machine(r), L(r)->y);
	record(r);
}

static vmsa_scenario_t r_po = {.name = "t/r", .cpu = {r0_, r1_}};
static vmsa_scenario_t r_dmbs = {.name = "t/r+dmbs", .cpu = {mp_w_dmb, r1_dmb}};

TEST(order_r)
{
	/* R: r0 = 0 with y ending 2 is allowed without barriers (herd:
	 * R Allowed), forbidden with DMBs on both sides (R+dmbs). */
	CHECK_STR(final_outcomes(&r_po, final_y, false), "0,1 0,2 1,1 1,2");
	CHECK_STR(final_outcomes(&r_dmbs, final_y, false), "0,1 1,1 1,2");
	CHECK_STR(final_outcomes(&r_dmbs, final_y, true), "0,1 1,1 1,2");
}

TEST(order_lb_gap)
{
	/* LB: herd allows 1,1 (each read sees the other CPU's later
	 * write); a scenario that offers no promise (vmsa_promise) does
	 * not reach it: order_lb_promise offers them. */
	EXPECT_OUT(lb, 2, "relaxed", "0,0 0,1 1,0");
}

/* ---- Promises (promise.c): load buffering ---------------------------- */

/* The final check of a run with promises: an execution that ended with
 * a promise its CPU did not fulfil is not one, and the explorer drops it
 * before its check (docs/explorer.md, "Executions that are not the
 * architecture's"). */
static void record_fulfilled(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);

	CHECK(!vmsa_promises_pending(m, 0) && !vmsa_promises_pending(m, 1));
	record(r);
}

/* LB where each CPU first offers the write it will make (what the
 * litmus interpreter does); with_dmb: a DMB SY between read and write
 * (LB+dmb.sys). */
static bool with_dmb;

static void lbp(vmsa_run_t *r, vmsa_cpu_t c, vmsa_pa_t from, vmsa_pa_t to,
		unsigned i)
{
	/* The MMU is off: the store is a Device access (not cacheable). */
	vmsa_promise_t p = {.pa = to, .size = 8, .value = 1,
			    .cacheable = false};

	vmsa_promise(vmsa_run_machine(r), c, &p, 1);
	rd(r, c, from, i);
	if (with_dmb)
		dmb(r, c, VMSA_BAR_SY);
	wr(r, c, to, 1);
}

static void lbp0(vmsa_run_t *r, vmsa_cpu_t c)
{
	lbp(r, c, L(r)->x, L(r)->y, 0);
}

static void lbp1(vmsa_run_t *r, vmsa_cpu_t c)
{
	lbp(r, c, L(r)->y, L(r)->x, 1);
}

static vmsa_scenario_t lbp_s = {.name = "t/lb-promise", .cpu = {lbp0, lbp1}};

static const char *lbp_outcomes(const char *config, bool reduce)
{
	lbp_s.setup = setup;
	lbp_s.check = record_fulfilled;
	/* outcomes() sets check to record: run it by hand here. */
	{
		static char all[MAX_OUT * 32];

		n_outs = 0;
		n_regs = 2;
		outcomes_explore(&lbp_s, config, reduce);
		return outcomes_join(outs[0], n_outs, sizeof(outs[0]), all,
				     sizeof(all));
	}
}

TEST(order_lb_promise)
{
	/* With promises offered, LB reaches herd's 1,1: a CPU promises its
	 * write, the other reads it, and the store fulfils it (its views
	 * stay below the promise: nothing orders the read before it). */
	with_dmb = false;
	CHECK_STR(lbp_outcomes("relaxed", false), "0,0 0,1 1,0 1,1");
	CHECK_STR(lbp_outcomes("relaxed", true), "0,0 0,1 1,0 1,1");
	/* LB+dmb.sys: the DMB orders the read before the write, whose
	 * views then reach past any promise the other CPU read: no 1,1
	 * (the executions are dropped, never outcomes). */
	with_dmb = true;
	CHECK_STR(lbp_outcomes("relaxed", false), "0,0 0,1 1,0");
	CHECK_STR(lbp_outcomes("relaxed", true), "0,0 0,1 1,0");
	/* Without the feature a promise is nothing (no step, no choice):
	 * memory is sequentially consistent, 1,1 unreachable. */
	with_dmb = false;
	CHECK_STR(lbp_outcomes("default", false), "0,0 0,1 1,0");
}

TEST(order_promise_calls)
{
	vmsa_features_t f = vmsa_features_default();
	vmsa_machine_t *m;
	vmsa_promise_t p = {.pa = 0, .size = 8, .value = 1};
	/* Off: returns 0, takes no step. */
	m = vmsa_machine_new(&f, NULL);
	p.pa = f.mem_base;
	CHECK_EQ(vmsa_promise(m, 0, &p, 1), 0u);
	CHECK_EQ(vmsa_promises_pending(m, 0), 0u);
	CHECK(vmsa_violation(m) == NULL);
	vmsa_machine_free(m);
	/* On, with the default chooser (option 0): no promise either. */
	f.relaxed = true;
	m = vmsa_machine_new(&f, NULL);
	CHECK_EQ(vmsa_promise(m, 0, &p, 1), 0u);
	CHECK_EQ(vmsa_promises_pending(m, 0), 0u);
	CHECK(!vmsa_promises_doomed(m, 0));
	CHECK(vmsa_violation(m) == NULL);
	/* A bad candidate: size 3. */
	p.size = 3;
	CHECK_EQ(vmsa_promise(m, 1, &p, 1), 0u);
	CHECK(vmsa_violation(m) != NULL);
	CHECK_EQ(vmsa_violation(m)->kind, VMSA_V_BAD_CALL);
	CHECK_STR(vmsa_violation(m)->message,
		  "scenario error: vmsa_promise: size 3 is not 1, 2, 4 or 8");
	CHECK_EQ(vmsa_promises_pending(m, 7), 0u);
	vmsa_machine_free(m);
	/* A kind or an atomic's operation that does not exist. */
	p.size = 8;
	p.kind = (vmsa_promise_kind_t)9;
	m = vmsa_machine_new(&f, NULL);
	CHECK_EQ(vmsa_promise(m, 0, &p, 1), 0u);
	CHECK(vmsa_violation(m) != NULL);
	CHECK_EQ(vmsa_violation(m)->kind, VMSA_V_BAD_CALL);
	CHECK_STR(vmsa_violation(m)->message,
		  "scenario error: vmsa_promise: 9 is not a valid "
		  "vmsa_promise_kind_t (0 .. 3)");
	vmsa_machine_free(m);
	p.kind = VMSA_PROMISE_RMW;
	p.op = (vmsa_rmw_op_t)42;
	m = vmsa_machine_new(&f, NULL);
	CHECK_EQ(vmsa_promise(m, 0, &p, 1), 0u);
	CHECK(vmsa_violation(m) != NULL);
	CHECK_STR(vmsa_violation(m)->message,
		  "scenario error: vmsa_promise: 42 is not a valid "
		  "vmsa_rmw_op_t (0 .. 8)");
	vmsa_machine_free(m);
}

TEST(order_bad_ord)
{
	vmsa_features_t f = vmsa_features_default();
	vmsa_machine_t *m = vmsa_machine_new(&f, NULL);
	uint64_t v = 7;

	CHECK(!vmsa_read_v(m, 0, f.mem_base, 8, (vmsa_order_t)9, NULL, &v,
			   NULL));
	CHECK_EQ(v, 0u);
	CHECK(vmsa_violation(m) != NULL);
	CHECK_EQ(vmsa_violation(m)->kind, VMSA_V_BAD_CALL);
	CHECK_STR(vmsa_violation(m)->message,
		  "scenario error: vmsa_read_v: 9 is not a valid "
		  "vmsa_order_t (0 .. 4)");
	vmsa_machine_free(m);
}

/* ---- Dependencies through the CPU's own writes (forwarding) ----------
 * B2.3.2: a read that takes its value from its CPU's write depends on
 * what that write's data depended on: as data (deps.data), or only for
 * later writes (deps.pick: a pick dependency, vmsa_read_pick). The
 * reader reads y, writes z with the dependency, reads z back and reads x
 * at an address that depends on the value read back. */

static void fwd_r(vmsa_run_t *r, vmsa_cpu_t c, bool pick)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_access_deps_t d = {0}, a = {0};
	vmsa_view_t v;
	uint64_t z;

	vmsa_read_v(m, c, L(r)->y, 8, VMSA_ORD_PLAIN, NULL, &reg[0], &v);
	if (pick)
		d.pick = v;
	else
		d.data = v;
	vmsa_write_v(m, c, L(r)->z, 8, 5, VMSA_ORD_PLAIN, &d);
	vmsa_read_v(m, c, L(r)->z, 8, VMSA_ORD_PLAIN, NULL, &z, &a.addr);
	/* The pick view of the value read back is the write's pick. */
	if (pick ? vmsa_read_pick(m, c) != v : vmsa_read_pick(m, c) != 0)
		reg[1] = 99;
	else
		vmsa_read_v(m, c, L(r)->x + (z ^ z), 8, VMSA_ORD_PLAIN, &a,
			    &reg[1], NULL);
}

static void fwd_r_data(vmsa_run_t *r, vmsa_cpu_t c)
{
	fwd_r(r, c, false);
}

static void fwd_r_pick(vmsa_run_t *r, vmsa_cpu_t c)
{
	fwd_r(r, c, true);
}

/* A SWP of y, then an acquire read of y that takes the SWP's value:
 * ordered after the SWP's read (Atomic-ordered-before), so after x = 1
 * once the SWP read 1; a plain read of y is not. reg[0]: what the SWP
 * read. */
static void fwd_r_swp(vmsa_run_t *r, vmsa_cpu_t c, vmsa_order_t ord)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t y;

	vmsa_rmw_v(m, c, L(r)->y, 8, VMSA_RMW_SWP, 2, VMSA_ORD_PLAIN, NULL,
		   &reg[0], NULL);
	vmsa_read_v(m, c, L(r)->y, 8, ord, NULL, &y, NULL);
	rd(r, c, L(r)->x, 1);
}

static void fwd_r_swp_acq(vmsa_run_t *r, vmsa_cpu_t c)
{
	fwd_r_swp(r, c, VMSA_ORD_ACQ_PC);
}

static void fwd_r_swp_plain(vmsa_run_t *r, vmsa_cpu_t c)
{
	fwd_r_swp(r, c, VMSA_ORD_PLAIN);
}

/* CASA of y (1 -> 2), then x: with a result, an acquire (x = 1 once it
 * swapped); without (prev NULL: CASA into the zero register) none.
 * reg[0]: 1 when it swapped (y holds 2 and the CAS wrote it). */
static void fwd_r_casa(vmsa_run_t *r, vmsa_cpu_t c, bool ret)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t prev, y;

	vmsa_cas_v(m, c, L(r)->y, 8, 1, 2, VMSA_ORD_ACQ, NULL,
		   ret ? &prev : NULL, NULL);
	vmsa_read_v(m, c, L(r)->y, 8, VMSA_ORD_PLAIN, NULL, &y, NULL);
	reg[0] = y == 2;
	rd(r, c, L(r)->x, 1);
}

static void fwd_r_casa_ret(vmsa_run_t *r, vmsa_cpu_t c)
{
	fwd_r_casa(r, c, true);
}

static void fwd_r_casa_noret(vmsa_run_t *r, vmsa_cpu_t c)
{
	fwd_r_casa(r, c, false);
}

static vmsa_scenario_t fwd_data = {.name = "t/mp+dmb+data-rfi-addr",
				   .cpu = {mp_w_dmb, fwd_r_data}};
static vmsa_scenario_t fwd_pick = {.name = "t/mp+dmb+pick-rfi-addr",
				   .cpu = {mp_w_dmb, fwd_r_pick}};
static vmsa_scenario_t fwd_swp_acq = {.name = "t/mp+rel+swp-rfi-acq",
				      .cpu = {mp_w_rel, fwd_r_swp_acq}};
static vmsa_scenario_t fwd_swp_plain = {.name = "t/mp+rel+swp-rfi-po",
					.cpu = {mp_w_rel, fwd_r_swp_plain}};
static vmsa_scenario_t fwd_casa_ret = {.name = "t/mp+rel+casa",
				       .cpu = {mp_w_rel, fwd_r_casa_ret}};
static vmsa_scenario_t fwd_casa_noret = {.name = "t/mp+rel+casa-noret",
					 .cpu = {mp_w_rel, fwd_r_casa_noret}};

TEST(order_forwarded_dependencies)
{
	/* A data dependency carried through z orders the read of x. */
	EXPECT_OUT(fwd_data, 2, "relaxed", "0,0 0,1 1,1");
	/* A pick dependency does not order a read (1,0). */
	EXPECT_OUT(fwd_pick, 2, "relaxed", "0,0 0,1 1,0 1,1");
}

TEST(order_acquire_after_own_atomic)
{
	EXPECT_OUT(fwd_swp_acq, 2, "relaxed", "0,0 0,1 1,1");
	EXPECT_OUT(fwd_swp_plain, 2, "relaxed", "0,0 0,1 1,0 1,1");
}

TEST(order_cas_noret_no_acquire)
{
	EXPECT_OUT(fwd_casa_ret, 2, "relaxed", "0,0 0,1 1,1");
	EXPECT_OUT(fwd_casa_noret, 2, "relaxed", "0,0 0,1 1,0 1,1");
}

/* A successful CAS whose compared value has a pick view newer than its
 * read's view and a view older: neither source of its result orders
 * less (B2.3.2; herd7's aarch64_cas offers both), so the model asks.
 * CPU1 reads x = 1 then y = 1 (written in that order), CASes z (its
 * address after x) comparing with a value that depends on y only
 * through a pick dependency. reg[0]: 1 when the result's view is the
 * compared value's (0), 2 when the read's. */
static void cas_src_r(vmsa_run_t *r, vmsa_cpu_t c)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_access_deps_t d = {0};
	vmsa_view_t vx, vy, v;
	uint64_t x, y, prev;

	vmsa_read_v(m, c, L(r)->x, 8, VMSA_ORD_PLAIN, NULL, &x, &vx);
	vmsa_read_v(m, c, L(r)->y, 8, VMSA_ORD_PLAIN, NULL, &y, &vy);
	d.addr = vx;
	d.cmp_pick = vy;
	vmsa_cas_v(m, c, L(r)->z + (x ^ x), 8, 0, 7, VMSA_ORD_PLAIN, &d,
		   &prev, &v);
	reg[0] = x == 1 && y == 1 && vy > vx ? (v == 0 ? 1 : 2) : 0;
	reg[1] = x == 1 && y == 1 && vy > vx && v == 0 ?
		 vmsa_read_pick(m, c) == vy : 0;
}

static vmsa_scenario_t cas_src = {.name = "t/cas-result-source",
				  .cpu = {mp_w_dmb, cas_src_r}};

TEST(order_cas_result_source_choice)
{
	/* 1,1: the compared value's view (0) with the pick view of y; 2,0:
	 * the read's view. */
	EXPECT_OUT(cas_src, 2, "relaxed", "0,0 1,1 2,0");
}

TEST(order_read_pick_bad_cpu)
{
	vmsa_features_t f = vmsa_features_default();
	vmsa_machine_t *m = vmsa_machine_new(&f, NULL);

	CHECK_EQ(vmsa_read_pick(m, 9), 0u);
	CHECK(vmsa_violation(m) != NULL);
	CHECK_EQ(vmsa_violation(m)->kind, VMSA_V_BAD_CALL);
	CHECK(strstr(vmsa_violation(m)->message,
		     "vmsa_read_pick: cpu 9 out of range") != NULL);
	vmsa_machine_free(m);
}

TEST(order_tlbi_v_pick_addr_bad_cpu)
{
	vmsa_features_t f = vmsa_features_default();
	vmsa_machine_t *m = vmsa_machine_new(&f, NULL);
	vmsa_tlbi_op_t op;

	CHECK_EQ(vmsa_tlbi_parse("vmalle1is", &op), 0);
	vmsa_tlbi_v(m, 5, op, 0, 0);
	CHECK(vmsa_violation(m) != NULL);
	CHECK_EQ(vmsa_violation(m)->kind, VMSA_V_BAD_CALL);
	CHECK(strstr(vmsa_violation(m)->message,
		     "vmsa_tlbi_v: cpu 5 out of range") != NULL);
	vmsa_machine_free(m);
	m = vmsa_machine_new(&f, NULL);
	vmsa_pick_addr_dep(m, 7, 1);
	CHECK(vmsa_violation(m) != NULL);
	CHECK(strstr(vmsa_violation(m)->message,
		     "vmsa_pick_addr_dep: cpu 7 out of range") != NULL);
	vmsa_machine_free(m);
}

/* ---- Translation ordered after an observation (issue 11, items 1-2) -- */

#include "fixture.h"

#define VA_X 0x2000ull	/* invalid at first; CPU1 (or CPU0) maps it */

struct xl {
	struct fx f;
	vmsa_pa_t z;	/* a flag, read and written physically */
};

static bool faulted[VMSA_MAX_CPUS];

static void xl_setup(vmsa_run_t *r)
{
	struct xl *d = vmsa_run_data(r);

	d->f.m = vmsa_run_machine(r);
	fx_tables(&d->f);
	d->z = d->f.page[3] + 64;
	memset(reg, 0, sizeof(reg));
	memset(faulted, 0, sizeof(faulted));
}

static uint64_t valid_x(const struct xl *d);

/* A fault on the access (herd's fault(P1:L0,x)): noted, and x mapped as
 * the other CPU maps it (same value: no break needed), published, so
 * that the retried access completes. */
static void xl_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e, void *arg)
{
	const struct xl *d = vmsa_run_data(arg); /* arg: the run */

	(void)e;
	faulted[cpu] = true;
	vmsa_desc_write_pa(m, cpu, fx_pte(&d->f, VA_X), valid_x(d));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
}

static void xl_record(vmsa_run_t *r)
{
	reg[n_regs - 1] = faulted[1];
	record(r);
}

static uint64_t valid_x(const struct xl *d)
{
	return fx_page_desc(d->f.page[1]);
}

/* I2V-R-DSB.ISH-ISB-R+W: CPU1 reads the new descriptor with a load,
 * DSB, ISB, then accesses x; CPU0 writes the descriptor (no DSB). */
static void i2v_w(vmsa_run_t *r, vmsa_cpu_t c)
{
	const struct xl *d = vmsa_run_data(r);

	vmsa_desc_write_pa(d->f.m, c, fx_pte(&d->f, VA_X), valid_x(d));
}

static void i2v_r(vmsa_run_t *r, vmsa_cpu_t c, vmsa_barrier_t b)
{
	struct xl *d = vmsa_run_data(r);
	uint64_t v;

	faulted[c] = false;
	fx_enter_el1(&d->f, c);
	reg[0] = vmsa_phys_read(d->f.m, c, fx_pte(&d->f, VA_X), 8, true) ==
		 valid_x(d);
	vmsa_dsb(d->f.m, c, b);
	vmsa_isb(d->f.m, c);
	vmsa_read(d->f.m, c, VA_X, 8, &v);
}

static void i2v_r_ish(vmsa_run_t *r, vmsa_cpu_t c)
{
	i2v_r(r, c, VMSA_BAR_ISH);
}

static void i2v_r_ishst(vmsa_run_t *r, vmsa_cpu_t c)
{
	i2v_r(r, c, VMSA_BAR_ISHST);
}

/* D15347-M-load-shoot: CPU0 maps x, DSB, TLBI VAAE1IS x, DSB, then
 * sets a flag; CPU1 reads the flag, then (ordered or not) accesses x. */
static void shoot_w(vmsa_run_t *r, vmsa_cpu_t c, uint64_t tlbi_va)
{
	struct xl *d = vmsa_run_data(r);

	/* At EL2: TLBI VAAE1IS is an EL1&0 operation EL2 may issue. */
	vmsa_desc_write_pa(d->f.m, c, fx_pte(&d->f, VA_X), valid_x(d));
	vmsa_dsb(d->f.m, c, VMSA_BAR_ISH);
	fx_tlbi_va(&d->f, c, "tlbi vaae1is", tlbi_va);
	vmsa_dsb(d->f.m, c, VMSA_BAR_ISH);
	vmsa_phys_write(d->f.m, c, d->z, 8, 1, true);
}

static void shoot_w_x(vmsa_run_t *r, vmsa_cpu_t c)
{
	shoot_w(r, c, VA_X);
}

static void shoot_w_other(vmsa_run_t *r, vmsa_cpu_t c)
{
	shoot_w(r, c, 0x5000);
}

static void shoot_r(vmsa_run_t *r, vmsa_cpu_t c, bool dmb_ld)
{
	struct xl *d = vmsa_run_data(r);
	uint64_t v;

	faulted[c] = false;
	fx_enter_el1(&d->f, c);
	reg[0] = vmsa_phys_read(d->f.m, c, d->z, 8, true);
	if (dmb_ld)
		vmsa_dmb(d->f.m, c, VMSA_BAR_LD);
	vmsa_read(d->f.m, c, VA_X, 8, &v);
}

static void shoot_r_dmbld(vmsa_run_t *r, vmsa_cpu_t c)
{
	shoot_r(r, c, true);
}

static void shoot_r_po(vmsa_run_t *r, vmsa_cpu_t c)
{
	shoot_r(r, c, false);
}

#define XL_SCEN(id, nm, c0, c1)                                            \
	static vmsa_scenario_t id = {                                      \
		.name = nm,                                                \
		.setup = xl_setup,                                         \
		.cpu = {c0, c1},                                           \
		.check = xl_record,                                        \
		.handler = {{NULL, NULL, NULL}, {NULL, xl_handler, NULL}}, \
	}

XL_SCEN(i2v_ish, "t/I2V-R-DSB.ISH-ISB-R+W", i2v_w, i2v_r_ish);
XL_SCEN(i2v_ishst, "t/I2V-R-DSB.ST-ISB-R+W", i2v_w, i2v_r_ishst);
XL_SCEN(shoot_dmbld, "t/D15347-M-load-shoot+DMB.LD", shoot_w_x,
	shoot_r_dmbld);
XL_SCEN(shoot_po, "t/D15347-M-load-shoot+po", shoot_w_x, shoot_r_po);
XL_SCEN(shoot_noscope, "t/D15347-M-load-shoot-noscope+DMB.LD",
	shoot_w_other, shoot_r_dmbld);

/* Outcomes "r0,fault" of scenario s in config (setup and check kept). */
static const char *xl_outcomes(vmsa_scenario_t *s, const char *config,
			       bool reduce)
{
	static char all[MAX_OUT * 32];

	n_outs = 0;
	n_regs = 2;
	outcomes_explore(s, config, reduce);
	return outcomes_join(outs[0], n_outs, sizeof(outs[0]), all,
			     sizeof(all));
}

#define EXPECT_XL(s, config, want)                                         \
	do {                                                               \
		CHECK_STR(xl_outcomes(&(s), config, false), want);         \
		CHECK_STR(xl_outcomes(&(s), config, true), want);          \
	} while (0)

TEST(order_walk_after_observed_descriptor)
{
	/* herd: Forbidden (1,1): the load saw the new descriptor, DSB ISH
	 * and ISB order the walk after it. Without relaxed the model
	 * allows it (rule 4: invisible until the writer's DSB). */
	EXPECT_XL(i2v_ish, "relaxed", "0,0 0,1 1,0");
	EXPECT_XL(i2v_ish, "default", "0,0 0,1 1,0 1,1");
	/* DSB ST orders no load: herd Allowed. */
	EXPECT_XL(i2v_ishst, "relaxed", "0,0 0,1 1,0 1,1");
}

TEST(order_walk_after_observed_tlbi)
{
	/* herd: Forbidden (1,1) with DMB LD; Allowed without it (the walk
	 * may have been done early) and when the TLBI is for another
	 * address. */
	EXPECT_XL(shoot_dmbld, "relaxed", "0,0 0,1 1,0");
	EXPECT_XL(shoot_dmbld, "default", "0,0 0,1 1,0 1,1");
	EXPECT_XL(shoot_po, "relaxed", "0,0 0,1 1,0 1,1");
	EXPECT_XL(shoot_noscope, "relaxed", "0,0 0,1 1,0 1,1");
}

/* ---- A descriptor store's place in memory's order (C API) ---------- */

/* diy7's S003 with a descriptor store and DSB in place of the TLBI
 * (tests/litmus/tlbi/PodWW-Rfe-Ldr-PTE-DSB-Coe.litmus): CPU0 writes
 * x = 3 then y = 6; CPU1 reads y, writes a descriptor through the C API
 * (vmsa_desc_write_pa), DSB ISH, then x = 2. Reading y = 6 does not
 * order CPU1's store of x after CPU0's: the descriptor store and the DSB
 * may go below CPU0's x = 3 in memory's order, so x may end 3. */
static vmsa_pa_t ds_x(const struct xl *d)
{
	return d->f.page[3] + 128;
}

static vmsa_pa_t ds_y(const struct xl *d)
{
	return d->f.page[3] + 192;
}

static void ds_w(vmsa_run_t *r, vmsa_cpu_t c)
{
	const struct xl *d = vmsa_run_data(r);

	vmsa_phys_write(d->f.m, c, ds_x(d), 8, 3, true);
	vmsa_phys_write(d->f.m, c, ds_y(d), 8, 6, true);
}

static void ds_r(vmsa_run_t *r, vmsa_cpu_t c)
{
	struct xl *d = vmsa_run_data(r);

	reg[0] = vmsa_phys_read(d->f.m, c, ds_y(d), 8, true);
	vmsa_desc_write_pa(d->f.m, c, fx_pte(&d->f, VA_X), valid_x(d));
	vmsa_dsb(d->f.m, c, VMSA_BAR_ISH);
	vmsa_phys_write(d->f.m, c, ds_x(d), 8, 2, true);
}

static void ds_final(vmsa_run_t *r)
{
	const struct xl *d = vmsa_run_data(r);

	reg[1] = *(const uint64_t *)vmsa_pa_cptr(d->f.m, ds_x(d));
	record(r);
}

static vmsa_scenario_t desc_below = {
	.name = "t/PodWW-Rfe-Ldr-PTE-DSB-Coe",
	.setup = xl_setup,
	.cpu = {ds_w, ds_r},
	.check = ds_final,
};

TEST(order_desc_store_below_unobserved_store)
{
	/* herd7's four states (vmsa litmus on the .litmus file agrees):
	 * 6,3 needs the descriptor store and the DSB below x = 3. A
	 * descriptor store appended at memory's newest place (as the C
	 * API's were) put CPU1's x = 2 above it: 6,3 never. */
	EXPECT_XL(desc_below, "relaxed", "0,2 0,3 6,2 6,3");
	/* Sequentially consistent: y = 6 read, x = 3 came before x = 2. */
	EXPECT_XL(desc_below, "default", "0,2 0,3 6,2");
}
