/*
 * vmsa/litmus.h - herd7's AArch64 litmus tests on the model: parse a
 * test, run it over every interleaving and model choice, and evaluate
 * its final condition on the final state of every execution, as herd7
 * does with `-variant vmsa` (docs/litmus.md).
 *
 *	vmsa_litmus_t *t;
 *	char err[256];
 *	if (vmsa_litmus_parse_file("MP.litmus", &t, err, sizeof(err)))
 *		... err is "MP.litmus:7: expected ... , found ..."
 *	vmsa_litmus_result_t res;
 *	vmsa_litmus_run(t, NULL, &res);   // res.observation ...
 *	vmsa_litmus_result_free(&res);
 *	vmsa_litmus_free(t);
 */
#ifndef VMSA_LITMUS_H
#define VMSA_LITMUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* libvmsa is built with -fvisibility=hidden: what this header declares
 * is the exported API (docs: README, "Using the library"). */
#pragma GCC visibility push(default)

typedef struct lit_test vmsa_litmus_t;

/* Parse litmus text (file names the source in messages). Returns 0 with
 * *out set (free it with vmsa_litmus_free), or -EINVAL with err set to
 * "FILE:LINE: message" (what was expected, what was found), or -ENOMEM.
 * A construct that parses but that the runner cannot run is not an
 * error here: vmsa_litmus_run() reports it as unsupported. */
int vmsa_litmus_parse(const char *file, const char *text,
		      vmsa_litmus_t **out, char *err, size_t errsz);

/* The same for a file read from disk (-errno when it cannot be read,
 * with err saying so). */
int vmsa_litmus_parse_file(const char *path, vmsa_litmus_t **out,
			   char *err, size_t errsz);

void vmsa_litmus_free(vmsa_litmus_t *t);

/* The test's name (its first line) and its Variant= line ("" if none). */
const char *vmsa_litmus_name(const vmsa_litmus_t *t);
const char *vmsa_litmus_variant(const vmsa_litmus_t *t);

typedef enum {
	VMSA_LITMUS_NEVER = 0,      /* no execution satisfies the condition's
				       proposition: herd's Forbidden */
	VMSA_LITMUS_SOMETIMES,
	VMSA_LITMUS_ALWAYS,
	VMSA_LITMUS_UNSUPPORTED,    /* the test uses something the model
				       cannot run yet: res.error says what */
	VMSA_LITMUS_ERROR,          /* it could not run (res.error) */
} vmsa_litmus_outcome_t;

/* "Never", "Sometimes", "Always", "unsupported", "error". */
const char *vmsa_litmus_outcome_name(vmsa_litmus_outcome_t o);

typedef struct vmsa_litmus_result {
	vmsa_litmus_outcome_t outcome;
	bool ok;                    /* herd's Ok: the condition holds */
	const char *quantifier;     /* "exists", "~exists", "forall" */
	const char *kind;           /* "Allowed", "Forbidden", "Required" */
	uint64_t positive, negative; /* executions validating the
				       condition or not (herd's Witnesses) */
	uint64_t prop_true, prop_false; /* executions where the proposition
				       holds / does not (Observation) */
	uint64_t executions;        /* executions that ran to their end
				       (not those the reduction cut short,
				       which max_executions counts too) */
	uint64_t discarded;         /* executions herd's conventions drop
				       (a second fault under Handled, a
				       loop past herd's unrolling) */
	bool loop;                  /* some were cut off by the unrolling
				       limit: herd prints "Loop Ok" */
	unsigned nstates;
	char **states;              /* "0:X7=1; 1:X4=0; fault(P1:L0,x);",
				       sorted; malloc'd */
	char variant[128];          /* the variant run (comma list) */
	char condition[1024];       /* "exists (...)" */
	char *witness;              /* the decision string of one execution
				       where the proposition holds (NULL:
				       none), for the HTML page */
	char config[64];            /* the model configuration run */
	double seconds;
	char error[1024];           /* UNSUPPORTED/ERROR: FILE:LINE: why */
	/* A search cut at max_executions (outcome UNSUPPORTED) whose
	 * executions already include one where the proposition holds and
	 * one where it does not: whatever the executions not made give,
	 * the observation is Sometimes (herd's Allowed for exists, the
	 * condition false for ~exists and forall). prop_true/prop_false
	 * count the executions made, states is empty, witness is set.
	 * False otherwise (and whenever outcome is not UNSUPPORTED). Last,
	 * so that the fields before it keep their places. */
	bool decided_sometimes;
	/* Executions the reduction cut short (not in `executions`; the
	 * explorer's vmsa_explore_stats_t.blocked and .ruled): every CPU
	 * that could run was asleep, or a rule for relaxed searches
	 * dropped it (another order gives the same). Those herd's
	 * conventions drop are `discarded`. */
	uint64_t blocked, ruled;
} vmsa_litmus_result_t;

typedef struct vmsa_litmus_opts {
	/* herd7's variant list, comma separated: vmsa, fatal (= precise),
	 * handled (= imprecise), faulttonext (= skip), ets2, ets3; NULL:
	 * "vmsa". The test's own Variant= line is applied on top, as
	 * herd7 does (its fault handling wins). */
	const char *variant;
	/* Stop a search after this many executions: the test is then
	 * reported unsupported ("did not finish"), never with a verdict
	 * (only with decided_sometimes when the executions made decide the
	 * observation already). 0: no limit. */
	uint64_t max_executions;
	/* When not NULL: write there an HTML page (the format of `vmsa
	 * check --html`) with one execution of the test replayed step by
	 * step, one lane per CPU: a witness where the condition's
	 * proposition holds, or the first execution when none does. */
	const char *html_file;
	/* Run on sequentially consistent memory instead of Arm's ordering
	 * of data accesses (the model's `relaxed` feature, the default):
	 * for comparison only, herd7's model is not SC. */
	bool sc;
	/* Offer the TLB conflict abort after a break-before-make failure
	 * (D8.17.1) and take it as a fault under the test's fault
	 * convention (fatal, handled, faulttonext, its Pn.F handler); only
	 * an untyped fault(Pn,x) atom matches it. Default false: as in
	 * herd7, whose executions have none, the machine generates no TLB
	 * conflict abort (RZQNWZ, IMPLEMENTATION DEFINED) and a lookup uses
	 * one of the entries (docs/litmus.md). */
	bool conflict_aborts;
} vmsa_litmus_opts_t;

/* Defaults: variant "vmsa", max_executions VMSA_LITMUS_MAX_EXECUTIONS. */
#define VMSA_LITMUS_MAX_EXECUTIONS 2000000ull
vmsa_litmus_opts_t vmsa_litmus_defaults(void);

/* Run test t (o NULL: the defaults). Always fills *res (free it with
 * vmsa_litmus_result_free); returns 0 when the test ran (outcome
 * NEVER..ALWAYS), -ENOTSUP when it is unsupported (res->error says
 * FILE:LINE and why), -EINVAL for a bad o->variant (res->error names
 * it), other negative errnos when it could not run. */
int vmsa_litmus_run(const vmsa_litmus_t *t, const vmsa_litmus_opts_t *o,
		    vmsa_litmus_result_t *res);

void vmsa_litmus_result_free(vmsa_litmus_result_t *res);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif
