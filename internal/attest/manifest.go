package attest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
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
	ChangedSinceApproval []string  `json:"changed_since_approval,omitempty"`
	PeriodStart          time.Time `json:"period_start"`
	PeriodEnd            time.Time `json:"period_end"`
	// Decision, ValidFrom and ValidUntil are absent from documents issued before they were
	// stated.
	Decision    *Decision            `json:"decision,omitempty"`
	ValidFrom   time.Time            `json:"valid_from,omitzero"`
	ValidUntil  time.Time            `json:"valid_until,omitzero"`
	Library     Library              `json:"library"`
	Snapshots   []Snapshot           `json:"snapshots"`
	Residual    string               `json:"residual_rating"`
	Inherent    string               `json:"inherent_tier"`
	Controls    []ManifestControl    `json:"controls"`
	Waivers     []Waiver             `json:"waivers"`
	Obligations []ManifestObligation `json:"obligations"`
	Readiness   []Readiness          `json:"readiness"`
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
		PeriodStart: utc(d.PeriodStart), PeriodEnd: utc(d.PeriodEnd), ValidFrom: utc(d.ValidFrom), ValidUntil: utc(d.ValidUntil),
		Library:   d.Library,
		Snapshots: []Snapshot{}, Residual: d.Rating.Residual, Inherent: d.Rating.Inherent,
		Controls: []ManifestControl{}, Waivers: []Waiver{}, Obligations: []ManifestObligation{},
		Readiness: []Readiness{},
	}
	if !d.Decision.At.IsZero() {
		m.Decision = &Decision{By: d.Decision.By, At: utc(d.Decision.At)}
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
func ExtractManifest(data []byte) (*Manifest, error) {
	f, err := openPDF(context.Background(), data)
	if err != nil {
		return nil, fmt.Errorf("attest: reading PDF: %w", err)
	}
	return f.manifest()
}

func (f *pdfFile) manifest() (*Manifest, error) {
	raw, err := f.attachment(ManifestName)
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
func (f *pdfFile) attachment(name string) ([]byte, error) {
	wrap := func(err error) error { return fmt.Errorf("attest: reading PDF: %w", err) }
	root, err := f.dict(f.trailer["Root"])
	if err != nil {
		return nil, wrap(err)
	}
	names, err := f.dict(root["Names"])
	if err != nil {
		return nil, wrap(err)
	}
	tree, err := f.dict(names["EmbeddedFiles"])
	if err != nil {
		return nil, wrap(err)
	}
	if tree == nil {
		return nil, fmt.Errorf("attest: PDF has no embedded files, so no %s", name)
	}
	var found []pdfDict
	err = f.walkNameTree(tree, func(v any) error {
		spec, err := f.dict(v)
		if err != nil || spec == nil {
			return err
		}
		if textString(spec["UF"]) == name || textString(spec["F"]) == name {
			found = append(found, spec)
		}
		return nil
	})
	if err != nil {
		return nil, wrap(err)
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("attest: PDF has no embedded file %s", name)
	case 1:
	default:
		return nil, fmt.Errorf("attest: PDF has %d embedded files named %s, want one", len(found), name)
	}
	ef, err := f.dict(found[0]["EF"])
	if err != nil {
		return nil, wrap(err)
	}
	sv, err := f.resolve(ef["F"])
	if err != nil {
		return nil, wrap(err)
	}
	stream, ok := sv.(*pdfStream)
	if !ok {
		return nil, fmt.Errorf("attest: embedded file %s has no content stream", name)
	}
	content, err := f.decoded(stream, maxManifestSize)
	if err != nil {
		return nil, fmt.Errorf("attest: reading embedded file %s: %w", name, err)
	}
	return content, nil
}

// walkNameTree calls fn for every value of a PDF name tree (leaves hold
// /Names [key value ...], intermediate nodes /Kids). Depth and the number of
// nodes are bounded against cycles and crafted trees.
func (f *pdfFile) walkNameTree(root pdfDict, fn func(any) error) error {
	type node struct {
		d     pdfDict
		depth int
	}
	todo := []node{{root, 0}}
	for visited := 0; len(todo) > 0; visited++ {
		if visited == pdfMaxTreeNodes {
			return fmt.Errorf("the name tree has more than %d nodes", pdfMaxTreeNodes)
		}
		n := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		names, err := f.resolve(n.d["Names"])
		if err != nil {
			return err
		}
		if a, ok := names.(pdfArray); ok {
			for i := 1; i < len(a); i += 2 {
				if err := fn(a[i]); err != nil {
					return err
				}
			}
		}
		kids, err := f.resolve(n.d["Kids"])
		if err != nil {
			return err
		}
		a, ok := kids.(pdfArray)
		if !ok || n.depth >= 32 {
			continue
		}
		for i := len(a) - 1; i >= 0; i-- {
			k, err := f.dict(a[i])
			if err != nil {
				return err
			}
			if k != nil {
				todo = append(todo, node{k, n.depth + 1})
			}
		}
	}
	return nil
}
