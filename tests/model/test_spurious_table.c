/*
 * Spurious faults through an older table (docs/model.md rule 9).
 *
 * A walk may have been done early, at any time since the CPU's last
 * context synchronisation event, reading each level at some time in
 * that window, in order (each read's address comes from the value
 * before). So it may have read a table descriptor's older value, a
 * table that is no longer linked, and then in that table an entry that
 * was invalid: a Translation fault at the next level, although memory
 * now links a table whose entry is valid. The model offers the older
 * table value only where the walk's next read faults
 * (early_table_faults, translate.c), never as a translation (which
 * would be a stale entry no TLB holds), and with FEAT_ETS2 not once an
 * explicit access after the change is ordered before the walk.
 *
 * The fixture: L1 -> L2 -> L3, L3[1] maps FLAG (VA 0x1000). Here a new
 * level-3 table T2 holds the same entry for FLAG and maps Y (VA 0x3000),
 * which L3 leaves invalid; CPU0 replaces L2[0] (-> L3) with a link to
 * T2 and publishes it (DSB ISH). No break is needed: every entry L3 had
 * is in T2 unchanged, and Y goes from invalid to valid.
 */
#include <string.h>

#include "chooser.h"
#include "faults.h"
#include "fixture_s2.h"

#define FLAG 0x1000ull
#define Y 0x3000ull
#define Z 0x4000ull
#define DESC_CHOICE "stage-1 descriptor value"

/* ESR_EL1 of a stage-1 level-3 Translation fault on a read at EL1 taken
 * to EL1: EC 0x25, IL, DFSC 0b000111; an Access flag fault: 0b001011. */
#define ESR_L3_TRANSLATION_READ \
	(((uint64_t)VMSA_EC_DABT_CUR << 26) | VMSA_ESR_IL | 0x07u)
#define ESR_L3_ACCESS_FLAG_READ \
	(((uint64_t)VMSA_EC_DABT_CUR << 26) | VMSA_ESR_IL | 0x0bu)

/* Two CPUs at EL1 (their last context synchronisation event is the
 * ERET of set-up), with FEAT_ETS2 if ets is 2, ETS3 (and ETS2) if 3; T2
 * filled in set-up; CPU1's EL1 aborts recorded. */
static vmsa_pa_t setup(struct fx *f, unsigned ets, struct faults *flt)
{
	vmsa_features_t ft = vmsa_features_default();
	vmsa_pa_t t2;

	ft.ncpus = 2;
	ft.ets2 = ets >= 2;
	ft.ets3 = ets == 3;
	f->m = fx_machine_with(&ft);
	fx_tables(f);
	t2 = vmsa_page_alloc(f->m, VMSA_SETUP, 1, 1);
	vmsa_desc_write_pa(f->m, VMSA_SETUP, t2 + 8 * 1,
			   fx_page_desc(f->page[0]));
	vmsa_desc_write_pa(f->m, VMSA_SETUP, t2 + 8 * 3,
			   fx_page_desc(f->page[2]));
	/* Z: AF = 0 in L3 (no TLB caches it: RXCLRD), AF = 1 in T2. */
	vmsa_desc_write_pa(f->m, VMSA_SETUP, fx_pte(f, Z),
			   fx_page_desc(f->page[3]) & ~VMSA_D_AF);
	vmsa_desc_write_pa(f->m, VMSA_SETUP, t2 + 8 * 4,
			   fx_page_desc(f->page[3]));
	fx_enter_el1(f, 0);
	fx_enter_el1(f, 1);
	memset(flt, 0, sizeof(*flt));
	vmsa_set_handler(f->m, 1, 1, record_fault, flt);
	return t2;
}

/* CPU0: L2[0] := table(T2); DSB ISH; TLBI VMALLE1IS; DSB ISH: no TLB
 * holds L3's link after it (no held entry offers L3: only an early walk
 * done before the relink can have read it). */
static void relink(struct fx *f, vmsa_pa_t t2)
{
	vmsa_desc_write_pa(f->m, 0, f->l2,
			   vmsa_desc_make_table(t2, VMSA_GRANULE_4K));
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	fx_tlbi_va(f, 0, "vmalle1is", 0);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
}

/* After CPU1's read of va: no violation; `options` values offered by
 * the one descriptor choice (0: no choice at all); `faults` faults
 * taken, each a level-3 fault on va: an Access flag fault for Z, else a
 * Translation fault. */
