/*
 * bench/pgtable.c - the page-table library's speed, side by side with
 * Linux's kvm_pgtable in the same run when make bench-linux built it in
 * (docs/pgtable.md, "Benchmark").
 *
 * Both libraries manage the same table (bench/pgtable_lib.h: stage 2, 4K
 * granule, 40-bit IPA, start level 1, exclusive walks, no-op TLB and
 * cache maintenance, no S2FWB, no TLBIRANGE) with table pages from the
 * same kind of pool: vmsa on its host backend (src/backend/host.c),
 * Linux on bench/linux-shim/page_pool.h. Figures, each the median of
 * VMSA_BENCH_REPS repetitions (default 9) on a fresh table, the two
 * libraries taking turns within each repetition, timed with the thread's
 * processor-time clock:
 *   map_range_ns_per_page    one map call of 1 GiB, 4K pages only
 *                            (vmsa: VMSA_PGT_PAGES; Linux: force_pte_cb),
 *                            time over 262144 pages
 *   map_page_ns_per_call     262144 map calls of one 4K page each
 *   unmap_ns_per_page        one unmap call of 1 GiB of 4K pages
 *   unmap_page_ns_per_call   262144 unmap calls of one 4K page each
 *   wrprotect_ns_per_page    one write-protect call of 1 GiB of 4K pages
 *                            (Linux: and the one TLB flush KVM's caller
 *                            makes after it)
 *   block_map_ns_per_block   one map call of 1 GiB as 512 2M blocks
 *                            (16 maps per repetition, an unmap between)
 *   split_ns_per_page        one split call of 1 GiB of 2M blocks into
 *                            4K pages, time over 262144 pages
 *   peak_rss_kib             peak resident set of a child process that
 *                            maps 1 GiB of 4K pages (wait4's ru_maxrss),
 *                            and peak_rss_empty_kib of one that only
 *                            creates the table
 * ratio_linux_over_vmsa gives Linux's figure over vmsa's for each (above
 * 1: vmsa is faster). VMSA_BENCH_ONLY=SUBSTRING measures only the
 * figures whose key contains it (for a profiler; the others print 0,
 * their ratios null). Built without Linux (make bench), "linux" is null
 * and "linux_note" says why. Every operation's result is checked (return
 * value, descriptors of the first, a middle and the last page, table
 * pages in use, no warning from Linux's code): the program exits 1 with a
 * message on stderr rather than print figures of work not done.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmsa/backend.h"
#include "vmsa/pgtable.h"

#include "pgtable_lib.h"

#define GIB (1ull << 30)
#define PAGE 4096ull
#define BLOCK (2ull << 20)
#define NPAGES (GIB / PAGE)
#define NBLOCKS (GIB / BLOCK)
/* The range: 1 GiB at IPA 4 GiB (one level-1 entry's worth) to PA 8 GiB
 * + 2 MiB: aligned for 2M blocks, not for a 1G block, so that a map with
 * blocks makes 512 level-2 blocks in both libraries. */
#define IPA_BASE (4ull << 30)
#define PA_BASE ((8ull << 30) + BLOCK)
#define BLOCK_MAPS_PER_REP 16
#define REPS_DEFAULT 9
#define REPS_MAX 101

/* The exact stage-2 leaf both libraries write for this mapping (they
 * agree bit for bit): valid, page (level 3) or block, MemAttr Normal
 * Write-Back (0xf), S2AP read-write, Inner Shareable, AF, XN[1] (not
 * executable); write-protected: S2AP read-only. */
#define D_VALID 1ull
#define D_PAGE 2ull
#define D_S2AP_W (1ull << 7)
#define D_RW_ATTRS (0x7fcull | (1ull << 54))

/* Processor time of this thread, not wall time: a benchmark of a few
 * milliseconds per repetition on a machine shared with other programs
 * must not count the time it was descheduled. */
static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void fail(const bench_pgt_lib_t *l, const char *what, long v)
{
	fprintf(stderr, "bench/pgtable: %s: %s (%ld)\n", l->name, what, v);
	exit(1);
}

/* ------------------------------------------------------------------
 * vmsa behind bench_pgt_lib_t
 * ---------------------------------------------------------------- */

/* Table pages: 1 GiB of 4K pages needs 515 (bench_pgt_lib_t). */
#define POOL_PAGES 1024u

/* The host backend (vmsa/backend.h): C11 atomics on plain memory, a
 * pool of table pages, barriers, TLBIs and cache maintenance that do
 * nothing but count themselves. */
static vmsa_host_t *vm_host;

