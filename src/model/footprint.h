/*
 * src/model/footprint.h - what one step of the model touched, for the
 * explorer's partial-order reduction (src/explore/dpor.c). Private to
 * libvmsa.
 *
 * A footprint covers everything a step can depend on or change
 * (docs/explorer.md, "Partial-order reduction"), in pieces fine enough
 * that a descriptor store and a walk of another page, or a TLBI and a
 * CPU outside its reach, need not be interleaved:
 *
 *  - FP_DESC_R / FP_DESC_W: the contexts (which regimes' tables exist,
 *    cached or not). The steps that look contexts up or scan every
 *    context read it (a change of context, a DSB's TLBI completion, a
 *    descriptor store, whose checks look at every context translating
 *    through the same stage-2 tables); a step that created a context
 *    writes it (fp_end). The table structure itself (which page is a
 *    table page of a cached context, at which level and address) is
 *    the object FP_OBJ_STRUCT, in parts by page (fp_struct_*).
 *  - FP_ALL: the step may touch anything (SPE's change of owning
 *    context); dependent with every other step.
 *  - items: objects read or written, each with a write bit:
 *      . a 64-byte line of model memory (data stores; under relaxed
 *        data reads and cache maintenance), with a read of its page's
 *        allocation state (an allocation zeroes the page);
 *      . an 8-byte word of it, a part of its line: its value, and a
 *        descriptor's history (the values walks may read, their
 *        visibility). A walk and a data read read the words they read;
 *        a descriptor store and a DSB that publishes it write the word.
 *        A whole-line access is dependent with every word access of the
 *        line;
 *      . the line's cache state, two more parts of it (FP_SUB_STALE,
 *        FP_SUB_POC): its stale copy and its PoC copy, which data reads
 *        and cache maintenance read and write by the line's state;
 *      . objects that are not memory (FP_OBJ_*): a CPU's TLB (its held,
 *        retiring and retired entries, in parts by the 4 KiB unit of
 *        addresses they can hit: fp_tlb_*), a CPU's contexts (which it
 *        caches, per context; apart, which one it uses), the page
 *        allocator (the allocator whole, and per 2 MiB region its pages'
 *        allocation state: fp_page_*), the contexts some CPU caches
 *        (descriptor stores read them), the table structure in parts
 *        by page (where a store is a descriptor store: fp_struct_*),
 *        a CPU's spurious-fault window (the timestamps walks
 *        compare with descriptor histories), descriptor stores as a
 *        whole (the break-before-make check reads other descriptors),
 *        the Contiguous bits of descriptors (the walk's TLB
 *        conflict check reads its neighbours'), a CPU's global
 *        exclusive monitor (its LDXR and STXR write it; a failing CAS,
 *        which may clear it, reads every CPU's), and under the feature
 *        relaxed the ordering model's: the order of writes, its records
 *        of completed TLBIs and translated accesses (in the TLB's
 *        parts) and each CPU's views.
 *
 * Recording is off (m->fp NULL) unless the explorer turns it on; each
 * hook is then one test.
 */
#ifndef VMSA_MODEL_FOOTPRINT_H
#define VMSA_MODEL_FOOTPRINT_H

#include <stdbool.h>
#include <stdint.h>

#include "machine.h"
#include "util/vec.h"
#include "vmsa/model.h"

enum {
	FP_DESC_R = 1u << 0,
	FP_DESC_W = 1u << 1,
	FP_ALL = 1u << 2,
};

/*
 * An item: line << 12 | sub << 1 | written, where line is pa >> 6 for
 * memory (FP_OBJ_LINE + id for the objects below) and sub is 0 for the
 * whole line, 1 + i for its word i, or an atomic add to word i
 * (FP_SUB_ADD: fp_add); for an object, 0 for the whole, 1 .. FP_NSUB
 * for its parts, or a TLB removal (FP_SUB_DEL). Sorting items groups
 * them by line.
 */
#define FP_ITEM(line, sub, w) ((uint64_t)(line) << 12 | (uint64_t)(sub) << 1 | \
			       (uint64_t)!!(w))
#define FP_ITEM_LINE(it) ((it) >> 12)
#define FP_ITEM_SUB(it) ((unsigned)((it) >> 1) & 2047u)
/* Sub-items 1 .. FP_NSUB (memory words use 1 .. 8, the TLB's parts
 * 1 .. FP_TLB_LARGE): what the explorer's analysis keeps per line. */
#define FP_NSUB 33u

/*
 * A commuting atomic add to word i of a line (fp_add, vmsa_phys_add):
 * sub FP_SUB_ADD + split * 8 + i, always written. An add of delta that
 * observes only old & mask has split = the index of delta's lowest set
 * bit (64 for delta 0), and is recorded so only when every bit of mask
 * is below it: adding any multiple of 2^split leaves the bits below
 * split as they were, so two such adds of one word with the same split
 * give the same word and each the same observed value in either order
 * (docs/explorer.md, "Commuting adds"). Such items conflict with every
 * other access of the word or line, and with adds of another split.
 */
