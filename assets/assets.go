// Package assets holds the files built into the app: its icon.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the app's icon.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
