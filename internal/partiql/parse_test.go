package partiql

import (
	"bufio"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/apierr"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden expectations")

// TestParseGolden runs testdata/parse.golden: each line is
// "statement ==> canonical AST" or "statement ==> error: message [detail]".
// Regenerate with: go test ./internal/partiql -run Golden -update (then
// review the diff).
func TestParseGolden(t *testing.T) {
	runGolden(t, "testdata/parse.golden", func(in string) string {
		st, err := Parse(in)
		if err != nil {
			return renderErr(err)
		}
		return st.String()
	})
}

// renderErr renders a Parse error: the client message and, for syntax
// errors, the position and reason.
func renderErr(err error) string {
	if se, ok := err.(*SyntaxError); ok {
		return "error: " + se.APIError().Message + " [" + se.Detail() + "]"
	}
	if ae, ok := apierr.As(err); ok {
		return "error: " + ae.Code + ": " + ae.Message
	}
	return "internal error: " + err.Error()
}

// runGolden checks (or with -update rewrites) a golden file of
// "input ==> output" lines; lines starting with # and blank lines are kept.
func runGolden(t *testing.T, file string, fn func(string) string) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			out = append(out, line)
			continue
		}
		in, want, ok := strings.Cut(line, " ==> ")
		if !ok {
			in = strings.TrimSuffix(line, " ==>")
		}
		got := fn(in)
		out = append(out, in+" ==> "+got)
		if !*update && got != want {
			t.Errorf("%s\n got: %s\nwant: %s", in, got, want)
		}
	}
	f.Close()
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(file, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
