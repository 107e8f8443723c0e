/*
 * src/cli/cmd_litmus.c - `vmsa litmus [--variant V] [--json | --tsv]
 * FILE|DIR...`: run herd7 litmus tests on the model and print herd7's
 * result format (docs/litmus.md). Directories are searched for *.litmus
 * files (recursively, sorted).
 *
 * Exit status: 0 when every test parsed and either ran or was reported
 * unsupported; 1 when a test failed to parse or to run; 2 on a usage
 * error.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_int.h"
#include "litmus/jobs.h"
#include "vmsa/litmus.h"

static const char help[] =
	"usage: vmsa litmus [--variant V] [--max-executions N] [--html DIR]\n"
	"                   [--sc] [--conflict-aborts] [--json | --tsv]\n"
	"                   [--jobs N [--split-search]] FILE|DIR...\n"
	"\n"
	"Run herd7 AArch64 litmus tests (the VMSA catalogue's format) on the\n"
	"model: every interleaving and every model choice, no bound. For\n"
	"each test, print herd7's result: the final states, Ok/No, the\n"
	"witnesses, the observation (Never/Sometimes/Always) and the time.\n"
	"A directory stands for the *.litmus files under it.\n"
	"\n"
	"Options:\n"
	"  --variant V  herd7's variants, comma separated: vmsa, fatal\n"
	"               (= precise), handled (= imprecise), faulttonext,\n"
	"               ets2, ets3. Default vmsa; the test's Variant= line\n"
	"               is applied on top, as herd7 does.\n"
	"  --max-executions N\n"
	"               stop a test's search after N executions and report\n"
	"               it unsupported (default 2000000; 0: no limit); its\n"
	"               message says when the executions made decide the\n"
	"               observation already (Sometimes)\n"
	"  --html DIR   for each test, DIR/NAME.html: one execution (a\n"
	"               witness of the condition, else the first) replayed\n"
	"               step by step, one lane per CPU\n"
	"  --sc         sequentially consistent memory instead of Arm's\n"
	"               ordering of data accesses (to compare; herd7's\n"
	"               model is Arm's ordering)\n"
	"  --conflict-aborts\n"
	"               after a break-before-make failure, also take the TLB\n"
	"               conflict abort (D8.17.1) as a fault of the test's\n"
	"               convention; default: none, as in herd7 (RZQNWZ)\n"
	"  --json       one JSON object per test, one per line\n"
	"  --tsv        one line per test: file, name, observation (or\n"
	"               unsupported/error), seconds, executions, message\n"
	"  --jobs N     run the tests in N worker processes (default 1),\n"
	"               each search whole in one: the output of one\n"
	"               process, in its order (but the times); a worker\n"
	"               that crashes is an error for its test only\n"
	"  --split-search\n"
	"               with --jobs and --max-executions 0: split a search\n"
	"               between idle workers too; the same final states\n"
	"               and observation, other counts (about the\n"
	"               executions of one process: timing decides which\n"
	"               worker finds which race first)\n"
	"\n"
	"A test using something the model cannot run yet is reported\n"
	"'unsupported' with FILE:LINE and the reason, never with a verdict.\n"
	"Exit status: 0 when every test ran or was unsupported, 1 when one\n"
	"failed to parse or run, 2 on a usage error.\n";

enum fmt { FMT_HERD, FMT_JSON, FMT_TSV };

struct files {
	char **f;
	unsigned n, cap;
};

static int add_file(struct files *fs, const char *path)
{
	if (fs->n == fs->cap) {
		unsigned cap = fs->cap ? 2 * fs->cap : 64;
		char **f = realloc(fs->f, cap * sizeof(*f));

		if (!f)
			return -ENOMEM;
		fs->f = f;
		fs->cap = cap;
	}
	fs->f[fs->n] = strdup(path);
	return fs->f[fs->n++] ? 0 : -ENOMEM;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int scan_dir(struct files *fs, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned first = fs->n;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		char path[4096];
		struct stat st;
		size_t n = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode) && depth < 8) {
			if (scan_dir(fs, path, depth + 1) == -ENOMEM)
				goto oom;
		} else if (S_ISREG(st.st_mode) && n > 7 &&
			   !strcmp(e->d_name + n - 7, ".litmus")) {
			if (add_file(fs, path))
				goto oom;
		}
	}
	closedir(d);
	qsort(fs->f + first, fs->n - first, sizeof(char *), cmp_str);
	return 0;
oom:
	closedir(d);
	return -ENOMEM;
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", (unsigned char)*s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void print_herd(const char *name, const vmsa_litmus_result_t *r)
{
	printf("Test %s %s\n", name, r->kind);
	printf("States %u\n", r->nstates);
	for (unsigned i = 0; i < r->nstates; i++)
		printf("%s\n", r->states[i]);
	printf("%s%s\n", r->loop ? "Loop " : "", r->ok ? "Ok" : "No");
	printf("Witnesses\n");
	printf("Positive: %llu Negative: %llu\n",
	       (unsigned long long)r->positive,
	       (unsigned long long)r->negative);
	printf("Condition %s\n", r->condition);
	printf("Observation %s %s %llu %llu\n", name,
	       vmsa_litmus_outcome_name(r->outcome),
	       (unsigned long long)r->prop_true,
	       (unsigned long long)r->prop_false);
	printf("Time %s %.2f\n", name, r->seconds);
	printf("\n");
}

static void print_json(const char *file, const char *name,
		       const vmsa_litmus_result_t *r, int rc)
{
	printf("{\"file\": ");
	json_str(file);
	printf(", \"name\": ");
	json_str(name);
	printf(", \"observation\": ");
	json_str(vmsa_litmus_outcome_name(r->outcome));
	if (!rc) {
		printf(", \"kind\": \"%s\", \"ok\": %s, \"positive\": %llu, "
		       "\"negative\": %llu, \"condition\": ", r->kind,
		       r->ok ? "true" : "false",
		       (unsigned long long)r->positive,
		       (unsigned long long)r->negative);
		json_str(r->condition);
		printf(", \"states\": [");
		for (unsigned i = 0; i < r->nstates; i++) {
			printf(i ? ", " : "");
			json_str(r->states[i]);
		}
		printf("]");
	} else {
		printf(", \"error\": ");
		json_str(r->error);
		/* A cut search whose executions decide the observation. */
		if (r->decided_sometimes)
			printf(", \"decided\": \"Sometimes\"");
	}
	printf(", \"variant\": ");
	json_str(r->variant);
	printf(", \"config\": ");
	json_str(r->config);
	printf(", \"executions\": %llu, \"discarded\": %llu, "
	       "\"blocked\": %llu, \"ruled\": %llu, \"seconds\": %.3f}\n",
	       (unsigned long long)r->executions,
	       (unsigned long long)r->discarded,
	       (unsigned long long)r->blocked, (unsigned long long)r->ruled,
	       r->seconds);
}

