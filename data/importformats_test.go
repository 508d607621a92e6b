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
)

// imported is a customer as an import would store it, in the export's
// words, so a table reads like the file that comes out.
type imported struct {
	line                                       int
	name, phone, email, birthday, since, notes string
	tags                                       string // ;-joined
	dnc                                        bool
}

func importedRows(rows []importers.CustomerRow) []imported {
	var out []imported
	for _, r := range rows {
		c := r.Customer
		out = append(out, imported{r.Line, c.Name, c.Phone, c.Email, c.Birthday.String(), c.CustomerSince.String(), c.Notes,
			strings.Join(c.Tags, ";"), c.DoNotContact})
	}
	return out
}

func openImport(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "imports", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// A Shopify export with a note running over two lines and rows that
// cannot be imported.
const shopifyWithBadRows = "First Name,Last Name,Email,Accepts Email Marketing,Phone,Accepts SMS Marketing,Note,Tags\n" +
	"Gina,Rossi,gina@example.com,yes,'+447700900301,yes,\"Two\nlines\",VIP\n" + // lines 2–3
	",,nobody@example.com,no,,no,,\n" + // 4: no name
	"Hal,Berg,hal@,no,'+44 7700 900302,no,,\n" + // 5: bad email
	"Iris,Wong,iris@example.com,yes,'+44 7700 900 301,no,,\n" + // 6: Gina's phone written otherwise
	"Jon,Snow,jon@example.com,yes,'(07700) 900-309,no,,\n" + // 7: a customer already in the shop
	"Kay,Lu,kay@example.com,yes,'+44 7700 900310,yes,,\n" // 8

func TestForeignExportBadRowsAndDuplicatesAsForOurs(t *testing.T) {
	s := ioStore(t)
	ctx := context.Background()
	if _, err := s.AddCustomer(ctx, rules.Customer{Name: "Jon Snow", Phone: "07700 900309"}); err != nil {
		t.Fatal(err)
	}
	rep, err := s.ImportCustomersCSV(ctx, strings.NewReader(shopifyWithBadRows), ImportOptions{})
	if !errors.Is(err, importers.ErrBadRows) || rep.Written || ioCount(t, s, "customers") != 1 {
		t.Fatalf("all or nothing: %+v, %v", rep, err)
	}
	if rep.Format.ID != "shopify" {
		t.Errorf("format %+v", rep.Format)
	}
	want := []string{
		"line 4: a name is required",
		`line 5: email "hal@" is not an address like name@example.com`,
		"line 6: phone +44 7700 900 301 is already on line 2",
		"line 7: phone (07700) 900-309 already belongs to customer 1 Jon Snow",
	}
	var got []string
	for _, b := range rep.Bad {
		got = append(got, b.Error())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("bad rows:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	rep, err = s.ImportCustomersCSV(ctx, strings.NewReader(shopifyWithBadRows), ImportOptions{SkipBad: true})
	if err != nil || rep.Added != 2 || !rep.Written || ioCount(t, s, "customers") != 3 {
		t.Fatalf("--skip-bad: %+v, %v", rep, err)
	}
	gina, err := s.MatchCustomer(ctx, "gina@example.com")
	if err != nil || gina.Name != "Gina Rossi" || gina.Notes != "Two\nlines" || gina.Phone != "+447700900301" {
		t.Errorf("Gina = %+v, %v", gina, err)
	}
}

func TestColumnMap(t *testing.T) {
	for _, tc := range []struct{ spec, want string }{
		{"", "maps no column"},
		{"Client", `"Client" is not a pair like "Phone Number=phone"`},
		{"=name", `names no column`},
		{"Client=nom", `"nom" is not a customer field; the fields are name, first_name`},
		{"Client=name,client=notes", `the column "client" is mapped twice`},
		{"Client=name,Mobile No=phone,Home=phone", `the columns "Mobile No" and "Home" both go to phone`},
		{"Mobile No=phone", "does not say which column holds the name"},
		{"Client=name,First=first_name", "both a full name and first or last names"},
	} {
		if _, err := importers.ParseColumnMap(tc.spec); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseColumnMap(%q) = %v, want it to say %q", tc.spec, err, tc.want)
		}
	}

	s := ioStore(t)
	ctx := context.Background()
	m, err := importers.ParseColumnMap("client=name, Mobile No=phone,E-mail=email,Joined=customer_since")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.ImportCustomersCSV(ctx, openImport(t, "spreadsheet.csv"), ImportOptions{Columns: m})
	if err != nil || rep.Added != 2 || rep.Format.ID != "" {
		t.Fatalf("mapped import: %+v, %v", rep, err)
	}
	if len(rep.Warnings) != 1 || rep.Warnings[0] != "ignored: Visits" {
		t.Errorf("the column left out is not named: %q", rep.Warnings)
	}
	ola, err := s.MatchCustomer(ctx, "07700 900601")
	if err != nil || ola.Name != "Ola Berg" || ola.Email != "ola@example.com" || ola.CustomerSince.String() != "2022-04-01" {
		t.Errorf("Ola = %+v, %v", ola, err)
	}

	m, _ = importers.ParseColumnMap("Name=name,Phone Number=phone")
	_, err = s.ImportCustomersCSV(ctx, openImport(t, "spreadsheet.csv"), ImportOptions{Columns: m})
	if err == nil || err.Error() != `the file has no column "Name" or "Phone Number"; its columns are Client, Mobile No, E-mail, Joined, Visits` {
		t.Errorf("missing columns: %v", err)
	}
}

func TestPreviewCustomersCSVRecognisesTheExport(t *testing.T) {
	s := ioStore(t)
	pre, err := s.PreviewCustomersCSV(context.Background(), openImport(t, "square.csv"), nil, 2)
	if err != nil {
		t.Fatal(err)
	}
	if pre.Report.Format.ID != "square" || pre.Report.Added != 3 || len(pre.Rows) != 2 || pre.Rows[0].Customer.Name != "Jo Park" ||
		!strings.HasPrefix(pre.Report.Warnings[0], "ignored: City, ") {
		t.Errorf("preview %+v", pre)
	}
	if n := ioCount(t, s, "customers"); n != 0 {
		t.Errorf("the preview wrote %d customers", n)
	}
}

func TestEachProgramsExportImportsAsItIs(t *testing.T) {
	for _, tc := range []struct {
		file, format string
		want         []imported
		ignored      string // the warning naming the columns left out
	}{
		{"google.csv", "google", []imported{
			// Several emails and phones in one cell: the first of each.
			{2, "Ann Lee", "+44 7700 900101", "ann.lee@example.com", "1985-03-14", "", "Prefers the blue range", "Regulars", false},
			// The filled one of several phone columns; a birthday without a year.
			{3, "Ben Okafor", "07700 900102", "", "--07-09", "", "", "", false},
			// Middle names belong to the name; Google's own labels are not tags.
			{4, "Cara Jane Day", "", "cara.day@example.com", "", "", "Allergic to nuts\nAsks after the dog", "VIP;Regulars", false},
		}, "ignored: Organization Name, Address 1 - Label, Address 1 - City (and 19 empty columns)"},
		{"google-old.csv", "google-old", []imported{
			{2, "Mia Novak", "+44 7700 900501", "mia.novak@example.com", "1992-12-01", "", "", "Friends;Regulars", false},
			{3, "Noah Price", "0113 496 0502", "", "--02-29", "", "Collects on Fridays", "", false},
		}, "ignored: Organization 1 - Name (and 40 empty columns)"},
		{"outlook.csv", "outlook", []imported{
			// The mobile before the business phone; Outlook's month/day/year.
			{2, "Dan Fox", "07700 900201", "dan.fox@example.com", "1979-06-30", "", "Fleet account: three vans", "Regulars;Trade", false},
			// 0/0/00 is Outlook's "no birthday".
			{3, "Eve Adams", "0113 496 0202", "", "", "", "", "", false},
			{4, "Finn O'Neil", "0113 496 0203", "finn@example.com", "1990-11-02", "", "", "VIP", false},
		}, "ignored: Company, Home City (and 65 empty columns)"},
		{"shopify.csv", "shopify", []imported{
			// Phone before Default Address Phone, without the leading apostrophe.
			{2, "Gina Rossi", "+447700900301", "gina@example.com", "", "", "Loves espresso", "VIP;Coffee club", false},
			// No to every kind of marketing: do not contact.
			{3, "Hal Berg", "+44 7700 900302", "hal.berg@example.com", "", "", "", "", true},
			// Yes to email is still a yes.
			{4, "Iris Wong", "+447700900303", "iris@example.com", "", "", "", "Wholesale", false},
		}, "ignored: Customer ID, Default Address Address1, Default Address City, Default Address Country Code, Default Address Zip, Total Spent, Total Orders, Tax Exempt (and 3 empty columns)"},
		{"square.csv", "square", []imported{
			// 0000 is Square's year for a birthday without one; First Visit is the customer-since date.
			{2, "Jo Park", "+447700900401", "jo.park@example.com", "--11-02", "2021-05-03", "Oat milk, no sugar", "Regulars;Loyalty", false},
			{3, "Kit Marsh", "+44 7700 900402", "kit@example.com", "1990-07-09", "2019-11-20", "", "", true},
			{4, "Lena Cho", "+44 7700 900403", "", "", "2024-02-10", "", "", false},
		}, "ignored: City, Square Customer ID, Creation Source, Last Visit, Transaction Count, Lifetime Spend, Instant Profile, Blocked from online booking, Favourite Blend (and 7 empty columns)"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			rows, bad, warnings, format, err := importers.ParseCustomersFile(openImport(t, tc.file), nil)
			if err != nil {
				t.Fatal(err)
			}
			if format.ID != tc.format || !format.Foreign() {
				t.Errorf("recognised %+v, want %s", format, tc.format)
			}
			if len(bad) > 0 {
				t.Errorf("bad rows:\n%s", ioReasons(bad))
			}
			got := importedRows(rows)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("rows:\n got %+v\nwant %+v", got, tc.want)
			}
			if len(warnings) != 1 || warnings[0] != tc.ignored {
				t.Errorf("warnings %q\nwant %q", warnings, tc.ignored)
			}
		})
	}
}

