/*
 * vmsa/hyp.h - a KVM-like hypervisor core that runs on the model: VMs
 * whose stage 2 the page-table library manages (vmsa/pgtable.h, through
 * the model backend), vCPUs bound to model CPUs that enter the guest and
 * take exits at EL2, one exit handler that dispatches by exception class,
 * the stage-2 fault handler, dirty logging, host-side unmap and
 * copy-on-write. Scenarios build on it (scenarios/seeds/); docs/hyp.md
 * describes the design, the exit flow and every variant.
 *
 * A VM lives at the START of the run data (vmsa_run_data()), written by
 * set-up and only read by CPU code; what changes while the CPUs run (the
 * MMU lock, the memslot, the dirty bitmap, the logging switch, per-CPU
 * bookkeeping) is in the hypervisor's page in model memory, so that every
 * access to it is a step the explorer interleaves and every execution
 * starts from the same state. A scenario with data of its own puts the
 * VM first:
 *
 *	struct mine { vmsa_hyp_vm_t vm; vmsa_pa_t extra; };
 *	static void setup(vmsa_run_t *r)
 *	{
 *		vmsa_hyp_vm_cfg_t c = vmsa_hyp_vm_cfg_default();
 *		c.slot_pages = 1;
 *		vmsa_hyp_vm_setup(r, &c);
 *	}
 *	static void vcpu(vmsa_run_t *r, vmsa_cpu_t cpu)
 *	{
 *		vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(r);
 *		vmsa_hyp_vcpu_enter(vm, cpu, 0);       (guest MMU off)
 *		vmsa_read(vmsa_run_machine(r), cpu, vm->cfg.slot_ipa, 8, &v);
 *	}
 *	VMSA_SCENARIO(..., .handler = {[0] = {[2] = vmsa_hyp_exit_handler}},
 *		      ...);
 *
 * The VM's layout (4K granule everywhere): stage 2 with cfg.ipa_bits of
 * IPA and VMID cfg.vmid; the memslot, cfg.slot_pages pages at IPA
 * cfg.slot_ipa (or one 2M block with cfg.slot_block); with cfg.guest_s1
 * the guest's own stage 1, one level-1 table at IPA cfg.s1_ipa whose
 * entry 0 maps VA [0, 1G) to IPA [0, 1G) with a 1G block (Normal
 * Write-Back, EL1 read-write), so a guest VA is its IPA while TLBs hold
 * combined stage 1+2 entries.
 */
#ifndef VMSA_HYP_H
#define VMSA_HYP_H

#include "vmsa/backend.h"
#include "vmsa/exc.h"
#include "vmsa/guest.h"
#include "vmsa/pgtable.h"
#include "vmsa/scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

/* libvmsa is built with -fvisibility=hidden: what this header declares
 * is the exported API (docs: README, "Using the library"). */
#pragma GCC visibility push(default)

#define VMSA_HYP_PAGE 0x1000ull
#define VMSA_HYP_BLOCK 0x200000ull
/* Pages a page-backed memslot may have (one dirty-bitmap word). */
#define VMSA_HYP_SLOT_MAX 32u
/* Word 0 of memslot page i holds VMSA_HYP_DATA(i) after set-up. */
#define VMSA_HYP_DATA(i) (0xa0ull + (i))
/* 64-bit words of the hypervisor's page free for a scenario's own use
 * (vmsa_hyp_word()). */
#define VMSA_HYP_USER_WORDS 64u
/* Exit classes a VM may register handlers for (vmsa_hyp_set_exit). */
#define VMSA_HYP_MAX_EXITS 16u
/* Entry hooks a VM may register (vmsa_hyp_add_entry_hook). */
#define VMSA_HYP_MAX_HOOKS 4u
/* The exit class of an IRQ (type VMSA_EXC_IRQ), after the 64 ECs. */
#define VMSA_HYP_EXIT_IRQ 64u

/* Behaviours the upstream discussions call buggy, each an explicit
 * variant (vmsa_hyp_vm_cfg_t.variants), and choices that are not bugs. */
