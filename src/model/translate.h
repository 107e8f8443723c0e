/*
 * src/model/translate.h - translating a CPU's access (translate.c).
 */
#ifndef VMSA_MODEL_TRANSLATE_H
#define VMSA_MODEL_TRANSLATE_H

#include "machine.h"

/* A translation and what the model learnt while making it. */
struct xlat {
	vmsa_walk_t walk;	/* the architecture's result, or fault */
	bool multi_size;	/* the TLB may hold entries of different sizes
				   for this address: a TLB conflict is possible */
	vmsa_stage_t conflict_stage; /* where they were seen */
	bool bbm_conflict;	/* after a break-before-make failure the
				   model continued from (vmsa_bbm_warning),
				   the TLB may hold entries for this address
				   that needed the break: a TLB conflict is
				   possible at any BBM level (D8.17.1) */
	bool stale;		/* a value memory no longer has was used */
	bool freed_table;	/* a descriptor was read from a freed page */
	uint64_t freed_pa;
	/* Feature relaxed: the TLB tag of the stage-1 entry the translation
	 * used (its last stage-1 descriptor, or the held leaf), which TLBIs
	 * of other CPUs order the access before (order_xlat_access). */
	bool s1_tagged;
	vmsa_tlb_tag_t s1_tag;
	/* The same for the combined stage 1+2 entry of a translation under
	 * stage 2 (S12, standing for every VA: translate.c, s2_record), and
	 * the stage-2 leaf it came from. */
	bool s2_tagged;
	vmsa_tlb_tag_t s2_tag;
	uint64_t s2_desc_pa, s2_desc;
	/* The place in memory's order of the other CPU's TLBI that removed
	 * the entry used (0: none; retired_leaves): the access goes before
	 * it (order.bound). */
	uint64_t retired_ts;
	/* The retired entry was the CPU's only one, alone when its TLBI
	 * retired it (struct held, sole), no entry held for the address,
	 * no hardware update, stage 1 only: what the retired-entry rule
	 * needs of the translation (docs/model.md, "An access through a
	 * retired entry it could precede"). */
	bool retired_alone;
	/* An access retried after its fault was handled (translate_retry)
	 * used a value or a retired entry overwritten before the handler's
	 * exception return (translate.c, retry_too_old): should it fault,
	 * the execution is dropped (access.c, stale_retry_fault). */
	bool stale_retry;
	/* Set by the caller before access_xlat_done(): a plain load or
	 * store with no Tag Check (an atomic, an exclusive or a Tag Checked
	 * access is left out of the rule). */
	bool plain;
	bool tag_checked;	/* mte_check() read an Allocation Tag */
};

/* Can a translation that may hit entries of different sizes (multi_size)
 * take a TLB conflict abort on this machine (access.c,
 * conflict_possible())? */
bool multi_size_may_abort(const vmsa_machine_t *m);

/* Start of the window in which a walk of this CPU may have been done
 * early (spurious Translation faults): its last context synchronisation
 * event, and with FEAT_ETS2 also its last explicit access or DSB. */
uint64_t spurious_window(const vmsa_machine_t *m, const struct cpu *c);

/* The same for walks that give a Permission fault: ETS2 does not order
 * them after earlier explicit accesses, only ETS3 does (no later than
 * spurious_window()). */
uint64_t perm_window(const vmsa_machine_t *m, const struct cpu *c);

/* The earliest perm_window of any CPU: no walk can be done earlier
 * from now on (windows only move forward). */
uint64_t oldest_window(const vmsa_machine_t *m);

/* Translate acc on cpu in its current context (c->cur_ctx must be set),
 * asking the chooser wherever the architecture leaves a choice. With
 * refill_tlb, the values used that memory no longer has become entries
 * the CPU's TLB may hold. Returns 0 when translated, -1 on a fault
 * (x->walk.fault). */
int translate(vmsa_machine_t *m, unsigned cpu, const vmsa_access_t *acc,
	      bool refill_tlb, struct xlat *x);

/* Make x's result a Data Abort of kind that is a fault of neither
 * translation stage (an External abort on the access, a Tag Check
 * Fault): its FSC at no level, FAR the access's VA (FnV = 0), reported
 * as stage 1 so that it goes where a stage-1 fault would. */
void xlat_access_fault(struct xlat *x, const vmsa_access_t *acc,
		       vmsa_fault_kind_t kind);

/* translate() makes the hardware Access flag and dirty state updates
 * the walk asks for (FEAT_HAFDBS) when refill_tlb is set; translate_hw()
 * says so separately (hw): AT instructions translate without them, which
 * the manual allows for AF and requires for the dirty state (RXQSMX,
 * RZYGHJ, RRKMHW). A failed update (memory no longer holds the value the
 * walk used) makes the walk start again, reading that descriptor from
 * memory. */
int translate_hw(vmsa_machine_t *m, unsigned cpu, const vmsa_access_t *acc,
		 bool refill_tlb, bool hw, struct xlat *x);

/* Checks on a translation of va the CPU is about to use (access.c): a
 * walk that read a freed table ("freed-table-walk") or an output page
 * that is free ("stale-use-after-free" through a stale entry, else
 * "use-after-free") is a violation, and false. */
bool access_use_ok(vmsa_machine_t *m, int cpu, const struct xlat *x,
		   uint64_t va);

struct slot;

/* A TLB entry holding desc for slot s is being made: when desc is a
 * table descriptor, record a read of the allocation state of the table
 * page it leads to (footprint.h). A later walk through the entry
 * compares the step that page was freed at with the entry's `since`
 * (check_old_table(), page_freed_since()): this orders the entry's
 * making with the page's free and allocation, whose steps that
 * comparison sees. */
void fp_held_next(vmsa_machine_t *m, const struct slot *s, uint64_t desc);

/* Free the translation lists the machine keeps (machine free). */
void xlat_scratch_free(vmsa_machine_t *m);

#endif
