/*
 * src/cli/cli.c - the vmsa command line (vmsa_main), also offered to
 * users' own programs that link their scenarios with libvmsa.
 *
 * check, list and replay run the registered scenarios on the explorer
 * (their output is src/explore/report.c's); desc and tlbi decode
 * architecture values with the architecture core. This file only parses
 * arguments and picks exit statuses: usage errors print a clear message
 * on stderr and exit 2.
 */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "explore/report.h"
#include "vmsa/arch.h"
#include "vmsa/explore.h"
#include "vmsa/scenario.h"

#define EXIT_USAGE 2

static const char *prog = "vmsa";

static const char main_help[] =
	"usage: vmsa [--help] [--version] COMMAND [ARGS]\n"
	"\n"
	"Commands:\n"
	"  check   explore the scenarios and compare verdicts with expectations\n"
	"  list    list the scenarios, their configurations and expectations\n"
	"  replay  re-run one execution step by step (from its decisions)\n"
	"  desc    decode a translation table descriptor\n"
	"  tlbi    decode a TLBI operation and its register operand\n"
	"\n"
	"Run 'vmsa COMMAND --help' for a command's options. Exit status: 0 on\n"
	"success, 1 when a check finds a result not as expected, 2 on a usage\n"
	"error.\n";

static const char desc_help[] =
	"usage: vmsa desc [--stage 1|2] [--level L] [--granule 4K|16K|64K] HEX...\n"
	"\n"
	"Decode each 64-bit descriptor HEX as read at level L (default 3) of a\n"
	"stage-1 or stage-2 (default 1) table with the given granule (default\n"
	"4K), and print one line per descriptor, e.g.\n"
	"  vmsa desc --stage 2 --level 2 0x400000402007fd\n";

static const char tlbi_help[] =
	"usage: vmsa tlbi [--el 1|2] [--hcr HEX] OPERATION [XT]\n"
	"\n"
	"Decode a TLBI operation (e.g. 'vale1is') and its register operand XT:\n"
	"what it selects, the decoded address, ASID, TTL hint or range, whether\n"
	"it may be executed at --el (default 2) and the regime and shareability\n"
	"it takes effect with under HCR_EL2 = --hcr (default 0).\n";

/* Print "vmsa: MESSAGE" on stderr; returns the usage-error status. */
static int usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return EXIT_USAGE;
}

/* Parse a whole string as an unsigned 64-bit number (0x for hex). */
static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

/* Parse a whole string as a hexadecimal 64-bit number, 0x optional. */
static int parse_hex(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 16);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static int parse_granule(const char *s, vmsa_granule_t *g)
{
	static const vmsa_granule_t all[] = {VMSA_GRANULE_4K, VMSA_GRANULE_16K,
					     VMSA_GRANULE_64K};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (strcasecmp(s, vmsa_granule_name(all[i])) == 0) {
			*g = all[i];
			return 0;
		}
	}
	return -1;
}

/* Take the value of option argv[*i] (as "--opt VALUE"). */
static const char *opt_value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static int cmd_desc(int argc, char **argv)
{
	vmsa_stage_t stage = VMSA_STAGE1;
	vmsa_granule_t g = VMSA_GRANULE_4K;
	long level = 3;
	int first = 0, n = 0;
	uint64_t v;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(desc_help, stdout);
			return 0;
		} else if (!strcmp(a, "--stage")) {
			val = opt_value(argc, argv, &i);
			if (!val || (strcmp(val, "1") && strcmp(val, "2")))
				return usage_error("desc: --stage takes 1 or 2, not '%s'",
						   val ? val : "");
			stage = val[0] == '1' ? VMSA_STAGE1 : VMSA_STAGE2;
		} else if (!strcmp(a, "--level")) {
			val = opt_value(argc, argv, &i);
			char *end;
			level = val ? strtol(val, &end, 10) : 99;
			if (!val || !*val || *end || level < VMSA_LEVEL_MIN ||
			    level > VMSA_LEVEL_MAX)
				return usage_error("desc: --level takes -1 to 3, not '%s'",
						   val ? val : "");
		} else if (!strcmp(a, "--granule")) {
			val = opt_value(argc, argv, &i);
			if (!val || parse_granule(val, &g))
				return usage_error("desc: --granule takes 4K, 16K or 64K, not '%s'",
						   val ? val : "");
		} else if (a[0] == '-' && a[1] == '-') {
			return usage_error("desc: unknown option '%s' (see 'vmsa desc --help')",
					   a);
		} else {
			if (parse_hex(a, &v))
				return usage_error("desc: '%s' is not a 64-bit hexadecimal descriptor",
						   a);
			if (!first)
				first = i;
			n++;
		}
	}
	if (!n)
		return usage_error("desc: %s", "no descriptor given (see 'vmsa desc --help')");
	if ((int)level < vmsa_granule_min_level(g))
		fprintf(stderr, "%s: note: level %ld does not exist for the %s granule\n",
			prog, level, vmsa_granule_name(g));
	for (int i = first; i < argc; i++) {
		char line[256];

		if (argv[i][0] == '-' && argv[i][1] == '-') {
			i++; /* skip the option's value */
			continue;
		}
		parse_hex(argv[i], &v);
		vmsa_desc_format(line, sizeof(line), v, stage, (int)level, g);
		printf("0x%016llx  %s\n", (unsigned long long)v, line);
	}
	return 0;
}

