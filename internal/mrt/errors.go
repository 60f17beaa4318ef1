package mrt

import "fmt"

// FormatError reports a corrupt or truncated MRT stream: a record header or body cut short, an
// impossible record length, or a decompression failure. It is fatal for the stream. Offset is the
// byte offset of the record's header in the uncompressed stream.
type FormatError struct {
	Offset int64
	Reason string
}

// Error implements error.
func (e *FormatError) Error() string {
	return fmt.Sprintf("byte offset %d: %s", e.Offset, e.Reason)
}

// MalformedError reports a record whose framing is intact but whose content (a BGP message, an
// attribute, a prefix) cannot be decoded. Such records are skipped and counted; reading goes on.
type MalformedError struct {
	Offset  int64 // byte offset of the record header in the uncompressed stream
	Type    Type
	Subtype uint16
	Reason  string
}

// Error implements error.
func (e *MalformedError) Error() string {
	return fmt.Sprintf("byte offset %d: malformed %s record (subtype %d): %s", e.Offset, e.Type, e.Subtype, e.Reason)
}

// errf builds the reason of a MalformedError while decoding; the decoder adds the location.
type decodeError string

func (e decodeError) Error() string { return string(e) }

func malformed(format string, args ...any) error {
	return decodeError(fmt.Sprintf(format, args...))
}
