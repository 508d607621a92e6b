package cli

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exportFile is a customers export from another program, kept with the
// data package's tests.
func exportFile(name string) string {
	return filepath.Join("..", "data", "testdata", "imports", name)
}

// exportedCustomers runs export customers and gives each customer as
// "name|phone|email|birthday|customer_since|notes|tags|do_not_contact".
func exportedCustomers(t *testing.T, db string) []string {
	t.Helper()
	r := run(t, "export", "customers", "--db", db)
	if r.code != 0 {
		t.Fatalf("export: %s", r.stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, rec := range recs[1:] {
		out = append(out, strings.Join(rec[1:9], "|"))
	}
	return out
}

func TestImportEachProgramsCustomersExport(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file, recognised, ignored string
		want                      []string
	}{
		{"google.csv", "recognised a Google Contacts export", "warning: ignored: Organization Name, Address 1 - Label, Address 1 - City (and 19 empty columns)", []string{
			"Ann Lee|+44 7700 900101|ann.lee@example.com|1985-03-14||Prefers the blue range|Regulars|false",
			"Ben Okafor|07700 900102||--07-09||||false",
			"Cara Jane Day||cara.day@example.com|||Allergic to nuts\nAsks after the dog|VIP;Regulars|false",
		}},
		{"google-old.csv", "recognised a Google Contacts export (older format)", "warning: ignored: Organization 1 - Name (and 40 empty columns)", []string{
			"Mia Novak|+44 7700 900501|mia.novak@example.com|1992-12-01|||Friends;Regulars|false",
			"Noah Price|0113 496 0502||--02-29||Collects on Fridays||false",
		}},
		{"outlook.csv", "recognised an Outlook contacts export", "warning: ignored: Company, Home City (and 65 empty columns)", []string{
			"Dan Fox|07700 900201|dan.fox@example.com|1979-06-30||Fleet account: three vans|Regulars;Trade|false",
			"Eve Adams|0113 496 0202||||||false",
			"Finn O'Neil|0113 496 0203|finn@example.com|1990-11-02|||VIP|false",
		}},
		{"shopify.csv", "recognised a Shopify customers export", "warning: ignored: Customer ID, Default Address Address1, Default Address City, Default Address Country Code, Default Address Zip, Total Spent, Total Orders, Tax Exempt (and 3 empty columns)", []string{
			"Gina Rossi|+447700900301|gina@example.com|||Loves espresso|VIP;Coffee club|false",
			"Hal Berg|+44 7700 900302|hal.berg@example.com|||||true",
			"Iris Wong|+447700900303|iris@example.com||||Wholesale|false",
		}},
		{"square.csv", "recognised a Square customers export", "warning: ignored: City, Square Customer ID, Creation Source, Last Visit, Transaction Count, Lifetime Spend, Instant Profile, Blocked from online booking, Favourite Blend (and 7 empty columns)", []string{
			"Jo Park|+447700900401|jo.park@example.com|--11-02|2021-05-03|Oat milk, no sugar|Regulars;Loyalty|false",
			"Kit Marsh|+44 7700 900402|kit@example.com|1990-07-09|2019-11-20|||true",
			"Lena Cho|+44 7700 900403|||2024-02-10|||false",
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "shop.db")
			r := run(t, "import", "customers", exportFile(tc.file), "--db", db)
			if r.code != 0 {
				t.Fatalf("exit %d: %s", r.code, r.stderr)
			}
			if want := tc.recognised + "\n" + tc.ignored + "\n"; r.stderr != want {
				t.Errorf("stderr:\n%s\nwant:\n%s", r.stderr, want)
			}
			if want := "imported " + string(rune('0'+len(tc.want))) + " customers\n"; r.stdout != want {
				t.Errorf("stdout %q, want %q", r.stdout, want)
			}
			got := exportedCustomers(t, db)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("exported:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			// The same file again: every customer is already in the shop.
			r = run(t, "import", "customers", exportFile(tc.file), "--db", db)
			if r.code != 1 || !strings.Contains(r.stderr, "line 2: ") || !strings.Contains(r.stderr, "already belongs to customer 1 ") {
				t.Errorf("second import: exit %d\n%s", r.code, r.stderr)
			}
		})
	}
}

func TestImportExportDryRunShowsTheRowsAsStored(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "shop.db")
	r := run(t, "import", "customers", exportFile("shopify.csv"), "--db", db, "--dry-run")
	if r.code != 0 || r.stdout != "would import 3 customers\n" {
		t.Fatalf("exit %d, stdout %q\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{
		"recognised a Shopify customers export\n",
		"the first 3 of 3 customers as they will be stored:\n",
		"line  name        phone            email                 birthday  customer_since  tags             do_not_contact  notes\n",
		"2     Gina Rossi  +447700900301    gina@example.com                                VIP;Coffee club  false           Loves espresso\n",
		"3     Hal Berg    +44 7700 900302  hal.berg@example.com                                             true\n",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	// A dry run writes nothing: not even the empty shop it looked into.
	if _, err := os.Stat(db); err == nil {
		t.Errorf("a dry run made %s", db)
	}
}

func TestImportExportAllOrNothingWithLineNumbers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	if r := run(t, "import", "customers", writeFile(t, dir, "ours.csv", "name,phone\nJon Snow,07700 900309\n"), "--db", db); r.code != 0 {
		t.Fatal(r.stderr)
	}
	file := writeFile(t, dir, "square.csv", "First Name,Surname,Email Address,Phone Number,Birthday,Memo,First Visit,Email Subscription Status\n"+
		"Jo,Park,jo@example.com,+447700900401,0000-11-02,\"Oat milk\nno sugar\",2021-05-03,Subscribed\n"+ // lines 2–3
		"Kit,Marsh,kit@example.com,+44 7700 900402,1990-02-30,,2019-11-20,Unsubscribed\n"+ // 4: no such day
		"Lena,Cho,JO@example.com,,,,,\n"+ // 5: Jo's email again
		"Max,Snow,,07700 900309,,,,\n"+ // 6: Jon's phone
		"Nia,Ode,nia@example.com,,,,3/14,\n") // 7: a first visit without its year
	r := run(t, "import", "customers", file, "--db", db)
	if r.code != 1 {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	for _, want := range []string{
		"recognised a Square customers export\n",
		"line 4: Birthday \"1990-02-30\" is not a date\n",
		"line 5: email JO@example.com is already on line 2\n",
		"line 6: phone 07700 900309 already belongs to customer 1 Jon Snow\n",
		"line 7: First Visit \"3/14\" has no year\n",
		"regulars: 4 bad rows in ",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "line 2:") || strings.Contains(r.stderr, "line 3:") {
		t.Errorf("the good row is reported:\n%s", r.stderr)
	}
	if got := exportedCustomers(t, db); len(got) != 1 {
		t.Fatalf("all or nothing wrote %q", got)
	}
	r = run(t, "import", "customers", file, "--db", db, "--skip-bad")
	if r.code != 0 || r.stdout != "imported 1 customer, 4 bad rows left out\n" {
		t.Fatalf("--skip-bad: exit %d %q\n%s", r.code, r.stdout, r.stderr)
	}
	if got := exportedCustomers(t, db); len(got) != 2 || got[1] != "Jo Park|+447700900401|jo@example.com|--11-02|2021-05-03|Oat milk\nno sugar||false" {
		t.Errorf("after --skip-bad: %q", got)
	}
}

func TestImportMapTakesAFileFromAnyOtherProgram(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "shop.db")
	file := exportFile("spreadsheet.csv")
	r := run(t, "import", "customers", file, "--db", db, "--map", "Client=name, Mobile No=phone,E-mail=email,Joined=customer_since")
	if r.code != 0 || r.stdout != "imported 2 customers\n" || r.stderr != "warning: ignored: Visits\n" {
		t.Fatalf("exit %d, %q, %q", r.code, r.stdout, r.stderr)
	}
	if got := exportedCustomers(t, db); strings.Join(got, "\n") != "Ola Berg|07700 900601|ola@example.com||2022-04-01|||false\nPia Lind|07700 900602|||2023-09-15|||false" {
		t.Errorf("exported %q", got)
	}

	// Without --map the file is refused in one sentence naming what it needs.
	r = run(t, "import", "customers", exportFile("unknown.csv"), "--db", db)
	if r.code != 1 || strings.Count(r.stderr, "\n") != 1 || !strings.Contains(r.stderr, `no "name" column`) || !strings.Contains(r.stderr, "--map") {
		t.Errorf("unknown header: exit %d %q", r.code, r.stderr)
	}

	for _, tc := range []struct {
		spec, want string
	}{
		{"Client=nom", `regulars: --map: "nom" is not a customer field; the fields are name, first_name, last_name, phone, email, birthday, customer_since, notes, tags, do_not_contact, points.` + "\n"},
		{"Client", `regulars: --map: "Client" is not a pair like "Phone Number=phone".` + "\n"},
		{"Mobile No=phone", `regulars: --map: it does not say which column holds the name: add "Their Column=name", or first_name and last_name.` + "\n"},
		{"Name=name", `regulars: The file has no column "Name"; its columns are Client, Mobile No, E-mail, Joined, Visits.` + "\n"},
	} {
		r := run(t, "import", "customers", file, "--db", db, "--map="+tc.spec)
		if r.code != 1 || r.stderr != tc.want {
			t.Errorf("--map %q: exit %d\n%s\nwant\n%s", tc.spec, r.code, r.stderr, tc.want)
		}
	}
	if r := run(t, "import", "purchases", file, "--db", db, "--map", "Client=name"); r.code != 2 || !strings.Contains(r.stderr, "--map is for customers") {
		t.Errorf("--map on purchases: exit %d %q", r.code, r.stderr)
	}
	if got := exportedCustomers(t, db); len(got) != 2 {
		t.Errorf("a refused import wrote: %q", got)
	}
}

func TestImportOwnCSVSaysNothingMore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	file := writeFile(t, dir, "c.csv", "name,phone,birthday\nAnn Lee,07700 900123,11-02\nBob Roy,,\n")
	r := run(t, "import", "customers", file, "--db", db, "--dry-run")
	if r.code != 0 || r.stdout != "would import 2 customers\n" || strings.Contains(r.stderr, "recognised") || !strings.Contains(r.stderr, "2     Ann Lee  07700 900123  ") {
		t.Errorf("dry run: exit %d %q\n%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, "import", "customers", file, "--db", db)
	if r.code != 0 || r.stdout != "imported 2 customers\n" || r.stderr != "" {
		t.Errorf("import: exit %d %q %q", r.code, r.stdout, r.stderr)
	}
	if got := exportedCustomers(t, db); got[0] != "Ann Lee|07700 900123||--11-02||||false" {
		t.Errorf("exported %q", got)
	}
}
