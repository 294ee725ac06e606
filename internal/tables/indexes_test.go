package tables

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/protocol"
)

func proj(typ string, attrs ...string) *protocol.Projection {
	return &protocol.Projection{ProjectionType: ptr(typ), NonKeyAttributes: attrs}
}

func lsi(name string, rangeKey string, p *protocol.Projection) protocol.LocalSecondaryIndex {
	return protocol.LocalSecondaryIndex{IndexName: ptr(name), KeySchema: ks("pk", "HASH", rangeKey, "RANGE"), Projection: p}
}

func gsiIn(name string, p *protocol.Projection, elems ...string) protocol.GlobalSecondaryIndex {
	return protocol.GlobalSecondaryIndex{IndexName: ptr(name), KeySchema: ks(elems...), Projection: p}
}

func TestCreateTableIndexValidation(t *testing.T) {
	withIndexes := func(mod func(in *protocol.CreateTableInput)) *protocol.CreateTableInput {
		return createIn("ix1", func(in *protocol.CreateTableInput) {
			in.AttributeDefinitions = defs("pk", "S", "sk", "N", "a", "S", "b", "N")
			mod(in)
		})
	}
	tooManyLSIs := make([]protocol.LocalSecondaryIndex, 6)
	for i := range tooManyLSIs {
		tooManyLSIs[i] = lsi(fmt.Sprintf("l%d0", i), "a", proj("KEYS_ONLY"))
	}
	tooManyGSIs := make([]protocol.GlobalSecondaryIndex, 21)
	for i := range tooManyGSIs {
		tooManyGSIs[i] = gsiIn(fmt.Sprintf("g%d0", i), proj("KEYS_ONLY"), "a", "HASH")
	}
	many := func(prefix string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%s%d", prefix, i)
		}
		return out
	}
	tests := []struct {
		name string
		mod  func(in *protocol.CreateTableInput)
		msg  string
	}{
		{"an LSI on a hash-only table", func(in *protocol.CreateTableInput) {
			in.KeySchema, in.AttributeDefinitions = ks("pk", "HASH"), defs("pk", "S", "a", "S")
			in.LocalSecondaryIndexes = []protocol.LocalSecondaryIndex{lsi("lsi", "a", proj("ALL"))}
		}, msgLSIOnHashTable},
		{"an LSI with another partition key", func(in *protocol.CreateTableInput) {
			l := lsi("lsi", "a", proj("ALL"))
			l.KeySchema = ks("b", "HASH", "a", "RANGE")
			in.LocalSecondaryIndexes = []protocol.LocalSecondaryIndex{l}
		}, msgLSIHashKey},
		{"six LSIs", func(in *protocol.CreateTableInput) { in.LocalSecondaryIndexes = tooManyLSIs }, msgTooManyLSIs},
		{"two LSIs of one name", func(in *protocol.CreateTableInput) {
			in.LocalSecondaryIndexes = []protocol.LocalSecondaryIndex{lsi("lsi", "a", proj("ALL")), lsi("lsi", "b", proj("ALL"))}
		}, msgLSIDuplicateName},
		{"an LSI without a range key", func(in *protocol.CreateTableInput) {
			l := lsi("lsi", "a", proj("ALL"))
			l.KeySchema = ks("pk", "HASH")
			in.LocalSecondaryIndexes = []protocol.LocalSecondaryIndex{l}
		}, msgLSINoRangeKey + "lsi"},
		{"an LSI with two range keys", func(in *protocol.CreateTableInput) {
			l := lsi("lsi", "a", proj("ALL"))
			l.KeySchema = ks("pk", "HASH", "a", "RANGE", "b", "RANGE")
			in.LocalSecondaryIndexes = []protocol.LocalSecondaryIndex{l}
		}, msgKeySchemaTooBig},
		{"an LSI range key without a definition", func(in *protocol.CreateTableInput) {
			in.LocalSecondaryIndexes = []protocol.LocalSecondaryIndex{lsi("lsi", "zz", proj("ALL"))}
		}, msgLSIRangeNotDefined},
		{"an index name of two characters", func(in *protocol.CreateTableInput) {
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{gsiIn("ab", proj("ALL"), "a", "HASH")}
		}, msgTableName},
		{"INCLUDE without attributes", func(in *protocol.CreateTableInput) {
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{gsiIn("gsi", proj("INCLUDE"), "a", "HASH")}
		}, msgIncludeNoAttrs},
		{"KEYS_ONLY with attributes", func(in *protocol.CreateTableInput) {
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{gsiIn("gsi", proj("KEYS_ONLY", "x"), "a", "HASH")}
		}, msgAttrsNotInclude},
		{"no projection", func(in *protocol.CreateTableInput) {
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{gsiIn("gsi", nil, "a", "HASH")}
		}, msgNoProjection},
		{"a projected attribute twice", func(in *protocol.CreateTableInput) {
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{gsiIn("gsi", proj("INCLUDE", "x", "x"), "a", "HASH")}
		}, msgDuplicateAttr},
		{"more than 100 projected attributes over all indexes", func(in *protocol.CreateTableInput) {
			for i := 0; i < 6; i++ {
				in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, gsiIn(fmt.Sprintf("gsi%d", i), proj("INCLUDE", many("x", 17)...), "a", "HASH"))
			}
		}, fmt.Sprintf(msgTooManyProjected, 102)},
		{"21 GSIs", func(in *protocol.CreateTableInput) { in.GlobalSecondaryIndexes = tooManyGSIs }, msgTooManyGSIs},
		{"two GSIs of one name", func(in *protocol.CreateTableInput) {
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{gsiIn("gsi", proj("ALL"), "a", "HASH"), gsiIn("gsi", proj("ALL"), "b", "HASH")}
		}, msgGSIDuplicateName},
		{"a GSI and an LSI of one name", func(in *protocol.CreateTableInput) {
			in.LocalSecondaryIndexes = []protocol.LocalSecondaryIndex{lsi("idx", "a", proj("ALL"))}
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{gsiIn("idx", proj("ALL"), "b", "HASH")}
		}, msgLSIAndGSIName},
		{"a GSI hash key without a definition", func(in *protocol.CreateTableInput) {
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{gsiIn("gsi", proj("ALL"), "zz", "HASH")}
		}, msgGSIHashNotDefined},
		{"a GSI range key without a definition", func(in *protocol.CreateTableInput) {
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{gsiIn("gsi", proj("ALL"), "a", "HASH", "zz", "RANGE")}
		}, msgGSIRangeNotDefined},
		{"five partition attributes", func(in *protocol.CreateTableInput) {
			in.AttributeDefinitions = defs("pk", "S", "sk", "N", "a", "S", "b", "N", "c", "S", "d", "S", "e", "S")
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{gsiIn("gsi", proj("ALL"), "a", "HASH", "b", "HASH", "c", "HASH", "d", "HASH", "e", "HASH")}
		}, msgGSIKeySchemaTooBig + "gsi"},
		{"five sort attributes", func(in *protocol.CreateTableInput) {
			in.AttributeDefinitions = defs("pk", "S", "sk", "N", "a", "S", "b", "N", "c", "S", "d", "S", "e", "S")
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{gsiIn("gsi", proj("ALL"), "pk", "HASH", "a", "RANGE", "b", "RANGE", "c", "RANGE", "d", "RANGE", "e", "RANGE")}
		}, msgGSIKeySchemaTooBig + "gsi"},
		{"a HASH after a RANGE", func(in *protocol.CreateTableInput) {
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{gsiIn("gsi", proj("ALL"), "a", "HASH", "b", "RANGE", "sk", "HASH")}
		}, msgKeyOrder},
		{"a GSI without a HASH", func(in *protocol.CreateTableInput) {
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{gsiIn("gsi", proj("ALL"), "a", "RANGE")}
		}, msgNoHashKey},
		{"one attribute twice in a GSI key", func(in *protocol.CreateTableInput) {
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{gsiIn("gsi", proj("ALL"), "a", "HASH", "a", "RANGE")}
		}, msgSameKeyName},
		{"a definition no key uses", func(in *protocol.CreateTableInput) {
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{gsiIn("gsi", proj("ALL"), "a", "HASH")}
		}, msgAttrCountMismatch},
		{"a GSI without throughput on a provisioned table", func(in *protocol.CreateTableInput) {
			in.BillingMode, in.ProvisionedThroughput = nil, pt(1, 1)
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{gsiIn("gsi", proj("ALL"), "a", "HASH", "b", "RANGE")}
		}, msgGSINoThroughput},
		{"a GSI with throughput on an on-demand table", func(in *protocol.CreateTableInput) {
			g := gsiIn("gsi", proj("ALL"), "a", "HASH", "b", "RANGE")
			g.ProvisionedThroughput = pt(1, 1)
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{g}
		}, fmt.Sprintf(msgGSIPayPerRequestPT, "gsi")},
		{"a GSI with zero throughput", func(in *protocol.CreateTableInput) {
			in.BillingMode, in.ProvisionedThroughput = nil, pt(1, 1)
			g := gsiIn("gsi", proj("ALL"), "a", "HASH", "b", "RANGE")
			g.ProvisionedThroughput = pt(0, 1)
			in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{g}
		}, msgThroughputTooLow},
	}
	s := newService(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.CreateTable(context.Background(), withIndexes(tt.mod))
			wantErr(t, err, validation, tt.msg)
		})
	}
	if got := s.cat.List("shared"); len(got) != 0 {
		t.Fatalf("tables after failed creates: %v", got)
	}
}