static void *vm_create(void)
{
	vmsa_pgt_cfg_t cfg = {
		.regime = VMSA_PGT_S2, .granule = VMSA_GRANULE_4K,
		.ia_bits = 40, .start_level = 1, .vmid = 1,
	};
	vmsa_host_cfg_t hc = {
		.granule = VMSA_GRANULE_4K, .pool_pages = POOL_PAGES,
		/* BBM level 0: the same break-before-make sequences as
		 * Linux's; no S2FWB, no TLBIRANGE. */
		.features = {.bbm_level = 0},
	};
	vmsa_pgt_t *t = malloc(sizeof(*t));

	if (!vm_host)
		vm_host = vmsa_host_new(&hc);
	if (!t || !vm_host) {
		free(t);
		return NULL;
	}
	if (vmsa_pgt_init(t, &cfg, vmsa_host_ops(vm_host))) {
		free(t);
		return NULL;
	}
	return t;
}

static void vm_destroy(void *t)
{
	vmsa_pgt_destroy(t);
	free(t);
}

static int vm_map(void *t, uint64_t ipa, uint64_t size, uint64_t pa,
		  bool pages)
{
	return vmsa_pgt_map(t, VMSA_IA(ipa), size, VMSA_OA(pa),
			    VMSA_PGT_PROT_RW, pages ? VMSA_PGT_PAGES : 0);
}

static int vm_unmap(void *t, uint64_t ipa, uint64_t size)
{
	return vmsa_pgt_unmap(t, VMSA_IA(ipa), size, 0);
}

static int vm_wrprotect(void *t, uint64_t ipa, uint64_t size)
{
	return vmsa_pgt_wrprotect(t, VMSA_IA(ipa), size, 0);
}

static int vm_split(void *t, uint64_t ipa, uint64_t size)
{
	return vmsa_pgt_split(t, VMSA_IA(ipa), size, 0);
}

static int vm_leaf(void *t, uint64_t ipa, uint64_t *desc, int *level)
{
	return vmsa_pgt_get_leaf(t, VMSA_IA(ipa), desc, level);
}

static long vm_pages_in_use(void)
{
	return (long)vmsa_host_pages_in_use(vm_host);
}

/* The host backend's count of misuses (a reference dropped below 0, a
 * page freed twice...). */
static unsigned long vm_warnings(void)
{
	return (unsigned long)vmsa_host_stats(vm_host)->errors;
}

static const bench_pgt_lib_t vmsa_lib = {
	.name = "vmsa",
	.version = VMSA_VERSION,
	.create = vm_create,
	.destroy = vm_destroy,
	.map = vm_map,
	.unmap = vm_unmap,
	.wrprotect = vm_wrprotect,
	.split = vm_split,
	.leaf = vm_leaf,
	.pages_in_use = vm_pages_in_use,
	.warnings = vm_warnings,
};

/* ------------------------------------------------------------------
 * Checks: each figure is of work that was done
 * ---------------------------------------------------------------- */

/* Table pages a table holds: the two root pages, and for 1 GiB of 4K
 * pages one level-2 and 512 level-3 tables (2M blocks: no level 3). */
#define ROOT_PAGES 2
#define PAGES_TABLES (ROOT_PAGES + 1 + NBLOCKS)
#define BLOCKS_TABLES (ROOT_PAGES + 1)

static void *create(const bench_pgt_lib_t *l)
{
	void *t = l->create();

	if (!t)
		fail(l, "cannot create a table", 0);
	return t;
}

static void check_ok(const bench_pgt_lib_t *l, const char *op, int err)
{
	if (err)
		fail(l, op, err);
	if (l->warnings())
		fail(l, "the library warned (WARN_ON) during", (long)l->warnings());
	(void)op;
}

/* The leaves at the first, a middle and the last page of the range: at
 * `level`, exactly the descriptor expected (mapped), or invalid
 * (!mapped). */
static void check_leaves(const bench_pgt_lib_t *l, void *t, bool mapped,
			 int level, bool writable)
{
	static const uint64_t offs[] = {0, GIB / 2 + 5 * PAGE, GIB - PAGE};

	for (unsigned i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		uint64_t d = 0, block, want;
		int lvl = -1;

		if (l->leaf(t, IPA_BASE + offs[i], &d, &lvl))
			fail(l, "get_leaf failed", (long)offs[i]);
		if (!mapped) {
			if (d & D_VALID)
				fail(l, "a page is still mapped after unmap",
				     (long)offs[i]);
			continue;
		}
		block = lvl == 3 ? PAGE : BLOCK;
		want = (PA_BASE + offs[i] / block * block) | D_RW_ATTRS |
		       D_VALID | (lvl == 3 ? D_PAGE : 0);
		if (!writable)
			want &= ~D_S2AP_W;
		if (lvl != level || d != want)
			fail(l, "a leaf is not what the operation made",
			     (long)offs[i]);
	}
}

static void check_pages(const bench_pgt_lib_t *l, long want)
{
	if (l->pages_in_use() != want)
		fail(l, "table pages in use differ from what the mappings need",
		     l->pages_in_use());
}

