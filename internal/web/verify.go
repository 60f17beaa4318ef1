package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	rw "routewarden/internal/routewarden"
)

// maxVerifyUpload bounds the PDF the public /verify page accepts; attestations are far smaller.
const maxVerifyUpload = 20 << 20

// verifyView is the public verification page, before and after an upload.
type verifyView struct {
	FileName string
	Verdict  *rw.Verdict
	Error    string
}

func (verifyView) PageTitle() string { return "Verify an attestation" }

func (s *Server) verifyPage(c *gin.Context) {
	s.render(c, http.StatusOK, "verify", verifyView{})
}

// verifyUpload checks an uploaded attestation. It needs no sign-in and changes nothing, so it
// needs no CSRF token either; lim bounds how often one address may use it, since every upload
// costs a signature check.
func (s *Server) verifyUpload(lim *limiter) gin.HandlerFunc {
	return func(c *gin.Context) {
		if ok, err := lim.allow(c.Request.Context(), "ip:"+c.ClientIP()); err != nil {
			s.fail(c, err)
			return
		} else if !ok {
			s.render(c, http.StatusTooManyRequests, "verify", verifyView{Error: "Too many verifications from your address. Wait a minute and try again."})
			return
		}
		name, data, err := readUpload(c)
		var v *rw.Verdict
		if err == nil {
			if s.deps.Verifier == nil {
				err = errors.New("web: Deps.Verifier is not set")
			} else {
				v, err = s.deps.Verifier.VerifyAttestation(c.Request.Context(), data)
			}
		}
		switch rw.ErrorCode(err) {
		case "":
			s.render(c, http.StatusOK, "verify", verifyView{FileName: name, Verdict: v})
		case rw.EINVALID:
			s.render(c, http.StatusBadRequest, "verify", verifyView{Error: rw.ErrorMessage(err)})
		default:
			s.fail(c, err)
		}
	}
}

// readUpload reads the "pdf" file of a multipart form, at most maxVerifyUpload bytes.
func readUpload(c *gin.Context) (string, []byte, error) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxVerifyUpload+64<<10)
	fh, err := c.FormFile("pdf")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return "", nil, rw.FieldError("pdf", "The file is larger than %d MiB; attestations are much smaller.", maxVerifyUpload>>20)
		}
		return "", nil, rw.FieldError("pdf", "Choose the attestation PDF to check.")
	}
	if fh.Size > maxVerifyUpload {
		return "", nil, rw.FieldError("pdf", "The file is larger than %d MiB; attestations are much smaller.", maxVerifyUpload>>20)
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
