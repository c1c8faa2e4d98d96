#!/usr/bin/env bash
# Installs the 112 routing Asterisk configuration and prompts in one step.
#
#   dialplans/install.sh DEST SOUNDS
#     DEST    Asterisk's configuration directory (e.g. /etc/asterisk)
#     SOUNDS  Asterisk's sounds directory (e.g. /var/lib/asterisk/sounds)
#
# Templates (*.conf.in) are rendered with values from the environment: every
# ${NAME} placeholder is replaced by the environment variable NAME. Plain *.conf
# files are copied as they are. Prompts go to SOUNDS/112/<lang>/<prompt>.wav,
# the hold audio (ivr-prompts/moh/*.wav) to SOUNDS/112/moh/ (MOH_DIRECTORY).
# ROUTING_ENV_FILE, when set, names a file of NAME=value lines read first
# (values already in the environment win). Nothing is written unless every
# placeholder has a valid value; secrets are never printed.
# Files replaced in DEST are kept in DEST/routing112-backup-<time>/.
set -euo pipefail

usage() {
    echo "usage: $0 DEST SOUNDS   (Asterisk config dir, Asterisk sounds dir)" >&2
    exit 64
}

die() {
    echo "install.sh: $*" >&2
    exit 2
}

[[ $# -eq 2 ]] || usage
dest=$1
sounds=$2
[[ -n $dest && -n $sounds ]] || usage

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
audio="$here/../ivr-prompts/audio"
moh="$here/../ivr-prompts/moh"
languages=(kk ru en)
prompts=(greeting language-menu service-menu stay-on-line connecting still-trying silent-call callback-notice
         queue-position-1 queue-position-2 queue-position-3 queue-position-4 queue-position-5)

# --- values -----------------------------------------------------------------
if [[ -n ${ROUTING_ENV_FILE:-} ]]; then
    [[ -r $ROUTING_ENV_FILE ]] || die "ROUTING_ENV_FILE=$ROUTING_ENV_FILE is not a readable file"
    # Read NAME=value lines without executing anything. As in a shell, a later
    # line overrides an earlier one; what the environment already says wins.
    declare -A from_environment=()
    while IFS= read -r name; do
        from_environment[$name]=1
    done < <(compgen -e)
    lineno=0
    while IFS= read -r line || [[ -n $line ]]; do
        lineno=$((lineno + 1))
        [[ $line =~ ^[[:space:]]*(#.*)?$ ]] && continue
        [[ $line =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] \
            || die "$ROUTING_ENV_FILE:$lineno: expected NAME=value"
        name=${BASH_REMATCH[2]}
        value=${BASH_REMATCH[3]}
        # One level of matching quotes is allowed around a value.
        if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then
            value=${BASH_REMATCH[1]}
        fi
        if [[ -z ${from_environment[$name]:-} ]]; then
            export "$name=$value"
        fi
    done < "$ROUTING_ENV_FILE"
fi

# Values with a sensible default; everything else must be given.
export SIP_BIND="${SIP_BIND:-0.0.0.0:5060}"
export TRUNK_QUALIFY_FREQUENCY="${TRUNK_QUALIFY_FREQUENCY:-10}"
# Where the hold audio goes, always derived from SOUNDS (absolute: Asterisk
# would read a relative directory under its own data directory instead).
export MOH_DIRECTORY="$(realpath -m -- "$sounds")/112/moh"

shopt -s nullglob
templates=("$here"/*.conf.in)
plain=("$here"/*.conf)
(( ${#templates[@]} > 0 )) || die "no templates (*.conf.in) in $here"

mapfile -t names < <(grep -oh '\${[A-Za-z_][A-Za-z0-9_]*}' "${templates[@]}" | tr -d '${}' | sort -u)

missing=()
invalid=()
for name in "${names[@]}"; do
    value=${!name-}
    if [[ -z $value ]]; then
        missing+=("$name")
    # A newline would add configuration lines, ";" starts an Asterisk comment
    # and would cut the value short, surrounding blanks are trimmed by Asterisk.
    elif [[ $value == *$'\n'* || $value == *$'\r'* || $value == *';'* || $value =~ ^[[:space:]] || $value =~ [[:space:]]$ ]]; then
        invalid+=("$name")
    else
        export "$name"
    fi
done
if (( ${#missing[@]} > 0 )); then
    echo "install.sh: missing required variable(s), nothing installed:" >&2
    printf '  %s\n' "${missing[@]}" >&2
    echo "Set them in the environment or in a file named by ROUTING_ENV_FILE (see dialplans/env.example)." >&2
    exit 2
fi
if (( ${#invalid[@]} > 0 )); then
    echo "install.sh: invalid value (newline, ';' or surrounding blanks) in, nothing installed:" >&2
    printf '  %s\n' "${invalid[@]}" >&2
    exit 2
fi

for lang in "${languages[@]}"; do
    for prompt in "${prompts[@]}"; do
        [[ -s "$audio/$lang/$prompt.wav" ]] || die "prompt audio missing: $audio/$lang/$prompt.wav (run: make prompts)"
    done
done
moh_files=("$moh"/*.wav)
(( ${#moh_files[@]} > 0 )) || die "hold audio missing: no $moh/*.wav (run: bash ivr-prompts/generate-moh.sh); callers would hear silence while on hold"

# --- render into a staging directory, then install --------------------------
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

for tpl in "${templates[@]}"; do
    out="$stage/$(basename "$tpl" .in)"
    # awk replaces placeholders by plain string concatenation, so values may
    # hold any character (&, \, /) without being interpreted.
    awk '
    {
        line = $0; result = ""
        while (match(line, /\$\{[A-Za-z_][A-Za-z0-9_]*\}/)) {
            name = substr(line, RSTART + 2, RLENGTH - 3)
            result = result substr(line, 1, RSTART - 1) ENVIRON[name]
            line = substr(line, RSTART + RLENGTH)
        }
        print result line
    }' "$tpl" > "$out"
done
for conf in "${plain[@]}"; do
    cp "$conf" "$stage/"
done

mkdir -p "$dest"
backup="$dest/routing112-backup-$(date -u +%Y%m%dT%H%M%SZ)"
group=""
if getent group asterisk >/dev/null 2>&1; then
    group=asterisk
fi
for file in "$stage"/*.conf; do
    base=$(basename "$file")
    if [[ -e "$dest/$base" ]]; then
        mkdir -p "$backup"
        cp -p "$dest/$base" "$backup/$base"
    fi
    # Files holding credentials are readable by root and the asterisk group only.
    mode=0644
    if grep -q '^\(password\|secret\) *=' "$file"; then
        mode=0640
    fi
    install -m "$mode" "$file" "$dest/$base"
    if [[ -n $group ]]; then
        chgrp "$group" "$dest/$base"
    fi
    echo "installed $dest/$base"
done
[[ -d $backup ]] && echo "previous files kept in $backup"

for lang in "${languages[@]}"; do
    mkdir -p "$sounds/112/$lang"
    for prompt in "${prompts[@]}"; do
        install -m 0644 "$audio/$lang/$prompt.wav" "$sounds/112/$lang/$prompt.wav"
    done
    echo "installed ${#prompts[@]} prompts in $sounds/112/$lang"
done

# cel_custom writes <astlogdir>/cel-custom/routing112.csv but does not create the directory: without it
# every CEL row is lost, and with it the record of calls routed while the engine was down.
if [[ -n ${LOGDIR:-} ]]; then
    mkdir -p "$LOGDIR/cel-custom"
    [[ -n $group ]] && chgrp "$group" "$LOGDIR/cel-custom" && chmod 0775 "$LOGDIR/cel-custom"
    echo "created $LOGDIR/cel-custom for CEL (Asterisk:CelImport:File = $LOGDIR/cel-custom/routing112.csv)"
else
    echo "note: set LOGDIR=<astlogdir> (e.g. /var/log/asterisk) so that cel-custom/ exists; Asterisk does not create it"
fi

mkdir -p "$MOH_DIRECTORY"
for file in "${moh_files[@]}"; do
    install -m 0644 "$file" "$MOH_DIRECTORY/$(basename "$file")"
done
echo "installed ${#moh_files[@]} hold audio file(s) in $MOH_DIRECTORY (musiconhold.conf class default)"

# The modules the dialplan needs (needed-modules.txt), asked of the running Asterisk: a missing one is
# a caller who reaches no one (or an unrecorded call), and Asterisk only says so when a call hits it.
# ASTERISK_CLI names the asterisk binary (default: asterisk on PATH); ROUTING_SKIP_MODULE_CHECK=1 skips
# this (load-tests/asterisk/scratch.sh checks its own scratch Asterisk after starting it).
check_modules() {
    local cli=${ASTERISK_CLI:-asterisk} module kind why shown missing=0
    if ! command -v "$cli" >/dev/null 2>&1 || ! "$cli" -rx 'core show version' >/dev/null 2>&1; then
        echo "note: no running Asterisk to ask for modules: after the restart, each module of $here/needed-modules.txt"
        echo "      must show in: asterisk -rx 'module show like <module>'"
        return 0
    fi
    while read -r module kind why; do
        [[ -z $module || $module == \#* ]] && continue
        shown=$("$cli" -rx "module show like $module" 2>/dev/null)
        if ! grep -q "^$module " <<< "$shown"; then
            missing=$((missing + 1))
            echo "WARNING: Asterisk module $module is NOT LOADED ($kind): $why" >&2
        fi
    done < "$here/needed-modules.txt"
    if (( missing == 0 )); then echo "modules: every module in needed-modules.txt is loaded"
    else echo "WARNING: $missing module(s) above are missing: build/install them (or remove their noload) and restart Asterisk" >&2
    fi
}

# A reload is not enough: modules.conf is read only when Asterisk starts (a reload neither loads a
# required module nor unloads pbx_ael or chan_websocket), and rtp.conf's port range applies to new
# RTP instances only after a restart.
echo "done: RESTART Asterisk now: asterisk -rx 'core restart gracefully' ('core reload' is not enough:"
echo "      modules.conf and rtp.conf take effect only at start). Then run 'routing check-config --dialplans $dest';"
echo "      Asterisk's log is <astlogdir>/messages.log (e.g. /var/log/asterisk/messages.log)."
[[ ${ROUTING_SKIP_MODULE_CHECK:-0} == 1 ]] || check_modules
