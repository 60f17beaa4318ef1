package routewarden

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"time"
)

// AlertJSON is the public shape of an alert in the API, the CLI and webhook payloads.
type AlertJSON struct {
	ID         int64      `json:"id"`
	VendorID   int64      `json:"vendor_id"`
	Vendor     string     `json:"vendor,omitempty"`
	ASN        uint32     `json:"asn"`
	Rule       string     `json:"rule"`
	Control    string     `json:"control"`
	Severity   string     `json:"severity"`
	State      string     `json:"state"`
	Subject    string     `json:"subject"`
	Summary    string     `json:"summary"`
	Evidence   []Detail   `json:"evidence"`
	Snapshots  []int64    `json:"snapshots"`
	OpenedAt   time.Time  `json:"opened_at"`
	LastSeenAt time.Time  `json:"last_seen_at"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	AckAt      *time.Time `json:"acknowledged_at,omitempty"`
	AckBy      string     `json:"acknowledged_by,omitempty"`
	AckComment string     `json:"acknowledgement_comment,omitempty"`
}

// JSON returns the alert's public shape.
func (a *Alert) JSON() AlertJSON {
	ev, snaps := a.Evidence, a.Snapshots
	if ev == nil {
		ev = []Detail{}
	}
	if snaps == nil {
		snaps = []int64{}
	}
	return AlertJSON{ID: a.ID, VendorID: a.VendorID, Vendor: a.VendorName, ASN: a.ASN, Rule: a.Rule, Control: a.Control,
		Severity: string(a.Severity), State: string(a.State), Subject: a.Subject, Summary: a.Summary, Evidence: ev,
		Snapshots: snaps, OpenedAt: a.OpenedAt, LastSeenAt: a.LastSeenAt, ResolvedAt: a.ResolvedAt, AckAt: a.AckAt,
		AckBy: a.AckBy, AckComment: a.AckComment}
}

// WebhookSchema names the version of the webhook payload format. A change that is not
// backward compatible gets a new version.
const WebhookSchema = "routewarden.webhook/v1"

// WebhookPayload is the body of one webhook call.
type WebhookPayload struct {
	Schema    string    `json:"schema"`
	ID        string    `json:"id"` // unique per event, for receivers' de-duplication
	Type      string    `json:"type"`
	CreatedAt time.Time `json:"created_at"`
	Data      any       `json:"data"`
}

// NewWebhookPayload encodes an event of type typ with data (for alert events: {"alert": …}).
func NewWebhookPayload(typ string, data any, now time.Time) ([]byte, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	return json.Marshal(WebhookPayload{Schema: WebhookSchema, ID: "evt_" + hex.EncodeToString(b), Type: typ,
		CreatedAt: now.UTC(), Data: data})
}

// AssessmentEventJSON is the data of the assessment.submitted, assessment.approved and
// assessment.rejected webhook events ({"assessment": …}).
type AssessmentEventJSON struct {
	ID             int64     `json:"id"`
	VendorID       int64     `json:"vendor_id"`
	Vendor         string    `json:"vendor"`
	Title          string    `json:"title"`
	From           string    `json:"from"`  // the state it left
	State          string    `json:"state"` // the state it entered
	Library        string    `json:"library"`
	LibraryVersion string    `json:"library_version"`
	DueDate        string    `json:"due_date,omitempty"`
	Actor          string    `json:"actor"`
	At             time.Time `json:"at"`
}

// AttestationEventJSON is the data of the attestation.issued and attestation.revoked webhook
// events ({"attestation": …}). The PDF itself is never sent; receivers fetch it through the API.
type AttestationEventJSON struct {
	ID               int64      `json:"id"`
	DocumentID       string     `json:"document_id"`
	SHA256           string     `json:"sha256"`
	AssessmentID     int64      `json:"assessment_id"`
	VendorID         int64      `json:"vendor_id"`
	Vendor           string     `json:"vendor"`
	IssuedAt         time.Time  `json:"issued_at"`
	IssuedBy         string     `json:"issued_by"`
	Supersedes       string     `json:"supersedes,omitempty"` // document ID of the attestation it replaced
	ValidUntil       *time.Time `json:"valid_until,omitempty"`
	RevokedAt        *time.Time `json:"revoked_at,omitempty"`
	RevokedBy        string     `json:"revoked_by,omitempty"`
	RevocationReason string     `json:"revocation_reason,omitempty"`
	Demo             bool       `json:"demo"`
}
