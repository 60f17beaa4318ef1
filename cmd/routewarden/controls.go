package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"routewarden/internal/control"
)

// ctlDefaultLibrary is the control library the controls and obligations commands use unless
// --library says otherwise.
const ctlDefaultLibrary = "routewarden-manrs"

const controlsUsage = `usage: routewarden controls COMMAND
  list [--format table|json] [--family F] [--provider T] [--manrs A] [--obligation ID]
  show [--format text|json] ID
  lint [DIR]           check a library tree (default: the embedded library)
  diff OLD NEW         compare two versions (file paths or version names such as 2026.1)
common flags: --library NAME (default routewarden-manrs), --version V (default: newest)
`

// runControls implements `routewarden controls list|show|lint|diff` over the library tree lib
// (controls.FS). Exit codes: 0 ok, 1 failure (lint problems, unknown control), 2 usage.
func runControls(args []string, stdout, stderr io.Writer, lib fs.FS) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, controlsUsage)
		return 2
	}
	switch args[0] {
	case "list":
		return controlsList(args[1:], stdout, stderr, lib)
	case "show":
		return controlsShow(args[1:], stdout, stderr, lib)
	case "lint":
		return controlsLint(args[1:], stdout, stderr, lib)
	case "diff":
		return controlsDiff(args[1:], stdout, stderr, lib)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, controlsUsage)
		return 0
	}
	fmt.Fprintf(stderr, "controls: unknown command %q\n%s", args[0], controlsUsage)
	return 2
}

// ctlFlags holds the flags every controls and obligations subcommand shares.
type ctlFlags struct {
	fs      *flag.FlagSet
	format  *string
	library *string
	version *string
}

func newCtlFlags(name, defFormat string, stderr io.Writer) ctlFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return ctlFlags{
		fs:      fs,
		format:  fs.String("format", defFormat, "output format"),
		library: fs.String("library", ctlDefaultLibrary, "control library `NAME`"),
		version: fs.String("version", "", "library `VERSION` (default: newest)"),
	}
}

// parse parses args, checks the format and the number of positional arguments, and returns
// the exit code to stop with (-1 to go on).
func (f ctlFlags) parse(args []string, formats []string, minArgs, maxArgs int) int {
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	name := f.fs.Name()
	if !ctlContains(formats, *f.format) {
		fmt.Fprintf(f.fs.Output(), "%s: unknown format %q (%s)\n", name, *f.format, strings.Join(formats, " or "))
		return 2
	}
	if n := f.fs.NArg(); n < minArgs || n > maxArgs {
		fmt.Fprintf(f.fs.Output(), "%s: wrong number of arguments\n%s", name, controlsUsage)
		return 2
	}
	return -1
}

// open loads the embedded tree and picks the library version the flags select.
func (f ctlFlags) open(lib fs.FS, stderr io.Writer) (*control.Set, *control.Library, bool) {
	set, err := control.Load(lib, ".")
	if err != nil {
		fmt.Fprintf(stderr, "%s: the control library does not load:\n%v\n", f.fs.Name(), err)
		return nil, nil, false
	}
	l, ok := set.Library(*f.library, *f.version)
	if !ok {
		fmt.Fprintf(stderr, "%s: no library %q version %q\n", f.fs.Name(), *f.library, *f.version)
		return nil, nil, false
	}
	return set, l, true
}

func controlsList(args []string, stdout, stderr io.Writer, lib fs.FS) int {
	f := newCtlFlags("controls list", "table", stderr)
	family := f.fs.String("family", "", "only controls of family `F`")
	provider := f.fs.String("provider", "", "only controls for provider type `T`")
	manrs := f.fs.String("manrs", "", "only controls implementing MANRS action `A`")
	obligation := f.fs.String("obligation", "", "only controls supporting obligation `ID`")
	if code := f.parse(args, []string{"table", "json"}, 0, 0); code >= 0 {
		return code
	}
	_, l, ok := f.open(lib, stderr)
	if !ok {
		return 1
	}
	cs := l.Select(func(c *control.Control) bool {
		return (*family == "" || c.Family == *family) &&
			(*provider == "" || ctlContains(c.AppliesTo, *provider)) &&
			(*manrs == "" || ctlContains(c.MANRS, *manrs)) &&
			(*obligation == "" || ctlContains(c.Obligations, *obligation))
	})
	if *f.format == "json" {
		rows := make([]control.ControlRow, 0, len(cs))
		for _, c := range cs {
			rows = append(rows, c.Row())
		}
		return ctlWriteJSON(stdout, stderr, rows)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tFAMILY\tBASIS\tSEVERITY\tAPPLIES TO\tMANRS\tTITLE")
	for _, c := range cs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, c.Family, c.Basis, c.Severity,
			strings.Join(c.AppliesTo, ","), ctlDash(strings.Join(c.MANRS, ",")), c.Title)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "%d controls, %s %s\n", len(cs), l.Name, l.Version)
	return 0
}

