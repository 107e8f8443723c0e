/*
 * src/hyp/ops.c - the library's ops of a VM: the model backend's, with
 * the accesses that no other CPU can observe made without a step, and
 * the clean to the PoC dropped where a variant asks.
 *
 * An eager split fills a new 512-entry table before linking it, and a
 * collapse reads all 512 entries of the table it replaces: as steps, each
 * would be a point where the search may switch CPUs (some 1,100 steps for
 * a split and a collapse, far too many to search). But:
 *  - a write into a table page that this CPU allocated in the current
 *    operation and that no descriptor points to yet cannot be seen by any
 *    walk or any other CPU's code before the step that links the page; so
 *    these writes are made at once, as set-up's are (vmsa_desc_write with
 *    VMSA_SETUP), the page being "fresh" from the zalloc_page that
 *    returned it until the CPU's next descriptor store or compare-and-swap
 *    anywhere else (the link, or a break before it);
 *  - a descriptor read by a CPU that holds the MMU lock for writing (an
 *    exclusive walk) returns the same value whichever step it is made at:
 *    no other software writes descriptors without the lock, and the model
 *    has no hardware Access flag or dirty state updates. A read of a page
 *    that is free is still a step, so the model reports it.
 * What this gives up: a missing DSB between filling a new table and
 * linking it goes unnoticed (the filled entries are visible to walks at
 * once). The scenarios of the page-table library (scenarios/pgtable/
 * common.c) make the same trade.
 *
 * The variants that skip a clean to the PoC (VMSA_HYP_V_NO_CLEAN,
 * VMSA_HYP_V_COW_NO_CLEAN) set the CPU's "no CMO" word around the
 * library call: its DC CVAC and DC CIVAC are then dropped, as the code
 * that forgot them would never have issued them.
 */
#include "hyp_int.h"

static vmsa_cpu_t ops_cpu(vmsa_hyp_vm_t *vm)
{
	return vmsa_run_cpu(vm->run);
}

static vmsa_pa_t page_of(vmsa_hyp_vm_t *vm, const void *p)
{
	return vmsa_ptr_pa(vm->m, p) & ~(vmsa_pa_t)(VMSA_HYP_PAGE - 1);
}

static uint64_t q_read(void *ctx, uint64_t *p)
{
	vmsa_hyp_vm_t *vm = ctx;
	vmsa_cpu_t cpu = ops_cpu(vm);

	if (cpu >= 0 && *hyp_cpu_word(vm, HYP_EXCL, cpu) &&
	    !vmsa_page_is_free(vm->m, page_of(vm, p)))
		return vmsa_desc_read(vm->m, VMSA_SETUP, p);
	return vm->bk.ops.read(vm->bk.ops.ctx, p);
}

static void q_write(void *ctx, uint64_t *p, uint64_t v, bool release)
{
	vmsa_hyp_vm_t *vm = ctx;
	vmsa_cpu_t cpu = ops_cpu(vm);

	if (cpu >= 0) {
		uint64_t *fresh = hyp_cpu_word(vm, HYP_FRESH, cpu);

		if (*fresh && *fresh == page_of(vm, p)) {
			vmsa_desc_write(vm->m, VMSA_SETUP, p, v);
			return;
		}
		*fresh = 0;
	}
	vm->bk.ops.write(vm->bk.ops.ctx, p, v, release);
}

static uint64_t q_cas(void *ctx, uint64_t *p, uint64_t old, uint64_t new_)
{
	vmsa_hyp_vm_t *vm = ctx;
	vmsa_cpu_t cpu = ops_cpu(vm);

	if (cpu >= 0)
		*hyp_cpu_word(vm, HYP_FRESH, cpu) = 0;
	return vm->bk.ops.cas(vm->bk.ops.ctx, p, old, new_);
}

static void *q_zalloc_page(void *ctx)
{
	vmsa_hyp_vm_t *vm = ctx;
	vmsa_cpu_t cpu = ops_cpu(vm);
	void *page = vm->bk.ops.zalloc_page(vm->bk.ops.ctx);

	if (cpu >= 0)
		*hyp_cpu_word(vm, HYP_FRESH, cpu) = page ? page_of(vm, page)
							 : 0;
	return page;
}

