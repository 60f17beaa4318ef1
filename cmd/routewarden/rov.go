package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"

	"routewarden/internal/rpki"
)

// runROV implements `routewarden rov --vrps FILE --routes FILE [--format text|json]
// [--slurm FILE]`: RFC 6811 origin validation of a "PREFIX ORIGIN" route list against a VRP
// export (any supported shape). Text output is one "PREFIX ASORIGIN STATE" line per route in
// input order; JSON output follows Routinator's `validate --json`. The routes file may be "-"
// for standard input. Exit codes: 0 done, 1 unreadable or malformed input, 2 usage error.
func runROV(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rov", flag.ContinueOnError)
	fs.SetOutput(stderr)
	vrpsPath := fs.String("vrps", "", "VRP export `FILE` (rpki-client, Routinator, OctoRPKI, RIPE Validator JSON or CSV)")
	routesPath := fs.String("routes", "", "route list `FILE` (PREFIX ORIGIN per line; - for standard input)")
	format := fs.String("format", "text", "output format: text or json")
	slurmPath := fs.String("slurm", "", "optional SLURM (RFC 8416) `FILE` applied to the VRPs")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: routewarden rov --vrps FILE --routes FILE [--format text|json] [--slurm FILE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	switch {
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "rov: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	case *vrpsPath == "" || *routesPath == "":
		fmt.Fprintln(stderr, "rov: --vrps and --routes are required")
		fs.Usage()
		return 2
	case *format != "text" && *format != "json":
		fmt.Fprintf(stderr, "rov: unknown format %q (text or json)\n", *format)
		return 2
	}
	table, routes, err := loadROVInput(*vrpsPath, *slurmPath, *routesPath, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "rov: %v\n", err)
		return 1
	}
	w := bufio.NewWriterSize(stdout, 1<<20)
	if *format == "json" {
		err = rpki.WriteJSON(w, table, routes)
	} else {
		err = rpki.WriteText(w, routes, table.ValidateAll(routes))
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		fmt.Fprintf(stderr, "rov: writing output: %v\n", err)
		return 1
	}
	return 0
}

// loadROVInput reads the VRPs (then builds the table) and the routes at the same time.
func loadROVInput(vrpsPath, slurmPath, routesPath string, stdin io.Reader) (*rpki.Table, []rpki.Route, error) {
	var (
		wg         sync.WaitGroup
		table      *rpki.Table
		routes     []rpki.Route
		vErr, rErr error
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		table, vErr = loadTable(vrpsPath, slurmPath)
	}()
	var data []byte
	if routesPath == "-" {
		data, rErr = io.ReadAll(stdin)
	} else {
		data, rErr = os.ReadFile(routesPath)
	}
	if rErr == nil {
		routes, rErr = rpki.ParseRoutes(routesPath, data)
	}
	wg.Wait()
	if vErr != nil {
		return nil, nil, vErr
	}
	return table, routes, rErr
}

func loadTable(vrpsPath, slurmPath string) (*rpki.Table, error) {
	set, err := rpki.ReadVRPFile(vrpsPath)
	if err != nil {
		return nil, err
	}
	if slurmPath != "" {
		f, err := os.Open(slurmPath)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		sl, err := rpki.ReadSLURM(slurmPath, f)
		if err != nil {
			return nil, err
		}
		sl.Apply(set)
	}
	return rpki.NewTable(set), nil
}
