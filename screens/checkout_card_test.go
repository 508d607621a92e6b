package screens

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/rules"
)

// cardShop: on 2 June, Ann (250 points) has an open complaint, a late
// promise and one due tomorrow, a note and a birthday on 5 June; Cara has
// 300 points; Bob has nothing to mention.
func cardShop(t *testing.T) (*data.Store, *checkoutScreen, map[string]rules.ID) {
	t.Helper()
	ctx := context.Background()
	s := openStore(t, mustDay("2026-05-20"))
	ids := map[string]rules.ID{
		"ann": must(s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee", Phone: "07700 900123", Notes: "pays by card",
			Birthday: rules.YearlyDate{Year: 1985, Month: 6, Day: 5}})),
		"bob":  must(s.AddCustomer(ctx, rules.Customer{Name: "Bob Roy", Phone: "0161 496 0000"})),
		"cara": must(s.AddCustomer(ctx, rules.Customer{Name: "Cara Moss", Phone: "0161 496 0999"})),
	}
	must(s.RecordSale(ctx, data.Sale{CustomerID: ids["ann"], Amount: 150_00}))
	must(s.RecordSale(ctx, data.Sale{CustomerID: ids["cara"], Amount: 300_00}))
	s.SetToday(mustDay("2026-06-01"))
	must(s.RecordSale(ctx, data.Sale{CustomerID: ids["ann"], Amount: 100_00}))
	must(s.AddComplaint(ctx, rules.Complaint{CustomerID: ids["ann"], What: "zip broke on the coat", Received: mustDay("2026-05-30")}))
	must(s.AddPromise(ctx, rules.Promise{CustomerID: ids["ann"], What: "order floor mats", Due: mustDay("2026-05-31")}))
	must(s.AddPromise(ctx, rules.Promise{CustomerID: ids["ann"], What: "call when the part arrives", Due: mustDay("2026-06-03")}))
	must(s.AddPromise(ctx, rules.Promise{CustomerID: ids["ann"], What: "fit bumper", Due: mustDay("2026-06-20")}))
	a := openShop(t, s, mustDay("2026-06-02"))
	a.show("checkout")
	return s, a.screens["checkout"].(*checkoutScreen), ids
}

// pick finds a customer from the keyboard.
func pick(t *testing.T, c *checkoutScreen, typed string, want rules.ID) {
	t.Helper()
	c.reset()
	test.Type(c.find, typed)
	c.find.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if c.customer == nil || c.customer.ID != want {
		t.Fatalf("%q picked %v", typed, c.customer)
	}
}

// cardLines is the customer's card as shown, a line each, with the colour
// of a line not in the plain one.
func cardLines(c *checkoutScreen) []string {
	if !c.cardBox.Visible() {
		return nil
	}
	var out []string
	for _, seg := range c.card.Segments {
		ts := seg.(*widget.TextSegment)
		line := ts.Text
		if col := ts.Style.ColorName; col != theme.ColorNameForeground {
			line += " [" + string(col) + "]"
		}
		out = append(out, line)
	}
	return out
}

