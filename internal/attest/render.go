package attest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Options configure Render.
type Options struct {
	// Font and BoldFont are TrueType fonts (DejaVuSans.ttf and
	// DejaVuSans-Bold.ttf from static/fonts). They are embedded, subset,
	// so that any UTF-8 name renders.
	Font     []byte
	BoldFont []byte
}

const (
	family     = "DejaVu"
	pageMargin = 15.0 // mm, left, top and right
	footerRoom = 18.0 // mm kept free at the bottom for the footer
	lineH      = 4.2  // mm, line height of 8 pt table text
)

// Render lays out the attestation as an A4 PDF with the manifest attached.
// The document must pass Validate. The output is not signed; pass it to Sign.
func Render(doc *Document, opts Options) ([]byte, error) {
	if doc == nil {
		return nil, errors.New("attest: render: no document")
	}
	if len(opts.Font) == 0 || len(opts.BoldFont) == 0 {
		return nil, errors.New("attest: render: Options.Font and Options.BoldFont are required")
	}
	if err := doc.Validate(); err != nil {
		return nil, err
	}
	manifest, err := json.MarshalIndent(BuildManifest(doc), "", "  ")
	if err != nil {
		return nil, fmt.Errorf("attest: encoding manifest: %w", err)
	}
	// Every string drawn goes through one mapping to what the fonts can draw (drawtext.go);
	// the manifest above keeps the original text.
	r := newRenderer(drawableDocument(doc, opts), opts)
	r.f.SetAttachments([]fpdf.Attachment{{
		Content:     manifest,
		Filename:    ManifestName,
		Description: "Routewarden attestation manifest " + doc.ID,
	}})
	r.cover()
	r.summary()
	r.obligationSummary()
	r.controls()
	r.discrepancies()
	r.waivers()
	r.obligationAnnex()
	r.verification()
	if r.f.Err() {
		return nil, fmt.Errorf("attest: render: %w", r.f.Error())
	}
	var buf bytes.Buffer
	if err := r.f.Output(&buf); err != nil {
		return nil, fmt.Errorf("attest: render: %w", err)
	}
	return buf.Bytes(), nil
}

// renderer holds the PDF being built and the document it shows.
type renderer struct {
	f   *fpdf.Fpdf
	doc *Document
}

func newRenderer(doc *Document, opts Options) *renderer {
	f := fpdf.New("P", "mm", "A4", "")
	r := &renderer{f: f, doc: doc}
	f.SetMargins(pageMargin, pageMargin, pageMargin)
	f.SetAutoPageBreak(true, footerRoom)
	f.AddUTF8FontFromBytes(family, "", opts.Font)
	f.AddUTF8FontFromBytes(family, "B", opts.BoldFont)
	setMetadata(f, doc)
	f.SetCatalogSort(true)
	f.AliasNbPages("{nb}")
	f.SetHeaderFunc(r.header)
	f.SetFooterFunc(r.footer)
	return r
}

// header marks every page of a demo document with a banner.
func (r *renderer) header() {
	if !r.doc.Demo {
		return
	}
	f := r.f
	w, _ := f.GetPageSize()
	f.SetFont(family, "B", 8)
	f.SetTextColor(190, 30, 30)
	f.SetXY(pageMargin, 6)
	f.CellFormat(w-2*pageMargin, 5, "DEMO DATA — NOT A REAL ATTESTATION", "", 0, "C", false, 0, "")
	f.SetTextColor(0, 0, 0)
	f.SetXY(pageMargin, pageMargin)
}

