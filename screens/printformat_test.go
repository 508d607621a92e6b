package screens

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"regulars/data"
	"regulars/printing"
	"regulars/rules"
)

// pdfText is pdftotext's reading of pdf, its words one space apart. make
// deps installs poppler-utils; under CI=true a missing pdftotext fails the
// test, elsewhere it is skipped.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing (make deps installs poppler-utils): the printed text cannot be checked")
		}
		t.Skip("pdftotext is missing (make deps installs poppler-utils)")
	}
	file := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// The printouts write dates, money and counts as the window does, in the
// shop's locale and currency: one way of writing them on a page.
func TestPrintoutsWriteDatesAndMoneyTheShopsWay(t *testing.T) {
	ctx := context.Background()
	day := mustDay("2026-06-15")
	for _, tc := range []struct {
		locale, sign string
		want         []string
		money        string // an amount over a thousand, as a pattern
		refuse       []string
	}{
		{"en-GB", "£",
			[]string{"Calls for Monday 15 June 2026", "As of Monday 15 June 2026", "points = £5.00 each", "May 2026"},
			`£\d{1,3}(,\d{3})+\.\d\d`,
			[]string{"06/15/2026", "15/06/2026", "2026-06-15", "Jun 26"}},
		{"en-US", "$",
			[]string{"Calls for Monday June 15, 2026", "As of Monday June 15, 2026", "points = $5.00 each", "May 2026"},
			`\$\d{1,3}(,\d{3})+\.\d\d`,
			[]string{"06/15/2026", "15/06/2026", "2026-06-15", "Jun 26"}},
	} {
		t.Run(tc.locale, func(t *testing.T) {
			s := openStore(t, day)
			must(s.GenerateDemo(ctx, data.DemoOptions{Customers: 300, End: day}))
			if err := s.SetShop(ctx, rules.ShopDetails{Name: "Fern & Field", Currency: tc.sign, Locale: tc.locale}); err != nil {
				t.Fatal(err)
			}
			a := openShop(t, s, day)
			t.Cleanup(func() { setCurrency(""); setLocale("") })

			calls, n, err := a.callsPDF(ctx, day)
			if err != nil || n == 0 {
				t.Fatalf("call sheet: %d calls, %v", n, err)
			}
			rep := must(s.Report(ctx, day, 10))
			var b bytes.Buffer
			shop := must(a.printShop(ctx))
			if err := printing.Report(&b, shop, rep); err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, calls) + " " + pdfText(t, b.Bytes())
			for _, w := range tc.want {
				if !strings.Contains(text, w) {
					t.Errorf("the printouts lack %q:\n%.3000s", w, text)
				}
			}
			for _, w := range tc.refuse {
				if strings.Contains(text, w) {
					t.Errorf("the printouts write %q in another way than the shop's", w)
				}
			}
			if !regexp.MustCompile(tc.money).MatchString(text) {
				t.Errorf("no amount over a thousand written as %s:\n%.3000s", tc.money, text)
			}
			if !regexp.MustCompile(`\d{1,3}(,\d{3})+ points held by`).MatchString(text) {
				t.Errorf("the points held are not grouped by thousands:\n%.3000s", text)
			}
		})
	}
}