#define FP_SUB_ADD 40u	/* above FP_NSUB */
#define FP_SUB_ADD_END (FP_SUB_ADD + 65u * 8u)	/* past the last */
static inline unsigned fp_sub_add(unsigned split, unsigned word)
{
	return FP_SUB_ADD + split * 8u + word;
}
static inline bool fp_sub_is_add(unsigned sub)
{
	return sub >= FP_SUB_ADD && sub < FP_SUB_ADD_END;
}

/*
 * A removal from part `part` of a CPU's TLB by a TLBI's completion
 * (fp_tlb_select, fp_tlb_remove; docs/explorer.md, "Removals that
 * commute"): sub FP_SUB_DEL + part. Written: the completion removed
 * entries of the part (moved them to the retiring set or deleted them);
 * read: it looked at the part's entries to choose those it removes
 * (part 0: the whole TLB; a removal, written, is always of one part).
 * Two completions that each delete the entries a test of the entry and
 * their own TLBI selects leave the same sets in either order (set
 * difference), and what each selects never depends on the other's
 * removal: such items conflict with every other access of the part (a
 * walk's read, an insertion, a store's check) as the plain read or write
 * of the part would, but not with each other.
 */
#define FP_SUB_DEL 1024u
static inline unsigned fp_sub_del(unsigned part)
{
	return FP_SUB_DEL + part;
}
static inline bool fp_sub_is_del(unsigned sub)
{
	return sub >= FP_SUB_DEL && sub <= FP_SUB_DEL + FP_NSUB;
}
/* The part (0: whole, 1 .. FP_NSUB) a removal's sub-item is of. */
static inline unsigned fp_sub_del_part(unsigned sub)
{
	return sub - FP_SUB_DEL;
}
/* The word sub-item (1 .. 8) an add's sub-item is of. */
static inline unsigned fp_sub_add_word(unsigned sub)
{
	return 1u + ((sub - FP_SUB_ADD) & 7u);
}
static inline unsigned fp_sub_add_split(unsigned sub)
{
	return (sub - FP_SUB_ADD) >> 3;
}

/*
 * The cache model's state of a memory line (cache.c), beside its words
 * (docs/explorer.md, "Data accesses and cache maintenance"): memory holds
 * the newest data, in the words' sub-items; a line out of sync holds its
 * other copy in one of two states, each a sub-item of its own.
 * FP_SUB_STALE: whether the line is stale, and its stale cached copy
 * (what a cacheable read may return instead of memory). FP_SUB_POC:
 * whether the line is dirty, and the PoC's copy of it (what a
 * non-cacheable read may return instead). A cacheable read reads its
 * words and FP_SUB_STALE, a non-cacheable one its words and FP_SUB_POC;
 * a clean of a dirty line writes FP_SUB_POC only (memory already holds
 * the newest data), an invalidate of a stale line FP_SUB_STALE only, a
 * maintenance operation that changes nothing reads both. Outside the
 * feature relaxed only: there data accesses and cache maintenance record
 * the whole line, as before.
 */
#define FP_SUB_STALE 9u
#define FP_SUB_POC 10u

/*
 * The visibility to walks of word i of a line, apart from its contents
 * (docs/explorer.md, "Walks before a publication"; outside the feature
 * relaxed). Which of a descriptor's values a walk may read (RSPVBD: the
 * newest visible one or any newer pending one; older ones inside a
 * spurious-fault window) changes only when a DSB publishes a pending
 * store; a DSB removes options and never adds one, and memory's newest
 * value is always offered. So:
 *  - a publishing DSB writes FP_SUB_VIS + i and the new version
 *    fp_sub_vis_version(i, pubs) (hist.h: pubs, after it);
 *  - a walk that used only memory's newest value of each word it read
 *    (and whose other choices did not depend on older values being
 *    offered) reads the version of each word it saw: it is dependent
 *    with the DSB that made that version, after which it had fewer
 *    options, but not with later ones, whose order with it changes
 *    nothing (the walk keeps every option it had);
 *  - any other walk, and anything else whose outcome depends on which
 *    values are visible (a hardware update), reads FP_SUB_VIS + i,
 *    dependent with every publication of the word.
 * Versions are hashed into 15 sub-items (19 .. 33): two versions that
 * share one are only more dependent.
 */
#define FP_SUB_VIS 11u
#define FP_SUB_VIS_VERSION 19u
static inline unsigned fp_sub_vis_version(unsigned word, uint32_t version)
{
	return FP_SUB_VIS_VERSION + (unsigned)((version * 8u + word) % 15u);
}

/* Do two sub-items of one line, one of them written, conflict: one of
 * them the whole line, the same word, adds of one word but of
 * different splits (two adds of one split commute), or an add and the
 * line's PoC copy (an add to a line in sync makes it dirty: fp_add)? A
 * TLB removal counts as the read or write of its part, but two removals
 * commute. */