// footer writes the page number and, on demo documents, the watermark. It
// runs when a page is complete, so the half-transparent watermark lies on top
// of tables and cannot be hidden by their filled cells.
func (r *renderer) footer() {
	f := r.f
	w, h := f.GetPageSize()
	if r.doc.Demo {
		f.SetFont(family, "B", 110)
		f.SetTextColor(220, 40, 40)
		f.SetAlpha(0.18, "Normal")
		f.TransformBegin()
		f.TransformRotate(45, w/2, h/2)
		f.Text(w/2-f.GetStringWidth("DEMO")/2, h/2+14, "DEMO")
		f.TransformEnd()
		f.SetAlpha(1, "Normal")
	}
	f.SetY(-12)
	f.SetFont(family, "", 7.5)
	f.SetTextColor(90, 90, 90)
	left := "Routewarden attestation " + r.doc.ID
	if r.doc.Demo {
		left += " · DEMO"
	}
	f.CellFormat((w-2*pageMargin)/2, 5, left, "T", 0, "L", false, 0, "")
	f.CellFormat((w-2*pageMargin)/2, 5, fmt.Sprintf("Page %d of {nb}", f.PageNo()), "T", 0, "R", false, 0, "")
	f.SetTextColor(0, 0, 0)
}

// heading starts a numbered section, with a bookmark for the reader's outline.
func (r *renderer) heading(text string) {
	f := r.f
	r.ensure(20)
	f.Ln(3)
	f.Bookmark(text, 0, -1)
	f.SetFont(family, "B", 13)
	f.SetTextColor(20, 50, 90)
	f.CellFormat(0, 8, text, "B", 1, "L", false, 0, "")
	f.SetTextColor(0, 0, 0)
	f.Ln(2)
}

func (r *renderer) subheading(text string) {
	r.ensure(14)
	r.f.Ln(2)
	r.f.SetFont(family, "B", 10)
	r.f.CellFormat(0, 6, text, "", 1, "L", false, 0, "")
	r.f.Ln(0.5)
}

// para writes wrapped body text.
func (r *renderer) para(text string) {
	r.f.SetFont(family, "", 9)
	r.f.MultiCell(0, 4.6, text, "", "L", false)
	r.f.Ln(1)
}

// bullets writes a bulleted list; an empty list prints the fallback text.
func (r *renderer) bullets(items []string, none string) {
	r.list(items, false, none)
}

// list writes a bulleted or numbered list with hanging indentation.
func (r *renderer) list(items []string, numbered bool, none string) {
	if len(items) == 0 {
		r.para(none)
		return
	}
	f := r.f
	f.SetFont(family, "", 9)
	for i, it := range items {
		x := f.GetX()
		marker := "•"
		if numbered {
			marker = fmt.Sprintf("%d.", i+1)
		}
		f.CellFormat(6, 4.6, marker, "", 0, "L", false, 0, "")
		f.MultiCell(0, 4.6, it, "", "L", false)
		f.SetX(x)
	}
	f.Ln(1)
}

// ensure starts a new page unless h millimetres are left above the footer.
func (r *renderer) ensure(h float64) {
	_, ph := r.f.GetPageSize()
	if r.f.GetY()+h > ph-footerRoom {
		r.f.AddPage()
	}
}

func day(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02")
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// groupHex makes a long hexadecimal digest ("sha256:9f86…" or bare hex)
// readable and wrappable by splitting it into groups of eight digits.
func groupHex(s string) string {
	prefix, digits := "", s
	if i := strings.IndexByte(s, ':'); i >= 0 {
		prefix, digits = s[:i+1]+" ", s[i+1:]
	}
	if len(digits) < 32 || strings.Trim(strings.ToLower(digits), "0123456789abcdef") != "" {
		return s
	}
	var b strings.Builder
	b.WriteString(prefix)
	for i := 0; i < len(digits); i += 8 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(digits[i:min(i+8, len(digits))])
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// statusLabel turns a status code into the words shown in the document.
func statusLabel(s string) string {
	switch s {
	case StatusMet:
		return "Met"
	case StatusPartiallyMet:
		return "Partially met"
	case StatusNotMet:
		return "Not met"
	case StatusNotApplicable:
		return "Not applicable"
	case StatusUnknown:
		return "Unknown"
	}
	return s
}
