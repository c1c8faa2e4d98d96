#!/usr/bin/env bash
# selfcheck.sh -- proves, without Asterisk, that every scenario here is valid SIPp XML and that
# the message flows fit together: each caller scenario runs against agency-uas.xml (a small UAS
# that answers, accepts INFO, re-INVITE and BYE from either side), and the agency scenarios run
# against selfcheck/originate-*.xml, which play Asterisk's side of an originated leg.
# Everything is on 127.0.0.1; every SIPp run is bounded by -m and -timeout.
#
#   load-tests/sipp/selfcheck.sh [--keep]
#
# It also runs run-load.sh end to end (its caller pointed at one of its own agencies, since there
# is no Asterisk) and checks that it refuses a target that is not loopback.
#
# Exit 0 when every case ends as expected, 1 when one does not (its logs are kept and named),
# 3 when sipp is missing. SELFCHECK_ONLY=<regex> runs only the cases whose name matches.
# UDP ports: SELFCHECK_BASE_PORT (default 35060) +1, +10, +21, +31..+33 for SIP, and media from
# SELFCHECK_MEDIA_BASE (32000): outside the RTP range of our rtp.conf (10000-30000) and every port of
# test-asterisk (SIP 15xxx, media 31500+) and bench-asterisk (25xxx), so `make test` can run beside either.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"
require_sipp

keep=0
[[ ${1:-} == --keep ]] && keep=1
base=${SELFCHECK_BASE_PORT:-35060}
uas_port=$((base + 10)); uac_port=$((base + 1))
# Media above test-asterisk's SIPp range (31510 + 10 per trunk and desk phone, past 31800 with today's env), so
# the two can run at the same time (they collided on 31800 once).
media_base=${SELFCHECK_MEDIA_BASE:-32000}
uas_media=$media_base; uac_media=$((media_base + 10))
bound=30   # seconds: the hard limit of every single SIPp run below

work=$(mktemp -d "${TMPDIR:-/tmp}/sipp-selfcheck.XXXXXX")
failures=0

check_callers_csv "$here/callers.csv" || { echo "selfcheck: callers.csv is invalid" >&2; exit 1; }
callers=$here/callers.csv
# Callers by scenario name; without root they are copies that play no pcap (see can_play_pcap).
declare -A caller_xml=()
for name in caller-112-menu caller-direct caller-abandon caller-silent; do
    caller_xml[$name]=$here/$name.xml
done
if ! can_play_pcap; then
    echo "note: not root, so SIPp cannot open the raw socket play_pcap_audio needs: the callers send"
    echo "      no RTP (no speech, no RFC 4733) and every digit as SIP INFO"
    info_only_csv "$here/callers.csv" "$work/callers-info.csv"
    callers=$work/callers-info.csv
    for name in "${!caller_xml[@]}"; do
        without_pcap "$here/$name.xml" "$work/$name.xml"
        caller_xml[$name]=$work/$name.xml
    done
fi

