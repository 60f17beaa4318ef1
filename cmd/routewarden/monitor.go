package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"
	"time"

	"routewarden/controls"
	"routewarden/internal/assess"
	"routewarden/internal/control"
	"routewarden/internal/evidence"
	"routewarden/internal/fetch"
	"routewarden/internal/job"
	"routewarden/internal/mail"
	"routewarden/internal/monitor"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/store"
	"routewarden/internal/webhook"
)

// monitorConfig holds the monitoring settings (ROUTEWARDEN_SCHEDULE_*, ROUTEWARDEN_WORKERS, …).
type monitorConfig struct {
	SyncSchedule, RecheckSchedule string
	Workers                       int
	AllowPrivate                  bool
	Retention                     time.Duration
	Sync                          syncConfig
	SyncSources                   []string
	// Reassess is what a new critical alert on a vendor with an approved assessment does
	// (ROUTEWARDEN_REASSESS_ON_CRITICAL: off, draft or send); PublicURL is the origin of the
	// invitation links it mails.
	Reassess  assess.Mode
	PublicURL string
}

func readMonitorConfig(getenv func(string) string) (monitorConfig, error) {
	mc := monitorConfig{SyncSchedule: envOr(getenv, "SCHEDULE_SYNC", job.DefaultSyncSchedule),
		RecheckSchedule: envOr(getenv, "SCHEDULE_RECHECK", job.DefaultRecheckSchedule),
		AllowPrivate:    getenv("ROUTEWARDEN_WEBHOOK_ALLOW_PRIVATE") == "1" || getenv("ROUTEWARDEN_WEBHOOK_ALLOW_PRIVATE") == "true"}
	for name, expr := range map[string]string{"ROUTEWARDEN_SCHEDULE_SYNC": mc.SyncSchedule, "ROUTEWARDEN_SCHEDULE_RECHECK": mc.RecheckSchedule} {
		if _, err := job.ParseSchedule(name, expr); err != nil {
			return mc, err
		}
	}
	days := envOr(getenv, "HISTORY_RETENTION_DAYS", "400")
	var n int
	var err error
	if _, err = fmt.Sscanf(days, "%d", &n); err != nil || n < 1 {
		return mc, fmt.Errorf("ROUTEWARDEN_HISTORY_RETENTION_DAYS %q: want a whole number of days ≥ 1", days)
	}
	mc.Retention = time.Duration(n) * 24 * time.Hour
	if mc.Reassess, err = assess.ParseMode(getenv("ROUTEWARDEN_REASSESS_ON_CRITICAL")); err != nil {
		return mc, err
	}
	mc.PublicURL = getenv("ROUTEWARDEN_PUBLIC_URL")
	sc := syncConfig{VRPURL: getenv("ROUTEWARDEN_VRP_URL"), RISURL: getenv("ROUTEWARDEN_RIS_URL"),
		PeeringDBURL: envOr(getenv, "PEERINGDB_URL", ""), PeeringDBKey: getenv("ROUTEWARDEN_PEERINGDB_KEY"),
		MANRSKey: getenv("ROUTEWARDEN_MANRS_KEY"), Timeout: 5 * time.Minute}
	// Scheduled syncs fetch only what the operator configured.
	if sc.VRPURL != "" {
		mc.SyncSources = append(mc.SyncSources, "vrps")
	}
	if sc.RISURL != "" {
		mc.SyncSources = append(mc.SyncSources, "ris")
	}
	if sc.PeeringDBURL != "" || sc.PeeringDBKey != "" {
		mc.SyncSources = append(mc.SyncSources, "peeringdb")
	}
	if sc.MANRSKey != "" {
		mc.SyncSources = append(mc.SyncSources, "manrs")
	}
	if sc.PeeringDBURL == "" {
		sc.PeeringDBURL = "https://www.peeringdb.com/api"
	}
	if sc.MANRSURL == "" {
		sc.MANRSURL = envOr(getenv, "MANRS_URL", "https://api.manrs.org")
	}
	mc.Sync = sc
	return mc, nil
}

