#!/bin/sh
# The scenario registry has no fixed size: a program that registers 300
# scenarios (once at most 256 were kept, the rest dropped with a message)
# lists and checks every one of them. Prints "N passed, N failed".
. "$(dirname "$0")/../lib.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmsa-registry.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

cat >"$tmp/many.c" <<'C'
#include <stdio.h>
#include <vmsa/cli.h>
#include <vmsa/scenario.h>

#define N 300

static char names[N][16];
static vmsa_scenario_t s[N];

static void cpu0(vmsa_run_t *r, vmsa_cpu_t cpu)
{
	vmsa_isb(vmsa_run_machine(r), cpu);
}

int main(int argc, char **argv)
{
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "many/%03d", i);
		s[i].name = names[i];
		s[i].doc = "one ISB";
		s[i].cpu[0] = cpu0;
		s[i].configs[0] = (vmsa_config_t){"bbm0", "safe"};
		vmsa_scenario_register(&s[i]);
	}
	return vmsa_main(argc, argv);
}
C

t_run ${CC:-cc} -std=c11 -Wall -Wextra -Werror -Iinclude -o "$tmp/many" \
	"$tmp/many.c" build/libvmsa.a
t_status build 0

t_run "$tmp/many" check --quiet 'many/*'
t_status check 0
t_stdout_has check-all "300 configurations, 300 as expected, 0 not"
[ -z "$t_err" ] && t_ok || t_bad "check: stderr is not empty"

t_run "$tmp/many" list 'many/299'
t_status list-last 0
t_stdout_has list-last "many/299"

t_done
