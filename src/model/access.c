/*
 * src/model/access.c - memory accesses of the CPUs: descriptors by
 * address, physical data, data through translation, cache maintenance,
 * and the page allocator.
 *
 * An access through translation is: translate (translate.c, with every
 * choice the architecture allows), maybe a TLB conflict abort, maybe the
 * nT bit's Translation fault, a fault delivered to a handler and the
 * access retried, then the memory access with the translation's memory
 * type (cacheable or at the Point of Coherency). Generic violations found
 * on the way: a walk through a freed table, an access to a freed page
 * (through a stale entry or not), loss of coherency.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "atomic.h"
#include "barrier.h"
#include "footprint.h"
#include "cpu.h"
#include "hwspec.h"
#include "mte.h"
#include "order.h"
#include "same.h"
#include "spe.h"
#include "translate.h"
#include "validate.h"
#include "write.h"

/* ------------------------------------------------------------------ */
/* Memory and pages                                                    */
/* ------------------------------------------------------------------ */

void *vmsa_pa_ptr(vmsa_machine_t *m, vmsa_pa_t pa)
{
	return mem_host_ptr(&m->mem, pa);
}

int vmsa_pa_store(vmsa_machine_t *m, vmsa_pa_t pa, unsigned size, uint64_t v)
{
	if (!m || (size != 1 && size != 2 && size != 4 && size != 8) ||
	    pa % size || !mem_contains(&m->mem, pa, size))
		return -EINVAL;
	mem_write(&m->mem, pa, size, v);
	return 0;
}

const void *vmsa_pa_cptr(const vmsa_machine_t *m, vmsa_pa_t pa)
{
	return mem_cptr(&m->mem, pa);
}

vmsa_pa_t vmsa_ptr_pa(const vmsa_machine_t *m, const void *p)
{
	return mem_pa(&m->mem, p);
}

bool vmsa_page_is_free(const vmsa_machine_t *m, vmsa_pa_t pa)
{
	/* CPU code (the page-table library's checks) branches on it. */
	fp_page_state(m, pa, false);
	return mem_page_free(&m->mem, pa);
}

uint64_t vmsa_pages_free(const vmsa_machine_t *m)
{
	fp_alloc_all(m);
	return mem_free_pages(&m->mem);
}

/* Zeroed pages are new memory for walks too: their old descriptor
 * values are gone from every history (the zeroing is visible at once).
 * All of [pa, pa + size) in one pass: hist_forget_page() visits the
 * smaller of the table's slots and the range's words, and 512 passes
 * over the slots for a 2 MiB block were a fifth of the search of
 * kvm-bbml2/table-to-block-vmid. */
static void forget_history(vmsa_machine_t *m, uint64_t pa, uint64_t size)
{
	m->hist_gen++;
	if (hist_forget_page(&m->hist, pa, size, m->step, oldest_window(m)))
		violation(m, m->step_cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for descriptor history");
}

vmsa_pa_t vmsa_page_alloc(vmsa_machine_t *m, int cpu, unsigned n,
			  unsigned align_pages)
{
	uint64_t pa;

	if (!check_cpu_or_setup(m, "vmsa_page_alloc", cpu) ||
	    !check_alloc(m, "vmsa_page_alloc", cpu, n, align_pages) ||
	    !step_begin(m, cpu))
		return VMSA_BAD_PA;
	/* It reads the allocator whole (which pages are free); when it
	 * succeeds it changes it and the pages it hands out
	 * (fp_pages_taken). */
	fp_alloc_all(m);
	pa = mem_alloc(&m->mem, n, align_pages);
	if (pa == VMSA_BAD_PA) {
		/* A failed allocation is a step too: it is in the trace. */
		if (cpu >= 0)
			trace(m, cpu, "alloc", "%u page(s): out of memory", n);
		return pa;
	}
	if (m->fp)
		fp_pages_taken(m, pa, n, hist_page_any(&m->hist, pa,
						      (uint64_t)n *
						      VMSA_PAGE_SIZE));
	cache_page_zeroed(&m->cache, pa, (uint64_t)n * VMSA_PAGE_SIZE);
	forget_history(m, pa, (uint64_t)n * VMSA_PAGE_SIZE);
	if (cpu >= 0)
		trace(m, cpu, "alloc", "%u page(s) at 0x%" PRIx64, n, pa);
	return pa;
}

void vmsa_page_free(vmsa_machine_t *m, int cpu, vmsa_pa_t pa, unsigned n)
{
	int err;

	if (!check_cpu_or_setup(m, "vmsa_page_free", cpu) ||
	    !check_free(m, "vmsa_page_free", cpu, pa, n) ||
	    !step_begin(m, cpu))
		return;
	/* The state of each page (free, when: page_freed_now), which its
	 * walks and accesses read; the allocator's free count and first
	 * free page, which allocations read whole (and which change the
	 * same way in either order of two frees): fp_pages_freed. */
	fp_pages_freed(m, pa, n);
	err = mem_free(&m->mem, pa, n);
	for (unsigned i = 0; !err && i < n; i++)
		page_freed_now(m, pa + (uint64_t)i * VMSA_PAGE_SIZE);
	if (cpu >= 0)
		trace(m, cpu, "free", "%u page(s) at 0x%" PRIx64, n, pa);
	if (err)
		violation(m, cpu, VMSA_V_DOUBLE_FREE, NULL,
			  "CPU%d frees %u page(s) at PA 0x%" PRIx64
			  " that are not all allocated", cpu, n, pa);
}

/* ------------------------------------------------------------------ */
/* Data through the cache model                                        */
/* ------------------------------------------------------------------ */

static void coherency(vmsa_machine_t *m, int cpu, int ev, uint64_t pa)
{
	if (ev > 0 && cpu >= 0)
		violation(m, cpu, VMSA_V_COHERENCY, NULL,
			  "CPU%d at PA 0x%" PRIx64 ": %s", cpu, pa,
			  cache_event_text((enum cache_event)ev));
}

uint64_t data_read(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
		   bool cacheable)
{
	uint64_t v = 0;

	fp_data_read(m, pa, size, cacheable);
	coherency(m, cpu, cache_read(&m->cache, &m->mem, pa, size, cacheable,
				     &v), pa);
	return v;
}

bool data_peek(const vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
	       bool cacheable, uint64_t *v)
{
	/* The checks of phys_ok() and coherency() that can fail once the
	 * arguments are valid: a freed page, a cache event. */
	if (cpu >= 0 && mem_page_free(&m->mem, pa))
		return true;
	return cache_read(&m->cache, &m->mem, pa, size, cacheable, v) > 0 &&
	       cpu >= 0;
}

/* data_write() without recording its line (the caller records what it
 * touched). */
static void write_data(vmsa_machine_t *m, int cpu, uint64_t pa,
		       unsigned size, uint64_t v, bool cacheable)
{
	int ev;

	fp_data_write(m, pa, size);
	ev = cache_write(&m->cache, &m->mem, pa, size, cacheable, v);

	/* Every store to memory, data or descriptor, by a CPU or set-up
	 * (and the walker's own updates, which come here too), clears the
	 * other CPUs' exclusive marks on its granule (B2.12.2). */
	monitor_clear(m, cpu, pa, size);
	if (ev < 0)
		violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "out of memory in the cache model");
	else
		coherency(m, cpu, ev, pa);
	if (m->same.n)
		same_after_store(m, cpu, pa, size);
}

void data_write(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
		uint64_t v, bool cacheable)
{
	fp_line(m, pa, true);
	write_data(m, cpu, pa, size, v, cacheable);
}

void desc_data_write(vmsa_machine_t *m, int cpu, uint64_t pa, uint64_t v)
{
	/* Only the word and the line's cache state: walks of other words
	 * of the line read nothing it changes, while data accesses of the
	 * word, and cache maintenance of the line, still meet it. */
	fp_word(m, pa, true);
	fp_cached_write(m, pa);
	write_data(m, cpu, pa, 8, v, true);
}

