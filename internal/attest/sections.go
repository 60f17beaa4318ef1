package attest

import (
	"fmt"
	"strconv"
	"strings"
)

// keyValues writes a two-column label/value block.
func (r *renderer) keyValues(kv [][2]string) {
	f := r.f
	for _, p := range kv {
		r.ensure(6)
		f.SetFont(family, "B", 9)
		f.CellFormat(42, 5, p[0], "", 0, "L", false, 0, "")
		f.SetFont(family, "", 9)
		f.MultiCell(0, 5, p[1], "", "L", false)
	}
}

// summary is the executive summary: rating, readiness, findings.
func (r *renderer) summary() {
	f, d := r.f, r.doc
	f.AddPage()
	r.heading("1. Executive summary")
	r.keyValues([][2]string{
		{"Risk rating", orDash(d.Rating.Residual)},
		{"Inherent risk tier", orDash(d.Rating.Inherent)},
		{"Control results", r.statusCounts()},
		{"Discrepancies", r.discrepancyCount()},
		{"Waivers", strconv.Itoa(len(d.Waivers))},
	})
	r.subheading("How the rating was reached")
	r.list(d.Rating.Steps, true, "No rating steps were recorded.")
	r.subheading("Readiness per MANRS action")
	rows := make([][]string, 0, len(d.Readiness))
	for _, x := range d.Readiness {
		rows = append(rows, []string{x.Action, strconv.FormatFloat(x.Percent, 'f', 1, 64) + " %", x.Level})
	}
	r.table([]column{{title: "MANRS action", width: 120}, {title: "Readiness", width: 25}, {title: "Level", width: 35, status: true}}, rows)
	r.subheading("Key findings")
	r.bullets(d.KeyFindings, "No key findings.")
}

func (r *renderer) statusCounts() string {
	order := []string{StatusMet, StatusPartiallyMet, StatusNotMet, StatusNotApplicable, StatusUnknown}
	n := map[string]int{}
	for _, c := range r.doc.Controls {
		n[c.Status]++
	}
	var parts []string
	for _, s := range order {
		if n[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[s], strings.ToLower(statusLabel(s))))
		}
	}
	noun := "controls"
	if len(r.doc.Controls) == 1 {
		noun = "control"
	}
	return fmt.Sprintf("%d %s: %s", len(r.doc.Controls), noun, strings.Join(parts, ", "))
}

func (r *renderer) discrepancyCount() string {
	n := len(r.doc.Discrepancies)
	if n == 0 {
		return "none"
	}
	open := 0
	for _, x := range r.doc.Discrepancies {
		if strings.TrimSpace(x.Resolution) == "" {
			open++
		}
	}
	return fmt.Sprintf("%d found, %d resolved, %d open (section 4)", n, n-open, open)
}

// controls lists every control result with its basis and evidence hashes.
func (r *renderer) controls() {
	r.f.AddPage()
	r.heading("3. Results per control")
	rows := make([][]string, 0, len(r.doc.Controls))
	for _, c := range r.doc.Controls {
		ev := make([]string, 0, len(c.Evidence))
		for _, e := range c.Evidence {
			ev = append(ev, e.Name+"\nSHA-256 "+groupHex(e.SHA256))
		}
		title := c.Title
		if c.Note != "" {
			title += "\n" + c.Note
		}
		rows = append(rows, []string{c.ID, title, statusLabel(c.Status), c.Basis, orDash(strings.Join(ev, "\n"))})
	}
	r.table([]column{{title: "Control", width: 24}, {title: "Title", width: 44}, {title: "Status", width: 20, status: true},
		{title: "Basis", width: 17}, {title: "Evidence (file and SHA-256)", width: 75}}, rows)
}

func (r *renderer) discrepancies() {
	r.heading("4. Discrepancies and their resolution")
	if len(r.doc.Discrepancies) == 0 {
		r.para("No answer was contradicted by measurement.")
		return
	}
	rows := make([][]string, 0, len(r.doc.Discrepancies))
	for _, x := range r.doc.Discrepancies {
		res := x.Resolution
		if strings.TrimSpace(res) == "" {
			res = "OPEN: not resolved"
		}
		rows = append(rows, []string{x.ControlID, x.Declared, x.Measured, res})
	}
	r.table([]column{{title: "Control", width: 24}, {title: "Declared", width: 46}, {title: "Measured", width: 46}, {title: "Resolution", width: 64}}, rows)
}

func (r *renderer) waivers() {
	r.heading("5. Waivers")
	if len(r.doc.Waivers) == 0 {
		r.para("No risk was waived.")
		return
	}
	rows := make([][]string, 0, len(r.doc.Waivers))
	for _, w := range r.doc.Waivers {
		rows = append(rows, []string{w.ControlID, w.Justification, day(w.Expires)})
	}
	r.table([]column{{title: "Control", width: 24}, {title: "Justification", width: 131}, {title: "Expires", width: 25}}, rows)
}

// verification tells a reader how to check that the document is genuine.
func (r *renderer) verification() {
	d := r.doc
	r.f.AddPage()
	r.heading("7. How to verify this document")
	r.para("This PDF carries a digital signature (PKCS#7 detached, adbe.pkcs7.detached) over the whole file " +
		"except the signature itself. Any change to any byte makes the signature invalid.")
	steps := []string{
		"Open the file in a PDF reader that validates signatures (for example Adobe Acrobat Reader), or run: pdfsig FILE. The signature must be reported as valid.",
		"Check that the signer certificate is the organisation's attestation certificate" + fingerprintHint(d.SignerFingerprint) + ".",
		"Run: routewarden verify FILE. It checks the signature, the certificate, the registry entry for document ID " + d.ID + " and whether the document was revoked.",
		"Or upload the file at " + orDash(d.VerifyURL) + " to see the same verdict.",
		"The machine-readable manifest (control results, evidence SHA-256 digests, snapshot digests, document ID) is attached inside this PDF as " + ManifestName + ".",
	}
	r.list(steps, true, "")
	if d.Demo {
		r.subheading("Demo document")
		r.para("This document was produced from synthetic demonstration data. It attests nothing about any real supplier.")
	}
}

func fingerprintHint(fp string) string {
	if fp == "" {
		return ""
	}
	return ", SHA-256 fingerprint " + groupHex(fp)
}