enum {
	/* A stage-2 fault the handler finds already resolved (the entry
	 * allows the access) returns without the local invalidation
	 * (TLBI IPAS2E1 + VMALLE1, NSH): a stale stricter entry in this
	 * CPU's TLB keeps faulting (kvm-bbml2/relax-stale). */
	VMSA_HYP_V_NO_RESOLVED_TLBI = 1u << 0,
	/* The fault path maps a page without cleaning it to the PoC first
	 * (a guest with its MMU off reads memory, not the cache). */
	VMSA_HYP_V_NO_CLEAN = 1u << 1,
	/* Copy-on-write remaps without cleaning the copy to the PoC (the
	 * 2018 kvm_set_spte_hva bug: cow/no-clean). */
	VMSA_HYP_V_COW_NO_CLEAN = 1u << 2,
	/* TLB conflict aborts at EL2 handled as Gunyah does: TLBI IPAS2E1
	 * for the IPA and TLBI VMALLE1, DSB NSH, ISB (instead of the
	 * library's TLBI VMALLS12E1, DSB NSH). Not a bug: a choice. */
	VMSA_HYP_V_CONFLICT_IPA = 1u << 3,
};

/* A VM's configuration (vmsa_hyp_vm_cfg_default() fills a usable one). */
typedef struct vmsa_hyp_vm_cfg {
	uint16_t vmid;           /* non-zero */
	unsigned ipa_bits;       /* 30 .. 40 */
	uint64_t slot_ipa;       /* the memslot's IPA (page aligned; 2M
				    aligned with slot_block) */
	unsigned slot_pages;     /* 0 .. VMSA_HYP_SLOT_MAX (not slot_block) */
	/* Pages 0 .. slot_alloc-1 get a host page at set-up (word 0 =
	 * VMSA_HYP_DATA(i)); the others are allocated by the first fault. */
	unsigned slot_alloc;
	/* Pages 0 .. slot_map-1 are mapped at stage 2 at set-up (<=
	 * slot_alloc). With slot_block: map the block at set-up. */
	unsigned slot_map;
	/* The memslot is one 2M block of host memory (word 0 of its page i
	 * holds VMSA_HYP_DATA(i) for i < 2), mapped with a block (pages
	 * while dirty logging). */
	bool slot_block;
	bool guest_s1;           /* build the guest's stage 1 */
	uint64_t s1_ipa;         /* its level-1 table (page aligned) */
	uint64_t hcr_set;        /* HCR_EL2 bits added at every entry */
	uint64_t hcr_clear;      /* bits of VMSA_GUEST_HCR removed (RW for
				    an AArch32 EL1) */
	unsigned variants;       /* VMSA_HYP_V_* */
	/* A mutation of the library's lines (vmsa/backend.h), or NULL. */
	const vmsa_pgt_mutation_t *mutation;
} vmsa_hyp_vm_cfg_t;

struct vmsa_hyp_vm;

/* A handler of one exit class, on the vCPU's CPU at EL2. arg is what
 * vmsa_hyp_set_exit() was given. When it returns, the entry hooks run
 * and the guest resumes (the faulting instruction is retried). */
typedef void (*vmsa_hyp_exit_fn)(struct vmsa_hyp_vm *vm, vmsa_cpu_t cpu,
				 const struct vmsa_exception *e, void *arg);

/* A hook run on every entry to the guest: by vmsa_hyp_vcpu_enter()
 * before its ERET, and by vmsa_hyp_exit_handler() before it returns. */
typedef void (*vmsa_hyp_hook_fn)(struct vmsa_hyp_vm *vm, vmsa_cpu_t cpu,
				 void *arg);

typedef struct vmsa_hyp_exit {
	unsigned cls;            /* an EC (0 .. 63) or VMSA_HYP_EXIT_IRQ */
	vmsa_hyp_exit_fn fn;
	void *arg;
} vmsa_hyp_exit_t;

typedef struct vmsa_hyp_hook {
	vmsa_hyp_hook_fn fn;
	void *arg;
} vmsa_hyp_hook_t;

/* A VM. The fields are the core's: read them, never write them. */
typedef struct vmsa_hyp_vm {
	vmsa_pgt_model_t bk;     /* the model backend */
	vmsa_pgt_ops_t ops;      /* the library's ops (the backend's, with
				    the unobservable accesses made without
				    steps: docs/hyp.md) */
	vmsa_pgt_t pgt;          /* the stage-2 table */
	vmsa_hyp_vm_cfg_t cfg;   /* cfg.mutation is NULL after set-up */
	vmsa_run_t *run;
	vmsa_machine_t *m;
	uint64_t vtcr;           /* VTCR_EL2 of the VM */
	bool fwb;                /* the machine has FEAT_S2FWB: HCR_EL2.FWB */
	vmsa_pa_t hyp;           /* the hypervisor's page */
	vmsa_pa_t s1;            /* the guest's level-1 table (host PA) */
	vmsa_pa_t block;         /* slot_block: the 2M of host memory */
	unsigned n_exits, n_hooks;
	vmsa_hyp_exit_t exits[VMSA_HYP_MAX_EXITS];
	vmsa_hyp_hook_t hooks[VMSA_HYP_MAX_HOOKS];
} vmsa_hyp_vm_t;