/* access_store() when the caller may know already whether the word is a
 * descriptor: slot 1 or 0 (is_table_slot()'s answer earlier in this
 * step, before anything that could change the tables), -1 to ask. */
static void store_word(vmsa_machine_t *m, int cpu, uint64_t pa,
		       unsigned size, uint64_t v, bool cacheable, int slot)
{
	uint64_t word = pa & ~7ull, old, mask, shift;

	/* Is it a descriptor: the table structure at its page, and the
	 * contexts some CPU may cache (find_slots() records both). */
	if (cpu >= 0 && slot < 0)
		slot = is_table_slot(m, word);
	if (cpu < 0 || !slot) {
		data_write(m, cpu, pa, size, v, cacheable);
		return;
	}
	old = mem_read(&m->mem, word, 8);
	shift = (pa & 7) * 8;
	mask = size == 8 ? ~0ull : ((1ull << (size * 8)) - 1) << shift;
	desc_store(m, cpu, word, (old & ~mask) | ((v << shift) & mask));
}

/* A store of size bytes that may land in a translation table: tables see
 * the whole 64-bit word it changes. */
void access_store(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
		  uint64_t v, bool cacheable)
{
	store_word(m, cpu, pa, size, v, cacheable, -1);
}

/*
 * The same accesses under Arm's ordering (feature relaxed, order.c): a
 * CPU's read may return an older write than memory's newest one, and a
 * CPU's store is a new message. Without the feature, data_read() and
 * access_store() alone: one test on the hot path.
 */
static uint64_t ord_read(vmsa_machine_t *m, int cpu, uint64_t pa,
			 unsigned size, bool cacheable, vmsa_order_t ord,
			 vmsa_view_t addr, const uint64_t *rmw_old,
			 vmsa_view_t *view)
{
	uint64_t v = data_read(m, cpu, pa, size, cacheable);

	if (view)
		*view = 0;
	if (!m->f.relaxed || cpu < 0 || m->stopped)
		return v;
	v = order_read(m, cpu, pa, size, v, ord, addr, rmw_old, view);
	/* A non-cacheable read may return the PoC's copy: not one the
	 * read rule moves (dpor_read_redundant). */
	if (!cacheable)
		m->ord.rd_ok = false;
	return v;
}

/* The word w with the size bytes at pa's offset replaced by v. */
static uint64_t merge_word(uint64_t w, uint64_t pa, unsigned size, uint64_t v)
{
	uint64_t shift = (pa & 7) * 8;
	uint64_t mask = size >= 8 ? ~0ull : ((1ull << (size * 8)) - 1) << shift;

	return (w & ~mask) | ((v << shift) & mask);
}

/* rmw: the write of a successful atomic (RMW or CAS), atomic with the
 * read just made: right after the message it read (order_read_rmw;
 * appended after a descriptor's newest). A store that lands in a translation table
 * stays its word's newest message (rule 4 decides what walks see) but
 * may go before other locations' messages (order_write_ts). A write placed before
 * a newer write of its word leaves memory as it is (memory holds the
 * newest value). slot: 1 a descriptor store whatever the tables say
 * (the C API's vmsa_desc_write: desc_store keeps its history even in a
 * page no table links yet), -1 ask is_table_slot(). Only under relaxed
 * and for a CPU (the caller's test). */
static void ord_store_slot(vmsa_machine_t *m, int cpu, uint64_t pa,
			   unsigned size, uint64_t v, bool cacheable,
			   vmsa_order_t ord, vmsa_view_t addr,
			   vmsa_view_t data, bool rmw, int slot)
{
	uint64_t word = pa & ~7ull, before, after, ts;
	bool newest;

	/* A store or an atomic that fulfils its CPU's promise is in
	 * memory already (promise.c; an atomic's read chose it). */
	if (m->ord.pending[cpu] &&
	    (rmw ? order_fulfil_rmw(m, cpu, pa, size, v, ord, addr, data) :
		   order_fulfil(m, cpu, pa, size, v, ord, addr, data))) {
		fp_line(m, pa, true);
		return;
	}
	before = mem_read(&m->mem, word, 8);
	/* Placing the write changes no table: the answer holds for the
	 * store below (asked once: a fiftieth of a litmus search). */
	if (slot < 0 && !rmw)
		slot = is_table_slot(m, word);
	ts = order_write_ts(m, cpu, word, ord, addr, data,
			    rmw ? ORD_PLACE_APPEND :
			    slot ? ORD_PLACE_NEWEST : ORD_PLACE_ANY, &newest);
	if (m->stopped)
		return;
	if (newest) {
		store_word(m, cpu, pa, size, v, cacheable, slot);
		if (m->stopped)
			return;
		after = mem_read(&m->mem, word, 8);
	} else {
		fp_line(m, pa, true);
		after = merge_word(order_word_before(m, word, ts, before), pa,
				   size, v);
	}
	order_write(m, cpu, word, before, after, ts, ord, addr, data, rmw);
	/* A store that lands in a translation table: the hardware may set
	 * AF in what it wrote (hwspec.c). */
	if (m->f.hafdbs && newest && !m->stopped &&
	    (slot > 0 || is_table_slot(m, word)))
		spec_af_after_write(m, cpu, word, after, rmw && after == before);
}

void ord_store(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
	       uint64_t v, bool cacheable, vmsa_order_t ord, vmsa_view_t addr,
	       vmsa_view_t data, bool rmw)
{
	if (!m->f.relaxed || cpu < 0) {
		access_store(m, cpu, pa, size, v, cacheable);
		return;
	}
	ord_store_slot(m, cpu, pa, size, v, cacheable, ord, addr, data, rmw,
		       -1);
}

void ord_store_deps(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
		    uint64_t v, bool cacheable, vmsa_order_t ord,
		    vmsa_view_t addr, const vmsa_access_deps_t *deps)
{
	ord_store(m, cpu, pa, size, v, cacheable, ord, addr,
		  order_deps_data(deps), false);
	if (deps && deps->pick)
		order_fwd_set(m, cpu, pa & ~7ull,
			      addr > deps->data ? addr : deps->data,
			      deps->pick, 0);
}

/* ------------------------------------------------------------------ */
/* Descriptors and physical accesses                                   */
/* ------------------------------------------------------------------ */

/*
 * The checks of a physical access by `fn`, then its step: the arguments
 * (validate.h: a PA outside memory is the scenario's mistake, not a use
 * after free), then the page-table code touching a page that is no
 * longer its. False when the access must not happen.
 */
static bool phys_ok(vmsa_machine_t *m, int cpu, uint64_t pa, unsigned size,
		    const char *fn, const char *what)
{
	if (!check_cpu_or_setup(m, fn, cpu) ||
	    !check_pa(m, fn, cpu, pa, size) || !step_begin(m, cpu))
		return false;
	if (cpu >= 0)
		fp_page_state(m, pa, false);
	if (cpu >= 0 && mem_page_free(&m->mem, pa)) {
		violation(m, cpu, VMSA_V_UAF, NULL,
			  "CPU%d: %s at PA 0x%" PRIx64 " in a freed page", cpu,
			  what, pa);
		return false;
	}
	return true;
}

void access_explicit(vmsa_machine_t *m, int cpu)
{
	/* A timestamp that walks compare with descriptor histories. */
	fp_flags(m, FP_DESC_R);
	if (cpu >= 0) {
		/* With ETS2 it starts the CPU's window: stores and DSBs of
		 * other CPUs read it. Not under relaxed, where the windows
		 * ignore last_explicit (spurious_window(), perm_window() in
		 * translate.c: an explicit access orders a walk only as far
		 * as its views reach, which order.c keeps), so the step
		 * changes no window and need not be ordered with them. */
		if (m->f.ets2 && !m->f.relaxed)
			fp_obj(m, FP_OBJ_WINDOW + (unsigned)cpu, true);
		m->cpu[cpu].last_explicit = m->step;
	}
}

