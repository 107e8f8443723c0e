/*
 * bench/pgtable_lib.h - one page-table library as bench/pgtable drives
 * it, so that vmsa and Linux's kvm_pgtable run the same measurements
 * through the same calls. Every table is a stage-2 table with the 4K
 * granule, a 40-bit IPA space and start level 1 (two concatenated root
 * pages), changed by exclusive walks (the caller holds the lock), on a
 * machine without FEAT_S2FWB or FEAT_TLBIRANGE whose TLB and cache
 * maintenance does nothing. Table pages come from a pool that zeroes a
 * page when it hands it out.
 */
#ifndef VMSA_BENCH_PGTABLE_LIB_H
#define VMSA_BENCH_PGTABLE_LIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct bench_pgt_lib {
	const char *name;
	const char *version;
	/* A new empty table, or NULL. */
	void *(*create)(void);
	/* Free every page of t. */
	void (*destroy)(void *t);
	/* Map [ipa, ipa + size) to [pa, pa + size) read-write, cacheable,
	 * not executable: with pages only, or with the largest blocks size
	 * and alignment allow. Returns 0 or a negative errno. */
	int (*map)(void *t, uint64_t ipa, uint64_t size, uint64_t pa,
		   bool pages);
	/* Unmap, write-protect, split blocks into pages: 0 or -errno. */
	int (*unmap)(void *t, uint64_t ipa, uint64_t size);
	int (*wrprotect)(void *t, uint64_t ipa, uint64_t size);
	int (*split)(void *t, uint64_t ipa, uint64_t size);
	/* The leaf descriptor mapping ipa and its level (checks only). */
	int (*leaf)(void *t, uint64_t ipa, uint64_t *desc, int *level);
	/* Table pages allocated and not freed, roots included. */
	long (*pages_in_use)(void);
	/* Warnings the library raised (Linux's WARN_ON): nonzero means the
	 * benchmark misused it. */
	unsigned long (*warnings)(void);
} bench_pgt_lib_t;

#ifdef VMSA_BENCH_LINUX
/* bench/linux-shim/kvm_lib.c: Linux's arch/arm64/kvm/hyp/pgtable.c. */
extern const bench_pgt_lib_t bench_linux_lib;
#endif

#endif
