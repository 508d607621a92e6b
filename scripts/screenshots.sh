#!/usr/bin/env bash
# Makes one PNG per screen (plus the start-up pop-up) from a demo shop, under a
# virtual X display. Needs: xvfb xdotool imagemagick (apt-get install them).
# Usage: scripts/screenshots.sh [OUTDIR]   (default: shots/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-shots}
date=2026-06-15
mkdir -p "$out"
for tool in Xvfb xdotool import; do
  command -v "$tool" >/dev/null || { echo "screenshots.sh needs $tool: apt-get install xvfb xdotool imagemagick"; exit 1; }
done
go build -o "$out/regulars" .
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/demo.db"
"$out/regulars" demo --db "$db" --date "$date" --customers 2000 >/dev/null
export DISPLAY=:7 LANG=en_US.UTF-8 XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
Xvfb :7 -screen 0 1280x800x24 >/dev/null 2>&1 &
sleep 1

shoot() { # screen name, file, keys...
  local screen=$1 file=$2; shift 2
  "$out/regulars" --db "$db" --date "$date" --screen "$screen" &
  local pid=$!
  sleep 4
  local win
  win=$(xdotool search --sync --name "Regulars" | head -1)
  xdotool windowsize "$win" 1280 800 windowmove "$win" 0 0
  sleep 1
  for k in "$@"; do
    case $k in
      type:*) xdotool type --delay 60 "${k#type:}" ;;
      click:*) xdotool mousemove ${k#click:} click 1 ;;
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
for s in customers calendar checkout loyalty reports settings; do
  shoot "$s" "$s" Escape
done
shoot customers customer-page Escape "type:Mar" Down Return
shoot checkout checkout-sale Escape Escape "type:07700" Return "type:42.50" Return
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
