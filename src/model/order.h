/*
 * src/model/order.h - Arm's ordering of data accesses (the `relaxed`
 * feature): memory as a list of messages with timestamps, per CPU the
 * views of Promising-ARM (Pulte et al., PLDI 2019), reads that may
 * return any message the views allow (an explorer choice, option 0 the
 * newest), barriers, acquire/release and dependencies (docs/model.md,
 * "Ordering of data accesses"). Private to libvmsa.
 *
 * Without the feature nothing here runs: every hook is behind one test
 * of m->f.relaxed, so the sequentially consistent hot path is unchanged.
 */
#ifndef VMSA_MODEL_ORDER_H
#define VMSA_MODEL_ORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "util/htab.h"
#include "util/vec.h"
#include "vmsa/model.h"

/* A write: the 8-byte word it left (the location's value after it),
 * its timestamp, its writer, and the message of the same word just
 * before it in timestamp order (index + 1 in the machine's list; 0: the
 * initial value, whose timestamp is 0). Timestamps are spaced (ORD_GAP
 * apart when appended) so that a write can take one between two others
 * (a reordered write) without renumbering the views that hold them. */
struct ord_msg {
	uint64_t word;		/* ORD_FENCE: a completed TLBI */
	uint64_t value;
	uint64_t ts;
	uint64_t step;		/* the model step that made it */
	uint64_t pub;		/* a descriptor store: the place of the DSB
				   that made it visible to walks (0: not
				   yet) */
	int cpu;
	uint32_t prev;
	bool hw;		/* a hardware update of a descriptor */
	uint32_t walked;	/* a speculative update (order_spec_write):
				   the CPUs whose walks read it (bit per
				   CPU), which their DSB SY/ISH publishes */
	/* The explorer's event that made it (o->cur_ev then; -1: none,
	 * set-up), and whether its place is one the step could not take
	 * again relative to the other messages once a write it precedes
	 * in memory's order existed before it (a place neither appended
	 * nor a plain write's free place: dpor_wplace_redundant). */
	int32_t ev;
	bool fixed;
	bool rmw;		/* the write of a successful read-modify-write,
				   atomic with the read of the message before
				   it (msg_ts_of) */
};

#define ORD_FENCE UINT64_MAX

/* A TLBI completed by a DSB: its place in memory's order and its step.
 * A walk ordered after that place (its CPU has seen a write the issuer
 * made after the DSB) was not done before the TLBI completed. */
struct ord_tlbi {
	uint64_t ts, step;
	vmsa_tlbi_t t;
	int cpu;	/* its issuer */
	uint64_t view;	/* what the TLBI is ordered after: its issuer's
			   DSBs before it (DSB-ordered-before) */
};

/* 2^40: a write placed between two others takes the midpoint, so 40
 * placements nested in one gap fit (2^20 ran out in `relaxed` runs of
 * the bundled page-table scenarios: contpte/fold-handled, a model-limit
 * verdict); 2^24 appended messages before the counter could wrap, far
 * more than an execution's memory holds. */
#define ORD_GAP (1ull << 40)

/* A read made: what it read (timestamp) and the newest timestamp its
 * views let it see. A write placed after t and at or before lo would
 * have had to be read instead: such a place is not offered. A
 * successful RMW's read has lo = its write's timestamp (atomicity). */
struct ord_read {
	uint64_t word;
	uint64_t t, lo;
	int cpu;	/* who read, at which step: the reads of a TLBI's */
	uint64_t step;	/* issuer after it (order_write_ts with bound;
			   tlbi_late.c) */
};

/* A location (an 8-byte word) written since the last reset: its value
 * before the first message, its newest message, and per CPU its
 * coherence view and forwarding bank: the timestamp of the CPU's last
 * write there, the view a read that takes its value depends on (the
 * write's address and data), the view it depends on only through a pick
 * dependency (fwd_pick: order_fwd_set) and, for the write of an atomic
 * or a store-exclusive, its read's view (fwd_acq). */
struct ord_loc {
	uint64_t init;
	uint32_t last;
	uint64_t coh[VMSA_MAX_CPUS];
	uint64_t fwd_ts[VMSA_MAX_CPUS];
	uint64_t fwd_view[VMSA_MAX_CPUS];
	uint64_t fwd_pick[VMSA_MAX_CPUS];
	uint64_t fwd_acq[VMSA_MAX_CPUS];
	uint64_t rd_ts[VMSA_MAX_CPUS];	/* the newest write each CPU read */
};

struct ord_slot {
	uint64_t key;
	uint32_t gen;
	uint32_t idx;	/* into struct order.locs */
};

static inline uint64_t ord_hash(uint64_t pa)
{
	return (pa >> 3) * 0x9e3779b97f4a7c15ull;
}

HTAB_DEFINE(ord_slots, struct ord_slot, ord_hash)
VEC_DEFINE(ord_msgs, struct ord_msg)
VEC_DEFINE(ord_locs, struct ord_loc)
VEC_DEFINE(ord_tsv, uint64_t)
VEC_DEFINE(ord_reads, struct ord_read)
VEC_DEFINE(ord_tlbis, struct ord_tlbi)

/* An explicit access of a CPU (its view: what is ordered before it)
 * and the stage-1 entry that translated it (order_xlat_access), which
 * a TLBI that removes that entry is ordered after. */
struct ord_xwrite {
	uint64_t view;
	int cpu;
	uint64_t desc_pa, desc;	/* the entry's descriptor and its place */
	vmsa_tlb_tag_t tag;
};

/* A promise (promise.c): a write its CPU made visible before running
 * it, at timestamp ts; `done` once the CPU's store fulfilled it. */
