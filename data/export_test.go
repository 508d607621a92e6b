package data

import (
	"context"
	"regulars/rules"
	"strings"
	"testing"
)

// ioWithoutIDs drops the first column (the id) of every line.
func ioWithoutIDs(csv string) string {
	var out []string
	for _, l := range strings.Split(csv, "\n") {
		_, rest, _ := strings.Cut(l, ",")
		out = append(out, rest)
	}
	return strings.Join(out, "\n")
}

func ioExec(t *testing.T, s *Store, q string, args ...any) {
	t.Helper()
	if _, err := s.w.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func TestExportCustomersImportsAgainUnchanged(t *testing.T) {
	ctx := context.Background()
	a := ioStore(t)
	if _, err := a.ImportCustomersCSV(ctx, strings.NewReader(messyCustomers), ImportOptions{SkipBad: true}); err != nil {
		t.Fatal(err)
	}
	// A gap in the ids, a customer with awkward text, and a balance that
	// has moved since the opening one.
	ioExec(t, a, "DELETE FROM customers WHERE id = 3")
	if _, err := a.AddCustomer(ctx, rules.Customer{Name: `Dee "Dot" O'Neil, Jr.`, Phone: "+353 1 555 0199",
		Notes: "  leading spaces kept\n\"quoted\" and, commas", Tags: []string{"a b", "c"}, CustomerSince: rules.NewDay(2019, 2, 28)}); err != nil {
		t.Fatal(err)
	}
	ioExec(t, a, `INSERT INTO ledger(customer_id, at, day, kind, points, staff, reason) VALUES (1, '2024-05-30 10:00:00', '2024-05-30', 'adjustment', 7, 'Owner', 'goodwill')`)
	exported := ioExport(t, a, "customers")
	want := "id,name,phone,email,birthday,customer_since,notes,tags,do_not_contact,points\n" +
		"1,Ann Lee,0161 496 0000,ann@example.com,1980-03-14,2020-01-02,\"Likes tea, not coffee\",vip;tea,false,17\n" +
		"2,Zoë Ñúñez,+44 7700 900123,zoe@example.com,--07-04,,\"first line\nsecond line, with a comma\nthird line\",,true,0\n" +
		"4,Eve Adams,07700 900999,EVE@Example.com,,,,,true,5\n" +
		"5,\"Dee \"\"Dot\"\" O'Neil, Jr.\",+353 1 555 0199,,,2019-02-28,\"  leading spaces kept\n\"\"quoted\"\" and, commas\",a b;c,false,0\n"
	if exported != want {
		t.Fatalf("export:\n%s\nwant:\n%s", exported, want)
	}

	b := ioStore(t)
	rep, err := b.ImportCustomersCSV(ctx, strings.NewReader(exported), ImportOptions{})
	if err != nil || rep.Added != 4 || len(rep.Warnings) != 0 {
		t.Fatalf("import of the export: %+v, %v", rep, err)
	}
	again := ioExport(t, b, "customers")
	if ioWithoutIDs(again) != ioWithoutIDs(exported) {
		t.Errorf("export after import:\n%s\nfirst export:\n%s", again, exported)
	}
	// Exported once more from the copy, the file is a fixed point.
	c := ioStore(t)
	if _, err := c.ImportCustomersCSV(ctx, strings.NewReader(again), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	if third := ioExport(t, c, "customers"); third != again {
		t.Errorf("third export differs:\n%s\nfrom:\n%s", third, again)
	}
}

func TestExportPurchasesImportsAgainUnchanged(t *testing.T) {
	ctx := context.Background()
	a := ioStore(t)
	shop := "name,phone\nAnn Lee,0161 496 0000\nBob Roe,0161 496 0001\nCy Twin,0161 496 0009\n"
	if _, err := a.ImportCustomersCSV(ctx, strings.NewReader(shop), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	file := "id,customer,date,amount,description,reference,refund_of\n" +
		"1,1,2024-05-01,120.00,Coat,R1,\n" +
		"2,,2024-05-02,9.99,\"Socks, walk-in\",,\n" +
		"3,2,2024-05-03,40.00,Boots,R3,\n" +
		"4,1,2024-05-04,-20.00,Part of the coat,R4,1\n" +
		"5,1,2024-05-05,-100.00,Rest of the coat,,1\n" +
		"6,3,2024-05-06,12.00,Voided later,R6,\n"
	if _, err := a.ImportPurchasesCSV(ctx, strings.NewReader(file), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	ioExec(t, a, "UPDATE purchases SET voided = 1 WHERE id = 6")
	customers, purchases := ioExport(t, a, "customers"), ioExport(t, a, "purchases")
	if want := strings.TrimSuffix(file, "6,3,2024-05-06,12.00,Voided later,R6,\n"); purchases != want {
		t.Fatalf("purchases:\n%s\nwant:\n%s", purchases, want)
	}

	b := ioStore(t)
	if _, err := b.ImportCustomersCSV(ctx, strings.NewReader(customers), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	rep, err := b.ImportPurchasesCSV(ctx, strings.NewReader(purchases), ImportOptions{})
	if err != nil || rep.Added != 5 {
		t.Fatalf("import of the export: %+v, %v\n%s", rep, err, ioReasons(rep.Bad))
	}
	if again := ioExport(t, b, "purchases"); again != purchases {
		t.Errorf("export after import:\n%s\nfirst export:\n%s", again, purchases)
	}
	// Imported again, every row with a reference is skipped; of the two
	// without one, the walk-in sale is new, and the refund is refused as
	// the coat was already refunded in full.
	rep, err = b.ImportPurchasesCSV(ctx, strings.NewReader(purchases), ImportOptions{DryRun: true, SkipBad: true})
	if err != nil || rep.Skipped != 3 || rep.Added != 1 ||
		ioReasons(rep.Bad) != "line 6: the refund of 100.00 is more than the 0.00 left to refund of purchase 1" {
		t.Errorf("second import: %+v, %v", rep, err)
	}
}

func TestExportTablesAsOfToday(t *testing.T) {
	s := ioShop(t)
	ioExec(t, s, `INSERT INTO purchases(customer_id, at, day, amount_cents, staff) VALUES
		(1, '2024-05-20 10:00:00', '2024-05-20', 2500, 'Maya'),
		(1, '2024-06-02 10:00:00', '2024-06-02', 1000, 'Maya')`)
	ioExec(t, s, `INSERT INTO ledger(customer_id, at, day, kind, points, purchase_id, staff, reason) VALUES
		(1, '2024-05-20 10:00:00', '2024-05-20', 'earn', 25, 1, 'Maya', ''),
		(2, '2024-05-21 11:00:00', '2024-05-21', 'adjustment', -3, NULL, 'Owner', 'typo, fixed'),
		(1, '2024-06-02 10:00:00', '2024-06-02', 'earn', 10, 2, 'Maya', '')`)
	ioExec(t, s, `INSERT INTO contacts(customer_id, at, day, channel, staff, outcome, note) VALUES
		(1, '2024-05-21 09:00:00', '2024-05-21', 'phone', 'Maya', 'answered', 'happy with the coat'),
		(2, '2024-05-22 09:00:00', '2024-05-22', 'email', 'Raj', '', 'line one
line two'),
		(2, '2024-06-03 09:00:00', '2024-06-03', 'phone', 'Raj', '', 'tomorrow')`)
	ioExec(t, s, `INSERT INTO complaints(customer_id, what, received_at, received_on, severity, staff, resolved_on, resolution, resolved_at) VALUES
		(1, 'Zip broke', '2024-05-22 12:00:00', '2024-05-22', 'high', 'Maya', '2024-05-24', 'Replaced', '2024-05-24 09:30:00'),
		(2, 'Late order', '2024-05-25 12:00:00', '2024-05-25', 'low', 'Raj', NULL, '', NULL),
		(2, 'Wrong size', '2024-05-26 12:00:00', '2024-05-26', 'medium', 'Raj', '2024-06-05', 'Exchanged', '2024-06-05 10:00:00'),
		(1, 'Not yet', '2024-06-02 12:00:00', '2024-06-02', 'low', 'Raj', NULL, '', NULL)`)
	for _, tc := range []struct{ what, want string }{
		{"ledger", "id,customer,date,kind,points,purchase,staff,reason\n" +
			"1,1,2024-05-20,earn,25,1,Maya,\n" +
			"2,2,2024-05-21,adjustment,-3,,Owner,\"typo, fixed\"\n"},
		{"contacts", "id,customer,date,channel,staff,outcome,note\n" +
			"1,1,2024-05-21,phone,Maya,answered,happy with the coat\n" +
			"2,2,2024-05-22,email,Raj,,\"line one\nline two\"\n"},
		{"complaints", "id,customer,received,severity,status,resolved,what,resolution,staff,received_at,resolved_at\n" +
			"1,1,2024-05-22,high,resolved,2024-05-24,Zip broke,Replaced,Maya,2024-05-22 12:00:00,2024-05-24 09:30:00\n" +
			"2,2,2024-05-25,low,open,,Late order,,Raj,2024-05-25 12:00:00,\n" +
			"3,2,2024-05-26,medium,open,,Wrong size,,Raj,2024-05-26 12:00:00,\n"},
		{"purchases", "id,customer,date,amount,description,reference,refund_of\n" +
			"1,1,2024-05-20,25.00,,,\n"},
		{"customers", "id,name,phone,email,birthday,customer_since,notes,tags,do_not_contact,points\n" +
			"1,Ann Lee,0161 496 0000,ann@example.com,,,,,false,25\n" +
			"2,Bob Roe,0161 496 0001,,,,,,false,-3\n" +
			"3,Cy Twin,0161 496 0009,,,,,,false,0\n" +
			"4,Cyd Twin,0161 496 0009,,,,,,false,0\n"},
	} {
		if got := ioExport(t, s, tc.what); got != tc.want {
			t.Errorf("%s:\n%s\nwant:\n%s", tc.what, got, tc.want)
		}
	}
	var b strings.Builder
	if err := s.ExportCSV(context.Background(), "birthdays", &b); err == nil || b.Len() != 0 {
		t.Errorf("unknown export: err %v, output %q", err, b.String())
	}
}
