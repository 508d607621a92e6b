package screens

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"regulars/data"
	"regulars/rules"
)

// Small icons the theme lacks, from the Material icon set (Apache 2.0),
// drawn in the theme's foreground colour.
func svgIcon(name, path string) fyne.Resource {
	return theme.NewThemedResource(fyne.NewStaticResource(name+".svg",
		[]byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#000000" d="`+path+`"/></svg>`)))
}

var (
	phoneIcon = svgIcon("phone", "M6.62 10.79c1.44 2.83 3.76 5.14 6.59 6.59l2.2-2.2c.27-.27.67-.36 1.02-.24 1.12.37 2.33.57 3.57.57.55 0 1 .45 1 1V20c0 .55-.45 1-1 1-9.39 0-17-7.61-17-17 0-.55.45-1 1-1h3.5c.55 0 1 .45 1 1 0 1.25.2 2.45.57 3.57.11.35.03.74-.25 1.02l-2.2 2.2z")
	smsIcon   = svgIcon("sms", "M20 2H4c-1.1 0-1.99.9-1.99 2L2 22l4-4h14c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2zM9 11H7V9h2v2zm4 0h-2V9h2v2zm4 0h-2V9h2v2z")
	emailIcon = svgIcon("email", "M20 4H4c-1.1 0-1.99.9-1.99 2L2 18c0 1.1.9 2 2 2h16c1.1 0 2-.9 2-2V6c0-1.1-.9-2-2-2zm0 4l-8 5-8-5V6l8 5 8-5v2z")
	postIcon  = svgIcon("post", "M20 6H10v6H8V4h6V0H6v6H4c-1.1 0-2 .9-2 2v12c0 1.1.9 2 2 2h16c1.1 0 2-.9 2-2V8c0-1.1-.9-2-2-2z")
	cardIcon  = svgIcon("card", "M20 6h-2.18c.11-.31.18-.65.18-1 0-1.66-1.34-3-3-3-1.05 0-1.96.54-2.5 1.35l-.5.67-.5-.68C10.96 2.54 10.05 2 9 2 7.34 2 6 3.34 6 5c0 .35.07.69.18 1H4c-1.11 0-1.99.89-1.99 2L2 19c0 1.11.89 2 2 2h16c1.11 0 2-.89 2-2V8c0-1.11-.89-2-2-2zm-5-2c.55 0 1 .45 1 1s-.45 1-1 1-1-.45-1-1 .45-1 1-1zM9 4c.55 0 1 .45 1 1s-.45 1-1 1-1-.45-1-1 .45-1 1-1zm11 15H4v-2h16v2zm0-5H4V8h5.08L7 10.83 8.62 12 11 8.76l1-1.36 1 1.36L15.38 12 17 10.83 14.92 8H20v6z")
	cartIcon  = svgIcon("sale", "M7 18c-1.1 0-1.99.9-1.99 2S5.9 22 7 22s2-.9 2-2-.9-2-2-2zM1 2v2h2l3.6 7.59-1.35 2.45c-.16.28-.25.61-.25.96 0 1.1.9 2 2 2h12v-2H7.42c-.14 0-.25-.11-.25-.25l.03-.12.9-1.63h7.45c.75 0 1.41-.41 1.75-1.03l3.58-6.49c.08-.14.12-.31.12-.48 0-.55-.45-1-1-1H5.21l-.94-2H1zm16 16c-1.1 0-1.99.9-1.99 2s.89 2 1.99 2 2-.9 2-2-.9-2-2-2z")
	cakeIcon  = svgIcon("birthday", "M12 6c1.11 0 2-.9 2-2 0-.38-.1-.73-.29-1.03L12 0l-1.71 2.97c-.19.3-.29.65-.29 1.03 0 1.1.9 2 2 2zm4.6 9.99l-1.07-1.07-1.08 1.07c-1.3 1.3-3.58 1.31-4.89 0l-1.07-1.07-1.09 1.07C6.75 16.64 5.88 17 4.96 17c-.73 0-1.4-.23-1.96-.61V21c0 .55.45 1 1 1h16c.55 0 1-.45 1-1v-4.61c-.56.38-1.23.61-1.96.61-.92 0-1.79-.36-2.44-1.01zM18 9h-5V7h-2v2H6c-1.66 0-3 1.34-3 3v1.54c0 1.08.88 1.96 1.96 1.96.52 0 1.02-.2 1.38-.57l2.14-2.13 2.13 2.13c.74.74 2.03.74 2.77 0l2.14-2.13 2.13 2.13c.37.37.86.57 1.38.57 1.08 0 1.96-.88 1.96-1.96V12C21 10.34 19.66 9 18 9z")
	heartIcon = svgIcon("thank-you", "M12 21.35l-1.45-1.32C5.4 15.36 2 12.28 2 8.5 2 5.42 4.42 3 7.5 3c1.74 0 3.41.81 4.5 2.09C13.09 3.81 14.76 3 16.5 3 19.58 3 22 5.42 22 8.5c0 3.78-3.4 6.86-8.55 11.54L12 21.35z")
	glassIcon = svgIcon("expiring", "M6 2v6h.01L6 8.01 10 12l-4 4 .01.01H6V22h12v-5.99h-.01L18 16l-4-4 4-3.99-.01-.01H18V2H6zm10 14.5V20H8v-3.5l4-4 4 4zm-4-5l-4-4V4h8v3.5l-4 4z")
)

// channelIcon is the icon of a way of reaching a customer.
func channelIcon(c rules.Channel) fyne.Resource {
	switch c {
	case rules.ChannelPhone:
		return phoneIcon
	case rules.ChannelEmail:
		return emailIcon
	case rules.ChannelSMS:
		return smsIcon
	case rules.ChannelInPerson:
		return theme.AccountIcon()
	case rules.ChannelPost:
		return postIcon
	case rules.ChannelCard:
		return cardIcon
	}
	return theme.MailSendIcon()
}

// kindIconResource is the icon of a kind of reminder.
func kindIconResource(k rules.Kind) fyne.Resource {
	switch k {
	case rules.KindThankYou:
		return heartIcon
	case rules.KindCheckIn:
		return phoneIcon
	case rules.KindBirthday:
		return cakeIcon
	case rules.KindAnniversary, rules.KindOccasion:
		return theme.CalendarIcon()
	case rules.KindPromise:
		return theme.ConfirmIcon()
	case rules.KindComplaintFollowup:
		return theme.WarningIcon()
	case rules.KindStayInTouch:
		return theme.ViewRefreshIcon()
	case rules.KindRewardReady:
		return cardIcon
	case rules.KindPointsExpiring:
		return glassIcon
	}
	return theme.InfoIcon()
}

// timelineEvent is one line of a customer's timeline as the page shows it.
type timelineEvent struct {
	day  rules.Day
	icon fyne.Resource
	text string
	open bool // an open promise or complaint: listed first
	// The promise or complaint the line is about: picking an open one keeps
	// or resolves it.
	promise   *rules.Promise
	complaint *rules.Complaint
	late      bool // an overdue promise: shown in red
}

// buildTimeline words the customer's timeline (data.Timeline) line by line.
func buildTimeline(d pageData, day rules.Day) []timelineEvent {
	page := data.CustomerPage{Customer: d.c, Purchases: d.purchases, Contacts: d.contacts, Complaints: d.complaints,
		Promises: d.promises, Occasions: d.occasions, Reminders: d.reminders, Ledger: d.ledger}
	entries := data.Timeline(page, day)
	out := make([]timelineEvent, 0, len(entries))
	for _, e := range entries {
		ev := timelineEvent{day: e.Day, open: e.Open, late: e.Late, promise: e.Promise, complaint: e.Complaint}
		switch e.Kind {
		case data.TimelineSale:
			ev.icon, ev.text = saleLine(e)
			ev.text += tillText(e.Till())
		case data.TimelinePoints:
			ev.icon = theme.ContentAddIcon()
			if e.Ledger.Kind == rules.LedgerExpiry {
				ev.icon = glassIcon
			}
			ev.text = fmt.Sprintf("%s %s", ledgerKindName(e.Ledger.Kind), signedNumber(e.Ledger.Points))
			if e.Ledger.Reason != "" {
				ev.text += " — " + e.Ledger.Reason
			}
			ev.text += tillText(e.Till())
		case data.TimelineContact:
			ev.icon, ev.text = channelIcon(e.Contact.Channel), contactText(*e.Contact)
			if e.Handled != nil {
				ev.text = handledText(*e.Handled, d) + " — " + ev.text
			}
		case data.TimelineReminder:
			r := e.Reminder
			ev.icon = kindIconResource(r.Kind)
			ev.text = fmt.Sprintf("%s: %s", kindTitle(r.Kind), stateName(r.State))
			if r.Why != "" {
				ev.text += " — " + r.Why
			}
			if e.Contact != nil {
				ev.icon = channelIcon(e.Contact.Channel)
				ev.text += " — " + contactText(*e.Contact)
			}
		case data.TimelineComplaint:
			c := e.Complaint
			ev.icon = theme.WarningIcon()
			ev.text = fmt.Sprintf(lang.L("Complaint (%s): %s"), severityName(c.Severity), c.What)
			if e.Open {
				ev.text = fmt.Sprintf(lang.L("OPEN %s — pick to resolve"), ev.text)
			} else {
				ev.text += fmt.Sprintf(lang.L(" — resolved %s: %s"), listDate(c.ResolvedOn), c.Resolution)
			}
		case data.TimelinePromise:
			pr := e.Promise
			ev.icon = theme.ConfirmIcon()
			ev.text = fmt.Sprintf(lang.L("Promise due %s (%s): %s"), listDate(pr.Due), pr.Staff, pr.What)
			if !e.Open {
				ev.text += fmt.Sprintf(lang.L(" — kept %s"), listDate(pr.KeptOn))
			} else {
				if e.Late {
					late := day.Sub(pr.Due)
					ev.text = fmt.Sprintf(lang.N("%d days overdue", late), late) + " — " + ev.text
				}
				ev.text += lang.L(" — pick when kept")
			}
		case data.TimelineOccasion:
			o := e.Occasion
			kind := lang.L("one-off")
			if o.Yearly {
				kind = lang.L("every year")
			}
			ev.icon, ev.text = theme.CalendarIcon(), fmt.Sprintf("%s (%s)", o.Label, kind)
		}
		out = append(out, ev)
	}
	return out
}

// saleLine is a sale or refund with the points of its day.
func saleLine(e data.TimelineEntry) (fyne.Resource, string) {
	pu := e.Purchase
	icon := cartIcon
	t := fmt.Sprintf(lang.L("Bought %s"), money(pu.Amount))
	if pu.Amount < 0 {
		icon = theme.ContentUndoIcon()
		t = fmt.Sprintf(lang.L("Refund %s of #%d"), money(-pu.Amount), pu.RefundOf)
	}
	if pu.Description != "" {
		t += " — " + pu.Description
	}
	var pts []string
	if e.Earned > 0 {
		pts = append(pts, fmt.Sprintf(lang.L("earned %s"), pointsText(e.Earned)))
	}
	if e.Earned < 0 {
		pts = append(pts, fmt.Sprintf(lang.L("took back %s"), pointsText(-e.Earned)))
	}
	if e.Redeemed > 0 {
		pts = append(pts, fmt.Sprintf(lang.L("redeemed %s"), pointsText(e.Redeemed)))
	}
	if len(pts) > 0 {
		t += " · " + strings.Join(pts, ", ")
	}
	if pu.Voided {
		t += lang.L(" (voided)")
	}
	return icon, "#" + strconv.FormatInt(pu.ID, 10) + " " + t
}

// tillText names the till a line's fact was made at, when it is known.
func tillText(till string) string {
	if till == "" {
		return ""
	}
	return fmt.Sprintf(lang.L(" · till %s"), till)
}

// contactText is who made a contact, at which till, how it went and the
// note.
func contactText(c rules.Contact) string {
	t := fmt.Sprintf(lang.L("%s by %s"), channelLabel(c.Channel), c.Staff) + tillText(c.Till)
	if c.Outcome != "" {
		t += ": " + c.Outcome
	}
	if c.Note != "" {
		t += " — " + c.Note
	}
	return t
}