static inline bool fp_subs_conflict(unsigned sx, unsigned sy)
{
	bool ax, ay;

	if (fp_sub_is_del(sx) && fp_sub_is_del(sy))
		return false;
	if (fp_sub_is_del(sx))
		sx = fp_sub_del_part(sx);
	if (fp_sub_is_del(sy))
		sy = fp_sub_del_part(sy);
	ax = fp_sub_is_add(sx);
	ay = fp_sub_is_add(sy);
	if (!sx || !sy)
		return true;
	if (ax && ay)
		return fp_sub_add_word(sx) == fp_sub_add_word(sy) &&
		       sx != sy;
	if ((ax && sy == FP_SUB_POC) || (ay && sx == FP_SUB_POC))
		return true;
	return (ax ? fp_sub_add_word(sx) : sx) ==
	       (ay ? fp_sub_add_word(sy) : sy);
}

/* Objects other than memory: lines far above any physical address. */
#define FP_OBJ_LINE (1ull << 48)	/* above pa >> 6 of a 52-bit PA */
enum {
	FP_OBJ_TLB = 0,			/* + cpu */
	FP_OBJ_WINDOW = VMSA_MAX_CPUS,	/* + cpu */
	FP_OBJ_STORES = 2 * VMSA_MAX_CPUS,
	FP_OBJ_CONT,
	FP_OBJ_CACHED,			/* the contexts some CPU may cache */
	FP_OBJ_IRQ,			/* + cpu: its pending interrupts */
	FP_OBJ_ORDER = FP_OBJ_IRQ + VMSA_MAX_CPUS, /* the order of writes
					   (feature relaxed: order.c) */
	FP_OBJ_MON,			/* + cpu: its global exclusive monitor
					   (atomic.c) */
	FP_OBJ_TLBCTX = FP_OBJ_MON + VMSA_MAX_CPUS, /* + cpu: which
					   contexts it caches (fp_tlb_ctx) */
	FP_OBJ_TLBIS = FP_OBJ_TLBCTX + VMSA_MAX_CPUS, /* completed broadcast
					   TLBIs and translated accesses as
					   the ordering model keeps them
					   (feature relaxed), in parts as a
					   TLB: fp_tlbis_* */
	FP_OBJ_VIEWS,			/* + cpu: its views in the ordering
					   model (feature relaxed: order.c),
					   which its own steps read and
					   another CPU's join into a TLBI
					   issuer's views writes */
	FP_OBJ_ALLOC = FP_OBJ_VIEWS + VMSA_MAX_CPUS, /* the page
					   allocator's state (fp_page_*) */
	FP_OBJ_TLBUSE,			/* + cpu: which context it uses
					   (fp_tlb_use) */
	FP_OBJ_RETIRED = FP_OBJ_TLBUSE + VMSA_MAX_CPUS, /* + cpu: whether
					   its retired set (feature relaxed:
					   barrier.c, retire()) is empty:
					   another CPU's TLBI completion that
					   retires an entry into it and its
					   context synchronisation event
					   (which empties it) write it */
	FP_OBJ_STRUCT = FP_OBJ_RETIRED + VMSA_MAX_CPUS, /* the table
					   structure, in parts by page
					   (fp_struct_*) */
	FP_OBJ_PAGE,			/* + 2 MiB region:
					   its pages' allocation state
					   (fp_page_*); last: the regions
					   are open-ended */
};

VEC_DEFINE(fp_line_vec, uint64_t)

/* A table page of context ctx (fp_struct_before's snapshot). */
struct fp_tpage {
	unsigned ctx;
	struct tpage tp;
};

VEC_DEFINE(fp_tpage_vec, struct fp_tpage)

struct footprint {
	unsigned flags;
	struct fp_line_vec lines;	/* items, sorted and unique after
					   fp_end() */
	bool oom;			/* a line could not be recorded: the
					   footprint counts as FP_ALL */
	/* What the machine's counters were when the event began: a step
	 * that moved them created a context or changed table structure. */
	unsigned n_ctx0;
	uint64_t table_gen0;
	/* The table pages of the cached contexts before the step's first
	 * change of table structure (fp_struct_before), which fp_end
	 * compares with those after it (src/model/structure.c); snap_ok
	 * false when it could not be taken. */
	struct fp_tpage_vec snap;
	bool snap_ok;
	/* While recording (fp_begin makes it): by a hash of an item, the
	 * index in lines of the last item recorded with that hash, so that
	 * an item recorded again after others is not pushed again (a
	 * descriptor store that gives old values of 512 entries to a TLB
	 * recorded its 15 parts thousands of times, and sorting them was a
	 * third of a search's time). NULL: every item is pushed. */
	uint32_t *recent;
	/* Set by the explorer for a step that replays one of the previous
	 * execution whose footprint it has (dpor.c, replays_step()): items
	 * are then not recorded, nor sorted by fp_end(). Only the list
	 * stays empty: every hook still runs as when recording (m->fp is
	 * set), so the model does the same. */
	bool muted;
	/* The step's write of data memory, for the reduction's test of a
	 * race between a write and a wait's read (dpor.c, write_fails_wait):
	 * FP_DW_ONE when the step changed memory contents only by writes
	 * through the cache model (write_data) to the one word dw_word,
	 * whose line was not stale (in sync with the PoC or dirty: a
	 * cacheable read before the step returned dw_old, the word's value
	 * then), outside the feature relaxed. FP_DW_ADD when the step was
	 * one commuting add (fp_add) of dw_delta to the whole 8-byte word
	 * dw_word: the word before it was what it is after, less dw_delta,
	 * with the other adds of its split in either order. FP_DW_NONE: no
	 * such write; FP_DW_UNKNOWN: anything else (two words, a stale
	 * line, an allocation or free, cache maintenance, relaxed). */
	unsigned dw_state;
	uint64_t dw_word, dw_old, dw_delta;
};

