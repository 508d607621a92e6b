package screens

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"

	"regulars/rules"
)

// How the window writes dates and amounts follows the shop's "date and number
// format" (rules.ShopDetails.Locale); the words around them follow the
// translation in use (translations/). Files and the command line keep
// YYYY-MM-DD and 1234.50 whatever is chosen.

// shopLocale is one way of writing dates and amounts: data.LocaleStyles'
// entry for its tag.
type shopLocale struct {
	tag string
	rules.LocaleStyle
}

// shopLocales has one entry for each of data.Locales.
var shopLocales = func() map[string]shopLocale {
	out := map[string]shopLocale{}
	for tag, st := range rules.LocaleStyles {
		out[tag] = shopLocale{tag, st}
	}
	return out
}()

// fallbackLocale is used when the computer's language says nothing we know.
const fallbackLocale = "en-GB"

// localeFor gives the settings for a stored tag; "" or an unknown tag
// follows the computer.
func localeFor(tag string) shopLocale {
	if l, ok := shopLocales[tag]; ok {
		return l
	}
	return shopLocales[systemLocale()]
}

// systemLocale picks the entry of data.Locales nearest to the computer's
// language setting (LC_ALL, LC_TIME or LANG, as "de_AT.UTF-8").
func systemLocale() string {
	var v string
	for _, env := range []string{"LC_ALL", "LC_TIME", "LANG"} {
		if v = os.Getenv(env); v != "" {
			break
		}
	}
	if v == "" {
		v = string(lang.SystemLocale())
	}
	return nearestLocale(v)
}

// nearestLocale maps a POSIX or BCP 47 locale name to one of data.Locales:
// the same language and region, else the same language, else British English.
func nearestLocale(name string) string {
	name, _, _ = strings.Cut(name, ".")
	name, _, _ = strings.Cut(name, "@")
	name = strings.ReplaceAll(name, "_", "-")
	language, region, _ := strings.Cut(name, "-")
	language = strings.ToLower(language)
	region = strings.ToUpper(region)
	if _, ok := shopLocales[language+"-"+region]; ok {
		return language + "-" + region
	}
	for _, tag := range rules.Locales {
		if strings.HasPrefix(tag, language+"-") && language != "en" {
			return tag
		}
	}
	return fallbackLocale
}

// shownFormat is the sign put before amounts and the way dates and numbers
// are written. It is the shop's setting, read when the window opens and
// whenever Settings saves it.
var shownFormat formatState

type formatState struct {
	sync.RWMutex
	sign   string
	locale shopLocale
}

func setCurrency(sign string) {
	shownFormat.Lock()
	shownFormat.sign = sign
	shownFormat.Unlock()
}

// setLocale makes the window write dates and amounts the way tag says; ""
// follows the computer.
func setLocale(tag string) {
	l := localeFor(tag)
	shownFormat.Lock()
	shownFormat.locale = l
	shownFormat.Unlock()
}

func currentLocale() shopLocale {
	shownFormat.RLock()
	defer shownFormat.RUnlock()
	if shownFormat.locale.tag == "" {
		return localeFor("")
	}
	return shownFormat.locale
}

// money shows an amount with the shop's currency sign and the locale's
// separators: "£1,234.50", "-£3.00", "€1.234,50". Files and the command line
// keep plain numbers (Cents.String).
func money(c rules.Cents) string {
	shownFormat.RLock()
	sign := shownFormat.sign
	shownFormat.RUnlock()
	if c < 0 {
		return "-" + sign + currentLocale().Grouped(-c)
	}
	return sign + currentLocale().Grouped(c)
}

// amountText writes an amount for a field to edit: no sign, no grouping,
// the locale's decimal separator ("1234,50").
func amountText(c rules.Cents) string {
	s := c.String()
	if l := currentLocale(); l.Decimal != '.' {
		s = strings.Replace(s, ".", string(l.Decimal), 1)
	}
	return s
}

