/*
 * src/model/spe.c - the Statistical Profiling Extension: one profiling
 * unit per CPU writing sample records to its Profiling Buffer through
 * the owning translation regime, and the Profiling Buffer management
 * events a fault on such a write raises.
 *
 * What is sampled, and when the record is written (the model's choice
 * within what the manual allows, kept deterministic and small because
 * every step multiplies the explorer's work):
 *  - every explicit data access (vmsa_read, vmsa_write, vmsa_cas) that
 *    completes at an EL where profiling is enabled (D17.4) is sampled
 *    (the sampling interval PMSIRR_EL1/PMSICR_EL1 and the filters
 *    PMSFCR_EL1 are not modelled: the interval is 1 and nothing is
 *    filtered out);
 *  - its record (64 bytes: PMSIDR_EL1.MaxSize = PMBIDR_EL1.Align = 6) is
 *    written in the step right after the access, by the same CPU. The
 *    manual lets the unit write records later (up to a PSB CSYNC,
 *    D17.9); writing at once is one permitted timing and keeps the
 *    translation choices (stale TLB entries, RSPVBD) as the only
 *    nondeterminism of a record.
 * The write is a privileged write in the owning translation regime
 * (D17.7.5 RTDHBH, RKRVDC; PAN ignored, D17.7.6), through stage 1 and,
 * for EL1&0 with stage 2 on, stage 2 (D17.7.1 RVGJHQ, D17.7.3 RDQTTB),
 * with the CPU's TLB (D17.7.8: TLB maintenance of the PE covers its
 * profiling unit). A fault (D17.8.3, Table D17-11) is a Profiling Buffer
 * management event, not an exception: PMBSR_EL1.S = 1, EC 0b100100
 * (stage 1) or 0b100101 (stage 2), FSC, PMBPTR_EL1 = the faulting
 * address, ESR/FAR unchanged; profiling stops (D17.4: S = 1) and the
 * record is lost. Without FEAT_SPE_EXC the event is recorded in
 * PMBSR_EL1 and drives PMBIRQ (RTSJRP).
 */
#include <inttypes.h>

#include "context.h"
#include "footprint.h"
#include "irq.h"
#include "spe.h"
#include "translate.h"
#include "write.h"

#define PMSCR_E0 (1ull << 0)	/* E0SPE (EL1), E0HSPE (EL2) */
#define PMSCR_E1 (1ull << 1)	/* E1SPE (EL1), E2SPE (EL2) */
#define PMBSR_MSS_MASK 0xffffull
#define PMBSR_EC_MASK (0x3full << VMSA_PMBSR_EC_SHIFT)

unsigned spe_owning_el(const struct sysregs *s)
{
	return (s->r[VMSA_REG_MDCR_EL2] & VMSA_MDCR_E2PB(2)) ? 1 : 2;
}

bool spe_enabled(const struct cpu *c)
{
	const struct sysregs *s = &c->regs;
	bool tge = s->r[VMSA_REG_HCR_EL2] & VMSA_HCR_TGE;
	unsigned owner = spe_owning_el(s);

	/* The buffer is enabled and profiling is not stopped (D17.4). */
	if (!(s->r[VMSA_REG_PMBLIMITR_EL1] & VMSA_PMBLIMITR_E) ||
	    (s->r[VMSA_REG_PMBSR_EL1] & VMSA_PMBSR_S))
		return false;
	/* At or below the owning EL; an EL1 owner with TGE = 1 profiles
	 * nothing (Table D17-1). */
	if (c->el > owner || (owner == 1 && tge))
		return false;
	switch (c->el) {
	case 2:
		return s->r[VMSA_REG_PMSCR_EL2] & PMSCR_E1;
	case 1:
		return s->r[VMSA_REG_PMSCR_EL1] & PMSCR_E1;
	default:
		return tge ? s->r[VMSA_REG_PMSCR_EL2] & PMSCR_E0
			   : s->r[VMSA_REG_PMSCR_EL1] & PMSCR_E0;
	}
}

/* PMBSR_EL1 after an event: S = 1, EC and MSS as given, the other
 * fields (DL, EA, COLL) unchanged (D17.8). */