static void check_read(vmsa_machine_t *m, struct ch *ch,
		       const struct faults *flt, uint64_t va,
		       unsigned options, unsigned faults)
{
	CHECK(vmsa_violation(m) == NULL);
	CHECK_EQ(ch_count(ch, DESC_CHOICE), options > 0);
	if (options)
		CHECK_EQ(ch->calls[0].n, options);
	CHECK_EQ(flt->n, faults);
	if (faults) {
		CHECK_EQ(flt->esr, va == Z ? ESR_L3_ACCESS_FLAG_READ :
					     ESR_L3_TRANSLATION_READ);
		CHECK_EQ(flt->far, va);
	}
}

/* What CPU1 does between the relink and its read. */
enum before { NOTHING, READ_FLAG, ISB };

/*
 * Relink (with ETS2 or not), then CPU1 does `before` and reads va,
 * picking option `pick` of its descriptor reads. The read must return
 * `want`; `options`: how many values the one descriptor choice offered
 * (0: no choice at all); `faults`: how many faults CPU1 took.
 */
static void read_after(bool ets2, enum before before, uint64_t va,
		       unsigned pick, uint64_t want, unsigned options,
		       unsigned faults)
{
	const unsigned picks[] = {pick};
	struct faults flt;
	struct fx f;
	struct ch ch;
	vmsa_pa_t t2 = setup(&f, ets2 ? 2 : 0, &flt);

	relink(&f, t2);
	if (before == READ_FLAG)
		CHECK_EQ(fx_read(&f, 1, FLAG), 0xa0);
	if (before == ISB)
		vmsa_isb(f.m, 1);
	ch_init(&ch, picks, 1);
	ch_only(&ch, DESC_CHOICE);
	ch_attach(&ch, f.m);
	CHECK_EQ(fx_read(&f, 1, va), want);
	check_read(f.m, &ch, &flt, va, options, faults);
	fx_done(&f);
}

/*
 * CPU1 reads Y after the relink and its TLBI (which removes entries, not
 * a walk done early: its fault is not cached; herd's F1c+Handled). Its
 * level-2 read is offered T2 (memory now) and L3 (early); picking L3,
 * the level-3 read finds L3[3] invalid, the only value left to it: a
 * Translation fault at level 3 with FAR = Y. The retry after the handler
 * (its exception return is a context synchronisation event) reads
 * through T2 with no choice.
 */
TEST(spurious_table_translation_fault)
{
	read_after(false, NOTHING, Y, 1, 0xa2, 2, 1);
}

/* The same read with the first option (memory now): through T2, no
 * fault. */
TEST(spurious_table_newest_translates)
{
	read_after(false, NOTHING, Y, 0, 0xa2, 2, 0);
}

/* FLAG is valid in both tables: a walk through L3 would translate, a
 * stale translation no TLB holds (L3's entry is T2's), not a fault: the
 * older table is not offered. */
TEST(spurious_table_not_when_it_translates)
{
	read_after(false, NOTHING, FLAG, 1, 0xa0, 0, 0);
}

/* FEAT_ETS2: CPU1's read of FLAG after the relink is ordered before a
 * walk that gives a Translation fault, every read of it (B2.3; RCKTPD),
 * and the relink was made before that read: the walk cannot have read
 * L3. Without ETS2 the read of FLAG orders nothing. */
TEST(spurious_table_ets2_ordered)
{
	read_after(true, READ_FLAG, Y, 1, 0xa2, 0, 0);
}

TEST(spurious_table_without_ets2_after_access)
{
	read_after(false, READ_FLAG, Y, 1, 0xa2, 2, 1);
}

/* A context synchronisation event after the relink (ISB) starts a new
 * window: the older table is no longer offered. */
TEST(spurious_table_not_after_isb)
{
	read_after(false, ISB, Y, 1, 0xa2, 0, 0);
}

/* An Access flag fault through the older table: L3 maps Z with AF = 0
 * (setup()), T2 with AF = 1; memory's T2 translates. */
TEST(spurious_table_access_flag_fault)
{
	read_after(false, NOTHING, Z, 1, 0xa3, 2, 1);
	read_after(false, NOTHING, Z, 0, 0xa3, 2, 0);
}

/* ---- Permission faults through an older table ----------------------- */

#define W 0x5000ull

/* The variants of the relink for Permission faults. */
enum perm_shape {
	RO_IN_OLD,	/* L3[5] maps W read-only, T2[5] read-write */
	RO_THEN_INVALID,	/* the same, and CPU0 invalidates L3[5]
				   before the relink */
	APTABLE_OLD,	/* L2[0] links L3 with APTable = 0b10 (no writes
			   below), T2 without: W read-write in both */
};

