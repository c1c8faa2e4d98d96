# shellcheck shell=bash
# scratch.sh -- a scratch Asterisk on loopback ports, shared by test-asterisk.sh and bench-asterisk.sh
# (source it; it runs nothing). The sourcing script defines die MESSAGE (exit 2) and note NAME TEXT,
# and sets before scratch_configure:
#   binary      the asterisk binary          work       the results directory (the scratch lives in it)
#   repo        the repository root          sip_port, http_port, ami_port, rtp_start, rtp_end
#   trunk_port_prefix  the digits that replace the leading 5 of every 5xxx SIP port of
#                      dialplans/env.example (15 -> 127.0.0.1:15061 ...), so nothing clashes with a lab
# scratch_configure sets prefix, moddir, etc, data, env_file, ari_password, ami_password, ast_conf;
# scratch_start sets asterisk_pid. Nothing here reads or writes the system's /etc/asterisk.

# ast_cli COMMAND: a CLI command on the Asterisk this script started, through its own control socket.
ast_cli() {
    [[ -n ${ast_conf:-} ]] && timeout 15 "$binary" -C "$ast_conf" -rx "$1" 2>/dev/null
}

port_free() { # PROTO PORT: nothing listens on 127.0.0.1:PORT
    local flag=-t; [[ $1 == udp ]] && flag=-u
    ! ss -H -l -n "$flag" "sport = :$2" 2>/dev/null | grep -q .
}

