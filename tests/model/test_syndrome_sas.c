/*
 * The instruction syndrome of a stage-2 Data Abort taken to EL2 (ESR_EL2
 * ISV = 1, D24.2.46): SAS is the access size (0b00 byte .. 0b11
 * doubleword) and SF the register width, 32-bit for the 1-, 2- and
 * 4-byte accesses (LDRB/LDRH/LDR Wt), 64-bit for 8 bytes.
 */
#include "fixture_s2.h"

struct s2_fault {
	struct fx2 *f;
	unsigned calls;
	uint64_t esr, far, hpfar;
};

/* Record the syndrome registers and map data page 0 back. */
static void map_back(vmsa_machine_t *m, vmsa_cpu_t cpu,
		     const struct vmsa_exception *e, void *arg)
{
	struct s2_fault *r = arg;
	struct fx2_vm *vm = &r->f->vm[0];

	(void)e;
	r->calls++;
	r->esr = vmsa_mrs(m, cpu, VMSA_REG_ESR_EL2);
	r->far = vmsa_mrs(m, cpu, VMSA_REG_FAR_EL2);
	r->hpfar = vmsa_mrs(m, cpu, VMSA_REG_HPFAR_EL2);
	vmsa_desc_write_pa(m, cpu, fx2_s2_pte(vm, fx2_data_ipa(0)),
			   fx2_s2_page_desc(vm->page[0]));
	vmsa_dsb(m, cpu, VMSA_BAR_ISH);
}

/* A guest access of `size` bytes at FX2_VA + offset, whose IPA stage 2
 * does not map: the ESR_EL2 the hypervisor sees. */
static uint64_t s2_abort_esr(unsigned size, bool write)
{
	struct fx2 f;
	struct s2_fault r = {0};
	uint64_t offset = 8, v = 0;

	fx2_setup(&f, 1, 1);
	r.f = &f;
	vmsa_desc_write_pa(f.m, VMSA_SETUP,
			   fx2_s2_pte(&f.vm[0], fx2_data_ipa(0)), 0);
	fx2_enter_guest(&f, 0, 0);
	vmsa_set_handler(f.m, 0, 2, map_back, &r);
	if (write)
		CHECK(vmsa_write(f.m, 0, FX2_VA + offset, size, 0x5a));
	else
		CHECK(vmsa_read(f.m, 0, FX2_VA + offset, size, &v));
	CHECK(vmsa_violation(f.m) == NULL);
	CHECK_EQ(r.calls, 1);
	CHECK_EQ(r.far, FX2_VA + offset);
	CHECK_EQ(r.hpfar, fx2_data_ipa(0) >> 12 << 4);
	fx2_done(&f);
	return r.esr;
}

/* EC 0x24, IL, ISV, SAS, SF, FSC 0x07 (stage 2 Translation, level 3). */
TEST(syndrome_sas_sf_loads)
{
	CHECK_EQ(s2_abort_esr(1, false), 0x93000007);	/* SAS 0b00, SF 0 */
	CHECK_EQ(s2_abort_esr(2, false), 0x93400007);	/* SAS 0b01, SF 0 */
	CHECK_EQ(s2_abort_esr(4, false), 0x93800007);	/* SAS 0b10, SF 0 */
	CHECK_EQ(s2_abort_esr(8, false), 0x93c08007);	/* SAS 0b11, SF 1 */
}

/* The same with WnR for stores. */
TEST(syndrome_sas_sf_stores)
{
	CHECK_EQ(s2_abort_esr(1, true), 0x93000047);
	CHECK_EQ(s2_abort_esr(2, true), 0x93400047);
	CHECK_EQ(s2_abort_esr(4, true), 0x93800047);
	CHECK_EQ(s2_abort_esr(8, true), 0x93c08047);
}
