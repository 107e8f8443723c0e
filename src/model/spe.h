/*
 * src/model/spe.h - the Statistical Profiling Extension's profiling unit
 * of each CPU (spe.c).
 */
#ifndef VMSA_MODEL_SPE_H
#define VMSA_MODEL_SPE_H

#include "machine.h"

/* The size of one sample record: PMSIDR_EL1.MaxSize = 6 and
 * PMBIDR_EL1.Align = 6, so records are 64 bytes, 64-byte aligned, and
 * never cross a page (D17.7.7). */
#define SPE_RECORD_SIZE 64u

/* The buffer's owning EL (RKFMHR): EL2 when MDCR_EL2.E2PB = 0b00 (0b01,
 * reserved, is taken as 0b00), EL1 otherwise. */
unsigned spe_owning_el(const struct sysregs *s);

/* Is profiling enabled at the CPU's current EL (D17.4, Table D17-1;
 * StatisticalProfilingEnabled())? */
bool spe_enabled(const struct cpu *c);

/*
 * The CPU's explicit access to va (vmsa_read, vmsa_write, vmsa_cas) has
 * completed: when profiling is enabled at its EL, it is sampled and the
 * profiling unit writes its record in a step of its own (spe.c).
 * Nothing, and no step, otherwise.
 */
void spe_sample(vmsa_machine_t *m, int cpu, uint64_t va, bool write);

#endif