// parseAmount reads an amount typed at the till or in a form: the locale's
// way (1.234,50 in Germany) or the plain one (1234.50). A separator followed
// by three digits groups thousands; one followed by one or two digits is the
// decimal point, so "12.50" is read as twelve fifty everywhere.
func parseAmount(s string) (rules.Cents, error) {
	l := currentLocale()
	t := strings.TrimSpace(s)
	if sign := shownFormat.signNow(); sign != "" {
		t = strings.TrimSpace(strings.Replace(t, sign, "", 1))
	}
	t = strings.NewReplacer("\u00a0", "", "\u202f", "").Replace(t)
	if l.Group == "\u00a0" {
		t = strings.ReplaceAll(t, " ", "")
	}
	bad := fmt.Errorf(lang.L("“%s” is not an amount like %s"), strings.TrimSpace(s), l.Grouped(1234))
	if t == "" {
		return 0, errors.New(lang.L("The amount is empty."))
	}
	sign := ""
	if t[0] == '-' || t[0] == '+' {
		sign, t = t[:1], t[1:]
	}
	// The decimal separator is the last '.' or ',' unless three digits
	// follow it and it may group thousands.
	whole, frac := t, ""
	if i := strings.LastIndexAny(t, ".,"); i >= 0 {
		after := t[i+1:]
		sep := t[i]
		grouping := len(after) == 3 && string(sep) == l.Group && !strings.ContainsRune(t[:i], rune(l.Decimal))
		if !grouping {
			whole, frac = t[:i], after
			if sep != l.Decimal && sep != '.' {
				return 0, bad
			}
			if len(frac) > 2 {
				return 0, fmt.Errorf(lang.L("“%s” has more than two decimals."), strings.TrimSpace(s))
			}
		}
	}
	if l.Group == "." || l.Group == "," {
		parts := strings.Split(whole, l.Group)
		for i, p := range parts {
			if i > 0 && len(p) != 3 || i == 0 && len(parts) > 1 && (p == "" || len(p) > 3) {
				return 0, bad
			}
		}
		whole = strings.Join(parts, "")
	}
	plain := sign + whole
	if frac != "" {
		plain += "." + frac
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, bad
		}
	}
	c, err := rules.ParseCents(plain)
	if err != nil {
		return 0, bad
	}
	return c, nil
}

func (f *formatState) signNow() string {
	f.RLock()
	defer f.RUnlock()
	return f.sign
}

// decimalText puts the locale's decimal separator into a number written
// with a point: "1.5 MB" becomes "1,5 MB" in Germany.
func decimalText(s string) string {
	if l := currentLocale(); l.Decimal != '.' {
		return strings.Replace(s, ".", string(l.Decimal), 1)
	}
	return s
}

// shortDate writes a date in numbers, the locale's way: 23/11/2026,
// 11/23/2026, 23.11.2026.
func shortDate(d rules.Day) string {
	if d.IsZero() {
		return ""
	}
	return currentLocale().numeric(d)
}

func (l shopLocale) numeric(d rules.Day) string {
	y, m, dd := d.Date()
	if l.MonthFirst {
		return fmt.Sprintf("%02d%s%02d%s%04d", int(m), l.DateSep, dd, l.DateSep, y)
	}
	return fmt.Sprintf("%02d%s%02d%s%04d", dd, l.DateSep, int(m), l.DateSep, y)
}

// longDate writes a date with the month in words: "23 November 2026",
// "November 23, 2026", "23. November 2026".
func longDate(d rules.Day) string {
	if d.IsZero() {
		return ""
	}
	y, m, dd := d.Date()
	return dayMonth(m, dd) + currentLocale().yearAfter(y)
}

func (l shopLocale) yearAfter(y int) string {
	if l.MonthFirst {
		return ", " + strconv.Itoa(y)
	}
	return " " + strconv.Itoa(y)
}

// dayMonth writes a day of the year in words: "23 November", "November 23".
func dayMonth(m time.Month, d int) string {
	l := currentLocale()
	switch {
	case l.MonthFirst:
		return fmt.Sprintf("%s %d", monthName(m), d)
	case l.DayDot:
		return fmt.Sprintf("%d. %s", d, monthName(m))
	}
	return fmt.Sprintf("%d %s", d, monthName(m))
}

// weekdayDate is a date with its weekday: "Monday 23 November 2026".
func weekdayDate(d rules.Day) string {
	return weekdayName(d.Weekday()) + " " + longDate(d)
}

// monthYear heads a month: "November 2026".
func monthYear(d rules.Day) string {
	y, m, _ := d.Date()
	return monthName(m) + " " + strconv.Itoa(y)
}

// Three ways of writing a day on screen, all following the shop's locale:
// longDate for a day in a sentence or a detail ("23 November 2026"),
// listDate for a day in a list row ("23 Nov 2026") and stamp for a moment
// ("23 Nov 2026 14:05"). Numbers (shortDate, dateText) are for fields to
// edit, where the day is typed back.

// listDate writes a day in a list, with a short month: "23 Nov 2026",
// "Nov 23, 2026", "23. Nov 2026".
func listDate(d rules.Day) string {
	if d.IsZero() {
		return ""
	}
	y, m, dd := d.Date()
	l := currentLocale()
	switch {
	case l.MonthFirst:
		return fmt.Sprintf("%s %d, %d", shortMonth(m), dd, y)
	case l.DayDot:
		return fmt.Sprintf("%d. %s %d", dd, shortMonth(m), y)
	}
	return fmt.Sprintf("%d %s %d", dd, shortMonth(m), y)
}

