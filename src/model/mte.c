/*
 * src/model/mte.c - Allocation Tags and Tag Checked accesses (FEAT_MTE2,
 * Arm ARM D10; docs/model.md, "Allocation Tags and Tag Checked
 * accesses").
 *
 * Each 16-byte Tag Granule of Tagged memory has a 4-bit Allocation Tag
 * (RCWPLY, RXQBST, RCRCLC) at a Tag location of its own, separate from
 * the granule's bytes (RFXRDJ, RVPTKC). The model keeps each tag in an
 * 8-byte word of ordinary memory that set-up declares (vmsa_mte_tagged)
 * and maps nowhere, so that everything memory has works for tags too:
 * under `relaxed` a tag store (STG) is a message of that word, a Tag
 * Check an implicit read of it with the ordering B2.3 gives Implicit Tag
 * Memory Read Effects (order_tag_read), the explorer's reduction sees
 * both as accesses of the word (footprint), and snapshots restore it.
 * One word per granule, not one byte, so that the tags of two granules
 * are two locations (RQYCTT: each tag is single-copy atomic on its own;
 * RCPMDB: no atomicity between tags of different granules).
 */
#include <inttypes.h>
#include <string.h>

#include "exc.h"
#include "footprint.h"
#include "machine.h"
#include "mem.h"
#include "mte.h"
#include "order.h"
#include "translate.h"
#include "validate.h"
#include "write.h"

#define GRANULE 16u

bool vmsa_mte_tagged(vmsa_machine_t *m, vmsa_cpu_t cpu, vmsa_pa_t pa,
		     unsigned npages, vmsa_pa_t tags)
{
	uint64_t len = (uint64_t)npages * VMSA_PAGE_SIZE;
	struct mte_region r = {.pa = pa, .len = len, .tags = tags};

	if (!check_mte_tagged(m, "vmsa_mte_tagged", cpu, pa, npages, tags))
		return false;
	if (mte_vec_push(&m->tagged, r)) {
		violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for Tagged memory "
			  "declarations");
		return false;
	}
	return true;
}

vmsa_pa_t vmsa_mte_tag_pa(const vmsa_machine_t *m, vmsa_pa_t pa)
{
	for (unsigned i = 0; i < m->tagged.n; i++) {
		const struct mte_region *r = &m->tagged.p[i];

		if (pa - r->pa < r->len)
			return r->tags + (pa - r->pa) / GRANULE * 8;
	}
	return 0;
}

/*
 * Is the load or store of cpu at va, translated to pa, Tag Checked
 * (RDRGYL)? Its memory is Tagged (declared), Logical Address Tagging is
 * enabled for the VA range (TBI: else the tag bits are part of the
 * address) and SCTLR_ELx.TCF (TCF0 at EL0) asks for synchronous Tag
 * Check Faults (D10.7; "no effect" and the asynchronous modes are not
 * modelled, so they check nothing).
 */
static bool tag_checked(const vmsa_machine_t *m, int cpu, uint64_t va,
			uint64_t pa)
{
	const struct cpu *c = &m->cpu[cpu];
	const vmsa_regime_cfg_t *cfg;
	uint64_t sctlr, tcf;

	if (!m->tagged.n || !vmsa_mte_tag_pa(m, pa) || c->cur_ctx < 0)
		return false;
	cfg = &m->ctx.p[c->cur_ctx].cfg;
	if (!cfg->s1.enabled ||
	    !cfg->s1.tt[vmsa_s1_tt_index(&cfg->s1, va)].tbi)
		return false;
	sctlr = c->regs.r[c->el >= 2 ? VMSA_REG_SCTLR_EL2 :
				       VMSA_REG_SCTLR_EL1];
	tcf = c->el == 0 ? (sctlr & VMSA_SCTLR_TCF0_MASK) >> 38 :
			   (sctlr & VMSA_SCTLR_TCF_MASK) >> 40;
	return tcf == 1;
}

/* The Tag Check Fault of the access acc (RBJWLM): a Data Abort that is
 * not a fault of either translation stage (FSC 0b010001, no level), FAR
 * the VA with its Logical Address Tag. */
static void tag_fault(struct xlat *x, const vmsa_access_t *acc)
{
	xlat_access_fault(x, acc, VMSA_FAULT_TAG_CHECK);
}

