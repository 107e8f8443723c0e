/*
 * CPUs that enter the kernel's regime in set-up instead of in their own
 * code (bench/scaling's `readers` axis; docs/explorer.md, "Readers in
 * the kernel from set-up"). A writer remaps the kernel page with the
 * full break-before-make sequence while a reader reads it twice (and a
 * hypervisor remaps a guest's page at stage 2 while the guest reads it
 * twice, the same with vmsa_guest_enter()). Entered
 * in set-up, the reader's window for early walks opens before the
 * writer's first step, so its walks may read every value they could
 * read after a later entry: the search is far smaller (its ERET no
 * longer races with the writer's stores) and the reader sees exactly the
 * same behaviours. Exact counts and the set of the reader's behaviours
 * both ways.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "vmsa/explore.h"
#include "vmsa/guest.h"
#include "vmsa/model.h"
#include "vmsa/scenario.h"

static bool in_setup;	/* enter the CPUs in set-up */

static void entry_setup(vmsa_run_t *r)
{
	vmsa_kernel_setup(r);
	for (vmsa_cpu_t i = 0; in_setup && i < 2; i++)
		vmsa_kernel_enter(r, i);
}

static void writer(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_kernel *k = vmsa_kernel_of(r);
	vmsa_pa_t pte = vmsa_kernel_pte_pa(k, VMSA_KERNEL_VA);

	if (!in_setup)
		vmsa_kernel_enter(r, cpu);
	vmsa_desc_write_pa(m, cpu, pte, 0);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_kernel_tlbi_va(r, cpu, VMSA_TLBI_VAE1, VMSA_TLBI_IS,
			    VMSA_KERNEL_VA);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_desc_write_pa(m, cpu, pte, vmsa_kernel_pte(k->page[1]));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_isb(m, cpu);
	vmsa_kernel_remap_done(r, cpu);
}

static void reader(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	uint64_t v;

	if (!in_setup)
		vmsa_kernel_enter(r, cpu);
	for (int i = 0; i < 2; i++) {
		if (!vmsa_read(vmsa_run_machine(r), cpu, VMSA_KERNEL_VA, 8, &v))
			return;
		vmsa_assert(r, cpu, v == 0xa0 || v == 0xa1,
			    "the page reads as neither the old nor the new one");
	}
}

static const vmsa_scenario_t entry_scen = {
	.name = "test/setup-entry",
	.setup = entry_setup,
	.cpu = {writer, reader},
	.handler = {[1] = {[1] = vmsa_kernel_wait_remapped}},
	.configs = {{.name = "bbm0", .expect = "safe"}},
};

/* The reader's behaviours: per execution, its accesses, values, faults
 * and exceptions in order (not its MSRs, its entry or its choices). */
#define MAX_BEHAVIOURS 16
struct behaviours {
	char cur[1024];
	size_t len;
	bool started;
	char seen[MAX_BEHAVIOURS][1024];
	unsigned n;
	unsigned overflow;
};

static void end_execution(struct behaviours *b)
{
	if (!b->started)
		return;
	for (unsigned i = 0; i < b->n; i++)
		if (strcmp(b->seen[i], b->cur) == 0)
			goto reset;
	if (b->n == MAX_BEHAVIOURS)
		b->overflow++;
	else
		memcpy(b->seen[b->n++], b->cur, sizeof(b->cur));
reset:
	b->cur[0] = '\0';
	b->len = 0;
}

static void on_machine(void *ctx, const vmsa_machine_t *m)
{
	struct behaviours *b = ctx;

	(void)m;
	end_execution(b);
	b->started = true;
}

static void on_step(void *ctx, const vmsa_trace_event_t *e)
{
	struct behaviours *b = ctx;
	int n;

	if (e->cpu != 1 || strcmp(e->op, "msr") == 0 ||
	    strcmp(e->op, "choice") == 0 ||
	    (strcmp(e->op, "eret") == 0 && e->text &&
	     strstr(e->text, "EL2")))
		return;
	n = snprintf(b->cur + b->len, sizeof(b->cur) - b->len, "%s %s;",
		     e->op, e->text ? e->text : "");
	if (n > 0 && (size_t)n < sizeof(b->cur) - b->len)
		b->len += (size_t)n;
}

static bool same_sets(const struct behaviours *a, const struct behaviours *b)
{
	if (a->n != b->n)
		return false;
	for (unsigned i = 0; i < a->n; i++) {
		bool found = false;

		for (unsigned j = 0; j < b->n && !found; j++)
			found = strcmp(a->seen[i], b->seen[j]) == 0;
		if (!found)
			return false;
	}
	return true;
}

