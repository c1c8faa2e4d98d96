#!/usr/bin/env bash
# test-asterisk.sh -- the opt-in suite that plays real SIP calls through a real Asterisk running
# our dialplans and the routing engine (make test-asterisk ASTERISK=...). See README.md.
#
#   ASTERISK=/opt/asterisk-23  load-tests/asterisk/test-asterisk.sh     an install prefix (or its sbin/asterisk)
#   ASTERISK=127.0.0.1:5060    load-tests/asterisk/test-asterisk.sh     an Asterisk already running our dialplans
#
# With a prefix it renders dialplans/ (dialplans/install.sh) into a SCRATCH configuration under
# var/test-asterisk/<time>/ and starts that Asterisk with its own run/log/spool/lib directories on
# loopback ports that nothing else uses (SIP 15060, HTTP/ARI 18088, AMI 15038, RTP 30000-30999); it
# never reads or writes the system's /etc/asterisk, and it stops that Asterisk at the end, even on
# failure. With a running instance's SIP address it uses that Asterisk as it is (see README.md).
# Either way it starts the engine (`routing run --real`, a scratch ledger), one SIPp per agency
# trunk, and SIPp callers through the main call paths, then checks SIPp's results, what the
# agencies received, the ledger (sqlite3) and that Asterisk has no channel left.
#
# Without an Asterisk (ASTERISK unset, or no asterisk binary there) it prints one line saying why it
# skips and exits 0. Exit 1 when a check failed, 2 for bad settings, 3 when a tool it needs is missing.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
sipp_dir=$repo/load-tests/sipp

skip() { echo "test-asterisk: SKIPPED — $*"; exit 0; }
die() { echo "test-asterisk: $*" >&2; exit 2; }

# --- which Asterisk ------------------------------------------------------------------------
target=${ASTERISK:-}
[[ -n $target ]] || skip "ASTERISK is not set (make test-asterisk ASTERISK=<Asterisk install prefix, e.g. /opt/asterisk-23>)"
binary="" running_sip=""
if [[ -d $target ]]; then
    binary=$target/sbin/asterisk
    [[ -x $binary ]] || skip "no asterisk binary at $binary (ASTERISK=$target)"
elif [[ -f $target ]]; then
    [[ -x $target ]] || skip "ASTERISK=$target is not executable"
    binary=$target
elif [[ $target =~ ^[^/]+:[0-9]+$ ]]; then
    running_sip=$target
else
    skip "no Asterisk at ASTERISK=$target (not an install prefix with sbin/asterisk, an asterisk binary, or HOST:PORT of a running one)"
fi

# --- from here on an Asterisk was asked for: anything missing is an error ------------------
source "$sipp_dir/lib.sh"
source "$here/lib.sh"
source "$here/scratch.sh"
require_sipp
command -v sqlite3 >/dev/null || { echo "test-asterisk: sqlite3 is missing (apt-get install -y sqlite3): the ledger checks need it" >&2; exit 3; }
command -v curl >/dev/null || { echo "test-asterisk: curl is missing (apt-get install -y curl)" >&2; exit 3; }
can_play_pcap || { echo "test-asterisk: run as root: the callers send RFC 4733 digits and speech with play_pcap_audio (raw socket)" >&2; exit 3; }

CONFIG=${CONFIG:-Release}
sip_port=${TEST_ASTERISK_SIP_PORT:-15060}
http_port=${TEST_ASTERISK_HTTP_PORT:-18088}
ami_port=${TEST_ASTERISK_AMI_PORT:-15038}
rtp_start=${TEST_ASTERISK_RTP_START:-30000}
rtp_end=${TEST_ASTERISK_RTP_END:-30999}
admin_port=${TEST_ASTERISK_ADMIN_PORT:-19112}
# SIPp's own media ports: above Asterisk's RTP range, below Linux's ephemeral ports (32768+).
media_base=${TEST_ASTERISK_MEDIA_BASE:-31500}

# Case groups (TEST_ASTERISK_CASES, space- or comma-separated; default: all of them). A group runs its calls and
# checks; the engine stops and restarts where the full run does it, so a group sees the engine as it would there.
all_groups="direct centre video deadman fallback text menu"
cases=${TEST_ASTERISK_CASES:-$all_groups}
cases=${cases//,/ }
for g in $cases; do
    [[ " $all_groups " == *" $g "* ]] || die "TEST_ASTERISK_CASES: unknown group '$g' (groups: $all_groups)"
done
want() { [[ " $cases " == *" $1 "* ]]; }

started_at=$(date +%s)
work=${TEST_ASTERISK_RESULTS:-$repo/var/test-asterisk/$(date -u +%Y%m%dT%H%M%SZ)}
[[ $work == /* ]] || work=$PWD/$work
mkdir -p "$work" || die "cannot create $work"
LEDGER_DB=$work/ledger.db

asterisk_pid="" engine_pid="" ast_conf=""
declare -A uas_pid=() calltaker_port=() uas_addr=() uas_media=()
passed=0 failed=0

pass() { passed=$((passed + 1)); printf 'PASS %-34s %s\n' "$1" "$2"; }
fail() { failed=$((failed + 1)); printf 'FAIL %-34s %s\n' "$1" "$2"; }
note() { printf 'NOTE %-34s %s\n' "$1" "$2"; }

stop_asterisk() { scratch_stop; }

cleanup() {
    local t
    stop_engine
    [[ -n ${text_desk_pid:-} ]] && stop_sipp "$text_desk_pid" 5
    for t in "${!uas_pid[@]}"; do stop_sipp "${uas_pid[$t]}" 5; done
    uas_pid=()
    stop_asterisk
}
trap cleanup EXIT
trap 'echo "test-asterisk: interrupted" >&2; exit 1' INT TERM

# --- configuration -------------------------------------------------------------------------
if [[ -n $binary ]]; then
    version=$("$binary" -V 2>/dev/null)
    echo "== real-Asterisk suite: $version at $binary; scratch $work"
    [[ $version == "Asterisk 23."* ]] || note asterisk-version "written against Asterisk 23.4.1; this is '$version'"
    for p in "udp $sip_port" "tcp $http_port" "tcp $ami_port" "tcp $admin_port"; do
        # shellcheck disable=SC2086
        port_free $p || die "port ${p#* } (${p% *}) on this host is in use: set TEST_ASTERISK_*_PORT (README.md)"
    done
    trunk_port_prefix=${TEST_ASTERISK_TRUNK_PORT_PREFIX:-15}
    # calltaker-11 (group police, where SOS calls queue) is the video group's SOS desk; nobody logs in to it elsewhere.
    calltaker_port=([calltaker-1]=${trunk_port_prefix}091 [calltaker-2]=${trunk_port_prefix}092 [calltaker-11]=${trunk_port_prefix}093)
    [[ $trunk_port_prefix =~ ^[1-5]$|^[1-5][0-9]$ ]] || die "TEST_ASTERISK_TRUNK_PORT_PREFIX=$trunk_port_prefix: want 1-59 (5xxx ports become <prefix>xxx)"
    scratch_configure
    # The centre's desk phones: calltaker-1 answers (agency-uas.xml), calltaker-2 rings and never
    # answers (agency-noanswer.xml). Instead of a REGISTER each AOR gets a static contact at its SIPp;
    # qualify (OPTIONS, answered by both) makes the endpoint reachable, which is what the centre asks.
    for ct in "${!calltaker_port[@]}"; do
        sed -i "/^\[$ct\](calltaker-aor)\$/a contact = sip:$ct@127.0.0.1:${calltaker_port[$ct]}" "$etc/pjsip.conf"
        grep -q "^contact = sip:$ct@127.0.0.1:${calltaker_port[$ct]}$" "$etc/pjsip.conf" \
            || die "the rendered pjsip.conf has no [$ct](calltaker-aor) section for the scratch call-taker's contact"
    done
    scratch_start || die "Asterisk did not boot within 60 s (logs in $work/log)"
    echo "   booted: $(ast_cli 'module show' | tail -n 1)"
    # The dialplan's modules (dialplans/needed-modules.txt): a required one missing fails the suite here,
    # by name, instead of as callers refused minutes later; an optional one fails its own check.
    missing_modules=$(scratch_missing_modules)
    if grep -qE '^[^ ]* (required|unanswered) ' <<< "$missing_modules"; then
        die "this Asterisk lacks module(s) the dialplan needs (dialplans/needed-modules.txt):
$(grep -E '^[^ ]* (required|unanswered) ' <<< "$missing_modules")"
    fi
    if [[ -n $missing_modules ]]; then fail asterisk-modules "optional module(s) not loaded: $missing_modules"
    else pass asterisk-modules "every module of dialplans/needed-modules.txt is loaded"
    fi
    sip_target=127.0.0.1:$sip_port
    ari_url=http://127.0.0.1:$http_port/ari/
    ami_host=127.0.0.1
else
    # A running Asterisk with our dialplans installed from ROUTING_ENV_FILE (the trunk addresses
    # and both passwords); ARI and AMI where http.conf/manager.conf put them (defaults below).
    env_file=${ROUTING_ENV_FILE:-}
    [[ -n $env_file && -r $env_file ]] || die "ASTERISK=$running_sip is a running Asterisk: set ROUTING_ENV_FILE to the env file its dialplans were installed from"
    split_host_port "$running_sip" 5060 || die "ASTERISK=$running_sip is not HOST:PORT"
    is_loopback "$SPLIT_HOST" || die "ASTERISK=$running_sip is not a loopback address: this suite only runs on 127.0.0.1"
    sip_target=$SPLIT_HOST:$SPLIT_PORT
    ari_url=${TEST_ASTERISK_ARI_URL:-http://$SPLIT_HOST:8088/ari/}
    ami_host=$SPLIT_HOST ami_port=${TEST_ASTERISK_AMI_PORT:-5038}
    ari_password=$(sed -nE 's/^ROUTING_ARI_PASSWORD=//p' "$env_file" | tail -n 1)
    ami_password=$(sed -nE 's/^ROUTING_AMI_PASSWORD=//p' "$env_file" | tail -n 1)
    echo "== real-Asterisk suite against the running Asterisk at $sip_target (ARI $ari_url); results $work"
fi

curl -sf -u "routing:$ari_password" "${ari_url}asterisk/info" > "$work/ari-info.json" \
    || die "ARI at ${ari_url} does not answer user routing (see $work/log/messages.log)"

# --- the agencies: one SIPp UAS per trunk of the env file -----------------------------------
declare -A env_value=()
while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^[[:space:]]*([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] && env_value[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
done < "$env_file"
split_host_port "${env_value[PSTN_TRUNK_HOST]:-}" 5060 || die "$env_file has no PSTN_TRUNK_HOST"
caller_host=$SPLIT_HOST caller_port=$SPLIT_PORT
is_loopback "$caller_host" || die "PSTN_TRUNK_HOST $caller_host is not loopback"
# The one trunk that is always busy: the busy-primary case calls 102 from Astana.
busy_trunk=police-astana-1
media=$((media_base + 10))
# start_agency TRUNK [SCENARIO]: the trunk's SIPp UAS on its address and media port (agency-uas.xml unless told;
# the video group restarts police-almaty-1 with desk-video-uas.xml). Its logs are rewritten at each start.
start_agency() {
    local trunk=$1 xml=${2:-$sipp_dir/agency-uas.xml}
    ( cd "$work" && exec sipp -sf "$xml" -i "${uas_addr[$trunk]% *}" -p "${uas_addr[$trunk]#* }" -mi "${uas_addr[$trunk]% *}" -mp "${uas_media[$trunk]}" \
        -aa -nostdin -timeout 900s -key ring_ms 500 -key talk_ms 3600000 \
        -trace_stat -stf "uas-$trunk.stat.csv" -fd 1 -trace_err -error_file "uas-$trunk.errors.log" \
        -trace_msg -message_file "uas-$trunk.messages.log" > "uas-$trunk.out" 2>&1 ) &
    uas_pid[$trunk]=$!
}
for name in $(printf '%s\n' "${!env_value[@]}" | grep -E '^TRUNK_.+_HOST$' | sort); do
    trunk=${name#TRUNK_}; trunk=${trunk%_HOST}; trunk=${trunk,,}; trunk=${trunk//_/-}
    split_host_port "${env_value[$name]}" 5060 || die "$name is not HOST:PORT"
    is_loopback "$SPLIT_HOST" || die "$name $SPLIT_HOST is not loopback"
    uas_addr[$trunk]="$SPLIT_HOST $SPLIT_PORT" uas_media[$trunk]=$media
    xml=$sipp_dir/agency-uas.xml
    [[ $trunk == "$busy_trunk" ]] && xml=$sipp_dir/agency-busy.xml
    start_agency "$trunk" "$xml"
    media=$((media + 10))
done
# A desk phone is offered the caller's own number (docs/operator-api.md "Accepting an offer"), not the
# "112 <number>" an agency must see: the phones answer without the agencies' identity check (a failed
# check made SIPp answer and hang up at once, and the engine re-offered the phone in a tight loop).
without_identity_check "$sipp_dir/agency-uas.xml" "$work/calltaker-uas.xml"
declare -A calltaker_media=()
# start_desk_phone POSITION [SCENARIO]: the position's SIPp desk phone (again, after the phone-gone case stopped it;
# with desk-video-uas.xml for the video case).
start_desk_phone() {
    local ct=$1 xml=$work/calltaker-uas.xml
    [[ $ct == calltaker-2 ]] && xml=$sipp_dir/agency-noanswer.xml
    [[ -n ${2:-} ]] && xml=$2
    ( cd "$work" && exec sipp -sf "$xml" -i 127.0.0.1 -p "${calltaker_port[$ct]}" -mi 127.0.0.1 -mp "${calltaker_media[$ct]}" \
        -aa -nostdin -timeout 900s -key ring_ms 500 -key talk_ms 3600000 \
        -trace_stat -stf "uas-$ct.stat.csv" -fd 1 -trace_err -error_file "uas-$ct.errors.log" \
        -trace_msg -message_file "uas-$ct.messages.log" > "uas-$ct.out" 2>&1 ) &
    uas_pid[$ct]=$!
    local i
    for (( i = 0; i < 100; i++ )); do
        [[ -s $work/uas-$ct.stat.csv ]] && break
        kill -0 "${uas_pid[$ct]}" 2>/dev/null || break
        sleep 0.1
    done
}
for ct in "${!calltaker_port[@]}"; do
    calltaker_media[$ct]=$media
    start_desk_phone "$ct"
    media=$((media + 10))
done
for trunk in "${!uas_pid[@]}"; do
    for (( i = 0; i < 100; i++ )); do
        [[ -s $work/uas-$trunk.stat.csv ]] && break
        kill -0 "${uas_pid[$trunk]}" 2>/dev/null || break
        sleep 0.1
    done
    [[ -s $work/uas-$trunk.stat.csv ]] || { tail -n 5 "$work/uas-$trunk.out" >&2; die "the SIPp of trunk $trunk did not start"; }
done
echo "   ${#uas_pid[@]} agency trunks and desk phones (SIPp), $busy_trunk busy (486), calltaker-2 never answers, calltaker-11 (police) for SOS video"

# --- the engine ---------------------------------------------------------------------------
# The engine (start_engine, scratch.sh) inherits these. Routing__Timers__ConnectingPrompt=0: the agencies'
# SIPp answer at once, so with the shipped 1 s delay the caller would hear no "connecting" at all (issue 11),
# and the -language checks need a prompt to read. Overload__Enabled=false: one call at a time is no
# overload, and a slow box must not shed a case's caller.
export Routing__Timers__ConnectingPrompt=00:00:00 Overload__Enabled=false
engine_bin=$repo/engine/Routing.Engine/bin/$CONFIG/net10.0/routing
if [[ -z ${TEST_ASTERISK_NO_BUILD:-} ]]; then
    echo "   building the engine ($CONFIG) ..."
    dotnet build "$repo/engine/Routing.Engine/Routing.Engine.csproj" -c "$CONFIG" -nologo -v quiet > "$work/build.log" 2>&1 \
        || { tail -n 20 "$work/build.log" >&2; die "the engine does not build (log: $work/build.log)"; }
fi
[[ -x $engine_bin ]] || die "no engine at $engine_bin (build it: make build-engine)"
# The desk phones reachable (qualify answered) before the engine reads them: without
# res_stasis_device_state (optional, see asterisk-modules) the engine hears of a phone that becomes
# reachable later only at its next endpoint read (Centre:DevicePollInterval). Bounded poll of ARI's endpoint state.
for ct in "${!calltaker_port[@]}"; do
    for (( i = 0; i < 150; i++ )); do
        curl -sf -u "routing:$ari_password" "${ari_url}endpoints/PJSIP/$ct" | grep -q '"state":"online"' && break
        sleep 0.2
    done
done
# The centre's timers made short for the suite: an ignored offer moves on after 8 s, no wrap-up.
engine_env=(Centre__OfferTimeout=00:00:08 Centre__WrapUp=00:00:00)
start_engine || die "the engine did not connect to ARI within 60 s (log: $work/engine.log)"
echo "   engine up (admin http://127.0.0.1:$admin_port), ledger $LEDGER_DB"

# --- the callers ---------------------------------------------------------------------------
# call CASE SCENARIO|PATH DIALED INJECTION_LINE HOLD_MS [extra sipp args...]: one SIPp call from the PSTN
# trunk's address, bounded in time; true when SIPp says the call went as its scenario expects.
# call_launch starts the same in the background (the centre cases act on the call meanwhile) and
# call_result waits for it and judges it.
call() { call_launch "$@" && call_result "$1"; }
declare -A call_pid=() call_what=()
call_launch() {
    local name=$1 scenario=$2 dialed=$3 line=$4 hold=$5; shift 5
    local dir=$work/$name
    mkdir -p "$dir"
    printf 'SEQUENTIAL\n%s\n' "$line" > "$dir/callers.csv"
    # A scenario of load-tests/sipp by name, or a path (this suite's own scenarios).
    local xml=$sipp_dir/$scenario.xml
    [[ $scenario == */* ]] && { xml=$scenario; scenario=$(basename "$scenario" .xml); }
    ( cd "$dir" && exec sipp "$sip_target" -sf "$xml" -s "$dialed" -inf "$dir/callers.csv" \
        -i "${from_host:-$caller_host}" -p "${from_port:-$caller_port}" -mi "${from_host:-$caller_host}" -mp "$media_base" \
        -aa -nostdin -m 1 -r 1 -l 1 -d "$hold" -timeout "$(( hold / 1000 + 120 ))s" -timeout_error \
        -key lang_wait_ms 2500 -key service_wait_ms 2500 -key abandon_ms "${abandon_ms:-3000}" \
        -trace_stat -stf caller.stat.csv -fd 1 -trace_err -error_file caller.errors.log \
        -trace_msg -message_file caller.messages.log "$@" > caller.out 2>&1 ) &
    call_pid[$name]=$!
    call_what[$name]="$scenario dialled $dialed"
}
call_result() {
    local name=$1 dir=$work/$1 rc
    wait "${call_pid[$name]}"
    rc=$?
    local ok
    ok=$(stat_value "$dir/caller.stat.csv" 'SuccessfulCall(C)')
    if [[ $rc -eq 0 && ${ok:-0} -eq 1 ]]; then
        pass "$name-sip" "${call_what[$name]}: SIPp exit 0, the call went as its scenario expects"
        return 0
    fi
    local why
    why=$(head -n 1 "$dir/caller.stat.csv" | tr ';' '\n' | grep -nE '^Failed.+\(C\)$' | grep -v FailedCall | while IFS=: read -r col header; do
        v=$(stat_value "$dir/caller.stat.csv" "$header"); (( ${v:-0} > 0 )) && printf '%s ' "${header%(C)}"; done)
    fail "$name-sip" "${call_what[$name]}: SIPp exit $rc, ${why:-no counter} (logs: $dir)"
    return 1
}

# expect_video_transfer_end CASE AGENCY N: the end of a video call transferred to AGENCY (warm or blind): its SIP result,
# the agency's identity and video SDP, the video.leg verdict, the outcome; then the agency's logs kept and it restarted.
expect_video_transfer_end() {
    local case=$1 agency=$2 n=$3
    call_result $case && expect_agency $case $agency "$n"
    expect_video_sdp $case agency-sdp $agency "$work/uas-$agency.messages.log" "$n"
    expect_event $case video-leg "$n" video.leg "$agency: h264" 10
    expect_ledger $case "$n" Completed $agency
    stop_sipp "${uas_pid[$agency]}" 5
    for f in messages.log stat.csv errors.log out; do [[ -f $work/uas-$agency.$f ]] && cp "$work/uas-$agency.$f" "$work/$case/agency.$f"; done
    start_agency $agency
}

