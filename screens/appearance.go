package screens

import (
	"image/color"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The app follows the desktop's light or dark setting unless the owner picks
// one in Settings. REGULARS_THEME (light, dark or system) overrides the
// saved choice for one run, so screenshots can show both.

const themePref = "appearance.theme"

// Theme choices as saved in the preferences.
const (
	themeSystem = "system"
	themeLight  = "light"
	themeDark   = "dark"
)

// themeLabels name themeChoices in the translation in use.
func themeLabels() []string {
	return []string{lang.L("Follow the system"), lang.L("Light"), lang.L("Dark")}
}

var themeChoices = []string{themeSystem, themeLight, themeDark}

// forcedVariant draws a theme in one variant whatever the desktop asks for.
type forcedVariant struct {
	fyne.Theme
	variant fyne.ThemeVariant
}

func (t forcedVariant) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.variant)
}

// themeChoice is the saved choice, or REGULARS_THEME when set.
func themeChoice(fa fyne.App) string {
	if env := strings.ToLower(strings.TrimSpace(os.Getenv("REGULARS_THEME"))); env != "" {
		for _, c := range themeChoices {
			if env == c {
				return c
			}
		}
	}
	return fa.Preferences().StringWithFallback(themePref, themeSystem)
}

// applyTheme sets the app's theme for a choice: the desktop's variant, or
// one forced, always with readable muted text (readableTheme).
func applyTheme(fa fyne.App, choice string) {
	base := fa.Settings().Theme()
	if r, ok := base.(readableTheme); ok {
		base = r.Theme
	}
	if f, ok := base.(forcedVariant); ok {
		base = f.Theme
	}
	if base == nil {
		base = theme.DefaultTheme()
	}
	next := base
	switch choice {
	case themeLight:
		next = forcedVariant{base, theme.VariantLight}
	case themeDark:
		next = forcedVariant{base, theme.VariantDark}
	}
	fa.Settings().SetTheme(readableTheme{next})
}

// readableTheme draws muted text (hints, notes, the status line: labels of
// low importance, in the toolkit's "disabled" colour) in a grey that reads
// on the background, about 4.5:1: the toolkit's own is #39393a on #171717
// in the dark variant and nearly white on white in the light one.
type readableTheme struct{ fyne.Theme }

// Muted text in each variant.
var (
	mutedDark  = color.NRGBA{0x8e, 0x8e, 0x93, 0xff}
	mutedLight = color.NRGBA{0x6e, 0x6e, 0x73, 0xff}
)

func (t readableTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n != theme.ColorNameDisabled {
		return t.Theme.Color(n, v)
	}
	if f, ok := t.Theme.(forcedVariant); ok {
		v = f.variant
	}
	if v == theme.VariantDark {
		return mutedDark
	}
	return mutedLight
}

// forcedOf is the variant the app's theme forces, if it forces one.
func forcedOf(th fyne.Theme) (forcedVariant, bool) {
	if r, ok := th.(readableTheme); ok {
		th = r.Theme
	}
	f, ok := th.(forcedVariant)
	return f, ok
}

// applyAppearance puts the saved (or REGULARS_THEME) choice into effect;
// the window calls it once before it is built.
func (a *App) applyAppearance() { applyTheme(a.fa, themeChoice(a.fa)) }

// appearanceCard lets the owner choose light, dark or the desktop's
// setting; the choice is saved and applies at once.
func (a *App) appearanceCard() *widget.Card {
	radio := widget.NewRadioGroup(themeLabels(), nil)
	radio.Horizontal = true
	current := themeChoice(a.fa)
	for i, c := range themeChoices {
		if c == current {
			radio.SetSelected(themeLabels()[i])
		}
	}
	radio.OnChanged = func(label string) {
		for i, l := range themeLabels() {
			if l == label {
				a.fa.Preferences().SetString(themePref, themeChoices[i])
				applyTheme(a.fa, themeChoices[i])
				a.say(lang.L("Appearance: %s"), strings.ToLower(label))
			}
		}
	}
	radio.Required = true
	return widget.NewCard(lang.L("Appearance"), lang.L("Light or dark; the desktop's choice unless you pick one"), radio)
}
