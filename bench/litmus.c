/*
 * bench/litmus.c - the time of every litmus test: each *.litmus file
 * under VMSA_LITMUS_DIR (default ../shared/litmus) parsed and run with
 * its own Variant= line (vmsa,fatal otherwise), each search bounded by
 * VMSA_LITMUS_MAX_EXECUTIONS executions (default 200000). Prints one
 * JSON object: per test its name, observation (or unsupported/error),
 * seconds and executions (those that ran to their end; of them
 * `discarded` by herd's conventions; not in them, `blocked` and `ruled`,
 * the executions the reduction cut short: docs/explorer.md, "Executions
 * by how they ended"), then the total, how many tests took over 1 s
 * and how many did not finish within the bound, the slowest test and the
 * peak resident memory of the process (issue 11's targets: every test
 * under 1 s, the catalogue under 60 s, under 200 MB). A missing directory gives an empty
 * list (exit 0): the benchmark needs the catalogue, the build does not.
 * Then the whole folder again over VMSA_BENCH_LITMUS_JOBS worker
 * processes (default 2; `vmsa litmus --jobs`, each search whole in one
 * worker): the wall time of both runs side by side, and how many tests
 * gave the same observation and executions in both (all of them), and
 * how many worker processes that run forked (`jobs`: a worker that ended
 * a test runs the next one).
 *
 * Last, each test's time on this machine with every processor on it
 * (`split`): each test over 1 s in the first run, or cut there at the
 * bound, again without a bound, in one process and then split over the
 * same worker processes (`vmsa litmus --jobs N --split-search`), the
 * two wall times side by side with their executions, and whether both
 * gave the same final states and observation (they must: docs/litmus.md,
 * "Tests over worker processes"); `n_over_1s_split` counts those still
 * over 1 s split. VMSA_BENCH_LITMUS_SPLIT=0 leaves this part out (it
 * runs those searches to their end, which a folder of other tests may
 * make long).
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "explore/explore_int.h"
#include "litmus/jobs.h"
#include "vmsa/litmus.h"

static char **files;
static unsigned nfiles, capfiles;

static int collect(const char *path, const struct stat *st, int flag,
		   struct FTW *ftw)
{
	size_t n = strlen(path);

	(void)st;
	(void)ftw;
	if (flag != FTW_F || n < 7 || strcmp(path + n - 7, ".litmus"))
		return 0;
	if (nfiles == capfiles) {
		capfiles = capfiles ? 2 * capfiles : 256;
		files = realloc(files, capfiles * sizeof(*files));
		if (!files)
			return -1;
	}
	files[nfiles] = strdup(path);
	return files[nfiles++] ? 0 : -1;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What the run in one process gave for each test, to compare with the
 * run over worker processes. */
struct seen {
	vmsa_litmus_outcome_t *obs;
	uint64_t *execs;
	unsigned same;
};

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++)
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s >= 0x20)
			putchar(*s);
	putchar('"');
}

/* Did two searches of one test give the same observation and final
 * states (each list sorted)? */
static bool same_run(const vmsa_litmus_result_t *a,
		     const vmsa_litmus_result_t *b)
{
	if (a->outcome != b->outcome || a->nstates != b->nstates)
		return false;
	for (unsigned i = 0; i < a->nstates; i++)
		if (strcmp(a->states[i], b->states[i]))
			return false;
	return true;
}

/* lit_done_fn of a split search: its result, moved into ctx (the caller
 * of done() frees what is left in r). */
static void split_done(void *ctx, unsigned i, int rc, vmsa_litmus_result_t *r)
{
	vmsa_litmus_result_t *dst = ctx;

	(void)i;
	(void)rc;
	*dst = *r;
	r->states = NULL;
	r->nstates = 0;
	r->witness = NULL;
}

/*
 * The `split` part (the header says what): tests[slow[k]] each run
 * without a bound in one process, then split over `jobs` workers.
 * Returns how many took over 1 s split.
 */
static unsigned split_part(vmsa_litmus_t **tests, const vmsa_litmus_opts_t *o,
			   const unsigned *slow, unsigned nslow, unsigned jobs)
{
	vmsa_litmus_opts_t uo = *o;
	unsigned over = 0;

	uo.max_executions = 0;
	printf(",\"split\":[");
	for (unsigned k = 0; k < nslow; k++) {
		vmsa_litmus_t *t = tests[slow[k]];
		vmsa_litmus_result_t one, split;
		double t1, ts;
		int rc;

		memset(&one, 0, sizeof(one));
		memset(&split, 0, sizeof(split));
		t1 = now_seconds();
		vmsa_litmus_run(t, &uo, &one);
		t1 = now_seconds() - t1;
		ts = now_seconds();
		rc = lit_run_jobs(&t, &uo, 1, jobs, true, split_done, &split);
		ts = now_seconds() - ts;
		if (rc || ts > 1.0)
			over++;
		printf("%s{\"name\":", k ? "," : "");
		json_str(vmsa_litmus_name(t));
		printf(",\"observation\":\"%s\",\"seconds_one\":%.3f,"
		       "\"executions_one\":%llu,\"seconds_split\":%.3f,"
		       "\"executions_split\":%llu,\"split_status\":%d,"
		       "\"same_states\":%s}",
		       vmsa_litmus_outcome_name(one.outcome), t1,
		       (unsigned long long)one.executions, ts,
		       (unsigned long long)split.executions, rc,
		       !rc && same_run(&one, &split) ? "true" : "false");
		vmsa_litmus_result_free(&one);
		vmsa_litmus_result_free(&split);
	}
	printf("],\"n_over_1s_split\":%u", over);
	return over;
}

