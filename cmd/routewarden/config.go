package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"path/filepath"
	"runtime/debug"
	"strings"

	"routewarden/internal/job"
	"routewarden/internal/mail"
	"routewarden/internal/store"
	"routewarden/migrations"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func versionString() string {
	v := version
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " (" + s.Value[:12] + ")"
			}
		}
	}
	return v
}

// config is the one configuration of a run, filled from defaults, environment and flags.
type config struct {
	Addr         string
	DB           string
	DataDir      string
	Demo         bool
	CookieSecure string
	LogLevel     string
	LogFormat    string
	Signing      signingConfig
	SMTP         mail.Config // ROUTEWARDEN_SMTP_*: see mail.ConfigFromEnv; empty host = no e-mail
	AuditKey     string      // ROUTEWARDEN_AUDIT_KEY (hex or base64); else <data-dir>/audit.key
	// auditReadOnly keeps openDB from creating the audit key or keying the chain (audit verify).
	auditReadOnly bool
	Web           webConfig
}

// webConfig holds serve's exposure settings (readWeb).
type webConfig struct {
	TrustedProxies []string // ROUTEWARDEN_TRUSTED_PROXIES: comma-separated IPs/CIDRs; default none
	Metrics        string   // ROUTEWARDEN_METRICS: loopback (default), on, off or token
	MetricsToken   string   // ROUTEWARDEN_METRICS_TOKEN: a bearer token that may read /metrics
}

// linkBase is the origin of invitation links shown or mailed: ROUTEWARDEN_PUBLIC_URL, or, for
// links shown to the analyst when e-mail is off, the listen address when it names a host.
// Empty: links are shown relative to the server. Never the Host header of a request.
func (c *config) linkBase() string {
	if c.Signing.PublicURL != "" || c.SMTP.Enabled() {
		return c.Signing.PublicURL
	}
	host, _, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" {
		return ""
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsUnspecified() {
		return ""
	}
	return "http://" + c.Addr
}

// readWeb fills and checks the web exposure settings and the public URL serve builds links from:
// the proxies whose X-Forwarded-For is believed, who may read /metrics, and that e-mail needs
// ROUTEWARDEN_PUBLIC_URL (links are never built from a request's Host header).
func (c *config) readWeb(getenv func(string) string) error {
	c.Web = webConfig{Metrics: envOr(getenv, "METRICS", "loopback"), MetricsToken: getenv("ROUTEWARDEN_METRICS_TOKEN")}
	for _, p := range strings.Split(getenv("ROUTEWARDEN_TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				return fmt.Errorf("ROUTEWARDEN_TRUSTED_PROXIES: %q is neither an IP address nor a CIDR prefix", p)
			}
		}
		c.Web.TrustedProxies = append(c.Web.TrustedProxies, p)
	}
	switch c.Web.Metrics {
	case "loopback", "on", "off":
	case "token":
		// Administrators' API tokens work too, so a metrics token is optional.
	default:
		return fmt.Errorf("ROUTEWARDEN_METRICS must be loopback, on, off or token (got %q)", c.Web.Metrics)
	}
	if c.Web.MetricsToken != "" && len(c.Web.MetricsToken) < 20 {
		return fmt.Errorf("ROUTEWARDEN_METRICS_TOKEN must be at least 20 characters long")
	}
	if u := c.Signing.PublicURL; u != "" {
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" || pu.User != nil || pu.RawQuery != "" || pu.Fragment != "" {
			return fmt.Errorf("ROUTEWARDEN_PUBLIC_URL must be an http(s) address such as https://routewarden.example.org (got %q)", u)
		}
	} else if c.SMTP.Enabled() {
		return mail.ErrNoPublicURL
	}
	return nil
}

// signingConfig names the attestation signer: PEM certificate and key files, or a PKCS#12 file
// with its password; neither means a self-signed development signer in the data directory.
type signingConfig struct {
	Cert, Key    string // ROUTEWARDEN_SIGN_CERT, ROUTEWARDEN_SIGN_KEY
	P12, P12Pass string // ROUTEWARDEN_SIGN_P12, ROUTEWARDEN_SIGN_P12_PASSWORD
	TSAURL       string // ROUTEWARDEN_TSA_URL: RFC 3161 timestamps when set
	PublicURL    string // ROUTEWARDEN_PUBLIC_URL: printed as where to verify, e.g. https://rw.example
}

