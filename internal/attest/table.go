package attest

// column describes one table column. Widths are in millimetres and a table's
// widths add up to the 180 mm between the A4 margins.
type column struct {
	title  string
	width  float64
	status bool // colour the text by control status label
}

const cellPad = 1.2 // mm of padding inside each cell

// table draws rows with wrapped cells. A row that does not fit on the rest of
// the page moves to the next page with the header repeated; a row taller than
// a whole page is split across pages, so no text is ever cut off.
func (r *renderer) table(cols []column, rows [][]string) {
	r.tableHeader(cols)
	r.f.SetFont(family, "", 8)
	for i, row := range rows {
		r.tableRow(cols, row, i%2 == 1)
	}
	r.f.Ln(2)
}

func (r *renderer) tableHeader(cols []column) {
	f := r.f
	r.ensure(2*lineH + 2*cellPad + 2)
	f.SetFont(family, "B", 8)
	f.SetFillColor(225, 232, 242)
	for _, c := range cols {
		f.CellFormat(c.width, lineH+2*cellPad, c.title, "1", 0, "L", true, 0, "")
	}
	f.Ln(-1)
	f.SetFont(family, "", 8)
}

func (r *renderer) tableRow(cols []column, row []string, shade bool) {
	f := r.f
	lines := make([][]string, len(cols))
	n := 1
	for i, c := range cols {
		text := ""
		if i < len(row) {
			text = row[i]
		}
		lines[i] = f.SplitText(text, c.width-2*cellPad+2*f.GetCellMargin())
		n = max(n, len(lines[i]))
	}
	_, ph := f.GetPageSize()
	bottom := ph - footerRoom
	for done := 0; done < n; {
		room := int((bottom - f.GetY() - 2*cellPad) / lineH)
		left := n - done
		// Move the whole row to a fresh page when that keeps it in one piece.
		if room < 1 || (done == 0 && room < left && float64(left)*lineH+2*cellPad < bottom-pageMargin-10) {
			f.AddPage()
			r.tableHeader(cols)
			continue
		}
		chunk := min(room, left)
		r.drawRowChunk(cols, lines, done, chunk, shade)
		done += chunk
	}
}

func (r *renderer) drawRowChunk(cols []column, lines [][]string, from, count int, shade bool) {
	f := r.f
	x0, y0 := f.GetX(), f.GetY()
	h := float64(count)*lineH + 2*cellPad
	if shade {
		f.SetFillColor(246, 247, 250)
	} else {
		f.SetFillColor(255, 255, 255)
	}
	x := x0
	for i, c := range cols {
		f.Rect(x, y0, c.width, h, "FD")
		if c.status && len(lines[i]) > 0 {
			setStatusColour(r, lines[i][0])
		}
		for k := 0; k < count && from+k < len(lines[i]); k++ {
			f.SetXY(x+cellPad-f.GetCellMargin(), y0+cellPad+float64(k)*lineH)
			f.CellFormat(c.width-2*cellPad, lineH, lines[i][from+k], "", 0, "L", false, 0, "")
		}
		f.SetTextColor(0, 0, 0)
		x += c.width
	}
	f.SetXY(x0, y0+h)
}

func setStatusColour(r *renderer, label string) {
	switch label {
	case statusLabel(StatusMet), "Ready":
		r.f.SetTextColor(20, 110, 40)
	case statusLabel(StatusPartiallyMet), obligationLabel(StatusPartiallyMet), "Aspiring":
		r.f.SetTextColor(160, 100, 0)
	case statusLabel(StatusNotMet), "Lagging":
		r.f.SetTextColor(180, 20, 20)
	default:
		r.f.SetTextColor(80, 80, 80)
	}
}
