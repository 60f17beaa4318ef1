package store_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
)

var (
	keyA = bytes.Repeat([]byte{0xA1}, 32)
	keyB = bytes.Repeat([]byte{0xB2}, 32)
)

// keyedDB returns a database whose chain is keyed with keyA from its first event, with n events.
func keyedDB(t *testing.T, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	db.SetAuditKey(keyA, "ROUTEWARDEN_AUDIT_KEY")
	if _, err := db.EnsureAuditChain(ctx); err != nil {
		t.Fatal(err)
	}
	appendN(t, db, n)
}

func appendN(t *testing.T, db *store.DB, n int) {
	t.Helper()
	for i := range n {
		if err := db.AppendAudit(context.Background(), rw.Event(1, "risk@example.net", "test.event", "event %d", i)); err != nil {
			t.Fatal(err)
		}
	}
}

func verify(t *testing.T, db *store.DB) *rw.AuditReport {
	t.Helper()
	rep, err := db.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestAuditChainKeyed(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		keyedDB(t, db, 5)
		rep := verify(t, db)
		if !rep.Intact() || !rep.KeyChecked || rep.Keyed != 5 || rep.Unkeyed != 0 || rep.Chain.KeyedFrom != 1 {
			t.Fatalf("keyed chain: %+v", rep)
		}
		evs, _ := db.AllAuditEvents(context.Background())
		if evs[0].Hash == evs[0].ComputeHash() || evs[0].Hash != evs[0].ComputeMAC(keyA) {
			t.Error("the first event of a keyed chain carries no HMAC")
		}
	})
}

// TestAuditChainLegacyThenKeyed: a database written before the key keeps verifying; events
// from the key mark on carry HMACs.
func TestAuditChainLegacyThenKeyed(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		appendN(t, db, 3) // no key: as before migration 0011
		if rep := verify(t, db); !rep.Intact() || rep.Chain != nil || rep.Unkeyed != 3 {
			t.Fatalf("unkeyed chain: %+v", rep)
		}
		keyedDB(t, db, 2)
		rep := verify(t, db)
		if !rep.Intact() || rep.Unkeyed != 3 || rep.Keyed != 2 || rep.Chain.KeyedFrom != 4 || !rep.KeyChecked {
			t.Fatalf("after keying: %+v (problems %v)", rep, rep.Problems)
		}
		if !strings.Contains(strings.Join(rep.Limits(), " "), "Events 1 to 3 predate the key") {
			t.Errorf("limits do not name the unkeyed events: %v", rep.Limits())
		}
	})
}

// TestAuditChainRecomputedWithAnotherKey: someone with write access rewrites an event and
// recomputes the whole chain — with their own key, and with the key mark replaced too.
func TestAuditChainRecomputedWithAnotherKey(t *testing.T) {
	for _, tc := range []struct {
		name        string
		replaceMark bool
		want        string
	}{
		{"hashes only", false, "HMAC mismatch"},
		{"hashes and key mark", true, "is not the key the chain is marked with"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				keyedDB(t, db, 4)
				if err := db.DropAuditGuards(ctx); err != nil {
					t.Fatal(err)
				}
				evs, _ := db.AllAuditEvents(ctx)
				prev := rw.GenesisHash
				for _, e := range evs {
					if e.ID == 2 {
						e.Detail = "forged"
					}
					e.PrevHash = prev
					e.Hash = e.ComputeMAC(keyB)
					prev = e.Hash
					// Two passes would be needed against the UNIQUE hashes; set them to placeholders first.
					if err := db.Exec(ctx, `UPDATE audit_events SET detail = $1, prev_hash = $2, hash = $3 WHERE id = $4`,
						e.Detail, "tmp-p-"+fmt.Sprint(e.ID), "tmp-h-"+fmt.Sprint(e.ID), e.ID); err != nil {
						t.Fatal(err)
					}
				}
				for _, e := range evs {
					if err := db.Exec(ctx, `UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE id = $3`, e.PrevHash, e.Hash, e.ID); err != nil {
						t.Fatal(err)
					}
				}
				if tc.replaceMark {
					if err := db.Exec(ctx, `UPDATE audit_chain SET key_id = $1`, rw.AuditKeyID(keyB)); err != nil {
						t.Fatal(err)
					}
				}
				rep := verify(t, db)
				if rep.Intact() || !strings.Contains(strings.Join(rep.Problems, " "), tc.want) {
					t.Fatalf("recomputed chain: intact=%v problems %v, want %q", rep.Intact(), rep.Problems, tc.want)
				}
			})
		})
	}
}

// TestAuditKeyRefusesAppend: an instance without the chain's key, or with another key, can read
// the log but not append to it, and says which key to supply.
func TestAuditKeyRefusesAppend(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		keyedDB(t, db, 2)
		tests := []struct {
			name   string
			key    []byte
			source string
			wants  []string
		}{
			{"wrong key", keyB, "ROUTEWARDEN_AUDIT_KEY", []string{"audit key from ROUTEWARDEN_AUDIT_KEY", "is not the key"}},
			{"no key", nil, "/srv/rw/audit.key", []string{"no audit key", "ROUTEWARDEN_AUDIT_KEY", "/srv/rw/audit.key"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				db.SetAuditKey(tc.key, tc.source)
				_, ensureErr := db.EnsureAuditChain(ctx)
				err := db.AppendAudit(ctx, rw.Event(1, "x", "test.event", "refused"))
				for _, e := range []error{ensureErr, err} {
					if e == nil {
						t.Fatal("accepted")
					}
					for _, w := range tc.wants {
						if !strings.Contains(e.Error(), w) {
							t.Errorf("error %q lacks %q", e, w)
						}
					}
				}
				if evs, err := db.FindAuditEvents(ctx, 1); err != nil || len(evs) != 2 {
					t.Errorf("reading: %d events, %v; want the 2 written", len(evs), err)
				}
				rep := verify(t, db)
				if tc.key == nil && (!rep.Intact() || rep.KeyChecked || !strings.Contains(strings.Join(rep.Limits(), " "), "NOT checked")) {
					t.Errorf("verify without the key: intact=%v checked=%v limits %v", rep.Intact(), rep.KeyChecked, rep.Limits())
				}
				if tc.key != nil && rep.Intact() {
					t.Error("verify with the wrong key says intact")
				}
			})
		}
	})
}

