package job_test

import (
	"io"
	"net/http"
)

func mustRead(r *http.Request) []byte {
	b, _ := io.ReadAll(r.Body)
	return b
}
