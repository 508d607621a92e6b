package rules

import "testing"

func TestGroupMessage(t *testing.T) {
	got, err := GroupMessage("Dear {{.FirstName}}, {{.ShopName}} has new boots.", Customer{Name: "Ann Lee"}, "Alder & Co")
	if err != nil || got != "Dear Ann, Alder & Co has new boots." {
		t.Errorf("GroupMessage = %q, %v", got, err)
	}
	if _, err := GroupMessage("Dear {{.Nope}}", Customer{Name: "Ann"}, "x"); err == nil {
		t.Error("a broken message rendered")
	}
}