// readSigning fills the signing configuration from the environment; secrets never come from
// flags, so they do not show in process lists.
func (c *config) readSigning(getenv func(string) string) {
	c.Signing = signingConfig{Cert: getenv("ROUTEWARDEN_SIGN_CERT"), Key: getenv("ROUTEWARDEN_SIGN_KEY"),
		P12: getenv("ROUTEWARDEN_SIGN_P12"), P12Pass: getenv("ROUTEWARDEN_SIGN_P12_PASSWORD"),
		TSAURL: getenv("ROUTEWARDEN_TSA_URL"), PublicURL: getenv("ROUTEWARDEN_PUBLIC_URL")}
}

// newFlags returns a flag set with the common flags bound to cfg, defaults taken from the
// environment.
func newFlags(name string, cfg *config, getenv func(string) string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(k, def string) string {
		if v := getenv("ROUTEWARDEN_" + k); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&cfg.DB, "db", env("DB", ""), "database: SQLite file path or postgres:// URL")
	fs.StringVar(&cfg.DataDir, "data-dir", env("DATA_DIR", "data"), "data directory")
	fs.StringVar(&cfg.LogLevel, "log-level", env("LOG_LEVEL", "info"), "log level: debug, info, warn, error")
	fs.StringVar(&cfg.LogFormat, "log-format", env("LOG_FORMAT", "text"), "log format: text or json")
	cfg.AuditKey = getenv("ROUTEWARDEN_AUDIT_KEY") // a secret: environment only, never a flag
	return fs
}

// parseArgs parses flags that may stand before, between or after positional arguments.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func (c *config) validate() error {
	if c.DB == "" {
		c.DB = filepath.Join(c.DataDir, "routewarden.db")
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return fmt.Errorf("--log-format must be text or json, not %q", c.LogFormat)
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		return err
	}
	switch c.CookieSecure {
	case "", "auto", "true", "false":
	default:
		return fmt.Errorf("ROUTEWARDEN_COOKIE_SECURE must be auto, true or false, not %q", c.CookieSecure)
	}
	return nil
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(s))); err != nil {
		return l, fmt.Errorf("--log-level must be debug, info, warn or error, not %q", s)
	}
	return l, nil
}

func (c *config) logger(w io.Writer) *slog.Logger {
	l, _ := parseLevel(c.LogLevel)
	opts := &slog.HandlerOptions{Level: l}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// openDB opens the configured database and applies pending migrations when migrate is true.
func openDB(ctx context.Context, cfg *config, migrate bool, log *slog.Logger) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.DB, migrations.FS)
	if err != nil {
		return nil, err
	}
	if migrate {
		done, err := db.MigrateUp(ctx)
		if err != nil {
			db.Close()
			return nil, err
		}
		for _, m := range done {
			log.Info("migration applied", "version", m.Version, "name", m.Name)
		}
		if err := db.WithMigrationLock(ctx, func(ctx context.Context) error { return job.Migrate(ctx, db.SQL(), string(db.Dialect)) }); err != nil {
			db.Close()
			return nil, err
		}
	} else if n, err := db.Pending(ctx); err != nil || n > 0 {
		db.Close()
		if err == nil {
			err = fmt.Errorf("the database needs %d migration(s); run `routewarden migrate up` first", n)
		}
		return nil, err
	}
	if err := setupAuditKey(ctx, cfg, db, log); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// usageErr reports a usage error: flag errors were already printed by the flag package.
func usageErr(stderr io.Writer, err error) int {
	if !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stderr, "routewarden:", err)
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return exitUsage
}

func fail(stderr io.Writer, err error) int {
	fmt.Fprintln(stderr, "routewarden:", err)
	return exitFailure
}

// openStatusDB opens the database without checking or applying migrations.
func openStatusDB(ctx context.Context, cfg *config) (*store.DB, error) {
	return store.Open(ctx, cfg.DB, migrations.FS)
}
