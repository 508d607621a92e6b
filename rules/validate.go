package rules

import (
	"fmt"
	"strings"
)

// Validate checks a customer's fields and says what is wrong in one sentence.
func (c Customer) Validate() error {
	if err := CheckName(c.Name); err != nil {
		return err
	}
	if err := CheckPhone(c.Phone); err != nil {
		return err
	}
	if err := CheckEmail(c.Email); err != nil {
		return err
	}
	if !c.Birthday.IsZero() {
		y := c.Birthday.Year
		if y == 0 {
			y = 2000
		}
		if !ValidDate(y, c.Birthday.Month, c.Birthday.Day) {
			return fmt.Errorf("the birthday %s is not a real date", c.Birthday)
		}
	}
	switch c.PreferredChannel {
	case "", ChannelPhone, ChannelEmail, ChannelSMS, ChannelInPerson, ChannelPost:
	default:
		return fmt.Errorf("preferred channel %q is not phone, email, sms or in_person", c.PreferredChannel)
	}
	return nil
}

const maxLeadDays = 60

// Validate says what is wrong with an occasion.
func (o Occasion) Validate() error {
	if strings.TrimSpace(o.Label) == "" {
		return fmt.Errorf("the occasion needs a label, such as \"Wedding anniversary\"")
	}
	if o.Date.IsZero() {
		return fmt.Errorf("the occasion %q needs a date", o.Label)
	}
	y := o.Date.Year
	if y == 0 {
		if !o.Yearly {
			return fmt.Errorf("the one-off occasion %q needs a year", o.Label)
		}
		y = 2000 // a leap year, so 29 Feb is allowed without a year
	}
	if !ValidDate(y, o.Date.Month, o.Date.Day) {
		return fmt.Errorf("the date %s of occasion %q is not a real date", o.Date, o.Label)
	}
	if o.LeadDays < 0 || o.LeadDays > maxLeadDays {
		return fmt.Errorf("the lead days of occasion %q must be between 0 and %d", o.Label, maxLeadDays)
	}
	return nil
}

// Reachable reports whether a group message on ch may go to c: consent
// for the channel, and an address or number to send it to.
func (c Customer) Reachable(ch Channel) bool {
	switch ch {
	case ChannelEmail:
		return c.Email != "" && c.HasConsent(ch)
	case ChannelSMS, ChannelPhone:
		return PhoneDigits(c.Phone) != "" && c.HasConsent(ch)
	case ChannelPost:
		return strings.TrimSpace(c.Address) != "" && c.HasConsent(ch)
	}
	return false
}
