package screens

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
	"regulars/rules"
)

// shortcut is one line of the Help dialog.
type shortcut struct{ keys, what string }

// shortcuts lists every key the window answers to, in the order a new
// cashier needs them.
func shortcuts() []shortcut {
	out := []shortcut{
		{"F1", lang.L("This help: the Today screen, the checkout and these keys")},
		{fmt.Sprintf(lang.L("Ctrl+%s"), "F"), lang.L("Find a customer")},
		{fmt.Sprintf(lang.L("Ctrl+%s"), "N"), lang.L("New customer")},
		{"F2", lang.L("Checkout")},
	}
	for i, p := range pages {
		out = append(out, shortcut{fmt.Sprintf(lang.L("Ctrl+%s"), fmt.Sprint(i+1)), p.title()})
	}
	return append(out,
		shortcut{lang.L("Escape"), lang.L("Close the dialog on top (Cancel); at checkout, start again")},
		shortcut{lang.L("↓ then Enter"), lang.L("In a search: move into the results and open one")},
		shortcut{lang.L("↑ ↓  Page Up/Down  Home  End"), lang.L("Move through a reminder list")},
		shortcut{lang.L("Enter or D  S  K"), lang.L("On a reminder: done, snooze, skip; Enter on \"show all\" or a shut group opens it")},
		shortcut{"C  E  P  O  R", lang.L("On a reminder: copy the message, email it, print a card, open the customer, resolve a complaint")},
		shortcut{lang.L("Enter"), lang.L("Checkout: take the customer typed (an exact phone, email or number first), then record the sale")},
		shortcut{lang.L("↑ ↓ then Enter"), lang.L("Checkout, when several customers match: choose one and take them")},
		shortcut{"F4", lang.L("Checkout: one more reward to redeem (after the most, none)")},
		shortcut{"F5", lang.L("Checkout: walk-in sale without a customer")},
		shortcut{"F6", lang.L("Checkout: new customer")},
		shortcut{"F7", lang.L("Checkout: a promise to the customer just served")},
	)
}

// todayHelp is how the Today screen orders the day's work, as PRODUCT.md's
// "The Today screen" says it.
func todayHelp() string {
	return lang.L("The command line's today lists every open reminder in its fixed order. The Today screen shapes the same reminders into a day's work, a queue a shift can finish:\n" +
		"1. Obligations: open complaints (by their 24-hour clock, the one received first at the top), then promises due or late (and the follow-up of a complaint once resolved).\n" +
		"2. Due today: thank-you, check-in, birthday, anniversary and occasion reminders due today.\n" +
		"3. Still in their window: the same kinds due earlier and not yet missed, oldest first (then birthdays, anniversaries and occasions already shown ahead of their day).\n" +
		"4. Drifting away (stay in touch): a day's share, at most the number set in Settings → Reminder rules (10 unless changed), the customers with the highest spend over the last year first; those done today count towards it. \"Show all\" opens the rest.\n" +
		"5. Mention when they come in (rewards ready, points expiring): one shut group with its count, opened with a click or Enter; the checkout card shows them for the customer at the till. They are not counted as work.\n" +
		"The header shows how much of the day's queue is done; the navigation, the pop-ups and the tray count the same queue (groups 1–4 as shown), so every number agrees.")
}

// checkoutHelp is how the checkout finds the customer and records a sale.
func checkoutHelp() string {
	return lang.L("Type the customer's phone, name, email or customer number, then Enter:\n" +
		"• Enter takes the customer whose phone, email or customer number was typed in full (exact matches come before names and numbers that only begin with what was typed), or the only match. It acts on what is in the field when it is pressed, waiting for that search if it is still running.\n" +
		"• Several match (a family sharing a phone, part of a number): the list shows each one's phone and last visit; ↑/↓ to choose one, then Enter. Enter never takes the first of several by itself.\n" +
		"• Nobody matches: the line under the field says so and the keyboard stays in the field. Nobody is added unless you press F6.\n" +
		"• The card shows the points, rewards ready, last visit and what to mention: open complaints and late promises in red, promises due and points about to expire in orange, a birthday this week in green, and the note.\n" +
		"• Type the amount and Enter to record the sale. F4 adds one more reward to redeem, as many as the balance and the amount allow, and after the most goes back to none; \"To pay\" is the amount less the rewards.\n" +
		"• F5 a walk-in sale without a customer (no points) · F6 a new customer · F7 a promise to the customer just served · Esc starts again.")
}

