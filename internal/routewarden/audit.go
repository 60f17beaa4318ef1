package routewarden

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AuditEvent is one entry of the append-only audit log. Each entry's hash covers its content
// and the previous entry's hash, so changing or removing an entry breaks every later hash.
type AuditEvent struct {
	ID           int64
	AssessmentID int64  // 0 for events not about an assessment
	Actor        string // the user's e-mail, "vendor:<e-mail>" for a portal visitor, or "system"
	Action       string // e.g. "assessment.sent", "answer.saved", "discrepancy.resolved"
	Detail       string
	At           time.Time
	PrevHash     string
	Hash         string
}

// GenesisHash is the PrevHash of the first audit event.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// ComputeHash returns the SHA-256 over the event's content and PrevHash: the hash of events
// written before the chain was keyed. The fields are joined length-prefixed so that no two
// different events encode the same.
func (e *AuditEvent) ComputeHash() string {
	sum := sha256.Sum256(e.encode())
	return hex.EncodeToString(sum[:])
}

// ComputeMAC returns the HMAC-SHA256 with key over the same encoding: the hash of events of a
// keyed chain. Without the key nobody can recompute it, so rewriting the database alone cannot
// produce a chain that verifies.
func (e *AuditEvent) ComputeMAC(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write(e.encode())
	return hex.EncodeToString(m.Sum(nil))
}

func (e *AuditEvent) encode() []byte {
	var b strings.Builder
	for _, f := range []string{e.PrevHash, strconv.FormatInt(e.ID, 10), strconv.FormatInt(e.AssessmentID, 10), e.Actor, e.Action,
		e.Detail, e.At.UTC().Format(time.RFC3339Nano)} {
		b.WriteString(strconv.Itoa(len(f)))
		b.WriteByte(':')
		b.WriteString(f)
	}
	return []byte(b.String())
}

// AuditKeyID returns the fingerprint of an audit key that the database may keep:
// HMAC-SHA256(key, "routewarden audit key id"), hex. It names the key without revealing it.
func AuditKeyID(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("routewarden audit key id"))
	return hex.EncodeToString(m.Sum(nil))
}

// AuditChain is the database's mark that the chain is keyed: events from KeyedFrom on carry an
// HMAC with the key whose fingerprint is KeyID.
type AuditChain struct {
	KeyID     string
	KeyedFrom int64
	CreatedAt time.Time
}

// AuditAnchor is the audit head a signed document (attestation or board report) recorded when it
// was issued: the last event before the document's own issue event.
type AuditAnchor struct {
	DocumentID string
	IssuedAt   time.Time
	HeadID     int64
	HeadHash   string
}

// VerifyChain checks that events (in ID order, starting at the first event ever written) link
// up and that each hash matches its content. It names the first broken entry.
func VerifyChain(events []*AuditEvent) error {
	prev := GenesisHash
	for _, e := range events {
		if e.PrevHash != prev {
			return Errorf(EINVALID, "Audit event %d does not follow the one before it (chain broken).", e.ID)
		}
		if e.ComputeHash() != e.Hash {
			return Errorf(EINVALID, "Audit event %d was altered (hash mismatch).", e.ID)
		}
		prev = e.Hash
	}
	return nil
}

// Event returns an audit event about an assessment.
func Event(assessmentID int64, actor, action, format string, args ...any) AuditEvent {
	return AuditEvent{AssessmentID: assessmentID, Actor: actor, Action: action, Detail: fmt.Sprintf(format, args...)}
}

// AuditStore reads the audit log; entries are written by the stores, inside the transaction of
// the change they record.
type AuditStore interface {
	FindAuditEvents(ctx context.Context, assessmentID int64) ([]*AuditEvent, error)
	// VerifyAudit re-computes the whole chain and checks it against the anchors; the error is
	// for a database that cannot be read, what the check found is in the report.
	VerifyAudit(ctx context.Context) (*AuditReport, error)
}
