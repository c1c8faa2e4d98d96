#!/usr/bin/env bash
# `make run`, the README's first command, as a newcomer types it, bounded: three synthetic calls, then the
# run drains (5 s at most: synthetic callers talk for minutes) and exits. Passes when it exits 0 having printed the console's address and its summary. Its
# ledger goes to a scratch file (never var/ledger.db), its admin API to a port nobody else here uses.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/run-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT
port=${RUN_SMOKE_ADMIN_PORT:-39112}
cd "$repo"
Ledger__ConnectionString="Data Source=$work/ledger.db" Ledger__Spool__Directory="$work/spool" Admin__Urls="http://127.0.0.1:$port" Simulation__DrainTimeout=00:00:05 \
    timeout 300 make --no-print-directory run ARGS="--calls-per-second 5 --max-calls 3 --plain" > "$work/out.log" 2>&1
rc=$?
if [[ $rc -ne 0 ]] || ! grep -q 'operator console on' "$work/out.log" || ! grep -q 'synthetic calls placed' "$work/out.log"; then
    echo "run-smoke: make run failed (exit $rc); its last lines:" >&2
    tail -n 15 "$work/out.log" >&2
    exit 1
fi
echo "run-smoke: make run placed its calls, drained and exited 0 ($(grep -m1 'synthetic calls placed' "$work/out.log" | sed 's/^routing: //'))"
