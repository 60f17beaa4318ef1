package attest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/digitorus/pdf"
)

// ManifestSchema names the manifest format; it changes only when the JSON
// shape changes incompatibly.
const ManifestSchema = "routewarden/attestation-manifest/v1"

// ManifestName is the file name of the manifest attached inside the PDF.
const ManifestName = "routewarden-manifest.json"

// maxManifestSize bounds what ExtractManifest inflates, so a crafted PDF
// cannot exhaust memory.
const maxManifestSize = 16 << 20

// Manifest is the machine-readable content of an attestation, attached inside
// the PDF as an embedded file.
type Manifest struct {
	Schema     string    `json:"schema"`
	DocumentID string    `json:"document_id"`
	IssuedAt   time.Time `json:"issued_at"`
	Demo       bool      `json:"demo"`
	Vendor     Vendor    `json:"vendor"`
	ASNs       []uint32  `json:"asns"`
	Scope      string    `json:"scope"`
	// ChangedSinceApproval lists vendor edits after approval that the attestation does not cover.
	ChangedSinceApproval []string             `json:"changed_since_approval,omitempty"`
	PeriodStart          time.Time            `json:"period_start"`
	PeriodEnd            time.Time            `json:"period_end"`
	Library              Library              `json:"library"`
	Snapshots            []Snapshot           `json:"snapshots"`
	Residual             string               `json:"residual_rating"`
	Inherent             string               `json:"inherent_tier"`
	Controls             []ManifestControl    `json:"controls"`
	Waivers              []Waiver             `json:"waivers"`
	Obligations          []ManifestObligation `json:"obligations"`
	Readiness            []Readiness          `json:"readiness"`
}

// ManifestControl is one control result in the manifest.
type ManifestControl struct {
	ID       string     `json:"id"`
	Status   string     `json:"status"`
	Basis    string     `json:"basis"`
	Evidence []Evidence `json:"evidence"`
}

// ManifestObligation is one obligations-annex row in the manifest.
type ManifestObligation struct {
	ID         string   `json:"id"`
	ControlIDs []string `json:"control_ids"`
	Status     string   `json:"status"`
}

// BuildManifest derives the manifest from a document. Times are stored in UTC
// and empty lists as [] so that the manifest compares equal after a JSON round
// trip.
func BuildManifest(d *Document) Manifest {
	m := Manifest{
		Schema: ManifestSchema, DocumentID: d.ID, IssuedAt: utc(d.IssuedAt), Demo: d.Demo,
		Vendor: d.Vendor, ASNs: []uint32{}, Scope: d.Scope, ChangedSinceApproval: d.ChangedSinceApproval,
		PeriodStart: utc(d.PeriodStart), PeriodEnd: utc(d.PeriodEnd), Library: d.Library,
		Snapshots: []Snapshot{}, Residual: d.Rating.Residual, Inherent: d.Rating.Inherent,
		Controls: []ManifestControl{}, Waivers: []Waiver{}, Obligations: []ManifestObligation{},
		Readiness: []Readiness{},
	}
	for _, n := range d.Networks {
		m.ASNs = append(m.ASNs, n.ASN)
	}
	for _, s := range d.Snapshots {
		s.DataTime = utc(s.DataTime)
		m.Snapshots = append(m.Snapshots, s)
	}
	for _, c := range d.Controls {
		ev := append([]Evidence{}, c.Evidence...)
		m.Controls = append(m.Controls, ManifestControl{ID: c.ID, Status: c.Status, Basis: c.Basis, Evidence: ev})
	}
	for _, w := range d.Waivers {
		w.Expires = utc(w.Expires)
		m.Waivers = append(m.Waivers, w)
	}
	for _, o := range d.Obligations {
		ids := append([]string{}, o.ControlIDs...)
		m.Obligations = append(m.Obligations, ManifestObligation{ID: o.ID, ControlIDs: ids, Status: o.Status})
	}
	m.Readiness = append(m.Readiness, d.Readiness...)
	return m
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Round(0)
}

// ExtractManifest reads the manifest attached to an attestation PDF (signed
// or not). It fails if the PDF cannot be parsed, has no manifest attachment,
// or the manifest is not valid JSON of the expected schema.
func ExtractManifest(data []byte) (m *Manifest, err error) {
	raw, err := attachment(data, ManifestName)
	if err != nil {
		return nil, err
	}
	return parseManifest(raw)
}

func parseManifest(raw []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("attest: manifest %s: %w", ManifestName, jsonOffset(dec, err))
	}
	if dec.More() {
		return nil, fmt.Errorf("attest: manifest %s: trailing data at byte %d", ManifestName, dec.InputOffset())
	}
	if m.Schema != ManifestSchema {
		return nil, fmt.Errorf("attest: manifest %s: schema %q, want %q", ManifestName, m.Schema, ManifestSchema)
	}
	if m.DocumentID == "" {
		return nil, fmt.Errorf("attest: manifest %s: document_id is empty", ManifestName)
	}
	return &m, nil
}

func jsonOffset(dec *json.Decoder, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("byte %d: %w", se.Offset, err)
	}
	return fmt.Errorf("near byte %d: %w", dec.InputOffset(), err)
}

// attachment returns the content of the embedded file called name, found
// through the catalog's /Names /EmbeddedFiles name tree.
func attachment(data []byte, name string) (content []byte, err error) {
	// digitorus/pdf reports malformed input by panicking.
	defer func() {
		if r := recover(); r != nil {
			content, err = nil, fmt.Errorf("attest: reading PDF: %v", r)
		}
	}()
	rdr, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("attest: reading PDF: %w", err)
	}
	tree := rdr.Trailer().Key("Root").Key("Names").Key("EmbeddedFiles")
	if tree.IsNull() {
		return nil, fmt.Errorf("attest: PDF has no embedded files, so no %s", name)
	}
	var found []pdf.Value
	walkNameTree(tree, 0, func(spec pdf.Value) {
		if spec.Key("UF").Text() == name || spec.Key("F").Text() == name {
			found = append(found, spec)
		}
	})
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("attest: PDF has no embedded file %s", name)
	case 1:
	default:
		return nil, fmt.Errorf("attest: PDF has %d embedded files named %s, want one", len(found), name)
	}
	stream := found[0].Key("EF").Key("F")
	if stream.Kind() != pdf.Stream {
		return nil, fmt.Errorf("attest: embedded file %s has no content stream", name)
	}
	rc := stream.Reader()
	defer rc.Close()
	content, err = io.ReadAll(io.LimitReader(rc, maxManifestSize+1))
	if err != nil {
		return nil, fmt.Errorf("attest: reading embedded file %s: %w", name, err)
	}
	if len(content) > maxManifestSize {
		return nil, fmt.Errorf("attest: embedded file %s is larger than %d bytes", name, maxManifestSize)
	}
	return content, nil
}

// walkNameTree calls fn for every value of a PDF name tree (leaves hold
// /Names [key value ...], intermediate nodes /Kids). Depth is bounded
// against reference cycles.
func walkNameTree(node pdf.Value, depth int, fn func(pdf.Value)) {
	if depth > 32 || node.Kind() != pdf.Dict {
		return
	}
	names := node.Key("Names")
	for i := 1; i < names.Len(); i += 2 {
		fn(names.Index(i))
	}
	kids := node.Key("Kids")
	for i := 0; i < kids.Len(); i++ {
		walkNameTree(kids.Index(i), depth+1, fn)
	}
}
