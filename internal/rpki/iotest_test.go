package rpki

import (
	"io"
	"strings"
	"testing/iotest"
)

func iotestOneByte(s string) io.Reader { return iotest.OneByteReader(strings.NewReader(s)) }
