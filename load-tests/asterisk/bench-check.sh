#!/usr/bin/env bash
# bench-check.sh -- always-on check (make test) of make bench-asterisk without an Asterisk: given none,
# bench-asterisk.sh prints one line saying why it skips and exits 0 without writing anything; and its
# parsing (bench-lib.sh) reads what SIPp and Asterisk really wrote: files recorded from a run on
# 2026-12-06 in tests/fixtures/bench-asterisk (see the README there). Prints PASS/FAIL lines; exit 1
# when a case failed.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
fx=$repo/tests/fixtures/bench-asterisk
# shellcheck source=../sipp/lib.sh
source "$repo/load-tests/sipp/lib.sh"
# shellcheck source=bench-lib.sh
source "$here/bench-lib.sh"
failures=0
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT

expect() { # NAME GOT WANT
    if [[ $2 == "$3" ]]; then printf 'PASS %-38s %s\n' "bench-asterisk-$1" "$2"
    else printf 'FAIL %-38s got [%s], want [%s]\n' "bench-asterisk-$1" "$2" "$3"; failures=$((failures + 1)); fi
}

skip_case() { # NAME ASTERISK_VALUE|-unset- EXPECTED_REASON_TEXT
    local name=$1 value=$2 want=$3 out rc lines
    if [[ $value == -unset- ]]; then
        out=$(cd "$empty" && env -u ASTERISK BENCH_ASTERISK_RESULTS="$empty/results" bash "$here/bench-asterisk.sh" 2>&1); rc=$?
    else
        out=$(cd "$empty" && ASTERISK=$value BENCH_ASTERISK_RESULTS="$empty/results" bash "$here/bench-asterisk.sh" 2>&1); rc=$?
    fi
    lines=$(printf '%s\n' "$out" | grep -c .)
    local verdict=bad
    [[ $rc -eq 0 && $lines -eq 1 && $out == "bench-asterisk: SKIPPED — "*"$want"* && ! -e $empty/results ]] && verdict=skipped
    expect "skip-$name" "$verdict" skipped
    [[ $verdict == skipped ]] || printf '     exit %s, %s line(s), wrote results: %s; output: %s\n' "$rc" "$lines" \
        "$([[ -e $empty/results ]] && echo yes || echo no)" "$out"
}

skip_case unset -unset- "ASTERISK is not set"
skip_case empty "" "ASTERISK is not set"
skip_case no-binary "$empty" "no asterisk binary at $empty/sbin/asterisk"
skip_case not-a-path /nonexistent/asterisk-prefix "no Asterisk at ASTERISK=/nonexistent/asterisk-prefix"

# A port in use refuses the run with its own message, and nothing else (the exit handler once called a function
# defined further down: "stop_floor: command not found" followed the message).
busy_port_case() {
    command -v sipp >/dev/null && command -v python3 >/dev/null || { printf 'NOTE %-38s %s\n' bench-asterisk-busy-port "sipp or python3 missing: not run"; return; }
    local fake=$empty/fake-asterisk port out rc holder
    printf '#!/bin/sh\necho "Asterisk 23.4.1"\n' > "$fake"; chmod +x "$fake"
    port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    python3 -c 'import socket,sys,time; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",int(sys.argv[1]))); time.sleep(30)' "$port" &
    holder=$!
    for _ in $(seq 1 50); do ss -Hlun "sport = :$port" | grep -q . && break; sleep 0.1; done
    out=$(cd "$empty" && ASTERISK=$fake BENCH_ASTERISK_SIP_PORT=$port BENCH_ASTERISK_RESULTS="$empty/busy" bash "$here/bench-asterisk.sh" 2>&1); rc=$?
    kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
    local verdict=bad
    [[ $rc -eq 2 && $out == "bench-asterisk: port $port (udp) on this host is in use"* && $(grep -c . <<< "$out") -eq 1 ]] && verdict=refused
    expect busy-port "$verdict" refused
    [[ $verdict == refused ]] || printf '     exit %s; output: %s\n' "$rc" "$out"
}
busy_port_case

# Route latency: the caller's INVITE leaving SIPp to the agency's INVITE arriving, matched by the
# caller number, from SIPp -trace_msg files of the engine at 10 calls/s (first 40 and 50 messages:
# 10 callers on both sides). The values were computed apart from bench-lib.sh (Python, datetime).
caller_log=$fx/engine-10.caller.messages.log agency_log=$fx/engine-10.agency.messages.log
expect invites-sent "$(sipp_invites "$caller_log" sent | wc -l)" 10
expect invites-sent-first "$(sipp_invites "$caller_log" sent | head -n 1 | cut -f2)" "+77270400000"
expect invites-received "$(sipp_invites "$agency_log" received | wc -l)" 10
expect latencies "$(route_latencies "$caller_log" "$agency_log" | sort -g | paste -sd' ' -)" \
    "10.555 10.732 10.767 11.059 13.593 14.207 15.651 16.707 16.768 17.400"
expect latency-p50 "$(route_latencies "$caller_log" "$agency_log" | percentile 50)" 13.6
expect latency-p99 "$(route_latencies "$caller_log" "$agency_log" | percentile 99)" 17.4
expect latency-none "$(route_latencies "$caller_log" /dev/null | percentile 50)" "-"
# The caller's own responses and the agency's sent messages are no INVITEs received: the agency's
# log read as if it had sent them finds none.
expect invites-direction "$(sipp_invites "$agency_log" sent | wc -l)" 0

