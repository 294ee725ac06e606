package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/petreldb/petrel/internal/server/servertest"
)

// Secondary indexes through the AWS SDK (issue #4): every index kind and
// projection, sparse indexes, multi-attribute GSI keys, paging, the
// DescribeTable members, and a GSI added by UpdateTable while writes go on.

func ixS(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func ixN(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }

func ixKeys(elems ...string) []types.KeySchemaElement {
	var out []types.KeySchemaElement
	for _, e := range elems {
		kt := types.KeyTypeHash
		if r, ok := strings.CutPrefix(e, "+"); ok {
			e, kt = r, types.KeyTypeRange
		}
		out = append(out, types.KeySchemaElement{AttributeName: aws.String(e), KeyType: kt})
	}
	return out
}

func ixProj(typ types.ProjectionType, attrs ...string) *types.Projection {
	return &types.Projection{ProjectionType: typ, NonKeyAttributes: attrs}
}

// ixAttrNames renders each item's sorted attribute names, "|"-separated.
func ixAttrNames(items []map[string]types.AttributeValue) string {
	var out []string
	for _, it := range items {
		var ns []string
		for k := range it {
			ns = append(ns, k)
		}
		sort.Strings(ns)
		out = append(out, strings.Join(ns, ","))
	}
	return strings.Join(out, "|")
}

func ixStr(v types.AttributeValue) string {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return x.Value
	case *types.AttributeValueMemberN:
		return x.Value
	}
	return fmt.Sprintf("%T", v)
}

