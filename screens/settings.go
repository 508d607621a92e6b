package screens

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"regulars/data"
)

// settingsScreen is the owner's: shop, staff, loyalty scheme and reminder
// rules. It opens only after the owner PIN (set on the first visit).
type settingsScreen struct {
	a        *App
	unlocked bool
	lock     *fyne.Container
	body     *fyne.Container
	shopName *widget.Entry
	staff    *widget.List
	names    []string
	loyalty  map[string]*widget.Entry
	rules    map[data.Kind]*ruleRow
	obj      fyne.CanvasObject
}

type ruleRow struct {
	on     *widget.Check
	fields map[string]*widget.Entry
}

func newSettings(a *App) screen {
	s := &settingsScreen{a: a, loyalty: map[string]*widget.Entry{}, rules: map[data.Kind]*ruleRow{}}
	unlock := widget.NewButton("Unlock settings", s.unlockDialog)
	unlock.Importance = widget.HighImportance
	s.lock = container.NewCenter(container.NewVBox(
		widget.NewLabel("Settings belong to the owner: the PIN is asked for first."), unlock))

	s.shopName = widget.NewEntry()
	s.shopName.Validator = data.CheckName
	saveShop := widget.NewButton("Save", func() {
		name := strings.TrimSpace(s.shopName.Text)
		if err := data.CheckName(name); err != nil {
			a.showError(err)
			return
		}
		s.save("Shop name saved", func(ctx context.Context) error { return a.store.SetSetting(ctx, "shop_name", name) })
	})
	shop := widget.NewCard("Shop", "The name messages are signed with", container.NewBorder(nil, nil, nil, saveShop, s.shopName))

	s.staff = widget.NewList(func() int { return len(s.names) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.names) {
				o.(*widget.Label).SetText(s.names[i])
			}
		})
	selected := -1
	s.staff.OnSelected = func(i widget.ListItemID) { selected = i }
	newName := widget.NewEntry()
	newName.SetPlaceHolder("Name of a new staff member")
	add := widget.NewButton("Add", func() {
		n := strings.TrimSpace(newName.Text)
		s.save("Added "+n, func(ctx context.Context) error { return a.store.AddStaff(ctx, n) })
		newName.SetText("")
	})
	remove := widget.NewButton("Remove selected", func() {
		if selected < 0 || selected >= len(s.names) {
			return
		}
		n := s.names[selected]
		s.save("Removed "+n, func(ctx context.Context) error { return a.store.RemoveStaff(ctx, n) })
	})
	staffBox := container.NewBorder(nil, container.NewBorder(nil, nil, nil, container.NewHBox(add, remove), newName), nil, nil,
		container.NewGridWrap(fyne.NewSize(380, 150), s.staff))
	staff := widget.NewCard("Staff", "Names picked at the start of a shift", staffBox)

	loyaltyForm := widget.NewForm()
	for _, f := range []struct{ key, label string }{
		{"per", "Amount per point"}, {"points", "Points per reward"}, {"value", "Reward value"}, {"expiry", "Points expire after (months, 0 = never)"},
	} {
		e := widget.NewEntry()
		s.loyalty[f.key] = e
		loyaltyForm.Append(f.label, e)
	}
	saveLoyalty := widget.NewButton("Save scheme", s.saveLoyalty)
	loyalty := widget.NewCard("Loyalty scheme", "", container.NewVBox(loyaltyForm, saveLoyalty))

	rulesBox := container.NewVBox()
	for _, k := range data.Kinds {
		row := &ruleRow{on: widget.NewCheck(kindIcon(k)+" "+kindTitle(k), nil), fields: map[string]*widget.Entry{}}
		line := container.NewHBox(row.on)
		for _, f := range ruleFields(k) {
			e := widget.NewEntry()
			row.fields[f.key] = e
			line.Add(widget.NewLabel(f.label))
			line.Add(container.NewGridWrap(fyne.NewSize(70, 36), e))
		}
		s.rules[k] = row
		rulesBox.Add(line)
	}
	saveRules := widget.NewButton("Save rules", s.saveRules)
	rules := widget.NewCard("Reminder rules", "Switch kinds off or change their numbers (days, amounts)", container.NewVBox(rulesBox, saveRules))

	pin := widget.NewButton("Change owner PIN…", s.changePIN)
	path := widget.NewLabel("Database: " + a.store.Path())
	path.Wrapping = fyne.TextWrapBreak
	dataCard := widget.NewCard("Data", "", container.NewVBox(path, pin))

	s.body = container.NewVBox(shop, staff, loyalty, rules, dataCard)
	s.body.Add(a.appearanceCard())
	s.obj = container.NewStack(s.lock, container.NewVScroll(s.body))
	s.body.Hide()
	return s
}