/* ---------------------------------------------------------------------
 * VMs (src/hyp/vm.c)
 * ------------------------------------------------------------------- */

/* VMID VMSA_GUEST_VMID, 30-bit IPA, a memslot of 1 page at IPA 2M
 * allocated and mapped at set-up, the guest's stage 1 at IPA 0, no
 * variants. */
vmsa_hyp_vm_cfg_t vmsa_hyp_vm_cfg_default(void);

/* The VM of this execution: the start of vmsa_run_data(r). */
vmsa_hyp_vm_t *vmsa_hyp_vm_of(vmsa_run_t *r);

/* Set-up (CPU VMSA_SETUP, no steps): the model backend (with
 * cfg->mutation), the hypervisor's page, the stage-2 table, the guest's
 * stage 1, the memslot's host pages and mappings as cfg asks; the
 * default exit handlers (stage-2 aborts: vmsa_hyp_s2_abort). Returns the
 * VM, or NULL after an "assert" violation naming what failed (a bad
 * cfg: vmid 0, ipa_bits out of range, a memslot beyond the IPA space or
 * overlapping the stage-1 table, too many pages; no memory). */
vmsa_hyp_vm_t *vmsa_hyp_vm_setup(vmsa_run_t *r, const vmsa_hyp_vm_cfg_t *cfg);

/* The PA of the scenario's word i (< VMSA_HYP_USER_WORDS) of the
 * hypervisor's page (zero at set-up); VMSA_BAD_PA for i out of range. */
vmsa_pa_t vmsa_hyp_word(const vmsa_hyp_vm_t *vm, unsigned i);

/* The host page backing memslot page i now (a read of the memslot
 * without a step: for set-up and final checks); 0 when none yet. */
vmsa_pa_t vmsa_hyp_slot_peek(const vmsa_hyp_vm_t *vm, unsigned i);

/* The memslot page of ipa, or -1 when ipa is outside the memslot. */
int vmsa_hyp_slot_index(const vmsa_hyp_vm_t *vm, uint64_t ipa);

/* ---------------------------------------------------------------------
 * vCPUs: entering the guest, exits (src/hyp/vcpu.c, exit.c)
 * ------------------------------------------------------------------- */

enum {
	VMSA_HYP_ENTER_S1 = 1u << 0,  /* the guest's stage 1 on (needs
					 cfg.guest_s1); else its MMU off */
};

/* On the vCPU's CPU at EL2: VTCR_EL2 and VTTBR_EL2 of the VM, so that
 * TLBIs for the VM need no VMID switch (KVM's __load_stage2). Two steps.
 * Host code that changes the VM's tables calls it first, too. */
void vmsa_hyp_load_s2(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu);

/* Run the guest on cpu (at EL2): with VMSA_HYP_ENTER_S1 the guest's EL1
 * registers (MAIR_EL1, TCR_EL1, TTBR0_EL1, SCTLR_EL1.M = 1); the VM's
 * stage 2 (vmsa_hyp_load_s2); HCR_EL2 = VMSA_GUEST_HCR, minus
 * cfg.hcr_clear, plus cfg.hcr_set and FWB when the machine has S2FWB;
 * the entry hooks; ERET to EL1. A bad cpu or flag is a "bad-call" (the
 * model's) or an "assert" violation. */
void vmsa_hyp_vcpu_enter(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, unsigned flags);

/* The EL2 exit handler of every vCPU (.handler[cpu][2] =
 * vmsa_hyp_exit_handler; arg is the run): finds the exit class (the EC,
 * or VMSA_HYP_EXIT_IRQ), calls the handler registered for it, then the
 * entry hooks. An exit with no handler is an "assert" violation
 * ("unexpected exit ..."). */
void vmsa_hyp_exit_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
			   const struct vmsa_exception *e, void *arg);

/* In set-up: handle exit class cls (an EC, or VMSA_HYP_EXIT_IRQ) with
 * fn(vm, cpu, e, arg), replacing the handler registered for it. *prev
 * (when not NULL) gets the one replaced (fn NULL when none), for a
 * handler that handles some exits of its class and passes the others
 * on. Returns 0; -EINVAL for cls > 64, fn NULL, or CPU code calling;
 * -ENOSPC when VMSA_HYP_MAX_EXITS classes have handlers. By default
 * EC 0x20 and 0x24 (aborts from the guest) go to vmsa_hyp_s2_abort. */