static const char *scope_name(vmsa_tlbi_scope_t s)
{
	switch (s) {
	case VMSA_TLBI_SCOPE_ALL: return "all entries of the regime";
	case VMSA_TLBI_SCOPE_VMALL: return "stage-1 entries of the current VMID";
	case VMSA_TLBI_SCOPE_VMALLS12: return "stage-1 and stage-2 entries of the current VMID";
	case VMSA_TLBI_SCOPE_ASID: return "non-global entries of one ASID";
	case VMSA_TLBI_SCOPE_VA: return "entries for a VA (one ASID, or global)";
	case VMSA_TLBI_SCOPE_VAA: return "entries for a VA, any ASID";
	case VMSA_TLBI_SCOPE_IPAS2: return "stage-2 entries for an IPA";
	}
	return "?";
}

static void print_tlbi_arg(const vmsa_tlbi_info_t *info, vmsa_tlbi_arg_t *a)
{
	if (info->scope == VMSA_TLBI_SCOPE_IPAS2)
		printf("ipa      0x%llx%s\n", (unsigned long long)a->addr,
		       a->ns ? " (NS)" : "");
	else if (info->scope != VMSA_TLBI_SCOPE_ASID)
		printf("va       0x%llx\n", (unsigned long long)a->addr);
	if (info->scope == VMSA_TLBI_SCOPE_VA || info->scope == VMSA_TLBI_SCOPE_ASID)
		printf("asid     %u\n", a->asid);
	if (info->range) {
		if (a->range_valid)
			printf("range    0x%llx bytes (%s granule)\n",
			       (unsigned long long)a->size,
			       vmsa_granule_name(a->ttl_granule));
		else
			printf("range    TG = 0: removes nothing\n");
	}
	if (a->ttl_valid)
		printf("ttl      level %d (%s)\n", a->ttl_level,
		       vmsa_granule_name(a->ttl_granule));
	else
		printf("ttl      no hint\n");
}

static int cmd_tlbi(int argc, char **argv)
{
	const char *name = NULL, *xt_str = NULL;
	uint64_t hcr = 0, xt = 0;
	unsigned el = 2;
	vmsa_tlbi_op_t op;
	char buf[64];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(tlbi_help, stdout);
			return 0;
		} else if (!strcmp(a, "--el")) {
			val = opt_value(argc, argv, &i);
			if (!val || strlen(val) != 1 || val[0] < '0' || val[0] > '2')
				return usage_error("tlbi: --el takes 0, 1 or 2, not '%s'",
						   val ? val : "");
			el = (unsigned)(val[0] - '0');
		} else if (!strcmp(a, "--hcr")) {
			val = opt_value(argc, argv, &i);
			if (!val || parse_hex(val, &hcr))
				return usage_error("tlbi: --hcr takes a hexadecimal value, not '%s'",
						   val ? val : "");
		} else if (a[0] == '-' && a[1] == '-') {
			return usage_error("tlbi: unknown option '%s' (see 'vmsa tlbi --help')",
					   a);
		} else if (!name) {
			name = a;
		} else if (!xt_str) {
			xt_str = a;
		} else {
			return usage_error("tlbi: unexpected argument '%s'", a);
		}
	}
	if (!name)
		return usage_error("tlbi: %s", "no operation given (see 'vmsa tlbi --help')");
	if (vmsa_tlbi_parse(name, &op))
		return usage_error("tlbi: '%s' is not a TLBI operation vmsa knows", name);
	if (xt_str && parse_u64(xt_str, &xt))
		return usage_error("tlbi: '%s' is not a 64-bit register value", xt_str);

	const vmsa_tlbi_info_t *info = vmsa_tlbi_info(op.type);
	vmsa_tlbi_format(buf, sizeof(buf), op);
	printf("op       %s\n", buf);
	printf("removes  %s%s\n", scope_name(info->scope),
	       info->last_level ? ", last level only" : "");
	if (!vmsa_tlbi_allowed(op, el, true, true)) {
		printf("at EL%u   UNDEFINED\n", el);
	} else {
		static const char *sh[] = {"local (this PE)", "Inner Shareable",
					   "Outer Shareable"};
		printf("regime   %s\n",
		       vmsa_regime_name(vmsa_tlbi_regime(op.type, el, hcr)));
		printf("domain   %s\n", sh[vmsa_tlbi_effective_sh(op, el, hcr)]);
	}
	if (info->has_operand) {
		vmsa_tlbi_arg_t a = vmsa_tlbi_decode(op.type, xt);
		print_tlbi_arg(info, &a);
	} else if (xt_str) {
		fprintf(stderr, "%s: note: %s takes no register operand; XT ignored\n",
			prog, buf);
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Options shared by check, list and replay                            */
/* ------------------------------------------------------------------ */

/*
 * Is argv[*i] the option `name`? For an option with a value (val not
 * NULL), the value is "--name=VALUE" or the next argument (*i moves on);
 * *val is NULL when it is missing. A flag (val NULL) matches only exactly.
 */
static bool is_opt(int argc, char **argv, int *i, const char *name,
		   const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n))
		return false;
	if (!val)
		return a[n] == 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return true;
	}
	if (a[n])
		return false;
	*val = opt_value(argc, argv, i);
	return true;
}

