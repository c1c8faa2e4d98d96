# shellcheck shell=bash
# lib.sh -- functions of the real-Asterisk suite (test-asterisk.sh sources it; it runs nothing).
# The SIPp helpers it builds on (stat_value, stop_sipp, is_loopback ...) are load-tests/sipp/lib.sh.

# --- the ledger (sqlite3 on the scratch ledger the suite's engine writes) ---------------------

# ledger_sql SQL...: run one query on $LEDGER_DB, '|'-separated rows, nothing on stderr when the
# database is not there yet (the engine creates it at start).
ledger_sql() {
    sqlite3 -batch -noheader "$LEDGER_DB" "$@" 2>/dev/null
}

# ledger_calls NUMBER: call ids recorded for this caller number, oldest first.
ledger_calls() {
    ledger_sql "SELECT call_id FROM calls WHERE caller_number = '$1' ORDER BY arrived_at;"
}

# ledger_outcomes NUMBER: every outcome recorded for this caller number's calls, one per line.
ledger_outcomes() {
    ledger_sql "SELECT e.detail FROM call_events e JOIN calls c ON c.call_id = e.call_id
                WHERE c.caller_number = '$1' AND e.kind = 'outcome' ORDER BY e.seq;"
}

# ledger_answered NUMBER: the trunks that answered this caller's calls (event leg.answered).
ledger_answered() {
    ledger_sql "SELECT e.detail FROM call_events e JOIN calls c ON c.call_id = e.call_id
                WHERE c.caller_number = '$1' AND e.kind = 'leg.answered' ORDER BY e.seq;" | paste -sd, -
}

# ledger_failed_legs NUMBER: the legs that failed for this caller (event leg.failed), comma-separated.
ledger_failed_legs() {
    ledger_sql "SELECT e.detail FROM call_events e JOIN calls c ON c.call_id = e.call_id
                WHERE c.caller_number = '$1' AND e.kind = 'leg.failed' ORDER BY e.seq;" | paste -sd, -
}

# ledger_story NUMBER: what the ledger holds for this caller, for a failure report.
ledger_story() {
    ledger_sql "SELECT '   ' || e.at || '  ' || e.kind || '  ' || e.detail FROM call_events e JOIN calls c ON c.call_id = e.call_id
                WHERE c.caller_number = '$1' ORDER BY e.seq;"
}

# wait_for_outcome NUMBER SECONDS: poll (bounded) until this caller's call has an outcome.
wait_for_outcome() {
    local number=$1 limit=$2 deadline
    deadline=$(( $(date +%s) + limit ))
    while (( $(date +%s) <= deadline )); do
        [[ -n $(ledger_outcomes "$number") ]] && return 0
        sleep 0.5
    done
    return 1
}

# --- what the agencies received (SIPp -trace_msg message files) -------------------------------

# received_requests MESSAGE_FILE: one line per SIP request SIPp received, as
#   METHOD<TAB>Call-ID<TAB>From<TAB>P-Asserted-Identity
# (SIPp writes "----- <time>" then "UDP message received [n] bytes :" before each message).
received_requests() {
    [[ -s $1 ]] || return 0
    awk '
        function flush() {
            if (incoming && method != "") printf "%s\t%s\t%s\t%s\n", method, callid, from, pai
            method = ""; callid = ""; from = ""; pai = ""; started = 0
        }
        /^-----------/ { flush(); incoming = 0; next }
        /message received/ { incoming = 1; next }
        /message sent/ { incoming = 0; next }
        incoming && !started && NF > 0 { started = 1; if ($0 !~ /^SIP\/2\.0/) method = $1; next }
        incoming && started {
            line = $0; sub(/\r$/, "", line)
            if (tolower(line) ~ /^call-id:/)              { sub(/^[^:]*:[ \t]*/, "", line); callid = line }
            else if (tolower(line) ~ /^(from|f):/)        { sub(/^[^:]*:[ \t]*/, "", line); from = line }
            else if (tolower(line) ~ /^p-asserted-identity:/) { sub(/^[^:]*:[ \t]*/, "", line); pai = line }
        }
        END { flush() }' "$1"
}

