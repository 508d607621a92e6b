package screens

import (
	"embed"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// The screens' words live in translations/, one JSON file per language
// (en.json is the English); another language is one more file there. The
// command line and the files it reads and writes stay in English.
//
//go:embed translations/*.json
var translations embed.FS

// loadTranslations registers the screens' translations with Fyne once,
// before the first window is built.
var loadTranslations = sync.OnceFunc(func() {
	if err := lang.AddTranslationsFS(translations, "translations"); err != nil {
		fyne.LogError("loading the translations", err)
	}
})
