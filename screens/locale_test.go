package screens

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"regulars/data/pgtest"
	"regulars/rules"
)

// TestMain pins the computer's language: the screens' tests read dates and
// amounts the British way unless a test picks another format.
func TestMain(m *testing.M) {
	os.Unsetenv("LC_ALL")
	os.Unsetenv("LC_TIME")
	os.Unsetenv("LANGUAGE")
	os.Setenv("LANG", "en_GB.UTF-8")
	// The till's name is kept in a settings folder of the tests' own,
	// never in the machine's.
	dir, err := os.MkdirTemp("", "regulars-config")
	if err == nil {
		os.Setenv("XDG_CONFIG_HOME", dir)
	}
	code := pgtest.Main(m) // stops the shared PostgreSQL of the tests that use one
	os.RemoveAll(dir)
	os.Exit(code)
}

// inLocale switches the shown format for one test, with no currency sign:
// a window opened by an earlier test (a demo shop is in pounds) may have
// left one.
func inLocale(t *testing.T, tag string) {
	t.Helper()
	setLocale(tag)
	setCurrency("")
	t.Cleanup(func() { setLocale(""); setCurrency("") })
}

func TestEveryOfferedLocaleHasAFormat(t *testing.T) {
	for _, tag := range rules.Locales {
		if l, ok := shopLocales[tag]; !ok || l.tag != tag {
			t.Errorf("%s has no format", tag)
		}
		if localeName(tag) == tag {
			t.Errorf("%s has no name", tag)
		}
	}
	if len(shopLocales) != len(rules.Locales) {
		t.Errorf("%d formats for %d locales", len(shopLocales), len(rules.Locales))
	}
}

func TestDatesAndAmountsFollowTheLocale(t *testing.T) {
	day := rules.NewDay(2026, time.November, 23)
	for _, tc := range []struct {
		tag, short, long, money, entry string
	}{
		{"en-GB", "23/11/2026", "23 November 2026", "1,234.50", "1234.50"},
		{"en-US", "11/23/2026", "November 23, 2026", "1,234.50", "1234.50"},
		{"de-DE", "23.11.2026", "23. November 2026", "1.234,50", "1234,50"},
		{"fr-FR", "23/11/2026", "23 November 2026", "1\u00a0234,50", "1234,50"},
	} {
		t.Run(tc.tag, func(t *testing.T) {
			inLocale(t, tc.tag)
			if got := shortDate(day); got != tc.short {
				t.Errorf("shortDate = %q, want %q", got, tc.short)
			}
			if got := longDate(day); got != tc.long {
				t.Errorf("longDate = %q, want %q", got, tc.long)
			}
			if got := money(123450); got != tc.money {
				t.Errorf("money = %q, want %q", got, tc.money)
			}
			if got := money(-5); got != "-0"+string(shopLocales[tc.tag].Decimal)+"05" {
				t.Errorf("money(-5) = %q", got)
			}
			if got := amountText(123450); got != tc.entry {
				t.Errorf("amountText = %q, want %q", got, tc.entry)
			}
			for _, in := range []string{tc.short, "2026-11-23", " " + tc.short + " "} {
				if got, err := parseDate(in); err != nil || got != day {
					t.Errorf("parseDate(%q) = %v, %v", in, got, err)
				}
			}
			for _, in := range []string{tc.money, tc.entry, "1234.50", "1234.5"} {
				if got, err := parseAmount(in); err != nil || got != 123450 {
					t.Errorf("parseAmount(%q) = %v, %v", in, got, err)
				}
			}
		})
	}
}

func TestSmallAmountsAndGrouping(t *testing.T) {
	inLocale(t, "en-GB")
	for c, want := range map[rules.Cents]string{0: "0.00", 5: "0.05", 99999: "999.99", 100000: "1,000.00", 123456789: "1,234,567.89"} {
		if got := money(c); got != want {
			t.Errorf("money(%d) = %q, want %q", c, got, want)
		}
	}
}

func TestParseAmountPerLocale(t *testing.T) {
	for _, tc := range []struct {
		tag, in string
		want    rules.Cents
		ok      bool
	}{
		{"en-GB", "12", 1200, true},
		{"en-GB", "12.5", 1250, true},
		{"en-GB", "1,234", 123400, true},
		{"en-GB", "1,234,567.89", 123456789, true},
		{"en-GB", "12,50", 0, false}, // a comma before two digits is no decimal point here
		{"en-GB", "1.234", 0, false}, // three decimals
		{"en-GB", "12,34,5", 0, false},
		{"en-GB", "abc", 0, false},
		{"en-GB", "", 0, false},
		{"en-GB", "-3.00", -300, true},
		{"en-US", "1,234.50", 123450, true},
		{"de-DE", "12,50", 1250, true},
		{"de-DE", "12.50", 1250, true}, // '.' before two digits: a decimal point
		{"de-DE", "1.234", 123400, true},
		{"de-DE", "1.234,5", 123450, true},
		{"de-DE", "1,234", 0, false}, // three decimals
		{"de-DE", "1.23.4", 0, false},
		{"fr-FR", "1 234,50", 123450, true},
		{"fr-FR", "1\u00a0234,50", 123450, true},
		{"fr-FR", "12.50", 1250, true},
		{"fr-FR", "12,5", 1250, true},
		{"fr-FR", "1.234", 0, false},
	} {
		inLocale(t, tc.tag)
		got, err := parseAmount(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("%s: parseAmount(%q) = %v, %v", tc.tag, tc.in, got, err)
		}
	}
}

