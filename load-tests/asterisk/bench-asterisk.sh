#!/usr/bin/env bash
# bench-asterisk.sh -- make bench-asterisk: the same call through a real Asterisk by three methods at
# rising call rates, side by side (issue 11, item 3). See README.md, "Benchmark".
#
#   ASTERISK=/opt/asterisk-23 load-tests/asterisk/bench-asterisk.sh
#
# The call: a caller dials 101 -> the fire trunk (fire-almaty-1, SIPp) answers at once -> the caller
# hangs up 2 s later. The methods:
#   dialplan  a pure Dial(PJSIP/fire-almaty-1) extension in the scratch configuration (the ceiling)
#   engine    our engine (`routing run --real`) routing the call through Stasis
#   floor     load-tests/Routing.AriFloor: the bare answer/originate/bridge flow over our ARI transport
#   fallback  (optional) our dialplan's own fallback, no app registered
#   baseline  (optional) another build of the engine (BENCH_ASTERISK_BASELINE_ENGINE), to compare a change
#             with what it replaces in the same run, interleaved with the others
# For each round and method (order rotated per round) Asterisk is restarted, then the rates are climbed
# (each step a bounded SIPp run) until the first step that fails. Then, unless switched off, the
# overload check of item 4: the engine at twice its highest passing rate, numbers printed, never failed.
#
# Opt-in: without an Asterisk prefix (ASTERISK unset or no sbin/asterisk there) it prints one line and
# exits 0. Loopback only. Exit 1 when the run could not be made (not when a step fails: a failing step
# is a measurement), 2 for bad settings, 3 for a missing tool.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
sipp_dir=$repo/load-tests/sipp

skip() { echo "bench-asterisk: SKIPPED — $*"; exit 0; }
die() { echo "bench-asterisk: $*" >&2; exit 2; }
note() { printf 'NOTE %-24s %s\n' "$1" "$2"; }

target=${ASTERISK:-}
[[ -n $target ]] || skip "ASTERISK is not set (make bench-asterisk ASTERISK=<Asterisk install prefix, e.g. /opt/asterisk-23>)"
if [[ -d $target ]]; then
    binary=$target/sbin/asterisk
    [[ -x $binary ]] || skip "no asterisk binary at $binary (ASTERISK=$target)"
elif [[ -f $target && -x $target ]]; then
    binary=$target
else
    skip "no Asterisk at ASTERISK=$target (the benchmark restarts Asterisk, so it needs an install prefix with sbin/asterisk or the binary)"
fi

source "$sipp_dir/lib.sh"
source "$here/lib.sh"
source "$here/scratch.sh"
source "$here/bench-lib.sh"
require_sipp
for tool in sqlite3 curl ss; do
    command -v "$tool" >/dev/null || { echo "bench-asterisk: $tool is missing (apt-get install -y sqlite3 curl iproute2)" >&2; exit 3; }
done

