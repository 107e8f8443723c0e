/*
 * tests/model/test_atomic.c - atomics, exclusives and acquire/release
 * accesses (src/model/atomic.c; docs/model.md "Atomics, exclusives and
 * acquire/release"): exact old values and memory after every RMW
 * operation, CAS with and without a match, the Exclusives monitors in
 * both orders of two CPUs, what clears them, faults with their exact
 * syndromes (WnR = 1 for an atomic to a read-only page, WnR = 0 for a
 * stage 2 write-only one), descriptor SWP/CAS through the descriptor
 * path (break-before-make), bad calls, reset and snapshot restore.
 */
#include <stdio.h>
#include <string.h>

#include "chooser.h"
#include "fixture.h"
#include "fixture_s2.h"

#define VA 0x1000ull		/* -> page[0], whose first word is 0xa0 */
#define RO_VA 0x4000ull		/* -> page[2], read-only (ro_setup) */
#define TABLE_VA 0x3000ull	/* -> the level-3 table (table_setup) */

/* A machine with `ncpus` CPUs at EL1 and the fixture's mapping. */
static void setup(struct fx *f, unsigned ncpus)
{
	fx_setup(f, ncpus, 0);
}

static uint64_t phys(struct fx *f, vmsa_pa_t pa)
{
	return vmsa_phys_read(f->m, 0, pa, 8, true);
}

/* ------------------------------------------------------------------ */
/* Read-modify-writes                                                  */
/* ------------------------------------------------------------------ */

struct rmw_case {
	vmsa_rmw_op_t op;
	unsigned size;
	uint64_t mem, operand, old, after;
};

/* Each operation on a doubleword holding 0x00000000000000f0 (or the
 * value shown), with the exact old value and memory after. Sizes 1, 2,
 * 4 act on the low bytes only; the neighbours stay. */
TEST(atomic_rmw_ops_old_and_after)
{
	static const struct rmw_case c[] = {
		{VMSA_RMW_SWP, 8, 0xf0, 0x1234, 0xf0, 0x1234},
		{VMSA_RMW_ADD, 8, 0xf0, 0x10, 0xf0, 0x100},
		{VMSA_RMW_SET, 8, 0xf0, 0x0f, 0xf0, 0xff},
		{VMSA_RMW_CLR, 8, 0xf0, 0x30, 0xf0, 0xc0},
		{VMSA_RMW_EOR, 8, 0xf0, 0xff, 0xf0, 0x0f},
		/* Signed: 0xff.. is -1, smaller than 5. */
		{VMSA_RMW_SMAX, 8, ~0ull, 5, ~0ull, 5},
		{VMSA_RMW_SMIN, 8, ~0ull, 5, ~0ull, ~0ull},
		{VMSA_RMW_UMAX, 8, ~0ull, 5, ~0ull, ~0ull},
		{VMSA_RMW_UMIN, 8, ~0ull, 5, ~0ull, 5},
		/* One byte: 0x80 is -128 as a byte; the operand's high
		 * bytes are ignored; the carry does not leave the byte. */
		{VMSA_RMW_SMAX, 1, 0x1180, 0x7f01, 0x80, 0x1101},
		{VMSA_RMW_UMAX, 1, 0x1180, 0x7f01, 0x80, 0x1180},
		{VMSA_RMW_ADD, 1, 0x11ff, 0x02, 0xff, 0x1101},
		/* Halfword and word. */
		{VMSA_RMW_SWP, 2, 0xaabbccdd, 0x1122, 0xccdd, 0xaabb1122},
		{VMSA_RMW_SMIN, 4, 0x1111111180000000ull, 1, 0x80000000,
		 0x1111111180000000ull},
		{VMSA_RMW_ADD, 4, 0x22222222ffffffffull, 1, 0xffffffff,
		 0x2222222200000000ull},
	};

	for (unsigned i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct fx f;
		uint64_t old = 7;

		setup(&f, 1);
		vmsa_phys_write(f.m, VMSA_SETUP, f.page[0], 8, c[i].mem, true);
		CHECK(vmsa_rmw(f.m, 0, VA, c[i].size, c[i].op, c[i].operand,
			       VMSA_ORD_PLAIN, &old));
		CHECK_MSG(old == c[i].old, "case %u: old 0x%llx", i,
			  (unsigned long long)old);
		CHECK_MSG(phys(&f, f.page[0]) == c[i].after,
			  "case %u: after 0x%llx", i,
			  (unsigned long long)phys(&f, f.page[0]));
		CHECK(vmsa_violation(f.m) == NULL);
		fx_done(&f);
	}
}

/* One step each (plus nothing: the translation is the same step), the
 * ST<op> form passes old = NULL, and every ordering is accepted. */