/* Search s unbounded; the executions, and the behaviours when b. */
static uint64_t search_of(const vmsa_scenario_t *s, bool setup_entry,
			  bool reduction, struct behaviours *b)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;
	uint64_t n;

	in_setup = setup_entry;
	o.preemptions = VMSA_UNBOUNDED;
	o.reduction = reduction;
	if (b) {
		memset(b, 0, sizeof(*b));
		o.trace = on_step;
		o.trace_machine = on_machine;
		o.trace_ctx = b;
	}
	CHECK_EQ(vmsa_explore(s, "bbm0", &o, &res), 0);
	CHECK_STR(res.verdict, "safe");
	CHECK(res.complete);
	n = res.stats.executions;
	vmsa_explore_result_free(&res);
	if (b)
		end_execution(b);
	return n;
}

static uint64_t search(bool setup_entry, bool reduction,
		       struct behaviours *b)
{
	return search_of(&entry_scen, setup_entry, reduction, b);
}

TEST(explore_setup_entry_counts)
{
	/* bench/scaling's readers at R = 1, both ways. */
	CHECK_EQ(search(true, true, NULL), 40);
	CHECK_EQ(search(true, false, NULL), 1093);
	CHECK_EQ(search(false, true, NULL), 342);
}

TEST(explore_setup_entry_same_behaviours)
{
	static struct behaviours entered, entering, plain;

	CHECK_EQ(search(true, true, &entered), 40);
	CHECK_EQ(search(false, true, &entering), 342);
	CHECK_EQ(search(true, false, &plain), 1093);
	CHECK_EQ(entered.overflow, 0);
	/* Old page twice; new twice; old then new; old, a fault (the
	 * handler waits for the remap), new; a fault, then new twice; new,
	 * a fault, new. */
	CHECK_EQ(entered.n, 6);
	CHECK(same_sets(&entered, &entering));
	CHECK(same_sets(&entered, &plain));
}

/* ---- A guest under a hypervisor's stage 2 ---------------------------- */

static void guest_setup(vmsa_run_t *r)
{
	vmsa_guest_setup(r, true);
	if (in_setup) {
		vmsa_guest_hyp_load(r, 0);
		vmsa_guest_enter(r, 1, true);
	}
}

/* KVM's order: invalid; DSB; IPAS2E1IS; DSB; VMALLE1IS; DSB; the other
 * host page; DSB. */
static void hyp(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_guest *g = vmsa_guest_of(r);
	vmsa_pa_t pte = vmsa_guest_s2_pte_pa(g, VMSA_GUEST_IPA_PAGE);

	if (!in_setup)
		vmsa_guest_hyp_load(r, cpu);
	vmsa_desc_write_pa(m, cpu, pte, 0);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_guest_tlbi(r, cpu, VMSA_TLBI_IPAS2E1, VMSA_GUEST_IPA_PAGE);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_guest_tlbi(r, cpu, VMSA_TLBI_VMALLE1, VMSA_GUEST_IPA_PAGE);
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_desc_write_pa(m, cpu, pte, vmsa_guest_s2_pte(g, g->page[1]));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	vmsa_guest_hyp_done(r, cpu);
}

static void guest(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	uint64_t v;

	if (!in_setup)
		vmsa_guest_enter(r, cpu, true);
	for (int i = 0; i < 2; i++) {
		if (!vmsa_read(vmsa_run_machine(r), cpu, VMSA_KERNEL_VA, 8, &v))
			return;
		vmsa_assert(r, cpu, v == 0xa0 || v == 0xa1,
			    "the guest page reads as neither host page");
	}
}

static const vmsa_scenario_t guest_scen = {
	.name = "test/setup-entry-guest",
	.setup = guest_setup,
	.cpu = {hyp, guest},
	.handler = {[1] = {[2] = vmsa_guest_wait_hyp}},
	.configs = {{.name = "bbm0", .expect = "safe"}},
};

TEST(explore_setup_entry_guest)
{
	static struct behaviours entered, entering;

	/* bench/scaling's s2remap at N = 1 (247), entered in set-up. */
	CHECK_EQ(search_of(&guest_scen, true, true, &entered), 49);
	CHECK_EQ(search_of(&guest_scen, false, true, &entering), 247);
	CHECK_EQ(entered.overflow, 0);
	CHECK_EQ(entered.n, 6);
	CHECK(same_sets(&entered, &entering));
}