type ruleField struct{ key, label string }

func ruleFields(k data.Kind) []ruleField {
	switch k {
	case data.KindThankYou:
		return []ruleField{{"after", "days after sale"}, {"stay", "stays days"}, {"gap", "at most one per days"}}
	case data.KindCheckIn:
		return []ruleField{{"after", "days after sale"}, {"stay", "stays days"}, {"min", "from amount"}}
	case data.KindBirthday, data.KindAnniversary, data.KindOccasion:
		return []ruleField{{"before", "shown days before"}, {"stay", "stays days"}}
	case data.KindPromise:
		return []ruleField{{"before", "shown days before"}, {"resolved", "check-in days after kept"}}
	case data.KindComplaintFollowup:
		return []ruleField{{"after", "days after received"}, {"resolved", "days after resolved"}}
	case data.KindStayInTouch:
		return []ruleField{{"after", "days without a visit"}}
	case data.KindPointsExpiring:
		return []ruleField{{"after", "days before expiry"}}
	}
	return nil
}

func (s *settingsScreen) content() fyne.CanvasObject { return s.obj }

func (s *settingsScreen) focus() {
	if !s.unlocked {
		s.unlockDialog()
	}
}

func (s *settingsScreen) unlockDialog() {
	set, err := s.a.store.HasOwnerPIN(s.a.ctx)
	if err != nil {
		s.a.showError(err)
		return
	}
	pin := widget.NewPasswordEntry()
	if !set {
		again := widget.NewPasswordEntry()
		dialog.ShowForm("Set the owner PIN", "Set PIN", "Cancel", []*widget.FormItem{
			widget.NewFormItem("New PIN (4–12 digits)", pin), widget.NewFormItem("Again", again),
		}, func(ok bool) {
			if !ok {
				return
			}
			if pin.Text != again.Text {
				s.a.showError(errors.New("the two PINs differ; nothing was set"))
				return
			}
			if err := s.a.store.SetOwnerPIN(s.a.ctx, pin.Text); err != nil {
				s.a.showError(err)
				return
			}
			s.open()
		}, s.a.win)
		s.a.win.Canvas().Focus(pin)
		return
	}
	s.a.requireOwner("open Settings", s.open)
}

func (s *settingsScreen) open() {
	s.unlocked = true
	s.lock.Hide()
	s.body.Show()
	s.reload()
}

func (s *settingsScreen) reload() {
	if !s.unlocked {
		return
	}
	type settingsData struct {
		shop  string
		staff []string
		loy   data.Loyalty
		rules data.Rules
	}
	background(s.a, func(ctx context.Context) (settingsData, error) {
		var d settingsData
		var err error
		if d.shop, err = s.a.store.ShopName(ctx); err != nil {
			return d, err
		}
		if d.staff, err = s.a.store.StaffNames(ctx); err != nil {
			return d, err
		}
		if d.loy, err = s.a.store.Loyalty(ctx); err != nil {
			return d, err
		}
		d.rules, err = s.a.store.Rules(ctx)
		return d, err
	}, func(d settingsData, err error) {
		if err != nil {
			s.a.showError(err)
		}
		s.shopName.SetText(d.shop)
		s.names = d.staff
		s.staff.Refresh()
		s.loyalty["per"].SetText(d.loy.CentsPerPoint.String())
		s.loyalty["points"].SetText(fmt.Sprint(d.loy.RewardPoints))
		s.loyalty["value"].SetText(d.loy.RewardValue.String())
		s.loyalty["expiry"].SetText(fmt.Sprint(d.loy.ExpiryMonths))
		for k, row := range s.rules {
			r := d.rules[k]
			row.on.SetChecked(r.On)
			for key, e := range row.fields {
				switch key {
				case "after":
					e.SetText(fmt.Sprint(r.AfterDays))
				case "before":
					e.SetText(fmt.Sprint(r.BeforeDays))
				case "stay":
					e.SetText(fmt.Sprint(r.StayDays))
				case "gap":
					e.SetText(fmt.Sprint(r.GapDays))
				case "resolved":
					e.SetText(fmt.Sprint(r.ResolvedDays))
				case "min":
					e.SetText(r.MinCents.String())
				}
			}
		}
	})
}

