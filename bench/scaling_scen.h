/*
 * bench/scaling_scen.h - the scenarios of bench/scaling.c, one axis each
 * (its header says what each does), shared with the tests that pin
 * their counts and behaviours (tests/explore/test_setup_entry.c, and
 * test_dpor.c for `disjoint`). Static definitions: included once per
 * program. The point on the axis is the global `param`;
 * `entered_at_setup` makes set-up enter every CPU into its translation
 * regime (`readers`, and `s2remap` for the test) instead of each CPU's
 * own code. A program sets both, then calls the axis's prepare function
 * (if any) before searching.
 */
#ifndef VMSA_BENCH_SCALING_SCEN_H
#define VMSA_BENCH_SCALING_SCEN_H

#include "vmsa/vmsa.h"

static unsigned param;	/* the point on the axis (N, R or K) */
/* The CPUs entered the kernel's regime in set-up (`readers`): register
 * steps the snapshot of set-up keeps (docs/model.md, "Set-up is
 * restored exactly"), so that the CPUs' code starts at EL1. */
static bool entered_at_setup;

/* ---- remap: N pages ------------------------------------------------ */

#define MAX_PAGES 64
#define PAGE_VA(i) (0x100000ull + 0x1000ull * (i))

/* After struct vmsa_kernel in the run data. */
struct pages {
	vmsa_pa_t old[MAX_PAGES], new_[MAX_PAGES];
};

static struct pages *pages_of(vmsa_run_t *r)
{
	return (struct pages *)((unsigned char *)vmsa_run_data(r) + 1024);
}

static void remap_setup(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct pages *p = pages_of(r);
	struct vmsa_kernel *k;

	vmsa_kernel_setup(r);
	k = vmsa_kernel_of(r);
	for (unsigned i = 0; i < param; i++) {
		p->old[i] = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
		p->new_[i] = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
		vmsa_phys_write(m, VMSA_SETUP, p->old[i], 8, 0xa0, true);
		vmsa_phys_write(m, VMSA_SETUP, p->new_[i], 8, 0xa1, true);
		vmsa_desc_write_pa(m, VMSA_SETUP,
				   vmsa_kernel_pte_pa(k, PAGE_VA(i)),
				   vmsa_kernel_pte(p->old[i]));
	}
}

/* Break-before-make for `n` pages: invalid; DSB; TLBI VAE1IS; DSB; new;
 * DSB; then one ISB and the flag the readers' fault handler waits for. */
static void remapper(vmsa_run_t *r, vmsa_cpu_t cpu, unsigned n)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_kernel *k = vmsa_kernel_of(r);
	const struct pages *p = pages_of(r);

	if (!entered_at_setup)
		vmsa_kernel_enter(r, cpu);
	for (unsigned i = 0; i < n; i++) {
		vmsa_pa_t pte = vmsa_kernel_pte_pa(k, PAGE_VA(i));

		vmsa_desc_write_pa(m, cpu, pte, 0);
		vmsa_dsb(m, cpu, VMSA_BAR_ISH);
		vmsa_kernel_tlbi_va(r, cpu, VMSA_TLBI_VAE1, VMSA_TLBI_IS,
				    PAGE_VA(i));
		vmsa_dsb(m, cpu, VMSA_BAR_ISH);
		vmsa_desc_write_pa(m, cpu, pte, vmsa_kernel_pte(p->new_[i]));
		vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	}
	vmsa_isb(m, cpu);
	vmsa_kernel_remap_done(r, cpu);
}

static void remap_writer(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	remapper(r, cpu, param);
}

static void page_reader(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	uint64_t v;

	if (!entered_at_setup)
		vmsa_kernel_enter(r, cpu);
	for (int i = 0; i < 2; i++) {
		if (!vmsa_read(vmsa_run_machine(r), cpu, PAGE_VA(0), 8, &v))
			return;
		vmsa_assert(r, cpu, v == 0xa0 || v == 0xa1,
			    "the page reads as neither the old nor the new one");
	}
}

static const vmsa_scenario_t remap = {
	.name = "bench/remap",
	.setup = remap_setup,
	.cpu = {remap_writer, page_reader},
	.handler = {[1] = {[1] = vmsa_kernel_wait_remapped}},
	.configs = {{.name = "bbm0", .expect = "safe"}},
};

/* ---- readers: R readers of one page --------------------------------- */

static void one_page_setup(vmsa_run_t *r)
{
	unsigned n = param;

	param = 1;
	remap_setup(r);
	param = n;
	/* Readers already running in the kernel when the remap starts. An
	 * entry at set-up opens each CPU's window for early walks (RNRJPP)
	 * before the writer's first step: the walks then have every value
	 * an entry made later would give them, and more. */
	for (unsigned i = 0; entered_at_setup && i <= n; i++)
		vmsa_kernel_enter(r, i);
}

