/*
 * scenarios/seeds/fp32.c - Seed 003, first half: KVM's FP/SIMD state of
 * a 32-bit guest (the 2018 fix "Only force FPEXC32_EL2.EN if trapping
 * FPSIMD"; docs/seeds.md, Seed 003).
 *
 * One vCPU, a 32-bit guest (HCR_EL2.RW = 0) whose kernel switches its
 * tasks' VFP state lazily, as Linux's arm VFP code does: at a task
 * switch it saves the old task's registers and clears FPEXC.EN, so that
 * the new task's first FP instruction is UNDEFINED to the guest's own
 * EL1, whose handler sets EN, loads that task's registers and returns
 * to retry. The hypervisor (src/hyp/fp.c) switches the guest's FP state
 * lazily against the host's: CPTR_EL2.TFP traps FP while the host's
 * state is loaded and, for a 32-bit guest, FPEXC32_EL2.EN must be 1
 * while it traps, since the guest's own UNDEFINED (EN = 0) comes before
 * the trap to EL2 (D1.4.5.6: priority 21 before 24).
 *
 * The guest: boots (CPACR enables cp10/cp11, VMSR FPEXC sets EN: the
 * first access, trapped, loads its state); task A writes Q0 and makes a
 * hypercall whose host code uses FP (the guest's state is put back),
 * then reads Q0 back (the lazy switch by values); the guest switches to
 * task B (saves A's Q0, VMSR FPEXC = 0) and makes a null hypercall
 * (its FP state stays loaded: FP not trapped on re-entry); task B reads
 * Q0, which must be B's own value, through the guest's UNDEFINED and
 * handler; a last hypercall returns to the host, whose V0 must be its
 * own again.
 *
 *  - fp32/force-en: the hypervisor sets FPEXC32_EL2.EN on every entry,
 *    trapping or not (KVM before the fix): after the null hypercall the
 *    guest's EN = 0 is overwritten, task B's read executes and returns
 *    task A's value: "assert".
 *  - fp32/en-only-when-trapping: EN forced only while FP is trapped
 *    (the fix): "safe".
 *  - fp32/eager-switch: the guest's FP state, FPEXC32_EL2 with it,
 *    saved and restored on every switch, FP never trapped, EN never
 *    forced (the cleanup proposed in the thread): "safe".
 */
#include "vmsa/hyp.h"

#define TASK_A 0xaaaa0001ull	/* task A's Q0 (low half) */
#define TASK_B 0xbbbb0002ull	/* task B's Q0, set at its creation */
#define HOST_V0 0x4057ull	/* the host's own V0, both halves */

/* Hypercalls. */
#define HC_NULL 0u		/* returns at once (a vCPU yield, say) */
#define HC_HOST_FP 1u		/* the host's code uses FP */

/* The guest's kernel data, in its memslot page (MMU off: VA = IPA, at
 * the Point of Coherency), in a line set-up did not write through the
 * cache: the current task (0: A, 1: B) and each task's saved Q0. */
#define G_CUR 0x40u
#define G_SAVED 0x48u		/* + 8 * task */

struct fp32 {
	vmsa_hyp_vm_t vm;	/* first: vmsa_hyp_vm_of() */
	vmsa_hyp_fp_t fp;
};

static uint64_t gva(const struct fp32 *d, unsigned off)
{
	return d->vm.cfg.slot_ipa + off;
}

/* The host's side of a hypercall, at EL2. HC_HOST_FP: the host takes
 * its FP state back (the guest's is saved), checks its V0 and uses it. */
static void hcall(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, unsigned imm, void *arg)
{
	vmsa_hyp_fp_t *fp = arg;
	vmsa_v128_t v;

	if (imm != HC_HOST_FP)
		return;
	vmsa_hyp_fp_put(fp, cpu);
	if (!vmsa_fp_read(vm->m, cpu, false, 0, &v))
		return;
	vmsa_assert(vm->run, cpu, v.lo == HOST_V0 && v.hi == HOST_V0,
		    "the host's V0 is not its own after the guest ran");
	vmsa_fp_write(vm->m, cpu, false, 0, (vmsa_v128_t){HOST_V0, HOST_V0});
}

static void setup(vmsa_run_t *r, unsigned flags)
{
	struct fp32 *d = vmsa_run_data(r);
	vmsa_hyp_vm_cfg_t c = vmsa_hyp_vm_cfg_default();
	vmsa_hyp_vm_t *vm;

	c.hcr_clear = VMSA_HCR_RW;	/* EL1 is AArch32 */
	vm = vmsa_hyp_vm_setup(r, &c);
	if (!vm)
		return;
	vmsa_assert(r, VMSA_SETUP,
		    vmsa_hyp_fp_setup(vm, &d->fp, 1, flags, hcall, &d->fp) == 0,
		    "vmsa_hyp_fp_setup failed");
}

static void setup_force_en(vmsa_run_t *r)
{
	setup(r, VMSA_HYP_FP_V_FORCE_EN);
}

static void setup_fixed(vmsa_run_t *r)
{
	setup(r, 0);
}

static void setup_eager(vmsa_run_t *r)
{
	setup(r, VMSA_HYP_FP_EAGER);
}

