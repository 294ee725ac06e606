package sigv4

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseCredentials(t *testing.T) {
	cases := []struct {
		name string
		text string
		want []Credential
		err  string
	}{
		{name: "keys, secrets and accounts are read line by line",
			text: "# team keys\nAKIDALICE alice-secret 111111111111\n\n  AKIDBOB\tbob/secret+x  \n",
			want: []Credential{
				{AccessKey: "AKIDALICE", SecretKey: "alice-secret", Account: "111111111111"},
				{AccessKey: "AKIDBOB", SecretKey: "bob/secret+x", Account: DevAccount("AKIDBOB")},
			}},
		{name: "CRLF line ends are fine", text: "K S 000000000000\r\n",
			want: []Credential{{AccessKey: "K", SecretKey: "S", Account: "000000000000"}}},
		{name: "an empty text has no credentials", text: "# nothing\n"},
		{name: "a key without secret is an error", text: "ok s\nAKID\n", err: "line 2"},
		{name: "four fields are an error", text: "a b 111111111111 extra", err: "line 1"},
		{name: "an account must be 12 digits", text: "a b 1234", err: `account id "1234"`},
		{name: "a key may appear once", text: "a b\na c\n", err: "already given on line 1"},
		{name: "a key may not contain a slash", text: "a/b c\n", err: "contains '/'"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseCredentials(tc.text)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one containing %q", err, tc.err)
				}
				if strings.Contains(err.Error(), "secret") && strings.Contains(tc.text, "secret") {
					t.Errorf("error %q may quote a secret", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestDevAccount(t *testing.T) {
	// Persisted: these values name namespaces on disk; they must never
	// change (checked independently with Python's hashlib).
	cases := []struct{ key, want string }{
		{"AKIDEXAMPLE", "080907572059"},
		{"fakeMyKeyId", "572012542993"},
	}
	seen := map[string]string{}
	for _, tc := range cases {
		t.Run("the account of "+tc.key+" is stable", func(t *testing.T) {
			got := DevAccount(tc.key)
			if got != tc.want {
				t.Errorf("DevAccount(%q) = %s, want %s", tc.key, got, tc.want)
			}
		})
	}
	t.Run("accounts are 12 digits and differ per key", func(t *testing.T) {
		for _, k := range []string{"", "a", "b", "AKIAIOSFODNN7EXAMPLE", "local", "test", "dummy"} {
			a := DevAccount(k)
			if !isAccountID(a) {
				t.Errorf("DevAccount(%q) = %q", k, a)
			}
			if prev, dup := seen[a]; dup {
				t.Errorf("%q and %q share account %s", prev, k, a)
			}
			seen[a] = k
		}
	})
}