static void one_page_writer(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	remapper(r, cpu, 1);
}

static vmsa_scenario_t readers = {
	.name = "bench/readers",
	.setup = one_page_setup,
	.configs = {{.name = "bbm0", .expect = "safe"}},
};

static inline void readers_prepare(void)
{
	entered_at_setup = true;
	readers.cpu[0] = one_page_writer;
	for (unsigned i = 1; i < VMSA_MAX_CPUS; i++) {
		readers.cpu[i] = i <= param ? page_reader : NULL;
		readers.handler[i][1] = i <= param ?
			vmsa_kernel_wait_remapped : NULL;
	}
}

static inline void readers_entering_prepare(void)
{
	readers_prepare();
	entered_at_setup = false;
}

/* ---- s2remap: N stage-2 remaps of a guest page ---------------------- */

static void s2_setup(vmsa_run_t *r)
{
	vmsa_guest_setup(r, true);
	/* As one_page_setup() does for the readers: the hypervisor's
	 * stage-2 registers and the guest already running. */
	if (entered_at_setup) {
		vmsa_guest_hyp_load(r, 0);
		vmsa_guest_enter(r, 1, true);
	}
}

/* KVM's order (__kvm_tlb_flush_vmid_ipa): invalid; DSB; IPAS2E1IS; DSB;
 * VMALLE1IS; DSB; new; DSB; alternating between the two host pages. */
static void s2_hyp(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_guest *g = vmsa_guest_of(r);
	vmsa_pa_t pte = vmsa_guest_s2_pte_pa(g, VMSA_GUEST_IPA_PAGE);

	if (!entered_at_setup)
		vmsa_guest_hyp_load(r, cpu);
	for (unsigned i = 0; i < param; i++) {
		vmsa_desc_write_pa(m, cpu, pte, 0);
		vmsa_dsb(m, cpu, VMSA_BAR_ISH);
		vmsa_guest_tlbi(r, cpu, VMSA_TLBI_IPAS2E1, VMSA_GUEST_IPA_PAGE);
		vmsa_dsb(m, cpu, VMSA_BAR_ISH);
		vmsa_guest_tlbi(r, cpu, VMSA_TLBI_VMALLE1, VMSA_GUEST_IPA_PAGE);
		vmsa_dsb(m, cpu, VMSA_BAR_ISH);
		vmsa_desc_write_pa(m, cpu, pte,
				   vmsa_guest_s2_pte(g, g->page[(i + 1) % 2]));
		vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	}
	vmsa_guest_hyp_done(r, cpu);
}

static void s2_guest(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	uint64_t v;

	if (!entered_at_setup)
		vmsa_guest_enter(r, cpu, true);
	for (int i = 0; i < 2; i++) {
		if (!vmsa_read(vmsa_run_machine(r), cpu, VMSA_KERNEL_VA, 8, &v))
			return;
		vmsa_assert(r, cpu, v == 0xa0 || v == 0xa1,
			    "the guest page reads as neither host page");
	}
}

static const vmsa_scenario_t s2remap = {
	.name = "bench/s2remap",
	.setup = s2_setup,
	.cpu = {s2_hyp, s2_guest},
	.handler = {[1] = {[2] = vmsa_guest_wait_hyp}},
	.configs = {{.name = "bbm0", .expect = "safe"}},
};

/* ---- disjoint: K independent accesses per CPU ----------------------- */

static void disjoint_setup(vmsa_run_t *r)
{
	const struct vmsa_kernel *k;

	vmsa_kernel_setup(r);
	k = vmsa_kernel_of(r);
	vmsa_desc_write_pa(vmsa_run_machine(r), VMSA_SETUP,
			   vmsa_kernel_pte_pa(k, VMSA_KERNEL_VA_NEW),
			   vmsa_kernel_pte(k->page[1]));
}

static void disjoint_cpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	vmsa_va_t va = cpu ? VMSA_KERNEL_VA_NEW : VMSA_KERNEL_VA;
	uint64_t v;

	vmsa_kernel_enter(r, cpu);
	for (unsigned i = 0; i < param; i++) {
		vmsa_write(m, cpu, va + 8 * (i % 64), 8, i);
		vmsa_read(m, cpu, va + 8 * (i % 64), 8, &v);
	}
}

static const vmsa_scenario_t disjoint = {
	.name = "bench/disjoint",
	.setup = disjoint_setup,
	.cpu = {disjoint_cpu, disjoint_cpu},
	.configs = {{.name = "bbm0", .expect = "safe"}},
};

#endif
