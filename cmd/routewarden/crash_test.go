package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"routewarden/internal/attest"
	"routewarden/internal/demo"
	"routewarden/internal/evidence"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
	"routewarden/internal/store/storetest"
	"routewarden/migrations"
)

// Environment of the crash helper process.
const (
	crashOp      = "RW_CRASH_OP"      // import, answer or attest
	crashDB      = "RW_CRASH_DB"      // the database DSN
	crashDir     = "RW_CRASH_DIR"     // the data directory
	crashBarrier = "RW_CRASH_BARRIER" // file written when the operation is about to make commit number RW_CRASH_AT
	crashAt      = "RW_CRASH_AT"
	crashTarget  = "RW_CRASH_TARGET" // the assessment the operation works on
)

// TestCrashChild is the helper process of TestCrashConsistency: it performs one operation as
// the command line does and, when a barrier is named, announces the moment before the commit
// and waits there to be killed.
func TestCrashChild(t *testing.T) {
	op := os.Getenv(crashOp)
	if op == "" {
		t.Skip("helper process of TestCrashConsistency")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, os.Getenv(crashDB), migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	target, _ := strconv.ParseInt(os.Getenv(crashTarget), 10, 64)
	var do func() error
	switch op {
	case "import":
		files := demo.EvidenceFiles(time.Now())["vrps"]
		do = func() error { _, _, err := evidence.Import(ctx, db, "vrps", "crash drill", files, false); return err }
	case "answer":
		answers, err := db.FindAnswers(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		a := firstUnmeasured(answers)
		a.Comment = "saved during a crash drill at " + time.Now().String()
		do = func() error { return db.SaveAnswer(ctx, a, "vendor:noc@drill.example") }
	case "attest":
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		lib, err := loadLibrary(ctx, db, log)
		if err != nil {
			t.Fatal(err)
		}
		is, _, _, err := newAttestation(&config{DataDir: os.Getenv(crashDir)}, db, lib, log)
		if err != nil {
			t.Fatal(err)
		}
		do = func() error { _, err := is.IssueAttestation(ctx, target, "risk@drill.example", 0); return err }
	default:
		t.Fatalf("unknown operation %q", op)
	}
	at, _ := strconv.Atoi(os.Getenv(crashAt))
	commits := 0
	if barrier := os.Getenv(crashBarrier); barrier != "" {
		db.BeforeCommit = func() {
			if commits++; commits < at {
				return
			}
			if err := os.WriteFile(barrier, []byte("about to commit"), 0o600); err != nil {
				panic(err)
			}
			time.Sleep(time.Minute) // the parent kills us here
		}
	}
	if err := do(); err != nil {
		t.Fatal(err)
	}
}

func firstUnmeasured(answers []*rw.Answer) *rw.Answer {
	for _, a := range answers {
		if !a.Measured {
			return a
		}
	}
	return nil
}

// runChild runs the helper for op with a barrier before its commit number at: when the child
// reaches it, runChild kills it with SIGKILL and returns true; when the child finishes first,
// it requires success and returns false.
func runChild(t *testing.T, db *store.DB, dir, op string, target int64, at int) (killed bool) {
	t.Helper()
	barrier := filepath.Join(t.TempDir(), "barrier")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashOp+"="+op, crashDB+"="+db.DSN, crashDir+"="+dir, crashBarrier+"="+barrier,
		crashTarget+"="+strconv.FormatInt(target, 10), crashAt+"="+strconv.Itoa(at))
	out, err := os.CreateTemp(t.TempDir(), "child-")
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(15 * time.Second)
	for {
		if _, err := os.Stat(barrier); err == nil {
			break
		}
		select {
		case err := <-exited:
			if err != nil {
				b, _ := os.ReadFile(out.Name())
				t.Fatalf("%s retried after the crash failed: %v\n%s", op, err, b)
			}
			return false
		case <-deadline:
			cmd.Process.Kill()
			t.Fatalf("%s did not reach the commit barrier within 15 s", op)
		case <-time.After(5 * time.Millisecond):
		}
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred clean-up, no rollback by the client
		t.Fatal(err)
	}
	<-exited
	return true
}

// digests returns every table's content digest.
func digests(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	if _, err := db.Dump(context.Background(), func(tb *store.Table, rows store.DumpRows) error {
		if err := rows(io.Discard, nil); err != nil {
			return err
		}
		out[tb.Name] = tb.Digest
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func count(t *testing.T, db *store.DB, table string) int {
	t.Helper()
	var n int
	if _, err := db.Dump(context.Background(), func(tb *store.Table, rows store.DumpRows) error {
		if tb.Name == table {
			if err := rows(io.Discard, nil); err != nil {
				return err
			}
			n = int(tb.Rows)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCrashConsistency kills a process with SIGKILL inside the transaction of an import, an
// answer save and an attestation issue, just before it commits: the database must be exactly
// as before (no half operation visible), the audit chain intact, and the operation retried
// must succeed.
func TestCrashConsistency(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			db, dir := b.Open(t), t.TempDir()
			approved, inProgress := crashFixture(t, db)
			ops := []struct {
				name, table string
				target      int64
			}{
				{"import", "snapshots", 0},
				{"answer", "answer_history", inProgress},
				{"attest", "attestations", approved},
			}
			for _, op := range ops {
				t.Run(op.name, func(t *testing.T) {
					before, rows := digests(t, db), count(t, db, op.table)
					// Kill it before its first commit, then before its second, and so on, until
					// a run gets through: that run is the retry. An operation split over several
					// transactions shows its first part after a kill before the second.
					at := 1
					for ; runChild(t, db, dir, op.name, op.target, at); at++ {
						after := digests(t, db)
						for name, d := range before {
							if after[name] != d {
								t.Fatalf("table %s changed although the %s was killed before its commit number %d", name, op.name, at)
							}
						}
						if rep, err := db.VerifyAudit(ctx); err != nil || !rep.Intact() {
							t.Fatalf("audit verify after the crash: %v %+v", err, rep)
						}
					}
					if at == 1 {
						t.Fatalf("the %s never reached a commit", op.name)
					}
					if n := count(t, db, op.table); n != rows+1 {
						t.Errorf("%s after the retry: %d rows, want %d", op.table, n, rows+1)
					}
					if rep, err := db.VerifyAudit(ctx); err != nil || !rep.Intact() {
						t.Fatalf("audit verify after the retry: %v %+v", err, rep)
					}
				})
			}
		})
	}
}

// crashFixture stores what the operations need, as a running server would have it: the
// registered control library, a vendor with an approved assessment and one in progress with an
// answer.
func crashFixture(t *testing.T, db *store.DB) (approved, inProgress int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := loadLibrary(ctx, db, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	// serve stores the development signer when it starts; the attest drill issues with it.
	if _, _, err := attest.EnsureSharedDevSigner(ctx, db, ""); err != nil {
		t.Fatal(err)
	}
	v := &rw.Vendor{LegalName: "Crash Drill Transit AG", Country: "CH",
		Services: []*rw.Service{{Name: "Transit", Type: "S10", ProviderType: rw.ProviderTransit, Critical: true, Regulations: []string{"DORA"}}},
		Networks: []*rw.Network{{ASN: 64500}}}
	if err := db.CreateVendor(ctx, v); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for range 2 {
		a := &rw.Assessment{VendorID: v.ID, Library: "routewarden-manrs", LibraryVersion: "2026.1", LibraryDigest: "d",
			Scope: []rw.ProviderType{rw.ProviderTransit}, DueDate: time.Now().AddDate(0, 1, 0)}
		if err := db.CreateAssessment(ctx, a, nil, nil, "procurement@drill.example"); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	steps := map[int64][]rw.AssessmentState{
		ids[0]: {rw.StateSent, rw.StateInProgress, rw.StateSubmitted, rw.StateInReview, rw.StateApproved},
		ids[1]: {rw.StateSent, rw.StateInProgress},
	}
	for id, states := range steps {
		for _, st := range states {
			if _, err := db.Transition(ctx, id, st, rw.AuditEvent{Actor: "risk@drill.example"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := db.SaveAnswer(ctx, &rw.Answer{AssessmentID: ids[1], QuestionID: "Q1", Values: []string{"yes"}}, "vendor:noc@drill.example"); err != nil {
		t.Fatal(err)
	}
	return ids[0], ids[1]
}
