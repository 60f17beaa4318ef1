package control

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// ObligationsDir is the folder of the obligation catalogue inside a library tree.
const ObligationsDir = "obligations"

// Set is a loaded and validated library tree: the obligation catalogue and every version of
// every control library.
type Set struct {
	Catalogue *Catalogue
	// Libraries are sorted by name, then by version (oldest first).
	Libraries []*Library
}

// Library returns the given version of the named library; an empty version selects the
// newest one.
func (s *Set) Library(name, version string) (*Library, bool) {
	var found *Library
	for _, l := range s.Libraries {
		if l.Name != name {
			continue
		}
		if version == "" || l.Version == version {
			found = l
		}
	}
	return found, found != nil
}

// Latest returns the newest version of every library, sorted by name.
func (s *Set) Latest() []*Library {
	var out []*Library
	for i, l := range s.Libraries {
		if i+1 == len(s.Libraries) || s.Libraries[i+1].Name != l.Name {
			out = append(out, l)
		}
	}
	return out
}

// Load reads a library tree from dir in fsys: the catalogue from dir/obligations/*.yaml and
// each library version from dir/<library>/<version>.yaml. Decoding is strict and everything is
// validated; the error, if any, is a Problems list naming file and line of every problem.
func Load(fsys fs.FS, dir string) (*Set, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var probs Problems
	set := &Set{Catalogue: &Catalogue{}}
	haveCatalogue := false
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		sub := path.Join(dir, e.Name())
		if e.Name() == ObligationsDir {
			cat, err := LoadCatalogue(fsys, sub)
			probs = appendErr(probs, sub, err)
			if cat != nil {
				set.Catalogue, haveCatalogue = cat, true
			}
			continue
		}
		libs, err := loadVersions(fsys, sub, e.Name())
		probs = appendErr(probs, sub, err)
		set.Libraries = append(set.Libraries, libs...)
	}
	if !haveCatalogue && len(probs) == 0 {
		probs = append(probs, Problem{File: path.Join(dir, ObligationsDir), Msg: "no obligation catalogue"})
	}
	if len(set.Libraries) == 0 && len(probs) == 0 {
		probs = append(probs, Problem{File: dir, Msg: "no control library (expected <library>/<version>.yaml)"})
	}
	if len(probs) > 0 {
		return nil, probs
	}
	sortLibraries(set.Libraries)
	if err := set.Validate(); err != nil {
		return nil, err
	}
	return set, nil
}

func loadVersions(fsys fs.FS, dir, name string) ([]*Library, error) {
	files, err := yamlFiles(fsys, dir)
	if err != nil {
		return nil, err
	}
	var libs []*Library
	var probs Problems
	for _, f := range files {
		l, err := LoadLibrary(fsys, f)
		if err != nil {
			probs = appendErr(probs, f, err)
			continue
		}
		want := strings.TrimSuffix(path.Base(f), ".yaml")
		if l.Name != name || l.Version != want {
			probs = append(probs, l.problem("$.version",
				fmt.Sprintf("library %q version %q must live in %s/%s.yaml", l.Name, l.Version, name, l.Version)))
			continue
		}
		libs = append(libs, l)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	return libs, nil
}

// LoadLibrary reads and strictly decodes one library version file. It does not validate
// references; see Library.Validate.
func LoadLibrary(fsys fs.FS, name string) (*Library, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	return ParseLibrary(name, data)
}

// ParseLibrary strictly decodes one library version; name is used in messages.
func ParseLibrary(name string, data []byte) (*Library, error) {
	l := &Library{}
	src, err := decode(name, data, l)
	if err != nil {
		return nil, err
	}
	l.File, l.src = name, src
	return l, nil
}

// LoadCatalogue reads every *.yaml file of dir as one regulation of the obligation catalogue
// and validates the catalogue on its own (unique IDs, required fields).
func LoadCatalogue(fsys fs.FS, dir string) (*Catalogue, error) {
	files, err := yamlFiles(fsys, dir)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, Problems{{File: dir, Msg: "no regulation files (*.yaml)"}}
	}
	cat := &Catalogue{}
	var probs Problems
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		r, err := ParseRegulation(f, data)
		if err != nil {
			probs = appendErr(probs, f, err)
			continue
		}
		cat.Regulations = append(cat.Regulations, *r)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	if err := cat.Validate(); err != nil {
		return nil, err
	}
	return cat, nil
}