/*
 * A write to W by CPU1 after CPU0's relink (with ETS2, ETS3 or neither;
 * CPU1 reads FLAG first if `read_first`), picking option `pick` of its
 * level-2 read. `options`: the values offered at level 2 (0: no choice
 * at all); the level-3 read never offers a choice (one faulting value,
 * or memory's). `faults`: the Permission faults taken (level 3, WnR,
 * FAR = W): the retry after the handler reads through T2.
 */
static void write_after(enum perm_shape shape, unsigned ets,
			bool read_first, unsigned pick, unsigned options,
			unsigned faults)
{
	const unsigned picks[] = {pick};
	uint64_t w_desc;
	struct faults flt;
	struct fx f;
	struct ch ch;
	vmsa_pa_t t2 = setup(&f, ets, &flt);

	w_desc = fx_page_desc(f.page[1]);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, t2 + 8 * 5, w_desc);
	if (shape == APTABLE_OLD) {
		vmsa_desc_write_pa(f.m, VMSA_SETUP, fx_pte(&f, W), w_desc);
		vmsa_desc_write_pa(f.m, VMSA_SETUP, f.l2,
				   vmsa_desc_make_table(f.l3, VMSA_GRANULE_4K) |
					   1ull << 62);
	} else {
		vmsa_desc_write_pa(f.m, VMSA_SETUP, fx_pte(&f, W),
				   vmsa_desc_make_s1_leaf(f.page[1], 3,
							  VMSA_GRANULE_4K, 0,
							  VMSA_AP_RO_EL1,
							  VMSA_SH_ISH, true));
	}
	if (shape == RO_THEN_INVALID)
		vmsa_desc_write_pa(f.m, 0, fx_pte(&f, W), 0);
	relink(&f, t2);
	if (read_first)
		CHECK_EQ(fx_read(&f, 1, FLAG), 0xa0);
	ch_init(&ch, picks, 1);
	ch_only(&ch, DESC_CHOICE);
	ch_attach(&ch, f.m);
	CHECK(vmsa_write(f.m, 1, W, 8, 0x77));
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(ch_count(&ch, DESC_CHOICE), options > 0);
	if (options)
		CHECK_EQ(ch.calls[0].n, options);
	CHECK_EQ(flt.n, faults);
	if (faults) {
		CHECK_EQ(VMSA_ESR_EC(flt.esr), VMSA_EC_DABT_CUR);
		CHECK_EQ(VMSA_ESR_FSC(flt.esr), 0x0f); /* Permission, level 3 */
		CHECK(flt.esr & VMSA_ESR_WNR);
		CHECK_EQ(flt.far, W);
		CHECK_EQ(flt.kind, VMSA_FAULT_PERMISSION);
	}
	CHECK_EQ(fx_read(&f, 1, W), 0x77);
	fx_done(&f);
}

/* L3 maps W read-only, T2 read-write: a walk done early through L3 gives
 * a Permission fault on the write (not cached, not a TLBUncacheable
 * fault: bounded by the Permission window); memory's T2 writes. */
TEST(spurious_table_permission_fault)
{
	write_after(RO_IN_OLD, 0, false, 1, 2, 1);
	write_after(RO_IN_OLD, 0, false, 0, 2, 0);
}

/* The entry in the older table is read-write, but the older table
 * descriptor itself has APTable = 0b10: the walk's table attributes
 * (vmsa_walk_next_fault) refuse the write. */
TEST(spurious_table_permission_aptable)
{
	write_after(APTABLE_OLD, 0, false, 1, 2, 1);
}

/* FEAT_ETS2 without ETS3: CPU1's read of FLAG after the relink orders a
 * walk that gives a Translation or Access flag fault, not one that gives
 * a Permission fault (B2.3, ETS-ordered-before): the older table is
 * still offered for the Permission fault. With ETS3 it orders both:
 * not offered. */
TEST(spurious_table_permission_ets2_not_ets3)
{
	write_after(RO_IN_OLD, 2, true, 1, 2, 1);
	write_after(RO_IN_OLD, 3, true, 1, 0, 0);
}

/* Before the relink CPU0 made L3[5] invalid. Without ETS2 the early
 * walk through L3 may give either fault; at level 3 it is offered both
 * values (the second choice: not counted by write_after, which expects
 * one: see the next test). With ETS2 and CPU1's read of FLAG the table
 * is offered for a Permission fault only, and its level-3 read keeps
 * only the read-only value (memory's invalid one would give a
 * Translation fault the read of FLAG orders away): one choice, at
 * level 2. */
TEST(spurious_table_permission_only_path)
{
	write_after(RO_THEN_INVALID, 2, true, 1, 2, 1);
}

