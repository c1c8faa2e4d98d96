# shellcheck shell=bash
# lib.sh -- shell functions shared by run-load.sh and selfcheck.sh. Source it; it runs nothing.

# require_sipp: stop with a clear message when SIPp is missing or too old for these scenarios
# (named rtd, optional="global", pause variable and -key need 3.x; built and tested with 3.6.1).
require_sipp() {
    if ! command -v sipp >/dev/null 2>&1; then
        echo "$0: sipp is not installed. Install it with: apt-get install -y sip-tester (SIPp 3.6.1)" >&2
        exit 3
    fi
    local version
    version=$(sipp -v 2>&1 | grep -o 'SIPp v[0-9][0-9.]*' | head -n 1)
    case $version in
        "SIPp v3."*) ;;
        *) echo "$0: need SIPp 3.x, found '${version:-unknown}' at $(command -v sipp)" >&2; exit 3 ;;
    esac
}

# can_play_pcap: play_pcap_audio sends RTP through a raw socket, which needs root (CAP_NET_RAW).
can_play_pcap() {
    [[ $(id -u) -eq 0 ]] && [[ -r /usr/share/sip-tester/dtmf_2833_1.pcap ]]
}

# is_loopback ADDRESS: true for a literal loopback address (127.0.0.0/8, ::1, localhost).
# Host names other than localhost are refused on purpose: what a name resolves to can change.
is_loopback() {
    local a=$1
    a=${a#[}; a=${a%]}
    case $a in
        localhost|::1|0:0:0:0:0:0:0:1) return 0 ;;
    esac
    [[ $a =~ ^127\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] || return 1
    local octet
    for octet in "${BASH_REMATCH[@]:1}"; do
        (( 10#$octet <= 255 )) || return 1
    done
}

# split_host_port HOST[:PORT] DEFAULT_PORT -> sets SPLIT_HOST and SPLIT_PORT ([v6]:port accepted).
# shellcheck disable=SC2034  # SPLIT_HOST and SPLIT_PORT are this function's results
split_host_port() {
    local value=$1 default_port=$2
    if [[ $value =~ ^\[([0-9A-Fa-f:.]+)\](:([0-9]+))?$ ]]; then
        SPLIT_HOST=${BASH_REMATCH[1]}; SPLIT_PORT=${BASH_REMATCH[3]:-$default_port}
    elif [[ $value =~ ^([^:]+)(:([0-9]+))?$ ]]; then
        SPLIT_HOST=${BASH_REMATCH[1]}; SPLIT_PORT=${BASH_REMATCH[3]:-$default_port}
    else
        return 1
    fi
    (( SPLIT_PORT >= 1 && SPLIT_PORT <= 65535 ))
}

# stat_value FILE COLUMN: the value of COLUMN in the last line of a SIPp -trace_stat CSV
# (empty when the file or the column is missing). SIPp writes ';'-separated columns.
stat_value() {
    local file=$1 column=$2
    [[ -s $file ]] || return 0
    awk -F';' -v col="$column" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
        { last = $0 }
        END { if (c && last != "") { split(last, f, ";"); print f[c] } }' "$file"
}

# rtd_count FILE RTD: how many samples the named rtd has in a -trace_stat CSV (the sum of its
# ResponseTimeRepartition buckets; SIPp counts nothing else per rtd).
rtd_count() {
    local file=$1 rtd=$2
    [[ -s $file ]] || { echo 0; return 0; }
    awk -F';' -v prefix="ResponseTimeRepartition${rtd}_" '
        NR == 1 { for (i = 1; i <= NF; i++) if (index($i, prefix) == 1) use[i] = 1; next }
        { last = $0 }
        END { n = split(last, f, ";"); s = 0; for (i = 1; i <= n; i++) if (i in use) s += f[i]; print s + 0 }' "$file"
}

# wait_for_calls STATFILE N SECONDS: wait until the SIPp instance writing STATFILE (-fd 1) has
# finished N calls (successful + failed), at most SECONDS. True when it did.
wait_for_calls() {
    local file=$1 want=$2 limit=$3 ok failed deadline
    deadline=$(( $(date +%s) + limit ))
    while (( $(date +%s) <= deadline )); do
        ok=$(stat_value "$file" 'SuccessfulCall(C)'); failed=$(stat_value "$file" 'FailedCall(C)')
        if (( ${ok:-0} + ${failed:-0} >= want )); then return 0; fi
        sleep 0.2
    done
    return 1
}

# stop_sipp PID SECONDS: ask one SIPp we started to quit (SIGINT: it writes its final statistics),
# wait at most SECONDS, then kill it. Only ever the given pid.
stop_sipp() {
    local pid=$1 limit=$2 i
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
    kill -INT "$pid" 2>/dev/null
    for (( i = 0; i < limit * 5; i++ )); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "sipp pid $pid did not stop within ${limit}s; killing it" >&2
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    return 0
}

# rtt_percentiles RTTFILE...: per rtd name, count and p50/p90/p95/p99/max of the response times
# (ms) in SIPp -trace_rtt files (Date_ms;response_time_ms;rtd_no).
rtt_percentiles() {
    local name
    awk -F';' 'FNR > 1 && NF >= 3 { print $3 }' "$@" | sort -u | while read -r name; do
        awk -F';' -v n="$name" 'FNR > 1 && $3 == n { print $2 }' "$@" | sort -n | awk -v n="$name" '
            { v[NR] = $1 }
            function p(q,  i) { i = int(q * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; return v[i] }
            END { if (NR) printf "  %-14s %7d  p50 %6d  p90 %6d  p95 %6d  p99 %6d  max %6d ms\n", n, NR, p(0.50), p(0.90), p(0.95), p(0.99), v[NR] }'
    done
}

# check_callers_csv FILE: the injection file's shape, as the caller scenarios read it:
#   first line SEQUENTIAL|RANDOM|USER, then  caller;language digit;service digit;dtmf mode
# with dtmf mode info|rfc4733|mixed, and for rfc4733 a service digit above the language digit
# (see caller-112-menu.xml). Prints FILE:LINE: error lines; false when any.
check_callers_csv() {
    local file=$1
    [[ -r $file ]] || { echo "$file: cannot read the injection file" >&2; return 1; }
    awk -F';' -v f="$file" '
        function bad(msg) { printf "%s:%d: %s\n", f, NR, msg > "/dev/stderr"; errors++ }
        NR == 1 { if ($0 !~ /^(SEQUENTIAL|RANDOM|USER)$/) bad("first line must be SEQUENTIAL, RANDOM or USER, not \"" $0 "\""); next }
        /^[[:space:]]*$/ { bad("empty line"); next }
        {
            rows++
            if (NF != 4) { bad("expected caller;language digit;service digit;dtmf mode, got " NF " field(s)"); next }
            digits = $1; sub(/^\+/, "", digits)
            if (digits !~ /^[0-9]+$/ || length(digits) < 6 || length(digits) > 15) bad("caller \"" $1 "\" is not a number like +77271234567")
            if ($2 !~ /^[0-9]$/) bad("language digit \"" $2 "\" is not one digit")
            if ($3 !~ /^[0-9]$/) bad("service digit \"" $3 "\" is not one digit")
            if ($4 !~ /^(info|rfc4733|mixed)$/) bad("dtmf mode \"" $4 "\" is not info, rfc4733 or mixed")
            else if ($4 == "rfc4733" && !($3 > $2)) bad("rfc4733 needs a service digit above the language digit (the pcaps are one capture); use mixed or info")
        }
        END { if (!rows && NR) { printf "%s: no caller lines\n", f > "/dev/stderr"; errors++ } exit errors ? 1 : 0 }' "$file"
}

# info_only_csv IN OUT: the same callers with every digit sent as SIP INFO (for hosts where
# play_pcap_audio cannot open its raw socket).
info_only_csv() {
    sed -E '2,$ s/;(rfc4733|mixed)$/;info/' "$1" > "$2"
}

# without_pcap IN OUT: a copy of scenario IN with every play_pcap_audio removed. SIPp opens its
# raw socket at start for any scenario that plays a pcap, so without root such a scenario does
# not start at all; the copy sends no RTP (digits must then go as SIP INFO: info_only_csv).
without_pcap() {
    sed -E 's#<exec play_pcap_audio="[^"]*"/>##' "$1" > "$2"
}

# without_identity_check IN OUT: a copy of agency scenario IN without the lines marked
# "identity-check" (the checks that the agency sees only the engine's "112 <number>" identity).
# Only for the self-check's callers, which call the agency directly with their own identity.
without_identity_check() {
    grep -v 'identity-check' "$1" > "$2"
}
