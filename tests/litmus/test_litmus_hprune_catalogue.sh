#!/bin/sh
# The held-entry rule (docs/model.md, "A walk's older value a held entry
# gives") on two catalogue tests, against the search without it
# (VMSA_ORDER_HPRUNE=0):
# - MP+dmb.sy+addrR-pos-addr+PTE+BIS, where it drops executions: the
#   same observation (Never) and final states, 165,292 executions without
#   the rule, 127,605 with it (172,044 and 132,554 before a retry that
#   faults again through what was overwritten before its handler returned
#   was kept from it, tlbu_window in translate.c and stale_retry_fault in
#   access.c, 2026-12-07; 150,127 and 116,579 before a completed TLBI
#   and a publishing DSB took a choice of places in memory's order and a
#   descriptor store its earliest place below other CPUs' messages,
#   order.c fence_place and may_precede, 2026-12-07; 98,169 and 74,074 before the retired-entry
#   rule's earlier translation went by low-order bits and by what its
#   TTD reads are ordered after, 2026-12-07; 86,069 without it before
#   walks were offered
#   older values no TLBI bounds, 09f409d; 53,330 and 45,061 before early
#   walks' windows were views and an ISB kept the retired entries of
#   TLBIs it is not ordered after, 2026-12-06; 61,856 and 52,264 without
#   the read rule before that);
# - coRR+W-DSB-TLBI-DSB-HU+rfe-W (TTHM=HD), where a walk's hardware
#   dirty-state update makes the walk and the held entry differ: the rule
#   applies only to the walks that need no update (no_hw_update, since
#   ce245dd): 7,817 executions with it, 13,910 without it, the same
#   witness (Sometimes) and final states (before ce245dd the rule did not
#   apply there at all: 10,416 executions both ways, 13,202 once walks
#   were offered older values; 7,907 and 14,000 since the retired-entry
#   rule of 2026-12-07; 10,122 and 17,611 since fences and descriptor
#   stores took their places below other CPUs' messages, fence_place and
#   may_precede in order.c). Applied to the walks that make an update, it
#   loses the witness (Never instead of Sometimes).
# Skipped when the catalogue is not there (LITMUS_DIR, ../shared/litmus).
. "$(dirname "$0")/../lib.sh"

dir=${LITMUS_DIR:-../shared/litmus}
mp=$dir/aarch64-VMSA/MP+dmb.sy+addrR-pos-addr+PTE+BIS.litmus
hu=$dir/aarch64-VMSA/coRR+W-DSB-TLBI-DSB-HU+rfe-W.litmus
t_need_catalogue "$dir" "held-entry catalogue tests" "$mp" "$hu"
states() {
	"$VMSA" litmus --json "$1" | sed 's/.*"states": \[//; s/\].*//'
}
t_run sh -c "'$VMSA' litmus --tsv '$mp' | cut -f3,5"
t_stdout_is "rule on" "Never	127605"
t_run sh -c "VMSA_ORDER_HPRUNE=0 '$VMSA' litmus --tsv '$mp' | cut -f3,5"
t_stdout_is "rule off" "Never	165292"
on=$(states "$mp")
off=$(VMSA_ORDER_HPRUNE=0 states "$mp")
[ -n "$on" ] && [ "$on" = "$off" ] && t_ok ||
	t_bad "final states differ: $on / $off"
t_run sh -c "'$VMSA' litmus --tsv '$hu' | cut -f3,5"
t_stdout_is "hardware update: rule on" "Sometimes	10122"
t_run sh -c "VMSA_ORDER_HPRUNE=0 '$VMSA' litmus --tsv '$hu' | cut -f3,5"
t_stdout_is "hardware update: rule off" "Sometimes	17611"
on=$(states "$hu")
off=$(VMSA_ORDER_HPRUNE=0 states "$hu")
[ -n "$on" ] && [ "$on" = "$off" ] && t_ok ||
	t_bad "hardware update: final states differ: $on / $off"
t_done
