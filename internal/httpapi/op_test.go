package httpapi

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/protocol"
)

func TestDecodeErrors(t *testing.T) {
	const (
		ser = "SerializationException"
		val = "ValidationException"
	)
	cases := []struct {
		name string
		body string
		code string // "" means success
		msg  string
	}{
		{name: "a valid body decodes", body: `{"TableName":"t","Limit":5,"Count":9000000000,"Flag":true,"Names":{"#a":"b"},"Keys":["k"],"Nested":{"Name":"n"},"Val":{"S":"x"},"Blob":"AAE="}`},
		{name: "an empty body decodes as {}", body: ``},
		{name: "whitespace decodes as {}", body: " \n\t"},
		{name: "null decodes as {}", body: `null`},
		{name: "null members are absent", body: `{"TableName":null,"Keys":null,"Nested":null}`},
		{name: "truncated JSON is malformed", body: `{"TableName":"t"`, code: ser, msg: msgMalformed},
		{name: "garbage is malformed", body: `hello`, code: ser, msg: msgMalformed},
		{name: "trailing garbage is malformed", body: `{} {}`, code: ser, msg: msgMalformed},
		{name: "a number where a string goes (B8)", body: `{"TableName":5}`, code: ser, msg: "NUMBER_VALUE cannot be converted to String"},
		{name: "an object where a string goes (B10)", body: `{"TableName":{"a":1}}`, code: ser, msg: "Start of structure or map found where not expected"},
		{name: "an object where a list goes (B10)", body: `{"Keys":{"a":"b"}}`, code: ser, msg: "Start of structure or map found where not expected"},
		{name: "an array where a string goes (B11)", body: `{"TableName":["a"]}`, code: ser, msg: "Start of list found where not expected"},
		{name: "an array where a structure goes (B11)", body: `{"Nested":[]}`, code: ser, msg: "Start of list found where not expected"},
		{name: "an array as the whole body (B11)", body: `[]`, code: ser, msg: "Start of list found where not expected"},
		{name: "a string where a map goes (B12)", body: `{"Names":"{\"#a\":\"b\"}"}`, code: ser, msg: "Unexpected field type"},
		{name: "a string where a structure goes (B12)", body: `{"Nested":"x"}`, code: ser, msg: "Unexpected field type"},
		{name: "a number where a list goes (B12)", body: `{"Keys":1}`, code: ser, msg: "Unexpected field type"},
		{name: "a string as the whole body (B12)", body: `"x"`, code: ser, msg: "Unexpected field type"},
		{name: "a string where an integer goes (B13)", body: `{"Limit":"5"}`, code: ser, msg: "class java.lang.String can not be converted to an Integer"},
		{name: "a string where a long goes (B13)", body: `{"Count":"5"}`, code: ser, msg: "class java.lang.String can not be converted to an Long"},
		{name: "a bool where a string goes", body: `{"TableName":true}`, code: ser, msg: "BOOLEAN_VALUE cannot be converted to String"},
		{name: "a string where a bool goes", body: `{"Flag":"true"}`, code: ser, msg: "STRING_VALUE cannot be converted to Boolean"},
		{name: "a number where a bool goes", body: `{"Flag":1}`, code: ser, msg: "NUMBER_VALUE cannot be converted to Boolean"},
		{name: "a fraction where an integer goes", body: `{"Limit":1.5}`, code: ser, msg: "NUMBER_VALUE cannot be converted to Integer"},
		{name: "an integer overflow", body: `{"Limit":99999999999}`, code: ser, msg: "NUMBER_VALUE cannot be converted to Integer"},
		{name: "a string where a double goes", body: `{"Rate":"x"}`, code: ser, msg: "STRING_VALUE cannot be converted to Double"},
		{name: "a number where a blob goes", body: `{"Blob":1}`, code: ser, msg: "NUMBER_VALUE cannot be converted to ByteBuffer"},
		{name: "bad base64 in a blob", body: `{"Blob":"!!"}`, code: ser, msg: msgNotAnInput},
		{name: "an apierr from UnmarshalJSON passes through", body: `{"Val":{}}`, code: val,
			msg: "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{name: "a plain error from UnmarshalJSON is a SerializationException", body: `{"Val":"plain"}`, code: ser, msg: msgNotAnInput},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var in echoInput
			err := Decode([]byte(tc.body), &in)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				return
			}
			e, ok := apierr.As(err)
			if !ok {
				t.Fatalf("err = %v, want an *apierr.Error", err)
			}
			if e.Code != tc.code || e.Message != tc.msg || e.Status != 400 {
				t.Errorf("err = %d %s: %q, want 400 %s: %q", e.Status, e.Code, e.Message, tc.code, tc.msg)
			}
		})
	}
}