func TestRecogniseCustomersByHeader(t *testing.T) {
	for _, tc := range []struct {
		name, header, want string
	}{
		{"ours", "name,phone,email", "regulars"},
		{"ours in capitals with a BOM", "\ufeffName,Phone", "regulars"},
		{"Google", "First Name,Last Name,Phone 1 - Value,E-mail 1 - Value,Labels", "google"},
		{"Google with only a label column", "First Name,Last Name,Labels", "google"},
		{"older Google, which also has Name", "Name,Given Name,Family Name,Group Membership,E-mail 1 - Value", "google-old"},
		{"Outlook", "First Name,Last Name,E-mail Address,Mobile Phone,Business Phone,Home Phone,Birthday,Notes,Categories", "outlook"},
		{"Shopify", "First Name,Last Name,Email,Accepts Email Marketing,Default Address Phone,Phone,Accepts SMS Marketing,Tags,Note", "shopify"},
		{"older Shopify", "First Name,Last Name,Email,Company,Phone,Accepts Marketing,Total Spent,Tags,Note", "shopify"},
		{"Square", "First Name,Surname,Email Address,Phone Number,Birthday,Email Subscription Status,First Visit,Memo,Groups", "square"},
		{"Square in the US", "Reference ID,First Name,Last Name,Email Address,Phone Number,Birthday,Memo", "square"},
		{"ours with columns an export also has", "name,phone,First Name,Email,Accepts Email Marketing", "regulars"},
		{"first and last names alone", "First Name,Last Name,Phone", ""},
		{"a spreadsheet", "Client,Mobile No,E-mail", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			header := strings.Split(tc.header, ",")
			r := importers.RecogniseCustomers(header)
			if r.Format.ID != tc.want || len(r.Fields) != len(header) {
				t.Errorf("RecogniseCustomers(%q) = %+v, want %q", tc.header, r, tc.want)
			}
		})
	}
	r := importers.RecogniseCustomers(strings.Split("Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Phone,Phone,Accepts SMS Marketing,Tags,Note,Total Spent", ","))
	want := []string{"", "first_name", "last_name", "email", "do_not_contact", "phone", "phone", "do_not_contact", "tags", "notes", ""}
	if !reflect.DeepEqual(r.Fields, want) {
		t.Errorf("Shopify's columns go to %q, want %q", r.Fields, want)
	}
	if got := r.Format.WithArticle(); got != "a Shopify customers export" {
		t.Errorf("WithArticle = %q", got)
	}
	if got := (importers.CustomerFormat{Name: "Outlook contacts export"}).WithArticle(); got != "an Outlook contacts export" {
		t.Errorf("WithArticle = %q", got)
	}
}