// ixShopTable creates "shop": pk S, sk N; GSIs byCat (cat, +price;
// KEYS_ONLY), bySeller (seller; INCLUDE title), byPrice (price; ALL); LSI
// byTitle (pk, +title; KEYS_ONLY).
func ixShopTable(t *testing.T, c *dynamodb.Client) {
	t.Helper()
	_, err := c.CreateTable(context.Background(), &dynamodb.CreateTableInput{
		TableName:            aws.String("shop"),
		BillingMode:          types.BillingModePayPerRequest,
		KeySchema:            ixKeys("pk", "+sk"),
		AttributeDefinitions: attrDefs("pk", "S", "sk", "N", "cat", "S", "price", "N", "seller", "S", "title", "S"),
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
			{IndexName: aws.String("byCat"), KeySchema: ixKeys("cat", "+price"), Projection: ixProj(types.ProjectionTypeKeysOnly)},
			{IndexName: aws.String("bySeller"), KeySchema: ixKeys("seller"), Projection: ixProj(types.ProjectionTypeInclude, "title")},
			{IndexName: aws.String("byPrice"), KeySchema: ixKeys("price"), Projection: ixProj(types.ProjectionTypeAll)},
		},
		LocalSecondaryIndexes: []types.LocalSecondaryIndex{
			{IndexName: aws.String("byTitle"), KeySchema: ixKeys("pk", "+title"), Projection: ixProj(types.ProjectionTypeKeysOnly)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestIndexKindsAndProjections(t *testing.T) {
	ctx := context.Background()
	srv := servertest.Start(t)
	c := srv.Client()
	ixShopTable(t, c)
	items := []map[string]types.AttributeValue{
		{"pk": ixS("a"), "sk": ixN("1"), "cat": ixS("book"), "price": ixN("12"), "seller": ixS("s1"), "title": ixS("Dune"), "extra": ixS("x")},
		{"pk": ixS("a"), "sk": ixN("2"), "cat": ixS("book"), "price": ixN("5"), "seller": ixS("s2"), "title": ixS("Emma")},
		{"pk": ixS("b"), "sk": ixN("1"), "cat": ixS("book"), "price": ixN("7.5"), "title": ixS("Ubik")},
		{"pk": ixS("b"), "sk": ixN("2"), "seller": ixS("s1"), "extra": ixS("y")},
		{"pk": ixS("c"), "sk": ixN("1")},
	}
	qsPutAll(t, c, "shop", items)

	query := func(t *testing.T, in *dynamodb.QueryInput) *dynamodb.QueryOutput {
		t.Helper()
		in.TableName = aws.String("shop")
		out, err := c.Query(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	t.Run("KEYS_ONLY returns the table and index keys in index order", func(t *testing.T) {
		out := query(t, &dynamodb.QueryInput{IndexName: aws.String("byCat"), KeyConditionExpression: aws.String("cat = :c"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":c": ixS("book")}})
		if got := ixAttrNames(out.Items); got != "cat,pk,price,sk|cat,pk,price,sk|cat,pk,price,sk" {
			t.Fatalf("attributes %s", got)
		}
		var prices []string
		for _, it := range out.Items {
			prices = append(prices, ixStr(it["price"]))
		}
		if strings.Join(prices, " ") != "5 7.5 12" {
			t.Fatalf("order %v", prices)
		}
	})
	t.Run("INCLUDE adds its attributes; items without the key are not indexed", func(t *testing.T) {
		out := query(t, &dynamodb.QueryInput{IndexName: aws.String("bySeller"), KeyConditionExpression: aws.String("seller = :s"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":s": ixS("s1")}})
		if got := ixAttrNames(out.Items); got != "pk,seller,sk,title|pk,seller,sk" {
			t.Fatalf("attributes %s", got)
		}
		scan, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("shop"), IndexName: aws.String("bySeller")})
		if err != nil {
			t.Fatal(err)
		}
		if scan.Count != 3 {
			t.Fatalf("sparse index holds %d items, want 3", scan.Count)
		}
	})
	t.Run("ALL returns whole items", func(t *testing.T) {
		out := query(t, &dynamodb.QueryInput{IndexName: aws.String("byPrice"), KeyConditionExpression: aws.String("price = :p"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": ixN("12")}, Select: types.SelectAllAttributes})
		if got := ixAttrNames(out.Items); got != "cat,extra,pk,price,seller,sk,title" {
			t.Fatalf("attributes %s", got)
		}
	})
	t.Run("an LSI reads one partition in index order and fetches what it does not project", func(t *testing.T) {
		out := query(t, &dynamodb.QueryInput{IndexName: aws.String("byTitle"), KeyConditionExpression: aws.String("pk = :p AND title > :t"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": ixS("a"), ":t": ixS("A")}, ScanIndexForward: aws.Bool(false),
			ConsistentRead: aws.Bool(true)})
		if got := ixAttrNames(out.Items); got != "pk,sk,title|pk,sk,title" || ixStr(out.Items[0]["title"]) != "Emma" {
			t.Fatalf("items %s", got)
		}
		out = query(t, &dynamodb.QueryInput{IndexName: aws.String("byTitle"), KeyConditionExpression: aws.String("pk = :p"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": ixS("a")}, ProjectionExpression: aws.String("title, extra")})
		if got := ixAttrNames(out.Items); got != "extra,title|title" {
			t.Fatalf("fetched attributes %s", got)
		}
	})
	t.Run("ALL_PROJECTED_ATTRIBUTES and COUNT", func(t *testing.T) {
		out := query(t, &dynamodb.QueryInput{IndexName: aws.String("bySeller"), Select: types.SelectAllProjectedAttributes,
			KeyConditionExpression: aws.String("seller = :s"), ExpressionAttributeValues: map[string]types.AttributeValue{":s": ixS("s2")}})
		if got := ixAttrNames(out.Items); got != "pk,seller,sk,title" {
			t.Fatalf("attributes %s", got)
		}
		out = query(t, &dynamodb.QueryInput{IndexName: aws.String("byCat"), Select: types.SelectCount,
			KeyConditionExpression: aws.String("cat = :c"), ExpressionAttributeValues: map[string]types.AttributeValue{":c": ixS("book")}})
		if out.Count != 3 || out.Items != nil {
			t.Fatalf("count %d items %v", out.Count, out.Items)
		}
	})
	t.Run("errors of index reads", func(t *testing.T) {
		vals := map[string]types.AttributeValue{":c": ixS("book")}
		cases := []struct {
			in  *dynamodb.QueryInput
			msg string
		}{
			{&dynamodb.QueryInput{IndexName: aws.String("nope"), KeyConditionExpression: aws.String("cat = :c"), ExpressionAttributeValues: vals},
				"The table does not have the specified index: nope"},
			{&dynamodb.QueryInput{IndexName: aws.String("byCat"), ConsistentRead: aws.Bool(true), KeyConditionExpression: aws.String("cat = :c"), ExpressionAttributeValues: vals},
				"Consistent reads are not supported on global secondary indexes"},
			{&dynamodb.QueryInput{IndexName: aws.String("byCat"), Select: types.SelectAllAttributes, KeyConditionExpression: aws.String("cat = :c"), ExpressionAttributeValues: vals},
				"One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byCat because its projection type is not ALL"},
			{&dynamodb.QueryInput{IndexName: aws.String("byCat"), ProjectionExpression: aws.String("title"), KeyConditionExpression: aws.String("cat = :c"), ExpressionAttributeValues: vals},
				"One or more parameter values were invalid: Global secondary index byCat does not project [title]"},
			{&dynamodb.QueryInput{Select: types.SelectAllProjectedAttributes, KeyConditionExpression: aws.String("pk = :c"), ExpressionAttributeValues: vals},
				"ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"},
			{&dynamodb.QueryInput{IndexName: aws.String("byCat"), KeyConditionExpression: aws.String("cat = :c AND sk = :n"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":c": ixS("book"), ":n": ixN("1")}},
				"Query key condition not supported"},
			{&dynamodb.QueryInput{IndexName: aws.String("byCat"), KeyConditionExpression: aws.String("cat = :c"), ExpressionAttributeValues: vals,
				ExclusiveStartKey: map[string]types.AttributeValue{"pk": ixS("a"), "sk": ixN("1")}},
				"The provided starting key is invalid"},
		}
		for _, tc := range cases {
			tc.in.TableName = aws.String("shop")
			_, err := c.Query(ctx, tc.in)
			wantAPIError(t, err, "ValidationException", tc.msg)
		}
	})
	t.Run("writes with unusable index keys are refused", func(t *testing.T) {
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("shop"),
			Item: map[string]types.AttributeValue{"pk": ixS("z"), "sk": ixN("1"), "price": ixS("cheap")}})
		wantAPIError(t, err, "ValidationException", "One or more parameter values were invalid: Type mismatch for Index Key price Expected: N Actual: S IndexName: byCat")
		_, err = c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("shop"), Key: map[string]types.AttributeValue{"pk": ixS("a"), "sk": ixN("1")},
			UpdateExpression: aws.String("SET seller = :e"), ExpressionAttributeValues: map[string]types.AttributeValue{":e": ixS("")}})
		wantAPIError(t, err, "ValidationException", "One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty string value.")
	})
	t.Run("index writes show in ConsumedCapacity and ItemCollectionMetrics", func(t *testing.T) {
		out, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("shop"), ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes,
			ReturnItemCollectionMetrics: types.ReturnItemCollectionMetricsSize,
			Item:                        map[string]types.AttributeValue{"pk": ixS("d"), "sk": ixN("1"), "cat": ixS("toy"), "price": ixN("3"), "title": ixS("Go")}})
		if err != nil {
			t.Fatal(err)
		}
		cc := out.ConsumedCapacity
		if *cc.CapacityUnits != 4 || *cc.Table.CapacityUnits != 1 || len(cc.GlobalSecondaryIndexes) != 2 || len(cc.LocalSecondaryIndexes) != 1 {
			t.Fatalf("capacity %v %v %v %v", *cc.CapacityUnits, *cc.Table.CapacityUnits, cc.GlobalSecondaryIndexes, cc.LocalSecondaryIndexes)
		}
		m := out.ItemCollectionMetrics
		if m == nil || ixStr(m.ItemCollectionKey["pk"]) != "d" || len(m.SizeEstimateRangeGB) != 2 {
			t.Fatalf("metrics %+v", m)
		}
	})
	t.Run("DescribeTable reports each index", func(t *testing.T) {
		d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("shop")})
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int64{}
		for _, g := range d.Table.GlobalSecondaryIndexes {
			if g.IndexStatus != types.IndexStatusActive || *g.IndexSizeBytes <= 0 || !strings.HasSuffix(*g.IndexArn, ":table/shop/index/"+*g.IndexName) ||
				g.ProvisionedThroughput == nil || g.Projection == nil || len(g.KeySchema) == 0 {
				t.Fatalf("GSI %+v", g)
			}
			counts[*g.IndexName] = *g.ItemCount
		}
		l := d.Table.LocalSecondaryIndexes
		if len(l) != 1 || *l[0].ItemCount != 4 || !strings.HasSuffix(*l[0].IndexArn, ":table/shop/index/byTitle") {
			t.Fatalf("LSI %+v", l)
		}
		if fmt.Sprint(counts) != "map[byCat:4 byPrice:4 bySeller:3]" {
			t.Fatalf("item counts %v", counts)
		}
	})
	t.Run("the SDK paginator pages through an index", func(t *testing.T) {
		p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String("shop"), IndexName: aws.String("byCat"), Limit: aws.Int32(1)})
		n, pages := 0, 0
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			n += len(out.Items)
			if out.LastEvaluatedKey != nil && len(out.LastEvaluatedKey) != 4 {
				t.Fatalf("LastEvaluatedKey %v", out.LastEvaluatedKey)
			}
		}
		if n != 4 || pages < 4 {
			t.Fatalf("%d items in %d pages", n, pages)
		}
	})
	t.Run("DeleteTable removes the index entries", func(t *testing.T) {
		if _, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("shop")}); err != nil {
			t.Fatal(err)
		}
		ixShopTable(t, c)
		scan, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("shop"), IndexName: aws.String("byPrice")})
		if err != nil {
			t.Fatal(err)
		}
		if scan.Count != 0 {
			t.Fatalf("a new table of the same name has %d index entries", scan.Count)
		}
	})
}

