/*
 * src/cli/cli_int.h - what the files of the vmsa command share: argument
 * readers, the selection of configurations, and the commands. Private.
 *
 * Every command parses its own arguments and picks its exit status:
 * usage errors print one clear message on stderr and return EXIT_USAGE.
 * What check, list and replay print is src/explore/report*.c's.
 */
#ifndef VMSA_CLI_INT_H
#define VMSA_CLI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "explore/report.h"
#include "vmsa/explore.h"
#include "vmsa/scenario.h"

#define EXIT_USAGE 2

/* The name in messages ("vmsa: ..."), whatever argv[0] is. */
extern const char cli_prog[];

/* args.c */
int cli_usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
int cli_parse_u64(const char *s, uint64_t *out);
int cli_parse_hex(const char *s, uint64_t *out);
const char *cli_opt_value(int argc, char **argv, int *i);
bool cli_is_opt(int argc, char **argv, int *i, const char *name,
		const char **val);
int cli_parse_count(const char *s, uint64_t min, uint64_t max,
		    uint64_t *out);
int cli_parse_steps(const char *cmd, const char *val, unsigned *out);
bool cli_want_color(void);

/* select.c: one selected scenario configuration. */
struct sel {
	const vmsa_scenario_t *s;
	unsigned config;
	/* The configuration name searched: the scenario's own, or it with
	 * check's --with features added (then owned by check). */
	const char *name;
};

bool cli_has_glob(const char *s);
unsigned cli_n_configs(const vmsa_scenario_t *s);
unsigned cli_n_cpus(const vmsa_scenario_t *s);
int cli_config_fits(const vmsa_scenario_t *s, const char *name,
		    const char **why, unsigned *ncpus);
void cli_config_list(char *buf, size_t size, const vmsa_scenario_t *s);
void cli_split_target(const char *arg, char **name, const char **config);
int cli_no_config(const char *cmd, const char *pat, const char *cpat,
		  const vmsa_scenario_t *only);
int cli_select_all(const char *cmd, char **pats, int npats,
		   struct sel **out, unsigned *n);
int cli_check_expects(const char *cmd, const struct sel *sel, unsigned n);

/* The commands: argv[0] is the command's name; each returns its exit
 * status. argv0 is the program's own argv[0], for replay command lines. */
int cmd_desc(int argc, char **argv);
int cmd_tlbi(int argc, char **argv);
int cmd_check(int argc, char **argv, const char *argv0);
int cmd_list(int argc, char **argv);
int cmd_litmus(int argc, char **argv);
int cmd_replay(int argc, char **argv, const char *argv0);
int cmd_merge(int argc, char **argv);

#endif
