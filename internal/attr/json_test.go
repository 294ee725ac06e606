package attr

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/apierr"
)

func TestParseValue(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Value
		out  string // re-encoded form
	}{
		{"string", `{"S":"x"}`, Str("x"), `{"S":"x"}`},
		{"empty string", `{"S":""}`, Str(""), `{"S":""}`},
		{"escaped string", `{"S":"a\"b\\c\n\u00e9\ud83d\ude00"}`, Str("a\"b\\c\né😀"), `{"S":"a\"b\\c\né😀"}`},
		{"unicode string", `{"S":"é€"}`, Str("é€"), `{"S":"é€"}`},
		{"number is canonicalized", `{"N":"0001.500"}`, Num("1.5"), `{"N":"1.5"}`},
		{"binary", `{"B":"AAEC"}`, Bin([]byte{0, 1, 2}), `{"B":"AAEC"}`},
		{"empty binary", `{"B":""}`, Bin([]byte{}), `{"B":""}`},
		{"bool", `{"BOOL":false}`, Boolean(false), `{"BOOL":false}`},
		{"null", `{"NULL":true}`, Null(), `{"NULL":true}`},
		{"white space", " { \"S\" : \"x\" } ", Str("x"), `{"S":"x"}`},
		{"unknown members are ignored", `{"X":{"y":[1]},"S":"x"}`, Str("x"), `{"S":"x"}`},
		{"a null member sets nothing", `{"N":null,"S":"x"}`, Str("x"), `{"S":"x"}`},
		{"map", `{"M":{"b":{"N":"2"},"a":{"S":"1"}}}`, Value{Type: M, Map: map[string]Value{"a": Str("1"), "b": Num("2")}},
			`{"M":{"a":{"S":"1"},"b":{"N":"2"}}}`},
		{"empty map", `{"M":{}}`, Value{Type: M, Map: map[string]Value{}}, `{"M":{}}`},
		{"list", `{"L":[{"S":"a"},{"N":"1"}]}`, Value{Type: L, List: []Value{Str("a"), Num("1")}}, `{"L":[{"S":"a"},{"N":"1"}]}`},
		{"empty list", `{"L":[]}`, Value{Type: L, List: []Value{}}, `{"L":[]}`},
		{"string set is sorted", `{"SS":["b","a",""]}`, Value{Type: SS, Strs: []string{"", "a", "b"}}, `{"SS":["","a","b"]}`},
		{"number set is canonical and sorted numerically", `{"NS":["10","9","-1.50"]}`, Value{Type: NS, Strs: []string{"-1.5", "9", "10"}},
			`{"NS":["-1.5","9","10"]}`},
		{"binary set is sorted", `{"BS":["Ag==","AQ=="]}`, Value{Type: BS, BytesSet: [][]byte{{1}, {2}}}, `{"BS":["AQ==","Ag=="]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseValue([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if err := ValidateValue(got); err != nil {
				t.Fatal(err)
			}
			if !Equal(got, tt.want) {
				t.Fatalf("got %#v, want %#v", got, tt.want)
			}
			if out := string(AppendJSON(nil, got)); out != tt.out {
				t.Fatalf("encoded %s, want %s", out, tt.out)
			}
		})
	}
}

func TestParseValueValidationMessages(t *testing.T) {
	// errors.md B1..B5 and F11..F20, F24: decoding succeeds, ValidateValue
	// reports DynamoDB's text.
	deep := func(n int) string {
		return strings.Repeat(`{"L":[`, n) + `{"S":"x"}` + strings.Repeat(`]}`, n)
	}
	tests := []struct{ name, in, msg string }{
		{"empty attribute value", `{}`, msgEmptyAV},
		{"only an unknown type", `{"X":"a"}`, msgEmptyAV},
		{"null string", `{"S":null}`, msgEmptyAV},
		{"json null", `null`, msgEmptyAV},
		{"two datatypes", `{"S":"x","N":"1"}`, msgMultiAV},
		{"NULL false", `{"NULL":false}`, msgNullFalse},
		{"not a number", `{"N":"abc"}`, msgNotANumber},
		{"empty number", `{"N":""}`, msgNotANumber},
		{"39 digits", `{"N":"` + strings.Repeat("1", 39) + `"}`, msgPrecision},
		{"overflow", `{"N":"1E126"}`, msgOverflow},
		{"underflow", `{"N":"1E-131"}`, msgUnderflow},
		{"empty SS", `{"SS":[]}`, msgEmptySS},
		{"empty NS", `{"NS":[]}`, msgEmptyNS},
		{"empty BS", `{"BS":[]}`, msgEmptyBS},
		{"duplicate SS lists the set as sent", `{"SS":["x","y","x"]}`,
			"One or more parameter values were invalid: Input collection [x, y, x] contains duplicates"},
		{"numerically equal NS elements", `{"NS":["1","1.0"]}`, msgDupNS},
		{"duplicate BS", `{"BS":["AQ==","AQ=="]}`, msgDupBS},
		{"bad number in NS", `{"NS":["1","x"]}`, msgNotANumber},
		{"invalid value inside a list", `{"L":[{"S":"a"},{}]}`, msgEmptyAV},
		{"invalid value inside a map", `{"M":{"a":{"SS":[]}}}`, msgEmptySS},
		{"32 nested layers", deep(32), msgNesting},
		{"32 nested map layers", strings.Repeat(`{"M":{"a":`, 32) + `{"S":"x"}` + strings.Repeat(`}}`, 32), msgNesting},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := ParseValue([]byte(tt.in))
			if err != nil {
				t.Fatalf("decode error %v", err)
			}
			err = ValidateValue(v)
			e, ok := apierr.As(err)
			if !ok || e.Code != "ValidationException" || e.Message != tt.msg {
				t.Fatalf("ValidateValue = %v; want %q", err, tt.msg)
			}
		})
	}
	t.Run("31 nested layers are accepted", func(t *testing.T) {
		v, err := ParseValue([]byte(deep(31)))
		if err != nil || ValidateValue(v) != nil {
			t.Fatal(err, ValidateValue(v))
		}
	})
}

func TestParseValueSerializationErrors(t *testing.T) {
	tests := []struct{ name, in, msg string }{
		{"number where a string belongs", `{"N":5}`, "NUMBER_VALUE cannot be converted to String"},
		{"number in a string set", `{"SS":["a",1]}`, "NUMBER_VALUE cannot be converted to String"},
		{"object where a string belongs", `{"S":{"a":1}}`, serStructure},
		{"object where a set belongs", `{"SS":{"a":1}}`, serStructure},
		{"array where a string belongs", `{"B":[1]}`, serList},
		{"array where a map belongs", `{"M":[]}`, serList},
		{"string where a map belongs", `{"M":"{}"}`, serFieldType},
		{"string where an attribute value belongs", `"x"`, serFieldType},
		{"array where an attribute value belongs", `[]`, serList},
		{"string where a bool belongs", `{"BOOL":"true"}`, "STRING_VALUE cannot be converted to Boolean"},
		{"bad base64 length", `{"B":"AAE"}`, serBase64Len + "3"},
		{"bad base64 character", `{"B":"AA*="}`, serBase64Char},
		{"bad base64 in a set", `{"BS":["AA*="]}`, serBase64Char},
		{"malformed json", `{"S":"x"`, serMalformed},
		{"trailing garbage", `{"S":"x"}x`, serMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseValue([]byte(tt.in))
			e, ok := apierr.As(err)
			if !ok || e.Code != "SerializationException" || e.Message != tt.msg {
				t.Fatalf("error = %v; want SerializationException %q", err, tt.msg)
			}
		})
	}
}

func TestItemThroughEncodingJSON(t *testing.T) {
	var req struct {
		TableName string
		Item      Item
		Values    map[string]Value
	}
	body := `{"TableName":"t","Item":{"pk":{"S":"k"},"n":{"N":"1.50"},"bad":{"SS":[]}},"Values":{":v":{"N":"2e1"}}}`
	if err := json.Unmarshal([]byte(body), &req); err != nil {
		t.Fatal(err)
	}
	if req.Item["n"].Str != "1.5" || req.Values[":v"].Str != "20" {
		t.Fatalf("got %#v %#v", req.Item, req.Values)
	}
	if e, ok := apierr.As(ValidateItem(req.Item)); !ok || e.Message != msgEmptySS {
		t.Fatalf("ValidateItem = %v", e)
	}
	err := json.Unmarshal([]byte(`{"Item":{"a":{"N":5}}}`), &req)
	if e, ok := apierr.As(err); !ok || e.Message != "NUMBER_VALUE cannot be converted to String" {
		t.Fatalf("error = %v", err)
	}
	out, err := json.Marshal(map[string]any{"Item": Item{"a": Str("<&>")}})
	if err != nil || string(out) != `{"Item":{"a":{"S":"\u003c\u0026\u003e"}}}` {
		t.Fatalf("marshal = %s, %v", out, err)
	}
}

func TestValidateItem(t *testing.T) {
	tests := []struct {
		name string
		item Item
		msg  string
	}{
		{"valid", Item{"a": Str("x")}, ""},
		{"empty name", Item{"": Str("x")}, msgEmptyName},
		{"reports the smallest bad name", Item{"b": invalid(msgEmptySS), "a": invalid(msgNullFalse)}, msgNullFalse},
		{"code-built empty set", Item{"a": {Type: NS}}, msgEmptyNS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateItem(tt.item)
			if tt.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if e, ok := apierr.As(err); !ok || e.Message != tt.msg {
				t.Fatalf("ValidateItem = %v; want %q", err, tt.msg)
			}
		})
	}
}

func TestAppendJSONEscapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", `"plain"`},
		{"q\"b\\", `"q\"b\\"`},
		{"\x01\n\t\r", `"\u0001\n\t\r"`},
		{"\u2028", `"\u2028"`},
		{"bad\xffutf8", `"bad\ufffdutf8"`},
		{"<&>", `"<&>"`},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := string(AppendJSONString(nil, tt.in)); got != tt.want {
				t.Fatalf("got %s", got)
			}
			var back string
			if err := json.Unmarshal([]byte(tt.want), &back); err != nil {
				t.Fatal(err)
			}
		})
	}
}

const benchItem = `{"pk":{"S":"user#12345"},"sk":{"S":"profile"},"name":{"S":"Ada Lovelace"},"age":{"N":"36"},` +
	`"tags":{"SS":["math","poetry","engines"]},"score":{"N":"98.5"},"active":{"BOOL":true},` +
	`"address":{"M":{"city":{"S":"London"},"zip":{"S":"W1"}}},"history":{"L":[{"N":"1"},{"N":"2"},{"S":"x"}]}}`

func BenchmarkParseItem(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		it, err := ParseItem([]byte(benchItem))
		if err != nil || len(it) != 9 {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendItemJSON(b *testing.B) {
	it, _ := ParseItem([]byte(benchItem))
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendItemJSON(buf[:0], it)
	}
}

func TestDecodeEdgeCases(t *testing.T) {
	t.Run("a null attribute value through encoding/json is an empty AttributeValue", func(t *testing.T) {
		var req struct{ Values map[string]Value }
		if err := json.Unmarshal([]byte(`{"Values":{":v":null}}`), &req); err != nil {
			t.Fatal(err)
		}
		if e, ok := apierr.As(ValidateValue(req.Values[":v"])); !ok || e.Message != msgEmptyAV {
			t.Fatalf("got %v", e)
		}
	})
	t.Run("a null item stays nil", func(t *testing.T) {
		var req struct{ Item Item }
		if err := json.Unmarshal([]byte(`{"Item":null}`), &req); err != nil || req.Item != nil {
			t.Fatal(err, req.Item)
		}
	})
	t.Run("escaped attribute names are decoded", func(t *testing.T) {
		it, err := ParseItem([]byte(`{"a\u0062":{"S":"x"}}`))
		if err != nil || it["ab"].Str != "x" {
			t.Fatal(err, it)
		}
	})
	t.Run("nested unknown members are skipped", func(t *testing.T) {
		v, err := ParseValue([]byte(`{"X":[{"a":1},{"b":[true,null,"s",{"c":{}}]},[]],"S":"x","Y":{"z":[1,2]}}`))
		if err != nil || !Equal(v, Str("x")) {
			t.Fatal(err, v)
		}
	})
	t.Run("invalid UTF-8 becomes U+FFFD", func(t *testing.T) {
		v, err := ParseValue([]byte("{\"S\":\"a\xffb\"}"))
		if err != nil || v.Str != "a\uFFFDb" {
			t.Fatal(err, v)
		}
	})
	t.Run("a lone surrogate becomes U+FFFD", func(t *testing.T) {
		v, err := ParseValue([]byte(`{"S":"\ud800x"}`))
		if err != nil || v.Str != "\uFFFDx" {
			t.Fatalf("%v %q", err, v.Str)
		}
	})
	t.Run("attribute names share the input allocation", func(t *testing.T) {
		b := []byte(benchItem)
		if n := testing.AllocsPerRun(50, func() { _, _ = ParseItem(b) }); n > 14 {
			t.Fatalf("allocs = %v", n)
		}
	})
}
