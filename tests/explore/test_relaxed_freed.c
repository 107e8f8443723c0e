/*
 * tests/explore/test_relaxed_freed.c - use-after-free checks under the
 * feature `relaxed` (Arm's ordering of data accesses), where an access
 * or a walk may be done before events that come earlier in step order:
 *  - an access through an entry another CPU's TLBI retired is one done
 *    before that TLBI (TLBI-ordered-before, B2.3.7): the DSB that
 *    completed it waited for the access, so a page freed after that DSB
 *    was not in use (access.c, freed_after_retired_use). Until
 *    2026-12-08 such an access made after the free in step order was a
 *    stale-use-after-free (contpte/fold-no-tlbi with relaxed);
 *  - a walk that reads an older table descriptor from memory (one it is
 *    not ordered after the overwrite of) walks the table page that value
 *    points to: when that page was freed since the overwrite, it is a
 *    freed-table-walk, as through a held walk-cache entry
 *    (translate.c, check_old_table). Until then such a walk read the
 *    page's new contents, faulted and retried for ever
 *    (table/free-without-tlbi with relaxed: a livelock).
 */
#include "harness.h"
#include "model/outcomes.h"
#include "vmsa/explore.h"
#include "vmsa/guest.h"

enum uf_order { UF_TLBI_THEN_FREE, UF_FREE_THEN_TLBI, UF_NO_TLBI };

/* The variant explored, CPU1's result ("a0": the old page's value,
 * "fault": its read faulted and was skipped) and the outcomes seen. */
static enum uf_order uf_order;
static uint64_t uf_value;
static char uf_outs[4][8];
static unsigned uf_n;

/* The kernel's tables, both CPUs in the kernel from set-up (so CPU1's
 * TLB may hold VA 0x1000 -> page[0] before CPU0's code starts). */
static void uf_setup(vmsa_run_t *r)
{
	vmsa_kernel_setup(r);
	vmsa_kernel_enter(r, 0);
	vmsa_kernel_enter(r, 1);
}

/* CPU0 unmaps VA 0x1000 (invalid, DSB ISH), then TLBI VAAE1IS and
 * DSB ISH, and frees page[0], in uf_order's order. */
static void uf_unmap(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_kernel *k = vmsa_kernel_of(r);

	vmsa_desc_write_pa(m, cpu, vmsa_kernel_pte_pa(k, VMSA_KERNEL_VA), 0);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	if (uf_order == UF_FREE_THEN_TLBI || uf_order == UF_NO_TLBI)
		vmsa_page_free(m, cpu, k->page[0], 1);
	if (uf_order != UF_NO_TLBI) {
		vmsa_kernel_tlbi_va(r, cpu, VMSA_TLBI_VAAE1,
				    VMSA_TLBI_IS, VMSA_KERNEL_VA);
		vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	}
	if (uf_order == UF_TLBI_THEN_FREE)
		vmsa_page_free(m, cpu, k->page[0], 1);
}

/* CPU1 reads VA 0x1000 once. */
static void uf_reader(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	uf_value = 0;
	vmsa_read(vmsa_run_machine(r), cpu, VMSA_KERNEL_VA, 8, &uf_value);
}

/* A fault of CPU1's read: skip the read (uf_value stays 0). */
static void uf_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e, void *arg)
{
	(void)e;
	(void)arg;
	vmsa_skip_insn(m, cpu);
}

static void uf_check(vmsa_run_t *r)
{
	(void)r;
	outcomes_add(uf_outs[0], &uf_n, 4, sizeof(uf_outs[0]),
		     uf_value ? "a0" : "fault");
}

static const vmsa_scenario_t uf_scenario = {
	.name = "t/unmap-free",
	.setup = uf_setup,
	.cpu = {uf_unmap, uf_reader},
	.check = uf_check,
	.handler = {[1] = {[1] = uf_handler}},
};

/* Explore variant `order` in `config` (reduced, unbounded): its verdict
 * in *verdict (a static copy), its outcomes joined, its executions. */
static const char *uf_explore(enum uf_order order, const char *config,
			      char *verdict, size_t vsize, uint64_t *execs)
{
	static char all[4 * 8];
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	uf_order = order;
	uf_n = 0;
	o.preemptions = VMSA_UNBOUNDED;
	o.reduction = true;
	CHECK_EQ(vmsa_explore(&uf_scenario, config, &o, &res), 0);
	snprintf(verdict, vsize, "%s", res.verdict ? res.verdict : "");
	*execs = res.stats.executions;
	if (!res.violated)
		CHECK(res.complete);
	vmsa_explore_result_free(&res);
	return outcomes_join(uf_outs[0], uf_n, sizeof(uf_outs[0]), all,
			     sizeof(all));
}

/* TLBI and DSB, then the free: safe. Under relaxed CPU1's read may use
 * the retired entry after the free in step order (an access done before
 * the TLBI) and read the old page's value. */
TEST(relaxed_freed_after_tlbi_completion)
{
	char v[32];
	uint64_t n;

	CHECK_STR(uf_explore(UF_TLBI_THEN_FREE, "relaxed", v, sizeof(v), &n),
		  "a0 fault");
	CHECK_STR(v, "safe");
	CHECK_EQ(n, 16);
	CHECK_STR(uf_explore(UF_TLBI_THEN_FREE, "default", v, sizeof(v), &n),
		  "a0 fault");
	CHECK_STR(v, "safe");
	CHECK_EQ(n, 6);
}

/* The free before the TLBI, or no TLBI: the page is freed while CPU1 may
 * still use its entry; under relaxed too (the retired entry's TLBI
 * completed after the free). */
TEST(relaxed_freed_before_tlbi_completion)
{
	static const enum uf_order bad[] = {UF_FREE_THEN_TLBI, UF_NO_TLBI};
	static const char *const configs[] = {"relaxed", "default"};
	char v[32];
	uint64_t n;

	for (unsigned i = 0; i < 2; i++)
		for (unsigned c = 0; c < 2; c++) {
			uf_explore(bad[i], configs[c], v, sizeof(v), &n);
			CHECK_STR(v, "stale-use-after-free");
		}
}

/* The bundled table/free-* scenarios under relaxed, one preemption:
 * without a TLBI the walk that reads the unlinked table's older
 * descriptor is a freed-table-walk (was a livelock); with it, safe. */
TEST(relaxed_freed_table_walk_older_value)
{
	const vmsa_scenario_t *s = vmsa_scenario_find("table/free-without-tlbi");
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;

	CHECK(s != NULL);
	if (!s)
		return;
	o.preemptions = 1;
	CHECK_EQ(vmsa_explore(s, "bbm0+relaxed", &o, &res), 0);
	CHECK_STR(res.verdict, "freed-table-walk");
	CHECK_EQ(res.violation.cpu, 1);
	CHECK_EQ(res.stats.executions, 3);
	CHECK(strstr(res.violation.message, "read a descriptor at PA") != NULL);
	vmsa_explore_result_free(&res);

	s = vmsa_scenario_find("table/free-with-tlbi");
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK_EQ(vmsa_explore(s, "bbm0+relaxed", &o, &res), 0);
	CHECK_STR(res.verdict, "safe");
	CHECK(res.complete);
	CHECK_EQ(res.stats.executions, 104);
	vmsa_explore_result_free(&res);
}
