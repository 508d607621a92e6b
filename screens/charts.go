package screens

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Charts drawn with the toolkit's rectangles, lines and text. Colours come
// from the theme each time a chart is refreshed, so they follow a switch
// between light and dark.

// chartSeries is one colour of a chart and what it stands for.
type chartSeries struct {
	name  string
	color func() color.Color
}

// themed is a series colour taken from the current theme.
func themed(n fyne.ThemeColorName) func() color.Color {
	return func() color.Color { return theme.Color(n) }
}

// blend is a colour between two theme colours, for a fourth step between
// warning and error.
func blend(a, b fyne.ThemeColorName) func() color.Color {
	return func() color.Color {
		ca := color.NRGBAModel.Convert(theme.Color(a)).(color.NRGBA)
		cb := color.NRGBAModel.Convert(theme.Color(b)).(color.NRGBA)
		return color.NRGBA{R: uint8((int(ca.R) + int(cb.R)) / 2), G: uint8((int(ca.G) + int(cb.G)) / 2),
			B: uint8((int(ca.B) + int(cb.B)) / 2), A: 0xff}
	}
}

// chartRow is one bar: its label and a value per series.
type chartRow struct {
	label  string
	values []int
}

func (r chartRow) total() int {
	t := 0
	for _, v := range r.values {
		t += v
	}
	return t
}

// barChart draws stacked bars: upright, one per month, or lying, one per
// line with its label on the left and its total on the right.
type barChart struct {
	widget.BaseWidget
	series []chartSeries
	rows   []chartRow
	lying  bool
	plotH  float32 // height of the plot of an upright chart
}

func newBarChart(series []chartSeries, lying bool) *barChart {
	c := &barChart{series: series, lying: lying, plotH: 180}
	c.ExtendBaseWidget(c)
	return c
}

// set shows new figures.
func (c *barChart) set(rows []chartRow) {
	c.rows = rows
	c.Refresh()
}

func (c *barChart) max() int {
	m := 0
	for _, r := range c.rows {
		m = max(m, r.total())
	}
	return m
}

func (c *barChart) CreateRenderer() fyne.WidgetRenderer {
	r := &barRenderer{c: c}
	r.rebuild()
	return r
}

type barRenderer struct {
	c       *barChart
	swatch  []*canvas.Rectangle
	names   []*canvas.Text
	labels  []*canvas.Text
	totals  []*canvas.Text
	bars    [][]*canvas.Rectangle
	axis    *canvas.Line
	grid    []*canvas.Line
	scale   []*canvas.Text
	empty   *canvas.Text
	objects []fyne.CanvasObject
	built   int // rows the objects were made for
}

func chartText(s string) *canvas.Text {
	t := canvas.NewText(s, theme.Color(theme.ColorNameForeground))
	t.TextSize = theme.CaptionTextSize()
	return t
}

// rebuild makes one set of objects for the chart's current rows.
func (r *barRenderer) rebuild() {
	c := r.c
	r.swatch, r.names, r.labels, r.totals, r.bars, r.grid, r.scale = nil, nil, nil, nil, nil, nil, nil
	r.objects = nil
	for _, s := range c.series {
		sw := canvas.NewRectangle(s.color())
		sw.CornerRadius = 2
		r.swatch = append(r.swatch, sw)
		r.names = append(r.names, chartText(s.name))
		r.objects = append(r.objects, sw, r.names[len(r.names)-1])
	}
	if !c.lying {
		for range 3 {
			g := canvas.NewLine(theme.Color(theme.ColorNameSeparator))
			g.StrokeWidth = 1
			r.grid = append(r.grid, g)
			r.scale = append(r.scale, chartText(""))
			r.objects = append(r.objects, g, r.scale[len(r.scale)-1])
		}
	}
	for _, row := range c.rows {
		var segs []*canvas.Rectangle
		for i := range row.values {
			seg := canvas.NewRectangle(c.series[i%len(c.series)].color())
			segs = append(segs, seg)
			r.objects = append(r.objects, seg)
		}
		r.bars = append(r.bars, segs)
		l, t := chartText(row.label), chartText(wholeNumber(int64(row.total())))
		if c.lying {
			l.TextSize = theme.TextSize()
		}
		r.labels = append(r.labels, l)
		r.totals = append(r.totals, t)
		r.objects = append(r.objects, l, t)
	}
	r.axis = canvas.NewLine(theme.Color(theme.ColorNameForeground))
	r.axis.StrokeWidth = 1
	r.empty = chartText(lang.L("Nothing to show yet"))
	r.empty.TextSize = theme.TextSize()
	r.objects = append(r.objects, r.axis, r.empty)
	r.built = len(c.rows)
}