/* The guest's EL1 (AArch32 Undefined mode): its lazy VFP restore. Turn
 * VFP on, load the current task's Q0, return: the instruction is
 * retried. */
static void guest_undef(vmsa_machine_t *m, vmsa_cpu_t cpu,
			const struct vmsa_exception *e, void *arg)
{
	vmsa_run_t *r = arg;
	const struct fp32 *d = vmsa_run_data(r);
	uint64_t cur, val;

	if (!(e->type == VMSA_EXC_UNDEFINED && e->to_aarch32)) {
		vmsa_assert(r, cpu, false, "guest: unexpected exception");
		return;
	}
	if (!vmsa_fpexc_write(m, cpu, (uint32_t)VMSA_FPEXC_EN) ||
	    !vmsa_read(m, cpu, gva(d, G_CUR), 8, &cur) ||
	    !vmsa_read(m, cpu, gva(d, G_SAVED + 8 * (unsigned)cur), 8, &val))
		return;
	vmsa_fp_write(m, cpu, true, 0, (vmsa_v128_t){val, 0});
}

static void vcpu(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m = vmsa_run_machine(r);
	struct fp32 *d = vmsa_run_data(r);
	vmsa_v128_t v;

	/* The host's own FP state, then the guest. */
	if (!vmsa_fp_write(m, cpu, false, 0, (vmsa_v128_t){HOST_V0, HOST_V0}))
		return;
	vmsa_hyp_vcpu_enter(&d->vm, cpu, 0);
	/* Guest kernel: VFP on, task B's initial state. */
	vmsa_msr(m, cpu, VMSA_REG_CPACR_EL1, VMSA_CPACR_FPEN(3));
	vmsa_write(m, cpu, gva(d, G_SAVED + 8), 8, TASK_B);
	if (!vmsa_fpexc_write(m, cpu, (uint32_t)VMSA_FPEXC_EN))
		return;
	/* Task A uses FP across the host's own use of it. */
	vmsa_fp_write(m, cpu, true, 0, (vmsa_v128_t){TASK_A, 0});
	vmsa_hvc(m, cpu, true, HC_HOST_FP);
	if (!vmsa_fp_read(m, cpu, true, 0, &v))
		return;
	vmsa_assert(r, cpu, v.lo == TASK_A,
		    "task A's Q0 changed across the host's use of FP");
	/* Switch to task B: save A's Q0, VFP off until B uses it. */
	vmsa_write(m, cpu, gva(d, G_SAVED), 8, v.lo);
	vmsa_write(m, cpu, gva(d, G_CUR), 8, 1);
	vmsa_fpexc_write(m, cpu, 0);
	vmsa_hvc(m, cpu, true, HC_NULL);
	/* Task B's first FP instruction must be UNDEFINED to the guest. */
	if (!vmsa_fp_read(m, cpu, true, 0, &v))
		return;
	vmsa_assert(r, cpu, v.lo == TASK_B,
		    "task B read task A's Q0: its FP instruction executed "
		    "although the guest had set FPEXC.EN = 0");
	vmsa_hvc(m, cpu, true, HC_HOST_FP);
}

/* After the run: the guest's saved state is task B's, with VFP on (put
 * back by the last hypercall; eager switching loads it again at the
 * entry that follows). */
static void check(vmsa_run_t *r)
{
	const struct fp32 *d = vmsa_run_data(r);

	vmsa_assert(r, VMSA_SETUP,
		    vmsa_hyp_fp_saved_reg(&d->fp, 0, 0).lo == TASK_B &&
			    vmsa_hyp_fp_saved_fpexc(&d->fp, 0) ==
				    VMSA_FPEXC_EN &&
			    ((d->fp.flags & VMSA_HYP_FP_EAGER) ||
			     !vmsa_hyp_fp_loaded(&d->fp, 0)),
		    "the guest's saved FP state is not task B's with EN = 1");
}

#define FP32_HANDLERS {[0] = {[1] = guest_undef, [2] = vmsa_hyp_exit_handler}}

VMSA_SCENARIO(fp32_force_en,
	.name = "fp32/force-en",
	.doc = "a 32-bit guest's lazy VFP (FPEXC.EN = 0) while the "
	       "hypervisor forces FPEXC32_EL2.EN on every entry (KVM "
	       "before 2018): the guest's FP instruction executes",
	.setup = setup_force_en,
	.cpu = {vcpu},
	.check = check,
	.handler = FP32_HANDLERS,
	.configs = {{.name = "default", .expect = "assert"}});

VMSA_SCENARIO(fp32_en_only_when_trapping,
	.name = "fp32/en-only-when-trapping",
	.doc = "the fix: FPEXC32_EL2.EN forced only while FP is trapped",
	.setup = setup_fixed,
	.cpu = {vcpu},
	.check = check,
	.handler = FP32_HANDLERS,
	.configs = {{.name = "default", .expect = "safe"}});

VMSA_SCENARIO(fp32_eager_switch,
	.name = "fp32/eager-switch",
	.doc = "FPEXC32_EL2 saved and restored with the guest's FP state "
	       "on every switch, FP never trapped",
	.setup = setup_eager,
	.cpu = {vcpu},
	.check = check,
	.handler = FP32_HANDLERS,
	.configs = {{.name = "default", .expect = "safe"}});
