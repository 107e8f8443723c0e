/*
 * Checkpoints (src/model/checkpoint.c): the machine saved between two
 * steps and loaded later behaves exactly as if the steps since the save
 * never happened: the same values, faults, violations, choices (counts
 * and order) and trace text, and the same digest; after another
 * continuation, a violation, or a snapshot restore in between; under the
 * feature relaxed; with TLBIs and stores pending. Generations move
 * forward, so memos made after the save are not used after the load.
 * Also a rough cost measurement of save and load.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "chooser.h"
#include "fixture.h"
#include "model/checkpoint.h"
#include "model/digest.h"
#include "model/machine.h"

/* What a continuation did. */
struct rec {
	uint64_t v[32];
	unsigned nv;
	int vkind;		/* violation kind, or VMSA_V_NONE */
	struct ch ch;
	char trace[8192];
	size_t nt;
	uint64_t steps;
};

static void rec_trace(void *ctx, const vmsa_trace_event_t *e)
{
	struct rec *r = ctx;
	int n = snprintf(r->trace + r->nt, sizeof(r->trace) - r->nt,
			 "%llu %d %s %s\n", (unsigned long long)e->step,
			 (int)e->cpu, e->op, e->text);

	if (n > 0 && r->nt + (size_t)n < sizeof(r->trace))
		r->nt += (size_t)n;
}

static void rec_begin(struct rec *r, vmsa_machine_t *m,
		      const unsigned *script, unsigned n)
{
	memset(r, 0, sizeof(*r));
	ch_init(&r->ch, script, n);
	ch_attach(&r->ch, m);
	vmsa_set_trace(m, rec_trace, r);
}

static void rec_val(struct rec *r, uint64_t v)
{
	if (r->nv < 32)
		r->v[r->nv++] = v;
}

static void rec_end(struct rec *r, vmsa_machine_t *m)
{
	const vmsa_violation_t *v = vmsa_violation(m);

	r->vkind = v ? (int)v->kind : VMSA_V_NONE;
	r->steps = vmsa_steps(m);
	vmsa_set_trace(m, NULL, NULL);
	vmsa_set_chooser(m, NULL);
}

static void rec_same(const struct rec *a, const struct rec *b)
{
	CHECK_EQ(a->nv, b->nv);
	for (unsigned i = 0; i < a->nv && i < b->nv; i++)
		CHECK_EQ(a->v[i], b->v[i]);
	CHECK_EQ(a->vkind, b->vkind);
	CHECK_EQ(a->steps, b->steps);
	CHECK_EQ(a->ch.n_calls, b->ch.n_calls);
	for (unsigned i = 0; i < a->ch.n_calls && i < CH_MAX_CALLS; i++) {
		CHECK(strcmp(a->ch.calls[i].what, b->ch.calls[i].what) == 0);
		CHECK_EQ(a->ch.calls[i].n, b->ch.calls[i].n);
		CHECK_EQ(a->ch.calls[i].pick, b->ch.calls[i].pick);
	}
	CHECK_EQ(a->nt, b->nt);
	CHECK(strcmp(a->trace, b->trace) == 0);
}

/* m's digest, finished, into d (which must be digest_free'd). */
static void take_digest(vmsa_machine_t *m, struct digest *d)
{
	digest_clear(d);
	CHECK_EQ(digest_machine(d, m), 0);
	CHECK_EQ(digest_finish(d), 0);
}

/* Steps before the save: both CPUs translate VA 0x1000 (their TLBs may
 * cache it), CPU0 maps 0x2000 and synchronises, breaks 0x1000 and
 * issues a TLBI it has not completed, and stores data (its store to a
 * descriptor still pending, RSPVBD). */
static void prefix(struct fx *f)
{
	CHECK_EQ(fx_read(f, 0, 0x1000), 0xa0);
	CHECK_EQ(fx_read(f, 1, 0x1000), 0xa0);
	vmsa_desc_write_pa(f->m, 0, fx_pte(f, 0x2000),
			   fx_page_desc(f->page[1]));
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	vmsa_isb(f->m, 0);
	CHECK(vmsa_write(f->m, 0, 0x2008, 8, 0x55));
	vmsa_desc_write_pa(f->m, 0, fx_pte(f, 0x1000), 0);
	fx_tlbi_va(f, 0, "tlbi vae1is", 0x1000);
}

/* The continuation recorded: CPU1 reads the broken VA (old entry or the
 * new invalid value: a choice), CPU0 completes its TLBI, remaps and
 * reads, CPU1 reads 0x2000 and then the broken VA, which faults with no
 * handler: an unhandled abort ends it. */