// newRunner builds the monitor over db with the embedded alert rules, checked against the
// control library. A new critical alert opens a re-assessment as mc.Reassess says; mailEnabled
// says whether SMTP is configured (for send mode).
func newRunner(db *store.DB, lib *control.Set, data func(context.Context) (*evidence.Data, error), mc monitorConfig, mailEnabled bool) (*monitor.Runner, error) {
	rules, err := monitor.LoadRules(controls.AlertRules, knownControl(lib))
	if err != nil {
		return nil, err
	}
	run := &monitor.Runner{Store: db, Data: data, Rules: rules, Now: db.Now}
	if mc.Reassess != assess.ModeOff && mc.Reassess != "" {
		svc := &assess.Service{Library: lib, Vendors: db, Assessments: db, Invitations: db, Snapshots: db,
			MailEnabled: mailEnabled, BaseURL: mc.PublicURL, Now: db.Now}
		run.After = func(ctx context.Context, events []rw.AlertEvent) ([]string, error) {
			outs, err := svc.Reassess(ctx, mc.Reassess, events)
			notes := make([]string, len(outs))
			for i, o := range outs {
				notes[i] = fmt.Sprintf("re-assessment of %s (vendor %d): %s", o.Vendor, o.VendorID, o.Note)
			}
			return notes, err
		}
	}
	return run, nil
}

func knownControl(lib *control.Set) func(string) bool {
	if lib == nil {
		return nil
	}
	return func(id string) bool {
		for _, l := range lib.Latest() {
			if _, ok := l.Control(id); ok {
				return true
			}
		}
		return false
	}
}

// wireQueue builds the job queue for db (insert-only when workers is 0) and lets the store
// enqueue webhook deliveries in its transactions.
func wireQueue(db *store.DB, workers int, deps job.Deps, mc monitorConfig, log *slog.Logger) (*job.Queue, error) {
	if deps.Deliveries == nil {
		deps.Deliveries = db
	}
	if deps.Webhooks == nil {
		deps.Webhooks = webhook.NewClient(webhook.Policy{AllowPrivate: mc.AllowPrivate}, 10*time.Second)
	}
	if deps.Now == nil {
		deps.Now = db.Now
	}
	q, err := job.New(db.SQL(), job.Config{Dialect: string(db.Dialect), Workers: workers, SyncSchedule: mc.SyncSchedule,
		RecheckSchedule: mc.RecheckSchedule, Logger: log}, job.NewWorkers(deps))
	if err != nil {
		return nil, err
	}
	db.Enqueue = q.EnqueueDeliveries
	return q, nil
}

// backgroundDeps are the scheduled jobs of a worker: sync the configured sources, then one
// monitor pass with history pruning.
func backgroundDeps(db *store.DB, run *monitor.Runner, mc monitorConfig, log *slog.Logger) job.Deps {
	recheck := func(ctx context.Context) error {
		s, err := run.Run(ctx)
		if err != nil {
			return err
		}
		log.Info("monitor pass", "asns", s.Run.ASNs, "changes", s.Run.Changes, "opened", s.Run.Opened, "resolved", s.Run.Resolved)
		for _, n := range s.Notes {
			log.Info("monitor consequence", "note", n)
		}
		if s.AfterErr != nil { // the pass is recorded: retrying it would not redo what failed
			log.Error("monitor consequence", "err", s.AfterErr)
		}
		if n, err := db.PruneHistory(ctx, db.Now().Add(-mc.Retention)); err != nil {
			log.Error("history retention", "err", err)
		} else if n > 0 {
			log.Info("history retention", "rows_removed", n)
		}
		return nil
	}
	sync := func(ctx context.Context) error {
		if len(mc.SyncSources) == 0 {
			log.Info("scheduled sync: no source configured (ROUTEWARDEN_VRP_URL, _RIS_URL, _PEERINGDB_KEY, _MANRS_KEY)")
			return nil
		}
		var errs []string
		for _, src := range mc.SyncSources {
			s, err := syncOne(ctx, db, src, mc.Sync, fetch.Config{Timeout: mc.Sync.Timeout, Logger: log, UserAgent: "routewarden/" + version})
			if err != nil {
				errs = append(errs, src+": "+err.Error())
				continue
			}
			log.Info("scheduled sync", "kind", s.Kind, "snapshot", s.ID, "records", s.Records)
		}
		if err := recheck(ctx); err != nil {
			return err
		}
		if len(errs) > 0 {
			return fmt.Errorf("sync: %s", strings.Join(errs, "; "))
		}
		return nil
	}
	return job.Deps{Sync: sync, Recheck: recheck, Deliveries: db, Now: db.Now}
}

