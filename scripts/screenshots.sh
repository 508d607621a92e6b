#!/usr/bin/env bash
# Makes one PNG per screen (plus the start-up pop-up) from a demo shop, under a
# virtual X display. Needs: xvfb xdotool imagemagick poppler-utils (apt-get install them).
# Usage: scripts/screenshots.sh [OUTDIR]   (default: shots/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-shots}
date=2026-06-15
mkdir -p "$out"
for tool in Xvfb xdotool import pdftoppm; do
  command -v "$tool" >/dev/null || { echo "screenshots.sh needs $tool: apt-get install xvfb xdotool imagemagick poppler-utils"; exit 1; }
done
go build -o "$out/regulars" .
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/demo.db"
"$out/regulars" demo --db "$db" --date "$date" --customers 2000 >/dev/null
export DISPLAY=:7 LANG=en_US.UTF-8 XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" HOME="$work/home"
mkdir -p "$HOME"
Xvfb :7 -screen 0 1280x800x24 >/dev/null 2>&1 &
sleep 1

shoot() { # screen name, file, keys...
  local screen=$1 file=$2; shift 2
  "$out/regulars" --db "$db" --date "$date" --screen "$screen" &
  local pid=$!
  local win
  win=$(xdotool search --sync --name "Regulars" | head -1)
  sleep 4
  xdotool windowsize "$win" 1280 800 windowmove "$win" 0 0
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

shoot today popup
shoot today today Escape
for s in customers calendar checkout loyalty reports; do
  shoot "$s" "$s" Escape
done
shoot calendar calendar-week Escape w
shoot customers customer-page Escape "type:Mar" Down Return
# Today's first row is an open complaint: O opens that customer, and a
# promise made to them (the page's Promise button) joins it at the top.
shoot today customer-complaint-promise Escape o wait:3 "click:935 183" wait:1 "type:Order the 45L rucksack in green" Return wait:3
shoot checkout checkout-sale Escape Escape "type:07700" Return "type:42.50" Return
# Settings ask for a new owner PIN on the first visit; later runs would ask
# for that PIN, so each shot sets it afresh in a new copy of the shop.
cp "$db" "$work/fresh.db"
shoot settings settings-pin Escape
cp "$work/fresh.db" "$db"
shoot settings settings Escape "type:1234" Tab "type:1234" Return
cp "$work/fresh.db" "$db"
shoot settings settings-rules Escape "type:1234" Tab "type:1234" Return Down Down Down
cp "$work/fresh.db" "$db"
shoot settings settings-messages Escape "type:1234" Tab "type:1234" Return Down Down Down Down
cp "$work/fresh.db" "$db"
shoot settings settings-message-broken Escape "type:1234" Tab "type:1234" Return Down Down Down Down "click:1000 220" "type: {{.Frist}}"
# Printouts: the card of the first reminder on Today and today's call sheet,
# saved where the file dialog starts (a home folder of our own), page 1 as PNG.
shoot today print-card-dialog Escape p
shoot today print-saved Escape p Return
shoot today print-calls-saved Escape "click:1190 53" wait:4 Return
for pdf in "$HOME"/*.pdf; do
  [ -e "$pdf" ] || continue
  pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$pdf" "$out/pdf-$(basename "$pdf" .pdf)"
done
# Reports in both variants (REGULARS_THEME overrides the saved choice), and its groups tab.
export REGULARS_THEME=light
shoot reports reports-light Escape
shoot reports reports-light-lower Escape scroll:15
shoot reports segments-light Escape "click:370 58"
export REGULARS_THEME=dark
shoot reports reports-dark Escape
shoot reports reports-dark-lower Escape scroll:15
shoot reports segments-dark Escape "click:370 58"
unset REGULARS_THEME
# A shop file overwritten by a photo: the window offers the newest good backup.
shop=$db
db="$work/bad/regulars.db"
mkdir -p "$work/bad"
"$out/regulars" demo --db "$db" --date "$date" --customers 200 >/dev/null
"$out/regulars" backup --db "$db" >/dev/null
rm -f "$db" "$db-wal" "$db-shm"
printf '\xff\xd8\xff\xe0 JFIF a holiday photo' > "$db"
shoot today rescue
db=$shop
rm -f "$out/regulars"
echo "screenshots in $out/"
ls "$out"
