package attest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	rw "routewarden/internal/routewarden"
)

// BoardManifestSchema names the manifest a board / supervisor report carries, attached under
// the same file name as an attestation's (ManifestName): the verifier tells the two apart by
// their schema.
const BoardManifestSchema = "routewarden/board-report-manifest/v1"

// BoardManifest is the machine-readable identity of a board report, attached inside its PDF.
// The figures are the headline numbers the report states, for a reader's cross-check.
type BoardManifest struct {
	Schema          string    `json:"schema"`
	DocumentID      string    `json:"document_id"`
	IssuedAt        time.Time `json:"issued_at"`
	Demo            bool      `json:"demo"`
	Organisation    string    `json:"organisation,omitempty"`
	Suppliers       int       `json:"suppliers"`
	CriticalVendors int       `json:"critical_suppliers"`
	Attestations    int       `json:"attestations"`
	SharedUpstreams int       `json:"shared_upstreams"`
}

// MarshalBoardManifest returns the manifest's JSON with the schema set and the time in UTC.
func MarshalBoardManifest(m BoardManifest) ([]byte, error) {
	m.Schema = BoardManifestSchema
	m.IssuedAt = utc(m.IssuedAt)
	if !rw.ValidBoardDocumentID(m.DocumentID) {
		return nil, fmt.Errorf("attest: board manifest: document ID %q is not a board report's", m.DocumentID)
	}
	return json.MarshalIndent(m, "", "  ")
}

// manifests reads the attached manifest and returns an attestation's or a board report's,
// whichever the file carries.
func (f *pdfFile) manifests() (*Manifest, *BoardManifest, error) {
	raw, err := f.attachment(ManifestName)
	if err != nil {
		return nil, nil, err
	}
	var head struct {
		Schema string `json:"schema"`
	}
	if json.Unmarshal(raw, &head) == nil && head.Schema == BoardManifestSchema {
		b, err := parseBoardManifest(raw)
		return nil, b, err
	}
	m, err := parseManifest(raw)
	return m, nil, err
}

func parseBoardManifest(raw []byte) (*BoardManifest, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var m BoardManifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("attest: board manifest %s: %w", ManifestName, jsonOffset(dec, err))
	}
	if dec.More() {
		return nil, fmt.Errorf("attest: board manifest %s: trailing data at byte %d", ManifestName, dec.InputOffset())
	}
	if !rw.ValidBoardDocumentID(m.DocumentID) {
		return nil, fmt.Errorf("attest: board manifest %s: document_id %q is not a board report's", ManifestName, m.DocumentID)
	}
	return &m, nil
}

// ExtractBoardManifest reads the manifest attached to a board report PDF (signed or not).
func ExtractBoardManifest(data []byte) (*BoardManifest, error) {
	f, err := openPDF(context.Background(), data)
	if err != nil {
		return nil, fmt.Errorf("attest: reading PDF: %w", err)
	}
	_, b, err := f.manifests()
	if err == nil && b == nil {
		err = fmt.Errorf("attest: the PDF carries an attestation's manifest, not a board report's")
	}
	return b, err
}
