/*
 * src/hyp/hyp_int.h - what the hypervisor core's files share: the layout
 * of the hypervisor's page in model memory and small helpers.
 *
 * Everything that changes while the CPUs run is in that page, so that
 * every execution starts from set-up's state (the explorer restores
 * model memory) and every shared access is a step:
 *   0x000  the MMU lock (lock.c)
 *   0x008  dirty logging on (dirty.c)
 *   0x010  the dirty bitmap, bit i for memslot page i
 *   0x040  + 8 cpu: the CPU holds the lock for writing   (private,
 *   0x080  + 8 cpu: a table page it allocated, unlinked   no steps:
 *   0x0c0  + 8 cpu: its cache maintenance is dropped      ops.c)
 *   0x100  + 8 i: the host page backing memslot page i (0: none yet)
 *   0x200  + 8 i: the scenario's words (vmsa_hyp_word)
 *   0x400  + 8 cpu: IPA | 1 of its last stage-2 fault (private:
 *          vmsa_hyp_fault_begin)
 */
#ifndef VMSA_HYP_INT_H
#define VMSA_HYP_INT_H

#include <errno.h>

#include "vmsa/hyp.h"

#define HYP_LOCK 0x000u
#define HYP_LOGGING 0x008u
#define HYP_DIRTY 0x010u
#define HYP_EXCL 0x040u
#define HYP_FRESH 0x080u
#define HYP_NOCMO 0x0c0u
#define HYP_SLOT 0x100u
#define HYP_USER 0x200u
#define HYP_LAST 0x400u

/* The MMU lock's word (lock.c), as Linux's qrwlock: the writer's bit
 * lowest, and readers counted in the bits above it, each adding
 * HYP_READER; the bits a reader's atomic add returns (HYP_WRITER) lie
 * below its addend's lowest set bit, so that two readers' adds commute
 * (vmsa_phys_add). */
#define HYP_WRITER 1ull
#define HYP_READER 2ull
#define HYP_READERS (~HYP_WRITER)

static inline vmsa_pa_t hyp_pa(const vmsa_hyp_vm_t *vm, unsigned off)
{
	return vm->hyp + off;
}

/* A private per-CPU word (no step: no other CPU reads it). */
static inline uint64_t *hyp_cpu_word(vmsa_hyp_vm_t *vm, unsigned off,
				     vmsa_cpu_t cpu)
{
	return vmsa_pa_ptr(vm->m, vm->hyp + off + 8 * (unsigned)cpu);
}

/* vmsa_assert that also returns cond, for `if (!hyp_ok(...)) return`. */
static inline bool hyp_ok(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, bool cond,
			  const char *message)
{
	vmsa_assert(vm->run, cpu, cond, message);
	return cond;
}

/* Is cpu a CPU of the machine (not set-up)? */
static inline bool hyp_cpu_ok(const vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu)
{
	return cpu >= 0 &&
	       (unsigned)cpu < vmsa_machine_features(vm->m)->ncpus;
}

/* The bytes the memslot covers. */
static inline uint64_t hyp_slot_size(const vmsa_hyp_vm_t *vm)
{
	return vm->cfg.slot_block ? VMSA_HYP_BLOCK
				  : vm->cfg.slot_pages * VMSA_HYP_PAGE;
}

/* ops.c: the library's ops of the VM. */
void hyp_ops_init(vmsa_hyp_vm_t *vm);

/* vcpu.c: the VM's entry hooks, in order (stops when the execution
 * does). */
void hyp_run_hooks(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu);

/* fault.c: map page `page` of the memslot (lock held: for reading with
 * VMSA_PGT_SHARED in flags, else for writing) to pa with prot. The
 * variant's "no clean" applies when no_clean. Returns the library's
 * result. */
int hyp_map_locked(vmsa_hyp_vm_t *vm, vmsa_cpu_t cpu, uint64_t ipa,
		   uint64_t size, vmsa_pa_t pa, unsigned prot,
		   unsigned flags, bool no_clean);

#endif