struct ord_promise {
	uint64_t pa;
	unsigned size;
	uint64_t value;		/* the size bytes stored */
	uint64_t ts;
	int cpu;
	bool done;
	bool hw;		/* a hardware update of a descriptor (pa
				   8-byte aligned, value the descriptor
				   after it) */
	uint64_t before;	/* hw: the value it updates */
	/* Who fulfils it: a store, or an atomic of op with operand arg
	 * (VMSA_PROMISE_RMW) or a CAS comparing with arg
	 * (VMSA_PROMISE_CAS), whose read takes the write just before it
	 * (order_read). */
	vmsa_promise_kind_t kind;
	vmsa_rmw_op_t op;
	uint64_t arg;
	bool desc;		/* a descriptor store (desc_promise_hide):
				   its fulfilment hands it to its CPU */
};

VEC_DEFINE(ord_proms, struct ord_promise)
VEC_DEFINE(ord_xwrites, struct ord_xwrite)

/* A CPU's views (Promising-ARM's thread state without promises). */
struct ord_views {
	uint64_t rold, wold;	/* newest read / write so far */
	uint64_t rld;		/* rold but for the reads of atomics that
				   return nothing (ST<op>, LD<op> to XZR:
				   herd's NoRet), which DMB LD and DSB LD
				   do not order (B2.3.7) */
	uint64_t rpk, rpk_ld;	/* the pick dependencies of reads so far
				   (order.c, read_picked), without the
				   NoRet ones' (rpk_ld): ordered before
				   writes only */
	uint64_t rnew, wnew;	/* lower bound of later reads / writes */
	uint64_t cap;		/* addresses of accesses so far, branches */
	uint64_t br;		/* branches so far (control dependencies,
				   pick ones too): they order a TLBI
				   (B2.3.7 dob, ctrl; [TLBI]), addresses do
				   not */
	uint64_t rel;		/* release writes (for RCsc acquires) */
	uint64_t wrnew;		/* vrNew from reads only: what an access
				   is ordered after, for the TLBI rules
				   (its CPU's own writes reach walks by
				   rule 4, not by DMB); not its walk's
				   values, which DMBs and acquires do not
				   order (ttd) */
	uint64_t cse;		/* ttd at the last context
				   synchronisation event: what a walk done
				   early is ordered after */
	uint64_t hu;		/* the newest of the CPU's hardware Access
				   flag / dirty state updates and of the
				   writes its walks read: only a DSB that
				   orders loads and stores orders them
				   before later accesses (order_hw_dsb) */
	uint64_t ttd;		/* what walks are ordered after by IFBs
				   (the addresses, branches and DSBs
				   before a context synchronisation event)
				   and, with ETS2, by DSBs themselves:
				   not by DMBs and acquires, unlike
				   wrnew */
	uint64_t tag;		/* the Tag Checks' reads of Allocation Tags
				   so far (order_tag_read): ordered before
				   what DMB FULL, DMB LD, DSBs and release
				   writes order later, like reads, but kept
				   out of rold, which the ETS2/ETS3 rules
				   read as the explicit accesses only */
	uint64_t dsb;		/* what the DSBs so far order later Effects
				   after (reads and writes before a DSB
				   FULL, reads before a DSB LD, writes
				   before a DSB ST): TLBIs, and walks after
				   a context synchronisation event */
	uint64_t tdone;		/* the places of the CPU's own TLBIs its
				   DSBs completed: DSB-ordered-before its
				   later Effects, its hardware updates only
				   with ETS2 or after an IFB (hwt) */
	uint64_t hwt;		/* the part of tdone the CPU's later
				   hardware updates are ordered after
				   (hw_floor) */
};

