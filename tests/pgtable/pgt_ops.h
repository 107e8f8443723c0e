/*
 * tests/pgtable/pgt_ops.h - the page-table library's test ops (shared by
 * test_pgt_errors.c and test_pgt_random.c; the code is in pgt_ops.c).
 *
 * Plain memory, like the host backend, but every table page the library
 * gets is registered, so that the ops check the library keeps the ops
 * contract (include/vmsa/pgtable.h): a descriptor access outside a live
 * table page or not 8-byte aligned, a double free, a free of a counted
 * page, a reference count dropped below zero, a zalloc_pages of an
 * unsupported size, an unknown cache maintenance operation are each
 * recorded (bad, and why for the first) instead of followed. Physical
 * addresses differ from the pointers (TO_PA_FLIP), so that one used as
 * the other is caught. Allocation failure can be injected (fail_at),
 * and another walker's change before a given CAS (cas_at, race).
 *
 * With a backend (inner, e.g. the host's), every operation goes through
 * to it and the registry only watches: its pages, its counts, its
 * physical addresses.
 *
 * (pgt_test.h is the other tests' fixture: a table on the host backend
 * itself, with its recorded maintenance; these ops can wrap that backend
 * but do not share its code.)
 */
#ifndef VMSA_PGT_OPS_H
#define VMSA_PGT_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmsa/pgtable.h"

#define TO_MAX_PAGES 4096

typedef struct tops {
	vmsa_pgt_ops_t ops;
	size_t psize;
	void *page[TO_MAX_PAGES]; /* live pages */
	void *base[TO_MAX_PAGES]; /* the allocation each is part of */
	int count[TO_MAX_PAGES];  /* their reference counts */
	unsigned n;
	unsigned last;            /* index of the last page found */
	unsigned long allocs;     /* zalloc_page calls so far */
	long fail_at;             /* that allocation returns NULL; -1: none */
	unsigned long bad;        /* contract violations by the library */
	char why[240];            /* the first one */
	unsigned long n_dsb, n_isb, n_tlbi, n_cmo;
	unsigned long n_cmo_op[VMSA_PGT_IC_IALLUIS + 1];
	/* With a backend (the host's), every operation goes through to it
	 * and the registry only watches: its pages, its counts (compared
	 * with the registry's at every page_count), its physical
	 * addresses. */
	const vmsa_pgt_ops_t *inner;
	/* Another walker's change just before the cas_at-th CAS (-1: none):
	 * race(t, ptep) is called then, if set (test_pgt_errors.c's -EAGAIN
	 * tests); it keeps its target, old and new value here for the test
	 * to undo. */
	unsigned long n_cas;
	long cas_at;
	void (*race)(struct tops *t, uint64_t *ptep);
	uint64_t *raced;
	uint64_t raced_old, raced_new;
} tops_t;

/* Physical addresses differ from the owner's pointers (bit 46 flipped:
 * the host's pointers are below 2^47, so the result stays a 48-bit
 * address aligned as the pointer), so that a physical address used as a
 * pointer, or the reverse, is caught. */
#define TO_PA_FLIP (1ull << 46)

/* Ops on t (t->ops) for tables of granule g with features f: nothing
 * registered, no failure injected, no race, no backend. */
void tops_init(tops_t *t, vmsa_granule_t g, const vmsa_pgt_features_t *f);

/* Free whatever the library left (after a failed test), so that ASan's
 * leak check reports the library's leaks only through the test. */
void tops_release(tops_t *t);

/* The index of the live page holding addr, or -1. */
int to_find(tops_t *t, const void *addr);

#endif
