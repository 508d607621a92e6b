package data

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// endless is a reader that never ends: /dev/zero, or a line without end.
type endless byte

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e)
	}
	return len(p), nil
}

func TestImportsStopAtTheLimitsOfAFile(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-03-02")
	big := strings.Repeat("x", maxField+1)
	var manyRows strings.Builder
	manyRows.WriteString("name\n")
	for i := 0; i <= maxCustomerRows; i++ {
		fmt.Fprintf(&manyRows, "C%d\n", i)
	}
	var wideRow strings.Builder
	wideRow.WriteString("name,notes\nAnn,\"")
	for wideRow.Len() < maxRecord+100 {
		wideRow.WriteString(strings.Repeat("y", 1000) + "\n") // short lines, one endless quoted field
	}
	wideRow.WriteString("\"\n")
	cases := []struct {
		name string
		file io.Reader
		line int    // of the LineError; 0 for ErrNotText
		says string // in its reason
	}{
		{"/dev/zero", endless(0), 0, ""},
		{"a line without end", endless('a'), 1, "field is longer than 64 KB"},
		{"NUL after good rows", strings.NewReader("name\nAnn\nBob\x00\n"), 0, ""},
		{"a long field", strings.NewReader("name,notes\nAnn,ok\nBob," + big + "\nCy,ok\n"), 3, "field is longer than 64 KB"},
		{"a long quoted field over many lines", strings.NewReader(wideRow.String()), 2, "field is longer than 64 KB"},
		{"a long row", strings.NewReader("name" + strings.Repeat(",c", 20) + "\nAnn" + strings.Repeat(","+strings.Repeat("z", maxField-10), 20) + "\n"), 2, "row is longer than 1 MB"},
		{"CR alone ends the lines", strings.NewReader("name,phone\rAnn,07700 900001\rBob,07700 900002\r"), 1, "carriage return alone"},
		{"CR alone after good lines", strings.NewReader("name\r\nAnn\r\nBob\rCy\r\n"), 3, "carriage return alone"},
		{"too many rows", strings.NewReader(manyRows.String()), maxCustomerRows + 2, "more than 100,000 rows"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.ImportCustomersCSV(ctx, c.file, ImportOptions{SkipBad: true})
			var le *LineError
			switch {
			case c.line == 0 && !errors.Is(err, ErrNotText):
				t.Fatalf("err = %v, want ErrNotText", err)
			case c.line != 0 && (!errors.As(err, &le) || le.Line != c.line || !strings.Contains(le.Reason, c.says)):
				t.Fatalf("err = %v, want line %d: …%s…", err, c.line, c.says)
			}
			if n := ioCount(t, s, "customers"); n != 0 {
				t.Errorf("%d customers written", n)
			}
		})
	}
	// The same for purchases, and for the sample the import window shows.
	if _, err := s.ImportPurchasesCSV(ctx, endless(0), ImportOptions{}); !errors.Is(err, ErrNotText) {
		t.Errorf("purchases from /dev/zero: %v", err)
	}
	var le *LineError
	if _, err := s.ImportPurchasesCSV(ctx, endless('1'), ImportOptions{}); !errors.As(err, &le) || le.Line != 1 {
		t.Errorf("purchases from an endless line: %v", err)
	}
	if _, err := SampleCSV(endless(0), 5); !errors.Is(err, ErrNotText) {
		t.Errorf("sample of /dev/zero: %v", err)
	}
	// CRLF, LF, and a file ending without a line end are ordinary.
	for _, f := range []string{"name\r\nAnn\r\n", "name\nAnn\n", "name\nAnn", "name\r\nAnn\r"} {
		rep, err := s.ImportCustomersCSV(ctx, strings.NewReader(f), ImportOptions{DryRun: true})
		if err != nil || rep.Added != 1 {
			t.Errorf("%q: %+v %v", f, rep, err)
		}
	}
}

func TestVCardImportPassesOverPicturesAndStopsAtLimits(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-03-02")
	photo := "PHOTO;ENCODING=b;TYPE=JPEG:" + strings.Repeat("QUJD", 18) + "\r\n" + strings.Repeat(" "+strings.Repeat("QUJD", 18)+"\r\n", 40000) // 3 MB
	file := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Photo\r\nTEL:07700 900001\r\n" + photo + "END:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Note\r\nNOTE:" + strings.Repeat("n", maxField+1) + "\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cy Folded\r\nNOTE:a\r\n" + strings.Repeat(" "+strings.Repeat("f", 70)+"\r\n", 1000) + "END:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Di Fine\r\nTEL:07700 900004\r\nEND:VCARD\r\n"
	rep, err := s.ImportVCard(ctx, strings.NewReader(file), ImportOptions{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 2 || len(rep.Bad) != 2 {
		t.Fatalf("added %d, bad %v; want Ann and Di added, Bob's and Cy's cards bad", rep.Added, rep.Bad)
	}
	for i, line := range []int{40007, 40012} {
		if rep.Bad[i].Line != line || !strings.Contains(rep.Bad[i].Reason, "longer than 64 KB") {
			t.Errorf("bad card %d: %+v; want line %d, a field longer than 64 KB", i, rep.Bad[i], line)
		}
	}
	if _, err := s.ImportVCard(ctx, endless(0), ImportOptions{}); !errors.Is(err, ErrNotText) {
		t.Errorf("vCards from /dev/zero: %v", err)
	}
	if _, err := s.ImportVCard(ctx, io.MultiReader(strings.NewReader("BEGIN:VCARD\r\nNOTE:"), endless('a')), ImportOptions{}); err == nil {
		t.Error("an endless card was taken")
	}
}
