/*
 * scenarios/pgtable/pgt_scen.h - what the page-table library's scenarios
 * share (common.c): a VM whose stage 2 the library manages through the
 * model backend, the hypervisor's MMU lock, and the guest's fault paths.
 *
 * The library runs on the model exactly as a hypervisor runs it: on a
 * vCPU's own CPU at EL2 when that vCPU's stage-2 fault is taken (the
 * fault path: shared walks under the MMU lock held for reading), or on a
 * host CPU at EL2 (unmap, write-protect, split, collapse: exclusive walks
 * under the lock held for writing), as KVM does with kvm->mmu_lock.
 *
 * The VM (4K granule everywhere):
 *   stage 2   30-bit IPA, start level 2: one root table of 2M entries,
 *             level-3 tables below, VMID PS_VMID. Set-up builds it with
 *             the library (no steps).
 *   stage 1   the guest's own: one level-1 table at IPA PS_IPA_S1 whose
 *             entry 0 maps VA [0, 1G) to IPA [0, 1G) with a 1G block
 *             (Normal Write-Back, EL1 read-write), so a guest VA is its
 *             IPA but TLBs hold combined stage 1+2 entries. A guest may
 *             also run with its MMU off (VA = IPA, Device accesses at the
 *             Point of Coherency).
 *   IPA 2M    PS_IPA_DATA: data pages, the only mappings of their level-3
 *             table (region 1), so unmapping them empties the table.
 *   IPA 4M    PS_IPA_BLOCK: a 2M block (region 2) for split and collapse.
 *
 * Model memory also holds the hypervisor's own data (PS_HYP_*): the MMU
 * lock, the memslot (which host page backs each data IPA), the dirty
 * log, and a word a check can read.
 */
#ifndef SCENARIOS_PGT_SCEN_H
#define SCENARIOS_PGT_SCEN_H

#include <errno.h>

#include "vmsa/backend.h"
#include "vmsa/guest.h"
#include "vmsa/pgtable.h"

#define PS_VMID VMSA_GUEST_VMID
#define PS_IPA_BITS 30u
/* VTCR_EL2: T0SZ 34 (30-bit IPA), SL0 0 (start level 2 with 4K), walks
 * Inner/Outer Write-Back Inner Shareable, 40-bit PA. */
#define PS_VTCR (VMSA_VTCR_T0SZ(34) | VMSA_VTCR_SL0(0) |                 \
		 VMSA_VTCR_IRGN0_WB | VMSA_VTCR_ORGN0_WB |                  \
		 VMSA_VTCR_SH0_ISH | VMSA_VTCR_TG0_4K |                     \
		 VMSA_VTCR_PS(VMSA_PS_40))

#define PS_PAGE 0x1000ull
#define PS_BLOCK 0x200000ull
#define PS_IPA_S1 0x0ull          /* the guest's level-1 table */
#define PS_IPA_DATA 0x200000ull   /* data pages (region 1) */
#define PS_IPA_BLOCK 0x400000ull  /* a 2M block (region 2) */

/* Data pages: word 0 of data page i reads PS_DATA(i) after set-up. */
#define PS_N_DATA 4
#define PS_DATA(i) (0xa0ull + (i))

/* Words of the hypervisor's page. */
#define PS_HYP_LOCK 0x0     /* the MMU lock (ps_read_lock, ...) */
#define PS_HYP_SLOT 0x40    /* + 8 i: host PA backing PS_IPA_DATA + i pages */
#define PS_HYP_DIRTY 0x80   /* + 8 i: the dirty log of data page i */
#define PS_HYP_WORD 0xc0    /* + 8 i: words of a scenario's own */
#define PS_HYP_EXCL 0x100   /* + 8 cpu: the CPU holds the lock for writing */
#define PS_HYP_FRESH 0x180  /* + 8 cpu: a table page the CPU allocated and
			       has not linked yet (common.c, ops) */
#define PS_HYP_LAST 0x1c0   /* + 8 cpu: IPA | 1 of its last stage-2 fault
			       (ps_fault_begin) */

/* Flags of a scenario's set-up. */
enum {
	PS_MAP_DATA = 1u << 0,   /* map PS_IPA_DATA pages 0 .. n_data-1 RW */
	PS_MAP_BLOCK = 1u << 1,  /* map PS_IPA_BLOCK as one 2M block RW */
};

