/*
 * vmsa/cli.h - the vmsa command line as a function, for a user's own
 * program: link its scenarios with libvmsa and make main() call
 * vmsa_main(), and the program has `check`, `list`, `replay`, `desc` and
 * `tlbi` over exactly the scenarios linked into it (the bundled ones are
 * not in the library). docs/explorer.md, "Scenarios in your own program".
 */
#ifndef VMSA_CLI_H
#define VMSA_CLI_H

#ifdef __cplusplus
extern "C" {
#endif

/* libvmsa is built with -fvisibility=hidden: what this header declares
 * is the exported API (docs: README, "Using the library"). */
#pragma GCC visibility push(default)

/* Run the vmsa command line with argv[0..argc-1] (argv[0] names the
 * program in messages) over the registered scenarios
 * (vmsa_scenario_register, VMSA_SCENARIO). Prints to stdout and stderr
 * and returns the exit status the command documents: 0 success, 1 a
 * result not as expected (check) or a replay that does not fit, 2 a usage
 * error. It returns instead of calling exit(); the value is a process
 * exit status, not a negative errno. */
int vmsa_main(int argc, char **argv);

#pragma GCC visibility pop

#ifdef __cplusplus
}
#endif
#endif
