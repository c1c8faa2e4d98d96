# shellcheck shell=bash
# bench-lib.sh -- the parsing and reporting of make bench-asterisk (bench-asterisk.sh sources it; it
# runs nothing). Kept apart from the run so that bench-check.sh (make test) can feed it recorded SIPp
# files from tests/fixtures/bench-asterisk without an Asterisk.

# BENCH_COLUMNS: the columns of the per-step results file (results.tsv), in order.
BENCH_COLUMNS="round method rate placed ok failed answered bridged p50_ms p99_ms latency_n ast_cpu_ms app_cpu_ms ast_rss_mb app_rss_mb left_channels left_bridges ledger_calls pass reason"

# sipp_invites FILE DIRECTION: one line "<epoch ms with µs><TAB><caller number>" for the first INVITE
# of each caller number that SIPp's -trace_msg FILE shows sent (DIRECTION sent) or received
# (received). The number is the user part of From (sip:<number>@...): the caller's own on the
# caller's side, the presentation Asterisk or the app gave the agency's INVITE on the agency's side.
# Retransmissions and re-INVITEs are not first INVITEs and are left out.
sipp_invites() {
    local file=$1 direction=$2
    [[ -s $file ]] || return 0
    awk -v want="$direction" '
        # Days from 1970-01-01 of a civil date (Howard Hinnant), so any awk will do and midnight is no edge.
        function days(y, m, d,   era, yoe, doy, doe) {
            y -= (m <= 2); era = int((y >= 0 ? y : y - 399) / 400); yoe = y - era * 400
            doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
            doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
            return era * 146097 + doe - 719468
        }
        /^-----------------------------------------------/ {
            split($2, dt, "-"); split($3, hms, ":")
            at = (days(dt[1] + 0, dt[2] + 0, dt[3] + 0) * 86400 + hms[1] * 3600 + hms[2] * 60 + hms[3]) * 1000
            state = 0; next
        }
        state == 0 && /^UDP message (sent|received)/ { state = (index($0, want) ? 1 : 3); next }
        state == 1 && NF > 0 { state = ($1 == "INVITE" ? 2 : 3); next }
        state == 2 && tolower($0) ~ /^(from|f):/ {
            if (match($0, /sip:[^@;>]+@/)) {
                number = substr($0, RSTART + 4, RLENGTH - 5)
                if (!(number in seen)) { seen[number] = 1; printf "%.3f\t%s\n", at, number }
            }
            state = 3
        }' "$file"
}

# route_latencies CALLER_MSGLOG AGENCY_MSGLOG: one line per caller number found on both sides, the
# milliseconds from the caller's INVITE leaving SIPp to the agency's INVITE reaching SIPp.
route_latencies() {
    awk -F'\t' 'NR == FNR { sent[$2] = $1; next } ($2 in sent) { printf "%.3f\n", $1 - sent[$2] }' \
        <(sipp_invites "$1" sent) <(sipp_invites "$2" received)
}

# invite_refusals ERRORS_LOG: "<code> <callers>" per final response >= 300 that callers' INVITEs got, from
# SIPp's -trace_err file, each caller (Call-ID) counted once however often the response was retransmitted.
# Under overload Asterisk answers 488 when it has no RTP port left for the caller's media
# (res_pjsip_sdp_rtp.c "Unable to create RTP instance"): no channel ever exists, so nothing can record
# that call; the overload report says how many there were instead of counting them as ledger gaps.
invite_refusals() {
    [[ -s $1 ]] || return 0
    awk '
        function flush() {
            if (code >= 300 && cseq == "INVITE" && cid != "" && !(cid in seen)) { seen[cid] = 1; n[code]++ }
            code = ""; cid = ""; cseq = ""
        }
        { sub(/\r$/, "") }
        /^.?[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]\t/ { flush() }
        match($0, /received .SIP\/2\.0 [0-9][0-9][0-9]/) { code = substr($0, RSTART + RLENGTH - 3, 3) + 0 }
        tolower($1) == "call-id:" || $1 == "i:" { cid = $2 }
        tolower($1) == "cseq:" { cseq = $3 }
        END { flush(); for (c in n) print c, n[c] }' "$1" | sort -n
}

# refusals_text: invite_refusals' lines on stdin as "488 ×119, 603 ×53", or "none".
refusals_text() {
    awk 'NF == 2 { printf "%s%s ×%s", (n++ ? ", " : ""), $1, $2 } END { if (!n) printf "none" }'
}

# percentile P: the P-th percentile (nearest rank) of the numbers on stdin, one decimal; "-" when none.
percentile() {
    sort -g | awk -v q="$1" '{ v[NR] = $1 } END { if (!NR) { print "-"; exit }
        i = int(q / 100 * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR; printf "%.1f\n", v[i] }'
}

