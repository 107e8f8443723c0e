/*
 * src/hyp/exit.c - the EL2 exit handler: every exception a vCPU takes to
 * EL2 goes through vmsa_hyp_exit_handler, which finds its class (the
 * exception class, ESR_EL2.EC, D24.2.46; or an IRQ) and calls the
 * handler the VM registered for it. The table is per VM and filled in
 * set-up, so that other parts (FP/SIMD switching, HVCs, SPE, interrupts)
 * add their classes in their own files; a handler that takes only some
 * exits of its class chains to the one it replaced.
 */
#include "hyp_int.h"

static unsigned exit_class(const struct vmsa_exception *e)
{
	return e->type == VMSA_EXC_IRQ ? VMSA_HYP_EXIT_IRQ : e->ec & 0x3fu;
}

static const vmsa_hyp_exit_t *find_exit(const vmsa_hyp_vm_t *vm,
					unsigned cls)
{
	for (unsigned i = 0; i < vm->n_exits; i++)
		if (vm->exits[i].cls == cls)
			return &vm->exits[i];
	return NULL;
}

void vmsa_hyp_exit_handler(vmsa_machine_t *m, vmsa_cpu_t cpu,
			   const struct vmsa_exception *e, void *arg)
{
	vmsa_hyp_vm_t *vm = vmsa_hyp_vm_of(arg);
	const vmsa_hyp_exit_t *x;

	(void)m;
	x = find_exit(vm, exit_class(e));
	if (!x) {
		vmsa_assert(vm->run, cpu, false,
			    e->type == VMSA_EXC_IRQ
				    ? "unexpected exit: an IRQ"
				    : "unexpected exit: no handler for its "
				      "exception class");
		return;
	}
	x->fn(vm, cpu, e, x->arg);
	if (!vmsa_stopped(vm->m))
		hyp_run_hooks(vm, cpu);
}

int vmsa_hyp_set_exit(vmsa_hyp_vm_t *vm, unsigned cls, vmsa_hyp_exit_fn fn,
		      void *arg, vmsa_hyp_exit_t *prev)
{
	vmsa_hyp_exit_t *x;

	if (!vm || cls > VMSA_HYP_EXIT_IRQ || !fn ||
	    vmsa_run_cpu(vm->run) != VMSA_SETUP)
		return -EINVAL;
	x = (vmsa_hyp_exit_t *)find_exit(vm, cls);
	if (prev)
		*prev = x ? *x : (vmsa_hyp_exit_t){.cls = cls};
	if (!x) {
		if (vm->n_exits == VMSA_HYP_MAX_EXITS)
			return -ENOSPC;
		x = &vm->exits[vm->n_exits++];
	}
	*x = (vmsa_hyp_exit_t){.cls = cls, .fn = fn, .arg = arg};
	return 0;
}

int vmsa_hyp_add_entry_hook(vmsa_hyp_vm_t *vm, vmsa_hyp_hook_fn fn,
			    void *arg)
{
	if (!vm || !fn || vmsa_run_cpu(vm->run) != VMSA_SETUP)
		return -EINVAL;
	if (vm->n_hooks == VMSA_HYP_MAX_HOOKS)
		return -ENOSPC;
	vm->hooks[vm->n_hooks++] = (vmsa_hyp_hook_t){.fn = fn, .arg = arg};
	return 0;
}