whole() { [[ $2 =~ ^[0-9]+$ ]] && (( 10#$2 > 0 )) || die "$1 must be a positive whole number (got '$2')"; }
CONFIG=${CONFIG:-Release}
rates=${BENCH_ASTERISK_RATES:-10 25 50 75 100 150}
step_seconds=${BENCH_ASTERISK_STEP_SECONDS:-15}
talk_ms=${BENCH_ASTERISK_TALK_MS:-2000}
methods=${BENCH_ASTERISK_METHODS:-dialplan engine floor}
rounds=${BENCH_ASTERISK_ROUNDS:-2}
compare_rate=${BENCH_ASTERISK_COMPARE_RATE:-50}
warmup=${BENCH_ASTERISK_WARMUP_CALLS:-30}
overload=${BENCH_ASTERISK_OVERLOAD:-1}
overload_rate=${BENCH_ASTERISK_OVERLOAD_RATE:-}
transport=${BENCH_ASTERISK_FLOOR_TRANSPORT:-Http}
baseline_engine=${BENCH_ASTERISK_BASELINE_ENGINE:-}
sip_port=${BENCH_ASTERISK_SIP_PORT:-25060}
http_port=${BENCH_ASTERISK_HTTP_PORT:-28088}
ami_port=${BENCH_ASTERISK_AMI_PORT:-25038}
rtp_start=${BENCH_ASTERISK_RTP_START:-20000}
rtp_end=${BENCH_ASTERISK_RTP_END:-24999}
admin_port=${BENCH_ASTERISK_ADMIN_PORT:-9126}
media_base=${BENCH_ASTERISK_MEDIA_BASE:-25500}
trunk_port_prefix=${BENCH_ASTERISK_TRUNK_PORT_PREFIX:-25}
for r in $rates; do whole "a rate of BENCH_ASTERISK_RATES" "$r"; done
for v in step_seconds talk_ms rounds compare_rate sip_port http_port ami_port rtp_start rtp_end admin_port media_base; do whole "$v" "${!v}"; done
[[ $warmup =~ ^[0-9]+$ ]] || die "BENCH_ASTERISK_WARMUP_CALLS must be a whole number (got '$warmup')"
[[ -z $overload_rate ]] || whole BENCH_ASTERISK_OVERLOAD_RATE "$overload_rate"
[[ $trunk_port_prefix =~ ^[1-5]$|^[1-5][0-9]$ ]] || die "BENCH_ASTERISK_TRUNK_PORT_PREFIX must be 1..59 (5xxx -> <prefix>xxx), got '$trunk_port_prefix'"
for m in $methods; do [[ $m =~ ^(dialplan|engine|floor|fallback|baseline)$ ]] || die "unknown method '$m' in BENCH_ASTERISK_METHODS (dialplan, engine, floor, fallback, baseline)"; done
if [[ " $methods " == *" baseline "* ]]; then
    [[ -n $baseline_engine && -x $baseline_engine && -f $baseline_engine.dll ]] \
        || die "method baseline needs BENCH_ASTERISK_BASELINE_ENGINE = the routing binary of another engine build (a copy of engine/Routing.Engine/bin/Release/net10.0, its appsettings.json beside it), got '$baseline_engine'"
fi
(( rounds <= 5 && step_seconds <= 120 && talk_ms <= 60000 )) || die "bounded on purpose: at most 5 rounds, 120 s steps, 60 s calls"
(( $(wc -w <<< "$rates") <= 12 )) || die "at most 12 rates"

started_at=$(date +%s)
work=${BENCH_ASTERISK_RESULTS:-$repo/var/bench-asterisk/$(date -u +%Y%m%dT%H%M%SZ)}
[[ $work == /* ]] || work=$PWD/$work
mkdir -p "$work" || die "cannot create $work"
results=$work/results.tsv
printf '%s\n' "$BENCH_COLUMNS" | tr ' ' '\t' > "$results"

asterisk_pid="" engine_pid="" floor_pid="" agency_pid="" ast_conf=""
cleanup() {
    [[ -n $agency_pid ]] && stop_sipp "$agency_pid" 5
    agency_pid=""
    stop_engine
    # Defined further down: a run refused before it (a port in use) must still exit with its own message.
    [[ $(type -t stop_floor) == function ]] && stop_floor
    scratch_stop
}
trap cleanup EXIT
trap 'echo "bench-asterisk: interrupted" >&2; exit 1' INT TERM

for p in "udp $sip_port" "tcp $http_port" "tcp $ami_port" "tcp $admin_port"; do
    # shellcheck disable=SC2086
    port_free $p || die "port ${p#* } (${p% *}) on this host is in use: set BENCH_ASTERISK_*_PORT (README.md)"
done

# --- the scratch Asterisk: our dialplans, plus the pure Dial() the dialplan method uses ----------
version=$("$binary" -V 2>/dev/null)
echo "== bench-asterisk: $version at $binary; rates $rates calls/s, $step_seconds s each, methods $methods, $rounds round(s); results $work"
echo "   box: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
SCRATCH_VERBOSE=${BENCH_ASTERISK_VERBOSE:-0} scratch_configure
cat >> "$etc/extensions.conf" <<'CONF'

; bench-asterisk.sh: the "dialplan" method, Asterisk alone (the pstn endpoint's context for that ramp).
[bench-dial]
exten => 101,1,Dial(PJSIP/fire-almaty-1,30)
 same => n,Hangup()
CONF
[[ $(grep -c '^context = from-pstn$' "$etc/pjsip.conf") == 1 ]] || die "the rendered pjsip.conf no longer has exactly one 'context = from-pstn' (the pstn endpoint) for the dialplan method to move"
pstn_context() { sed -i -E "s/^context = (from-pstn|bench-dial)$/context = $1/" "$etc/pjsip.conf"; }

declare -A env_value=()
while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] && env_value[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
done < "$env_file"
split_host_port "${env_value[PSTN_TRUNK_HOST]:-}" 5060 && is_loopback "$SPLIT_HOST" || die "PSTN_TRUNK_HOST is not a loopback HOST:PORT"
caller_host=$SPLIT_HOST caller_port=$SPLIT_PORT
split_host_port "${env_value[TRUNK_FIRE_ALMATY_1_HOST]:-}" 5060 && is_loopback "$SPLIT_HOST" || die "TRUNK_FIRE_ALMATY_1_HOST is not a loopback HOST:PORT"
agency_host=$SPLIT_HOST agency_port=$SPLIT_PORT
sip_target=127.0.0.1:$sip_port
ari_url=http://127.0.0.1:$http_port/ari/
ami_host=127.0.0.1

# The same call for every method: no RTP from the caller (the measurement is signalling and
# routing; media would only add SIPp's own load); the agency answers at once and checks no identity
# (the pure Dial() presents the caller's own) - bench-agency.xml.
without_pcap "$sipp_dir/caller-direct.xml" "$work/caller.xml"
cp "$here/bench-agency.xml" "$work/agency.xml"

# --- the apps ---------------------------------------------------------------------------------
engine_bin=$repo/engine/Routing.Engine/bin/$CONFIG/net10.0/routing
floor_bin=$repo/load-tests/Routing.AriFloor/bin/$CONFIG/net10.0/ari-floor
if [[ -z ${BENCH_ASTERISK_NO_BUILD:-} ]]; then
    echo "   building the engine and the ARI floor client ($CONFIG) ..."
    for proj in engine/Routing.Engine/Routing.Engine.csproj load-tests/Routing.AriFloor/Routing.AriFloor.csproj; do
        dotnet build "$repo/$proj" -c "$CONFIG" -nologo -v quiet >> "$work/build.log" 2>&1 \
            || { tail -n 20 "$work/build.log" >&2; echo "bench-asterisk: $proj does not build (log: $work/build.log)" >&2; exit 1; }
    done
fi
[[ -x $engine_bin && -x $floor_bin ]] || die "no engine at $engine_bin or no floor client at $floor_bin (build them, or unset BENCH_ASTERISK_NO_BUILD)"

start_floor() {
    ( cd "$work" && ARI_FLOOR_PASSWORD=$ari_password exec "$floor_bin" --ari-url "$ari_url" --user routing \
        --dial PJSIP/fire-almaty-1 --transport "$transport" >> "$work/floor.log" 2>&1 ) &
    floor_pid=$!
    local i
    for (( i = 0; i < 300; i++ )); do
        kill -0 "$floor_pid" 2>/dev/null || break
        ast_app_registered && return 0
        sleep 0.2
    done
    tail -n 5 "$work/floor.log" >&2
    return 1
}
stop_floor() {
    [[ -n $floor_pid ]] || return 0
    kill -TERM "$floor_pid" 2>/dev/null
    local i
    for (( i = 0; i < 50; i++ )); do kill -0 "$floor_pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$floor_pid" 2>/dev/null && kill -KILL "$floor_pid" 2>/dev/null
    wait "$floor_pid" 2>/dev/null
    floor_pid=""
}

# --- one step ---------------------------------------------------------------------------------
step_no=0
# run_step ROUND METHOD RATE APP_PID [COUNT]: place RATE calls/s for step_seconds (or COUNT calls)
# through the running Asterisk (and app), wait for Asterisk to be empty, measure, append a line to
# results.tsv.
run_step() {
    local round=$1 method=$2 rate=$3 app_pid=$4
    step_no=$((step_no + 1))
    (( step_no <= 99 )) || die "more than 99 steps: the caller numbers (+7727 <step> <call>) would repeat"
    local dir count prefix i
    dir=$work/$(printf '%02d' "$step_no")-$method-$rate
    mkdir -p "$dir"
    count=${5:-$(( rate * step_seconds ))}
    prefix=$(printf '+7727%02d' "$step_no")
    { echo SEQUENTIAL; for (( i = 0; i < count; i++ )); do printf '%s%05d;1;1;info\n' "$prefix" "$i"; done; } > "$dir/callers.csv"
    ( cd "$dir" && exec sipp -sf "$work/agency.xml" -i "$agency_host" -p "$agency_port" -mi "$agency_host" -mp "$((media_base + 10))" \
        -aa -default_behaviors all,-abortunexp -nostdin -timeout "$(( step_seconds + talk_ms / 1000 + 120 ))s" \
        -trace_stat -stf agency.stat.csv -fd 1 -trace_err -error_file agency.errors.log \
        -trace_msg -message_file agency.messages.log > agency.out 2>&1 ) &
    agency_pid=$!
    for (( i = 0; i < 100; i++ )); do [[ -s $dir/agency.stat.csv ]] && break; sleep 0.1; done
    local ast_before app_before ast_after app_after
    ast_before=$(proc_cpu_ticks "/proc/$asterisk_pid/stat")
    app_before=$([[ -n $app_pid ]] && proc_cpu_ticks "/proc/$app_pid/stat")
    ( cd "$dir" && exec sipp "$sip_target" -sf "$work/caller.xml" -s 101 -inf "$dir/callers.csv" \
        -i "$caller_host" -p "$caller_port" -mi "$caller_host" -mp "$media_base" \
        -aa -nostdin -m "$count" -r "$rate" -l "$(( rate * (talk_ms / 1000 + 10) ))" -d "$talk_ms" \
        -timeout "$(( step_seconds + talk_ms / 1000 + 60 ))s" -timeout_error \
        -trace_stat -stf caller.stat.csv -fd 1 -trace_err -error_file caller.errors.log \
        -trace_msg -message_file caller.messages.log > caller.out 2>&1 )
    # Asterisk empties itself (bounded): whatever is still up 20 s after the last caller left stays.
    local concise left_channels left_stasis left_bridges
    for (( i = 0; i < 100; i++ )); do
        ast_cli 'core show channels concise' > "$dir/channels.txt"
        read -r left_channels left_stasis < <(channel_counts "$dir/channels.txt")
        (( left_channels == 0 )) && break
        sleep 0.2
    done
    ast_after=$(proc_cpu_ticks "/proc/$asterisk_pid/stat")
    app_after=$([[ -n $app_pid ]] && proc_cpu_ticks "/proc/$app_pid/stat")
    ast_cli 'bridge show all' > "$dir/bridges.txt"
    left_bridges=$(bridge_count "$dir/bridges.txt")
    stop_sipp "$agency_pid" 5
    agency_pid=""
    local placed ok failed answered bridged lat p50 p99 n ast_cpu app_cpu ast_rss app_rss ledger verdict
    placed=$(stat_value "$dir/caller.stat.csv" 'OutgoingCall(C)'); placed=${placed:-0}
    ok=$(stat_value "$dir/caller.stat.csv" 'SuccessfulCall(C)'); ok=${ok:-0}
    failed=$(stat_value "$dir/caller.stat.csv" 'FailedCall(C)'); failed=${failed:-0}
    answered=$(rtd_count "$dir/caller.stat.csv" answer)
    bridged=$(rtd_count "$dir/agency.stat.csv" answer_to_ack)
    route_latencies "$dir/caller.messages.log" "$dir/agency.messages.log" > "$dir/latencies.txt"
    n=$(wc -l < "$dir/latencies.txt")
    p50=$(percentile 50 < "$dir/latencies.txt"); p99=$(percentile 99 < "$dir/latencies.txt")
    ast_cpu=$(cpu_ms_per_call "$ast_before" "$ast_after" "$placed")
    app_cpu=-; [[ -n $app_pid ]] && app_cpu=$(cpu_ms_per_call "$app_before" "$app_after" "$placed")
    ast_rss=$(proc_rss_peak_mb "/proc/$asterisk_pid/status")
    app_rss=-; [[ -n $app_pid ]] && app_rss=$(proc_rss_peak_mb "/proc/$app_pid/status")
    ledger=-
    [[ $method == engine || $method == baseline ]] && ledger=$(sqlite3 -batch -noheader "$LEDGER_DB" "SELECT count(*) FROM calls WHERE caller_number LIKE '$prefix%';" 2>/dev/null)
    verdict=$(step_verdict "$placed" "$count" "$ok" "$failed" "$answered" "$bridged" "$left_channels" "$left_bridges")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$method" "$rate" "$placed" "$ok" "$failed" \
        "$answered" "$bridged" "$p50" "$p99" "$n" "$ast_cpu" "$app_cpu" "$ast_rss" "$app_rss" "$left_channels" "$left_bridges" "${ledger:--}" \
        "$(printf '%s' "$verdict" | tr -d '\n')" >> "$results"
    printf '   %-8s %4s calls/s: %s placed, %s ok, %s failed, %s put through; route p50/p99 %s/%s ms; CPU/call Asterisk %s ms, app %s ms; left %s ch, %s br -> %s%s\n' \
        "$method" "$rate" "$placed" "$ok" "$failed" "$bridged" "$p50" "$p99" "$ast_cpu" "$app_cpu" "$left_channels" "$left_bridges" "$(tr '\t' ' ' <<< "$verdict")" \
        "$([[ $round == warmup ]] && echo ' (warm-up, not counted)')"
    # The message logs are large at high rates; what the figures came from stays (latencies.txt, stats).
    [[ -n ${BENCH_ASTERISK_KEEP_LOGS:-} ]] || rm -f "$dir/caller.messages.log" "$dir/agency.messages.log"
    STEP_DIR=$dir STEP_PREFIX=$prefix STEP_PLACED=$placed STEP_ANSWERED=$answered STEP_STASIS=$left_stasis STEP_CHANNELS=$left_channels STEP_BRIDGES=$left_bridges
    [[ $verdict == pass ]]
}

# start_method METHOD RAMP_DIR: restart Asterisk for this method and start its app; prints the app's pid.
start_method() {
    local method=$1
    stop_engine; stop_floor; scratch_stop
    if [[ $method == dialplan ]]; then pstn_context bench-dial; else pstn_context from-pstn; fi
    scratch_start || die "Asterisk did not boot within 60 s (logs in $work/log)"
    app_pid=""
    case $method in
        engine|baseline)
            LEDGER_DB=$2/ledger.db
            local this_build=$engine_bin
            [[ $method == baseline ]] && engine_bin=$baseline_engine
            start_engine || die "the $method engine ($engine_bin) did not connect to ARI within 60 s (log: $work/engine.log)"
            engine_bin=$this_build
            app_pid=$engine_pid ;;
        floor)
            start_floor || die "the floor client did not register its Stasis app within 60 s (log: $work/floor.log)"
            app_pid=$floor_pid ;;
    esac
}

declare -A best=()
method_list=($methods)
for (( round = 1; round <= rounds; round++ )); do
    for (( k = 0; k < ${#method_list[@]}; k++ )); do
        method=${method_list[$(( (k + round - 1) % ${#method_list[@]} ))]}
        ramp=$work/round$round-$method
        mkdir -p "$ramp"
        start_method "$method" "$ramp"
        echo "-- round $round, $method (Asterisk restarted, pid $asterisk_pid${app_pid:+, app pid $app_pid})"
        # Not measured: the JIT compiles the app's paths, Asterisk loads what the first calls need.
        (( warmup > 0 )) && { run_step warmup "$method" "${rates%% *}" "$app_pid" "$warmup" || true; }
        for rate in $rates; do
            if run_step "$round" "$method" "$rate" "$app_pid"; then
                (( rate > ${best[$method]:-0} )) && best[$method]=$rate
            else
                break
            fi
        done
        [[ $method == floor ]] && { stop_floor; tail -n 1 "$work/floor.log" | sed 's/^/   /'; }
    done
done
stop_engine; stop_floor

# --- item 4: the engine past what it can carry -------------------------------------------------
if [[ $overload == 1 && " $methods " == *" engine "* ]]; then
    first_rate=${rates%% *}
    rate=${overload_rate:-$(( 2 * ${best[engine]:-$first_rate} ))}
    ramp=$work/overload-engine
    mkdir -p "$ramp"
    start_method engine "$ramp"
    (( warmup > 0 )) && { run_step warmup engine "${rates%% *}" "$app_pid" "$warmup" || true; }
    echo "-- overload (issue 11, item 4): the engine at $rate calls/s, twice its highest passing rate (${best[engine]:-none}); a measurement, never a failure"
    run_step overload engine "$rate" "$app_pid" || true
    unanswered=$(( STEP_PLACED - STEP_ANSWERED ))
    refusals=$(invite_refusals "$STEP_DIR/caller.errors.log")
    no_channel=$(awk '$1 == 488 { print $2 }' <<< "$refusals")
    refused_text=$(refusals_text <<< "$refusals")
    ledger_calls=$(sqlite3 -batch -noheader "$LEDGER_DB" "SELECT count(*) FROM calls WHERE caller_number LIKE '$STEP_PREFIX%';" 2>/dev/null)
    # Per call, its outcomes joined with '+': a call recorded with two outcomes shows as such.
    ledger_outcomes=$(sqlite3 -batch -noheader "$LEDGER_DB" "SELECT outcomes || ' ' || count(*) FROM (
        SELECT coalesce(group_concat(e.detail, '+'), '(no outcome)') AS outcomes FROM calls c
        LEFT JOIN call_events e ON e.call_id = c.call_id AND e.kind = 'outcome' WHERE c.caller_number LIKE '$STEP_PREFIX%'
        GROUP BY c.call_id) GROUP BY outcomes ORDER BY count(*) DESC;" 2>/dev/null | paste -sd, -)
    {
        echo "| overload at $rate calls/s (engine) | measured | wanted |"
        echo "| --- | --- | --- |"
        echo "| callers placed | $STEP_PLACED | |"
        echo "| callers never answered | $unanswered | 0 |"
        echo "| of which refused by Asterisk with a final response to the INVITE (code ×callers; 488: no RTP port left, no channel ever existed) | $refused_text | |"
        echo "| channels left in Stasis 20 s after the last caller | $STEP_STASIS (of $STEP_CHANNELS channels, $STEP_BRIDGES bridges left) | 0 |"
        echo "| calls in the ledger | ${ledger_calls:-0} of $STEP_PLACED (${no_channel:-0} of them refused by Asterisk before a channel existed) | all that reached a channel, each shed one recorded as shed |"
        echo "| ledger outcomes, per call | ${ledger_outcomes:-none} | one per call; shed calls as shed |"
    } > "$work/overload.md"
    sed 's/^/   /' "$work/overload.md"
fi

cleanup
{
    echo "bench-asterisk $(date -u '+%F %H:%M UTC'), $version, $(nproc) cores, load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "rates $rates calls/s, $step_seconds s per step, caller dials 101, fire-almaty-1 answers at once, caller hangs up after $talk_ms ms; floor transport $transport"
    echo
    bench_tables "$results" "$compare_rate"
    [[ -f $work/overload.md ]] && { echo; cat "$work/overload.md"; }
} > "$work/bench-asterisk.md"
mkdir -p "$repo/var/bench-asterisk" && cp "$work/bench-asterisk.md" "$repo/var/bench-asterisk/last.md"
echo
cat "$work/bench-asterisk.md"
echo
echo "bench-asterisk: done in $(( $(date +%s) - started_at )) s (table: var/bench-asterisk/last.md, everything: $work)"