int vmsa_hyp_set_exit(vmsa_hyp_vm_t *vm, unsigned cls, vmsa_hyp_exit_fn fn,
		      void *arg, vmsa_hyp_exit_t *prev);

/* In set-up: run fn(vm, cpu, arg) on every entry to the guest (after the
 * hooks registered before it). Returns 0; -EINVAL (fn NULL, CPU code);
 * -ENOSPC past VMSA_HYP_MAX_HOOKS. */
int vmsa_hyp_add_entry_hook(vmsa_hyp_vm_t *vm, vmsa_hyp_hook_fn fn,
			    void *arg);

/* ---------------------------------------------------------------------
 * The MMU lock (src/hyp/lock.c): a reader-writer lock in the
 * hypervisor's page. Fault paths take it for reading (shared walks),
 * everything else for writing (exclusive walks), as KVM's mmu_lock.
 * Every release first issues DSB ISHST, publishing the table changes
 * made under it to every walk (RSPVBD).
 * ------------------------------------------------------------------- */

/* As Linux's qrwlock: a reader adds its bias to the word with an atomic
 * add that returns only the writer's bit (vmsa_phys_add), and subtracts
 * it to release; two readers' adds commute for the explorer's reduction.
 * A writer takes the word from 0 with a compare-and-swap. read_unlock
 * by a CPU that holds the lock for writing is an assert violation
 * ("read_unlock of an MMU lock held for writing"); a release of a lock
 * not held shows as a writer that waits for ever (deadlock). */
void vmsa_hyp_read_lock(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu);
void vmsa_hyp_read_unlock(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu);
void vmsa_hyp_write_lock(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu);
void vmsa_hyp_write_unlock(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu);

/* At the start of a fault path at ipa, before the lock: when cpu's
 * previous fault was at ipa too (the guest's retry faulted again), wait
 * until no fault path holds the lock (no reader; docs/hyp.md says why):
 * one wait step then, none otherwise. vmsa_hyp_s2_abort calls it. */
void vmsa_hyp_fault_begin(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, uint64_t ipa);

/* ---------------------------------------------------------------------
 * The stage-2 fault handler (src/hyp/fault.c)
 * ------------------------------------------------------------------- */

/* The exit handler of a guest's abort (EC 0x20, 0x24; registered by
 * default). A TLB conflict abort: vmsa_hyp_conflict. A stage-2
 * Translation or Permission fault in the memslot or on the guest's
 * stage-1 table, under the MMU lock held for reading:
 *  - the entry already allows the access (another vCPU resolved it):
 *    return after TLBI IPAS2E1 (the IPA) + TLBI VMALLE1, DSB NSH (not
 *    with VMSA_HYP_V_NO_RESOLVED_TLBI);
 *  - invalid: find the host page in the memslot, or allocate it
 *    (compare-and-swap into the memslot, the loser frees its page), and
 *    map it with a shared walk (the library cleans it to the PoC first
 *    unless S2FWB or VMSA_HYP_V_NO_CLEAN): RW (+X on an instruction
 *    abort), a page, or the block of a block slot; while dirty logging:
 *    pages only, read-only unless the access is a write, which marks the
 *    page dirty first; -EAGAIN (a lost race) is a retry;
 *  - valid without the permission: a write while dirty logging marks
 *    the page dirty, then relaxes (vmsa_pgt_relax_perms, which
 *    invalidates locally); otherwise relaxes.
 * Anything else is an "assert" violation ("unexpected stage-2 ...").
 * arg is unused. */
void vmsa_hyp_s2_abort(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e, void *arg);

/* A TLB conflict abort of the guest taken to EL2 (RBLRKC): the library's
 * vmsa_pgt_s2_conflict_handler (TLBI VMALLS12E1, DSB NSH), or with
 * VMSA_HYP_V_CONFLICT_IPA TLBI IPAS2E1 for the IPA (FAR_EL2 with the
 * guest's MMU off, else AT S1E1R) + TLBI VMALLE1, DSB NSH, ISB; then the
 * vCPU retries once no host CPU holds the MMU lock for writing. */
void vmsa_hyp_conflict(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu,
		       const struct vmsa_exception *e);

/* True when e is a stage-2 fault of kind k (a TLB conflict of either
 * stage for VMSA_FAULT_TLB_CONFLICT). */
bool vmsa_hyp_is_s2(const struct vmsa_exception *e, vmsa_fault_kind_t k);