enum { FP_DW_NONE, FP_DW_ONE, FP_DW_UNKNOWN, FP_DW_ADD };

/* The step writes size bytes at pa of data memory (through the cache
 * model), before the write: records the 8-byte word's old value when it
 * is the step's only change so far, the line in sync with the PoC and
 * the machine not relaxed (footprint's dw_state); else marks the step's
 * change unknown. */
void fp_data_write(vmsa_machine_t *m, uint64_t pa, unsigned size);

/* The step's commuting add of delta to the size bytes at pa has been
 * made (its write through fp_data_write); `before` was the step's
 * dw_state before it. Makes it FP_DW_ADD when the add was the step's
 * only change and to a whole aligned 8-byte word; else unknown. */
void fp_data_add(struct footprint *fp, unsigned before, uint64_t pa,
		 unsigned size, uint64_t delta);

/* The step changes memory contents or what a cacheable read returns
 * by some other way (allocation, free, cache maintenance). */
static inline void fp_mem_other(struct footprint *fp)
{
	if (fp)
		fp->dw_state = FP_DW_UNKNOWN;
}

/*
 * The Contiguous bits (FP_OBJ_CONT) in parts by contiguous group: the n
 * descriptors (16, 32 or 128, vmsa_contig_entries) at 8 * n aligned
 * physical addresses whose bits a walk's TLB conflict check reads
 * (contig_neighbours() in translate.c). fp_cont_group(): a walk reads
 * the group of n descriptors that holds its leaf at desc_pa.
 * fp_cont_slot(): the part of every group the descriptor at pa can be
 * in (one per group size: a store that sets or clears a Contiguous bit
 * writes them, not knowing the slot's level and granule; a remembered
 * translation reads them for each descriptor its walk read, the leaf
 * among them).
 */
void fp_cont_group(vmsa_machine_t *m, uint64_t desc_pa, unsigned n);
void fp_cont_slot(vmsa_machine_t *m, uint64_t pa, bool write);

/* Record into fp from now on (NULL: stop recording). */
void fp_attach(vmsa_machine_t *m, struct footprint *fp);

/* Start a new footprint in the attached recorder (empty). */
void fp_begin(vmsa_machine_t *m);

/* Finish it: fold counter changes in, sort and merge the lines. */
void fp_end(vmsa_machine_t *m);

/*
 * Does the recorder keep items now: recording (m->fp), and the step not
 * muted (a muted step replays one whose footprint the explorer has:
 * record_in() drops every item). A hook whose only effect is to record
 * items (record_in(), fp_record(), fp_mem()) tests this instead of
 * m->fp, so that a muted step skips computing items it would drop: the
 * same recorder either way. A hook that also sets the flags, the data
 * write state (dw_state) or anything else of the recorder, which a muted
 * step keeps setting, tests m->fp.
 */
static inline bool fp_keeps(const vmsa_machine_t *m)
{
	return m->fp && !m->fp->muted;
}

/* Hooks of the model (no-ops unless recording). */
/* Record item (FP_ITEM) in the footprint being recorded, m->fp. */
void fp_record(vmsa_machine_t *m, uint64_t item);

/* The four below are inline: the model calls them on every step, and
 * without a reduced search (m->fp == NULL, the common case) each is one
 * test. */
static inline void fp_flags(vmsa_machine_t *m, unsigned flags)
{
	if (m->fp)
		m->fp->flags |= flags;
}

/* A line or a word of memory: and, read, the state of its page, which an
 * allocation writes when it zeroes the page (fp_pages_taken). */
void fp_mem(vmsa_machine_t *m, uint64_t item, uint64_t pa);

static inline void fp_line(vmsa_machine_t *m, uint64_t pa, bool write)
{
	if (fp_keeps(m))
		fp_mem(m, FP_ITEM(pa >> 6, 0, write), pa);
}

/* The visibility of pa's word, unversioned (FP_SUB_VIS). */
static inline void fp_vis(vmsa_machine_t *m, uint64_t pa, bool write)
{
	if (fp_keeps(m))
		fp_mem(m, FP_ITEM(pa >> 6, FP_SUB_VIS + ((pa >> 3) & 7), write),
		       pa);
}

/* Its version `version` (fp_sub_vis_version). */
static inline void fp_vis_version(vmsa_machine_t *m, uint64_t pa,
				  uint32_t version, bool write)
{
	if (fp_keeps(m))
		fp_mem(m, FP_ITEM(pa >> 6, fp_sub_vis_version((pa >> 3) & 7,
							     version), write),
		       pa);
}

static inline void fp_word(vmsa_machine_t *m, uint64_t pa, bool write)
{
	if (fp_keeps(m))
		fp_mem(m, FP_ITEM(pa >> 6, 1 + ((pa >> 3) & 7), write), pa);
}