// TestIndexMultiAttributeKeys is the tournament example of AWS's
// multi-attribute keys pattern page (multi-attribute-keys.md §6).
func TestIndexMultiAttributeKeys(t *testing.T) {
	ctx := context.Background()
	c := servertest.Start(t).Client()
	_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("TournamentMatches"),
		BillingMode:          types.BillingModePayPerRequest,
		KeySchema:            ixKeys("matchId"),
		AttributeDefinitions: attrDefs("matchId", "S", "tournamentId", "S", "region", "S", "round", "S", "bracket", "S", "player1Id", "S", "matchDate", "S"),
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{
			{IndexName: aws.String("TournamentRegionIndex"), KeySchema: ixKeys("tournamentId", "region", "+round", "+bracket", "+matchId"),
				Projection: ixProj(types.ProjectionTypeAll)},
			{IndexName: aws.String("PlayerMatchHistoryIndex"), KeySchema: ixKeys("player1Id", "+matchDate", "+round"),
				Projection: ixProj(types.ProjectionTypeAll)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	rows := []string{
		"match-001 WINTER2024 NA-EAST FINALS CHAMPIONSHIP 101 2024-01-20",
		"match-002 WINTER2024 NA-EAST SEMIFINALS UPPER 101 2024-01-18",
		"match-003 WINTER2024 NA-EAST SEMIFINALS UPPER 103 2024-01-18",
		"match-004 WINTER2024 NA-EAST QUARTERFINALS UPPER 101 2024-01-15",
		"match-005 WINTER2024 NA-WEST FINALS CHAMPIONSHIP 102 2024-01-20",
		"match-006 WINTER2024 NA-WEST SEMIFINALS UPPER 102 2024-01-18",
		"match-007 SPRING2024 NA-EAST QUARTERFINALS UPPER 101 2024-03-15",
		"match-008 SPRING2024 NA-EAST QUARTERFINALS LOWER 103 2024-03-15",
	}
	var items []map[string]types.AttributeValue
	for _, r := range rows {
		f := strings.Fields(r)
		items = append(items, map[string]types.AttributeValue{"matchId": ixS(f[0]), "tournamentId": ixS(f[1]), "region": ixS(f[2]),
			"round": ixS(f[3]), "bracket": ixS(f[4]), "player1Id": ixS(f[5]), "matchDate": ixS(f[6])})
	}
	qsPutAll(t, c, "TournamentMatches", items)
	d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("TournamentMatches")})
	if err != nil {
		t.Fatal(err)
	}
	if ks := d.Table.GlobalSecondaryIndexes[0].KeySchema; len(ks) != 5 || *ks[4].AttributeName != "matchId" || ks[1].KeyType != types.KeyTypeHash {
		t.Fatalf("key schema %+v", ks)
	}

	q := func(cond string, vals map[string]types.AttributeValue) ([]string, error) {
		v := map[string]types.AttributeValue{":t": ixS("WINTER2024"), ":r": ixS("NA-EAST")}
		for k, x := range vals {
			v[k] = x
		}
		p := dynamodb.NewQueryPaginator(c, &dynamodb.QueryInput{TableName: aws.String("TournamentMatches"), IndexName: aws.String("TournamentRegionIndex"),
			KeyConditionExpression:   aws.String("tournamentId = :t AND #region = :r" + cond),
			ExpressionAttributeNames: map[string]string{"#region": "region"}, ExpressionAttributeValues: v, Limit: aws.Int32(1)})
		var ids []string
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				return nil, err
			}
			for _, it := range out.Items {
				ids = append(ids, ixStr(it["matchId"]))
			}
		}
		return ids, nil
	}
	t.Run("results are ordered by the sort attributes as a tuple", func(t *testing.T) {
		ids, err := q("", nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(ids, " "); got != "match-001 match-004 match-002 match-003" {
			t.Fatalf("order %s", got)
		}
	})
	t.Run("sort attributes left to right", func(t *testing.T) {
		for _, c := range []struct {
			cond string
			vals map[string]types.AttributeValue
			want int
		}{
			{" AND round = :rd", map[string]types.AttributeValue{":rd": ixS("SEMIFINALS")}, 2},
			{" AND round = :rd AND bracket = :b", map[string]types.AttributeValue{":rd": ixS("SEMIFINALS"), ":b": ixS("UPPER")}, 2},
			{" AND round = :rd AND bracket = :b AND matchId = :m", map[string]types.AttributeValue{":rd": ixS("SEMIFINALS"), ":b": ixS("UPPER"), ":m": ixS("match-002")}, 1},
			{" AND round BETWEEN :a AND :z", map[string]types.AttributeValue{":a": ixS("QUARTERFINALS"), ":z": ixS("SEMIFINALS")}, 3},
			{" AND round = :rd AND begins_with(bracket, :b)", map[string]types.AttributeValue{":rd": ixS("SEMIFINALS"), ":b": ixS("U")}, 2},
		} {
			ids, err := q(c.cond, c.vals)
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != c.want {
				t.Fatalf("%s: %v, want %d", c.cond, ids, c.want)
			}
		}
	})
	t.Run("unsupported key conditions", func(t *testing.T) {
		_, err := q(" AND bracket = :b", map[string]types.AttributeValue{":b": ixS("UPPER")})
		wantAPIError(t, err, "ValidationException", "Query key condition not supported")
		_, err = q(" AND round > :rd AND bracket = :b", map[string]types.AttributeValue{":rd": ixS("Q"), ":b": ixS("UPPER")})
		wantAPIError(t, err, "ValidationException", "Query key condition not supported")
		_, err = c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("TournamentMatches"), IndexName: aws.String("TournamentRegionIndex"),
			KeyConditionExpression: aws.String("tournamentId = :t"), ExpressionAttributeValues: map[string]types.AttributeValue{":t": ixS("WINTER2024")}})
		wantAPIError(t, err, "ValidationException", "Query condition missed key schema element")
	})
	t.Run("the second index: one partition attribute, two sort attributes", func(t *testing.T) {
		out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("TournamentMatches"), IndexName: aws.String("PlayerMatchHistoryIndex"),
			KeyConditionExpression:    aws.String("player1Id = :p AND matchDate BETWEEN :a AND :b"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": ixS("101"), ":a": ixS("2024-01-01"), ":b": ixS("2024-01-31")}})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, it := range out.Items {
			ids = append(ids, ixStr(it["matchId"]))
		}
		if strings.Join(ids, " ") != "match-004 match-002 match-001" {
			t.Fatalf("%v", ids)
		}
	})
}

