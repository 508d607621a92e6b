#!/usr/bin/env bash
# Checks a Linux bundle made by `make package` (fyne package -os linux): the
# tarball must hold the program, its icon and a .desktop entry naming both,
# and the program must run.
# Usage: scripts/package.sh [dist/Regulars.tar.xz]
set -euo pipefail
tarball=${1:-dist/Regulars.tar.xz}
fail() { echo "package check: $*" >&2; exit 1; }
[ -f "$tarball" ] || fail "$tarball does not exist; run make package"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xJf "$tarball" -C "$work" || fail "$tarball is not a tar.xz archive"

bin=$(find "$work" -path '*/usr/*bin/regulars' -type f | head -1)
[ -n "$bin" ] || fail "no bin/regulars in $tarball"
[ -x "$bin" ] || fail "$bin is not executable"
desktop=$(find "$work" -path '*/share/applications/*.desktop' -type f | head -1)
[ -n "$desktop" ] || fail "no share/applications/*.desktop in $tarball"
icon=$(find "$work" -path '*/share/pixmaps/*.png' -type f | head -1)
[ -n "$icon" ] || fail "no share/pixmaps/*.png icon in $tarball"
[ "$(head -c 8 "$icon" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$(basename "$icon") is not a PNG"

key() { sed -n "s/^$1=//p" "$desktop" | head -1; }
[ "$(head -1 "$desktop")" = "[Desktop Entry]" ] || fail "$(basename "$desktop") does not start with [Desktop Entry]"
[ "$(key Type)" = Application ] || fail "the desktop entry's Type is not Application"
[ "$(key Name)" = Regulars ] || fail "the desktop entry's Name is \"$(key Name)\", not Regulars"
exec_cmd=$(key Exec)
[ "${exec_cmd%% *}" = regulars ] || fail "the desktop entry runs \"$exec_cmd\", not regulars"
[ "$(key Icon)" = "$(basename "$icon" .png)" ] || fail "the desktop entry's Icon \"$(key Icon)\" is not the bundled $(basename "$icon")"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$desktop" || fail "desktop-file-validate rejects $(basename "$desktop")"
fi
"$bin" help >/dev/null || fail "the bundled program does not run"
echo "package check: $tarball holds $(basename "$bin"), $(basename "$icon") and $(basename "$desktop") ($(key Categories)); the program runs"
