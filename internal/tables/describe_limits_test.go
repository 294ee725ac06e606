package tables

import (
	"context"
	"encoding/json"
	"testing"
)

func TestDescribeLimits(t *testing.T) {
	s := newService(t)
	out, err := s.DescribeLimits(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	// limits.md section 5: DynamoDB's answer for a new account.
	const want = `{"AccountMaxReadCapacityUnits":80000,"AccountMaxWriteCapacityUnits":80000,"TableMaxReadCapacityUnits":40000,"TableMaxWriteCapacityUnits":40000}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
}