static void rest(struct fx *f, struct rec *r, const unsigned *script,
		 unsigned n)
{
	uint64_t v;

	rec_begin(r, f->m, script, n);
	rec_val(r, vmsa_read(f->m, 1, 0x1000, 8, &v) ? v : ~0ull);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	vmsa_isb(f->m, 0);
	vmsa_phys_write(f->m, 0, f->page[2] + 8, 8, 0x77, true);
	rec_val(r, fx_read(f, 0, 0x2008));
	rec_val(r, fx_read(f, 1, 0x2008));
	vmsa_desc_write_pa(f->m, 0, fx_pte(f, 0x3000),
			   fx_page_desc(f->page[2]));
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	rec_val(r, fx_read(f, 1, 0x3008));
	rec_val(r, vmsa_phys_read(f->m, 1, f->page[2] + 8, 8, true));
	rec_val(r, fx_read(f, 1, 0x1000));
	rec_end(r, f->m);
}

/* Another continuation: changes memory, allocator, histories, TLBs,
 * the cache, freed pages, contexts, and ends in a violation. */
static void other(struct fx *f)
{
	vmsa_pa_t p = vmsa_page_alloc(f->m, 1, 2, 1);

	vmsa_phys_write(f->m, 1, p, 8, 0x99, false);
	vmsa_desc_write_pa(f->m, 1, fx_pte(f, 0x4000), fx_page_desc(p));
	vmsa_dsb(f->m, 1, VMSA_BAR_ISH);
	vmsa_msr(f->m, 1, VMSA_REG_TTBR0_EL1,
		 f->l1 | (uint64_t)(FX_ASID + 1) << 48);
	vmsa_isb(f->m, 1);
	(void)fx_read(f, 1, 0x4000);
	vmsa_page_free(f->m, 1, f->page[3], 1);
	vmsa_page_free(f->m, 1, p, 1);
	vmsa_page_free(f->m, 1, p, 1);	/* double free: stops */
	CHECK(vmsa_stopped(f->m));
}

static const unsigned picks[] = {1, 0, 1, 1};

/* Load c into f's machine: the state whose digest is d0 comes back (d0
 * NULL: not compared), and the rest of the run (with picks) gives a
 * again. */
static void load_same(struct fx *f, struct machine_ckpt *c,
		      const struct digest *d0, const struct rec *a)
{
	static struct rec b;
	struct digest d1 = {0};

	CHECK_EQ(machine_ckpt_load(f->m, c), 0);
	CHECK(!vmsa_stopped(f->m));
	if (d0) {
		take_digest(f->m, &d1);
		CHECK(digest_equal(d0, &d1));
		digest_free(&d1);
	}
	rest(f, &b, picks, 4);
	rec_same(a, &b);
}

TEST(ckpt_rest_again)
{
	struct fx f;
	struct machine_ckpt *c = machine_ckpt_new();
	struct rec a, b;
	struct digest d0 = {0};

	CHECK(c != NULL);
	fx_setup(&f, 2, 0);
	prefix(&f);
	take_digest(f.m, &d0);
	CHECK_EQ(machine_ckpt_save(f.m, c), 0);
	rest(&f, &a, picks, 4);
	CHECK(a.ch.n_calls > 0);
	CHECK_EQ(a.vkind, VMSA_V_UNHANDLED_ABORT);
	load_same(&f, c, &d0, &a);
	/* Again, after another continuation that stopped. */
	CHECK_EQ(machine_ckpt_load(f.m, c), 0);
	other(&f);
	CHECK(vmsa_stopped(f.m));
	load_same(&f, c, &d0, &a);
	/* Other choices give another run, and back. */
	CHECK_EQ(machine_ckpt_load(f.m, c), 0);
	rest(&f, &b, NULL, 0);
	load_same(&f, c, NULL, &a);
	digest_free(&d0);
	machine_ckpt_free(c);
	fx_done(&f);
}

/* From a restored snapshot (memory is then the snapshot's plus the
 * changed pages), and loaded after further snapshot restores. */