func TestExportDates(t *testing.T) {
	for _, tc := range []struct {
		in       string
		dayFirst bool
		want     string // "!" when it is no date
	}{
		{"1985-03-14", false, "1985-03-14"},
		{"1985-03-14T00:00:00-00:00", false, "1985-03-14"},
		{"2021-05-03 14:22:10", false, "2021-05-03"},
		{"0000-11-02", false, "--11-02"},
		{"--07-09", false, "--07-09"},
		{" --07-09", false, "--07-09"},
		{"11-02", false, "--11-02"},
		{"3/14/1985", false, "1985-03-14"},
		{"14/3/1985", true, "1985-03-14"},
		{"03-14-1985", false, "1985-03-14"},
		{"14.03.1985", false, "1985-03-14"},
		{"3/14/85", false, "1985-03-14"},
		{"7/9", false, "--07-09"},
		{"0/0/00", false, ""},
		{"0/0/0000", false, ""},
		{"", false, ""},
		{"2/29/2000", false, "2000-02-29"},
		{"0000-02-29", false, "--02-29"},
		{"2/29/2001", false, "!"},
		{"14/3/1985", false, "!"},
		{"1985-13-01", false, "!"},
		{"March 14", false, "!"},
		{"1/2/3/4", false, "!"},
	} {
		y, ok := importers.ParseExportDate(tc.in, tc.dayFirst)
		got := y.String()
		if !ok {
			got = "!"
		}
		if got != tc.want {
			t.Errorf("parseExportDate(%q, dayFirst %v) = %q, want %q", tc.in, tc.dayFirst, got, tc.want)
		}
	}
}

