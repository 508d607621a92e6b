package cli

import (
	"context"
	"database/sql"
	"encoding/csv"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"regulars/data"
	"regulars/rules"
)

// exported runs `regulars export what` and returns its rows keyed by header.
func exported(t *testing.T, db, what string) []map[string]string {
	t.Helper()
	r := run(t, "export", what, "--db", db, "--date", reportDay)
	if r.code != 0 {
		t.Fatalf("export %s: exit %d: %s", what, r.code, r.stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("export %s: %v, %d rows", what, err, len(recs))
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

const reportDay = "2026-06-15"

func dateOf(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatalf("date %q: %v", s, err)
	}
	return d
}

func atoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("number %q: %v", s, err)
	}
	return n
}

// cents reads "12.34" or "-12.34" as whole cents without the data package.
func cents(t *testing.T, s string) int64 {
	t.Helper()
	neg := strings.HasPrefix(s, "-")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	v := atoi(t, whole)*100 + atoi(t, frac)
	if neg {
		return -v
	}
	return v
}

// TestReportsMatchTheExports recomputes every figure of the Reports page on
// the demo shop from what `regulars export` writes, with arithmetic of its
// own, and compares it with what the store reports.
func TestReportsMatchTheExports(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if r := run(t, "demo", "--db", db, "--customers", "400", "--date", reportDay); r.code != 0 {
		t.Fatalf("demo: %s", r.stderr)
	}
	customers := exported(t, db, "customers")
	purchases := exported(t, db, "purchases")
	ledger := exported(t, db, "ledger")
	reminders := exported(t, db, "reminders")
	complaints := exported(t, db, "complaints")

	ctx := context.Background()
	day, _ := rules.ParseDay(reportDay)
	s, err := data.Open(ctx, db, data.Options{MustExist: true, Today: day})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rep, err := s.Report(ctx, day, 10)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("now %+v; retention %d of %d; complaints %+v; points %+v", rep.Now, rep.Retention.Kept, rep.Retention.Base,
		rep.Complaints, rep.Points)

	// Visits: sale lines (refunds are negative) per customer.
	sales := map[string][]string{}
	for _, p := range purchases {
		if p["customer"] != "" && !strings.HasPrefix(p["amount"], "-") {
			sales[p["customer"]] = append(sales[p["customer"]], p["date"])
		}
	}

	t.Run("active, lapsing and lost at each month-end", func(t *testing.T) {
		if len(rep.Months) != 12 {
			t.Fatalf("%d months", len(rep.Months))
		}
		for i := range 12 {
			// Day 0 of a month is the last day of the one before.
			end := time.Date(2026, time.June-time.Month(11-i), 0, 0, 0, 0, 0, time.UTC)
			want := rules.Activity{Total: len(customers)}
			for _, days := range sales {
				last := ""
				for _, d := range days {
					if d <= end.Format("2006-01-02") && d > last {
						last = d
					}
				}
				if last == "" {
					continue
				}
				switch age := int(end.Sub(dateOf(t, last)).Hours() / 24); {
				case age < 90:
					want.Active++
				case age < 180:
					want.Lapsing++
				case age < 365:
					want.Drifting++
				default:
					want.Lost++
				}
			}
			want.Never = want.Total - want.Active - want.Lapsing - want.Drifting - want.Lost
			got := rep.Months[i]
			if got.MonthEnd.String() != end.Format("2006-01-02") || got.Activity != want {
				t.Errorf("month %d: %s %+v, recomputed %s %+v", i, got.MonthEnd, got.Activity, end.Format("2006-01-02"), want)
			}
			if i == 11 && (want.Active == 0 || want.Lapsing == 0 || want.Lost == 0) {
				t.Errorf("the demo shop's last month has an empty band: %+v", want)
			}
		}
	})

	t.Run("yearly retention", func(t *testing.T) {
		base, kept := 0, 0
		for _, days := range sales {
			var before, again bool
			for _, d := range days {
				before = before || (d >= "2024-06-16" && d <= "2025-06-15")
				again = again || (d >= "2025-06-16" && d <= reportDay)
			}
			if before {
				base++
				if again {
					kept++
				}
			}
		}
		if rep.Retention.Base != base || rep.Retention.Kept != kept || base == 0 {
			t.Errorf("retention %+v, recomputed %d of %d", rep.Retention, kept, base)
		}
		if rate := float64(kept) / float64(base); math.Abs(rep.Retention.Rate()-rate) > 1e-12 {
			t.Errorf("rate %v, recomputed %v", rep.Retention.Rate(), rate)
		}
	})

	t.Run("reminders handled per kind and per staff member", func(t *testing.T) {
		// Counting starts the day the database was created, a setting of the file.
		conn, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var since string
		if err := conn.QueryRow("SELECT value FROM settings WHERE key = 'created_on'").Scan(&since); err != nil {
			t.Fatal(err)
		}
		if rep.FollowUp.Since.String() != since {
			t.Errorf("counted from %s, the database was created %s", rep.FollowUp.Since, since)
		}
		type counts struct{ onTime, late, skipped, missed, open int }
		byKind, byStaff := map[string]*counts{}, map[string]*counts{}
		add := func(m map[string]*counts, k string, r map[string]string) {
			c := m[k]
			if c == nil {
				c = &counts{}
				m[k] = c
			}
			switch r["state"] {
			case "done":
				if r["done_on"] <= r["due"] {
					c.onTime++
				} else {
					c.late++
				}
			case "skipped":
				c.skipped++
			case "missed":
				c.missed++
			default:
				c.open++
			}
		}
		for _, r := range reminders {
			if r["due"] < since || r["due"] > reportDay {
				continue
			}
			add(byKind, r["kind"], r)
			add(byStaff, r["staff"], r)
		}
		handled := 0
		for _, row := range rep.FollowUp.ByKind {
			want := byKind[string(row.Kind)]
			if want == nil {
				want = &counts{}
			}
			got := counts{row.OnTime, row.Late, row.Skipped, row.Missed, row.Open}
			if got != *want {
				t.Errorf("%s: %+v, recomputed %+v", row.Kind, got, *want)
			}
			handled += row.OnTime + row.Late
		}
		if handled == 0 || len(rep.FollowUp.ByStaff) != len(byStaff) {
			t.Errorf("%d handled; staff %+v, recomputed %d names", handled, rep.FollowUp.ByStaff, len(byStaff))
		}
		for _, row := range rep.FollowUp.ByStaff {
			want := byStaff[row.Staff]
			got := counts{row.OnTime, row.Late, row.Skipped, row.Missed, row.Open}
			if want == nil || got != *want {
				t.Errorf("staff %q: %+v, recomputed %+v", row.Staff, got, want)
			}
		}
	})

	t.Run("complaints", func(t *testing.T) {
		received, resolved, within := 0, 0, 0
		var hours []float64
		first := map[string]string{}
		for _, c := range complaints {
			if c["received"] < "2025-06-16" || c["received"] > reportDay {
				continue
			}
			received++
			if f, ok := first[c["customer"]]; !ok || c["received"] < f {
				first[c["customer"]] = c["received"]
			}
			if c["status"] != "resolved" {
				continue
			}
			resolved++
			from, err1 := time.ParseInLocation("2006-01-02 15:04:05", c["received_at"], time.Local)
			to, err2 := time.ParseInLocation("2006-01-02 15:04:05", c["resolved_at"], time.Local)
			if err1 != nil || err2 != nil {
				t.Fatalf("complaint %s has no times: %v %v", c["id"], err1, err2)
			}
			h := to.Sub(from).Hours()
			hours = append(hours, h)
			if h <= 24 {
				within++
			}
		}
		slices.Sort(hours)
		median := 0.0
		if n := len(hours); n > 0 {
			median = (hours[(n-1)/2] + hours[n/2]) / 2
		}
		again := 0
		for cust, f := range first {
			for _, d := range sales[cust] {
				if d > f && d <= reportDay {
					again++
					break
				}
			}
		}
		got := rep.Complaints
		if got.Received != received || got.Resolved != resolved || got.Within24h != within ||
			math.Abs(got.MedianHours-median) > 1e-9 || got.Customers != len(first) || got.BoughtAgain != again {
			t.Errorf("complaints %+v, recomputed received %d resolved %d within %d median %.2f customers %d again %d",
				got, received, resolved, within, median, len(first), again)
		}
		if resolved == 0 || received == resolved {
			t.Errorf("the demo shop should have resolved and open complaints this year: %d of %d", resolved, received)
		}
	})

	// Redeemed points on sales still standing: what the reward took off.
	kept := map[string]bool{}
	for _, p := range purchases {
		kept[p["id"]] = true
	}
	discount := map[string]int64{} // by customer
	t.Run("loyalty points", func(t *testing.T) {
		balance := map[string]int64{}
		var redeemed int64
		for _, l := range ledger {
			balance[l["customer"]] += atoi(t, l["points"])
			if l["kind"] == "redeem" && kept[l["purchase"]] {
				pts := -atoi(t, l["points"])
				discount[l["customer"]] += pts / 100 * 500 // the demo keeps the default 5.00 per 100 points
				if l["date"] >= "2025-06-16" {
					redeemed += pts
				}
			}
		}
		var outstanding, liability int64
		holders := 0
		for _, b := range balance {
			if b > 0 {
				outstanding += b
				holders++
				liability += b / 100 * 500
			}
		}
		got := rep.Points
		if got.Outstanding != outstanding || got.Holders != holders || int64(got.Liability) != liability ||
			got.Redeemed != redeemed || int64(got.RedeemedValue) != redeemed/100*500 {
			t.Errorf("points %+v, recomputed outstanding %d holders %d liability %d redeemed %d", got, outstanding, holders, liability, redeemed)
		}
		if outstanding == 0 || redeemed == 0 {
			t.Errorf("the demo shop should hold and redeem points: %d held, %d redeemed", outstanding, redeemed)
		}
		// The customers export carries each balance too.
		for _, c := range customers {
			if atoi(t, c["points"]) != balance[c["id"]] {
				t.Errorf("customer %s: export says %s points, the ledger sums to %d", c["id"], c["points"], balance[c["id"]])
			}
		}
	})

	t.Run("top customers", func(t *testing.T) {
		type spender struct {
			id     string
			spent  int64
			visits int
		}
		by := map[string]*spender{}
		for _, p := range purchases {
			if p["customer"] == "" {
				continue
			}
			sp := by[p["customer"]]
			if sp == nil {
				sp = &spender{id: p["customer"]}
				by[p["customer"]] = sp
			}
			sp.spent += cents(t, p["amount"])
			if !strings.HasPrefix(p["amount"], "-") {
				sp.visits++
			}
		}
		var all []spender
		for id, sp := range by {
			sp.spent -= discount[id]
			all = append(all, *sp)
		}
		slices.SortFunc(all, func(a, b spender) int {
			if a.spent != b.spent {
				return int(b.spent - a.spent)
			}
			return int(atoi(t, a.id) - atoi(t, b.id))
		})
		if len(rep.Top) != 10 {
			t.Fatalf("%d top customers", len(rep.Top))
		}
		for i, tc := range rep.Top {
			w := all[i]
			if strconv.FormatInt(tc.Customer.ID, 10) != w.id || int64(tc.Spent) != w.spent || tc.Visits != w.visits {
				t.Errorf("top %d: %d %s spent %d in %d visits; recomputed %s spent %d in %d", i+1,
					tc.Customer.ID, tc.Customer.Name, tc.Spent, tc.Visits, w.id, w.spent, w.visits)
			}
		}
	})
}
