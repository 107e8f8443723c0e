/*
 * src/model/regime_cache.h - the translation regime a CPU's registers
 * select, remembered (regime_cache.c).
 */
#ifndef VMSA_MODEL_REGIME_CACHE_H
#define VMSA_MODEL_REGIME_CACHE_H

#include "machine.h"

/*
 * sysreg_regime() for CPU c at its current EL, with the same result and
 * the same *why on failure: 0, or a negative errno; on success *regime
 * is the regime and *ctx what ctx_lookup() returns for the configuration
 * (an index, or -ENOMEM). Successful
 * results are remembered machine-wide, keyed by everything
 * sysreg_regime() reads (the EL, the thirteen translation registers, the
 * machine's PA size and FEAT_S2FWB), so a hit is exact; they live across
 * executions, their context index until the contexts are reset.
 */
int regime_cached(vmsa_machine_t *m, const struct cpu *c,
		  vmsa_regime_t *regime, int *ctx, const char **why);

/* Free what regime_cached() allocated (machine free). */
void regime_cache_free(vmsa_machine_t *m);

#endif