/* ------------------------------------------------------------------
 * The figures: one repetition each, in nanoseconds per unit
 * ---------------------------------------------------------------- */

static double fig_map_range(const bench_pgt_lib_t *l)
{
	void *t = create(l);
	double t0 = now_ns(), dt;
	int err = l->map(t, IPA_BASE, GIB, PA_BASE, true);

	dt = now_ns() - t0;
	check_ok(l, "map (4K pages)", err);
	check_leaves(l, t, true, 3, true);
	check_pages(l, PAGES_TABLES);
	l->destroy(t);
	return dt / NPAGES;
}

static double fig_map_page(const bench_pgt_lib_t *l)
{
	void *t = create(l);
	double t0 = now_ns(), dt;
	int err = 0;

	for (uint64_t off = 0; off < GIB && !err; off += PAGE)
		err = l->map(t, IPA_BASE + off, PAGE, PA_BASE + off, true);
	dt = now_ns() - t0;
	check_ok(l, "map page by page", err);
	check_leaves(l, t, true, 3, true);
	check_pages(l, PAGES_TABLES);
	l->destroy(t);
	return dt / NPAGES;
}

static double fig_unmap(const bench_pgt_lib_t *l)
{
	void *t = create(l);
	double t0, dt;
	int err;

	check_ok(l, "map (4K pages)", l->map(t, IPA_BASE, GIB, PA_BASE, true));
	t0 = now_ns();
	err = l->unmap(t, IPA_BASE, GIB);
	dt = now_ns() - t0;
	check_ok(l, "unmap", err);
	check_leaves(l, t, false, 0, false);
	/* Empty tables are freed: the root is all that is left. */
	check_pages(l, ROOT_PAGES);
	l->destroy(t);
	return dt / NPAGES;
}

/* Unmap one page per call: no table is ever wholly inside the range, so
 * both libraries clear and invalidate leaf by leaf (the MMU-notifier
 * case), and free each table with its last page. */
static double fig_unmap_page(const bench_pgt_lib_t *l)
{
	void *t = create(l);
	double t0, dt;
	int err = 0;

	check_ok(l, "map (4K pages)", l->map(t, IPA_BASE, GIB, PA_BASE, true));
	t0 = now_ns();
	for (uint64_t off = 0; off < GIB && !err; off += PAGE)
		err = l->unmap(t, IPA_BASE + off, PAGE);
	dt = now_ns() - t0;
	check_ok(l, "unmap page by page", err);
	check_leaves(l, t, false, 0, false);
	check_pages(l, ROOT_PAGES);
	l->destroy(t);
	return dt / NPAGES;
}

static double fig_wrprotect(const bench_pgt_lib_t *l)
{
	void *t = create(l);
	double t0, dt;
	int err;

	check_ok(l, "map (4K pages)", l->map(t, IPA_BASE, GIB, PA_BASE, true));
	t0 = now_ns();
	err = l->wrprotect(t, IPA_BASE, GIB);
	dt = now_ns() - t0;
	check_ok(l, "wrprotect", err);
	check_leaves(l, t, true, 3, false);
	l->destroy(t);
	return dt / NPAGES;
}

static double fig_block_map(const bench_pgt_lib_t *l)
{
	void *t = create(l);
	double dt = 0;

	for (int i = 0; i < BLOCK_MAPS_PER_REP; i++) {
		double t0 = now_ns();
		int err = l->map(t, IPA_BASE, GIB, PA_BASE, false);

		dt += now_ns() - t0;
		check_ok(l, "map (2M blocks)", err);
		check_leaves(l, t, true, 2, true);
		check_pages(l, BLOCKS_TABLES);
		check_ok(l, "unmap (2M blocks)", l->unmap(t, IPA_BASE, GIB));
	}
	l->destroy(t);
	return dt / BLOCK_MAPS_PER_REP / NBLOCKS;
}

static double fig_split(const bench_pgt_lib_t *l)
{
	void *t = create(l);
	double t0, dt;
	int err;

	check_ok(l, "map (2M blocks)", l->map(t, IPA_BASE, GIB, PA_BASE, false));
	t0 = now_ns();
	err = l->split(t, IPA_BASE, GIB);
	dt = now_ns() - t0;
	check_ok(l, "split", err);
	check_leaves(l, t, true, 3, true);
	check_pages(l, PAGES_TABLES);
	l->destroy(t);
	return dt / NPAGES;
}

typedef struct figure {
	const char *key;    /* JSON key of the figure */
	const char *ratio;  /* JSON key of its ratio */
	double (*run)(const bench_pgt_lib_t *l);
} figure_t;

