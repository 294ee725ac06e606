package e2e

import (
	"os"
	"strings"
	"testing"
)

func TestApsProbe(t *testing.T) {
	srv := apsServer(t)
	b, _ := os.ReadFile("/tmp/aps/probe.txt")
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		target, body, ok := strings.Cut(line, " ")
		if !ok { continue }
		if !strings.HasPrefix(body, "{") { body = apsStmt(body) }
		st, out := srv.Do(t, target, body)
		t.Logf("%s\n   -> %d %s", line, st, out)
	}
}