static uint64_t desc_read(vmsa_machine_t *m, int cpu, vmsa_pa_t pa,
			  const char *fn)
{
	uint64_t v;

	if (!phys_ok(m, cpu, pa, 8, fn, "descriptor read"))
		return 0;
	v = ord_read(m, cpu, pa, 8, true, VMSA_ORD_PLAIN, 0, NULL, NULL);
	access_explicit(m, cpu);
	if (cpu >= 0)
		trace(m, cpu, "read-desc", "[0x%" PRIx64 "] = 0x%016" PRIx64,
		      pa, v);
	return v;
}

/* desc_store() as a message of memory too (feature relaxed). */
/* A descriptor store of the C API (vmsa_desc_write, vmsa_desc_cas's
 * write: rmw), under relaxed placed as a litmus store that lands in a
 * table: its word's newest message, and below other locations'
 * messages where order_write_ts offers it (appended at memory's newest
 * place it would order a later store of its CPU, through a DSB, after
 * a store it never observed: diy7's S003 with a descriptor store,
 * test_order.c order_desc_store_below_unobserved_store); a pending
 * promise of its CPU is fulfilled as by any store. */
static void ord_desc_store(vmsa_machine_t *m, int cpu, uint64_t pa,
			   uint64_t v, bool rmw)
{
	if (!m->f.relaxed || cpu < 0) {
		desc_store(m, cpu, pa, v);
		return;
	}
	ord_store_slot(m, cpu, pa, 8, v, true, VMSA_ORD_PLAIN, 0, 0, rmw, 1);
}

static void desc_write(vmsa_machine_t *m, int cpu, vmsa_pa_t pa, uint64_t v,
		       const char *fn)
{
	if (!phys_ok(m, cpu, pa, 8, fn, "descriptor write"))
		return;
	if (cpu >= 0)
		trace(m, cpu, "write-desc", "[0x%" PRIx64 "] := 0x%016" PRIx64,
		      pa, v);
	ord_desc_store(m, cpu, pa, v, false);
	access_explicit(m, cpu);
}

/* The PA of a descriptor given by host pointer, or false after a
 * bad-call violation. */
static bool desc_pa(vmsa_machine_t *m, int cpu, const void *p,
		    const char *fn, vmsa_pa_t *pa)
{
	return check_cpu_or_setup(m, fn, cpu) &&
	       check_desc_ptr(m, fn, cpu, p, pa);
}

uint64_t vmsa_desc_read_pa(vmsa_machine_t *m, int cpu, vmsa_pa_t pa)
{
	return desc_read(m, cpu, pa, "vmsa_desc_read_pa");
}

void vmsa_desc_write_pa(vmsa_machine_t *m, int cpu, vmsa_pa_t pa, uint64_t v)
{
	desc_write(m, cpu, pa, v, "vmsa_desc_write_pa");
}

uint64_t vmsa_desc_read(vmsa_machine_t *m, int cpu, const uint64_t *p)
{
	vmsa_pa_t pa;

	if (!desc_pa(m, cpu, p, "vmsa_desc_read", &pa))
		return 0;
	return desc_read(m, cpu, pa, "vmsa_desc_read");
}

void vmsa_desc_write(vmsa_machine_t *m, int cpu, uint64_t *p, uint64_t v)
{
	vmsa_pa_t pa;

	if (desc_pa(m, cpu, p, "vmsa_desc_write", &pa))
		desc_write(m, cpu, pa, v, "vmsa_desc_write");
}

uint64_t vmsa_desc_cas(vmsa_machine_t *m, int cpu, uint64_t *p, uint64_t old,
		       uint64_t v)
{
	static const char fn[] = "vmsa_desc_cas";
	uint64_t cur;
	vmsa_pa_t pa;

	if (!desc_pa(m, cpu, p, fn, &pa) ||
	    !phys_ok(m, cpu, pa, 8, fn, "descriptor CAS"))
		return 0;
	cur = ord_read(m, cpu, pa, 8, true, VMSA_ORD_PLAIN, 0, &old, NULL);
	if (cpu >= 0)
		trace(m, cpu, "cas-desc", "[0x%" PRIx64 "] 0x%016" PRIx64
		      " -> 0x%016" PRIx64 ": %s", pa, old, v,
		      cur == old ? "swapped" : "failed");
	if (cur == old)
		ord_desc_store(m, cpu, pa, v, true);
	access_explicit(m, cpu);
	return cur;
}

static uint64_t phys_read(vmsa_machine_t *m, int cpu, vmsa_pa_t pa,
			  unsigned size, bool cacheable, vmsa_view_t *view)
{
	uint64_t v;

	if (view)
		*view = 0;
	if (!phys_ok(m, cpu, pa, size, "vmsa_phys_read", "read"))
		return 0;
	v = ord_read(m, cpu, pa, size, cacheable, VMSA_ORD_PLAIN, 0, NULL,
		     view);
	access_explicit(m, cpu);
	if (cpu >= 0)
		trace(m, cpu, "read-pa", "[0x%" PRIx64 "]/%u%s = 0x%" PRIx64,
		      pa, size, cacheable ? "" : " nc", v);
	return v;
}

uint64_t vmsa_phys_read(vmsa_machine_t *m, int cpu, vmsa_pa_t pa,
			unsigned size, bool cacheable)
{
	return phys_read(m, cpu, pa, size, cacheable, NULL);
}

uint64_t access_phys_read_v(vmsa_machine_t *m, int cpu, vmsa_pa_t pa,
			    unsigned size, bool cacheable, vmsa_view_t *view)
{
	return phys_read(m, cpu, pa, size, cacheable, view);
}

static void phys_write(vmsa_machine_t *m, int cpu, vmsa_pa_t pa,
		       unsigned size, uint64_t v, bool cacheable,
		       vmsa_order_t ord)
{
	if (!phys_ok(m, cpu, pa, size, "vmsa_phys_write", "write"))
		return;
	if (cpu >= 0)
		trace(m, cpu, "write-pa", "[0x%" PRIx64 "]/%u%s := 0x%" PRIx64,
		      pa, size, cacheable ? "" : " nc", v);
	ord_store(m, cpu, pa, size, v, cacheable, ord, 0, 0, false);
	access_explicit(m, cpu);
}

void access_phys_write_rel(vmsa_machine_t *m, int cpu, vmsa_pa_t pa,
			   unsigned size, uint64_t v, bool cacheable)
{
	phys_write(m, cpu, pa, size, v, cacheable, VMSA_ORD_REL);
}

void vmsa_phys_write(vmsa_machine_t *m, int cpu, vmsa_pa_t pa, unsigned size,
		     uint64_t v, bool cacheable)
{
	phys_write(m, cpu, pa, size, v, cacheable, VMSA_ORD_PLAIN);
}

/*
 * A data compare-and-swap: one step that reads and, when the value is
 * `old`, writes, as vmsa_phys_read() and vmsa_phys_write() do. Unlike
 * vmsa_desc_cas() it is plain data: it keeps no descriptor history, so
 * a lock word costs the walk and BBM machinery nothing (a CAS into a
 * word of a live table is still a descriptor store, as a plain write
 * there is).
 */
/* vmsa_phys_cas and vmsa_phys_cas_ord (fn): the read with ord's
 * acquire, the write with its release. */
