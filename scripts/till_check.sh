#!/usr/bin/env bash
# Drives the real checkout as a cashier would and checks that every sale lands
# on the customer whose number was typed. Under a virtual X display it types
# whole phone numbers whose neighbours share all but the last digit, a key every
# 40 ms, then Enter, an amount, Enter; afterwards it reads `regulars export
# purchases` and `export customers` and counts right and wrong customers.
# Needs: xvfb xdotool (apt-get install xvfb xdotool).
# Usage: scripts/till_check.sh SHOP.db [RUNS] [BINARY]   (a copy of SHOP.db is used)
# SHOT=file.png keeps a screenshot of the window after the last sale.
set -euo pipefail
cd "$(dirname "$0")/.."
src=${1:?usage: scripts/till_check.sh SHOP.db [RUNS] [BINARY]}
runs=${2:-20}
bin=${3:-}
for tool in Xvfb xdotool; do
  command -v "$tool" >/dev/null || { echo "till_check.sh needs $tool: apt-get install xvfb xdotool"; exit 1; }
done
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
if [ -z "$bin" ]; then
  bin="$work/regulars"
  go build -o "$bin" .
fi
db="$work/shop.db"
cp "$src" "$db"
export DISPLAY=:8 LANG=en_US.UTF-8 XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" HOME="$work/home"
mkdir -p "$HOME"

# Phones whose all-but-last digits are shared by two or more customers: the
# numbers a stale search result would confuse. Skip numbers shared by several
# customers (a family's phone asks which of them).
"$bin" export customers --db "$db" --out "$work/before.csv"
python3 - "$work/before.csv" "$runs" >"$work/targets" <<'EOF'
import csv, sys, collections
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
digits = lambda p: "".join(ch for ch in p if ch.isdigit())
by_phone = collections.Counter(digits(r["phone"]) for r in rows if r["phone"])
groups = collections.defaultdict(list)
for r in rows:
    d = digits(r["phone"])
    if d and by_phone[d] == 1:
        groups[d[:-1]].append(r)
picked = []
for prefix in sorted(groups, key=lambda p: -len(groups[p])):
    g = sorted(groups[prefix], key=lambda r: digits(r["phone"]))
    if len(g) >= 2:
        picked.append(g[-1])  # the last of its block: its earlier prefixes match its neighbours
    if len(picked) == int(sys.argv[2]):
        break
for r in picked:
    print(r["id"], r["phone"], sep="\t")
EOF
[ "$(wc -l <"$work/targets")" -eq "$runs" ] || { echo "the shop has fewer than $runs numbers with close neighbours"; exit 1; }
before_customers=$(($(wc -l <"$work/before.csv") - 1))
"$bin" export purchases --db "$db" --out "$work/p-before.csv"
last_purchase=$(tail -n +2 "$work/p-before.csv" | cut -d, -f1 | sort -n | tail -1)

Xvfb :8 -screen 0 1280x800x24 >/dev/null 2>&1 &
sleep 1
"$bin" --db "$db" --screen checkout >"$work/app.log" 2>&1 &
app=$!
win=$(xdotool search --sync --name "Regulars" | head -1)
sleep 6
xdotool windowsize "$win" 1280 800 windowmove "$win" 0 0
# The first start of the day backs the shop up; a large shop's backup takes
# a while (about 10 s per 100 MB here), and sales wait for it. The start-up
# questions (who is on shift, the day's summary) are answered with Escape;
# the find field has the focus once they are gone.
sleep $((5 + $(stat -c %s "$db") / 10000000))
xdotool key Escape; sleep 1; xdotool key Escape; sleep 1
i=0
while IFS=$'\t' read -r id phone; do
  i=$((i + 1))
  amount="1$i.$((10 + i))"
  xdotool type --delay 40 "$phone"
  xdotool key Return
  xdotool type --delay 40 "$amount"
  xdotool key Return
  sleep 2
  printf '%s\t%s\t%s\n' "$id" "$phone" "$amount" >>"$work/typed"
done <"$work/targets"
sleep 2
if [ -n "${SHOT:-}" ] && command -v import >/dev/null; then import -window root "$SHOT"; fi
kill $app; wait $app 2>/dev/null || true

"$bin" export purchases --db "$db" --out "$work/p-after.csv"
"$bin" export customers --db "$db" --out "$work/after.csv"
after_customers=$(($(wc -l <"$work/after.csv") - 1))
python3 - "$work/p-after.csv" "$work/typed" "$last_purchase" "$before_customers" "$after_customers" <<'EOF'
import csv, sys
after, typed, last, before_c, after_c = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
new = [r for r in csv.DictReader(open(after, encoding="utf-8-sig")) if int(r["id"]) > last]
want = [l.rstrip("\n").split("\t") for l in open(typed)]
right = wrong = 0
for (cid, phone, amount), row in zip(want, new):
    ok = row["customer"] == cid and row["amount"] == amount
    right += ok
    wrong += not ok
    print(("right" if ok else "WRONG"), phone, "typed for customer", cid, "-> sale", row["id"], "customer", row["customer"], row["amount"])
missing = len(want) - len(new)
print(f"sales typed {len(want)}, recorded {len(new)}, on the typed customer {right}, wrong {wrong}, missing {max(missing, 0)}, customers created {after_c - before_c}")
sys.exit(0 if right == len(want) and len(new) == len(want) and after_c == before_c else 1)
EOF
