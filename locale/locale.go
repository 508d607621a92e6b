// Package locale is initialised before the GUI toolkit and turns the
// "C.UTF-8" locale, which the toolkit cannot parse and complains about on
// stderr, into plain "C", so that commands print nothing but their output.
// Go initialises packages in import-path order once their imports are ready,
// which runs this before the toolkit's language package; a test of the built
// binary pins that down.
package locale

import (
	"os"
	"strings"
)

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(name); v == "POSIX" || strings.HasPrefix(v, "C.") {
			os.Setenv(name, "C")
		}
	}
}
