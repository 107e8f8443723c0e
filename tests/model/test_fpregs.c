/*
 * tests/model/test_fpregs.c - FP/SIMD registers and a 32-bit guest's own
 * FPEXC accesses (src/model/fpregs.c, fptrap.c): register values across
 * a lazy switch done by trap handlers, the VMRS/VMSR FPEXC checks of
 * G8.2.54 (CPACR.cp10, then CPTR_EL2; never FPEXC.EN), the guest's own
 * lazy FP (FPEXC.EN = 0, UNDEFINED to its EL1, handler sets EN),
 * reset and snapshot restore, bad calls.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "model/exc.h"
#include "vmsa/model.h"

#define ESR_FP 0x1fe00000u     /* EC 0x07, IL, CV, COND = 0b1110 */
#define ESR_UNKNOWN 0x02000000u /* EC 0x00, IL */
#define FPEN_ALL VMSA_CPACR_FPEN(3)
#define EN VMSA_FPEXC_EN

static vmsa_machine_t *machine(void)
{
	vmsa_features_t f = vmsa_features_default();
	const char *why = NULL;
	vmsa_machine_t *m;

	f.ncpus = 1;
	m = vmsa_machine_new(&f, &why);
	if (!m)
		vt_fail(__FILE__, __LINE__, "vmsa_machine_new: %s", why);
	return m;
}

static vmsa_v128_t v128(uint64_t lo, uint64_t hi)
{
	return (vmsa_v128_t){lo, hi};
}

/* ------------------------------------------------------------------ */
/* exc_fpexc_check                                                     */
/* ------------------------------------------------------------------ */

static struct sysregs regs(uint64_t hcr, uint64_t cpacr, uint64_t cptr,
			   uint64_t fpexc)
{
	struct sysregs s;

	sysreg_reset(&s);
	s.r[VMSA_REG_HCR_EL2] = hcr;
	s.r[VMSA_REG_CPACR_EL1] = cpacr;
	s.r[VMSA_REG_CPTR_EL2] = cptr;
	s.r[VMSA_REG_FPEXC32_EL2] = fpexc;
	return s;
}

TEST(fpexc_check_order)
{
	struct sysregs s = regs(0, FPEN_ALL, 0, 0);
	struct vmsa_exception e;

	/* EN = 0 does not disable FPEXC accesses at EL1. */
	CHECK_EQ(exc_fpexc_check(&s, 1, &e), 0);
	/* EL0: UNDEFINED, to the guest's EL1 in AArch32. */
	CHECK_EQ(exc_fpexc_check(&s, 0, &e), 1);
	CHECK_EQ(e.type, VMSA_EXC_UNDEFINED);
	CHECK_EQ(e.to_el, 1);
	CHECK(e.to_aarch32);
	/* CPACR.cp10 = 0b00 (and the reserved 0b10): UNDEFINED before the
	 * CPTR_EL2 trap. */
	s = regs(0, VMSA_CPACR_FPEN(0), VMSA_CPTR_TFP, EN);
	CHECK_EQ(exc_fpexc_check(&s, 1, &e), 1);
	CHECK_EQ(e.type, VMSA_EXC_UNDEFINED);
	CHECK_EQ(e.to_el, 1);
	CHECK_STR(e.cause, "CPACR.cp10");
	s = regs(0, VMSA_CPACR_FPEN(2), 0, EN);
	CHECK_EQ(exc_fpexc_check(&s, 1, &e), 1);
	/* 0b01 enables EL1. */
	s = regs(0, VMSA_CPACR_FPEN(1), 0, 0);
	CHECK_EQ(exc_fpexc_check(&s, 1, &e), 0);
	/* CPTR_EL2.TFP: EC 0x07 to EL2, from AArch32. */
	s = regs(0, FPEN_ALL, VMSA_CPTR_TFP, 0);
	CHECK_EQ(exc_fpexc_check(&s, 1, &e), 1);
	CHECK_EQ(e.type, VMSA_EXC_FP_TRAP);
	CHECK_EQ(e.to_el, 2);
	CHECK_EQ(e.esr, ESR_FP);
	CHECK(e.from_aarch32);
	CHECK_STR(e.cause, "CPTR_EL2.TFP");
	/* E2H = 1: FPEN 0bx0 traps EL1, 0b01 does not. */
	s = regs(VMSA_HCR_E2H, FPEN_ALL, VMSA_CPTR_FPEN(2), 0);
	CHECK_EQ(exc_fpexc_check(&s, 1, &e), 1);
	CHECK_STR(e.cause, "CPTR_EL2.FPEN");
	s = regs(VMSA_HCR_E2H, FPEN_ALL, VMSA_CPTR_FPEN(1), 0);
	CHECK_EQ(exc_fpexc_check(&s, 1, &e), 0);
}