static uint64_t phys_cas(vmsa_machine_t *m, int cpu, vmsa_pa_t pa,
			 unsigned size, uint64_t old, uint64_t v,
			 bool cacheable, vmsa_order_t ord, const char *fn)
{
	uint64_t mask = size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
	uint64_t cur, want;

	if (!phys_ok(m, cpu, pa, size, fn, "CAS") ||
	    !check_order_in(m, fn, cpu, ord, ORD_OK_RMW))
		return 0;
	want = old & mask;
	if (m->f.relaxed && cpu >= 0 && !m->stopped)
		order_read_rmw(m);
	cur = ord_read(m, cpu, pa, size, cacheable, ord, 0, &want, NULL);
	if (cpu >= 0)
		trace(m, cpu, "cas-pa", "[0x%" PRIx64 "]/%u%s 0x%" PRIx64
		      " -> 0x%" PRIx64 ": %s", pa, size, cacheable ? "" : " nc",
		      old, v, cur == (old & mask) ? "swapped" : "failed");
	/* Its write is atomic with the read (rmw: placed in the word's
	 * coherence order right after the write it read, under relaxed). */
	if (cur == (old & mask) && !m->stopped)
		ord_store(m, cpu, pa, size, v, cacheable, ord, 0, 0, true);
	access_explicit(m, cpu);
	return cur;
}

uint64_t vmsa_phys_cas(vmsa_machine_t *m, int cpu, vmsa_pa_t pa, unsigned size,
		       uint64_t old, uint64_t v, bool cacheable)
{
	return phys_cas(m, cpu, pa, size, old, v, cacheable, VMSA_ORD_PLAIN,
			"vmsa_phys_cas");
}

uint64_t vmsa_phys_cas_ord(vmsa_machine_t *m, int cpu, vmsa_pa_t pa,
			   unsigned size, uint64_t old, uint64_t v,
			   bool cacheable, vmsa_order_t ord)
{
	return phys_cas(m, cpu, pa, size, old, v, cacheable, ord,
			"vmsa_phys_cas_ord");
}

/*
 * A data atomic add (LDADD/STADD by physical address): one step that
 * reads the word and writes old + delta, returning only old & mask.
 * Where nothing but the add's own value can make it differ from another
 * CPU's add in either order (a CPU's cacheable add, not under relaxed,
 * to a line that is not stale in the cache model, nor a slot of a live
 * table), its footprint is a commuting add (fp_add: two adds of one
 * word commute when neither can change what the other observes,
 * docs/explorer.md, "Commuting adds"); otherwise it is any
 * read-modify-write: the line read and written.
 */
static bool add_commutes(vmsa_machine_t *m, int cpu, uint64_t pa,
			 bool cacheable)
{
	if (cpu < 0 || !cacheable || m->f.relaxed ||
	    cache_line_state(&m->cache, pa) == CACHE_LINE_STALE)
		return false;
	/* Whether the line is stale decides it (the add item conflicts
	 * with the line's PoC copy itself: fp_subs_conflict). */
	fp_cache_state(m, pa, FP_SUB_STALE, false);
	/* As access_store(): is_table_slot() records what decides whether
	 * the word is a descriptor (the structure at its page, the
	 * contexts some CPU caches). */
	return !is_table_slot(m, pa & ~7ull);
}

/* The commuting add's read and write: the same as data_read() and
 * data_write(), without their line items (fp_add stands for both). An
 * in-sync or dirty line is dirty after either, with the same other copy
 * in either order (cache.c): the line's state commutes too. */
static uint64_t add_commuting(vmsa_machine_t *m, int cpu, uint64_t pa,
			      unsigned size, uint64_t delta, uint64_t mask)
{
	uint64_t shift = (pa & 7) * 8, cur = 0;
	unsigned before = m->fp ? m->fp->dw_state : FP_DW_NONE;

	fp_add(m, pa, delta << shift, mask << shift);
	coherency(m, cpu, cache_read(&m->cache, &m->mem, pa, size, true, &cur),
		  pa);
	if (!m->stopped)
		write_data(m, cpu, pa, size, cur + delta, true);
	/* Not its old value for the reduction (dpor.c, write_fails_wait):
	 * another add of its split may come between it and a read without
	 * depending on it; what the read would see before it is what it
	 * read, less this add's delta. */
	fp_data_add(m->fp, before, pa, m->stopped ? 0 : size, delta);
	return cur;
}

/* vmsa_phys_add and vmsa_phys_add_ord (fn): the read with ord's acquire
 * unless the add returns nothing (mask 0: STADD, whose read has none,
 * C6.2), the write with its release. */
static uint64_t phys_add(vmsa_machine_t *m, int cpu, vmsa_pa_t pa,
			 unsigned size, uint64_t delta, uint64_t mask,
			 bool cacheable, vmsa_order_t ord, const char *fn)
{
	uint64_t smask = size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
	uint64_t cur;
	vmsa_order_t rd = ord;

	if (!phys_ok(m, cpu, pa, size, fn, "atomic add") ||
	    !check_order_in(m, fn, cpu, ord, ORD_OK_RMW))
		return 0;
	if (!(mask & smask))
		rd = ord == VMSA_ORD_ACQ_REL ? VMSA_ORD_REL :
		     ord == VMSA_ORD_ACQ ? VMSA_ORD_PLAIN : ord;
	delta &= smask;
	mask &= smask;
	if (add_commutes(m, cpu, pa, cacheable)) {
		cur = add_commuting(m, cpu, pa, size, delta, mask);
	} else {
		/* Atomic: a message its write can follow at once under
		 * relaxed (order_read_rmw). */
		if (m->f.relaxed && cpu >= 0 && !m->stopped)
			order_read_rmw(m);
		cur = ord_read(m, cpu, pa, size, cacheable, rd, 0, NULL, NULL);
		if (!m->stopped)
			ord_store(m, cpu, pa, size, (cur + delta) & smask,
				  cacheable, ord, 0, 0, true);
	}
	if (cpu >= 0)
		trace(m, cpu, "add-pa", "[0x%" PRIx64 "]/%u%s 0x%" PRIx64
		      " + 0x%" PRIx64 " -> 0x%" PRIx64 " (mask 0x%" PRIx64 ")",
		      pa, size, cacheable ? "" : " nc", cur, delta,
		      (cur + delta) & smask, mask);
	access_explicit(m, cpu);
	return cur & mask;
}

uint64_t vmsa_phys_add(vmsa_machine_t *m, int cpu, vmsa_pa_t pa,
		       unsigned size, uint64_t delta, uint64_t mask,
		       bool cacheable)
{
	return phys_add(m, cpu, pa, size, delta, mask, cacheable,
			VMSA_ORD_PLAIN, "vmsa_phys_add");
}

uint64_t vmsa_phys_add_ord(vmsa_machine_t *m, int cpu, vmsa_pa_t pa,
			   unsigned size, uint64_t delta, uint64_t mask,
			   bool cacheable, vmsa_order_t ord)
{
	return phys_add(m, cpu, pa, size, delta, mask, cacheable, ord,
			"vmsa_phys_add_ord");
}

/* ------------------------------------------------------------------ */
/* Accesses through translation                                        */
/* ------------------------------------------------------------------ */

/* The translation stage that produced the TLB conflict: stage 2 when it
 * is the only one enabled or when the walk's stage-2 leaf is what has
 * several sizes; vmsa reports conflicts at the final level of the stage
 * it saw them in. */
static void conflict_fault(const struct xlat *x, const vmsa_access_t *acc,
			   vmsa_fault_t *f)
{
	memset(f, 0, sizeof(*f));
	f->kind = VMSA_FAULT_TLB_CONFLICT;
	f->stage = x->conflict_stage;
	f->level = 0;
	f->acc = acc->kind;
	f->va = acc->addr;
	f->ipa = x->walk.ipa;
	f->ipa_valid = false; /* HPFAR_EL2 is UNKNOWN (IJYDXJ) */
	f->fsc = vmsa_fault_fsc(VMSA_FAULT_TLB_CONFLICT, 0);
}

/* The trace of a TLB conflict abort: one line per entry of different
 * size the CPU's TLB may hold for the address (translate.c noted them in
 * m->conflict), so that a reader sees what conflicted, and where. */