struct order {
	struct ord_slots slots;
	struct ord_locs locs;
	struct ord_msgs msgs;
	struct ord_views v[VMSA_MAX_CPUS];
	struct ord_tsv cand;	/* a read's or a write's candidates: room
				   for every message and one more */
	struct ord_reads reads;	/* every read of the execution */
	struct ord_reads walks;	/* walks' reads of descriptors whose
				   place in memory's order (lo: the walk's
				   ttd floor) is after the message read */
	struct ord_reads twalks; /* walks' reads of descriptors by a CPU
				   after one of its TLBIs completed (t: the
				   message read; lo: the CPU's last context
				   synchronisation event), which an access
				   later ordered before that TLBI must not
				   have overwritten (order_walks_missed) */
	uint64_t max_ts;	/* the newest timestamp */
	struct ord_tlbis tlbis;	/* TLBIs completed in this execution */
	struct ord_tlbis ltlbis; /* local (NSH) TLBIs completed: no place in
				   memory's order (ts 0), only their issuer's
				   walks compare with them
				   (order_tlbi_ca_step) */
	struct ord_xwrites xwrites; /* translated explicit accesses */
	/* Per CPU, the address view of the access whose walk it is running,
	 * which the walk is ordered after (Address dependency to an Implicit
	 * TTD Memory Read Effect). Per CPU because the step of each attempt
	 * of the walk (translate_retry's step_begin) lets other CPUs make
	 * whole accesses first; saved and restored around the translation
	 * (order_walk_begin/end) because an access nested on the same CPU,
	 * an interrupt handler's taken at that step or a fault handler's,
	 * must hand the outer access its own back. */
	uint64_t walk_addr[VMSA_MAX_CPUS];
	/* Per CPU, the explicit access it is translating (a load, a store,
	 * an atomic or an exclusive), which may use a retired entry
	 * (order_retired_ok): set around its translate_retry, saved and
	 * restored as walk_addr[]. rmw: an atomic (RMW, CAS), whose read
	 * takes the newest message and whose write follows it. */
	struct ord_acc {
		bool retire;
		vmsa_order_t ord;
		uint64_t addr, data;
		bool rmw;
	} acc[VMSA_MAX_CPUS];
	uint64_t bound;		/* not 0: the access being made used an
				   entry the TLBI at this place removed, and
				   goes before it (order_read,
				   order_write_ts) */
	bool newest;		/* the next read takes the newest message */
	/* An atomic's read and write (order_read_rmw): the next read is a
	 * successful read-modify-write's (or a CAS's) when rmw_read; once it
	 * read, rmw_set holds until its write takes a place above rmw_lo
	 * (the timestamp read) and at or below rmw_hi (the next message of
	 * the word: UINT64_MAX when it read the newest), where no write of
	 * the word comes between the two (B2.3.1, atomicity). */
	bool rmw_read, rmw_set;
	uint64_t rmw_lo, rmw_hi;
	/* The atomic's instruction (order_read_rmw), which may fulfil a
	 * promise of its CPU, and the promise its read chose to fulfil
	 * (index + 1; 0: none), which its write does (order_fulfil_rmw). */
	vmsa_promise_kind_t rmw_kind;
	vmsa_rmw_op_t rmw_op;
	uint64_t rmw_arg, rmw_data;
	uint32_t rmw_prom;
	bool rmw_noret;
	struct ord_tsv spec_seen; /* words whose initial value was offered a
				     speculative AF update (hwspec.c) */
	struct ord_proms proms;	/* the promises of this execution */
	unsigned pending[VMSA_MAX_CPUS]; /* not fulfilled yet, per CPU */
	/* Per CPU, the pick view of the value its last read returned (the
	 * fwd_pick of its own write it took), for vmsa_read_pick. */
	uint64_t read_pick[VMSA_MAX_CPUS];
	bool infeasible;	/* not an execution of the architecture
				   (tlbi_late.c): its caller drops it */
	/* The write-placement rule's records (docs/model.md, "A write's
	 * place below messages it could precede"): the explorer's event in
	 * progress (-1: none), set by the explorer; the plain data writes
	 * this event placed freely below newer messages (how many, the
	 * place of the last); free_place: the write being made took such
	 * a place (order_write_ts to order_write). */
	int32_t cur_ev;
	unsigned wp_n;
	uint64_t wp_ts;
	bool free_place;
	/* The retired-entry rule's records (docs/model.md, "An access
	 * through a retired entry it could precede"): how many accesses this
	 * event made through retired entries, the place of the TLBI that
	 * retired the last one's entry, and whether that one meets the
	 * rule's conditions (access_xlat_done). */
	unsigned rt_n;
	uint64_t rt_ts;
	bool rt_ok;
	/* The read rule's records (docs/model.md, "A read of an older
	 * message another order gives"): the reads this event made that
	 * chose among messages (how many; the last one's word and the
	 * timestamp it read, and whether it may be moved before the writes
	 * of its word it did not read: an older message than the newest,
	 * a plain or acquire read of data, no RMW, not through a retired
	 * entry, not forced to the newest message), and how many messages
	 * existed when the event began. */
	unsigned rd_n;
	bool rd_ok;
	uint64_t rd_word, rd_ts;
	uint32_t rd_msgs0;
};

int order_init(struct order *o);
void order_destroy(struct order *o);
/* Forget every message and view (reset, snapshot restore). */
void order_reset(struct order *o);
/* Is o as order_reset() leaves it (no message, view, read, TLBI,
 * promise or access record)? */
bool order_untouched(const struct order *o);
/* The explorer's event ev (-1: none) begins: the messages made from now
 * on are its, and its free placements and accesses through retired
 * entries are counted anew (dpor_wplace_redundant,
 * dpor_retired_redundant). */
void order_event(struct order *o, int32_t ev);

/*
 * A read of size bytes at pa by cpu (>= 0) whose newest value, as the
 * memory and cache models give it, is `now`: returns the value read,
 * chosen among the messages the CPU's views allow, and sets *view to
 * the read's post-view. `ord` adds acquire semantics, `addr` is the view
 * of its address. With `rmw_old` non-NULL it is the read of a
 * compare-and-swap: an older message is offered only when its value
 * differs from *rmw_old (a failed CAS is a plain read; a successful one
 * is atomic, so it reads the newest message).
 */
uint64_t order_read(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
		    uint64_t now, vmsa_order_t ord, vmsa_view_t addr,
		    const uint64_t *rmw_old, vmsa_view_t *view);

/*
 * The read of a Tag Check (FEAT_MTE2) of cpu: the Allocation Tag word at
 * pa (8-byte aligned), `now` memory's value there, addr the view of the
 * access's address, logical its Logical Address Tag. Returns the word it
 * read (an explorer choice among the messages the views allow) and its
 * post-view in *view. An Implicit Tag Memory Read Effect (docs/model.md,
 * "Allocation Tags and Tag Checked accesses"): ordered after its address
 * and what orders later reads (vrNew) and after the CPU's own tag stores
 * there (herd's coWR-MTE), not after its earlier reads of the word (no
 * coRR between tag reads: herd's MTE-CoRR+READS is Allowed); with ETS3 a
 * read whose tag differs (a Tag Check Fault) is ordered after every
 * earlier explicit access too. Later writes, and after an IFB every
 * later access, are ordered after it (vCAP).
 */
uint64_t order_tag_read(vmsa_machine_t *m, int cpu, uint64_t pa,
			uint64_t now, vmsa_view_t addr, unsigned logical,
			vmsa_view_t *view);

/*
 * The timestamp of a write by cpu at the 8-byte word `word`: a choice.
 * Option 0 appends it (the newest timestamp); the others place it
 * earlier, as if it had been promised then (Promising-ARM) and nobody
 * had read it: after every timestamp its pre-view and its coherence
 * view hold, and never where a read already made would have had to see
 * it. place: ORD_PLACE_APPEND, option 0 only (RMWs); ORD_PLACE_NEWEST
 * (descriptor stores) only places where it stays its word's newest
 * message and no walk already made would have had to see it. *newest
 * says whether no write to the word has a later timestamp (memory must
 * then hold its value).
 */
enum ord_place { ORD_PLACE_ANY, ORD_PLACE_NEWEST, ORD_PLACE_APPEND };

uint64_t order_write_ts(vmsa_machine_t *m, int cpu, uint64_t word,
			vmsa_order_t ord, vmsa_view_t addr, vmsa_view_t data,
			enum ord_place place, bool *newest);

/*
 * Feature relaxed: may cpu's explicit access to word (UINT64_MAX: not
 * known), described by order.acc[cpu], use an entry that another CPU's
 * completed TLBI, at place bound in memory's order, removed? It then
 * goes before that TLBI (B2.3.7 TLBI-ordered-before orders it before
 * everything after the TLBI's DSB): a read needs a message before the
 * TLBI it may still read, a write a free place before the TLBI that no
 * read ordered after the TLBI would have had to see, an atomic both,
 * its read being of the word's newest message (atomicity). Only while
 * order.acc[cpu].retire is set (explicit accesses being translated).
 */
bool order_retired_ok(vmsa_machine_t *m, int cpu, uint64_t word,
		      bool write, uint64_t bound);

/* An access that used a retired entry (order.bound set) has view ts
 * (a read's post-view, a write's place): the TLBI's issuer is now
 * ordered after it. False when the access is not before the TLBI
 * (ts at or after its place): nothing was joined. */
bool order_retired_access(vmsa_machine_t *m, uint64_t ts);

/* The word's value just before timestamp ts (`mem` when it has no
 * message: memory's value). */
uint64_t order_word_before(vmsa_machine_t *m, uint64_t word, uint64_t ts,
			   uint64_t mem);

/* The write itself: at the word that held `before` before any message
 * (its initial value), a message `after` with timestamp ts. rmw: it is
 * the write of a read-modify-write whose read was the CPU's last one. */
void order_write(vmsa_machine_t *m, int cpu, uint64_t word, uint64_t before,
		 uint64_t after, uint64_t ts, vmsa_order_t ord,
		 vmsa_view_t addr, vmsa_view_t data, bool rmw);

/*
 * A hardware Access flag or dirty state update by cpu's walk (FEAT_HAFDBS):
 * the word's newest message `after`, but none of the CPU's views move.
 * The update is a write of the translation hardware, not an explicit
 * access: no DMB and no DSB LD or DSB ST orders it before the CPU's later
 * accesses (RPLLLM, RRZYCN; herd7's DSB-ob only has [M]; po; [dsb.full]
 * for it), so a later load of the CPU may still read the older value
 * and a later store may take an earlier timestamp. Returns the
 * timestamp.
 */
uint64_t order_hw_write(vmsa_machine_t *m, int cpu, uint64_t word,
			uint64_t before, uint64_t after);

/*
 * A hardware update of a value that is no longer word's newest (RPLLLM:
 * atomic means no other write of the word between the walk's read and
 * the update in coherence order, not that the read is of the newest
 * value; herd's `atomic` axiom): right after the message holding `old`,
 * before the word's next write, at the earliest place nothing that
 * orders the update forbids and no read already made would have had to
 * see. False when there is none; else *ts is the place.
 */
bool order_hw_insert_ts(vmsa_machine_t *m, int cpu, uint64_t word,
			uint64_t old, uint64_t *ts);

/*
 * The update of order_hw_insert_ts() made at ts, `before` -> `after`: a
 * message of memory that is not the newest (memory, and what walks see,
 * do not change), of cpu's later DSBs like its other updates
 * (order_hw_write).
 */
void order_hw_insert(vmsa_machine_t *m, int cpu, uint64_t word,
		     uint64_t before, uint64_t after, uint64_t ts);

/* A speculative AF update (hwspec.c) of word from `before` to `after`:
 * the newest message, of no CPU's views; published to walks with cpu's
 * other stores there (cpu -1: none; then by the DSB SY/ISH of a CPU
 * whose walk read it, order_walk_read). */
void order_spec_write(vmsa_machine_t *m, int cpu, uint64_t word,
		      uint64_t before, uint64_t after);

/* True the first time it is asked about word in this execution when no
 * one has written word yet: its initial value may get a speculative
 * update. */
bool order_spec_first(vmsa_machine_t *m, uint64_t word);

/* cpu's walk read the value `value` of descriptor word `word` from
 * memory: the oldest message with that value (the least constraint) is
 * ordered before the CPU's accesses after its next DSB that orders loads
 * and stores, as its hardware updates are (herd's DSB-ob: [M]; po;
 * [dsb.full], walk reads included; B2.3.7). */
void order_walk_read(vmsa_machine_t *m, int cpu, uint64_t word,
		     uint64_t value);

/* The newest timestamp of a message of word with value `value`
 * (UINT64_MAX: none), and the newest timestamp cpu's explicit accesses
 * read or wrote: a walk that FEAT_ETS2 orders after them (a faulting
 * one) reads no value overwritten at or before that (ets2_excludes). */
