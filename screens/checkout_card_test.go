package screens

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"regulars/data"
)

// cardShop: on 2 June, Ann (250 points) has an open complaint, a late
// promise and one due tomorrow, a note and a birthday on 5 June; Cara has
// 300 points; Bob has nothing to mention.
func cardShop(t *testing.T) (*data.Store, *checkoutScreen, map[string]data.ID) {
	t.Helper()
	ctx := context.Background()
	s := openStore(t, mustDay("2026-05-20"))
	ids := map[string]data.ID{
		"ann": must(s.AddCustomer(ctx, data.Customer{Name: "Ann Lee", Phone: "07700 900123", Notes: "pays by card",
			Birthday: data.YearlyDate{Year: 1985, Month: 6, Day: 5}})),
		"bob":  must(s.AddCustomer(ctx, data.Customer{Name: "Bob Roy", Phone: "0161 496 0000"})),
		"cara": must(s.AddCustomer(ctx, data.Customer{Name: "Cara Moss", Phone: "0161 496 0999"})),
	}
	must(s.RecordSale(ctx, data.Sale{CustomerID: ids["ann"], Amount: 150_00}))
	must(s.RecordSale(ctx, data.Sale{CustomerID: ids["cara"], Amount: 300_00}))
	s.SetToday(mustDay("2026-06-01"))
	must(s.RecordSale(ctx, data.Sale{CustomerID: ids["ann"], Amount: 100_00}))
	must(s.AddComplaint(ctx, data.Complaint{CustomerID: ids["ann"], What: "zip broke on the coat", Received: mustDay("2026-05-30")}))
	must(s.AddPromise(ctx, data.Promise{CustomerID: ids["ann"], What: "order floor mats", Due: mustDay("2026-05-31")}))
	must(s.AddPromise(ctx, data.Promise{CustomerID: ids["ann"], What: "call when the part arrives", Due: mustDay("2026-06-03")}))
	must(s.AddPromise(ctx, data.Promise{CustomerID: ids["ann"], What: "fit bumper", Due: mustDay("2026-06-20")}))
	a := openShop(t, s, mustDay("2026-06-02"))
	a.show("checkout")
	return s, a.screens["checkout"].(*checkoutScreen), ids
}

// pick finds a customer from the keyboard.
func pick(t *testing.T, c *checkoutScreen, typed string, want data.ID) {
	t.Helper()
	c.reset()
	test.Type(c.find, typed)
	c.find.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if c.customer == nil || c.customer.ID != want {
		t.Fatalf("%q picked %v", typed, c.customer)
	}
}

func TestCheckoutCardShowsWhatTheTillShouldKnow(t *testing.T) {
	_, c, ids := cardShop(t)
	pick(t, c, "07700 900123", ids["ann"])
	for _, want := range []string{"Ann Lee", "07700 900123", "Points: 250",
		fmt.Sprintf("2 rewards ready, %s off each", money(500)), "Last visit: " + longDate(mustDay("2026-06-01"))} {
		if !strings.Contains(c.card.Text, want) {
			t.Errorf("the card should say %q:\n%s", want, c.card.Text)
		}
	}
	want := strings.Join([]string{
		"Open complaint: zip broke on the coat (received " + longDate(mustDay("2026-05-30")) + ")",
		"Promise late, due " + longDate(mustDay("2026-05-31")) + ": order floor mats",
		"Promise due tomorrow: call when the part arrives",
		"Birthday on " + dayMonth(6, 5) + ", in 3 days",
		"Note: pays by card",
	}, "\n")
	if c.know.Text != want || !c.know.Visible() {
		t.Errorf("what the till should know:\n%s\nwant:\n%s", c.know.Text, want)
	}
	if !c.rewardRow.Visible() || c.rewardLine.Text != fmt.Sprintf("Redeem 0 of 2 rewards: %s off (F4 one more)", money(0)) {
		t.Errorf("reward control %q (shown %v)", c.rewardLine.Text, c.rewardRow.Visible())
	}

	pick(t, c, "Bob", ids["bob"])
	if c.know.Visible() || c.rewardRow.Visible() {
		t.Errorf("Bob has nothing to mention nor redeem: %q", c.know.Text)
	}
	if !strings.Contains(c.card.Text, "Points: 0 — 100 more to the next reward") || !strings.Contains(c.card.Text, "No visit yet") {
		t.Errorf("Bob's card: %q", c.card.Text)
	}

	// Walk-in: no card, the amount to pay all the same.
	c.find.TypedKey(&fyne.KeyEvent{Name: fyne.KeyF5})
	test.Type(c.amount, "12")
	if !strings.Contains(c.card.Text, "Walk-in") || c.toPay.Text != "To pay: "+money(1200) {
		t.Errorf("walk-in: %q, %q", c.card.Text, c.toPay.Text)
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
		rewards int64
		toPay   string
	}{
		{1, fmt.Sprintf("To pay: %s (%s less %s off)", money(2500), money(3000), money(500))},
		{2, fmt.Sprintf("To pay: %s (%s less %s off)", money(2000), money(3000), money(1000))},
		{0, "To pay: " + money(3000)}, // 250 points pay for two: F4 goes round to none
		{1, ""},
		{2, ""},
	}
	for i, st := range steps {
		f4()
		if c.rewards != st.rewards || st.toPay != "" && c.toPay.Text != st.toPay {
			t.Fatalf("F4 #%d: %d rewards, %q; want %d, %q", i+1, c.rewards, c.toPay.Text, st.rewards, st.toPay)
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
