package rules

// Country is where the shop is: it gives the money sign and the way dates
// and amounts are written (one of Locales), which the owner can still
// change one by one in Settings.
type Country struct {
	Code     string // ISO 3166 alpha-2, as stored
	Name     string
	Currency string // the sign shown before amounts
	Locale   string // one of Locales
}

// Countries are those the set-up offers, in the order it lists them. Each
// writes dates and amounts in a way this app knows (Locales); a shop
// elsewhere picks the nearest and sets its sign in Settings.
var Countries = []Country{
	{"GB", "United Kingdom", "£", "en-GB"},
	{"IE", "Ireland", "€", "en-GB"},
	{"US", "United States", "$", "en-US"},
	{"AU", "Australia", "$", "en-GB"},
	{"NZ", "New Zealand", "$", "en-GB"},
	{"DE", "Germany", "€", "de-DE"},
	{"AT", "Austria", "€", "de-DE"},
	{"FR", "France", "€", "fr-FR"},
	{"BE", "Belgium", "€", "fr-FR"},
	{"LU", "Luxembourg", "€", "fr-FR"},
}

// CountryByCode finds a country the set-up offers.
func CountryByCode(code string) (Country, bool) {
	for _, c := range Countries {
		if c.Code == code {
			return c, true
		}
	}
	return Country{}, false
}
