/*
 * The chain end to end: the page-table library, through the model
 * backend, explored. Set-up builds a stage-2 table with the library (no
 * steps); CPU0, the hypervisor at EL2, writes a page (cacheable) and maps
 * it with the library; CPU1, a guest with its MMU off (its accesses go to
 * the Point of Coherency), reads the page through stage 2, waiting in its
 * EL2 fault handler while the page is not mapped. Safe: the library cleans
 * the page to PoC before the make. With the mutation wrapper skipping that
 * clean, the explorer finds the loss of coherency. The scenarios are not
 * registered (scenarios/pgtable/ holds the bundled ones).
 */
#include <errno.h>
#include <stdio.h>

#include "harness.h"
#include "vmsa/backend.h"
#include "vmsa/explore.h"
#include "vmsa/guest.h"

#define VMID 5u
#define IPA 0x80000000ull

struct e2e {
	vmsa_pgt_model_t bk;
	vmsa_pgt_t pgt;
	vmsa_pa_t data, flag;
	int init_err, map_err;
};

static void setup(vmsa_run_t *r, const vmsa_pgt_mutation_t *mu)
{
	struct e2e *d = vmsa_run_data(r);
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_pgt_model_cfg_t mc = {.granule = VMSA_GRANULE_4K};
	vmsa_pgt_cfg_t cfg = {.regime = VMSA_PGT_S2,
			      .granule = VMSA_GRANULE_4K, .ia_bits = 32,
			      .start_level = 1, .vmid = VMID};

	if (vmsa_pgt_model_init(&d->bk, m, r, &mc) ||
	    vmsa_pgt_model_mutate(&d->bk, mu))
		return;
	d->init_err = vmsa_pgt_init(&d->pgt, &cfg, &d->bk.ops);
	d->data = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	d->flag = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
}

static void setup_plain(vmsa_run_t *r)
{
	setup(r, NULL);
}

static void setup_skip_cvac(vmsa_run_t *r)
{
	vmsa_pgt_mutation_t mu = {.kind = VMSA_PGT_MUT_SKIP_CMO,
				  .cmo_kinds = 1u << VMSA_PGT_DC_CVAC,
				  .cpu = 0};

	setup(r, &mu);
}

/* The hypervisor: the page's data (cacheable, as through its linear
 * map), then the mapping, then "done". */
static void hyp(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	struct e2e *d = vmsa_run_data(r);
	vmsa_machine_t *m = vmsa_run_machine(r);

	vmsa_phys_write(m, cpu, d->data, 8, 0xa0, true);
	d->map_err = vmsa_pgt_map(&d->pgt, VMSA_IA(IPA), 0x1000,
				  VMSA_OA(d->data), VMSA_PGT_PROT_RW, 0);
	vmsa_assert(r, cpu, d->map_err == 0, "map failed");
	/* The library issues no barrier after the make of an invalid entry
	 * (none is needed: a walk that misses it faults, and the access is
	 * retried). But the model has no fairness: a store no DSB follows
	 * may stay invisible to walks forever, and the guest's retries would
	 * be a livelock. So the hypervisor's way back publishes it, as the
	 * bundled scenarios do before vmsa_guest_hyp_done(). */
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_phys_write(m, cpu, d->flag, 8, 1, true);
}

/* The guest: stage 2 on (the library's root and VMID), its own MMU off,
 * then one read of the page. */
static void guest(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	struct e2e *d = vmsa_run_data(r);
	vmsa_machine_t *m = vmsa_run_machine(r);
	uint64_t v = 0;

	vmsa_msr(m, cpu, VMSA_REG_VTCR_EL2, VMSA_GUEST_VTCR);
	vmsa_msr(m, cpu, VMSA_REG_VTTBR_EL2,
		 VMSA_VTTBR(d->pgt.root_pa.pa, VMID));
	vmsa_msr(m, cpu, VMSA_REG_HCR_EL2, VMSA_GUEST_HCR);
	vmsa_eret(m, cpu, 1);
	if (vmsa_read(m, cpu, IPA, 8, &v))
		vmsa_assert(r, cpu, v == 0xa0, "the guest read stale data");
}

/* The stage-2 fault: wait for the hypervisor, then retry. */
static void fault(vmsa_machine_t *m, vmsa_cpu_t cpu,
		  const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;
	struct e2e *d = vmsa_run_data(r);

	(void)m;
	(void)e;
	vmsa_wait_eq(r, cpu, d->flag, ~0ull, 1);
}

