#!/usr/bin/env bash
# run-load.sh -- a bounded SIPp load run against a real Asterisk running our dialplans.
#
# Starts one SIPp UAS per agency trunk / call-taker position of the Asterisk configuration (their
# addresses come from the same env file that `make install-asterisk` renders pjsip.conf from, so
# every PJSIP/<trunk> contact has a SIPp answering it), then one SIPp UAC playing the PSTN trunk
# at the given rate, concurrency and count, bounded in time by -timeout. Statistics go to a
# results directory; a summary is printed at the end. See README.md.
#
# This workplace forbids sending traffic to addresses that are not local: every address used
# (the Asterisk target, the caller's and the agencies' bind addresses) must be a loopback address
# unless --i-own-this-host is given, which states that the operator owns the target host and may
# load it.
#
# Exit status: 0 when every call succeeded on both sides, 1 when any failed or the run hit its
# time bound, 2 for bad arguments or a refused address, 3 when sipp is missing.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"

usage() {
    cat <<'EOF'
usage: load-tests/sipp/run-load.sh [options]

  --scenario NAME        menu (112 + IVR digits, default) | direct (101-104) | abandon | silent
  -r RATE                new calls per second (default 2)
  -l LIMIT               most calls open at once (default: enough for RATE x call length)
  -m COUNT               calls to place (default 20)
  --hold SECONDS         how long the caller stays after the menu / after answer (default 10; silent 60)
  --service NUMBER       number dialled (default 112; direct: 102)
  --inf FILE             injection file (default load-tests/sipp/callers.csv)
  --info-only            send every digit as SIP INFO (no RFC 4733; no root needed)
  --lang-wait-ms N       from answer to the language digit (default 16000: greeting + language menu)
  --service-wait-ms N    from the language digit to the service digit (default 18000: service menu)
  --abandon-ms N         abandon: when the caller hangs up (default 4000)
  --ring-ms N            agencies ring this long before answering (default 1000)
  --agency-talk-ms N     agencies hang up after this long (default 3600000: Asterisk hangs up first)
  --busy T1,T2           these trunks answer 486 Busy Here (names as in pjsip.conf)
  --noanswer T1,T2       these trunks ring and never answer
  --target HOST[:PORT]   Asterisk's PJSIP UDP address (default: SIP_BIND of the env file)
  --env FILE             addresses (default $ROUTING_ENV_FILE, else dialplans/env.example)
  --timeout SECONDS      hard bound for the caller run (default: COUNT/RATE + call length + 120)
  --results DIR          where statistics go (default var/load-results/<scenario>-<UTC time>)
  --i-own-this-host      allow addresses that are not loopback (see README.md)
  --dry-run              print the trunk map and the sipp commands, start nothing
  --no-identity-check    agencies accept any caller identity (selfcheck.sh only: without Asterisk
                         the caller reaches an agency with its own identity, not the engine's)
EOF
}

die() { echo "run-load.sh: $*" >&2; exit 2; }
positive() { if ! [[ $2 =~ ^[0-9]+$ ]] || (( 10#$2 == 0 )); then die "$1 needs a positive whole number, got '$2'"; fi; }

scenario=menu rate=2 limit="" count=20 hold="" service="" inf="$here/callers.csv" info_only=0
lang_wait=16000 service_wait=18000 abandon=4000 ring=1000 agency_talk=3600000
busy="" noanswer="" target="" env_file="${ROUTING_ENV_FILE:-$repo/dialplans/env.example}"
timeout="" results="" own_host=0 dry_run=0 identity_check=1

while (( $# > 0 )); do
    case $1 in
        --scenario) scenario=${2:-}; shift 2 ;;
        -r) rate=${2:-}; shift 2 ;;
        -l) limit=${2:-}; shift 2 ;;
        -m) count=${2:-}; shift 2 ;;
        --hold) hold=${2:-}; shift 2 ;;
        --service) service=${2:-}; shift 2 ;;
        --inf) inf=${2:-}; shift 2 ;;
        --info-only) info_only=1; shift ;;
        --no-identity-check) identity_check=0; shift ;;
        --lang-wait-ms) lang_wait=${2:-}; shift 2 ;;
        --service-wait-ms) service_wait=${2:-}; shift 2 ;;
        --abandon-ms) abandon=${2:-}; shift 2 ;;
        --ring-ms) ring=${2:-}; shift 2 ;;
        --agency-talk-ms) agency_talk=${2:-}; shift 2 ;;
        --busy) busy=${2:-}; shift 2 ;;
        --noanswer) noanswer=${2:-}; shift 2 ;;
        --target) target=${2:-}; shift 2 ;;
        --env) env_file=${2:-}; shift 2 ;;
        --timeout) timeout=${2:-}; shift 2 ;;
        --results) results=${2:-}; shift 2 ;;
        --i-own-this-host) own_host=1; shift ;;
        --dry-run) dry_run=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument '$1'" ;;
    esac