/* lit_done_fn of the run over worker processes. */
static void jobs_done(void *ctx, unsigned i, int rc, vmsa_litmus_result_t *r)
{
	struct seen *sn = ctx;

	(void)rc;
	if (r->outcome == sn->obs[i] && r->executions == sn->execs[i])
		sn->same++;
}

int main(void)
{
	const char *dir = getenv("VMSA_LITMUS_DIR");
	const char *max = getenv("VMSA_LITMUS_MAX_EXECUTIONS");
	vmsa_litmus_opts_t o = vmsa_litmus_defaults();
	double total = 0, slowest = 0;
	unsigned over_1s = 0, unfinished = 0;
	const char *slowest_name = "";
	char *slow_copy = NULL;
	const char *jobs_env = getenv("VMSA_BENCH_LITMUS_JOBS");
	unsigned jobs = jobs_env ? (unsigned)atoi(jobs_env) : 2, nt = 0;
	vmsa_litmus_t **tests;
	vmsa_litmus_opts_t *lo;
	struct seen sn = {0};
	double wall1, walln = 0;
	int jrc = 0;
	const char *split_env = getenv("VMSA_BENCH_LITMUS_SPLIT");
	unsigned *slow, nslow = 0;
	struct rusage ru;

	if (!dir)
		dir = "../shared/litmus";
	o.variant = "vmsa,fatal";
	o.max_executions = max ? strtoull(max, NULL, 10) : 200000;
	if (nftw(dir, collect, 16, FTW_PHYS) < 0)
		nfiles = 0;
	qsort(files, nfiles, sizeof(*files), cmp);
	if (jobs < 1 || jobs > PAR_MAX_JOBS)
		jobs = 2;
	tests = calloc(nfiles + 1, sizeof(*tests));
	lo = calloc(nfiles + 1, sizeof(*lo));
	sn.obs = calloc(nfiles + 1, sizeof(*sn.obs));
	sn.execs = calloc(nfiles + 1, sizeof(*sn.execs));
	slow = calloc(nfiles + 1, sizeof(*slow));
	if (!tests || !lo || !sn.obs || !sn.execs || !slow)
		return 1;
	wall1 = now_seconds();
	printf("{\"benchmark\":\"litmus\",\"dir\":");
	json_str(dir);
	printf(",\"max_executions\":%llu,\"tests\":[",
	       (unsigned long long)o.max_executions);
	for (unsigned i = 0; i < nfiles; i++) {
		vmsa_litmus_t *t;
		vmsa_litmus_result_t r;
		char err[1024];
		const char *obs = "error", *name = files[i];

		memset(&r, 0, sizeof(r));
		if (!vmsa_litmus_parse_file(files[i], &t, err, sizeof(err))) {
			vmsa_litmus_run(t, &o, &r);
			obs = vmsa_litmus_outcome_name(r.outcome);
			name = vmsa_litmus_name(t);
			sn.obs[nt] = r.outcome;
			sn.execs[nt] = r.executions;
			lo[nt] = o;
			if (r.seconds > 1.0 ||
			    (r.outcome == VMSA_LITMUS_UNSUPPORTED &&
			     strstr(r.error, "did not finish")))
				slow[nslow++] = nt;
			tests[nt++] = t;
		} else {
			t = NULL;
		}
		printf("%s{\"name\":", i ? "," : "");
		json_str(name);
		printf(",\"observation\":\"%s\",\"seconds\":%.4f,"
		       "\"executions\":%llu,\"discarded\":%llu,"
		       "\"blocked\":%llu,\"ruled\":%llu}", obs, r.seconds,
		       (unsigned long long)r.executions,
		       (unsigned long long)r.discarded,
		       (unsigned long long)r.blocked,
		       (unsigned long long)r.ruled);
		total += r.seconds;
		if (r.seconds > 1.0)
			over_1s++;
		if (r.outcome == VMSA_LITMUS_UNSUPPORTED &&
		    strstr(r.error, "did not finish"))
			unfinished++;
		if (r.seconds > slowest) {
			slowest = r.seconds;
			free(slow_copy);
			slow_copy = strdup(name);
			slowest_name = slow_copy ? slow_copy : "";
		}
		vmsa_litmus_result_free(&r);
		free(files[i]);
	}
	wall1 = now_seconds() - wall1;
	getrusage(RUSAGE_SELF, &ru);
	if (nt) {
		walln = now_seconds();
		jrc = lit_run_jobs(tests, lo, nt, jobs, false, jobs_done, &sn);
		walln = now_seconds() - walln;
	}
	printf("],\"n_tests\":%u,\"total_seconds\":%.3f,\"n_over_1s\":%u,"
	       "\"n_unfinished\":%u,\"slowest\":", nfiles, total, over_1s,
	       unfinished);
	json_str(slowest_name);
	printf(",\"slowest_seconds\":%.3f,\"peak_rss_kib\":%ld,", slowest,
	       ru.ru_maxrss);
	printf("\"wall_seconds_jobs1\":%.3f,\"jobs\":%u,"
	       "\"wall_seconds_jobs\":%.3f,\"speedup\":%.2f,"
	       "\"jobs_status\":%d,\"jobs_same\":%u,"
	       "\"workers_forked\":%lu", wall1, jobs, walln,
	       walln > 0 ? wall1 / walln : 0.0, jrc, sn.same,
	       nt ? par_workers_forked : 0ul);
	if (!(split_env && !strcmp(split_env, "0")))
		split_part(tests, &o, slow, nslow, jobs);
	printf("}\n");
	for (unsigned i = 0; i < nt; i++)
		vmsa_litmus_free(tests[i]);
	free(tests);
	free(lo);
	free(sn.obs);
	free(sn.execs);
	free(slow_copy);
	free(slow);
	free(files);
	return 0;
}