uint64_t order_value_ts(const vmsa_machine_t *m, uint64_t word,
			uint64_t value);
uint64_t order_explicit_view(const vmsa_machine_t *m, int cpu);

/* cpu's DSB that orders loads and stores (SY, ISH, OSH, NSH): its
 * hardware updates so far are ordered before its later accesses. */
void order_hw_dsb(vmsa_machine_t *m, int cpu);

/* DMB (dsb false) or DSB of kind b; ISB. */
void order_barrier(vmsa_machine_t *m, int cpu, vmsa_barrier_t b, bool dsb);
void order_isb(vmsa_machine_t *m, int cpu);

/* What cpu's DSBs and ISBs so far order before its later
 * instructions, TLBIs included (DSB- and IFB-ordered-before): a TLBI's
 * view, taken at its issue. */
uint64_t order_tlbi_view(const vmsa_machine_t *m, int cpu);

/* A TLBI of cpu issued at step `issued`, ordered after `view`
 * (order_tlbi_view at its issue), completed at its DSB now: a place in memory's order that the CPU's
 * later writes come after, a choice (tlbi_place); returns it (0: a model
 * limit stopped the execution). */
uint64_t order_tlbi_done(vmsa_machine_t *m, int cpu, const vmsa_tlbi_t *t,
			 uint64_t view, uint64_t issued);

/* Did the completed TLBI at place ts complete at the current step? */
bool order_tlbi_now(const vmsa_machine_t *m, uint64_t ts);

/* cpu's explicit access, whose view (a write's timestamp, a read's
 * post-view) is `view`, was translated by the stage-1 entry tag, from
 * the descriptor desc at desc_pa: a TLBI of another CPU that removes
 * that entry once memory no longer holds desc orders it before
 * everything after the TLBI's DSB (B2.3.7, TLBI-ordered-before). */
/* Does TLBI t remove an entry tagged tag? A combined stage 1+2 tag
 * (VMSA_TLB_S12) stands for every VA (translate.c, s2_record): only the
 * TLBIs that remove every combined entry of its VMID do
 * (vmsa_tlbi_matches_any_va); any other tag as vmsa_tlbi_matches. */
bool order_tlbi_covers(const vmsa_tlbi_t *t, const vmsa_tlb_tag_t *tag);

void order_xlat_access(vmsa_machine_t *m, int cpu, uint64_t view,
		       const vmsa_tlb_tag_t *tag, uint64_t desc_pa,
		       uint64_t desc);

/* What TLBI-ordered-before puts before everything after the
 * completing DSB of a TLBI issued by cpu: an access of another CPU whose
 * view is `view` (B2.3.7). cpu's later reads and writes, its later DSBs
 * and so its later TLBIs are ordered after it. */
void order_tlbi_ob_join(vmsa_machine_t *m, int cpu, uint64_t since,
			uint64_t view);

/* Did a walk of cpu made after step (a TLBI's completing DSB) and
 * ordered after that DSB (with ETS2 or ETS3 every walk, otherwise one
 * after a later context synchronisation event: IFB-ordered-before) read
 * a descriptor value that a store at or before view overwrote? An access
 * ordered before that TLBI (TLBI-ordered-before) with view `view` would
 * have ordered the walk after the store: as for cpu's reads (B2.3.7;
 * fits_before in order.c, missed in tlbi_late.c). Records the words'
 * messages it compares; *looked (when not NULL) is set when a walk of
 * cpu after step was looked at. */
bool order_walks_missed(vmsa_machine_t *m, int cpu, uint64_t step,
			uint64_t view, bool *looked);

/* cpu's access, whose view is `view`, was translated (entry tag,
 * descriptor desc at desc_pa) by a walk that read a value another CPU's
 * TLBI, completed already, is ordered after the overwriting of: the walk
 * is TLBI-before that TLBI, so the access is ordered before everything
 * after its DSB, the issuer's reads made since included. When one of
 * them missed what the access's view holds, the execution is not one of
 * the architecture's (m->ord.infeasible). tlbi_late.c. */
void order_tlbi_late(vmsa_machine_t *m, int cpu, uint64_t view,
		     const vmsa_tlb_tag_t *tag, uint64_t desc_pa,
		     uint64_t desc);

/* cpu's DSB now makes its descriptor stores at words[0..n-1] visible
 * to walks (rule 4): a place in memory's order that its later writes
 * follow, recorded in those messages. */
void order_publish(vmsa_machine_t *m, int cpu, const uint64_t *words,
		   unsigned n);

/* What cpu's walks are ordered after by B2.3.7's relations that reach
 * Implicit TTD reads (Instruction-fetch-barrier- and, with ETS2,
 * DSB-ordered-before), joined with the view of the access's address
 * (early: 0, the walk being done at the window's start). */
uint64_t order_ttd_floor(const vmsa_machine_t *m, int cpu, bool early);

/* cpu starts translating an access whose address has view addr: its
 * walks and faults are ordered after addr. Returns what order_walk_end
 * restores once the translation is over: the view of the access it is
 * nested in, or 0. */
uint64_t order_walk_begin(vmsa_machine_t *m, int cpu, uint64_t addr);
void order_walk_end(vmsa_machine_t *m, int cpu, uint64_t outer);

/* What an access of cpu (and so whether its walk comes after a TLBI) is
 * ordered after: the view of its address joined with the reads-only
 * part of vrNew. And what a walk done early is ordered after: vTTD at
 * the last context synchronisation event. */
uint64_t order_walk_floor(const vmsa_machine_t *m, int cpu);
uint64_t order_cse_floor(const vmsa_machine_t *m, int cpu);

