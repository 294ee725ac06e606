package tables

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/petreldb/petrel/internal/caller"
)

func TestDescribeEndpoints(t *testing.T) {
	s := newService(t)
	inRegion := caller.With(context.Background(), caller.Identity{Region: "eu-west-3"})
	withHost := func(host string) context.Context {
		return caller.With(context.Background(), caller.Identity{Region: "eu-west-3", Host: host})
	}
	tests := []struct {
		name string
		ctx  context.Context
		want string
	}{
		{"the request's host is the endpoint", withHost("localhost:8000"),
			`{"Endpoints":[{"Address":"localhost:8000","CachePeriodInMinutes":1440}]}`},
		{"without a host, DynamoDB's regional endpoint", inRegion,
			`{"Endpoints":[{"Address":"dynamodb.eu-west-3.amazonaws.com","CachePeriodInMinutes":1440}]}`},
		{"an empty host counts as none", withHost(""),
			`{"Endpoints":[{"Address":"dynamodb.eu-west-3.amazonaws.com","CachePeriodInMinutes":1440}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := s.DescribeEndpoints(tt.ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(out)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Fatalf("got  %s\nwant %s", b, tt.want)
			}
		})
	}
}