/* ------------------------------------------------------------------ */
/* A lazy switch by trap handlers, checked by values                   */
/* ------------------------------------------------------------------ */

/* A tiny hypervisor on CPU0: the host's and the guest's V0 and, for a
 * 32-bit guest, FPEXC32_EL2. */
struct hyp {
	vmsa_v128_t host_v0, guest_v0;
	uint64_t guest_fpexc;
	bool guest_loaded;
	bool buggy;		/* the exit does not save the guest's V0 */
	unsigned fp_traps, hvcs;
	uint64_t fp_esr, hvc_esr;
	vmsa_v128_t host_seen;	/* V0 the host read back in the HVC exit */
};

/* EL2: the guest's first FP access. Stop trapping first (TFP also traps
 * EL2's own FP accesses), save the host's V0, load the guest's. */
static void hyp_el2(vmsa_machine_t *m, vmsa_cpu_t cpu,
		    const struct vmsa_exception *e, void *arg)
{
	struct hyp *h = arg;

	if (e->type == VMSA_EXC_FP_TRAP) {
		h->fp_traps++;
		h->fp_esr = vmsa_mrs(m, cpu, VMSA_REG_ESR_EL2);
		vmsa_msr(m, cpu, VMSA_REG_CPTR_EL2, 0);
		vmsa_fp_read(m, cpu, false, 0, &h->host_v0);
		vmsa_fp_write(m, cpu, false, 0, h->guest_v0);
		h->guest_loaded = true;
		return;
	}
	/* HVC: an exit to the host, which uses V0 itself. */
	h->hvcs++;
	h->hvc_esr = vmsa_mrs(m, cpu, VMSA_REG_ESR_EL2);
	if (h->guest_loaded) {
		if (!h->buggy)
			vmsa_fp_read(m, cpu, false, 0, &h->guest_v0);
		vmsa_fp_write(m, cpu, false, 0, h->host_v0);
		h->guest_loaded = false;
	}
	vmsa_fp_write(m, cpu, false, 0, v128(0x4057, 0x4057));
	vmsa_fp_read(m, cpu, false, 0, &h->host_seen);
	h->host_v0 = h->host_seen;
	vmsa_msr(m, cpu, VMSA_REG_CPTR_EL2, VMSA_CPTR_TFP);
}

/* The guest writes V0, calls the host (which uses V0), reads V0. */
static void run_lazy(struct hyp *h, vmsa_v128_t *got, uint64_t *steps)
{
	vmsa_machine_t *m = machine();
	uint64_t step;

	vmsa_set_handler(m, 0, 2, hyp_el2, h);
	vmsa_fp_write(m, 0, false, 0, v128(0x40, 0x41));
	vmsa_msr(m, 0, VMSA_REG_CPACR_EL1, FPEN_ALL);
	vmsa_msr(m, 0, VMSA_REG_HCR_EL2, VMSA_HCR_RW);
	vmsa_msr(m, 0, VMSA_REG_CPTR_EL2, VMSA_CPTR_TFP);
	vmsa_eret(m, 0, 1);
	step = vmsa_steps(m);
	CHECK(vmsa_fp_write(m, 0, false, 0, v128(0x6e57, 0x6e58)));
	CHECK(vmsa_hvc(m, 0, false, 1));
	CHECK(vmsa_fp_read(m, 0, false, 0, got));
	*steps = vmsa_steps(m) - step;
	CHECK(vmsa_violation(m) == NULL);
	CHECK_EQ(vmsa_current_el(m, 0), 1);
	vmsa_machine_free(m);
}