func TestParseDatePerLocale(t *testing.T) {
	for _, tc := range []struct {
		tag, in, want string // want "" for a refusal
	}{
		{"en-GB", "23/11/2026", "2026-11-23"},
		{"en-GB", "3/1/2026", "2026-01-03"},
		{"en-GB", "2026-01-03", "2026-01-03"},
		{"en-GB", "11/23/2026", ""},
		{"en-GB", "31/02/2026", ""},
		{"en-GB", "23.11.2026", ""},
		{"en-US", "11/23/2026", "2026-11-23"},
		{"en-US", "1/3/2026", "2026-01-03"},
		{"en-US", "23/11/2026", ""},
		{"de-DE", "23.11.2026", "2026-11-23"},
		{"de-DE", "23/11/2026", ""},
		{"fr-FR", "23/11/2026", "2026-11-23"},
		{"fr-FR", "next week", ""},
		{"fr-FR", "", ""},
	} {
		inLocale(t, tc.tag)
		got, err := parseDate(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("%s: parseDate(%q) = %v, want a refusal", tc.tag, tc.in, got)
			}
			continue
		}
		if err != nil || got.String() != tc.want {
			t.Errorf("%s: parseDate(%q) = %v, %v; want %s", tc.tag, tc.in, got, err, tc.want)
		}
	}
}

func TestBirthdaysWithAndWithoutTheYear(t *testing.T) {
	for _, tc := range []struct {
		tag, in, want, shown string
	}{
		{"en-GB", "23/11", "--11-23", "23/11"},
		{"en-GB", "23/11/1980", "1980-11-23", "23/11/1980"},
		{"en-GB", "--11-23", "--11-23", "23/11"},
		{"en-GB", "1980-11-23", "1980-11-23", "23/11/1980"},
		{"en-US", "11/23", "--11-23", "11/23"},
		{"de-DE", "23.11.", "--11-23", "23.11"},
		{"de-DE", "29.02", "--02-29", "29.02"},
		{"en-GB", "31/02", "", ""},
		{"en-GB", "soon", "", ""},
	} {
		inLocale(t, tc.tag)
		got, err := parseYearly(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("%s: parseYearly(%q) = %v, want a refusal", tc.tag, tc.in, got)
			}
			continue
		}
		if err != nil || got.String() != tc.want {
			t.Errorf("%s: parseYearly(%q) = %v, %v; want %s", tc.tag, tc.in, got, err, tc.want)
		}
		if s := yearlyText(got); s != tc.shown {
			t.Errorf("%s: yearlyText(%v) = %q, want %q", tc.tag, got, s, tc.shown)
		}
	}
}

func TestTheComputersLanguagePicksTheDefault(t *testing.T) {
	for in, want := range map[string]string{
		"en_US.UTF-8": "en-US", "en_GB.UTF-8": "en-GB", "en_IE.UTF-8": "en-GB", "de_AT.UTF-8": "de-DE",
		"fr_CA": "fr-FR", "de": "de-DE", "C": "en-GB", "": "en-GB", "ja_JP.UTF-8": "en-GB", "en-US": "en-US",
	} {
		if got := nearestLocale(in); got != want {
			t.Errorf("nearestLocale(%q) = %q, want %q", in, got, want)
		}
	}
	t.Setenv("LANG", "de_DE.UTF-8")
	if l := localeFor(""); l.tag != "de-DE" {
		t.Errorf("unset locale with LANG=de_DE follows %s", l.tag)
	}
}