static void trace_conflict(vmsa_machine_t *m, int cpu)
{
	for (unsigned i = 0; m->trace && i < m->conflict.n; i++) {
		const vmsa_violation_entry_t *e = &m->conflict.p[i];
		vmsa_stage_t st = e->tag.stage == VMSA_TLB_S1 ? VMSA_STAGE1 :
								VMSA_STAGE2;
		char d[160];

		vmsa_desc_format(d, sizeof(d), e->desc, st, e->tag.level,
				 e->tag.granule);
		trace(m, cpu, "conflict", "CPU%d may hold [%s] from PA 0x%"
		      PRIx64, e->cpu, d, e->loc);
	}
}

/*
 * May this translation take a TLB conflict abort? Entries of different
 * sizes, at FEAT_BBM level 1 or 2 that may abort (at level 0 the write
 * that made them was already a break-before-make violation); and after a
 * break-before-make failure the model continued from (vmsa_bbm_warning),
 * entries of different sizes or that needed the break, at any level but
 * a level 2 that never aborts (D8.17.1: "a TLB conflict abort is
 * detected" is one of the permitted behaviours), unless the machine
 * models an implementation that generates none (RZQNWZ: whether a lookup
 * that hits several entries aborts is IMPLEMENTATION DEFINED;
 * vmsa_set_bbm_no_conflict_abort).
 */
static bool warned_may_abort(const vmsa_machine_t *m)
{
	bool may_abort = m->f.bbm_level < 2 || m->f.bbm_may_abort;

	return m->warned && may_abort && !m->bbm_no_abort;
}

bool multi_size_may_abort(const vmsa_machine_t *m)
{
	return (m->f.bbm_level >= 1 && m->f.bbm_may_abort) ||
	       warned_may_abort(m);
}

static bool conflict_possible(const vmsa_machine_t *m, const struct xlat *x)
{
	return (x->multi_size && multi_size_may_abort(m)) ||
	       (x->bbm_conflict && warned_may_abort(m));
}

/*
 * After a successful translation, the choices that turn it into a fault:
 * a TLB conflict abort when entries of different sizes may be hit (only
 * with FEAT_BBM level 1 or 2: at level 0 the write that made them was
 * already a break-before-make violation; never on a "no abort" level 2),
 * and the IMPLEMENTATION DEFINED Translation fault of a block with nT = 1
 * (RMRRPW).
 */
static bool late_fault(vmsa_machine_t *m, int cpu, struct xlat *x,
		       const vmsa_access_t *acc)
{
	vmsa_walk_t *w = &x->walk;

	if (conflict_possible(m, x) && choose(m, 2, "TLB conflict abort")) {
		conflict_fault(x, acc, &w->fault);
		trace_conflict(m, cpu);
		return true;
	}
	for (unsigned s = 0; s < 2 && m->f.bbm_level >= 1; s++) {
		const vmsa_walk_leaf_t *l = &w->leaf[s];

		if (!l->present || l->level == VMSA_LEVEL_MAX ||
		    !(l->desc & VMSA_D_NT))
			continue;
		if (!choose(m, 2, "nT block: Translation fault"))
			continue;
		memset(&w->fault, 0, sizeof(w->fault));
		w->fault.kind = VMSA_FAULT_TRANSLATION;
		w->fault.stage = s ? VMSA_STAGE2 : VMSA_STAGE1;
		w->fault.level = l->level;
		w->fault.acc = acc->kind;
		w->fault.va = acc->addr;
		w->fault.ipa = w->ipa;
		w->fault.ipa_valid = s == 1;
		w->fault.fsc = vmsa_fault_fsc(VMSA_FAULT_TRANSLATION, l->level);
		return true;
	}
	return false;
}

/*
 * A translated PA with no memory behind it: the access itself gets a
 * synchronous External abort (FSC 0b010000, ESR_ELx ISS DFSC/IFSC;
 * D8.15 "External aborts"), as hardware reports an access that no
 * memory or device answers. FAR holds the VA (FnV = 0); HPFAR_EL2 is
 * UNKNOWN (D24.2.76). It is not a fault of either stage, so it goes to
 * EL1 from EL0/EL1 unless HCR_EL2.TGE = 1 (AArch64.Abort). Walk reads
 * outside memory are the walk's own External aborts (the read callback
 * refuses them: FSC 0b0101xx with the level, S1PTW on a stage-2 walk
 * for a stage-1 table).
 */
static void external_fault(struct xlat *x, const vmsa_access_t *acc)
{
	xlat_access_fault(x, acc, VMSA_FAULT_EXTERNAL_ACCESS);
}

/* A stage-1 fault is an Effect its walk's read is Translation-
 * intrinsically-before: a TLBI of another CPU that removes what that
 * read found orders the fault before everything after its DSB, as it
 * does an access (order_xlat_access; herd's FD). The same when the
 * fault comes from a TLB entry (a Permission fault of a held leaf: the
 * read that filled it; herd's F4, a store after a DMB ST through a
 * read-only entry another CPU's TLBI removes, Forbidden with the
 * store's flag unseen after the TLBI). What is ordered before the
 * fault: order_fault_floor. */
static void fault_xlat(vmsa_machine_t *m, int cpu, const struct xlat *x)
{
	const vmsa_walk_step_t *r;
	const vmsa_walk_leaf_t *l = &x->walk.leaf[0];

	if (!x->s1_tagged || x->walk.fault.stage != VMSA_STAGE1 ||
	    x->walk.fault.s1ptw)
		return;
	if (!x->walk.n_reads) {
		if (l->present)
			order_xlat_access(m, cpu, order_fault_floor(m, cpu),
					  &x->s1_tag, l->desc_pa, l->desc);
		return;
	}
	r = &x->walk.reads[x->walk.n_reads - 1];
	if (r->stage == VMSA_STAGE1)
		order_xlat_access(m, cpu, order_fault_floor(m, cpu),
				  &x->s1_tag, r->pa, r->value);
}

/* Deliver the fault of x to its handler. Returns false when the
 * execution stopped; otherwise *retry says whether the instruction is
 * to be retried (false: the handler skipped it). */
static bool deliver_fault(vmsa_machine_t *m, int cpu, const struct xlat *x,
			  const struct exc_abort_info *info, bool *retry)
{
	bool skipped = false, ok;
	struct cpu *c = &m->cpu[cpu];
	const vmsa_fault_t *f = &x->walk.fault;
	uint64_t own = m->ord.walk_addr[cpu];
	struct vmsa_exception e;
	unsigned to = exc_abort_target_el(f, c->el, c->regs.r[VMSA_REG_HCR_EL2],
					  &m->ctx.p[c->cur_ctx].cfg,
					  m->f.bbm_level,
					  m->f.conflict_route ==
						  VMSA_CONFLICT_TO_EL2);

	exc_build_abort_ex(&e, f, info, c->el, to);
	/* A Tag Check Fault is no walk's: its read (order_tag_read) has
	 * ordered what it orders. */
	if (m->f.relaxed && f->kind != VMSA_FAULT_TAG_CHECK) {
		fault_xlat(m, cpu, x);
		order_fault(m, cpu, &x->walk);
		/* The handler's own accesses set their own; nothing else
		 * its code does (a DC, an AT) depends on the access's. */
		m->ord.walk_addr[cpu] = 0;
	}
	/* The handler may end the instruction without retrying it
	 * (vmsa_skip_insn: ELR_ELx past it, as a kernel's fixup or herd's
	 * "fatal" and "faultToNext" conventions do). */
	ok = take_trap(m, cpu, &e, &skipped, NULL);
	/* A retried access still depends on its address. */
	m->ord.walk_addr[cpu] = own;
	if (!ok)
		return false;
	*retry = !skipped;
	return true;
}

bool access_deliver_fault(vmsa_machine_t *m, int cpu, const struct xlat *x,
			  const struct exc_abort_info *info, bool *retry)
{
	return deliver_fault(m, cpu, x, info, retry);
}

