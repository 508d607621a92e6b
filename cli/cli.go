// Package cli is Regulars' command line: it parses the commands and flags
// of the product's contract, opens the store and prints results. It holds no
// shop rules of its own; those live in package data.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"regulars/data"
	"regulars/rules"
)

// Screens the app can open on.
var Screens = []string{"today", "customers", "calendar", "checkout", "loyalty", "reports", "settings"}

// WindowOptions is what the bare command hands to the window.
type WindowOptions struct {
	DBPath string
	Date   rules.Day // zero: the real date
	Screen string    // "" : the last one used
}

// Window starts the app's window and returns when it closes.
type Window func(ctx context.Context, opt WindowOptions) error

// Env is what the command line runs against: streams, environment and the window.
type Env struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Window         Window // nil when this binary has no window
}

const usage = `usage:
  regulars [--db FILE] [--date YYYY-MM-DD] [--screen today|customers|calendar|checkout|loyalty|reports|settings]
  regulars demo    --db FILE [--customers N] [--seed S] [--date YYYY-MM-DD]
  regulars today   [--db FILE] [--date YYYY-MM-DD] [--format text|json|csv]
  regulars sale    [--db FILE] --customer PHONE|EMAIL|ID --amount 12.34 [--redeem POINTS] [--staff NAME] [--date YYYY-MM-DD]
  regulars import  customers|purchases FILE.csv [--db FILE] [--dry-run] [--skip-bad] [--earn-points]
  regulars import  vcard FILE.vcf [--db FILE] [--dry-run] [--skip-bad]
  regulars import  customers FILE.csv --map "Their Column=field,…"   # a file from any other program
  regulars export  customers|purchases|ledger|contacts|reminders|complaints [--db FILE] [--out FILE]
  regulars export  ics [--db FILE] [--out FILE]
  regulars backup  [--db FILE] [--to PATH]
  regulars restore PATH [--db FILE]
  regulars check   [--db FILE]
  regulars migrate --to postgres://…|FILE.db [--db FILE|URL]   # copy a whole shop to an empty database, then compare every export

--db FILE may also be a PostgreSQL address (postgres://…) for a shop with several tills.

environment:
  REGULARS_DB                the database when --db is not given (a file or postgres://…)
  REGULARS_BUSY_TIMEOUT_MS   how long a write waits for another program holding the database (default 5000)
`

type command struct {
	flags flagSpec
	run   func(ctx context.Context, e *Env, a args) error
}

var commands = map[string]command{
	"demo":    {flagSpec{"customers": true, "seed": true}, runDemo},
	"today":   {flagSpec{"format": true}, runToday},
	"sale":    {flagSpec{"customer": true, "amount": true, "redeem": true, "staff": true}, runSale},
	"import":  {flagSpec{"dry-run": false, "skip-bad": false, "earn-points": false, "staff": true, "map": true}, runImport},
	"export":  {flagSpec{"out": true}, runExport},
	"backup":  {flagSpec{"to": true}, runBackup},
	"restore": {flagSpec{}, runRestore},
	"check":   {flagSpec{}, runCheck},
	"migrate": {flagSpec{"to": true}, runMigrate},
}

// Run runs one command line and returns the exit status: 0 on success, 1 on
// an error a person can fix, 2 on a mistake in the command line itself.
func Run(ctx context.Context, argv []string, e *Env) (status int) {
	if e.Getenv == nil {
		e.Getenv = os.Getenv
	}
	defer func() {
		// Nothing may reach a person as a stack trace.
		if r := recover(); r != nil {
			fmt.Fprintf(e.Stderr, "regulars: an internal error stopped the command (%v); nothing more was written\n", r)
			if e.Getenv("REGULARS_DEBUG") != "" {
				e.Stderr.Write(debug.Stack())
			}
			status = 1
		}
	}()
	name := ""
	rest := argv
	for i, w := range argv {
		if strings.HasPrefix(w, "-") || isFlagValue(argv, i) {
			continue
		}
		if w == "help" {
			fmt.Fprint(e.Stdout, usage)
			return 0
		}
		if _, ok := commands[w]; ok {
			name = w
			rest = append(append([]string{}, argv[:i]...), argv[i+1:]...)
		}
		break // the first word decides; the window reports an unknown one
	}
	var err error
	if name == "" {
		err = runWindow(ctx, e, rest)
	} else {
		cmd := commands[name]
		var a args
		a, err = parseArgs(rest, cmd.flags)
		if err == nil {
			err = cmd.run(ctx, e, a)
		}
		if path, perr := dbPath(e, a); err != nil && perr == nil && name != "restore" {
			// Damage met by any read of the shop, however it came back, is
			// said in one sentence (a restore names its backup itself).
			err = data.ExplainDamage(path, err)
		}
	}
	if err == nil {
		return 0
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(e.Stderr, "regulars: %s\n%s", sentence(err.Error()), usage)
		return 2
	}
	var bad badRowsError
	if !errors.As(err, &bad) {
		fmt.Fprintf(e.Stderr, "regulars: %s\n", sentence(err.Error()))
	}
	return 1
}

// isFlagValue reports whether argv[i] is the value of the flag before it.
func isFlagValue(argv []string, i int) bool {
	if i == 0 {
		return false
	}
	prev := argv[i-1]
	if !strings.HasPrefix(prev, "-") || strings.Contains(prev, "=") {
		return false
	}
	name := strings.TrimLeft(prev, "-")
	switch name {
	case "dry-run", "skip-bad", "earn-points":
		return false
	}
	return true
}

// lineRef is the start of a sentence about a line of an imported file.
var lineRef = regexp.MustCompile(`^line \d+: `)

// sentence makes an error read as one sentence.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "something went wrong."
	}
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	if first, _, _ := strings.Cut(s, " "); strings.ContainsAny(first, "./\\") {
		return s // a file name keeps its case
	}
	if lineRef.MatchString(s) {
		return s // "line 12: …", as bad rows are reported
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// dbPath resolves the database: --db, else REGULARS_DB, else the user's data folder.
func dbPath(e *Env, a args) (string, error) {
	if p := a.vals["db"]; p != "" {
		return p, nil
	}
	if a.has("db") {
		return "", usageErr("--db needs a file name")
	}
	if p := e.Getenv("REGULARS_DB"); p != "" {
		return p, nil
	}
	return DefaultDBPath(e.Getenv)
}

// DefaultDBPath is $XDG_DATA_HOME/regulars/regulars.db, or the platform's equivalent.
func DefaultDBPath(getenv func(string) string) (string, error) {
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		if x := getenv("XDG_DATA_HOME"); x != "" {
			return filepath.Join(x, "regulars", "regulars.db"), nil
		}
		home := getenv("HOME")
		if home == "" {
			h, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("cannot tell where your home folder is; give --db FILE")
			}
			home = h
		}
		return filepath.Join(home, ".local", "share", "regulars", "regulars.db"), nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot tell where to keep the database; give --db FILE")
	}
	return filepath.Join(dir, "regulars", "regulars.db"), nil
}

func dateFlag(a args) (rules.Day, error) {
	v, ok := a.vals["date"]
	if !ok {
		return 0, nil
	}
	d, err := rules.ParseDay(v)
	if err != nil {
		return 0, usageErr("--date: %v", err)
	}
	return d, nil
}

// openMode says what a command may do to the database file.
type openMode int

const (
	// readOnly commands (today, export, check, backup) write nothing at
	// all, and refuse a missing file.
	readOnly openMode = iota
	// mustExist commands write, but never into a new, empty shop (sale).
	mustExist
	// mayCreate commands make the shop when there is none (demo, import).
	mayCreate
)

// open opens the database for a command. Only the file's first page is
// read on the way (its header, schema version and tables): a damaged page
// deeper in is met, and said in one sentence, only by what reads it, and
// `regulars check` reads them all.
func open(ctx context.Context, e *Env, a args, mode openMode) (*data.Store, error) {
	path, err := dbPath(e, a)
	if err != nil {
		return nil, err
	}
	day, err := dateFlag(a)
	if err != nil {
		return nil, err
	}
	busy, err := busyTimeout(e)
	if err != nil {
		return nil, err
	}
	s, err := data.Open(ctx, path, data.Options{ReadOnly: mode == readOnly, MustExist: mode == mustExist, Today: day, BusyTimeout: busy})
	if errors.Is(err, data.ErrNoDatabase) {
		return nil, fmt.Errorf("there is no database at %s; create one with 'regulars demo --db %s' or by importing customers", path, path)
	}
	return s, err
}

// busyTimeout is how long a write waits for another program holding the
// database: REGULARS_BUSY_TIMEOUT_MS, else 5 seconds.
func busyTimeout(e *Env) (time.Duration, error) {
	v := strings.TrimSpace(e.Getenv("REGULARS_BUSY_TIMEOUT_MS"))
	if v == "" {
		return 5 * time.Second, nil
	}
	ms, err := strconv.Atoi(v)
	if err != nil || ms < 1 || ms > 600000 {
		return 0, fmt.Errorf("REGULARS_BUSY_TIMEOUT_MS must be a whole number of milliseconds from 1 to 600000, not %q", v)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

func noPositional(a args, cmd string) error {
	if len(a.pos) > 0 {
		return usageErr("%s takes no argument %q", cmd, a.pos[0])
	}
	return nil
}

func runWindow(ctx context.Context, e *Env, argv []string) error {
	a, err := parseArgs(argv, flagSpec{"screen": true})
	if err != nil {
		return err
	}
	if len(a.pos) > 0 {
		return usageErr("unknown command %q", a.pos[0])
	}
	opt := WindowOptions{Screen: a.vals["screen"]}
	if opt.Screen != "" {
		ok := false
		for _, s := range Screens {
			ok = ok || s == opt.Screen
		}
		if !ok {
			return usageErr("--screen must be one of %s", strings.Join(Screens, ", "))
		}
	}
	if opt.Date, err = dateFlag(a); err != nil {
		return err
	}
	if opt.DBPath, err = dbPath(e, a); err != nil {
		return err
	}
	if e.Window == nil {
		return fmt.Errorf("this build of regulars has no window; use its commands (regulars help)")
	}
	return e.Window(ctx, opt)
}
