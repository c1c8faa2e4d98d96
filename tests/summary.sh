#!/usr/bin/env bash
# Prints the end of `make test`: each reason tests were skipped for (with how many), then the one
# closing line counting every xUnit result (from the TRX files), every SIPp self-check case, and the
# tool checks (check-config and explain on the shipped files, the test-asterisk skip check), as
# "N passed, N failed, N skipped".
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

# Skipped tests say why only inside the TRX files: list each reason once, with how many it skipped,
# so that a newcomer sees e.g. that the PostgreSQL tests need ROUTING_TEST_POSTGRES.
reasons=$(
  for trx in "$results"/*.trx; do
    [[ -f $trx ]] || continue
    awk 'BEGIN { RS = "</UnitTestResult>" }
      /outcome="NotExecuted"/ {
        reason = "no reason given"
        if (match($0, /<Message>[^<]*<\/Message>/)) reason = substr($0, RSTART + 9, RLENGTH - 19)
        gsub(/[\r\n]+/, " ", reason)
        print reason
      }' "$trx"
  done | sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' | sort | uniq -c | sort -rn
)
sipp_skip_line=$([[ -f $sipp_log ]] && grep -m1 'SKIPPED' "$sipp_log" || true)
if [[ -n $reasons || -n $sipp_skip_line ]]; then
  echo "Skipped, and why:"
  [[ -n $reasons ]] && printf '%s\n' "$reasons" | sed -E 's/^ *([0-9]+) /  \1  /'
  [[ -n $sipp_skip_line ]] && echo "  1  $sipp_skip_line"
fi

# CI shows only the tail of the run: name every failed test here, next to the closing line, with the
# first line of its message, so a red run says what broke without the TRX files.
failures=$(
  for trx in "$results"/*.trx; do
    [[ -f $trx ]] || continue
    awk 'BEGIN { RS = "</UnitTestResult>" }
      /outcome="Failed"/ {
        # passed results are self-closing and share this record: keep only the last result in it
        pos = 0
        while ((i = index(substr($0, pos + 1), "<UnitTestResult ")) > 0) pos += i
        if (pos == 0) next
        $0 = substr($0, pos)
        # the record after the last result holds <ResultSummary outcome="Failed">: not a test
        if (!match($0, /^<UnitTestResult [^>]*outcome="Failed"/)) next
        name = "?"; msg = ""
        if (match($0, /testName="[^"]*"/)) name = substr($0, RSTART + 10, RLENGTH - 11)
        if (match($0, /<Message>[^<]*/)) msg = substr($0, RSTART + 9, RLENGTH - 9)
        sub(/[\r\n].*/, "", msg)
        if (length(msg) > 200) msg = substr(msg, 1, 200) "..."
        print "  " name (msg == "" ? "" : "\n      " msg)
      }' "$trx"
  done | sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' -e 's/&#xD;//g' -e 's/&#xA;/ /g'
)
[[ -f $results/tools-failed.txt ]] && failures+=$'\n'$(sed 's/^/  tool check: /' "$results/tools-failed.txt")
[[ -f $sipp_log ]] && failures+=$'\n'$(grep '^FAIL ' "$sipp_log" | sed 's/^/  sipp: /' || true)
failures=$(printf '%s\n' "$failures" | sed '/^$/d')
if [[ -n $failures ]]; then
  echo "Failed:"
  printf '%s\n' "$failures" | head -40
fi

echo "$((passed + sipp_passed + tools_passed)) passed, $((failed + sipp_failed + tools_failed)) failed, $((skipped + sipp_skipped)) skipped"
