package httpapi

import (
	"context"
	"testing"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/protocol"
)

// FuzzDecode sends arbitrary bodies through Op for a hand-written input and
// generated protocol inputs (whose AttributeValues are attr's decoder): no
// body may panic, and every failure must be a 400 *apierr.Error.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `null`, `[]`, `"x"`, `{"TableName":"t"}`, `{"TableName":5}`, `{"TableName":{}}`,
		`{"Limit":"5"}`, `{"Names":"x"}`, `{"Val":{}}`, `{"Blob":"!!"}`, `{"TableName":"t"`,
		`{"TableName":"t","Item":{"pk":{"S":"a"},"n":{"N":"1.5"},"l":{"L":[{"NULL":true}]},"m":{"M":{"b":{"B":"AAE="}}}}}`,
		`{"TableName":"t","Item":{"pk":{"N":5}}}`, `{"TableName":"t","Item":{"pk":{}}}`, `{"TableName":"t","Item":{"pk":{"S":"a","N":"1"}}}`,
		`{"TableName":"t","Key":{"pk":{"SS":{"a":1}}}}`, `{"TableName":"t","Key":{"pk":{"NULL":false}}}`,
		`{"TableName":"t","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"AttributeDefinitions":"x"}`,
	} {
		f.Add([]byte(s))
	}
	ops := []Operation{
		Op(func(context.Context, *echoInput) (*echoOutput, error) { return &echoOutput{}, nil }),
		Op(func(context.Context, *protocol.PutItemInput) (*protocol.PutItemOutput, error) {
			return &protocol.PutItemOutput{}, nil
		}),
		Op(func(context.Context, *protocol.UpdateItemInput) (*protocol.UpdateItemOutput, error) {
			return &protocol.UpdateItemOutput{}, nil
		}),
		Op(func(context.Context, *protocol.CreateTableInput) (*protocol.CreateTableOutput, error) {
			return &protocol.CreateTableOutput{}, nil
		}),
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, op := range ops {
			out, err := op(context.Background(), body, nil)
			if err == nil {
				if len(out) == 0 {
					t.Fatalf("success with an empty response for %q", body)
				}
				continue
			}
			e, ok := apierr.As(err)
			if !ok || e.Status != 400 {
				t.Fatalf("body %q: err = %#v, want a 400 *apierr.Error", body, err)
			}
		}
	})
}
