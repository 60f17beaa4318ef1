package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
	"time"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
)

func sampleBoardReport(pdf string) *rw.BoardReport {
	sum := sha256.Sum256([]byte(pdf))
	return &rw.BoardReport{DocumentID: rw.NewBoardDocumentID(time.Now()), SHA256: hex.EncodeToString(sum[:]),
		SignerFingerprint: strings.Repeat("ab", 32), SignerName: "Risk Office, Łódź",
		IssuedAt: time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC), IssuedBy: "risk@demo.example", Demo: true, DevCertificate: true, PDF: []byte(pdf)}
}

// TestBoardReportRegistry: a board report round-trips, is found by document ID, lists newest
// first, is revoked once with its audit events, and a malformed entry changes nothing.
func TestBoardReportRegistry(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		first, second := sampleBoardReport("%PDF-1.5 board one"), sampleBoardReport("%PDF-1.5 board two")
		for _, b := range []*rw.BoardReport{first, second} {
			if err := db.CreateBoardReport(ctx, b); err != nil {
				t.Fatal(err)
			}
		}
		got, err := db.FindBoardReportByDocumentID(ctx, first.DocumentID)
		if err != nil {
			t.Fatal(err)
		}
		if got.PDF != nil {
			t.Error("FindBoardReportByDocumentID loaded the PDF bytes")
		}
		got.PDF = first.PDF
		if !reflect.DeepEqual(got, first) || got.Size != int64(len(first.PDF)) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, first)
		}
		list, total, err := db.FindBoardReports(ctx, 0, 10)
		if err != nil || total != 2 || len(list) != 2 || list[0].ID != second.ID || list[0].PDF != nil {
			t.Fatalf("list = %v %d %v, want the second first without bytes", list, total, err)
		}
		full, err := db.BoardReportPDF(ctx, first.ID)
		if err != nil || !bytes.Equal(full.PDF, first.PDF) {
			t.Fatalf("PDF bytes: %q %v", full.PDF, err)
		}
		if _, err := db.FindBoardReportByDocumentID(ctx, "RW-BOARD-2026-000000000000"); rw.ErrorCode(err) != rw.ENOTFOUND {
			t.Errorf("unknown document ID: %v, want not_found", err)
		}

		bad := sampleBoardReport("%PDF-1.5 bad")
		bad.DocumentID = rw.NewDocumentID(time.Now()) // an attestation's ID
		if err := db.CreateBoardReport(ctx, bad); rw.ErrorCode(err) != rw.EINVALID {
			t.Errorf("attestation-shaped ID: %v, want invalid", err)
		}
		dup := sampleBoardReport("%PDF-1.5 board one") // same SHA-256
		if err := db.CreateBoardReport(ctx, dup); rw.ErrorCode(err) != rw.ECONFLICT {
			t.Errorf("same file twice: %v, want conflict", err)
		}
		if _, total, _ := db.FindBoardReports(ctx, 0, 10); total != 2 {
			t.Errorf("refused entries were stored: %d reports", total)
		}

		if _, err := db.RevokeBoardReport(ctx, first.ID, "risk@demo.example", "no"); rw.ErrorCode(err) != rw.EINVALID {
			t.Errorf("short reason: %v, want invalid", err)
		}
		r, err := db.RevokeBoardReport(ctx, first.ID, "risk@demo.example", "Figures were taken before the import.")
		if err != nil || !r.Revoked() || r.RevokedBy != "risk@demo.example" {
			t.Fatalf("revoke = %+v %v", r, err)
		}
		if _, err := db.RevokeBoardReport(ctx, first.ID, "admin@demo.example", "Again, for good measure."); rw.ErrorCode(err) != rw.ECONFLICT {
			t.Errorf("second revocation: %v, want conflict", err)
		}
		if got, _ := db.FindBoardReportByDocumentID(ctx, first.DocumentID); got == nil || !got.Revoked() || got.RevocationReason != "Figures were taken before the import." {
			t.Errorf("after revocation: %+v", got)
		}
		events, err := db.FindAuditEvents(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action+" "+strings.Fields(e.Detail)[0])
		}
		want := []string{"board_report.issued " + first.DocumentID, "board_report.issued " + second.DocumentID, "board_report.revoked " + first.DocumentID + ":"}
		if !reflect.DeepEqual(actions, want) {
			t.Errorf("audit events = %q, want %q", actions, want)
		}
		if second.AuditHeadID != first.AuditHeadID+1 || second.AuditHeadHash == "" {
			t.Errorf("audit anchors: first %d, second %d %q", first.AuditHeadID, second.AuditHeadID, second.AuditHeadHash)
		}
		rep, err := db.VerifyAudit(ctx)
		if err != nil || !rep.Intact() {
			t.Errorf("audit chain after board reports: %+v %v", rep, err)
		}
	})
}