/* Parse a whole decimal number in [min, max]. */
static int parse_count(const char *s, uint64_t min, uint64_t max,
		       uint64_t *out)
{
	uint64_t v;

	if (!s || !*s || strspn(s, "0123456789") != strlen(s) ||
	    parse_u64(s, &v) || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* The step budget: --steps N with N >= 1. */
static int parse_steps(const char *cmd, const char *val, unsigned *out)
{
	uint64_t v;

	if (parse_count(val, 1, 100000000, &v))
		return usage_error("%s: --steps takes a number of steps "
				   "from 1 to 100000000, not '%s'",
				   cmd, val ? val : "");
	*out = (unsigned)v;
	return 0;
}

/* Does s contain fnmatch(3) pattern characters? */
static bool has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* Number of configurations (CPUs, below) a scenario declares. */
static unsigned n_configs(const vmsa_scenario_t *s)
{
	unsigned n = 0;

	while (n < VMSA_MAX_CONFIGS && s->configs[n].name)
		n++;
	return n;
}

static unsigned n_cpus(const vmsa_scenario_t *s)
{
	unsigned n = 0;

	while (n < VMSA_MAX_CPUS && s->cpu[n])
		n++;
	return n;
}

/* "bbm0, bbm2": the configuration names of s, for messages. */
static void config_list(char *buf, size_t size, const vmsa_scenario_t *s)
{
	size_t len = 0;

	buf[0] = 0;
	for (unsigned j = 0; j < n_configs(s) && len < size; j++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					j ? ", " : "", s->configs[j].name);
}

/* One selected scenario configuration. */
struct sel {
	const vmsa_scenario_t *s;
	unsigned config;
};

/* Split "NAME@CONFIG" at its last '@': *name is a malloc'd copy of NAME
 * (NULL when out of memory), *config points into arg (NULL without '@'). */
static void split_target(const char *arg, char **name, const char **config)
{
	const char *at = strrchr(arg, '@');
	size_t n = at ? (size_t)(at - arg) : strlen(arg);

	*name = malloc(n + 1);
	if (*name) {
		memcpy(*name, arg, n);
		(*name)[n] = 0;
	}
	*config = at ? at + 1 : NULL;
}

/*
 * Explain why the configuration part `cpat` of pattern `pat` selected
 * nothing among the scenarios its name part matched (the only one:
 * `only`, or NULL when several). Returns the usage-error status.
 */
static int no_config(const char *cmd, const char *pat, const char *cpat,
		     const vmsa_scenario_t *only)
{
	vmsa_features_t f;
	const char *why = "";
	char list[256];

	if (!has_glob(cpat) && vmsa_config_parse(cpat, 0, &f, &why))
		return usage_error("%s: '%s' is not a valid configuration: %s",
				   cmd, cpat, why);
	if (only) {
		config_list(list, sizeof(list), only);
		return usage_error("%s: scenario %s has no configuration '%s' "
				   "(it has: %s)", cmd, only->name, cpat, list);
	}
	return usage_error("%s: no scenario matching '%s' has a configuration "
			   "'%s' (see 'vmsa list')", cmd, pat, cpat);
}

/*
 * Mark in `chosen` (scenario index * VMSA_MAX_CONFIGS + config) what the
 * pattern "NAMEGLOB[@CONFIGGLOB]" selects. Returns 0, or the usage-error
 * status (after a message) when it selects nothing.
 */
static int select_pattern(const char *cmd, const char *pat, bool *chosen)
{
	const vmsa_scenario_t *only = NULL;
	unsigned names = 0, hits = 0;
	const char *cpat;
	char *npat;
	int rc = 0;

	split_target(pat, &npat, &cpat);
	if (!npat)
		return usage_error("%s: out of memory", cmd);
	for (unsigned i = 0; i < vmsa_scenario_count(); i++) {
		const vmsa_scenario_t *s = vmsa_scenario_get(i);

		if (fnmatch(npat, s->name, 0))
			continue;
		names++;
		only = s;
		for (unsigned j = 0; j < n_configs(s); j++) {
			if (cpat && fnmatch(cpat, s->configs[j].name, 0))
				continue;
			chosen[i * VMSA_MAX_CONFIGS + j] = true;
			hits++;
		}
	}
	if (!names)
		rc = usage_error("%s: no scenario matches '%s' (see 'vmsa list')",
				 cmd, npat);
	else if (!hits)
		rc = no_config(cmd, pat, cpat ? cpat : "",
			       names == 1 ? only : NULL);
	free(npat);
	return rc;
}

/*
 * The configurations the patterns select (all when there is none), in
 * name order, each once. Returns 0 with *out malloc'd (free it), or the
 * usage-error status.
 */
static int select_all(const char *cmd, char **pats, int npats,
		      struct sel **out, unsigned *n)
{
	unsigned count = vmsa_scenario_count();
	bool *chosen = calloc((size_t)count * VMSA_MAX_CONFIGS + 1,
			      sizeof(*chosen));
	struct sel *sel = malloc(((size_t)count * VMSA_MAX_CONFIGS + 1) *
				 sizeof(*sel));
	int rc = 0;

	*n = 0;
	*out = sel;
	if (!chosen || !sel) {
		free(chosen);
		return usage_error("%s: out of memory", cmd);
	}
	for (int p = 0; p < npats && !rc; p++)
		rc = select_pattern(cmd, pats[p], chosen);
	for (unsigned i = 0; i < count && !rc; i++) {
		const vmsa_scenario_t *s = vmsa_scenario_get(i);

		for (unsigned j = 0; j < n_configs(s); j++)
			if (!npats || chosen[i * VMSA_MAX_CONFIGS + j])
				sel[(*n)++] = (struct sel){s, j};
	}
	free(chosen);
	return rc;
}

/* Colour on stdout: only on a terminal, and never when NO_COLOR is set. */
static bool want_color(void)
{
	return isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
}

/* ------------------------------------------------------------------ */
/* vmsa check                                                          */
/* ------------------------------------------------------------------ */

static const char check_help[] =
	"usage: vmsa check [OPTIONS] [PATTERN[@CONFIG]...]\n"
	"\n"
	"Explore the bundled scenarios (all of them, or those whose name\n"
	"matches a glob PATTERN such as 'bbm/*'; @CONFIG selects one\n"
	"configuration, itself a glob) and compare each configuration's\n"
	"verdict with its expectation. For each unexpected result, print the\n"
	"violation and the 'vmsa replay' command that shows it step by step.\n"
	"\n"
	"Options:\n"
	"  --preemptions N|unbounded  preemption bound of the exhaustive\n"
	"                             search (default 2)\n"
	"  --steps N         step budget of each CPU in one execution\n"
	"                    (default 10000; beyond it: a livelock)\n"
	"  --random N        random search: N executions instead of the\n"
	"                    exhaustive search\n"
	"  --seed S          seed of the random search (with --random)\n"
	"  --json            one JSON object per configuration (JSON Lines)\n"
	"  --html FILE       also write a self-contained HTML page showing\n"
	"                    each violating execution, one lane per CPU\n"
	"  --quiet           print only unexpected results and the summary\n"
	"\n"
	"Exit status: 0 when every configuration is as expected, 1 when one\n"
	"is not, 2 on a usage error (unknown option, a pattern matching\n"
	"nothing, a bad configuration).\n";

struct check_args {
	vmsa_explore_opts_t xo;
	bool json, quiet, random_given, seed_given;
	const char *html;
	char **pats;
	int npats;
};

/* Parse check's arguments into *a. Returns 0, or the usage status. */
static int check_parse(int argc, char **argv, struct check_args *a)
{
	uint64_t v;

	a->xo = vmsa_explore_defaults();
	a->pats = calloc((size_t)argc + 1, sizeof(*a->pats));
	if (!a->pats)
		return usage_error("check: out of memory");
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i], *val = NULL;

		if (!strcmp(s, "--json")) {
			a->json = true;
		} else if (!strcmp(s, "--quiet") || !strcmp(s, "-q")) {
			a->quiet = true;
		} else if (is_opt(argc, argv, &i, "--preemptions", &val)) {
			if (val && !strcmp(val, "unbounded"))
				a->xo.preemptions = VMSA_UNBOUNDED;
			else if (!parse_count(val, 0, 1000000, &v))
				a->xo.preemptions = (int)v;
			else
				return usage_error("check: --preemptions takes a "
						   "number or 'unbounded', not '%s'",
						   val ? val : "");
		} else if (is_opt(argc, argv, &i, "--steps", &val)) {
			if (parse_steps("check", val, &a->xo.step_budget))
				return EXIT_USAGE;
		} else if (is_opt(argc, argv, &i, "--random", &val)) {
			if (parse_count(val, 1, UINT64_MAX, &a->xo.random_runs))
				return usage_error("check: --random takes a number "
						   "of executions (1 or more), not '%s'",
						   val ? val : "");
			a->random_given = true;
		} else if (is_opt(argc, argv, &i, "--seed", &val)) {
			if (!val || parse_u64(val, &a->xo.seed))
				return usage_error("check: --seed takes a 64-bit "
						   "number, not '%s'", val ? val : "");
			a->seed_given = true;
		} else if (is_opt(argc, argv, &i, "--html", &val)) {
			if (!val || !*val)
				return usage_error("check: --html needs a file name");
			a->html = val;
		} else if (s[0] == '-' && s[1]) {
			return usage_error("check: unknown option '%s' (see "
					   "'vmsa check --help')", s);
		} else {
			a->pats[a->npats++] = argv[i];
		}
	}
	if (a->seed_given && !a->random_given)
		return usage_error("check: --seed needs --random N (the "
				   "exhaustive search has no seed)");
	return 0;
}

