package pebblestore

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/storage"
)

// crashDirEnv, when set, turns this test binary into the crash child: it
// writes into that directory until killed.
const crashDirEnv = "PETREL_PEBBLESTORE_CRASH_DIR"

// TestCrashKeepsAcknowledgedWrites runs a child process that commits synced
// Updates on several goroutines and prints each key once its Update has
// returned, kills it with SIGKILL mid-stream, and checks that every key it
// acknowledged is in the reopened store, counter included.
func TestCrashKeepsAcknowledgedWrites(t *testing.T) {
	if dir := os.Getenv(crashDirEnv); dir != "" {
		crashChild(dir)
		return
	}
	if testing.Short() {
		t.Skip("spawns a child process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashKeepsAcknowledgedWrites$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()

	// Read acknowledgements until enough have arrived, then kill; the
	// reader goes on draining what the child wrote before it died.
	const wantBeforeKill = 300
	var (
		mu    sync.Mutex
		acked []string
	)
	enough := make(chan struct{})
	drained := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			key, ok := strings.CutPrefix(line, "ack ")
			if !ok {
				continue // test framework chatter
			}
			mu.Lock()
			acked = append(acked, key)
			if len(acked) == wantBeforeKill {
				close(enough)
			}
			mu.Unlock()
		}
		drained <- sc.Err()
	}()
	select {
	case <-enough:
	case <-time.After(2 * time.Minute):
		t.Fatal("the child acknowledged too few writes in time")
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
		t.Fatal(err)
	}
	// Drain the pipe to EOF (the dead child's end closes) before Wait,
	// which would close our end and drop acknowledgements still in it.
	select {
	case err := <-drained:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		t.Fatal("stdout of the killed child did not close")
	}
	killed = true
	_ = cmd.Wait()

	e, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("reopen after SIGKILL: %v", err)
	}
	defer e.Close()
	mu.Lock()
	defer mu.Unlock()
	for _, key := range acked {
		v, ok, err := e.Get([]byte(key))
		if err != nil || !ok || string(v) != "value of "+key {
			t.Fatalf("acknowledged %s lost: %q, %v, %v", key, v, ok, err)
		}
	}
	v, _, err := e.Get([]byte("count"))
	if err != nil {
		t.Fatal(err)
	}
	if n := storage.ReadInt64(v); n < int64(len(acked)) {
		t.Fatalf("count = %d after %d acknowledged writes", n, len(acked))
	}
	t.Logf("%d acknowledged writes survived SIGKILL", len(acked))
}

// crashChild writes until killed (or, as a safety net, for at most a
// minute), printing "ack KEY" after each Update returns.
func crashChild(dir string) {
	e, err := Open(dir, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child open:", err)
		os.Exit(1)
	}
	deadline := time.Now().Add(time.Minute)
	var out sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				key := fmt.Sprintf("key/%d/%08d", w, i)
				err := e.Update(context.Background(), [][]byte{[]byte(key)}, func(tx storage.Txn) error {
					tx.Set([]byte(key), []byte("value of "+key))
					tx.AddInt64([]byte("count"), 1)
					return nil
				})
				if err != nil {
					fmt.Fprintln(os.Stderr, "child update:", err)
					os.Exit(1)
				}
				out.Lock()
				fmt.Fprintf(os.Stdout, "ack %s\n", key) // os.Stdout is unbuffered
				out.Unlock()
			}
		}()
	}
	wg.Wait()
	os.Exit(0)
}
