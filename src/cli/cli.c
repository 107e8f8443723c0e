/*
 * src/cli/cli.c - the vmsa command line (vmsa_main), also offered to
 * users' own programs that link their scenarios with libvmsa: the
 * dispatch to a command (src/cli/cmd_*.c) and the main help.
 */
#include <stdio.h>
#include <string.h>

#include "cli_int.h"
#include "vmsa/cli.h"

static const char main_help[] =
	"usage: vmsa [--help] [--version] COMMAND [ARGS]\n"
	"\n"
	"Commands:\n"
	"  check   explore the scenarios and compare verdicts with expectations\n"
	"  list    list the scenarios, their configurations and expectations\n"
	"  replay  re-run one execution step by step (from its decisions)\n"
	"  litmus  run herd7 litmus tests and print herd7's result format\n"
	"  merge   merge the JSON results of 'check --shard I/N' runs\n"
	"  desc    decode a translation table descriptor\n"
	"  tlbi    decode a TLBI operation and its register operand\n"
	"\n"
	"Run 'vmsa COMMAND --help' for a command's options. Exit status: 0 on\n"
	"success, 1 when a check finds a result not as expected, 2 on a usage\n"
	"error.\n";


/* `vmsa help [COMMAND]`: the main help, or COMMAND's. */
static int cmd_help(int argc, char **argv, const char *argv0)
{
	static const char *const topics[] = {"check", "list", "replay",
					     "desc", "tlbi", "merge",
					     "litmus"};
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
		if (i == 5)
			return cmd_merge(2, args);
		if (i == 6)
			return cmd_litmus(2, args);
		return i == 3 ? cmd_desc(2, args) : cmd_tlbi(2, args);
	}
	return cli_usage_error("help: unknown command '%s' (see 'vmsa --help')",
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
	if (!strcmp(cmd, "litmus"))
		return cmd_litmus(argc - 1, argv + 1);
	if (!strcmp(cmd, "merge"))
		return cmd_merge(argc - 1, argv + 1);
	if (!strcmp(cmd, "desc"))
		return cmd_desc(argc - 1, argv + 1);
	if (!strcmp(cmd, "tlbi"))
		return cmd_tlbi(argc - 1, argv + 1);
	if (cmd[0] == '-')
		return cli_usage_error("unknown option '%s' (see 'vmsa --help')", cmd);
	return cli_usage_error("unknown command '%s' (see 'vmsa --help')", cmd);
}