/* The cache state of pa's line: sub FP_SUB_STALE or FP_SUB_POC. */
static inline void fp_cache_state(vmsa_machine_t *m, uint64_t pa,
				  unsigned sub, bool write)
{
	if (fp_keeps(m))
		fp_mem(m, FP_ITEM(pa >> 6, sub, write), pa);
}

/* A data read of size bytes at pa through the cache model (data_read):
 * the words it reads and the copy that may stand for memory's (the
 * stale copy for a cacheable read, the PoC's for a non-cacheable one);
 * under relaxed the whole line. */
void fp_data_read(vmsa_machine_t *m, uint64_t pa, unsigned size,
		  bool cacheable);

/* A cacheable write of a word at pa through the cache model recorded as
 * its word alone (desc_data_write, the commuting add): what it does to
 * the line's cache state besides. A line in sync becomes dirty (its PoC
 * copy written), a dirty one stays so (read), a stale one is merged
 * with memory and checked against it (the whole line written); each
 * reads whether the line is stale. */
void fp_cached_write(vmsa_machine_t *m, uint64_t pa);

/* A commuting atomic add of delta to the 8-byte word at pa that observes
 * only old & mask (FP_SUB_ADD): its add item, with a read of its page's
 * state; when mask reaches delta's lowest set bit (no split), the
 * word's line read and written instead, as any read-modify-write. */
static inline void fp_add(vmsa_machine_t *m, uint64_t pa, uint64_t delta,
			  uint64_t mask)
{
	unsigned split = delta ? (unsigned)__builtin_ctzll(delta) : 64u;

	if (!fp_keeps(m))
		return;
	if (split < 64 && (mask >> split))
		fp_mem(m, FP_ITEM(pa >> 6, 0, true), pa);
	else
		fp_mem(m, FP_ITEM(pa >> 6, fp_sub_add(split, (pa >> 3) & 7),
				  true), pa);
}

static inline void fp_obj(vmsa_machine_t *m, unsigned obj, bool write)
{
	if (fp_keeps(m))
		fp_record(m, FP_ITEM(FP_OBJ_LINE + obj, 0, write));
}
/* The TLB, or the window, of every CPU of the machine. */
void fp_obj_all(vmsa_machine_t *m, unsigned first, bool write);

/*
 * A walk of cpu reads its window (FP_OBJ_WINDOW + cpu): sub-item 1,
 * read (under relaxed; outside it the parts of fp_window_word() below),
 * apart from the whole object (sub-item 0) that the steps that
 * start the window write and other CPUs' steps compared with it read.
 * Only the CPU's own walks read the window for what it is; the others'
 * reads stand for the comparisons those walks make. So a write of the
 * window that no walk of the CPU reads before the CPU's next write of
 * it is observed by nobody, and the reduction drops it (dpor.c,
 * window_observed(); docs/explorer.md, "Windows nobody observes").
 */
#define FP_WINDOW_WALK 1u
static inline void fp_window_walk(vmsa_machine_t *m, unsigned cpu)
{
	if (m->fp)
		fp_record(m, FP_ITEM(FP_OBJ_LINE + FP_OBJ_WINDOW + cpu,
				     FP_WINDOW_WALK, false));
}

/*
 * The window in parts by descriptor word (docs/explorer.md, "Windows
 * observed by word"): outside the feature relaxed a walk compares its
 * CPU's window only with the history of each descriptor word it reads
 * (memory_cands() in translate.c), and another CPU's step that reads the
 * window as a stand-in does so only for the words whose history it
 * changes (a publishing DSB: the words it publishes; a store with ETS2
 * or ETS3: its word). Both record, read, the part of the window of
 * each such word: sub-items 2 .. 1 + FP_WINDOW_PARTS, by the word's
 * number modulo FP_WINDOW_PARTS (words that share a part are only more
 * dependent). The steps that start the window write it whole
 * (sub-item 0, which meets every part); the analysis (dpor.c,
 * window_observed()) narrows such a write to the parts the CPU's walks
 * read before its next write of the window. Reads of parts conflict
 * with nothing but writes, which only the CPU itself makes: recording
 * them makes no two steps dependent.
 */
#define FP_WINDOW_PARTS 31u
#define FP_WINDOW_PART0 2u
_Static_assert(FP_WINDOW_PART0 + FP_WINDOW_PARTS - 1u <= FP_NSUB,
	       "the window's parts are sub-items the analysis keeps");
static inline unsigned fp_window_part(uint64_t pa)
{
	return FP_WINDOW_PART0 + (unsigned)((pa >> 3) % FP_WINDOW_PARTS);
}

/* A walk of cpu compares the history of the descriptor word at pa with
 * the CPU's window. */
static inline void fp_window_word(vmsa_machine_t *m, unsigned cpu,
				  uint64_t pa)
{
	if (m->fp)
		fp_record(m, FP_ITEM(FP_OBJ_LINE + FP_OBJ_WINDOW + cpu,
				     fp_window_part(pa), false));
}

/* The step changes the history of the descriptor word at pa in a way
 * walks compare with their windows (its values' visibility or write
 * step): it reads that part of every CPU's window. */
void fp_window_word_all(vmsa_machine_t *m, uint64_t pa);

