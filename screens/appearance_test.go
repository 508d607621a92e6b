package screens

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// contrast is the WCAG contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	lum := func(c color.Color) float64 {
		r, g, b, _ := c.RGBA()
		ch := func(v uint32) float64 {
			s := float64(v) / 0xffff
			if s <= 0.03928 {
				return s / 12.92
			}
			return math.Pow((s+0.055)/1.055, 2.4)
		}
		return 0.2126*ch(r) + 0.7152*ch(g) + 0.0722*ch(b)
	}
	l1, l2 := lum(a), lum(b)
	return (max(l1, l2) + 0.05) / (min(l1, l2) + 0.05)
}

// Muted text (hints, notes, the status line) reads on the background in
// both variants, whether forced or the desktop's.
func TestMutedTextReadsInLightAndDark(t *testing.T) {
	fa := test.NewTempApp(t)
	fa.Settings().SetTheme(theme.DefaultTheme()) // the test app's own is grey on grey
	for _, tc := range []struct {
		choice  string
		variant fyne.ThemeVariant
	}{
		{themeLight, theme.VariantLight}, {themeDark, theme.VariantDark},
		{themeSystem, theme.VariantLight}, {themeSystem, theme.VariantDark},
	} {
		applyTheme(fa, tc.choice)
		th := fa.Settings().Theme()
		muted, bg := th.Color(theme.ColorNameDisabled, tc.variant), th.Color(theme.ColorNameBackground, tc.variant)
		if f, ok := forcedOf(th); ok {
			bg = f.Theme.Color(theme.ColorNameBackground, f.variant)
		}
		if c := contrast(muted, bg); c < 4.5 {
			t.Errorf("%s (%v): muted text %v on %v has a contrast of %.1f:1", tc.choice, tc.variant, muted, bg, c)
		}
	}
}
