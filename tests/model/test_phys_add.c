/*
 * vmsa_phys_add: a physical atomic add of 1, 2, 4 or 8 bytes, one step,
 * returning only the bits of the old value its mask selects; and its
 * footprint (src/model/footprint.h, fp_add): two adds of one word
 * commute for the explorer's reduction exactly when neither can change
 * the bits the other returns (docs/explorer.md, "Commuting adds").
 */
#include "fp_fixture.h"
#include "model/footprint.h"

TEST(phys_add_values)
{
	vmsa_machine_t *m = fx_machine(2, 0, true);
	vmsa_pa_t pa = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);

	vmsa_phys_write(m, VMSA_SETUP, pa, 8, 0x10, true);
	/* LDADD observing the low bit: old 0x10, bit 0 clear. */
	CHECK_EQ(vmsa_phys_add(m, 0, pa, 8, 2, 1, true), 0);
	CHECK_EQ(vmsa_phys_read(m, 0, pa, 8, true), 0x12);
	/* The whole old value with mask ~0. */
	CHECK_EQ(vmsa_phys_add(m, 1, pa, 8, 1, ~0ull, true), 0x12);
	CHECK_EQ(vmsa_phys_read(m, 1, pa, 8, true), 0x13);
	/* A subtract (delta -2) observing nothing: STADD. */
	CHECK_EQ(vmsa_phys_add(m, 0, pa, 8, -2ull, 0, true), 0);
	CHECK_EQ(vmsa_phys_read(m, 0, pa, 8, true), 0x11);
	/* Wraps modulo 2^64. */
	CHECK_EQ(vmsa_phys_add(m, 0, pa, 8, -0x12ull, 0xff, true), 0x11);
	CHECK_EQ(vmsa_phys_read(m, 0, pa, 8, true), ~0ull);
	CHECK_EQ(vmsa_steps(m), 8);
	/* A 2-byte add on bytes 2-3 carries into no other byte: 0xffff + 1
	 * wraps to 0 within them; the mask is cut to the size. */
	CHECK_EQ(vmsa_phys_add(m, 0, pa + 2, 2, 1, ~0ull, true), 0xffff);
	CHECK_EQ(vmsa_phys_read(m, 0, pa, 8, true), 0xffffffff0000ffffull);
	/* At the Point of Coherency, in a line only non-cacheable accesses
	 * use. */
	vmsa_phys_write(m, 0, pa + 64, 8, 7, false);
	CHECK_EQ(vmsa_phys_add(m, 1, pa + 64, 4, 0xfffffff9u, 0xf, false),
		 7);
	CHECK_EQ(vmsa_phys_read(m, 1, pa + 64, 8, false), 0);
	CHECK(vmsa_violation(m) == NULL);
	vmsa_machine_free(m);
}

/* A bad address is a bad-call, and the add does nothing. */
TEST(phys_add_bad_call)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);

	CHECK_EQ(vmsa_phys_add(m, 0, 0x50000000, 8, 1, ~0ull, true), 0);
	CHECK(vmsa_violation(m) != NULL);
	if (vmsa_violation(m))
		CHECK_EQ(vmsa_violation(m)->kind, VMSA_V_BAD_CALL);
	vmsa_machine_free(m);
}

/* The footprint of CPU cpu's add of delta observing mask at pa. */
static void add_fp(vmsa_machine_t *m, struct footprint *fp, int cpu,
		   vmsa_pa_t pa, uint64_t delta, uint64_t mask, bool cacheable)
{
	fp_attach(m, fp);
	fp_begin(m);
	vmsa_phys_add(m, cpu, pa, 8, delta, mask, cacheable);
	fp_end(m);
	fp_attach(m, NULL);
}

