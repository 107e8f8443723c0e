/*
 * vmsa_phys_add_ord and vmsa_phys_cas_ord: physical atomics with acquire
 * and release (LDADDA, STADDL, CASA, CASL). Under the feature relaxed a
 * lock made of plain atomics orders nothing inside it after it (B2.3.7):
 * message passing through a release add and an acquire add or CAS is
 * MP+rel+acq (Forbidden), through plain ones MP (Allowed). Without
 * relaxed the ordering changes nothing. Another ordering is a bad-call.
 */
#include <string.h>

#include "fixture.h"
#include "outcomes.h"

struct po {
	vmsa_pa_t data, flag;
};

/* The orderings of the writer's add and the reader's atomic, and whether
 * the reader uses a CAS (of 1 with 2) instead of an add of 0. */
static vmsa_order_t po_wr, po_rd;
static bool po_cas;
static uint64_t po_r1, po_r2;
static char po_outs[8][16];
static unsigned po_n;

static void po_setup(vmsa_run_t *r)
{
	struct po *d = vmsa_run_data(r);
	vmsa_machine_t *m = vmsa_run_machine(r);

	d->data = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	d->flag = d->data + 64;
}

/* CPU0: data = 1, then the flag + 1 (STADD, with po_wr). */
static void po_writer(vmsa_run_t *r, vmsa_cpu_t c)
{
	struct po *d = vmsa_run_data(r);
	vmsa_machine_t *m = vmsa_run_machine(r);

	vmsa_phys_write(m, c, d->data, 8, 1, true);
	vmsa_phys_add_ord(m, c, d->flag, 8, 1, 0, true, po_wr);
}

/* CPU1: reads the flag with an atomic (po_rd), then data. */
static void po_reader(vmsa_run_t *r, vmsa_cpu_t c)
{
	struct po *d = vmsa_run_data(r);
	vmsa_machine_t *m = vmsa_run_machine(r);

	po_r1 = po_cas ? vmsa_phys_cas_ord(m, c, d->flag, 8, 1, 2, true,
					   po_rd) :
			 vmsa_phys_add_ord(m, c, d->flag, 8, 0, ~0ull, true,
					   po_rd);
	po_r2 = vmsa_phys_read(m, c, d->data, 8, true);
}

static void po_record(vmsa_run_t *r)
{
	char s[16];

	(void)r;
	snprintf(s, sizeof(s), "%u,%u", (unsigned)po_r1, (unsigned)po_r2);
	outcomes_add(po_outs[0], &po_n, 8, sizeof(po_outs[0]), s);
}

/* The outcomes "flag,data" of MP with these orderings, in config,
 * plain and reduced (the same both ways). */
static const char *po_outcomes(vmsa_order_t wr, vmsa_order_t rd, bool cas,
			       const char *config)
{
	static const vmsa_scenario_t s = {
		.name = "t/phys-ord",
		.setup = po_setup,
		.cpu = {po_writer, po_reader},
		.check = po_record,
	};
	static char all[2][8 * 16];

	po_wr = wr;
	po_rd = rd;
	po_cas = cas;
	for (int reduce = 0; reduce <= 1; reduce++) {
		po_n = 0;
		outcomes_explore(&s, config, reduce);
		outcomes_join(po_outs[0], po_n, sizeof(po_outs[0]),
			      all[reduce], sizeof(all[reduce]));
	}
	CHECK_STR(all[0], all[1]);
	return all[1];
}

TEST(phys_ord_release_acquire)
{
	CHECK_STR(po_outcomes(VMSA_ORD_REL, VMSA_ORD_ACQ, false, "relaxed"),
		  "0,0 0,1 1,1");
	CHECK_STR(po_outcomes(VMSA_ORD_REL, VMSA_ORD_ACQ, true, "relaxed"),
		  "0,0 0,1 1,1");
	CHECK_STR(po_outcomes(VMSA_ORD_ACQ_REL, VMSA_ORD_ACQ_REL, true,
			      "relaxed"),
		  "0,0 0,1 1,1");
}

/* Plain atomics, or a release without an acquire (or the reverse),
 * order nothing: the data may read 0 after the flag read 1. */
TEST(phys_ord_plain_unordered)
{
	CHECK_STR(po_outcomes(VMSA_ORD_PLAIN, VMSA_ORD_PLAIN, false,
			      "relaxed"),
		  "0,0 0,1 1,0 1,1");
	CHECK_STR(po_outcomes(VMSA_ORD_REL, VMSA_ORD_PLAIN, true, "relaxed"),
		  "0,0 0,1 1,0 1,1");
	CHECK_STR(po_outcomes(VMSA_ORD_PLAIN, VMSA_ORD_ACQ, false,
			      "relaxed"),
		  "0,0 0,1 1,0 1,1");
}

/* The values: an acquire STADD (mask 0, which returns nothing and so
 * reads with no acquire, C6.2) and a release CAS, one machine. */
TEST(phys_ord_values)
{
	vmsa_features_t ft = vmsa_features_default();
	vmsa_machine_t *m;
	vmsa_pa_t pa;

	ft.relaxed = true;
	m = fx_machine_with(&ft);
	pa = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	CHECK_EQ(vmsa_phys_add_ord(m, 0, pa, 8, 3, 0, true, VMSA_ORD_ACQ), 0);
	CHECK_EQ(vmsa_phys_read(m, 0, pa, 8, true), 3);
	CHECK_EQ(vmsa_phys_cas_ord(m, 0, pa, 8, 3, 5, true, VMSA_ORD_REL), 3);
	CHECK_EQ(vmsa_phys_read(m, 0, pa, 8, true), 5);
	CHECK(vmsa_violation(m) == NULL);
	vmsa_machine_free(m);
}

/* Sequentially consistent memory: the ordering changes nothing. */
TEST(phys_ord_sc)
{
	CHECK_STR(po_outcomes(VMSA_ORD_PLAIN, VMSA_ORD_PLAIN, false,
			      "default"),
		  "0,0 0,1 1,1");
}

/* Acquire-PC is no ordering of these instructions: a bad-call, and the
 * atomic does nothing. */
TEST(phys_ord_bad_call)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);
	vmsa_pa_t pa = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);

	CHECK_EQ(vmsa_phys_add_ord(m, 0, pa, 8, 1, ~0ull, true,
				   VMSA_ORD_ACQ_PC), 0);
	CHECK(vmsa_violation(m) != NULL);
	if (vmsa_violation(m)) {
		CHECK_EQ(vmsa_violation(m)->kind, VMSA_V_BAD_CALL);
		CHECK(strstr(vmsa_violation(m)->message,
			     "vmsa_phys_add_ord") != NULL);
	}
	CHECK_EQ(*(const uint64_t *)vmsa_pa_cptr(m, pa), 0);
	vmsa_machine_free(m);
	m = fx_machine(1, 0, true);
	pa = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	CHECK_EQ(vmsa_phys_cas_ord(m, 0, pa, 8, 0, 1, true,
				   (vmsa_order_t)9), 0);
	CHECK(vmsa_violation(m) != NULL);
	if (vmsa_violation(m))
		CHECK_EQ(vmsa_violation(m)->kind, VMSA_V_BAD_CALL);
	vmsa_machine_free(m);
}