# --- the centre: operator API on the engine's admin port (docs/operator-api.md) ---------------
# api METHOD PATH USER [JSON]: one operator request as USER (X-Operator, loopback); prints
# "<status> <body>" on one line. USER "boss" is a supervisor.
api() {
    local role=calltaker
    [[ $3 == boss ]] && role=supervisor
    curl -sS -m 10 -X "$1" "http://127.0.0.1:$admin_port/api$2" -H "X-Operator: $3" -H "X-Operator-Role: $role" \
        -H 'content-type: application/json' ${4:+--data "$4"} -w ' %{http_code}' 2>&1 | awk '{ code = $NF; $NF = ""; print code, $0 }'
}
# api_ok CASE WHAT METHOD PATH USER [JSON]: the request answered 2xx, or CASE-WHAT fails naming the answer.
api_ok() {
    local name=$1 what=$2 answer; shift 2
    answer=$(api "$@")
    [[ $answer == 2[0-9][0-9]* ]] && return 0
    fail "$name-$what" "$1 $2 as $3: $answer"
    return 1
}
# ledger_call_id NUMBER: the engine's call id of this caller's (only) call.
ledger_call_id() { ledger_sql "SELECT call_id FROM calls WHERE caller_number = '$1' ORDER BY rowid DESC LIMIT 1;"; }
# ledger_events NUMBER KIND: the details of this caller's events of KIND, comma-separated.
ledger_events() {
    ledger_sql "SELECT e.detail FROM call_events e JOIN calls c ON c.call_id = e.call_id
                WHERE c.caller_number = '$1' AND e.kind = '$2' ORDER BY e.seq;" | paste -sd, -
}
# wait_for_event NUMBER KIND LIMIT_S [DETAIL_PART]: bounded poll until the caller's call has that event.
wait_for_event() {
    local deadline=$(( $(date +%s) + $3 ))
    while (( $(date +%s) <= deadline )); do
        [[ $(ledger_events "$1" "$2") == *"${4:-}"* && -n $(ledger_events "$1" "$2") ]] && return 0
        sleep 0.3
    done
    return 1
}
# expect_event CASE CHECK NUMBER KIND DETAIL_PART LIMIT_S: a named check that the event came.
expect_event() {
    if wait_for_event "$3" "$4" "$6" "$5"; then pass "$1-$2" "$4: $(ledger_events "$3" "$4")"
    else fail "$1-$2" "no '$4' with '$5' within $6 s (got: '$(ledger_events "$3" "$4")')"; ledger_story "$3"
    fi
}
# position_state POSITION: the call-taker's state as the centre says (GET /api/calltakers/<p>).
position_state() { api GET "/calltakers/$1" boss | grep -oE '"state":"[A-Za-z]+"' | cut -d'"' -f4; }
wait_reachable() { # POSITION true|false LIMIT_S
    local deadline=$(( $(date +%s) + $3 ))
    while (( $(date +%s) <= deadline )); do api GET "/calltakers/$1" boss | grep -q "\"reachable\":$2" && return 0; sleep 0.5; done
    return 1
}

wait_position() { # POSITION STATE LIMIT_S
    local deadline=$(( $(date +%s) + $3 ))
    while (( $(date +%s) <= deadline )); do [[ $(position_state "$1") == "$2" ]] && return 0; sleep 0.3; done
    return 1
}

