package data

import (
	"bytes"
	"context"
	"sort"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"
)

type ioEvent struct {
	start, end, rrule, summary string
	allDay                     bool
}

func TestExportICS(t *testing.T) {
	s := ioStore(t)
	ctx := context.Background()
	file := "name,phone,birthday,do_not_contact\n" +
		"Ann Lee,0161 496 0000,1980-03-14,\n" + // 1
		"Zoë Ñúñez,0161 496 0001,--07-04,\n" + // 2
		"Leap Year,0161 496 0002,1988-02-29,\n" + // 3
		"Leap Nameday,0161 496 0003,--02-29,\n" + // 4
		"Quiet; Please,0161 496 0004,12-25,yes\n" + // 5: do not contact, still on the calendar
		"No Birthday,0161 496 0005,,\n" + // 6
		"Forgotten,0161 496 0006,1970-01-01,\n" // 7
	if _, err := s.ImportCustomersCSV(ctx, strings.NewReader(file), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	ioExec(t, s, "UPDATE customers SET forgotten = 1 WHERE id = 7")
	ioExec(t, s, `INSERT INTO occasions(customer_id, label, year, month, day, yearly, lead_days) VALUES
		(1, 'Wedding anniversary', 2005, 9, 17, 1, 7),
		(2, 'Dog''s birthday', NULL, 2, 29, 1, 3),
		(6, 'Moved house', 2024, 8, 1, 0, 7)`)
	ioExec(t, s, `INSERT INTO promises(customer_id, what, due, staff, made_on, kept_on) VALUES
		(1, 'Order floor mats, blue', '2024-06-10', 'Maya', '2024-05-30', NULL),
		(2, 'Call when the part arrives', '2024-05-20', 'Raj', '2024-05-01', '2024-05-19'),
		(6, 'Fit bumper', '2024-06-03', 'Raj', '2024-05-02', '2024-06-04'),
		(5, 'Made tomorrow', '2024-06-09', 'Raj', '2024-06-02', NULL)`)

	var out bytes.Buffer
	if err := s.ExportICS(ctx, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "PRODID:-//Regulars//Regulars//EN\r\n") {
		t.Errorf("no PRODID line in\n%s", out.String())
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]ioEvent{}
	for _, e := range cal.Events() {
		var ev ioEvent
		if p := e.GetProperty(ics.ComponentPropertyDtStart); p != nil {
			ev.start = p.Value
			ev.allDay = len(p.ICalParameters["VALUE"]) == 1 && p.ICalParameters["VALUE"][0] == "DATE"
		}
		if p := e.GetProperty(ics.ComponentPropertyDtEnd); p != nil {
			ev.end = p.Value
		}
		if p := e.GetProperty(ics.ComponentPropertyRrule); p != nil {
			ev.rrule = p.Value
		}
		if p := e.GetProperty(ics.ComponentPropertySummary); p != nil {
			ev.summary = p.Value
		}
		if e.GetProperty(ics.ComponentPropertyDtstamp) == nil {
			t.Errorf("%s has no DTSTAMP", e.Id())
		}
		got[e.Id()] = ev
	}
	want := map[string]ioEvent{
		"birthday-1@regulars": {"19800314", "19800315", "FREQ=YEARLY", "Birthday: Ann Lee", true},
		"birthday-2@regulars": {"20000704", "20000705", "FREQ=YEARLY", "Birthday: Zoë Ñúñez", true},
		"birthday-3@regulars": {"19880229", "19880301", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1", "Birthday: Leap Year", true},
		"birthday-4@regulars": {"20000229", "20000301", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1", "Birthday: Leap Nameday", true},
		"birthday-5@regulars": {"20001225", "20001226", "FREQ=YEARLY", "Birthday: Quiet; Please", true},
		"occasion-1@regulars": {"20050917", "20050918", "FREQ=YEARLY", "Wedding anniversary: Ann Lee", true},
		"occasion-2@regulars": {"20000229", "20000301", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1", "Dog's birthday: Zoë Ñúñez", true},
		"occasion-3@regulars": {"20240801", "20240802", "", "Moved house: No Birthday", true},
		"promise-1@regulars":  {"20240610", "20240611", "", "Promise to Ann Lee: Order floor mats, blue", true},
		"promise-3@regulars":  {"20240603", "20240604", "", "Promise to No Birthday: Fit bumper", true},
	}
	var ids []string
	for id := range got {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if len(got) != len(want) {
		t.Errorf("events %v, want %d of them", ids, len(want))
	}
	for id, w := range want {
		if g, ok := got[id]; !ok {
			t.Errorf("no event %s", id)
		} else if g != w {
			t.Errorf("%s = %+v, want %+v", id, g, w)
		}
	}
}