func (r *barRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *barRenderer) Destroy()                     {}

func (r *barRenderer) textH() float32 {
	return fyne.MeasureText("0", theme.CaptionTextSize(), fyne.TextStyle{}).Height
}

func (r *barRenderer) rowH() float32 {
	return max(fyne.MeasureText("Mg", theme.TextSize(), fyne.TextStyle{}).Height, 20) + theme.Padding()
}

func (r *barRenderer) labelW() float32 {
	var w float32
	for _, l := range r.labels {
		w = max(w, fyne.MeasureText(l.Text, l.TextSize, l.TextStyle).Width)
	}
	return w
}

func (r *barRenderer) totalW() float32 {
	return fyne.MeasureText(wholeNumber(int64(r.c.max())), theme.CaptionTextSize(), fyne.TextStyle{}).Width + theme.Padding()
}

func (r *barRenderer) legendH() float32 { return r.textH() + theme.Padding()*2 }

func (r *barRenderer) MinSize() fyne.Size {
	var legendW float32
	for _, n := range r.names {
		legendW += 14 + fyne.MeasureText(n.Text, n.TextSize, n.TextStyle).Width + theme.Padding()*3
	}
	if r.c.lying {
		rows := max(len(r.c.rows), 1)
		return fyne.NewSize(max(legendW, r.labelW()+120+r.totalW()), r.legendH()+float32(rows)*r.rowH())
	}
	return fyne.NewSize(max(legendW, float32(len(r.c.rows))*36+r.totalW()), r.legendH()+r.c.plotH+r.textH()*2+theme.Padding()*2)
}

func (r *barRenderer) Layout(size fyne.Size) {
	c := r.c
	pad := theme.Padding()
	// Legend along the top.
	x := float32(0)
	for i, sw := range r.swatch {
		th := r.textH()
		sw.Move(fyne.NewPos(x, pad+(th-10)/2))
		sw.Resize(fyne.NewSize(10, 10))
		n := r.names[i]
		n.Move(fyne.NewPos(x+14, pad))
		x += 14 + fyne.MeasureText(n.Text, n.TextSize, n.TextStyle).Width + pad*3
	}
	top := r.legendH()
	most := c.max()
	r.empty.Hidden = most > 0
	r.empty.Move(fyne.NewPos(0, top+pad))
	if most == 0 {
		most = 1
	}
	if c.lying {
		lw, tw := r.labelW()+pad*2, r.totalW()
		barW := max(size.Width-lw-tw, 10)
		rh := r.rowH()
		for i, segs := range r.bars {
			y := top + float32(i)*rh
			r.labels[i].Move(fyne.NewPos(0, y+(rh-pad-r.labels[i].MinSize().Height)/2))
			bx := lw
			for j, seg := range segs {
				w := barW * float32(c.rows[i].values[j]) / float32(most)
				seg.Move(fyne.NewPos(bx, y+2))
				seg.Resize(fyne.NewSize(w, rh-pad-4))
				bx += w
			}
			t := r.totals[i]
			t.Move(fyne.NewPos(bx+pad, y+(rh-pad-r.textH())/2))
		}
		r.axis.Position1 = fyne.NewPos(lw, top)
		r.axis.Position2 = fyne.NewPos(lw, top+float32(len(r.bars))*rh-pad)
		return
	}
	left := r.totalW() + pad
	plotH := size.Height - top - r.textH()*2 - pad*2
	base := top + r.textH() + pad + plotH
	for i, g := range r.grid {
		v := most * (i + 1) / len(r.grid)
		y := base - plotH*float32(v)/float32(most)
		g.Position1, g.Position2 = fyne.NewPos(left, y), fyne.NewPos(size.Width, y)
		r.scale[i].Text = wholeNumber(int64(v))
		r.scale[i].Move(fyne.NewPos(0, y-r.textH()/2))
	}
	n := max(len(r.bars), 1)
	slot := (size.Width - left) / float32(n)
	bw := slot * 0.62
	for i, segs := range r.bars {
		bx := left + slot*float32(i) + (slot-bw)/2
		y := base
		for j, seg := range segs {
			h := plotH * float32(c.rows[i].values[j]) / float32(most)
			y -= h
			seg.Move(fyne.NewPos(bx, y))
			seg.Resize(fyne.NewSize(bw, h))
		}
		t := r.totals[i]
		tw := fyne.MeasureText(t.Text, t.TextSize, t.TextStyle).Width
		t.Move(fyne.NewPos(bx+(bw-tw)/2, y-r.textH()))
		l := r.labels[i]
		lw := fyne.MeasureText(l.Text, l.TextSize, l.TextStyle).Width
		l.Move(fyne.NewPos(left+slot*float32(i)+(slot-lw)/2, base+pad/2))
	}
	r.axis.Position1, r.axis.Position2 = fyne.NewPos(left, base), fyne.NewPos(size.Width, base)
}

