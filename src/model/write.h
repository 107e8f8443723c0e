/*
 * src/model/write.h - stores that change descriptors (write.c) and plain
 * data accesses to memory through the cache (access.c).
 */
#ifndef VMSA_MODEL_WRITE_H
#define VMSA_MODEL_WRITE_H

#include "machine.h"

/* A 64-bit store of v at pa (8-byte aligned) by cpu (or VMSA_SETUP), of a
 * descriptor or of data that lands in a table: TLB effects, the
 * break-before-make check, walker visibility, then the write itself
 * (cacheable). Stops at a violation without writing. */
void desc_store(vmsa_machine_t *m, int cpu, uint64_t pa, uint64_t v);
/* A descriptor store desc_store() just made of v at pa for cpu is a
 * promise (promise.c): no DSB of cpu publishes it to walks until the
 * store that fulfils it runs, when desc_promise_own() makes it cpu's
 * pending store again. */
void desc_promise_hide(vmsa_machine_t *m, int cpu, uint64_t pa, uint64_t v);
void desc_promise_own(vmsa_machine_t *m, int cpu, uint64_t pa, uint64_t v);

/* How many times a store asked whether a new table maps its held
 * candidates the same way (fast_table() in write.c), since the machine
 * was made: a statistic for the tests, never reset by a restore. */
unsigned long write_table_asks(const vmsa_machine_t *m);
/* How many times a store tested a held candidate with the fast test
 * that may spare it the full break-before-make rule (fast_skip() in
 * write.c): the same kind of statistic. */
unsigned long write_skip_tests(const vmsa_machine_t *m);

/* Is pa inside a translation table of a context some CPU may cache?
 * (Out of memory: a model-limit violation, and false.) */
bool is_table_slot(vmsa_machine_t *m, uint64_t pa);

/* Is v, at descriptor word pa, a Block or Page descriptor with AF = 0 in
 * a translation stage with AF hardware management (TCR_ELx.HA /
 * VTCR_EL2.HA) of a context some CPU may cache? */
bool spec_af_leaf(vmsa_machine_t *m, uint64_t pa, uint64_t v);

/* Memory accesses at pa through the cache model (cacheable) or to the
 * Point of Coherency; a loss of coherency is a violation (after which the
 * access still completes, with the value the cache model gives). */
uint64_t data_read(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
		   bool cacheable);
/* What vmsa_phys_read(m, cpu, pa, size, cacheable) would do now, with
 * no step and nothing recorded or changed: false with *v the value it
 * would return (as a wait loop's read takes it: the newest value, also
 * under the feature relaxed), true when it would report a violation
 * instead (a freed page, a loss of coherency). The explorer's test of
 * whether a wait may make its read (docs/explorer.md, "Waits"). */
bool data_peek(const vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
	       bool cacheable, uint64_t *v);
/* data_write() of a descriptor word at pa (8-byte aligned), recorded as
 * that word only (footprint.h). */
void desc_data_write(vmsa_machine_t *m, int cpu, uint64_t pa, uint64_t v);
void data_write(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
		uint64_t v, bool cacheable);

/* A store of size bytes at pa by a CPU's access (access.c): a
 * descriptor store (desc_store()) when its word is in a table of a
 * context some CPU may cache, else data_write(). */
void access_store(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
		  uint64_t v, bool cacheable);

/* ---- For atomic.c (access.c) ---- */

struct xlat;
struct exc_abort_info;

struct ord_acc;

/*
 * Translate the explicit access acc of cpu (a load, a store, an atomic,
 * an exclusive) until it succeeds: each attempt is a step; a fault goes
 * to its handler and the instruction is retried. a: its ordering, the
 * views of its address and data, and rmw for an atomic (acc->kind is
 * VMSA_ACC_WRITE; a translation that may write but not read is a
 * Permission fault too, with WnR = 0). Every explicit access goes
 * through it and then access_xlat_done(), so that all obey the same
 * ordering of walks and TLBIs (retired entries, TLBI-ordered-before).
 * Returns false when the execution stopped or the access was skipped.
 */
bool access_xlat(vmsa_machine_t *m, int cpu, vmsa_access_t *acc,
		 const struct exc_abort_info *info, struct xlat *x,
		 const char *op, const struct ord_acc *a);

/* A plain cacheable read of size bytes at pa by cpu's explicit access
 * translated by x (under `relaxed` a choice of message: order_read),
 * ordered after its address (deps, may be NULL) and translation; *view
 * its post-view. */
uint64_t access_ord_read(vmsa_machine_t *m, int cpu, uint64_t pa,
			 unsigned size, const struct xlat *x,
			 const vmsa_access_deps_t *deps, vmsa_view_t *view);

/* vmsa_phys_read, with *view the read's post-view (0 without the
 * feature relaxed): for the explorer's waits, whose loop exits on the
 * value read (a control dependency on it: explore.c, wait_read). */
uint64_t access_phys_read_v(vmsa_machine_t *m, int cpu, vmsa_pa_t pa,
			    unsigned size, bool cacheable, vmsa_view_t *view);

/* vmsa_phys_write with release (STLR): vmsa_unlock's store. */
void access_phys_write_rel(vmsa_machine_t *m, int cpu, vmsa_pa_t pa,
			   unsigned size, uint64_t v, bool cacheable);

/* Deliver the fault in x->walk.fault of cpu's access to its handler
 * (as a translation fault is): false when the execution stopped, else
 * *retry says whether the instruction is to be retried. */
bool access_deliver_fault(vmsa_machine_t *m, int cpu, const struct xlat *x,
			  const struct exc_abort_info *info, bool *retry);

/* After the access translated by access_xlat(): made says whether it
 * made a memory access (a read, or a store's new message), view its
 * view (a read's post-view, a write's timestamp, their join for an
 * atomic). */
void access_xlat_done(vmsa_machine_t *m, int cpu, const struct xlat *x,
		      bool made, uint64_t view);

/* The timestamp of the message cpu's store made after the message list
 * held n_msgs (0: none). */
uint64_t access_store_ts(const vmsa_machine_t *m, int cpu, size_t n_msgs);

/* After an explicit memory access of cpu: the timestamps walks compare
 * with descriptor histories. */
void access_explicit(vmsa_machine_t *m, int cpu);

/* access_store() and, with the feature relaxed, a new message of memory
 * (order.c) with ordering ord and the views of its address and data;
 * rmw: the write of an atomic, made right after its read (appended: the
 * newest write of its word). */
void ord_store(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
	       uint64_t v, bool cacheable, vmsa_order_t ord, vmsa_view_t addr,
	       vmsa_view_t data, bool rmw);

/* ord_store of a plain write whose address has view addr and whose
 * data has dependencies deps (may be NULL): a pick dependency orders
 * it as data does, and a read that takes its value gets it as a pick
 * view (order_fwd_set). */
void ord_store_deps(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
		    uint64_t v, bool cacheable, vmsa_order_t ord,
		    vmsa_view_t addr, const vmsa_access_deps_t *deps);

/* Free the store lists the machine keeps (machine free). */
void write_scratch_free(vmsa_machine_t *m);

#endif
