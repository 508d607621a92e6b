#!/usr/bin/env bash
# Makes one PNG per screen (plus the start-up pop-up) from a demo shop, under a
# virtual X display, at each window size and in each theme:
# OUTDIR/1024x700-dark/today.png and so on. Needs: xvfb xdotool imagemagick
# poppler-utils (apt-get install them).
# Usage: scripts/screenshots.sh [OUTDIR]   (default: shots/)
# SIZES="1024x700 1366x768" and THEMES="light dark" (REGULARS_THEME) pick the
# sets; the virtual screen is made the size of the window, so nothing can
# hide beyond it. The states of one screen (Checkout's pick list, printing,
# a damaged shop file) are shot once, in the first size and theme.
# SHOTS_DISPLAY=:N picks the virtual display (default :7).
# BIG=1 also shows Today on a 50,000-customer demo, made here (a minute or two,
# and as long again for the window's first start, which makes the day's backup).
set -euo pipefail
cd "$(dirname "$0")/.."
top=${1:-shots}
sizes=${SIZES:-1024x700 1366x768}
themes=${THEMES:-light dark}
date=2026-06-15
mkdir -p "$top"
for tool in Xvfb xdotool import pdftoppm; do
  command -v "$tool" >/dev/null || { echo "screenshots.sh needs $tool: apt-get install xvfb xdotool imagemagick poppler-utils"; exit 1; }
done
bin="$top/regulars"
go build -o "$bin" .
work=$(mktemp -d)
xvfb=
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/demo.db"
"$bin" demo --db "$db" --date "$date" --customers 2000 >/dev/null
cp "$db" "$work/pristine.db"
export DISPLAY=${SHOTS_DISPLAY:-:7} LANG=en_US.UTF-8 XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" HOME="$work/home"
mkdir -p "$HOME"

settle=4 # seconds from the window opening to the first key
shoot() { # screen name, file, keys...
  local screen=$1 file=$2; shift 2
  "$bin" --db "$db" --date "$date" --screen "$screen" &
  local pid=$!
  local win
  win=$(xdotool search --sync --name "Regulars" | head -1)
  sleep "$settle"
  xdotool windowsize "$win" "$width" "$height" windowmove "$win" 0 0
  sleep 1
  for k in "$@"; do
    case $k in
      type:*) xdotool type --delay 60 "${k#type:}" ;;
      click:*) xdotool mousemove ${k#click:} click 1 ;;
      wait:*) sleep "${k#wait:}" ;;
      scroll:*) xdotool mousemove 700 450 click --repeat "${k#scroll:}" --delay 30 5 ;;
      *) xdotool key "$k" ;;
    esac
    sleep 0.8
  done
  import -window root "$out/$file.png"
  kill $pid; wait $pid 2>/dev/null || true
}


# xserver WIDTH HEIGHT starts the virtual screen at that size.
xserver() {
  [ -z "$xvfb" ] || { kill "$xvfb"; wait "$xvfb" 2>/dev/null || true; }
  Xvfb "$DISPLAY" -screen 0 "$1x$2x24" >/dev/null 2>&1 &
  xvfb=$!
  width=$1 height=$2
  sleep 1
}

# fresh puts back the demo as made and forgets what the window remembered,
# so that each set starts as the first did (the pop-up, no owner PIN yet).
fresh() {
  cp "$work/pristine.db" "$db"
  rm -f "$db-wal" "$db-shm"
  rm -rf "$XDG_CONFIG_HOME"
}

# every_screen shoots each screen and its main states into $out.
every_screen() {
  shoot today popup
  shoot today today Escape
  for s in customers calendar checkout loyalty reports; do
    shoot "$s" "$s" Escape
  done
  shoot calendar calendar-week Escape w
  shoot customers customer-page Escape "type:Mar" Down Return
  shoot reports reports-lower Escape scroll:40
  shoot reports segments Escape "click:370 58"
  # Settings ask for a new owner PIN on the first visit; later runs would
  # ask for that PIN, so each shot sets it afresh in a new copy of the shop.
  # They are reached with Ctrl+7 once the window has settled: opened while
  # the start-up check still runs, Settings skip the question.
  cp "$db" "$work/fresh.db"
  shoot today settings-pin Escape ctrl+7 wait:2
  cp "$work/fresh.db" "$db"
  shoot today settings Escape ctrl+7 wait:2 "type:123456" Tab "type:123456" Return wait:1
  cp "$work/fresh.db" "$db"
  shoot today settings-rules Escape ctrl+7 wait:2 "type:123456" Tab "type:123456" Return wait:1 Down Down Down
  cp "$work/fresh.db" "$db"
  shoot today settings-messages Escape ctrl+7 wait:2 "type:123456" Tab "type:123456" Return wait:1 Down Down Down Down
  cp "$work/fresh.db" "$db"
  shoot today settings-backups Escape ctrl+7 wait:2 "type:123456" Tab "type:123456" Return wait:1 Down Down Down Down Down Down
  cp "$work/fresh.db" "$db"
  shoot today settings-audit Escape ctrl+7 wait:2 "type:123456" Tab "type:123456" Return wait:1 Down Down Down Down Down Down Down
  cp "$work/fresh.db" "$db"
}