struct progress {
	const char *name, *config;
	bool shown;
};

/* opts.progress: one line on stderr, rewritten in place. */
static void show_progress(void *ctx, const vmsa_explore_stats_t *s)
{
	struct progress *p = ctx;

	fprintf(stderr, "\r\033[K%s@%s: %" PRIu64 " executions, %.0fs ...",
		p->name, p->config, s->executions, s->seconds);
	fflush(stderr);
	p->shown = true;
}

/* Do two violations agree on kind, step, CPU and message? */
static bool same_violation(const vmsa_violation_t *a,
			   const vmsa_violation_t *b)
{
	return a->kind == b->kind && a->step == b->step && a->cpu == b->cpu &&
	       !strcmp(a->message, b->message);
}

/*
 * Replay row r's violation (recording it when `record`): a decision
 * string must reproduce its violation every time; when it does not, say
 * so in r->note. The recorded trace goes to r->trace.
 */
static void check_replay(struct report_row *r, const vmsa_explore_opts_t *xo,
			 bool record)
{
	vmsa_explore_opts_t ro = *xo;
	vmsa_explore_result_t again;
	struct report_trace *t = NULL;

	ro.progress = NULL;
	ro.random_runs = 0;
	if (record) {
		t = malloc(sizeof(*t));
		if (t && report_trace_init(t, &ro)) {
			report_trace_free(t);
			free(t);
			t = NULL;
		}
	}
	if (vmsa_replay(r->scenario, r->config, r->res.decisions, &ro, &again))
		snprintf(r->note, sizeof(r->note), "the replay failed: %s",
			 again.error);
	else if (again.error[0] || !again.violated ||
		 !same_violation(&again.violation, &r->res.violation))
		snprintf(r->note, sizeof(r->note),
			 "the replay did not reproduce the violation%s%s",
			 again.error[0] ? ": " : "", again.error);
	vmsa_explore_result_free(&again);
	r->trace = t;
}