// TestIndexBackfillWhileWritesContinue adds a (multi-attribute) GSI to a
// loaded table with UpdateTable while writers keep putting, updating and
// deleting items, waits for it to become ACTIVE, and checks that the index
// then holds exactly what a recomputation from the table says.
func TestIndexBackfillWhileWritesContinue(t *testing.T) {
	for _, p := range []types.ProjectionType{types.ProjectionTypeKeysOnly, types.ProjectionTypeInclude, types.ProjectionTypeAll} {
		t.Run(string(p), func(t *testing.T) {
			ctx := context.Background()
			c := servertest.Start(t).Client()
			qsTable(t, c, "bfill", "N")
			r := rand.New(rand.NewPCG(5, 6))
			item := func(r *rand.Rand, i int) map[string]types.AttributeValue {
				it := map[string]types.AttributeValue{"pk": ixS(fmt.Sprintf("p%d", i%13)), "sk": ixN(fmt.Sprint(i)), "a": ixN(fmt.Sprint(r.IntN(9))), "b": ixS("b")}
				if r.IntN(6) > 0 {
					it["g"] = ixS(fmt.Sprintf("g%d", r.IntN(4)))
				}
				if r.IntN(6) > 0 {
					it["h"] = ixN(fmt.Sprint(r.IntN(30)))
				}
				return it
			}
			var load []map[string]types.AttributeValue
			for i := 0; i < 3000; i++ {
				load = append(load, item(r, i))
			}
			qsPutAll(t, c, "bfill", load)

			proj := ixProj(p)
			if p == types.ProjectionTypeInclude {
				proj = ixProj(p, "b")
			}
			up, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("bfill"),
				AttributeDefinitions: attrDefs("g", "S", "h", "N", "a", "N"),
				GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
					IndexName: aws.String("byGH"), KeySchema: ixKeys("g", "+h", "+a"), Projection: proj}}}})
			if err != nil {
				t.Fatal(err)
			}
			g := up.TableDescription.GlobalSecondaryIndexes[0]
			if g.IndexStatus != types.IndexStatusCreating || g.Backfilling == nil || *g.Backfilling {
				t.Fatalf("UpdateTable answered %+v", g)
			}
			var stop atomic.Bool
			var writes atomic.Int64
			var wg sync.WaitGroup
			for w := 0; w < 3; w++ {
				wg.Add(1)
				go func(seed uint64) {
					defer wg.Done()
					r := rand.New(rand.NewPCG(seed, 1))
					for n := 0; !stop.Load() || n < 50; n++ {
						i := r.IntN(3200)
						key := map[string]types.AttributeValue{"pk": ixS(fmt.Sprintf("p%d", i%13)), "sk": ixN(fmt.Sprint(i))}
						var err error
						switch r.IntN(4) {
						case 0:
							_, err = c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("bfill"), Key: key})
						case 1:
							_, err = c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("bfill"), Key: key,
								UpdateExpression:          aws.String("SET g = :g, a = :a"),
								ExpressionAttributeValues: map[string]types.AttributeValue{":g": ixS(fmt.Sprintf("g%d", r.IntN(4))), ":a": ixN(fmt.Sprint(r.IntN(9)))}})
						default:
							_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("bfill"), Item: item(r, i)})
						}
						if err != nil {
							t.Error(err)
							return
						}
						writes.Add(1)
					}
				}(uint64(w))
			}
			deadline := time.Now().Add(30 * time.Second)
			for {
				d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("bfill")})
				if err != nil {
					t.Fatal(err)
				}
				if d.Table.GlobalSecondaryIndexes[0].IndexStatus == types.IndexStatusActive {
					t.Logf("%d writes ran while the index was being built", writes.Load())
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("the index never became ACTIVE")
				}
			}
			stop.Store(true)
			wg.Wait()
			if writes.Load() < 150 {
				t.Fatalf("only %d writes ran", writes.Load())
			}

			want := map[string]string{}
			for _, it := range ixScanAll(t, c, nil) {
				_, hasG := it["g"]
				_, hasH := it["h"]
				if !hasG || !hasH { // every item has a
					continue // sparse
				}
				proj := map[string]types.AttributeValue{}
				for k, v := range it {
					keep := p == types.ProjectionTypeAll || k == "pk" || k == "sk" || k == "g" || k == "h" || k == "a" ||
						p == types.ProjectionTypeInclude && k == "b"
					if keep {
						proj[k] = v
					}
				}
				want[ixStr(it["pk"])+"/"+ixStr(it["sk"])] = ixRender(proj)
			}
			got := map[string]string{}
			for _, it := range ixScanAll(t, c, aws.String("byGH")) {
				k := ixStr(it["pk"]) + "/" + ixStr(it["sk"])
				if _, dup := got[k]; dup {
					t.Fatalf("%s indexed twice", k)
				}
				got[k] = ixRender(it)
			}
			if len(got) != len(want) {
				t.Fatalf("index holds %d items, the table says %d", len(got), len(want))
			}
			for k, w := range want {
				if got[k] != w {
					t.Fatalf("%s: index has %s, table says %s", k, got[k], w)
				}
			}
			d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("bfill")})
			if err != nil {
				t.Fatal(err)
			}
			if n := *d.Table.GlobalSecondaryIndexes[0].ItemCount; n != int64(len(want)) {
				t.Fatalf("ItemCount %d, want %d", n, len(want))
			}
		})
	}
}