/* ---------------------------------------------------------------------
 * Dirty logging (src/hyp/dirty.c)
 * ------------------------------------------------------------------- */

/* On a host CPU: turn dirty logging on for the memslot, under the MMU
 * lock held for writing: the switch the fault path reads, an eager split
 * of a block slot (vmsa_pgt_split), write-protection of the slot
 * (vmsa_pgt_wrprotect: broadcast invalidation). Returns 0 or the
 * library's error. */
int vmsa_hyp_dirty_enable(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu);

/* On a host CPU: the dirty bitmap (bit i: memslot page i written since
 * the last call), cleared, and the pages it names write-protected again
 * (KVM_GET_DIRTY_LOG with manual protect off), under the lock held for
 * writing. */
uint64_t vmsa_hyp_dirty_get_clear(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu);

/* The dirty bitmap now, without a step (final checks). */
uint64_t vmsa_hyp_dirty_peek(const vmsa_hyp_vm_t *vm);

/* ---------------------------------------------------------------------
 * Host-side changes (src/hyp/host.c)
 * ------------------------------------------------------------------- */

/* On a host CPU: point memslot page `page` at host page pa (one step; the
 * caller holds the MMU lock for writing, or orders it before an unmap of
 * the page). */
void vmsa_hyp_slot_set(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, unsigned page,
		       vmsa_pa_t pa);

/* On a host CPU: remove the stage-2 mappings of [ipa, ipa + size) as an
 * MMU notifier does (exclusive unmap under the lock held for writing:
 * broadcast invalidation, empty tables freed). Returns 0 or the
 * library's error. */
int vmsa_hyp_unmap(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, uint64_t ipa,
		   uint64_t size);

/* On a host CPU: break copy-on-write of memslot page `page` (mapped now):
 * copy its first `words` 64-bit words to host page new_pa through the
 * host's cacheable linear map, then under the lock held for writing
 * point the memslot at new_pa and remap the IPA to it with
 * break-before-make (break, TLBI IPAS2E1IS + VMALLE1IS, DSB, make: the
 * library's replacement of an output address), the copy cleaned to the
 * PoC before the make unless S2FWB or VMSA_HYP_V_COW_NO_CLEAN. Returns
 * 0, the library's error, or -EINVAL (page out of range, words 0 or
 * beyond a page, a block slot). */
int vmsa_hyp_cow(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, unsigned page,
		 vmsa_pa_t new_pa, unsigned words);

/* ---------------------------------------------------------------------
 * SPE buffer handling (src/hyp/spe.c; docs/hyp.md, "SPE buffer
 * handling"). The profiling unit writes a guest's records through the
 * guest's stage 1 and the VM's stage 2; a stage-2 fault there is a
 * Profiling Buffer management event in the guest-visible PMBSR_EL1, not
 * an exit (Arm ARM D17.8.3). The ways a hypervisor avoids it, each a
 * mode bit (any combination):
 * ------------------------------------------------------------------- */

enum {
	/* Trap the guest's PMB* accesses (MDCR_EL2.E2PB = 0b10, EC 0x18)
	 * and, when it sets PMBLIMITR_EL1.E, map every page of [PMBPTR_EL1,
	 * LIMIT) its stage 1 maps at stage 2 before enabling the buffer. */
	VMSA_HYP_SPE_PIN_ENABLE = 1u << 0,
	/* Trap the guest's ERET (FEAT_FGT: HFGITR_EL2.ERET, EC 0x1A) and map
	 * the pages of an enabled buffer again before completing it. */
	VMSA_HYP_SPE_PIN_ERET = 1u << 1,
	/* Trap the PMB* accesses; on the physical PMBIRQ (an IRQ exit:
	 * the VM needs HCR_EL2.IMO in cfg.hcr_set, and vmsa_hyp_spe_traps
	 * opens ICC_PMR_EL1), at every exit (an entry hook) and before
	 * emulating the guest's read of PMBSR_EL1, repair a stage-2 event:
	 * walk the guest's stage 1 for PMBPTR_EL1, map the IPA, clear the
	 * event (profiling restarts at PMBPTR_EL1). PMBIRQ for another
	 * event (stage 1, buffer full) is an "assert": a hypervisor would
	 * inject a virtual PMBIRQ, which the model does not have. */
	VMSA_HYP_SPE_TRANSLATE = 1u << 2,
};