/*
 * The table structure (docs/explorer.md, "Table structure by page"):
 * for each 4 KiB page of memory, the places it has as a table page of
 * a context some CPU may cache (context, stage, level, input address of
 * its entry 0: the slots a descriptor there has, find_slots() in
 * write.c). One object, FP_OBJ_STRUCT, in FP_STRUCT_PARTS parts by the
 * page's number (pages that share a part are only more dependent);
 * sub-item 0 is the whole structure.
 *
 * A step that asks whether a word is a descriptor (find_slots(): every
 * store, an atomic add, a descriptor store's own slots) reads the part
 * of the word's page, and a walk the part of each table page it reads;
 * a step that changes the structure (it moves m->table_gen: a
 * descriptor store that writes or replaces a table, or moves a stage-1
 * table through stage 2, or a store by no CPU) writes the parts of
 * exactly the pages whose places changed: fp_struct_before() takes the
 * cached contexts' table pages before its first change, fp_end() those
 * after (fp_struct_changed(), src/model/structure.c). Which contexts are
 * cached is FP_OBJ_CACHED, which stores read too.
 */
#define FP_STRUCT_PARTS 15u

static inline void fp_struct_page(vmsa_machine_t *m, uint64_t pa, bool write)
{
	if (m->fp)
		fp_record(m, FP_ITEM(FP_OBJ_LINE + FP_OBJ_STRUCT,
				     1u + (unsigned)((pa >> 12) %
						     FP_STRUCT_PARTS),
				     write));
}

/* The whole structure (a scan of every table page of a context). */
static inline void fp_struct_whole(vmsa_machine_t *m, bool write)
{
	fp_obj(m, FP_OBJ_STRUCT, write);
}

/* Before m->table_gen moves (a change of table structure): at the
 * step's first change, the cached contexts' table pages as they are. */
void fp_struct_before(vmsa_machine_t *m);

/* At the end of a step that moved m->table_gen: the parts of the pages
 * whose places changed, written (fp_end). Leaves the contexts' page
 * lists to be scanned again when next used, as without a recorder. */
void fp_struct_changed(vmsa_machine_t *m);

/* Context i starts or stops being cached by any CPU: the parts of its
 * table pages, written (their places are those of cached contexts).
 * fp_struct_context() before a CPU caches i when no other does
 * (fp_tlb_cache_ctx); fp_struct_uncached() after a CPU uncached it,
 * when no CPU caches it any more. */
void fp_struct_context(vmsa_machine_t *m, unsigned i);
void fp_struct_uncached(vmsa_machine_t *m, unsigned i);

/*
 * The page allocator and the pages' allocation state (docs/explorer.md,
 * "Allocation and free").
 *
 * FP_OBJ_ALLOC is the allocator's bookkeeping: which page the next
 * allocation takes and how many are free. Sub-item 0 is the allocator
 * whole, which an allocation writes (it reads every page's state and
 * takes some) and vmsa_pages_free() reads; a free writes the parts of
 * the pages it frees (FP_ALLOC_PARTS, by a hash of the page number), so
 * that two frees of different pages, whose changes to the free count
 * (a sum) and the first free page (a minimum) commute, are independent,
 * while a free and an allocation are not.
 *
 * FP_OBJ_PAGE + (pa >> FP_PAGE_REGION_SHIFT) holds each page's state
 * (free or not, the step it was freed at) by 2 MiB region: one object
 * per region, in parts by a hash of the page's number within it (pages
 * that share a part are only more dependent). A free and an allocation
 * write the parts of their pages, and the whole region (sub-item 0)
 * when they cover all of it; the steps that branch on a page's state
 * (walks of table pages, translations used, physical accesses,
 * vmsa_page_is_free()) read its part. Every item of memory (fp_line,
 * fp_word) also reads the part of its page: an allocation's zeroing of
 * its pages (contents, cache lines, descriptor histories) then meets
 * every step that touches them through that part, without an item per
 * line (a 2 MiB block would be 32,768 of them).
 */
#define FP_ALLOC_PARTS 15u
#define FP_PAGE_REGION_SHIFT 21

/* The item of the state of the page of pa (read or written). */
static inline uint64_t fp_page_item(uint64_t pa, bool write)
{
	uint64_t page = (pa >> 12) & ((1ull << (FP_PAGE_REGION_SHIFT - 12)) - 1);

	return FP_ITEM(FP_OBJ_LINE + FP_OBJ_PAGE + (pa >> FP_PAGE_REGION_SHIFT),
		       1u + (unsigned)(page % FP_ALLOC_PARTS), write);
}

/* The allocation state of the page of pa, recorded into fp. */
void fp_page_state_in(struct footprint *fp, uint64_t pa, bool write);

/* The same while recording (m->fp NULL: nothing; inline, as fp_word:
 * every walk read calls it). Takes a const machine: vmsa_page_is_free()
 * records its read too. */
static inline void fp_page_state(const vmsa_machine_t *m, uint64_t pa,
				 bool write)
{
	if (fp_keeps(m))
		fp_page_state_in(m->fp, pa, write);
}

/* The allocator as a whole, read (vmsa_pages_free(), an allocation that
 * fails). */
