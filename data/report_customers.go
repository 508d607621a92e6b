package data

import (
	"context"
	"database/sql"
	"time"
)

// Whole-shop reads for the Loyalty and Segments screens, packed (see
// report_packed.go): the customers, every balance, every customer's spend.

// packedCustomers reads the customers matching where (all when ""), in id
// order, as scanCustomer reads them (consents are not read).
func (s *Store) packedCustomers(ctx context.Context, where string, args []any, keep func(id ID) bool) ([]Customer, error) {
	var out []Customer
	var n [5]int64
	err := s.eachPacked(ctx, packedQuery{table: "customers", where: where, args: args, fields: []string{
		"id", "name", "phone", "email", "birthday_year", "birthday_month", "birthday_day", "address", "notes",
		"tags", "preferred_channel", "do_not_contact", "customer_since", "added_on", "forgotten"}},
		func(f []string) error {
			for i, k := range [5]int{0, 4, 5, 6, 11} {
				var err error
				if n[i], err = packedInt(f[k]); err != nil {
					return err
				}
			}
			if keep != nil && !keep(n[0]) {
				return nil
			}
			gone, err := packedInt(f[14])
			if err != nil {
				return err
			}
			c := Customer{ID: n[0], Name: f[1], Phone: f[2], Email: f[3], Address: f[7], Notes: f[8],
				Tags: splitTags(f[9]), PreferredChannel: Channel(f[10]), DoNotContact: n[4] != 0,
				CustomerSince: scanDay(sql.NullString{String: f[12], Valid: true}),
				AddedOn:       scanDay(sql.NullString{String: f[13], Valid: true}), Forgotten: gone != 0}
			if f[5] != "" && f[6] != "" {
				c.Birthday = YearlyDate{Year: int(n[1]), Month: time.Month(n[2]), Day: int(n[3])}
			}
			out = append(out, c)
			return nil
		})
	return out, err
}

// balancesAsOf sums every customer's ledger rows up to day, for the
// customers with ledger rows.
func (s *Store) balancesAsOf(ctx context.Context, day Day) (map[ID]int64, error) {
	out := map[ID]int64{}
	var id, p int64
	err := s.eachPacked(ctx, packedQuery{table: "ledger", fields: []string{"customer_id", "points"}, where: "day <= ?", args: []any{day.String()}},
		func(f []string) (err error) {
			if id, err = packedInt(f[0]); err != nil {
				return err
			}
			if p, err = packedInt(f[1]); err != nil {
				return err
			}
			out[id] += p
			return nil
		})
	return out, err
}

// customerIDs lists every customer's id.
func (s *Store) customerIDs(ctx context.Context) ([]ID, error) {
	ids, err := idList(ctx, s.reader(), "SELECT id FROM customers")
	return ids, s.explain(err)
}

// spendAsOf is what each customer paid up to day, less discounts, and how
// many sales they made; voided lines do not count.
func (s *Store) spendAsOf(ctx context.Context, day Day) (map[ID]Cents, map[ID]int, error) {
	spent, visits := map[ID]Cents{}, map[ID]int{}
	var n [3]int64
	err := s.eachPacked(ctx, packedQuery{table: "purchases", fields: []string{"customer_id", "amount_cents", "discount_cents"},
		where: "customer_id IS NOT NULL AND voided = 0 AND day <= ?", args: []any{day.String()}},
		func(f []string) error {
			for i := range n {
				var err error
				if n[i], err = packedInt(f[i]); err != nil {
					return err
				}
			}
			spent[n[0]] += Cents(n[1] - n[2])
			if n[1] > 0 {
				visits[n[0]]++
			} else if _, ok := visits[n[0]]; !ok {
				visits[n[0]] = 0
			}
			return nil
		})
	return spent, visits, err
}