/* The view of cpu's translation w: the newest store its descriptor
 * reads (and TLB entries) took their values from (msg_ts_of in order.c
 * says which stores count). Those reads are ordered
 * before the access (Translation-intrinsically-before) and after the
 * writes they read from (TTD-observed-by: rf to an Implicit TTD Memory
 * Read Effect), so the access and what depends on its address are
 * ordered after those writes. 0 without the feature relaxed. */
uint64_t order_walk_view(const vmsa_machine_t *m, int cpu,
			 const vmsa_walk_t *w);

/* What a fault of the access being translated would be ordered after
 * (B2.3.7: the barriers, acquires, DSBs and ISBs that order an MMU
 * Fault Effect, and a release write's earlier accesses): a walk whose
 * value gives that fault was not done before a TLBI completed at or
 * before it (TLBI-ordered-before). */
uint64_t order_fault_floor(const vmsa_machine_t *m, int cpu);

/* The access being translated faults (walk w): the
 * exception entry that follows (an Instruction Fetch Barrier Effect,
 * whose context synchronisation order_isb() applies) orders what the
 * CPU does next after the walk that faulted (B2.3.7, Instruction-
 * fetch-barrier-ordered-before: Translation-intrinsically-before an
 * IFB), and with ETS2 (Translation, Access flag and Address size
 * faults) or ETS3 (any) after every earlier explicit access
 * (ETS-ordered-before). */
void order_fault(vmsa_machine_t *m, int cpu, const vmsa_walk_t *w);

/* FEAT_ETS2 under this ordering: a walk that gives a Translation,
 * Address size or Access flag fault is ordered after every explicit
 * access before it in program order (herd's ets-ob): the join of their
 * views (vrOld, vwOld). */
uint64_t order_ets_floor(const vmsa_machine_t *m, int cpu);

/* A walk of cpu read the descriptor value word got at `step`: another
 * CPU's write there is ordered before what the access is ordered
 * before (vrOld). */
void order_walk_seen(vmsa_machine_t *m, int cpu, uint64_t word,
		     uint64_t step);

/* The step of the newest message of word at or before timestamp ts (0:
 * none, the initial value). */
uint64_t order_step_at(const vmsa_machine_t *m, uint64_t word, uint64_t ts);

/* The step of the newest write to word that cpu has observed as of
 * floor (0: none): one it read itself with a load ordered before the
 * walk (timestamp at or before floor), or one whose publishing DSB is
 * ordered before the walk. A walk ordered after floor reads no older
 * value. */
uint64_t order_obs_step(const vmsa_machine_t *m, int cpu, uint64_t word,
			uint64_t floor);

/* What bounds how old a value cpu's walk (for an entry tagged `tag`)
 * may read: what orders the TTD read itself (order_ttd_floor: not DMBs
 * or acquires, B2.3.7), joined with the place of each other CPU's
 * completed TLBI covering the entry that the access is ordered after
 * (order_walk_floor). For order_obs_step. */
uint64_t order_walk_obs_floor(const vmsa_machine_t *m, int cpu,
			      const vmsa_tlb_tag_t *tag);

/* The step of the last TLBI completed at or before floor that removes
 * an entry tagged `tag` (0: none), issued by a CPU other than `skip`
 * (-1: any), and ordered after `over` (over <= its view; 0: any): a walk
 * ordered after floor was not done before it. A walk's value overwritten
 * by a write at `over` that the TLBI is not ordered after may still be
 * read after the TLBI (TLBI-coherence-after then orders the TLBI before
 * that write: no cycle). */
uint64_t order_tlbi_step(const vmsa_machine_t *m, uint64_t floor,
			 const vmsa_tlb_tag_t *tag, int skip, uint64_t over);

/* The step of the DSB that completed the TLBI whose place in memory's
 * order is ts (0: no such TLBI): what an access through an entry that
 * TLBI retired (struct held, tlbi_ts) was done before. */
uint64_t order_tlbi_done_step(const vmsa_machine_t *m, uint64_t ts);

/* The timestamp of the newest message of word holding value v (0: the
 * initial value, or word never written; UINT64_MAX: memory never held
 * v, e.g. a held entry's value). The newest is the least constraint for
 * order_overwritten(). */
uint64_t order_newest_ts(const struct order *o, uint64_t word, uint64_t v);

/* Is a store to word (not a hardware update, which the model makes
 * visible at once where the manual lets it come later) in (lo, hi]? */
bool order_overwritten(const struct order *o, uint64_t word, uint64_t lo,
		       uint64_t hi);

/* The timestamp of word's message made at `step` with `value`
 * (UINT64_MAX: none, e.g. without `relaxed`). */
uint64_t order_ts_of_step(const vmsa_machine_t *m, uint64_t word,
			  uint64_t step, uint64_t value);

/* The step of the newest write to word with a timestamp at or before
 * ts (0: none). A walk ordered after ts whose value would give a
 * TLBUncacheable fault reads no older value: such a read is coherence-
 * before the write that overwrote it, and that is an ordering
 * (TLBUncacheable-coherence-before), so the write must not be ordered
 * before the walk. */
uint64_t order_newest_step(const vmsa_machine_t *m, uint64_t word,
			   uint64_t ts);

/* The step of the newest write to word at or before the view of a
 * completed TLBI that removes an entry tagged `tag` and that cpu's walk
 * is ordered after (0: none): the walk reads no value that write
 * overwrote (TLBI-coherence-before: the TLBI, then the walk, then the
 * overwriting write, which the TLBI is ordered after). The walk is
 * ordered after another CPU's TLBI completed at or before floor, after
 * its own completed TLBI once a context synchronisation event followed
 * the completing DSB (last_cse: its step), or with ETS2 at once (the
 * DSB orders walks). */
