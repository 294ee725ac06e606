package httpapi

import (
	"bufio"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/protocol"
	"github.com/petreldb/petrel/internal/protocol/streams"
)

// Differential tests of the generated DecodeJSON against the encoding/json
// path (Decode): for any body, decodeInput (what Op uses) must give the same
// error (code and message) or, on success, a deep-equal input.

// newInput returns a new zero input of op ("PutItem", "streams.GetRecords").
func newInput(op string) any {
	if s, ok := strings.CutPrefix(op, "streams."); ok {
		return streams.NewInput(s)
	}
	return protocol.NewInput(op)
}

// inputOps lists every operation of both APIs.
func inputOps() []string {
	ops := append([]string(nil), protocol.DynamoDBOperations...)
	for _, op := range streams.Operations {
		ops = append(ops, "streams."+op)
	}
	return ops
}

// seedRequests reads testdata/requests.txt: bodies captured from the e2e and
// server tests.
func seedRequests(t testing.TB) (ops []string, bodies [][]byte) {
	f, err := os.Open("testdata/requests.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		op, quoted, _ := strings.Cut(line, " ")
		var body string
		if err := json.Unmarshal([]byte(quoted), &body); err != nil || newInput(op) == nil {
			t.Fatalf("bad line %q: %v", line, err)
		}
		ops = append(ops, op)
		bodies = append(bodies, []byte(body))
	}
	return ops, bodies
}

// checkDecode compares decodeInput with Decode on body for op's input and
// reports whether the generated decoder took the body (fast path).
func checkDecode(t *testing.T, op string, body []byte) (fast bool) {
	t.Helper()
	want := newInput(op)
	wantErr := Decode(body, want)
	got := newInput(op)
	fast = got.(jsonDecoder).DecodeJSON(body)
	if fast && wantErr != nil {
		t.Fatalf("%s %q: DecodeJSON accepted a body encoding/json rejects (%v)", op, body, wantErr)
	}
	got = newInput(op)
	gotErr := decodeInput(body, got)
	switch {
	case (gotErr == nil) != (wantErr == nil):
		t.Fatalf("%s %q: error %v, want %v", op, body, gotErr, wantErr)
	case gotErr != nil:
		ge, ok1 := apierr.As(gotErr)
		we, ok2 := apierr.As(wantErr)
		if !ok1 || !ok2 || ge.Code != we.Code || ge.Message != we.Message || ge.Status != we.Status {
			t.Fatalf("%s %q: error %#v, want %#v", op, body, gotErr, wantErr)
		}
	case !reflect.DeepEqual(got, want):
		t.Fatalf("%s %q: decoded\n%#v\nwant\n%#v", op, body, got, want)
	}
	return fast
}

