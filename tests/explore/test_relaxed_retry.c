/*
 * tests/explore/test_relaxed_retry.c - with the feature `relaxed`, the
 * walk of an access retried after its fault was handled reads no value
 * overwritten before the handler's exception return (tlbu_window in
 * src/model/translate.c): a write to Normal memory completes in finite
 * time (B2.10.1), so a walk cannot read a long-overwritten invalid
 * descriptor for ever. Before 2026-12-07 the retry could fault again on
 * the same old value every time, and a correct fault handler that waits
 * for the fix and returns was reported as a livelock at the step budget
 * (bbm/ok with `relaxed`). The first walk may still fault spuriously.
 */
#include <string.h>

#include "harness.h"
#include "model/fixture.h"
#include "model/outcomes.h"
#include "vmsa/explore.h"

#define XV 0x3000ull	/* invalid at set-up: CPU0 maps it */

struct rt {
	struct fx f;
	vmsa_pa_t flag;
};

/* CPU1's faults on XV: a count kept by its handler (retried: the
 * execution's state, declared to the explorer with vmsa_run_state). */
static unsigned rt_faults;
static char rt_outs[8][16];
static unsigned rt_n;

static void rt_setup(vmsa_run_t *r)
{
	struct rt *d = vmsa_run_data(r);

	d->f.m = vmsa_run_machine(r);
	fx_tables(&d->f);
	d->flag = d->f.page[3] + 64;
}

/* CPU0: maps XV (invalid -> valid), DSB ISH, then sets the flag. */
static void rt_writer(vmsa_run_t *r, vmsa_cpu_t c)
{
	struct rt *d = vmsa_run_data(r);

	fx_enter_el1(&d->f, c);
	vmsa_desc_write_pa(d->f.m, c, fx_pte(&d->f, XV),
			   fx_page_desc(d->f.page[2]));
	vmsa_dsb(d->f.m, c, VMSA_BAR_ISH);
	vmsa_phys_write(d->f.m, c, d->flag, 8, 1, true);
}

/* CPU1: waits for the flag, then reads XV. Its walk is not ordered
 * after the flag's read (a plain read, no DSB or ISB), so it may still
 * read the invalid value: a spurious Translation fault, retried. */
static void rt_reader(vmsa_run_t *r, vmsa_cpu_t c)
{
	struct rt *d = vmsa_run_data(r);
	uint64_t v = 0;

	rt_faults = 0;
	vmsa_run_state(r, c, &rt_faults, sizeof(rt_faults));
	fx_enter_el1(&d->f, c);
	vmsa_wait_eq(r, c, d->flag, ~0ull, 1);
	vmsa_read(d->f.m, c, XV, 8, &v);
	vmsa_assert(r, c, v == 0xa2, "XV reads as neither page");
}

static void rt_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e, void *arg)
{
	(void)m;
	(void)cpu;
	(void)arg;
	if (e->far == XV)
		rt_faults++;
}

static void rt_record(vmsa_run_t *r)
{
	char s[16];

	(void)r;
	snprintf(s, sizeof(s), "%u", rt_faults);
	outcomes_add(rt_outs[0], &rt_n, 8, sizeof(rt_outs[0]), s);
}

/* The faults counts s reaches in config (reduced or plain, unbounded). */
static const char *rt_outcomes(const vmsa_scenario_t *s, const char *config,
			       bool reduce)
{
	static char all[8 * 16];

	rt_n = 0;
	outcomes_explore(s, config, reduce);
	return outcomes_join(rt_outs[0], rt_n, sizeof(rt_outs[0]), all,
			     sizeof(all));
}

static const vmsa_scenario_t rt_scenario = {
	.name = "t/relaxed-retry",
	.setup = rt_setup,
	.cpu = {rt_writer, rt_reader},
	.check = rt_record,
	.handler = {{NULL, NULL, NULL}, {NULL, rt_handler, NULL}},
};

/* Under relaxed: at most one spurious fault (the first walk); the retry
 * after the handler's return reads the mapping. Plain and reduced, the
 * search complete and safe (before: a livelock at the step budget). */
TEST(relaxed_retry_faults_once)
{
	for (int reduce = 0; reduce <= 1; reduce++)
		CHECK_STR(rt_outcomes(&rt_scenario, "relaxed", reduce), "0 1");
}

/* Without relaxed the same: the first walk may fault (CPU1's window
 * starts at the ERET of its entry to EL1, which may come before CPU0's
 * store), the retry's at the handler's return, after the store was
 * published. */