TEST(fpregs_lazy_switch_values)
{
	struct hyp h;
	vmsa_v128_t got;
	uint64_t steps;

	memset(&h, 0, sizeof(h));
	run_lazy(&h, &got, &steps);
	CHECK_EQ(got.lo, 0x6e57);
	CHECK_EQ(got.hi, 0x6e58);
	CHECK_EQ(h.fp_traps, 2);
	CHECK_EQ(h.hvcs, 1);
	CHECK_EQ(h.fp_esr, ESR_FP);
	CHECK_EQ(h.hvc_esr, 0x5a000001u);
	CHECK_EQ(h.host_seen.lo, 0x4057);
	/* The host's value the first trap saved was set-up's 0x40/0x41
	 * (written at EL2 before trapping). */
	/* Steps: write attempt, entry, MRS, MSR, read, write, return,
	 * retry (8); HVC, entry, MRS, read, write, write, read, MSR,
	 * return (9); read attempt and its trap again (8): 25. */
	CHECK_EQ(steps, 25);
}

TEST(fpregs_lazy_switch_lost_guest_value)
{
	struct hyp h;
	vmsa_v128_t got;
	uint64_t steps;

	/* The exit that does not save the guest's V0 hands the guest the
	 * value it had before its own write: 0 (the guest's initial V0). */
	memset(&h, 0, sizeof(h));
	h.buggy = true;
	run_lazy(&h, &got, &steps);
	CHECK_EQ(got.lo, 0);
	CHECK_EQ(got.hi, 0);
	CHECK_EQ(steps, 24);
}

/* ------------------------------------------------------------------ */
/* A 32-bit guest's own lazy FP                                        */
/* ------------------------------------------------------------------ */

struct guest {
	unsigned undefs, traps;
	uint32_t fpexc_seen;
};

/* The guest's EL1 (AArch32 Undefined mode) handler: its lazy FP
 * restore enables FP with VMSR FPEXC, then returns to retry. */
static void guest_undef(vmsa_machine_t *m, vmsa_cpu_t cpu,
			const struct vmsa_exception *e, void *arg)
{
	struct guest *g = arg;

	CHECK(e->to_aarch32);
	g->undefs++;
	CHECK(vmsa_fpexc_read(m, cpu, &g->fpexc_seen));
	CHECK(vmsa_fpexc_write(m, cpu, (uint32_t)EN));
	vmsa_fp_write(m, cpu, true, 0, v128(0xb, 0));
}

/* EL2: CPTR_EL2.TFP trapped the guest's VMSR/VMRS or FP instruction. */
static void el2_untrap(vmsa_machine_t *m, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e, void *arg)
{
	struct guest *g = arg;

	CHECK_EQ(e->esr, ESR_FP);
	CHECK(e->from_aarch32);
	g->traps++;
	vmsa_msr(m, cpu, VMSA_REG_CPTR_EL2, 0);
}

static vmsa_machine_t *aarch32_guest(struct guest *g, uint64_t cptr,
				     uint64_t fpexc)
{
	vmsa_machine_t *m = machine();

	memset(g, 0, sizeof(*g));
	vmsa_set_handler(m, 0, 1, guest_undef, g);
	vmsa_set_handler(m, 0, 2, el2_untrap, g);
	vmsa_msr(m, 0, VMSA_REG_CPACR_EL1, FPEN_ALL);
	vmsa_msr(m, 0, VMSA_REG_FPEXC32_EL2, fpexc);
	vmsa_msr(m, 0, VMSA_REG_CPTR_EL2, cptr);
	vmsa_eret(m, 0, 1);
	return m;
}

