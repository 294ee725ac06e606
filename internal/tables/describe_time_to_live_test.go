package tables

import (
	"context"
	"testing"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/protocol"
)

func TestDescribeTimeToLive(t *testing.T) {
	s, _, _ := ttlService(t)
	cases := []struct {
		name   string
		ttl    *catalog.TTL
		status string
		attr   string // "" when the description has none
	}{
		{"never set: DISABLED, no attribute", nil, "DISABLED", ""},
		{"enabling", &catalog.TTL{AttributeName: "exp", Enabled: true, Transition: true}, "ENABLING", "exp"},
		{"enabled", &catalog.TTL{AttributeName: "exp", Enabled: true}, "ENABLED", "exp"},
		{"disabling", &catalog.TTL{AttributeName: "exp", Transition: true}, "DISABLING", "exp"},
		{"disabled: no attribute", &catalog.TTL{AttributeName: "exp"}, "DISABLED", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := s.cat.Update(context.Background(), "shared", "sessions", func(c *catalog.Table) error { c.TTL = tc.ttl; return nil }); err != nil {
				t.Fatal(err)
			}
			out, err := s.DescribeTimeToLive(context.Background(), &protocol.DescribeTimeToLiveInput{TableName: ptr("sessions")})
			if err != nil {
				t.Fatal(err)
			}
			d := out.TimeToLiveDescription
			if *d.TimeToLiveStatus != tc.status || str(d.AttributeName) != tc.attr {
				t.Fatalf("%s %q, want %s %q", *d.TimeToLiveStatus, str(d.AttributeName), tc.status, tc.attr)
			}
		})
	}
	t.Run("a missing table is ResourceNotFoundException", func(t *testing.T) {
		_, err := s.DescribeTimeToLive(context.Background(), &protocol.DescribeTimeToLiveInput{TableName: ptr("nosuch")})
		if e, ok := apierr.As(err); !ok || e.Message != "Requested resource not found: Table: nosuch not found" {
			t.Fatalf("err %v", err)
		}
	})
}