for size in $sizes; do
  xserver "${size%x*}" "${size#*x}"
  for theme in $themes; do
    out="$top/$size-$theme"
    mkdir -p "$out"
    fresh
    REGULARS_THEME=$theme every_screen
    echo "$out: $(ls "$out" | wc -l) screenshots"
  done
done

# One of each other state, at 1280×800 in the desktop's theme, into OUTDIR;
# EXTRAS=0 leaves them out.
if [ "${EXTRAS:-1}" != 1 ]; then
  rm -f "$bin"
  exit 0
fi
out=$top
xserver 1280 800
fresh
if [ "${BIG:-}" = 1 ]; then
  big="$work/big.db"
  "$bin" demo --db "$big" --date "$date" --customers 50000 >/dev/null
  shop=$db db=$big settle=90
  shoot today today-50k Escape
  db=$shop settle=4
else
  echo "today-50k.png skipped: BIG=1 makes a 50,000-customer demo for it (a minute or two)"
fi
# Today's first row is an open complaint: O opens that customer, and a
# promise made to them (the page's Promise button) joins it at the top.
shoot today customer-complaint-promise Escape o wait:3 "click:935 183" wait:1 "type:Order the 45L rucksack in green" Return wait:3
# The checkout card of a customer with an open complaint and a reward ready
# (100 points in the demo's scheme; points is the customers export's last
# column), found by their own phone as a cashier would, the amount typed and
# F4 for the reward; then the pick list when several match, the line for no
# match, and the sale recorded.
"$bin" export complaints --db "$db" --out "$work/complaints.csv"
"$bin" export customers --db "$db" --out "$work/customers.csv"
phone=$(awk -F, 'FNR == 1 { f++; next }
  f == 1 && $5 == "open" { open[$2] = 1 }
  f == 2 && $3 != "" { n[$3]++; if (($1 in open) && $NF >= 100) card[$1] = $3 }
  END { for (id in card) if (n[card[id]] == 1 && (best == "" || id + 0 < best + 0)) best = id; print card[best] }' \
  "$work/complaints.csv" "$work/customers.csv")
[ -n "$phone" ] || { echo "the demo has no customer with an open complaint and a reward ready"; exit 1; }
shoot checkout checkout Escape Escape "type:$phone" Return "type:42.50" F4
shoot checkout checkout-pick Escape Escape "type:07700 97" Down Down
shoot checkout checkout-no-match Escape Escape "type:07700 000000" Return
shoot checkout checkout-sale Escape Escape "type:$phone" Return "type:42.50" Return wait:2
# A message template with a misspelt field, in Settings (a new owner PIN
# first, as in every_screen).
shoot today settings-message-broken Escape ctrl+7 wait:2 "type:123456" Tab "type:123456" Return wait:1 Down Down Down Down "click:1000 220" "type: {{.Frist}}"
# Printouts: the card of the first reminder on Today and today's call sheet,
# saved where the file dialog starts (a home folder of our own), page 1 as PNG.
shoot today print-card-dialog Escape p
shoot today print-saved Escape p Return
shoot today print-calls-saved Escape "click:1190 53" wait:4 Return
for pdf in "$HOME"/*.pdf; do
  [ -e "$pdf" ] || continue
  pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$pdf" "$out/pdf-$(basename "$pdf" .pdf)"
done
# A shop file overwritten by a photo: the window offers the newest good backup.
shop=$db
db="$work/bad/regulars.db"
mkdir -p "$work/bad"
"$bin" demo --db "$db" --date "$date" --customers 200 >/dev/null
"$bin" backup --db "$db" >/dev/null
rm -f "$db" "$db-wal" "$db-shm"
printf '\xff\xd8\xff\xe0 JFIF a holiday photo' > "$db"
shoot today rescue
db=$shop
rm -f "$bin"
echo "screenshots in $top/"
ls "$top"