TEST(ckpt_with_snapshot)
{
	struct fx f;
	struct machine_ckpt *c = machine_ckpt_new();
	vmsa_snapshot_t *snap;
	struct rec a;
	struct digest d0 = {0};

	CHECK(c != NULL);
	f.m = fx_machine(2, 0, true);
	fx_tables(&f);
	snap = vmsa_snapshot_take(f.m);
	CHECK(snap != NULL);
	if (!snap) {
		fx_done(&f);
		return;
	}
	CHECK_EQ(vmsa_snapshot_restore(f.m, snap), 0);
	fx_enter_el1(&f, 0);
	fx_enter_el1(&f, 1);
	prefix(&f);
	take_digest(f.m, &d0);
	CHECK_EQ(machine_ckpt_save(f.m, c), 0);
	rest(&f, &a, picks, 4);
	for (int round = 0; round < 3; round++) {
		CHECK_EQ(vmsa_snapshot_restore(f.m, snap), 0);
		fx_enter_el1(&f, 0);
		fx_enter_el1(&f, 1);
		if (round == 1)
			other(&f);
		if (round == 2)
			prefix(&f);
		load_same(&f, c, &d0, &a);
	}
	/* Loaded twice in a row, and straight after its own rest. */
	CHECK_EQ(machine_ckpt_load(f.m, c), 0);
	load_same(&f, c, NULL, &a);
	/* A save of the loaded state is the same checkpoint. */
	CHECK_EQ(machine_ckpt_load(f.m, c), 0);
	CHECK_EQ(machine_ckpt_save(f.m, c), 0);
	other(&f);
	load_same(&f, c, NULL, &a);
	digest_free(&d0);
	machine_ckpt_free(c);
	vmsa_snapshot_free(snap);
	fx_done(&f);
}

/* A save in the middle of the same continuation at several points: each
 * load gives the tail of the recorded run. */
/* The tail of ckpt_every_point, recorded into r: a read on CPU1, a
 * valid-to-valid descriptor write without a break, then a read through
 * it (a break-before-make violation). */
static void bbm_tail(struct fx *f, struct rec *r)
{
	uint64_t v;

	rec_begin(r, f->m, NULL, 0);
	rec_val(r, vmsa_read(f->m, 1, 0x2008, 8, &v) ? v : ~0ull);
	vmsa_desc_write_pa(f->m, 1, fx_pte(f, 0x2000),
			   fx_page_desc(f->page[3]));
	rec_val(r, fx_read(f, 0, 0x2000));
	rec_end(r, f->m);
}

TEST(ckpt_every_point)
{
	struct fx f;
	struct machine_ckpt *c = machine_ckpt_new();
	struct rec a, b;

	CHECK(c != NULL);
	fx_setup(&f, 2, 0);
	prefix(&f);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	CHECK_EQ(machine_ckpt_save(f.m, c), 0);
	bbm_tail(&f, &a);
	CHECK_EQ(a.vkind, VMSA_V_BBM);
	CHECK_EQ(machine_ckpt_load(f.m, c), 0);
	bbm_tail(&f, &b);
	rec_same(&a, &b);
	machine_ckpt_free(c);
	fx_done(&f);
}

TEST(ckpt_refused_when_stopped)
{
	struct fx f;
	struct machine_ckpt *c = machine_ckpt_new();

	fx_setup(&f, 2, 0);
	CHECK_EQ(machine_ckpt_save(f.m, c), 0);
	vmsa_report(f.m, 0, VMSA_V_ASSERT, "stop");
	CHECK(vmsa_stopped(f.m));
	CHECK_EQ(machine_ckpt_save(f.m, c), -EINVAL);
	/* A refused save leaves nothing to load. */
	CHECK_EQ(machine_ckpt_load(f.m, c), -EINVAL);
	machine_ckpt_free(c);
	fx_done(&f);
}

/*
 * Memos: after the save CPU0's fast path remembers 0x1000's
 * translation, the tables change (a new level-3 table: a structural
 * change that rescans the context), the new translation is remembered
 * too. After the load the old tables give the old answers: neither the
 * remembered translation nor the rescanned page list is taken, and a
 * store to the old level-3 table is a descriptor store again (its
 * break-before-make check finds the CPUs' entries).
 */