static void record_event(vmsa_machine_t *m, struct cpu *c, unsigned ec,
			 unsigned mss)
{
	uint64_t *sr = &c->regs.r[VMSA_REG_PMBSR_EL1];

	*sr = (*sr & ~(PMBSR_EC_MASK | PMBSR_MSS_MASK)) | VMSA_PMBSR_S |
	      (uint64_t)ec << VMSA_PMBSR_EC_SHIFT | mss;
	/* S drives PMBIRQ (RTSJRP). */
	irq_pmb_sync(m, c);
}

/*
 * A fault on the buffer write (D17.8.3): PMBPTR_EL1 is the faulting
 * address, which is the first byte after the last complete record, so
 * DL is unchanged. An External abort on a walk is reported as an MMU
 * fault of its stage (Table D17-11); whether it also sets EA is
 * IMPLEMENTATION DEFINED: the model leaves EA unchanged.
 */
static void fault_event(vmsa_machine_t *m, int cpu, uint64_t ptr,
			const vmsa_fault_t *f)
{
	struct cpu *c = &m->cpu[cpu];
	unsigned ec = f->stage == VMSA_STAGE2 ? VMSA_PMBSR_EC_S2
					      : VMSA_PMBSR_EC_S1;
	unsigned fsc = vmsa_fault_fsc(f->kind, f->level) & 0x3fu;

	record_event(m, c, ec, fsc);
	c->regs.r[VMSA_REG_PMBPTR_EL1] = ptr;
	trace(m, cpu, "spe", "buffer write at 0x%" PRIx64 ": %s, stage %d, "
	      "level %d: management event, PMBSR_EL1 = 0x%" PRIx64
	      ", record lost", ptr, vmsa_fault_kind_name(f->kind),
	      (int)f->stage, f->level, c->regs.r[VMSA_REG_PMBSR_EL1]);
}

/* Buffer full (D17.8.2): EC 0, BSC 0b000001; PMBPTR_EL1 stays at the
 * first byte after the last record. */
static void full_event(vmsa_machine_t *m, int cpu)
{
	struct cpu *c = &m->cpu[cpu];

	record_event(m, c, VMSA_PMBSR_EC_OTHER, VMSA_PMBSR_BSC_FULL);
	trace(m, cpu, "spe", "buffer full at 0x%" PRIx64 ": management "
	      "event, PMBSR_EL1 = 0x%" PRIx64,
	      c->regs.r[VMSA_REG_PMBPTR_EL1], c->regs.r[VMSA_REG_PMBSR_EL1]);
}

/* Room for a record of SPE_RECORD_SIZE bytes at ptr below limit? */
static bool room(uint64_t ptr, uint64_t limit)
{
	return ptr < limit && limit - ptr >= SPE_RECORD_SIZE;
}

/*
 * The context of the owning translation regime, cached on c from now on
 * (its TLB serves the profiling unit). The CPU's own context when it
 * runs in that regime (the usual case: EL0/EL1 with an EL1 owner); -1
 * after a violation.
 */
static int owning_ctx(vmsa_machine_t *m, int cpu, unsigned owner)
{
	struct cpu *c = &m->cpu[cpu];
	vmsa_regime_cfg_t cfg;
	const char *why = NULL;
	int ctx;

	if ((c->el == owner || (owner == 1 && c->el == 0)) && c->cur_ctx >= 0)
		return c->cur_ctx;
	if (sysreg_regime(&c->regs, owner, m->f.pa_bits, m->f.s2fwb,
			  m->f.hafdbs, &cfg, &why)) {
		violation(m, cpu, VMSA_V_BAD_CONFIG, NULL,
			  "CPU%d: the profiling buffer's owning regime (EL%u) "
			  "is a reserved configuration: %s", cpu, owner,
			  why ? why : "?");
		return -1;
	}
	/* Another context of this CPU: what it may cache changes. */
	fp_flags(m, FP_ALL);
	ctx = ctx_lookup(m, &cfg);
	if (ctx < 0 || cpu_cache_ctx(c, (unsigned)ctx)) {
		violation(m, cpu, VMSA_V_MODEL_LIMIT, NULL,
			  "model limit: out of memory for translation "
			  "contexts (%u in use)", m->n_ctx);
		return -1;
	}
	return ctx;
}

/* The record: the sampled access's VA, then its EL and direction; the
 * rest zero (a stand-in for the packets of D18). */
