package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"routewarden/internal/control"
	"routewarden/internal/evidence"
	"routewarden/internal/job"
	"routewarden/internal/loadgen"
	"routewarden/internal/store"
	"routewarden/internal/web"
	"routewarden/migrations"
)

// loadOptions are the flags of `routewarden load`.
type loadOptions struct {
	Duration      time.Duration
	Vendors       int
	PortalVendors int
	Workers       int
	Postgres      string
	Only          string
	CPUProfile    string
	Scenario      string
}

// cmdLoad measures the web server under load: it builds a throw-away database (SQLite in a
// temporary directory and, when a PostgreSQL URL is given, a fresh schema there), fills it with
// vendors, serves it on loopback with the same wiring as serve and runs each scenario for a
// bounded time. It never touches the configured database.
func cmdLoad(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var o loadOptions
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.DurationVar(&o.Duration, "duration", 20*time.Second, "how long each scenario runs")
	fs.IntVar(&o.Vendors, "vendors", 10_000, "vendors in the database before the run")
	fs.IntVar(&o.PortalVendors, "portal-vendors", 200, "vendors saving answers in the portal at once")
	fs.IntVar(&o.Workers, "workers", 8, "concurrent clients of the list, search, page and API scenarios")
	fs.StringVar(&o.Postgres, "db", getenv("ROUTEWARDEN_TEST_POSTGRES"), "PostgreSQL URL to measure as well, in a fresh schema dropped afterwards (default $ROUTEWARDEN_TEST_POSTGRES)")
	fs.StringVar(&o.Only, "only", "", "run one dialect only: sqlite or postgres")
	fs.StringVar(&o.Scenario, "scenario", "", "run only the scenarios whose name contains this text (e.g. search)")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write a CPU profile of the scenarios (server and clients) to this file name plus .sqlite or .postgres")
	if pos, err := parseArgs(fs, args); err != nil {
		return usageErr(stderr, err)
	} else if len(pos) > 0 {
		return usageErr(stderr, fmt.Errorf("load takes no arguments (got %q)", pos))
	}
	if err := o.validate(); err != nil {
		return usageErr(stderr, err)
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	for _, dialect := range []string{"sqlite", "postgres"} {
		if o.Only != "" && o.Only != dialect || dialect == "postgres" && o.Postgres == "" {
			continue
		}
		if err := runLoad(ctx, dialect, o, stdout, log); err != nil {
			return fail(stderr, fmt.Errorf("load on %s: %w", dialect, err))
		}
	}
	if o.Postgres == "" && o.Only != "sqlite" {
		fmt.Fprintln(stdout, "PostgreSQL not measured: give --db postgres://… or set ROUTEWARDEN_TEST_POSTGRES.")
	}
	return exitOK
}

func (o *loadOptions) validate() error {
	switch {
	case o.Duration <= 0:
		return errors.New("--duration must be positive")
	case o.Vendors < o.PortalVendors || o.PortalVendors < 1:
		return fmt.Errorf("--portal-vendors must be between 1 and --vendors (%d)", o.Vendors)
	case o.Workers < 1 || o.Workers > 1000:
		return errors.New("--workers must be between 1 and 1000")
	case o.Postgres != "" && !strings.HasPrefix(o.Postgres, "postgres://") && !strings.HasPrefix(o.Postgres, "postgresql://"):
		return errors.New("--db must be a postgres:// URL (SQLite always runs in a temporary directory)")
	case o.Only != "" && o.Only != "sqlite" && o.Only != "postgres":
		return fmt.Errorf("--only must be sqlite or postgres, not %q", o.Only)
	case o.Only == "postgres" && o.Postgres == "":
		return errors.New("--only postgres needs --db postgres://… or ROUTEWARDEN_TEST_POSTGRES")
	}
	return nil
}

// runLoad sets up one dialect's database and server, runs every scenario and prints the report.
func runLoad(ctx context.Context, dialect string, o loadOptions, out io.Writer, log *slog.Logger) error {
	dir, err := os.MkdirTemp("", "routewarden-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	dsn := dir + "/load.db"
	if dialect == "postgres" {
		var drop func()
		if dsn, drop, err = loadSchema(ctx, o.Postgres); err != nil {
			return err
		}
		defer drop()
	}
	db, err := store.Open(ctx, dsn, migrations.FS)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(out, "\n== %s: setting up %d vendors (%s)\n", dialect, o.Vendors, db.Redacted())
	env, err := newLoadEnv(ctx, db, dir, o, log)
	if err != nil {
		return err
	}
	defer env.close()
	start := loadgen.ReadMemory()
	fmt.Fprintf(out, "setup took %s; memory at start: %s\n", env.setup.Round(time.Millisecond), start)
	fmt.Fprintf(out, "each scenario runs %s against %s; server and clients share this process (%s)\n", o.Duration, env.base, loadgen.LoadAverage())
	if o.CPUProfile != "" {
		f, err := os.Create(o.CPUProfile + "." + dialect)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	loadgen.WriteHeader(out)
	for _, sc := range env.scenarios() {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !strings.Contains(sc.Name, o.Scenario) {
			continue
		}
		before := loadgen.ReadMemory()
		res := loadgen.Run(ctx, sc, o.Duration)
		loadgen.WriteRow(out, res)
		after := loadgen.ReadMemory()
		fmt.Fprintf(out, "    memory: live heap %s → %s, rss %s → %s\n", loadgen.MiB(before.HeapLive), loadgen.MiB(after.HeapLive),
			loadgen.MiB(before.RSS), loadgen.MiB(after.RSS))
	}
	env.client.CloseIdleConnections() // idle keep-alive connections are the clients', not the server's
	fmt.Fprintf(out, "memory at end:   %s\n", loadgen.ReadMemory())
	return nil
}

// loadSchema creates a fresh schema in the PostgreSQL database of dsn and returns a DSN that
// uses it and a function that drops it.
func loadSchema(ctx context.Context, dsn string) (string, func(), error) {
	admin, err := store.Open(ctx, dsn, migrations.FS)
	if err != nil {
		return "", nil, err
	}
	admin.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public") // see storetest.Postgres
	b := make([]byte, 6)
	rand.Read(b)
	schema := "rwload_" + hex.EncodeToString(b)
	if err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create schema: %w", err)
	}
	drop := func() {
		admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	}
	u, err := url.Parse(dsn)
	if err != nil {
		drop()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// serveLoopback serves h on a free loopback port and returns its base URL and a stop function.
func serveLoopback(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(ctx)
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// newServerAsServe builds the web server with the wiring cmdServe uses (background queue
// without workers, web configuration from the defaults) and returns it with a stop function.
func newServerAsServe(ctx context.Context, cfg *config, db *store.DB, lib *control.Set, log *slog.Logger) (*web.Server, func(), error) {
	none := func(string) string { return "" }
	if err := cfg.readWeb(none); err != nil {
		return nil, nil, err
	}
	mc, err := readMonitorConfig(none)
	if err != nil {
		return nil, nil, err
	}
	ev := evidence.NewService(db, db.Now)
	ev.Bands = evidence.LibraryBands(lib)
	// No SMTP here: mail.Jobs gives no outbox or reminder jobs, as for serve without SMTP.
	bg, err := newBackground(db, lib, ev, 0, mc, log, job.Deps{})
	if err != nil {
		return nil, nil, err
	}
	srv, err := newServer(cfg, db, lib, log, bg)
	if err != nil {
		return nil, nil, err
	}
	if err := bg.Queue.Start(ctx); err != nil {
		return nil, nil, fmt.Errorf("job queue: %w", err)
	}
	return srv, func() { bg.Queue.Stop(context.WithoutCancel(ctx)) }, nil
}
