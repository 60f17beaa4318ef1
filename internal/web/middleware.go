package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	rw "routewarden/internal/routewarden"
)

const ctxRequestID = "request_id"

func (s *Server) recoverer(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic", "request_id", c.GetString(ctxRequestID), "path", c.Request.URL.Path, "panic", fmt.Sprint(v))
			if !c.Writer.Written() {
				s.fail(c, fmt.Errorf("panic: %v", v))
			}
			c.Abort()
		}
	}()
	c.Next()
}

// requestID takes a sane X-Request-ID from the client or makes one, and echoes it.
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if len(id) == 0 || len(id) > 64 || strings.ContainsFunc(id, func(r rune) bool { return r < '!' || r > '~' }) {
		b := make([]byte, 8)
		rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Set(ctxRequestID, id)
	c.Header("X-Request-ID", id)
	c.Next()
}

// logRequests writes one structured line per request. Query strings are left out because they
// may carry tokens; the Authorization header and cookies are never logged.
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	attrs := []any{"request_id", c.GetString(ctxRequestID), "method", c.Request.Method, "path", c.Request.URL.Path,
		"status", c.Writer.Status(), "duration_ms", float64(time.Since(start).Microseconds()) / 1000, "bytes", c.Writer.Size()}
	if u := currentUser(c); u != nil {
		attrs = append(attrs, "user_id", u.ID)
	}
	level := slog.LevelInfo
	if c.Writer.Status() >= 500 {
		level = slog.LevelError
	} else if c.Request.URL.Path == "/healthz" || c.Request.URL.Path == "/metrics" || strings.HasPrefix(c.Request.URL.Path, "/static/") {
		level = slog.LevelDebug
	}
	s.log.Log(c.Request.Context(), level, "request", attrs...)
}

func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if s.secure(c.Request) {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	c.Next()
}

// crossOrigin refuses cross-site state-changing browser requests (Sec-Fetch-Site / Origin), a
// second line behind the per-form CSRF tokens.
func (s *Server) crossOrigin(c *gin.Context) {
	if err := http.NewCrossOriginProtection().Check(c.Request); err != nil {
		s.fail(c, rw.Errorf(rw.EFORBIDDEN, "Cross-origin request refused."))
		return
	}
	c.Next()
}

func (s *Server) secure(r *http.Request) bool {
	switch s.cfg.CookieSecure {
	case "true":
		return true
	case "false":
		return false
	}
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

// uploadLimit is the larger body limit of a route that takes files, with the message that names it.
type uploadLimit struct {
	bytes int64
	says  string
}

// uploadLimits are the only routes allowed more than Config.MaxBodyBytes: the ones that take files.
var uploadLimits = map[string]uploadLimit{
	"POST /portal/a/:id/evidence": {maxPortalBody, fmt.Sprintf("The upload is larger than %d MiB; nothing was stored. Go back and choose a smaller file.", MaxEvidenceBytes>>20)},
	"POST /data/import":           {maxImportBytes, fmt.Sprintf("The import is larger than %d MiB; nothing was stored.", maxImportBytes>>20)},
	"POST /verify":                {maxVerifyUpload + 64<<10, fmt.Sprintf("The file is larger than %d MiB; attestations and board reports are much smaller.", maxVerifyUpload>>20)},
}

// limitBody bounds the body of every request to the route before anything parses it (the CSRF
// check reads forms, login binds one, the API decodes JSON): a declared length over the limit
// is refused at once with 413, and a body that turns out longer (chunked) stops at the limit.
func (s *Server) limitBody(method, path string) gin.HandlerFunc {
	lim := uploadLimit{s.cfg.MaxBodyBytes, tooLargeMessage(s.cfg.MaxBodyBytes)}
	if l, ok := uploadLimits[method+" "+path]; ok {
		lim = l
	}
	return func(c *gin.Context) {
		if c.Request.ContentLength > lim.bytes {
			s.fail(c, rw.Errorf(rw.ETOOLARGE, "%s", lim.says))
			return
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, lim.bytes)
		c.Next()
	}
}

// tooLargeMessage names a body limit for the user.
func tooLargeMessage(limit int64) string {
	return fmt.Sprintf("The request body is larger than the limit of %s; nothing was read or stored.", byteSize(limit))
}

// byteSize writes n bytes the way people read sizes: "1 MiB", "64 KiB", "1000 bytes".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB (%d bytes)", n>>20, n)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB (%d bytes)", n>>10, n)
	}
	return fmt.Sprintf("%d bytes", n)
}

// bodyError turns an error from reading a request body into the domain error: ETOOLARGE, naming
// the limit, when the body ran over it; otherwise EINVALID saying what could not be read.
func bodyError(err error, what string) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return rw.Errorf(rw.ETOOLARGE, "%s", tooLargeMessage(tooBig.Limit))
	}
	return rw.Errorf(rw.EINVALID, "The %s could not be read: %v", what, err)
}

// parseForm reads the form of a POST (URL-encoded or multipart) within the body limit set by
// limitBody; gin's PostForm would swallow the error and leave the fields empty.
func (s *Server) parseForm(c *gin.Context) error {
	var err error
	if strings.HasPrefix(c.ContentType(), "multipart/form-data") {
		err = c.Request.ParseMultipartForm(s.engine.MaxMultipartMemory)
	} else {
		err = c.Request.ParseForm()
	}
	if err != nil {
		return bodyError(err, "form")
	}
	return nil
}

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "routewarden_http_requests_total",
			Help: "HTTP requests by route pattern, method and status code."}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "routewarden_http_request_duration_seconds",
			Help: "HTTP request latency by route pattern.", Buckets: prometheus.DefBuckets}, []string{"route", "method"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// instrument counts requests per route pattern (never the raw path, which would explode labels).
func (m *metrics) instrument(pattern string) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		m.requests.WithLabelValues(pattern, c.Request.Method, strconv.Itoa(c.Writer.Status())).Inc()
		m.duration.WithLabelValues(pattern, c.Request.Method).Observe(time.Since(start).Seconds())
	}
}
