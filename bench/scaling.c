/*
 * bench/scaling.c - how the exhaustive search scales, with and without
 * partial-order reduction (docs/explorer.md): scenarios that grow along
 * one axis, each point searched unbounded in a child process of its own
 * (so that its peak RSS is its own) and stopped after a time cap.
 *
 *   remap      CPU0 remaps N kernel pages (N = 1 .. 64), each with the
 *              full break-before-make sequence; CPU1 reads the first
 *              page twice
 *   readers    CPU0 remaps one page; R CPUs (R = 1 .. 4) read it twice,
 *              every CPU in the kernel's regime from set-up (running
 *              when the remap starts)
 *   readers-entering
 *              the same, each CPU entering the regime in its own code
 *              (four MSRs and an ERET, concurrently with the remap):
 *              the orders of the entries against the remap multiply
 *              the executions (R = 1 .. 3)
 *   s2remap    a hypervisor remaps a guest's IPA page N times at stage 2
 *              (IPAS2E1IS; VMALLE1IS), the guest reads it twice
 *   disjoint   two CPUs write and read K words (K = 1 .. 1000) each on
 *              pages of their own: nothing interacts
 *
 * Prints one JSON object: per point the verdict, executions, model
 * steps, seconds, peak RSS (KiB) and whether the cap stopped it. Once a
 * point of an axis hits the cap, the larger points of that axis and mode
 * are skipped. VMSA_BENCH_CAP (seconds, default 10) caps reduced
 * searches; plain ones get a third of it. VMSA_BENCH_AXIS, an axis's
 * name, runs only that axis. A capped point reports the
 * executions and steps its search had made at its last progress report
 * (about once a second): a lower bound.
 *
 * Executions resume from states saved every 4 steps (docs/explorer.md,
 * "Resuming from a decision"; the scenarios keep their state in the run
 * data and the machine); VMSA_BENCH_RESUME=0 replays every execution
 * from set-up, to compare ("resume_every" in the output).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmsa/vmsa.h"

static unsigned param;	/* the point on the axis (N, R or K) */
/* The CPUs entered the kernel's regime in set-up (`readers`): register
 * steps the snapshot of set-up keeps (docs/model.md, "Set-up is
 * restored exactly"), so that the CPUs' code starts at EL1. */
static bool entered_at_setup;
static unsigned resume_every = 4;	/* VMSA_BENCH_RESUME */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

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

static void readers_prepare(void)
{
	entered_at_setup = true;
	readers.cpu[0] = one_page_writer;
	for (unsigned i = 1; i < VMSA_MAX_CPUS; i++) {
		readers.cpu[i] = i <= param ? page_reader : NULL;
		readers.handler[i][1] = i <= param ?
			vmsa_kernel_wait_remapped : NULL;
	}
}

static void readers_entering_prepare(void)
{
	readers_prepare();
	entered_at_setup = false;
}

/* ---- s2remap: N stage-2 remaps of a guest page ---------------------- */

static void s2_setup(vmsa_run_t *r)
{
	vmsa_guest_setup(r, true);
}

/* KVM's order (__kvm_tlb_flush_vmid_ipa): invalid; DSB; IPAS2E1IS; DSB;
 * VMALLE1IS; DSB; new; DSB; alternating between the two host pages. */