/* FPEXC.EN = 0, not trapped by the hypervisor: the FP read is UNDEFINED
 * to the guest, whose handler reads FPEXC (0), sets EN and loads Q0;
 * the read is retried and sees the handler's value. */
TEST(fpregs_aarch32_guest_lazy_fp)
{
	struct guest g;
	vmsa_machine_t *m = aarch32_guest(&g, 0, 0);
	vmsa_v128_t q0;
	uint32_t fpexc;

	CHECK(vmsa_fp_read(m, 0, true, 0, &q0));
	CHECK_EQ(q0.lo, 0xb);
	CHECK_EQ(g.undefs, 1);
	CHECK_EQ(g.fpexc_seen, 0);
	CHECK_EQ(g.traps, 0);
	CHECK(vmsa_fpexc_read(m, 0, &fpexc));
	CHECK_EQ(fpexc, EN);
	/* The guest clears EN again: the next FP access is UNDEFINED. */
	CHECK(vmsa_fpexc_write(m, 0, 0));
	CHECK(vmsa_fp_read(m, 0, true, 0, &q0));
	CHECK_EQ(g.undefs, 2);
	CHECK(vmsa_violation(m) == NULL);
	vmsa_machine_free(m);
}

/* With CPTR_EL2.TFP = 1 the guest's VMSR FPEXC traps to EL2 (EC 0x07),
 * even with EN = 0, and is retried after the hypervisor untraps. */
TEST(fpregs_aarch32_vmsr_trapped_by_tfp)
{
	struct guest g;
	vmsa_machine_t *m = aarch32_guest(&g, VMSA_CPTR_TFP, 0);
	uint64_t step = vmsa_steps(m);

	CHECK(vmsa_fpexc_write(m, 0, 0x40000000u));
	CHECK_EQ(g.traps, 1);
	CHECK_EQ(g.undefs, 0);
	/* Attempt, entry, MSR, return, retry. */
	CHECK_EQ(vmsa_steps(m), step + 5);
	vmsa_machine_free(m);
}

/* VMRS FPEXC at EL0 is UNDEFINED (G8.2.54), to the guest's EL1: with no
 * handler there, an "undefined-instruction" violation. */
TEST(fpregs_aarch32_vmrs_el0_undefined)
{
	struct guest g;
	vmsa_machine_t *m = aarch32_guest(&g, 0, EN);
	uint32_t v = 5;

	vmsa_eret(m, 0, 0);
	vmsa_set_handler(m, 0, 1, NULL, NULL);
	CHECK(!vmsa_fpexc_read(m, 0, &v));
	CHECK_EQ(v, 0);
	CHECK(vmsa_violation(m) != NULL);
	if (vmsa_violation(m))
		CHECK_EQ(vmsa_violation(m)->kind, VMSA_V_UNDEFINED);
	vmsa_machine_free(m);
}

/* ------------------------------------------------------------------ */
/* Reset, restore, bad calls                                           */
/* ------------------------------------------------------------------ */

TEST(fpregs_reset_and_restore)
{
	vmsa_machine_t *m = machine();
	vmsa_snapshot_t *snap = vmsa_snapshot_take(m);
	vmsa_v128_t v;

	CHECK(snap != NULL);
	CHECK(vmsa_fp_write(m, 0, false, 31, v128(1, 2)));
	CHECK(vmsa_fp_read(m, 0, false, 31, &v));
	CHECK_EQ(v.lo, 1);
	CHECK_EQ(v.hi, 2);
	CHECK_EQ(vmsa_snapshot_restore(m, snap), 0);
	CHECK(vmsa_fp_read(m, 0, false, 31, &v));
	CHECK_EQ(v.lo, 0);
	CHECK_EQ(v.hi, 0);
	CHECK(vmsa_fp_write(m, 0, false, 3, v128(7, 7)));
	vmsa_machine_reset(m);
	CHECK(vmsa_fp_read(m, 0, false, 3, &v));
	CHECK_EQ(v.lo, 0);
	vmsa_snapshot_free(snap);
	vmsa_machine_free(m);
}