/* Explore one configuration into r. */
static void check_one(struct report_row *r, const struct sel *sel,
		      const struct check_args *a, bool progress)
{
	vmsa_explore_opts_t xo = a->xo;
	struct progress p = {sel->s->name, sel->s->configs[sel->config].name,
			     false};
	const char *expect = sel->s->configs[sel->config].expect;

	memset(r, 0, sizeof(*r));
	r->scenario = sel->s;
	r->config = p.config;
	r->expect = expect ? expect : "(none)";
	if (progress) {
		xo.progress = show_progress;
		xo.progress_ctx = &p;
	}
	r->ran = vmsa_explore(r->scenario, r->config, &xo, &r->res) == 0;
	if (p.shown)
		fputs("\r\033[K", stderr);
	if (r->ran && r->res.violated)
		check_replay(r, &a->xo, a->html != NULL);
	r->as_expected = r->ran && expect && !r->note[0] &&
			 !strcmp(r->res.verdict, expect);
}

/* Column widths of the table for the selection. */
static void check_widths(struct report_style *st, const struct sel *sel,
			 unsigned n)
{
	st->name_width = (int)strlen("scenario");
	st->config_width = (int)strlen("config");
	st->expect_width = (int)strlen("expected");
	for (unsigned i = 0; i < n; i++) {
		const vmsa_config_t *c = &sel[i].s->configs[sel[i].config];
		int w = (int)strlen(sel[i].s->name);

		if (w > st->name_width)
			st->name_width = w;
		w = (int)strlen(c->name);
		if (w > st->config_width)
			st->config_width = w;
		w = c->expect ? (int)strlen(c->expect) : 6;
		if (w > st->expect_width)
			st->expect_width = w;
	}
}

