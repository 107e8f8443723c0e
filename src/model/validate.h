/*
 * src/model/validate.h - the argument checks of the model's public entry
 * points (include/vmsa/model.h). Private to src/model/; vmsa_check_cpu()
 * and vmsa_check_pa() give the explorer's scenario helpers the same
 * checks.
 *
 * A scenario's mistake - a CPU that does not exist, an enum value out of
 * range, an EL the model does not have, a physical access outside memory
 * or misaligned - is not something the architecture defines: left alone
 * it indexes arrays out of bounds, or is reported as a violation it is
 * not (an access outside memory as a use after free). So every entry
 * point checks its arguments first, with exactly one function per kind
 * of argument below, and a bad one stops the execution with a "bad-call"
 * violation at that step:
 *
 *	scenario error: vmsa_dsb: cpu 7 out of range, the machine has 1 CPU
 *
 * Each check returns true when the argument is valid. On false the
 * violation is recorded (unless the machine had already stopped) and the
 * caller must return without doing anything. `fn` is the public function
 * the scenario called, for the message. A bad-call violation is recorded
 * on the CPU the call named when that CPU exists, else on VMSA_SETUP: the
 * model cannot know which CPU's code made a call that names no CPU.
 */
#ifndef VMSA_MODEL_VALIDATE_H
#define VMSA_MODEL_VALIDATE_H

#include "machine.h"

/* cpu is 0 .. ncpus-1: operations that only CPUs perform. */
bool check_cpu(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu);

/* cpu is 0 .. ncpus-1 or VMSA_SETUP: memory accesses and the page
 * allocator, which set-up code uses too. */
bool check_cpu_or_setup(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu);

/* The target of an exception return: EL0, EL1 or EL2 (the model has no
 * EL3). Returning to the current or a higher EL is UNDEFINED, which is
 * the architecture's business (an "undefined-instruction" violation),
 * not a bad call. */
bool check_el(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
	      unsigned el);

/* An EL that takes exceptions and so has handlers: EL1 or EL2. */
bool check_handler_el(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		      unsigned el);

/* An FP/SIMD register number: 0..31, or 0..15 (Q0..Q15) for an AArch32
 * access (`a32`: the instruction runs in AArch32). */
bool check_fp_reg(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		  unsigned reg, bool a32);

/* An AArch32 instruction (VMRS/VMSR) at the CPU's EL: EL0 or EL1; EL2
 * uses AArch64 in the model. */
bool check_aarch32_el(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu);
/* aarch32 (an operation's argument) against HCR_EL2.RW: an AArch32
 * instruction at an EL1 that RW = 1 makes AArch64 is a bad call. */
bool check_exec_state(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		      bool aarch32);

/* vmsa_skip_insn(): a handler of an exception whose preferred return
 * address is the instruction that raised it is running on cpu. */
bool check_skip(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu);

/* vmsa_same_contents(): called by set-up (VMSA_SETUP), npages >= 1, both
 * ranges page-aligned and inside memory. */
bool check_same_contents(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
			 vmsa_pa_t a, vmsa_pa_t b, unsigned npages);

/* vmsa_mte_tagged(): called by set-up (VMSA_SETUP), npages >= 1, pa
 * page-aligned and tags 8-byte aligned, both inside memory. */
bool check_mte_tagged(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		      vmsa_pa_t pa, unsigned npages, vmsa_pa_t tags);
/* vmsa_tag_store(): a valid CPU and a 4-bit tag. */
bool check_tag_store(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		     unsigned tag);

/* Values of the public enums. */
bool check_order(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		 vmsa_order_t ord);
bool check_barrier(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		   vmsa_barrier_t b);
bool check_tlbi_op(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		   vmsa_tlbi_op_t op);
/* check_order(), and an ordering the operation accepts: `ok` is a
 * mask of 1 << ord (ORD_OK_* below; another vmsa_order_t is a bad call
 * naming what the operation accepts). */
enum {
	ORD_OK_READ = 1u << VMSA_ORD_PLAIN | 1u << VMSA_ORD_ACQ |
		      1u << VMSA_ORD_ACQ_PC,
	ORD_OK_WRITE = 1u << VMSA_ORD_PLAIN | 1u << VMSA_ORD_REL,
	ORD_OK_RMW = 1u << VMSA_ORD_PLAIN | 1u << VMSA_ORD_ACQ |
		     1u << VMSA_ORD_REL | 1u << VMSA_ORD_ACQ_REL,
	ORD_OK_LDX = 1u << VMSA_ORD_PLAIN | 1u << VMSA_ORD_ACQ,
};
bool check_order_in(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		    vmsa_order_t ord, unsigned ok);

bool check_rmw_op(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		  vmsa_rmw_op_t op);
/* A vmsa_promise_kind_t (vmsa_promise's candidates). */
bool check_promise_kind(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
			vmsa_promise_kind_t k);

bool check_dc_op(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		 vmsa_dc_op_t op);
bool check_ic_op(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		 vmsa_ic_op_t op);
bool check_at_op(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		 vmsa_at_op_t op);
bool check_sysreg(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		  enum vmsa_sysreg reg);

/* Interrupts: a vmsa_irq_t, a target CPU that exists, DAIF bits
 * (VMSA_DAIF_* only). */
bool check_irq(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
	       vmsa_irq_t irq);
bool check_irq_target(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		      vmsa_cpu_t target);
bool check_daif_bits(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		     uint64_t bits);

/* check_pa() for an access it does not accept: reports why (false). */
bool check_pa_report(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		     vmsa_pa_t pa, unsigned size);

/* A physical access: size 1, 2, 4 or 8, naturally aligned, inside
 * memory. Inline: every explicit access and descriptor read or write
 * asks, and the report's variadic formatting made the call cost more
 * than the test. */
static inline bool check_pa(vmsa_machine_t *m, const char *fn,
			    vmsa_cpu_t cpu, vmsa_pa_t pa, unsigned size)
{
	if ((size == 1 || size == 2 || size == 4 || size == 8) &&
	    !(pa % size) && mem_contains(&m->mem, pa, size))
		return true;
	return check_pa_report(m, fn, cpu, pa, size);
}

/* A descriptor given by host pointer: p points into the machine's memory
 * and is 8-byte aligned. *pa gets its PA. */
bool check_desc_ptr(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		    const void *p, vmsa_pa_t *pa);

/* An access through translation: size 1, 2, 4 or 8 and a VA naturally
 * aligned to it (the model supports aligned accesses only). */
bool check_va_access(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		     uint64_t va, unsigned size);

/* Page allocator arguments: n >= 1 pages, align_pages a power of two. */
bool check_alloc(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		 unsigned n, unsigned align_pages);

/* A page range to free: n >= 1 pages from a page-aligned pa, inside
 * memory. (Freeing pages that are not allocated is a "double-free", not
 * a bad call.) */
bool check_free(vmsa_machine_t *m, const char *fn, vmsa_cpu_t cpu,
		vmsa_pa_t pa, unsigned n);

#endif
