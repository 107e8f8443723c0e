/*
 * tests/backend/model_fixture.h - a bare machine with the model backend
 * set up, its steps traced as "op text" lines, for the model backend's
 * tests.
 */
#ifndef VMSA_TEST_BACKEND_MODEL_FIXTURE_H
#define VMSA_TEST_BACKEND_MODEL_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "vmsa/backend.h"

/* The trace of the steps so far, one "op text" line each. */
struct tr {
	char buf[16384];
	size_t n;
};

static inline void fx_trace(void *ctx, const vmsa_trace_event_t *e)
{
	struct tr *t = ctx;
	int k = snprintf(t->buf + t->n, sizeof(t->buf) - t->n, "%s %s\n",
			 e->op, e->text);

	if (k > 0 && (size_t)k < sizeof(t->buf) - t->n)
		t->n += (size_t)k;
}

struct fx {
	vmsa_machine_t *m;
	vmsa_pgt_model_t bk;
	const vmsa_pgt_ops_t *o;
	struct tr tr;
};

/* A machine with features `config`, the backend initialised in set-up,
 * then tracing on and the operations running as CPU 0. */
static inline bool fx_init(struct fx *x, const char *config,
		    const vmsa_pgt_model_cfg_t *cfg)
{
	vmsa_pgt_model_cfg_t def = {.granule = VMSA_GRANULE_4K};
	vmsa_features_t f;
	const char *why;

	memset(x, 0, sizeof(*x));
	if (vmsa_config_parse(config, 2, &f, &why))
		return false;
	x->m = vmsa_machine_new(&f, &why);
	if (!x->m)
		return false;
	if (vmsa_pgt_model_init(&x->bk, x->m, NULL, cfg ? cfg : &def)) {
		vmsa_machine_free(x->m);
		return false;
	}
	x->o = &x->bk.ops;
	return true;
}

static inline void fx_run_as(struct fx *x, vmsa_cpu_t cpu)
{
	vmsa_pgt_model_set_cpu(&x->bk, cpu);
	x->tr.n = 0;
	x->tr.buf[0] = 0;
	vmsa_set_trace(x->m, fx_trace, &x->tr);
}

static inline void fx_free(struct fx *x)
{
	vmsa_machine_free(x->m);
}

static const vmsa_pgt_tlbi_t ipas2 = {
	.op = {VMSA_TLBI_IPAS2E1, VMSA_TLBI_IS, false}, .xt = 0x80, .vmid = 0,
};
static const vmsa_pgt_tlbi_t vmalle1 = {
	.op = {VMSA_TLBI_VMALLE1, VMSA_TLBI_IS, false}, .xt = 0, .vmid = 0,
};

#endif
