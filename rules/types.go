package rules

import (
	"strings"
	"time"
)

// ID identifies a row; ids are positive integers.
type ID = int64

// Channel is a way of reaching a customer.
type Channel string

// Channels a customer can be reached on. In person needs no consent.
const (
	ChannelPhone    Channel = "phone"
	ChannelEmail    Channel = "email"
	ChannelSMS      Channel = "sms"
	ChannelPost     Channel = "post"
	ChannelInPerson Channel = "in_person"
	ChannelCard     Channel = "card"
)

// ValidContact says whether c is a way a contact can be made.
func (c Channel) ValidContact() bool {
	switch c {
	case ChannelPhone, ChannelEmail, ChannelSMS, ChannelPost, ChannelInPerson, ChannelCard:
		return true
	}
	return false
}

// ConsentChannels are the channels for which consent is recorded.
var ConsentChannels = []Channel{ChannelEmail, ChannelSMS, ChannelPhone, ChannelPost}

// Consent records that a customer agreed to be contacted on one channel.
type Consent struct {
	Channel Channel
	GivenOn Day
	Source  string // how it was given: "in person", "signed form", "web form", ...
}

// Customer is a person the shop knows.
type Customer struct {
	ID               ID
	Name             string
	Phone            string
	Email            string
	Birthday         YearlyDate
	Address          string
	Notes            string
	Tags             []string
	PreferredChannel Channel
	Consents         []Consent
	DoNotContact     bool
	CustomerSince    Day // zero when unknown
	AddedOn          Day // the day the record was created
	Forgotten        bool
}

// HasConsent reports whether the customer may be contacted on ch. Do not
// contact overrides all consent; calls, cards and words in person need none.
func (c Customer) HasConsent(ch Channel) bool {
	if c.DoNotContact {
		return false
	}
	switch ch {
	case ChannelEmail, ChannelSMS:
		for _, k := range c.Consents {
			if k.Channel == ch {
				return true
			}
		}
		return false
	}
	return true
}

// Purchase is a sale line, or a refund (negative amount, RefundOf set).
type Purchase struct {
	ID          ID
	CustomerID  ID // 0 for a walk-in sale
	At          time.Time
	Day         Day
	Amount      Cents // the ticket total; negative for a refund
	Discount    Cents // the reward taken off the ticket; paid = Amount - Discount
	Description string
	Staff       string
	Till        string // the till it was made at; "" before tills had names
	Reference   string // the till's receipt number, or ""
	RefundOf    ID
	Voided      bool
	Imported    bool
}

// Paid is what the customer paid after any reward.
func (p Purchase) Paid() Cents { return p.Amount - p.Discount }

// OccasionKind tells where an occasion comes from.
type Occasion struct {
	ID         ID
	CustomerID ID
	Label      string // "Wedding anniversary", "Moved house"
	Date       YearlyDate
	Yearly     bool // one-off occasions need Date.Year
	LeadDays   int
}

// Promise is something owed to a customer after the sale.
type Promise struct {
	ID         ID
	CustomerID ID
	What       string
	Due        Day
	Staff      string // accountable
	MadeOn     Day
	KeptOn     Day // zero while not kept
}

// Severity of a complaint.
type Severity string

// Severities, mildest first.
const (
	SeverityLow    Severity = "low"
	SeverityMedium Severity = "medium"
	SeverityHigh   Severity = "high"
)

// Complaint is something that went wrong for a customer.
type Complaint struct {
	ID         ID
	CustomerID ID
	What       string
	ReceivedAt time.Time
	Received   Day
	Severity   Severity
	Staff      string
	ResolvedOn Day // zero while open
	Resolution string
}

// Open reports whether the complaint is unresolved on day d.
func (c Complaint) OpenOn(d Day) bool { return c.ResolvedOn.IsZero() || c.ResolvedOn > d }

// Contact is one touch with a customer.
type Contact struct {
	ID          ID
	CustomerID  ID
	At          time.Time
	Day         Day
	Channel     Channel
	Staff       string
	Till        string // the till it was made at; "" before tills had names
	Outcome     string
	Note        string
	ReminderKey string // the reminder this contact completed, if any
}

// LedgerKind is the kind of a loyalty ledger row.
type LedgerKind string

// Ledger row kinds.
const (
	LedgerEarn           LedgerKind = "earn"
	LedgerRedeem         LedgerKind = "redeem"
	LedgerRefundReversal LedgerKind = "refund_reversal"
	LedgerVoidReversal   LedgerKind = "void_reversal"
	LedgerAdjustment     LedgerKind = "adjustment"
	LedgerExpiry         LedgerKind = "expiry"
)

// LedgerRow is one append-only loyalty entry. Points are signed.
type LedgerRow struct {
	ID         ID
	CustomerID ID
	At         time.Time
	Day        Day
	Kind       LedgerKind
	Points     int64
	PurchaseID ID // the purchase an earn, redeem or reversal belongs to
	Staff      string
	Till       string // the till it was made at; "" before tills had names
	Reason     string
	Shortfall  int64 // points a reversal could not take back because they were spent
}

// Staff is a person working at the shop.
type Staff struct {
	ID     ID
	Name   string
	Active bool
}

// SplitTags is the tags of a customer as stored and exported: separated by
// semicolons, blanks dropped.
func SplitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ";") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// OwnerName is the staff name the command line records: it acts as the owner.
const OwnerName = "Owner"
