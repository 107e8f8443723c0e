/*
 * src/model/validate.c - argument checks of the public entry points
 * (validate.h): one function per kind of argument, each reporting a
 * "bad-call" violation that names the function and the bad value.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "exc.h"
#include "validate.h"

/* Record the bad call; always returns false, for `return bad(...)`. */
static bool bad(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static bool bad(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (cpu < 0 || (unsigned)cpu >= m->f.ncpus)
		cpu = VMSA_SETUP;
	/* Entries noted for a violation that did not happen are not this
	 * one's. */
	if (!m->stopped)
		m->ventries.n = 0;
	violation(m, cpu, VMSA_V_BAD_CALL, NULL, "scenario error: %s: %s", fn,
		  what);
	return false;
}

static const char *cpus_word(const vmsa_machine_t *m)
{
	return m->f.ncpus == 1 ? "CPU" : "CPUs";
}

bool check_cpu(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu)
{
	if (cpu == VMSA_SETUP)
		return bad(m, fn, cpu, "cpu -1 (VMSA_SETUP) is not a CPU: "
			   "set-up code cannot run CPU operations");
	if (cpu < 0 || (unsigned)cpu >= m->f.ncpus)
		return bad(m, fn, cpu, "cpu %d out of range, the machine has "
			   "%u %s", cpu, m->f.ncpus, cpus_word(m));
	return true;
}

bool check_cpu_or_setup(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu)
{
	return cpu == VMSA_SETUP || check_cpu(m, fn, cpu);
}

bool check_el(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
	      unsigned el)
{
	if (el > 2)
		return bad(m, fn, cpu, "EL%u does not exist, the model has "
			   "EL0, EL1 and EL2", el);
	return true;
}

bool check_fp_reg(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		  unsigned reg, bool a32)
{
	if (a32 && reg > 15)
		return bad(m, fn, cpu, "Q%u does not exist, AArch32 has Q0 "
			   "to Q15", reg);
	if (reg > 31)
		return bad(m, fn, cpu, "V%u does not exist, AArch64 has V0 "
			   "to V31", reg);
	return true;
}

bool check_aarch32_el(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu)
{
	if (m->cpu[cpu].el >= 2)
		return bad(m, fn, cpu, "an AArch32 instruction at EL2, which "
			   "uses AArch64 in the model");
	return check_exec_state(m, fn, cpu, true);
}

/* HCR_EL2.RW = 1 makes EL1 AArch64 (D24.2.62; with E2H = TGE = 1 EL1
 * is not used and the host's EL0 runs AArch64 here, exc_runs_aarch32).
 * EL0 may use AArch32 under an AArch64 EL1, and RW = 0 with AArch64 code
 * is not refused: scenarios that never run a 32-bit guest leave RW 0. */
bool check_exec_state(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		      bool aarch32)
{
	const struct cpu *c = &m->cpu[cpu];

	if (aarch32 && c->el == 1 &&
	    exc_runs_aarch32(&c->regs, c->el, true) &&
	    (c->regs.r[VMSA_REG_HCR_EL2] & VMSA_HCR_RW))
		return bad(m, fn, cpu, "an AArch32 instruction at EL1, which "
			   "HCR_EL2.RW = 1 makes AArch64");
	return true;
}

bool check_skip(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu)
{
	const struct cpu *c = &m->cpu[cpu];

	if (c->depth == 0)
		return bad(m, fn, cpu, "no exception handler is running");
	if (c->skip_depth != c->depth)
		return bad(m, fn, cpu, "the running handler's exception "
			   "returns after its instruction already (or is an "
			   "FP trap, which the model retries)");
	return true;
}

bool check_handler_el(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		      unsigned el)
{
	if (el < 1 || el > 2)
		return bad(m, fn, cpu, "EL%u takes no exceptions, handlers are "
			   "for EL1 and EL2", el);
	return true;
}

/* One message for every enum: the value and the valid range. */
static bool check_enum(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		       const char *type, int v, int last)
{
	if (v < 0 || v > last)
		return bad(m, fn, cpu, "%d is not a valid %s (0 .. %d)", v, type,
			   last);
	return true;
}

bool check_barrier(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		   vmsa_barrier_t b)
{
	return check_enum(m, fn, cpu, "vmsa_barrier_t", (int)b,
			  VMSA_BAR_OSHLD);
}

bool check_order(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		 vmsa_order_t ord)
{
	return check_enum(m, fn, cpu, "vmsa_order_t", (int)ord,
			  VMSA_ORD_ACQ_REL);
}

bool check_tlbi_op(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		   vmsa_tlbi_op_t op)
{
	return check_enum(m, fn, cpu, "vmsa_tlbi_type_t", (int)op.type,
			  VMSA_TLBI_N_TYPES - 1) &&
	       check_enum(m, fn, cpu, "vmsa_tlbi_shareability_t", (int)op.sh,
			  VMSA_TLBI_OS);
}

bool check_order_in(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		    vmsa_order_t ord, unsigned ok)
{
	char list[64] = "";

	if (!check_order(m, fn, cpu, ord))
		return false;
	if (ok >> ord & 1)
		return true;
	for (unsigned o = 0; o <= VMSA_ORD_ACQ_REL; o++)
		if (ok >> o & 1)
			snprintf(list + strlen(list), sizeof(list) - strlen(list),
				 "%s%s", list[0] ? ", " : "",
				 o ? vmsa_order_name((vmsa_order_t)o) : "plain");
	return bad(m, fn, cpu, "ordering %s is not one this operation has "
		   "(%s)", vmsa_order_name(ord), list);
}

bool check_rmw_op(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		  vmsa_rmw_op_t op)
{
	return check_enum(m, fn, cpu, "vmsa_rmw_op_t", (int)op,
			  VMSA_RMW_UMIN);
}

bool check_promise_kind(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
			vmsa_promise_kind_t k)
{
	return check_enum(m, fn, cpu, "vmsa_promise_kind_t", (int)k,
			  VMSA_PROMISE_STXR);
}

bool check_dc_op(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		 vmsa_dc_op_t op)
{
	return check_enum(m, fn, cpu, "vmsa_dc_op_t", (int)op, VMSA_DC_CVAU);
}

bool check_ic_op(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		 vmsa_ic_op_t op)
{
	return check_enum(m, fn, cpu, "vmsa_ic_op_t", (int)op,
			  VMSA_IC_IALLUIS);
}

bool check_irq(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
	       vmsa_irq_t irq)
{
	return check_enum(m, fn, cpu, "vmsa_irq_t", (int)irq, VMSA_IRQ_NMI);
}

bool check_irq_target(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		      vmsa_cpu_t target)
{
	if (target < 0 || (unsigned)target >= m->f.ncpus)
		return bad(m, fn, cpu, "target cpu %d out of range, the "
			   "machine has %u %s", target, m->f.ncpus,
			   cpus_word(m));
	return true;
}

bool check_daif_bits(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		     uint64_t bits)
{
	if (bits & ~VMSA_DAIF_ALL)
		return bad(m, fn, cpu, "0x%" PRIx64 " has bits other than "
			   "VMSA_DAIF_D, _A, _I, _F (0x3c0)", bits);
	return true;
}

bool check_at_op(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		 vmsa_at_op_t op)
{
	return check_enum(m, fn, cpu, "vmsa_at_op_t", (int)op,
			  VMSA_AT_S1E2W);
}

bool check_sysreg(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		  enum vmsa_sysreg reg)
{
	return check_enum(m, fn, cpu, "enum vmsa_sysreg", (int)reg,
			  VMSA_REG_END - 1);
}

static bool size_ok(unsigned size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

bool check_pa_report(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		     vmsa_pa_t pa, unsigned size)
{
	if (!size_ok(size))
		return bad(m, fn, cpu, "size %u is not 1, 2, 4 or 8", size);
	if (pa % size)
		return bad(m, fn, cpu, "PA 0x%" PRIx64 " is not aligned to "
			   "its size %u", pa, size);
	if (!mem_contains(&m->mem, pa, size))
		return bad(m, fn, cpu, "PA 0x%" PRIx64 " (size %u) is outside "
			   "memory [0x%" PRIx64 ", 0x%" PRIx64 ")", pa, size,
			   m->mem.base, m->mem.base + m->mem.size);
	/* check_pa() calls this only for an access it rejects. */
	return true;
}

bool check_same_contents(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
			 vmsa_pa_t a, vmsa_pa_t b, unsigned npages)
{
	uint64_t len = (uint64_t)npages * VMSA_PAGE_SIZE;

	/* A CPU's declaration would be a step other CPUs' stores race
	 * with; the contents a litmus test or scenario starts with are
	 * set-up's to state. */
	if (cpu != VMSA_SETUP)
		return bad(m, fn, cpu, "only set-up code (VMSA_SETUP) may "
			   "declare pages with the same contents");
	if (!npages)
		return bad(m, fn, cpu, "npages is 0");
	if ((a | b) % VMSA_PAGE_SIZE)
		return bad(m, fn, cpu, "PA 0x%" PRIx64 " or 0x%" PRIx64
			   " is not page-aligned", a, b);
	if (!mem_contains(&m->mem, a, len) || !mem_contains(&m->mem, b, len))
		return bad(m, fn, cpu, "[0x%" PRIx64 ", +0x%" PRIx64 ") or "
			   "[0x%" PRIx64 ", +0x%" PRIx64 ") is outside memory",
			   a, len, b, len);
	return true;
}

bool check_mte_tagged(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		      vmsa_pa_t pa, unsigned npages, vmsa_pa_t tags)
{
	uint64_t len = (uint64_t)npages * VMSA_PAGE_SIZE;

	/* A CPU's declaration would be a step other CPUs race with: which
	 * memory is Tagged is set-up's to state, as a mapping's Tagged
	 * attribute is set before the code runs. */
	if (cpu != VMSA_SETUP)
		return bad(m, fn, cpu, "only set-up code (VMSA_SETUP) may "
			   "declare Tagged memory");
	if (!npages)
		return bad(m, fn, cpu, "npages is 0");
	if (pa % VMSA_PAGE_SIZE || tags % 8)
		return bad(m, fn, cpu, "PA 0x%" PRIx64 " is not page-aligned "
			   "or tags 0x%" PRIx64 " not 8-byte aligned", pa,
			   tags);
	/* One 8-byte word per 16-byte granule. */
	if (!mem_contains(&m->mem, pa, len) ||
	    !mem_contains(&m->mem, tags, len / 2))
		return bad(m, fn, cpu, "[0x%" PRIx64 ", +0x%" PRIx64 ") or "
			   "its tags at 0x%" PRIx64 " are outside memory", pa,
			   len, tags);
	return true;
}

bool check_tag_store(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		     unsigned tag)
{
	if (!check_cpu(m, fn, cpu))
		return false;
	if (tag > 0xf)
		return bad(m, fn, cpu, "tag %u is not a 4-bit Allocation Tag",
			   tag);
	return true;
}

bool check_desc_ptr(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		    const void *p, vmsa_pa_t *pa)
{
	*pa = mem_pa(&m->mem, p);
	if (*pa == VMSA_BAD_PA)
		return bad(m, fn, cpu, "the pointer is not into the machine's "
			   "memory");
	if (*pa % 8)
		return bad(m, fn, cpu, "the pointer (PA 0x%" PRIx64 ") is not "
			   "8-byte aligned", *pa);
	/* All 8 bytes: mem_pa accepts any byte inside memory. */
	return check_pa(m, fn, cpu, *pa, 8);
}

bool check_va_access(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		     uint64_t va, unsigned size)
{
	if (!size_ok(size))
		return bad(m, fn, cpu, "size %u is not 1, 2, 4 or 8", size);
	if (va % size)
		return bad(m, fn, cpu, "VA 0x%" PRIx64 " is not aligned to its "
			   "size %u (the model makes aligned accesses only)",
			   va, size);
	return true;
}

bool check_alloc(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		 unsigned n, unsigned align_pages)
{
	if (n == 0)
		return bad(m, fn, cpu, "0 pages");
	if (align_pages == 0 || (align_pages & (align_pages - 1)))
		return bad(m, fn, cpu, "alignment of %u pages is not a power "
			   "of two", align_pages);
	return true;
}

bool check_free(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		vmsa_pa_t pa, unsigned n)
{
	if (n == 0)
		return bad(m, fn, cpu, "0 pages");
	if (pa % VMSA_PAGE_SIZE)
		return bad(m, fn, cpu, "PA 0x%" PRIx64 " is not page aligned",
			   pa);
	if (!mem_contains(&m->mem, pa, (uint64_t)n * VMSA_PAGE_SIZE))
		return bad(m, fn, cpu, "%u page(s) at PA 0x%" PRIx64 " are not "
			   "all inside memory [0x%" PRIx64 ", 0x%" PRIx64 ")",
			   n, pa, m->mem.base, m->mem.base + m->mem.size);
	return true;
}

/* The public forms, for tools built on the model (the explorer's waits
 * and lock check their own arguments with them). */
bool vmsa_check_cpu(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu)
{
	return check_cpu(m, fn, cpu);
}

bool vmsa_check_pa(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		   vmsa_pa_t pa, unsigned size)
{
	return check_pa(m, fn, cpu, pa, size);
}
