/*
 * Every execution starts from the memory set-up left, exactly, even when
 * CPU code writes through host pointers (vmsa_pa_ptr) that the model never
 * sees: pointers set-up obtained, a pointer CPU code obtains into a page
 * of a set-up allocation and writes past, and a pointer into an
 * allocation CPU code makes itself. The explorer restores a snapshot
 * before every execution but the first (src/model/snapshot.c, mem.c).
 *
 * The scenario is not registered (no VMSA_SCENARIO): it runs through
 * vmsa_explore() directly and stays out of the bundled list.
 */
#include "harness.h"
#include "vmsa/explore.h"

#define A0 0x1111111111111111ull /* set-up, through its pointer */
#define A1 0x2222222222222222ull /* set-up, second page, same pointer */
#define B1 0x3333333333333333ull /* set-up, a model write */
#define WORDS_PER_PAGE (VMSA_PAGE_SIZE / 8)

struct restore_data {
	vmsa_pa_t a, b;	/* two 2-page allocations made by set-up */
	uint64_t *pa;	/* set-up's pointer to a */
};

static void restore_setup(vmsa_run_t *r)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct restore_data *d = vmsa_run_data(r);

	d->a = vmsa_page_alloc(m, VMSA_SETUP, 2, 1);
	d->b = vmsa_page_alloc(m, VMSA_SETUP, 2, 1);
	d->pa = vmsa_pa_ptr(m, d->a);
	d->pa[0] = A0;
	d->pa[WORDS_PER_PAGE] = A1;
	vmsa_phys_write(m, VMSA_SETUP, d->b + VMSA_PAGE_SIZE, 8, B1, true);
}

static unsigned cpu0_runs, cpu1_runs, bad_starts;

/* CPU0 writes through set-up's pointer, in both pages of a. */
static void restore_cpu0(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct restore_data *d = vmsa_run_data(r);

	cpu0_runs++;
	if (d->pa[0] != A0 || d->pa[WORDS_PER_PAGE] != A1)
		bad_starts++;
	vmsa_assert(r, cpu, d->pa[0] == A0 && d->pa[WORDS_PER_PAGE] == A1,
		    "CPU0 starts from set-up's memory");
	d->pa[0] = 0xdead0000 + cpu0_runs;
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
	d->pa[WORDS_PER_PAGE] = 0xbeef0000 + cpu0_runs;
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
}

/* CPU1 takes a pointer to b's first page and writes both pages; then
 * allocates two pages and writes the second through a pointer to the
 * first. */
static void restore_cpu1(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct restore_data *d = vmsa_run_data(r);
	uint64_t *q = vmsa_pa_ptr(m, d->b), *n;
	vmsa_pa_t fresh;
	bool ok = q[0] == 0 && q[WORDS_PER_PAGE] == B1;

	cpu1_runs++;
	q[0] = 0xf00d0000 + cpu1_runs;
	q[WORDS_PER_PAGE] = 0xcafe0000 + cpu1_runs;
	fresh = vmsa_page_alloc(m, cpu, 2, 1);
	n = vmsa_pa_ptr(m, fresh);
	ok = ok && n && n[WORDS_PER_PAGE] == 0;
	if (!ok)
		bad_starts++;
	vmsa_assert(r, cpu, ok, "CPU1 starts from set-up's memory");
	if (n)
		n[WORDS_PER_PAGE] = 0xf4e50000 + cpu1_runs;
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
}

static const vmsa_scenario_t restore_scenario = {
	.name = "test/restore",
	.doc = "CPU code writes through set-up's host pointers",
	.setup = restore_setup,
	.cpu = {restore_cpu0, restore_cpu1},
	.configs = {{.name = "bbm0", .expect = "safe"}},
};

/* FNV-1a over the whole memory, at the start of every execution. */
struct mem_hashes {
	unsigned n;
	uint64_t h[64];
};

static void hash_memory(void *ctx, const vmsa_machine_t *m)
{
	struct mem_hashes *mh = ctx;
	const vmsa_features_t *f = vmsa_machine_features(m);
	const uint8_t *p = vmsa_pa_cptr(m, f->mem_base);
	uint64_t h = 0xcbf29ce484222325ull;

	for (uint64_t i = 0; i < f->mem_size; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	if (mh->n < 64)
		mh->h[mh->n] = h;
	mh->n++;
}

TEST(explore_restores_setup_memory_exactly)
{
	vmsa_explore_opts_t o = vmsa_explore_defaults();
	vmsa_explore_result_t res;
	struct mem_hashes mh = {0};

	o.preemptions = VMSA_UNBOUNDED;
	o.trace_machine = hash_memory;
	o.trace_ctx = &mh;
	cpu0_runs = cpu1_runs = bad_starts = 0;
	CHECK_EQ(vmsa_explore(&restore_scenario, "bbm0", &o, &res), 0);
	CHECK_STR(res.error, "");
	CHECK_STR(res.verdict, "safe");
	CHECK(res.complete);
	/* The explorer may switch CPUs before every step, so a CPU with two
	 * steps runs in three pieces (up to its first step, up to its
	 * second, the rest). CPU0 and CPU1 have two steps each (CPU1: the
	 * allocation and the DSB; host stores are no steps): every
	 * interleaving of two sequences of three, 6! / (3! 3!) = 20. */
	CHECK_EQ(res.stats.executions, 20);
	CHECK_EQ(cpu0_runs, 20);
	CHECK_EQ(cpu1_runs, 20);
	CHECK_EQ(bad_starts, 0);
	/* The first hash is of the machine before set-up; every later
	 * execution starts from the restored snapshot: one memory. */
	CHECK_EQ(mh.n, 20);
	for (unsigned i = 2; i < mh.n && i < 64; i++)
		CHECK_EQ(mh.h[i], mh.h[1]);
	vmsa_explore_result_free(&res);
}
