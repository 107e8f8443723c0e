/*
 * src/model/fpregs.c - FP/SIMD instructions: the registers V0..V31 each
 * CPU has, and a 32-bit guest's own FPEXC accesses (VMRS/VMSR).
 *
 * Every operation here is an instruction that first asks fptrap.c
 * whether it may execute; a trap or UNDEFINED goes to its handler and
 * the instruction is retried when the handler returns (preferred return
 * address: the instruction itself), so a hypervisor's lazy FP switch can
 * be checked by values: the guest writes V0, the host uses V0, and the
 * guest must read its own value back after the switch.
 *
 * References: Arm ARM (DDI 0487) D1.4.5.6 (priorities), D24.2.52
 * FPEXC32_EL2, G8.2.54 FPEXC ("Accessing FPEXC"), A1.4 / the AArch32
 * view of the SIMD&FP registers (Qn = Vn for n < 16, D2n and D2n+1 its
 * halves).
 */
#include <inttypes.h>

#include "cpu.h"
#include "exc.h"
#include "validate.h"

/* What an FP instruction does once it may execute. */
enum fp_op { FP_NONE, FP_READ, FP_WRITE, FPEXC_READ, FPEXC_WRITE };

struct fp_insn {
	enum fp_op op;
	bool aarch32;
	unsigned reg;
	vmsa_v128_t v;		/* value written, or read */
};

/* Does the instruction run in AArch32? As exc_fp_check() decides. */
static bool runs_aarch32(const struct cpu *c, bool aarch32)
{
	return exc_runs_aarch32(&c->regs, c->el, aarch32);
}

static int fp_check(const struct cpu *c, const struct fp_insn *in,
		    struct vmsa_exception *e)
{
	if (in->op == FPEXC_READ || in->op == FPEXC_WRITE)
		return exc_fpexc_check(&c->regs, c->el, e);
	return exc_fp_check(&c->regs, c->el, in->aarch32, e);
}

/* The instruction executes: one step, traced with its values. */
static void fp_do(vmsa_machine_t *m, int cpu, struct fp_insn *in)
{
	struct cpu *c = &m->cpu[cpu];
	char q = runs_aarch32(c, in->aarch32) ? 'Q' : 'V';

	switch (in->op) {
	case FP_NONE:
		trace(m, cpu, "fp", "FP/SIMD access at EL%u", c->el);
		break;
	case FP_READ:
		in->v = c->v[in->reg];
		trace(m, cpu, "fp-read", "%c%u = 0x%016" PRIx64 "%016" PRIx64
		      " at EL%u", q, in->reg, in->v.hi, in->v.lo, c->el);
		break;
	case FP_WRITE:
		c->v[in->reg] = in->v;
		trace(m, cpu, "fp-write", "%c%u, 0x%016" PRIx64 "%016" PRIx64
		      " at EL%u", q, in->reg, in->v.hi, in->v.lo, c->el);
		break;
	case FPEXC_READ:
		in->v.lo = c->regs.r[VMSA_REG_FPEXC32_EL2] & 0xffffffffu;
		trace(m, cpu, "vmrs", "FPEXC = 0x%" PRIx64 " at EL%u", in->v.lo,
		      c->el);
		break;
	case FPEXC_WRITE:
		c->regs.r[VMSA_REG_FPEXC32_EL2] = in->v.lo & 0xffffffffu;
		trace(m, cpu, "vmsr", "FPEXC, 0x%" PRIx64 " at EL%u", in->v.lo,
		      c->el);
		break;
	}
}

static const char *insn_name(enum fp_op op)
{
	return op == FPEXC_READ ? "vmrs" : op == FPEXC_WRITE ? "vmsr" : "fp";
}

/* Run the instruction until it executes (true) or the execution stops
 * (false); each attempt is a step, each exception taken is retried. */
static bool fp_insn(vmsa_machine_t *m, int cpu, struct fp_insn *in)
{
	for (;;) {
		struct vmsa_exception e;
		struct cpu *c;

		if (!step_begin(m, cpu))
			return false;
		c = &m->cpu[cpu];
		if (!fp_check(c, in, &e)) {
			fp_do(m, cpu, in);
			return true;
		}
		trace(m, cpu, insn_name(in->op), "at EL%u traps (%s)", c->el,
		      e.cause ? e.cause : "?");
		if (!take_exception(m, cpu, &e))
			return false;
	}
}

bool vmsa_fp_access(vmsa_machine_t *m, int cpu, bool aarch32)
{
	struct fp_insn in = {.op = FP_NONE, .aarch32 = aarch32};

	if (!check_cpu(m, "vmsa_fp_access", cpu) ||
	    !check_exec_state(m, "vmsa_fp_access", cpu, aarch32))
		return false;
	return fp_insn(m, cpu, &in);
}

/* Is reg valid for an instruction in the CPU's current state? */
static bool fp_reg_ok(vmsa_machine_t *m, const char *fn, int cpu,
		      unsigned reg, bool aarch32)
{
	return check_cpu(m, fn, cpu) &&
	       check_exec_state(m, fn, cpu, aarch32) &&
	       check_fp_reg(m, fn, cpu, reg,
			    runs_aarch32(&m->cpu[cpu], aarch32));
}

bool vmsa_fp_read(vmsa_machine_t *m, vmsa_cpu_t cpu, bool aarch32,
		  unsigned reg, vmsa_v128_t *val)
{
	struct fp_insn in = {.op = FP_READ, .aarch32 = aarch32, .reg = reg};
	bool ok;

	*val = (vmsa_v128_t){0, 0};
	if (!fp_reg_ok(m, "vmsa_fp_read", cpu, reg, aarch32))
		return false;
	ok = fp_insn(m, cpu, &in);
	if (ok)
		*val = in.v;
	return ok;
}

bool vmsa_fp_write(vmsa_machine_t *m, vmsa_cpu_t cpu, bool aarch32,
		   unsigned reg, vmsa_v128_t val)
{
	struct fp_insn in = {.op = FP_WRITE, .aarch32 = aarch32, .reg = reg,
			     .v = val};

	if (!fp_reg_ok(m, "vmsa_fp_write", cpu, reg, aarch32))
		return false;
	return fp_insn(m, cpu, &in);
}

bool vmsa_fpexc_read(vmsa_machine_t *m, vmsa_cpu_t cpu, uint32_t *val)
{
	struct fp_insn in = {.op = FPEXC_READ, .aarch32 = true};
	bool ok;

	*val = 0;
	if (!check_cpu(m, "vmsa_fpexc_read", cpu) ||
	    !check_aarch32_el(m, "vmsa_fpexc_read", cpu))
		return false;
	ok = fp_insn(m, cpu, &in);
	if (ok)
		*val = (uint32_t)in.v.lo;
	return ok;
}

bool vmsa_fpexc_write(vmsa_machine_t *m, vmsa_cpu_t cpu, uint32_t val)
{
	struct fp_insn in = {.op = FPEXC_WRITE, .aarch32 = true,
			     .v = {val, 0}};

	if (!check_cpu(m, "vmsa_fpexc_write", cpu) ||
	    !check_aarch32_el(m, "vmsa_fpexc_write", cpu))
		return false;
	return fp_insn(m, cpu, &in);
}