// showHelp says how the Today screen orders the day and how the checkout
// works, and lists the keyboard shortcuts, with a way to the About box.
func (a *App) showHelp() {
	grid := container.New(&tableLayout{cols: 2, stretch: 1})
	for _, s := range shortcuts() {
		k := widget.NewLabelWithStyle(s.keys, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		grid.Add(k)
		grid.Add(widget.NewLabel(s.what))
	}
	today := widget.NewLabel(todayHelp())
	today.Wrapping = fyne.TextWrapWord
	checkout := widget.NewLabel(checkoutHelp())
	checkout.Wrapping = fyne.TextWrapWord
	help := container.NewVBox(
		widget.NewLabelWithStyle(lang.L("The Today screen"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), today,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(lang.L("Checkout"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), checkout,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(lang.L("Keyboard shortcuts"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), grid)
	var d dialog.Dialog
	about := widget.NewButtonWithIcon(lang.L("About Regulars"), theme.InfoIcon(), func() {
		d.Hide()
		a.showAbout()
	})
	body := container.NewBorder(nil, container.NewHBox(about), nil, nil, container.NewVScroll(help))
	d = dialog.NewCustom(lang.L("Help"), lang.L("Close"), body, a.win)
	d.Resize(fyne.NewSize(720, 700))
	d.Show()
}

// version is the version in FyneApp.toml, as `fyne package` builds it in
// (and `go run` finds it beside the sources).
func version() string {
	if app := fyne.CurrentApp(); app != nil {
		if v := app.Metadata().Version; v != "" {
			return v
		}
	}
	return lang.L("development build")
}

// aboutText is what the About box says, for a shop in a file or on a
// PostgreSQL server.
func aboutText(onPostgres bool) string {
	if onPostgres {
		return fmt.Sprintf(lang.L("Regulars %s\n\nRemembers every customer of one shop, tells the counter what to do for them today, "+
			"and runs the loyalty scheme at checkout.\n\nThe shop is kept on a PostgreSQL server that every till shares."), version())
	}
	return fmt.Sprintf(lang.L("Regulars %s\n\nRemembers every customer of one shop, tells the counter what to do for them today, "+
		"and runs the loyalty scheme at checkout.\n\nEverything stays in one file on this computer (schema %d)."),
		version(), data.SchemaVersion())
}

// showAbout says which Regulars this is.
func (a *App) showAbout() {
	text := widget.NewLabel(aboutText(a.store.OnPostgres()))
	text.Wrapping = fyne.TextWrapWord
	path := widget.NewLabel(fmt.Sprintf(lang.L("Database: %s"), a.store.Path()))
	path.Wrapping = fyne.TextWrapBreak
	path.Importance = widget.LowImportance
	d := dialog.NewCustom(lang.L("About Regulars"), lang.L("Close"), container.NewVBox(text, path), a.win)
	d.Resize(fyne.NewSize(480, 300))
	d.Show()
}

// helpButton sits at the foot of the navigation.
func (a *App) helpButton() fyne.CanvasObject {
	b := widget.NewButtonWithIcon(lang.L("Help (F1)"), theme.HelpIcon(), a.showHelp)
	b.Alignment = widget.ButtonAlignLeading
	b.Importance = widget.LowImportance
	return b
}

// newCustomerKey opens a new customer form from anywhere (Ctrl+N), even
// before the Customers page has been built.
func (a *App) newCustomerKey(fyne.Shortcut) {
	a.show("customers")
	if s, ok := a.screens["customers"].(*customersScreen); ok {
		s.page.edit(rules.Customer{CustomerSince: a.Today()})
	}
}