/*
 * Was x, a translation through an entry another CPU's TLBI retired
 * (feature relaxed: x->retired_ts), done before its page was freed? Such
 * an access is one not ordered after the TLBI, done before it: the DSB
 * that completed the TLBI waited for it (B2.3.7, TLBI-ordered-before;
 * RBLDZX), so a free of the page after that DSB (in step order, as this
 * check compares everywhere) came after the access, whatever step it is
 * modelled at. Before, contpte/fold-no-tlbi with relaxed reported a
 * use after free of a page its unmap had removed with a TLBI and DSB.
 */
static bool freed_after_retired_use(const vmsa_machine_t *m,
				    const struct xlat *x)
{
	uint64_t done;

	if (!x->retired_ts)
		return false;
	done = order_tlbi_done_step(m, x->retired_ts);
	return done && page_freed_step(m, x->walk.pa) > done;
}

/* Checks on a translation the CPU is about to use. */
bool access_use_ok(vmsa_machine_t *m, int cpu, const struct xlat *x,
		   uint64_t va)
{
	if (x->freed_table) {
		violation(m, cpu, VMSA_V_FREED_TABLE_WALK, NULL,
			  "CPU%d: translating VA 0x%" PRIx64 " read a "
			  "descriptor at PA 0x%" PRIx64 " in a freed page%s",
			  cpu, va, x->freed_pa, x->stale ?
			  " through a stale TLB entry" : "");
		return false;
	}
	if (x->walk.fault.kind == VMSA_FAULT_NONE)
		fp_page_state(m, x->walk.pa, false);
	if (x->walk.fault.kind == VMSA_FAULT_NONE &&
	    mem_page_free(&m->mem, x->walk.pa) &&
	    !freed_after_retired_use(m, x)) {
		violation(m, cpu, x->stale ? VMSA_V_STALE_UAF : VMSA_V_UAF,
			  NULL, "CPU%d: VA 0x%" PRIx64 " -> PA 0x%" PRIx64
			  " is a freed page%s", cpu, va, x->walk.pa,
			  x->stale ? " (through a stale TLB entry)" : "");
		return false;
	}
	return true;
}

/*
 * An atomic needs read permission as well as write (its access
 * descriptor reads and writes, CreateAccDescAtomicOp): after a
 * translation for writing, a page it may write but not read is a
 * Permission fault, reported as a read (WnR = 0: the read is checked
 * first, AArch64.S1CheckPermissions/S2CheckPermissions). Stage 1 never
 * grants write without read (AP[2:1]), so only a stage 2 write-only
 * page (S2AP 0b10) gets here. True with the fault in x.
 */
static bool rmw_read_fault(struct xlat *x, const vmsa_access_t *acc)
{
	vmsa_walk_t *w = &x->walk;
	const vmsa_walk_leaf_t *l = &w->leaf[1];
	bool s2 = l->present;

	if (acc->el == 0 ? w->perms.r0 : w->perms.r)
		return false;
	if (!s2)
		l = &w->leaf[0];
	memset(&w->fault, 0, sizeof(w->fault));
	w->fault.kind = VMSA_FAULT_PERMISSION;
	w->fault.stage = s2 ? VMSA_STAGE2 : VMSA_STAGE1;
	w->fault.level = l->level;
	w->fault.acc = VMSA_ACC_READ;
	w->fault.va = acc->addr;
	w->fault.ipa = w->ipa;
	w->fault.ipa_valid = s2;
	w->fault.fsc = vmsa_fault_fsc(VMSA_FAULT_PERMISSION, l->level);
	return true;
}

/*
 * Translate acc for cpu until it succeeds: each attempt is a step; a
 * fault goes to its handler and the instruction is retried, unless the
 * handler skipped it (vmsa_skip_insn). Returns false when the execution
 * stopped or the access was skipped (vmsa_stopped() tells which).
 */
/*
 * Feature relaxed: does the retry of an access after its fault was
 * handled fault again through a value or a retired entry overwritten
 * before the handler's exception return (x->stale_retry)? A write to
 * Normal memory completes in finite time (B2.10.1), so a retry loop
 * cannot meet such a value for ever, and the model does not go round it:
 * the execution is dropped, as one that is not the architecture's
 * (vmsa_infeasible; the explorer drops it, docs/explorer.md). herd7
 * drops every execution whose re-executed access faults, so the litmus
 * front end loses nothing; a C scenario loses the executions where a
 * retry faults again that way (the first fault stays; translate.c
 * tlbu_window keeps TLBUncacheable values that old from a retry).
 */
static bool stale_retry_fault(vmsa_machine_t *m, int cpu,
			      const struct xlat *x)
{
	if (!x->stale_retry || x->walk.fault.kind == VMSA_FAULT_NONE)
		return false;
	m->ord.infeasible = true;
	if (m->trace)
		trace(m, cpu, "drop", "the retry faults again through a value "
		      "overwritten before its handler returned: not repeated "
		      "(writes complete in finite time)");
	return true;
}

static bool translate_retry(vmsa_machine_t *m, int cpu, vmsa_access_t *acc,
			    const struct exc_abort_info *info, struct xlat *x,
			    const char *op, bool rmw)
{
	char text[160];
	bool retry;
	unsigned tries = 0;

	for (;;) {
		struct cpu *c;

		/* A retry: the explorer may see that it repeats a state
		 * (x still holds the fault just handled). */
		if (tries++ && m->retry_hook && cpu >= 0)
			m->retry_hook(m->retry_hook_ctx, m, cpu,
				      &x->walk.fault, tries == 2);
		if (cpu < 0 || !step_begin(m, cpu))
			return false;
		c = &m->cpu[cpu];
		if (c->cur_ctx < 0 && !cpu_update_context(m, c))
			return false;
		acc->el = c->el;
		acc->pan = false;
		c->xlat_retry = tries > 1;
		translate(m, (unsigned)cpu, acc, true, x);
		c->xlat_retry = false;
		if (m->stopped || !access_use_ok(m, cpu, x, acc->addr))
			return false;
		if (x->walk.fault.kind == VMSA_FAULT_NONE)
			late_fault(m, cpu, x, acc);
		if (rmw && x->walk.fault.kind == VMSA_FAULT_NONE &&
		    rmw_read_fault(x, acc)) {
			struct exc_abort_info ri = *info;

			ri.write = false;
			if (m->trace) {
				vmsa_walk_format(text, sizeof(text), &x->walk);
				trace(m, cpu, op, "%s", text);
			}
			if (!deliver_fault(m, cpu, x, &ri, &retry))
				return false;
			if (!retry)
				return false; /* skipped: not performed */
			continue;
		}
		/* After the TLB's own aborts: the access is made only once
		 * the translation is final. */
		if (x->walk.fault.kind == VMSA_FAULT_NONE &&
		    !mem_contains(&m->mem, x->walk.pa, 1))
			external_fault(x, acc);
		/* Formatting the walk costs a quarter of a read: only when
		 * someone is tracing. */
		if (m->trace) {
			vmsa_walk_format(text, sizeof(text), &x->walk);
			trace(m, cpu, op, "%s", text);
		}
		if (x->walk.fault.kind == VMSA_FAULT_NONE)
			return true;
		if (stale_retry_fault(m, cpu, x))
			return false;
		if (!deliver_fault(m, cpu, x, info, &retry))
			return false;
		if (!retry)
			return false; /* skipped: not performed */
	}
}

/*
 * The instruction syndrome of vmsa_read/vmsa_write, which stand for a
 * single general-purpose register load or store without writeback: the
 * kind the syndrome describes (ESR_EL2 ISV; exc.c decides where it is
 * reported). SAS is log2 of the access size (0b00 byte .. 0b11
 * doubleword). The model's register is the 64-bit value of the call, but
 * the instruction it stands for is LDRB/LDRH/LDR Wt (STRB/STRH/STR Wt)
 * for 1, 2 and 4 bytes, which zero-extend into (or store from) a 32-bit
 * register, so SF = 0 there; LDR/STR Xt for 8 bytes, SF = 1. No sign
 * extension (SSE = 0), not acquire/release (AR = 0), and SRT = 0: the
 * model has no register numbers.
 */