TEST(ckpt_memos_move_forward)
{
	struct fx f;
	struct machine_ckpt *c = machine_ckpt_new();
	uint64_t table_gen, ctx_epoch, hist_gen, mem_gen;
	vmsa_pa_t l3b;

	fx_setup(&f, 2, 0);
	CHECK_EQ(fx_read(&f, 0, 0x1000), 0xa0);
	CHECK_EQ(fx_read(&f, 1, 0x1000), 0xa0);
	CHECK_EQ(machine_ckpt_save(f.m, c), 0);
	table_gen = f.m->table_gen;
	ctx_epoch = f.m->ctx_epoch;
	hist_gen = f.m->hist_gen;
	mem_gen = f.m->mem.gen;

	/* A new level-3 table mapping 0x1000 to page[2], swapped in with
	 * break-before-make. */
	l3b = vmsa_page_alloc(f.m, 0, 1, 1);
	vmsa_desc_write_pa(f.m, 0, l3b + 8, fx_page_desc(f.page[2]));
	vmsa_desc_write_pa(f.m, 0, f.l2, 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(&f, 0, "tlbi vmalle1is", 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_desc_write_pa(f.m, 0, f.l2,
			   vmsa_desc_make_table(l3b, VMSA_GRANULE_4K));
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	vmsa_isb(f.m, 0);
	vmsa_isb(f.m, 1);
	CHECK_EQ(fx_read(&f, 0, 0x1000), 0xa2);
	CHECK_EQ(fx_read(&f, 0, 0x1000), 0xa2);
	CHECK_EQ(fx_read(&f, 1, 0x1000), 0xa2);
	CHECK(!vmsa_stopped(f.m));
	CHECK(f.m->table_gen > table_gen);

	CHECK_EQ(machine_ckpt_load(f.m, c), 0);
	CHECK(f.m->table_gen > table_gen);
	CHECK(f.m->ctx_epoch > ctx_epoch);
	CHECK(f.m->hist_gen > hist_gen);
	CHECK(f.m->mem.gen > mem_gen);
	CHECK_EQ(fx_read(&f, 0, 0x1000), 0xa0);
	CHECK_EQ(fx_read(&f, 0, 0x1000), 0xa0);
	CHECK_EQ(fx_read(&f, 1, 0x1000), 0xa0);
	CHECK(vmsa_page_is_free(f.m, l3b));
	/* The old table is a table again: a valid-to-valid change of its
	 * entry that CPUs may cache is a break-before-make violation. */
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x1000),
			   fx_page_desc(f.page[3]));
	CHECK(vmsa_stopped(f.m));
	if (vmsa_violation(f.m))
		CHECK_EQ(vmsa_violation(f.m)->kind, VMSA_V_BBM);
	machine_ckpt_free(c);
	fx_done(&f);
}

/* Feature relaxed: message passing, the reader may read older writes
 * (choices); saved after the writer's stores, one of them a descriptor
 * store still pending, with a TLBI pending too. */
static void relaxed_rest(struct fx *f, struct rec *r, const unsigned *script,
			 unsigned n)
{
	uint64_t v;

	rec_begin(r, f->m, script, n);
	rec_val(r, vmsa_read(f->m, 1, 0x1008, 8, &v) ? v : ~0ull);
	rec_val(r, vmsa_read(f->m, 1, 0x1010, 8, &v) ? v : ~0ull);
	CHECK(vmsa_write(f->m, 1, 0x1010, 8, 3));
	vmsa_dmb(f->m, 1, VMSA_BAR_ISH);
	rec_val(r, vmsa_read(f->m, 1, 0x1008, 8, &v) ? v : ~0ull);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	rec_val(r, vmsa_read(f->m, 0, 0x1010, 8, &v) ? v : ~0ull);
	rec_val(r, vmsa_read(f->m, 1, 0x2000, 8, &v) ? v : ~0ull);
	rec_val(r, vmsa_read(f->m, 0, 0x2000, 8, &v) ? v : ~0ull);
	rec_end(r, f->m);
}

TEST(ckpt_relaxed)
{
	vmsa_features_t ft = vmsa_features_default();
	struct machine_ckpt *c = machine_ckpt_new();
	static const unsigned rpicks[] = {1, 1, 0, 1, 1, 1, 1};
	struct rec a, b;
	struct fx f;
	uint64_t v;

	ft.ncpus = 2;
	ft.relaxed = true;
	f.m = fx_machine_with(&ft);
	fx_tables(&f);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, fx_pte(&f, 0x2000),
			   fx_page_desc(f.page[1]));
	fx_enter_el1(&f, 0);
	fx_enter_el1(&f, 1);
	CHECK(vmsa_write(f.m, 0, 0x1008, 8, 1));
	CHECK(vmsa_write(f.m, 0, 0x1010, 8, 2));
	CHECK(vmsa_read(f.m, 1, 0x1010, 8, &v));
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, 0x2000), 0);
	fx_tlbi_va(&f, 0, "tlbi vae1is", 0x2000);
	CHECK_EQ(machine_ckpt_save(f.m, c), 0);
	CHECK(f.m->ord.msgs.n > 0);
	relaxed_rest(&f, &a, rpicks, 7);
	CHECK(a.ch.n_calls > 0);
	for (int round = 0; round < 2; round++) {
		CHECK_EQ(machine_ckpt_load(f.m, c), 0);
		if (round == 1) {
			relaxed_rest(&f, &b, NULL, 0);
			CHECK_EQ(machine_ckpt_load(f.m, c), 0);
		}
		relaxed_rest(&f, &b, rpicks, 7);
		rec_same(&a, &b);
	}
	machine_ckpt_free(c);
	fx_done(&f);
}