func (s *settingsScreen) saveLoyalty() {
	var l data.Loyalty
	var err error
	if l.CentsPerPoint, err = data.ParseCents(s.loyalty["per"].Text); err != nil {
		s.a.showError(fmt.Errorf("amount per point: %w", err))
		return
	}
	if l.RewardPoints, err = strconv.ParseInt(strings.TrimSpace(s.loyalty["points"].Text), 10, 64); err != nil {
		s.a.showError(errors.New("points per reward must be a whole number"))
		return
	}
	if l.RewardValue, err = data.ParseCents(s.loyalty["value"].Text); err != nil {
		s.a.showError(fmt.Errorf("reward value: %w", err))
		return
	}
	if l.ExpiryMonths, err = strconv.Atoi(strings.TrimSpace(s.loyalty["expiry"].Text)); err != nil {
		s.a.showError(errors.New("expiry must be a whole number of months"))
		return
	}
	s.save("Loyalty scheme saved", func(ctx context.Context) error { return s.a.store.SetLoyalty(ctx, l) })
}

func (s *settingsScreen) saveRules() {
	rules := data.DefaultRules()
	for k, row := range s.rules {
		r := rules[k]
		r.On = row.on.Checked
		for key, e := range row.fields {
			if key == "min" {
				v, err := data.ParseCents(e.Text)
				if err != nil {
					s.a.showError(fmt.Errorf("%s: %w", kindTitle(k), err))
					return
				}
				r.MinCents = v
				continue
			}
			n, err := strconv.Atoi(strings.TrimSpace(e.Text))
			if err != nil {
				s.a.showError(fmt.Errorf("%s: %q is not a whole number of days", kindTitle(k), e.Text))
				return
			}
			switch key {
			case "after":
				r.AfterDays = n
			case "before":
				r.BeforeDays = n
			case "stay":
				r.StayDays = n
			case "gap":
				r.GapDays = n
			case "resolved":
				r.ResolvedDays = n
			}
		}
		rules[k] = r
	}
	s.save("Reminder rules saved", func(ctx context.Context) error { return s.a.store.SetRules(ctx, rules) })
}

func (s *settingsScreen) changePIN() {
	pin := widget.NewPasswordEntry()
	again := widget.NewPasswordEntry()
	dialog.ShowForm("Change the owner PIN", "Change", "Cancel", []*widget.FormItem{
		widget.NewFormItem("New PIN", pin), widget.NewFormItem("Again", again),
	}, func(ok bool) {
		if !ok {
			return
		}
		if pin.Text != again.Text {
			s.a.showError(errors.New("the two PINs differ; the PIN was not changed"))
			return
		}
		s.save("Owner PIN changed", func(ctx context.Context) error { return s.a.store.SetOwnerPIN(ctx, pin.Text) })
	}, s.a.win)
}

func (s *settingsScreen) save(what string, fn func(context.Context) error) {
	background(s.a, func(ctx context.Context) (struct{}, error) { return struct{}{}, fn(ctx) },
		func(_ struct{}, err error) {
			if err != nil {
				s.a.showError(err)
				return
			}
			s.a.say("%s", what)
			s.a.changed()
		})
}