// stamp writes a moment on screen: the day as in lists and the time,
// "23 Nov 2026 14:05".
func stamp(t time.Time) string {
	return listDate(rules.DayOf(t)) + " " + t.Format("15:04")
}

// stampText writes a moment for a field to edit: "23/11/2026 14:05".
func stampText(t time.Time) string {
	return shortDate(rules.DayOf(t)) + " " + t.Format("15:04")
}

// parseStamp reads a moment typed in a field: a date as parseDate reads
// it, a space and the time as 14:05.
func parseStamp(s string) (time.Time, error) {
	t := strings.TrimSpace(s)
	bad := fmt.Errorf(lang.L("Give the time like %s."), stampText(time.Date(2026, time.November, 23, 14, 5, 0, 0, time.Local)))
	i := strings.LastIndex(t, " ")
	if i < 0 {
		return time.Time{}, bad
	}
	d, err := parseDate(t[:i])
	if err != nil {
		return time.Time{}, bad
	}
	clock, err := time.Parse("15:04", strings.TrimSpace(t[i+1:]))
	if err != nil {
		return time.Time{}, bad
	}
	y, m, dd := d.Date()
	return time.Date(y, m, dd, clock.Hour(), clock.Minute(), 0, 0, time.Local), nil
}

// dateExample shows how to type a date in the locale: 23/11/2026.
func dateExample() string {
	return currentLocale().numeric(rules.NewDay(2026, time.November, 23))
}

// dateText writes a date for a field to edit.
func dateText(d rules.Day) string { return shortDate(d) }

// parseDate reads a date typed in a field: the locale's numeric way
// (23/11/2026, 11/23/2026, 23.11.2026) or YYYY-MM-DD.
func parseDate(s string) (rules.Day, error) {
	t := strings.TrimSpace(s)
	if d, err := rules.ParseDay(t); err == nil {
		return d, nil
	}
	l := currentLocale()
	parts := strings.Split(t, l.DateSep)
	if len(parts) == 3 && len(parts[2]) == 4 {
		a, e1 := strconv.Atoi(parts[0])
		b, e2 := strconv.Atoi(parts[1])
		y, e3 := strconv.Atoi(parts[2])
		if e1 == nil && e2 == nil && e3 == nil && len(parts[0]) <= 2 && len(parts[1]) <= 2 {
			dd, m := a, b
			if l.MonthFirst {
				dd, m = b, a
			}
			if rules.ValidDate(y, time.Month(m), dd) {
				return rules.NewDay(y, time.Month(m), dd), nil
			}
			return 0, fmt.Errorf(lang.L("“%s” is not a day on the calendar."), t)
		}
	}
	return 0, fmt.Errorf(lang.L("“%s” is not a date: write it like %s or 2026-11-23."), t, dateExample())
}

// yearlyText writes a birthday for a field to edit: 23/11/1980, or 23/11
// without the year.
func yearlyText(y rules.YearlyDate) string {
	if y.IsZero() {
		return ""
	}
	if y.Year != 0 {
		return shortDate(rules.NewDay(y.Year, y.Month, y.Day))
	}
	l := currentLocale()
	if l.MonthFirst {
		return fmt.Sprintf("%02d%s%02d", int(y.Month), l.DateSep, y.Day)
	}
	return fmt.Sprintf("%02d%s%02d", y.Day, l.DateSep, int(y.Month))
}

// yearlyExample shows how to type a birthday without the year: 23/11.
func yearlyExample() string {
	return yearlyText(rules.YearlyDate{Month: time.November, Day: 23})
}

// parseYearly reads a birthday: a date, the locale's day and month without
// the year (23/11, 11/23, 23.11.), or YYYY-MM-DD, MM-DD or --MM-DD.
func parseYearly(s string) (rules.YearlyDate, error) {
	t := strings.TrimSpace(s)
	if y, err := rules.ParseYearlyDate(t); err == nil {
		return y, nil
	}
	if d, err := parseDate(t); err == nil {
		y, m, dd := d.Date()
		return rules.YearlyDate{Year: y, Month: m, Day: dd}, nil
	}
	l := currentLocale()
	parts := strings.Split(strings.TrimSuffix(t, l.DateSep), l.DateSep)
	if len(parts) == 2 && len(parts[0]) <= 2 && len(parts[1]) <= 2 {
		a, e1 := strconv.Atoi(parts[0])
		b, e2 := strconv.Atoi(parts[1])
		if e1 == nil && e2 == nil {
			dd, m := a, b
			if l.MonthFirst {
				dd, m = b, a
			}
			if rules.ValidDate(2000, time.Month(m), dd) {
				return rules.YearlyDate{Month: time.Month(m), Day: dd}, nil
			}
			return rules.YearlyDate{}, fmt.Errorf(lang.L("“%s” is not a day of the year."), t)
		}
	}
	return rules.YearlyDate{}, fmt.Errorf(lang.L("“%s” is not a date: write it like %s, or %s without the year."), t, dateExample(), yearlyExample())
}

