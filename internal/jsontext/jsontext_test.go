package jsontext

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestAppendString(t *testing.T) {
	tests := []struct {
		name, in, named, hexBF string
	}{
		{"plain ASCII is copied", "abc", `"abc"`, `"abc"`},
		{"quote and backslash are escaped", `a"b\c`, `"a\"b\\c"`, `"a\"b\\c"`},
		{"backspace and form feed differ by mode", "\b\f", `"\b\f"`, `"\u0008\u000c"`},
		{"newline, return and tab are named", "\n\r\t", `"\n\r\t"`, `"\n\r\t"`},
		{"other control characters are hex", "\x00\x1f", `"\u0000\u001f"`, `"\u0000\u001f"`},
		{"HTML characters are left alone", "<a&b>", `"<a&b>"`, `"<a&b>"`},
		{"line and paragraph separators are escaped", "\u2028\u2029", `"\u2028\u2029"`, `"\u2028\u2029"`},
		{"invalid UTF-8 becomes U+FFFD", "a\xffb", `"a\ufffdb"`, `"a\ufffdb"`},
		{"valid UTF-8 is copied", "héllo, 世界", `"héllo, 世界"`, `"héllo, 世界"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(AppendString(nil, tt.in, NamedBF)); got != tt.named {
				t.Errorf("NamedBF: got %s, want %s", got, tt.named)
			}
			if got := string(AppendString(nil, tt.in, HexBF)); got != tt.hexBF {
				t.Errorf("HexBF: got %s, want %s", got, tt.hexBF)
			}
		})
	}
}

func TestReadString(t *testing.T) {
	tests := []struct {
		name, in, want string
		end            int // 0: malformed
	}{
		{"a plain string is a substring", `"abc",`, "abc", 5},
		{"named escapes decode", `"\"\\\/\b\f\n\r\t"`, "\"\\/\b\f\n\r\t", 18},
		{"a surrogate pair decodes to one rune", `"\ud83d\ude00"`, "😀", 14},
		{"an unpaired surrogate becomes U+FFFD", `"\ud83dx"`, "\ufffdx", 9},
		{"a reversed pair becomes two U+FFFD", `"\ude00\ud83d"`, "\ufffd\ufffd", 14},
		{"invalid UTF-8 becomes U+FFFD", "\"a\xffb\"", "a\ufffdb", 5},
		{"a long escaped string grows past the stack buffer", `"` + strings.Repeat(`x\n`, 40) + `"`, strings.Repeat("x\n", 40), 122},
		{"an unterminated string is malformed", `"abc`, "", 0},
		{"a raw control character is malformed", "\"a\nb\"", "", 0},
		{"an unknown escape is malformed", `"\x"`, "", 0},
		{"a short unicode escape is malformed", `"\u12"`, "", 0},
		{"a trailing backslash is malformed", `"\`, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, end, ok := ReadString(tt.in, 1)
			if ok != (tt.end != 0) || got != tt.want || end != tt.end {
				t.Errorf("got (%q, %d, %v), want (%q, %d)", got, end, ok, tt.want, tt.end)
			}
		})
	}
}

// FuzzString checks both primitives against encoding/json: AppendString
// with NamedBF writes what an encoder with HTML escaping off writes, and
// ReadString accepts a string literal exactly when json.Unmarshal does,
// with the same value.
func FuzzString(f *testing.F) {
	for _, s := range []string{`"abc"`, `"\ud83d\ude00"`, `"\ud83d"`, "\"\xff\"", `"\u00e9\b"`, `"a\"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got := AppendString(nil, s, NamedBF); string(got) != strings.TrimSuffix(want.String(), "\n") {
			t.Errorf("AppendString(%q) = %s, encoding/json %s", s, got, want.String())
		}

		if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
			return
		}
		var std string
		stdErr := json.Unmarshal([]byte(s), &std)
		got, end, ok := ReadString(s, 1)
		whole := ok && end == len(s)
		if whole != (stdErr == nil) {
			t.Fatalf("ReadString(%q): whole literal %v, encoding/json error %v", s, whole, stdErr)
		}
		if whole && got != std {
			t.Fatalf("ReadString(%q) = %q, encoding/json %q", s, got, std)
		}
	})
}
