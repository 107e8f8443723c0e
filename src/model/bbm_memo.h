/*
 * src/model/bbm_memo.h - remembered answers of vmsa_bbm_check().
 *
 * vmsa_bbm_check() is a pure function of its arguments (two entries,
 * stage, granule, FEAT_BBM features, flags) that decodes both
 * descriptors, a few hundred instructions. A store's break-before-make
 * check asks it for every entry a TLB may hold that competes with the
 * new one, and for the other entries of a contiguous range
 * (write.c: check_one), and every execution of a search asks again for
 * the same pairs: contpte/fold-handled spent a third of its instructions
 * there. The memo is a two-way set-associative table keyed by every
 * argument, so an answer from it is the one vmsa_bbm_check() gives; a
 * set keeps the last two pairs that hashed to it (docs/model.md,
 * "Implementation").
 */
#ifndef VMSA_MODEL_BBM_MEMO_H
#define VMSA_MODEL_BBM_MEMO_H

#include "vmsa/arch.h"

struct bbm_memo;

/* vmsa_bbm_check(old, new_, stage, g, f, flags), remembered in *memo
 * (allocated at the first call; without memory for it the answer is
 * computed every time). */
vmsa_bbm_result_t bbm_check_memo(struct bbm_memo **memo,
				 const vmsa_bbm_entry_t *old,
				 const vmsa_bbm_entry_t *new_,
				 vmsa_stage_t stage, vmsa_granule_t g,
				 const vmsa_bbm_features_t *f, unsigned flags);

void bbm_memo_free(struct bbm_memo *memo);

#endif
