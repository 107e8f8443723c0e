/*
 * src/cli/select.c - which scenario configurations the NAME[@CONFIG]
 * glob patterns of check and list select, and the messages that say why
 * a pattern selects nothing.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "explore/expect.h"


/* Does s contain fnmatch(3) pattern characters? */
bool cli_has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* Number of configurations (CPUs, below) a scenario declares. */
unsigned cli_n_configs(const vmsa_scenario_t *s)
{
	unsigned n = 0;

	while (n < VMSA_MAX_CONFIGS && s->configs[n].name)
		n++;
	return n;
}

unsigned cli_n_cpus(const vmsa_scenario_t *s)
{
	unsigned n = 0;

	while (n < VMSA_MAX_CPUS && s->cpu[n])
		n++;
	return n;
}

/*
 * Can s run in configuration `name` (its own or one with features added,
 * as check --with makes and replay takes)? 0; -EINVAL with *why (a
 * static message) when the name does not parse with s's CPUs; -ERANGE
 * when it asks for fewer CPUs (*ncpus) than s has.
 */
int cli_config_fits(const vmsa_scenario_t *s, const char *name,
		    const char **why, unsigned *ncpus)
{
	vmsa_features_t f;

	if (vmsa_config_parse(name, cli_n_cpus(s), &f, why))
		return -EINVAL;
	*ncpus = f.ncpus;
	return f.ncpus < cli_n_cpus(s) ? -ERANGE : 0;
}

/* "bbm0, bbm2": the configuration names of s, for messages. */
void cli_config_list(char *buf, size_t size, const vmsa_scenario_t *s)
{
	size_t len = 0;

	buf[0] = 0;
	for (unsigned j = 0; j < cli_n_configs(s) && len < size; j++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					j ? ", " : "", s->configs[j].name);
}

/* Split "NAME@CONFIG" at its last '@': *name is a malloc'd copy of NAME
 * (NULL when out of memory), *config points into arg (NULL without '@'). */
void cli_split_target(const char *arg, char **name, const char **config)
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
int cli_no_config(const char *cmd, const char *pat, const char *cpat,
		     const vmsa_scenario_t *only)
{
	vmsa_features_t f;
	const char *why = "";
	char list[256];

	if (!cli_has_glob(cpat) && vmsa_config_parse(cpat, 0, &f, &why))
		return cli_usage_error("%s: '%s' is not a valid configuration: %s",
				   cmd, cpat, why);
	if (only) {
		cli_config_list(list, sizeof(list), only);
		return cli_usage_error("%s: scenario %s has no configuration '%s' "
				   "(it has: %s)", cmd, only->name, cpat, list);
	}
	return cli_usage_error("%s: no scenario matching '%s' has a configuration "
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

	cli_split_target(pat, &npat, &cpat);
	if (!npat)
		return cli_usage_error("%s: out of memory", cmd);
	for (unsigned i = 0; i < vmsa_scenario_count(); i++) {
		const vmsa_scenario_t *s = vmsa_scenario_get(i);

		if (fnmatch(npat, s->name, 0))
			continue;
		names++;
		only = s;
		for (unsigned j = 0; j < cli_n_configs(s); j++) {
			if (cpat && fnmatch(cpat, s->configs[j].name, 0))
				continue;
			chosen[i * VMSA_MAX_CONFIGS + j] = true;
			hits++;
		}
	}
	if (!names)
		rc = cli_usage_error("%s: no scenario matches '%s' (see 'vmsa list')",
				 cmd, npat);
	else if (!hits)
		rc = cli_no_config(cmd, pat, cpat ? cpat : "",
			       names == 1 ? only : NULL);
	free(npat);
	return rc;
}

/*
 * Is every selected expectation a verdict? 0, or the usage status after
 * a message naming the first that is not and every valid one: a typo
 * would otherwise make a configuration that can never be as expected.
 * check and list both refuse it.
 */
int cli_check_expects(const char *cmd, const struct sel *sel, unsigned n)
{
	char list[512];

	for (unsigned i = 0; i < n; i++) {
		const vmsa_config_t *c = &sel[i].s->configs[sel[i].config];

		if (!c->expect || expect_valid(c->expect))
			continue;
		expect_list(list, sizeof(list));
		return cli_usage_error("%s: %s@%s expects '%s', which is "
				       "not a verdict (valid: %s)", cmd,
				       sel[i].s->name, c->name, c->expect,
				       list);
	}
	return 0;
}

/*
 * The configurations the patterns select (all when there is none), in
 * name order, each once. Returns 0 with *out malloc'd (free it), or the
 * usage-error status.
 */
int cli_select_all(const char *cmd, char **pats, int npats,
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
		return cli_usage_error("%s: out of memory", cmd);
	}
	for (int p = 0; p < npats && !rc; p++)
		rc = select_pattern(cmd, pats[p], chosen);
	for (unsigned i = 0; i < count && !rc; i++) {
		const vmsa_scenario_t *s = vmsa_scenario_get(i);

		for (unsigned j = 0; j < cli_n_configs(s); j++)
			if (!npats || chosen[i * VMSA_MAX_CONFIGS + j])
				sel[(*n)++] = (struct sel){s, j, s->configs[j].name};
	}
	free(chosen);
	return rc;
}
