#!/bin/sh
# The write-placement rule's condition (b) on a catalogue test
# (docs/model.md, "A write's place below messages it could precede"):
# a plain write's place is dropped only when every message above it
# took a place it can take again once the write exists below it
# (ord_msg.fixed clear). In Artem3+HDx-TLBIy+dsb.st+dmb.ld with
# vmsa,fatal,ets2, P1's store to x sets pte_x's dirty state by a
# hardware update at its earliest place, a fixed place: writes placed
# below it are not dropped. Exact counts, with the retired-entry, read
# and held-entry rules off (VMSA_ORDER_RPRUNE=0, VMSA_ORDER_RDPRUNE=0,
# VMSA_ORDER_HPRUNE=0, so that the write-placement rule is measured
# alone): 5,975 executions with the rule, 5,580 without it
# (VMSA_ORDER_WPRUNE=0); with the retired-entry rule too 5,616; with
# every rule (the default) 3,394. Since a completed TLBI and a publishing
# DSB take a choice of places in memory's order, and a descriptor store
# its earliest place below other CPUs' messages (order.c, fence_place,
# may_precede; 2026-12-07) the rule costs here more than it saves: the executions it
# drops leave pending events the search then runs (1,595, 2,310, 1,509
# and 949 before; 1,235, 1,806, 1,149 and 787 before walks
# were offered older values no TLBI bounds, 09f409d; then 1,213 with the
# rule when fixed messages are ignored, which nothing else in the
# catalogue at cap 200,000 showed among complete searches);
# the same seven final states in all four. Skipped when the catalogue is
# not there (LITMUS_DIR, ../shared/litmus).
. "$(dirname "$0")/../lib.sh"

dir=${LITMUS_DIR:-../shared/litmus}
t=$dir/aarch64-VMSA/Artem3+HDx-TLBIy+dsb.st+dmb.ld.litmus
t_need_catalogue "$dir" "write-placement catalogue test" "$t"
states() {
	"$VMSA" litmus --variant vmsa,fatal,ets2 --json "$t" |
		sed 's/.*"states": \[//; s/\].*//'
}
t_run sh -c "VMSA_ORDER_RDPRUNE=0 VMSA_ORDER_HPRUNE=0 VMSA_ORDER_RPRUNE=0 '$VMSA' litmus --tsv --variant vmsa,fatal,ets2 '$t' | cut -f3,5"
t_stdout_is "rule on" "Never	5975"
t_run sh -c "VMSA_ORDER_RDPRUNE=0 VMSA_ORDER_HPRUNE=0 VMSA_ORDER_RPRUNE=0 VMSA_ORDER_WPRUNE=0 '$VMSA' litmus --tsv --variant vmsa,fatal,ets2 '$t' | cut -f3,5"
t_stdout_is "rule off" "Never	5580"
t_run sh -c "VMSA_ORDER_RDPRUNE=0 VMSA_ORDER_HPRUNE=0 '$VMSA' litmus --tsv --variant vmsa,fatal,ets2 '$t' | cut -f3,5"
t_stdout_is "two rules" "Never	5616"
t_run sh -c "'$VMSA' litmus --tsv --variant vmsa,fatal,ets2 '$t' | cut -f3,5"
t_stdout_is "every rule" "Never	3394"
all=$(states)
two=$(VMSA_ORDER_RDPRUNE=0 VMSA_ORDER_HPRUNE=0 states)
on=$(VMSA_ORDER_RDPRUNE=0 VMSA_ORDER_HPRUNE=0 VMSA_ORDER_RPRUNE=0 states)
off=$(VMSA_ORDER_RDPRUNE=0 VMSA_ORDER_HPRUNE=0 VMSA_ORDER_RPRUNE=0 \
	VMSA_ORDER_WPRUNE=0 states)
[ -n "$on" ] && [ "$on" = "$off" ] && [ "$two" = "$off" ] &&
	[ "$all" = "$off" ] && t_ok ||
	t_bad "final states differ: $all / $two / $on / $off"
t_done