func (r *barRenderer) Refresh() {
	c := r.c
	if r.built != len(c.rows) || len(r.labels) != len(c.rows) {
		r.rebuild()
	}
	fg := theme.Color(theme.ColorNameForeground)
	for i, s := range c.series {
		r.swatch[i].FillColor = s.color()
		r.names[i].Color = fg
	}
	for i, row := range c.rows {
		r.labels[i].Text, r.labels[i].Color = row.label, fg
		r.totals[i].Text, r.totals[i].Color = wholeNumber(int64(row.total())), fg
		for j := range r.bars[i] {
			if j < len(row.values) {
				r.bars[i][j].FillColor = c.series[j%len(c.series)].color()
			}
		}
	}
	for i := range r.grid {
		r.grid[i].StrokeColor = theme.Color(theme.ColorNameSeparator)
		r.scale[i].Color = theme.Color(theme.ColorNamePlaceHolder)
	}
	r.axis.StrokeColor = fg
	r.empty.Color = theme.Color(theme.ColorNamePlaceHolder)
	r.Layout(c.Size())
	for _, o := range r.objects {
		o.Refresh()
	}
}

// gauge shows a share against a benchmark: a track, the share filled in
// (green at or above the mark, amber below it), and a line at the mark.
type gauge struct {
	widget.BaseWidget
	share, mark float64
	markLabel   string
}

func newGauge(mark float64, markLabel string) *gauge {
	g := &gauge{mark: mark, markLabel: markLabel}
	g.ExtendBaseWidget(g)
	return g
}

func (g *gauge) set(share float64) {
	g.share = min(max(share, 0), 1)
	g.Refresh()
}

func (g *gauge) fillColor() color.Color {
	if g.share >= g.mark {
		return theme.Color(theme.ColorNameSuccess)
	}
	return theme.Color(theme.ColorNameWarning)
}

func (g *gauge) CreateRenderer() fyne.WidgetRenderer {
	r := &gaugeRenderer{g: g,
		track: canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground)),
		fill:  canvas.NewRectangle(g.fillColor()),
		mark:  canvas.NewLine(theme.Color(theme.ColorNameForeground)),
		value: chartText(""),
		label: chartText(g.markLabel),
		zero:  chartText("0%"),
		full:  chartText("100%"),
	}
	r.track.CornerRadius = 4
	r.fill.CornerRadius = 4
	r.mark.StrokeWidth = 2
	r.value.TextStyle.Bold = true
	r.value.TextSize = theme.TextSize()
	return r
}

type gaugeRenderer struct {
	g                        *gauge
	track, fill              *canvas.Rectangle
	mark                     *canvas.Line
	value, label, zero, full *canvas.Text
}

