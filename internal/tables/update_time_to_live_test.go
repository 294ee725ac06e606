package tables

import (
	"context"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/catalog/catalogtest"
	"github.com/petreldb/petrel/internal/protocol"
)

// ttlService returns a control plane on a clock the test moves, with a
// table "sessions", and counts the UpdateTimeToLive notifications.
func ttlService(t *testing.T) (s *Service, now *time.Time, notified *int) {
	t.Helper()
	eng := catalogtest.NewEngine()
	cat, err := catalog.Open(eng)
	if err != nil {
		t.Fatal(err)
	}
	now, notified = new(time.Time), new(int)
	*now = fixedNow
	s = New(cat, eng).WithClock(func() time.Time { return *now }).WithTTLNotify(func() { *notified++ })
	if _, err := s.CreateTable(context.Background(), &protocol.CreateTableInput{
		TableName: ptr("sessions"), KeySchema: ks("pk", "HASH"), AttributeDefinitions: defs("pk", "S"), BillingMode: ptr("PAY_PER_REQUEST"),
	}); err != nil {
		t.Fatal(err)
	}
	return s, now, notified
}

func updateTTL(s *Service, table string, enabled bool, name string) (*protocol.UpdateTimeToLiveOutput, error) {
	return s.UpdateTimeToLive(context.Background(), &protocol.UpdateTimeToLiveInput{
		TableName: ptr(table), TimeToLiveSpecification: &protocol.TimeToLiveSpecification{Enabled: ptr(enabled), AttributeName: ptr(name)},
	})
}

func TestUpdateTimeToLive(t *testing.T) {
	s, now, notified := ttlService(t)
	// Each step runs on the state the previous ones left; wait moves the
	// clock first.
	steps := []struct {
		name    string
		wait    time.Duration
		enabled bool
		attr    string
		code    string // "" for success
		msg     string
		status  string // DescribeTimeToLive afterwards
	}{
		{name: "disabling a never enabled TTL is refused", attr: "exp", code: "ValidationException", msg: msgTTLAlreadyOff, status: "DISABLED"},
		{name: "enabling starts ENABLING", enabled: true, attr: "exp", status: "ENABLING"},
		{name: "enabling the same attribute again is refused", enabled: true, attr: "exp", code: "ValidationException", msg: msgTTLAlreadyOn, status: "ENABLING"},
		{name: "enabling another attribute is refused", enabled: true, attr: "other", code: "ValidationException", msg: msgTTLOtherAttr, status: "ENABLING"},
		{name: "disabling another attribute is refused", attr: "other", code: "ValidationException", msg: msgTTLOtherAttr, status: "ENABLING"},
		{name: "disabling within the hour is refused", wait: 59 * time.Minute, attr: "exp", code: "ValidationException", msg: msgTTLTooOften, status: "ENABLING"},
		{name: "disabling an hour after enabling starts DISABLING", wait: time.Minute, attr: "exp", status: "DISABLING"},
		{name: "enabling within the hour is refused", wait: time.Minute, enabled: true, attr: "exp", code: "ValidationException", msg: msgTTLTooOften, status: "DISABLING"},
		{name: "enabling another attribute an hour later works", wait: time.Hour, enabled: true, attr: "other", status: "ENABLING"},
	}
	wantNotified := 0
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			*now = now.Add(st.wait)
			out, err := updateTTL(s, "sessions", st.enabled, st.attr)
			if st.code != "" {
				e, ok := apierr.As(err)
				if !ok || e.Code != st.code || e.Message != st.msg {
					t.Fatalf("err %v, want %s: %s", err, st.code, st.msg)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				wantNotified++
				if *out.TimeToLiveSpecification.Enabled != st.enabled || *out.TimeToLiveSpecification.AttributeName != st.attr {
					t.Fatalf("answer %+v", out.TimeToLiveSpecification)
				}
			}
			if *notified != wantNotified {
				t.Fatalf("notified %d times, want %d", *notified, wantNotified)
			}
			d, err := s.DescribeTimeToLive(context.Background(), &protocol.DescribeTimeToLiveInput{TableName: ptr("sessions")})
			if err != nil {
				t.Fatal(err)
			}
			if got := *d.TimeToLiveDescription.TimeToLiveStatus; got != st.status {
				t.Fatalf("status %s, want %s", got, st.status)
			}
		})
	}
	t.Run("a missing table is ResourceNotFoundException with the table's name", func(t *testing.T) {
		_, err := updateTTL(s, "nosuch", true, "exp")
		if e, ok := apierr.As(err); !ok || e.Code != "ResourceNotFoundException" || e.Message != "Requested resource not found: Table: nosuch not found" {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("a table ARN names the table", func(t *testing.T) {
		*now = now.Add(time.Hour)
		if _, err := updateTTL(s, "arn:aws:dynamodb:us-east-1:000000000000:table/sessions", false, "other"); err != nil {
			t.Fatal(err)
		}
	})
}