func controlsShow(args []string, stdout, stderr io.Writer, lib fs.FS) int {
	f := newCtlFlags("controls show", "text", stderr)
	if code := f.parse(args, []string{"text", "json"}, 1, 1); code >= 0 {
		return code
	}
	set, l, ok := f.open(lib, stderr)
	if !ok {
		return 1
	}
	c, ok := l.Control(f.fs.Arg(0))
	if !ok {
		fmt.Fprintf(stderr, "controls show: no control %q in %s %s\n", f.fs.Arg(0), l.Name, l.Version)
		return 1
	}
	if *f.format == "json" {
		return ctlWriteJSON(stdout, stderr, c)
	}
	control.WriteControl(stdout, l, set.Catalogue, c)
	return 0
}

func controlsLint(args []string, stdout, stderr io.Writer, lib fs.FS) int {
	f := newCtlFlags("controls lint", "text", stderr)
	if code := f.parse(args, []string{"text"}, 0, 1); code >= 0 {
		return code
	}
	fsys, prefix := lib, "controls"
	if dir := f.fs.Arg(0); dir != "" {
		fsys, prefix = os.DirFS(dir), dir
	}
	set, err := control.Load(fsys, ".")
	if err != nil {
		var probs control.Problems
		if !errors.As(err, &probs) {
			fmt.Fprintf(stderr, "controls lint: %s: %v\n", prefix, err)
			return 1
		}
		for _, p := range probs {
			p.File = filepath.Join(prefix, p.File)
			fmt.Fprintln(stderr, p.Error())
		}
		fmt.Fprintf(stderr, "controls lint: %d problem(s)\n", len(probs))
		return 1
	}
	for _, l := range set.Libraries {
		questions := 0
		for _, c := range l.Controls {
			questions += len(c.Questions)
		}
		fmt.Fprintf(stdout, "ok  %s %s: %d controls, %d questions, digest %s\n",
			l.Name, l.Version, len(l.Controls), questions, l.Digest())
	}
	informational := 0
	for _, o := range set.Catalogue.Obligations() {
		if o.Informational {
			informational++
		}
	}
	fmt.Fprintf(stdout, "ok  obligations: %d regulations, %d obligations (%d informational), digest %s\n",
		len(set.Catalogue.Regulations), len(set.Catalogue.Obligations()), informational, set.Catalogue.Digest())
	return 0
}

func controlsDiff(args []string, stdout, stderr io.Writer, lib fs.FS) int {
	f := newCtlFlags("controls diff", "text", stderr)
	if code := f.parse(args, []string{"text", "json"}, 2, 2); code >= 0 {
		return code
	}
	var libs [2]*control.Library
	for i := range libs {
		l, err := ctlResolveVersion(f.fs.Arg(i), *f.library, lib)
		if err != nil {
			fmt.Fprintf(stderr, "controls diff: %v\n", err)
			return 1
		}
		libs[i] = l
	}
	d := control.Diff(libs[0], libs[1])
	if *f.format == "json" {
		return ctlWriteJSON(stdout, stderr, d)
	}
	d.WriteText(stdout, libs[0], libs[1])
	return 0
}

