#!/bin/sh
# VMSA_LITMUS_DECISIONS and tests/litmus/tools/choice-equiv.sh: each
# execution's decisions and final state, and which options of a plain
# search's decisions lead to the same final states (docs/litmus.md,
# "Branch litchoice"). Exact lines and counts on two small tests.
. "$(dirname "$0")/../lib.sh"

d=$(dirname "$0")/data
tool=$(dirname "$0")/tools/choice-equiv.sh

# The first execution of SB's plain search: its four decisions, in
# order, then its final state.
t_run sh -c "VMSA_LITMUS_NOREDUCE=1 VMSA_LITMUS_DECISIONS=1 '$VMSA' litmus --max-executions 0 '$d/sb.litmus' 2>&1 >/dev/null | head -1"
t_stdout_is "decisions line" "decisions	which CPU runs next|0|2;which CPU runs next|0|2;write: which place in memory's order|0|2;read: which write|0|2;	0:X2=1; 1:X2=0;"
# Off by default: nothing on stderr.
t_run sh -c "VMSA_LITMUS_NOREDUCE=1 '$VMSA' litmus --max-executions 0 '$d/sb.litmus' 2>&1 >/dev/null | wc -l"
t_stdout_is "decisions off" "0"

# SB: every place of a store gives the same final states (the other
# thread's read chooses its value either way); no read's options do.
t_run sh -c "VMSA_LITMUS_NOREDUCE=1 VMSA_LITMUS_DECISIONS=1 '$VMSA' litmus --max-executions 0 '$d/sb.litmus' 2>&1 >/dev/null | sh '$tool'"
t_stdout_is "sb" "64 executions, 4 final states
    made  options all-same     same   within  kind
      44       88        0        0        0  read: which write
      12       24        8       16       20  which CPU runs next
       7       14        7       14       14  write: which place in memory's order"
# MP.pte+dsb+addr: the walk's two descriptor values (invalid, valid)
# never give the same states.
t_run sh -c "VMSA_LITMUS_NOREDUCE=1 VMSA_LITMUS_DECISIONS=1 '$VMSA' litmus --max-executions 0 '$d/MP.pte+dsb+addr.litmus' 2>&1 >/dev/null | sh '$tool'"
t_stdout_is "mp.pte" "83 executions, 3 final states
    made  options all-same     same   within  kind
       1        2        0        0        0  read: which write
      12       24        0        0        0  stage-1 descriptor value
      69      138       62      124      131  which CPU runs next"
t_done