func TestSwitchingTheLocaleInSettingsChangesDatesAndAmounts(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	t.Cleanup(func() { setLocale(""); setCurrency("") })
	f.app.openCustomer(f.ann)
	page := f.app.screens["customers"].(*customersScreen).page
	if !strings.Contains(page.sub.Text, "80.00 spent") || !strings.Contains(page.details.Text, "Customer since: 1 June 2026") {
		t.Fatalf("before: %q / %q", page.sub.Text, page.details.Text)
	}
	f.app.show("checkout")
	co := f.app.screens["checkout"].(*checkoutScreen)
	if len(co.recent) == 0 || !strings.Contains(co.describe(co.recent[0]), "1 Jun 2026") {
		t.Fatalf("checkout before: %v", co.recent)
	}

	s := unlockSettings(t, f.app)
	if s.locale.Selected != localeLabel("en-GB") {
		t.Errorf("an unset format shows the computer's: %q", s.locale.Selected)
	}
	s.locale.SetSelected(localeLabel("de-DE"))
	test.Tap(findButtonUnder(t, s.body, "Save shop details"))
	if got := must(f.store.Shop(context.Background())).Locale; got != "de-DE" {
		t.Fatalf("saved locale %q", got)
	}
	if got := s.loyalty["value"].Text; got != "5,00" {
		t.Errorf("the reward value field shows %q, want 5,00", got)
	}

	f.app.openCustomer(f.ann)
	if !strings.Contains(page.sub.Text, "80,00 spent") {
		t.Errorf("amount after the switch: %q", page.sub.Text)
	}
	if !strings.Contains(page.details.Text, "Customer since: 1. June 2026") {
		t.Errorf("long date after the switch: %q", page.details.Text)
	}
	if got := co.describe(co.recent[0]); !strings.Contains(got, "1. Jun 2026") || !strings.Contains(got, "80,00") {
		t.Errorf("checkout after the switch: %q", got)
	}
}

func TestWholeNumbersAreGroupedForTheLocale(t *testing.T) {
	defer setLocale(currentLocale().tag)
	for _, c := range []struct {
		tag  string
		n    int64
		want string
	}{{"en-GB", 411078, "411,078"}, {"de-DE", 1234567, "1.234.567"}, {"en-US", 999, "999"}, {"en-GB", -1000, "-1,000"}, {"en-GB", 0, "0"}} {
		setLocale(c.tag)
		if got := wholeNumber(c.n); got != c.want {
			t.Errorf("%s %d = %q, want %q", c.tag, c.n, got, c.want)
		}
	}
}

func TestOneWayOfWritingADayPerLocale(t *testing.T) {
	day := rules.NewDay(2026, time.November, 23)
	at := time.Date(2026, time.November, 23, 14, 5, 0, 0, time.Local)
	for _, tc := range []struct {
		tag, long, list, stamp, field string
	}{
		{"en-GB", "23 November 2026", "23 Nov 2026", "23 Nov 2026 14:05", "23/11/2026 14:05"},
		{"en-US", "November 23, 2026", "Nov 23, 2026", "Nov 23, 2026 14:05", "11/23/2026 14:05"},
		{"de-DE", "23. November 2026", "23. Nov 2026", "23. Nov 2026 14:05", "23.11.2026 14:05"},
		{"fr-FR", "23 November 2026", "23 Nov 2026", "23 Nov 2026 14:05", "23/11/2026 14:05"},
	} {
		t.Run(tc.tag, func(t *testing.T) {
			inLocale(t, tc.tag)
			for _, c := range []struct{ name, got, want string }{
				{"longDate", longDate(day), tc.long},
				{"listDate", listDate(day), tc.list},
				{"stamp", stamp(at), tc.stamp},
				{"stampText", stampText(at), tc.field},
			} {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
				}
			}
			if got, err := parseStamp(tc.field); err != nil || !got.Equal(at) {
				t.Errorf("parseStamp(%q) = %v, %v", tc.field, got, err)
			}
		})
	}
	if listDate(0) != "" {
		t.Error("a day not set is written")
	}
}

func TestMoneyAndPointsPerLocale(t *testing.T) {
	t.Cleanup(func() { setCurrency("") })
	for _, tc := range []struct {
		tag, sign, money, negative, points, one, signed string
	}{
		{"en-GB", "£", "£4,109.76", "-£5.00", "410,976 points", "1 point", "+1,200"},
		{"en-US", "$", "$4,109.76", "-$5.00", "410,976 points", "1 point", "+1,200"},
		{"de-DE", "€", "€4.109,76", "-€5,00", "410.976 points", "1 point", "+1.200"},
		{"fr-FR", "€", "€4\u00a0109,76", "-€5,00", "410\u00a0976 points", "1 point", "+1\u00a0200"},
	} {
		t.Run(tc.tag, func(t *testing.T) {
			inLocale(t, tc.tag)
			setCurrency(tc.sign)
			for _, c := range []struct{ name, got, want string }{
				{"money", money(410976), tc.money},
				{"money(-500)", money(-500), tc.negative},
				{"pointsText", pointsText(410976), tc.points},
				{"pointsText(1)", pointsText(1), tc.one},
				{"signedNumber", signedNumber(1200), tc.signed},
				{"signedNumber(-40)", signedNumber(-40), "-40"},
			} {
				if c.got != c.want {
					t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
				}
			}
			if got, err := parseAmount(tc.money); err != nil || got != 410976 {
				t.Errorf("parseAmount(%q) = %v, %v", tc.money, got, err)
			}
		})
	}
}
