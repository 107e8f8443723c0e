/*
 * src/model/barrier.h - barriers and TLB maintenance (barrier.c), and the
 * CPU-level helpers they share with cpu.c.
 */
#ifndef VMSA_MODEL_BARRIER_H
#define VMSA_MODEL_BARRIER_H

#include "machine.h"

/* A context synchronisation event on c (ISB, exception entry or return):
 * entries its own completed TLBIs removed are gone for it too (RBLDZX),
 * and walks can no longer have been done before this point. */
void cse(vmsa_machine_t *m, struct cpu *c);

/* An UNDEFINED instruction (named for the report) at cpu's EL. */
void undefined_instruction(vmsa_machine_t *m, int cpu, const char *what);

#endif
