package main

import (
	"context"
	"errors"
	"io"
)

// cmdReport dispatches `routewarden report …`.
func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		return usageErr(stderr, errors.New("usage: routewarden report roi …"))
	}
	switch args[0] {
	case "roi":
		return cmdReportROI(ctx, args[1:], stdout, stderr, getenv)
	}
	return usageErr(stderr, errors.New("usage: routewarden report roi …"))
}
