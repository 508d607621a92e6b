package rules

// State is what has been done with a reminder.
type State string

// Reminder states. Missed is never stored: it is computed from the date.
const (
	StateOpen    State = "open"
	StateDone    State = "done"
	StateSnoozed State = "snoozed"
	StateSkipped State = "skipped"
	StateMissed  State = "missed"
)

// Reminder is something to do for a customer on a day. Its Key
// (kind:customer:subject:due) is stable, so recomputing never duplicates it.
type Reminder struct {
	Key          string
	Kind         Kind
	CustomerID   ID
	CustomerName string
	Phone        string
	Email        string
	Subject      string // what it is about: "purchase:12", "promise:3", "birthday", ...
	Due          Day
	ShownFrom    Day
	Until        Day // last day it stays on Today; zero when it stays until done
	State        State
	SnoozedUntil Day
	DoneOn       Day // the day it was done or skipped
	Staff        string
	Reason       string // why it was skipped
	OverdueDays  int    // max(0, today - due)
	Why          string // for people: "bought a 120.00 coat 7 days ago"
	Message      string // the rendered template
	// OpenComplaint is set on follow-ups of complaints still open: they sort first.
	OpenComplaint bool
}