/* ns per save and per load of f's machine (n of each). */
static void measure(struct fx *f, struct machine_ckpt *c, const char *what)
{
	struct timespec t0, t1, t2;
	enum { N = 100000 };
	double save_ns, load_ns;

	CHECK(!vmsa_stopped(f->m));
	CHECK_EQ(machine_ckpt_save(f->m, c), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < N; i++)
		(void)machine_ckpt_save(f->m, c);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (int i = 0; i < N; i++)
		(void)machine_ckpt_load(f->m, c);
	clock_gettime(CLOCK_MONOTONIC, &t2);
	save_ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
		   (double)(t1.tv_nsec - t0.tv_nsec)) / N;
	load_ns = ((double)(t2.tv_sec - t1.tv_sec) * 1e9 +
		   (double)(t2.tv_nsec - t1.tv_nsec)) / N;
	printf("  checkpoint (%s): save %.0f ns, load %.0f ns\n", what,
	       save_ns, load_ns);
}

/* The steps of the measured machines: 4 CPUs with TLB entries, a
 * pending TLBI, descriptor and data stores. */
static void cost_steps(struct fx *f)
{
	for (int cpu = 0; cpu < 4; cpu++)
		CHECK_EQ(fx_read(f, cpu, 0x1000), 0xa0);
	prefix(f);
	CHECK(vmsa_write(f->m, 2, 0x2010, 8, 7));
	CHECK(vmsa_write(f->m, 3, 0x2018, 8, 8));
}

/* Cost of a save and a load of a litmus-like machine, as the explorer
 * has it (set-up's snapshot restored) and without a snapshot (every
 * page set-up allocated is then saved whole). Printed, not checked. */
TEST(ckpt_cost)
{
	struct fx f;
	struct machine_ckpt *c = machine_ckpt_new();
	vmsa_snapshot_t *snap;

	f.m = fx_machine(4, 0, true);
	fx_tables(&f);
	snap = vmsa_snapshot_take(f.m);
	CHECK(snap != NULL);
	if (snap) {
		CHECK_EQ(vmsa_snapshot_restore(f.m, snap), 0);
		for (int cpu = 0; cpu < 4; cpu++)
			fx_enter_el1(&f, cpu);
		cost_steps(&f);
		measure(&f, c, "from a snapshot");
		CHECK_EQ(fx_read(&f, 2, 0x2010), 7);
	}
	fx_done(&f);
	vmsa_snapshot_free(snap);
	fx_setup(&f, 4, 0);
	cost_steps(&f);
	measure(&f, c, "no snapshot");
	CHECK_EQ(fx_read(&f, 2, 0x2010), 7);
	machine_ckpt_free(c);
	fx_done(&f);
}

/* The cache's stale_seen (the read rule's condition) is part of the
 * saved state: loaded back to false after a continuation made a line
 * stale (a non-cacheable physical write), and to true when it was. */
TEST(ckpt_cache_stale_seen)
{
	struct fx f;
	struct machine_ckpt *c = machine_ckpt_new();
	struct machine_ckpt *c2 = machine_ckpt_new();

	CHECK(c != NULL && c2 != NULL);
	fx_setup(&f, 2, 0);
	CHECK(!f.m->cache.stale_seen);
	CHECK_EQ(machine_ckpt_save(f.m, c), 0);
	vmsa_phys_write(f.m, 0, f.page[1] + 0x100, 8, 0x55, false);
	CHECK(f.m->cache.stale_seen);
	CHECK_EQ(machine_ckpt_save(f.m, c2), 0);
	CHECK_EQ(machine_ckpt_load(f.m, c), 0);
	CHECK(!f.m->cache.stale_seen);
	CHECK_EQ(machine_ckpt_load(f.m, c2), 0);
	CHECK(f.m->cache.stale_seen);
	machine_ckpt_free(c2);
	machine_ckpt_free(c);
	fx_done(&f);
}