# expect_ledger CASE NUMBER OUTCOME ANSWERED_TRUNK [FAILED_TRUNK]: the engine's record of this call.
expect_ledger() {
    local name=$1 number=$2 outcome=$3 trunk=$4 failed_trunk=${5:-}
    if ! wait_for_outcome "$number" 30; then
        fail "$name-ledger" "no outcome recorded for $number within 30 s"
        ledger_story "$number"
        return
    fi
    local calls outcomes answered failed_legs problems=()
    calls=$(ledger_calls "$number" | wc -l)
    outcomes=$(ledger_outcomes "$number" | paste -sd, -)
    answered=$(ledger_answered "$number")
    failed_legs=$(ledger_failed_legs "$number")
    (( calls == 1 )) || problems+=("$calls calls recorded, want 1")
    [[ $outcomes == "$outcome" ]] || problems+=("outcome '$outcomes', want '$outcome'")
    [[ $answered == "$trunk" ]] || problems+=("answered by '${answered:-nobody}', want '${trunk:-nobody}'")
    [[ -z $failed_trunk || $failed_legs == "$failed_trunk"* ]] || problems+=("failed legs '${failed_legs:-none}', want '$failed_trunk: ...'")
    if (( ${#problems[@]} == 0 )); then
        pass "$name-ledger" "one call, outcome $outcome${trunk:+, answered by $trunk}${failed_trunk:+ after $failed_trunk failed}"
    else
        local IFS='; '
        fail "$name-ledger" "${problems[*]}"
        ledger_story "$number"
    fi
}

# expect_agency CASE TRUNK NUMBER: the trunk got this caller's call, and every INVITE/UPDATE of that
# dialog presents the identity the engine decided (Routing:AgencyCallerId "112 <caller>"), never
# the caller's own display name (issue 6, item 1).
expect_agency() {
    local name=$1 trunk=$2 number=$3 requests bad
    requests=$(agency_dialogs "$work/uas-$trunk.messages.log" "$number")
    if [[ -z $requests ]]; then
        fail "$name-agency" "$trunk received no INVITE from $number"
        return
    fi
    pass "$name-agency" "$trunk received the call ($(wc -l <<< "$requests") INVITE/UPDATE)"
    # The first INVITE presents "112 <number>" in P-Asserted-Identity and From; every later INVITE
    # or UPDATE carries that same P-Asserted-Identity again, or none.
    bad=$(awk -F'\t' -v want="\"112 $number\"" '
        NR == 1 { first = $4
                  if (index($4, want) != 1) printf "first INVITE P-Asserted-Identity: %s; ", ($4 == "" ? "(none)" : $4)
                  if (index($3, want) != 1) printf "first INVITE From: %s; ", $3
                  next }
        $4 != "" && $4 != first { printf "%s P-Asserted-Identity: %s; ", $1, $4 }' <<< "$requests")
    if [[ -z $bad ]]; then
        pass "$name-identity" "$trunk was shown \"112 $number\" for the whole call"
    else
        fail "$name-identity" "$trunk saw: $bad"
    fi
}

# expect_language CASE NUMBER LANGUAGE: the caller heard "connecting" in LANGUAGE (the menu choice,
# or Routing:Ivr:DefaultLanguage for calls that skip the menu: issue 6, item 2). Read from the
# scratch Asterisk's log, so only with an Asterisk this suite started.
expect_language() {
    local name=$1 number=$2 want=$3 log=$work/log/messages.log channel heard
    [[ -f $log ]] || return 0
    channel=$(caller_channel "$log" "$number")
    heard=$(prompt_languages "$log" "$channel" connecting)
    if [[ -n $heard && $heard =~ ^$want(,$want)*$ ]]; then
        pass "$name-language" "heard \"connecting\" in $want"
    else
        fail "$name-language" "heard \"connecting\" in '${heard:-nothing}' on ${channel:-no channel found}, want $want"
    fi
}

# expect_no_agency CASE NUMBER: no trunk got a call from this caller.
expect_no_agency() {
    local name=$1 number=$2 trunk got=()
    for trunk in "${!uas_pid[@]}"; do
        [[ $trunk == calltaker-* ]] && continue # a desk phone is not an agency
        [[ -n $(agency_dialogs "$work/uas-$trunk.messages.log" "$number") ]] && got+=("$trunk")
    done
    if (( ${#got[@]} == 0 )); then pass "$name-agency" "no agency was rung"; else fail "$name-agency" "rung: ${got[*]}"; fi
}

default_language=$(grep -o '"DefaultLanguage": *"[a-z]*"' "$repo/engine/Routing.Engine/appsettings.json" | grep -o '"[a-z]*"$' | tr -d '"')

if want direct; then
    echo "-- calls through the engine (the shipped centre: 112 human-first)"
    # 101-104 straight to their agency, no IVR, no call-taker.
    declare -A direct_agency=([101]=fire [102]=police [103]=ambulance [104]=gas)
    for dialed in 101 102 103 104; do
        n=+7727100020${dialed: -1}; trunk=${direct_agency[$dialed]}-almaty-1
        call "direct-$dialed" caller-direct "$dialed" "$n;1;1;info" 5000 \
            && expect_agency "direct-$dialed" "$trunk" "$n"; expect_ledger "direct-$dialed" "$n" Completed "$trunk"
        expect_language "direct-$dialed" "$n" "$default_language"
    done

    # A hostile display name (HTML, right-to-left override, emoji, SQL text): routed like any other,
    # and the agency is shown "112 <number>", never the name (checked by expect_agency).
    n=+77271000701; hostile=$(printf '<b>Admin</b> \u202eevil \U0001F600 x OR 1=1 --')
    call hostile-caller-id "$here/caller-hostile-id.xml" 102 "$n;$hostile" 5000 \
        && expect_agency hostile-caller-id police-almaty-1 "$n"; expect_ledger hostile-caller-id "$n" Completed police-almaty-1

    # The primary trunk is busy (486): the engine moves on to the secondary at once.
    n=+77171000301; call busy-primary caller-direct 102 "$n;1;1;info" 5000 \
        && expect_agency busy-primary police-astana-2 "$n"; expect_ledger busy-primary "$n" Completed police-astana-2 "$busy_trunk"
    expect_language busy-primary "$n" "$default_language"

    # A caller who hangs up during the greeting: recorded as abandoned, no agency rung.
    n=+77271000501; call abandon caller-abandon 112 "$n;1;1;info" 1000 \
        && expect_no_agency abandon "$n"; expect_ledger abandon "$n" AbandonedInIvr ""
fi

if ! want centre; then :
elif (( ${#calltaker_port[@]} > 0 )); then
    echo "-- the call-taker centre: desk phones calltaker-1 (answers) and calltaker-2 (never answers)"
    # dana logs in to calltaker-2 first, so hers is the longest-idle position and gets the first offer.
    for p in "calltaker-2 dana" "calltaker-1 aigerim"; do
        set -- $p
        api_ok centre login POST "/calltakers/$1/login" "$2" || continue
        if wait_position "$1" Available 30 && api GET "/calltakers/$1" boss | grep -q '"reachable":true'; then pass "centre-login-$1" "$2 logged in, the desk phone is reachable: Available"
        else fail "centre-login-$1" "$1 is '$(position_state "$1")' 30 s after login, want Available and reachable: $(api GET "/calltakers/$1" boss)"; fi
    done

    # A 112 caller (Almaty) waits through the greeting; calltaker-2 ignores the offer, which goes to
    # calltaker-1 after Centre:OfferTimeout; aigerim classifies, transfers warm to the ambulance and
    # completes the transfer; the caller talks on with the agency, which sees the engine's identity.
    n=+77271000901; case=centre-warm
    call_launch $case caller-direct 112 "$n;1;1;info" 45000
    expect_event $case reoffered "$n" offer.unanswered calltaker-2 40
    if wait_for_event "$n" calltaker.joined 30 calltaker-1; then
        pass "$case-answered" "calltaker-1 answered after the ignored offer: $(ledger_events "$n" calltaker.joined)"
        id=$(ledger_call_id "$n")
        api_ok $case classify POST "/calls/$id/classify" aigerim '{"agency":"ambulance","incidentType":"injury","kind":"emergency"}' \
            && api_ok $case transfer POST "/calls/$id/transfer" aigerim '{"agency":"ambulance","mode":"warm"}' \
            && expect_event $case transfer-answered "$n" transfer.answered ambulance-almaty-1 30 \
            && api_ok $case complete POST "/calls/$id/transfer/complete" aigerim \
            && pass "$case-operator-api" "classify, warm transfer and complete accepted for call $id"
    else
        fail "$case-answered" "calltaker-1 never joined the call (offers: $(ledger_events "$n" offer))"; ledger_story "$n"
    fi
    call_result $case && expect_agency $case ambulance-almaty-1 "$n"
    expect_ledger $case "$n" Completed ambulance-almaty-1

    # The same caller abandons while the only staffed position (calltaker-2, resumed) rings.
    api_ok centre resume POST /calltakers/calltaker-2/resume dana
    api_ok centre logout POST /calltakers/calltaker-1/logout aigerim
    n=+77271000902; case=centre-abandon
    abandon_ms=12000 call_launch $case caller-abandon 112 "$n;1;1;info" 1000
    expect_event $case offered "$n" offer calltaker-2 30
    call_result $case && expect_no_agency $case "$n"
    expect_ledger $case "$n" AbandonedInQueue ""

    # A caller who says and presses nothing goes to a call-taker like any 112 caller (docs/centre.md:
    # human-first); the call-taker classifies it silent and hangs up: outcome Silent.
    wait_position calltaker-2 Available 20
    api_ok centre pause POST /calltakers/calltaker-2/pause dana '{"reason":"break"}'
    api_ok centre login2 POST /calltakers/calltaker-1/login aigerim
    n=+77271000401; case=silent
    call_launch $case caller-silent 112 "$n;1;1;info" 55000
    if wait_for_event "$n" calltaker.joined 40 calltaker-1; then
        id=$(ledger_call_id "$n")
        api_ok $case classify POST "/calls/$id/classify" aigerim '{"kind":"silent","note":"open line, nobody speaks"}' \
            && api_ok $case hangup POST "/calls/$id/hangup" aigerim '{"reason":"silent call"}' \
            && pass "$case-operator-api" "classified silent and hung up by aigerim@calltaker-1"
    else
        fail "$case-answered" "calltaker-1 never joined the silent call"; ledger_story "$n"
    fi
    call_result $case
    expect_ledger $case "$n" Silent ""
    api_ok centre logout-all POST /calltakers/calltaker-1/logout boss
    api_ok centre logout-all POST /calltakers/calltaker-2/logout boss

    # A desk phone goes away (its SIPp stopped: qualify OPTIONS unanswered) and comes back. The centre must
    # follow both on this Asterisk, with or without res_stasis_device_state (without it, by reading the
    # endpoint every Centre:DevicePollInterval). Bound: qualify_frequency 15 s + qualify_timeout 3 s + a read.
    case=centre-phone-gone
    stop_sipp "${uas_pid[calltaker-2]}" 5
    if wait_reachable calltaker-2 false 45; then pass "$case-unreachable" "the centre marked calltaker-2 unreachable after its phone stopped answering"
    else fail "$case-unreachable" "calltaker-2 still reachable 45 s after its phone stopped: $(api GET /calltakers/calltaker-2 boss)"; fi
    start_desk_phone calltaker-2
    if wait_reachable calltaker-2 true 45; then pass "$case-back" "the centre marked calltaker-2 reachable again after its phone came back"
    else fail "$case-back" "calltaker-2 still unreachable 45 s after its phone came back: $(api GET /calltakers/calltaker-2 boss)"; fi
else
    note centre "a running Asterisk has no desk phones of this suite: the centre cases are skipped"
fi

# --- video: a police-app caller with a camera (from-app, entry App: Routing:Video) to a call-taker's desk phone
# that also takes video (desk-video-uas.xml on calltaker-1). Checked on the wire: Asterisk's answer to the caller
# and the desk phone's INVITE/answer each carry a video m-line with a port; the caller's video RTP (play_pcap_video,
# a pcap written now by video-pcap.py) reaches Asterisk and is sent on to the desk phone's video port (Asterisk's
# RTP debug, on for the video group only); the ledger has video.bridge and video.source. Then the same to an agency
# after a warm transfer, an SOS button with an H.264-only camera to an H.264-only desk, and a VP8-only caller to that
# H.264-only desk (audio must get through, the ledger must say why there is no picture).

# video_caller_only h264|vp8 OUT: caller-video.xml offering only that video codec.
video_caller_only() {
    case $1 in
        h264) sed -e 's|^\( *m=video \[media_port+2\] RTP/AVP\) 99 100$|\1 99|' -e '/a=rtpmap:100 VP8/d' "$here/caller-video.xml" > "$2" ;;
        vp8) sed -e 's|^\( *m=video \[media_port+2\] RTP/AVP\) 99 100$|\1 100|' -e '/a=rtpmap:99 H264/d' -e '/a=fmtp:99 /d' "$here/caller-video.xml" > "$2" ;;
    esac
    grep -q 'm=video \[media_port+2\] RTP/AVP [0-9]*$' "$2" && ! grep -q 'RTP/AVP 99 100' "$2" \
        || die "caller-video.xml no longer has the m=video line video_caller_only rewrites"
}
# desk_h264_only OUT: desk-video-uas.xml that takes H.264 only (VP8 offers get the video declined).
desk_h264_only() {
    sed 's/(H264|VP8)/(H264)/' "$here/desk-video-uas.xml" > "$1"
    grep -q '(H264)/90000' "$1" || die "desk-video-uas.xml no longer has the (H264|VP8) alternative desk_h264_only rewrites"
}
# dialog_sdp MESSAGE_FILE NUMBER: the first INVITE offered for NUMBER's call at a UAS and its 200 OK, as
# "<m-lines of the offer>\t<m-lines of the answer>" (empty when no such INVITE).
dialog_sdp() {
    local msgs id
    msgs=$(sip_messages "$1")
    id=$(awk -F'\t' -v n="$2" '$1 == "received" && $2 ~ /^INVITE / && index($4, n) { print $3; exit }' <<< "$msgs")
    [[ -n $id ]] || return 0
    printf '%s\t%s\n' "$(awk -F'\t' -v id="$id" '$1 == "received" && $2 ~ /^INVITE / && $3 == id { print $6; exit }' <<< "$msgs")" \
        "$(awk -F'\t' -v id="$id" '$1 == "sent" && $2 ~ /^SIP\/2.0 200/ && $3 == id && $6 != "" { print $6; exit }' <<< "$msgs")"
}
# rtp_sent FROM_LINE PORT / rtp_got FROM_LINE HOST PORT: Asterisk's RTP debug lines (messages.log after FROM_LINE)
# for packets sent to 127.0.0.1:PORT / received from HOST:PORT.
rtp_sent() { tail -n +"$(($1 + 1))" "$work/log/messages.log" | grep -c -E "Sent RTP (P2P )?packet to +127\.0\.0\.1:$2[ (]"; }
rtp_got() { tail -n +"$(($1 + 1))" "$work/log/messages.log" | grep -c -E "Got  RTP packet from +${2//./\\.}:$3 "; }
log_lines() { wc -l < "$work/log/messages.log" 2>/dev/null || echo 0; }
# wait_rtp_sent FROM_LINE PORT COUNT LIMIT_S: bounded poll until COUNT packets went to PORT.
wait_rtp_sent() {
    local deadline=$(( $(date +%s) + $4 ))
    while (( $(date +%s) <= deadline )); do (( $(rtp_sent "$1" "$2") >= $3 )) && return 0; sleep 0.5; done
    return 1
}
# expect_video_to CHECK FROM_LINE PORT WHAT: at least 20 video RTP packets went to PORT within 15 s of FROM_LINE
# (the transfer cases' three checks of where the caller's picture goes).
expect_video_to() {
    if wait_rtp_sent "$2" "$3" 20 15; then pass "$1" "$4: $(rtp_sent "$2" "$3") video RTP packets sent to its video port :$3"
    else fail "$1" "$4, but only $(rtp_sent "$2" "$3") video RTP packets went to its video port :$3 within 15 s"; fi
}
# expect_video_sdp CASE CHECK WHO MESSAGE_FILE NUMBER: WHO's INVITE for NUMBER offered video and WHO's answer accepted it.
expect_video_sdp() {
    local sdp offer answer
    sdp=$(dialog_sdp "$4" "$5"); offer=$(cut -f1 <<< "$sdp"); answer=$(cut -f2 <<< "$sdp")
    if [[ -z $sdp ]]; then fail "$1-$2" "$3 got no INVITE for $5"
    elif [[ -n $(sdp_video_port "$offer") && $(sdp_video_port "$offer") != 0 && -n $(sdp_video_port "$answer") && $(sdp_video_port "$answer") != 0 ]]; then
        pass "$1-$2" "Asterisk offered $3 video and it was accepted: offer '$offer', answer '$answer'"
    else fail "$1-$2" "no accepted video in $3's first INVITE: Asterisk offered '$offer', $3 answered '${answer:-nothing}'"; fi
}

if ! want video; then :
elif (( ${#calltaker_port[@]} == 0 )); then
    note video "a running Asterisk has no desk phones of this suite: the video case is skipped"
else
    echo "-- a video call from the police app to a call-taker's desk phone with a camera"
    case=video-app; n=+77271000961
    split_host_port "${env_value[APP_GATEWAY_HOST]:-}" 5060 || die "the env file has no APP_GATEWAY_HOST"
    is_loopback "$SPLIT_HOST" || die "APP_GATEWAY_HOST $SPLIT_HOST is not loopback"
    app_port=$SPLIT_PORT
    stop_sipp "${uas_pid[calltaker-1]}" 5
    start_desk_phone calltaker-1 "$here/desk-video-uas.xml"
    api POST /calltakers/calltaker-2/logout boss >/dev/null # calltaker-2 may be logged out already: either way it takes no offer
    api_ok $case login POST /calltakers/calltaker-1/login aigerim
    if ! wait_position calltaker-1 Available 30; then fail "$case-position" "calltaker-1 is '$(position_state calltaker-1)' 30 s after login, want Available"; fi
    mkdir -p "$work/$case"
    python3 "$here/video-pcap.py" "$work/$case/video.pcap" 600 99 || fail "$case-pcap" "video-pcap.py could not write $work/$case/video.pcap"
    log_from=$(log_lines)
    ast_cli 'rtp set debug on' >/dev/null
    from_port=$app_port call_launch $case "$here/caller-video.xml" 112 "$n" 25000
    if wait_for_event "$n" calltaker.joined 40 calltaker-1; then pass "$case-answered" "calltaker-1 answered the app's video call"
    else fail "$case-answered" "calltaker-1 never joined the video call (offers: $(ledger_events "$n" offer))"; ledger_story "$n"; fi
    call_result $case
    # The caller's side: Asterisk's 200 OK to the INVITE.
    answer=$(sip_messages "$work/$case/caller.messages.log" | awk -F'\t' '$1 == "received" && $2 ~ /^SIP\/2.0 200/ && $5 ~ /INVITE$/ && $6 != ""' | head -n 1)
    caller_video=$(sdp_video_port "$(cut -f6 <<< "$answer")")
    if [[ -n $caller_video && $caller_video != 0 ]]; then pass "$case-caller-sdp" "Asterisk answered the caller with video: $(cut -f6 <<< "$answer")"
    else fail "$case-caller-sdp" "Asterisk's answer to the caller has no accepted video m-line: '$(cut -f6 <<< "$answer")'"; fi
    # The desk phone's side: the INVITE of the dialog that offered this caller, and the phone's 200 OK.
    expect_video_sdp $case desk-sdp calltaker-1 "$work/uas-calltaker-1.messages.log" "$n"
    # Later offers in the same dialog (a re-INVITE that adds or drops video), for the record.
    desk=$(sip_messages "$work/uas-calltaker-1.messages.log")
    desk_call=$(awk -F'\t' -v n="$n" '$1 == "received" && $2 ~ /^INVITE / && index($4, n) { print $3; exit }' <<< "$desk")
    note "$case-desk-reinvites" "$(awk -F'\t' -v id="$desk_call" '$3 == id && $6 != "" { if (first == "") first = $5; if ($5 != first) print $1 " " substr($2, 1, 12) " [" $5 "] " $6 }' <<< "$desk" | paste -sd';' -)"
    # The caller's video RTP: from the caller's video port into Asterisk, and out to the phone's video port.
    if [[ -f $work/log/messages.log ]]; then
        got=$(rtp_got "$log_from" 127.0.0.1 $((media_base + 2)))
        sent=$(rtp_sent "$log_from" $((calltaker_media[calltaker-1] + 2)))
        if (( got > 0 && sent > 0 )); then pass "$case-rtp" "Asterisk got $got video RTP packets from the caller and sent $sent to calltaker-1's video port"
        else fail "$case-rtp" "video RTP: $got packet(s) from the caller's video port $((media_base + 2)), $sent to calltaker-1's video port $((calltaker_media[calltaker-1] + 2)) (Asterisk's RTP debug in messages.log)"; fi
    fi
    if [[ -n $(ledger_events "$n" video.bridge) && -n $(ledger_events "$n" video.source) ]]; then
        pass "$case-ledger" "video.bridge: $(ledger_events "$n" video.bridge); video.source: $(ledger_events "$n" video.source)"
    else fail "$case-ledger" "video.bridge '$(ledger_events "$n" video.bridge)', video.source '$(ledger_events "$n" video.source)'"; ledger_story "$n"; fi
    expect_event $case video-leg "$n" video.leg "calltaker-1: h264" 10

    # video-transfer: the next app caller is answered by calltaker-1 (still the video phone), classified police and
    # transferred warm to police-almaty-1, whose SIPp now answers video too (desk-video-uas.xml; its identity is still
    # checked from its messages, -identity). The caller's video must reach the agency while all three are bridged and
    # after the call-taker left (transfer complete): bounded polls of Asterisk's RTP debug for each phase.
    echo "-- the police app's video call transferred warm to the police (police-almaty-1 with a camera)"
    case=video-transfer; n=+77271000962; agency=police-almaty-1
    agency_video=$((uas_media[$agency] + 2))
    stop_sipp "${uas_pid[$agency]}" 5
    start_agency $agency "$here/desk-video-uas.xml"
    mkdir -p "$work/$case"
    python3 "$here/video-pcap.py" "$work/$case/video.pcap" 1000 99 || fail "$case-pcap" "video-pcap.py could not write $work/$case/video.pcap"
    wait_position calltaker-1 Available 20
    from_port=$app_port call_launch $case "$here/caller-video.xml" 112 "$n" 40000
    if wait_for_event "$n" calltaker.joined 40 calltaker-1; then
        pass "$case-answered" "calltaker-1 answered the app's video call"
        id=$(ledger_call_id "$n")
        if api_ok $case classify POST "/calls/$id/classify" aigerim '{"agency":"police","incidentType":"assault","kind":"emergency"}' \
            && api_ok $case transfer POST "/calls/$id/transfer" aigerim '{"agency":"police","mode":"warm"}'; then
            three_way_from=$(log_lines)
            if wait_for_event "$n" transfer.answered 30 $agency; then
                expect_video_to "$case-rtp-3way" "$three_way_from" "$agency_video" "caller, calltaker-1 and $agency bridged, to $agency"
                complete_from=$(log_lines)
                if api_ok $case complete POST "/calls/$id/transfer/complete" aigerim; then
                    expect_video_to "$case-rtp-agency" "$complete_from" "$agency_video" "calltaker-1 left the completed transfer, to $agency"
                fi
            else fail "$case-transfer" "no transfer.answered by $agency within 30 s (got: $(ledger_events "$n" transfer.answered))"; ledger_story "$n"; fi
        fi
    else
        fail "$case-answered" "calltaker-1 never joined the video call (offers: $(ledger_events "$n" offer))"; ledger_story "$n"
    fi
    expect_video_transfer_end $case $agency "$n"

    # video-vp8-only: a VP8-only app caller, and calltaker-1's phone now takes H.264 only. Asterisk offers the phone
    # the caller's VP8 and its own endpoint's codecs (23.4.1 offered "100 99": VP8 and H.264), the phone takes H.264
    # (or would decline the video): no codec in common, and Asterisk does not transcode video. The caller must still
    # be answered and heard, and the ledger must say that video was not possible and why. This caller sends audio
    # only (20 s of A-law, to outlast the greeting): SIPp 3.6.1 keeps one pcap thread per call, so play_pcap_video
    # cancels play_pcap_audio after its first packet (seen here: 1 audio packet, then video only). On 23.4.1, with
    # the VP8 playing, 300 VP8 packets came in and 1 went out to the H.264 phone's video port (docs/video.md).
    echo "-- a VP8-only app caller to an H.264-only desk phone: audio, and the ledger says why there is no picture"
    case=video-vp8-only; n=+77271000963
    mkdir -p "$work/$case"
    video_caller_only vp8 "$work/$case/caller-vp8.xml"
    sed -i -e 's|play_pcap_audio="/usr/share/sip-tester/g711a.pcap"|play_pcap_audio="audio.pcap"|' -e '/play_pcap_video=/d' "$work/$case/caller-vp8.xml"
    grep -q 'play_pcap_audio="audio.pcap"' "$work/$case/caller-vp8.xml" && ! grep -q 'play_pcap_video=' "$work/$case/caller-vp8.xml" \
        || die "caller-video.xml no longer plays /usr/share/sip-tester/g711a.pcap and video.pcap as video_vp8 rewrites them"
    python3 "$here/video-pcap.py" "$work/$case/audio.pcap" 1000 8 audio || fail "$case-pcap" "video-pcap.py could not write $work/$case/audio.pcap"
    desk_h264_only "$work/desk-h264-uas.xml"
    stop_sipp "${uas_pid[calltaker-1]}" 5
    for f in messages.log stat.csv errors.log out; do [[ -f $work/uas-calltaker-1.$f ]] && cp "$work/uas-calltaker-1.$f" "$work/video-app/desk.$f"; done
    start_desk_phone calltaker-1 "$work/desk-h264-uas.xml"
    wait_position calltaker-1 Available 20
    log_from=$(log_lines)
    from_port=$app_port call_launch $case "$work/$case/caller-vp8.xml" 112 "$n" 15000
    if wait_for_event "$n" calltaker.joined 40 calltaker-1; then pass "$case-answered" "calltaker-1 answered the VP8-only caller"
    else fail "$case-answered" "calltaker-1 never joined the VP8-only call (offers: $(ledger_events "$n" offer))"; ledger_story "$n"; fi
    call_result $case
    sdp=$(dialog_sdp "$work/uas-calltaker-1.messages.log" "$n"); offer=$(cut -f1 <<< "$sdp"); desk_answer=$(cut -f2 <<< "$sdp")
    # The caller offered VP8 as payload type 100 (caller-video.xml); the phone's answer must not take it.
    desk_video_formats=$(tr '|' '\n' <<< "$desk_answer" | awk '$1 == "m=video" && $2 != 0 { $1 = $2 = $3 = ""; print }')
    if [[ $offer == *"m=video "* && $desk_answer == *"m=audio "* && " $desk_video_formats " != *" 100 "* ]]; then
        pass "$case-desk-sdp" "the H.264-only phone took the audio and none of the caller's VP8: offer '$offer', answer '$desk_answer'"
    else fail "$case-desk-sdp" "want a video offer, accepted audio and no VP8 (pt 100) in the phone's answer: offer '${offer:-none}', answer '${desk_answer:-none}'"; fi
    audio=$(rtp_sent "$log_from" "${calltaker_media[calltaker-1]}")
    if (( audio > 0 )); then pass "$case-audio" "$audio audio RTP packets sent to calltaker-1's audio port: the caller is heard"
    else fail "$case-audio" "no RTP sent to calltaker-1's audio port :${calltaker_media[calltaker-1]}"; fi
    note "$case-rtp" "audio RTP: $(rtp_got "$log_from" 127.0.0.1 "$media_base") packet(s) from the caller; video: $(rtp_sent "$log_from" $((calltaker_media[calltaker-1] + 2))) sent to calltaker-1's video port"
    expect_event $case ledger "$n" video.none "calltaker-1: audio only; it " 10
    [[ $(ledger_events "$n" video.none) == *vp8* ]] || fail "$case-ledger-why" "video.none does not name the caller's vp8: '$(ledger_events "$n" video.none)'"

    # video-blind: an app caller's video call transferred blind to the police: the call-taker leaves at once and the
    # agency leg is dialled as for an IVR-classified call (with the caller's media, DialRequest.MediaFrom); the agency
    # (police-almaty-1 taking video again) must get the caller's video in the two-party bridge. calltaker-1 has the
    # H.264-only phone now, which takes this caller's H.264.
    echo "-- the police app's video call transferred blind to the police"
    case=video-blind; n=+77271000964
    stop_sipp "${uas_pid[$agency]}" 5
    start_agency $agency "$here/desk-video-uas.xml"
    mkdir -p "$work/$case"
    python3 "$here/video-pcap.py" "$work/$case/video.pcap" 750 99 || fail "$case-pcap" "video-pcap.py could not write $work/$case/video.pcap"
    wait_position calltaker-1 Available 20
    from_port=$app_port call_launch $case "$here/caller-video.xml" 112 "$n" 30000
    if wait_for_event "$n" calltaker.joined 40 calltaker-1; then
        pass "$case-answered" "calltaker-1 answered the app's video call"
        id=$(ledger_call_id "$n")
        if api_ok $case classify POST "/calls/$id/classify" aigerim '{"agency":"police","incidentType":"theft","kind":"emergency"}' \
            && api_ok $case transfer POST "/calls/$id/transfer" aigerim '{"agency":"police","mode":"blind"}'; then
            blind_from=$(log_lines)
            if wait_for_event "$n" leg.answered 30 $agency; then
                expect_video_to "$case-rtp-agency" "$blind_from" "$agency_video" "calltaker-1 gone, $agency answered the blind transfer"
            else fail "$case-transfer" "no leg.answered by $agency within 30 s (got: $(ledger_events "$n" leg.answered))"; ledger_story "$n"; fi
        fi
    else
        fail "$case-answered" "calltaker-1 never joined the video call (offers: $(ledger_events "$n" offer))"; ledger_story "$n"
    fi
    expect_video_transfer_end $case $agency "$n"

    # video-sos: an SOS button with an H.264-only camera (the device +77270000101 of Routing:Devices, from
    # SOS_BUTTON_NETWORK 127.0.0.2: endpoint sos-buttons, context from-sos, entry Sos) queues in the centre group
    # police: calltaker-11's H.264-only phone answers and gets the picture.
    echo "-- an SOS button with a camera (H.264 only) to the police group's H.264-only desk phone"
    case=video-sos; n=+77270000101
    sos_host=$(sed -nE 's|^SOS_BUTTON_NETWORK=([0-9.]+)/32$|\1|p' "$env_file" | tail -n 1)
    mkdir -p "$work/$case"
    video_caller_only h264 "$work/$case/caller-h264.xml"
    python3 "$here/video-pcap.py" "$work/$case/video.pcap" 600 99 || fail "$case-pcap" "video-pcap.py could not write $work/$case/video.pcap"
    if [[ -z $sos_host ]] || ! is_loopback "$sos_host"; then
        fail "$case-setup" "SOS_BUTTON_NETWORK of $env_file is not one loopback address (/32): '$(grep '^SOS_BUTTON_NETWORK=' "$env_file")'"
    else
        stop_sipp "${uas_pid[calltaker-11]}" 5
        start_desk_phone calltaker-11 "$work/desk-h264-uas.xml"
        api_ok $case login POST /calltakers/calltaker-11/login marat
        if ! wait_position calltaker-11 Available 30; then fail "$case-position" "calltaker-11 is '$(position_state calltaker-11)' 30 s after login, want Available"; fi
        log_from=$(log_lines)
        from_host=$sos_host call_launch $case "$work/$case/caller-h264.xml" 112 "$n" 25000
        if wait_for_event "$n" calltaker.joined 40 calltaker-11; then pass "$case-answered" "calltaker-11 (police) answered the SOS button's video call"
        else fail "$case-answered" "calltaker-11 never joined the SOS call (offers: $(ledger_events "$n" offer))"; ledger_story "$n"; fi
        call_result $case
        expect_video_sdp $case desk-sdp calltaker-11 "$work/uas-calltaker-11.messages.log" "$n"
        got=$(rtp_got "$log_from" "$sos_host" $((media_base + 2)))
        sent=$(rtp_sent "$log_from" $((calltaker_media[calltaker-11] + 2)))
        if (( got > 0 && sent > 0 )); then pass "$case-rtp" "Asterisk got $got video RTP packets from the SOS button and sent $sent to calltaker-11's video port"
        else fail "$case-rtp" "video RTP: $got packet(s) from the button's video port $sos_host:$((media_base + 2)), $sent to calltaker-11's video port $((calltaker_media[calltaker-11] + 2))"; fi
        expect_event $case ledger "$n" video.leg "calltaker-11: h264" 10
        api_ok $case logout POST /calltakers/calltaker-11/logout boss
        stop_sipp "${uas_pid[calltaker-11]}" 5
        for f in messages.log stat.csv errors.log out; do [[ -f $work/uas-calltaker-11.$f ]] && cp "$work/uas-calltaker-11.$f" "$work/$case/desk.$f"; done
        start_desk_phone calltaker-11
    fi
    ast_cli 'rtp set debug off' >/dev/null
    api_ok video logout POST /calltakers/calltaker-1/logout boss
    stop_sipp "${uas_pid[calltaker-1]}" 5
    # The phone's logs are rewritten when its usual SIPp starts again: keep the H.264 phone's with its case.
    for f in messages.log stat.csv errors.log out; do [[ -f $work/uas-calltaker-1.$f ]] && cp "$work/uas-calltaker-1.$f" "$work/video-vp8-only/desk.$f"; done
    start_desk_phone calltaker-1
fi

if want deadman; then
    echo "-- the engine is killed (kill -9) while a caller is in the menu: the dead man's switch"
    # The caller dials 112 and stays silent for 20 s. As soon as Asterisk plays the engine's first prompt
    # to it, a watcher kills the engine with SIGKILL (nothing of the engine runs any more). Nobody pushes
    # the caller's TIMEOUT(absolute) back: after at most DEADMAN_SECONDS Asterisk takes it out of Stasis
    # to the T extension, whose fallback dials calltakers-1. The watcher measures from the kill to the
    # call-taker's INVITE (bounded poll) and the caller's SIPp must see its call through.
    deadman=$(sed -nE 's/^DEADMAN_SECONDS *= *([0-9]+).*/\1/p' "$repo/dialplans/extensions.conf" | head -n 1)
    n=+77271000801
    ( log=$work/log/messages.log; channel=""
      for (( i = 0; i < 300; i++ )); do
          channel=$(caller_channel "$log" "$n")
          [[ -n $channel ]] && grep -a -q -F "<$channel> Playing '112/" "$log" && break
          sleep 0.1
      done
      [[ -n $channel ]] || { echo "no channel" > "$work/deadman.result"; exit 0; }
      killed=$(date +%s%N)
      kill -KILL "$engine_pid" 2>/dev/null
      for (( i = 0; i < 10 * (deadman + 20); i++ )); do
          [[ -n $(agency_dialogs "$work/uas-calltakers-1.messages.log" "$n") ]] && break
          sleep 0.1
      done
      if [[ -n $(agency_dialogs "$work/uas-calltakers-1.messages.log" "$n") ]]; then
          echo "reached $(( ($(date +%s%N) - killed) / 1000000 )) $channel" > "$work/deadman.result"
      else
          echo "not-reached $(( ($(date +%s%N) - killed) / 1000000 )) $channel" > "$work/deadman.result"
      fi ) &
    watcher=$!
    call deadman-menu caller-silent 112 "$n;1;1;info" 20000
    wait "$watcher"
    wait "$engine_pid" 2>/dev/null; engine_pid=""
    read -r outcome elapsed_ms channel < "$work/deadman.result" 2>/dev/null || outcome=""
    case $outcome in
        reached)
            if (( elapsed_ms <= (deadman + 5) * 1000 )); then
                pass deadman-menu-fallback "engine killed during the menu; calltakers-1 got the call ${elapsed_ms} ms later (bound: DEADMAN_SECONDS=$deadman s + 5 s)"
            else
                fail deadman-menu-fallback "calltakers-1 got the call only ${elapsed_ms} ms after the kill (bound: $deadman s + 5 s)"
            fi
            if grep -a -q -F "Executing [T@from-pstn:1] NoOp(\"$channel\"" "$work/log/messages.log"; then
                pass deadman-menu-T "Asterisk moved $channel on through the T extension of [from-pstn]"
            else
                fail deadman-menu-T "no 'Executing [T@from-pstn:1]' for $channel in messages.log"
            fi
            ;;
        not-reached) fail deadman-menu-fallback "calltakers-1 never got the call within $deadman + 20 s of the kill ($channel)" ;;
        *) fail deadman-menu-fallback "the engine never played a prompt to $n, so it was not killed (${outcome:-no result})" ;;
    esac
    expect_agency deadman-menu calltakers-1 "$n"
    start_engine || die "the engine did not come back after kill -9 within 60 s (log: $work/engine.log)"
fi

# --- texts (SIP MESSAGE from the app gateway's text side, endpoint app-messages) --------------------------
# The police text desk (TEXT_DESK_POLICE_HOST) is a SIPp that answers every MESSAGE; the app gateway's text
# side (APP_GATEWAY_TEXT_HOST) sends one MESSAGE per case (text-sender.xml) and, on the same port, takes what
# Asterisk sends back to the caller (its out-of-call scenario, text-desk-uas.xml). Both bounded by -m/-timeout.
text_desk_pid=""
ext_value() { sed -nE "s/^$1 *= *(.*)\$/\\1/p" "$repo/dialplans/extensions.conf" | head -n 1; }
start_text_desk() {
    split_host_port "${env_value[TEXT_DESK_POLICE_HOST]:-}" 5060 || { fail text-desk "the env file has no TEXT_DESK_POLICE_HOST"; return 1; }
    is_loopback "$SPLIT_HOST" || die "TEXT_DESK_POLICE_HOST $SPLIT_HOST is not loopback"
    ( cd "$work" && exec sipp -sf "$here/text-desk-uas.xml" -i "$SPLIT_HOST" -p "$SPLIT_PORT" -mi "$SPLIT_HOST" -mp "$((media_base + 920))" \
        -nostdin -m 20 -timeout 300s \
        -trace_stat -stf text-desk-police.stat.csv -fd 1 -trace_err -error_file text-desk-police.errors.log \
        -trace_msg -message_file text-desk-police.messages.log > text-desk-police.out 2>&1 ) &
    text_desk_pid=$!
    local i
    for (( i = 0; i < 100; i++ )); do
        [[ -s $work/text-desk-police.stat.csv ]] && return 0
        kill -0 "$text_desk_pid" 2>/dev/null || break
        sleep 0.1
    done
    fail text-desk "the police text desk's SIPp did not start ($(tail -n 2 "$work/text-desk-police.out" 2>/dev/null))"
    return 1
}
# send_text CASE NUMBER TEXT WAIT_MS: one MESSAGE from NUMBER through the app gateway's text side; CASE-sip passes
# when Asterisk answered 202 (res_pjsip_messaging: some handler wanted it). The gateway stays up WAIT_MS after it.
send_text() {
    local name=$1 number=$2 text=$3 wait_ms=$4 dir=$work/$1 rc ok
    split_host_port "${env_value[APP_GATEWAY_TEXT_HOST]:-}" 5060 || { fail "$name-sip" "the env file has no APP_GATEWAY_TEXT_HOST"; return 1; }
    is_loopback "$SPLIT_HOST" || die "APP_GATEWAY_TEXT_HOST $SPLIT_HOST is not loopback"
    mkdir -p "$dir"
    printf 'SEQUENTIAL\n%s;%s\n' "$number" "$text" > "$dir/texts.csv"
    ( cd "$dir" && exec sipp "$sip_target" -sf "$here/text-sender.xml" -oocsf "$here/text-desk-uas.xml" -inf "$dir/texts.csv" \
        -i "$SPLIT_HOST" -p "$SPLIT_PORT" -mi "$SPLIT_HOST" -mp "$((media_base + 900))" \
        -nostdin -m 1 -r 1 -l 1 -timeout "$(( wait_ms / 1000 + 30 ))s" -timeout_error -key reply_wait_ms "$wait_ms" \
        -trace_stat -stf gateway.stat.csv -fd 1 -trace_err -error_file gateway.errors.log \
        -trace_msg -message_file gateway.messages.log > gateway.out 2>&1 )
    rc=$?
    ok=$(stat_value "$dir/gateway.stat.csv" 'SuccessfulCall(C)')
    if [[ $rc -eq 0 && ${ok:-0} -eq 1 ]]; then pass "$name-sip" "MESSAGE from $number through app-messages answered 202 Accepted"; return 0; fi
    fail "$name-sip" "MESSAGE from $number: SIPp exit $rc, answer: $(sip_messages "$dir/gateway.messages.log" | awk -F'\t' '$1 == "received" && $2 ~ /^SIP/ { print $2 }' | paste -sd, -) (logs: $dir)"
    return 1
}
# heartbeat_age: seconds since the engine's last ROUTING112_TEXT_HEARTBEAT (global, over ARI); "" when unset.
heartbeat_age() {
    local beat
    beat=$(curl -sf -u "routing:$ari_password" "${ari_url}asterisk/variable?variable=ROUTING112_TEXT_HEARTBEAT" | grep -oE '"value":"[0-9]+"' | grep -oE '[0-9]+')
    [[ -n $beat ]] && echo $(( $(date +%s) - beat ))
}
# desk_fallback_messages NUMBER: the MESSAGEs the police desk received that the dialplan forwarded for NUMBER.
desk_fallback_messages() {
    sip_messages "$work/text-desk-police.messages.log" | awk -F'\t' -v n="from $1:" '$1 == "received" && $2 ~ /^MESSAGE / && index($7, "[112 text fallback") && index($7, n)'
}
text_stale=$(ext_value TEXT_HEARTBEAT_STALE)
text_reply=$(ext_value "TEXT_FALLBACK_REPLY_$(ext_value TEXT_FALLBACK_LANGUAGE)")

# text-engine: while the engine runs (heartbeat fresh) its text session gets the MESSAGE (TextMessageReceived,
# ledger text.in) and [messages-app] forwards nothing. Run just before the engine is stopped.
text_while_engine_runs() {
    echo "-- a text (SIP MESSAGE) from the police app while the engine runs"
    local n=+77271000951 case=text-engine age from segment
    start_text_desk || return
    age=$(heartbeat_age)
    if [[ -n $age ]] && (( age < ${text_stale:-15} )); then pass "$case-heartbeat" "ROUTING112_TEXT_HEARTBEAT is ${age} s old (TEXT_HEARTBEAT_STALE ${text_stale} s)"
    else fail "$case-heartbeat" "ROUTING112_TEXT_HEARTBEAT is '${age:-unset}' s old while the engine runs, want < ${text_stale} s: the dialplan would forward texts the engine reads"; fi
    from=$(wc -l < "$work/log/messages.log" 2>/dev/null || echo 0)
    send_text "$case" "$n" "Помогите, в подъезде драка" 3000 || return
    expect_event "$case" ledger "$n" text.in "Помогите" 20
    if [[ -f $work/log/messages.log ]]; then
        segment=$(tail -n +"$((from + 1))" "$work/log/messages.log")
        if ! grep -q 'MESSAGE for the engine from endpoint' <<< "$segment"; then fail "$case-dialplan" "[messages-app] did not run for the MESSAGE (no 'MESSAGE for the engine' in messages.log)"
        elif grep -q "Text fallback: engine heartbeat .* from $n" <<< "$segment"; then fail "$case-dialplan" "[messages-app] forwarded the text although the engine runs: $(grep -m1 -o 'Text fallback: engine heartbeat [^"]*' <<< "$segment")"
        else pass "$case-dialplan" "[messages-app] ran beside the engine and forwarded nothing (heartbeat fresh)"; fi
    fi
    if [[ -z $(desk_fallback_messages "$n") ]]; then pass "$case-no-forward" "the police desk got no dialplan-forwarded copy of $n's text"
    else fail "$case-no-forward" "the police desk got a dialplan fallback copy while the engine ran: $(desk_fallback_messages "$n" | cut -f7 | head -n 1)"; fi
}

# text-away: the engine stopped and its heartbeat older than TEXT_HEARTBEAT_STALE: [messages-app] forwards the
# text to the police desk (the body prefixed with the sender's number) and answers the sender in
# TEXT_FALLBACK_LANGUAGE at pjsip:PJSIP/<number>@app-messages (the gateway's contact with the number as user).
text_while_engine_away() {
    echo "-- a text (SIP MESSAGE) from the police app while the engine is away"
    local n=+77271000952 case=text-away age i text="Help, I cannot speak. Shots at the market" got reply
    [[ -n $text_desk_pid ]] || start_text_desk || return
    for (( i = 0; i < 2 * (${text_stale:-15} + 20); i++ )); do
        age=$(heartbeat_age)
        [[ -z $age ]] || (( age > ${text_stale:-15} )) && break
        sleep 0.5
    done
    note "$case-heartbeat" "ROUTING112_TEXT_HEARTBEAT ${age:-unset} s old (stale after ${text_stale} s)"
    send_text "$case" "$n" "$text" 3000 || return
    got=$(desk_fallback_messages "$n" | head -n 1)
    # To names the desk (a To copied from the sender's MESSAGE, sip:112@<Asterisk>, would tell the desk the text was
    # for 112, and a gateway that reads To would deliver nothing).
    if [[ -n $got && $(cut -f7 <<< "$got") == "[112 text fallback: engine away] from $n: $text" && $(cut -f8 <<< "$got") == *"sip:police-text@"* ]]; then
        pass "$case-desk" "police-text got the MESSAGE from $(cut -f4 <<< "$got" | cut -d';' -f1) to $(cut -f8 <<< "$got" | cut -d';' -f1): '$(cut -f7 <<< "$got")'"
    elif [[ -n $got && $(cut -f8 <<< "$got") != *"sip:police-text@"* ]]; then fail "$case-desk" "police-text got the text addressed To: $(cut -f8 <<< "$got"), want the desk's own address"
    elif [[ -n $got ]]; then fail "$case-desk" "police-text got '$(cut -f7 <<< "$got")', want '[112 text fallback: engine away] from $n: $text'"
    else
        fail "$case-desk" "police-text got no forwarded MESSAGE for $n (desk got: $(sip_messages "$work/text-desk-police.messages.log" | awk -F'\t' '$1 == "received" { print $2 }' | tail -n 2 | paste -sd, -); dialplan: $(grep -a -o 'Text fallback: [^"]*' "$work/log/messages.log" 2>/dev/null | tail -n 3 | paste -sd';' -))"
    fi
    reply=$(sip_messages "$work/$case/gateway.messages.log" | awk -F'\t' '$1 == "received" && $2 ~ /^MESSAGE /' | head -n 1)
    if [[ -n $reply && $(cut -f7 <<< "$reply") == "$text_reply" && $(cut -f2 <<< "$reply") == "MESSAGE sip:$n@"* && $(cut -f8 <<< "$reply") == *"sip:$n@"* ]]; then
        pass "$case-reply" "the sender got '$(cut -f7 <<< "$reply")' at $(cut -f2 <<< "$reply" | cut -d' ' -f2), To $(cut -f8 <<< "$reply" | cut -d';' -f1), from $(cut -f4 <<< "$reply" | cut -d';' -f1)"
    elif [[ -n $reply ]]; then fail "$case-reply" "the sender got '$(cut -f2 <<< "$reply")' To: $(cut -f8 <<< "$reply") with '$(cut -f7 <<< "$reply")', want MESSAGE sip:$n@... To sip:$n@... with '$text_reply'"
    else fail "$case-reply" "no MESSAGE came back to the app gateway for $n (dialplan: $(grep -a -o 'Text fallback: [^"]*' "$work/log/messages.log" 2>/dev/null | tail -n 3 | paste -sd';' -))"; fi
    if [[ -f $work/log/messages.log ]]; then
        note "$case-status" "$(grep -a -o 'Text fallback: \(desk\|reply\) [A-Z_]*' "$work/log/messages.log" | tail -n 2 | paste -sd';' -)"
    fi
}


# text-restart: the engine comes back with texts on. It takes back the session text-engine left open (a clean stop
# leaves it open: it has not ended), the caller's next message joins that session, and it ends with one outcome when it
# goes idle (Text:IdleTimeout 60 s here); the text [messages-app] forwarded meanwhile (text-away) reaches the ledger from
# Asterisk's CEL (entry text-fallback-cel). Then kill -9: with the heartbeat written every second and
# TEXT_HEARTBEAT_STALE 3 s, probe texts sent one after the other show when the dialplan takes texts again (a figure).
text_after_restart() {
    echo "-- the engine comes back with texts on: the open session, the forwarded text; then kill -9"
    local n1=+77271000951 n2=+77271000952 case=text-restart i probe t0 window="" lost=0 sessions
    engine_env=(Centre__OfferTimeout=00:00:08 Centre__WrapUp=00:00:00 Text__IdleTimeout=00:01:00)
    start_engine || { fail "$case-engine" "the engine did not come back within 60 s (log: $work/engine.log)"; return; }
    expect_event "$case" adopted "$n1" text.adopted "this engine goes on with it" 30
    if wait_for_event "$n2" text.fallback 30 "police-text" && [[ $(ledger_sql "SELECT entry FROM calls WHERE caller_number = '$n2';") == text-fallback-cel ]]; then
        pass text-away-ledger "the forwarded text is on record: $(ledger_events "$n2" text.in); $(ledger_events "$n2" text.fallback | cut -c1-90)...; outcome $(ledger_outcomes "$n2" | paste -sd, -)"
    else
        fail text-away-ledger "the text [messages-app] forwarded while the engine was away is not in the ledger as text-fallback-cel (calls: $(ledger_sql "SELECT entry FROM calls WHERE caller_number = '$n2';" | paste -sd, -); CEL: $(grep -c routing112-text-fallback "$work/log/cel-custom/routing112.csv" 2>/dev/null) row(s))"
    fi
    send_text "$case" "$n1" "Он ушёл, я в безопасности" 1000
    expect_event "$case" joined "$n1" text.in "Он ушёл" 20
    sessions=$(ledger_sql "SELECT count(DISTINCT c.call_id) FROM calls c JOIN call_events e ON e.call_id = c.call_id WHERE c.caller_number = '$n1' AND e.kind = 'text.in';")
    if [[ $sessions == 1 ]]; then pass "$case-same-session" "the caller's message after the restart joined the session of before it"
    else fail "$case-same-session" "$n1's messages are in $sessions sessions, want 1 (the adopted one)"; fi
    if wait_for_outcome "$n1" 150 && [[ $(ledger_outcomes "$n1" | paste -sd, -) == Completed ]]; then
        pass "$case-outcome" "one outcome when it went idle: Completed ($(ledger_events "$n1" text.closed))"
    else fail "$case-outcome" "$n1's session has outcomes '$(ledger_outcomes "$n1" | paste -sd, -)', want one Completed (idle after 60 s)"; ledger_story "$n1"; fi

    kill -KILL "$engine_pid" 2>/dev/null
    wait "$engine_pid" 2>/dev/null
    engine_pid=""
    t0=$(date +%s.%N)
    for (( i = 0; i < 20; i++ )); do
        probe=$(printf '+772710009%02d' "$i")
        send_text "text-kill-$i" "$probe" "probe $i after kill -9" 300 >/dev/null || true
        if [[ -n $(desk_fallback_messages "$probe") ]]; then window=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'); break; fi
        lost=$((lost + 1))
    done
    if [[ -n $window ]]; then
        pass text-kill-fallback "after kill -9 the dialplan forwarded probe $i to the desk; $lost probe(s) before it reached no one"
        note text-kill-window "first forwarded text ${window} s after kill -9 (heartbeat every 1 s, TEXT_HEARTBEAT_STALE ${text_stale} s; was 15 s)"
    else fail text-kill-fallback "no probe text was forwarded to the desk within 20 probes after kill -9 (dialplan: $(grep -a -o 'Text fallback: [^"]*' "$work/log/messages.log" 2>/dev/null | tail -n 2 | paste -sd';' -))"; fi
}

if want fallback || want text; then
    want text && text_while_engine_runs
    echo "-- the engine is absent: the dialplan's fallback routes"
    stop_engine
    for (( i = 0; i < 50; i++ )); do ast_app_registered || break; sleep 0.2; done
    absent_log_from=$(wc -l < "$work/log/messages.log" 2>/dev/null || echo 0)
    if want fallback; then
        n=+77251000601; call fallback-101 caller-direct 101 "$n;1;1;info" 5000 && expect_agency fallback-101 fire-shymkent-1 "$n"
        n=+77271000602; call fallback-112 caller-direct 112 "$n;1;1;info" 5000 && expect_agency fallback-112 calltakers-1 "$n"
    fi
    # Asterisk keeps an app whose websocket is gone listed while it still has endpoint subscriptions (the text
    # endpoints'), and destroys it only in the cleanup its unregister runs (res_stasis.c): a clean stop (SIGTERM) drops
    # them before it closes the websocket (Calls/EndpointSubscriptions.cs), so the app must be gone now. Stasis() refuses
    # callers at once either way; an app still listed means the engine could not drop them (its log 1601 says why).
    if ! ast_app_registered; then pass engine-absent "Asterisk no longer lists Stasis app routing112 after the engine's clean stop"
    elif tail -n +"$((absent_log_from + 1))" "$work/log/messages.log" | grep -q "Stasis app 'routing112' not active"; then
        fail engine-absent "Stasis app routing112 is still listed after the engine's clean stop (its endpoint subscriptions were not dropped: $(grep -a -m1 -o 'endpoint subscriptions .* could not be dropped[^;]*' "$work/engine.log" || echo 'no 1601 in engine.log')); Stasis() did refuse the callers as inactive"
    else fail engine-absent "Asterisk still lists Stasis app routing112 after the engine's clean stop and did not refuse the callers as inactive"; fi
    want text && text_while_engine_away
    want text && text_after_restart
    [[ -n $text_desk_pid ]] && { stop_sipp "$text_desk_pid" 5; text_desk_pid=""; }
    # The engine comes back, this time without the centre (Centre:Enabled=false: the IVR menus route to
    # the agency, as an installation without call-takers runs). Calls the dialplan routed meanwhile
    # reach the ledger through Asterisk's CEL file (Asterisk:CelImport).
    engine_env=(Centre__Enabled=false)
    start_engine || die "the engine did not come back within 60 s (log: $work/engine.log)"
    if want fallback; then
        for n in +77251000601 +77271000602; do
            if [[ -f $etc/cel_custom.conf ]]; then
                if wait_for_outcome "$n" 30 && [[ $(ledger_calls "$n" | wc -l) -eq 1 && $(ledger_outcomes "$n") == FailedOver ]]; then
                    pass "fallback-ledger$n" "recorded once the engine was back: one call, outcome FailedOver"
                else
                    fail "fallback-ledger$n" "not recorded as one FailedOver call once the engine was back (outcomes: $(ledger_outcomes "$n" | paste -sd, -))"
                fi
            elif [[ -z $(ledger_calls "$n") ]]; then
                note "fallback-ledger$n" "not in the ledger: the dialplans write no CEL file yet, so calls routed while the engine is down are not recorded (issue 6, item 3)"
            fi
        done
    fi
fi

if want menu; then
    if [[ ${engine_env[*]} != Centre__Enabled=false ]]; then
        stop_engine
        engine_env=(Centre__Enabled=false)
        start_engine || die "the engine did not come back within 60 s (log: $work/engine.log)"
    fi
    echo "-- calls through the engine without the centre (Centre:Enabled=false): the IVR menus"
    # 112 and the menu: RFC 4733 digits (ru, ambulance), SIP INFO (kk, fire), one of each (en, gas).
    # The digits barge in 2.5 s into each prompt; the caller talks 8 s, then hangs up.
    n=+77271000101; call menu-rfc4733 caller-112-menu 112 "$n;2;3;rfc4733" 8000 \
        && expect_agency menu-rfc4733 ambulance-almaty-1 "$n"; expect_ledger menu-rfc4733 "$n" Completed ambulance-almaty-1; expect_language menu-rfc4733 "$n" ru
    n=+77251000102; call menu-sip-info caller-112-menu 112 "$n;1;1;info" 8000 \
        && expect_agency menu-sip-info fire-shymkent-1 "$n"; expect_ledger menu-sip-info "$n" Completed fire-shymkent-1; expect_language menu-sip-info "$n" kk
    n=+77171000103; call menu-mixed caller-112-menu 112 "$n;3;4;mixed" 8000 \
        && expect_agency menu-mixed gas-astana-1 "$n"; expect_ledger menu-mixed "$n" Completed gas-astana-1; expect_language menu-mixed "$n" en
fi

# --- after every call ------------------------------------------------------------------------
echo "-- afterwards"
# Every channel Asterisk still has (ARI lists them all, ours or not): a leg left behind shows here.
channels=""
for (( i = 0; i < 50; i++ )); do
    # (Empty names are the caller/connected names of the channel JSON.) Message/ast_msg_queue is Asterisk's own: main/message.c keeps one per message thread for every MESSAGE's
    # dialplan and reuses it (dialplan_handle_msg_cb), so it stays listed once a text has come.
    channels=$(curl -sf -u "routing:$ari_password" "${ari_url}channels" | grep -oE '"name":"[^"]*"' | cut -d'"' -f4 | grep -v -e '^Message/ast_msg_queue$' -e '^$' | paste -sd' ' -)
    [[ -z $channels ]] && break
    sleep 0.2
done
if [[ -z $channels ]]; then pass asterisk-channels "no channel left in Asterisk"
else fail asterisk-channels "still up 10 s after the last call: $channels"
fi

bad=$(ledger_sql "SELECT c.caller_number || ' (' || count(e.seq) || ')' FROM calls c LEFT JOIN call_events e ON e.call_id = c.call_id AND e.kind = 'outcome'
                  GROUP BY c.call_id HAVING count(e.seq) <> 1;" | paste -sd' ' -)
total=$(ledger_sql "SELECT count(*) FROM calls;")
if [[ -z $bad && ${total:-0} -gt 0 ]]; then pass ledger-one-outcome "each of the $total recorded calls has exactly one outcome"
else fail ledger-one-outcome "calls without exactly one outcome: ${bad:-none} (calls: ${total:-0})"
fi
rejected=$(ledger_sql "SELECT count(*) FROM rejected_records;")
if [[ ${rejected:-0} -eq 0 ]]; then pass ledger-no-rejected "no record refused by the database"
else fail ledger-no-rejected "$rejected record(s) in rejected_records"
fi

uas_bad=()
for trunk in $(printf '%s\n' "${!uas_pid[@]}" | sort); do
    f=$(stat_value "$work/uas-$trunk.stat.csv" 'FailedCall(C)')
    o=$(stat_value "$work/uas-$trunk.stat.csv" CurrentCall)
    (( ${f:-0} == 0 && ${o:-0} == 0 )) || uas_bad+=("$trunk: ${f:-0} failed, ${o:-0} open")
done
if (( ${#uas_bad[@]} == 0 )); then pass agencies-clean "every agency call ended cleanly (no failed or open call at any trunk)"
else fail agencies-clean "$(IFS=';'; echo "${uas_bad[*]}") (see $work/uas-*.errors.log)"
fi

if [[ -f $work/log/messages.log ]]; then
    warnings=$(grep -cE '(WARNING|ERROR)\[' "$work/log/messages.log")
    note asterisk-log "$warnings WARNING/ERROR line(s) in $work/log/messages.log"
fi

cleanup
echo "test-asterisk: $passed passed, $failed failed in $(( $(date +%s) - started_at )) s (logs: $work)"
(( failed == 0 ))
