package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"routewarden/internal/mrt"
)

const mrtUsage = `usage: routewarden mrt dump FILE...

Prints every route in the MRT files (plain, gzip or bzip2; TABLE_DUMP, TABLE_DUMP_V2, BGP4MP)
as bgpdump -m does, one line per route.
`

// runMRT implements `routewarden mrt dump FILE...`. It returns 0 on success, 1 when a file
// cannot be read or is corrupt (the error names the file and byte offset) and 2 on a usage error.
// Malformed BGP messages inside intact records are skipped; a summary goes to stderr.
func runMRT(args []string, stdout, stderr io.Writer) int {
	if len(args) < 2 || args[0] != "dump" {
		fmt.Fprint(stderr, mrtUsage)
		return 2
	}
	out := bufio.NewWriterSize(stdout, 256<<10)
	defer out.Flush()
	for _, path := range args[1:] {
		st, err := mrtDumpFile(path, out)
		if st.Malformed > 0 {
			fmt.Fprintf(stderr, "%s: skipped %d malformed record(s) of %d\n", path, st.Malformed, st.Records)
			for _, e := range st.Errors {
				fmt.Fprintf(stderr, "  %s: %v\n", path, e)
			}
		}
		if st.Truncated > 0 {
			fmt.Fprintf(stderr, "%s: %d BGP message(s) cut short by their record; complete prefixes kept\n", path, st.Truncated)
		}
		if err != nil {
			out.Flush()
			fmt.Fprintf(stderr, "%s: %v\n", path, err)
			return 1
		}
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintf(stderr, "mrt dump: %v\n", err)
		return 1
	}
	return 0
}

func mrtDumpFile(path string, w io.Writer) (mrt.Stats, error) {
	f, err := os.Open(path)
	if err != nil {
		return mrt.Stats{}, err
	}
	defer f.Close()
	return mrt.Dump(w, f)
}