/* Write the HTML page to path. Returns 0, or -1 after a message. */
static int check_write_html(const char *path, FILE *f,
			    const struct report_style *st,
			    const struct report_row *rows, unsigned n)
{
	int rc = report_html(f, st, rows, n);

	if (fclose(f) || rc) {
		fprintf(stderr, "%s: check: cannot write %s: %s\n", prog, path,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* vmsa check: explore the selection, report each configuration, exit
 * 0 when all are as expected, 1 when one is not, 2 on usage errors. */
static int cmd_check(int argc, char **argv, const char *argv0)
{
	struct check_args a = {0};
	struct report_style st = {.prog = argv0};
	struct report_row *rows = NULL;
	struct sel *sel = NULL;
	unsigned n = 0, ok = 0;
	FILE *html = NULL;
	int rc;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(check_help, stdout);
			return 0;
		}
	rc = check_parse(argc, argv, &a);
	if (!rc)
		rc = select_all("check", a.pats, a.npats, &sel, &n);
	if (!rc && a.html && !(html = fopen(a.html, "w")))
		rc = usage_error("check: cannot open '%s' for --html: %s",
				 a.html, strerror(errno));
	if (!rc && !(rows = calloc(n + 1, sizeof(*rows))))
		rc = usage_error("check: out of memory");
	if (rc) {
		if (html)
			fclose(html);
		free(a.pats);
		free(sel);
		return rc;
	}
	st.color = !a.json && want_color();
	st.step_budget = a.xo.step_budget;
	check_widths(&st, sel, n);
	if (!a.json && !a.quiet)
		report_table_header(stdout, &st);
	for (unsigned i = 0; i < n; i++) {
		check_one(&rows[i], &sel[i], &a,
			  !a.quiet && isatty(STDERR_FILENO));
		ok += rows[i].as_expected;
		if (a.json) {
			report_json_row(stdout, &rows[i]);
		} else {
			if (!a.quiet)
				report_table_row(stdout, &st, &rows[i]);
			if (!rows[i].as_expected)
				report_unexpected(stdout, &st, &rows[i]);
		}
		fflush(stdout);
	}
	if (!a.json || !a.quiet)
		report_summary(a.json ? stderr : stdout, &st, n, ok);
	rc = ok == n ? 0 : 1;
	if (html && check_write_html(a.html, html, &st, rows, n))
		rc = 1;
	for (unsigned i = 0; i < n; i++) {
		vmsa_explore_result_free(&rows[i].res);
		report_trace_free(rows[i].trace);
		free(rows[i].trace);
	}
	free(rows);
	free(sel);
	free(a.pats);
	return rc;
}

/* ------------------------------------------------------------------ */
/* vmsa list                                                           */
/* ------------------------------------------------------------------ */

static const char list_help[] =
	"usage: vmsa list [--json] [PATTERN[@CONFIG]...]\n"
	"\n"
	"List the bundled scenarios (all, or those matching the glob\n"
	"patterns, as 'vmsa check' selects them): name, number of CPUs, what\n"
	"the scenario does, and each configuration with its expected verdict.\n"
	"--json prints one JSON object per scenario.\n";

/* One scenario of `vmsa list`, as JSON or as text, with the selected
 * configurations among sel[0 .. n). */
static void list_json(const vmsa_scenario_t *s, const struct sel *sel,
		      unsigned n)
{
	bool first = true;

	fputs("{\"scenario\": ", stdout);
	report_json_string(stdout, s->name);
	fputs(", \"doc\": ", stdout);
	report_json_string(stdout, s->doc);
	printf(", \"cpus\": %u, \"configs\": [", n_cpus(s));
	for (unsigned i = 0; i < n; i++) {
		if (sel[i].s != s)
			continue;
		fputs(first ? "{\"config\": " : ", {\"config\": ", stdout);
		report_json_string(stdout, s->configs[sel[i].config].name);
		fputs(", \"expect\": ", stdout);
		report_json_string(stdout, s->configs[sel[i].config].expect);
		fputs("}", stdout);
		first = false;
	}
	fputs("]}\n", stdout);
}

static void list_text(const vmsa_scenario_t *s, const struct sel *sel,
		      unsigned n)
{
	printf("%s (%u CPUs): %s\n", s->name, n_cpus(s), s->doc ? s->doc : "");
	for (unsigned i = 0; i < n; i++) {
		const vmsa_config_t *c = &s->configs[sel[i].config];

		if (sel[i].s == s)
			printf("    %-20s expect %s\n", c->name,
			       c->expect ? c->expect : "(none)");
	}
}

/* vmsa list: the selected scenarios and configurations. */
static int cmd_list(int argc, char **argv)
{
	char **pats = calloc((size_t)argc + 1, sizeof(*pats));
	unsigned n = 0, scenarios = 0;
	struct sel *sel = NULL;
	bool json = false;
	int npats = 0, rc = 0;

	if (!pats)
		return usage_error("list: out of memory");
	for (int i = 1; i < argc && !rc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(list_help, stdout);
			free(pats);
			return 0;
		} else if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			rc = usage_error("list: unknown option '%s' (see 'vmsa "
					 "list --help')", argv[i]);
		} else {
			pats[npats++] = argv[i];
		}
	}
	if (!rc)
		rc = select_all("list", pats, npats, &sel, &n);
	for (unsigned i = 0; i < n && !rc; i++) {
		if (i && sel[i].s == sel[i - 1].s)
			continue;
		scenarios++;
		if (json)
			list_json(sel[i].s, sel, n);
		else
			list_text(sel[i].s, sel, n);
	}
	if (!rc && !json)
		printf("%u scenario%s, %u configuration%s\n", scenarios,
		       scenarios == 1 ? "" : "s", n, n == 1 ? "" : "s");
	free(sel);
	free(pats);
	return rc;
}