// resolveVersion reads arg as a library file on disk if one exists, else as a version name
// ("2026.1" or "routewarden-manrs/2026.1") of the embedded tree.
func ctlResolveVersion(arg, library string, lib fs.FS) (*control.Library, error) {
	if st, err := os.Stat(arg); err == nil && !st.IsDir() {
		data, err := os.ReadFile(arg)
		if err != nil {
			return nil, err
		}
		l, err := control.ParseLibrary(arg, data)
		if err != nil {
			return nil, err
		}
		// A diff compares versions, at most one of which is the newest: hold the files to
		// the rules every released version meets (lint holds the newest to grading).
		if err := l.ValidateReleased(nil); err != nil {
			return nil, err
		}
		return l, nil
	}
	name, version := library, arg
	if n, v, ok := strings.Cut(arg, "/"); ok {
		name, version = n, strings.TrimSuffix(v, ".yaml")
	}
	set, err := control.Load(lib, ".")
	if err != nil {
		return nil, err
	}
	l, ok := set.Library(name, version)
	if !ok {
		return nil, fmt.Errorf("%q is neither a file nor a version of library %q", arg, name)
	}
	return l, nil
}

const obligationsUsage = `usage: routewarden obligations COMMAND
  list [--format table|json] [--regulation R]
  show [--format text|json] ID
`

// runObligations implements `routewarden obligations list|show` over the obligation catalogue
// of lib (controls.FS). Exit codes: 0 ok, 1 failure, 2 usage.
func runObligations(args []string, stdout, stderr io.Writer, lib fs.FS) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, obligationsUsage)
		return 2
	}
	switch args[0] {
	case "list":
		return obligationsList(args[1:], stdout, stderr, lib)
	case "show":
		return obligationsShow(args[1:], stdout, stderr, lib)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, obligationsUsage)
		return 0
	}
	fmt.Fprintf(stderr, "obligations: unknown command %q\n%s", args[0], obligationsUsage)
	return 2
}

func obligationsList(args []string, stdout, stderr io.Writer, lib fs.FS) int {
	f := newCtlFlags("obligations list", "table", stderr)
	regulation := f.fs.String("regulation", "", "only obligations of regulation `R` (e.g. DORA)")
	if code := f.parse(args, []string{"table", "json"}, 0, 0); code >= 0 {
		return code
	}
	set, l, ok := f.open(lib, stderr)
	if !ok {
		return 1
	}
	rows := []control.ObligationRow{}
	for _, r := range l.ObligationRows(set.Catalogue) {
		if *regulation == "" || strings.EqualFold(r.Regulation, *regulation) {
			rows = append(rows, r)
		}
	}
	if *f.format == "json" {
		return ctlWriteJSON(stdout, stderr, rows)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tREFERENCE\tCONTROLS\tTITLE")
	for _, r := range rows {
		n := fmt.Sprint(len(r.Controls))
		if r.Informational {
			n = "informational"
		}
		fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s\n", r.ID, r.Regulation, r.Reference, n, r.Title)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "%d obligations; controls from %s %s\n", len(rows), l.Name, l.Version)
	return 0
}

func obligationsShow(args []string, stdout, stderr io.Writer, lib fs.FS) int {
	f := newCtlFlags("obligations show", "text", stderr)
	if code := f.parse(args, []string{"text", "json"}, 1, 1); code >= 0 {
		return code
	}
	set, l, ok := f.open(lib, stderr)
	if !ok {
		return 1
	}
	for _, r := range l.ObligationRows(set.Catalogue) {
		if r.ID != f.fs.Arg(0) {
			continue
		}
		if *f.format == "json" {
			return ctlWriteJSON(stdout, stderr, r)
		}
		fmt.Fprintf(stdout, "%s  %s %s — %s\n\n%s\n\nApplicability: %s\nSource: %s\n",
			r.ID, r.Regulation, r.Reference, r.Title, r.Paraphrase, ctlDash(r.Applicability), r.Source)
		if r.Informational {
			fmt.Fprintln(stdout, "Informational: no control maps it.")
		}
		fmt.Fprintf(stdout, "\nControls (%s %s):\n", l.Name, l.Version)
		for _, id := range r.Controls {
			c, _ := l.Control(id)
			fmt.Fprintf(stdout, "  %s  [%s] %s\n", id, c.Basis, c.Title)
		}
		return 0
	}
	fmt.Fprintf(stderr, "obligations show: no obligation %q\n", f.fs.Arg(0))
	return 1
}

func ctlWriteJSON(stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(stderr, "write: %v\n", err)
		return 1
	}
	return 0
}

func ctlContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func ctlDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