TEST(phys_add_footprint)
{
	vmsa_machine_t *m = fx_machine(2, 0, true);
	vmsa_pa_t pa = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	struct footprint lock0 = {0}, lock1 = {0}, unlock1 = {0},
			 wunlock = {0}, own = {0}, carry = {0}, rd = {0},
			 other = {0}, nc = {0};
	uint64_t line = pa >> 6;

	/* A reader's lock (+2, bit 0 observed) on either CPU, a reader's
	 * unlock (-2, nothing observed): split 1, word 0 of the line. */
	add_fp(m, &lock0, 0, pa, 2, 1, true);
	add_fp(m, &lock1, 1, pa, 2, 1, true);
	add_fp(m, &unlock1, 1, pa, -2ull, 0, true);
	CHECK(fp_has_item(&lock0, FP_ITEM(line, fp_sub_add(1, 0), true)));
	CHECK(!fp_has_item(&lock0, FP_ITEM(line, 0, true)));
	CHECK(!fp_has_item(&lock0, FP_ITEM(line, 0, false)));
	CHECK(fp_has_item(&unlock1, FP_ITEM(line, fp_sub_add(1, 0), true)));
	CHECK(!fp_dependent(&lock0, &lock1));
	CHECK(!fp_dependent(&lock0, &unlock1));
	/* A writer's unlock (-1): split 0, dependent with the reader's lock
	 * (it changes the bit the lock observes). */
	add_fp(m, &wunlock, 1, pa, -1ull, 0, true);
	CHECK(fp_has_item(&wunlock, FP_ITEM(line, fp_sub_add(0, 0), true)));
	CHECK(fp_dependent(&lock0, &wunlock));
	/* +1 observing bit 0 observes what it changes: no split, the line
	 * read and written, dependent with every add. */
	add_fp(m, &own, 1, pa, 1, 1, true);
	CHECK(fp_has_item(&own, FP_ITEM(line, 0, true)));
	CHECK(fp_dependent(&own, &lock0));
	/* +3 observing bit 2: disjoint bits, but a carry can reach bit 2
	 * (1 + 3 = 4), so no split either. */
	add_fp(m, &carry, 1, pa, 3, 4, true);
	CHECK(fp_has_item(&carry, FP_ITEM(line, 0, true)));
	CHECK(fp_dependent(&carry, &lock0));
	/* A plain read of the word is dependent with an add; an add of
	 * another word of the line is not. */
	fp_attach(m, &rd);
	fp_begin(m);
	vmsa_phys_read(m, 1, pa, 8, true);
	fp_end(m);
	fp_attach(m, NULL);
	CHECK(fp_dependent(&rd, &lock0));
	add_fp(m, &other, 1, pa + 8, 2, 1, true);
	CHECK(fp_has_item(&other, FP_ITEM(line, fp_sub_add(1, 1), true)));
	CHECK(!fp_dependent(&other, &lock0));
	CHECK(!fp_dependent(&other, &wunlock));
	/* A non-cacheable add is any read-modify-write. */
	add_fp(m, &nc, 1, pa + 64, 2, 1, false);
	CHECK(fp_has_item(&nc, FP_ITEM(line + 1, 0, true)));
	CHECK(vmsa_violation(m) == NULL);
	fp_free(&lock0);
	fp_free(&lock1);
	fp_free(&unlock1);
	fp_free(&wunlock);
	fp_free(&own);
	fp_free(&carry);
	fp_free(&rd);
	fp_free(&other);
	fp_free(&nc);
	vmsa_machine_free(m);
}

/* Under the feature relaxed an add is an atomic: it reads the newest
 * message, whatever the CPU's views, and its write is the next one. */
TEST(phys_add_relaxed_reads_newest)
{
	vmsa_features_t ft = vmsa_features_default();
	const char *why = NULL;
	vmsa_machine_t *m;
	vmsa_pa_t pa;

	ft.ncpus = 2;
	ft.relaxed = true;
	m = vmsa_machine_new(&ft, &why);
	CHECK(m != NULL);
	if (!m)
		return;
	pa = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);
	vmsa_phys_write(m, 0, pa, 8, 5, true);
	vmsa_phys_write(m, 0, pa, 8, 6, true);
	/* CPU1 has seen neither write; its add still reads 6. */
	CHECK_EQ(vmsa_phys_add(m, 1, pa, 8, 2, ~0ull, true), 6);
	CHECK_EQ(vmsa_phys_add(m, 0, pa, 8, -2ull, ~0ull, true), 8);
	CHECK_EQ(vmsa_phys_add(m, 1, pa, 8, 0, ~0ull, true), 6);
	CHECK(vmsa_violation(m) == NULL);
	vmsa_machine_free(m);
}
