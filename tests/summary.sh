#!/usr/bin/env bash
# Prints the one closing line of `make test`: every xUnit result (from the TRX files), every SIPp
# self-check case, and the two tool checks on the shipped files, as "N passed, N failed, N skipped".
# Usage: tests/summary.sh RESULTS_DIR SIPP_LOG TOOLS_PASSED TOOLS_FAILED
set -euo pipefail
results=$1 sipp_log=$2 tools_passed=$3 tools_failed=$4

read -r passed failed skipped < <(
  cat "$results"/*.trx 2>/dev/null | awk '
    match($0, /<Counters [^>]*>/) {
      c = substr($0, RSTART, RLENGTH)
      if (match(c, /passed="[0-9]+"/))      p += substr(c, RSTART + 8,  RLENGTH - 9)
      if (match(c, /failed="[0-9]+"/))      f += substr(c, RSTART + 8,  RLENGTH - 9)
      # skipped xUnit tests are counted in total but not in executed
      if (match(c, /total="[0-9]+"/))       s += substr(c, RSTART + 7,  RLENGTH - 8)
      if (match(c, /executed="[0-9]+"/))    s -= substr(c, RSTART + 10, RLENGTH - 11)
    }
    END { printf "%d %d %d\n", p, f, s }')

sipp_passed=0 sipp_failed=0 sipp_skipped=0
if [[ -f $sipp_log ]]; then
  sipp_passed=$(grep -c '^PASS ' "$sipp_log" || true)
  sipp_failed=$(grep -c '^FAIL ' "$sipp_log" || true)
  grep -q 'SKIPPED' "$sipp_log" && sipp_skipped=1
fi

echo "$((passed + sipp_passed + tools_passed)) passed, $((failed + sipp_failed + tools_failed)) failed, $((skipped + sipp_skipped)) skipped"