static void check(vmsa_run_t *r)
{
	struct e2e *d = vmsa_run_data(r);

	/* The table: root (level 1), level 2 and level 3 tables, each
	 * counted: 1 + its valid entries. */
	vmsa_assert(r, VMSA_SETUP, d->init_err == 0, "init failed");
	vmsa_assert(r, VMSA_SETUP, vmsa_pgt_model_refcount(&d->bk,
				   d->pgt.root_pa.pa) == 2, "root count");
}

static const vmsa_scenario_t plain = {
	.name = "test/pgt-map-guest-read", .setup = setup_plain,
	.cpu = {hyp, guest}, .check = check,
	.handler = {[1][2] = fault},
};

static const vmsa_scenario_t skip_cvac = {
	.name = "test/pgt-map-guest-read-no-clean", .setup = setup_skip_cvac,
	.cpu = {hyp, guest}, .check = check,
	.handler = {[1][2] = fault},
};

TEST(model_e2e_map_guest_read_safe)
{
	static const char *const configs[] = {"bbm0", "bbm2", "bbm2-noabort"};

	for (unsigned i = 0; i < 3; i++) {
		vmsa_explore_opts_t o = vmsa_explore_defaults();
		vmsa_explore_result_t res;

		CHECK_EQ(vmsa_explore(&plain, configs[i], &o, &res), 0);
		CHECK_STR(res.error, "");
		CHECK_STR(res.verdict, "safe");
		CHECK(res.complete);
		/* Pinned: a change means the library's sequence, the
		 * backend's steps or the explorer changed. */
		CHECK_EQ(res.stats.executions, 206);
		vmsa_explore_result_free(&res);
	}
}

TEST(model_e2e_map_without_clean_is_caught)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	CHECK_EQ(vmsa_explore(&skip_cvac, "bbm0", &o, &res), 0);
	CHECK_STR(res.error, "");
	CHECK_STR(res.verdict, "coherency");
	CHECK_EQ(res.violation.cpu, 1);
	vmsa_explore_result_free(&res);
}

/* A remap through the library at FEAT_BBM level 0 while the guest reads
 * (and may hold the old entry): break-before-make, safe; with the
 * mutation wrapper dropping the break, the explorer reports it. */
struct remap {
	struct e2e e;
	vmsa_pa_t other;
};

static void setup_remap(vmsa_run_t *r, const vmsa_pgt_mutation_t *mu)
{
	struct remap *d = vmsa_run_data(r);
	vmsa_machine_t *m = vmsa_run_machine(r);

	setup(r, mu);
	d->other = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	vmsa_phys_write(m, VMSA_SETUP, d->e.data, 8, 0xa0, false);
	vmsa_phys_write(m, VMSA_SETUP, d->other, 8, 0xa0, false);
	d->e.map_err = vmsa_pgt_map(&d->e.pgt, VMSA_IA(IPA), 0x1000,
				    VMSA_OA(d->e.data), VMSA_PGT_PROT_RW, 0);
}

static void setup_remap_plain(vmsa_run_t *r)
{
	setup_remap(r, NULL);
}

static void setup_remap_no_break(vmsa_run_t *r)
{
	vmsa_pgt_mutation_t mu = {.kind = VMSA_PGT_MUT_SKIP_BREAK, .nth = 1,
				  .cpu = 0};

	setup_remap(r, &mu);
}

/* The hypervisor moves the guest's page to the other copy. */
static void hyp_remap(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	struct remap *d = vmsa_run_data(r);
	vmsa_machine_t *m = vmsa_run_machine(r);
	int err = vmsa_pgt_map(&d->e.pgt, VMSA_IA(IPA), 0x1000,
			       VMSA_OA(d->other), VMSA_PGT_PROT_RW, 0);

	vmsa_assert(r, cpu, err == 0, "remap failed");
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_phys_write(m, cpu, d->e.flag, 8, 1, true);
}

static const vmsa_scenario_t remap = {
	.name = "test/pgt-remap", .setup = setup_remap_plain,
	.cpu = {hyp_remap, guest}, .handler = {[1][2] = fault},
};

static const vmsa_scenario_t remap_no_break = {
	.name = "test/pgt-remap-no-break", .setup = setup_remap_no_break,
	.cpu = {hyp_remap, guest}, .handler = {[1][2] = fault},
};

TEST(model_e2e_remap)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	CHECK_EQ(vmsa_explore(&remap, "bbm0", &o, &res), 0);
	CHECK_STR(res.error, "");
	CHECK_STR(res.verdict, "safe");
	CHECK_EQ(res.stats.executions, 311);
	vmsa_explore_result_free(&res);

	CHECK_EQ(vmsa_explore(&remap_no_break, "bbm0", &o, &res), 0);
	CHECK_STR(res.error, "");
	CHECK_STR(res.verdict, "bbm");
	CHECK_EQ(res.violation.cpu, 0);
	vmsa_explore_result_free(&res);
}

