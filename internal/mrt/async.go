package mrt

import (
	"errors"
	"io"
	"runtime"
	"sync"
)

// asyncReader decompresses ahead in its own goroutine, so that decompression and decoding run
// on two cores. Buffers are recycled: memory stays at asyncBuffers × asyncBufSize.
type asyncReader struct {
	full chan asyncChunk
	free chan []byte
	stop *stopper
	cur  []byte
	last []byte
	err  error
}

type asyncChunk struct {
	b   []byte
	err error
}

const (
	asyncBuffers = 4
	asyncBufSize = 512 << 10
)

func newAsyncReader(r io.Reader) *asyncReader {
	a := &asyncReader{
		full: make(chan asyncChunk, asyncBuffers),
		free: make(chan []byte, asyncBuffers),
		stop: &stopper{done: make(chan struct{})},
	}
	for i := 0; i < asyncBuffers; i++ {
		a.free <- make([]byte, asyncBufSize)
	}
	go fillAsync(r, a.full, a.free, a.stop.done)
	return a
}

// fillAsync reads r into free buffers until EOF, an error, or done is closed. It does not refer
// to the asyncReader, so an abandoned reader can be collected and its cleanup can stop it.
func fillAsync(r io.Reader, full chan<- asyncChunk, free <-chan []byte, done <-chan struct{}) {
	for {
		var buf []byte
		select {
		case buf = <-free:
		case <-done:
			return
		}
		n, err := readFull(r, buf)
		select {
		case full <- asyncChunk{buf[:n], err}:
		case <-done:
			return
		}
		if err != nil {
			return
		}
	}
}

// readFull fills buf like io.ReadFull but returns the reader's own error (io.EOF at the end)
// rather than turning a short read into io.ErrUnexpectedEOF, which gzip uses for truncation.
func readFull(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// decompressError marks an error of the decompressor (as opposed to a short MRT record).
type decompressError struct{ err error }

func (e *decompressError) Error() string { return e.err.Error() }
func (e *decompressError) Unwrap() error { return e.err }

// decompReader wraps a decompressor's errors other than io.EOF in *decompressError.
type decompReader struct{ r io.Reader }

func (d decompReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) {
		err = &decompressError{err}
	}
	return n, err
}

// Read implements io.Reader.
func (a *asyncReader) Read(p []byte) (int, error) {
	for len(a.cur) == 0 {
		if a.err != nil {
			return 0, a.err
		}
		if a.last != nil {
			a.free <- a.last[:cap(a.last)]
			a.last = nil
		}
		c := <-a.full
		a.cur, a.last, a.err = c.b, c.b, c.err
	}
	n := copy(p, a.cur)
	a.cur = a.cur[n:]
	return n, nil
}

// Close stops the decompressing goroutine.
func (a *asyncReader) Close() error {
	a.stop.stop()
	return nil
}

// stopper closes done once.
type stopper struct {
	once sync.Once
	done chan struct{}
}

func (s *stopper) stop() { s.once.Do(func() { close(s.done) }) }

// startAsync wraps a decompressor and arranges for its goroutine to stop when the Reader is
// closed or becomes unreachable. With a single CPU it returns dec unchanged.
func (r *Reader) startAsync(dec io.Reader) io.Reader {
	dec = decompReader{dec}
	if runtime.GOMAXPROCS(0) < 2 {
		return dec
	}
	a := newAsyncReader(dec)
	r.closer = a
	runtime.AddCleanup(r, (*stopper).stop, a.stop)
	return a
}