/* The place in memory's order of the earliest completed broadcast TLBI
 * of a CPU other than cpu that removes an entry tagged tag and whose
 * view holds the write of word made at step over_step (0: none): an
 * entry of the value that write overwrote, cached by cpu now, was cached
 * TLBI-before that TLBI (TLBI-coherence-after keeps a walk after it
 * from the value): hold_old() makes it a retired entry. */
uint64_t order_tlbi_removed_ts(const vmsa_machine_t *m, int cpu,
			       uint64_t word, const vmsa_tlb_tag_t *tag,
			       uint64_t over_step);

uint64_t order_tlbi_coh_step(const vmsa_machine_t *m, int cpu,
			     uint64_t word, uint64_t floor,
			     const vmsa_tlb_tag_t *tag, uint64_t last_cse);

/* As order_tlbi_coh_step, for a walk's TLB-cacheable value older than
 * the newest one visible to walks (translate.c, unpublished_cands): the
 * step of the newest write to word at or before the view of a completed
 * TLBI that removes an entry tagged `tag` (0: none). cpu's own TLBIs,
 * local ones included, count as order_tlbi_coh_step's do; every other
 * CPU's completed TLBI counts as one the walk is after (where the
 * manual lets the walk be TLBI-before it, the model still forbids the
 * older value: docs/model.md, "Values a DSB published"). */
uint64_t order_tlbi_ca_step(const vmsa_machine_t *m, int cpu, uint64_t word,
			    const vmsa_tlb_tag_t *tag, uint64_t last_cse);

/* cpu's local (NSH) TLBI t, issued with view `view`, completed at this
 * step: recorded for cpu's later walks (order_tlbi_ca_step). */
void order_tlbi_local_done(vmsa_machine_t *m, int cpu, const vmsa_tlbi_t *t,
			   uint64_t view);

/* cpu's store of size bytes of v at pa, with these views: when it
 * fulfils one of cpu's pending promises (same PA, size and value, its
 * views before the promise's timestamp), it takes the promise's place
 * (no new message: memory has it already), updates the CPU's views as
 * a write there does, and returns true. promise.c. */
bool order_fulfil(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
		  uint64_t v, vmsa_order_t ord, vmsa_view_t addr,
		  vmsa_view_t data);

/* cpu's write at word took timestamp t, made earlier (a promise it
 * fulfils): its views change as order_write() changes them. */
void order_wrote(vmsa_machine_t *m, int cpu, uint64_t word, uint64_t t,
		 vmsa_order_t ord, vmsa_view_t addr, vmsa_view_t data);

/*
 * The forwarding bank of cpu's write just made at word (after
 * order_write or order_wrote; nothing without the feature): what a later
 * read of the CPU that takes its value depends on, B2.3.2's
 * dependencies through memory (herd7's lmrs in dtrm): `view` (its
 * address and data, and an atomic's read when the value written is
 * computed from it), `pick` (only through a pick dependency: a CAS's
 * comparison, a CSEL's condition; it orders later writes only,
 * Pick-ordered-before) and `acq` (the read of the atomic or
 * store-exclusive whose write it is: an acquire read that takes the
 * value is ordered after it, Atomic-ordered-before's [Exp & M]; rmw;
 * lmrs; [A | Q]).
 */
void order_fwd_set(vmsa_machine_t *m, int cpu, uint64_t word,
		   vmsa_view_t view, vmsa_view_t pick, vmsa_view_t acq);

/* What orders a write's data: its data dependency and its pick ones
 * (a CAS's comparison among them; deps may be NULL). */
static inline vmsa_view_t order_deps_data(const vmsa_access_deps_t *deps)
{
	vmsa_view_t v = 0;

	if (!deps)
		return 0;
	v = deps->data > v ? deps->data : v;
	v = deps->pick > v ? deps->pick : v;
	v = deps->cmp > v ? deps->cmp : v;
	return deps->cmp_pick > v ? deps->cmp_pick : v;
}

/* The pre-view of a write by cpu at word (order.c): its dependencies,
 * barriers, earlier addresses and branches, for a release everything
 * before it, and its location's coherence view. */
uint64_t order_write_pre(const vmsa_machine_t *m, int cpu, uint64_t word,
			 vmsa_order_t ord, vmsa_view_t addr, vmsa_view_t data);

/*
 * What a hardware update of word by cpu (its Access flag or dirty state
 * update, D8.5) is ordered after, besides the value its walk read
 * (B2.3.7; herd's ob to an HU event): its walk and what orders the walk
 * (an address dependency when in_walk, the access being translated
 * now; IFBs; with ETS2 DSBs: order_ttd_floor), the descriptors earlier
 * accesses' walks read and the CPU's earlier updates (v->hu; dob:
 * [Imp & TTD & R]; tr-ib; [Exp & M]; po; [HU]), earlier addresses and
 * branches (v->cap: addr; po; [HU], ctrl; [HU]). Not DMBs, acquires or
 * releases: Barrier-ordered-before ends at Explicit Memory and MMU
 * Fault Effects; nor, without ETS2, DSBs: DSB-ordered-before leaves out
 * Implicit TTD Memory Effects then (herd's LB+dmb.sy+acq-HU,
 * LB+dmb.sy+rel-HU, LB+dmb.sy+dsb.sy-HU Allowed, its -isb form and the
 * dsb.sy one with ETS2 Forbidden). Nor the CPU's own explicit accesses
 * of the descriptor (its coherence view there): B2.3's internal
 * coherence rules (coWW, coWR, coRW) are between Explicit Effects only,
 * so a CPU's SWP of a descriptor may read the update its later store's
 * walk makes (herd's coRmwWExpNExp Allowed); an explicit read that read
 * a value older than the update is ordered before it (HU-ca) only as
 * one edge of a cycle, which the views above close where B2.3 does.
 */
