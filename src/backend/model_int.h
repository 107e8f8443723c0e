/*
 * src/backend/model_int.h - the model backend's state in model memory,
 * shared by model.c (the operations) and model_mutate.c (the mutation
 * wrapper). Private.
 */
#ifndef VMSA_BACKEND_MODEL_INT_H
#define VMSA_BACKEND_MODEL_INT_H

#include "vmsa/backend.h"

/* Operations the mutation wrapper holds back while it waits to see what
 * follows them (model_mutate.c). More than this many in a row are let
 * through in order: no sequence of the library holds that many. */
#define MUT_HELD_MAX 16

enum held_kind { HELD_DSB, HELD_TLBI };

struct held_op {
	uint32_t kind;          /* enum held_kind */
	uint32_t dsb;           /* vmsa_pgt_dsb_t */
	vmsa_pgt_tlbi_t tlbi;
};

/*
 * What one CPU's operations leave for its next ones, in the first state
 * pages. Only that CPU reads or writes it, and it is model memory, so it
 * starts over (zero) with every execution.
 */
struct model_cpu_state {
	uint32_t seen;          /* operations the mutation matched so far */
	uint32_t phase;         /* SWAP_IPAS2_VMALLE1: model_mutate.c */
	uint32_t n_held;
	uint32_t skipping;      /* SKIP_BREAK: dropping a break's TLBIs */
	uint64_t break_pa;      /* SKIP_BREAK: the entry being broken */
	uint64_t break_val;     /* SKIP_BREAK: the invalid value dropped */
	struct held_op held[MUT_HELD_MAX];
};

/* The CPU the calling code runs as (vmsa_run_cpu(), or bk->cpu). */
vmsa_cpu_t model_cpu(const vmsa_pgt_model_t *bk);

/* Its state (cpu >= 0). */
struct model_cpu_state *model_cpu_state(const vmsa_pgt_model_t *bk,
					vmsa_cpu_t cpu);

/* The plain operations (model.c), which the wrapper calls. */
uint64_t model_read(void *ctx, uint64_t *ptep);
void model_write(void *ctx, uint64_t *ptep, uint64_t v, bool release);
uint64_t model_cas(void *ctx, uint64_t *ptep, uint64_t old, uint64_t new_);
void model_dsb(void *ctx, vmsa_pgt_dsb_t kind);
void model_isb(void *ctx);
void model_tlbi(void *ctx, const vmsa_pgt_tlbi_t *t);
void model_cmo(void *ctx, vmsa_pgt_cmo_t op, void *va);
void *model_zalloc_page(void *ctx);
void *model_zalloc_pages(void *ctx, unsigned n);
void model_free_page(void *ctx, void *page);

/* Install the wrapper's operations into bk->ops for bk->mut
 * (model_mutate.c); kind NONE installs the plain ones. */
void model_mutate_install(vmsa_pgt_model_t *bk);
/* The plain operations into bk->ops (model.c). */
void model_ops_install(vmsa_pgt_model_t *bk);

#endif
