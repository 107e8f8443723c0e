/*
 * tests/hyp/test_hyp_fp.c - the hypervisor's FP/SIMD switching
 * (src/hyp/fp.c): an AArch64 guest's registers across the host's own
 * use of FP, checked by values both ways; the host's bug of using FP
 * without putting the guest's state back; eager switching; hypercall
 * immediates; set-up errors. The 32-bit guest's FPEXC32_EL2 variants
 * are the bundled fp32 scenarios (their verdicts: test_scenarios,
 * test_counts).
 */
#include "hyp_fixture.h"

#define G0 0x6e570000ull	/* the guest's V0 (low), V1 = G0 + 1 */
#define H0 0x40570000ull	/* the host's V0 (both halves), V1 = H0 + 1 */
#define HC_USE_FP 7u		/* the host's code uses V0 and V1 */
#define HC_LOG 9u		/* the host only records the immediate */

struct fpx {
	vmsa_hyp_vm_t vm;
	vmsa_hyp_fp_t fp;
};

static unsigned fp_flags;	/* vmsa_hyp_fp_setup() flags of the next run */
static bool host_no_put;	/* the host uses FP without putting first */
static uint64_t hcr_set;	/* cfg.hcr_set of the next run */

static void set_host(vmsa_machine_t *m, vmsa_cpu_t cpu)
{
	vmsa_fp_write(m, cpu, false, 0, (vmsa_v128_t){H0, H0});
	vmsa_fp_write(m, cpu, false, 1, (vmsa_v128_t){H0 + 1, H0 + 1});
}

/* HC_USE_FP: take the host's state back, check it, use it. HC_LOG:
 * record the immediate in the scenario's word 0. */
static void hcall(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, unsigned imm, void *arg)
{
	vmsa_hyp_fp_t *fp = arg;
	vmsa_v128_t v0, v1;

	if (imm == HC_LOG) {
		vmsa_phys_write(vm->m, cpu, vmsa_hyp_word(vm, 0), 8, imm, true);
		return;
	}
	if (!host_no_put)
		vmsa_hyp_fp_put(fp, cpu);
	if (!host_no_put) {
		vmsa_fp_read(vm->m, cpu, false, 0, &v0);
		vmsa_fp_read(vm->m, cpu, false, 1, &v1);
		vmsa_assert(vm->run, cpu,
			    v0.lo == H0 && v0.hi == H0 && v1.lo == H0 + 1,
			    "the host's registers are not its own");
	}
	set_host(vm->m, cpu);
}

static void setup(vmsa_run_t *r)
{
	struct fpx *d = vmsa_run_data(r);
	vmsa_hyp_vm_cfg_t c = vmsa_hyp_vm_cfg_default();
	vmsa_hyp_vm_t *vm;

	c.hcr_set = hcr_set;
	vm = vmsa_hyp_vm_setup(r, &c);
	if (vm)
		CHECK_EQ(vmsa_hyp_fp_setup(vm, &d->fp, 2, fp_flags, hcall,
					   &d->fp), 0);
}

/* The guest writes V0, V1; the host uses FP; the guest reads them. */
static void guest(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct fpx *d = vmsa_run_data(r);
	vmsa_v128_t v0, v1;

	set_host(m, cpu);
	vmsa_hyp_vcpu_enter(&d->vm, cpu, 0);
	vmsa_msr(m, cpu, VMSA_REG_CPACR_EL1, VMSA_CPACR_FPEN(3));
	vmsa_fp_write(m, cpu, false, 0, (vmsa_v128_t){G0, 0});
	vmsa_fp_write(m, cpu, false, 1, (vmsa_v128_t){G0 + 1, 0});
	vmsa_hvc(m, cpu, false, HC_USE_FP);
	if (!vmsa_fp_read(m, cpu, false, 0, &v0) ||
	    !vmsa_fp_read(m, cpu, false, 1, &v1))
		return;
	vmsa_assert(r, cpu, v0.lo == G0 && v0.hi == 0 && v1.lo == G0 + 1,
		    "the guest's registers are not its own");
	vmsa_hvc(m, cpu, false, HC_LOG);
	vmsa_hvc(m, cpu, false, HC_USE_FP);
}