TEST(relaxed_retry_sc_same)
{
	CHECK_STR(rt_outcomes(&rt_scenario, "default", true), "0 1");
}

/* ---- A retired entry met again ---------------------------------------
 *
 * CPU0 makes WV writable (read-only -> read-write), DSB ISH, TLBI VAE1IS,
 * DSB ISH, then sets the flag. CPU1, at EL1 since set-up, writes WV: its
 * TLB may hold the read-only entry (a Permission fault); CPU0's TLBI
 * removes it, but with `relaxed` CPU1's access may still be ordered
 * before that TLBI (a retired entry: its handler's read of the flag is a
 * plain read, and the exception return is not ordered after it). The
 * handler waits for the flag and returns; the retry may use the retired
 * entry again, and fault again, every time: before 2026-12-07 a
 * livelock at the step budget. Now a retry that faults through a value
 * or entry overwritten before its handler returned drops the execution
 * (access.c, stale_retry_fault): at most one fault is kept.
 */
#define WV 0x4000ull

static void rw_setup(vmsa_run_t *r)
{
	struct rt *d = vmsa_run_data(r);

	d->f.m = vmsa_run_machine(r);
	fx_tables(&d->f);
	d->flag = d->f.page[3] + 64;
	vmsa_desc_write_pa(d->f.m, VMSA_SETUP, fx_pte(&d->f, WV),
			   vmsa_desc_make_s1_leaf(d->f.page[1], 3,
						  VMSA_GRANULE_4K, 0,
						  VMSA_AP_RO_EL1, VMSA_SH_ISH,
						  true));
	fx_enter_el1(&d->f, 1);
}

static void rw_writer(vmsa_run_t *r, vmsa_cpu_t c)
{
	struct rt *d = vmsa_run_data(r);

	fx_enter_el1(&d->f, c);
	vmsa_desc_write_pa(d->f.m, c, fx_pte(&d->f, WV),
			   fx_page_desc(d->f.page[1]));
	vmsa_dsb(d->f.m, c, VMSA_BAR_ISH);
	fx_tlbi_va(&d->f, c, "vae1is", WV);
	vmsa_dsb(d->f.m, c, VMSA_BAR_ISH);
	vmsa_phys_write(d->f.m, c, d->flag, 8, 1, true);
}

static void rw_cpu1(vmsa_run_t *r, vmsa_cpu_t c)
{
	struct rt *d = vmsa_run_data(r);

	rt_faults = 0;
	vmsa_run_state(r, c, &rt_faults, sizeof(rt_faults));
	vmsa_write(d->f.m, c, WV, 8, 0x77);
}

/* A Permission fault on WV: wait until CPU0 is done, then retry. */
static void rw_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;
	struct rt *d = vmsa_run_data(r);

	(void)m;
	if (e->far != WV)
		return;
	rt_faults++;
	vmsa_wait_eq(r, cpu, d->flag, ~0ull, 1);
}

static const vmsa_scenario_t rw_scenario = {
	.name = "t/relaxed-retired-retry",
	.setup = rw_setup,
	.cpu = {rw_writer, rw_cpu1},
	.check = rt_record,
	.handler = {{NULL, NULL, NULL}, {NULL, rw_handler, NULL}},
};

/* With `relaxed`: no fault, or one (the retry then writes), plain and
 * reduced. The same without `relaxed`, where no entry is retired. */
TEST(relaxed_retry_retired_entry)
{
	for (int reduce = 0; reduce <= 1; reduce++)
		CHECK_STR(rt_outcomes(&rw_scenario, "relaxed", reduce), "0 1");
	CHECK_STR(rt_outcomes(&rw_scenario, "default", true), "0 1");
}

/* The bundled bbm/ok run with `relaxed`: the reader's handler waits for
 * the remap and returns; safe and complete, unbounded and reduced, in
 * 1,188 executions (before: a livelock at the step budget after 4,998;
 * 1,887 before a wait's read made a control dependency, explore.c
 * wait_read, which the handler's exception return orders the retry's
 * walk after). */
TEST(relaxed_retry_bbm_ok)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;
	const vmsa_scenario_t *s = vmsa_scenario_find("bbm/ok");

	CHECK(s != NULL);
	if (!s)
		return;
	o.preemptions = VMSA_UNBOUNDED;
	o.reduction = true;
	CHECK_EQ(vmsa_explore(s, "bbm0+relaxed", &o, &res), 0);
	CHECK_STR(res.verdict, "safe");
	CHECK(res.complete);
	CHECK_EQ(res.stats.executions, 1188);
	vmsa_explore_result_free(&res);
}
