package screens

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Fyne keeps one set of preferences per app on the PC, but most of what
// the window remembers belongs to one shop's file: the pop-ups already
// shown today, the last screen, who is on shift, that the set-up is done,
// the second backup folder. Those are kept under a prefix made from the
// file's absolute path, so the demo, a test copy and the shop each keep
// their own. Only what belongs to the PC and the person at it (the
// window's size, light or dark) is shared.

// pcPrefs are the keys shared by every file opened on this PC.
var pcPrefs = map[string]bool{
	"window.width":  true,
	"window.height": true,
	themePref:       true,
}

// legacyShopPrefs are the keys earlier versions kept for the whole PC. The
// first file opened takes them over (it is the shop's own file on every PC
// that had them), and they are removed so no other file inherits them.
var legacyShopPrefs = []string{"screen", "staff", "shift.chosen", "firstrun.done", secondDirPref}

// shopKey is the prefix of the keys of the database at dbPath: a hash of
// its absolute path, stable for as long as the file stays where it is.
func shopKey(dbPath string) string {
	if abs, err := filepath.Abs(dbPath); err == nil {
		dbPath = abs
	}
	sum := sha256.Sum256([]byte(filepath.Clean(dbPath)))
	return "shop." + hex.EncodeToString(sum[:8]) + "."
}

// shopPrefs are the app's preferences as one file sees them.
type shopPrefs struct {
	fyne.Preferences
	prefix string
}

// shopPreferences is the view of all's preferences for the file at dbPath.
// The first view taken over legacy keys moves them under its prefix.
func shopPreferences(all fyne.Preferences, dbPath string) *shopPrefs {
	p := &shopPrefs{Preferences: all, prefix: shopKey(dbPath)}
	p.takeOverLegacy()
	return p
}

func (p *shopPrefs) takeOverLegacy() {
	all := p.Preferences
	for _, k := range legacyShopPrefs {
		if v := all.String(k); v != "" {
			if all.String(p.prefix+k) == "" {
				all.SetString(p.prefix+k, v)
			}
			all.RemoveValue(k)
		}
		if all.Bool(k) {
			all.SetBool(p.prefix+k, true)
			all.RemoveValue(k)
		}
	}
}

// key is where k is kept for this file.
func (p *shopPrefs) key(k string) string {
	if pcPrefs[k] {
		return k
	}
	return p.prefix + k
}

func (p *shopPrefs) Bool(k string) bool { return p.Preferences.Bool(p.key(k)) }
func (p *shopPrefs) BoolWithFallback(k string, f bool) bool {
	return p.Preferences.BoolWithFallback(p.key(k), f)
}
func (p *shopPrefs) SetBool(k string, v bool)       { p.Preferences.SetBool(p.key(k), v) }
func (p *shopPrefs) BoolList(k string) []bool       { return p.Preferences.BoolList(p.key(k)) }
func (p *shopPrefs) SetBoolList(k string, v []bool) { p.Preferences.SetBoolList(p.key(k), v) }
func (p *shopPrefs) BoolListWithFallback(k string, f []bool) []bool {
	return p.Preferences.BoolListWithFallback(p.key(k), f)
}
func (p *shopPrefs) Float(k string) float64 { return p.Preferences.Float(p.key(k)) }
func (p *shopPrefs) FloatWithFallback(k string, f float64) float64 {
	return p.Preferences.FloatWithFallback(p.key(k), f)
}
func (p *shopPrefs) SetFloat(k string, v float64) { p.Preferences.SetFloat(p.key(k), v) }
func (p *shopPrefs) FloatList(k string) []float64 { return p.Preferences.FloatList(p.key(k)) }
func (p *shopPrefs) FloatListWithFallback(k string, f []float64) []float64 {
	return p.Preferences.FloatListWithFallback(p.key(k), f)
}
func (p *shopPrefs) SetFloatList(k string, v []float64) { p.Preferences.SetFloatList(p.key(k), v) }
func (p *shopPrefs) Int(k string) int                   { return p.Preferences.Int(p.key(k)) }
func (p *shopPrefs) IntWithFallback(k string, f int) int {
	return p.Preferences.IntWithFallback(p.key(k), f)
}
func (p *shopPrefs) SetInt(k string, v int)       { p.Preferences.SetInt(p.key(k), v) }
func (p *shopPrefs) IntList(k string) []int       { return p.Preferences.IntList(p.key(k)) }
func (p *shopPrefs) SetIntList(k string, v []int) { p.Preferences.SetIntList(p.key(k), v) }
func (p *shopPrefs) IntListWithFallback(k string, f []int) []int {
	return p.Preferences.IntListWithFallback(p.key(k), f)
}
func (p *shopPrefs) String(k string) string { return p.Preferences.String(p.key(k)) }
func (p *shopPrefs) StringWithFallback(k, f string) string {
	return p.Preferences.StringWithFallback(p.key(k), f)
}
func (p *shopPrefs) SetString(k, v string)        { p.Preferences.SetString(p.key(k), v) }
func (p *shopPrefs) StringList(k string) []string { return p.Preferences.StringList(p.key(k)) }
func (p *shopPrefs) StringListWithFallback(k string, f []string) []string {
	return p.Preferences.StringListWithFallback(p.key(k), f)
}
func (p *shopPrefs) SetStringList(k string, v []string) { p.Preferences.SetStringList(p.key(k), v) }
func (p *shopPrefs) RemoveValue(k string)               { p.Preferences.RemoveValue(p.key(k)) }

// shopApp is the Fyne app as the window on one file sees it: its
// Preferences are that file's.
type shopApp struct {
	fyne.App
	prefs *shopPrefs
}

func (s *shopApp) Preferences() fyne.Preferences { return s.prefs }

// forShop wraps fa so that its preferences are those of the file at dbPath.
func forShop(fa fyne.App, dbPath string) *shopApp {
	if s, ok := fa.(*shopApp); ok {
		fa = s.App
	}
	return &shopApp{App: fa, prefs: shopPreferences(fa.Preferences(), dbPath)}
}

// The tray belongs to the app, whatever file the window is on.

func (s *shopApp) SetSystemTrayMenu(m *fyne.Menu) {
	if d, ok := s.App.(desktop.App); ok {
		d.SetSystemTrayMenu(m)
	}
}

func (s *shopApp) SetSystemTrayIcon(r fyne.Resource) {
	if d, ok := s.App.(desktop.App); ok {
		d.SetSystemTrayIcon(r)
	}
}

func (s *shopApp) SetSystemTrayWindow(w fyne.Window) {
	if d, ok := s.App.(desktop.App); ok {
		d.SetSystemTrayWindow(w)
	}
}
