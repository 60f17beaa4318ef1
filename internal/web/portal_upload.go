package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"routewarden/internal/control"
	rw "routewarden/internal/routewarden"
)

// MaxEvidenceBytes is the size limit of one evidence file.
const MaxEvidenceBytes = 10 << 20

// evidenceTypes maps the media types accepted as evidence (as sniffed from the content) to
// the file extensions that may carry them. A file whose content does not match its name is
// refused: a disguised upload.
var evidenceTypes = map[string][]string{
	"application/pdf":           {".pdf"},
	"image/png":                 {".png"},
	"image/jpeg":                {".jpg", ".jpeg"},
	"text/plain; charset=utf-8": {".txt", ".csv", ".json", ".log", ".md", ".yaml", ".yml", ".conf", ".cfg"},
	"application/zip":           {".zip", ".docx", ".xlsx", ".pptx", ".odt", ".ods"},
}

// SniffEvidence checks an upload's content against the accepted types and its name, and
// returns the media type to store.
func SniffEvidence(name string, data []byte) (string, error) {
	if len(data) == 0 {
		return "", rw.FieldError("file", "The file is empty.")
	}
	mt := http.DetectContentType(data)
	exts, ok := evidenceTypes[mt]
	if !ok {
		return "", rw.FieldError("file", "Files of type %s are not accepted; upload PDF, PNG, JPEG, plain text/CSV or Office documents.", mt)
	}
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range exts {
		if e == ext {
			return mt, nil
		}
	}
	return "", rw.FieldError("file", "The content of %q is %s, which does not match its name; the file was refused.", name, mt)
}

// safeFileName keeps the base name of an upload, printable and short.
func safeFileName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 32 || r == 127 || r == '"' || r == '/' {
			return '_'
		}
		return r
	}, name)
	for utf8.RuneCountInString(name) > 150 {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == ".." {
		name = "evidence"
	}
	return name
}

// portalUpload stores an evidence file for a file question, after the size limit, the content
// check and hashing.
func (s *Server) portalUpload(c *gin.Context) {
	a := portalAssessment(c)
	err := s.upload(c, a)
	if err != nil {
		if rw.ErrorCode(err) == rw.EINTERNAL {
			s.fail(c, err)
			return
		}
		s.renderPortal(c, statusOf[rw.ErrorCode(err)], nil, "Upload refused: "+rw.ErrorMessage(err), "")
		return
	}
	s.portalFlash(c, fmt.Sprintf("/portal/a/%d?section=%s#q-%s", a.ID, c.PostForm("section"), c.PostForm("question")), "File uploaded.")
}

func (s *Server) upload(c *gin.Context, a *rw.Assessment) error {
	fh, err := c.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return rw.FieldError("file", "The file is larger than %d MiB.", MaxEvidenceBytes>>20)
		}
		return rw.FieldError("file", "Choose a file to upload.")
	}
	if fh.Size > MaxEvidenceBytes {
		return rw.FieldError("file", "The file is larger than %d MiB.", MaxEvidenceBytes>>20)
	}
	q, _, err := s.portalMayAct(c, c.PostForm("question"), true)
	if err != nil {
		return err
	}
	if q.Type != control.TypeFile {
		return rw.FieldError("question", "Question %s takes an answer, not a file.", q.ID)
	}
	data, name, mt, err := readEvidence(fh)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	ev := &rw.EvidenceFile{AssessmentID: a.ID, QuestionID: q.ID, Name: name, MediaType: mt, Size: int64(len(data)),
		SHA256: hex.EncodeToString(sum[:]), Data: data, UploadedBy: portalSession(c).Actor()}
	if err := s.deps.Assessments.AddEvidence(c.Request.Context(), ev); err != nil {
		return err
	}
	s.markInProgress(c, a)
	_, err = s.refresh(c.Request.Context(), a)
	return err
}

// readEvidence reads an uploaded file (at most MaxEvidenceBytes) and checks its content.
func readEvidence(fh *multipart.FileHeader) (data []byte, name, mediaType string, err error) {
	f, err := fh.Open()
	if err != nil {
		return nil, "", "", err
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, io.LimitReader(f, MaxEvidenceBytes+1)); err != nil {
		return nil, "", "", err
	}
	name = safeFileName(fh.Filename)
	mediaType, err = SniffEvidence(name, buf.Bytes())
	return buf.Bytes(), name, mediaType, err
}

// markInProgress records that the vendor started answering.
func (s *Server) markInProgress(c *gin.Context, a *rw.Assessment) {
	if a.State == rw.StateSent {
		if next, err := s.deps.Assessments.Transition(c.Request.Context(), a.ID, rw.StateInProgress, rw.AuditEvent{Actor: portalSession(c).Actor()}); err == nil {
			*a = *next
		}
	}
}

// portalDownload sends an evidence file of a question the session may see.
func (s *Server) portalDownload(c *gin.Context) {
	f, err := s.portalEvidence(c)
	if err == nil {
		_, _, err = s.portalMayAct(c, f.QuestionID, false)
	}
	if err == nil {
		f, err = s.deps.Assessments.OpenEvidence(c.Request.Context(), f.AssessmentID, f.ID)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	writeEvidence(c, f)
}

// portalDeleteEvidence removes an evidence file, under the same rule as uploading to its question.
func (s *Server) portalDeleteEvidence(c *gin.Context) {
	a := portalAssessment(c)
	f, err := s.portalEvidence(c)
	if err == nil {
		_, _, err = s.portalMayAct(c, f.QuestionID, true)
	}
	if err == nil {
		err = s.deps.Assessments.DeleteEvidence(c.Request.Context(), a.ID, f.ID, portalSession(c).Actor())
	}
	if err == nil {
		_, err = s.refresh(c.Request.Context(), a)
	}
	if err != nil {
		if rw.ErrorCode(err) == rw.EINTERNAL || rw.ErrorCode(err) == rw.ENOTFOUND {
			s.fail(c, err)
			return
		}
		s.renderPortal(c, statusOf[rw.ErrorCode(err)], nil, rw.ErrorMessage(err), "")
		return
	}
	s.portalFlash(c, fmt.Sprintf("/portal/a/%d?section=%s", a.ID, c.PostForm("section")), "File removed.")
}

// portalEvidence finds the evidence file in the path among the assessment's files (without
// reading its bytes).
func (s *Server) portalEvidence(c *gin.Context) (*rw.EvidenceFile, error) {
	eid, err := vendorID(c, "eid")
	if err != nil {
		return nil, err
	}
	files, err := s.deps.Assessments.FindEvidence(c.Request.Context(), portalAssessment(c).ID)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if f.ID == eid {
			return f, nil
		}
	}
	return nil, rw.Errorf(rw.ENOTFOUND, "There is no such file in this questionnaire.")
}