/* In set-up: handle the guest's SPE buffer as `mode` (VMSA_HYP_SPE_*)
 * says: exits for EC 0x18 (with any mode bit) and EC 0x1A
 * (VMSA_HYP_SPE_PIN_ERET), an entry hook and the IRQ exit
 * (VMSA_HYP_SPE_TRANSLATE; a VM that registered an IRQ handler first
 * keeps it, and that handler calls vmsa_hyp_spe_repair itself).
 * Mode 0 registers nothing (a VM whose memory is all mapped: pin-all).
 * Returns 0, -EINVAL (unknown bits, not in set-up) or the core's
 * -ENOSPC. */
int vmsa_hyp_spe_setup(vmsa_hyp_vm_t *vm, unsigned mode);

/* On the vCPU's CPU at EL2, before entering the guest: MDCR_EL2.E2PB =
 * 0b10 (the buffer owned by EL1, its registers trapped) with any mode
 * bit, 0b11 (owned by EL1, untrapped) for mode 0; ICC_PMR_EL1 = 0xff
 * with VMSA_HYP_SPE_TRANSLATE (PMBIRQ unmasked); HFGITR_EL2.ERET with
 * VMSA_HYP_SPE_PIN_ERET, which needs FEAT_FGT (an "assert" violation
 * without it: HFGITR_EL2 does not exist). One to three steps. */
void vmsa_hyp_spe_traps(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, unsigned mode);

/* The guest's stage-1 translation of va in software, as the hypervisor
 * walks it (SCTLR_EL1.M = 0: va itself; else TCR_EL1, TTBR0_EL1, 4K
 * granule, the tables in the memslot, each looked up and read through
 * the hypervisor's map: one step per register, memslot word and
 * descriptor read). 0 and *ipa; -ENOENT when the guest does not map va
 * (its own stage-1 fault); -EINVAL for a configuration it does not walk
 * (not 4K, TTBR1); -EFAULT for a table outside the memslot. */
int vmsa_hyp_spe_walk(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, uint64_t va,
		      uint64_t *ipa);

/* Make ipa present at stage 2 for writing, as the guest's own write
 * would: the stage-2 fault path (vmsa_hyp_s2_abort) on a write
 * Translation fault at ipa. 0, or -EFAULT outside the memslot. */
int vmsa_hyp_spe_map(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, uint64_t ipa);

/* Pin the buffer the registers describe now: vmsa_hyp_spe_map for the
 * IPA of every page of [PMBPTR_EL1, PMBLIMITR_EL1.LIMIT) the guest maps.
 * 0 or the first error. */
int vmsa_hyp_spe_pin(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu);

/* A stage-2 buffer management event (PMBSR_EL1.S, EC 0b100101):
 * translate PMBPTR_EL1, map the IPA, clear S, EC and MSS. True when one
 * was repaired. */
bool vmsa_hyp_spe_repair(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu);

/* ---------------------------------------------------------------------
 * FP/SIMD: lazy switching, a 32-bit guest's FPEXC32_EL2, hypercalls
 * (src/hyp/fp.c; docs/hyp.md "FP/SIMD")
 *
 * The guest's FP/SIMD registers V0..nregs-1 (and for a 32-bit guest
 * FPEXC32_EL2) are switched lazily, as KVM does: while the host's are in
 * the registers, CPTR_EL2 traps FP (TFP; FPEN = 0b00 under E2H); the
 * guest's first FP access exits with EC 0x07, the handler saves the
 * host's registers, loads the guest's, stops trapping and returns
 * straight to the guest, which retries the instruction. The guest's
 * state then stays loaded across exits handled at EL2 until the host
 * wants FP itself (vmsa_hyp_fp_put). For a 32-bit guest FPEXC32_EL2.EN = 0
 * would make its FP instructions UNDEFINED to its own EL1 before the
 * CPTR_EL2 trap (D1.4.5.6: priority 21 before 24), so while trapping the
 * entry sets EN = 1 in the register (the guest's own value waits in its
 * context and is loaded with its registers).
 * ------------------------------------------------------------------- */

/* vmsa_hyp_fp_setup() flags. */
enum {
	/* The 2018 bug: on every entry of a 32-bit guest FPEXC32_EL2 =
	 * EN, trapping or not. With the guest's FP state loaded (not
	 * trapped), this overwrites the guest's own FPEXC: an FP
	 * instruction the guest made UNDEFINED to itself (EN = 0, its lazy
	 * FP) executes instead (fp32/force-en). The fix ("Only force
	 * FPEXC32_EL2.EN if trapping FPSIMD") is the default. */
	VMSA_HYP_FP_V_FORCE_EN = 1u << 0,
	/* Eager switching: the guest's registers and FPEXC32_EL2 are
	 * loaded on every entry and saved on every hypercall exit (every
	 * switch to the host's code), FP is never trapped, so FPEXC32_EL2
	 * is plain guest state and nothing forces EN (fp32/eager-switch).
	 * Not a bug: the cleanup proposed in the 2018 thread. */
	VMSA_HYP_FP_EAGER = 1u << 1,
};