func ixScanAll(t *testing.T, c *dynamodb.Client, index *string) []map[string]types.AttributeValue {
	t.Helper()
	var out []map[string]types.AttributeValue
	p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String("bfill"), IndexName: index, Limit: aws.Int32(200)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
	}
	return out
}

// ixRender renders an item deterministically.
func ixRender(it map[string]types.AttributeValue) string {
	var parts []string
	for k, v := range it {
		parts = append(parts, k+"="+ixStr(v))
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

func TestIndexStatusesWithTransientDelay(t *testing.T) {
	ctx := context.Background()
	c := servertest.Start(t, servertest.WithTransientStatusDelay(300*time.Millisecond)).Client()
	if _, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("slow"), BillingMode: types.BillingModePayPerRequest,
		KeySchema: ixKeys("pk"), AttributeDefinitions: attrDefs("pk", "S")}); err != nil {
		t.Fatal(err)
	}
	if err := dynamodb.NewTableExistsWaiter(c, fastExists).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("slow")}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := putOneS(c, "slow"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("slow"), AttributeDefinitions: attrDefs("g", "S"),
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
			IndexName: aws.String("byG"), KeySchema: ixKeys("g"), Projection: ixProj(types.ProjectionTypeAll)}}}}); err != nil {
		t.Fatal(err)
	}
	t.Run("a CREATING index cannot be queried", func(t *testing.T) {
		_, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("slow"), IndexName: aws.String("byG"),
			KeyConditionExpression: aws.String("g = :g"), ExpressionAttributeValues: map[string]types.AttributeValue{":g": ixS("x")}})
		wantAPIError(t, err, "ValidationException", "The table does not have the specified index: byG")
		d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("slow")})
		if err != nil {
			t.Fatal(err)
		}
		if g := d.Table.GlobalSecondaryIndexes[0]; g.IndexStatus != types.IndexStatusCreating || g.Backfilling == nil {
			t.Fatalf("%+v", g)
		}
	})
	t.Run("the index becomes ACTIVE and holds the item written before it", func(t *testing.T) {
		deadline := time.Now().Add(10 * time.Second)
		for {
			out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("slow"), IndexName: aws.String("byG"),
				KeyConditionExpression: aws.String("g = :g"), ExpressionAttributeValues: map[string]types.AttributeValue{":g": ixS("x")}})
			if err == nil {
				if out.Count != 1 {
					t.Fatalf("count %d", out.Count)
				}
				return
			}
			if time.Now().After(deadline) {
				t.Fatal(err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

func putOneS(c *dynamodb.Client, table string) error {
	_, err := c.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(table),
		Item: map[string]types.AttributeValue{"pk": ixS("a"), "g": ixS("x")}})
	return err
}
