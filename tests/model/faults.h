/*
 * tests/model/faults.h - an exception handler for the model tests that
 * records the aborts a CPU takes and returns (the access is then
 * retried): how many, and the last one's syndrome, address, kind,
 * level, target EL, ESR_EL1 as the handler reads it and the step.
 *
 *	struct faults flt = {0};
 *	vmsa_set_handler(m, cpu, 1, record_fault, &flt);
 */
#ifndef VMSA_TEST_MODEL_FAULTS_H
#define VMSA_TEST_MODEL_FAULTS_H

#include "vmsa/model.h"

struct faults {
	unsigned n;
	uint64_t esr, far;
	uint64_t esr_reg;	/* ESR_EL1 read by the handler */
	uint64_t step;		/* vmsa_steps() in the handler */
	vmsa_fault_kind_t kind;
	int level;
	unsigned to_el;
};

static inline void record_fault(vmsa_machine_t *m, vmsa_cpu_t cpu,
				const struct vmsa_exception *e, void *arg)
{
	struct faults *f = arg;

	f->n++;
	f->esr = e->esr;
	f->far = e->far;
	f->kind = e->fault.kind;
	f->level = e->fault.level;
	f->to_el = e->to_el;
	f->esr_reg = vmsa_mrs(m, cpu, VMSA_REG_ESR_EL1);
	f->step = vmsa_steps(m);
}

#endif
