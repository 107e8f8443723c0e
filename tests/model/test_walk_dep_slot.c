/*
 * tests/model/test_walk_dep_slot.c - the address dependency of a walk is
 * its own CPU's and its own access's (order.h, ord_walk; access.c).
 *
 * Each attempt of an access's translation is a step (translate_retry's
 * step_begin), and the explorer may switch CPUs there (its step hook) or
 * take an interrupt first: other CPUs' whole accesses, or an interrupt
 * handler's on the same CPU, run between the moment the access states
 * its dependency and its walk. Here the step hook plays the explorer:
 * at CPU1's walk step it makes another access, then lets CPU1 walk.
 *
 * The shape (feature relaxed, no ETS2): CPU0 maps x (invalid -> valid)
 * with no DSB, so the invalid value stays visible to walks (RSPVBD),
 * then DMB ISHST and writes the flag; CPU1 takes an ISB (its window of
 * early walks starts after the map: no spurious Translation fault),
 * reads the flag (1) and reads x at an address that depends on it. The
 * walk is ordered after the flag's read (B2.3.7, Address dependency to
 * an Implicit TTD Memory Read Effect), which saw a store the DMB orders
 * after the map: only the valid descriptor is offered. Without the
 * dependency the walk may read the invalid one ("valid now or invalid
 * earlier", 2 options): so a lost dependency shows as that choice.
 */
#include <string.h>

#include "chooser.h"
#include "fixture.h"

#define FLAG 0x1000ull	/* page[0], 0xa0 at first */
#define X 0x2000ull	/* invalid at first; CPU0 maps it to page[1] */
#define DESC_CHOICE "stage-1 descriptor value"

struct inject {
	bool armed;
	vmsa_cpu_t on;		/* the CPU whose next step triggers it */
	vmsa_cpu_t by;		/* the CPU that makes the access */
	const vmsa_access_deps_t *deps; /* its dependency (NULL: none) */
	unsigned runs;
};

/* At the armed CPU's next step: one load of FLAG by another (or the same)
 * CPU, with or without a dependency, before that step goes on. */
static void inject_hook(void *ctx, vmsa_machine_t *m, vmsa_cpu_t cpu)
{
	struct inject *in = ctx;
	uint64_t v;

	if (!in->armed || cpu != in->on)
		return;
	in->armed = false;
	in->runs++;
	vmsa_read_v(m, in->by, FLAG, 8, VMSA_ORD_PLAIN, in->deps, &v, NULL);
}

/* CPU0's map and flag, CPU1's ISB and flag read; *dep gets the read's
 * view. */
static void mp_prefix(struct fx *f, vmsa_access_deps_t *dep)
{
	uint64_t v = 0;

	vmsa_desc_write_pa(f->m, 0, fx_pte(f, X), fx_page_desc(f->page[1]));
	vmsa_dmb(f->m, 0, VMSA_BAR_ISHST);
	CHECK(vmsa_write(f->m, 0, FLAG, 8, 1));
	vmsa_isb(f->m, 1);
	memset(dep, 0, sizeof(*dep));
	CHECK(vmsa_read_v(f->m, 1, FLAG, 8, VMSA_ORD_PLAIN, NULL, &v,
			  &dep->addr));
	CHECK_EQ(v, 1);
	CHECK(dep->addr != 0);
}

static void setup(struct fx *f)
{
	vmsa_features_t ft = vmsa_features_default();

	ft.ncpus = 3;
	ft.relaxed = true;
	f->m = fx_machine_with(&ft);
	if (!f->m)
		return;
	fx_tables(f);
	for (int c = 0; c < 3; c++)
		fx_enter_el1(f, c);
}

/* CPU1's dependent load of X; the injection (if any) runs at its walk's
 * step. Checks that only the valid descriptor was offered and read. */
static void dependent_read(struct fx *f, const vmsa_access_deps_t *dep,
			   struct inject *in, bool dep_kept)
{
	struct ch ch;
	uint64_t v = 0;

	ch_init(&ch, NULL, 0);
	ch_attach(&ch, f->m);
	vmsa_set_step_hook(f->m, inject_hook, in);
	in->armed = in->runs == 0 && in->by >= 0;
	CHECK(vmsa_read_v(f->m, 1, X, 8, VMSA_ORD_PLAIN, dep, &v, NULL));
	vmsa_set_step_hook(f->m, NULL, NULL);
	CHECK_EQ(v, 0xa1);
	if (dep_kept) {
		CHECK_EQ(ch_count(&ch, DESC_CHOICE), 0);
	} else {
		CHECK_EQ(ch_count(&ch, DESC_CHOICE), 1);
		CHECK_EQ(ch.calls[0].n, 2);
	}
	CHECK(vmsa_violation(f->m) == NULL);
}

/* The shape itself: with the dependency only the valid descriptor is
 * offered, without it the invalid one too (the test can fail). */
TEST(walk_dep_slot_baseline)
{
	for (int with_dep = 0; with_dep < 2; with_dep++) {
		struct inject in = {.by = -1};
		vmsa_access_deps_t dep;
		struct fx f;

		setup(&f);
		mp_prefix(&f, &dep);
		dependent_read(&f, with_dep ? &dep : NULL, &in, with_dep);
		CHECK_EQ(in.runs, 0);
		fx_done(&f);
	}
}

/* CPU1's dependent read with a load of CPU by injected once at its
 * walk's step: the walk must keep its own dependency. */
static void injected_read(int by)
{
	struct inject in = {.on = 1, .by = by};
	vmsa_access_deps_t dep;
	struct fx f;

	setup(&f);
	mp_prefix(&f, &dep);
	dependent_read(&f, &dep, &in, true);
	CHECK_EQ(in.runs, 1);
	fx_done(&f);
}

/* Another CPU's load without a dependency, made while CPU1 is at its
 * walk's step (the explorer switched CPUs there): CPU1's walk keeps its
 * own dependency. With one machine-wide slot the other load left it 0
 * and the invalid descriptor was offered. */
TEST(walk_dep_slot_other_cpu)
{
	injected_read(2);
}

/* The same CPU's load nested at that step (as an interrupt handler's
 * would be, taken before the instruction): the outer access gets its own
 * dependency back. */
TEST(walk_dep_slot_nested_same_cpu)
{
	injected_read(1);
}