TEST(atomic_rmw_one_step_every_order)
{
	static const vmsa_order_t ords[] = {
		VMSA_ORD_PLAIN, VMSA_ORD_ACQ, VMSA_ORD_REL, VMSA_ORD_ACQ_REL,
	};
	struct fx f;
	uint64_t step;

	setup(&f, 1);
	for (unsigned i = 0; i < 4; i++) {
		step = vmsa_steps(f.m);
		CHECK(vmsa_rmw(f.m, 0, VA, 8, VMSA_RMW_ADD, 1, ords[i], NULL));
		CHECK_EQ(vmsa_steps(f.m), step + 1);
	}
	CHECK_EQ(phys(&f, f.page[0]), 0xa4);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* CAS: a match writes, a mismatch does not; the comparison is on the
 * low size bytes of `expect`. */
TEST(atomic_cas_ord_match_and_mismatch)
{
	struct fx f;
	uint64_t prev = 9;

	setup(&f, 1);
	CHECK(vmsa_cas_ord(f.m, 0, VA, 8, 0xa1, 0x55, VMSA_ORD_ACQ, &prev));
	CHECK_EQ(prev, 0xa0);
	CHECK_EQ(phys(&f, f.page[0]), 0xa0);
	CHECK(vmsa_cas_ord(f.m, 0, VA, 8, 0xa0, 0x55, VMSA_ORD_ACQ_REL,
			   &prev));
	CHECK_EQ(prev, 0xa0);
	CHECK_EQ(phys(&f, f.page[0]), 0x55);
	/* A byte CAS whose expect has high bits set still matches. */
	CHECK(vmsa_cas_ord(f.m, 0, VA, 1, 0xff55, 0x66, VMSA_ORD_REL, &prev));
	CHECK_EQ(prev, 0x55);
	CHECK_EQ(phys(&f, f.page[0]), 0x66);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* ------------------------------------------------------------------ */
/* Trace lines                                                         */
/* ------------------------------------------------------------------ */

#define MAX_LINES 64

struct lines {
	unsigned n;
	char op[MAX_LINES][16];
	char text[MAX_LINES][160];
};

static void record(void *ctx, const vmsa_trace_event_t *e)
{
	struct lines *l = ctx;

	if (l->n == MAX_LINES)
		return;
	snprintf(l->op[l->n], sizeof(l->op[0]), "%s", e->op);
	snprintf(l->text[l->n], sizeof(l->text[0]), "%s", e->text);
	l->n++;
}

/* The last trace line with op `op`, or "". */
static const char *last(const struct lines *l, const char *op)
{
	for (unsigned i = l->n; i-- > 0;)
		if (!strcmp(l->op[i], op))
			return l->text[i];
	return "";
}

TEST(atomic_trace_lines)
{
	struct fx f;
	struct lines l;
	uint64_t v;
	unsigned st;

	setup(&f, 1);
	memset(&l, 0, sizeof(l));
	vmsa_set_trace(f.m, record, &l);
	vmsa_read_v(f.m, 0, VA, 8, VMSA_ORD_ACQ, NULL, &v, NULL);
	CHECK_STR(last(&l, "read"), "[0x1000] = 0xa0 acq");
	vmsa_read_v(f.m, 0, VA, 8, VMSA_ORD_ACQ_PC, NULL, &v, NULL);
	CHECK_STR(last(&l, "read"), "[0x1000] = 0xa0 acq-pc");
	vmsa_read(f.m, 0, VA, 8, &v);
	CHECK_STR(last(&l, "read"), "[0x1000] = 0xa0");
	vmsa_write_v(f.m, 0, VA, 8, 0xa1, VMSA_ORD_REL, NULL);
	CHECK_STR(last(&l, "write"), "[0x1000] := 0xa1 rel");
	vmsa_rmw(f.m, 0, VA, 8, VMSA_RMW_SET, 2, VMSA_ORD_ACQ_REL, &v);
	CHECK_STR(last(&l, "rmw"), "set [0x1000] 0x2: 0xa1 -> 0xa3 acq-rel");
	vmsa_cas_ord(f.m, 0, VA, 8, 1, 2, VMSA_ORD_ACQ, &v);
	CHECK_STR(last(&l, "cas"), "[0x1000] 0x1 -> 0x2: failed acq");
	vmsa_ldxr(f.m, 0, VA + 8, 4, VMSA_ORD_ACQ, &v);
	CHECK_STR(last(&l, "ldxr"), "[0x1008] = 0x0, marks PA 0x40003000 acq");
	vmsa_stxr(f.m, 0, VA + 8, 4, 0x1ffffffff, VMSA_ORD_REL, &st);
	CHECK_STR(last(&l, "stxr"), "[0x1008] := 0xffffffff: passed rel");
	vmsa_stxr(f.m, 0, VA + 8, 4, 3, VMSA_ORD_PLAIN, &st);
	CHECK_STR(last(&l, "stxr"),
		  "[0x1008] := 0x3: failed, local monitor clear");
	vmsa_clrex(f.m, 0);
	CHECK_STR(last(&l, "clrex"), "local monitor cleared");
	CHECK_EQ(f.page[0], 0x40003000);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* ------------------------------------------------------------------ */
/* Exclusives and the monitors                                         */
/* ------------------------------------------------------------------ */

/* LDXR then STXR on one CPU: status 0, the value written; a second
 * STXR (monitor now clear) fails and writes nothing. */
TEST(atomic_exclusive_pair_passes_once)
{
	struct fx f;
	uint64_t v = 0;
	unsigned st = 7;

	setup(&f, 1);
	CHECK(vmsa_ldxr(f.m, 0, VA, 8, VMSA_ORD_PLAIN, &v));
	CHECK_EQ(v, 0xa0);
	CHECK(vmsa_stxr(f.m, 0, VA, 8, v + 1, VMSA_ORD_PLAIN, &st));
	CHECK_EQ(st, 0);
	CHECK_EQ(phys(&f, f.page[0]), 0xa1);
	CHECK(vmsa_stxr(f.m, 0, VA, 8, 0x77, VMSA_ORD_PLAIN, &st));
	CHECK_EQ(st, 1);
	CHECK_EQ(phys(&f, f.page[0]), 0xa1);
	/* No LDXR at all: fails. */
	CHECK(vmsa_stxr(f.m, 0, VA + 0x40, 8, 0x77, VMSA_ORD_PLAIN, &st));
	CHECK_EQ(st, 1);
	CHECK_EQ(phys(&f, f.page[0] + 0x40), 0);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* What CPU1 does between CPU0's LDXR and STXR of VA, and whether the
 * STXR passes. `first` runs CPU1's action before the LDXR instead (the
 * other order): then it always passes. */
typedef void (*action_fn)(struct fx *f);

static unsigned excl_with(action_fn act, bool first)
{
	struct fx f;
	uint64_t v;
	unsigned st = 7;

	setup(&f, 2);
	if (first)
		act(&f);
	vmsa_ldxr(f.m, 0, VA, 8, VMSA_ORD_PLAIN, &v);
	if (!first)
		act(&f);
	vmsa_stxr(f.m, 0, VA, 8, 0x5a, VMSA_ORD_PLAIN, &st);
	CHECK(vmsa_violation(f.m) == NULL);
	if (st == 0)
		CHECK_EQ(vmsa_phys_read(f.m, 0, f.page[0], 8, true), 0x5a);
	fx_done(&f);
	return st;
}

static void cpu1_store_same_word(struct fx *f)
{
	vmsa_write(f->m, 1, VA, 8, 0x11);
}

static void cpu1_store_same_granule(struct fx *f)
{
	vmsa_write(f->m, 1, VA + 8, 4, 0x11); /* bytes 8-11 of 16 */
}

static void cpu1_store_next_granule(struct fx *f)
{
	vmsa_write(f->m, 1, VA + 16, 8, 0x11);
}

static void cpu1_phys_store(struct fx *f)
{
	vmsa_phys_write(f->m, 1, f->page[0] + 4, 4, 0x11, true);
}

static void cpu1_rmw(struct fx *f)
{
	vmsa_rmw(f->m, 1, VA, 8, VMSA_RMW_ADD, 0, VMSA_ORD_PLAIN, NULL);
}

static void cpu1_excl_pair(struct fx *f)
{
	uint64_t v;
	unsigned st;

	vmsa_ldxr(f->m, 1, VA, 8, VMSA_ORD_PLAIN, &v);
	vmsa_stxr(f->m, 1, VA, 8, v, VMSA_ORD_PLAIN, &st);
}

static void cpu1_read(struct fx *f)
{
	fx_read(f, 1, VA);
}

static void cpu1_ldxr(struct fx *f)
{
	uint64_t v;

	vmsa_ldxr(f->m, 1, VA, 8, VMSA_ORD_PLAIN, &v);
}

static void cpu0_own_store(struct fx *f)
{
	vmsa_write(f->m, 0, VA, 8, 0x22);
}

static void cpu0_clrex(struct fx *f)
{
	vmsa_clrex(f->m, 0);
}

TEST(atomic_monitor_other_cpu_stores)
{
	/* A store by another CPU to the granule, in between: fails; before
	 * the LDXR: passes. */
	CHECK_EQ(excl_with(cpu1_store_same_word, false), 1);
	CHECK_EQ(excl_with(cpu1_store_same_word, true), 0);
	CHECK_EQ(excl_with(cpu1_store_same_granule, false), 1);
	CHECK_EQ(excl_with(cpu1_store_same_granule, true), 0);
	CHECK_EQ(excl_with(cpu1_phys_store, false), 1);
	CHECK_EQ(excl_with(cpu1_rmw, false), 1);
	CHECK_EQ(excl_with(cpu1_rmw, true), 0);
	CHECK_EQ(excl_with(cpu1_excl_pair, false), 1);
	CHECK_EQ(excl_with(cpu1_excl_pair, true), 0);
	/* The next 16-byte granule is not marked. */
	CHECK_EQ(excl_with(cpu1_store_next_granule, false), 0);
	/* Loads do not clear, nor another CPU's LDXR (B2.12.2.1). */
	CHECK_EQ(excl_with(cpu1_read, false), 0);
	CHECK_EQ(excl_with(cpu1_ldxr, false), 0);
	/* The CPU's own store leaves its mark (IMPLEMENTATION DEFINED,
	 * B2.12.1; as herd7). CLREX clears it. */
	CHECK_EQ(excl_with(cpu0_own_store, false), 0);
	CHECK_EQ(excl_with(cpu0_clrex, false), 1);
	CHECK_EQ(excl_with(cpu0_clrex, true), 0);
}

/* A descriptor store by another CPU clears a mark on the descriptor's
 * word, as any store (monitor_clear() is on every store path). */
TEST(atomic_monitor_cleared_by_descriptor_store)
{
	struct fx f;
	uint64_t v;
	unsigned st = 7;

	setup(&f, 2);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, fx_pte(&f, TABLE_VA),
			   fx_page_desc(f.l3));
	CHECK(vmsa_ldxr(f.m, 0, TABLE_VA + 8 * 5, 8, VMSA_ORD_PLAIN, &v));
	CHECK_EQ(v, 0);
	vmsa_desc_write_pa(f.m, 1, f.l3 + 8 * 4, 0);
	CHECK(vmsa_stxr(f.m, 0, TABLE_VA + 8 * 5, 8, 0, VMSA_ORD_PLAIN, &st));
	CHECK_EQ(st, 1);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* A handler that only returns: the exception return clears the local
 * monitor (B2.12.4). */
static void svc_return(vmsa_machine_t *m, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e, void *arg)
{
	(void)m;
	(void)cpu;
	(void)e;
	(void)arg;
}

TEST(atomic_monitor_cleared_by_exception_return)
{
	struct fx f;
	uint64_t v;
	unsigned st = 7;

	setup(&f, 1);
	vmsa_set_handler(f.m, 0, 1, svc_return, NULL);
	CHECK(vmsa_ldxr(f.m, 0, VA, 8, VMSA_ORD_PLAIN, &v));
	CHECK(vmsa_svc(f.m, 0, false, 0));
	CHECK(vmsa_stxr(f.m, 0, VA, 8, 1, VMSA_ORD_PLAIN, &st));
	CHECK_EQ(st, 1);
	CHECK_EQ(phys(&f, f.page[0]), 0xa0);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* A STXR of another size or another granule than the LDXR fails
 * (CONSTRAINED UNPREDICTABLE, B2.12.5: the model's choice). */
TEST(atomic_stxr_mismatch_fails)
{
	struct fx f;
	uint64_t v;
	unsigned st = 7;

	setup(&f, 1);
	vmsa_ldxr(f.m, 0, VA, 8, VMSA_ORD_PLAIN, &v);
	CHECK(vmsa_stxr(f.m, 0, VA, 4, 1, VMSA_ORD_PLAIN, &st));
	CHECK_EQ(st, 1);
	vmsa_ldxr(f.m, 0, VA, 8, VMSA_ORD_PLAIN, &v);
	CHECK(vmsa_stxr(f.m, 0, VA + 16, 8, 1, VMSA_ORD_PLAIN, &st));
	CHECK_EQ(st, 1);
	CHECK_EQ(phys(&f, f.page[0]), 0xa0);
	CHECK_EQ(phys(&f, f.page[0] + 16), 0);
	/* Same granule, same size, another word: passes (the monitor
	 * marks granules). */
	vmsa_ldxr(f.m, 0, VA, 4, VMSA_ORD_PLAIN, &v);
	CHECK(vmsa_stxr(f.m, 0, VA + 4, 4, 1, VMSA_ORD_PLAIN, &st));
	CHECK_EQ(st, 0);
	CHECK_EQ(phys(&f, f.page[0]), 0x1000000a0ull);
	fx_done(&f);
}

/* A STXR that could pass is a choice (spurious failure, herd7 too), but
 * not twice in a row on a CPU. */
TEST(atomic_stxr_spurious_failure_once)
{
	static const unsigned picks[] = {1, 1};
	struct fx f;
	struct ch ch;
	uint64_t v;
	unsigned st = 7;

	setup(&f, 1);
	ch_init(&ch, picks, 2);
	ch_attach(&ch, f.m);
	vmsa_ldxr(f.m, 0, VA, 8, VMSA_ORD_PLAIN, &v);
	CHECK(vmsa_stxr(f.m, 0, VA, 8, 1, VMSA_ORD_PLAIN, &st));
	CHECK_EQ(st, 1);
	CHECK_EQ(ch_count(&ch, "STXR spurious failure"), 1);
	vmsa_ldxr(f.m, 0, VA, 8, VMSA_ORD_PLAIN, &v);
	CHECK(vmsa_stxr(f.m, 0, VA, 8, 2, VMSA_ORD_PLAIN, &st));
	CHECK_EQ(st, 0);
	CHECK_EQ(ch_count(&ch, "STXR spurious failure"), 1);
	CHECK_EQ(phys(&f, f.page[0]), 2);
	/* After a pass it may fail spuriously again. */
	vmsa_ldxr(f.m, 0, VA, 8, VMSA_ORD_PLAIN, &v);
	CHECK(vmsa_stxr(f.m, 0, VA, 8, 3, VMSA_ORD_PLAIN, &st));
	CHECK_EQ(st, 1);
	CHECK_EQ(ch_count(&ch, "STXR spurious failure"), 2);
	/* A STXR that cannot pass asks nothing. */
	CHECK(vmsa_stxr(f.m, 0, VA, 8, 3, VMSA_ORD_PLAIN, &st));
	CHECK_EQ(ch_count(&ch, "STXR spurious failure"), 2);
	CHECK_EQ(ch.n_calls, 2);
	fx_done(&f);
}

/* CPU0's exclusive pair of VA writing val, its STXR at call site
 * `site`: the STXR's status (7: the call failed). */
static unsigned pair_at(struct fx *f, uint64_t val, uint64_t site)
{
	uint64_t v;
	unsigned st = 7;

	vmsa_ldxr(f->m, 0, VA, 8, VMSA_ORD_PLAIN, &v);
	if (!vmsa_stxr_at(f->m, 0, VA, 8, val, VMSA_ORD_PLAIN, NULL, site,
			  &st))
		return 7;
	return st;
}

/* vmsa_stxr_at: the rule is per call site and granule. Two sites of one
 * granule may each fail spuriously; a site that failed may not again
 * until a STXR of the CPU that could pass passes. */
TEST(atomic_stxr_spurious_per_site)
{
	static const unsigned picks[] = {1, 1, 1};
	struct fx f;
	struct ch ch;

	setup(&f, 1);
	ch_init(&ch, picks, 3);
	ch_attach(&ch, f.m);
	CHECK_EQ(pair_at(&f, 1, 10), 1);
	CHECK_EQ(pair_at(&f, 2, 11), 1);
	CHECK_EQ(ch_count(&ch, "STXR spurious failure"), 2);
	/* Site 10 again: no choice, it passes. */
	CHECK_EQ(pair_at(&f, 3, 10), 0);
	CHECK_EQ(ch_count(&ch, "STXR spurious failure"), 2);
	CHECK_EQ(phys(&f, f.page[0]), 3);
	/* The pass cleared both: site 11 may fail again. */
	CHECK_EQ(pair_at(&f, 4, 11), 1);
	CHECK_EQ(ch_count(&ch, "STXR spurious failure"), 3);
	CHECK(!vmsa_stopped(f.m));
	fx_done(&f);
}

/* More sites failing in a row than the model records: the execution
 * ends with a model limit, not a silently dropped failure. */
TEST(atomic_stxr_spurious_sites_limit)
{
	unsigned picks[17];
	struct fx f;
	struct ch ch;

	for (unsigned i = 0; i < 17; i++)
		picks[i] = 1;
	setup(&f, 1);
	ch_init(&ch, picks, 17);
	ch_attach(&ch, f.m);
	for (uint64_t site = 1; site <= 16; site++)
		CHECK_EQ(pair_at(&f, 1, site), 1);
	CHECK(!vmsa_stopped(f.m));
	CHECK_EQ(pair_at(&f, 1, 17), 7);
	CHECK(vmsa_stopped(f.m));
	CHECK_EQ(vmsa_violation(f.m)->kind, VMSA_V_MODEL_LIMIT);
	fx_done(&f);
}

/* A failing CAS by CPU1 on CPU0's marked granule: a choice, option 0
 * clears the mark (MemAtomic), option 1 leaves it. No mark: no choice. */
static unsigned failed_cas_then_stxr(unsigned pick, unsigned *calls)
{
	const unsigned picks[] = {pick};
	struct fx f;
	struct ch ch;
	uint64_t v;
	unsigned st = 7;

	setup(&f, 2);
	ch_init(&ch, picks, 1);
	ch_attach(&ch, f.m);
	vmsa_ldxr(f.m, 0, VA, 8, VMSA_ORD_PLAIN, &v);
	vmsa_cas_ord(f.m, 1, VA, 8, 5, 6, VMSA_ORD_ACQ, &v);
	CHECK_EQ(v, 0xa0);
	*calls = ch_count(&ch, "failed CAS clears monitors");
	ch_only(&ch, "none");
	vmsa_stxr(f.m, 0, VA, 8, 1, VMSA_ORD_PLAIN, &st);
	fx_done(&f);
	return st;
}

TEST(atomic_failed_cas_may_clear_monitor)
{
	struct fx f;
	struct ch ch;
	uint64_t v;
	unsigned calls = 9;

	CHECK_EQ(failed_cas_then_stxr(0, &calls), 1);
	CHECK_EQ(calls, 1);
	CHECK_EQ(failed_cas_then_stxr(1, &calls), 0);
	CHECK_EQ(calls, 1);
	/* No CPU marks the granule: no choice. */
	setup(&f, 2);
	ch_init(&ch, NULL, 0);
	ch_attach(&ch, f.m);
	vmsa_cas_ord(f.m, 1, VA, 8, 5, 6, VMSA_ORD_PLAIN, &v);
	CHECK_EQ(ch.n_calls, 0);
	fx_done(&f);
}

/* ------------------------------------------------------------------ */
/* Faults                                                              */
/* ------------------------------------------------------------------ */

struct ro_seen {
	struct fx *f;
	unsigned calls;
	uint64_t esr, far;
};

/* EL1 handler of a Permission fault on RO_VA: record ESR_EL1/FAR_EL1,
 * make the page writable (store, DSB, TLBI, DSB) and return: the
 * instruction is retried. */
static void make_writable(vmsa_machine_t *m, vmsa_cpu_t cpu,
			  const struct vmsa_exception *e, void *arg)
{
	struct ro_seen *s = arg;

	(void)e;
	s->calls++;
	s->esr = vmsa_mrs(m, cpu, VMSA_REG_ESR_EL1);
	s->far = vmsa_mrs(m, cpu, VMSA_REG_FAR_EL1);
	vmsa_desc_write_pa(m, cpu, fx_pte(s->f, RO_VA),
			   fx_page_desc(s->f->page[2]));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	fx_tlbi_va(s->f, cpu, "vae1is", RO_VA);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
}

static void ro_setup(struct fx *f, struct ro_seen *s)
{
	setup(f, 1);
	memset(s, 0, sizeof(*s));
	s->f = f;
	vmsa_desc_write_pa(f->m, VMSA_SETUP, fx_pte(f, RO_VA),
			   vmsa_desc_make_s1_leaf(f->page[2], 3,
						  VMSA_GRANULE_4K, 0,
						  VMSA_AP_RO_EL1, VMSA_SH_ISH,
						  true));
	vmsa_set_handler(f->m, 0, 1, make_writable, s);
}

/* Data Abort, same EL (EC 0x25), IL, WnR = 1, DFSC 0x0f (Permission,
 * level 3), ISV = 0. */
#define ESR_PERM_W 0x9600004full

TEST(atomic_rmw_read_only_faults_as_write)
{
	struct fx f;
	struct ro_seen s;
	uint64_t old = 7;

	ro_setup(&f, &s);
	CHECK(vmsa_rmw(f.m, 0, RO_VA + 8, 8, VMSA_RMW_ADD, 3, VMSA_ORD_PLAIN,
		       &old));
	CHECK_EQ(s.calls, 1);
	CHECK_EQ(s.esr, ESR_PERM_W);
	CHECK_EQ(s.far, RO_VA + 8);
	/* Performed once, after the handler. */
	CHECK_EQ(old, 0);
	CHECK_EQ(phys(&f, f.page[2] + 8), 3);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

/* A CAS that will fail still needs write permission (herd7: "rw"). */
TEST(atomic_failing_cas_read_only_faults_as_write)
{
	struct fx f;
	struct ro_seen s;
	uint64_t prev = 7;

	ro_setup(&f, &s);
	CHECK(vmsa_cas_ord(f.m, 0, RO_VA, 8, 1, 2, VMSA_ORD_ACQ, &prev));
	CHECK_EQ(s.calls, 1);
	CHECK_EQ(s.esr, ESR_PERM_W);
	CHECK_EQ(prev, 0xa2);
	CHECK_EQ(phys(&f, f.page[2]), 0xa2);
	fx_done(&f);
}

/* LDXR reads a read-only page; STXR faults as a write, also with the
 * monitor set, before the monitor check. */
TEST(atomic_exclusives_read_only)
{
	struct fx f;
	struct ro_seen s;
	uint64_t v = 0;
	unsigned st = 7;

	ro_setup(&f, &s);
	CHECK(vmsa_ldxr(f.m, 0, RO_VA, 8, VMSA_ORD_ACQ, &v));
	CHECK_EQ(v, 0xa2);
	CHECK_EQ(s.calls, 0);
	CHECK(vmsa_stxr(f.m, 0, RO_VA, 8, 1, VMSA_ORD_REL, &st));
	CHECK_EQ(s.calls, 1);
	CHECK_EQ(s.esr, ESR_PERM_W);
	/* The exception return cleared the local monitor: it fails. */
	CHECK_EQ(st, 1);
	CHECK_EQ(phys(&f, f.page[2]), 0xa2);
	fx_done(&f);
}

/* Stage 2: a guest atomic to a stage 2 write-only page (S2AP 0b10) is
 * a stage 2 Permission fault with WnR = 0 (the read is checked first);
 * a plain store there is fine. */
struct s2_seen {
	struct fx2 *f;
	unsigned calls;
	uint64_t esr;
	vmsa_fault_t fault;
};

static void s2_make_rw(vmsa_machine_t *m, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e, void *arg)
{
	struct s2_seen *s = arg;
	struct fx2_vm *vm = &s->f->vm[0];

	s->calls++;
	s->esr = vmsa_mrs(m, cpu, VMSA_REG_ESR_EL2);
	s->fault = e->fault;
	vmsa_desc_write_pa(m, cpu, fx2_s2_pte(vm, fx2_data_ipa(0)),
			   fx2_s2_page_desc(vm->page[0]));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	fx2_tlbi_ipa(s->f, cpu, "ipas2e1is", fx2_data_ipa(0));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	fx2_tlbi(s->f, cpu, "vmalle1is", 0);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
}

TEST(atomic_rmw_stage2_write_only_faults_as_read)
{
	struct fx2 f;
	struct s2_seen s = {.f = &f};
	uint64_t old = 7;

	fx2_setup(&f, 1, 1);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, fx2_s2_pte(&f.vm[0],
						       fx2_data_ipa(0)),
			   vmsa_desc_make_s2_leaf(f.vm[0].page[0], 3,
						  VMSA_GRANULE_4K, 0xf,
						  VMSA_S2AP_WO, VMSA_SH_ISH,
						  true));
	fx2_enter_guest(&f, 0, 0);
	vmsa_set_handler(f.m, 0, 2, s2_make_rw, &s);
	CHECK(vmsa_write(f.m, 0, FX2_VA + 8, 8, 5));
	CHECK_EQ(s.calls, 0);
	CHECK(vmsa_rmw(f.m, 0, FX2_VA, 8, VMSA_RMW_SWP, 0x33, VMSA_ORD_PLAIN,
		       &old));
	CHECK_EQ(s.calls, 1);
	/* Data Abort from a lower EL (EC 0x24), IL, WnR = 0, DFSC 0x0f. */
	CHECK_EQ(s.esr, 0x9200000full);
	CHECK_EQ(s.fault.stage, VMSA_STAGE2);
	CHECK_EQ(s.fault.acc, VMSA_ACC_READ);
	CHECK_EQ(s.fault.ipa, fx2_data_ipa(0));
	CHECK_EQ(old, 0xa0);
	CHECK_EQ(vmsa_phys_read(f.m, 0, f.vm[0].page[0], 8, true), 0x33);
	CHECK(vmsa_violation(f.m) == NULL);
	vmsa_machine_free(f.m);
}

/* LDAR at stage 2 reports its syndrome with AR = 1. */
TEST(atomic_ldar_stage2_syndrome_ar)
{
	struct fx2 f;
	struct s2_seen s = {.f = &f};
	uint64_t v;

	fx2_setup(&f, 1, 1);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, fx2_s2_pte(&f.vm[0],
						       fx2_data_ipa(0)), 0);
	fx2_enter_guest(&f, 0, 0);
	vmsa_set_handler(f.m, 0, 2, s2_make_rw, &s);
	CHECK(vmsa_read_v(f.m, 0, FX2_VA, 4, VMSA_ORD_ACQ, NULL, &v, NULL));
	CHECK_EQ(s.calls, 1);
	/* EC 0x24, IL, ISV, SAS 0b10 (word), AR, DFSC 0x07 (Translation
	 * level 3). */
	CHECK_EQ(s.esr, 0x92000007ull | VMSA_ESR_ISV |
			2ull << VMSA_ESR_SAS_SHIFT | VMSA_ESR_AR);
	CHECK_EQ(v, 0xa0);
	vmsa_machine_free(f.m);
}

/* ------------------------------------------------------------------ */
/* Descriptors                                                         */
/* ------------------------------------------------------------------ */

static void table_setup(struct fx *f, unsigned ncpus)
{
	setup(f, ncpus);
	vmsa_desc_write_pa(f->m, VMSA_SETUP, fx_pte(f, TABLE_VA),
			   fx_page_desc(f->l3));
}

/* SWP of a live descriptor through a mapping of its table is a
 * descriptor store: swapping a valid entry for one with another output
 * address while the TLB may hold the old one is a break-before-make
 * violation; swapping in 0 (the break) is not, and returns the entry. */
TEST(atomic_swp_descriptor_bbm)
{
	struct fx f;
	uint64_t old = 7;

	table_setup(&f, 1);
	fx_read(&f, 0, VA); /* the TLB may hold VA's entry */
	CHECK(vmsa_rmw(f.m, 0, TABLE_VA + 8, 8, VMSA_RMW_SWP, 0,
		       VMSA_ORD_ACQ_REL, &old));
	CHECK_EQ(old, fx_page_desc(f.page[0]));
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);

	table_setup(&f, 1);
	fx_read(&f, 0, VA);
	CHECK(!vmsa_rmw(f.m, 0, TABLE_VA + 8, 8, VMSA_RMW_SWP,
			fx_page_desc(f.page[1]), VMSA_ORD_PLAIN, &old));
	CHECK(vmsa_violation(f.m) != NULL);
	if (vmsa_violation(f.m))
		CHECK_EQ(vmsa_violation(f.m)->kind, VMSA_V_BBM);
	fx_done(&f);
}

/* CAS of a descriptor: a failing one writes nothing (no violation even
 * with a new output address), a matching one is checked. */
TEST(atomic_cas_descriptor_bbm)
{
	struct fx f;
	uint64_t prev = 7;

	table_setup(&f, 1);
	fx_read(&f, 0, VA);
	CHECK(vmsa_cas_ord(f.m, 0, TABLE_VA + 8, 8, 0,
			   fx_page_desc(f.page[1]), VMSA_ORD_PLAIN, &prev));
	CHECK_EQ(prev, fx_page_desc(f.page[0]));
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK(!vmsa_cas_ord(f.m, 0, TABLE_VA + 8, 8, fx_page_desc(f.page[0]),
			    fx_page_desc(f.page[1]), VMSA_ORD_REL, &prev));
	CHECK(vmsa_violation(f.m) != NULL);
	if (vmsa_violation(f.m))
		CHECK_EQ(vmsa_violation(f.m)->kind, VMSA_V_BBM);
	fx_done(&f);
}

/* ------------------------------------------------------------------ */
/* Bad calls                                                           */
/* ------------------------------------------------------------------ */

static void check_bad(struct fx *f, const char *text)
{
	const vmsa_violation_t *v = vmsa_violation(f->m);

	CHECK(v != NULL);
	if (!v)
		return;
	CHECK_EQ(v->kind, VMSA_V_BAD_CALL);
	CHECK_STR(v->message, text);
}

TEST(atomic_bad_calls)
{
	struct fx f;
	uint64_t v;
	unsigned st;

	setup(&f, 1);
	CHECK(!vmsa_rmw(f.m, 0, VA, 8, VMSA_RMW_ADD, 1, VMSA_ORD_ACQ_PC, &v));
	check_bad(&f, "scenario error: vmsa_rmw: ordering acq-pc is not one "
		  "this operation has (plain, acq, rel, acq-rel)");
	fx_done(&f);

	setup(&f, 1);
	CHECK(!vmsa_rmw(f.m, 0, VA, 8, (vmsa_rmw_op_t)9, 1, VMSA_ORD_PLAIN,
			&v));
	check_bad(&f, "scenario error: vmsa_rmw: 9 is not a valid "
		  "vmsa_rmw_op_t (0 .. 8)");
	fx_done(&f);

	setup(&f, 1);
	CHECK(!vmsa_ldxr(f.m, 0, VA, 8, VMSA_ORD_REL, &v));
	check_bad(&f, "scenario error: vmsa_ldxr: ordering rel is not one "
		  "this operation has (plain, acq)");
	fx_done(&f);

	setup(&f, 1);
	CHECK(!vmsa_stxr(f.m, 0, VA + 4, 8, 1, VMSA_ORD_PLAIN, &st));
	check_bad(&f, "scenario error: vmsa_stxr: VA 0x1004 is not aligned "
		  "to its size 8 (the model makes aligned accesses only)");
	CHECK_EQ(st, 1);
	fx_done(&f);

	setup(&f, 1);
	CHECK(!vmsa_cas_ord(f.m, 0, VA, 3, 0, 1, VMSA_ORD_PLAIN, &v));
	check_bad(&f, "scenario error: vmsa_cas_ord: size 3 is not 1, 2, 4 "
		  "or 8");
	fx_done(&f);

	setup(&f, 1);
	vmsa_clrex(f.m, 1);
	check_bad(&f, "scenario error: vmsa_clrex: cpu 1 out of range, the "
		  "machine has 1 CPU");
	fx_done(&f);

	setup(&f, 1);
	CHECK(!vmsa_rmw(f.m, 0, VA, 8, VMSA_RMW_ADD, 1,
			(vmsa_order_t)5, &v));
	check_bad(&f, "scenario error: vmsa_rmw: 5 is not a valid "
		  "vmsa_order_t (0 .. 4)");
	fx_done(&f);
}

/* ------------------------------------------------------------------ */
/* Reset and snapshots                                                 */
/* ------------------------------------------------------------------ */

/* The monitors are CPU state: a reset and a snapshot restore clear
 * them (CPUs at EL2 with the MMU off: VA = PA). */
TEST(atomic_monitor_reset_and_snapshot)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);
	vmsa_pa_t pa = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	vmsa_snapshot_t *snap = vmsa_snapshot_take(m);
	uint64_t v;
	unsigned st = 7;

	CHECK(snap != NULL);
	CHECK(vmsa_ldxr(m, 0, pa, 8, VMSA_ORD_PLAIN, &v));
	CHECK_EQ(vmsa_snapshot_restore(m, snap), 0);
	CHECK(vmsa_stxr(m, 0, pa, 8, 1, VMSA_ORD_PLAIN, &st));
	CHECK_EQ(st, 1);
	CHECK(vmsa_ldxr(m, 0, pa, 8, VMSA_ORD_PLAIN, &v));
	vmsa_machine_reset(m);
	pa = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	st = 7;
	CHECK(vmsa_stxr(m, 0, pa, 8, 1, VMSA_ORD_PLAIN, &st));
	CHECK_EQ(st, 1);
	/* And it works after both. */
	CHECK(vmsa_ldxr(m, 0, pa, 8, VMSA_ORD_PLAIN, &v));
	CHECK(vmsa_stxr(m, 0, pa, 8, 1, VMSA_ORD_PLAIN, &st));
	CHECK_EQ(st, 0);
	CHECK(vmsa_violation(m) == NULL);
	vmsa_snapshot_free(snap);
	vmsa_machine_free(m);
}

/* ------------------------------------------------------------------ */
/* With the Arm ordering of data accesses (feature relaxed)            */
/* ------------------------------------------------------------------ */

static void relaxed_setup(struct fx *f)
{
	vmsa_features_t ft = vmsa_features_default();
	const char *why = NULL;

	ft.relaxed = true;
	f->m = vmsa_machine_new(&ft, &why);
	CHECK(f->m != NULL);
	fx_tables(f);
	fx_enter_el1(f, 0);
	fx_enter_el1(f, 1);
}

/* An RMW is atomic: it reads a write its own write can follow at once
 * (B2.3.1). CPU1's 0x11 is the newest write of VA; CPU0's LDADD may
 * read it, or (it is ordered after nothing of CPU1's) the initial 0xa0,
 * its write 0xa1 then going right below 0x11 in VA's order (memory keeps
 * 0x11): a choice of two, where VA + 8, written by nobody, offers none.
 * A LDXR may read an older write; its STXR then fails, since another
 * CPU's write came between. */
TEST(atomic_relaxed_rmw_older_ldxr_stale_fails)
{
	/* The RMW's read, CPU0's physical read of memory (phys), the
	 * LDXR's. */
	static const unsigned picks[] = {1, 0, 1};
	const struct ch_call *c;
	struct fx f;
	struct ch ch;
	uint64_t v = 7;
	unsigned st = 7;

	relaxed_setup(&f);
	ch_init(&ch, picks, 3);
	ch_only(&ch, "read: which write");
	ch_attach(&ch, f.m);
	vmsa_write(f.m, 1, VA, 8, 0x11);
	CHECK(vmsa_rmw(f.m, 0, VA + 8, 8, VMSA_RMW_ADD, 1, VMSA_ORD_PLAIN,
		       &v));
	CHECK_EQ(v, 0);
	CHECK_EQ(ch_count(&ch, "read: which write"), 0);
	CHECK(vmsa_rmw(f.m, 0, VA, 8, VMSA_RMW_ADD, 1, VMSA_ORD_PLAIN, &v));
	CHECK_EQ(v, 0xa0);
	c = ch_find(&ch, "read: which write");
	CHECK(c != NULL);
	if (c)
		CHECK_EQ(c->n, 2);
	CHECK_EQ(phys(&f, f.page[0]), 0x11);
	/* The LDXR reads 0x11 under CPU1's 0x22 (option 1). */
	vmsa_write(f.m, 1, VA, 8, 0x22);
	CHECK(vmsa_ldxr(f.m, 0, VA, 8, VMSA_ORD_PLAIN, &v));
	CHECK_EQ(ch_count(&ch, "read: which write"), 3);
	CHECK_EQ(v, 0x11);
	CHECK(vmsa_stxr(f.m, 0, VA, 8, 0x33, VMSA_ORD_PLAIN, &st));
	CHECK_EQ(st, 1);
	CHECK_EQ(phys(&f, f.page[0]), 0x22);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}