// ParseRegulation strictly decodes one regulation file of the catalogue; name is used in
// messages. Obligations without their own source inherit the regulation's.
func ParseRegulation(name string, data []byte) (*Regulation, error) {
	r := &Regulation{}
	src, err := decode(name, data, r)
	if err != nil {
		return nil, err
	}
	r.File, r.src = name, src
	for i := range r.Obligations {
		r.Obligations[i].Regulation = r.ID
		if r.Obligations[i].Source == "" {
			r.Obligations[i].Source = r.Source
		}
	}
	return r, nil
}

func yamlFiles(fsys fs.FS, dir string) ([]string, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".yaml") {
			out = append(out, path.Join(dir, e.Name()))
		}
	}
	return out, nil
}

// source keeps the parsed YAML of a file so that validation problems can name a line.
type source struct{ file *ast.File }

// line returns the line of the node at a YAML path such as "$.controls[3].id", or 0.
func (s *source) line(p string) int {
	if s == nil || s.file == nil {
		return 0
	}
	yp, err := yaml.PathString(p)
	if err != nil {
		return 0
	}
	n, err := yp.FilterFile(s.file)
	if err != nil || n == nil || n.GetToken() == nil {
		return 0
	}
	return n.GetToken().Position.Line
}

// decode parses data as a single YAML document and decodes it into v, rejecting unknown
// fields and duplicate keys.
func decode(name string, data []byte, v any) (*source, error) {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, yamlProblem(name, err)
	}
	if len(file.Docs) != 1 || file.Docs[0].Body == nil {
		return nil, Problems{{File: name, Line: 1, Msg: fmt.Sprintf("want exactly one YAML document, found %d", nonEmptyDocs(file))}}
	}
	if _, ok := file.Docs[0].Body.(*ast.MappingNode); !ok {
		return nil, Problems{{File: name, Line: 1, Msg: "document is not a mapping"}}
	}
	if n := plainDataViolation(file.Docs[0].Body); n != nil {
		return nil, Problems{{File: name, Line: n.GetToken().Position.Line,
			Msg: "anchors, aliases, merge keys and tags are not allowed; write the data out"}}
	}
	if err := yaml.NodeToValue(file.Docs[0].Body, v, yaml.DisallowUnknownField()); err != nil {
		return nil, yamlProblem(name, err)
	}
	return &source{file: file}, nil
}

// plainData finds the first anchor, alias, merge key or tag: library files are plain data, and
// aliases could otherwise expand a small file into a huge one.
type plainData struct{ bad ast.Node }

func (p *plainData) Visit(n ast.Node) ast.Visitor {
	if p.bad != nil {
		return nil
	}
	switch n.Type() {
	case ast.AnchorType, ast.AliasType, ast.MergeKeyType, ast.TagType:
		if n.GetToken() != nil {
			p.bad = n
			return nil
		}
	}
	return p
}

func plainDataViolation(body ast.Node) ast.Node {
	p := &plainData{}
	ast.Walk(p, body)
	return p.bad
}

func nonEmptyDocs(f *ast.File) int {
	n := 0
	for _, d := range f.Docs {
		if d.Body != nil {
			n++
		}
	}
	return n
}

func yamlProblem(name string, err error) Problems {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		return Problems{{File: name, Line: ye.GetToken().Position.Line, Msg: ye.GetMessage()}}
	}
	return Problems{{File: name, Msg: err.Error()}}
}

func appendErr(probs Problems, file string, err error) Problems {
	if err == nil {
		return probs
	}
	var ps Problems
	if errors.As(err, &ps) {
		return append(probs, ps...)
	}
	return append(probs, Problem{File: file, Msg: err.Error()})
}

func sortLibraries(libs []*Library) {
	sort.SliceStable(libs, func(i, j int) bool {
		if libs[i].Name != libs[j].Name {
			return libs[i].Name < libs[j].Name
		}
		return CompareVersions(libs[i].Version, libs[j].Version) < 0
	})
}
