package cli

import (
	"fmt"
	"strings"
)

// args is a parsed command line: positional words and flag values. Flags may
// stand before or after the positional words, as --flag value or --flag=value.
type args struct {
	pos   []string
	vals  map[string]string
	bools map[string]bool
}

// flagSpec says which flags a command takes and whether each needs a value.
type flagSpec map[string]bool // name -> takes a value

var globalFlags = flagSpec{"db": true, "date": true}

func parseArgs(in []string, spec flagSpec) (args, error) {
	a := args{vals: map[string]string{}, bools: map[string]bool{}}
	for i := 0; i < len(in); i++ {
		w := in[i]
		if w == "--" {
			a.pos = append(a.pos, in[i+1:]...)
			break
		}
		if !strings.HasPrefix(w, "-") || w == "-" {
			a.pos = append(a.pos, w)
			continue
		}
		name := strings.TrimLeft(w, "-")
		value, hasValue := "", false
		if k, v, ok := strings.Cut(name, "="); ok {
			name, value, hasValue = k, v, true
		}
		takesValue, known := spec[name]
		if !known {
			takesValue, known = globalFlags[name]
		}
		if !known {
			return a, usageErr("unknown flag --%s", name)
		}
		if !takesValue {
			if hasValue {
				switch strings.ToLower(value) {
				case "true", "1", "yes":
					a.bools[name] = true
				case "false", "0", "no":
					a.bools[name] = false
				default:
					return a, usageErr("--%s takes no value", name)
				}
				continue
			}
			a.bools[name] = true
			continue
		}
		if !hasValue {
			if i+1 >= len(in) {
				return a, usageErr("--%s needs a value", name)
			}
			i++
			value = in[i]
		}
		if _, dup := a.vals[name]; dup {
			return a, usageErr("--%s is given twice", name)
		}
		a.vals[name] = value
	}
	return a, nil
}

func (a args) has(name string) bool { _, ok := a.vals[name]; return ok }

// usageError is a mistake in how the command was called (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usageErr(format string, v ...any) error { return usageError{fmt.Sprintf(format, v...)} }
