package data

import (
	"errors"
	"regulars/importers"
	"regulars/rules"
	"slices"
	"strings"
	"testing"
)

func TestImportCustomersMapped(t *testing.T) {
	r := newReportShop(t)
	r.at("2026-06-01 10:00")
	if _, err := r.s.AddCustomer(r.ctx, rules.Customer{Name: "Known Person", Phone: "07700 900009"}); err != nil {
		t.Fatal(err)
	}
	// The header runs over two lines; rows keep the lines a person sees.
	file := "\"Full\nname\",Mobile,E-mail Address,DOB,Favourite\n" + // lines 1–2
		"Ann Lee,07700 900001,ann@example.com,1980-06-16,red\n" + // 3
		"Bob Roy,07700 900009,,,blue\n" + // 4: phone of a known customer
		",07700 900003,,,green\n" + // 5: no name
		"Cat Day,07700-900-001,,--02-29,\n" + // 6: Ann's phone again
		"Dan Fox,,dan@example.com,,\n" // 7
	mapping := []string{"name", "phone", "email", "birthday", ""}

	pre, err := r.s.PreviewCustomersMapped(r.ctx, strings.NewReader(file), mapping, 3)
	if err != nil {
		t.Fatal(err)
	}
	if pre.Report.Added != 2 || len(pre.Report.Bad) != 3 || pre.Report.Written || len(pre.Report.Warnings) != 0 {
		t.Errorf("preview report %+v", pre.Report)
	}
	if len(pre.Rows) != 3 || pre.Rows[0].Line != 3 || pre.Rows[0].Customer.Name != "Ann Lee" || pre.Rows[0].Problem != "" ||
		pre.Rows[1].Line != 4 || !strings.Contains(pre.Rows[1].Problem, "already belongs to customer 1 Known Person") ||
		pre.Rows[2].Line != 5 || pre.Rows[2].Problem == "" {
		t.Errorf("preview rows %+v", pre.Rows)
	}
	if n, _ := r.s.CountCustomers(r.ctx); n != 1 {
		t.Fatalf("the preview wrote: %d customers", n)
	}

	rep, err := r.s.ImportCustomersMapped(r.ctx, strings.NewReader(file), mapping, ImportOptions{})
	if !errors.Is(err, importers.ErrBadRows) || rep.Written {
		t.Fatalf("all or nothing: %+v, %v", rep, err)
	}
	var lines []int
	for _, b := range rep.Bad {
		lines = append(lines, b.Line)
	}
	if !slices.Equal(lines, []int{4, 5, 6}) {
		t.Errorf("bad lines %v, want [4 5 6]", lines)
	}
	if n, _ := r.s.CountCustomers(r.ctx); n != 1 {
		t.Fatalf("a refused import wrote: %d customers", n)
	}
	rep, err = r.s.ImportCustomersMapped(r.ctx, strings.NewReader(file), mapping, ImportOptions{SkipBad: true})
	if err != nil || rep.Added != 2 || !rep.Written {
		t.Fatalf("skipping bad rows: %+v, %v", rep, err)
	}
	ann, err := r.s.MatchCustomer(r.ctx, "ann@example.com")
	if err != nil || ann.Name != "Ann Lee" || ann.Birthday.String() != "1980-06-16" || ann.Phone != "07700 900001" {
		t.Errorf("Ann = %+v, %v", ann, err)
	}
}

func TestImportCustomersMappedJoinsFirstAndLastNames(t *testing.T) {
	r := newReportShop(t)
	file := "First Name,Last Name,Phone\nAnn,Lee,0161 496 0001\n,Roy,0161 496 0002\nCat,,0161 496 0003\n,,0161 496 0004\n"
	rep, err := r.s.ImportCustomersMapped(r.ctx, strings.NewReader(file), []string{"first_name", "last_name", "phone"}, ImportOptions{SkipBad: true})
	if err != nil || rep.Added != 3 || len(rep.Bad) != 1 || rep.Bad[0].Line != 5 {
		t.Fatalf("%+v, %v", rep, err)
	}
	cs, err := r.s.Customers(r.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, []string{"Ann Lee", "Roy", "Cat"}) {
		t.Errorf("names %v", names)
	}
}

func TestColumnMappingMistakes(t *testing.T) {
	r := newReportShop(t)
	file := "a,b,c\n1,2,3\n"
	for _, tc := range []struct {
		mapping []string
		want    string
	}{
		{[]string{"", "phone", ""}, "holds the name"},
		{[]string{"name", "phone", "phone"}, "two columns go to phone"},
		{[]string{"name", "first_name", ""}, "not both"},
		{[]string{"name", "colour", ""}, "not a customer field"},
		{[]string{"name", "phone"}, "3 columns but 2"},
	} {
		_, err := r.s.ImportCustomersMapped(r.ctx, strings.NewReader(file), tc.mapping, ImportOptions{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want %q", tc.mapping, err, tc.want)
		}
	}
}

func TestPreviewVCardShowsDuplicates(t *testing.T) {
	r := newReportShop(t)
	if _, err := r.s.AddCustomer(r.ctx, rules.Customer{Name: "Ann Lee", Email: "ann@example.com"}); err != nil {
		t.Fatal(err)
	}
	file := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEMAIL:ANN@example.com\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Bob Roy\r\nTEL:+44 161 496 0002\r\nBDAY:--0630\r\nEND:VCARD\r\n"
	pre, err := r.s.PreviewVCard(r.ctx, strings.NewReader(file), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pre.Rows) != 2 || pre.Rows[0].Line != 1 || !strings.Contains(pre.Rows[0].Problem, "already belongs") ||
		pre.Rows[1].Line != 6 || pre.Rows[1].Problem != "" || pre.Rows[1].Customer.Birthday.String() != "--06-30" {
		t.Errorf("rows %+v", pre.Rows)
	}
	if pre.Report.Added != 1 || len(pre.Report.Bad) != 1 {
		t.Errorf("report %+v", pre.Report)
	}
}
