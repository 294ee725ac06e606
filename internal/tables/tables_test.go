package tables

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/keyspace"
	"github.com/petreldb/petrel/internal/protocol"
	"github.com/petreldb/petrel/internal/storage"
)

func TestCreateDescribeDeleteLifecycle(t *testing.T) {
	ctx := caller.With(context.Background(), caller.Identity{Account: "123456789012", Region: "eu-west-1", Namespace: "n1"})
	s := newService(t)

	d := mustCreateCtx(t, ctx, s, createIn("orders", func(in *protocol.CreateTableInput) {
		in.BillingMode, in.ProvisionedThroughput = ptr("PROVISIONED"), pt(5, 7)
		in.StreamSpecification = &protocol.StreamSpecification{StreamEnabled: ptr(true), StreamViewType: ptr("NEW_AND_OLD_IMAGES")}
		in.SSESpecification = &protocol.SSESpecification{Enabled: ptr(true)}
		in.TableClass = ptr("STANDARD_INFREQUENT_ACCESS")
	}))
	t.Run("CreateTable reports CREATING and the whole description", func(t *testing.T) {
		if got := *d.TableStatus; got != "CREATING" {
			t.Fatalf("status %s", got)
		}
		if got := *d.TableArn; got != "arn:aws:dynamodb:eu-west-1:123456789012:table/orders" {
			t.Fatalf("arn %s", got)
		}
		if len(*d.TableId) != 36 {
			t.Fatalf("TableId %s", *d.TableId)
		}
		if got, want := *d.CreationDateTime, float64(fixedNow.UnixMilli())/1000; got != want {
			t.Fatalf("CreationDateTime %v, want %v", got, want)
		}
		p := d.ProvisionedThroughput
		if *p.ReadCapacityUnits != 5 || *p.WriteCapacityUnits != 7 || *p.NumberOfDecreasesToday != 0 {
			t.Fatalf("throughput %+v", p)
		}
		if d.BillingModeSummary != nil {
			t.Fatalf("provisioned table has BillingModeSummary %+v", d.BillingModeSummary)
		}
		if *d.StreamSpecification.StreamViewType != "NEW_AND_OLD_IMAGES" || *d.LatestStreamLabel != "2024-05-01T10:20:30.123" ||
			*d.LatestStreamArn != "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2024-05-01T10:20:30.123" {
			t.Fatalf("stream %+v %s %s", d.StreamSpecification, *d.LatestStreamLabel, *d.LatestStreamArn)
		}
		if *d.SSEDescription.Status != "ENABLED" || *d.SSEDescription.SSEType != "KMS" || !strings.HasPrefix(*d.SSEDescription.KMSMasterKeyArn, "arn:aws:kms:eu-west-1:123456789012:key/") {
			t.Fatalf("sse %+v", d.SSEDescription)
		}
		if *d.TableClassSummary.TableClass != "STANDARD_INFREQUENT_ACCESS" {
			t.Fatalf("class %+v", d.TableClassSummary)
		}
		if fmt.Sprint(*d.KeySchema[0].AttributeName, *d.KeySchema[0].KeyType, *d.KeySchema[1].AttributeName, *d.KeySchema[1].KeyType) != "pkHASHskRANGE" {
			t.Fatalf("key schema %+v", d.KeySchema)
		}
		if *d.ItemCount != 0 || *d.TableSizeBytes != 0 {
			t.Fatal("counts not zero")
		}
	})
	t.Run("DescribeTable right away shows ACTIVE and the counters", func(t *testing.T) {
		tb, _ := s.cat.Get("n1", "orders")
		err := s.eng.Update(ctx, nil, func(tx storage.Txn) error {
			tx.AddInt64(keyspace.ItemCount(tb.ID), 3)
			tx.AddInt64(keyspace.TableSize(tb.ID), 120)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"orders", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"} {
			out, err := s.DescribeTable(ctx, &protocol.DescribeTableInput{TableName: ptr(name)})
			if err != nil {
				t.Fatal(err)
			}
			if *out.Table.TableStatus != "ACTIVE" || *out.Table.ItemCount != 3 || *out.Table.TableSizeBytes != 120 || *out.Table.TableId != *d.TableId {
				t.Fatalf("describe %s: %s %d %d", name, *out.Table.TableStatus, *out.Table.ItemCount, *out.Table.TableSizeBytes)
			}
		}
	})
	t.Run("another namespace does not see the table", func(t *testing.T) {
		_, err := s.DescribeTable(context.Background(), &protocol.DescribeTableInput{TableName: ptr("orders")})
		wantErr(t, err, "ResourceNotFoundException", "Requested resource not found: Table: orders not found")
	})
	t.Run("DeleteTable reports DELETING and the table is gone at once", func(t *testing.T) {
		out, err := s.DeleteTable(ctx, &protocol.DeleteTableInput{TableName: ptr("orders")})
		if err != nil {
			t.Fatal(err)
		}
		if *out.TableDescription.TableStatus != "DELETING" || *out.TableDescription.ItemCount != 3 {
			t.Fatalf("delete answered %s %d", *out.TableDescription.TableStatus, *out.TableDescription.ItemCount)
		}
		_, err = s.DescribeTable(ctx, &protocol.DescribeTableInput{TableName: ptr("orders")})
		wantErr(t, err, "ResourceNotFoundException", "Requested resource not found: Table: orders not found")
	})
}

func TestOnDemandDescription(t *testing.T) {
	s := newService(t)
	d := mustCreate(t, s, createIn("od1", nil))
	p := d.ProvisionedThroughput
	if *p.ReadCapacityUnits != 0 || *p.WriteCapacityUnits != 0 || *p.NumberOfDecreasesToday != 0 {
		t.Fatalf("on-demand throughput %+v", p)
	}
	if *d.BillingModeSummary.BillingMode != "PAY_PER_REQUEST" || *d.BillingModeSummary.LastUpdateToPayPerRequestDateTime != *d.CreationDateTime {
		t.Fatalf("billing summary %+v", d.BillingModeSummary)
	}
	if d.StreamSpecification != nil || d.LatestStreamArn != nil || d.SSEDescription != nil || d.TableClassSummary != nil {
		t.Fatal("unset members are reported")
	}
}

func TestUpdateTable(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	mustCreate(t, s, createIn("upd1", func(in *protocol.CreateTableInput) { in.BillingMode, in.ProvisionedThroughput = nil, pt(5, 5) }))
	update := func(t *testing.T, mod func(*protocol.UpdateTableInput)) *protocol.TableDescription {
		t.Helper()
		in := &protocol.UpdateTableInput{TableName: ptr("upd1")}
		mod(in)
		out, err := s.UpdateTable(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if *out.TableDescription.TableStatus != "UPDATING" {
			t.Fatalf("status %s", *out.TableDescription.TableStatus)
		}
		return out.TableDescription
	}
	t.Run("an increase records LastIncreaseDateTime", func(t *testing.T) {
		d := update(t, func(in *protocol.UpdateTableInput) { in.ProvisionedThroughput = pt(10, 5) })
		p := d.ProvisionedThroughput
		if *p.ReadCapacityUnits != 10 || p.LastIncreaseDateTime == nil || p.LastDecreaseDateTime != nil {
			t.Fatalf("%+v", p)
		}
	})
	t.Run("a decrease counts towards today's decreases", func(t *testing.T) {
		update(t, func(in *protocol.UpdateTableInput) { in.ProvisionedThroughput = pt(4, 5) })
		d := update(t, func(in *protocol.UpdateTableInput) { in.ProvisionedThroughput = pt(3, 5) })
		p := d.ProvisionedThroughput
		if *p.ReadCapacityUnits != 3 || *p.NumberOfDecreasesToday != 2 || p.LastDecreaseDateTime == nil {
			t.Fatalf("%+v", p)
		}
	})
	t.Run("switching to on-demand reports zero throughput and the switch time", func(t *testing.T) {
		d := update(t, func(in *protocol.UpdateTableInput) { in.BillingMode = ptr("PAY_PER_REQUEST") })
		if *d.ProvisionedThroughput.ReadCapacityUnits != 0 || *d.BillingModeSummary.BillingMode != "PAY_PER_REQUEST" ||
			d.BillingModeSummary.LastUpdateToPayPerRequestDateTime == nil {
			t.Fatalf("%+v %+v", d.ProvisionedThroughput, d.BillingModeSummary)
		}
	})
	t.Run("switching back to provisioned keeps the summary", func(t *testing.T) {
		d := update(t, func(in *protocol.UpdateTableInput) {
			in.BillingMode, in.ProvisionedThroughput = ptr("PROVISIONED"), pt(2, 2)
		})
		if *d.ProvisionedThroughput.ReadCapacityUnits != 2 || *d.BillingModeSummary.BillingMode != "PROVISIONED" {
			t.Fatalf("%+v %+v", d.ProvisionedThroughput, d.BillingModeSummary)
		}
	})
	t.Run("a stream is enabled, disabled and re-enabled with a new label", func(t *testing.T) {
		d := update(t, func(in *protocol.UpdateTableInput) {
			in.StreamSpecification = &protocol.StreamSpecification{StreamEnabled: ptr(true), StreamViewType: ptr("KEYS_ONLY")}
		})
		first := *d.LatestStreamArn
		s.now = func() time.Time { return fixedNow.Add(time.Second) }
		defer func() { s.now = func() time.Time { return fixedNow } }()
		d = update(t, func(in *protocol.UpdateTableInput) {
			in.StreamSpecification = &protocol.StreamSpecification{StreamEnabled: ptr(false)}
		})
		if d.StreamSpecification != nil || *d.LatestStreamArn != first {
			t.Fatalf("after disabling: %+v %v", d.StreamSpecification, *d.LatestStreamArn)
		}
		d = update(t, func(in *protocol.UpdateTableInput) {
			in.StreamSpecification = &protocol.StreamSpecification{StreamEnabled: ptr(true), StreamViewType: ptr("NEW_IMAGE")}
		})
		if *d.StreamSpecification.StreamViewType != "NEW_IMAGE" || *d.LatestStreamArn == first {
			t.Fatalf("after re-enabling: %+v %v", d.StreamSpecification, *d.LatestStreamArn)
		}
	})
	t.Run("table class and SSE are stored", func(t *testing.T) {
		update(t, func(in *protocol.UpdateTableInput) {
			in.TableClass = ptr("STANDARD")
			in.SSESpecification = &protocol.SSESpecification{Enabled: ptr(true), SSEType: ptr("KMS"), KMSMasterKeyId: ptr("arn:aws:kms:us-east-1:000000000000:key/k")}
		})
		out, err := s.DescribeTable(ctx, &protocol.DescribeTableInput{TableName: ptr("upd1")})
		if err != nil {
			t.Fatal(err)
		}
		d := out.Table
		if *d.TableStatus != "ACTIVE" || *d.TableClassSummary.TableClass != "STANDARD" || *d.SSEDescription.KMSMasterKeyArn != "arn:aws:kms:us-east-1:000000000000:key/k" {
			t.Fatalf("%s %+v %+v", *d.TableStatus, d.TableClassSummary, d.SSEDescription)
		}
	})
}

func TestListTablesPaging(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	var all []string
	for _, n := range []string{"c-3", "a-1", "b-2", "B-0", "e-5", "d-4"} {
		mustCreate(t, s, createIn(n, nil))
	}
	all = []string{"B-0", "a-1", "b-2", "c-3", "d-4", "e-5"}
	list := func(start string, limit int32) ([]string, string) {
		in := &protocol.ListTablesInput{}
		if start != "" {
			in.ExclusiveStartTableName = ptr(start)
		}
		if limit > 0 {
			in.Limit = ptr(limit)
		}
		out, err := s.ListTables(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return out.TableNames, str(out.LastEvaluatedTableName)
	}
	tests := []struct {
		name      string
		start     string
		limit     int32
		want      string
		wantAfter string
	}{
		{"without a limit every name comes back sorted", "", 0, fmt.Sprint(all), ""},
		{"a limit below the count pages", "", 2, "[B-0 a-1]", "a-1"},
		{"a page continues after the start name", "a-1", 2, "[b-2 c-3]", "c-3"},
		{"the start name need not exist", "c", 10, "[c-3 d-4 e-5]", ""},
		{"a limit equal to what is left ends paging", "c-3", 2, "[d-4 e-5]", ""},
		{"past the last name the page is empty", "z", 5, "[]", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, after := list(tt.start, tt.limit)
			if fmt.Sprint(got) != tt.want || after != tt.wantAfter {
				t.Fatalf("got %v %q, want %s %q", got, after, tt.want, tt.wantAfter)
			}
		})
	}
	t.Run("following LastEvaluatedTableName visits every table once", func(t *testing.T) {
		var seen []string
		start := ""
		for range 10 {
			page, after := list(start, 1)
			seen = append(seen, page...)
			if after == "" {
				break
			}
			start = after
		}
		if fmt.Sprint(seen) != fmt.Sprint(all) {
			t.Fatalf("visited %v", seen)
		}
	})
}

func TestDeletionProtection(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	mustCreate(t, s, createIn("dp1", nil))
	_, err := s.cat.Update(ctx, "shared", "dp1", func(t *catalog.Table) error {
		t.DeletionProtection = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.DeleteTable(ctx, &protocol.DeleteTableInput{TableName: ptr("dp1")})
	wantErr(t, err, validation, msgDeletionProtected)
	if _, err := s.cat.Update(ctx, "shared", "dp1", func(t *catalog.Table) error {
		t.DeletionProtection = false
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteTable(ctx, &protocol.DeleteTableInput{TableName: ptr("dp1")}); err != nil {
		t.Fatal(err)
	}
}

func mustCreateCtx(t *testing.T, ctx context.Context, s *Service, in *protocol.CreateTableInput) *protocol.TableDescription {
	t.Helper()
	out, err := s.CreateTable(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	return out.TableDescription
}