// optionalYearlyDate accepts an empty field or a birthday.
func optionalYearlyDate(s string) error {
	_, err := parseYearly(s)
	return err
}

// localeLabel names a locale in the Settings choice, with how it writes.
func localeLabel(tag string) string {
	l := localeFor(tag)
	return fmt.Sprintf("%s (%s, %s)", localeName(tag), l.numeric(rules.NewDay(2026, time.November, 23)), l.Grouped(123450))
}

func localeName(tag string) string {
	switch tag {
	case "en-GB":
		return lang.L("English (United Kingdom)")
	case "en-US":
		return lang.L("English (United States)")
	case "de-DE":
		return lang.L("German (Germany)")
	case "fr-FR":
		return lang.L("French (France)")
	}
	return tag
}

func monthName(m time.Month) string {
	switch m {
	case time.January:
		return lang.L("January")
	case time.February:
		return lang.L("February")
	case time.March:
		return lang.L("March")
	case time.April:
		return lang.L("April")
	case time.May:
		return lang.L("May")
	case time.June:
		return lang.L("June")
	case time.July:
		return lang.L("July")
	case time.August:
		return lang.L("August")
	case time.September:
		return lang.L("September")
	case time.October:
		return lang.L("October")
	case time.November:
		return lang.L("November")
	case time.December:
		return lang.L("December")
	}
	return m.String()
}

// shortMonth is a month's name in a narrow place, such as a chart's axis.
func shortMonth(m time.Month) string {
	switch m {
	case time.January:
		return lang.X("month.short.january", "Jan")
	case time.February:
		return lang.X("month.short.february", "Feb")
	case time.March:
		return lang.X("month.short.march", "Mar")
	case time.April:
		return lang.X("month.short.april", "Apr")
	case time.May:
		return lang.X("month.short.may", "May")
	case time.June:
		return lang.X("month.short.june", "Jun")
	case time.July:
		return lang.X("month.short.july", "Jul")
	case time.August:
		return lang.X("month.short.august", "Aug")
	case time.September:
		return lang.X("month.short.september", "Sep")
	case time.October:
		return lang.X("month.short.october", "Oct")
	case time.November:
		return lang.X("month.short.november", "Nov")
	case time.December:
		return lang.X("month.short.december", "Dec")
	}
	return m.String()
}

func weekdayName(w time.Weekday) string {
	switch w {
	case time.Monday:
		return lang.L("Monday")
	case time.Tuesday:
		return lang.L("Tuesday")
	case time.Wednesday:
		return lang.L("Wednesday")
	case time.Thursday:
		return lang.L("Thursday")
	case time.Friday:
		return lang.L("Friday")
	case time.Saturday:
		return lang.L("Saturday")
	case time.Sunday:
		return lang.L("Sunday")
	}
	return w.String()
}

// shortWeekday is a weekday's name in a narrow place: "Mon".
func shortWeekday(w time.Weekday) string {
	switch w {
	case time.Monday:
		return lang.X("weekday.short.monday", "Mon")
	case time.Tuesday:
		return lang.X("weekday.short.tuesday", "Tue")
	case time.Wednesday:
		return lang.X("weekday.short.wednesday", "Wed")
	case time.Thursday:
		return lang.X("weekday.short.thursday", "Thu")
	case time.Friday:
		return lang.X("weekday.short.friday", "Fri")
	case time.Saturday:
		return lang.X("weekday.short.saturday", "Sat")
	case time.Sunday:
		return lang.X("weekday.short.sunday", "Sun")
	}
	return w.String()
}

// pointsText writes a number of points with the locale's grouping:
// "410,976 points", "1 point".
func pointsText(n int64) string {
	return fmt.Sprintf(lang.N("%s points", clampInt(n)), wholeNumber(n))
}

// clampInt is n as an int for choosing a plural form.
func clampInt(n int64) int {
	if n < 0 {
		n = -n
	}
	return int(min(n, 1<<31-1))
}

// signedNumber writes n with its sign and grouping: "+1,200", "-40".
func signedNumber(n int64) string {
	if n > 0 {
		return "+" + wholeNumber(n)
	}
	return wholeNumber(n)
}

// wholeNumber writes n with the locale's grouping: 411,078 or 411.078.
func wholeNumber(n int64) string { return currentLocale().Count(n) }