/* After the run: the guest's saved registers and where they are. */
static void check(vmsa_run_t *r)
{
	struct fpx *d = vmsa_run_data(r);

	CHECK_EQ(vmsa_hyp_fp_saved_reg(&d->fp, 0, 0).lo, G0);
	CHECK_EQ(vmsa_hyp_fp_saved_reg(&d->fp, 0, 1).lo, G0 + 1);
	CHECK_EQ(vmsa_hyp_fp_saved_reg(&d->fp, 0, 2).lo, 0);
	CHECK_EQ(vmsa_hyp_fp_loaded(&d->fp, 0),
		 (fp_flags & VMSA_HYP_FP_EAGER) != 0);
	CHECK_EQ(*(const uint64_t *)vmsa_pa_cptr(d->vm.m,
						 vmsa_hyp_word(&d->vm, 0)),
		 HC_LOG);
	CHECK(!d->fp.aarch32);
}

static const vmsa_scenario_t fp_lazy = {
	.name = "test/hyp-fp", .setup = setup, .cpu = {guest},
	.check = check,
	.handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
};

TEST(hyp_fp_lazy_aarch64)
{
	fp_flags = 0;
	host_no_put = false;
	hcr_set = 0;
	CHECK_EQ(hx_run(&fp_lazy, "default", 2, 0, "safe", 1, NULL), 0);
}

TEST(hyp_fp_lazy_vhe)
{
	/* E2H = 1 while the guest runs: CPTR_EL2.FPEN = 0b00 traps. */
	fp_flags = 0;
	host_no_put = false;
	hcr_set = VMSA_HCR_E2H;
	CHECK_EQ(hx_run(&fp_lazy, "default", 2, 0, "safe", 1, NULL), 0);
	hcr_set = 0;
}

TEST(hyp_fp_eager_aarch64)
{
	fp_flags = VMSA_HYP_FP_EAGER;
	host_no_put = false;
	hcr_set = 0;
	CHECK_EQ(hx_run(&fp_lazy, "default", 2, 0, "safe", 1, NULL), 0);
	fp_flags = 0;
}

TEST(hyp_fp_host_without_put)
{
	const char *msg = NULL;

	/* The host's code overwrites the guest's loaded registers: the
	 * guest reads the host's values back. */
	fp_flags = 0;
	host_no_put = true;
	hcr_set = 0;
	CHECK_EQ(hx_run(&fp_lazy, "default", 2, 0, "assert", 1, &msg), 0);
	CHECK_STR(msg, "the guest's registers are not its own");
	host_no_put = false;
}

/* Set-up errors: bad arguments, and CPU code calling. */
static int setup_err[4];

static void setup_errors(vmsa_run_t *r)
{
	struct fpx *d = vmsa_run_data(r);
	vmsa_hyp_vm_cfg_t c = vmsa_hyp_vm_cfg_default();
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_setup(r, &c);

	if (!vm)
		return;
	setup_err[0] = vmsa_hyp_fp_setup(vm, &d->fp, 0, 0, NULL, NULL);
	setup_err[1] = vmsa_hyp_fp_setup(vm, &d->fp, VMSA_HYP_FP_MAX_REGS + 1,
					 0, NULL, NULL);
	setup_err[2] = vmsa_hyp_fp_setup(vm, &d->fp, 1, 1u << 5, NULL, NULL);
}

static void cpu_calls_setup(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	struct fpx *d = vmsa_run_data(r);

	(void)cpu;
	setup_err[3] = vmsa_hyp_fp_setup(&d->vm, &d->fp, 1, 0, NULL, NULL);
}

static const vmsa_scenario_t fp_errors = {
	.name = "test/hyp-fp-errors", .setup = setup_errors,
	.cpu = {cpu_calls_setup},
};

TEST(hyp_fp_setup_errors)
{
	CHECK_EQ(hx_run(&fp_errors, "default", 0, 0, "safe", 1, NULL), 0);
	CHECK_EQ(setup_err[0], -EINVAL);
	CHECK_EQ(setup_err[1], -EINVAL);
	CHECK_EQ(setup_err[2], -EINVAL);
	CHECK_EQ(setup_err[3], -EINVAL);
}

/* NULL or a switch never set up: nothing happens, nothing is read. */
TEST(hyp_fp_null)
{
	vmsa_hyp_fp_t none;

	memset(&none, 0, sizeof(none));
	vmsa_hyp_fp_put(NULL, 0);
	vmsa_hyp_fp_put(&none, 0);
	CHECK(!vmsa_hyp_fp_loaded(NULL, 0));
	CHECK(!vmsa_hyp_fp_loaded(&none, 0));
	CHECK_EQ(vmsa_hyp_fp_saved_reg(NULL, 0, 0).lo, 0);
	CHECK_EQ(vmsa_hyp_fp_saved_fpexc(&none, 0), 0);
	CHECK_EQ(vmsa_hyp_fp_setup(NULL, &none, 1, 0, NULL, NULL), -EINVAL);
}
