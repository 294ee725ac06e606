package protocol

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/petreldb/petrel/internal/protocol/streams"
)

// appender is the generated AppendJSON (httpapi's JSONAppender).
type appender interface {
	AppendJSON(dst []byte) ([]byte, error)
}

// outputs returns a zero value of every operation output of both APIs.
func outputs() map[string]any {
	m := map[string]any{}
	for _, op := range DynamoDBOperations {
		m[op] = NewOutput(op)
	}
	for _, op := range streams.Operations {
		m["streams."+op] = streams.NewOutput(op)
	}
	return m
}

// encodingJSON is what httpapi wrote before the generated encoders:
// encoding/json with HTML escaping off and no trailing newline.
func encodingJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// checkAppendJSON fills a new value of out's type from src and compares
// AppendJSON (after a non-empty prefix, to catch offset bugs) with
// encoding/json.
func checkAppendJSON(t *testing.T, name string, out any, src []byte) {
	t.Helper()
	v := reflect.New(reflect.TypeOf(out).Elem())
	f := &filler{src: src}
	f.fill(v.Elem(), 0)
	want, err := encodingJSON(v.Interface())
	if err != nil {
		t.Fatalf("%s: encoding/json: %v", name, err)
	}
	got, err := v.Interface().(appender).AppendJSON([]byte("prefix"))
	if err != nil {
		t.Fatalf("%s: AppendJSON: %v", name, err)
	}
	if !bytes.Equal(got[len("prefix"):], want) || string(got[:len("prefix")]) != "prefix" {
		t.Fatalf("%s: AppendJSON differs from encoding/json\n got %s\nwant %s", name, got, want)
	}
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	outs := outputs()
	if len(outs) != len(DynamoDBOperations)+len(streams.Operations) {
		t.Fatalf("NewOutput missed operations")
	}
	t.Run("every output type has AppendJSON", func(t *testing.T) {
		for name, out := range outs {
			if _, ok := out.(appender); !ok {
				t.Errorf("%s output has no AppendJSON", name)
			}
		}
	})
	t.Run("zero outputs encode as {}", func(t *testing.T) {
		for name, out := range outs {
			checkAppendJSON(t, name, out, nil)
		}
	})
	t.Run("random outputs encode byte for byte as encoding/json does", func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		n := 300
		if testing.Short() {
			n = 30
		}
		for name, out := range outs {
			for range n {
				src := make([]byte, 64+r.IntN(4096))
				for i := range src {
					src[i] = byte(r.Uint32())
				}
				checkAppendJSON(t, name, out, src)
			}
		}
	})
	t.Run("non-finite floats fail as in encoding/json", func(t *testing.T) {
		for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			out := &DescribeTableOutput{Table: &TableDescription{CreationDateTime: &x}}
			if _, err := encodingJSON(out); err == nil {
				t.Fatal("encoding/json accepted a non-finite float")
			}
			if _, err := out.AppendJSON(nil); err == nil {
				t.Errorf("AppendJSON accepted %v", x)
			}
		}
	})
}

// FuzzAppendJSON steers the filler with the fuzz input: the first byte picks
// the output type.
func FuzzAppendJSON(f *testing.F) {
	outs := outputs()
	names := make([]string, 0, len(outs))
	for n := range outs {
		names = append(names, n)
	}
	slices.Sort(names)
	for i := range names {
		var seed [64]byte
		binary.LittleEndian.PutUint64(seed[1:], uint64(i)*0x9e3779b97f4a7c15)
		seed[0] = byte(i)
		f.Add(seed[:])
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) == 0 {
			return
		}
		name := names[int(src[0])%len(names)]
		checkAppendJSON(t, name, outs[name], src[1:])
	})
}
