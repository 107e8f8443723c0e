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

#endif
