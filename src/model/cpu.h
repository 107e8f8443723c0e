/*
 * src/model/cpu.h - CPU registers, contexts and exceptions (cpu.c).
 */
#ifndef VMSA_MODEL_CPU_H
#define VMSA_MODEL_CPU_H

#include "machine.h"

/* Recompute c's current context from its registers and EL, and mark it
 * "may be cached" when c runs where it applies. False (and a violation)
 * when the registers select a reserved configuration. */
bool cpu_update_context(vmsa_machine_t *m, struct cpu *c);

/* Deliver e to cpu's handler for e->to_el: exception entry (a step and a
 * context synchronisation event), the handler, exception return. Returns
 * true when the handler returned and the faulting instruction is to be
 * retried, false when the execution stopped (no handler: a violation). */
bool take_exception(vmsa_machine_t *m, int cpu,
		    const struct vmsa_exception *e);

/* take_exception() for a trapped MSR, MRS or ERET (EC 0x18, 0x1A),
 * whose preferred return address is the instruction itself: its handler
 * may call vmsa_skip_insn() or vmsa_exc_emulate(). *skipped says whether
 * it did (the instruction is not to be retried) and *value is the value
 * it gave an MRS (0 without vmsa_exc_emulate); both may be NULL. A
 * trapped ERET that the handler emulated returns to e->eret_el. */
bool take_trap(vmsa_machine_t *m, int cpu, const struct vmsa_exception *e,
	       bool *skipped, uint64_t *value);

#endif