/* Is this maintenance one a "no clean" variant drops now? */
static bool dropped(vmsa_hyp_vm_t *vm, vmsa_pgt_cmo_t op)
{
	vmsa_cpu_t cpu = ops_cpu(vm);

	return cpu >= 0 && *hyp_cpu_word(vm, HYP_NOCMO, cpu) &&
	       (op == VMSA_PGT_DC_CVAC || op == VMSA_PGT_DC_CIVAC);
}

static void q_cmo(void *ctx, vmsa_pgt_cmo_t op, void *va)
{
	vmsa_hyp_vm_t *vm = ctx;

	if (!dropped(vm, op))
		vm->bk.ops.cmo(vm->bk.ops.ctx, op, va);
}

static void q_cmo_range(void *ctx, vmsa_pgt_cmo_t op, void *va,
			uint64_t size)
{
	vmsa_hyp_vm_t *vm = ctx;

	if (!dropped(vm, op))
		vm->bk.ops.cmo_range(vm->bk.ops.ctx, op, va, size);
}

/* The rest as the backend does it. */
static void q_dsb(void *ctx, vmsa_pgt_dsb_t k)
{
	vmsa_hyp_vm_t *vm = ctx;

	vm->bk.ops.dsb(vm->bk.ops.ctx, k);
}

static void q_isb(void *ctx)
{
	vmsa_hyp_vm_t *vm = ctx;

	vm->bk.ops.isb(vm->bk.ops.ctx);
}

static void q_tlbi(void *ctx, const vmsa_pgt_tlbi_t *t)
{
	vmsa_hyp_vm_t *vm = ctx;

	vm->bk.ops.tlbi(vm->bk.ops.ctx, t);
}

static void *q_zalloc_pages(void *ctx, unsigned n)
{
	vmsa_hyp_vm_t *vm = ctx;

	return vm->bk.ops.zalloc_pages(vm->bk.ops.ctx, n);
}

static void q_free_page(void *ctx, void *page)
{
	vmsa_hyp_vm_t *vm = ctx;

	vm->bk.ops.free_page(vm->bk.ops.ctx, page);
}

static void q_get_page(void *ctx, void *page)
{
	vmsa_hyp_vm_t *vm = ctx;

	vm->bk.ops.get_page(vm->bk.ops.ctx, page);
}

static void q_put_page(void *ctx, void *page)
{
	vmsa_hyp_vm_t *vm = ctx;

	vm->bk.ops.put_page(vm->bk.ops.ctx, page);
}

static int q_page_count(void *ctx, void *page)
{
	vmsa_hyp_vm_t *vm = ctx;

	return vm->bk.ops.page_count(vm->bk.ops.ctx, page);
}

static void q_page_ref_add(void *ctx, void *page, int delta)
{
	vmsa_hyp_vm_t *vm = ctx;

	vm->bk.ops.page_ref_add(vm->bk.ops.ctx, page, delta);
}

static vmsa_pgt_pa_t q_virt_to_phys(void *ctx, void *va)
{
	vmsa_hyp_vm_t *vm = ctx;

	return vm->bk.ops.virt_to_phys(vm->bk.ops.ctx, va);
}

static void *q_phys_to_virt(void *ctx, vmsa_pgt_pa_t pa)
{
	vmsa_hyp_vm_t *vm = ctx;

	return vm->bk.ops.phys_to_virt(vm->bk.ops.ctx, pa);
}

void hyp_ops_init(vmsa_hyp_vm_t *vm)
{
	const vmsa_pgt_ops_t *b = &vm->bk.ops;

	vm->ops = (vmsa_pgt_ops_t){
		.ctx = vm,
		.read = q_read, .write = q_write, .cas = q_cas,
		.dsb = q_dsb, .isb = q_isb, .tlbi = q_tlbi, .cmo = q_cmo,
		.cmo_range = b->cmo_range ? q_cmo_range : NULL,
		.zalloc_page = q_zalloc_page,
		.zalloc_pages = b->zalloc_pages ? q_zalloc_pages : NULL,
		.free_page = q_free_page, .get_page = q_get_page,
		.put_page = q_put_page, .page_count = q_page_count,
		.page_ref_add = b->page_ref_add ? q_page_ref_add : NULL,
		.virt_to_phys = q_virt_to_phys, .phys_to_virt = q_phys_to_virt,
		.features = b->features,
	};
}