/* A test that did not parse, in the chosen format. */
static void print_parse_error(const char *path, const char *err, enum fmt fmt)
{
	if (fmt == FMT_TSV)
		printf("%s\t-\terror\t0\t0\t%s\n", path, err);
	else if (fmt == FMT_JSON) {
		printf("{\"file\": ");
		json_str(path);
		printf(", \"observation\": \"error\", \"error\": ");
		json_str(err);
		printf("}\n");
	} else
		fprintf(stderr, "%s: %s\n", cli_prog, err);
}

/* Test t's result r (rc: vmsa_litmus_run()'s), in the chosen format. */
static void print_result(const char *path, const vmsa_litmus_t *t,
			 const vmsa_litmus_result_t *r, int rc, enum fmt fmt)
{
	switch (fmt) {
	case FMT_TSV:
		printf("%s\t%s\t%s\t%.3f\t%llu\t%s\n", path,
		       vmsa_litmus_name(t), vmsa_litmus_outcome_name(r->outcome),
		       r->seconds, (unsigned long long)r->executions,
		       rc ? r->error : "");
		break;
	case FMT_JSON:
		print_json(path, vmsa_litmus_name(t), r, rc);
		break;
	default:
		if (rc) {
			printf("Test %s %s\n%s\nTime %s %.2f\n\n",
			       vmsa_litmus_name(t),
			       vmsa_litmus_outcome_name(r->outcome), r->error,
			       vmsa_litmus_name(t), r->seconds);
		} else {
			print_herd(vmsa_litmus_name(t), r);
		}
		break;
	}
	fflush(stdout);
}

/* A bad --variant (the same for every test): the usage error. */
static bool bad_variant(int rc, const vmsa_litmus_result_t *r)
{
	return rc == -EINVAL && strstr(r->error, "--variant");
}

static int run_file(const char *path, const vmsa_litmus_opts_t *o,
		    enum fmt fmt)
{
	vmsa_litmus_t *t;
	vmsa_litmus_result_t r;
	char err[1024];
	int rc;

	rc = vmsa_litmus_parse_file(path, &t, err, sizeof(err));
	if (rc) {
		print_parse_error(path, err, fmt);
		return 1;
	}
	rc = vmsa_litmus_run(t, o, &r);
	if (bad_variant(rc, &r)) {
		vmsa_litmus_result_free(&r);
		vmsa_litmus_free(t);
		return -1;
	}
	print_result(path, t, &r, rc, fmt);
	vmsa_litmus_result_free(&r);
	vmsa_litmus_free(t);
	return rc && rc != -ENOTSUP ? 1 : 0;
}

