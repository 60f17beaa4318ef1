package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"routewarden/internal/monitor"
	rw "routewarden/internal/routewarden"
	"routewarden/internal/secret"
)

// maxVerifyUpload bounds the PDF the public /verify page accepts; attestations are far smaller.
const maxVerifyUpload = 20 << 20

// Bounds of one verification: how long the upload may take to arrive once it holds a slot,
// how long the check may run, and when a client turned away should retry.
const (
	verifyReadTimeout = 30 * time.Second
	verifyTimeout     = 15 * time.Second
	verifyRetryAfter  = 10 * time.Second
)

// verifyView is the public verification page, before and after an upload. Staff (a signed-in
// user who may read attestations) also see who revoked a document and why.
type verifyView struct {
	FileName string
	Verdict  *rw.Verdict
	Error    string
	// ErrorDetail is the technical reason behind Error, for experts (shown folded).
	ErrorDetail string
	Staff       bool
}

func (verifyView) PageTitle() string { return "Verify a document" }

// unreadableFile is what a reader is told when the verifier refuses the file outright; the
// reader's technical reason goes into ErrorDetail.
const unreadableFile = "The file is not a PDF that Routewarden can check: it is damaged, or it was not made by Routewarden. Upload the PDF exactly as it was downloaded."

func (s *Server) verifyPage(c *gin.Context) {
	s.render(c, http.StatusOK, "verify", verifyView{Staff: s.signedInStaff(c)})
}

// verifyUpload checks an uploaded attestation. It needs no sign-in and changes nothing, so it
// needs no CSRF token either; lim bounds how often one address may use it, since every upload
// costs a signature check. At most Config.MaxVerifications uploads are read and checked at
// once, which bounds the memory they hold; a busy server answers 503 with Retry-After rather
// than queueing. The check runs under a deadline and stops when the client leaves.
func (s *Server) verifyUpload(lim *limiter) gin.HandlerFunc {
	n := s.cfg.MaxVerifications
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	wait := s.cfg.VerifyWait
	if wait <= 0 {
		wait = 2 * time.Second
	}
	slots := make(chan struct{}, n)
	return func(c *gin.Context) {
		staff := s.signedInStaff(c)
		if ok, err := lim.allow(c.Request.Context(), "ip:"+c.ClientIP()); err != nil {
			s.fail(c, err)
			return
		} else if !ok {
			s.render(c, http.StatusTooManyRequests, "verify", verifyView{Staff: staff, Error: "Too many verifications from your address. Wait a minute and try again."})
			return
		}
		timer := time.NewTimer(wait)
		defer timer.Stop()
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
		case <-timer.C:
			c.Header("Retry-After", strconv.Itoa(int(verifyRetryAfter/time.Second)))
			s.render(c, http.StatusServiceUnavailable, "verify", verifyView{Staff: staff,
				Error: fmt.Sprintf("The server is busy checking other files. Try again in %d seconds.", int(verifyRetryAfter/time.Second))})
			return
		case <-c.Request.Context().Done():
			return
		}
		// A slow client must not hold the slot: the upload has to arrive within the read timeout.
		_ = http.NewResponseController(c.Writer).SetReadDeadline(time.Now().Add(verifyReadTimeout))
		name, data, err := readUpload(c)
		uploaded := err == nil
		var v *rw.Verdict
		if err == nil {
			if s.deps.Verifier == nil {
				err = errors.New("web: Deps.Verifier is not set")
			} else {
				ctx, cancel := context.WithTimeout(c.Request.Context(), verifyTimeout)
				v, err = s.deps.Verifier.VerifyAttestation(ctx, data)
				cancel()
				if err == nil && s.deps.Monitor != nil {
					err = monitor.AnnotateVerdict(c.Request.Context(), s.deps.Monitor, v)
				}
			}
		}
		switch {
		case err == nil:
			s.render(c, http.StatusOK, "verify", verifyView{FileName: name, Verdict: v, Staff: staff})
		case rw.ErrorCode(err) == rw.EINVALID && uploaded:
			s.render(c, http.StatusBadRequest, "verify", verifyView{FileName: name, Error: unreadableFile, ErrorDetail: rw.ErrorMessage(err), Staff: staff})
		case rw.ErrorCode(err) == rw.EINVALID:
			s.render(c, http.StatusBadRequest, "verify", verifyView{FileName: name, Error: rw.ErrorMessage(err), Staff: staff})
		case c.Request.Context().Err() != nil:
			// The client left; nobody reads an answer.
		case errors.Is(err, context.DeadlineExceeded):
			c.Header("Retry-After", strconv.Itoa(int(verifyRetryAfter/time.Second)))
			s.render(c, http.StatusServiceUnavailable, "verify", verifyView{Staff: staff,
				Error: fmt.Sprintf("Checking the file took longer than %d seconds and was stopped.", int(verifyTimeout/time.Second))})
		default:
			s.fail(c, err)
		}
	}
}

// signedInStaff reports whether the request carries the session of a user who may read
// attestations. /verify is public, so no middleware has looked the session up.
func (s *Server) signedInStaff(c *gin.Context) bool {
	raw, err := c.Cookie(sessionCookie)
	if err != nil || raw == "" || s.deps.Auth == nil {
		return false
	}
	sess, err := s.deps.Auth.FindSession(c.Request.Context(), secret.HashToken(raw), s.now())
	if err != nil || sess.User == nil {
		return false
	}
	c.Set(ctxUser, sess.User)
	c.Set(ctxSession, sess)
	return sess.User.Role.Can(rw.PermRead)
}

// readUpload reads the "pdf" file of a multipart form, at most maxVerifyUpload bytes.
func readUpload(c *gin.Context) (string, []byte, error) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxVerifyUpload+64<<10)
	fh, err := c.FormFile("pdf")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return "", nil, rw.FieldError("pdf", "The file is larger than %d MiB; attestations and board reports are much smaller.", maxVerifyUpload>>20)
		}
		return "", nil, rw.FieldError("pdf", "Choose the PDF to check: an attestation or a board report.")
	}
	if fh.Size > maxVerifyUpload {
		return "", nil, rw.FieldError("pdf", "The file is larger than %d MiB; attestations and board reports are much smaller.", maxVerifyUpload>>20)
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, fmt.Errorf("open upload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxVerifyUpload+1))
	if err != nil {
		return "", nil, fmt.Errorf("read upload: %w", err)
	}
	if len(data) == 0 {
		return "", nil, rw.FieldError("pdf", "The file is empty.")
	}
	return fh.Filename, data, nil
}

// verifyLimit is how many uploads one address may check per minute.
const verifyLimit = 20

func (s *Server) newVerifyLimiter() *limiter { return s.newLimiter("verify", verifyLimit, time.Minute) }
