package screens

import (
	"fyne.io/fyne/v2/lang"

	"regulars/data"
)

// Names of the store's values for people, in the translation in use. The
// store and its files keep the values themselves ("medium", "refund_reversal").

func severityName(s data.Severity) string {
	switch s {
	case data.SeverityLow:
		return lang.X("severity.low", "low")
	case data.SeverityMedium:
		return lang.X("severity.medium", "medium")
	case data.SeverityHigh:
		return lang.X("severity.high", "high")
	}
	return string(s)
}

// severityFrom reads a severity back from its name; medium when unknown.
func severityFrom(name string) data.Severity {
	for _, s := range []data.Severity{data.SeverityLow, data.SeverityMedium, data.SeverityHigh} {
		if severityName(s) == name || string(s) == name {
			return s
		}
	}
	return data.SeverityMedium
}

func stateName(s data.State) string {
	switch s {
	case data.StateOpen:
		return lang.X("state.open", "open")
	case data.StateDone:
		return lang.X("state.done", "done")
	case data.StateSnoozed:
		return lang.X("state.snoozed", "snoozed")
	case data.StateSkipped:
		return lang.X("state.skipped", "skipped")
	case data.StateMissed:
		return lang.X("state.missed", "missed")
	}
	return string(s)
}

func ledgerKindName(k data.LedgerKind) string {
	switch k {
	case data.LedgerEarn:
		return lang.X("ledger.earn", "earn")
	case data.LedgerRedeem:
		return lang.X("ledger.redeem", "redeem")
	case data.LedgerRefundReversal:
		return lang.X("ledger.refund_reversal", "refund reversal")
	case data.LedgerVoidReversal:
		return lang.X("ledger.void_reversal", "void reversal")
	case data.LedgerAdjustment:
		return lang.X("ledger.adjustment", "adjustment")
	case data.LedgerExpiry:
		return lang.X("ledger.expiry", "expiry")
	}
	return string(k)
}