void fp_alloc_all(const vmsa_machine_t *m);

/* An allocation of n pages at pa: the allocator whole written, and the state of the pages it hands out;
 * when some word of them had a history (which the allocation ends with
 * a write by no CPU, compared with windows: had_history), every CPU's
 * window read. */
void fp_pages_taken(vmsa_machine_t *m, uint64_t pa, unsigned n,
		    bool had_history);

/* A free of n pages at pa: the allocator's parts of those pages, and
 * their state, written. */
void fp_pages_freed(vmsa_machine_t *m, uint64_t pa, unsigned n);

/*
 * A CPU's TLB, in parts (docs/explorer.md, "What a step touches"). The
 * object FP_OBJ_TLB + cpu holds the CPU's held, retiring and retired
 * entries, split by where an entry can hit: an entry whose input range
 * (its own size, and its Contiguous range) lies within one 4 KiB unit
 * belongs to the part of that unit (one of FP_TLB_BUCKETS, by a hash of
 * the unit's address: units that share a part are only more dependent);
 * every other entry (blocks, tables' walk-cache entries, Contiguous
 * entries, combined entries that stand for every VA, larger granules) to
 * the part FP_TLB_LARGE. A lookup of one address reads its unit's part
 * and FP_TLB_LARGE; a lookup of a larger range, or anything that scans
 * every entry, the whole object (sub-item 0, which meets every part).
 * FP_OBJ_TLBCTX + cpu holds, per context (by a hash of its index), whether
 * the CPU caches it; FP_OBJ_TLBUSE + cpu, the same way, whether it is
 * the one the CPU uses.
 */
#define FP_TLB_BUCKETS 32u
#define FP_TLB_LARGE (FP_TLB_BUCKETS + 1u)

/* The whole TLB of cpu (every entry: a TLBI without an address, a
 * context synchronisation event that empties the retiring entries). */
void fp_tlb_whole(vmsa_machine_t *m, unsigned cpu, bool write);

/* An entry with tag t and value desc added to or removed from cpu's TLB
 * (write), or read alone. */
void fp_tlb_entry(vmsa_machine_t *m, unsigned cpu, const vmsa_tlb_tag_t *t,
		  uint64_t desc, bool any_va, bool write);

/* Every entry of cpu's TLB that may overlap [first, first + span)
 * (span >= 1), in any address space (VA or IPA). */
void fp_tlb_lookup(vmsa_machine_t *m, unsigned cpu, uint64_t first,
		   uint64_t span, bool write);

/*
 * A TLBI completion's removals (FP_SUB_DEL), for a completion whose
 * removals commute with another's (barrier.c, removal_commutes()):
 * fp_tlb_select, the parts of cpu's TLB it looks at to choose what it
 * removes, [first, first + span) as fp_tlb_lookup (whole: every part);
 * fp_tlb_remove, the part of an entry it removes.
 */
void fp_tlb_select(vmsa_machine_t *m, unsigned cpu, uint64_t first,
		   uint64_t span, bool whole);
void fp_tlb_remove(vmsa_machine_t *m, unsigned cpu, const vmsa_tlb_tag_t *t,
		   uint64_t desc, bool any_va);

/* Whether cpu caches context ctx. */
void fp_tlb_ctx(vmsa_machine_t *m, unsigned cpu, unsigned ctx, bool write);

/*
 * A TLBI completion that may uncache context ctx from cpu (barrier.c,
 * apply(): the TLBI clears ctx and cpu does not use it): uncaches, a
 * removal of ctx's part (FP_SUB_DEL, written), or not (it was not
 * cached: a look, read). Uncaching clears one bit of the CPU's set of
 * cached contexts, whoever does it, so two completions that may each
 * uncache ctx leave the same set in either order, and neither's choice
 * (whether it uncaches) changes the state the other leaves: removals
 * and looks do not conflict with each other, and conflict with every
 * plain read (a store's old values and check) and write (a CPU that
 * starts caching ctx) of the part, as the plain read or write would
 * (docs/explorer.md, "Uncachings that commute").
 */
void fp_tlb_ctx_uncache(vmsa_machine_t *m, unsigned cpu, unsigned ctx,
			bool uncaches);

/* Whether cpu uses context ctx (its current one), apart from whether it
 * caches it: other CPUs' stores read only the latter, so a CPU's change
 * of context (an exception entry or return, an MSR) that caches nothing
 * new is independent of them; a TLBI completion on it reads both (it
 * uncaches only the contexts the CPU does not use). */
void fp_tlb_use(vmsa_machine_t *m, unsigned cpu, unsigned ctx, bool write);

/* cpu is about to cache context ctx (cpu_cache_ctx): records what that
 * changes, the CPU's part for ctx and, when no other CPU caches ctx, the
 * contexts some CPU caches (FP_OBJ_CACHED) and the structure's parts of
 * ctx's table pages (stores to them become descriptor stores:
 * fp_struct_context). Call before caching. */
void fp_tlb_cache_ctx(vmsa_machine_t *m, unsigned cpu, unsigned ctx);