// mutations are hand-picked edits of a valid body that reach the corners of
// encoding/json's semantics.
var mutations = []struct {
	name string
	edit func(string) string
}{
	{"as is", func(s string) string { return s }},
	{"lower-case member names", strings.ToLower},
	{"upper-case member names", strings.ToUpper},
	{"Kelvin sign in a name", func(s string) string { return strings.Replace(s, `"Key"`, "\"\u212aey\"", 1) }},
	{"long s in a name", func(s string) string { return strings.Replace(s, `"TableName"`, "\"Table\u017fame\"", 1) }},
	{"escaped member name", func(s string) string { return strings.Replace(s, `"TableName"`, `"Table\u004eame"`, 1) }},
	{"duplicate member", func(s string) string { return strings.Replace(s, "{", `{"TableName":"dup","TableName":"x2",`, 1) }},
	{"duplicate map member", func(s string) string {
		return strings.Replace(s, `"ExpressionAttributeNames":{`, `"ExpressionAttributeNames":{"#z":"a","#z":"b",`, 1)
	}},
	{"nulls everywhere", func(s string) string { return strings.ReplaceAll(s, `:"`, `:null,"_x":"`) }},
	{"null elements", func(s string) string { return strings.ReplaceAll(s, `[`, `[null,`) }},
	{"empty containers", func(s string) string {
		return strings.ReplaceAll(strings.ReplaceAll(s, `:[`, `:[],"_":[`), `:{`, `:{},"_":{`)
	}},
	{"white space", func(s string) string {
		return " \t\r\n" + strings.NewReplacer(",", " ,\n", ":", "\t: ", "{", "{ ", "}", " }").Replace(s) + "\n "
	}},
	{"truncated", func(s string) string { return s[:len(s)/2] }},
	{"trailing garbage", func(s string) string { return s + "x" }},
	{"trailing value", func(s string) string { return s + "{}" }},
	{"top-level null", func(string) string { return "null" }},
	{"top-level array", func(s string) string { return "[" + s + "]" }},
	{"numbers as strings", func(s string) string { return strings.NewReplacer(`:10`, `:"10"`, `:1,`, `:"1",`).Replace(s) }},
	{"strings as numbers", func(s string) string { return strings.Replace(s, `"TableName":"`, `"TableName":7,"_":"`, 1) }},
	{"fractional limit", func(s string) string { return strings.Replace(s, "{", `{"Limit":1.5,`, 1) }},
	{"exponent limit", func(s string) string { return strings.Replace(s, "{", `{"Limit":1e2,`, 1) }},
	{"huge limit", func(s string) string { return strings.Replace(s, "{", `{"Limit":99999999999,`, 1) }},
	{"negative zero limit", func(s string) string { return strings.Replace(s, "{", `{"Limit":-0,"TotalSegments":-0,`, 1) }},
	{"object for a string", func(s string) string { return strings.Replace(s, `"TableName":"`, `"TableName":{},"_":"`, 1) }},
	{"array for a string", func(s string) string { return strings.Replace(s, `"TableName":"`, `"TableName":[],"_":"`, 1) }},
	{"bool for a string", func(s string) string { return strings.Replace(s, `"TableName":"`, `"TableName":true,"_":"`, 1) }},
	{"string escapes", func(s string) string {
		return strings.Replace(s, `"TableName":"`, `"TableName":"\ud83d\ude00\u00e9\/\b\f\n\r\t\"\\\ud800x\udc00`, 1)
	}},
	{"invalid escape", func(s string) string { return strings.Replace(s, `"TableName":"`, `"TableName":"\x`, 1) }},
	{"invalid UTF-8", func(s string) string { return strings.Replace(s, `"TableName":"`, "\"TableName\":\"\xff\xfe", 1) }},
	{"control character", func(s string) string { return strings.Replace(s, `"TableName":"`, "\"TableName\":\"\x01", 1) }},
	{"unknown members of every kind", func(s string) string {
		return strings.Replace(s, "{", `{"_a":[1,-2.5e+3,{"x":[true,false,null]}],"_b":"\u00e9","_c":{},`, 1)
	}},
	{"non-ASCII unknown member", func(s string) string { return strings.Replace(s, "{", `{"é":1,`, 1) }},
	{"bad AttributeValue", func(s string) string { return strings.Replace(s, `{"S":`, `{"S":1,"N":`, 1) }},
	{"bad number literal", func(s string) string { return strings.Replace(s, "{", `{"_":01,`, 1) }},
	{"leading comma", func(s string) string { return strings.Replace(s, "{", `{,`, 1) }},
	{"trailing comma", func(s string) string { return strings.Replace(s, "}", `,}`, 1) }},
}

func TestDecodeInputMatchesEncodingJSON(t *testing.T) {
	ops, bodies := seedRequests(t)
	t.Run("every operation has a seed and a DecodeJSON", func(t *testing.T) {
		have := map[string]bool{}
		for _, op := range ops {
			have[op] = true
		}
		for _, op := range inputOps() {
			if _, ok := newInput(op).(jsonDecoder); !ok {
				t.Errorf("%s input has no DecodeJSON", op)
			}
			_ = have[op] // operations no test calls have no seed
		}
	})
	t.Run("captured requests decode the same and take the fast path", func(t *testing.T) {
		slow := 0
		for i, body := range bodies {
			if !checkDecode(t, ops[i], body) && Decode(body, newInput(ops[i])) == nil {
				slow++
				t.Logf("%s took the slow path: %s", ops[i], body)
			}
		}
		if slow > 0 {
			t.Errorf("%d valid captured requests took the slow path", slow)
		}
	})
	t.Run("mutated requests decode the same", func(t *testing.T) {
		for i, body := range bodies {
			for _, m := range mutations {
				checkDecode(t, ops[i], []byte(m.edit(string(body))))
			}
		}
	})
	t.Run("every body decodes the same into every input type", func(t *testing.T) {
		for i, body := range bodies {
			if i%7 != 0 {
				continue
			}
			for _, op := range inputOps() {
				checkDecode(t, op, body)
			}
		}
	})
}

// FuzzDecodeInput: the fuzzer mutates captured requests (and their op).
func FuzzDecodeInput(f *testing.F) {
	ops, bodies := seedRequests(f)
	all := inputOps()
	index := map[string]int{}
	for i, op := range all {
		index[op] = i
	}
	for i, body := range bodies {
		f.Add(uint8(index[ops[i]]), body)
	}
	f.Fuzz(func(t *testing.T, op uint8, body []byte) {
		checkDecode(t, all[int(op)%len(all)], body)
	})
}