/* Registers switched at most (V0 .. V7). */
#define VMSA_HYP_FP_MAX_REGS 8u

struct vmsa_hyp_fp;

/* A hypercall (HVC #imm from the guest, AArch64 or AArch32), on the
 * vCPU's CPU at EL2: the host's code. When it returns the guest resumes
 * after its HVC. */
typedef void (*vmsa_hyp_hcall_fn)(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu,
				  unsigned imm, void *arg);

/* The FP/SIMD switch of a VM: in run data after the VM (set-up writes
 * it, CPU code reads it); what changes is in model memory (its page). */
typedef struct vmsa_hyp_fp {
	vmsa_hyp_vm_t *vm;
	vmsa_pa_t ctx;           /* per CPU: the guest's and the host's saved
				    registers, the guest's FPEXC32_EL2, and
				    whether the guest's state is loaded */
	unsigned nregs;          /* V0 .. nregs-1 are switched */
	unsigned flags;          /* VMSA_HYP_FP_* */
	bool aarch32;            /* the guest's EL1 is AArch32 (the VM's
				    cfg.hcr_clear has VMSA_HCR_RW) */
	bool vhe;                /* E2H = 1 while the guest runs: CPTR_EL2
				    in the FPEN format */
	vmsa_hyp_hcall_fn hcall; /* NULL: every hypercall returns at once */
	void *hcall_arg;
} vmsa_hyp_fp_t;

/* In set-up, after vmsa_hyp_vm_setup(): switch V0 .. nregs-1 (1 ..
 * VMSA_HYP_FP_MAX_REGS) lazily (or eagerly with VMSA_HYP_FP_EAGER); the
 * guest starts with zero registers and FPEXC32_EL2 = 0 (EN = 0: a
 * 32-bit guest enables FP with VMSR FPEXC). Registers the exits EC 0x07
 * (FP trap), 0x16 and 0x12 (HVC, to hcall) and an entry hook. Returns
 * 0, -EINVAL (bad nregs or flags, CPU code calling), -ENOMEM, or the
 * core's -ENOSPC. */
int vmsa_hyp_fp_setup(vmsa_hyp_vm_t *vm, vmsa_hyp_fp_t *fp, unsigned nregs,
		      unsigned flags, vmsa_hyp_hcall_fn hcall, void *arg);

/* On the vCPU's CPU at EL2 (the host's code: a hypercall hook): the
 * host is about to use FP, or the vCPU leaves the CPU. When the guest's
 * state is loaded, save it (registers, and FPEXC32_EL2 for a 32-bit
 * guest) and load the host's; the next entry traps FP again. Steps: one
 * per register access. */
void vmsa_hyp_fp_put(vmsa_hyp_fp_t *fp, vmsa_cpu_t cpu);

/* Without a step (checks): is the guest's FP state in cpu's registers,
 * and the guest's saved register i / FPEXC32_EL2 in its context (what
 * the last save left; meaningless while loaded). false / 0 for a NULL
 * or never set up fp, a CPU that does not exist, i >= nregs; put does
 * nothing for a NULL or never set up fp. */
bool vmsa_hyp_fp_loaded(const vmsa_hyp_fp_t *fp, vmsa_cpu_t cpu);
vmsa_v128_t vmsa_hyp_fp_saved_reg(const vmsa_hyp_fp_t *fp, vmsa_cpu_t cpu,
				  unsigned i);
uint64_t vmsa_hyp_fp_saved_fpexc(const vmsa_hyp_fp_t *fp, vmsa_cpu_t cpu);

/* ---------------------------------------------------------------------
 * Kernel-side primitives (src/hyp/pause.c, src/hyp/spurious.c; seed
 * 004, docs/seeds.md): pausing the other CPUs with pseudo-NMIs, a
 * stop_machine-style rendezvous, and the spurious translation fault
 * check of an EL1 fault handler. Plain scenario code on the public API:
 * each step below is one model operation.
 * ------------------------------------------------------------------- */

