package data

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"regulars/importers"
	"regulars/rules"
	"strings"
	"testing"
	"time"
)

// ioToday is the day the import tests run on.
var ioToday = rules.NewDay(2024, time.June, 1)

func ioStore(t *testing.T) *Store {
	t.Helper()
	clock := func() time.Time { return time.Date(2024, time.June, 1, 9, 30, 0, 0, time.Local) }
	return openTestShop(t, Options{Today: ioToday, Clock: clock})
}

func ioCount(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.reader().QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func ioLines(bad []importers.RowError) []int {
	var out []int
	for _, b := range bad {
		out = append(out, b.Line)
	}
	return out
}

func ioReasons(bad []importers.RowError) string {
	var out []string
	for _, b := range bad {
		out = append(out, b.Error())
	}
	return strings.Join(out, "\n")
}

// ioExport is one table exported as CSV.
func ioExport(t *testing.T, s *Store, what string) string {
	t.Helper()
	var b bytes.Buffer
	if err := s.ExportCSV(context.Background(), what, &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// messyCustomers has what real files have: a BOM, CRLF, a header in odd
// case with spaces, quoted commas and line breaks, names beyond ASCII, an
// unknown column, empty do_not_contact fields, and a few bad rows.
var messyCustomers = "\ufeff" + strings.Join([]string{
	"Name , PHONE,email,birthday,customer_since,notes,tags,do_not_contact,points,favourite colour",         // 1
	`Ann Lee,0161 496 0000,ann@example.com,1980-03-14,2020-01-02,"Likes tea, not coffee",vip;tea,,10,blue`, // 2
	`"Zoë Ñúñez",+44 7700 900123,zoe@example.com,--07-04,,"first line` + "\r\n" + // 3
		`second line, with a comma` + "\r\n" + // 4
		`third line",,yes,,red`, // 5
	`李小龍,,bruce@example.com,11-27,,,,no,0,`,              // 6
	`Bad Date,0207 946 0000,,1990-13-01,,,,false,,`,      // 7
	`Dup Phone,(0161) 496-0000,dup@example.com,,,,,,,`,   // 8
	`Short Row,0113 496 0000`,                            // 9
	``,                                                   // 10
	`Eve Adams,07700 900999,EVE@Example.com,,,,,TRUE,5,`, // 11
	`Dup Email,,eve@example.com,,,,,,,`,                  // 12
	`,,,,,,,,,`,                                          // 13: an empty spreadsheet row
	`Nia Obi,,,,,,,maybe,,`,                              // 14
}, "\r\n") + "\r\n"

var messyBadLines = []int{7, 8, 9, 12, 14}

func TestImportCustomersRefusesWholeFileWithBadRows(t *testing.T) {
	s := ioStore(t)
	rep, err := s.ImportCustomersCSV(context.Background(), strings.NewReader(messyCustomers), ImportOptions{})
	if !errors.Is(err, importers.ErrBadRows) {
		t.Fatalf("err = %v, want ErrBadRows", err)
	}
	if got := ioLines(rep.Bad); !reflect.DeepEqual(got, messyBadLines) {
		t.Fatalf("bad lines = %v, want %v\n%s", got, messyBadLines, ioReasons(rep.Bad))
	}
	want := []string{
		`line 7: birthday "1990-13-01" is not a real calendar date`,
		`line 8: phone (0161) 496-0000 is already on line 2`,
		`line 9: the row has 2 fields but the header has 10`,
		`line 12: email eve@example.com is already on line 11`,
		`line 14: do_not_contact "maybe" is not true/false, yes/no or 1/0`,
	}
	if got := ioReasons(rep.Bad); got != strings.Join(want, "\n") {
		t.Errorf("reasons:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], `"favourite colour"`) {
		t.Errorf("warnings = %q, want one naming the unknown column", rep.Warnings)
	}
	if rep.Written || rep.Added != 0 {
		t.Errorf("report = %+v, want nothing added or written", rep)
	}
	for _, table := range []string{"customers", "ledger", "audit"} {
		if n := ioCount(t, s, table); n != 0 {
			t.Errorf("%s has %d rows after a refused import", table, n)
		}
	}
}

func TestImportCustomersSkipBadWritesExactlyTheGoodRows(t *testing.T) {
	s := ioStore(t)
	ctx := context.Background()
	rep, err := s.ImportCustomersCSV(ctx, strings.NewReader(messyCustomers), ImportOptions{SkipBad: true, Staff: "Maya"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 4 || !rep.Written || !reflect.DeepEqual(ioLines(rep.Bad), messyBadLines) {
		t.Fatalf("report = %+v", rep)
	}
	cs, err := s.Customers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []rules.Customer{
		{ID: 1, Name: "Ann Lee", Phone: "0161 496 0000", Email: "ann@example.com", Birthday: rules.YearlyDate{Year: 1980, Month: time.March, Day: 14},
			CustomerSince: rules.NewDay(2020, time.January, 2), Notes: "Likes tea, not coffee", Tags: []string{"vip", "tea"}, AddedOn: ioToday},
		{ID: 2, Name: "Zoë Ñúñez", Phone: "+44 7700 900123", Email: "zoe@example.com", Birthday: rules.YearlyDate{Year: 0, Month: time.July, Day: 4},
			Notes: "first line\nsecond line, with a comma\nthird line", DoNotContact: true, AddedOn: ioToday},
		{ID: 3, Name: "李小龍", Email: "bruce@example.com", Birthday: rules.YearlyDate{Year: 0, Month: time.November, Day: 27}, AddedOn: ioToday},
		{ID: 4, Name: "Eve Adams", Phone: "07700 900999", Email: "EVE@Example.com", DoNotContact: true, AddedOn: ioToday},
	}
	if !reflect.DeepEqual(cs, want) {
		t.Fatalf("customers:\n%+v\nwant:\n%+v", cs, want)
	}
	ledger := ioExport(t, s, "ledger")
	wantLedger := "id,customer,date,kind,points,purchase,staff,reason\n" +
		"1,1,2024-06-01,adjustment,10,,Maya,opening balance from import\n" +
		"2,4,2024-06-01,adjustment,5,,Maya,opening balance from import\n"
	if ledger != wantLedger {
		t.Errorf("ledger:\n%s\nwant:\n%s", ledger, wantLedger)
	}
	if n := ioCount(t, s, "audit"); n != 1 {
		t.Errorf("audit rows = %d, want 1 for the import", n)
	}

	// The same file again: every good row now matches a stored customer.
	rep, err = s.ImportCustomersCSV(ctx, strings.NewReader(messyCustomers), ImportOptions{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 0 || rep.Written || len(rep.Bad) != 9 {
		t.Fatalf("second import report = %+v", rep)
	}
	if got := rep.Bad[0].Error(); got != "line 2: phone 0161 496 0000 already belongs to customer 1 Ann Lee" {
		t.Errorf("first bad row = %q", got)
	}
	if got := rep.Bad[1].Error(); got != "line 3: phone +44 7700 900123 already belongs to customer 2 Zoë Ñúñez" {
		t.Errorf("second bad row = %q", got)
	}
	if got := rep.Bad[2].Error(); got != "line 6: email bruce@example.com already belongs to customer 3 李小龍" {
		t.Errorf("third bad row = %q", got)
	}
	// A later row with the phone of a stored customer names the customer,
	// not the earlier (also refused) row.
	if got := rep.Bad[4].Error(); got != "line 8: phone (0161) 496-0000 already belongs to customer 1 Ann Lee" {
		t.Errorf("fifth bad row = %q", got)
	}
}

func TestImportCustomersDryRunWritesNothing(t *testing.T) {
	s := ioStore(t)
	ctx := context.Background()
	rep, err := s.ImportCustomersCSV(ctx, strings.NewReader(messyCustomers), ImportOptions{DryRun: true, SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 4 || rep.Written || len(rep.Bad) != len(messyBadLines) {
		t.Fatalf("report = %+v", rep)
	}
	_, err = s.ImportCustomersCSV(ctx, strings.NewReader(messyCustomers), ImportOptions{DryRun: true})
	if !errors.Is(err, importers.ErrBadRows) {
		t.Fatalf("dry run with bad rows: err = %v, want ErrBadRows", err)
	}
	good := "name,phone\nAnn,0161 496 0000\nBob,0161 496 0001\n"
	rep, err = s.ImportCustomersCSV(ctx, strings.NewReader(good), ImportOptions{DryRun: true})
	if err != nil || rep.Added != 2 || rep.Written {
		t.Fatalf("clean dry run: %+v, %v", rep, err)
	}
	for _, table := range []string{"customers", "ledger", "audit"} {
		if n := ioCount(t, s, table); n != 0 {
			t.Errorf("%s has %d rows after dry runs", table, n)
		}
	}
}

func TestImportCustomersFileErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file, want string
	}{
		{"empty file", "", "the file is empty"},
		{"no name column", "phone,email\n0161 496 0000,a@example.com\n", `no "name" column`},
		{"binary", "\x00\x01\x02PK\x03\x04", "not text (it holds NUL bytes)"},
		{"binary after a header", "name\nAnn\n\x00\x01\x02PK\x03\x04", "not text (it holds NUL bytes)"},
		{"utf-16", "\xff\xfen\x00a\x00m\x00e\x00", "UTF-16"},
		{"header twice", "name,Name\nAnn,Ann\n", `"name" appears twice`},
		{"broken header", "name,\"pho\"ne\nAnn,1\n", "header row cannot be read"},
		{"semicolons", "name;phone;email\nAnn;0161 496 0000;\n", "semicolons"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := ioStore(t)
			_, err := s.ImportCustomersCSV(context.Background(), strings.NewReader(tc.file), ImportOptions{SkipBad: true})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
			if errors.Is(err, importers.ErrBadRows) {
				t.Errorf("a file-level error should not be ErrBadRows")
			}
			if n := ioCount(t, s, "customers"); n != 0 {
				t.Errorf("%d customers written", n)
			}
		})
	}
}

func TestImportCustomersBadRowsKeepLaterLineNumbers(t *testing.T) {
	for _, tc := range []struct {
		name  string
		file  string
		lines []int
		want  string // in the first reason
	}{
		{"bare quote", "name,phone\nAnn \"Nan\" Lee,0161 496 0000\nBob,0161 496 0001\n\"Cy\nCyrus\",x\n", []int{2, 4}, "quote mark"},
		{"unclosed quote at the end", "name,notes\nAnn,ok\nBob,\"never closed\nstill going\n", []int{3}, "not closed"},
		{"invalid UTF-8", "name\nAnn\n\xff\xfe\nBob\n", []int{3}, "not UTF-8"},
		{"LF and a missing name", "name,phone\n,0161 496 0000\n\"Ann\",0161 496 0001\n", []int{2}, "a name is required"},
		{"bad fields", "name,phone,email,customer_since,points\nAnn,12,ann@,2024-02-30,-1\n", []int{2}, `phone "12" should have between 5 and 15 digits; email "ann@" is not an address like name@example.com; customer_since "2024-02-30" is not a real calendar date; points "-1" is negative`},
		{"points not whole", "name,points\nAnn,1.5\nBob,99999999999999999999\n", []int{2, 3}, `points "1.5" is not a whole number`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, bad, _, err := importers.ParseCustomersCSV(strings.NewReader(tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if got := ioLines(bad); !reflect.DeepEqual(got, tc.lines) {
				t.Fatalf("bad lines = %v, want %v\n%s", got, tc.lines, ioReasons(bad))
			}
			if !strings.Contains(bad[0].Reason, tc.want) {
				t.Errorf("reason %q does not mention %q", bad[0].Reason, tc.want)
			}
		})
	}
}

func TestImportCustomersManyRowsInOneTransaction(t *testing.T) {
	runBeside(t)
	s := ioStore(t)
	var b strings.Builder
	b.WriteString("name,phone,email,birthday,points\n")
	for i := range 10000 {
		fmt.Fprintf(&b, "Customer %d,0161 %07d,c%d@example.com,--%02d-%02d,%d\n", i, i, i, i%12+1, i%28+1, i%3)
	}
	rep, err := s.ImportCustomersCSV(context.Background(), strings.NewReader(b.String()), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 10000 || ioCount(t, s, "customers") != 10000 || ioCount(t, s, "ledger") != 6666 {
		t.Fatalf("report %+v, customers %d, ledger %d", rep, ioCount(t, s, "customers"), ioCount(t, s, "ledger"))
	}
}

// ioShop has Ann (1), Bob (2), and two customers sharing a phone (3, 4).
func ioShop(t *testing.T) *Store {
	t.Helper()
	s := ioStore(t)
	ctx := context.Background()
	file := "name,phone,email\nAnn Lee,0161 496 0000,ann@example.com\nBob Roe,0161 496 0001,\n"
	if _, err := s.ImportCustomersCSV(ctx, strings.NewReader(file), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Cy Twin", "Cyd Twin"} {
		if _, err := s.AddCustomer(ctx, rules.Customer{Name: name, Phone: "0161 496 0009"}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

var messyPurchases = strings.Join([]string{
	"id,customer,date,amount,description,reference,refund_of",
	"1,0161 496 0000,2024-05-01,120.00,Coat,R1,",                    // 2
	"2,ann@example.com,2024-05-02,15.50,Scarf,R2,",                  // 3
	"3,,2024-05-03,9.99,Walk-in socks,R3,",                          // 4
	"4,2,2024-05-04,40,\"Boots, brown\",R4,",                        // 5
	"5,0161 496 0000,2024-05-10,-20.00,Coat partly back,R5,1",       // 6
	"6,,2024-05-11,-100.01,Too much back,R6,1",                      // 7
	"7,0161 496 0009,2024-05-12,5.00,Whose?,R7,",                    // 8
	"8,nobody@example.com,2024-05-12,5.00,,R8,",                     // 9
	"9,ann@example.com,2024-05-13,-5.00,No original,R9,",            // 10
	"10,ann@example.com,2024-05-02,15.50,Same receipt again,R2,",    // 11
	"11,0161 496 0001,2024-05-14,-5.00,Wrong customer,R11,1",        // 12
	"12,ANN@example.com,2024-05-14,-100.00,Rest of the coat,R12,1",  // 13
	"13,ann@example.com,2024-05-15,-1.00,Refund of a bad row,R13,9", // 14
	"14,ann@example.com,2024-04-30,-1.00,Before the sale,R14,2",     // 15
	"15,ann@example.com,2024-05-15,0.00,Nothing,R15,",               // 16
	"16,ann@example.com,15/05/2024,1.00,Wrong date,R16,",            // 17
	"17,ann@example.com,2024-05-15,2.00,Not a refund,R17,2",         // 18
}, "\n") + "\n"

func TestImportPurchasesChecksEveryRow(t *testing.T) {
	s := ioShop(t)
	ctx := context.Background()
	rep, err := s.ImportPurchasesCSV(ctx, strings.NewReader(messyPurchases), ImportOptions{})
	if !errors.Is(err, importers.ErrBadRows) {
		t.Fatalf("err = %v, want ErrBadRows", err)
	}
	want := []string{
		"line 7: the refund of 100.01 is more than the 100.00 left to refund of the purchase on line 2",
		`line 8: "0161 496 0009" matches more than one customer: 3 Cy Twin, 4 Cyd Twin`,
		`line 9: no customer has the phone, email or id "nobody@example.com"`,
		"line 10: a negative amount is a refund and needs refund_of naming the purchase it refunds",
		"line 12: the purchase on line 2 belongs to customer 1, not to customer 2",
		"line 14: refund_of 9 names the row on line 10, which is bad",
		"line 15: the refund is dated before the purchase on line 3 (2024-05-02)",
		"line 16: the amount is zero",
		`line 17: date "15/05/2024" is not a date in the form YYYY-MM-DD`,
		"line 18: refund_of is set but the amount is not negative",
	}
	if got := ioReasons(rep.Bad); got != strings.Join(want, "\n") {
		t.Errorf("bad rows:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	if rep.Skipped != 1 || rep.Added != 0 || rep.Written {
		t.Errorf("report = %+v", rep)
	}
	if n := ioCount(t, s, "purchases"); n != 0 {
		t.Fatalf("%d purchases written by a refused import", n)
	}

	rep, err = s.ImportPurchasesCSV(ctx, strings.NewReader(messyPurchases), ImportOptions{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 6 || rep.Skipped != 1 || !rep.Written || len(rep.Bad) != len(want) {
		t.Fatalf("report = %+v", rep)
	}
	got := ioExport(t, s, "purchases")
	wantCSV := "id,customer,date,amount,description,reference,refund_of\n" +
		"1,1,2024-05-01,120.00,Coat,R1,\n" +
		"2,1,2024-05-02,15.50,Scarf,R2,\n" +
		"3,,2024-05-03,9.99,Walk-in socks,R3,\n" +
		"4,2,2024-05-04,40.00,\"Boots, brown\",R4,\n" +
		"5,1,2024-05-10,-20.00,Coat partly back,R5,1\n" +
		"6,1,2024-05-14,-100.00,Rest of the coat,R12,1\n"
	if got != wantCSV {
		t.Errorf("purchases:\n%s\nwant:\n%s", got, wantCSV)
	}
	var at, staff string
	var imported int
	if err := s.reader().QueryRow("SELECT at, staff, imported FROM purchases WHERE id = 1").Scan(&at, &staff, &imported); err != nil {
		t.Fatal(err)
	}
	if at != "2024-05-01 12:00:00" || staff != rules.OwnerName || imported != 1 {
		t.Errorf("purchase 1: at %q staff %q imported %d", at, staff, imported)
	}
	if n := ioCount(t, s, "ledger"); n != 0 {
		t.Errorf("%d ledger rows without EarnPoints", n)
	}
}

func TestImportPurchasesTwiceSkipsEveryReference(t *testing.T) {
	s := ioShop(t)
	ctx := context.Background()
	file := "customer,date,amount,reference,description\r\n" +
		"0161 496 0000,2024-05-01,10.00,T-100,\r\n" +
		"0161 496 0001,2024-05-01,20.00,T-101,\r\n" +
		",2024-05-01,30.00,T-102,walk-in\r\n" +
		"0161 496 0000,2024-05-02,5.00,,no reference\r\n"
	rep, err := s.ImportPurchasesCSV(ctx, strings.NewReader(file), ImportOptions{})
	if err != nil || rep.Added != 4 || rep.Skipped != 0 {
		t.Fatalf("first import: %+v, %v", rep, err)
	}
	withRefs := strings.Join(strings.Split(file, "\r\n")[:4], "\r\n") + "\r\n"
	rep, err = s.ImportPurchasesCSV(ctx, strings.NewReader(withRefs), ImportOptions{})
	if err != nil || rep.Added != 0 || rep.Skipped != 3 || rep.Written {
		t.Fatalf("second import: %+v, %v", rep, err)
	}
	if n := ioCount(t, s, "purchases"); n != 4 {
		t.Errorf("%d purchases, want 4", n)
	}
}

func TestImportPurchasesRefundsStoredPurchase(t *testing.T) {
	s := ioShop(t)
	ctx := context.Background()
	first := "id,customer,date,amount,reference,refund_of\n1,ann@example.com,2024-05-01,50.00,A1,\n"
	if _, err := s.ImportPurchasesCSV(ctx, strings.NewReader(first), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	// The till export again, with a refund of the first sale by its file id,
	// and one naming the stored purchase by its database id.
	second := first +
		"2,ann@example.com,2024-05-03,-10.00,A2,1\n" +
		"3,,2024-05-04,-15.00,A3,1\n" +
		"4,ann@example.com,2024-05-05,-30.00,A4,1\n"
	rep, err := s.ImportPurchasesCSV(ctx, strings.NewReader(second), ImportOptions{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 2 || rep.Skipped != 1 {
		t.Fatalf("report = %+v", rep)
	}
	if got := ioReasons(rep.Bad); got != "line 5: the refund of 30.00 is more than the 25.00 left to refund of purchase 1" {
		t.Errorf("bad rows: %s", got)
	}
	got := ioExport(t, s, "purchases")
	want := "id,customer,date,amount,description,reference,refund_of\n" +
		"1,1,2024-05-01,50.00,,A1,\n" +
		"2,1,2024-05-03,-10.00,,A2,1\n" +
		"3,1,2024-05-04,-15.00,,A3,1\n"
	if got != want {
		t.Errorf("purchases:\n%s\nwant:\n%s", got, want)
	}
	third := "customer,date,amount,refund_of\nann@example.com,2024-05-06,-5.00,3\n0161 496 0001,2024-05-06,-5.00,1\n"
	rep, _ = s.ImportPurchasesCSV(ctx, strings.NewReader(third), ImportOptions{DryRun: true, SkipBad: true})
	if got := ioReasons(rep.Bad); got != "line 2: purchase 3 is itself a refund\nline 3: purchase 1 belongs to customer 1, not to customer 2" {
		t.Errorf("bad rows: %s", got)
	}
}

func TestImportPurchasesEarnPoints(t *testing.T) {
	s := ioShop(t)
	ctx := context.Background()
	file := "id,customer,date,amount,reference,refund_of\n" +
		"1,ann@example.com,2024-05-01,120.99,E1,\n" +
		"2,ann@example.com,2024-05-02,-20.00,E2,1\n" +
		"3,ann@example.com,2024-05-03,-100.99,E3,1\n" +
		"4,,2024-05-03,80.00,E4,\n" +
		"5,0161 496 0001,2024-05-04,0.99,E5,\n"
	if _, err := s.ImportPurchasesCSV(ctx, strings.NewReader(file), ImportOptions{EarnPoints: true, Staff: "Raj"}); err != nil {
		t.Fatal(err)
	}
	got := ioExport(t, s, "ledger")
	// 120 points; a sixth of the sale back takes floor(120 x 20.00/120.99) =
	// 19; the rest takes back the other 101.
	want := "id,customer,date,kind,points,purchase,staff,reason\n" +
		"1,1,2024-05-01,earn,120,1,Raj,\n" +
		"2,1,2024-05-02,refund_reversal,-19,2,Raj,refund of purchase 1\n" +
		"3,1,2024-05-03,refund_reversal,-101,3,Raj,refund of purchase 1\n"
	if got != want {
		t.Errorf("ledger:\n%s\nwant:\n%s", got, want)
	}
}

func TestImportPurchasesRefundAfterPointsWereSpent(t *testing.T) {
	s := ioShop(t)
	ctx := context.Background()
	if _, err := s.ImportPurchasesCSV(ctx, strings.NewReader("id,customer,date,amount\n1,1,2024-05-01,120.00\n"),
		ImportOptions{EarnPoints: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec(`INSERT INTO ledger(customer_id, at, day, kind, points, staff) VALUES (1, '2024-05-02 10:00:00', '2024-05-02', 'redeem', -100, 'Owner')`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportPurchasesCSV(ctx, strings.NewReader("customer,date,amount,refund_of\n1,2024-05-03,-120.00,1\n"),
		ImportOptions{EarnPoints: true}); err != nil {
		t.Fatal(err)
	}
	var points, shortfall int64
	if err := s.reader().QueryRow("SELECT points, shortfall FROM ledger WHERE kind = 'refund_reversal'").Scan(&points, &shortfall); err != nil {
		t.Fatal(err)
	}
	if points != -20 || shortfall != 100 {
		t.Errorf("reversal %d with shortfall %d, want -20 and 100", points, shortfall)
	}
}

func TestImportPurchasesFileErrors(t *testing.T) {
	s := ioStore(t)
	for _, file := range []string{"customer,amount\n1,2.00\n", "date,description\n2024-01-01,x\n"} {
		_, err := s.ImportPurchasesCSV(context.Background(), strings.NewReader(file), ImportOptions{})
		if err == nil || errors.Is(err, importers.ErrBadRows) || !strings.Contains(err.Error(), "column") {
			t.Errorf("file %q: err = %v, want a missing-column error", file, err)
		}
	}
}

func TestImportPurchasesManyRows(t *testing.T) {
	runBeside(t)
	s := ioStore(t)
	ctx := context.Background()
	var cb strings.Builder
	cb.WriteString("name,phone\n")
	for i := range 500 {
		fmt.Fprintf(&cb, "Customer %d,0161 %07d\n", i, i)
	}
	if _, err := s.ImportCustomersCSV(ctx, strings.NewReader(cb.String()), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("id,customer,date,amount,reference,refund_of\n")
	for i := range 10000 {
		if i%10 == 9 {
			fmt.Fprintf(&b, "%d,0161 %07d,2024-05-%02d,-1.00,R%d,%d\n", i, (i-1)%500, i%28+1, i, i-1)
			continue
		}
		fmt.Fprintf(&b, "%d,0161 %07d,2024-05-%02d,%d.50,R%d,\n", i, i%500, i%28+1, i%90+1, i)
	}
	rep, err := s.ImportPurchasesCSV(ctx, strings.NewReader(b.String()), ImportOptions{EarnPoints: true})
	if err != nil {
		t.Fatalf("%v\n%s", err, ioReasons(rep.Bad))
	}
	if rep.Added != 10000 || ioCount(t, s, "purchases") != 10000 {
		t.Fatalf("report %+v", rep)
	}
	rep, err = s.ImportPurchasesCSV(ctx, strings.NewReader(b.String()), ImportOptions{EarnPoints: true})
	if err != nil || rep.Skipped != 10000 || rep.Added != 0 {
		t.Fatalf("again: %+v, %v", rep, err)
	}
}

func TestImportMatcherAgreesWithMatchCustomer(t *testing.T) {
	s := ioShop(t)
	ctx := context.Background()
	// A customer whose email looks like another's id, and one whose phone
	// digits are another's id.
	for _, c := range []rules.Customer{{Name: "Numbers", Phone: "00002"}, {Name: "Mail", Email: "3@example.com"}} {
		if _, err := s.AddCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	m, err := s.customerMatcher(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"0161 496 0000", "+0161-496-0000", "(0161) 4960001", " ANN@Example.com ", "ann@example.com.uk",
		"1", "2", "4", "5", "6", "7", "99", "0", "-1", "00002", "2.0", "0161 496 0009", "3@example.com", "3", "x", "0161 496 0000 ext 2", "@"} {
		id, n := m.Match(v)
		c, err := s.MatchCustomer(ctx, v)
		var amb *AmbiguousError
		switch {
		case errors.As(err, &amb):
			if n != len(amb.Candidates) {
				t.Errorf("%q: matcher found %d, MatchCustomer %d", v, n, len(amb.Candidates))
			}
		case errors.Is(err, ErrNotFound):
			if n != 0 {
				t.Errorf("%q: matcher found %d (customer %d), MatchCustomer none", v, n, id)
			}
		case err != nil:
			t.Fatal(err)
		default:
			if n != 1 || id != c.ID {
				t.Errorf("%q: matcher found customer %d (%d), MatchCustomer %d", v, id, n, c.ID)
			}
		}
	}
}