static void s2_hyp(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct vmsa_guest *g = vmsa_guest_of(r);
	vmsa_pa_t pte = vmsa_guest_s2_pte_pa(g, VMSA_GUEST_IPA_PAGE);

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

/* ---- points --------------------------------------------------------- */

struct axis {
	const char *name;
	const vmsa_scenario_t *s;
	void (*prepare)(void);
	unsigned points[8], n;
};

static const struct axis axes[] = {
	{"remap", &remap, NULL, {1, 2, 4, 8, 16, 32, 64}, 7},
	{"readers", &readers, readers_prepare, {1, 2, 3, 4}, 4},
	{"readers-entering", &readers, readers_entering_prepare, {1, 2, 3}, 3},
	{"s2remap", &s2remap, NULL, {1, 2, 4, 8}, 4},
	{"disjoint", &disjoint, NULL, {1, 4, 16, 64, 256, 1000}, 6},
};

struct outcome {
	int rc;
	char verdict[48];
	bool complete;
	uint64_t executions, steps;
	double seconds;
};

/* The child's progress, in memory shared with the parent. */
static volatile vmsa_explore_stats_t *shared;

static void progress(void *ctx, const vmsa_explore_stats_t *s)
{
	(void)ctx;
	shared->executions = s->executions;
	shared->steps = s->steps;
}

/* Search one point in a child; false when the cap stopped it. */
static bool run_point(const struct axis *a, unsigned n, bool reduce,
		      double cap, struct outcome *out, long *rss_kb)
{
	int fd[2];
	pid_t pid;
	double t0 = now();
	struct rusage ru;
	int st;
	bool capped = false;

	memset(out, 0, sizeof(*out));
	memset((void *)shared, 0, sizeof(*shared));
	*rss_kb = 0;
	if (pipe(fd))
		return false;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		vmsa_explore_opts_t o = vmsa_explore_defaults();
		vmsa_explore_result_t res;

		close(fd[0]);
		param = n;
		if (a->prepare)
			a->prepare();
		o.preemptions = VMSA_UNBOUNDED;
		o.reduction = reduce;
		o.resume_every = resume_every;
		o.progress = progress;
		out->rc = vmsa_explore(a->s, "bbm0", &o, &res);
		snprintf(out->verdict, sizeof(out->verdict), "%s",
			 res.verdict ? res.verdict : "error");
		out->complete = res.complete;
		out->executions = res.stats.executions;
		out->steps = res.stats.steps;
		out->seconds = res.stats.seconds;
		if (write(fd[1], out, sizeof(*out)) != (ssize_t)sizeof(*out))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	if (pid < 0) {
		close(fd[0]);
		return false;
	}
	while (wait4(pid, &st, WNOHANG, &ru) == 0) {
		if (now() - t0 > cap) {
			kill(pid, SIGKILL);
			wait4(pid, &st, 0, &ru);
			capped = true;
			break;
		}
		usleep(2000);
	}
	*rss_kb = ru.ru_maxrss;
	if (!capped && read(fd[0], out, sizeof(*out)) != (ssize_t)sizeof(*out))
		snprintf(out->verdict, sizeof(out->verdict), "crashed");
	close(fd[0]);
	if (capped) {
		out->seconds = now() - t0;
		out->executions = shared->executions;
		out->steps = shared->steps;
	}
	return !capped;
}

int main(void)
{
	const char *env = getenv("VMSA_BENCH_CAP");
	const char *only = getenv("VMSA_BENCH_AXIS");
	double cap = env ? atof(env) : 10.0;
	bool first = true;

	if (cap <= 0)
		cap = 10.0;
	if (getenv("VMSA_BENCH_RESUME"))
		resume_every = (unsigned)strtoul(getenv("VMSA_BENCH_RESUME"),
						 NULL, 10);
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("bench/scaling: mmap");
		return 1;
	}
	printf("{\"bench\": \"scaling\", \"cap_seconds\": %.1f, "
	       "\"resume_every\": %u, \"points\": [", cap, resume_every);
	for (unsigned ai = 0; ai < sizeof(axes) / sizeof(axes[0]); ai++) {
		for (int reduce = 1; reduce >= 0; reduce--) {
			const struct axis *a = &axes[ai];
			double c = reduce ? cap : cap / 3;

			if (only && strcmp(only, a->name))
				continue;

			for (unsigned i = 0; i < a->n; i++) {
				struct outcome o;
				long rss;
				bool done = run_point(a, a->points[i], reduce,
						      c, &o, &rss);

				printf("%s\n  {\"axis\": \"%s\", \"n\": %u, "
				       "\"reduction\": %s, \"verdict\": \"%s\", "
				       "\"complete\": %s, \"executions\": %llu, "
				       "\"steps\": %llu, \"seconds\": %.3f, "
				       "\"peak_rss_kb\": %ld, \"capped\": %s}",
				       first ? "" : ",", a->name, a->points[i],
				       reduce ? "true" : "false",
				       done ? o.verdict : "capped",
				       o.complete ? "true" : "false",
				       (unsigned long long)o.executions,
				       (unsigned long long)o.steps, o.seconds,
				       rss, done ? "false" : "true");
				fflush(stdout);
				first = false;
				if (!done)
					break;
			}
		}
	}
	printf("\n]}\n");
	return 0;
}