static void check_bad(vmsa_machine_t *m, const char *msg)
{
	const vmsa_violation_t *v = vmsa_violation(m);

	CHECK(v != NULL);
	if (!v)
		return;
	CHECK_EQ(v->kind, VMSA_V_BAD_CALL);
	CHECK_STR(v->message, msg);
}

TEST(fpregs_bad_calls)
{
	vmsa_machine_t *m = machine();
	vmsa_v128_t v = v128(5, 5);
	uint32_t x = 5;

	/* AArch32 has Q0..Q15 at EL0/EL1; EL2 is AArch64 (V0..V31). */
	CHECK(vmsa_fp_read(m, 0, true, 16, &v));
	CHECK(!vmsa_fp_read(m, 0, false, 32, &v));
	CHECK_EQ(v.lo, 0);
	check_bad(m, "scenario error: vmsa_fp_read: V32 does not exist, "
		  "AArch64 has V0 to V31");
	vmsa_machine_reset(m);
	vmsa_msr(m, 0, VMSA_REG_CPACR_EL1, FPEN_ALL);
	vmsa_msr(m, 0, VMSA_REG_FPEXC32_EL2, EN);
	vmsa_eret(m, 0, 1);
	CHECK(!vmsa_fp_write(m, 0, true, 16, v));
	check_bad(m, "scenario error: vmsa_fp_write: Q16 does not exist, "
		  "AArch32 has Q0 to Q15");
	vmsa_machine_reset(m);
	CHECK(!vmsa_fpexc_read(m, 0, &x));
	CHECK_EQ(x, 0);
	check_bad(m, "scenario error: vmsa_fpexc_read: an AArch32 "
		  "instruction at EL2, which uses AArch64 in the model");
	vmsa_machine_reset(m);
	CHECK(!vmsa_fp_read(m, 1, false, 0, &v));
	CHECK(vmsa_violation(m) && vmsa_violation(m)->kind == VMSA_V_BAD_CALL);
	vmsa_machine_free(m);
}

/* An AArch32 instruction at an EL1 that HCR_EL2.RW = 1 makes AArch64
 * (D24.2.62) is a bad call for every operation that takes `aarch32`; at
 * EL0 under that EL1 AArch32 is allowed. */
TEST(fpregs_aarch32_at_aarch64_el1_is_a_bad_call)
{
	static const char *const fns[] = {
		"vmsa_fp_access", "vmsa_fp_read", "vmsa_svc", "vmsa_fpexc_read",
	};

	for (unsigned i = 0; i < 4; i++) {
		vmsa_machine_t *m = machine();
		vmsa_v128_t v;
		uint32_t x;
		char want[160];
		uint64_t steps;

		vmsa_msr(m, 0, VMSA_REG_HCR_EL2, VMSA_HCR_RW);
		vmsa_eret(m, 0, 1);
		steps = vmsa_steps(m);
		switch (i) {
		case 0: CHECK(!vmsa_fp_access(m, 0, true)); break;
		case 1: CHECK(!vmsa_fp_read(m, 0, true, 0, &v)); break;
		case 2: CHECK(!vmsa_svc(m, 0, true, 0)); break;
		default: CHECK(!vmsa_fpexc_read(m, 0, &x)); break;
		}
		CHECK_EQ(vmsa_steps(m), steps);
		snprintf(want, sizeof(want), "scenario error: %s: an AArch32 "
			 "instruction at EL1, which HCR_EL2.RW = 1 makes "
			 "AArch64", fns[i]);
		check_bad(m, want);
		vmsa_machine_free(m);
	}
}
