package data

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regulars/importers"
	"regulars/rules"
	"strings"
	"testing"
	"time"
)

type ioOccasion struct {
	customer rules.ID
	label    string
	date     rules.YearlyDate
	yearly   bool
	lead     int
}

func ioOccasions(t *testing.T, s *Store) []ioOccasion {
	t.Helper()
	rows, err := s.reader().Query("SELECT customer_id, label, coalesce(year, 0), month, day, yearly, lead_days FROM occasions ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []ioOccasion
	for rows.Next() {
		var o ioOccasion
		var m, yearly int
		if err := rows.Scan(&o.customer, &o.label, &o.date.Year, &m, &o.date.Day, &yearly, &o.lead); err != nil {
			t.Fatal(err)
		}
		o.date.Month, o.yearly = time.Month(m), yearly != 0
		out = append(out, o)
	}
	return out
}

func ioImportVCard(t *testing.T, s *Store, file string, opt ImportOptions) (ImportReport, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return s.ImportVCard(context.Background(), f, opt)
}

func TestImportVCardFileErrors(t *testing.T) {
	s := ioStore(t)
	for _, file := range []string{"", "name,phone\nAnn,0161 496 0000\n"} {
		_, err := s.ImportVCard(context.Background(), strings.NewReader(file), ImportOptions{})
		if err == nil || errors.Is(err, importers.ErrBadRows) || !strings.Contains(err.Error(), "no vCards") {
			t.Errorf("file %q: err = %v", file, err)
		}
	}
}

func TestImportVCardSamples(t *testing.T) {
	for _, tc := range []struct {
		file      string
		customers []rules.Customer
		occasions []ioOccasion
	}{
		{
			file: "apple.vcf",
			customers: []rules.Customer{
				{ID: 1, Name: "Johnny Appleseed", Phone: "+1 (408) 555-0100", Email: "johnny@example.com",
					Birthday: rules.YearlyDate{Year: 1985, Month: time.April, Day: 12}, Address: "1 Infinite Loop, Cupertino, CA 95014, United States",
					Notes: "Prefers afternoon calls, not mornings.\nAllergic to wool.", Tags: []string{"VIP", "Regulars"}, AddedOn: ioToday},
				{ID: 2, Name: "Zoë Ñúñez", Phone: "07700 900123", Birthday: rules.YearlyDate{Year: 0, Month: time.February, Day: 29}, AddedOn: ioToday},
			},
			occasions: []ioOccasion{{1, "Anniversary", rules.YearlyDate{Year: 2010, Month: time.June, Day: 19}, true, 7}},
		},
		{
			file: "google.vcf",
			customers: []rules.Customer{
				{ID: 1, Name: "Priya Shah", Phone: "+44 7700 900456", Email: "priya.shah@example.com",
					Birthday: rules.YearlyDate{Year: 1990, Month: time.November, Day: 3}, Address: "22 Baker Street, Flat 3, London, NW1 6XE, United Kingdom",
					Notes: "Met at the spring fair", Tags: []string{"myContacts", "Starred"}, AddedOn: ioToday},
				{ID: 2, Name: "Chidi Okafor", Phone: "0161 496 0444", Birthday: rules.YearlyDate{Year: 0, Month: time.March, Day: 15}, AddedOn: ioToday},
			},
		},
		{
			file: "outlook.vcf",
			customers: []rules.Customer{
				{ID: 1, Name: "Maggie Brown", Phone: "07700 900789", Email: "maggie@example.co.uk",
					Birthday: rules.YearlyDate{Year: 1972, Month: time.September, Day: 8}, Address: "10 Park Row, Leeds, West Yorkshire LS1 5HD, United Kingdom",
					Notes: "Likes the blue range\nCall before delivery", AddedOn: ioToday},
				{ID: 2, Name: "Jürgen Müller", Phone: "+49 30 901820", Email: "juergen@example.de", AddedOn: ioToday},
			},
			occasions: []ioOccasion{{1, "Anniversary", rules.YearlyDate{Year: 1999, Month: time.June, Day: 12}, true, 7}},
		},
	} {
		t.Run(tc.file, func(t *testing.T) {
			s := ioStore(t)
			rep, err := ioImportVCard(t, s, tc.file, ImportOptions{})
			if err != nil {
				t.Fatalf("%v\n%s", err, ioReasons(rep.Bad))
			}
			if rep.Added != len(tc.customers) || !rep.Written || len(rep.Warnings) != 0 {
				t.Errorf("report = %+v", rep)
			}
			cs, err := s.Customers(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(cs, tc.customers) {
				t.Errorf("customers:\n%+v\nwant:\n%+v", cs, tc.customers)
			}
			if got := ioOccasions(t, s); !reflect.DeepEqual(got, tc.occasions) {
				t.Errorf("occasions: %+v, want %+v", got, tc.occasions)
			}
		})
	}
}

func TestImportVCardFourWithBadCards(t *testing.T) {
	s := ioStore(t)
	rep, err := ioImportVCard(t, s, "v4.vcf", ImportOptions{})
	if !errors.Is(err, importers.ErrBadRows) || !strings.Contains(err.Error(), "4 cards are bad") {
		t.Fatalf("err = %v, want ErrBadRows for 4 cards", err)
	}
	want := []string{
		`line 14: phone "12" should have between 5 and 15 digits`,
		`line 25: email ANA@example.es is already on line 1`,
		`line 30: birthday "circa 1800" is not a date like 1985-04-12, 19850412 or --04-12; anniversary "2015-09-31" is not a real calendar date`,
		`line 36: the card has no END:VCARD line`,
	}
	if got := ioReasons(rep.Bad); got != strings.Join(want, "\n") {
		t.Errorf("bad cards:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if !reflect.DeepEqual(rep.Warnings, []string{"line 19: a contact group, not a person, was skipped"}) {
		t.Errorf("warnings = %q", rep.Warnings)
	}
	if n := ioCount(t, s, "customers"); n != 0 {
		t.Fatalf("%d customers written by a refused import", n)
	}

	rep, err = ioImportVCard(t, s, "v4.vcf", ImportOptions{SkipBad: true})
	if err != nil || rep.Added != 1 || len(rep.Bad) != 4 {
		t.Fatalf("skip bad: %+v, %v", rep, err)
	}
	cs, _ := s.Customers(context.Background())
	want1 := []rules.Customer{{ID: 1, Name: "Dr. Ana María López", Phone: "+34-600-555-0101", Email: "ana@example.es",
		Birthday: rules.YearlyDate{Year: 0, Month: time.April, Day: 12}, Address: "Calle Mayor 1, Madrid, 28013, Spain",
		Notes: "Orders for the restaurant; invoices monthly", Tags: []string{"vip", "wine"}, AddedOn: ioToday}}
	if !reflect.DeepEqual(cs, want1) {
		t.Errorf("customers:\n%+v\nwant:\n%+v", cs, want1)
	}
	if got := ioOccasions(t, s); !reflect.DeepEqual(got, []ioOccasion{{1, "Anniversary", rules.YearlyDate{Year: 2009, Month: time.August, Day: 8}, true, 7}}) {
		t.Errorf("occasions: %+v", got)
	}

	// Cards already present are bad the second time, by phone or email.
	rep, _ = ioImportVCard(t, s, "v4.vcf", ImportOptions{SkipBad: true, DryRun: true})
	if rep.Added != 0 || len(rep.Bad) != 5 || rep.Bad[0].Error() != "line 1: phone +34-600-555-0101 already belongs to customer 1 Dr. Ana María López" {
		t.Errorf("again: %+v", rep)
	}
}

func TestImportVCardDatesAndOddities(t *testing.T) {
	for _, tc := range []struct {
		name, card string
		want       rules.Customer
		bad        string
	}{
		{"date-time birthday", "BDAY:1985-04-12T08:30:00Z", rules.Customer{Birthday: rules.YearlyDate{Year: 1985, Month: time.April, Day: 12}}, ""},
		{"basic birthday", "BDAY:19850412", rules.Customer{Birthday: rules.YearlyDate{Year: 1985, Month: time.April, Day: 12}}, ""},
		{"year-less basic", "BDAY:--1231", rules.Customer{Birthday: rules.YearlyDate{Year: 0, Month: time.December, Day: 31}}, ""},
		{"year zero", "BDAY:0000-05-06", rules.Customer{Birthday: rules.YearlyDate{Year: 0, Month: time.May, Day: 6}}, ""},
		{"29 Feb in a common year", "BDAY:1990-02-29", rules.Customer{}, `birthday "1990-02-29" is not a real calendar date`},
		{"month only", "BDAY:--04", rules.Customer{}, `birthday "--04" is not a date`},
		{"mailto", "EMAIL:mailto:x@example.com", rules.Customer{Email: "x@example.com"}, ""},
		{"bad email", "EMAIL:not an address", rules.Customer{}, `email "not an address" is not an address`},
		{"folded note", "NOTE:one long\r\n  line", rules.Customer{Notes: "one long line"}, ""},
		{"tags deduplicated", "CATEGORIES:a,B\r\nCATEGORIES:b,c", rules.Customer{Tags: []string{"a", "B", "c"}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kim\r\n" + tc.card + "\r\nEND:VCARD\r\n"
			rows, bad, _, err := importers.ParseVCards(strings.NewReader(file))
			if err != nil {
				t.Fatal(err)
			}
			if tc.bad != "" {
				if len(bad) != 1 || !strings.Contains(bad[0].Reason, tc.bad) {
					t.Fatalf("bad = %v, want one mentioning %q", bad, tc.bad)
				}
				return
			}
			if len(bad) != 0 || len(rows) != 1 {
				t.Fatalf("rows %d, bad %v", len(rows), bad)
			}
			tc.want.Name = "Kim"
			if !reflect.DeepEqual(rows[0].Customer, tc.want) {
				t.Errorf("customer %+v, want %+v", rows[0].Customer, tc.want)
			}
		})
	}
}
