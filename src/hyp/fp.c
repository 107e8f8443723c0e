/*
 * src/hyp/fp.c - FP/SIMD for the guests: lazy switching of the
 * registers, a 32-bit guest's FPEXC32_EL2 (with the 2018 bug as a
 * variant), eager switching, and hypercall exits (vmsa/hyp.h,
 * docs/hyp.md).
 *
 * References: Arm ARM (DDI 0487) D24.2.38 CPTR_EL2 (TFP; FPEN with
 * E2H = 1; both trap EL2's own FP accesses, FPEXC32_EL2 included),
 * D24.2.52 FPEXC32_EL2, D1.4.5.6 (an FPEXC.EN = 0 UNDEFINED to EL1,
 * priority 21, comes before the CPTR_EL2 trap to EL2, priority 24),
 * D24.2.46 ESR_EL2 (EC 0x07, 0x12, 0x16).
 *
 * The context page holds, for each CPU (CTX_CPU bytes apart): a state
 * word (LOADED: the guest's FP state is in the registers; FAST: the
 * last exit was the FP trap, whose handler returns straight to the
 * guest), the guest's FPEXC32_EL2, the guest's and the host's saved
 * registers. Only the CPU itself reads its part, so it is accessed
 * through a host pointer without steps (as the core's per-CPU words);
 * the register accesses are the model's FP instructions, steps that
 * CPTR_EL2 may trap.
 */
#include <string.h>

#include "hyp_int.h"

#define CTX_CPU 0x200u
#define CTX_STATE 0x00u
#define CTX_FPEXC 0x08u
#define CTX_GUEST 0x10u
#define CTX_HOST (CTX_GUEST + 16u * VMSA_HYP_FP_MAX_REGS)

#define ST_LOADED 1ull
#define ST_FAST 2ull

static uint64_t *ctx_word(const vmsa_hyp_fp_t *fp, vmsa_cpu_t cpu,
			  unsigned off)
{
	return vmsa_pa_ptr(fp->vm->m,
			   fp->ctx + CTX_CPU * (unsigned)cpu + off);
}

static vmsa_v128_t *ctx_reg(const vmsa_hyp_fp_t *fp, vmsa_cpu_t cpu,
			    bool host, unsigned i)
{
	return (vmsa_v128_t *)ctx_word(fp, cpu, (host ? CTX_HOST : CTX_GUEST) +
						16u * i);
}

/* CPTR_EL2 trapping FP at EL0, EL1 and EL2, or trapping nothing. */
static void set_trap(const vmsa_hyp_fp_t *fp, vmsa_cpu_t cpu, bool trap)
{
	uint64_t v;

	if (fp->vhe)
		v = trap ? VMSA_CPTR_FPEN(0) : VMSA_CPTR_FPEN(3);
	else
		v = trap ? VMSA_CPTR_TFP : 0;
	vmsa_msr(fp->vm->m, cpu, VMSA_REG_CPTR_EL2, v);
}

/* Save one side's registers and load the other's (FP not trapped). */
static void swap_regs(const vmsa_hyp_fp_t *fp, vmsa_cpu_t cpu,
		      bool to_guest)
{
	vmsa_machine_t *m = fp->vm->m;

	for (unsigned i = 0; i < fp->nregs && !vmsa_stopped(m); i++) {
		vmsa_fp_read(m, cpu, false, i, ctx_reg(fp, cpu, to_guest, i));
		vmsa_fp_write(m, cpu, false, i,
			      *ctx_reg(fp, cpu, !to_guest, i));
	}
}

/* Load the guest's FP state (FP must not be trapped: CPTR_EL2 traps
 * EL2's own accesses too). */
static void load_guest(const vmsa_hyp_fp_t *fp, vmsa_cpu_t cpu)
{
	swap_regs(fp, cpu, true);
	if (fp->aarch32)
		vmsa_msr(fp->vm->m, cpu, VMSA_REG_FPEXC32_EL2,
			 *ctx_word(fp, cpu, CTX_FPEXC));
	*ctx_word(fp, cpu, CTX_STATE) |= ST_LOADED;
}

void vmsa_hyp_fp_put(vmsa_hyp_fp_t *fp, vmsa_cpu_t cpu)
{
	vmsa_machine_t *m;

	/* A switch set-up did not make (or NULL) does nothing. */
	if (!fp || !fp->vm)
		return;
	m = fp->vm->m;
	if (!hyp_ok(fp->vm, cpu, hyp_cpu_ok(fp->vm, cpu) &&
				     vmsa_current_el(m, cpu) == 2,
		    "vmsa_hyp_fp_put: not on a CPU at EL2"))
		return;
	if (!(*ctx_word(fp, cpu, CTX_STATE) & ST_LOADED))
		return;
	if (fp->aarch32)
		*ctx_word(fp, cpu, CTX_FPEXC) =
			vmsa_mrs(m, cpu, VMSA_REG_FPEXC32_EL2);
	swap_regs(fp, cpu, false);
	*ctx_word(fp, cpu, CTX_STATE) &= ~ST_LOADED;
}

/* EC 0x07: the guest's first FP access since its state was put. Stop
 * trapping (first: the saves below are FP accesses at EL2), swap, and
 * return straight to the guest, which retries its instruction. */
static void fp_trap_exit(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu,
			 const struct vmsa_exception *e, void *arg)
{
	vmsa_hyp_fp_t *fp = arg;
	uint64_t *st = ctx_word(fp, cpu, CTX_STATE);

	(void)e;
	if (!hyp_ok(vm, cpu, !(*st & ST_LOADED) &&
				     !(fp->flags & VMSA_HYP_FP_EAGER),
		    "unexpected FP trap: the guest's FP state is loaded"))
		return;
	set_trap(fp, cpu, false);
	load_guest(fp, cpu);
	*st |= ST_FAST;
}

