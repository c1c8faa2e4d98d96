#!/usr/bin/env bash
# summarize.sh -- the summary of a run-load.sh results directory (run-load.sh calls it; it can be
# run again on any results directory).
#
#   load-tests/sipp/summarize.sh RESULTS_DIR [EXPECTED_CALLS] [CALLER_SIPP_EXIT]
#
# Reads caller.stat.csv (SIPp -trace_stat of the caller), caller.rtt.csv (-trace_rtt) and
# uas-<trunk>.stat.csv of every agency. Exit 0 when every call succeeded on both sides (and, if
# given, EXPECTED_CALLS were placed and the caller's SIPp exited 0), else 1.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"

results=${1:?usage: summarize.sh RESULTS_DIR [EXPECTED_CALLS] [CALLER_SIPP_EXIT]}
expected=${2:-}
caller_rc=${3:-}
stat=$results/caller.stat.csv
[[ -s $stat ]] || { echo "summarize.sh: no caller statistics in $results (caller.stat.csv)" >&2; exit 1; }

# What each SIPp failure counter means for these scenarios.
explain() {
    case $1 in
        FailedTestDoesntMatch)   echo "the far end hung up during the menu (menu), or before the caller (abandon)" ;;
        FailedStrcmpDoesntMatch) echo "Asterisk refused the INVITE: 401 (caller not sent from PSTN_TRUNK_HOST), 404, 488 (no RTP port), 503 ..." ;;
        FailedRegexpDoesntMatch) echo "a malformed injection line (digit or dtmf mode)" ;;
        FailedTimeoutOnRecv)     echo "an expected message never came (no 200 OK within 90 s, no CANCEL within 60 s ...)" ;;
        FailedUnexpectedMessage) echo "an unexpected SIP message (see *.errors.log)" ;;
        FailedMaxUDPRetrans)     echo "no answer to a request after every retransmission (Asterisk down or unreachable)" ;;
        FailedOutboundCongestion|FailedCannotSendMessage) echo "SIPp could not send (local congestion)" ;;
        *) echo "see SIPp's documentation and *.errors.log" ;;
    esac
}

# failure_lines STATFILE INDENT: one line per non-zero Failed*(C) counter but the total.
failure_lines() {
    local file=$1 indent=$2 column value
    for column in $(head -n 1 "$file" | tr ';' '\n' | grep -E '^Failed.+\(C\)$' | grep -v '^FailedCall(C)$'); do
        value=$(stat_value "$file" "$column")
        (( ${value:-0} > 0 )) || continue
        printf '%s%6d  %s: %s\n' "$indent" "$value" "${column%(C)}" "$(explain "${column%(C)}")"
    done
}

created=$(stat_value "$stat" 'OutgoingCall(C)')
ok=$(stat_value "$stat" 'SuccessfulCall(C)')
failed=$(stat_value "$stat" 'FailedCall(C)')
open=$(stat_value "$stat" 'CurrentCall')
elapsed=$(stat_value "$stat" 'ElapsedTime(C)')
printf '== caller: %d attempted, %d succeeded, %d failed, %d still open at the end (elapsed %s%s)\n' \
    "${created:-0}" "${ok:-0}" "${failed:-0}" "${open:-0}" "${elapsed:-?}" "${caller_rc:+, sipp exit $caller_rc}"
failure_lines "$stat" "   "

if [[ -s $results/caller.rtt.csv ]]; then
    echo "== response times (ms; answer = INVITE -> 200 OK, info_* = that digit's SIP INFO -> 200 OK):"
    rtt_percentiles "$results/caller.rtt.csv"
fi

uas_failed_total=0
shopt -s nullglob
uas_stats=("$results"/uas-*.stat.csv)
if (( ${#uas_stats[@]} > 0 )); then
    echo "== agencies: calls received / succeeded / failed / open at the end (+ qualify OPTIONS answered), trunks that got calls:"
    idle=0
    for file in "${uas_stats[@]}"; do
        trunk=${file##*/uas-}; trunk=${trunk%.stat.csv}
        # agency-uas.xml answers Asterisk's qualify pings as calls of their own, marked by rtd "qualify".
        pings=$(rtd_count "$file" qualify)
        got=$(stat_value "$file" 'IncomingCall(C)'); got=$(( ${got:-0} - pings ))
        u_ok=$(stat_value "$file" 'SuccessfulCall(C)'); u_ok=$(( ${u_ok:-0} - pings ))
        u_failed=$(stat_value "$file" 'FailedCall(C)'); u_failed=${u_failed:-0}
        u_open=$(stat_value "$file" CurrentCall); u_open=${u_open:-0}
        if (( got == 0 && u_failed == 0 )); then idle=$((idle + 1)); continue; fi
        printf '   %-22s %6d %6d %6d %6d' "$trunk" "$got" "$u_ok" "$u_failed" "$u_open"
        (( pings > 0 )) && printf '   (+%d qualify)' "$pings"
        printf '\n'
        failure_lines "$file" "      "
        uas_failed_total=$(( uas_failed_total + u_failed + u_open ))
    done
    echo "   ($idle trunk(s) got no call)"
fi

verdict=PASS
(( ${failed:-0} == 0 && ${open:-0} == 0 && uas_failed_total == 0 )) || verdict=FAIL
[[ -z $expected || ${created:-0} -eq $expected ]] || { verdict=FAIL; echo "   expected $expected calls, $created were placed (rate limit, -l, or the -timeout bound)"; }
[[ -z $caller_rc || $caller_rc -eq 0 ]] || verdict=FAIL
if [[ ${caller_rc:-0} -eq 255 || ${open:-0} -gt 0 ]]; then
    echo "   the caller stopped at its -timeout bound with calls open: those got no BYE. Asterisk clears"
    echo "   them after rtp_timeout (300 s); check 'asterisk -rx \"core show channels count\"' before the next run"
fi
echo "== $verdict ($results)"
[[ $verdict == PASS ]]
