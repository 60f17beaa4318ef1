package attest

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImports keeps the package free of the database and web layers: it
// needs the PDF libraries, and the domain and control library only to
// assemble a Document and talk to the store interfaces.
func TestImports(t *testing.T) {
	allowed := []string{"codeberg.org/go-pdf/fpdf", "github.com/digitorus/pdf", "github.com/digitorus/pdfsign/",
		"golang.org/x/crypto/pkcs12", "golang.org/x/crypto/ocsp", "github.com/digitorus/pkcs7",
		"github.com/digitorus/timestamp", "golang.org/x/text/unicode/norm", "routewarden/internal/routewarden", "routewarden/internal/control",
		"routewarden/internal/score"}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first := strings.Split(path, "/")[0]
			if !strings.Contains(first, ".") && first != "routewarden" && path != "database/sql" {
				continue // standard library
			}
			ok := false
			for _, a := range allowed {
				ok = ok || path == strings.TrimSuffix(a, "/") || (strings.HasSuffix(a, "/") && strings.HasPrefix(path, a))
			}
			if !ok {
				t.Errorf("%s imports %s; attest may use only the standard library and %v", name, path, allowed)
			}
		}
	}
}
