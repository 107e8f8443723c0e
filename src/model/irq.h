/*
 * src/model/irq.h - interrupts between CPUs (irq.c): pending state,
 * masking, and taking one at a step boundary. Private to libvmsa (the
 * explorer wakes idle CPUs with irq_deliverable() and irq_idle()).
 */
#ifndef VMSA_MODEL_IRQ_H
#define VMSA_MODEL_IRQ_H

#include "machine.h"

/* Could CPU cpu take a pending interrupt now (sent, not masked by
 * ICC_PMR_EL1, the running priority, PSTATE.I or the routing)? Not a
 * step, records nothing. */
bool irq_deliverable(const vmsa_machine_t *m, unsigned cpu);

/*
 * At a step boundary of cpu (step_begin(), after the scheduler): when an
 * interrupt is deliverable, take it now or not (a choice; none when the
 * boundary is the first after a context synchronisation event and the
 * interrupt was pending before it: then it is taken, D1.4.6.5). True
 * when one was taken (its handler has run, or the execution stopped):
 * the boundary comes again.
 */
bool irq_boundary(vmsa_machine_t *m, int cpu);

/* cpu waits (vmsa_wait_eq/ne blocked) or has finished its code, and the
 * explorer woke it: take a deliverable interrupt now, as a CPU in WFI or
 * WFE does. False when none was deliverable. */
bool irq_idle(vmsa_machine_t *m, int cpu);

/* The context synchronisation event at the current step of c: the next
 * boundary takes what is deliverable and was pending before it. */
void irq_cse(vmsa_machine_t *m, struct cpu *c);

/* Exception entry of interrupt k on c (acknowledge: no longer pending,
 * its priority running) and its return (priority drop). */
void irq_acknowledge(struct cpu *c, vmsa_irq_t k);
void irq_end(vmsa_machine_t *m, struct cpu *c, vmsa_irq_t k);

/* PMBIRQ follows PMBSR_EL1.S (RTSJRP, IGRLRX: asserted while S = 1):
 * pending when S is 1 and it is not being handled, not pending when S
 * is 0. Called where S may change: a management event (spe.c), a write
 * of PMBSR_EL1 (cpu.c), the end of its handler. */
void irq_pmb_sync(vmsa_machine_t *m, struct cpu *c);

#endif
