// Package web is the only package that knows gin: the HTTP server with its middleware, the
// server-rendered pages, the REST API under /api/v1 and its OpenAPI document.
package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"routewarden/internal/assess"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-playground/validator/v10"
	"github.com/prometheus/client_golang/prometheus"

	"routewarden/internal/control"
	"routewarden/internal/evidence"
	"routewarden/internal/monitor"
	rw "routewarden/internal/routewarden"
)

// Config holds the web settings, filled and validated by cmd.
type Config struct {
	Addr         string
	Demo         bool   // show demo credentials on the login page and a banner everywhere
	CookieSecure string // "auto" (Secure when the request came over TLS), "true" or "false"
	SessionTTL   time.Duration
	Version      string
	MaxBodyBytes int64
	// TrustedProxies are the addresses or CIDRs of reverse proxies whose X-Forwarded-For is
	// believed when finding a client's address (rate limits, logs, /metrics). Empty: none, the
	// TCP peer is the client.
	TrustedProxies []string
	// Metrics says who may read /metrics: MetricsLoopback (the default), MetricsOn, MetricsOff
	// or MetricsToken; see metricsAllowed.
	Metrics string
	// MetricsToken, when set, is a bearer token that may read /metrics besides administrators'
	// API tokens.
	MetricsToken string
	// MaxVerifications bounds the /verify uploads read and checked at once (0: the number of
	// CPUs); an upload that finds no free slot within VerifyWait (0: 2 s) gets 503.
	MaxVerifications int
	VerifyWait       time.Duration
}

// Deps are the services the server calls.
type Deps struct {
	Users   rw.UserStore
	Auth    rw.AuthStore
	Vendors rw.VendorStore
	// Snapshots and Evidence serve the routing data and the checks over it.
	Snapshots rw.SnapshotStore
	Evidence  *evidence.Service
	// Attestations is the registry of signed attestations; Attester issues them and Verifier
	// checks presented files (for the public /verify page).
	Attestations rw.AttestationStore
	Attester     rw.AttestationService
	Verifier     rw.AttestationVerifier
	// BoardReports is the registry of signed board reports; BoardIssuer makes them. Nil leaves
	// the board report pages saying they are not available.
	BoardReports rw.BoardReportStore
	BoardIssuer  rw.BoardReportService
	// AttestWarning, when set, is shown where attestations are issued and listed (the
	// development-certificate warning).
	AttestWarning string
	// Ready reports whether the database answers; /readyz calls it.
	Ready func(ctx context.Context) error
	// HashPassword and CheckPassword let cmd choose the cost parameters.
	HashPassword  func(string) (string, error)
	CheckPassword func(hash, password string) bool
	Logger        *slog.Logger
	Templates     fs.FS // the templates/ folder
	Static        fs.FS // the static/ folder
	Now           func() time.Time
	Registry      *prometheus.Registry // nil: a new one
	// Library is the loaded control library tree and obligation catalogue that the controls,
	// obligations and coverage pages and API show.
	Library *control.Set
	// Assessments, Invitations and Audit serve questionnaires, the vendor portal and the audit
	// log. MailEnabled says whether SMTP is configured (otherwise the analyst is shown each
	// invitation link to send by hand); BaseURL, when set, is the origin used in those links (never the Host header).
	Assessments rw.AssessmentStore
	Invitations rw.InvitationStore
	Audit       rw.AuditStore
	MailEnabled bool
	BaseURL     string
	// Monitor, Jobs, WebhookPolicy and AlertRules serve continuous monitoring: alerts, history,
	// webhooks and the job queue's admin view. Nil leaves those pages saying monitoring is off.
	Monitor       rw.MonitorStore
	Jobs          rw.JobQueue
	WebhookPolicy interface{ CheckURL(string) error }
	AlertRules    *monitor.Rules
	// RateLimits keeps the rate-limit counters; serve passes the database so that all instances
	// share them. Nil: counters in this process's memory.
	RateLimits rw.RateLimitStore
}

// Server serves the web UI and the API.
type Server struct {
	cfg      Config
	deps     Deps
	log      *slog.Logger
	engine   *gin.Engine
	pages    map[string]*template.Template
	validate *validator.Validate
	routes   []route
	limiter  *limiter // sign-in attempts per account
	// addressLimiter: sign-in attempts per client address.
	addressLimiter *limiter
	rates          rw.RateLimitStore
	metrics        *metrics
	now            func() time.Time
	// assess opens assessments and invites vendors (shared with monitoring's re-assessments).
	assess *assess.Service
	// dummyHash is checked for unknown accounts at login (see login).
	dummyHash string
}

// New builds the server: templates are parsed once here, routes registered, middleware set.
func New(cfg Config, deps Deps) (*Server, error) {
	if deps.Now == nil {
		deps.Now = func() time.Time { return time.Now().UTC() }
	}
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.CookieSecure == "" {
		cfg.CookieSecure = "auto"
	}
	if cfg.Metrics == "" {
		cfg.Metrics = MetricsLoopback
	}
	if err := validMetrics(cfg); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, deps: deps, log: deps.Logger, now: deps.Now, rates: deps.RateLimits}
	s.assess = &assess.Service{Library: deps.Library, Vendors: deps.Vendors, Assessments: deps.Assessments,
		Invitations: deps.Invitations, Snapshots: deps.Snapshots, MailEnabled: deps.MailEnabled, BaseURL: deps.BaseURL,
		Now: func() time.Time { return s.now() }}
	if s.rates == nil {
		s.rates = newMemoryRates()
	}
	// Sign-in attempts are limited per account (5 a minute: guessing one password) and per client
	// address (20 a minute: guessing across accounts, while an office behind one NAT address can
	// still sign in together). Every attempt counts, successful ones too; one key prefix each, so
	// the stored counters keep their names.
	s.limiter = s.newLimiter("login", loginPerAccount, time.Minute)
	s.addressLimiter = s.newLimiter("login", loginPerAddress, time.Minute)
	var err error
	if s.dummyHash, err = dummyPasswordHash(deps.HashPassword); err != nil {
		return nil, err
	}
	if s.pages, err = parseTemplates(deps.Templates); err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	s.validate = newValidator()
	reg := deps.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	s.metrics = newMetrics(reg)
	gin.SetMode(gin.ReleaseMode)
	s.engine = gin.New()
	// X-Forwarded-For is believed only from configured proxies; otherwise anyone could pick
	// the address their rate limits are counted under.
	if err := s.engine.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, fmt.Errorf("trusted proxies: %w", err)
	}
	s.engine.HandleMethodNotAllowed = true
	s.engine.Use(s.recoverer, s.requestID, s.logRequests, s.securityHeaders, s.crossOrigin)
	s.engine.NoRoute(s.notFound)
	s.engine.NoMethod(func(c *gin.Context) {
		s.fail(c, rw.Errorf(rw.EINVALID, "Method %s is not allowed here.", c.Request.Method))
	})
	s.registerRoutes(reg)
	return s, nil
}

// Handler returns the HTTP handler.
func (s *Server) Handler() http.Handler { return s.engine }

// ListenAndServe serves on cfg.Addr until ctx ends, then shuts down gracefully.
func (s *Server) ListenAndServe(ctx context.Context) error {
	srv := &http.Server{Addr: s.cfg.Addr, Handler: s.engine, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 60 * time.Second, WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}
