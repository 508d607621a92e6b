package importers

import (
	"errors"
	"fmt"
	"io"
	"strconv"
)

// What one imported record may hold. Files are read as a stream, a record
// at a time; these keep one record from taking the memory a whole file of
// them would (a 300 MB vCard photo, /dev/zero as "customers.csv").
const (
	MaxField  = 64 << 10 // a CSV field, or one property of a vCard
	MaxRecord = 1 << 20  // a CSV row, or one vCard
)

// How many records one import takes. An import is all or nothing, so
// every record is checked before any is written and all are held in
// memory meanwhile (about 1 KB each): these keep that to about 250 MB. A
// larger file goes in parts; a purchases file can be imported again
// safely (references already present are skipped).
const (
	MaxCustomerRows = 100_000
	maxPurchaseRows = 250_000
)

// tooManyRows is the sentence for a file over maxRows records.
func tooManyRows(line, maxRows int, noun string) *LineError {
	return &LineError{line, fmt.Sprintf("the file has more than %s %s, the most one import takes; split it and import the parts one after another",
		thousands(maxRows), noun)}
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// ErrNotText means an imported file is not text at all.
var ErrNotText = errors.New("the file is not text (it holds NUL bytes); import a CSV or vCard file saved as text")

// errUTF16 is a file in UTF-16, whose every other byte is a NUL.
var errUTF16 = errors.New("the file is UTF-16 text; save it as CSV in UTF-8")

// LineError is a file that cannot be read on from a line on: a field or a
// record over the limits, or a line end no reader of it agrees on. Unlike
// a bad row (RowError), it stops the whole import.
type LineError struct {
	Line   int
	Reason string
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// stopsReading returns the error a guard gave, when err is one; the
// readers pass it on as it is instead of wrapping it.
func stopsReading(err error) error {
	var le *LineError
	if errors.As(err, &le) {
		return le
	}
	for _, e := range []error{ErrNotText, errUTF16} {
		if errors.Is(err, e) {
			return e
		}
	}
	return nil
}

// readError is how the importers report a failed read.
func readError(err error) error {
	if stop := stopsReading(err); stop != nil {
		return stop
	}
	return fmt.Errorf("cannot read the file: %w", err)
}

// csvGuard reads a CSV file for an importer and stops it, with a
// LineError, at the first field over MaxField or record over MaxRecord,
// at a line that ends in a carriage return alone (an old Mac file, which
// would read as one endless row), and, with ErrNotText, at a NUL byte. It
// follows quoting as encoding/csv does, so a record's line is the line
// encoding/csv gives it.
type csvGuard struct {
	r       io.Reader
	line    int // the line being read, from 1
	start   int // the line the current record started on
	quoted  bool
	quote   bool // a quote just seen inside a quoted field: closing, or the first of ""
	atStart bool // at the start of a field
	cr      bool // a carriage return just seen outside quotes
	field   int
	record  int
	err     error
	head    []byte // the first two bytes, for a UTF-16 mark
	rows    int    // records ended so far, the header included
	maxRows int
}

func newCSVGuard(r io.Reader, maxRows int) *csvGuard {
	if g, ok := r.(*csvGuard); ok {
		return g
	}
	return &csvGuard{r: r, line: 1, start: 1, atStart: true, maxRows: maxRows}
}

func (g *csvGuard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	for i := 0; i < n; i++ {
		if stop := g.take(p[i]); stop != nil {
			g.err = stop
			return i, stop
		}
	}
	if errors.Is(err, io.EOF) && g.cr {
		g.cr = false // a last line ending in CR alone is a line end like any
	}
	return n, err
}

// take follows one byte; it returns why reading must stop, if it must.
func (g *csvGuard) take(b byte) error {
	if len(g.head) < 2 {
		g.head = append(g.head, b)
		if h := string(g.head); h == "\xff\xfe" || h == "\xfe\xff" {
			return errUTF16
		}
	}
	if b == 0 {
		return ErrNotText
	}
	if g.cr && b != '\n' {
		return &LineError{g.line, "the line ends in a carriage return alone (an old Mac file); save it as CSV with ordinary line ends (Windows or Unix)"}
	}
	g.cr = false
	g.record++
	if g.quoted {
		switch {
		case g.quote && b == '"': // "" inside quotes
			g.quote = false
			g.field++
		case g.quote: // the closing quote; b is read as outside quotes
			g.quoted, g.quote = false, false
			return g.outside(b)
		case b == '"':
			g.quote = true
		default:
			if b == '\n' {
				g.line++
			}
			g.field++
		}
		return g.limits()
	}
	return g.outside(b)
}

func (g *csvGuard) outside(b byte) error {
	switch b {
	case '"':
		if g.atStart {
			g.quoted = true
		} else {
			g.field++ // a bare quote: encoding/csv reports the row
		}
		g.atStart = false
	case ',':
		g.field, g.atStart = 0, true
	case '\r':
		g.cr = true
	case '\n':
		g.line++
		g.start = g.line
		g.field, g.record, g.atStart = 0, 0, true
		if g.rows++; g.rows > g.maxRows+1 {
			return tooManyRows(g.line-1, g.maxRows, "rows")
		}
	default:
		g.field++
		g.atStart = false
	}
	return g.limits()
}

func (g *csvGuard) limits() error {
	switch {
	case g.field > MaxField:
		return &LineError{g.start, fmt.Sprintf("a field is longer than %d KB, the most one field may hold", MaxField>>10)}
	case g.record > MaxRecord:
		return &LineError{g.start, fmt.Sprintf("the row is longer than %d MB, the most one row may hold", MaxRecord>>20)}
	}
	return nil
}
