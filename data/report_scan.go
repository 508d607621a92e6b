package data

import (
	"fmt"
	"regulars/rules"
	"strconv"
)

// The reports read whole tables, about 1.3 million rows at 50,000
// customers, so what each value costs on its way from the driver counts.
// Rows are scanned into values of type any, which database/sql hands over
// as the driver made them (an int64 or a sql.NullInt64 destination goes
// through its conversion by reflection), and are turned into numbers and
// days here. The rows are kept in piles that never copy what they hold.

// cells turns the values of one row into numbers and days, keeping the
// first value that is neither.
type cells struct {
	err     error
	lastDay string
	day     rules.Day
}

// int is the integer v holds; NULL is an error, as it is for Scan.
func (c *cells) int(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case float64:
		if x == float64(int64(x)) {
			return int64(x)
		}
	case string:
		if n, err := strconv.ParseInt(x, 10, 64); err == nil {
			return n
		}
	case []byte:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return n
		}
	}
	if c.err == nil {
		c.err = fmt.Errorf("%v (%T) is not a whole number", v, v)
	}
	return 0
}

// nullInt is the integer v holds, 0 for NULL.
func (c *cells) nullInt(v any) int64 {
	if v == nil {
		return 0
	}
	return c.int(v)
}

// dayOf is the day v holds, YYYY-MM-DD as the tables write days; anything
// else is no day. Rows read in storage order mostly carry the day of the
// row before, which is remembered.
func (c *cells) dayOf(v any) rules.Day {
	switch x := v.(type) {
	case string:
		if x != c.lastDay {
			c.lastDay, c.day = x, dayFromBytes([]byte(x))
		}
		return c.day
	case []byte:
		return dayFromBytes(x)
	}
	return 0
}

// text is the text v holds, a number written out; NULL is an error, as
// it is for Scan.
func (c *cells) text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	if c.err == nil {
		c.err = fmt.Errorf("%v (%T) is not text", v, v)
	}
	return ""
}

// pileBlock is how many rows a pile's block holds.
const pileBlock = 1 << 13

// pile holds rows in blocks that stay where they are once made: a slice
// of a whole table would be copied each time it grew.
type pile[T any] struct {
	blocks [][]T
	n      int
}

// add puts v on the pile.
func (p *pile[T]) add(v T) {
	if p.n%pileBlock == 0 {
		p.blocks = append(p.blocks, make([]T, 0, pileBlock))
	}
	b := &p.blocks[len(p.blocks)-1]
	*b = append(*b, v)
	p.n++
}

// len is the number of rows on the pile.
func (p *pile[T]) len() int { return p.n }

// each calls fn with each row in the order they were added.
func (p *pile[T]) each(fn func(i int, v *T)) {
	i := 0
	for _, b := range p.blocks {
		for j := range b {
			fn(i, &b[j])
			i++
		}
	}
}
