package data

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regulars/importers"
	"slices"
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
	big := strings.Repeat("x", importers.MaxField+1)
	var manyRows strings.Builder
	manyRows.WriteString("name\n")
	for i := 0; i <= importers.MaxCustomerRows; i++ {
		fmt.Fprintf(&manyRows, "C%d\n", i)
	}
	var wideRow strings.Builder
	wideRow.WriteString("name,notes\nAnn,\"")
	for wideRow.Len() < importers.MaxRecord+100 {
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
		{"a long row", strings.NewReader("name" + strings.Repeat(",c", 20) + "\nAnn" + strings.Repeat(","+strings.Repeat("z", importers.MaxField-10), 20) + "\n"), 2, "row is longer than 1 MB"},
		{"CR alone ends the lines", strings.NewReader("name,phone\rAnn,07700 900001\rBob,07700 900002\r"), 1, "carriage return alone"},
		{"CR alone after good lines", strings.NewReader("name\r\nAnn\r\nBob\rCy\r\n"), 3, "carriage return alone"},
		{"too many rows", strings.NewReader(manyRows.String()), importers.MaxCustomerRows + 2, "more than 100,000 rows"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.ImportCustomersCSV(ctx, c.file, ImportOptions{SkipBad: true})
			var le *importers.LineError
			switch {
			case c.line == 0 && !errors.Is(err, importers.ErrNotText):
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
	if _, err := s.ImportPurchasesCSV(ctx, endless(0), ImportOptions{}); !errors.Is(err, importers.ErrNotText) {
		t.Errorf("purchases from /dev/zero: %v", err)
	}
	var le *importers.LineError
	if _, err := s.ImportPurchasesCSV(ctx, endless('1'), ImportOptions{}); !errors.As(err, &le) || le.Line != 1 {
		t.Errorf("purchases from an endless line: %v", err)
	}
	if _, err := importers.SampleCSV(endless(0), 5); !errors.Is(err, importers.ErrNotText) {
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
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob Note\r\nNOTE:" + strings.Repeat("n", importers.MaxField+1) + "\r\nEND:VCARD\r\n" +
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
	if _, err := s.ImportVCard(ctx, endless(0), ImportOptions{}); !errors.Is(err, importers.ErrNotText) {
		t.Errorf("vCards from /dev/zero: %v", err)
	}
	if _, err := s.ImportVCard(ctx, io.MultiReader(strings.NewReader("BEGIN:VCARD\r\nNOTE:"), endless('a')), ImportOptions{}); err == nil {
		t.Error("an endless card was taken")
	}
}

func TestImportRefusesDatesFarAheadAndReferencesThatDisagree(t *testing.T) {
	ctx := context.Background()
	s := newTestStore(t, "2026-03-02")
	rep, err := s.ImportCustomersCSV(ctx, strings.NewReader("name,phone,customer_since\nAnn,07700 900001,2020-01-01\nBob,07700 900002,9999-01-01\nCy,07700 900003,2027-03-02\n"), ImportOptions{})
	if !errors.Is(err, importers.ErrBadRows) || len(rep.Bad) != 1 || rep.Bad[0].Line != 3 || !strings.Contains(rep.Bad[0].Reason, "customer_since 9999-01-01 is more than a year after today") {
		t.Fatalf("customers: %v %+v", err, rep.Bad)
	}
	if _, err := s.ImportCustomersCSV(ctx, strings.NewReader("name,phone\nAnn,07700 900001\nBob,07700 900002\n"), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	file := "customer,date,amount,reference\n" +
		"07700 900001,2026-02-01,10.00,T1\n" + // line 2
		"07700 900001,2026-02-01,10.00,T1\n" + // 3: the same receipt again: skipped
		"07700 900002,2026-02-02,99.00,T1\n" + // 4: another sale under T1
		"07700 900002,2026-02-03,5.00,T2\n" + // 5
		"07700 900002,2026-02-04,5.00,T2\n" + // 6: T2 on another day
		"07700 900002,9999-12-31,5.00,T3\n" + // 7: far ahead
		"07700 900002,2027-03-02,5.00,T4\n" // 8: a year ahead at most: fine
	rep, err = s.ImportPurchasesCSV(ctx, strings.NewReader(file), ImportOptions{})
	if !errors.Is(err, importers.ErrBadRows) {
		t.Fatalf("purchases: %v", err)
	}
	want := []importers.RowError{
		{Line: 4, Reason: "reference T1 is already on line 2, with the amount 10.00, not 99.00"},
		{Line: 6, Reason: "reference T2 is already on line 5, with the date 2026-02-03, not 2026-02-04"},
		{Line: 7, Reason: "date 9999-12-31 is more than a year after today (2026-03-02)"},
	}
	if !slices.Equal(rep.Bad, want) {
		t.Fatalf("bad rows:\n%+v\nwant\n%+v", rep.Bad, want)
	}
	rep, err = s.ImportPurchasesCSV(ctx, strings.NewReader(file), ImportOptions{SkipBad: true})
	if err != nil || rep.Added != 3 || rep.Skipped != 1 {
		t.Fatalf("skip bad: %+v %v", rep, err)
	}
	// Against the database: the same receipts skip, another amount is bad.
	rep, err = s.ImportPurchasesCSV(ctx, strings.NewReader("customer,date,amount,reference\n07700 900001,2026-02-01,10.00,T1\n07700 900001,2026-02-01,12.00,T2\n"), ImportOptions{})
	if !errors.Is(err, importers.ErrBadRows) || len(rep.Bad) != 1 || rep.Bad[0].Line != 3 || !strings.Contains(rep.Bad[0].Reason, "reference T2 is already purchase") {
		t.Fatalf("against the database: %+v %v", rep, err)
	}
	// The staff an import is recorded under keeps the name rules.
	for _, staff := range []string{"Ann\x1b[31m", strings.Repeat("n", 513)} {
		if _, err := s.ImportCustomersCSV(ctx, strings.NewReader("name\nDi\n"), ImportOptions{Staff: staff}); err == nil {
			t.Errorf("staff %q taken", staff)
		}
		if _, err := s.ImportPurchasesCSV(ctx, strings.NewReader(file), ImportOptions{Staff: staff}); err == nil {
			t.Errorf("staff %q taken for purchases", staff)
		}
	}
}
