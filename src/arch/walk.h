/*
 * src/arch/walk.h - the one-stage walker shared by walk.c (the walk of
 * one stage) and walk_regime.c (disabled stages, two-stage walks, the
 * public entry points). Private to src/arch/.
 */
#ifndef VMSA_ARCH_WALK_H
#define VMSA_ARCH_WALK_H

#include "vmsa/arch.h"
#include "geom.h"

/* One stage being walked, and where its results and faults go. */
struct walker {
	const vmsa_stage_cfg_t *cfg;
	unsigned oa_bits;		/* effective output address size */
	unsigned pa_bits;		/* the PE's PA size: stage 1 disabled */
	vmsa_read_fn read;
	void *ctx;
	const vmsa_access_t *acc;	/* what the permissions are checked for */
	const vmsa_access_t *orig;	/* the access that started the walk */
	bool s1ptw;			/* a stage-2 walk for a stage-1 table */
	const struct walker *s2;	/* translates this stage's table
					   addresses (IPAs), or NULL */
	const vmsa_walk_leaf_t *held;	/* stage 1: a leaf a TLB holds, used
					   instead of walking the tables */
	bool update_held;		/* a write's dirty state update is of
					   `held` itself: no new walk */
	vmsa_walk_t *out;
};

/* The stage-2 translation of the table page that holds a stage-1 leaf:
 * a hardware update of that leaf is a write there (RBDJJL). */
struct s2_of_table {
	bool valid;
	uint64_t ipa;		/* the stage-1 leaf's IPA */
	vmsa_walk_leaf_t leaf;	/* the stage-2 leaf that mapped it */
	vmsa_desc_t d;
	vmsa_perms_t perms;
};

/* What one enabled stage produced. */
struct stage_out {
	vmsa_walk_leaf_t leaf;	/* present once the leaf passed the AF check;
				   leaf.desc is the value after any hardware
				   update (what a TLB may cache) */
	vmsa_desc_t d;		/* the leaf, decoded (after the update) */
	vmsa_pa_t oa;		/* output address of the input address */
	vmsa_perms_t perms;
	int tt;			/* stage 1: the TTBR used */
	uint64_t raw;		/* the leaf as read, before any update */
	struct s2_of_table s2t;	/* stage 1 under stage 2 (walked leaves) */
};

/*
 * Translate ia through the enabled stage w->cfg and check the permissions
 * of w->acc. Returns false with w->out->fault set on a fault; on a
 * Permission fault so->leaf is still filled (RJVXRH).
 */
bool vmsa_stage_walk(const struct walker *w, uint64_t ia,
		     struct stage_out *so);

/* Stage 1 disabled: flat-map va into *oa, or an Address size fault. */
bool vmsa_s1_flat(const struct walker *w, uint64_t va, vmsa_pa_t *oa);

#endif