func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCheckoutCardShowsWhatTheTillShouldKnow(t *testing.T) {
	_, c, ids := cardShop(t)
	if got := cardLines(c); got != nil {
		t.Errorf("a card before anyone is picked: %q", got)
	}
	pick(t, c, "07700 900123", ids["ann"])
	sameLines(t, "Ann's card", cardLines(c), []string{
		fmt.Sprintf("Ann Lee  ☎ 07700 900123  #%d", ids["ann"]),
		fmt.Sprintf("Points: 250 — 2 rewards ready, %s off each", money(500)),
		"Last visit: " + longDate(mustDay("2026-06-01")),
		"Open complaint: zip broke on the coat (received " + longDate(mustDay("2026-05-30")) + ") [error]",
		"Promise late, due " + longDate(mustDay("2026-05-31")) + ": order floor mats [error]",
		"Promise due tomorrow: call when the part arrives [warning]",
		"Birthday on " + dayMonth(6, 5) + ", in 3 days [success]",
		"Note: pays by card",
	})
	if !c.rewardRow.Visible() || c.rewardLine.Text != fmt.Sprintf("Redeem 0 of 2 rewards: %s off (F4 one more)", money(0)) {
		t.Errorf("reward control %q (shown %v)", c.rewardLine.Text, c.rewardRow.Visible())
	}
	if c.matchBox.Visible() {
		t.Error("the pick list should make way for the card")
	}

	pick(t, c, "Bob", ids["bob"])
	sameLines(t, "Bob has nothing to mention nor redeem", cardLines(c), []string{
		fmt.Sprintf("Bob Roy  ☎ 0161 496 0000  #%d", ids["bob"]),
		"Points: 0 — 100 more to the next reward",
		"No visit yet",
	})
	if c.rewardRow.Visible() {
		t.Errorf("Bob has no reward to redeem: %q", c.rewardLine.Text)
	}

	// Walk-in: no card, the amount to pay all the same.
	c.find.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF5})
	test.Type(c.amount, "12")
	sameLines(t, "walk-in", cardLines(c), []string{"Walk-in sale: no customer, no points."})
	if c.toPay.Text != "To pay: "+money(1200) || !c.toPay.Visible() {
		t.Errorf("walk-in: to pay %q", c.toPay.Text)
	}
}

// With expiry on, the card says which points go first and when; within the
// points_expiring reminder's 30 days it is something to mention, in orange.
func TestCheckoutCardSaysWhenPointsExpire(t *testing.T) {
	ctx := context.Background()
	s := openStore(t, mustDay("2025-06-10"))
	l := rules.DefaultLoyalty()
	l.ExpiryMonths = 12
	must(0, s.SetLoyalty(ctx, l))
	soon := must(s.AddCustomer(ctx, rules.Customer{Name: "Ann Lee", Phone: "07700 900123"}))
	later := must(s.AddCustomer(ctx, rules.Customer{Name: "Bob Roy", Phone: "0161 496 0000"}))
	one := must(s.AddCustomer(ctx, rules.Customer{Name: "Cara Moss", Phone: "0161 496 0999"}))
	must(s.RecordSale(ctx, data.Sale{CustomerID: soon, Amount: 120_00}))
	must(s.RecordSale(ctx, data.Sale{CustomerID: one, Amount: 1_00}))
	s.SetToday(mustDay("2025-09-01"))
	must(s.RecordSale(ctx, data.Sale{CustomerID: later, Amount: 40_00}))
	a := openShop(t, s, mustDay("2026-06-02"))
	a.show("checkout")
	c := a.screens["checkout"].(*checkoutScreen)

	pick(t, c, "07700 900123", soon)
	sameLines(t, "points expiring in 8 days", cardLines(c), []string{
		fmt.Sprintf("Ann Lee  ☎ 07700 900123  #%d", soon),
		fmt.Sprintf("Points: 120 — 1 reward ready, %s off each", money(500)),
		"Last visit: " + longDate(mustDay("2025-06-10")),
		"120 points expire on " + longDate(mustDay("2026-06-10")) + " [warning]",
	})
	pick(t, c, "0161 496 0000", later)
	sameLines(t, "points expiring in three months", cardLines(c), []string{
		fmt.Sprintf("Bob Roy  ☎ 0161 496 0000  #%d", later),
		"Points: 40 — 60 more to the next reward",
		"40 points expire on " + longDate(mustDay("2026-09-01")),
		"Last visit: " + longDate(mustDay("2025-09-01")),
	})
	pick(t, c, "0161 496 0999", one)
	if got := cardLines(c); len(got) != 4 || got[3] != "1 point expires on "+longDate(mustDay("2026-06-10"))+" [warning]" {
		t.Errorf("one point: %q", got)
	}
}