static struct exc_abort_info load_store_info(unsigned size, bool write)
{
	struct exc_abort_info info = {.write = write, .isv = true};

	info.sas = size == 8 ? 3 : size == 4 ? 2 : size == 2 ? 1 : 0;
	info.sf = size == 8;
	return info;
}

/* The view an access's address gives it: its dependency's, joined with
 * its translation's (order_walk_view: the walk's reads are
 * Translation-intrinsically-before it). */
static vmsa_view_t xlat_addr_view(const vmsa_machine_t *m, int cpu,
				  const struct xlat *x,
				  const vmsa_access_deps_t *deps)
{
	vmsa_view_t a = deps ? deps->addr : 0;
	vmsa_view_t w = order_walk_view(m, cpu, &x->walk);

	return a > w ? a : w;
}

/*
 * The translation of an explicit access of cpu: a load, a store, an
 * atomic or an exclusive (a->rmw: an atomic, which needs read and write
 * permission). One place for what every explicit access's walk is
 * ordered by and may use: the view of its address (walk_addr[cpu]) and
 * the entries other CPUs' TLBIs retired (order.acc, order_retired_ok).
 * On success the access that follows is bounded by the retired entry's
 * TLBI (order.bound) until access_xlat_done().
 */
bool access_xlat(vmsa_machine_t *m, int cpu, vmsa_access_t *acc,
		 const struct exc_abort_info *info, struct xlat *x,
		 const char *op, const struct ord_acc *a)
{
	struct ord_acc outer_acc = m->ord.acc[cpu];
	uint64_t outer_walk = order_walk_begin(m, cpu, a->addr);
	bool ok;

	/* Saved and restored, not cleared: an access nested on this CPU (a
	 * handler's, taken at a step of this walk) hands the outer one its
	 * own back (order.h, walk_addr[]). */
	m->ord.acc[cpu] = *a;
	m->ord.acc[cpu].retire = true;
	ok = translate_retry(m, cpu, acc, info, x, op, a->rmw);
	order_walk_end(m, cpu, outer_walk);
	m->ord.acc[cpu] = outer_acc;
	if (ok)
		m->ord.bound = x->retired_ts;
	return ok;
}

/* The timestamp of the message cpu's store just made (the first one
 * made since the list held n_msgs), 0 when it made none (a promise
 * fulfilled, no `relaxed`). */
uint64_t access_store_ts(const vmsa_machine_t *m, int cpu, size_t n_msgs)
{
	if (m->ord.msgs.n > n_msgs && m->ord.msgs.p[n_msgs].cpu == cpu)
		return m->ord.msgs.p[n_msgs].ts;
	return 0;
}

/*
 * After the memory access of an explicit access translated by x (by
 * access_xlat), when `made` (a failed STXR, or a store that fulfilled a
 * promise, makes no new one), whose view is `view` (a read's post-view,
 * a write's timestamp, their join for an atomic): the
 * TLBIs its translation is ordered with (B2.3.7 TLBI-ordered-before).
 * An access that used a retired entry orders the TLBI's issuer after it
 * (order_retired_access); one whose stage-1 entry a TLBI of another CPU
 * removes is ordered before everything after that TLBI's DSB
 * (order_xlat_access, xlat_before and tlbi_late.c).
 */
void access_xlat_done(vmsa_machine_t *m, int cpu, const struct xlat *x,
		      bool made, uint64_t view)
{
	if (made && x->retired_ts && !m->stopped) {
		bool joined = order_retired_access(m, view);

		/* The retired-entry rule's record (dpor_retired_redundant). */
		m->ord.rt_n++;
		m->ord.rt_ts = x->retired_ts;
		m->ord.rt_ok = joined && x->retired_alone && x->plain;
	}
	m->ord.bound = 0;
	if (made && m->f.relaxed && x->s1_tagged && !m->stopped)
		order_xlat_access(m, cpu, view, &x->s1_tag,
				  x->walk.leaf[0].desc_pa, x->walk.leaf[0].desc);
	if (made && m->f.relaxed && x->s2_tagged && !m->stopped)
		order_xlat_access(m, cpu, view, &x->s2_tag, x->s2_desc_pa,
				  x->s2_desc);
}

uint64_t access_ord_read(vmsa_machine_t *m, int cpu, uint64_t pa,
			 unsigned size, const struct xlat *x,
			 const vmsa_access_deps_t *deps, vmsa_view_t *view)
{
	return ord_read(m, cpu, pa, size, true, VMSA_ORD_PLAIN,
			xlat_addr_view(m, cpu, x, deps), NULL, view);
}

/*
 * access_xlat() and, for a Tag Checked load or store (mte.c), its Tag
 * Check: a Tag Check Fault goes to its handler and the instruction is
 * retried (a new translation, a new step) unless the handler skipped it.
 * The Tag Check reads the tag after the translation (RXTTLW: the same
 * translation as the granule's) and before the data access.
 */
static bool checked_xlat(vmsa_machine_t *m, int cpu, vmsa_access_t *acc,
			 const struct exc_abort_info *info, struct xlat *x,
			 const char *op, const struct ord_acc *a,
			 const vmsa_access_deps_t *deps)
{
	for (;;) {
		enum mte_check r;

		if (!access_xlat(m, cpu, acc, info, x, op, a))
			return false;
		r = mte_check(m, cpu, x, acc, info,
			      xlat_addr_view(m, cpu, x, deps));
		if (r == MTE_PASS)
			return true;
		access_xlat_done(m, cpu, x, false, 0);
		if (r == MTE_STOP)
			return false;
	}
}

/* vmsa_read() and vmsa_read_v(), named fn in bad-call messages. */
static bool read_v(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
		   vmsa_order_t ord, const vmsa_access_deps_t *deps,
		   uint64_t *val, vmsa_view_t *view, const char *fn)
{
	vmsa_access_t acc = {.addr = va, .kind = VMSA_ACC_READ};
	struct exc_abort_info info = load_store_info(size, false);
	struct xlat x;
	vmsa_view_t pv;

	*val = 0;
	if (view)
		*view = 0;
	/* LDAR and LDAPR report AR = 1 (ESR_EL2 ISS, D24.2.46). */
	info.ar = ord != VMSA_ORD_PLAIN;
	if (!check_cpu(m, fn, cpu) || !check_order(m, fn, cpu, ord) ||
	    !check_va_access(m, fn, cpu, va, size))
		return false;
	/* The walk is ordered after what the address depends on. */
	if (!checked_xlat(m, cpu, &acc, &info, &x, "read",
			  &(struct ord_acc){.ord = ord,
					    .addr = deps ? deps->addr : 0},
			  deps))
		return false;
	*val = ord_read(m, cpu, x.walk.pa, size,
			vmsa_memattr_cacheable(&x.walk.attr), ord,
			xlat_addr_view(m, cpu, &x, deps), NULL, &pv);
	x.plain = !x.tag_checked;
	access_xlat_done(m, cpu, &x, true, pv);
	if (view)
		*view = pv;
	access_explicit(m, cpu);
	trace(m, cpu, "read", "[0x%" PRIx64 "] = 0x%" PRIx64 "%s", va, *val,
	      order_suffix(ord));
	spe_sample(m, cpu, va, false);
	return !m->stopped;
}

bool vmsa_read(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
	       uint64_t *val)
{
	return read_v(m, cpu, va, size, VMSA_ORD_PLAIN, NULL, val, NULL,
		      "vmsa_read");
}

bool vmsa_read_v(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
		 vmsa_order_t ord, const vmsa_access_deps_t *deps,
		 uint64_t *val, vmsa_view_t *view)
{
	return read_v(m, cpu, va, size, ord, deps, val, view, "vmsa_read_v");
}