/* The page of test `path` under --html DIR: DIR/NAME.html (malloc'd). */
static char *html_page(const char *html, const char *path)
{
	const char *b = strrchr(path, '/');
	char page[4096];
	size_t k;

	b = b ? b + 1 : path;
	k = strlen(b);
	if (k > 7 && !strcmp(b + k - 7, ".litmus"))
		k -= 7;
	snprintf(page, sizeof(page), "%s/%.*s.html", html, (int)k, b);
	return strdup(page);
}

/* A run over worker processes (--jobs): the files, parsed first, and
 * what is printed of them so far (results come in file order). */
struct jobs_cli {
	const struct files *fs;
	enum fmt fmt;
	char **perr;            /* per file: its parse error, or NULL */
	vmsa_litmus_t **t;      /* the tests that parsed */
	unsigned *file;         /* test -> file */
	unsigned printed;       /* files printed */
	bool bad_variant;
	int status;
};

/* The parse errors of files jc->printed .. f - 1 (the others are
 * printed with their results). */
static void parse_errors_upto(struct jobs_cli *jc, unsigned f)
{
	for (; jc->printed < f; jc->printed++)
		if (jc->perr[jc->printed])
			print_parse_error(jc->fs->f[jc->printed],
					  jc->perr[jc->printed], jc->fmt);
}

/* lit_run_jobs's callback: test k's result, in its file's place. */
static void jobs_done(void *ctx, unsigned k, int rc, vmsa_litmus_result_t *r)
{
	struct jobs_cli *jc = ctx;
	unsigned f = jc->file[k];

	parse_errors_upto(jc, f);
	if (bad_variant(rc, r)) {
		jc->bad_variant = true;
		return;
	}
	print_result(jc->fs->f[f], jc->t[k], r, rc, jc->fmt);
	if (rc && rc != -ENOTSUP)
		jc->status = 1;
	jc->printed = f + 1;
}

/* The files' tests over `jobs` worker processes (lit_run_jobs), printed
 * as run_file() prints them one after another. Returns the exit status,
 * -1 after a bad --variant (nothing printed for it). */
static int run_jobs(const struct files *fs, const vmsa_litmus_opts_t *o,
		    const char *html, enum fmt fmt, unsigned jobs, bool split)
{
	struct jobs_cli jc = {.fs = fs, .fmt = fmt};
	vmsa_litmus_opts_t *lo = calloc(fs->n, sizeof(*lo));
	unsigned n = 0;
	int rc = -ENOMEM;

	jc.perr = calloc(fs->n, sizeof(*jc.perr));
	jc.t = calloc(fs->n, sizeof(*jc.t));
	jc.file = calloc(fs->n, sizeof(*jc.file));
	for (unsigned i = 0; lo && jc.perr && jc.t && jc.file && i < fs->n;
	     i++) {
		char err[1024];

		if (vmsa_litmus_parse_file(fs->f[i], &jc.t[n], err,
					   sizeof(err))) {
			jc.status = 1;
			if (!(jc.perr[i] = strdup(err)))
				goto out;
			continue;
		}
		lo[n] = *o;
		lo[n].html_file = NULL;
		jc.file[n++] = i;
		if (html && !(lo[n - 1].html_file = html_page(html, fs->f[i])))
			goto out;
	}
	if (lo && jc.perr && jc.t && jc.file)
		rc = lit_run_jobs(jc.t, lo, n, jobs, split, jobs_done, &jc);
	if (!rc)
		parse_errors_upto(&jc, fs->n);
out:
	if (rc && !jc.bad_variant)
		fprintf(stderr, "%s: litmus: cannot run worker processes: %s\n",
			cli_prog, strerror(-rc));
	for (unsigned i = 0; i < n; i++) {
		free((char *)lo[i].html_file);
		vmsa_litmus_free(jc.t[i]);
	}
	for (unsigned i = 0; jc.perr && i < fs->n; i++)
		free(jc.perr[i]);
	free(jc.perr);
	free(jc.t);
	free(jc.file);
	free(lo);
	return jc.bad_variant ? -1 : rc ? 1 : jc.status;
}

