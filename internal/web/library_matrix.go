package web

import "routewarden/internal/control"

// Geometry of the obligations × controls matrix, in SVG user units.
const (
	matrixLeft    = 150 // room for the obligation IDs
	matrixTop     = 120 // room for the family labels and the rotated control IDs
	matrixCell    = 12
	matrixGap     = 6 // between families and between regulations
	matrixPadding = 10
)

// matrix is the obligations × controls grid drawn as inline SVG: one column per control
// (grouped by family), one row per obligation (grouped by regulation), a mark where a control
// supports an obligation, coloured by the control's basis.
type matrix struct {
	Width, Height int
	Cell, Mark    int // row height and mark size
	RowLabelX     int // right edge of the obligation IDs
	Columns       []matrixColumn
	Rows          []matrixRow
	Marks         []matrixMark
	Families      []matrixBand
	Regulations   []matrixBand
}

type matrixColumn struct {
	X         int
	ID, Title string
	LabelX    int // x of the rotated label's baseline
	LabelY    int
	Basis     string
}

type matrixRow struct {
	Y             int
	ID, Title     string
	Informational bool
	LabelY        int
	Stripe        bool
}

type matrixMark struct {
	X, Y                int
	Control, Obligation string
	Basis, ControlTitle string
	ObligationReference string
}

// matrixBand labels a run of columns (a family) or rows (a regulation).
type matrixBand struct {
	Label        string
	X, Y, W, H   int
	TextX, TextY int
	Shade        bool
}

// buildMatrix lays out the grid for library l over catalogue cat.
func buildMatrix(l *control.Library, cat *control.Catalogue) matrix {
	m := matrix{Cell: matrixCell, Mark: matrixCell - 2, RowLabelX: matrixLeft - 6}
	colX := map[string]int{}
	x := matrixLeft
	for i, fam := range l.Families {
		cs := l.ByFamily(fam.ID)
		if len(cs) == 0 {
			continue
		}
		start := x
		for _, c := range cs {
			colX[c.ID] = x
			m.Columns = append(m.Columns, matrixColumn{X: x, ID: c.ID, Title: c.Title, Basis: c.Basis,
				LabelX: x + matrixCell - 3, LabelY: matrixTop - 6})
			x += matrixCell
		}
		m.Families = append(m.Families, matrixBand{Label: fam.ID, X: start, W: x - start, Y: 0, H: 0,
			TextX: start + (x-start)/2, TextY: 14, Shade: i%2 == 1})
		x += matrixGap
	}
	m.Width = x - matrixGap + matrixPadding
	y := matrixTop
	stripe := false
	for _, r := range cat.Regulations {
		start := y
		for _, o := range r.Obligations {
			m.Rows = append(m.Rows, matrixRow{Y: y, ID: o.ID, Title: o.Title, Informational: o.Informational,
				LabelY: y + matrixCell - 2, Stripe: stripe})
			stripe = !stripe
			for _, c := range l.ByObligation(o.ID) {
				m.Marks = append(m.Marks, matrixMark{X: colX[c.ID] + 1, Y: y + 1, Control: c.ID, Obligation: o.ID,
					Basis: c.Basis, ControlTitle: c.Title, ObligationReference: o.Regulation + " " + o.Reference})
			}
			y += matrixCell
		}
		m.Regulations = append(m.Regulations, matrixBand{Label: r.ID, Y: start, H: y - start, X: 0, W: m.Width})
		y += matrixGap
	}
	m.Height = y - matrixGap + matrixPadding
	for i := range m.Families {
		m.Families[i].Y, m.Families[i].H = matrixTop, m.Height-matrixTop-matrixPadding
	}
	return m
}