# run_case NAME EXPECT CALLS UAS_SCENARIO "UAS ARGS" UAC_SCENARIO "UAC ARGS"
#   EXPECT: ok                   every call succeeds on both sides
#           caller-fails:REASON  every call fails on the caller's side, counted in SIPp's statistics
#                                column REASON(C), and succeeds on the UAS
#           agency-fails:REASON  every call fails on the UAS (the agency) for REASON; whatever the
#                                caller side (it plays Asterisk) makes of being hung up on
run_case() {
    local name=$1 expect=$2 calls=$3 uas_xml=$4 uas_args=$5 uac_xml=$6 uac_args=$7
    local dir=$work/$name uas_pid uac_rc verdict
    [[ $name =~ ${SELFCHECK_ONLY:-.} ]] || return 0
    mkdir -p "$dir"
    # shellcheck disable=SC2086  # the argument strings are word lists on purpose
    ( cd "$dir" && exec sipp -sf "$uas_xml" -i 127.0.0.1 -p "$uas_port" -mi 127.0.0.1 -mp "$uas_media" \
        -aa -nostdin -timeout "${bound}s" \
        -trace_stat -stf uas.stat.csv -fd 1 -trace_err -error_file uas.errors.log \
        -trace_msg -message_file uas.messages.log $uas_args >uas.out 2>&1 ) &
    uas_pid=$!
    # SIPp writes the statistics header once its sockets are bound: wait for that, not a fixed time.
    local i
    for (( i = 0; i < 50; i++ )); do
        [[ -s $dir/uas.stat.csv ]] && break
        kill -0 "$uas_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [[ ! -s $dir/uas.stat.csv ]]; then
        echo "FAIL $name: the UAS did not start (port $uas_port busy?):"; tail -n 5 "$dir/uas.out"
        stop_sipp "$uas_pid" 5; failures=$((failures + 1)); return
    fi

    # shellcheck disable=SC2086
    ( cd "$dir" && exec sipp "127.0.0.1:$uas_port" -sf "$uac_xml" -i 127.0.0.1 -p "$uac_port" -mi 127.0.0.1 -mp "$uac_media" \
        -aa -m "$calls" -r 10 -l "$calls" -nostdin -timeout "${bound}s" -timeout_error \
        -trace_stat -stf uac.stat.csv -fd 1 -trace_err -error_file uac.errors.log \
        -trace_msg -message_file uac.messages.log -trace_rtt -rtt_freq 1 $uac_args >uac.out 2>&1 )
    uac_rc=$?
    wait_for_calls "$dir/uas.stat.csv" "$calls" 10
    stop_sipp "$uas_pid" 5

    local uac_ok uac_failed uas_ok uas_failed
    uac_ok=$(stat_value "$dir/uac.stat.csv" 'SuccessfulCall(C)'); uac_failed=$(stat_value "$dir/uac.stat.csv" 'FailedCall(C)')
    uas_ok=$(stat_value "$dir/uas.stat.csv" 'SuccessfulCall(C)'); uas_failed=$(stat_value "$dir/uas.stat.csv" 'FailedCall(C)')
    case $expect in
        ok)           [[ $uac_rc -eq 0 && ${uac_ok:-0} -eq $calls && ${uac_failed:-1} -eq 0 && ${uas_ok:-0} -eq $calls && ${uas_failed:-1} -eq 0 ]] ;;
        caller-fails:*)
            local reason_count
            reason_count=$(stat_value "$dir/uac.stat.csv" "${expect#caller-fails:}(C)")
            [[ $uac_rc -eq 1 && ${uac_failed:-0} -eq $calls && ${reason_count:-0} -eq $calls && ${uas_ok:-0} -eq $calls && ${uas_failed:-1} -eq 0 ]] ;;
        agency-fails:*)
            local reason_count
            reason_count=$(stat_value "$dir/uas.stat.csv" "${expect#agency-fails:}(C)")
            [[ ${uas_failed:-0} -eq $calls && ${reason_count:-0} -eq $calls && ${uas_ok:-1} -eq 0 ]] ;;
    esac && verdict=PASS || verdict=FAIL
    printf '%s %-28s expect %-40s caller: %s ok %s failed (sipp rc %s)   uas: %s ok %s failed\n' \
        "$verdict" "$name" "$expect" "${uac_ok:-?}" "${uac_failed:-?}" "$uac_rc" "${uas_ok:-?}" "${uas_failed:-?}"
    if [[ $verdict == FAIL ]]; then
        failures=$((failures + 1))
        local f
        for f in "$dir"/uac.errors.log "$dir"/uas.errors.log "$dir"/uac.out "$dir"/uas.out; do
            [[ -s $f ]] && { echo "  --- $f"; tail -n 8 "$f" | sed 's/^/  /'; }
        done
    fi
}

S=$here
agency="-key ring_ms 100 -key talk_ms 60000"
# The callers below call an agency directly, with their own identity (no Asterisk presents the
# engine's "112 <number>"): they use a copy of agency-uas.xml without the identity checks, which
# the agency cases at the end prove on their own.
without_identity_check "$here/agency-uas.xml" "$work/agency-uas-any-identity.xml"
uas_any=$work/agency-uas-any-identity.xml
menu_keys="-key lang_wait_ms 300 -key service_wait_ms 300"

# Callers against an agency that answers and waits for the caller's BYE.
# As root, also watch loopback for the RFC 4733 events the callers play towards the UAS.
sniffer_pid=""
if can_play_pcap && command -v python3 >/dev/null 2>&1 && [[ menu-digits-all-modes =~ ${SELFCHECK_ONLY:-.} ]]; then
    python3 "$S/selfcheck/rtp-events.py" "$uas_media" 60 >"$work/rtp-events.txt" 2>&1 &
    sniffer_pid=$!
    for (( i = 0; i < 50; i++ )); do grep -q listening "$work/rtp-events.txt" 2>/dev/null && break; sleep 0.1; done
fi
run_case menu-digits-all-modes ok 6 "$uas_any" "$agency" \
    "${caller_xml[caller-112-menu]}" "-s 112 -inf $callers $menu_keys -d 1000"
