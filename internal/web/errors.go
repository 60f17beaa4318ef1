package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
)

// statusOf is the one place where domain error codes become HTTP statuses.
var statusOf = map[string]int{
	rw.EINVALID:      http.StatusBadRequest,
	rw.ENOTFOUND:     http.StatusNotFound,
	rw.ECONFLICT:     http.StatusConflict,
	rw.EUNAUTHORIZED: http.StatusUnauthorized,
	rw.EFORBIDDEN:    http.StatusForbidden,
	rw.ERATELIMIT:    http.StatusTooManyRequests,
	rw.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	rw.EINTERNAL:     http.StatusInternalServerError,
}

// apiError is the JSON error body: {"error":{"code","message","field"?,"fields"?}}.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Field   string            `json:"field,omitempty"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// fail answers with err: JSON for API requests, an error page otherwise. Internal errors are
// logged with the request ID and shown as a generic message.
func (s *Server) fail(c *gin.Context, err error) {
	code := rw.ErrorCode(err)
	status := statusOf[code]
	if code == rw.EINTERNAL {
		s.log.Error("internal error", "request_id", c.GetString(ctxRequestID), "path", c.Request.URL.Path, "err", err)
	}
	if isAPI(c) {
		body := apiErrorBody{Code: code, Message: rw.ErrorMessage(err), Field: rw.ErrorField(err)}
		if ve, ok := err.(rw.ValidationErrors); ok && len(ve) > 1 {
			body.Fields = ve.ByField()
		}
		if code == rw.EUNAUTHORIZED {
			c.Header("WWW-Authenticate", `Bearer realm="routewarden"`)
		}
		c.AbortWithStatusJSON(status, apiError{body})
		return
	}
	if code == rw.EUNAUTHORIZED {
		c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(safeNext(c.Request.URL.RequestURI())))
		c.Abort()
		return
	}
	s.render(c, status, "error", errorView{Status: status, Title: http.StatusText(status), Message: rw.ErrorMessage(err), RequestID: c.GetString(ctxRequestID)})
	c.Abort()
}

type errorView struct {
	Status    int
	Title     string
	Message   string
	RequestID string
}

func (s *Server) notFound(c *gin.Context) {
	s.fail(c, rw.Errorf(rw.ENOTFOUND, "There is no page at %s.", c.Request.URL.Path))
}

func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

// safeNext keeps only local paths, so /login?next= cannot redirect off-site. It first reads p
// the way a browser reads a Location (tabs and line breaks dropped, surrounding spaces and
// controls trimmed, backslash in the path as slash), then requires one leading slash and no scheme or host,
// and returns that normalised path: what was checked is what is sent.
func safeNext(p string) string {
	const home = "/vendors"
	p = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, p)
	end := strings.IndexAny(p, "?#")
	if end < 0 {
		end = len(p)
	}
	p = strings.ReplaceAll(p[:end], `\`, "/") + p[end:]
	p = strings.TrimFunc(p, func(r rune) bool { return r <= ' ' })
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsFunc(p, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return home
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return home
	}
	return p
}