/* ------------------------------------------------------------------ */
/* vmsa replay                                                         */
/* ------------------------------------------------------------------ */

static const char replay_help[] =
	"usage: vmsa replay [--steps N] [--html FILE] SCENARIO[@CONFIG] "
	"--decisions STRING\n"
	"\n"
	"Re-run exactly the execution that STRING describes (the decisions\n"
	"'vmsa check' prints with a violation) and print it step by step:\n"
	"CPU, operation, operands and values, the walks and TLB entries used,\n"
	"each choice, the stale entries each CPU may hold when they change,\n"
	"and, on the last line, 'KIND: MESSAGE' of the violation. @CONFIG may\n"
	"be left out when the scenario has one configuration. --steps must\n"
	"be the step budget the violation was found with (default 10000);\n"
	"--html FILE also writes the execution as an HTML page.\n"
	"\n"
	"Exit status: 0 when the execution ran as described, 1 when the\n"
	"decisions do not fit the scenario (it diverged) or set-up failed,\n"
	"2 on a usage error.\n";

/* Is s a well-formed decision string (0-9, a-z, A-Z, "(N)")? */
static bool decisions_ok(const char *s)
{
	for (; *s; s++) {
		if (*s == '(') {
			size_t k = strspn(s + 1, "0123456789");

			if (!k || k > 7 || s[1 + k] != ')')
				return false;
			s += k + 1;
		} else if (!((*s >= '0' && *s <= '9') ||
			     (*s >= 'a' && *s <= 'z') ||
			     (*s >= 'A' && *s <= 'Z'))) {
			return false;
		}
	}
	return true;
}

/*
 * The scenario and configuration of "SCENARIO[@CONFIG]" for replay: an
 * exact name; CONFIG one of its configurations, required when it has
 * more than one. Returns 0, or the usage status after a message.
 */
static int replay_target(const char *arg, const vmsa_scenario_t **s,
			 const char **config)
{
	const char *cpart;
	char *name, list[256];
	unsigned nc;

	split_target(arg, &name, &cpart);
	if (!name)
		return usage_error("replay: out of memory");
	*s = vmsa_scenario_find(name);
	if (!*s) {
		usage_error("replay: unknown scenario '%s' (see 'vmsa list')",
			    name);
		free(name);
		return EXIT_USAGE;
	}
	free(name);
	nc = n_configs(*s);
	config_list(list, sizeof(list), *s);
	if (!cpart) {
		if (nc != 1)
			return usage_error("replay: scenario %s has %u "
					   "configurations (%s): say which, as "
					   "%s@CONFIG", (*s)->name, nc, list,
					   (*s)->name);
		*config = (*s)->configs[0].name;
		return 0;
	}
	for (unsigned j = 0; j < nc; j++) {
		if (!strcmp((*s)->configs[j].name, cpart)) {
			*config = (*s)->configs[j].name;
			return 0;
		}
	}
	return no_config("replay", arg, cpart, *s);
}

/* Write the replayed execution as an HTML page. 0, or 1 after a message. */
static int replay_html(const char *path, const struct report_style *st,
		       const struct report_row *r)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f) {
		fprintf(stderr, "%s: replay: cannot open '%s': %s\n", prog,
			path, strerror(errno));
		return 1;
	}
	rc = report_html(f, st, r, 1);
	if (fclose(f) || rc) {
		fprintf(stderr, "%s: replay: cannot write %s\n", prog, path);
		return 1;
	}
	return 0;
}

