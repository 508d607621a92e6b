// Regulars remembers every customer of one shop, tells the counter what to do
// for them today and runs the loyalty scheme at checkout.
package main

import (
	"context"
	"os"

	"fyne.io/fyne/v2"
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
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	newApp := func() fyne.App { return app.NewWithID("app.regulars.counter") }
	return screens.Run(ctx, newApp, screens.Options{DBPath: opt.DBPath, Date: opt.Date, Screen: opt.Screen})
}
