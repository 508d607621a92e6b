package data

import (
	"net/url"
	"path/filepath"
	"strings"
)

// sqliteURI is the address SQLite opens for the file at path, with the
// given query parameters. Every connection in this package is made from it:
// a file name may hold '?', '#' or '%' (a folder called "Shop #2"), which in
// a URI would start the query or the fragment, so the path is made absolute
// and escaped, and only the parameters follow the '?'.
func sqliteURI(path string, params url.Values) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	p := (&url.URL{Path: filepath.ToSlash(path)}).EscapedPath() // '?' is %3F, '#' is %23
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows path such as C:/shop.db
	}
	uri := "file:" + p
	if len(params) > 0 {
		uri += "?" + params.Encode()
	}
	return uri
}

// readOnlyParams are the parameters of a connection that must not write
// to the file: no journal change, no checkpoint, no schema change.
func readOnlyParams(busyMS int64) url.Values {
	q := url.Values{}
	q.Add("mode", "ro")
	q.Add("_pragma", "busy_timeout("+itoa(busyMS)+")")
	q.Add("_pragma", "query_only(1)")
	return q
}
