package expr

import (
	"bufio"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/apierr"

	"github.com/petreldb/petrel/internal/attr"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden expectations")

// testPlaceholders is the fixed placeholder set the golden files use.
func testPlaceholders() *Placeholders {
	names := map[string]string{
		"#a": "a", "#b": "b", "#dot": "x.y", "#name": "name", "#pk": "pk", "#sk": "sk", "#m": "m",
	}
	values := attr.Item{
		":v":    attr.Str("x"),
		":s":    attr.Str("z"),
		":n":    attr.Num("1"),
		":n10":  attr.Num("10"),
		":b":    attr.Bin([]byte("ab")),
		":bool": attr.Boolean(true),
		":null": attr.Null(),
		":l":    {Type: attr.L, List: []attr.Value{attr.Num("1")}},
		":m":    {Type: attr.M, Map: map[string]attr.Value{"k": attr.Str("v")}},
		":ss":   {Type: attr.SS, Strs: []string{"a", "b"}},
		":ns":   {Type: attr.NS, Strs: []string{"1", "2"}},
		":bs":   {Type: attr.BS, BytesSet: [][]byte{[]byte("a")}},
		":t":    attr.Str("S"),
		":badt": attr.Str("X"),
	}
	return NewPlaceholders(names, values)
}

// runGolden parses every "kind: input ==> expected" line of testdata/name
// and compares the AST rendering (or "error: message") with expected.
func runGolden(t *testing.T, name string) {
	path := "testdata/" + name
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		kind, rest, ok := strings.Cut(line, ": ")
		if strings.HasPrefix(line, "#") || !ok {
			out = append(out, line)
			continue
		}
		input, want, _ := strings.Cut(rest, " ==> ")
		input = strings.ReplaceAll(input, `\n`, "\n")
		got := goldenRun(kind, input)
		if *update {
			out = append(out, kind+": "+rest[:len(rest)-len(want)-len(" ==> ")]+" ==> "+got)
			continue
		}
		t.Run(kind+" "+input, func(t *testing.T) {
			if got != want {
				t.Errorf("%s %q:\n got: %s\nwant: %s", kind, input, got, want)
			}
		})
	}
	if *update {
		if err := os.WriteFile(path, []byte(strings.Join(out, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func goldenRun(kind, input string) string {
	ph := testPlaceholders()
	var s interface{ String() string }
	var err error
	switch kind {
	case "condition":
		s, err = ParseCondition(input, ph)
	case "filter":
		s, err = ParseFilter(input, ph)
	case "update":
		s, err = ParseUpdate(input, ph)
	case "projection":
		s, err = ParseProjection(input, ph)
	case "keycondition":
		var kc *KeyCondition
		kc, err = ParseKeyCondition(input, ph, KeySchema{Partition: "pk", PartitionType: attr.S, Sort: "sk", SortType: attr.N})
		s = kc
	default:
		return "unknown kind " + kind
	}
	if err != nil {
		if e, ok := apierr.As(err); ok {
			return "error: " + e.Message
		}
		return "internal error: " + err.Error()
	}
	return s.String()
}

func TestGoldenCondition(t *testing.T)  { runGolden(t, "condition.golden") }
func TestGoldenUpdate(t *testing.T)     { runGolden(t, "update.golden") }
func TestGoldenProjection(t *testing.T) { runGolden(t, "projection.golden") }
func TestGoldenKeyCondition(t *testing.T) {
	runGolden(t, "keycondition.golden")
}

// errMessage returns the client-visible message of an *apierr.Error.
func errMessage(err error) string {
	if e, ok := apierr.As(err); ok {
		return e.Message
	}
	return "internal error: " + err.Error()
}