# scratch_configure: render dialplans/ (dialplans/install.sh) into $work/etc with fresh ARI/AMI
# passwords, this script's ports, and an asterisk.conf whose every directory is under $work.
scratch_configure() {
    prefix=$(cd "$(dirname "$binary")/.." && pwd)
    # Where this build keeps its modules and data: a source build's prefix/lib/asterisk, a
    # distribution's multiarch lib directory, /var/lib/asterisk for prefix /usr.
    moddir=${TEST_ASTERISK_MODULES:-}
    if [[ -z $moddir ]]; then
        local d
        for d in "$prefix"/lib/asterisk/modules "$prefix"/lib64/asterisk/modules "$prefix"/lib/*/asterisk/modules; do
            [[ -e $d/chan_pjsip.so ]] && { moddir=$d; break; }
        done
    fi
    [[ -n $moddir && -e $moddir/chan_pjsip.so ]] || die "no chan_pjsip.so under $prefix/lib*/ (set TEST_ASTERISK_MODULES to the modules directory)"
    local astdata=$prefix/var/lib/asterisk
    [[ -d $astdata || $prefix != /usr ]] || astdata=/var/lib/asterisk
    etc=$work/etc data=$work/data
    mkdir -p "$etc" "$data/sounds" "$work"/{run,log,spool,lib}
    # Asterisk's own data (ARI's api-docs, documentation) from the install; our sounds in scratch.
    local d
    for d in "$astdata"/*; do
        [[ -e $d && $(basename "$d") != sounds && ! -e $data/$(basename "$d") ]] && ln -s "$d" "$data/$(basename "$d")"
    done
    env_file=$work/asterisk.env
    ari_password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    ami_password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    # The lab values of env.example, each SIP port 5xxx moved to <trunk_port_prefix>xxx.
    { sed -E -e 's/^(ROUTING_ARI_PASSWORD)=.*/\1='"$ari_password"'/' -e 's/^(ROUTING_AMI_PASSWORD)=.*/\1='"$ami_password"'/' \
             -e 's/^(SIP_BIND)=.*/\1=127.0.0.1:'"$sip_port"'/' -e 's/^(TRUNK_QUALIFY_FREQUENCY)=.*/\1=0/' \
             -e '/_HOST=/ s/=127\.0\.0\.1:5([0-9]{3})$/=127.0.0.1:'"$trunk_port_prefix"'\1/' \
             -e 's|^(RECORDINGS_DIR)=.*|\1='"$work/recordings"'|' "$repo/dialplans/env.example"; } > "$env_file"
    # LOGDIR: install.sh creates <astlogdir>/cel-custom, which cel_custom needs and Asterisk does not create.
    ROUTING_ENV_FILE=$env_file ROUTING_SKIP_MODULE_CHECK=1 LOGDIR=$work/log bash "$repo/dialplans/install.sh" "$etc" "$data/sounds" > "$work/install.log" 2>&1 \
        || { cat "$work/install.log" >&2; die "dialplans/install.sh failed (log: $work/install.log)"; }
    # Nothing of the scratch Asterisk may point into the system's directories.
    local system_paths
    system_paths=$(grep -nE '^[^;]*(^|[ =>])/(etc|var|usr|opt|srv|home|tmp)/' "$etc"/*.conf | grep -v "$work" || true)
    [[ -z $system_paths ]] || die "the rendered configuration points outside the scratch directory (add the variable to the env rewrite in scratch.sh):
$system_paths"
    # Loopback ports of this run instead of the shipped 8088/5038 and the wide RTP range.
    sed -i -E "s/^bindport *=.*/bindport = $http_port/" "$etc/http.conf"
    sed -i -E "s/^port *=.*/port = $ami_port/" "$etc/manager.conf"
    sed -i -E -e "s/^rtpstart *=.*/rtpstart = $rtp_start/" -e "s/^rtpend *=.*/rtpend = $rtp_end/" "$etc/rtp.conf"
    grep -q "^bindport = $http_port$" "$etc/http.conf" && grep -q "^bindaddr *= *127.0.0.1" "$etc/http.conf" \
        && grep -q "^port = $ami_port$" "$etc/manager.conf" && grep -q "^bindaddr *= *127.0.0.1" "$etc/manager.conf" \
        && grep -q "^rtpstart = $rtp_start$" "$etc/rtp.conf" && grep -q "^bind = 127.0.0.1:$sip_port$" "$etc/pjsip.conf" \
        || die "the rendered http.conf/manager.conf/rtp.conf/pjsip.conf no longer have the lines scratch.sh moves to its loopback ports"
    ast_conf=$etc/asterisk.conf
    cat > "$ast_conf" <<CONF
; Written by load-tests/asterisk/scratch.sh: a scratch Asterisk, nothing shared with the system's.
[directories]
astetcdir => $etc
astmoddir => $moddir
astvarlibdir => $work/lib
astdbdir => $work/lib
astkeydir => $work/lib
astdatadir => $data
astagidir => $data/agi-bin
astspooldir => $work/spool
astrundir => $work/run
astlogdir => $work/log
astsbindir => $prefix/sbin

[options]
verbose = ${SCRATCH_VERBOSE:-3}
nofork = yes
documentation_language = en_US
CONF
    cat > "$etc/logger.conf" <<CONF
[general]
dateformat = %F %T.%3q
[logfiles]
messages.log => notice,warning,error$( (( ${SCRATCH_VERBOSE:-3} > 0 )) && printf ',verbose(%s)' "${SCRATCH_VERBOSE:-3}")
console => error
CONF
}

# scratch_start: start the configured Asterisk and wait (bounded, 60 s) until it is fully booted.
# False, with the tail of its logs on stderr, when it does not boot.
scratch_start() {
    ( cd "$work" && exec "$binary" -C "$ast_conf" -f -n -q > "$work/log/console.out" 2>&1 ) &
    asterisk_pid=$!
    local i booted=0
    for (( i = 0; i < 300; i++ )); do
        kill -0 "$asterisk_pid" 2>/dev/null || break
        if [[ -S $work/run/asterisk.ctl ]] && ast_cli 'core waitfullybooted' | grep -q 'fully booted'; then booted=1; break; fi
        sleep 0.2
    done
    if (( ! booted )); then
        tail -n 20 "$work/log/messages.log" "$work/log/console.out" >&2 2>/dev/null
        return 1
    fi
}

# scratch_missing_modules: the modules of dialplans/needed-modules.txt the started Asterisk has not loaded,
# one "module required|optional why" line each (nothing when all are there). A missing required module is
# a caller who reaches no one, and Asterisk only says so when a call reaches that step.
scratch_missing_modules() {
    # One 'module show' (every loaded module), asked again when a loaded box lets the CLI time out:
    # a module is only reported missing from a complete list, never from a failed call.
    local list="" attempt module kind why
    for (( attempt = 0; attempt < 3; attempt++ )); do
        list=$(ast_cli 'module show')
        grep -qE '^[0-9]+ modules loaded' <<< "$list" && break
        sleep 1
    done
    grep -qE '^[0-9]+ modules loaded' <<< "$list" || { echo "(cli) unanswered 'module show': the module list could not be read"; return; }
    while read -r module kind why; do
        [[ -z $module || $module == \#* ]] && continue
        grep -q "^$module " <<< "$list" || printf '%s %s %s\n' "$module" "$kind" "$why"
    done < "$repo/dialplans/needed-modules.txt"
}

# scratch_stop: stop the Asterisk scratch_start started (CLI 'core stop now', then signals), bounded.
scratch_stop() {
    [[ -n ${asterisk_pid:-} ]] || return 0
    if kill -0 "$asterisk_pid" 2>/dev/null; then
        ast_cli 'core stop now' >/dev/null
        local i
        for (( i = 0; i < 100; i++ )); do kill -0 "$asterisk_pid" 2>/dev/null || break; sleep 0.2; done
        if kill -0 "$asterisk_pid" 2>/dev/null; then kill -TERM "$asterisk_pid" 2>/dev/null; sleep 2; fi
        kill -0 "$asterisk_pid" 2>/dev/null && kill -KILL "$asterisk_pid" 2>/dev/null
    fi
    wait "$asterisk_pid" 2>/dev/null
    asterisk_pid=""
}

# --- the engine against it ---------------------------------------------------------------------
# start_engine: `routing run --real --plain` ($engine_bin) against ARI $ari_url / AMI $ami_host:$ami_port
# with a scratch SQLite ledger ($LEDGER_DB) and its admin API on $admin_port, logging to $work/engine.log,
# plus the NAME=value settings of the array engine_env (when the caller sets one);
# waits (bounded, 60 s) until /health says ariConnected and ARI lists the Stasis app. Sets engine_pid.
start_engine() {
    ( cd "$work" && exec env \
        Asterisk__Ari__BaseUrl="$ari_url" Asterisk__Ari__User=routing Asterisk__Ari__Password="$ari_password" \
        Asterisk__Ami__Host="$ami_host" Asterisk__Ami__Port="$ami_port" Asterisk__Ami__User=routing Asterisk__Ami__Password="$ami_password" \
        Ledger__Provider=sqlite Ledger__ConnectionString="Data Source=$LEDGER_DB" \
        Admin__Urls="http://127.0.0.1:$admin_port" Recordings__Directory="$work/recordings" \
        Asterisk__CelImport__File="$work/log/cel-custom/routing112.csv" Asterisk__CelImport__Interval=00:00:02 \
        ${engine_env[@]+"${engine_env[@]}"} "$engine_bin" run --real --plain >> "$work/engine.log" 2>&1 ) &
    engine_pid=$!
    local i
    for (( i = 0; i < 300; i++ )); do
        kill -0 "$engine_pid" 2>/dev/null || break
        if curl -sf "http://127.0.0.1:$admin_port/health" 2>/dev/null | grep -q '"ariConnected":true' \
            && ast_app_registered; then return 0; fi
        sleep 0.2
    done
    tail -n 20 "$work/engine.log" >&2
    return 1
}

ast_app_registered() {
    # Without a CLI (running instance elsewhere) ARI itself says which apps are registered.
    curl -sf -u "routing:$ari_password" "${ari_url}applications" | grep -q '"name":"routing112"'
}

# stop_engine: SIGTERM to the engine start_engine started, bounded (30 s), then SIGKILL.
stop_engine() {
    [[ -n ${engine_pid:-} ]] || return 0
    if kill -0 "$engine_pid" 2>/dev/null; then
        kill -TERM "$engine_pid" 2>/dev/null
        local i
        for (( i = 0; i < 150; i++ )); do kill -0 "$engine_pid" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$engine_pid" 2>/dev/null && { echo "engine pid $engine_pid did not stop within 30 s; killing it" >&2; kill -KILL "$engine_pid" 2>/dev/null; }
    fi
    wait "$engine_pid" 2>/dev/null
    engine_pid=""
}
