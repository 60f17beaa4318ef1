package loadgen

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// Memory is the process's memory at one moment.
type Memory struct {
	RSS        uint64 // resident set size from /proc/self/status; 0 where there is none
	HeapLive   uint64 // bytes of live heap objects after a garbage collection
	HeapSys    uint64 // heap memory obtained from the OS
	Goroutines int
}

// ReadMemory collects garbage first, so that HeapLive compares like with like across a run.
func ReadMemory() Memory {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return Memory{RSS: rss(), HeapLive: ms.HeapAlloc, HeapSys: ms.HeapSys, Goroutines: runtime.NumGoroutine()}
}

func (m Memory) String() string {
	return fmt.Sprintf("rss %s, live heap %s, heap from OS %s, goroutines %d", MiB(m.RSS), MiB(m.HeapLive), MiB(m.HeapSys), m.Goroutines)
}

// MiB formats a byte count in mebibytes.
func MiB(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func rss() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

// LoadAverage is the machine's one-minute load average and CPU count, for reading the figures:
// on a busy machine latency includes waiting for a core. "" where /proc/loadavg is missing.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return fmt.Sprintf("load average %s on %d CPUs", f[0], runtime.NumCPU())
}
