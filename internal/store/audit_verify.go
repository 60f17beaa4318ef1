package store

import (
	"context"
	"strings"
	"time"

	rw "routewarden/internal/routewarden"
)

// VerifyAudit re-computes the whole chain, in pages: IDs without gaps, links, the plain hashes
// of events before the key mark and the HMACs after it (when this process has the key), and
// every attestation's anchor (its recorded head must still be in the log with that hash, and its
// issue event must be there too). What it could not check is in the report's Limits.
func (db *DB) VerifyAudit(ctx context.Context) (*rw.AuditReport, error) {
	rep := &rw.AuditReport{}
	ch, err := db.AuditChain(ctx)
	if err != nil && rw.ErrorCode(err) != rw.ENOTFOUND {
		return nil, err
	}
	rep.Chain = ch
	k := db.auditKeyState()
	var key []byte
	if ch != nil {
		switch {
		case k.key == nil:
			rep.KeyMissing = "no audit key was supplied (set ROUTEWARDEN_AUDIT_KEY or copy the audit.key file to " + k.source + ")"
		case k.id != ch.KeyID:
			rep.Fail("The audit key from %s (key id %.16s…) is not the key the chain is marked with (key id %.16s…): "+
				"either the key is wrong or the mark was replaced; HMACs not checked.", k.source, k.id, ch.KeyID)
			rep.KeyMissing = "the supplied key is not the chain's key"
		default:
			key, rep.KeySource, rep.KeyChecked = k.key, k.source, true
		}
	}
	anchors, issued, err := db.auditAnchors(ctx)
	if err != nil {
		return nil, err
	}
	complete, err := db.walkAudit(ctx, rep, key, anchors, issued)
	if err != nil {
		return nil, err
	}
	if !complete {
		return rep, nil // what follows a break cannot be judged
	}
	if ch != nil && ch.KeyedFrom > rep.LastID+1 {
		rep.Fail("The key mark says the chain is keyed from event %d, after the last event (%d): the log was cut or the mark moved.",
			ch.KeyedFrom, rep.LastID)
	}
	for _, as := range anchors {
		for _, a := range as {
			rep.Fail("%s %s (issued %s) anchors event %d, which is missing: events after %d were removed.",
				a.Kind(), a.DocumentID, a.AnchorTime(), a.HeadID, rep.LastID)
		}
	}
	for doc := range issued {
		rep.Fail("%s %s is registered but its issue event is missing from the log.", (&rw.AuditAnchor{DocumentID: doc}).Kind(), doc)
	}
	return rep, nil
}

// walkAudit reads the events in pages and checks each; matched anchors and issue events are
// removed from the maps, so what is left afterwards is missing from the log. It stops at the
// first break (complete is false).
func (db *DB) walkAudit(ctx context.Context, rep *rw.AuditReport, key []byte, anchors map[int64][]*rw.AuditAnchor,
	issued map[string]bool) (complete bool, err error) {
	prev := rw.GenesisHash
	for {
		var rows []auditRow
		if err := db.q(ctx).Where("id > ?", rep.LastID).Order("id").Limit(1000).Find(&rows).Error; err != nil {
			return false, err
		}
		if len(rows) == 0 {
			return true, nil
		}
		for i := range rows {
			e := rows[i].domain()
			if !db.checkEvent(rep, e, prev, key) {
				return false, nil // the first break makes every later check meaningless
			}
			for _, a := range anchors[e.ID] {
				if a.HeadHash != e.Hash {
					rep.Fail("%s %s anchors event %d with hash %.16s…, but the log has %.16s…: the log was rewritten.",
						a.Kind(), a.DocumentID, e.ID, a.HeadHash, e.Hash)
				}
				rep.Anchors++
				if rep.Latest == nil || a.HeadID >= rep.Latest.HeadID {
					rep.Latest = a
				}
			}
			delete(anchors, e.ID)
			if e.Action == "attestation.issued" || e.Action == "board_report.issued" {
				if doc, _, _ := strings.Cut(e.Detail, " "); issued[doc] {
					delete(issued, doc)
					rep.Covered = e.ID // a registered attestation needs this event
				}
			}
			prev, rep.LastID, rep.Head = e.Hash, e.ID, e.Hash
			rep.Events++
		}
	}
}

// checkEvent checks one event's ID, link and hash, recording the first problem.
func (db *DB) checkEvent(rep *rw.AuditReport, e *rw.AuditEvent, prev string, key []byte) bool {
	switch {
	case e.ID != rep.LastID+1:
		rep.Fail("Audit events %d to %d are missing (the log jumps from %d to %d).", rep.LastID+1, e.ID-1, rep.LastID, e.ID)
		return false
	case e.PrevHash != prev:
		rep.Fail("Audit event %d does not follow the one before it (chain broken).", e.ID)
		return false
	}
	keyed := rep.Chain != nil && e.ID >= rep.Chain.KeyedFrom
	switch {
	case !keyed:
		rep.Unkeyed++
		if e.ComputeHash() != e.Hash {
			rep.Fail("Audit event %d was altered (hash mismatch).", e.ID)
			return false
		}
	case key != nil:
		rep.Keyed++
		if e.ComputeMAC(key) != e.Hash {
			rep.Fail("Audit event %d was altered or its HMAC was computed with another key (HMAC mismatch).", e.ID)
			return false
		}
	default:
		rep.Keyed++
	}
	return true
}

// auditAnchors returns the anchors of the signed documents - attestations and board reports -
// by head ID, and the document IDs of every registered document (each must have its issue
// event in the log).
func (db *DB) auditAnchors(ctx context.Context) (map[int64][]*rw.AuditAnchor, map[string]bool, error) {
	cols := []string{"id", "document_id", "issued_at", "audit_head_id", "audit_head_hash"}
	var atts []attestationRow
	if err := db.q(ctx).Select(cols).Order("id").Find(&atts).Error; err != nil {
		return nil, nil, err
	}
	var boards []boardReportRow
	if err := db.q(ctx).Select(cols).Order("id").Find(&boards).Error; err != nil {
		return nil, nil, err
	}
	anchors, issued := map[int64][]*rw.AuditAnchor{}, map[string]bool{}
	add := func(doc string, at time.Time, headID int64, headHash string) {
		issued[doc] = true
		if headID > 0 {
			anchors[headID] = append(anchors[headID], &rw.AuditAnchor{DocumentID: doc, IssuedAt: at.UTC(), HeadID: headID, HeadHash: headHash})
		}
	}
	for _, r := range atts {
		add(r.DocumentID, r.IssuedAt, r.AuditHeadID, r.AuditHeadHash)
	}
	for _, r := range boards {
		add(r.DocumentID, r.IssuedAt, r.AuditHeadID, r.AuditHeadHash)
	}
	return anchors, issued, nil
}
