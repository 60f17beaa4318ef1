package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/netip"
	"strings"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
)

func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok", "version": s.cfg.Version})
}

// readyz reports ready only when the database answers.
func (s *Server) readyz(c *gin.Context) {
	if err := s.deps.Ready(c.Request.Context()); err != nil {
		s.log.Warn("not ready", "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "database": "unreachable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready", "database": "ok"})
}

// Who may read /metrics (Config.Metrics).
const (
	// MetricsLoopback (the default) serves clients on the loopback interface that did not come
	// through a proxy, and anyone with a metrics bearer token.
	MetricsLoopback = "loopback"
	// MetricsOn serves everyone: for deployments reachable only from a monitoring network.
	MetricsOn = "on"
	// MetricsOff answers 404.
	MetricsOff = "off"
	// MetricsToken serves only requests with a metrics bearer token: ROUTEWARDEN_METRICS_TOKEN
	// or an API token of an administrator.
	MetricsToken = "token"
)

func validMetrics(cfg Config) error {
	switch cfg.Metrics {
	case MetricsLoopback, MetricsOn, MetricsOff, MetricsToken:
		return nil
	}
	return fmt.Errorf("metrics must be loopback, on, off or token (got %q)", cfg.Metrics)
}

// metricsHandler serves the Prometheus registry to whom Config.Metrics allows. The figures
// (routes, request rates, process details) help an attacker plan, so they are not public
// unless configured so.
func (s *Server) metricsHandler(h http.Handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		switch s.cfg.Metrics {
		case MetricsOff:
			s.notFound(c)
			return
		case MetricsOn:
		default:
			ok, err := s.metricsAllowed(c)
			if err != nil {
				s.fail(c, err)
				return
			}
			if !ok {
				// Plain 401 for scrapers, not the login redirect pages get.
				c.Header("WWW-Authenticate", `Bearer realm="metrics"`)
				c.String(http.StatusUnauthorized, "Metrics need a bearer token: ROUTEWARDEN_METRICS_TOKEN or an administrator's API token.\n")
				c.Abort()
				return
			}
		}
		h.ServeHTTP(c.Writer, c.Request)
	}
}

// metricsAllowed reports whether the request may read /metrics in loopback or token mode.
func (s *Server) metricsAllowed(c *gin.Context) (bool, error) {
	if tok, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer "); ok && tok != "" {
		tok = strings.TrimSpace(tok)
		if s.cfg.MetricsToken != "" {
			a, b := sha256.Sum256([]byte(tok)), sha256.Sum256([]byte(s.cfg.MetricsToken))
			if subtle.ConstantTimeCompare(a[:], b[:]) == 1 {
				return true, nil
			}
		}
		t, err := s.deps.Auth.FindAPIToken(c.Request.Context(), secret.HashToken(tok))
		if err != nil {
			if rw.ErrorCode(err) == rw.EINTERNAL {
				return false, err
			}
			return false, nil
		}
		return t.User.Role == rw.RoleAdmin, nil
	}
	if s.cfg.Metrics != MetricsLoopback {
		return false, nil
	}
	// A request relayed by a reverse proxy on this host arrives from loopback too: it counts
	// as local only when it carries no forwarding header at all.
	for _, h := range []string{"X-Forwarded-For", "X-Real-IP", "Forwarded"} {
		if c.GetHeader(h) != "" {
			return false, nil
		}
	}
	ip, err := netip.ParseAddr(c.ClientIP())
	return err == nil && ip.Unmap().IsLoopback(), nil
}
