/*
 * vmsa_phys_cas: a physical data compare-and-swap of 1, 2, 4 or 8 bytes,
 * one step, cacheable or at the Point of Coherency, with no descriptor
 * history.
 */
#include "fixture.h"

TEST(phys_cas_swaps_only_on_match)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);
	vmsa_pa_t pa = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);

	vmsa_phys_write(m, VMSA_SETUP, pa, 8, 0x1122334455667788ull, true);
	/* A failed 8-byte CAS returns the value and writes nothing. */
	CHECK_EQ(vmsa_phys_cas(m, 0, pa, 8, 1, 2, true), 0x1122334455667788ull);
	CHECK_EQ(vmsa_phys_read(m, 0, pa, 8, true), 0x1122334455667788ull);
	CHECK_EQ(vmsa_steps(m), 2);
	/* A 2-byte CAS on bytes 2-3 compares and writes only them. */
	CHECK_EQ(vmsa_phys_cas(m, 0, pa + 2, 2, 0x5566, 0xabcd, true), 0x5566);
	CHECK_EQ(vmsa_phys_read(m, 0, pa, 8, true), 0x11223344abcd7788ull);
	/* 1 byte; old is compared on its low byte only. */
	CHECK_EQ(vmsa_phys_cas(m, 0, pa + 7, 1, 0xff11, 0x99, true), 0x11);
	CHECK_EQ(vmsa_phys_read(m, 0, pa, 8, true), 0x99223344abcd7788ull);
	/* 4 bytes at the Point of Coherency, in a line only non-cacheable
	 * accesses use. */
	vmsa_phys_write(m, 0, pa + 64, 8, 0x99223344abcd7788ull, false);
	CHECK_EQ(vmsa_phys_cas(m, 0, pa + 68, 4, 0x99223344, 7, false),
		 0x99223344);
	CHECK_EQ(vmsa_phys_read(m, 0, pa + 64, 8, false),
		 0x00000007abcd7788ull);
	CHECK(vmsa_violation(m) == NULL);
	vmsa_machine_free(m);
}

/* A non-cacheable CAS of a line the cache holds dirty and different is a
 * loss of coherency, as a non-cacheable read is. */
TEST(phys_cas_nc_sees_dirty_line)
{
	vmsa_machine_t *m = fx_machine(1, 0, true);
	vmsa_pa_t pa = vmsa_page_alloc(m, VMSA_SETUP, 1, 1);

	vmsa_phys_write(m, 0, pa, 8, 5, true);
	vmsa_phys_cas(m, 0, pa, 8, 0, 1, false);
	CHECK(vmsa_violation(m) != NULL);
	if (vmsa_violation(m))
		CHECK_EQ(vmsa_violation(m)->kind, VMSA_V_COHERENCY);
	vmsa_machine_free(m);
}
