/*
 * src/cli/cmd_decode.c - vmsa desc and vmsa tlbi: decode architecture
 * values (a descriptor, a TLBI operation and its operand) with the
 * architecture core.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli_int.h"
#include "vmsa/arch.h"

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


int cmd_desc(int argc, char **argv)
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
			val = cli_opt_value(argc, argv, &i);
			if (!val || (strcmp(val, "1") && strcmp(val, "2")))
				return cli_usage_error("desc: --stage takes 1 or 2, not '%s'",
						   val ? val : "");
			stage = val[0] == '1' ? VMSA_STAGE1 : VMSA_STAGE2;
		} else if (!strcmp(a, "--level")) {
			val = cli_opt_value(argc, argv, &i);
			char *end;
			level = val ? strtol(val, &end, 10) : 99;
			if (!val || !*val || *end || level < VMSA_LEVEL_MIN ||
			    level > VMSA_LEVEL_MAX)
				return cli_usage_error("desc: --level takes -1 to 3, not '%s'",
						   val ? val : "");
		} else if (!strcmp(a, "--granule")) {
			val = cli_opt_value(argc, argv, &i);
			if (!val || parse_granule(val, &g))
				return cli_usage_error("desc: --granule takes 4K, 16K or 64K, not '%s'",
						   val ? val : "");
		} else if (a[0] == '-' && a[1] == '-') {
			return cli_usage_error("desc: unknown option '%s' (see 'vmsa desc --help')",
					   a);
		} else {
			if (cli_parse_hex(a, &v))
				return cli_usage_error("desc: '%s' is not a 64-bit hexadecimal descriptor",
						   a);
			if (!first)
				first = i;
			n++;
		}
	}
	if (!n)
		return cli_usage_error("desc: %s", "no descriptor given (see 'vmsa desc --help')");
	if ((int)level < vmsa_granule_min_level(g))
		fprintf(stderr, "%s: note: level %ld does not exist for the %s granule\n",
			cli_prog, level, vmsa_granule_name(g));
	for (int i = first; i < argc; i++) {
		char line[256];

		if (argv[i][0] == '-' && argv[i][1] == '-') {
			i++; /* skip the option's value */
			continue;
		}
		cli_parse_hex(argv[i], &v);
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

int cmd_tlbi(int argc, char **argv)
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
			val = cli_opt_value(argc, argv, &i);
			if (!val || strlen(val) != 1 || val[0] < '0' || val[0] > '2')
				return cli_usage_error("tlbi: --el takes 0, 1 or 2, not '%s'",
						   val ? val : "");
			el = (unsigned)(val[0] - '0');
		} else if (!strcmp(a, "--hcr")) {
			val = cli_opt_value(argc, argv, &i);
			if (!val || cli_parse_hex(val, &hcr))
				return cli_usage_error("tlbi: --hcr takes a hexadecimal value, not '%s'",
						   val ? val : "");
		} else if (a[0] == '-' && a[1] == '-') {
			return cli_usage_error("tlbi: unknown option '%s' (see 'vmsa tlbi --help')",
					   a);
		} else if (!name) {
			name = a;
		} else if (!xt_str) {
			xt_str = a;
		} else {
			return cli_usage_error("tlbi: unexpected argument '%s'", a);
		}
	}
	if (!name)
		return cli_usage_error("tlbi: %s", "no operation given (see 'vmsa tlbi --help')");
	if (vmsa_tlbi_parse(name, &op))
		return cli_usage_error("tlbi: '%s' is not a TLBI operation vmsa knows", name);
	if (xt_str && cli_parse_u64(xt_str, &xt))
		return cli_usage_error("tlbi: '%s' is not a 64-bit register value", xt_str);

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
			cli_prog, buf);
	}
	return 0;
}
