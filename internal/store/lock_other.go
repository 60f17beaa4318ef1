//go:build !unix

package store

import (
	"context"
	"sync"
)

var fileLocks sync.Map // lock file path → *sync.Mutex

// fileLock serialises fn within this process only: without flock(2), several processes on one
// SQLite file are not kept apart here (SQLite's own locking still keeps each write atomic).
func (db *DB) fileLock(ctx context.Context, name string, fn func() error) error {
	m, _ := fileLocks.LoadOrStore(db.path+"-"+name+".lock", &sync.Mutex{})
	m.(*sync.Mutex).Lock()
	defer m.(*sync.Mutex).Unlock()
	return fn()
}
