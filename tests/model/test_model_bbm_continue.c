/*
 * Continuing after a break-before-make violation (vmsa_set_bbm_continue;
 * issue 11, model error 6). D8.17.1 (after RRTBRL): when software skips
 * a required break, "it is possible that TLBs concurrently hold multiple
 * different copies of those translation table entries", and an access
 * may then either detect a TLB conflict abort or behave CONSTRAINED
 * UNPREDICTABLY as translation with one of the matching entries (or an
 * amalgamation, not modelled), never beyond what the Exception level
 * could reach. herd7 warns and goes on; `vmsa check` stops unless told
 * to continue.
 *
 * The fixture maps X = VA 0x1000 -> page[0] (0xa0); CPU0 moves it to
 * page[1] (0xa1) without a break while CPU1 may hold the old entry.
 */
#include <string.h>

#include "chooser.h"
#include "faults.h"
#include "fixture.h"

#define X 0x1000ull
#define TLB_CHOICE "stage-1 TLB entry"
#define CONFLICT_CHOICE "TLB conflict abort"

/* ESR_EL1 of a TLB conflict abort on a read at EL1 (EC 0x25, IL, DFSC
 * 0b110000, no level: RZQNWZ). */
#define ESR_CONFLICT_READ \
	(((uint64_t)VMSA_EC_DABT_CUR << 26) | VMSA_ESR_IL | 0x30u)

/* CPU1 uses X, then CPU0 remaps it without a break, in continue mode. */
static uint64_t remap(struct fx *f)
{
	uint64_t step;

	vmsa_set_bbm_continue(f->m, true);
	CHECK_EQ(fx_read(f, 1, X), 0xa0);
	vmsa_desc_write_pa(f->m, 0, fx_pte(f, X), fx_page_desc(f->page[1]));
	step = vmsa_steps(f->m);
	vmsa_dsb(f->m, 0, VMSA_BAR_ISH);
	return step;
}

/* The violation is a warning: recorded with its rule, step, CPU and the
 * entry CPU1 holds; the execution goes on and the store was made. */
TEST(model_bbm_continue_warning_rwhzws)
{
	const vmsa_violation_t *w;
	struct fx f;
	uint64_t step;

	fx_setup(&f, 2, 0);
	CHECK(vmsa_bbm_warning(f.m) == NULL);
	step = remap(&f);
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK(!vmsa_stopped(f.m));
	w = vmsa_bbm_warning(f.m);
	CHECK(w != NULL);
	if (w) {
		CHECK_EQ(w->kind, VMSA_V_BBM);
		CHECK_STR(w->rule, "RWHZWS");
		CHECK_EQ(w->cpu, 0);
		CHECK_EQ(w->step, step);
		CHECK_EQ(w->n_entries, 1);
		if (w->n_entries) {
			/* The first CPU that may hold it: CPU0 caches the
			 * context too. */
			CHECK_EQ(w->entries[0].cpu, 0);
			CHECK_EQ(w->entries[0].desc, fx_page_desc(f.page[0]));
		}
		CHECK(strstr(w->message, "break-before-make is required") !=
		      NULL);
	}
	CHECK_EQ(vmsa_desc_read_pa(f.m, 0, fx_pte(&f, X)),
		 fx_page_desc(f.page[1]));
	/* The default chooser: memory as it is now. */
	CHECK_EQ(fx_read(&f, 0, X), 0xa1);
	fx_done(&f);
}

/* Only the first violation of an execution is kept; a reset forgets it
 * (the setting stays). */
TEST(model_bbm_continue_first_only)
{
	struct fx f;
	uint64_t step;

	fx_setup(&f, 2, 0);
	step = remap(&f);
	/* CPU1 uses page[1] too; then a third page, again without a
	 * break. */
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, X), fx_page_desc(f.page[2]));
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK(vmsa_bbm_warning(f.m) != NULL);
	if (vmsa_bbm_warning(f.m))
		CHECK_EQ(vmsa_bbm_warning(f.m)->step, step);
	vmsa_machine_reset(f.m);
	CHECK(vmsa_bbm_warning(f.m) == NULL);
	fx_done(&f);
}

/*
 * CPU1's next read of X: its TLB may hold the old entry (a stage-1 TLB
 * hit: option 1) or walk to the new one (option 0); either way the
 * lookup may match both, so a TLB conflict abort is offered too, at BBM
 * level 0 (D8.17.1). After an abort the handler returns and the read is
 * retried: the script is over, so it walks and does not abort.
 */
static void read_after(unsigned tlb_pick, unsigned conflict_pick,
		       uint64_t want)
{
	const unsigned picks[] = {tlb_pick, conflict_pick};
	unsigned tries = conflict_pick ? 2 : 1;
	struct faults flt = {0};
	struct fx f;
	struct ch ch;

	fx_setup(&f, 2, 0);
	vmsa_set_handler(f.m, 1, 1, record_fault, &flt);
	remap(&f);
	ch_init(&ch, picks, 2);
	ch_attach(&ch, f.m);
	CHECK_EQ(fx_read(&f, 1, X), want);
	CHECK_EQ(ch_count(&ch, TLB_CHOICE), tries);
	CHECK_EQ(ch_count(&ch, CONFLICT_CHOICE), tries);
	CHECK_EQ(ch.calls[0].n, 2);
	CHECK_STR(ch.calls[0].what, TLB_CHOICE);
	CHECK_STR(ch.calls[1].what, CONFLICT_CHOICE);
	CHECK_EQ(flt.n, tries - 1);
	if (conflict_pick)
		CHECK_EQ(flt.esr, ESR_CONFLICT_READ);
	CHECK(vmsa_violation(f.m) == NULL);
	fx_done(&f);
}

TEST(model_bbm_continue_new_entry)
{
	read_after(0, 0, 0xa1);
}

TEST(model_bbm_continue_old_entry)
{
	read_after(1, 0, 0xa0);
}

TEST(model_bbm_continue_conflict_abort_rzqnwz)
{
	read_after(0, 1, 0xa1);
}

/* Off (the default): the violation stops the execution, no warning. */
TEST(model_bbm_continue_off_stops)
{
	struct fx f;

	fx_setup(&f, 2, 0);
	CHECK_EQ(fx_read(&f, 1, X), 0xa0);
	vmsa_desc_write_pa(f.m, 0, fx_pte(&f, X), fx_page_desc(f.page[1]));
	CHECK(vmsa_stopped(f.m));
	CHECK(vmsa_violation(f.m) != NULL);
	CHECK(vmsa_bbm_warning(f.m) == NULL);
	fx_done(&f);
}