TEST(spurious_table_both_faults_offered)
{
	const unsigned picks[] = {1, 1};
	struct faults flt;
	struct fx f;
	struct ch ch;
	vmsa_pa_t t2 = setup(&f, 0, &flt);

	vmsa_desc_write_pa(f.m, VMSA_SETUP, t2 + 8 * 5,
			   fx_page_desc(f.page[1]));
	vmsa_desc_write_pa(f.m, VMSA_SETUP, fx_pte(&f, W),
			   vmsa_desc_make_s1_leaf(f.page[1], 3,
						  VMSA_GRANULE_4K, 0,
						  VMSA_AP_RO_EL1, VMSA_SH_ISH,
						  true));
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, W), 0);
	relink(&f, t2);
	ch_init(&ch, picks, 2);
	ch_only(&ch, DESC_CHOICE);
	ch_attach(&ch, f.m);
	CHECK(vmsa_write(f.m, 1, W, 8, 0x77));
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(ch_count(&ch, DESC_CHOICE), 2);
	CHECK_EQ(ch.calls[0].n, 2);
	CHECK_EQ(ch.calls[1].n, 2);
	CHECK_EQ(flt.n, 1);
	fx_done(&f);
}

/* ---- Explored: every interleaving, every choice ---------------------- */

#include "outcomes.h"

struct sc {
	struct fx f;
	vmsa_pa_t t2, flag;
};

static uint64_t sc_flag, sc_val;	/* CPU1's registers */
static bool sc_faulted;
/* CPU1 writes W (read-only in L3, read-write in T2) instead of reading
 * Y. */
static bool sc_write;
static char sc_outs[8][16];
static unsigned sc_n;

static void sc_setup(vmsa_run_t *r)
{
	struct sc *d = vmsa_run_data(r);

	d->f.m = vmsa_run_machine(r);
	fx_tables(&d->f);
	d->t2 = vmsa_page_alloc(d->f.m, VMSA_SETUP, 1, 1);
	vmsa_desc_write_pa(d->f.m, VMSA_SETUP, d->t2 + 8 * 1,
			   fx_page_desc(d->f.page[0]));
	vmsa_desc_write_pa(d->f.m, VMSA_SETUP, d->t2 + 8 * 3,
			   fx_page_desc(d->f.page[2]));
	vmsa_desc_write_pa(d->f.m, VMSA_SETUP, d->t2 + 8 * 5,
			   fx_page_desc(d->f.page[1]));
	vmsa_desc_write_pa(d->f.m, VMSA_SETUP, fx_pte(&d->f, W),
			   vmsa_desc_make_s1_leaf(d->f.page[1], 3,
						  VMSA_GRANULE_4K, 0,
						  VMSA_AP_RO_EL1, VMSA_SH_ISH,
						  true));
	d->flag = d->f.page[3] + 64;
}

/* CPU0: the relink and its TLBI sequence, then flag = 1. */
static void sc_writer(vmsa_run_t *r, vmsa_cpu_t c)
{
	struct sc *d = vmsa_run_data(r);

	fx_enter_el1(&d->f, c);
	relink(&d->f, d->t2);
	vmsa_phys_write(d->f.m, c, d->flag, 8, 1, true);
}

/* CPU1: enters EL1 (its window starts), reads the flag, and if it is
 * set reads Y (sc_write: writes 0x77 to W and reads it back). */
static void sc_reader(vmsa_run_t *r, vmsa_cpu_t c)
{
	struct sc *d = vmsa_run_data(r);

	sc_faulted = false;
	sc_val = 0;
	fx_enter_el1(&d->f, c);
	sc_flag = vmsa_phys_read(d->f.m, c, d->flag, 8, true);
	if (sc_flag && sc_write && vmsa_write(d->f.m, c, W, 8, 0x77))
		vmsa_read(d->f.m, c, W, 8, &sc_val);
	else if (sc_flag && !sc_write)
		vmsa_read(d->f.m, c, Y, 8, &sc_val);
}

/* A fault on Y or W: noted; the handler's return retries the access. */
static void sc_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e, void *arg)
{
	(void)m;
	(void)cpu;
	(void)arg;
	if (e->far == Y || e->far == W)
		sc_faulted = true;
}

/* Outcomes "flag,fault,value" (value in hex). */
static void sc_record(vmsa_run_t *r)
{
	char s[16];

	(void)r;
	snprintf(s, sizeof(s), "%u,%u,%llx", (unsigned)sc_flag,
		 (unsigned)sc_faulted, (unsigned long long)sc_val);
	outcomes_add(sc_outs[0], &sc_n, 8, sizeof(sc_outs[0]), s);
}

