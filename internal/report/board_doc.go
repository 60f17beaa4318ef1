package report

import (
	"codeberg.org/go-pdf/fpdf"

	"routewarden/internal/attest"
)

// attachBoardManifest attaches the board report's manifest (document ID and headline figures)
// when the report has a document ID; an unregistered draft carries none.
func attachBoardManifest(f *fpdf.Fpdf, b *Board) error {
	if b.DocumentID == "" {
		return nil
	}
	m := attest.BoardManifest{DocumentID: b.DocumentID, IssuedAt: b.Now, Demo: b.Demo, Organisation: b.Organisation}
	if d := b.Dashboard; d != nil {
		m.Suppliers, m.CriticalVendors, m.Attestations = d.Vendors.N, d.CriticalVendors.N, d.Attestations.N
	}
	if c := b.Concentration; c != nil {
		for _, u := range c.Upstreams {
			if u.Shared {
				m.SharedUpstreams++
			}
		}
	}
	raw, err := attest.MarshalBoardManifest(m)
	if err != nil {
		return err
	}
	f.SetAttachments([]fpdf.Attachment{{Content: raw, Filename: attest.ManifestName,
		Description: "Routewarden board report manifest " + b.DocumentID}})
	return nil
}

func docSuffix(id string) string {
	if id == "" {
		return ""
	}
	return " " + id
}

// verifyNote tells the reader the document's ID and where to check it.
func verifyNote(b *Board) string {
	where := "the /verify page of this organisation's Routewarden"
	if b.VerifyURL != "" {
		where = b.VerifyURL
	}
	return "Document " + b.DocumentID + ". This report is signed and registered: check it at " + where +
		" or with the command \"routewarden verify FILE\". Any change to the file makes it invalid."
}