func (r *gaugeRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.track, r.fill, r.mark, r.value, r.label, r.zero, r.full}
}

func (r *gaugeRenderer) Destroy() {}

func (r *gaugeRenderer) MinSize() fyne.Size {
	th := fyne.MeasureText("0", theme.CaptionTextSize(), fyne.TextStyle{}).Height
	return fyne.NewSize(220, 18+th*2+theme.Padding()*2)
}

func (r *gaugeRenderer) Layout(size fyne.Size) {
	pad := theme.Padding()
	th := fyne.MeasureText("0", theme.CaptionTextSize(), fyne.TextStyle{}).Height
	y := th + pad
	h := float32(18)
	r.track.Move(fyne.NewPos(0, y))
	r.track.Resize(fyne.NewSize(size.Width, h))
	r.fill.Move(fyne.NewPos(0, y))
	r.fill.Resize(fyne.NewSize(size.Width*float32(r.g.share), h))
	mx := size.Width * float32(r.g.mark)
	r.mark.Position1, r.mark.Position2 = fyne.NewPos(mx, y-3), fyne.NewPos(mx, y+h+3)
	r.value.Move(fyne.NewPos(0, y-th-pad/2-2))
	lw := fyne.MeasureText(r.label.Text, r.label.TextSize, r.label.TextStyle).Width
	r.label.Move(fyne.NewPos(min(max(mx-lw/2, 0), size.Width-lw), y+h+pad/2))
	r.zero.Move(fyne.NewPos(0, y+h+pad/2))
	fw := fyne.MeasureText(r.full.Text, r.full.TextSize, r.full.TextStyle).Width
	r.full.Move(fyne.NewPos(size.Width-fw, y+h+pad/2))
	// Keep the end labels clear of the mark's label.
	r.zero.Hidden = mx-lw/2 < fyne.MeasureText("0% ", theme.CaptionTextSize(), fyne.TextStyle{}).Width
	r.full.Hidden = mx+lw/2 > size.Width-fw-pad
}

func (r *gaugeRenderer) Refresh() {
	fg := theme.Color(theme.ColorNameForeground)
	r.track.FillColor = theme.Color(theme.ColorNameInputBackground)
	r.fill.FillColor = r.g.fillColor()
	r.mark.StrokeColor = fg
	r.value.Text, r.value.Color = fmt.Sprintf("%.0f%%", r.g.share*100), fg
	r.label.Text, r.label.Color = r.g.markLabel, fg
	r.zero.Color = theme.Color(theme.ColorNamePlaceHolder)
	r.full.Color = theme.Color(theme.ColorNamePlaceHolder)
	r.Layout(r.g.Size())
	for _, o := range r.Objects() {
		o.Refresh()
	}
}

// tableLayout sets objects out in rows of cols cells, each column as wide
// as its widest cell, like a printed table; the stretch column takes what
// width is left over.
type tableLayout struct {
	cols    int
	stretch int
}

func (t *tableLayout) sizes(objects []fyne.CanvasObject) ([]float32, []float32) {
	widths := make([]float32, t.cols)
	var heights []float32
	for i, o := range objects {
		ms := o.MinSize()
		widths[i%t.cols] = max(widths[i%t.cols], ms.Width)
		if i%t.cols == 0 {
			heights = append(heights, 0)
		}
		heights[len(heights)-1] = max(heights[len(heights)-1], ms.Height)
	}
	return widths, heights
}

func (t *tableLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	widths, heights := t.sizes(objects)
	var w, h float32
	for _, x := range widths {
		w += x
	}
	for _, y := range heights {
		h += y
	}
	return fyne.NewSize(w+theme.Padding()*float32(t.cols-1), h)
}

func (t *tableLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	widths, heights := t.sizes(objects)
	if extra := size.Width - t.MinSize(objects).Width; extra > 0 {
		widths[t.stretch] += extra
	}
	var y float32
	for i, o := range objects {
		row, col := i/t.cols, i%t.cols
		if col == 0 && row > 0 {
			y += heights[row-1]
		}
		var x float32
		for c := range col {
			x += widths[c] + theme.Padding()
		}
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(widths[col], heights[row]))
	}
}