static const char *sc_outcomes(const char *config, bool reduce)
{
	static vmsa_scenario_t s = {
		.name = "t/spurious-table",
		.setup = sc_setup,
		.cpu = {sc_writer, sc_reader},
		.check = sc_record,
		.handler = {{NULL, NULL, NULL}, {NULL, sc_handler, NULL}},
	};
	static char all[8 * 16];

	sc_n = 0;
	outcomes_explore(&s, config, reduce);
	return outcomes_join(sc_outs[0], sc_n, sizeof(sc_outs[0]), all,
			     sizeof(all));
}

/* The flag set, CPU1 may still take a spurious Translation fault on Y
 * (its walk done early, before the relink, through L3) and read 0xa2
 * on the retry; with ETS2 its read of the flag, which saw the write
 * made after the relink, is ordered before the walk: never. The same
 * outcomes with and without the partial-order reduction. */
TEST(spurious_table_explored)
{
	sc_write = false;
	for (int reduce = 0; reduce <= 1; reduce++) {
		CHECK_STR(sc_outcomes("default", reduce),
			  "0,0,0 1,0,a2 1,1,a2");
		CHECK_STR(sc_outcomes("ets2", reduce), "0,0,0 1,0,a2");
	}
}

/* The write to W: a spurious Permission fault through L3 (its read-only
 * entry), then the retry writes through T2. The read of the flag orders
 * it away only with ETS3 (ETS2 orders the walks that give TLBUncacheable
 * faults). */
TEST(spurious_table_permission_explored)
{
	sc_write = true;
	for (int reduce = 0; reduce <= 1; reduce++) {
		CHECK_STR(sc_outcomes("default", reduce),
			  "0,0,0 1,0,77 1,1,77");
		CHECK_STR(sc_outcomes("ets2", reduce),
			  "0,0,0 1,0,77 1,1,77");
		CHECK_STR(sc_outcomes("ets3", reduce), "0,0,0 1,0,77");
	}
	sc_write = false;
}

/* ---- A guest's stage 1 under stage 2 --------------------------------- */

/*
 * The same in a guest (fixture_s2.h: stage-1 tables at IPAs, stage 2
 * maps them): vCPU 0 relinks its L2[0] from L3 (IPA +0x2000) to T2 (IPA
 * +0x3000, mapped at stage 2 in set-up), which also maps Y; vCPU 1, in
 * the guest since before, reads Y. Its early walk may have read L2[0]'s
 * older value, the IPA of L3, translated it through stage 2 (memory's
 * values: S1PTW) and found L3[3] invalid: a stage-1 Translation fault at
 * level 3. `pick` 0 takes memory's T2.
 */
static void guest_relink(unsigned pick, unsigned faults)
{
	const unsigned picks[] = {pick};
	const uint64_t t2_ipa = FX2_IPA_TABLES + 0x3000;
	struct faults flt;
	struct fx2 f;
	struct ch ch;
	vmsa_pa_t t2;

	fx2_setup(&f, 2, 1);
	t2 = vmsa_page_alloc(f.m, VMSA_SETUP, 1, 1);
	vmsa_desc_write_pa(f.m, VMSA_SETUP, fx2_s2_pte(&f.vm[0], t2_ipa),
			   fx2_s2_page_desc(t2));
	vmsa_desc_write_pa(f.m, VMSA_SETUP, t2 + 8 * 1,
			   fx_page_desc(fx2_data_ipa(0)));
	vmsa_desc_write_pa(f.m, VMSA_SETUP, t2 + 8 * 3,
			   fx_page_desc(fx2_data_ipa(2)));
	fx2_enter_guest(&f, 0, 0);
	fx2_enter_guest(&f, 1, 0);
	memset(&flt, 0, sizeof(flt));
	vmsa_set_handler(f.m, 1, 1, record_fault, &flt);
	vmsa_desc_write_pa(f.m, 0, f.vm[0].g_tab[1],
			   vmsa_desc_make_table(t2_ipa, VMSA_GRANULE_4K));
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	fx2_tlbi(&f, 0, "vmalle1is", 0);
	vmsa_dsb(f.m, 0, VMSA_BAR_ISH);
	ch_init(&ch, picks, 1);
	ch_only(&ch, DESC_CHOICE);
	ch_attach(&ch, f.m);
	CHECK_EQ(fx2_read(&f, 1, Y), 0xa2);
	check_read(f.m, &ch, &flt, Y, 2, faults);
	fx2_done(&f);
}

TEST(spurious_table_guest_stage1)
{
	guest_relink(1, 1);
	guest_relink(0, 0);
}
