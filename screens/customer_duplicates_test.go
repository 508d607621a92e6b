package screens

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"regulars/rules"
)

// TestMergeDuplicatesSuggestsPairs: "Merge duplicates…" lists the pair
// sharing a phone with why ("a family?"), opens the merge with both
// chosen in one click, and "Not the same person" takes the pair off for
// good.
func TestMergeDuplicatesSuggestsPairs(t *testing.T) {
	f := newFixture(t)
	f.dismissPopup()
	ctx := context.Background()
	cat, err := f.store.AddCustomer(ctx, rules.Customer{Name: "Cat Roy", Phone: "0161-496-0000"})
	if err != nil {
		t.Fatal(err)
	}
	f.app.show("customers")
	cs := f.app.screens["customers"].(*customersScreen)
	w := f.app.win
	test.Tap(findButtonUnder(t, cs.obj, "Merge duplicates"))
	text := overlayText(w)
	for _, want := range []string{"same phone — a family?", "Bob Roy (no. " + strconv.FormatInt(f.bob, 10) + ")", "Cat Roy (no. " + strconv.FormatInt(cat, 10) + ")", "1 pair may be"} {
		if !strings.Contains(text, want) {
			t.Fatalf("the suggestions say %q, without %q", text, want)
		}
	}
	test.Tap(findButton(t, w, "Merge…"))
	entries := overlayEntries(t, w)
	if len(entries) != 2 || entries[0].Text != strconv.FormatInt(f.bob, 10) || entries[1].Text != strconv.FormatInt(cat, 10) {
		t.Fatalf("the merge form opens with %v", entries)
	}
	test.Tap(findButton(t, w, "Cancel"))
	test.Tap(findButton(t, w, "Not the same person"))
	if !strings.Contains(overlayText(w), "No likely duplicates") {
		t.Errorf("after Not the same person the dialog says %q", overlayText(w))
	}
	pairs, err := f.store.SuggestDuplicates(ctx)
	if err != nil || len(pairs) != 0 {
		t.Errorf("suggested after Not the same person: %+v (%v)", pairs, err)
	}
}
