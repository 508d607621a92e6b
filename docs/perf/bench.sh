#!/usr/bin/env bash
# The benchmark run of docs/PERFORMANCE.md: every benchmark at 5,000 and
# 50,000 customers with fixed iteration counts (quicker and steadier than
# make bench's -benchtime=1s). Usage: docs/perf/bench.sh [OUTFILE]
set -euo pipefail
cd "$(dirname "$0")/../.."
export REGULARS_BENCH_SIZES=${REGULARS_BENCH_SIZES:-5000,50000}
out=${1:-bench.txt}
: > "$out"
run() { # benchmarks, iterations, package
  go test -tags ci -run '^$' -bench "^($1)\$" -benchtime="$2" -timeout 60m "$3" | grep -E '^Benchmark' | tee -a "$out"
}
run 'BenchmarkTodayPage|BenchmarkUpcomingPage|BenchmarkCalendarMonth' 2000x ./data/
run 'BenchmarkCalendarMonthAhead|BenchmarkCalendarWeek|BenchmarkCustomerPage' 500x ./data/
run 'BenchmarkDoneTodayPage|BenchmarkReport|BenchmarkLoyaltyScreen|BenchmarkSegmentPage|BenchmarkCheckoutSale' 200x ./data/
run 'BenchmarkSearch' 200x ./data/
run 'BenchmarkSearchAfterEdit|BenchmarkToday|BenchmarkUpcoming|BenchmarkCustomerEdit' 50x ./data/
run 'BenchmarkSegment|BenchmarkDueOnMonth|BenchmarkListsNewDay' 10x ./data/
run 'BenchmarkImportCustomers' 3x ./data/
run 'BenchmarkDemo' 1x ./data/
run 'BenchmarkAppStart|BenchmarkTodayScreen|BenchmarkTodayScreenAllTabs|BenchmarkSearchKeystroke' 50x ./screens/
echo "figures in $out"