/* EC 0x16 / 0x12: a hypercall, for the host's code. With eager
 * switching every such exit is a switch: the guest's state is saved. */
static void hvc_exit(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu,
		     const struct vmsa_exception *e, void *arg)
{
	vmsa_hyp_fp_t *fp = arg;

	if (fp->flags & VMSA_HYP_FP_EAGER)
		vmsa_hyp_fp_put(fp, cpu);
	if (fp->hcall && !vmsa_stopped(vm->m))
		fp->hcall(vm, cpu, VMSA_ESR_IMM16(e->esr), fp->hcall_arg);
}

/* Every entry. After the FP trap nothing (KVM's trap handler returns to
 * the guest directly). Eager: load the guest's state. Lazy: trap while
 * the host's state is loaded, a 32-bit guest with FPEXC32_EL2.EN = 1
 * (written before trapping, which would trap this MSR too) so that its
 * FP accesses reach the trap instead of its own UNDEFINED; with the
 * guest's state loaded leave FPEXC32_EL2 alone - unless the 2018 bug
 * forces EN anyway. */
static void fp_entry(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, void *arg)
{
	vmsa_hyp_fp_t *fp = arg;
	uint64_t *st = ctx_word(fp, cpu, CTX_STATE);

	(void)vm;
	if (*st & ST_FAST) {
		*st &= ~ST_FAST;
		return;
	}
	if (fp->flags & VMSA_HYP_FP_EAGER) {
		if (!(*st & ST_LOADED)) {
			set_trap(fp, cpu, false);
			load_guest(fp, cpu);
		}
		return;
	}
	if (!(*st & ST_LOADED)) {
		if (fp->aarch32)
			vmsa_msr(vm->m, cpu, VMSA_REG_FPEXC32_EL2,
				 VMSA_FPEXC_EN);
		set_trap(fp, cpu, true);
		return;
	}
	if (fp->aarch32 && (fp->flags & VMSA_HYP_FP_V_FORCE_EN))
		vmsa_msr(vm->m, cpu, VMSA_REG_FPEXC32_EL2, VMSA_FPEXC_EN);
}

int vmsa_hyp_fp_setup(vmsa_hyp_vm_t *vm, vmsa_hyp_fp_t *fp, unsigned nregs,
		      unsigned flags, vmsa_hyp_hcall_fn hcall, void *arg)
{
	uint64_t hcr;
	int err;

	if (!vm || !fp || nregs < 1 || nregs > VMSA_HYP_FP_MAX_REGS ||
	    (flags & ~(VMSA_HYP_FP_V_FORCE_EN | VMSA_HYP_FP_EAGER)) ||
	    vmsa_run_cpu(vm->run) != VMSA_SETUP)
		return -EINVAL;
	memset(fp, 0, sizeof(*fp));
	fp->ctx = vmsa_page_alloc(vm->m, VMSA_SETUP, 1, 1);
	if (fp->ctx == VMSA_BAD_PA)
		return -ENOMEM;
	hcr = (VMSA_GUEST_HCR & ~vm->cfg.hcr_clear) | vm->cfg.hcr_set;
	fp->vm = vm;
	fp->nregs = nregs;
	fp->flags = flags;
	fp->aarch32 = !(hcr & VMSA_HCR_RW);
	fp->vhe = hcr & VMSA_HCR_E2H;
	fp->hcall = hcall;
	fp->hcall_arg = arg;
	if ((err = vmsa_hyp_set_exit(vm, VMSA_EC_FP, fp_trap_exit, fp, NULL)) ||
	    (err = vmsa_hyp_set_exit(vm, VMSA_EC_HVC64, hvc_exit, fp, NULL)) ||
	    (err = vmsa_hyp_set_exit(vm, VMSA_EC_HVC32, hvc_exit, fp, NULL)))
		return err;
	return vmsa_hyp_add_entry_hook(vm, fp_entry, fp);
}

static const void *ctx_cptr(const vmsa_hyp_fp_t *fp, vmsa_cpu_t cpu,
			    unsigned off)
{
	return vmsa_pa_cptr(fp->vm->m,
			    fp->ctx + CTX_CPU * (unsigned)cpu + off);
}

/* The peeks: false or 0 for a switch set-up did not make (or NULL) and
 * for a CPU that does not exist. */
static bool peek_ok(const vmsa_hyp_fp_t *fp, vmsa_cpu_t cpu)
{
	return fp && fp->vm && hyp_cpu_ok(fp->vm, cpu);
}

bool vmsa_hyp_fp_loaded(const vmsa_hyp_fp_t *fp, vmsa_cpu_t cpu)
{
	if (!peek_ok(fp, cpu))
		return false;
	return *(const uint64_t *)ctx_cptr(fp, cpu, CTX_STATE) & ST_LOADED;
}

vmsa_v128_t vmsa_hyp_fp_saved_reg(const vmsa_hyp_fp_t *fp, vmsa_cpu_t cpu,
				  unsigned i)
{
	if (!peek_ok(fp, cpu) || i >= fp->nregs)
		return (vmsa_v128_t){0, 0};
	return *(const vmsa_v128_t *)ctx_cptr(fp, cpu, CTX_GUEST + 16u * i);
}

uint64_t vmsa_hyp_fp_saved_fpexc(const vmsa_hyp_fp_t *fp, vmsa_cpu_t cpu)
{
	if (!peek_ok(fp, cpu))
		return 0;
	return *(const uint64_t *)ctx_cptr(fp, cpu, CTX_FPEXC);
}