func TestOutlookDatesFollowTheFilesOrder(t *testing.T) {
	header := "First Name,Last Name,Mobile Phone,E-mail Address,Birthday\n"
	// A British Outlook writes day/month/year: 14/3 can only be that, so
	// 5/6 is the 5th of June too.
	rows, bad, warnings, _, err := importers.ParseCustomersFile(strings.NewReader(header+
		"Ann,Lee,07700 900001,,14/3/1985\nBob,Roy,07700 900002,,5/6/1990\n"), nil)
	if err != nil || len(bad) > 0 {
		t.Fatal(err, bad)
	}
	if got := importedRows(rows); got[0].birthday != "1985-03-14" || got[1].birthday != "1990-06-05" {
		t.Errorf("birthdays %+v", got)
	}
	if len(warnings) != 1 || warnings[0] != "dates such as 14/3/1985 were read as day/month/year" {
		t.Errorf("warnings %q", warnings)
	}
	// Dates that fit neither order alone: month first, and the one that
	// cannot be is a bad row naming its column.
	_, bad, _, _, err = importers.ParseCustomersFile(strings.NewReader(header+
		"Ann,Lee,07700 900001,,14/3/1985\nBob,Roy,07700 900002,,6/30/1990\n"), nil)
	if err != nil || len(bad) != 1 || bad[0].Error() != `line 2: Birthday "14/3/1985" is not a date` {
		t.Errorf("bad %v, %v", bad, err)
	}
}

func TestHeaderMatchingNoneNamesTheColumnsItNeeds(t *testing.T) {
	_, _, _, _, err := importers.ParseCustomersFile(openImport(t, "unknown.csv"), nil)
	if err == nil {
		t.Fatal("a file of unknown columns was read")
	}
	for _, want := range []string{`no "name" column`, `"First Name" and "Last Name"`, "Google Contacts, Outlook, Shopify or Square", `--map "Their Column=field,…"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	if strings.Count(err.Error(), ".") > 0 {
		t.Errorf("more than one sentence: %q", err)
	}
}
