package report

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"
)

// The charts are plain geometry (rectangles, text, lines) computed here and written by the
// HTML template, which escapes every label. Colours are SVG presentation attributes and text
// is currentColor, so a chart needs no stylesheet and follows the page's colour scheme, and
// it passes a style-src policy that forbids inline styles.

// chartWidth is the width of every chart's coordinate system: about a phone's, so labels stay
// near their CSS size on a 320 px screen.
const (
	chartWidth = 320.0
	fontSize   = 12.0
	charWidth  = 6.6 // an average glyph at fontSize, for fitting labels
	rowHeight  = 32.0
	barHeight  = 12.0
	plotHeight = 140.0
)

// tierColours are the tiers' colours by rank, readable on light and dark backgrounds.
var tierColours = [len(TierNames)]string{"#8a8f98", "#d1495b", "#e09f3e", "#3b82c4", "#2e9e5b", "#137a6d"}

const (
	accent  = "#5b6fc2"
	neutral = "#8a8f98"
)

// svg is one chart's geometry.
type svg struct {
	W, H  float64
	Rects []rect
	Texts []text
	Lines []line
}

type rect struct {
	X, Y, W, H float64
	Fill       string
	Title      string
}

type text struct {
	X, Y   float64
	Anchor string // start, middle or end
	Bold   bool
	Text   string
}

type line struct{ X1, Y1, X2, Y2 float64 }

// seg is one segment of a bar.
type seg struct {
	Name string
	N    int64
	Fill string
}

// bar is one labelled bar of segments.
type bar struct {
	Label string
	Segs  []seg
}

func (b bar) total() int64 {
	var n int64
	for _, s := range b.Segs {
		n += s.N
	}
	return n
}

// swatch is one legend entry.
type swatch struct{ Name, Fill string }

// tierLegend is the legend of the tier colours.
func tierLegend() []swatch {
	out := make([]swatch, len(TierNames))
	for r, n := range TierNames {
		out[r] = swatch{n, tierColours[r]}
	}
	return out
}

// legend lays out swatches in lines from y, returning the y below them.
func (c *svg) legend(items []swatch, y float64) float64 {
	if len(items) == 0 {
		return y
	}
	x := 0.0
	for _, it := range items {
		w := 16 + charWidth*float64(utf8.RuneCountInString(it.Name)) + 10
		if x > 0 && x+w > chartWidth {
			x, y = 0, y+18
		}
		c.Rects = append(c.Rects, rect{X: x, Y: y, W: 11, H: 11, Fill: it.Fill, Title: it.Name})
		c.Texts = append(c.Texts, text{X: x + 15, Y: y + 10, Anchor: "start", Text: it.Name})
		x += w
	}
	return y + 26
}

// hbars draws one bar a row, its label above it on the left and its total on the right.
func hbars(bars []bar, legend []swatch, format func(int64) string) svg {
	c := svg{W: chartWidth}
	y := c.legend(legend, 0)
	var most int64
	for _, b := range bars {
		most = max(most, b.total())
	}
	for _, b := range bars {
		total := format(b.total())
		room := int((chartWidth - charWidth*float64(len(total)) - 10) / charWidth)
		c.Texts = append(c.Texts, text{X: 0, Y: y + fontSize, Anchor: "start", Text: clip(b.Label, room)},
			text{X: chartWidth, Y: y + fontSize, Anchor: "end", Bold: true, Text: total})
		x := 0.0
		for _, s := range b.Segs {
			if s.N == 0 || most == 0 {
				continue
			}
			w := chartWidth * float64(s.N) / float64(most)
			c.Rects = append(c.Rects, rect{X: x, Y: y + fontSize + 4, W: w, H: barHeight, Fill: s.Fill,
				Title: fmt.Sprintf("%s, %s: %s", b.Label, s.Name, format(s.N))})
			x += w
		}
		y += rowHeight
	}
	c.H = max(y, 1)
	return c
}

// stacks draws stacked columns on a time axis, labelling the first column and each January.
func stacks(bars []bar, legend []swatch) svg {
	c := svg{W: chartWidth}
	top := c.legend(legend, 0) + fontSize + 4
	var most int64
	for _, b := range bars {
		most = max(most, b.total())
	}
	base := top + plotHeight
	c.Lines = append(c.Lines, line{0, base, chartWidth, base})
	c.Texts = append(c.Texts, text{X: 0, Y: top - 6, Anchor: "start", Text: "max " + num(most) + " a month"})
	step := chartWidth / float64(max(len(bars), 1))
	lastLabel := math.Inf(-1)
	for i, b := range bars {
		x := float64(i) * step
		y := base
		for _, s := range b.Segs {
			if s.N == 0 {
				continue
			}
			h := plotHeight * float64(s.N) / float64(most)
			y -= h
			c.Rects = append(c.Rects, rect{X: x, Y: y, W: max(step-0.5, 0.5), H: h, Fill: s.Fill,
				Title: fmt.Sprintf("%s, %s: %s", b.Label, s.Name, num(s.N))})
		}
		if label, ok := axisLabel(b.Label, i, len(bars)); ok && x-lastLabel > 40 && x+charWidth*4 < chartWidth {
			c.Lines = append(c.Lines, line{x, base, x, base + 4})
			c.Texts = append(c.Texts, text{X: x, Y: base + fontSize + 6, Anchor: "start", Text: label})
			lastLabel = x
		}
	}
	c.H = base + fontSize + 10
	return c
}

// axisLabel is the label under a month's column: the year at January and at the first column;
// with a year or less shown, every month as MM.
func axisLabel(month string, i, n int) (string, bool) {
	if len(month) != 7 {
		return "", false
	}
	if n <= 12 {
		return month[5:], true
	}
	if i == 0 || strings.HasSuffix(month, "-01") {
		return month[:4], true
	}
	return "", false
}

// clip shortens a label to n runes with an ellipsis (the table beside the chart has it whole).
func clip(s string, n int) string {
	if n < 2 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// tierSegs are a tally's segments in rank order.
func tierSegs(t Tally) []seg {
	out := make([]seg, len(t))
	for r, v := range t {
		out[r] = seg{TierNames[r], v, tierColours[r]}
	}
	return out
}

// countBars are one single-segment bar per count.
func countBars(cs []count, fill func(count) string) []bar {
	out := make([]bar, len(cs))
	for i, c := range cs {
		out[i] = bar{c.Key, []seg{{c.Key, c.N, fill(c)}}}
	}
	return out
}

// num writes n with thousands separators.
func num(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, d := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// pct writes a fraction as a percentage with one decimal.
func pct(f float64) string { return fmt.Sprintf("%.1f%%", f*100) }
