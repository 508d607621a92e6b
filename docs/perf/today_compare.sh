#!/usr/bin/env bash
# Behaviour unchanged: `regulars today` and every `regulars export` of a
# base build (by default where this branch left main) against this working tree's build, byte for
# byte, on demo shops of 2,000 and 5,000 customers.
#
# For each size three shops are made: one by the base build (read by the base
# build: the reference), a copy of it upgraded in place by this build, and one
# made by this build. Both of this build's shops are compared with the
# reference for every day of June 2026 and 20 Dec 2025 - 5 Jan 2026 in text,
# JSON and CSV, and for every export; `regulars check` must pass on both.
# Then the same sales (dated in June and around the new year, one with a
# reward redeemed) are made on all three, and everything is compared again.
# The iCalendar export's DTSTAMP (the time it was written) is left out.
#
# Usage: docs/perf/today_compare.sh [BASE_REF]   (SIZES="2000 5000" WORK=dir)
set -euo pipefail
cd "$(dirname "$0")/../.."
base_ref=${1:-$(git merge-base HEAD main)}
sizes=${SIZES:-2000 5000}
work=${WORK:-${TMPDIR:-/tmp}/regulars-compare}
end=2026-06-30

rm -rf "$work"
mkdir -p "$work/base-src"
git archive "$base_ref" | tar -x -C "$work/base-src"
echo "building $base_ref ($(git rev-parse --short "$base_ref")) and this tree"
(cd "$work/base-src" && go build -o "$work/regulars-base" .)
go build -o "$work/regulars-new" .
old=$work/regulars-base
new=$work/regulars-new

dates=()
for d in $(seq 1 30); do dates+=("$(printf '2026-06-%02d' "$d")"); done
for d in $(seq 20 31); do dates+=("2025-12-$d"); done
for d in $(seq 1 5); do dates+=("$(printf '2026-01-%02d' "$d")"); done
exports=(customers purchases ledger contacts reminders complaints ics)

pairs=0 files=0 diffs=0
same() { # reference, candidate, label
  files=$((files + 1))
  sed -i 's/^DTSTAMP:.*/DTSTAMP:-/' "$1" "$2"
  if ! cmp -s "$1" "$2"; then
    diffs=$((diffs + 1))
    echo "DIFFERENT: $3"
    diff "$1" "$2" | head -5 || true
  fi
}

compare() { # shops' folder, phase
  local dir=$1 phase=$2 d f x shop
  mkdir -p "$dir/$phase"
  for d in "${dates[@]}"; do
    for f in text json csv; do
      "$old" today --db "$dir/base.db" --date "$d" --format "$f" >"$dir/$phase/ref.$d.$f"
      for shop in upgraded made; do
        "$new" today --db "$dir/$shop.db" --date "$d" --format "$f" >"$dir/$phase/$shop.$d.$f"
        same "$dir/$phase/ref.$d.$f" "$dir/$phase/$shop.$d.$f" "$dir $phase $shop today $d $f"
      done
    done
    pairs=$((pairs + 2))
  done
  for x in "${exports[@]}"; do
    "$old" export "$x" --db "$dir/base.db" --date "$end" --out "$dir/$phase/ref.export.$x"
    for shop in upgraded made; do
      "$new" export "$x" --db "$dir/$shop.db" --date "$end" --out "$dir/$phase/$shop.export.$x"
      same "$dir/$phase/ref.export.$x" "$dir/$phase/$shop.export.$x" "$dir $phase $shop export $x"
    done
  done
}

sell() { # shops' folder: the same sales on all three shops, their lines compared
  local dir=$1 sale shop bin
  for sale in "7 12.50 2026-06-10" "42 80.00 2026-06-20" "300 5.00 2025-12-28" "7 150.00 2026-06-29"; do
    set -- $sale
    for shop in base upgraded made; do
      bin=$new
      [ "$shop" = base ] && bin=$old
      "$bin" sale --db "$dir/$shop.db" --customer "$1" --amount "$2" --date "$3" >"$dir/sale.$shop" 2>&1 || true
      sed -i "s#$dir/$shop.db#SHOP#g" "$dir/sale.$shop"
    done
    same "$dir/sale.base" "$dir/sale.upgraded" "$dir sale $sale (upgraded)"
    same "$dir/sale.base" "$dir/sale.made" "$dir sale $sale (made)"
  done
  for shop in base upgraded made; do
    bin=$new
    [ "$shop" = base ] && bin=$old
    "$bin" sale --db "$dir/$shop.db" --customer 7 --amount 20.00 --redeem 100 --date 2026-06-30 >"$dir/sale.$shop" 2>&1 || true
    sed -i "s#$dir/$shop.db#SHOP#g" "$dir/sale.$shop"
  done
  same "$dir/sale.base" "$dir/sale.upgraded" "$dir redeem (upgraded)"
  same "$dir/sale.base" "$dir/sale.made" "$dir redeem (made)"
}

for n in $sizes; do
  dir=$work/$n
  mkdir -p "$dir"
  "$old" demo --db "$dir/base.db" --customers "$n" --seed 1 --date "$end" >/dev/null
  cp "$dir/base.db" "$dir/upgraded.db"
  "$new" check --db "$dir/upgraded.db" >/dev/null # opens it with this build: the upgrade
  "$new" demo --db "$dir/made.db" --customers "$n" --seed 1 --date "$end" >/dev/null
  "$new" check --db "$dir/made.db" >/dev/null
  compare "$dir" demo
  sell "$dir"
  "$new" check --db "$dir/upgraded.db" >/dev/null
  "$new" check --db "$dir/made.db" >/dev/null
  compare "$dir" sold
done
echo "shop x date pairs: $pairs; files compared: $files; differences: $diffs"
[ "$diffs" -eq 0 ]
