package screens

import (
	"fyne.io/fyne/v2/lang"

	"regulars/rules"
)

// Names of the store's values for people, in the translation in use. The
// store and its files keep the values themselves ("medium", "refund_reversal").

func severityName(s rules.Severity) string {
	switch s {
	case rules.SeverityLow:
		return lang.X("severity.low", "low")
	case rules.SeverityMedium:
		return lang.X("severity.medium", "medium")
	case rules.SeverityHigh:
		return lang.X("severity.high", "high")
	}
	return string(s)
}

// severityFrom reads a severity back from its name; medium when unknown.
func severityFrom(name string) rules.Severity {
	for _, s := range []rules.Severity{rules.SeverityLow, rules.SeverityMedium, rules.SeverityHigh} {
		if severityName(s) == name || string(s) == name {
			return s
		}
	}
	return rules.SeverityMedium
}

func stateName(s rules.State) string {
	switch s {
	case rules.StateOpen:
		return lang.X("state.open", "open")
	case rules.StateDone:
		return lang.X("state.done", "done")
	case rules.StateSnoozed:
		return lang.X("state.snoozed", "snoozed")
	case rules.StateSkipped:
		return lang.X("state.skipped", "skipped")
	case rules.StateMissed:
		return lang.X("state.missed", "missed")
	}
	return string(s)
}

func ledgerKindName(k rules.LedgerKind) string {
	switch k {
	case rules.LedgerEarn:
		return lang.X("ledger.earn", "earn")
	case rules.LedgerRedeem:
		return lang.X("ledger.redeem", "redeem")
	case rules.LedgerRefundReversal:
		return lang.X("ledger.refund_reversal", "refund reversal")
	case rules.LedgerVoidReversal:
		return lang.X("ledger.void_reversal", "void reversal")
	case rules.LedgerAdjustment:
		return lang.X("ledger.adjustment", "adjustment")
	case rules.LedgerExpiry:
		return lang.X("ledger.expiry", "expiry")
	}
	return string(k)
}