# A passing step and a failing one, from SIPp -trace_stat files.
s=$fx/engine-10.caller.stat.csv a=$fx/engine-10.agency.stat.csv
expect stat-pass "$(stat_value "$s" 'OutgoingCall(C)') $(stat_value "$s" 'SuccessfulCall(C)') $(stat_value "$s" 'FailedCall(C)') $(rtd_count "$s" answer) $(rtd_count "$a" answer_to_ack)" \
    "40 40 0 40 40"
expect verdict-pass "$(step_verdict 40 40 40 0 40 40 0 0)" pass
s=$fx/fallback-5.caller.stat.csv a=$fx/fallback-5.agency.stat.csv
placed=$(stat_value "$s" 'OutgoingCall(C)') ok=$(stat_value "$s" 'SuccessfulCall(C)') failed=$(stat_value "$s" 'FailedCall(C)')
expect stat-fail "$placed $ok $failed $(rtd_count "$s" answer) $(rtd_count "$a" answer_to_ack)" "20 0 20 0 0"
expect verdict-fail "$(step_verdict "$placed" 20 "$ok" "$failed" 0 0 0 0)" "$(printf 'fail\t20 failed,0 of 20 successful,0 of 20 put through to the agency')"
expect verdict-leftovers "$(step_verdict 30 30 30 0 30 30 2 1)" "$(printf 'fail\t2 channels left,1 bridges left')"
expect verdict-short "$(step_verdict 29 30 29 0 29 29 0 0)" "$(printf 'fail\tplaced 29 of 30')"

# Callers refused by Asterisk during an overload, from a SIPp -trace_err file: each Call-ID once per code,
# retransmissions and responses to other requests (BYE) left out (counted apart with Python's re).
expect invite-refusals "$(invite_refusals "$fx/overload-100.caller.errors.log" | paste -sd' ' -)" "488 4 603 2"
expect invite-refusals-none "$(invite_refusals /nonexistent/errors.log | wc -l)" 0
expect refusals-text "$(invite_refusals "$fx/overload-100.caller.errors.log" | refusals_text)" "488 ×4, 603 ×2"
# An overload with no refusal (150 calls/s on 7 December) printed " × " before.
expect refusals-text-none "$(invite_refusals /nonexistent/errors.log | refusals_text)" none
expect refusals-text-empty-line "$(refusals_text <<< "")" none

# CPU and memory of a process, from /proc/<pid>/stat and /status recorded of a scratch Asterisk.
expect cpu-ticks "$(proc_cpu_ticks "$fx/asterisk.proc-stat")" 245
sed 's/(asterisk)/(ari floor) x)/' "$fx/asterisk.proc-stat" > "$empty/spaced-stat"
expect cpu-ticks-spaced-name "$(proc_cpu_ticks "$empty/spaced-stat")" 245
expect cpu-ticks-gone "$(proc_cpu_ticks /proc/nonexistent/stat)" 0
expect cpu-per-call "$(cpu_ms_per_call 100 250 50 100)" 30.00
expect cpu-per-call-none "$(cpu_ms_per_call 100 250 0 100)" "-"
expect rss-peak "$(proc_rss_peak_mb "$fx/asterisk.proc-status")" 58
expect rss-peak-gone "$(proc_rss_peak_mb /proc/nonexistent/status)" "-"

# What Asterisk holds afterwards, from its CLI.
# What Asterisk holds, from its CLI during a step: 12 of the pure Dial()'s channels (none in Stasis)
# with 7 of its basic bridges, and 12 of the engine's callers in Stasis with 7 of its stasis bridges.
expect channels-dialplan "$(channel_counts "$fx/dialplan.core-show-channels-concise.txt")" "12 0"
expect bridges-dialplan "$(bridge_count "$fx/dialplan.bridge-show-all.txt")" 7
expect channels-engine "$(channel_counts "$fx/engine.core-show-channels-concise.txt")" "12 12"
expect bridges-engine "$(bridge_count "$fx/engine.bridge-show-all.txt")" 7
expect channels-none "$(channel_counts /dev/null)" "0 0"
expect bridges-none "$(printf 'Bridge-ID                            Name                                 Chans Type            Technology      Duration\n' > "$empty/b"; bridge_count "$empty/b")" 0

# The report from a results file of a short run (5 and 10 calls/s, 4 s steps).
report=$(bench_tables "$fx/results.tsv" 10)
expect report-highest-dialplan "$(grep -c '^| dialplan | 10 (no failure up to the last rate) |$' <<< "$report")" 1
expect report-highest-fallback "$(grep -c '^| fallback | none (failed at 5) |$' <<< "$report")" 1
expect report-overload-not-a-ramp "$(grep -c '^| engine | 10 (no failure up to the last rate) |$' <<< "$report")" 1
expect report-compare "$(grep '^| floor | yes |' <<< "$report")" "| floor | yes | 6.3 / 15.7 ms | 8.25 ms | 18.75 ms |"
expect report-step-fail "$(grep -c '| 1 | fallback | 5 | 20 | 0 / 20 | 0 |.*| FAIL: 20 failed' <<< "$report")" 1
(( failures == 0 ))