// TestAuditTruncationAgainstAnchor: removing the newest events passes unnoticed only after the
// latest anchor; removing an anchored head is detected.
func TestAuditTruncationAgainstAnchor(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		keyedDB(t, db, 3)
		a := sampleAttestation("%PDF-1.5 anchor")
		if err := db.CreateAttestation(ctx, a); err != nil {
			t.Fatal(err)
		}
		if a.AuditHeadID != 3 || a.AuditHeadHash == "" {
			t.Fatalf("anchor = %d %q, want event 3", a.AuditHeadID, a.AuditHeadHash)
		}
		appendN(t, db, 2) // events 5 and 6, after the anchor (3) and the issue event (4)
		rep := verify(t, db)
		if !rep.Intact() || rep.Latest == nil || rep.Latest.HeadID != 3 || rep.Anchors != 1 {
			t.Fatalf("anchored chain: %+v %v", rep, rep.Problems)
		}
		if l := strings.Join(rep.Limits(), " "); !strings.Contains(l, "last 2 event(s), after the latest signed document (events 5 to 6)") {
			t.Errorf("limits: %s", l)
		}
		if err := db.DropAuditGuards(ctx); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name  string
			from  int
			ok    bool
			wants string
		}{
			{"after the issue event: cannot be detected, and is said so", 6, true, ""},
			{"the issue event", 4, false, "issue event is missing"},
			{"the anchored head", 3, false, "anchors event 3, which is missing"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if err := db.Exec(ctx, `DELETE FROM audit_events WHERE id >= $1`, tc.from); err != nil {
					t.Fatal(err)
				}
				rep := verify(t, db)
				if rep.Intact() != tc.ok || !strings.Contains(strings.Join(rep.Problems, " "), tc.wants) {
					t.Errorf("truncated from %d: intact=%v problems %v", tc.from, rep.Intact(), rep.Problems)
				}
			})
		}
	})
}

// TestAuditKeyCreatedOnFirstWrite: the key is made by the first append, not before — a database
// nobody writes to (a restore target) gets no key and no key mark.
func TestAuditKeyCreatedOnFirstWrite(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		calls := 0
		db.SetAuditKeyCreator("/data/audit.key", func() ([]byte, string, error) { calls++; return keyA, "/data/audit.key", nil })
		if err := db.CheckAuditKey(ctx); err != nil || calls != 0 {
			t.Fatalf("check before any write: %v, %d keys created", err, calls)
		}
		if _, err := db.AuditChain(ctx); rw.ErrorCode(err) != rw.ENOTFOUND {
			t.Fatalf("key mark before any write: %v", err)
		}
		appendN(t, db, 2)
		rep := verify(t, db)
		if calls != 1 || !rep.Intact() || !rep.KeyChecked || rep.Chain.KeyedFrom != 1 || rep.Keyed != 2 {
			t.Errorf("after two appends: %d keys created, %+v", calls, rep)
		}
	})
}

// TestAuditBoardReportAnchors: board reports anchor the chain as attestations do — a board
// report issued after the latest attestation moves the undetectable tail forward, and removing
// its issue event or its anchored head is detected and named as a board report.
func TestAuditBoardReportAnchors(t *testing.T) {
	forEachBackend(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		keyedDB(t, db, 3)
		if err := db.CreateAttestation(ctx, sampleAttestation("%PDF-1.5 anchor")); err != nil { // anchor 3, issue event 4
			t.Fatal(err)
		}
		appendN(t, db, 2) // 5, 6
		b := sampleBoardReport("%PDF-1.5 board anchor")
		if err := db.CreateBoardReport(ctx, b); err != nil { // anchor 6, issue event 7
			t.Fatal(err)
		}
		if b.AuditHeadID != 6 {
			t.Fatalf("board anchor = %d, want event 6", b.AuditHeadID)
		}
		appendN(t, db, 1) // 8
		rep := verify(t, db)
		if !rep.Intact() || rep.Anchors != 2 || rep.Latest == nil || rep.Latest.DocumentID != b.DocumentID {
			t.Fatalf("anchored chain: anchors %d latest %+v problems %v", rep.Anchors, rep.Latest, rep.Problems)
		}
		if l := strings.Join(rep.Limits(), " "); !strings.Contains(l, "last 1 event(s), after the latest signed document (events 8 to 8)") {
			t.Errorf("limits: %s", l)
		}
		if err := db.DropAuditGuards(ctx); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			from  int
			wants string
		}{
			{7, "Board report " + b.DocumentID + " is registered but its issue event is missing"},
			{6, "Board report " + b.DocumentID + " (issued 2026-03-10) anchors event 6, which is missing"},
		} {
			if err := db.Exec(ctx, `DELETE FROM audit_events WHERE id >= $1`, tc.from); err != nil {
				t.Fatal(err)
			}
			if rep := verify(t, db); rep.Intact() || !strings.Contains(strings.Join(rep.Problems, " "), tc.wants) {
				t.Errorf("truncated from %d: intact=%v problems %v", tc.from, rep.Intact(), rep.Problems)
			}
		}
	})
}