/* The steps of CPU0's map in the first execution (no preemption: CPU0
 * runs to its end first), one "op text" line each. */
struct tr {
	char buf[8192];
	size_t n;
};

static void trace_fn(void *ctx, const vmsa_trace_event_t *e)
{
	struct tr *t = ctx;
	int k;

	if (e->cpu != 0)
		return;
	k = snprintf(t->buf + t->n, sizeof(t->buf) - t->n, "%s %s\n", e->op,
		     e->text);
	if (k > 0 && (size_t)k < sizeof(t->buf) - t->n)
		t->n += (size_t)k;
}

TEST(model_e2e_map_steps)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;
	static struct tr t;

	o.trace = trace_fn;
	o.trace_ctx = &t;
	CHECK_EQ(vmsa_replay(&plain, "bbm0", "f978:", &o, &res), 0);
	CHECK_STR(res.error, "");
	/* The data, then the read of the invalid level-1 entry, the
	 * level-2 and level-3 tables allocated, the clean to PoC of the
	 * page (first line, and the dirty one: the same) and the DSB that
	 * completes it, then the new tables filled while unlinked (the
	 * stage-2 page: Normal Write-Back, S2AP RW, Inner Shareable, AF,
	 * XN; the level-2 entry) and linked last, the hypervisor's DSB and
	 * flag. */
	CHECK_STR(t.buf,
		  "write-pa [0x40007000]/8 := 0xa0\n"
		  "read-desc [0x40006010] = 0x0000000000000000\n"
		  "alloc 1 page(s) at 0x40009000\n"
		  "alloc 1 page(s) at 0x4000a000\n"
		  "dc va 0x40007000 -> pa 0x40007000 flat Device-nGnRnE r w x "
		  "el0 r w x\n"
		  "dc cvac, 0x40007000 (PA 0x40007000)\n"
		  "dsb ish\n"
		  "write-desc [0x4000a000] := 0x00400000400077ff\n"
		  "write-desc [0x40009000] := 0x000000004000a003\n"
		  "write-desc [0x40006010] := 0x0000000040009003\n"
		  "dsb ish\n"
		  "write-pa [0x40008000]/8 := 0x1\n");
	vmsa_explore_result_free(&res);
}

/* The same verdicts with the partial-order reduction, which sees the
 * reference counts' updates as accesses (src/backend/model.c). */
TEST(model_e2e_reduction_same_verdicts)
{
	static const struct {
		const vmsa_scenario_t *s;
		const char *verdict;
	} cases[] = {
		{&plain, "safe"}, {&skip_cvac, "coherency"},
		{&remap, "safe"}, {&remap_no_break, "bbm"},
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vmsa_explore_opts_t o = vmsa_explore_defaults();
		vmsa_explore_result_t res;

		o.reduction = true;
		o.preemptions = VMSA_UNBOUNDED;
		CHECK_EQ(vmsa_explore(cases[i].s, "bbm0", &o, &res), 0);
		CHECK_STR(res.error, "");
		CHECK_STR(res.verdict, cases[i].verdict);
		vmsa_explore_result_free(&res);
	}
}

/* The backend is set up in set-up code only: from a CPU's code, init
 * and mutate refuse (their allocation and state would not be steps). */
static void init_on_cpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	struct e2e *d = vmsa_run_data(r);
	vmsa_pgt_model_cfg_t mc = {.granule = VMSA_GRANULE_4K};
	vmsa_pgt_model_t bk;

	vmsa_assert(r, cpu, vmsa_pgt_model_init(&bk, vmsa_run_machine(r), r,
						&mc) == -EINVAL, "init");
	vmsa_assert(r, cpu, vmsa_pgt_model_mutate(&d->bk, NULL) == -EINVAL,
		    "mutate");
	vmsa_isb(vmsa_run_machine(r), cpu);
}

TEST(model_e2e_init_only_in_setup)
{
	static const vmsa_scenario_t s = {
		.name = "test/pgt-init-on-cpu", .setup = setup_plain,
		.cpu = {init_on_cpu},
	};
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	CHECK_EQ(vmsa_explore(&s, "bbm0", &o, &res), 0);
	CHECK_STR(res.error, "");
	CHECK_STR(res.verdict, "safe");
	CHECK_EQ(res.stats.executions, 1);
	vmsa_explore_result_free(&res);
}
