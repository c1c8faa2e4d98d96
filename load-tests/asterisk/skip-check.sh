#!/usr/bin/env bash
# skip-check.sh -- always-on check (make test) that test-asterisk.sh, given no Asterisk, prints one
# line saying why it skips and exits 0 without touching anything: CI and a fresh clone have no
# Asterisk and must pass. Prints PASS/FAIL lines; exit 1 when a case failed.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
failures=0
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT

check() { # NAME ASTERISK_VALUE|-unset- EXPECTED_REASON_TEXT
    local name=$1 value=$2 want=$3 out rc lines
    if [[ $value == -unset- ]]; then
        out=$(cd "$empty" && env -u ASTERISK TEST_ASTERISK_RESULTS="$empty/results" bash "$here/test-asterisk.sh" 2>&1); rc=$?
    else
        out=$(cd "$empty" && ASTERISK=$value TEST_ASTERISK_RESULTS="$empty/results" bash "$here/test-asterisk.sh" 2>&1); rc=$?
    fi
    lines=$(printf '%s\n' "$out" | grep -c .)
    if [[ $rc -eq 0 && $lines -eq 1 && $out == "test-asterisk: SKIPPED — "*"$want"* && ! -e $empty/results ]]; then
        printf 'PASS %-30s %s\n' "test-asterisk-skip-$name" "$out"
    else
        printf 'FAIL %-30s exit %s, %s line(s), wrote results: %s; output: %s\n' "test-asterisk-skip-$name" "$rc" "$lines" \
            "$([[ -e $empty/results ]] && echo yes || echo no)" "$out"
        failures=$((failures + 1))
    fi
}

check unset -unset- "ASTERISK is not set"
check empty "" "ASTERISK is not set"
check no-binary "$empty" "no asterisk binary at $empty/sbin/asterisk"
check not-a-path /nonexistent/asterisk-prefix "no Asterisk at ASTERISK=/nonexistent/asterisk-prefix"
(( failures == 0 ))