# proc_cpu_ticks STATFILE: utime + stime (clock ticks) of a /proc/<pid>/stat line; the command name
# in parentheses may hold spaces, so the fields are counted after its closing parenthesis.
proc_cpu_ticks() {
    [[ -r $1 ]] || { echo 0; return 0; }
    local line rest
    line=$(<"$1") || { echo 0; return 0; }
    rest=${line##*) }
    awk '{ print $12 + $13 }' <<< "$rest"
}

# proc_rss_peak_mb STATUSFILE: VmHWM (peak resident set) of a /proc/<pid>/status, in MB; "-" without one.
proc_rss_peak_mb() {
    awk '$1 == "VmHWM:" { printf "%.0f\n", $2 / 1024; found = 1 } END { if (!found) print "-" }' "$1" 2>/dev/null || echo -
}

# cpu_ms_per_call TICKS_BEFORE TICKS_AFTER CALLS [CLK_TCK]: CPU milliseconds per call, two decimals.
cpu_ms_per_call() {
    local hz=${4:-$(getconf CLK_TCK)}
    awk -v b="$1" -v a="$2" -v n="$3" -v hz="$hz" 'BEGIN { if (n <= 0) print "-"; else printf "%.2f\n", (a - b) * 1000 / hz / n }'
}

# step_verdict PLACED WANTED OK FAILED ANSWERED BRIDGED LEFT_CHANNELS LEFT_BRIDGES: "pass", or
# "fail<TAB>why" naming every reason. A step passes when SIPp placed every call it was asked to,
# every caller's call succeeded, every agency leg was answered and acknowledged (the call was put
# through), and Asterisk holds no channel and no bridge afterwards.
step_verdict() {
    local placed=$1 wanted=$2 ok=$3 failed=$4 answered=$5 bridged=$6 channels=$7 bridges=$8 why=()
    (( placed == wanted )) || why+=("placed $placed of $wanted")
    (( failed == 0 )) || why+=("$failed failed")
    (( ok == placed )) || why+=("$ok of $placed successful")
    (( bridged == placed )) || why+=("$bridged of $placed put through to the agency")
    [[ $channels == 0 ]] || why+=("$channels channels left")
    [[ $bridges == 0 ]] || why+=("$bridges bridges left")
    if (( ${#why[@]} == 0 )); then echo pass; else local IFS=','; printf 'fail\t%s\n' "${why[*]}"; fi
}

# channel_counts CONCISE_FILE: "<channels> <in Stasis>" from `core show channels concise` output
# (fields separated by '!': channel!context!exten!priority!state!application!data!...).
channel_counts() {
    awk -F'!' 'NF > 5 { n++; if ($6 == "Stasis") s++ } END { printf "%d %d\n", n, s }' "$1" 2>/dev/null || echo "0 0"
}

# bridge_count BRIDGE_SHOW_FILE: bridges in `bridge show all` output (its first line is the header
# "Bridge-ID Name Chans Type ..."; each bridge is a line starting with its uuid). No {n} in the
# pattern: mawk, Debian's default awk, has no interval expressions.
bridge_count() {
    awk '$1 ~ /^[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+-[0-9a-f]+$/ { n++ } END { print n + 0 }' "$1" 2>/dev/null || echo 0
}

# bench_tables RESULTS_TSV COMPARE_RATE: the report, in markdown: every step, each method's highest
# passing rate (per round), and the issue 11 table at COMPARE_RATE calls/s. Warm-up steps are left
# out of all three; the overload step is listed with the steps but is no ramp.
bench_tables() {
    local tsv=$1 compare=$2
    echo "| round | method | calls/s | placed | ok / failed | put through | route p50 / p99 | Asterisk CPU/call | app CPU/call | RSS peak Asterisk / app | left ch / br | verdict |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    awk -F'\t' 'NR > 1 && $1 != "warmup" { printf "| %s | %s | %s | %s | %s / %s | %s | %s / %s ms | %s ms | %s | %s / %s MB | %s / %s | %s |\n",
        $1, $2, $3, $4, $5, $6, $8, $9, $10, $12, ($13 == "-" ? "—" : $13 " ms"), $14, $15, $16, $17, ($19 == "pass" ? "pass" : "FAIL: " $20) }' "$tsv"
    echo
    echo "| method | highest rate with 0 failed calls, every call put through (per round) |"
    echo "| --- | --- |"
    awk -F'\t' 'NR > 1 && $1 ~ /^[0-9]+$/ {
            key = $2 SUBSEP $1
            if (!(key in state)) { state[key] = "climbing"; best[key] = 0; if (!($2 in seen)) { seen[$2] = 1; order[++n] = $2 } rounds[$2] = rounds[$2] " " $1 }
            if (state[key] == "climbing") { if ($19 == "pass") best[key] = $3; else { state[key] = "stopped"; stop[key] = $3 } }
        }
        END { for (i = 1; i <= n; i++) { m = order[i]; out = ""; k = split(rounds[m], r, " ")
                for (j = 1; j <= k; j++) { key = m SUBSEP r[j]
                    out = out (out == "" ? "" : ", ") (best[key] ? best[key] : "none") (key in stop ? " (failed at " stop[key] ")" : " (no failure up to the last rate)") }
                printf "| %s | %s |\n", m, out } }' "$tsv"
    echo
    echo "| method at $compare calls/s | pass | route INVITE→agency INVITE p50 / p99 | app CPU per call | Asterisk CPU per call |"
    echo "| --- | --- | --- | --- | --- |"
    awk -F'\t' -v r="$compare" 'NR > 1 && $1 ~ /^[0-9]+$/ && $3 == r {
            if (!($2 in n)) order[++m] = $2
            n[$2]++; pass[$2] = pass[$2] (pass[$2] == "" ? "" : ", ") ($19 == "pass" ? "yes" : "no")
            lat[$2] = lat[$2] (lat[$2] == "" ? "" : ", ") $9 " / " $10 " ms"
            app[$2] = app[$2] (app[$2] == "" ? "" : ", ") ($13 == "-" ? "—" : $13 " ms")
            ast[$2] = ast[$2] (ast[$2] == "" ? "" : ", ") $12 " ms"
        }
        END { for (i = 1; i <= m; i++) { k = order[i]; printf "| %s | %s | %s | %s | %s |\n", k, pass[k], lat[k], app[k], ast[k] } }' "$tsv"
}
