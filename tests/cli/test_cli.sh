#!/bin/sh
# Shell tests of the vmsa command: help, version, desc, tlbi, usage errors
# (check, list and replay: test_check.sh).
. "$(dirname "$0")/../lib.sh"

t_run "$VMSA" --version
t_status version 0
t_stdout_has version "vmsa 0."

t_run "$VMSA" --help
t_status help 0
t_stdout_has help "Commands:"

t_stdout_has help "  check   "
t_stdout_has help "  list    "
t_stdout_has help "  replay  "

t_run "$VMSA" help desc
t_status help-desc 0
t_stdout_has help-desc "usage: vmsa desc"

t_run "$VMSA" help frobnicate
t_status help-unknown 2
t_stderr_has help-unknown "help: unknown command 'frobnicate'"

t_run "$VMSA"
t_status no-args 2
t_stderr_has no-args "usage: vmsa"

t_run "$VMSA" frobnicate
t_status unknown-command 2
t_stderr_has unknown-command "unknown command 'frobnicate'"

t_run "$VMSA" --frob
t_status unknown-option 2
t_stderr_has unknown-option "unknown option '--frob'"

# The stage-2 2M block of the README.
t_run "$VMSA" desc --stage 2 --level 2 0x400000402007fd
t_status desc-s2-block 0
t_stdout_is desc-s2-block "0x00400000402007fd  BLOCK L2 oa=0x40200000 S2AP=RW MemAttr=NormalWB SH=ISH AF XN=2"

t_run "$VMSA" desc --level 3 0
t_status desc-invalid 0
t_stdout_is desc-invalid "0x0000000000000000  INVALID"

t_run "$VMSA" desc --help
t_status desc-help 0
t_stdout_has desc-help "usage: vmsa desc"

t_run "$VMSA" desc --level 7 0x3
t_status desc-bad-level 2
t_stderr_has desc-bad-level "--level takes -1 to 3, not '7'"

t_run "$VMSA" desc --granule 8K 0x3
t_status desc-bad-granule 2
t_stderr_has desc-bad-granule "--granule takes 4K, 16K or 64K, not '8K'"

t_run "$VMSA" desc zz
t_status desc-bad-hex 2
t_stderr_has desc-bad-hex "'zz' is not a 64-bit hexadecimal descriptor"

t_run "$VMSA" desc
t_status desc-none 2

t_run "$VMSA" desc --bogus 1
t_status desc-bad-option 2
t_stderr_has desc-bad-option "unknown option '--bogus'"

# TLBI decoding: ASID 1, VA 0x40000000 (page number 0x40000), no TTL.
t_run "$VMSA" tlbi vale1is 0x0001000000040000
t_status tlbi-vale1is 0
t_stdout_has tlbi-vale1is "op       tlbi vale1is"
t_stdout_has tlbi-vale1is "va       0x40000000"
t_stdout_has tlbi-vale1is "asid     1"
t_stdout_has tlbi-vale1is "last level only"
t_stdout_has tlbi-vale1is "domain   Inner Shareable"

t_run "$VMSA" tlbi --el 1 ipas2e1is 0
t_status tlbi-undef 0
t_stdout_has tlbi-undef "at EL1   UNDEFINED"

t_run "$VMSA" tlbi --el 1 --hcr 0x200 vmalle1
t_status tlbi-fb 0
t_stdout_has tlbi-fb "domain   Inner Shareable"

t_run "$VMSA" tlbi vae9
t_status tlbi-unknown 2
t_stderr_has tlbi-unknown "'vae9' is not a TLBI operation vmsa knows"

t_run "$VMSA" tlbi vae1 notanumber
t_status tlbi-bad-xt 2
t_stderr_has tlbi-bad-xt "'notanumber' is not a 64-bit register value"

# --json counts the executions cut short, by why (docs/explorer.md,
# "Executions by how they ended"): bbm/ok's reduced unbounded search
# ends 39 of its 261 blocked by the sleep sets.
t_run "$VMSA" check --json --preemptions unbounded bbm/ok@bbm0
t_status "json cut short" 0
t_stdout_has "json cut short" '"executions": 261, "blocked": 39, "ruled": 0, "ended": 0, "seconds": '

t_done