func cmdMonitor(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("monitor", &cfg, getenv, stderr)
	format := fs.String("format", "table", "output format: table or json")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) != 1 || pos[0] != "run" || (*format != "table" && *format != "json") {
		return usageErr(stderr, fmt.Errorf("usage: routewarden monitor run [--format table|json]"))
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
	lib, err := controls.Shipped()
	if err != nil {
		return fail(stderr, err)
	}
	// New critical and high alerts are mailed when e-mail is configured (sent by the workers).
	cfg.readSigning(getenv)
	mailOn := false
	if smtp, err := mail.ConfigFromEnv(getenv); err == nil && smtp.Enabled() && cfg.Signing.PublicURL != "" {
		db.AlertMail = &store.AlertMail{BaseURL: cfg.Signing.PublicURL}
		mailOn = true
	}
	run, err := newRunner(db, lib, func(ctx context.Context) (*evidence.Data, error) {
		d, err := evidence.Load(ctx, db)
		if err == nil {
			d.Bands = evidence.LibraryBands(lib)
		}
		return d, err
	}, mc, mailOn)
	if err != nil {
		return fail(stderr, err)
	}
	// Deliveries are enqueued here and worked by a running `serve` or `worker`.
	if _, err := wireQueue(db, 0, job.Deps{}, mc, log); err != nil {
		return fail(stderr, err)
	}
	s, err := run.Run(ctx)
	if err != nil {
		return fail(stderr, err)
	}
	if *format == "json" {
		evs := make([]map[string]any, len(s.Events))
		for i, e := range s.Events {
			evs[i] = map[string]any{"type": e.Type, "alert": e.Alert.JSON()}
		}
		if s.AfterErr != nil {
			fmt.Fprintf(stderr, "routewarden: the pass was recorded, but: %v\n", s.AfterErr)
		}
		notes := s.Notes
		if notes == nil {
			notes = []string{}
		}
		return writeJSON(stdout, stderr, map[string]any{"run": s.Run.ID, "asns": s.Run.ASNs, "results": s.Run.Results,
			"changes": s.Run.Changes, "opened": s.Run.Opened, "resolved": s.Run.Resolved, "events": evs, "notes": notes})
	}
	fmt.Fprintf(stdout, "monitor pass %d: %d ASNs, %d results, %d changed, %d alerts opened, %d resolved (%s)\n",
		s.Run.ID, s.Run.ASNs, s.Run.Results, s.Run.Changes, s.Run.Opened, s.Run.Resolved, s.Run.FinishedAt.Sub(s.Run.StartedAt).Round(time.Millisecond))
	for _, e := range s.Events {
		fmt.Fprintf(stdout, "  %-15s #%d [%s] %s\n", e.Type, e.Alert.ID, e.Alert.Severity, e.Alert.Summary)
	}
	for _, n := range s.Notes {
		fmt.Fprintf(stdout, "  %s\n", n)
	}
	if s.AfterErr != nil {
		return fail(stderr, fmt.Errorf("the pass was recorded, but: %w", s.AfterErr))
	}
	return exitOK
}

func cmdAlerts(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	var cfg config
	fs := newFlags("alerts", &cfg, getenv, stderr)
	format := fs.String("format", "table", "output format: table or json")
	var f rw.AlertFilter
	fs.StringVar(&f.State, "state", "", "open, acknowledged, resolved or active (open + acknowledged)")
	fs.StringVar(&f.Severity, "severity", "", "critical, high, medium or low")
	fs.StringVar(&f.Rule, "rule", "", "alert rule ID")
	fs.Int64Var(&f.VendorID, "vendor", 0, "vendor ID")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return usageErr(stderr, err)
	}
	if len(pos) != 1 || pos[0] != "list" || (*format != "table" && *format != "json") {
		return usageErr(stderr, fmt.Errorf("usage: routewarden alerts list [--state open] [--format table|json]"))
	}
	switch f.State {
	case "", "open", "acknowledged", "resolved", "active":
	default:
		return usageErr(stderr, fmt.Errorf("--state %q: want open, acknowledged, resolved or active", f.State))
	}
	if f.Severity != "" && !rw.ValidSeverity(f.Severity) {
		return usageErr(stderr, fmt.Errorf("--severity %q: want critical, high, medium or low", f.Severity))
	}
	if err := cfg.validate(); err != nil {
		return usageErr(stderr, err)
	}
	db, err := openDB(ctx, &cfg, true, cfg.logger(stderr))
	if err != nil {
		return fail(stderr, err)
	}
	defer db.Close()
	as, err := db.FindAlerts(ctx, f)
	if err != nil {
		return fail(stderr, err)
	}
	if *format == "json" {
		out := make([]rw.AlertJSON, len(as))
		for i := range as {
			out[i] = as[i].JSON()
		}
		return writeJSON(stdout, stderr, out)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tSEVERITY\tVENDOR\tASN\tRULE\tOPENED\tSUMMARY")
	for _, a := range as {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\tAS%d\t%s\t%s\t%s\n", a.ID, a.State, a.Severity, a.VendorName, a.ASN, a.Rule, a.OpenedAt.Format("2006-01-02 15:04"), a.Summary)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "%d alert(s)\n", len(as))
	return exitOK
}

func writeJSON(stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fail(stderr, err)
	}
	return exitOK
}
