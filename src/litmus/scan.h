/*
 * src/litmus/scan.h - what a litmus thread's registers hold along one
 * path of its code, without running it: the static evaluation that
 * promise.c's path walker steps instruction by instruction (the stores
 * a thread may promise, the pages whose hardware updates it may
 * promise, the accesses another thread's paths make).
 */
#ifndef VMSA_LITMUS_SCAN_H
#define VMSA_LITMUS_SCAN_H

#include "run_int.h"

/* What a scan along one path of the code knows: each register's value (when it
 * does not depend on a load's value) and the reads it depends on (bit
 * k: the k-th read of the code; reads past the 63rd share bit 63),
 * the same for the flags, the reads earlier branches depended on, and
 * the reads nothing orders before later stores yet. */
struct scan {
	uint64_t x[LIT_NREGS];
	bool known[LIT_NREGS];
	uint64_t dep[LIT_NREGS];
	uint64_t fdep, ctrl, pending;
	uint64_t noret;		/* the reads of atomics that return nothing
				   (ST<op>): DMB LD and DSB LD leave them
				   pending (herd's NoRet) */
	uint64_t ldxr;		/* the last LDXR's read: its STXR needs no
				   promise to pass it (coherence orders a
				   pair's write after its read: another
				   CPU reading the write before the LDXR
				   reads could not write what it reads) */
	unsigned nreads;
	bool und[LIT_NREGS];	/* herd7's undetermined values (struct
				   lit_cpu's und): not the same as not
				   known, SUB Rd,Rn,Rn is known (0) but
				   undetermined when Rn is */
	bool fund;
	bool fknown;		/* the flags do not depend on a load */
	struct lit_flags fl;
	bool handler;		/* the code is the thread's fault handler's
				   (an ADR there names its own labels) */
	bool st_pending;	/* a store no barrier orders before later
				   stores: a later PTE store may need a
				   promise (site_of) */
	bool pte_st_pending;	/* a store to a descriptor another thread
				   may write (or one the scan cannot
				   place) that no barrier orders before
				   later stores: any later store may need
				   a promise (promise.c, site_of; set by
				   its walk, cleared here) */
};

/* A scan's start: the thread's initial registers x0, all known, no
 * read made yet. */
void lit_scan_start(struct scan *sc, const uint64_t *x0);

/* The scan after instruction in of thread's code (or of its fault
 * handler, sc->handler): registers and flags, their dependencies on
 * earlier reads, which reads are still unordered before later stores.
 * Memory is not read: a loaded register is unknown. */
void lit_scan_eval(struct scan *sc, const struct lit_insn *in, int thread);

/* Register r's value as far as the scan knows it: whether it is known
 * (not from a load), the value (0 when not known), the reads it depends
 * on (bits), whether herd7 counts it undetermined (struct lit_cpu's
 * und). */
bool lit_scan_known(const struct scan *sc, struct lit_reg r);
uint64_t lit_scan_val(const struct scan *sc, struct lit_reg r);
uint64_t lit_scan_dep(const struct scan *sc, struct lit_reg r);
bool lit_scan_und(const struct scan *sc, struct lit_reg r);

/* The same for a second operand (a register or an immediate). */
bool lit_scan_opnd_known(const struct scan *sc, const struct lit_opnd *o);
uint64_t lit_scan_opnd_dep(const struct scan *sc, const struct lit_opnd *o);

/* An instruction that writes memory (a store, an exclusive or atomic,
 * a tag store). */
bool lit_is_write(const struct lit_insn *in);

#endif