static const figure_t figures[] = {
	{"map_range_ns_per_page", "map_range", fig_map_range},
	{"map_page_ns_per_call", "map_page", fig_map_page},
	{"unmap_ns_per_page", "unmap", fig_unmap},
	{"unmap_page_ns_per_call", "unmap_page", fig_unmap_page},
	{"wrprotect_ns_per_page", "wrprotect", fig_wrprotect},
	{"block_map_ns_per_block", "block_map", fig_block_map},
	{"split_ns_per_page", "split", fig_split},
};
#define NFIG (sizeof(figures) / sizeof(figures[0]))

/* ------------------------------------------------------------------
 * Peak RSS, each library in a child of its own
 * ---------------------------------------------------------------- */

/* Peak RSS in KiB of a child that creates a table and, with map, maps
 * 1 GiB of 4K pages; -1 when the child failed. */
static long child_rss(const bench_pgt_lib_t *l, bool map)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		void *t = l->create();

		if (!t || (map && l->map(t, IPA_BASE, GIB, PA_BASE, true)))
			_exit(1);
		_exit(0);
	}
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	return ru.ru_maxrss;
}

/* ------------------------------------------------------------------
 * main
 * ---------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int reps_from_env(void)
{
	const char *s = getenv("VMSA_BENCH_REPS");
	char *end;
	long n;

	if (!s || !*s)
		return REPS_DEFAULT;
	n = strtol(s, &end, 10);
	if (*end || n < 1 || n > REPS_MAX) {
		fprintf(stderr, "bench/pgtable: VMSA_BENCH_REPS must be 1..%d\n",
			REPS_MAX);
		exit(2);
	}
	return (int)n;
}

/* s as a JSON string. */
static void print_json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		if ((unsigned char)*s >= 0x20)
			putchar(*s);
	}
	putchar('"');
}

static void print_lib(const bench_pgt_lib_t *l, const double *fig,
		      long rss, long rss_empty)
{
	printf("{\"version\":");
	print_json_string(l->version);
	for (unsigned f = 0; f < NFIG; f++)
		printf(",\"%s\":%.2f", figures[f].key, fig[f]);
	printf(",\"peak_rss_kib\":%ld,\"peak_rss_empty_kib\":%ld}", rss,
	       rss_empty);
}

int main(void)
{
#ifdef VMSA_BENCH_LINUX
	const bench_pgt_lib_t *libs[2] = {&vmsa_lib, &bench_linux_lib};
	const int nlibs = 2;
#else
	const bench_pgt_lib_t *libs[2] = {&vmsa_lib, NULL};
	const int nlibs = 1;
#endif
	int reps = reps_from_env();
	long rss[2], rss_empty[2];
	double fig[2][NFIG], samples[2][REPS_MAX];
	const char *note = getenv("VMSA_BENCH_LINUX_NOTE");
	const char *only = getenv("VMSA_BENCH_ONLY");

	/* First, while this process is small: its pages are the children's
	 * too. */
	for (int i = 0; i < nlibs; i++) {
		rss[i] = child_rss(libs[i], true);
		rss_empty[i] = child_rss(libs[i], false);
		if (rss[i] < 0 || rss_empty[i] < 0)
			fail(libs[i], "the peak-RSS child failed", 0);
	}
	for (unsigned f = 0; f < NFIG; f++) {
		if (only && *only && !strstr(figures[f].key, only)) {
			fig[0][f] = fig[1][f] = 0;
			continue;
		}
		for (int r = 0; r < reps; r++)
			for (int i = 0; i < nlibs; i++)
				samples[i][r] = figures[f].run(libs[i]);
		for (int i = 0; i < nlibs; i++)
			fig[i][f] = median(samples[i], reps);
	}

	printf("{\"benchmark\":\"pgtable\",\"reps\":%d,\"range_bytes\":%llu,"
	       "\"table\":\"stage 2, 4K granule, 40-bit IPA, start level 1, "
	       "exclusive walks, no-op TLB and cache maintenance, "
	       "no S2FWB, no TLBIRANGE, vmsa at BBM level 0\",\"vmsa\":",
	       reps, GIB);
	print_lib(libs[0], fig[0], rss[0], rss_empty[0]);
	printf(",\"linux\":");
	if (nlibs == 2) {
		print_lib(libs[1], fig[1], rss[1], rss_empty[1]);
		printf(",\"ratio_linux_over_vmsa\":{");
		for (unsigned f = 0; f < NFIG; f++) {
			printf("%s\"%s\":", f ? "," : "", figures[f].ratio);
			if (fig[0][f] > 0)
				printf("%.2f", fig[1][f] / fig[0][f]);
			else
				printf("null");
		}
		printf("}}\n");
	} else {
		printf("null,\"ratio_linux_over_vmsa\":null,\"linux_note\":");
		print_json_string(note && *note ? note :
				  "built without Linux's kvm_pgtable: make "
				  "bench-linux builds it from Debian's "
				  "linux-source-6.12 and runs both side by "
				  "side");
		printf("}\n");
	}
	return 0;
}
