package data

// pageWords are what a calendar day's reminders are worded with.
// messageTemplates.render fills plain templates without text/template
// (customer_page.go): every kept row of the calendar's days is worded, and
// text/template, which finds each field by reflection, would be the bulk
// of that.
type pageWords struct {
	tpl messageTemplates
}

func newPageWords(texts map[Kind]string) pageWords {
	return pageWords{tpl: templatesFrom(texts)}
}

// word fills Why and Message of r from its words w, as set.word does; desc
// is what was bought, when it is named.
func (dw *pageWords) word(set shopSettings, r *Reminder, w *words, desc string) {
	set.word(dw.tpl, r, w, desc)
}