if [[ -n $sniffer_pid ]]; then
    kill -TERM "$sniffer_pid" 2>/dev/null; wait "$sniffer_pid"
    want=$(awk -F';' 'NR > 1 && NR <= 7 { if ($4 == "rfc4733") print $2 "\n" $3; else if ($4 == "mixed") print $2 }' "$callers" | sort | tr '\n' ' ')
    got=$(grep -E '^[0-9]+$' "$work/rtp-events.txt" | sort | tr '\n' ' ')
    if [[ $want == "$got" ]]; then
        printf 'PASS %-28s RFC 4733 events sent: %s\n' menu-digits-all-modes-rtp "$got"
    else
        printf 'FAIL %-28s RFC 4733 events sent: %s; the injection file asks for: %s\n' menu-digits-all-modes-rtp "${got:-none}" "$want"
        failures=$((failures + 1))
    fi
fi
# The INFO digits that reached the UAS must be exactly those the injection lines ask for
# (info: language and service digit; mixed: service digit; rfc4733: none).
check_info_digits() {
    local name=$1 csv=$2 calls=$3 want got
    [[ $name =~ ${SELFCHECK_ONLY:-.} ]] || return 0
    want=$(awk -F';' -v n="$calls" 'NR > 1 && NR <= n + 1 {
        if ($4 == "info") print $2 "\n" $3; else if ($4 == "mixed") print $3 }' "$csv" | sort | tr '\n' ' ')
    got=$(grep -o '^Signal=[0-9]' "$work/$name/uas.messages.log" 2>/dev/null | cut -d= -f2 | sort | tr '\n' ' ')
    if [[ $want == "$got" ]]; then
        printf 'PASS %-28s INFO digits received: %s\n' "$name-digits" "${got:-none}"
    else
        printf 'FAIL %-28s INFO digits received: %s; the injection file asks for: %s\n' "$name-digits" "${got:-none}" "$want"
        failures=$((failures + 1))
    fi
}
check_info_digits menu-digits-all-modes "$callers" 6
run_case direct-102 ok 3 "$uas_any" "$agency" \
    "${caller_xml[caller-direct]}" "-s 102 -inf $callers -d 1000"
run_case abandon-in-menu ok 3 "$uas_any" "$agency" \
    "${caller_xml[caller-abandon]}" "-s 112 -inf $callers -key abandon_ms 500"
run_case silent ok 3 "$uas_any" "$agency" \
    "${caller_xml[caller-silent]}" "-s 112 -inf $callers -d 1500"

# The far end hangs up first: fine while talking, a failure during the menu.
run_case direct-agency-hangs-up ok 3 "$uas_any" "-key ring_ms 100 -key talk_ms 500" \
    "${caller_xml[caller-direct]}" "-s 103 -inf $callers -d 10000"
run_case silent-calltaker-hangs-up ok 3 "$uas_any" "-key ring_ms 100 -key talk_ms 500" \
    "${caller_xml[caller-silent]}" "-s 112 -inf $callers -d 10000"
run_case menu-hung-up-in-menu caller-fails:FailedTestDoesntMatch 3 "$uas_any" "-key ring_ms 100 -key talk_ms 300" \
    "${caller_xml[caller-112-menu]}" "-s 112 -inf $callers -key lang_wait_ms 3000 -key service_wait_ms 300 -d 1000"
run_case abandon-hung-up-first caller-fails:FailedTestDoesntMatch 3 "$uas_any" "-key ring_ms 100 -key talk_ms 300" \
    "${caller_xml[caller-abandon]}" "-s 112 -inf $callers -key abandon_ms 3000"

# Asterisk refuses the INVITE (here: a busy UAS answering 486): ACKed, counted as failed.
run_case direct-refused-486 caller-fails:FailedStrcmpDoesntMatch 3 "$S/agency-busy.xml" "" \
    "${caller_xml[caller-direct]}" "-s 101 -inf $callers -d 1000"
# A malformed injection line fails its call (the scenario checks what it reads).
printf 'SEQUENTIAL\n+77271234567;1;2;tones\n+77171234567;x;2;info\n' > "$work/bad-callers.csv"
run_case menu-bad-injection-line caller-fails:FailedRegexpDoesntMatch 2 "$uas_any" "$agency" \
    "${caller_xml[caller-112-menu]}" "-s 112 -inf $work/bad-callers.csv $menu_keys -d 500"

# Agencies, with Asterisk's side played by selfcheck/originate-*.xml.
run_case agency-busy ok 3 "$S/agency-busy.xml" "" \
    "$S/selfcheck/originate-busy.xml" "-s police-almaty-1"
run_case agency-noanswer ok 3 "$S/agency-noanswer.xml" "" \
    "$S/selfcheck/originate-noanswer.xml" "-s fire-astana-1 -key cancel_after_ms 500"
