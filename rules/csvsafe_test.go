package rules

import "testing"

func TestCSVTextNeutralisesFormulasAndComesBack(t *testing.T) {
	for _, c := range []struct{ in, out string }{
		{"Ann Lee", "Ann Lee"},
		{"=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(1)", "'@SUM(1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"'=1", "''=1"},
		{"'Tis", "'Tis"},
		{"''", "''"},
		{"", ""},
		{"a=b", "a=b"},
	} {
		if got := CSVText(c.in); got != c.out {
			t.Errorf("csvText(%q) = %q, want %q", c.in, got, c.out)
		}
		if back := FromCSVText(CSVText(c.in)); back != c.in {
			t.Errorf("fromCSVText(csvText(%q)) = %q", c.in, back)
		}
	}
}

func FuzzCSVText(f *testing.F) {
	for _, s := range []string{"", "=1", "'=1", "''-x", "@", "\t", "plain", "'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := CSVText(s)
		if FormulaStart(out) {
			t.Fatalf("csvText(%q) = %q starts a formula", s, out)
		}
		if back := FromCSVText(out); back != s {
			t.Fatalf("fromCSVText(csvText(%q)) = %q", s, back)
		}
	})
}