/*
 * Feature relaxed: the ordering model's records of completed broadcast
 * TLBIs (order.c: o->tlbis) and of accesses' translations (o->xwrites),
 * one object FP_OBJ_TLBIS in the TLB's parts (docs/explorer.md, "The TLB
 * in parts"). A TLBI's completion writes the parts its operand can hit
 * (fp_tlbis_done); an access, a fault or a walk that compares itself
 * with the TLBIs that match the tag of its entry reads the part of that
 * entry (fp_tlbis_entry). A TLBI matches a tag only when its address is
 * in the tag's range, so the two meet whenever the TLBI matches.
 */
void fp_tlbis_done(vmsa_machine_t *m, const vmsa_tlbi_t *t);
void fp_tlbis_entry(vmsa_machine_t *m, const vmsa_tlb_tag_t *tag,
		    uint64_t desc);

/*
 * The check of a wait (vmsa_wait_eq/ne) by cpu of the word at pa, into
 * fp (emptied first): what decides whether the wait may make its read
 * (src/explore/explore.c, runnable()): the word and whether its line is
 * stale (FP_SUB_STALE: what a cacheable read depends on besides the
 * word), the allocation state of its page, and the CPU's pending
 * interrupts (which wake it), all read. The explorer's reduction races
 * a check that fails with what made it fail (docs/explorer.md, "Waits").
 */
void fp_wait_check(struct footprint *fp, unsigned cpu, uint64_t pa);

/* May steps with footprints a and b not be swapped? */
bool fp_dependent(const struct footprint *a, const struct footprint *b);

/* a |= b (a footprint that covers both); -ENOMEM sets a->oom. */
void fp_union(struct footprint *a, const struct footprint *b);

/* Copy b into a. */
void fp_copy(struct footprint *a, const struct footprint *b);

void fp_free(struct footprint *fp);

/*
 * Why two footprints are dependent, for the explorer's diagnostic
 * (VMSA_DPOR_RACES, docs/explorer.md): the kind of each object. Not used
 * by the search itself.
 */
enum fp_kind {
	FP_K_ALL,	/* FP_ALL: everything */
	FP_K_DESC,	/* FP_DESC_R / FP_DESC_W: the contexts */
	FP_K_LINE,	/* a whole 64-byte line of memory */
	FP_K_WORD,	/* an 8-byte word: a descriptor and its history */
	FP_K_TLB,	/* FP_OBJ_TLB */
	FP_K_WINDOW,	/* FP_OBJ_WINDOW */
	FP_K_STORES,	/* FP_OBJ_STORES */
	FP_K_CONT,	/* FP_OBJ_CONT */
	FP_K_CACHED,	/* FP_OBJ_CACHED */
	FP_K_IRQ,	/* FP_OBJ_IRQ */
	FP_K_ORDER,	/* FP_OBJ_ORDER */
	FP_K_MON,	/* FP_OBJ_MON */
	FP_K_TLBCTX,	/* FP_OBJ_TLBCTX */
	FP_K_TLBIS,	/* FP_OBJ_TLBIS */
	FP_K_VIEWS,	/* FP_OBJ_VIEWS */
	FP_K_ALLOC,	/* FP_OBJ_ALLOC */
	FP_K_TLBUSE,	/* FP_OBJ_TLBUSE */
	FP_K_RETIRED,	/* FP_OBJ_RETIRED */
	FP_K_STRUCT,	/* FP_OBJ_STRUCT */
	FP_K_PAGE,	/* FP_OBJ_PAGE */
	FP_K_ADD,	/* a commuting add to a word (FP_SUB_ADD) */
	FP_K_VIS,	/* a word's visibility to walks (FP_SUB_VIS) */
	FP_NKINDS
};

/*
 * Mutation testing of the reduction, in a build made for it only
 * (-DVMSA_FP_MUTANTS: tests/explore/tools/fp-mutants.sh; never the
 * library's or the command's): is VMSA_FP_MUTANT name? A kind's name
 * (fp_kind_name(): "order", "tlb", ...) makes every item of that kind
 * conflict with nothing; "order-ww" makes plain writes read the order
 * of writes instead of writing it (order.c). Each is an unsound
 * reduction that the soundness tests should catch (docs/explorer.md,
 * "Which dependencies the tests guard"). Always false otherwise.
 */
#ifdef VMSA_FP_MUTANTS
bool fp_mutant_is(const char *name);
#else
static inline bool fp_mutant_is(const char *name)
{
	(void)name;
	return false;
}
#endif

/* The kind of an item (FP_ITEM). */
unsigned fp_item_kind(uint64_t it);

/* Do items x and y conflict (the same object, one of them a write, and
 * the same sub-item or one of them the whole)? */
bool fp_items_conflict(uint64_t x, uint64_t y);

/* The name of kind k ("line", "word", "tlb", ...). */
const char *fp_kind_name(unsigned k);

/* Set why[x][y] (x <= y) for every pair of kinds of objects through
 * which a and b are dependent (as fp_dependent decides: none set when
 * they are independent). Returns how many pairs it set. */
unsigned fp_dependent_why(const struct footprint *a,
			  const struct footprint *b,
			  bool why[FP_NKINDS][FP_NKINDS]);

#endif