func TestCheckoutRedeemsSeveralRewardsWhenTheBalanceAllows(t *testing.T) {
	s, c, ids := cardShop(t)
	ctx := context.Background()
	f4 := func() { c.amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF4}) }
	pick(t, c, "07700 900123", ids["ann"])
	test.Type(c.amount, "30")
	if c.toPay.Text != "To pay: "+money(3000) {
		t.Errorf("before a reward: %q", c.toPay.Text)
	}
	steps := []struct {
		rewards     int64
		toPay, line string
	}{
		{1, fmt.Sprintf("To pay: %s (%s less %s off)", money(2500), money(3000), money(500)),
			fmt.Sprintf("Redeem 1 of 2 rewards: %s off (F4 one more)", money(500))},
		{2, fmt.Sprintf("To pay: %s (%s less %s off)", money(2000), money(3000), money(1000)),
			fmt.Sprintf("Redeem 2 of 2 rewards: %s off (F4 none)", money(1000))},
		{0, "To pay: " + money(3000), ""}, // 250 points pay for two: F4 goes round to none
		{1, "", ""},
		{2, "", ""},
	}
	for i, st := range steps {
		f4()
		if c.rewards != st.rewards || st.toPay != "" && c.toPay.Text != st.toPay || st.line != "" && c.rewardLine.Text != st.line {
			t.Fatalf("F4 #%d: %d rewards, %q, %q; want %d, %q, %q", i+1, c.rewards, c.toPay.Text, c.rewardLine.Text, st.rewards, st.toPay, st.line)
		}
	}
	c.amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !strings.Contains(c.result.Text, fmt.Sprintf("(200 points redeemed for %s off)", money(1000))) {
		t.Fatalf("result %q %q", c.result.Text, c.amountErr.Text)
	}
	sale := must(s.RecentPurchases(ctx, 1))[0]
	if sale.CustomerID != ids["ann"] || sale.Amount != 3000 || sale.Discount != 1000 {
		t.Errorf("sale %+v", sale)
	}
	if b := must(s.Balance(ctx, ids["ann"])); b != 250-200+20 {
		t.Errorf("Ann's balance %d, want 70", b)
	}
}

func TestCheckoutRefusesRewardsWorthMoreThanTheSale(t *testing.T) {
	s, c, ids := cardShop(t)
	ctx := context.Background()
	f4 := func() { c.amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF4}) }
	pick(t, c, "Cara", ids["cara"])
	f4()
	f4()
	f4()
	if c.rewards != 3 {
		t.Fatalf("300 points, no amount yet: F4 three times gives %d rewards", c.rewards)
	}
	test.Type(c.amount, "12")
	if want := fmt.Sprintf("%s off is more than the sale of %s: F4 to redeem fewer rewards", money(1500), money(1200)); c.toPay.Text != want {
		t.Errorf("to pay %q, want %q", c.toPay.Text, want)
	}
	c.amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !strings.HasPrefix(c.amountErr.Text, "The reward is worth more than the sale") {
		t.Errorf("the store's refusal should show: %q", c.amountErr.Text)
	}
	if ps := must(s.Purchases(ctx, ids["cara"])); len(ps) != 1 {
		t.Fatalf("a refused sale was recorded: %+v", ps)
	}
	if b := must(s.Balance(ctx, ids["cara"])); b != 300 {
		t.Errorf("balance %d after a refused sale", b)
	}
	// F4 goes round to what fits: two rewards on 12.00.
	f4()
	f4()
	f4()
	if c.rewards != 2 {
		t.Fatalf("%d rewards, want the two that fit", c.rewards)
	}
	f4()
	if c.rewards != 0 {
		t.Fatalf("a third reward on 12.00: %d", c.rewards)
	}
	f4()
	f4()
	c.amount.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if b := must(s.Balance(ctx, ids["cara"])); b != 300-200+2 {
		t.Errorf("balance %d after two rewards on 12.00, want 102 (%q)", b, c.amountErr.Text)
	}
}
