/*
 * src/model/hwspec.c - speculative hardware Access flag updates
 * (FEAT_HAFDBS under Arm's ordering of data accesses). Private to libvmsa.
 */
#ifndef VMSA_MODEL_HWSPEC_H
#define VMSA_MODEL_HWSPEC_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"

/*
 * cpu (-1: set-up or host code) has just written v at the descriptor
 * word `word` as memory's newest value; `loaded`: it was the write of an
 * atomic read-modify-write that wrote back the value it read. With the
 * features hafdbs and relaxed, when v is a Block or Page descriptor with
 * AF = 0 in a translation stage with HA: a choice, a speculative AF
 * update right after it in memory's order or none (RLHQRX, ILLCCB).
 */
void spec_af_after_write(vmsa_machine_t *m, int cpu, uint64_t word,
			 uint64_t v, bool loaded);

/* cpu now uses context i: with the same features, the same choice for
 * each leaf with AF = 0 of i's tables in a stage with HA whose word no
 * one has written yet (its initial value), once per word and
 * execution. */
void spec_af_context(vmsa_machine_t *m, int cpu, unsigned i);

/* The update of v at word to nv, just written, in word's history: a
 * value walks may read beside v, which no CPU's DSB publishes (walks are
 * not ordered with an update no access of theirs made: a speculative
 * one, or a promised one, promise.c). */
void spec_hist(vmsa_machine_t *m, uint64_t word, uint64_t v, uint64_t nv);

#endif
