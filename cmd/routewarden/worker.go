package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"

	"routewarden/internal/control"
	"routewarden/internal/evidence"
	"routewarden/internal/job"
	"routewarden/internal/mail"
	"routewarden/internal/monitor"
	"routewarden/internal/store"
	"routewarden/internal/webhook"
)

// background is the job queue of a process with the monitor it runs.
type background struct {
	Queue    *job.Queue
	Runner   *monitor.Runner
	Evidence *evidence.Service
	Policy   webhook.Policy
}

// newBackground builds the monitor and the job queue (with workers > 0, the scheduled sync and
// re-check and the webhook deliveries run in this process).
func newBackground(db *store.DB, lib *control.Set, ev *evidence.Service, workers int, mc monitorConfig, log *slog.Logger, mailJobs job.Deps) (*background, error) {
	run, err := newRunner(db, lib, ev.Data, mc, mailJobs.Mail != nil)
	if err != nil {
		return nil, err
	}
	deps := backgroundDeps(db, run, mc, log)
	deps.Mail, deps.Remind = mailJobs.Mail, mailJobs.Remind
	q, err := wireQueue(db, workers, deps, mc, log)
	if err != nil {
		return nil, err
	}
	if workers > 0 {
		// Deliveries whose jobs were lost (a restore, which leaves the queue's tables out) are
		// queued again; those still queued are not doubled.
		ids, err := db.PendingDeliveryIDs(context.Background())
		if err == nil {
			err = q.RequeueDeliveries(context.Background(), ids)
		}
		if err != nil {
			return nil, fmt.Errorf("re-queue pending webhook deliveries: %w", err)
		}
	}
	return &background{Queue: q, Runner: run, Evidence: ev, Policy: webhook.Policy{AllowPrivate: mc.AllowPrivate}}, nil
}

// cmdWorker works background jobs without serving the web UI: the scale-out shape is several
// `serve --workers=0` behind a load balancer and one or more `worker` on the same PostgreSQL.
func cmdWorker(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("worker", &cfg, getenv, stderr)
	workers := fs.Int("workers", envInt(getenv, "WORKERS", 4), "jobs worked at once")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) > 0 || *workers < 1 {
		return usageErr(stderr, fmt.Errorf("usage: routewarden worker [--workers N ≥ 1]"))
	}
	mc, err := readMonitorConfig(getenv)
	if err != nil {
		return usageErr(stderr, err)
	}
	if err := cfg.validate(); err != nil {
		return usageErr(stderr, err)
	}
	log := cfg.logger(stderr)
	db, err := openDB(ctx, &cfg, true, log)
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	lib, err := loadLibrary(ctx, db, log)
	if err != nil {
		return fail(stderr, err)
	}
	ev := evidence.NewService(db, db.Now)
	ev.Bands = evidence.LibraryBands(lib)
	cfg.readSigning(getenv)
	smtp, err := mail.ConfigFromEnv(getenv)
	if err != nil {
		return usageErr(stderr, err)
	}
	deliver, remind, err := mail.Jobs(smtp, db, cfg.Signing.PublicURL, db.Now, log)
	if err != nil {
		return fail(stderr, err)
	}
	if deliver != nil {
		db.AlertMail = &store.AlertMail{BaseURL: cfg.Signing.PublicURL}
	}
	bg, err := newBackground(db, lib, ev, *workers, mc, log, job.Deps{Mail: deliver, Remind: remind})
	if err != nil {
		return fail(stderr, err)
	}
	if err := bg.Queue.Start(ctx); err != nil {
		return fail(stderr, err)
	}
	log.Info("worker started", "workers", *workers, "db", db.Redacted(), "sync", mc.SyncSchedule, "recheck", mc.RecheckSchedule)
	<-ctx.Done()
	if err := bg.Queue.Stop(context.WithoutCancel(ctx)); err != nil {
		return fail(stderr, err)
	}
	log.Info("worker stopped")
	return exitOK
}

func envInt(getenv func(string) string, key string, def int) int {
	if v := getenv("ROUTEWARDEN_" + key); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}
