package job_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"routewarden/internal/job"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
	"routewarden/internal/store/storetest"
	"routewarden/internal/webhook"
)

func migrate(t *testing.T, db *store.DB) {
	t.Helper()
	if err := job.Migrate(context.Background(), db.SQL(), string(db.Dialect)); err != nil {
		t.Fatal(err)
	}
}

func waitFor(t *testing.T, what string, d time.Duration, ok func() bool) {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// TestWebhookRetry: a receiver that fails twice and then answers 204 gets the delivery on the
// third attempt, through the River queue on a real SQLite database; the log records each try.
func TestWebhookRetry(t *testing.T) {
	db := storetest.SQLite(t)
	migrate(t, db)
	ctx := context.Background()
	var calls atomic.Int32
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			http.Error(w, "not yet", http.StatusServiceUnavailable)
			return
		}
		if webhook.Verify("0123456789abcdef0123", r.Header.Get(webhook.SignatureHeader), mustRead(r), time.Now(), time.Minute) != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer recv.Close()
	hook := &rw.Webhook{URL: recv.URL, Secret: "0123456789abcdef0123", Events: []string{"alert.opened"}, Enabled: true}
	if err := db.CreateWebhook(ctx, hook); err != nil {
		t.Fatal(err)
	}
	q, err := job.New(db.SQL(), job.Config{Dialect: "sqlite", Workers: 2, RetryBase: 20 * time.Millisecond, PollInterval: 50 * time.Millisecond},
		job.NewWorkers(job.Deps{Deliveries: db, Webhooks: webhook.NewClient(webhook.Policy{AllowPrivate: true}, time.Second)}))
	if err != nil {
		t.Fatal(err)
	}
	db.Enqueue = q.EnqueueDeliveries
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer q.Stop(ctx)
	payload, _ := rw.NewWebhookPayload("test", map[string]string{"hello": "world"}, time.Now())
	ids, err := db.CreateDeliveries(ctx, hook.ID, "test", payload)
	if err != nil || len(ids) != 1 {
		t.Fatalf("deliveries %v, %v", ids, err)
	}
	waitFor(t, "delivery", 20*time.Second, func() bool {
		d, err := db.FindDeliveryByID(ctx, ids[0])
		return err == nil && d.State == "delivered"
	})
	d, _ := db.FindDeliveryByID(ctx, ids[0])
	if d.Attempts != 3 || d.StatusCode != http.StatusNoContent || calls.Load() != 3 {
		t.Errorf("delivery %+v after %d calls; want 3 attempts ending in 204", d, calls.Load())
	}
	// The failed attempts are visible to admins as the job's error history.
	jobs, err := q.ListJobs(ctx, nil, 10)
	if err != nil || len(jobs) == 0 || jobs[0].Kind != "webhook.deliver" || jobs[0].Attempt != 3 {
		t.Errorf("jobs = %+v, %v", jobs, err)
	}
}

// TestScheduledOnce: two instances (two River clients) on one PostgreSQL schema run a scheduled
// job once per period between them, not once each.
func TestScheduledOnce(t *testing.T) {
	db := storetest.Postgres(t)
	migrate(t, db)
	ctx := context.Background()
	var runs atomic.Int32
	var queues []*job.Queue
	for i := range 2 {
		q, err := job.New(db.SQL(), job.Config{Dialect: "postgres", Workers: 2, RecheckSchedule: "@every 1s", SyncSchedule: "off",
			PollInterval: 100 * time.Millisecond, ID: []string{"instance-a", "instance-b"}[i]},
			job.NewWorkers(job.Deps{Recheck: func(context.Context) error { runs.Add(1); return nil }}))
		if err != nil {
			t.Fatal(err)
		}
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		queues = append(queues, q)
	}
	waitFor(t, "a first scheduled run", 15*time.Second, func() bool { return runs.Load() > 0 })
	start, before := time.Now(), runs.Load()
	time.Sleep(4 * time.Second)
	n := runs.Load() - before
	elapsed := time.Since(start).Seconds()
	for _, q := range queues {
		q.Stop(ctx)
	}
	// One per second between the two; twice as many would mean each instance ran it.
	if float64(n) > elapsed+1.5 || n < 2 {
		t.Errorf("%d runs in %.1f s with a 1 s schedule on two instances; want about one per second", n, elapsed)
	}
}

func TestParseSchedule(t *testing.T) {
	for _, ok := range []string{"30 * * * *", "@hourly", "@every 10m", "off", "OFF", ""} {
		if _, err := job.ParseSchedule("x", ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"every hour", "61 * * * *", "* * *"} {
		if _, err := job.ParseSchedule("ROUTEWARDEN_SCHEDULE_SYNC", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestRequeueDeliveries: re-queuing pending deliveries (after a restore or a crash) does not
// double a delivery that still has its job.
func TestRequeueDeliveries(t *testing.T) {
	db := storetest.SQLite(t)
	migrate(t, db)
	ctx := context.Background()
	q, err := job.New(db.SQL(), job.Config{Dialect: "sqlite"}, job.NewWorkers(job.Deps{}))
	if err != nil {
		t.Fatal(err)
	}
	db.Enqueue = q.EnqueueDeliveries
	hook := &rw.Webhook{URL: "https://hooks.example.com/rw", Secret: "0123456789abcdef", Events: []string{"test"}, Enabled: true}
	if err := db.CreateWebhook(ctx, hook); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateDeliveries(ctx, hook.ID, "test", []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	ids, err := db.PendingDeliveryIDs(ctx)
	if err != nil || len(ids) != 1 {
		t.Fatalf("pending = %v, %v", ids, err)
	}
	for range 2 {
		if err := q.RequeueDeliveries(ctx, ids); err != nil {
			t.Fatal(err)
		}
	}
	jobs, err := q.ListJobs(ctx, nil, 10)
	if err != nil || len(jobs) != 1 {
		t.Errorf("jobs after re-queuing twice = %d (%v), want 1", len(jobs), err)
	}
}