int cmd_litmus(int argc, char **argv)
{
	vmsa_litmus_opts_t o = vmsa_litmus_defaults();
	const char *variant = NULL, *html = NULL, *val;
	uint64_t n;
	unsigned jobs = 1;
	bool split = false;
	enum fmt fmt = FMT_HERD;
	struct files fs = {0};
	int status = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(help, stdout);
			goto out;
		}
		if (cli_is_opt(argc, argv, &i, "--variant", &val)) {
			if (!val || !*val) {
				status = cli_usage_error("litmus: --variant "
							 "takes a comma list "
							 "(e.g. vmsa,fatal)");
				goto out;
			}
			variant = val;
			continue;
		}
		if (cli_is_opt(argc, argv, &i, "--max-executions", &val)) {
			if (cli_parse_count(val, 0, UINT64_MAX / 2, &n)) {
				status = cli_usage_error("litmus: "
					"--max-executions takes a number (0: "
					"no limit), not '%s'", val ? val : "");
				goto out;
			}
			o.max_executions = n;
			continue;
		}
		if (cli_is_opt(argc, argv, &i, "--jobs", &val)) {
			if (cli_parse_count(val, 1, PAR_MAX_JOBS, &n)) {
				status = cli_usage_error("litmus: --jobs takes "
					"a number of worker processes, 1 to %d, "
					"not '%s'", PAR_MAX_JOBS,
					val ? val : "");
				goto out;
			}
			jobs = (unsigned)n;
			continue;
		}
		if (cli_is_opt(argc, argv, &i, "--html", &val)) {
			if (!val || !*val) {
				status = cli_usage_error("litmus: --html takes "
							 "a directory");
				goto out;
			}
			html = val;
			continue;
		}
		if (!strcmp(a, "--split-search")) {
			split = true;
			continue;
		}
		if (!strcmp(a, "--sc")) {
			o.sc = true;
			continue;
		}
		if (!strcmp(a, "--conflict-aborts")) {
			o.conflict_aborts = true;
			continue;
		}
		if (!strcmp(a, "--json")) {
			fmt = FMT_JSON;
			continue;
		}
		if (!strcmp(a, "--tsv")) {
			fmt = FMT_TSV;
			continue;
		}
		if (a[0] == '-' && a[1]) {
			status = cli_usage_error("litmus: unknown option '%s' "
						 "(see 'vmsa litmus --help')",
						 a);
			goto out;
		}
		struct stat st;

		if (stat(a, &st)) {
			status = cli_usage_error("litmus: %s: %s", a,
						 strerror(errno));
			goto out;
		}
		unsigned before = fs.n;

		if (S_ISDIR(st.st_mode) ? scan_dir(&fs, a, 0) : add_file(&fs, a)) {
			status = cli_usage_error("litmus: %s: cannot read it", a);
			goto out;
		}
		/* A directory without tests is a mistake in the command (a
		 * wrong path), not an empty run that passes. */
		if (S_ISDIR(st.st_mode) && fs.n == before) {
			status = cli_usage_error("litmus: %s: no .litmus file "
						 "in it or below it", a);
			goto out;
		}
	}
	if (!fs.n) {
		status = cli_usage_error("litmus: no test given (FILE or DIR; "
					 "see 'vmsa litmus --help')");
		goto out;
	}
	if (split && jobs < 2) {
		status = cli_usage_error("litmus: --split-search splits a "
					 "search between worker processes: "
					 "it needs --jobs 2 or more");
		goto out;
	}
	/* A cap counts the executions of one process's search, in its
	 * depth-first order; a split search makes others. */
	if (split && o.max_executions) {
		status = cli_usage_error("litmus: --split-search needs "
					 "--max-executions 0 (a cap counts "
					 "the executions of one process's "
					 "search, which a split search does "
					 "not make)");
		goto out;
	}
	if (html && mkdir(html, 0777) && errno != EEXIST) {
		status = cli_usage_error("litmus: --html %s: %s", html,
					 strerror(errno));
		goto out;
	}
	if (variant)
		o.variant = variant;
	if (jobs > 1)
		status = run_jobs(&fs, &o, html, fmt, jobs, split);
	for (unsigned i = 0; jobs == 1 && i < fs.n; i++) {
		char *page = NULL;
		int rc;

		if (html && !(page = html_page(html, fs.f[i]))) {
			status = cli_usage_error("litmus: out of memory");
			goto out;
		}
		o.html_file = page;
		rc = run_file(fs.f[i], &o, fmt);
		free(page);
		if (rc < 0) {
			status = -1;
			break;
		}
		if (rc)
			status = 1;
	}
	/* The variant is bad for every test: say it once. */
	if (status < 0)
		status = cli_usage_error("litmus: bad --variant '%s' "
					 "(known: vmsa, fatal, precise, "
					 "handled, imprecise, "
					 "faulttonext, ets2, ets3, "
					 "memtag, sync)",
					 variant);
out:
	for (unsigned i = 0; i < fs.n; i++)
		free(fs.f[i]);
	free(fs.f);
	return status;
}