func TestCreateAndDescribeIndexes(t *testing.T) {
	ctx := caller.With(context.Background(), caller.Identity{Account: "123456789012", Region: "eu-west-1", Namespace: "n1"})
	s := newService(t)
	g1 := gsiIn("byA", proj("INCLUDE", "x", "y"), "a", "HASH", "b", "HASH", "sk", "RANGE", "c", "RANGE")
	g1.ProvisionedThroughput = pt(3, 4)
	g2 := gsiIn("byB", proj("KEYS_ONLY"), "b", "HASH")
	g2.ProvisionedThroughput = pt(1, 2)
	in := createIn("shop", func(in *protocol.CreateTableInput) {
		in.BillingMode, in.ProvisionedThroughput = ptr("PROVISIONED"), pt(5, 5)
		in.AttributeDefinitions = defs("pk", "S", "sk", "N", "a", "S", "b", "N", "c", "B", "l", "S")
		in.LocalSecondaryIndexes = []protocol.LocalSecondaryIndex{lsi("byL", "l", proj("ALL"))}
		in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{g1, g2}
	})
	out, err := s.CreateTable(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	d := out.TableDescription
	t.Run("CreateTable reports the GSIs CREATING", func(t *testing.T) {
		if len(d.GlobalSecondaryIndexes) != 2 || *d.GlobalSecondaryIndexes[0].IndexStatus != "CREATING" {
			t.Fatalf("%+v", d.GlobalSecondaryIndexes)
		}
	})
	desc, err := s.DescribeTable(ctx, &protocol.DescribeTableInput{TableName: ptr("shop")})
	if err != nil {
		t.Fatal(err)
	}
	d = desc.Table
	t.Run("DescribeTable reports every index member", func(t *testing.T) {
		l := d.LocalSecondaryIndexes
		if len(l) != 1 || *l[0].IndexName != "byL" || *l[0].IndexArn != "arn:aws:dynamodb:eu-west-1:123456789012:table/shop/index/byL" ||
			*l[0].Projection.ProjectionType != "ALL" || *l[0].ItemCount != 0 || *l[0].IndexSizeBytes != 0 {
			t.Fatalf("LSI %+v", l)
		}
		g := d.GlobalSecondaryIndexes[0]
		var schema []string
		for _, k := range g.KeySchema {
			schema = append(schema, *k.AttributeName+":"+*k.KeyType)
		}
		if *g.IndexName != "byA" || *g.IndexStatus != "ACTIVE" || g.Backfilling != nil ||
			strings.Join(schema, " ") != "a:HASH b:HASH sk:RANGE c:RANGE" ||
			strings.Join(g.Projection.NonKeyAttributes, ",") != "x,y" ||
			*g.ProvisionedThroughput.ReadCapacityUnits != 3 || *g.ProvisionedThroughput.WriteCapacityUnits != 4 ||
			*g.IndexArn != "arn:aws:dynamodb:eu-west-1:123456789012:table/shop/index/byA" {
			t.Fatalf("GSI %+v", g)
		}
		if d.GlobalSecondaryIndexes[1].Projection.NonKeyAttributes != nil {
			t.Fatalf("KEYS_ONLY has NonKeyAttributes")
		}
	})

	update := func(mod func(in *protocol.UpdateTableInput)) (*protocol.TableDescription, error) {
		in := &protocol.UpdateTableInput{TableName: ptr("shop")}
		mod(in)
		out, err := s.UpdateTable(ctx, in)
		if err != nil {
			return nil, err
		}
		return out.TableDescription, nil
	}
	t.Run("UpdateTable changes a GSI's throughput", func(t *testing.T) {
		d, err := update(func(in *protocol.UpdateTableInput) {
			in.GlobalSecondaryIndexUpdates = []protocol.GlobalSecondaryIndexUpdate{{Update: &protocol.UpdateGlobalSecondaryIndexAction{
				IndexName: ptr("byB"), ProvisionedThroughput: pt(7, 8)}}}
		})
		if err != nil {
			t.Fatal(err)
		}
		g := d.GlobalSecondaryIndexes[1]
		if *g.IndexStatus != "UPDATING" || *g.ProvisionedThroughput.ReadCapacityUnits != 7 || g.ProvisionedThroughput.LastIncreaseDateTime == nil {
			t.Fatalf("%+v %+v", g, g.ProvisionedThroughput)
		}
		_, err = update(func(in *protocol.UpdateTableInput) {
			in.GlobalSecondaryIndexUpdates = []protocol.GlobalSecondaryIndexUpdate{{Update: &protocol.UpdateGlobalSecondaryIndexAction{
				IndexName: ptr("byB"), ProvisionedThroughput: pt(7, 8)}}}
		})
		wantErr(t, err, validation, "The provisioned throughput for the index byB will not change. The requested value equals the current value. "+
			"Current ReadCapacityUnits provisioned for the index byB: 7. Requested ReadCapacityUnits: 7. Current WriteCapacityUnits provisioned for the index byB: 8. "+
			"Requested WriteCapacityUnits: 8. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.")
	})
	t.Run("UpdateTable adds a GSI that is backfilled, then ACTIVE", func(t *testing.T) {
		d, err := update(func(in *protocol.UpdateTableInput) {
			in.AttributeDefinitions = defs("n", "N")
			in.GlobalSecondaryIndexUpdates = []protocol.GlobalSecondaryIndexUpdate{{Create: &protocol.CreateGlobalSecondaryIndexAction{
				IndexName: ptr("byN"), KeySchema: ks("n", "HASH"), Projection: proj("ALL"), ProvisionedThroughput: pt(1, 1)}}}
		})
		if err != nil {
			t.Fatal(err)
		}
		g := d.GlobalSecondaryIndexes[2]
		if *g.IndexName != "byN" || *g.IndexStatus != "CREATING" || g.Backfilling == nil || *g.Backfilling {
			t.Fatalf("%+v", g)
		}
		if err := s.WaitIndexes(); err != nil {
			t.Fatal(err)
		}
		desc, err := s.DescribeTable(ctx, &protocol.DescribeTableInput{TableName: ptr("shop")})
		if err != nil {
			t.Fatal(err)
		}
		g = desc.Table.GlobalSecondaryIndexes[2]
		if *g.IndexStatus != "ACTIVE" || g.Backfilling != nil {
			t.Fatalf("%+v", g)
		}
	})
	t.Run("one online index change at a time", func(t *testing.T) {
		_, err := update(func(in *protocol.UpdateTableInput) {
			in.GlobalSecondaryIndexUpdates = []protocol.GlobalSecondaryIndexUpdate{
				{Delete: &protocol.DeleteGlobalSecondaryIndexAction{IndexName: ptr("byN")}},
				{Delete: &protocol.DeleteGlobalSecondaryIndexAction{IndexName: ptr("byB")}},
			}
		})
		wantErr(t, err, "LimitExceededException", msgOneIndexAtATime)
	})
	t.Run("UpdateTable deletes a GSI and the definitions only it used", func(t *testing.T) {
		d, err := update(func(in *protocol.UpdateTableInput) {
			in.GlobalSecondaryIndexUpdates = []protocol.GlobalSecondaryIndexUpdate{{Delete: &protocol.DeleteGlobalSecondaryIndexAction{IndexName: ptr("byN")}}}
		})
		if err != nil {
			t.Fatal(err)
		}
		if *d.GlobalSecondaryIndexes[2].IndexStatus != "DELETING" {
			t.Fatalf("%+v", d.GlobalSecondaryIndexes[2])
		}
		if err := s.WaitIndexes(); err != nil {
			t.Fatal(err)
		}
		tb, err := s.cat.Get("n1", "shop")
		if err != nil {
			t.Fatal(err)
		}
		if tb.Index("byN") != nil || tb.AttributeType("n") != "" {
			t.Fatalf("indexes %+v defs %+v", tb.Indexes, tb.AttributeDefinitions)
		}
	})
	t.Run("switching to on-demand zeroes the GSI throughput", func(t *testing.T) {
		d, err := update(func(in *protocol.UpdateTableInput) { in.BillingMode = ptr("PAY_PER_REQUEST") })
		if err != nil {
			t.Fatal(err)
		}
		if *d.GlobalSecondaryIndexes[0].ProvisionedThroughput.ReadCapacityUnits != 0 {
			t.Fatalf("%+v", d.GlobalSecondaryIndexes[0].ProvisionedThroughput)
		}
	})
	t.Run("switching back needs throughput for every GSI", func(t *testing.T) {
		_, err := update(func(in *protocol.UpdateTableInput) {
			in.BillingMode, in.ProvisionedThroughput = ptr("PROVISIONED"), pt(2, 2)
			in.GlobalSecondaryIndexUpdates = []protocol.GlobalSecondaryIndexUpdate{{Update: &protocol.UpdateGlobalSecondaryIndexAction{
				IndexName: ptr("byA"), ProvisionedThroughput: pt(1, 1)}}}
		})
		wantErr(t, err, validation, msgGSINeedsThroughput+"byB")
	})
}

func TestUpdateTableIndexValidation(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	mustCreate(t, s, createIn("ondemand", func(in *protocol.CreateTableInput) {
		in.AttributeDefinitions = defs("pk", "S", "sk", "N", "a", "S")
		in.GlobalSecondaryIndexes = []protocol.GlobalSecondaryIndex{gsiIn("byA", proj("ALL"), "a", "HASH")}
	}))
	create := func(name string, p *protocol.Projection, defs []protocol.AttributeDefinition, elems ...string) func(in *protocol.UpdateTableInput) {
		return func(in *protocol.UpdateTableInput) {
			in.AttributeDefinitions = defs
			in.GlobalSecondaryIndexUpdates = []protocol.GlobalSecondaryIndexUpdate{{Create: &protocol.CreateGlobalSecondaryIndexAction{
				IndexName: ptr(name), KeySchema: ks(elems...), Projection: p}}}
		}
	}
	tests := []struct {
		name string
		mod  func(in *protocol.UpdateTableInput)
		code string
		msg  string
	}{
		{"two creates in one call", func(in *protocol.UpdateTableInput) {
			c := &protocol.CreateGlobalSecondaryIndexAction{IndexName: ptr("x1x"), KeySchema: ks("a", "HASH"), Projection: proj("ALL")}
			in.AttributeDefinitions = defs("a", "S")
			in.GlobalSecondaryIndexUpdates = []protocol.GlobalSecondaryIndexUpdate{{Create: c}, {Create: c}}
		}, "LimitExceededException", msgOneIndexAtATime},
		{"a create and a delete in one entry", func(in *protocol.UpdateTableInput) {
			in.GlobalSecondaryIndexUpdates = []protocol.GlobalSecondaryIndexUpdate{{
				Create: &protocol.CreateGlobalSecondaryIndexAction{IndexName: ptr("x1x")},
				Delete: &protocol.DeleteGlobalSecondaryIndexAction{IndexName: ptr("byA")}}}
		}, "LimitExceededException", msgOneIndexAtATime},
		{"deleting an unknown index", func(in *protocol.UpdateTableInput) {
			in.GlobalSecondaryIndexUpdates = []protocol.GlobalSecondaryIndexUpdate{{Delete: &protocol.DeleteGlobalSecondaryIndexAction{IndexName: ptr("nope")}}}
		}, "ResourceNotFoundException", msgIndexNotFound},
		{"updating an unknown index", func(in *protocol.UpdateTableInput) {
			in.GlobalSecondaryIndexUpdates = []protocol.GlobalSecondaryIndexUpdate{{Update: &protocol.UpdateGlobalSecondaryIndexAction{IndexName: ptr("nope"), ProvisionedThroughput: pt(1, 1)}}}
		}, "ResourceNotFoundException", msgIndexNotFound},
		{"throughput for a GSI of an on-demand table", func(in *protocol.UpdateTableInput) {
			in.GlobalSecondaryIndexUpdates = []protocol.GlobalSecondaryIndexUpdate{{Update: &protocol.UpdateGlobalSecondaryIndexAction{IndexName: ptr("byA"), ProvisionedThroughput: pt(1, 1)}}}
		}, validation, fmt.Sprintf(msgGSIPayPerRequestPT, "byA")},
		{"a create without attribute definitions", create("byB", proj("ALL"), nil, "a", "HASH"), validation, msgNoAttrSchema},
		{"a create of an existing name", create("byA", proj("ALL"), defs("a", "S"), "a", "HASH"), validation, msgIndexExists},
		{"a definition of another type than the table's", create("byB", proj("ALL"), defs("a", "N"), "a", "HASH"), validation,
			fmt.Sprintf(msgAttrDefConflict, "a", "S")},
		{"a definition no key uses", create("byB", proj("ALL"), defs("a", "S", "zz", "S"), "a", "HASH"), validation, msgAttrCountMismatch},
		{"a create key without a definition", create("byB", proj("ALL"), defs("a", "S"), "b", "HASH"), validation, msgGSIHashNotDefined},
		{"a create with a bad projection", create("byB", proj("INCLUDE"), defs("b", "S"), "b", "HASH"), validation, msgIncludeNoAttrs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := &protocol.UpdateTableInput{TableName: ptr("ondemand")}
			tt.mod(in)
			_, err := s.UpdateTable(ctx, in)
			wantErr(t, err, tt.code, tt.msg)
		})
	}
	tb, err := s.cat.Get("shared", "ondemand")
	if err != nil {
		t.Fatal(err)
	}
	if len(tb.Indexes) != 1 || len(tb.AttributeDefinitions) != 3 || tb.Indexes[0].Status != catalog.StatusActive {
		t.Fatalf("failed updates changed the table: %+v", tb)
	}
}
