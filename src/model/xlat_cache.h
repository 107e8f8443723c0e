/*
 * src/model/xlat_cache.h - translations that involved no choice,
 * remembered per CPU (xlat_cache.c).
 */
#ifndef VMSA_MODEL_XLAT_CACHE_H
#define VMSA_MODEL_XLAT_CACHE_H

#include "translate.h"

/* Remembered translations per CPU. */
#define XLAT_CACHE_WAYS 4u

struct xlat_memo {
	bool valid;
	/* Everything translate() depends on that may change: */
	int ctx;			/* the CPU's context */
	uint64_t ctx_epoch;		/* ... of this execution */
	uint64_t window;		/* spurious_window() */
	uint64_t perm_window;		/* perm_window() */
	uint64_t mem_gen;		/* memory contents and page states */
	uint64_t hist_gen;		/* descriptor histories */
	vmsa_access_t acc;
	struct xlat x;			/* and what it gave */
};

/* The remembered result of translating acc on CPU c now, copied to *x:
 * true on a hit. A hit is exactly what translate() would compute. */
bool xlat_cache_get(vmsa_machine_t *m, struct cpu *c,
		    const vmsa_access_t *acc, struct xlat *x);

/* Remember x, the result of translating acc on CPU c now, which offered
 * no choice, used no value memory no longer has and read no page host
 * code may write unseen (translate() decides). */
void xlat_cache_put(vmsa_machine_t *m, struct cpu *c,
		    const vmsa_access_t *acc, const struct xlat *x);

#endif