/* What set-up leaves at the start of the run data. */
struct ps {
	vmsa_pgt_model_t bk;     /* the model backend */
	vmsa_pgt_ops_t ops;      /* the library's ops: bk's, with the
				    private accesses made without steps
				    (common.c) */
	vmsa_pgt_t pgt;          /* the VM's stage 2 */
	vmsa_pa_t hyp;           /* the hypervisor's page */
	vmsa_pa_t s1;            /* the guest's level-1 table (host PA) */
	vmsa_pa_t data[PS_N_DATA]; /* host pages of PS_IPA_DATA */
	vmsa_pa_t block;         /* 2M of host memory, 2M aligned */
	bool fwb;                /* the machine has FEAT_S2FWB: HCR_EL2.FWB */
	bool ha;                 /* the machine has FEAT_HAFDBS: VTCR_EL2.HA
				    (hardware Access flag at stage 2), and
				    the library's ops say so (hw_af) */
};

struct ps *ps_of(vmsa_run_t *r);

/* Set-up: the backend (with mutation mu, or NULL), the stage 2 with the
 * guest's stage-1 table mapped, n_data data pages (word 0 of page i is
 * PS_DATA(i), written through the cache: dirty until cleaned) and the
 * memslot pointing at them, the mappings `flags` asks for, and the block's
 * memory when PS_MAP_BLOCK (word 0 of its page i is 0xb0 + i, i < 2).
 * Any failure stops the set-up with an assert. */
void ps_setup(vmsa_run_t *r, unsigned flags, unsigned n_data,
	      const vmsa_pgt_mutation_t *mu);

/* PA of a word of the hypervisor's page. */
vmsa_pa_t ps_hyp(vmsa_run_t *r, unsigned off);

/* On a vCPU (at EL2): the guest's registers (with s1 its stage 1 on,
 * else its MMU off), stage 2, HCR_EL2 (FWB when the machine has it),
 * then ERET to EL1. */
void ps_guest_enter(vmsa_run_t *r, vmsa_cpu_t cpu, bool s1);

/* On a host CPU (at EL2): VTCR_EL2 and VTTBR_EL2 of the VM, so that the
 * library's TLBIs for PS_VMID need no VMID switch. Two steps. */
void ps_hyp_load(vmsa_run_t *r, vmsa_cpu_t cpu);

/* The MMU lock, a reader-writer lock in the hypervisor's page, as
 * Linux's qrwlock: a writer holds bit 0 (PS_WRITER), readers count above
 * it, taking and releasing it with atomic adds (vmsa_phys_add) that
 * commute with each other's. Fault paths take it
 * for reading, everything else for writing (KVM's mmu_lock). Releasing
 * it in either mode first issues DSB ISHST, so that the table changes
 * made under it are visible to every walk (RSPVBD; common.c says why). */
void ps_read_lock(vmsa_run_t *r, vmsa_cpu_t cpu);
void ps_read_unlock(vmsa_run_t *r, vmsa_cpu_t cpu);
void ps_write_lock(vmsa_run_t *r, vmsa_cpu_t cpu);
void ps_write_unlock(vmsa_run_t *r, vmsa_cpu_t cpu);

/* The map of a stage-2 translation fault path (KVM's user_mem_abort),
 * the lock held for reading: the size `size` at the aligned IPA (a page,
 * or the block when the slot is mapped with blocks) with a shared walk.
 * A walker that loses a race gets -EAGAIN and the access is simply
 * retried, as in KVM; any other error is an assert. */
void ps_fault_map_locked(vmsa_run_t *r, vmsa_cpu_t cpu, uint64_t ipa,
			 uint64_t size, vmsa_pa_t pa);

/* At the start of a fault path at ipa, before the lock: when the vCPU's
 * previous fault was at ipa too (its retry faulted again), wait until no
 * fault path holds the lock (common.c says why; one wait step then). */
void ps_fault_begin(vmsa_run_t *r, vmsa_cpu_t cpu, uint64_t ipa);

/* An EL2 handler for a vCPU: a stage-2 TLB conflict abort goes to
 * vmsa_pgt_s2_conflict_handler (RBLRKC), a stage-2 Translation fault to
 * a map of the page the memslot gives (ps_fault_map_locked; the memslot
 * read under the lock, as KVM's fault path looks the page up); anything
 * else is an assert. The scenarios with other fault paths wrap it. */
void ps_el2_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
		    const struct vmsa_exception *e, void *arg);

/* vmsa_assert that also returns cond, for `if (!ps_ok(...)) return`. */
bool ps_ok(vmsa_run_t *r, vmsa_cpu_t cpu, bool cond, const char *message);

/* True when e is a stage-2 fault of kind k. */
bool ps_is_s2(const struct vmsa_exception *e, vmsa_fault_kind_t k);

/* The faulting IPA of a stage-2 fault (HPFAR_EL2 and FAR_EL2). */
uint64_t ps_fault_ipa(const struct vmsa_exception *e);

/* A guest read of the 8 bytes at va that must give one of the values in
 * ok[0 .. n-1]; false when the execution stopped. */
bool ps_guest_read(vmsa_run_t *r, vmsa_cpu_t cpu, uint64_t va,
		   const uint64_t *ok, unsigned n, const char *what);

#endif
