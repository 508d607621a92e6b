// Regulars remembers every customer of one shop, tells the counter what to do
// for them today and runs the loyalty scheme at checkout.
package main

import (
	"context"
	"errors"
	"os"
	"runtime"

	"fyne.io/fyne/v2/app"

	"regulars/cli"
	_ "regulars/locale" // before the toolkit reads the locale
	"regulars/screens"
)

func main() {
	ctx := context.Background()
	env := &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Window: window}
	os.Exit(cli.Run(ctx, os.Args[1:], env))
}

// window opens the app's window on the database the command line chose.
func window(ctx context.Context, opt cli.WindowOptions) error {
	if noDisplay() {
		return errors.New("there is no display to open the window on (DISPLAY is not set); the commands work without one: see regulars help")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	fa := app.NewWithID("app.regulars.counter")
	return screens.Run(ctx, fa, screens.Options{DBPath: opt.DBPath, Date: opt.Date, Screen: opt.Screen})
}

// noDisplay reports a Linux or BSD session without X11 or Wayland.
func noDisplay() bool {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return false
	}
	return os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == ""
}