done

# --- arguments ----------------------------------------------------------------------------
case $scenario in
    menu)    xml=$here/caller-112-menu.xml; service=${service:-112}; hold=${hold:-10} ;;
    direct)  xml=$here/caller-direct.xml;   service=${service:-102}; hold=${hold:-10} ;;
    abandon) xml=$here/caller-abandon.xml;  service=${service:-112}; hold=${hold:-10} ;;
    silent)  xml=$here/caller-silent.xml;   service=${service:-112}; hold=${hold:-60} ;;
    *) die "--scenario must be menu, direct, abandon or silent, not '$scenario'" ;;
esac
if ! [[ $rate =~ ^[0-9]+(\.[0-9]+)?$ ]] || ! awk -v r="$rate" 'BEGIN { exit !(r > 0) }'; then
    die "-r needs a positive number of calls per second, got '$rate'"
fi
positive -m "$count"; positive --hold "$hold"
positive --lang-wait-ms "$lang_wait"; positive --service-wait-ms "$service_wait"; positive --abandon-ms "$abandon"
positive --ring-ms "$ring"; positive --agency-talk-ms "$agency_talk"
[[ $service =~ ^[0-9+*#]+$ ]] || die "--service must be a dialled number like 112 or 102, not '$service'"
[[ -z $limit ]] || positive -l "$limit"
[[ -z $timeout ]] || positive --timeout "$timeout"
# Base 10 from here on: "08" must not become an octal error in shell arithmetic.
count=$((10#$count)) hold=$((10#$hold)) lang_wait=$((10#$lang_wait)) service_wait=$((10#$service_wait))
abandon=$((10#$abandon)) ring=$((10#$ring)) agency_talk=$((10#$agency_talk))
[[ -z $limit ]] || limit=$((10#$limit))
[[ -z $timeout ]] || timeout=$((10#$timeout))
[[ -r $env_file ]] || die "--env: cannot read '$env_file'"

check_callers_csv "$inf" || die "--inf: '$inf' is not a valid injection file (see README.md)"
# SIPp runs inside the results directory: every path it gets must be absolute.
inf=$(cd "$(dirname "$inf")" && pwd)/$(basename "$inf")

# --- addresses from the env file (NAME=value lines, read, never executed) --------------------
declare -A env_value=()
while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || continue
    name=${BASH_REMATCH[2]} value=${BASH_REMATCH[3]}
    if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then value=${BASH_REMATCH[1]}; fi
    env_value[$name]=$value
done < "$env_file"

# Trunk names as pjsip.conf.in spells them: TRUNK_POLICE_ALMATY_1_HOST -> police-almaty-1.
declare -A trunk_addr=()
for name in "${!env_value[@]}"; do
    [[ $name =~ ^TRUNK_([A-Z0-9_]+)_HOST$ ]] || continue
    trunk=${BASH_REMATCH[1],,}; trunk=${trunk//_/-}
    trunk_addr[$trunk]=${env_value[$name]}
done
(( ${#trunk_addr[@]} > 0 )) || die "$env_file has no TRUNK_<NAME>_HOST addresses"
mapfile -t trunks < <(printf '%s\n' "${!trunk_addr[@]}" | sort)

caller_addr=${env_value[PSTN_TRUNK_HOST]:-}
[[ -n $caller_addr ]] || die "$env_file has no PSTN_TRUNK_HOST: the caller must send from the address Asterisk identifies as the PSTN trunk"
split_host_port "$caller_addr" 5060 || die "PSTN_TRUNK_HOST '$caller_addr' is not HOST[:PORT]"
caller_host=$SPLIT_HOST caller_port=$SPLIT_PORT

if [[ -z $target ]]; then
    split_host_port "${env_value[SIP_BIND]:-127.0.0.1:5060}" 5060 || die "SIP_BIND '${env_value[SIP_BIND]}' is not HOST[:PORT]"
    case $SPLIT_HOST in 0.0.0.0|::) SPLIT_HOST=127.0.0.1 ;; esac
    target="$SPLIT_HOST:$SPLIT_PORT"
fi
split_host_port "$target" 5060 || die "--target '$target' is not HOST[:PORT]"
target_host=$SPLIT_HOST target_port=$SPLIT_PORT

declare -A trunk_mode=()
for trunk in "${trunks[@]}"; do trunk_mode[$trunk]=answer; done
IFS=',' read -ra list <<< "$busy"
for trunk in "${list[@]}"; do
    [[ -n ${trunk_addr[$trunk]:-} ]] || die "--busy: no trunk '$trunk' in $env_file (known: ${trunks[*]})"
    trunk_mode[$trunk]=busy
done
IFS=',' read -ra list <<< "$noanswer"
for trunk in "${list[@]}"; do
    [[ -n ${trunk_addr[$trunk]:-} ]] || die "--noanswer: no trunk '$trunk' in $env_file (known: ${trunks[*]})"
    [[ ${trunk_mode[$trunk]} == answer ]] || die "trunk '$trunk' is given both --busy and --noanswer"
    trunk_mode[$trunk]=noanswer
done

# --- the loopback rule ----------------------------------------------------------------------
refused=()
is_loopback "$target_host" || refused+=("Asterisk target $target_host")
is_loopback "$caller_host" || refused+=("caller bind address $caller_host (PSTN_TRUNK_HOST)")
declare -A seen_port=(["$caller_host:$caller_port"]=PSTN_TRUNK_HOST)
for trunk in "${trunks[@]}"; do
    split_host_port "${trunk_addr[$trunk]}" 5060 || die "trunk $trunk: '${trunk_addr[$trunk]}' is not HOST[:PORT]"
    is_loopback "$SPLIT_HOST" || refused+=("trunk $trunk bind address $SPLIT_HOST")
    key="$SPLIT_HOST:$SPLIT_PORT"
    [[ -z ${seen_port[$key]:-} ]] || die "trunk $trunk and ${seen_port[$key]} share $key: one SIPp per address"
    seen_port[$key]=$trunk
done
if (( ${#refused[@]} > 0 && ! own_host )); then
    echo "run-load.sh: refusing to send SIP/RTP to, or listen on, addresses that are not loopback:" >&2
    printf '  %s\n' "${refused[@]}" >&2
    echo "Only loopback (127.0.0.0/8, ::1) is allowed here. If you own that host and may load it," >&2
    echo "pass --i-own-this-host (see README.md, 'Targets')." >&2
    exit 2
fi

# --- timing, concurrency and RTP ports -------------------------------------------------------
case $scenario in
    menu)    call_ms=$(( lang_wait + 300 + service_wait + 300 + hold * 1000 )); talk_ms=$(( hold * 1000 )) ;;
    direct)  call_ms=$(( hold * 1000 )); talk_ms=$call_ms ;;
    abandon) call_ms=$abandon; talk_ms=0 ;;
    silent)  call_ms=$(( hold * 1000 )); talk_ms=$call_ms ;;
esac
call_s=$(( (call_ms + ring + 999) / 1000 ))
agency_s=$(( (talk_ms + ring + 999) / 1000 ))
# Little's law, capped by the number of calls: calls open at once = rate x call length.
open_calls() { awk -v r="$rate" -v s="$1" -v m="$count" 'BEGIN { c = r * s; c = (c == int(c)) ? c : int(c) + 1; if (c > m) c = m; printf "%d", c }'; }
concurrent=$(open_calls "$call_s")
[[ -n $limit ]] || limit=$(( concurrent * 3 / 2 > 10 ? concurrent * 3 / 2 : 10 ))
if (( limit < concurrent )); then
    echo "warning: -l $limit is below the ~$concurrent calls that $rate calls/s of ${call_s}s need; SIPp will hold the rate down" >&2
fi
# Asterisk: one RTP+RTCP port pair per leg; the caller leg for the whole call, the agency leg
# while it rings and talks.
rtp_ports=$(( 2 * concurrent + 2 * $(open_calls "$agency_s") ))
[[ -n $timeout ]] || timeout=$(awk -v m="$count" -v r="$rate" -v s="$call_s" 'BEGIN { printf "%d", m / r + s + 120 + 0.999 }')
uas_timeout=$(( timeout + 60 ))

# Variants of the injection file and scenario live in the results directory, next to what they produced.
[[ -n $results ]] || results="$repo/var/load-results/$scenario-$(date -u +%Y%m%dT%H%M%SZ)"
[[ $results == /* ]] || results=$PWD/$results
if [[ $scenario == menu ]] && (( ! info_only )) && grep -qE ';(rfc4733|mixed)$' "$inf" && ! can_play_pcap; then
    die "$inf sends RFC 4733 digits (play_pcap_audio needs root for its raw socket); run as root or pass --info-only"
fi
if (( ! dry_run )) && { (( info_only )) || ! can_play_pcap; }; then
    mkdir -p "$results" || die "cannot create $results"
fi
if (( info_only )); then
    (( dry_run )) || info_only_csv "$inf" "$results/callers-info.csv"
    inf=$results/callers-info.csv
fi
if ! can_play_pcap; then
    # SIPp will not even start a scenario that plays a pcap without root: use a copy without.
    echo "note: not root: the caller sends no RTP (no speech, no RFC 4733 digits)" >&2
    (( dry_run )) || without_pcap "$xml" "$results/$(basename "$xml")"
    xml=$results/$(basename "$xml")
fi

# --- commands -------------------------------------------------------------------------------
common=(-aa -nostdin -trace_err -fd 1)
declare -a uas_cmd_names=() uas_cmds=()
media=31010
for trunk in "${trunks[@]}"; do
    split_host_port "${trunk_addr[$trunk]}" 5060
    case ${trunk_mode[$trunk]} in
        answer)   uxml=$here/agency-uas.xml
                  if (( ! identity_check )); then
                      uxml=$results/agency-uas-any-identity.xml
                      (( dry_run )) || { mkdir -p "$results" && without_identity_check "$here/agency-uas.xml" "$uxml"; }
                  fi ;;
        busy)     uxml=$here/agency-busy.xml ;;
        noanswer) uxml=$here/agency-noanswer.xml ;;
    esac
    uas_cmd_names+=("$trunk")
    uas_cmds+=("sipp -sf $uxml -i $SPLIT_HOST -p $SPLIT_PORT -mi $SPLIT_HOST -mp $media ${common[*]} -timeout ${uas_timeout}s -key ring_ms $ring -key talk_ms $agency_talk -trace_stat -stf uas-$trunk.stat.csv -error_file uas-$trunk.errors.log")
    media=$(( media + 10 ))
done
caller_cmd="sipp $target_host:$target_port -sf $xml -s $service -inf $inf -i $caller_host -p $caller_port -mi $caller_host -mp 31000 ${common[*]} -r $rate -l $limit -m $count -d $(( hold * 1000 )) -timeout ${timeout}s -timeout_error -key lang_wait_ms $lang_wait -key service_wait_ms $service_wait -key abandon_ms $abandon -trace_stat -stf caller.stat.csv -error_file caller.errors.log -trace_rtt -rtt_freq 1 -trace_counts"

echo "== 112 SIPp load run: scenario $scenario (dials $service), target $target_host:$target_port"
echo "   $count calls at $rate/s, at most $limit open; ~${call_s}s per call -> ~$concurrent calls open, ~$rtp_ports Asterisk RTP ports"
echo "   bounded: caller -timeout ${timeout}s, agencies -timeout ${uas_timeout}s; addresses from $env_file"
printf '   %-22s %-22s %s\n' trunk address behaviour
for trunk in "${trunks[@]}"; do
    printf '   %-22s %-22s %s\n' "$trunk" "${trunk_addr[$trunk]}" "${trunk_mode[$trunk]}"
done
printf '   %-22s %-22s %s\n' "caller (pstn)" "$caller_host:$caller_port" "$(basename "$xml")"

if (( dry_run )); then
    echo "-- dry run: would run in $results:"
    for i in "${!uas_cmds[@]}"; do echo "${uas_cmds[$i]}"; done
    echo "$caller_cmd"
    exit 0
fi

require_sipp
mkdir -p "$results" || die "cannot create $results"
echo "   results: $results"

declare -A uas_pid=()
cleanup() {
    local t
    for t in "${!uas_pid[@]}"; do stop_sipp "${uas_pid[$t]}" 5; done
    uas_pid=()
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 1' INT TERM

for i in "${!uas_cmds[@]}"; do
    trunk=${uas_cmd_names[$i]}
    # shellcheck disable=SC2086  # the command is a word list on purpose
    ( cd "$results" && exec ${uas_cmds[$i]} >"uas-$trunk.out" 2>&1 ) &
    uas_pid[$trunk]=$!
done
# Each SIPp writes its statistics header once its socket is bound: wait for that (bounded).
for trunk in "${uas_cmd_names[@]}"; do
    for (( i = 0; i < 100; i++ )); do
        [[ -s $results/uas-$trunk.stat.csv ]] && break
        kill -0 "${uas_pid[$trunk]}" 2>/dev/null || break
        sleep 0.1
    done
    if [[ ! -s $results/uas-$trunk.stat.csv ]]; then
        echo "run-load.sh: the SIPp for trunk $trunk (${trunk_addr[$trunk]}) did not start:" >&2
        tail -n 5 "$results/uas-$trunk.out" >&2
        exit 1
    fi
done

echo "-- caller running (at most ${timeout}s) ..."
# shellcheck disable=SC2086
( cd "$results" && exec $caller_cmd >caller.out 2>&1 )
caller_rc=$?

# Let the agencies finish the calls that were open when the caller stopped, then stop them.
deadline=$(( $(date +%s) + 20 ))
while (( $(date +%s) < deadline )); do
    busy_uas=0
    for trunk in "${uas_cmd_names[@]}"; do
        open=$(stat_value "$results/uas-$trunk.stat.csv" CurrentCall)
        (( ${open:-0} > 0 )) && busy_uas=1
    done
    (( busy_uas )) || break
    sleep 0.5
done
cleanup

# SIPp names these after the scenario and its pid; give them stable names.
for kind in rtt counts; do
    for f in "$results"/"$(basename "$xml" .xml)"_*_"$kind".*; do
        [[ -e $f ]] && mv "$f" "$results/caller.$kind.${f##*.}"
    done
done

# --- summary --------------------------------------------------------------------------------
"$here/summarize.sh" "$results" "$count" "$caller_rc"