/* Variants of a pause (vmsa_pause_t.flags). */
enum {
	/* Buggy: a paused CPU sets "paused" only after it has started to
	 * wait for "resumed" (so the pausing CPU, which waits for
	 * "paused" before it resumes anyone, never does). */
	VMSA_PAUSE_LATE_PAUSED = 1u << 0,
	/* A paused CPU executes an ISB after "resumed", before it returns
	 * from the pseudo-NMI: what makes a return that does not
	 * synchronise context (FEAT_ExS, SCTLR_EL1.EOS = 0) safe. */
	VMSA_PAUSE_ISB = 1u << 1,
	/* stop_machine: no ISB when a CPU leaves the rendezvous. */
	VMSA_STOP_NO_ISB = 1u << 2,
};

/*
 * A pause or a stop_machine rendezvous of CPUs 0 .. ncpus-1: set-up
 * keeps this in the run data (read-only for the CPUs); the words the
 * CPUs share are in one model page:
 *	page + 8 * cpu        "CPU cpu is paused" (0 / 1)
 *	page + 0x100          "resumed" (0 / 1)
 *	page + 0x108          stop_machine: its state (VMSA_STOP_*)
 *	page + 0x110          stop_machine: CPUs yet to acknowledge it
 */
typedef struct vmsa_pause {
	vmsa_pa_t page;
	unsigned ncpus;
	unsigned flags;
} vmsa_pause_t;

/* stop_machine's states, as Linux's multi_cpu_stop() steps through
 * them: every CPU acknowledges each; the last one moves to the next. */
enum {
	VMSA_STOP_PREPARE = 1,
	VMSA_STOP_DISABLE_IRQ,
	VMSA_STOP_RUN,
	VMSA_STOP_EXIT,
};

/* Set-up (CPU VMSA_SETUP): allocate and zero the page, stop_machine's
 * state VMSA_STOP_PREPARE with ncpus acknowledgements to come. */
void vmsa_pause_setup(vmsa_run_t *r, vmsa_pause_t *p, unsigned ncpus,
		      unsigned flags);

/* On the pausing CPU: send a pseudo-NMI (vmsa_send_irq, VMSA_IRQ_NMI)
 * to every other CPU, then wait until each has set "paused". */
void vmsa_pause_others(vmsa_run_t *r, vmsa_cpu_t cpu, const vmsa_pause_t *p);

/* On the pausing CPU, after its change (and its last DSB): "resumed". */
void vmsa_resume_others(vmsa_run_t *r, vmsa_cpu_t cpu,
			const vmsa_pause_t *p);

/*
 * In a paused CPU's EL1 (or EL2) handler: when e is the pseudo-NMI,
 * handle it and return true (the handler then returns): set "paused",
 * wait for "resumed" (VMSA_PAUSE_LATE_PAUSED: the other way round), and
 * with VMSA_PAUSE_ISB an ISB. False for any other exception.
 */
bool vmsa_pause_nmi(vmsa_run_t *r, vmsa_cpu_t cpu,
		    const struct vmsa_exception *e, const vmsa_pause_t *p);

/*
 * stop_machine: every CPU of p calls it; the CPU `active` runs fn(r,
 * cpu, arg) in state VMSA_STOP_RUN, the others wait. Each state: wait
 * for it (vmsa_wait_ne on the state word), do its work (DISABLE_IRQ:
 * DAIFSet I), acknowledge it with a CAS on the count (acquire and
 * release: Linux's fully ordered atomic_dec_and_test); the last CPU to
 * acknowledge resets the count and moves to the next state (EXIT is
 * acknowledged too: the state word ends at VMSA_STOP_EXIT + 1). Leaving
 * EXIT, a CPU restores PSTATE.I and executes an ISB (unless
 * VMSA_STOP_NO_ISB): the context synchronisation that ends its
 * spurious-fault window after fn's changes.
 */
void vmsa_stop_machine(vmsa_run_t *r, vmsa_cpu_t cpu, const vmsa_pause_t *p,
		       vmsa_cpu_t active,
		       void (*fn)(vmsa_run_t *r, vmsa_cpu_t cpu, void *arg),
		       void *arg);

/*
 * In an EL1 fault handler: is e a stage-1 Translation or Access flag
 * fault on an address that translates now? Re-walks FAR with AT S1E1R
 * (S1E1W for a write) and reads PAR_EL1: true when PAR_EL1.F = 0 (the
 * handler returns and the access is retried, as Linux's
 * is_spurious_el1_translation_fault() does). Two steps; false without
 * any step for other exceptions.
 */
bool vmsa_fault_is_spurious(vmsa_machine_t *m, vmsa_cpu_t cpu,
			    const struct vmsa_exception *e);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif
