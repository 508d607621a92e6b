package screens

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// TestTheDataCardSaysWhereTheShopIs: a shop in a file is "this one file",
// with its folder to open; a shop on PostgreSQL is on the server every
// till shares, with no folder, and About says the same.
func TestTheDataCardSaysWhereTheShopIs(t *testing.T) {
	for _, onPG := range []bool{false, true} {
		now := time.Date(2026, 6, 15, 11, 0, 0, 0, time.Local)
		a := startAppAt(t, twoTillShop(t, now, onPG), now, nil)
		a.show("settings")
		card, ok := a.screens["settings"].(*settingsScreen).dataCard().(*widget.Card)
		if !ok {
			t.Fatal("the data card is not a card")
		}
		folder := false
		walk(card.Content, func(o fyne.CanvasObject) {
			if b, ok := o.(*widget.Button); ok && b.Text == "Open the data folder" {
				folder = true
			}
		})
		about := aboutText(a.store.OnPostgres())
		if onPG {
			if !strings.Contains(card.Subtitle, "PostgreSQL server") || folder || !strings.Contains(about, "PostgreSQL server") {
				t.Errorf("on PostgreSQL the data card says %q (folder button %v), About %q", card.Subtitle, folder, about)
			}
			continue
		}
		if !strings.Contains(card.Subtitle, "one file") || !folder || !strings.Contains(about, "one file") {
			t.Errorf("in a file the data card says %q (folder button %v), About %q", card.Subtitle, folder, about)
		}
	}
}

// TestTheDemoOfAShopOnPostgresIsAFileOnThisPC: the demo goes beside a
// shop's file, or into this PC's data folder when the shop is on a server,
// never into a folder named after the server's address.
func TestTheDemoOfAShopOnPostgresIsAFileOnThisPC(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_DATA_HOME", home)
	if got := DemoPath("/srv/shop/regulars.db"); got != "/srv/shop/regulars-demo.db" {
		t.Errorf("the demo of a file: %s", got)
	}
	if got := DemoPath("postgres://till@shop-server/regulars?sslmode=require"); got != home+"/regulars/regulars-demo.db" {
		t.Errorf("the demo of a shop on PostgreSQL: %s", got)
	}
}
