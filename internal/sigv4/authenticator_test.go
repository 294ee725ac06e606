package sigv4

import (
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/caller"
)

func TestAuthenticator(t *testing.T) {
	clock := func() time.Time { return testNow }
	cases := []struct {
		name   string
		cfg    Config
		key    string
		secret string
		region string
		want   caller.Identity
		code   string
	}{
		{name: "development mode derives the account and separates regions",
			key: "AKIDEXAMPLE", secret: "anything", region: "eu-west-3",
			want: caller.Identity{AccessKey: "AKIDEXAMPLE", Account: "080907572059", Region: "eu-west-3", Namespace: "080907572059/eu-west-3"}},
		{name: "development mode does not check the secret",
			key: "AKIDALICE", secret: "wrong", region: "us-east-1",
			want: caller.Identity{AccessKey: "AKIDALICE", Account: DevAccount("AKIDALICE"), Region: "us-east-1", Namespace: DevAccount("AKIDALICE") + "/us-east-1"}},
		{name: "shared mode puts everyone in one namespace",
			cfg: Config{Shared: true}, key: "AKIDEXAMPLE", secret: "x", region: "ap-south-1",
			want: caller.Identity{AccessKey: "AKIDEXAMPLE", Account: "080907572059", Region: "ap-south-1", Namespace: SharedNamespace}},
		{name: "verified mode takes the account from the credentials",
			cfg: Config{Verify: true, Credentials: testCreds, Now: clock}, key: "AKIDALICE", secret: "alice-secret", region: "us-east-1",
			want: caller.Identity{AccessKey: "AKIDALICE", Account: "111111111111", Region: "us-east-1", Namespace: "111111111111/us-east-1"}},
		{name: "verified shared mode merges namespaces",
			cfg: Config{Verify: true, Shared: true, Credentials: testCreds, Now: clock}, key: "AKIDBOB", secret: "bob/secret+x", region: "us-west-2",
			want: caller.Identity{AccessKey: "AKIDBOB", Account: "222222222222", Region: "us-west-2", Namespace: SharedNamespace}},
		{name: "verified mode refuses a wrong secret",
			cfg: Config{Verify: true, Credentials: testCreds, Now: clock}, key: "AKIDALICE", secret: "wrong", region: "us-east-1",
			code: "InvalidSignatureException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := NewAuthenticator(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			r := newRequest("GetItem", "", testBody)
			sdkSign(t, r, tc.key, tc.secret, "", tc.region, testNow, testBody)
			id, err := a.Authenticate(HTTPRequest(r), []byte(testBody))
			if tc.code != "" {
				wantCode(t, err, tc.code, "")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if id != tc.want {
				t.Errorf("identity = %+v\nwant       %+v", id, tc.want)
			}
		})
	}
	t.Run("verification without credentials is a configuration error", func(t *testing.T) {
		if _, err := NewAuthenticator(Config{Verify: true}); err == nil {
			t.Error("NewAuthenticator accepted Verify without credentials")
		}
	})
}