static bool write_v(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
		    uint64_t val, vmsa_order_t ord,
		    const vmsa_access_deps_t *deps, const char *fn)
{
	vmsa_access_t acc = {.addr = va, .kind = VMSA_ACC_WRITE};
	struct exc_abort_info info = load_store_info(size, true);
	struct xlat x;
	size_t n_msgs;
	uint64_t ts;

	info.ar = ord != VMSA_ORD_PLAIN; /* STLR: AR = 1 */
	if (!check_cpu(m, fn, cpu) || !check_order(m, fn, cpu, ord) ||
	    !check_va_access(m, fn, cpu, va, size))
		return false;
	/* The walk is ordered after what the address depends on (a
	 * release's fault is not ordered further: order_fault_floor). */
	if (!checked_xlat(m, cpu, &acc, &info, &x, "write",
			  &(struct ord_acc){.ord = ord,
					    .addr = deps ? deps->addr : 0,
					    .data = order_deps_data(deps)},
			  deps))
		return false;
	/* The value, as vmsa_read() traces the value it read. */
	trace(m, cpu, "write", "[0x%" PRIx64 "] := 0x%" PRIx64 "%s", va, val,
	      order_suffix(ord));
	n_msgs = m->ord.msgs.n;
	ord_store_deps(m, cpu, x.walk.pa, size, val,
		       vmsa_memattr_cacheable(&x.walk.attr), ord,
		       xlat_addr_view(m, cpu, &x, deps), deps);
	ts = access_store_ts(m, cpu, n_msgs);
	x.plain = !x.tag_checked;
	access_xlat_done(m, cpu, &x, ts != 0, ts);
	access_explicit(m, cpu);
	spe_sample(m, cpu, va, true);
	return !m->stopped;
}

bool vmsa_write(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
		uint64_t val)
{
	return write_v(m, cpu, va, size, val, VMSA_ORD_PLAIN, NULL,
		       "vmsa_write");
}

bool vmsa_write_v(vmsa_machine_t *m, int cpu, uint64_t va, unsigned size,
		  uint64_t val, vmsa_order_t ord,
		  const vmsa_access_deps_t *deps)
{
	return write_v(m, cpu, va, size, val, ord, deps, "vmsa_write_v");
}

void vmsa_ctrl_dep(vmsa_machine_t *m, int cpu, vmsa_view_t v)
{
	if (!check_cpu(m, "vmsa_ctrl_dep", cpu) || m->stopped ||
	    !m->f.relaxed)
		return;
	/* Promising-ARM's branch: vCAP joins the condition's view, which
	 * later writes and an ISB order after (B2.3.7, ctrl and ctrl-isb),
	 * and a later TLBI is ordered after it (ctrl; [TLBI]). */
	m->ord.v[cpu].cap = v > m->ord.v[cpu].cap ? v : m->ord.v[cpu].cap;
	m->ord.v[cpu].br = v > m->ord.v[cpu].br ? v : m->ord.v[cpu].br;
}

void vmsa_pick_addr_dep(vmsa_machine_t *m, int cpu, vmsa_view_t v)
{
	if (!check_cpu(m, "vmsa_pick_addr_dep", cpu) || m->stopped ||
	    !m->f.relaxed)
		return;
	/* vCAP only: later writes, and after an ISB later reads (B2.3.7:
	 * pick-addr-dep; [Exp & M]; po; [Exp & W | HU], and IFB-ob). */
	m->ord.v[cpu].cap = v > m->ord.v[cpu].cap ? v : m->ord.v[cpu].cap;
}

vmsa_view_t vmsa_read_pick(vmsa_machine_t *m, int cpu)
{
	if (!check_cpu(m, "vmsa_read_pick", cpu) || !m->f.relaxed)
		return 0;
	return m->ord.read_pick[cpu];
}

bool vmsa_fetch(vmsa_machine_t *m, int cpu, uint64_t va)
{
	vmsa_access_t acc = {.addr = va, .kind = VMSA_ACC_EXEC};
	struct exc_abort_info info = {.insn = true};
	struct xlat x;

	return check_cpu(m, "vmsa_fetch", cpu) &&
	       translate_retry(m, cpu, &acc, &info, &x, "fetch", false);
}

/*
 * What cache maintenance of pa's line reads and changes (cache_maint in
 * cache.c; docs/explorer.md, "Data accesses and cache maintenance"): it
 * reads the line's state, and changes only the copy it drops. A clean of
 * a dirty line leaves memory (the newest data) as it is and drops the
 * PoC's copy: FP_SUB_POC written. An invalidate of a stale line drops
 * the stale copy: FP_SUB_STALE written. An invalidate of a dirty line
 * puts the PoC's copy back into memory: the whole line written. A
 * clean of a stale line, or anything of a line in sync, changes
 * nothing: both copies read. Under relaxed, the whole line written, as
 * before.
 */
static void dc_footprint(vmsa_machine_t *m, enum cache_op op, uint64_t pa)
{
	int st;

	if (!m->fp)
		return;
	fp_mem_other(m->fp);
	st = cache_line_state(&m->cache, pa);
	if (m->f.relaxed || (st == CACHE_LINE_DIRTY && op == CACHE_IVAC)) {
		fp_line(m, pa, true);
		return;
	}
	fp_cache_state(m, pa, FP_SUB_STALE,
		       st == CACHE_LINE_STALE && op != CACHE_CVAC);
	fp_cache_state(m, pa, FP_SUB_POC, st == CACHE_LINE_DIRTY);
}

void vmsa_dc(vmsa_machine_t *m, int cpu, vmsa_dc_op_t op, uint64_t va)
{
	static const char *const names[] = {"cvac", "civac", "ivac", "cvau"};
	vmsa_access_t acc = {.addr = va, .kind = VMSA_ACC_READ};
	struct exc_abort_info info = {.cm = true};
	enum cache_op cop = CACHE_CVAC;
	struct xlat x;
	struct cpu *c;

	if (!check_cpu(m, "vmsa_dc", cpu) || !check_dc_op(m, "vmsa_dc", cpu, op) ||
	    !translate_retry(m, cpu, &acc, &info, &x, "dc", false))
		return;
	c = &m->cpu[cpu];
	switch (op) {
	case VMSA_DC_CIVAC:
		cop = CACHE_CIVAC;
		break;
	case VMSA_DC_IVAC:
		/* At EL1 with stage 2 enabled, DC IVAC cleans as well: a
		 * guest must not discard the hypervisor's data (D7.5.9.2). */
		cop = c->el == 1 && (c->regs.r[VMSA_REG_HCR_EL2] & VMSA_HCR_VM) ?
			CACHE_CIVAC : CACHE_IVAC;
		break;
	case VMSA_DC_CVAU:
	case VMSA_DC_CVAC:
		/* One coherent data cache: the Point of Unification is as
		 * far as the Point of Coherency for data. */
		break;
	}
	dc_footprint(m, cop, x.walk.pa);
	cache_maint(&m->cache, &m->mem, cop, x.walk.pa);
	trace(m, cpu, "dc", "%s, 0x%" PRIx64 " (PA 0x%" PRIx64 ")",
	      names[op], va, x.walk.pa);
}

void vmsa_ic(vmsa_machine_t *m, int cpu, vmsa_ic_op_t op, uint64_t va)
{
	vmsa_access_t acc = {.addr = va, .kind = VMSA_ACC_READ};
	struct exc_abort_info info = {.cm = true};
	struct xlat x;

	if (!check_cpu(m, "vmsa_ic", cpu) || !check_ic_op(m, "vmsa_ic", cpu, op))
		return;
	/* Instruction caches are not modelled: IC IVAU still translates its
	 * address (and may fault), the others are barriers of no effect. */
	if (op == VMSA_IC_IVAU) {
		if (translate_retry(m, cpu, &acc, &info, &x, "ic", false))
			trace(m, cpu, "ic", "ivau, 0x%" PRIx64, va);
		return;
	}
	if (!step_begin(m, cpu))
		return;
	trace(m, cpu, "ic", op == VMSA_IC_IALLU ? "iallu" : "ialluis");
}