# agency_dialogs MESSAGE_FILE NUMBER: the INVITE/UPDATE requests of the dialogs whose first INVITE
# carries NUMBER (in From or P-Asserted-Identity), in arrival order (same columns as above).
agency_dialogs() {
    local file=$1 number=$2
    received_requests "$file" | awk -F'\t' -v n="$number" '
        { line[NR] = $0; m[NR] = $1; id[NR] = $2 }
        $1 == "INVITE" && !($2 in first) { first[$2] = NR; if (index($3, n) || index($4, n)) mine[$2] = 1 }
        END { for (i = 1; i <= NR; i++) if ((id[i] in mine) && (m[i] == "INVITE" || m[i] == "UPDATE")) print line[i] }'
}

# --- what the caller heard (Asterisk's messages.log, verbose 3) -------------------------------

# caller_channel LOG NUMBER: the PJSIP channel name of this caller's call, from the NoOp() with
# which every entry of dialplans/extensions.conf starts ("... from <number> on <channel>").
caller_channel() {
    grep -a -F "from $2 on PJSIP/" "$1" | grep -a -o 'on PJSIP/[^ ")]*' | head -n 1 | cut -c4-
}

# prompt_languages LOG CHANNEL PROMPT: the language folder of each time PROMPT was played to the
# channel ("<PJSIP/pstn-...> Playing '112/<lang>/<prompt>.<format>' (language '..')"), in order.
prompt_languages() {
    grep -a -F "<$2> Playing '112/" "$1" | grep -a -o "'112/[a-z]*/$3\." | cut -d/ -f2 | paste -sd, -
}

# --- SIP messages of any method, with their SDP and body (SIPp -trace_msg message files) ------

# sip_messages MESSAGE_FILE: one line per SIP message SIPp received or sent, as
#   received|sent<TAB>start line<TAB>Call-ID<TAB>From<TAB>CSeq<TAB>m-lines ('|'-joined)<TAB>body ('\n' as ' / ')<TAB>To
# The body is kept only for non-SDP bodies (MESSAGE text); SDP goes to the m-lines column.
sip_messages() {
    [[ -s $1 ]] || return 0
    awk '
        function flush() {
            if (dir != "" && start != "") printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", dir, start, callid, from, cseq, mlines, body, to
            start = ""; callid = ""; from = ""; to = ""; cseq = ""; mlines = ""; body = ""; inbody = 0; sdp = 0
        }
        /^-----------/ { flush(); dir = ""; next }
        /message received/ { dir = "received"; next }
        /message sent/ { dir = "sent"; next }
        dir == "" { next }
        {
            line = $0; sub(/\r$/, "", line)
            if (start == "") { if (line != "") start = line; next }
            if (!inbody) {
                if (line == "") { inbody = 1; next }
                l = tolower(line)
                if (l ~ /^(call-id|i):/)           { sub(/^[^:]*:[ \t]*/, "", line); callid = line }
                else if (l ~ /^(from|f):/)         { sub(/^[^:]*:[ \t]*/, "", line); from = line }
                else if (l ~ /^(to|t):/)           { sub(/^[^:]*:[ \t]*/, "", line); to = line }
                else if (l ~ /^cseq:/)             { sub(/^[^:]*:[ \t]*/, "", line); cseq = line }
                else if (l ~ /^(content-type|c):[ \t]*application\/sdp/) sdp = 1
                next
            }
            if (sdp) { if (line ~ /^m=/) mlines = mlines (mlines == "" ? "" : "|") line }
            else if (line != "") body = body (body == "" ? "" : " / ") line
        }
        END { flush() }' "$1"
}

# sdp_video_port MLINES: the port of the first m=video line of a '|'-joined m-line list ("" when none).
sdp_video_port() {
    tr '|' '\n' <<< "$1" | awk '$1 == "m=video" { print $2; exit }'
}
