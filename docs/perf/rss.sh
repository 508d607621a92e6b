#!/bin/sh
# Memory of the running app next to a bare Fyne window, both under Xvfb:
#   docs/perf/rss.sh SHOP.db [DATE]
# prints VmRSS and VmHWM (peak) of each from /proc/PID/status once its
# window has been up for SETTLE seconds (default 15). The shop is copied to
# a temporary folder first, so backups and the lock stay out of the way.
set -eu
db=$1
date=${2:-2026-06-15}
settle=${SETTLE:-15}
display=${DISPLAY_NUM:-:9}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'kill $xvfb 2>/dev/null || true; rm -rf "$tmp"' EXIT
cd "$root"
go build -o "$tmp/hello" docs/perf/hello.go
go build -o "$tmp/regulars" .
cp "$db" "$tmp/shop.db"
[ -f "$db-wal" ] && cp "$db-wal" "$tmp/shop.db-wal"
Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
sleep 1
export DISPLAY=$display XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data LANG=C.UTF-8
measure() { # name command...
	name=$1
	shift
	"$@" >/dev/null 2>&1 &
	pid=$!
	xdotool search --sync --onlyvisible --pid "$pid" >/dev/null 2>&1 || true
	sleep "$settle"
	rss=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status)
	hwm=$(awk '/^VmHWM/ {print $2}' /proc/$pid/status)
	echo "$name: VmRSS $((rss / 1024)) MB, peak VmHWM $((hwm / 1024)) MB"
	kill "$pid"
	wait "$pid" 2>/dev/null || true
}
measure "bare Fyne window" "$tmp/hello"
measure "Regulars on $(basename "$db")" "$tmp/regulars" --db "$tmp/shop.db" --date "$date" --screen today
