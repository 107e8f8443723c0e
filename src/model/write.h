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

/* Is pa inside a translation table of a context some CPU may cache?
 * (Out of memory: a model-limit violation, and false.) */
bool is_table_slot(vmsa_machine_t *m, uint64_t pa);

/* Memory accesses at pa through the cache model (cacheable) or to the
 * Point of Coherency; a loss of coherency is a violation (after which the
 * access still completes, with the value the cache model gives). */
uint64_t data_read(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
		   bool cacheable);
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

/* Free the store lists the machine keeps (machine free). */
void write_scratch_free(vmsa_machine_t *m);

#endif