static void write_record(vmsa_machine_t *m, int cpu, uint64_t pa,
			 bool cacheable, uint64_t va, bool write)
{
	uint64_t words[SPE_RECORD_SIZE / 8] = {
		va, (uint64_t)m->cpu[cpu].el | (uint64_t)write << 8,
	};

	for (unsigned i = 0; i < SPE_RECORD_SIZE / 8 && !m->stopped; i++)
		access_store(m, cpu, pa + 8 * i, 8, words[i], cacheable);
}

static void record_step(vmsa_machine_t *m, int cpu, uint64_t va, bool write)
{
	vmsa_access_t acc = {.kind = VMSA_ACC_WRITE};
	uint64_t ptr, limit;
	struct xlat x;
	struct cpu *c;
	int ctx, saved;

	if (!step_begin(m, cpu))
		return;
	c = &m->cpu[cpu];
	/* PMBPTR_EL1[5:0] are RES0 in this implementation (D24.7.4 lets
	 * bits below PMBIDR_EL1.Align be RES0). */
	ptr = c->regs.r[VMSA_REG_PMBPTR_EL1] & ~(uint64_t)(SPE_RECORD_SIZE - 1);
	limit = c->regs.r[VMSA_REG_PMBLIMITR_EL1] & VMSA_PMBLIMITR_LIMIT_MASK;
	/* RHXSYK broken (no room for a record when profiling became
	 * enabled): CONSTRAINED UNPREDICTABLE (RPGGHS); the model takes the
	 * buffer full event it allows. */
	if (!room(ptr, limit)) {
		full_event(m, cpu);
		return;
	}
	acc.addr = ptr;
	acc.el = spe_owning_el(&c->regs);
	acc.pan = false;
	if ((ctx = owning_ctx(m, cpu, acc.el)) < 0)
		return;
	saved = c->cur_ctx;
	c->cur_ctx = ctx;
	translate(m, (unsigned)cpu, &acc, true, &x);
	c->cur_ctx = saved;
	if (m->stopped || !access_use_ok(m, cpu, &x, ptr))
		return;
	/* TLB conflicts on buffer writes are IMPLEMENTATION DEFINED (Table
	 * D17-11): this unit reports none, and no nT-block fault. */
	if (x.walk.fault.kind != VMSA_FAULT_NONE) {
		fault_event(m, cpu, ptr, &x.walk.fault);
		return;
	}
	if (!mem_contains(&m->mem, x.walk.pa, SPE_RECORD_SIZE)) {
		/* An External abort on the write itself: ignored (RJFYNW's
		 * first permitted behaviour); the record is lost. */
		trace(m, cpu, "spe", "record of 0x%" PRIx64 " at 0x%" PRIx64
		      " (PA 0x%" PRIx64 "): External abort ignored, record "
		      "lost", va, ptr, x.walk.pa);
	} else {
		trace(m, cpu, "spe", "record of 0x%" PRIx64 " at 0x%" PRIx64
		      " (PA 0x%" PRIx64 ")", va, ptr, x.walk.pa);
		write_record(m, cpu, x.walk.pa,
			     vmsa_memattr_cacheable(&x.walk.attr), va, write);
		c->spe_records++;
	}
	ptr += SPE_RECORD_SIZE;
	c->regs.r[VMSA_REG_PMBPTR_EL1] = ptr;
	if (!m->stopped && !room(ptr, limit))
		full_event(m, cpu);
}

void spe_sample(vmsa_machine_t *m, int cpu, uint64_t va, bool write)
{
	if (cpu < 0 || m->stopped || !spe_enabled(&m->cpu[cpu]))
		return;
	record_step(m, cpu, va, write);
}

bool vmsa_spe_irq_pending(const vmsa_machine_t *m, vmsa_cpu_t cpu,
			  unsigned *owner_el)
{
	const struct cpu *c;

	if (cpu < 0 || (unsigned)cpu >= m->f.ncpus)
		return false;
	c = &m->cpu[cpu];
	if (owner_el)
		*owner_el = spe_owning_el(&c->regs);
	return c->regs.r[VMSA_REG_PMBSR_EL1] & VMSA_PMBSR_S;
}

uint64_t vmsa_spe_records(const vmsa_machine_t *m, vmsa_cpu_t cpu)
{
	if (cpu < 0 || (unsigned)cpu >= m->f.ncpus)
		return 0;
	return m->cpu[cpu].spe_records;
}