func TestOpOutput(t *testing.T) {
	t.Run("an output with AppendJSON encodes itself", func(t *testing.T) {
		op := Op(func(context.Context, *echoInput) (*fastOutput, error) { return &fastOutput{}, nil })
		got, err := op(context.Background(), []byte(`{"TableName":"t"}`), []byte("prefix:"))
		if err != nil || string(got) != `prefix:{"fast":true}` {
			t.Errorf("got %q, %v", got, err)
		}
	})
	t.Run("encoding/json output is appended to dst", func(t *testing.T) {
		got, err := Op(echo)(context.Background(), []byte(`{"TableName":"t"}`), []byte("p:"))
		if err != nil || string(got) != `p:{"TableName":"t","Region":"us-east-1","Namespace":"shared"}` {
			t.Errorf("got %q, %v", got, err)
		}
	})
}

type fastOutput struct{}

func (fastOutput) AppendJSON(dst []byte) ([]byte, error) { return append(dst, `{"fast":true}`...), nil }

func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote\back`, "tab\tnl\nret\r", "\x00\x1f", "é✓😀", "bad\xffutf8", "\u2028\u2029", "<a&b>"} {
		t.Run("it matches encoding/json for "+s, func(t *testing.T) {
			got := attr.AppendJSONString(nil, s)
			var back string
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatalf("%q is not a JSON string: %v", got, err)
			}
			want, _ := json.Marshal(s)
			var wantBack string
			json.Unmarshal(want, &wantBack)
			if back != wantBack {
				t.Errorf("round trip of %q = %q, want %q", s, back, wantBack)
			}
		})
	}
}

func TestRequestID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := newRequestID()
		if !requestIDRE.MatchString(id) {
			t.Fatalf("id %q is not 52 upper-case alphanumerics", id)
		}
		if seen[id] {
			t.Fatalf("duplicate id %q", id)
		}
		seen[id] = true
	}
}

// embeddingInput adds a member to a generated input by embedding it, as
// internal/streams does; embeddingOutput does the same to an output.
type embeddingInput struct {
	protocol.GetItemInput
	Extra *float64 `json:"Extra,omitzero"`
}

type embeddingOutput struct {
	protocol.GetItemOutput
	Extra *float64 `json:"Extra,omitzero"`
}

func TestOpEmbeddedGeneratedTypes(t *testing.T) {
	t.Run("an input embedding a generated one keeps its own members", func(t *testing.T) {
		var got *embeddingInput
		op := Op(func(_ context.Context, in *embeddingInput) (*protocol.GetItemOutput, error) {
			got = in
			return &protocol.GetItemOutput{}, nil
		})
		if _, err := op(context.Background(), []byte(`{"TableName":"tbl","Key":{"k":{"S":"a"}},"Extra":1.5}`), nil); err != nil {
			t.Fatal(err)
		}
		if got.Extra == nil || *got.Extra != 1.5 || got.TableName == nil || *got.TableName != "tbl" {
			t.Errorf("decoded %+v", got)
		}
	})
	t.Run("an output embedding a generated one keeps its own members", func(t *testing.T) {
		x := 2.5
		op := Op(func(context.Context, *protocol.GetItemInput) (*embeddingOutput, error) {
			return &embeddingOutput{Extra: &x}, nil
		})
		got, err := op(context.Background(), []byte(`{"TableName":"tbl","Key":{"k":{"S":"a"}}}`), nil)
		if err != nil || string(got) != `{"Extra":2.5}` {
			t.Errorf("got %s, %v", got, err)
		}
	})
}
