package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"routewarden/controls"
	"routewarden/internal/control"
	"routewarden/internal/demo"
	"routewarden/internal/evidence"
	"routewarden/internal/job"
	"routewarden/internal/mail"
	"routewarden/internal/secret"
	"routewarden/internal/store"
	"routewarden/internal/web"
	"routewarden/static"
	"routewarden/templates"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("serve", &cfg, getenv, stderr)
	fs.StringVar(&cfg.Addr, "addr", envOr(getenv, "ADDR", "127.0.0.1:8080"), "listen address")
	fs.BoolVar(&cfg.Demo, "demo", getenv("ROUTEWARDEN_DEMO") == "1" || getenv("ROUTEWARDEN_DEMO") == "true", "seed and label the demo portfolio")
	cfg.CookieSecure = envOr(getenv, "COOKIE_SECURE", "auto")
	workers := fs.Int("workers", envInt(getenv, "WORKERS", 2), "background job workers in this process (0: web only; see `routewarden worker`)")
	if pos, err := parseArgs(fs, args); err != nil {
		return usageErr(stderr, err)
	} else if len(pos) > 0 {
		return usageErr(stderr, fmt.Errorf("serve takes no arguments (got %q)", pos))
	}
	if err := cfg.validate(); err != nil {
		return usageErr(stderr, err)
	}
	cfg.readSigning(getenv)
	var err error
	if cfg.SMTP, err = mail.ConfigFromEnv(getenv); err != nil {
		return usageErr(stderr, err)
	}
	mc, err := readMonitorConfig(getenv)
	if err != nil {
		return usageErr(stderr, err)
	}
	if *workers < 0 {
		return usageErr(stderr, fmt.Errorf("--workers %d: want 0 or more", *workers))
	}
	if err := cfg.readWeb(getenv); err != nil {
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
	if cfg.Demo {
		if err := seedDemo(ctx, db, log); err != nil {
			return fail(stderr, err)
		}
	}
	ev := evidence.NewService(db, db.Now)
	ev.Bands = evidence.LibraryBands(lib) // check statuses graded by the library's thresholds
	// The outbox and the invitation reminders run as jobs, with SMTP configured.
	deliver, remind, err := mail.Jobs(cfg.SMTP, db, cfg.Signing.PublicURL, db.Now, log)
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
	srv, err := newServer(&cfg, db, lib, log, bg)
	if err != nil {
		return fail(stderr, err)
	}
	if err := bg.Queue.Start(ctx); err != nil {
		return fail(stderr, fmt.Errorf("job queue: %w", err))
	}
	defer bg.Queue.Stop(context.WithoutCancel(ctx))
	log.Info("serving", "addr", "http://"+cfg.Addr, "db", db.Redacted(), "dialect", db.Dialect, "demo", cfg.Demo, "version", version)
	if err := srv.ListenAndServe(ctx); err != nil {
		return fail(stderr, err)
	}
	log.Info("stopped")
	return exitOK
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv("ROUTEWARDEN_" + key); v != "" {
		return v
	}
	return def
}

// newServer wires the web server to the store and the loaded control library.
func newServer(cfg *config, db *store.DB, lib *control.Set, log *slog.Logger, bg *background) (*web.Server, error) {
	issuer, checker, attestWarning, err := newAttestation(cfg, db, lib, log)
	if err != nil {
		return nil, err
	}
	ev := bg.Evidence
	board := newBoardIssuer(cfg, db, lib, issuer.Signer, issuer.Fonts, ev.Data)
	go func() {
		// Parse the latest snapshots now rather than on the first page that needs them.
		if _, err := ev.Data(context.Background()); err != nil {
			log.Error("loading routing data", "err", err)
		}
	}()
	return web.New(web.Config{Addr: cfg.Addr, Demo: cfg.Demo, CookieSecure: cfg.CookieSecure, Version: versionString(),
		TrustedProxies: cfg.Web.TrustedProxies, Metrics: cfg.Web.Metrics, MetricsToken: cfg.Web.MetricsToken}, web.Deps{
		Users: db, Auth: db, Vendors: db, Ready: db.Ping, Snapshots: db, Evidence: ev,
		HashPassword:  func(p string) (string, error) { return secret.HashPassword(p, secret.Default) },
		CheckPassword: secret.CheckPassword,
		Logger:        log, Templates: templates.FS, Static: static.FS, Now: db.Now, Library: lib,
		Assessments: db, Invitations: db, Audit: db, MailEnabled: cfg.SMTP.Enabled(), BaseURL: cfg.linkBase(),
		Attestations: db, Attester: issuer, Verifier: checker, AttestWarning: attestWarning,
		BoardReports: db, BoardIssuer: board,
		Monitor: db, Jobs: bg.Queue, WebhookPolicy: bg.Policy, AlertRules: bg.Runner.Rules,
		RateLimits: db,
	})
}

func seedDemo(ctx context.Context, db *store.DB, log *slog.Logger) error {
	// The demo password is public, so the cheap hash parameters cost nothing in safety.
	res, err := demo.Seed(ctx, demo.Stores{Users: db, Vendors: db, Snapshots: db, Now: db.Now, History: db, Lock: db.WithLock},
		func(p string) (string, error) { return secret.HashPassword(p, secret.Fast) })
	if err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	log.Info("demo data", "users_created", res.Users, "vendors_created", res.Vendors, "snapshots_created", res.Snapshots)
	return nil
}

// loadLibrary loads and validates the embedded control library, refuses to go on when a
// registered (released) version's content changed, and registers new versions.
func loadLibrary(ctx context.Context, db *store.DB, log *slog.Logger) (*control.Set, error) {
	set, err := controls.Shipped()
	if err != nil {
		return nil, fmt.Errorf("control library: %w", err)
	}
	registered, err := db.RegisteredLibraries(ctx)
	if err != nil {
		return nil, err
	}
	if err := set.VerifyRegistered(registered); err != nil {
		return nil, fmt.Errorf("control library: %w", err)
	}
	if err := db.RegisterLibraries(ctx, set.Versions()); err != nil {
		return nil, err
	}
	for _, v := range set.Versions() {
		log.Info("control library", "name", v.Name, "version", v.Version, "digest", v.Digest)
	}
	return set, nil
}