enum mte_check mte_check(vmsa_machine_t *m, int cpu, struct xlat *x,
			 const vmsa_access_t *acc,
			 const struct exc_abort_info *info, vmsa_view_t addr)
{
	uint64_t va = acc->addr, pa = x->walk.pa, tpa, tag;
	unsigned logical = (unsigned)(va >> 56) & 0xf;
	bool retry;

	if (!tag_checked(m, cpu, va, pa))
		return MTE_PASS;
	x->tag_checked = true;
	/* The implicit read of the granule's Allocation Tag (RBJWLM). */
	tpa = vmsa_mte_tag_pa(m, pa);
	tag = data_read(m, cpu, tpa, 8, true);
	if (m->f.relaxed && !m->stopped)
		tag = order_tag_read(m, cpu, tpa, tag, addr, logical, NULL);
	if (m->stopped)
		return MTE_STOP;
	trace(m, cpu, "tag-check", "[0x%" PRIx64 "] logical %u, allocation "
	      "%u%s", va, logical, (unsigned)(tag & 0xf),
	      (tag & 0xf) == logical ? "" : ": Tag Check Fault");
	if ((tag & 0xf) == logical)
		return MTE_PASS;
	tag_fault(x, acc);
	if (!access_deliver_fault(m, cpu, x, info, &retry))
		return MTE_STOP;
	return retry ? MTE_RETRY : MTE_STOP;
}

bool vmsa_tag_load(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va,
		   const vmsa_access_deps_t *deps, unsigned *tag,
		   vmsa_view_t *view)
{
	uint64_t gva = va & ~(uint64_t)(GRANULE - 1), v = 0;
	vmsa_access_t acc = {.addr = gva, .kind = VMSA_ACC_READ};
	struct exc_abort_info info = {.write = false};
	vmsa_view_t pv = 0;
	struct xlat x;
	vmsa_pa_t tpa;

	*tag = 0;
	if (view)
		*view = 0;
	if (!check_cpu(m, "vmsa_tag_load", cpu))
		return false;
	if (!access_xlat(m, cpu, &acc, &info, &x, "tag-load",
			 &(struct ord_acc){.ord = VMSA_ORD_PLAIN,
					   .addr = deps ? deps->addr : 0}))
		return false;
	tpa = vmsa_mte_tag_pa(m, x.walk.pa);
	if (tpa)
		v = access_ord_read(m, cpu, tpa, 8, &x, deps, &pv);
	access_xlat_done(m, cpu, &x, tpa != 0, pv);
	access_explicit(m, cpu);
	*tag = (unsigned)v & 0xf;
	if (view)
		*view = pv;
	trace(m, cpu, "tag-load", "[0x%" PRIx64 "] allocation tag = %u%s",
	      gva, *tag, tpa ? "" : " (Untagged memory: RAZ)");
	return !m->stopped;
}

bool vmsa_tag_store(vmsa_machine_t *m, vmsa_cpu_t cpu, uint64_t va,
		    unsigned tag, const vmsa_access_deps_t *deps)
{
	const char *fn = "vmsa_tag_store";
	uint64_t gva = va & ~(uint64_t)(GRANULE - 1);
	vmsa_access_t acc = {.addr = gva, .kind = VMSA_ACC_WRITE};
	/* STG reports no instruction syndrome (ISV = 0): it is not a
	 * single general-purpose register load or store. */
	struct exc_abort_info info = {.write = true};
	struct xlat x;
	vmsa_pa_t tpa;

	if (!check_tag_store(m, fn, cpu, tag))
		return false;
	if (!access_xlat(m, cpu, &acc, &info, &x, "tag-store",
			 &(struct ord_acc){.ord = VMSA_ORD_PLAIN,
					   .addr = deps ? deps->addr : 0,
					   .data = order_deps_data(deps)}))
		return false;
	tpa = vmsa_mte_tag_pa(m, x.walk.pa);
	trace(m, cpu, "tag-store", "[0x%" PRIx64 "] allocation tag := %u%s",
	      gva, tag, tpa ? "" : " (Untagged memory: ignored)");
	if (tpa) {
		size_t n_msgs = m->ord.msgs.n;
		uint64_t ts;

		ord_store_deps(m, cpu, tpa, 8, tag, true, VMSA_ORD_PLAIN,
			       deps ? deps->addr : 0, deps);
		ts = access_store_ts(m, cpu, n_msgs);
		access_xlat_done(m, cpu, &x, ts != 0, ts);
	} else {
		access_xlat_done(m, cpu, &x, false, 0);
	}
	access_explicit(m, cpu);
	return !m->stopped;
}