run_case agency-uas-cancelled ok 3 "$S/agency-uas.xml" "-key ring_ms 5000 -key talk_ms 60000" \
    "$S/selfcheck/originate-noanswer.xml" "-s ambulance-shymkent-1 -key cancel_after_ms 300"
run_case agency-uas-qualify ok 3 "$S/agency-uas.xml" "$agency" \
    "$S/selfcheck/originate-options.xml" "-s calltakers-1"
run_case agency-busy-qualify ok 2 "$S/agency-busy.xml" "" \
    "$S/selfcheck/originate-options.xml" "-s police-almaty-1"
run_case agency-noanswer-qualify ok 2 "$S/agency-noanswer.xml" "" \
    "$S/selfcheck/originate-options.xml" "-s fire-astana-1"
run_case agency-uas-info-reinvite ok 3 "$S/agency-uas.xml" "$agency" \
    "$S/selfcheck/originate-reinvite.xml" "-s gas-almaty-2"
# The agency sees the engine's identity for the whole call (issue 6, defect 1): a re-INVITE and an
# UPDATE that repeat it pass; one carrying the caller's own or a hostile identity (HTML, RTL
# override, emoji, SQL, a quote in the user part, a plain other name) fails the call.
run_case agency-identity-kept ok 1 "$S/agency-uas.xml" "$agency" \
    "$S/selfcheck/originate-identity.xml" "-s police-almaty-1 -inf $S/selfcheck/identities-clean.csv"
run_case agency-identity-hostile agency-fails:FailedStrcmpDoesntMatch 7 "$S/agency-uas.xml" "$agency" \
    "$S/selfcheck/originate-identity.xml" "-s police-almaty-1 -inf $S/selfcheck/identities-hostile.csv"
run_case agency-identity-raw-invite agency-fails:FailedRegexpDoesntMatch 3 "$S/agency-uas.xml" "$agency" \
    "$S/selfcheck/originate-identity.xml" "-s police-almaty-1 -inf $S/selfcheck/identities-raw-invite.csv"

# run-load.sh itself, end to end: its agencies, its caller, its summary. Without Asterisk the
# caller is pointed straight at one of the agencies it started.
run_load_case() {
    local name=$1 want_rc=$2 want_text=$3; shift 3
    local dir=$work/$name rc
    [[ $name =~ ${SELFCHECK_ONLY:-.} ]] || return 0
    mkdir -p "$dir"
    "$here/run-load.sh" --env "$work/env.selfcheck" --results "$dir/results" "$@" >"$dir/run-load.out" 2>&1
    rc=$?
    if [[ $rc -eq $want_rc ]] && grep -qF -- "$want_text" "$dir/run-load.out"; then
        printf 'PASS %-28s run-load.sh exit %s, printed "%s"\n' "$name" "$rc" "$want_text"
    else
        printf 'FAIL %-28s run-load.sh exit %s (want %s), "%s" %s\n' "$name" "$rc" "$want_rc" "$want_text" \
            "$(grep -qF -- "$want_text" "$dir/run-load.out" && echo printed || echo 'not printed')"
        tail -n 15 "$dir/run-load.out" | sed 's/^/  /'
        failures=$((failures + 1))
    fi
}
cat > "$work/env.selfcheck" <<ENV
# Addresses for run-load.sh in the selfcheck (dialplans/env.example's format).
SIP_BIND=127.0.0.1:$((base + 30))
PSTN_TRUNK_HOST=127.0.0.1:$((base + 21))
TRUNK_POLICE_ALMATY_1_HOST=127.0.0.1:$((base + 31))
TRUNK_FIRE_ALMATY_1_HOST=127.0.0.1:$((base + 32))
TRUNK_CALLTAKERS_1_HOST=127.0.0.1:$((base + 33))
ENV
load_flags=()
can_play_pcap || load_flags=(--info-only)
run_load_case run-load-menu 0 "police-almaty-1             4      4      0      0" "${load_flags[@]}" --no-identity-check \
    --target "127.0.0.1:$((base + 31))" --scenario menu -m 4 -r 4 --hold 1 --lang-wait-ms 300 --service-wait-ms 300 --ring-ms 100
run_load_case run-load-refused-busy 1 "FailedStrcmpDoesntMatch" \
    --target "127.0.0.1:$((base + 32))" --busy fire-almaty-1 --scenario direct -m 2 -r 2 --hold 1
run_load_case run-load-not-loopback 2 "refusing to send SIP/RTP" \
    --target 192.0.2.1:5060 -m 1

if (( failures > 0 )); then
    echo "selfcheck: $failures case(s) failed; logs kept in $work" >&2
    exit 1
fi
if (( keep )); then echo "logs in $work"; else rm -rf "$work"; fi
echo "selfcheck: all cases passed"