uint64_t order_hw_pre(const vmsa_machine_t *m, int cpu, bool in_walk);

/* cpu's walk made the hardware update of word from `before` to `after`:
 * when it fulfils one of cpu's pending promises of that update (its
 * place after order_hw_pre), the update takes the promise's place (no
 * new message: memory has it already) and returns true. promise.c. */
bool order_fulfil_hw(vmsa_machine_t *m, int cpu, uint64_t word,
		     uint64_t before, uint64_t after);

/* The next read of the machine reads the newest message (a wait loop,
 * which reads until it sees what it waits for: every write is
 * eventually visible). */
void order_read_newest(vmsa_machine_t *m);
/* The next read of the machine is an atomic read-modify-write's (or a
 * compare-and-swap's), whose write follows at once (ord_store with rmw):
 * a data word's read may take an older message when the write can take
 * a place right after it, before the word's next message (B2.3.1: no
 * write of the word between the two; Promising-ARM promises such a
 * write there); a descriptor's reads the newest. */
void order_read_rmw(vmsa_machine_t *m);
/* The same for an atomic that may fulfil a promise of its CPU: a RMW of
 * op with operand arg (kind VMSA_PROMISE_RMW) or a CAS whose new value
 * is arg (VMSA_PROMISE_CAS), whose write's data depends on view data;
 * noret: an atomic that returns nothing (ST<op>: ord_views.rld).
 * Its read then takes the write just before a matching promise whose
 * place its views allow (promise.c, order_rmw_promise). */
void order_read_rmw_of(vmsa_machine_t *m, vmsa_promise_kind_t kind,
		       vmsa_rmw_op_t op, uint64_t arg, vmsa_view_t data,
		       bool noret);
/* The message index + 1 (0: the initial value) that an atomic of cpu
 * fulfilling one of its pending promises reads, with the promise's
 * index + 1 in *prom; -1 when none can: the atomic's read of size
 * bytes at pa, with lower bound lo (no write of the word may be in
 * (read, lo]) and its write ordered after wpre, of the instruction
 * order_read_rmw_of named (rmw_old: a CAS's compared value). promise.c. */
int64_t order_rmw_promise(vmsa_machine_t *m, int cpu, uint64_t pa,
			  unsigned size, uint64_t lo, uint64_t wpre,
			  const uint64_t *rmw_old, uint32_t *prom);
/* The message of word just below timestamp ts (index + 1; 0: the
 * initial value, also when the word has no message), its word value in
 * *value (the initial one: 0 when the word has none). */
uint32_t order_msg_below(const struct order *o, uint64_t word, uint64_t ts,
			 uint64_t *value);
/* The write of the atomic whose read order_rmw_promise chose: it
 * fulfils that promise (its place already in memory), ordered as its
 * write (ord, addr, data); true when it did. promise.c. */
bool order_fulfil_rmw(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
		      uint64_t v, vmsa_order_t ord, vmsa_view_t addr,
		      vmsa_view_t data);
/* A LDXR of cpu at pa (size bytes) that just read (order_read): the
 * index + 1 of a pending STXR promise of cpu there whose place is right
 * after the write it read (its STXR may then pass and fulfil it), or 0.
 * promise.c. */
uint32_t order_ldxr_promise(vmsa_machine_t *m, int cpu, uint64_t pa,
			    unsigned size);
/* A STXR of cpu that passes, of v at pa, ordered by ord, addr: it
 * fulfils promise index + 1 `prom` (order_ldxr_promise) when that is
 * still right after the write its LDXR read (read record `read`) and
 * its views allow the place; true when it did (then that read's record
 * makes the pair atomic). promise.c. */
bool order_fulfil_stxr(vmsa_machine_t *m, int cpu, uint32_t prom,
		       uint32_t read, uint64_t pa, unsigned size, uint64_t v,
		       vmsa_order_t ord, vmsa_view_t addr);
/* Feature relaxed: must cpu's STXR fail because another CPU's write of
 * the word came between its LDXR's read (order.reads index `read`) and
 * the place its write could take (B2.3.1 and herd7's `atomic`: no write
 * of another observer between an exclusive pair's read and write in the
 * word's coherence order)? True when the message right after the one
 * the LDXR read is another CPU's and there is no room before it for a
 * write whose views reach pre. Another CPU's store of that word does not
 * clear the mark when it is made (monitor_clear_marks): this decides. */
bool order_stxr_blocked(const vmsa_machine_t *m, int cpu, uint32_t read,
			uint64_t pre);

/* A STXR that passes, after the LDXR whose read is order.reads[read],
 * its write ordered after pre: its write takes a place right after the
 * write that read took and before the word's next one, as an atomic's
 * (rmw_write_ts; B2.3.1: nothing comes between an exclusive pair's read
 * and its write); appended when there is no room there. */
void order_stxr_place(vmsa_machine_t *m, uint32_t read, uint64_t pre);
/* What an atomic's write at t orders (order_write, order_fulfil_rmw):
 * no write of word between its read and t (B2.3.1), and an acquiring
 * release atomic orders everything after it. */
void order_rmw_wrote(vmsa_machine_t *m, int cpu, uint64_t word, uint64_t t,
		     vmsa_order_t ord);

#endif