/* vmsa replay: run one execution from its decisions and print it; exit 0
 * when it ran as described, 1 when it diverged, 2 on usage errors. */
static int cmd_replay(int argc, char **argv, const char *argv0)
{
	vmsa_explore_opts_t xo = vmsa_explore_defaults();
	const char *target = NULL, *decisions = NULL, *html = NULL, *val;
	struct report_style st = {.prog = argv0};
	struct report_trace t;
	struct report_row r = {0};
	int rc;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		val = NULL;
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(replay_help, stdout);
			return 0;
		} else if (is_opt(argc, argv, &i, "--decisions", &val)) {
			if (!val)
				return usage_error("replay: --decisions needs a "
						   "decision string");
			decisions = val;
		} else if (is_opt(argc, argv, &i, "--steps", &val)) {
			if (parse_steps("replay", val, &xo.step_budget))
				return EXIT_USAGE;
		} else if (is_opt(argc, argv, &i, "--html", &val)) {
			if (!val || !*val)
				return usage_error("replay: --html needs a file name");
			html = val;
		} else if (a[0] == '-' && a[1]) {
			return usage_error("replay: unknown option '%s' (see "
					   "'vmsa replay --help')", a);
		} else if (!target) {
			target = a;
		} else {
			return usage_error("replay: unexpected argument '%s' "
					   "(one SCENARIO[@CONFIG])", a);
		}
	}
	if (!target)
		return usage_error("replay: no scenario given (see 'vmsa "
				   "replay --help')");
	rc = replay_target(target, &r.scenario, &r.config);
	if (rc)
		return rc;
	if (!decisions)
		return usage_error("replay: --decisions STRING is required (the "
				   "string 'vmsa check' prints with a violation)");
	if (!decisions_ok(decisions))
		return usage_error("replay: '%s' is not a decision string (only "
				   "0-9, a-z, A-Z and (N) may appear)", decisions);
	if (report_trace_init(&t, &xo))
		return usage_error("replay: out of memory");
	r.expect = "(replay)";
	r.trace = &t;
	st.color = want_color();
	st.step_budget = xo.step_budget;
	rc = vmsa_replay(r.scenario, r.config, decisions, &xo, &r.res);
	r.ran = rc == 0;
	if (r.ran) {
		r.as_expected = !r.res.error[0];
		report_replay_text(stdout, &st, &r);
		fflush(stdout);
		if (html && replay_html(html, &st, &r))
			rc = 1;
	}
	if (r.res.error[0]) {
		fprintf(stderr, "%s: replay: %s\n", prog, r.res.error);
		rc = 1;
	}
	vmsa_explore_result_free(&r.res);
	report_trace_free(&t);
	return rc ? 1 : 0;
}

/* `vmsa help [COMMAND]`: the main help, or COMMAND's. */
static int cmd_help(int argc, char **argv, const char *argv0)
{
	static const char *const topics[] = {"check", "list", "replay",
					     "desc", "tlbi"};
	char *args[] = {NULL, "--help", NULL};

	if (argc < 2) {
		fputs(main_help, stdout);
		return 0;
	}
	for (size_t i = 0; i < sizeof(topics) / sizeof(topics[0]); i++) {
		if (strcmp(argv[1], topics[i]))
			continue;
		args[0] = argv[1];
		if (i == 0)
			return cmd_check(2, args, argv0);
		if (i == 1)
			return cmd_list(2, args);
		if (i == 2)
			return cmd_replay(2, args, argv0);
		return i == 3 ? cmd_desc(2, args) : cmd_tlbi(2, args);
	}
	return usage_error("help: unknown command '%s' (see 'vmsa --help')",
			   argv[1]);
}

int vmsa_main(int argc, char **argv)
{
	const char *argv0 = argc > 0 && argv[0] ? argv[0] : "vmsa";

	if (argc < 2) {
		fputs(main_help, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h"))
		return cmd_help(1, argv + 1, argv0);
	if (!strcmp(cmd, "help"))
		return cmd_help(argc - 1, argv + 1, argv0);
	if (!strcmp(cmd, "--version")) {
		printf("vmsa %s\n", VMSA_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "check"))
		return cmd_check(argc - 1, argv + 1, argv0);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc - 1, argv + 1);
	if (!strcmp(cmd, "replay"))
		return cmd_replay(argc - 1, argv + 1, argv0);
	if (!strcmp(cmd, "desc"))
		return cmd_desc(argc - 1, argv + 1);
	if (!strcmp(cmd, "tlbi"))
		return cmd_tlbi(argc - 1, argv + 1);
	if (cmd[0] == '-')
		return usage_error("unknown option '%s' (see 'vmsa --help')", cmd);
	return usage_error("unknown command '%s' (see 'vmsa --help')", cmd);
}
