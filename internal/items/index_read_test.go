package items

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/petreldb/petrel/internal/attr"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/items/itemstest"
	"github.com/petreldb/petrel/internal/protocol"
)

// ixTable describes a table for ixService: "name pk:S sk:N" key elements
// and attribute definitions, plus indexes.
type ixTable struct {
	name    string
	keys    []catalog.KeyElement
	defs    []catalog.AttributeDefinition
	indexes []catalog.Index
}

func kel(name, kt string) catalog.KeyElement {
	return catalog.KeyElement{AttributeName: name, KeyType: kt}
}
func adef(name, typ string) catalog.AttributeDefinition {
	return catalog.AttributeDefinition{AttributeName: name, AttributeType: typ}
}

// ixGSI is a GSI named name with the given projection whose key is the
// HASH attributes, then the RANGE attributes (names prefixed with "+").
func ixGSI(name string, proj catalog.Projection, keys ...string) catalog.Index {
	ix := catalog.Index{Name: name, Global: true, Projection: proj, Status: catalog.StatusActive}
	for _, k := range keys {
		if r, ok := strings.CutPrefix(k, "+"); ok {
			ix.KeySchema = append(ix.KeySchema, kel(r, catalog.KeyTypeRange))
		} else {
			ix.KeySchema = append(ix.KeySchema, kel(k, catalog.KeyTypeHash))
		}
	}
	return ix
}

var (
	projKeys = catalog.Projection{Type: catalog.ProjectionKeysOnly}
	projAll  = catalog.Projection{Type: catalog.ProjectionAll}
)

func projInclude(attrs ...string) catalog.Projection {
	return catalog.Projection{Type: catalog.ProjectionInclude, NonKeyAttributes: attrs}
}

// ixService returns a Service over an in-memory engine holding tables.
func ixService(tb testing.TB, tables ...ixTable) (*Service, *catalog.Catalog, context.Context) {
	tb.Helper()
	eng, cat := itemstest.Open(tb)
	ctx := itemstest.Context("test")
	for _, d := range tables {
		ixs := append([]catalog.Index(nil), d.indexes...)
		for i := range ixs {
			ixs[i].ID = uint32(i + 1)
			if ixs[i].Status == "" {
				ixs[i].Status = catalog.StatusActive
			}
		}
		t := &catalog.Table{Namespace: "test", Name: d.name, Status: catalog.StatusActive, BillingMode: catalog.BillingPayPerRequest,
			KeySchema: d.keys, AttributeDefinitions: d.defs, Indexes: ixs, IndexSeq: uint32(len(ixs))}
		itemstest.Create(tb, ctx, cat, t)
	}
	return New(cat, eng), cat, ctx
}

// ixShop is a table "shop" (pk S, sk N) with a GSI per projection type,
// an LSI and a multi-attribute GSI.
func ixShop(tb testing.TB) (*Service, context.Context) {
	s, _, ctx := ixService(tb, ixTable{
		name: "shop",
		keys: []catalog.KeyElement{kel("pk", "HASH"), kel("sk", "RANGE")},
		defs: []catalog.AttributeDefinition{adef("pk", "S"), adef("sk", "N"), adef("cat", "S"), adef("price", "N"),
			adef("seller", "S"), adef("region", "S"), adef("round", "S"), adef("seq", "N")},
		indexes: []catalog.Index{
			ixGSI("byCat", projKeys, "cat", "+price"),
			ixGSI("bySeller", projInclude("title"), "seller"),
			ixGSI("byPrice", projAll, "price"),
			{Name: "lsiSeller", Projection: projInclude("title"),
				KeySchema: []catalog.KeyElement{kel("pk", "HASH"), kel("seller", "RANGE")}},
			ixGSI("multi", projKeys, "seller", "region", "+round", "+seq"),
		},
	})
	return s, ctx
}

func ixPut(t testing.TB, s *Service, ctx context.Context, body string) {
	t.Helper()
	var in protocol.PutItemInput
	siDecode(t, body, &in)
	in.TableName = ptr("shop")
	if _, err := s.PutItem(ctx, &in); err != nil {
		t.Fatalf("PutItem %s: %v", body, err)
	}
}

func ixQuery(t testing.TB, s *Service, ctx context.Context, body string) (*protocol.QueryOutput, error) {
	t.Helper()
	var in protocol.QueryInput
	siDecode(t, body, &in)
	if in.TableName == nil {
		in.TableName = ptr("shop")
	}
	return s.Query(ctx, &in)
}

// itemNames renders each item's sorted attribute names, "|"-separated.
func itemNames(items []attr.Item) string {
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

func ixLoadShop(t testing.TB, s *Service, ctx context.Context) {
	t.Helper()
	ixPut(t, s, ctx, `{"Item":{"pk":{"S":"a"},"sk":{"N":"1"},"cat":{"S":"book"},"price":{"N":"12"},"seller":{"S":"s1"},"title":{"S":"T1"},"extra":{"S":"x"}}}`)
	ixPut(t, s, ctx, `{"Item":{"pk":{"S":"a"},"sk":{"N":"2"},"cat":{"S":"book"},"price":{"N":"5"},"seller":{"S":"s2"},"title":{"S":"T2"}}}`)
	ixPut(t, s, ctx, `{"Item":{"pk":{"S":"b"},"sk":{"N":"1"},"cat":{"S":"book"},"price":{"N":"7.5"},"title":{"S":"T3"}}}`)
	ixPut(t, s, ctx, `{"Item":{"pk":{"S":"b"},"sk":{"N":"2"},"seller":{"S":"s1"},"extra":{"S":"y"}}}`)
	ixPut(t, s, ctx, `{"Item":{"pk":{"S":"c"},"sk":{"N":"1"}}}`)
}

func TestIndexQueryReturnsProjectedItemsInIndexOrder(t *testing.T) {
	s, ctx := ixShop(t)
	ixLoadShop(t, s, ctx)
	tests := []struct {
		name, body, wantNames, wantKeys string
	}{
		{"KEYS_ONLY holds the table and index keys, sorted by the index sort key",
			`{"IndexName":"byCat","KeyConditionExpression":"cat = :c","ExpressionAttributeValues":{":c":{"S":"book"}}}`,
			"cat,pk,price,sk|cat,pk,price,sk|cat,pk,price,sk", "a/2 b/1 a/1"},
		{"INCLUDE adds the listed attributes that the item has",
			`{"IndexName":"bySeller","KeyConditionExpression":"seller = :s","ExpressionAttributeValues":{":s":{"S":"s1"}}}`,
			"pk,seller,sk,title|pk,seller,sk", ""},
		{"ALL holds whole items",
			`{"IndexName":"byPrice","KeyConditionExpression":"price = :p","ExpressionAttributeValues":{":p":{"N":"12"}}}`,
			"cat,extra,pk,price,seller,sk,title", "a/1"},
		{"descending order",
			`{"IndexName":"byCat","KeyConditionExpression":"cat = :c AND price > :p","ScanIndexForward":false,"ExpressionAttributeValues":{":c":{"S":"book"},":p":{"N":"6"}}}`,
			"", "a/1 b/1"},
		{"an LSI shares the table partition",
			`{"IndexName":"lsiSeller","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}}}`,
			"pk,seller,sk,title|pk,seller,sk,title", "a/1 a/2"},
		{"an LSI fetches the attributes it does not project",
			`{"IndexName":"lsiSeller","KeyConditionExpression":"pk = :p AND seller = :s","ProjectionExpression":"extra, title","ExpressionAttributeValues":{":p":{"S":"b"},":s":{"S":"s1"}}}`,
			"extra", ""},
		{"an LSI with Select ALL_ATTRIBUTES returns whole items",
			`{"IndexName":"lsiSeller","Select":"ALL_ATTRIBUTES","KeyConditionExpression":"pk = :p AND seller = :s","ExpressionAttributeValues":{":p":{"S":"a"},":s":{"S":"s1"}}}`,
			"cat,extra,pk,price,seller,sk,title", "a/1"},
		{"a filter on a projected attribute",
			`{"IndexName":"bySeller","KeyConditionExpression":"seller = :s","FilterExpression":"attribute_exists(title)","ExpressionAttributeValues":{":s":{"S":"s1"}}}`,
			"pk,seller,sk,title", "a/1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := ixQuery(t, s, ctx, tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantNames != "" {
				if got := itemNames(out.Items); got != tt.wantNames {
					t.Fatalf("attributes %s, want %s", got, tt.wantNames)
				}
			}
			if tt.wantKeys != "" {
				var keys []string
				for _, it := range out.Items {
					keys = append(keys, it["pk"].Str+"/"+it["sk"].Str)
				}
				if got := strings.Join(keys, " "); got != tt.wantKeys {
					t.Fatalf("keys %s, want %s", got, tt.wantKeys)
				}
			}
		})
	}
}

func TestIndexPagingCarriesTableAndIndexKeys(t *testing.T) {
	s, ctx := ixShop(t)
	for i := 0; i < 25; i++ {
		ixPut(t, s, ctx, fmt.Sprintf(`{"Item":{"pk":{"S":"p%d"},"sk":{"N":"%d"},"cat":{"S":"c"},"price":{"N":"%d"}}}`, i%4, i, i%3))
	}
	for _, index := range []string{"byCat", "byPrice"} {
		t.Run("Query and Scan of "+index+" page through every entry once", func(t *testing.T) {
			for _, op := range []string{"Query", "Scan"} {
				seen := map[string]bool{}
				var esk attr.Item
				pages := 0
				for {
					var items []attr.Item
					var last attr.Item
					if op == "Query" {
						body := `{"IndexName":"` + index + `","KeyConditionExpression":"cat = :c","ExpressionAttributeValues":{":c":{"S":"c"}},"Limit":4}`
						if index == "byPrice" {
							body = `{"IndexName":"byPrice","KeyConditionExpression":"price = :p","ExpressionAttributeValues":{":p":{"N":"1"}},"Limit":4}`
						}
						var in protocol.QueryInput
						siDecode(t, body, &in)
						in.TableName, in.ExclusiveStartKey = ptr("shop"), esk
						out, err := s.Query(ctx, &in)
						if err != nil {
							t.Fatal(err)
						}
						items, last = out.Items, out.LastEvaluatedKey
					} else {
						in := protocol.ScanInput{TableName: ptr("shop"), IndexName: ptr(index), Limit: ptr(int32(4)), ExclusiveStartKey: esk}
						out, err := s.Scan(ctx, &in)
						if err != nil {
							t.Fatal(err)
						}
						items, last = out.Items, out.LastEvaluatedKey
					}
					pages++
					for _, it := range items {
						k := it["pk"].Str + "/" + it["sk"].Str
						if seen[k] {
							t.Fatalf("%s: %s twice", op, k)
						}
						seen[k] = true
					}
					if last == nil {
						break
					}
					wantKeys := "cat,pk,price,sk"
					if index == "byPrice" {
						wantKeys = "pk,price,sk"
					}
					if got := itemNames([]attr.Item{last}); got != wantKeys {
						t.Fatalf("LastEvaluatedKey %v, want the attributes %s", last, wantKeys)
					}
					esk = last
				}
				want := 25
				if op == "Query" && index == "byPrice" {
					want = 8 // price 1: i = 1, 4, ..., 22
				}
				if len(seen) != want || pages < 2 {
					t.Fatalf("%s read %d items in %d pages, want %d", op, len(seen), pages, want)
				}
			}
		})
	}
	t.Run("a parallel scan of an index covers it exactly", func(t *testing.T) {
		total := 0
		for seg := int32(0); seg < 3; seg++ {
			out, err := s.Scan(ctx, &protocol.ScanInput{TableName: ptr("shop"), IndexName: ptr("byCat"), Segment: ptr(seg), TotalSegments: ptr(int32(3))})
			if err != nil {
				t.Fatal(err)
			}
			total += len(out.Items)
		}
		if total != 25 {
			t.Fatalf("%d entries", total)
		}
	})
}

func TestIndexReadErrors(t *testing.T) {
	s, ctx := ixShop(t)
	ixLoadShop(t, s, ctx)
	const inv = "One or more parameter values were invalid: "
	tests := []struct {
		name, body, msg string
	}{
		{"an unknown index", `{"IndexName":"nope","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}}}`,
			"The table does not have the specified index: nope"},
		{"a consistent read of a GSI", `{"IndexName":"byCat","ConsistentRead":true,"KeyConditionExpression":"cat = :c","ExpressionAttributeValues":{":c":{"S":"x"}}}`,
			"Consistent reads are not supported on global secondary indexes"},
		{"ALL_ATTRIBUTES from a KEYS_ONLY GSI", `{"IndexName":"byCat","Select":"ALL_ATTRIBUTES","KeyConditionExpression":"cat = :c","ExpressionAttributeValues":{":c":{"S":"x"}}}`,
			inv + "Select type ALL_ATTRIBUTES is not supported for global secondary index byCat because its projection type is not ALL"},
		{"projecting what a GSI does not hold", `{"IndexName":"bySeller","ProjectionExpression":"title, extra.x, zz","KeyConditionExpression":"seller = :s","ExpressionAttributeValues":{":s":{"S":"x"}}}`,
			inv + "Global secondary index bySeller does not project [extra, zz]"},
		{"the table's partition key in a GSI key condition", `{"IndexName":"byCat","KeyConditionExpression":"cat = :c AND pk = :p","ExpressionAttributeValues":{":c":{"S":"x"},":p":{"S":"a"}}}`,
			"Query key condition not supported"},
		{"a GSI queried by the table key", `{"IndexName":"byCat","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}}}`,
			"Query condition missed key schema element"},
		{"a filter on the index sort key", `{"IndexName":"byCat","KeyConditionExpression":"cat = :c","FilterExpression":"price > :p","ExpressionAttributeValues":{":c":{"S":"x"},":p":{"N":"1"}}}`,
			"Filter Expression can only contain non-primary key attributes: Primary key attribute: price"},
		{"a start key without the index keys", `{"IndexName":"byCat","KeyConditionExpression":"cat = :c","ExpressionAttributeValues":{":c":{"S":"book"}},"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"N":"1"}}}`,
			"The provided starting key is invalid"},
		{"a start key without the table keys", `{"IndexName":"byCat","KeyConditionExpression":"cat = :c","ExpressionAttributeValues":{":c":{"S":"book"}},"ExclusiveStartKey":{"cat":{"S":"book"},"price":{"N":"1"}}}`,
			"Exclusive Start Key must have same size as table's key schema"},
		{"a start key in another index partition", `{"IndexName":"byCat","KeyConditionExpression":"cat = :c","ExpressionAttributeValues":{":c":{"S":"book"}},"ExclusiveStartKey":{"pk":{"S":"a"},"sk":{"N":"1"},"cat":{"S":"toy"},"price":{"N":"1"}}}`,
			"The provided starting key does not match the range key predicate"},
		{"a multi-attribute key missing a partition attribute", `{"IndexName":"multi","KeyConditionExpression":"seller = :s","ExpressionAttributeValues":{":s":{"S":"x"}}}`,
			"Query condition missed key schema element"},
		{"a multi-attribute key skipping the first sort attribute", `{"IndexName":"multi","KeyConditionExpression":"seller = :s AND #r = :r AND seq = :n","ExpressionAttributeNames":{"#r":"region"},"ExpressionAttributeValues":{":s":{"S":"x"},":r":{"S":"x"},":n":{"N":"1"}}}`,
			"Query key condition not supported"},
		{"a multi-attribute key with a condition after an inequality", `{"IndexName":"multi","KeyConditionExpression":"seller = :s AND #r = :r AND round > :o AND seq = :n","ExpressionAttributeNames":{"#r":"region"},"ExpressionAttributeValues":{":s":{"S":"x"},":r":{"S":"x"},":o":{"S":"a"},":n":{"N":"1"}}}`,
			"Query key condition not supported"},
		{"an inequality on a partition attribute", `{"IndexName":"multi","KeyConditionExpression":"seller = :s AND #r > :r","ExpressionAttributeNames":{"#r":"region"},"ExpressionAttributeValues":{":s":{"S":"x"},":r":{"S":"x"}}}`,
			"Query key condition not supported"},
		{"an empty value for a partition attribute", `{"IndexName":"multi","KeyConditionExpression":"seller = :s AND #r = :r","ExpressionAttributeNames":{"#r":"region"},"ExpressionAttributeValues":{":s":{"S":"x"},":r":{"S":""}}}`,
			"One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: region"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ixQuery(t, s, ctx, tt.body)
			siWantErr(t, err, "ValidationException", tt.msg)
		})
	}
	t.Run("Scan applies the same index rules", func(t *testing.T) {
		_, err := s.Scan(ctx, &protocol.ScanInput{TableName: ptr("shop"), IndexName: ptr("byCat"), ConsistentRead: ptr(true)})
		siWantErr(t, err, "ValidationException", "Consistent reads are not supported on global secondary indexes")
		_, err = s.Scan(ctx, &protocol.ScanInput{TableName: ptr("shop"), IndexName: ptr("zzz")})
		siWantErr(t, err, "ValidationException", "The table does not have the specified index: zzz")
	})
	t.Run("an LSI allows consistent reads", func(t *testing.T) {
		if _, err := ixQuery(t, s, ctx, `{"IndexName":"lsiSeller","ConsistentRead":true,"KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}}}`); err != nil {
			t.Fatal(err)
		}
	})
}

func TestIndexWritesAreValidated(t *testing.T) {
	s, ctx := ixShop(t)
	put := func(body string) error {
		var in protocol.PutItemInput
		siDecode(t, body, &in)
		in.TableName = ptr("shop")
		_, err := s.PutItem(ctx, &in)
		return err
	}
	err := put(`{"Item":{"pk":{"S":"a"},"sk":{"N":"1"},"price":{"S":"cheap"}},"ConditionExpression":"attribute_exists(nope)"}`)
	siWantErr(t, err, "ValidationException", "One or more parameter values were invalid: Type mismatch for Index Key price Expected: N Actual: S IndexName: byCat")
	err = put(`{"Item":{"pk":{"S":"a"},"sk":{"N":"1"},"cat":{"S":""}}}`)
	siWantErr(t, err, "ValidationException", "One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: byCat, IndexKey: cat")

	var up protocol.UpdateItemInput
	siDecode(t, `{"TableName":"shop","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":"SET cat = :e","ExpressionAttributeValues":{":e":{"S":""}}}`, &up)
	_, err = s.UpdateItem(ctx, &up)
	siWantErr(t, err, "ValidationException", "One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty string value.")

	t.Run("a BatchWriteItem put is refused by the write path", func(t *testing.T) {
		var in protocol.BatchWriteItemInput
		siDecode(t, `{"RequestItems":{"shop":[{"PutRequest":{"Item":{"pk":{"S":"z"},"sk":{"N":"1"},"seller":{"N":"1"}}}}]}}`, &in)
		_, err := s.BatchWriteItem(ctx, &in)
		siWantErr(t, err, "ValidationException", "One or more parameter values were invalid: Type mismatch for Index Key seller Expected: S Actual: N IndexName: bySeller")
	})
}

func TestIndexWriteCapacityAndCollectionMetrics(t *testing.T) {
	s, ctx := ixShop(t)
	var in protocol.PutItemInput
	siDecode(t, `{"TableName":"shop","ReturnConsumedCapacity":"INDEXES","ReturnItemCollectionMetrics":"SIZE","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"cat":{"S":"c"},"price":{"N":"1"},"seller":{"S":"s"}}}`, &in)
	out, err := s.PutItem(ctx, &in)
	if err != nil {
		t.Fatal(err)
	}
	got := siJSON(t, out)
	want := `{"ConsumedCapacity":{"TableName":"shop","CapacityUnits":5,"Table":{"CapacityUnits":1},"LocalSecondaryIndexes":{"lsiSeller":{"CapacityUnits":1}},"GlobalSecondaryIndexes":{"byCat":{"CapacityUnits":1},"byPrice":{"CapacityUnits":1},"bySeller":{"CapacityUnits":1}}},"ItemCollectionMetrics":{"ItemCollectionKey":{"pk":{"S":"a"}},"SizeEstimateRangeGB":[0,1]}}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	t.Run("a write that leaves the index entries alone costs the indexes nothing", func(t *testing.T) {
		var up protocol.UpdateItemInput
		siDecode(t, `{"TableName":"shop","ReturnConsumedCapacity":"TOTAL","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"UpdateExpression":"SET misc = :o","ExpressionAttributeValues":{":o":{"S":"x"}}}`, &up)
		out, err := s.UpdateItem(ctx, &up)
		if err != nil {
			t.Fatal(err)
		}
		// Table 1 + byPrice (ALL projects the new attribute) 1.
		if *out.ConsumedCapacity.CapacityUnits != 2 {
			t.Fatalf("units %v", *out.ConsumedCapacity.CapacityUnits)
		}
	})
	t.Run("a GSI query is charged to the index", func(t *testing.T) {
		out, err := ixQuery(t, s, ctx, `{"IndexName":"byCat","ReturnConsumedCapacity":"INDEXES","KeyConditionExpression":"cat = :c","ExpressionAttributeValues":{":c":{"S":"c"}}}`)
		if err != nil {
			t.Fatal(err)
		}
		if got := siJSON(t, out.ConsumedCapacity); got != `{"TableName":"shop","CapacityUnits":0.5,"Table":{"CapacityUnits":0},"GlobalSecondaryIndexes":{"byCat":{"CapacityUnits":0.5}}}` {
			t.Fatalf("capacity %s", got)
		}
	})
}

// TestMultiAttributeQueryOrder is the test vector of
// multi-attribute-keys.md §6 (the tournament example of the AWS pattern
// page): results ordered by (round, bracket, matchId) as a tuple, and the
// Step 4 counts.
func TestMultiAttributeQueryOrder(t *testing.T) {
	s, _, ctx := ixService(t, ixTable{
		name: "matches",
		keys: []catalog.KeyElement{kel("matchId", "HASH")},
		defs: []catalog.AttributeDefinition{adef("matchId", "S"), adef("tournamentId", "S"), adef("region", "S"),
			adef("round", "S"), adef("bracket", "S")},
		indexes: []catalog.Index{ixGSI("TournamentRegionIndex", projAll, "tournamentId", "region", "+round", "+bracket", "+matchId")},
	})
	rows := [][]string{
		{"match-001", "WINTER2024", "NA-EAST", "FINALS", "CHAMPIONSHIP"},
		{"match-002", "WINTER2024", "NA-EAST", "SEMIFINALS", "UPPER"},
		{"match-003", "WINTER2024", "NA-EAST", "SEMIFINALS", "UPPER"},
		{"match-004", "WINTER2024", "NA-EAST", "QUARTERFINALS", "UPPER"},
		{"match-005", "WINTER2024", "NA-WEST", "FINALS", "CHAMPIONSHIP"},
		{"match-006", "WINTER2024", "NA-WEST", "SEMIFINALS", "UPPER"},
		{"match-007", "SPRING2024", "NA-EAST", "QUARTERFINALS", "UPPER"},
		{"match-008", "SPRING2024", "NA-EAST", "QUARTERFINALS", "LOWER"},
	}
	for _, r := range rows {
		var in protocol.PutItemInput
		siDecode(t, fmt.Sprintf(`{"TableName":"matches","Item":{"matchId":{"S":%q},"tournamentId":{"S":%q},"region":{"S":%q},"round":{"S":%q},"bracket":{"S":%q}}}`,
			r[0], r[1], r[2], r[3], r[4]), &in)
		if _, err := s.PutItem(ctx, &in); err != nil {
			t.Fatal(err)
		}
	}
	q := func(cond, vals string, forward bool) []string {
		t.Helper()
		var in protocol.QueryInput
		siDecode(t, `{"TableName":"matches","IndexName":"TournamentRegionIndex","KeyConditionExpression":"tournamentId = :t AND #region = :r`+cond+
			`","ExpressionAttributeNames":{"#region":"region"},"ExpressionAttributeValues":{":t":{"S":"WINTER2024"},":r":{"S":"NA-EAST"}`+vals+`}}`, &in)
		in.ScanIndexForward = &forward
		out, err := s.Query(ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, it := range out.Items {
			ids = append(ids, it["matchId"].Str)
		}
		return ids
	}
	if got := strings.Join(q("", "", true), " "); got != "match-001 match-004 match-002 match-003" {
		t.Fatalf("ascending %s", got)
	}
	if got := strings.Join(q("", "", false), " "); got != "match-003 match-002 match-004 match-001" {
		t.Fatalf("descending %s", got)
	}
	counts := []struct {
		cond, vals string
		want       int
	}{
		{" AND round = :rd", `,":rd":{"S":"SEMIFINALS"}`, 2},
		{" AND round = :rd AND bracket = :b", `,":rd":{"S":"SEMIFINALS"},":b":{"S":"UPPER"}`, 2},
		{" AND round = :rd AND bracket = :b AND matchId = :m", `,":rd":{"S":"SEMIFINALS"},":b":{"S":"UPPER"},":m":{"S":"match-002"}`, 1},
		{" AND round = :rd AND bracket = :b AND matchId > :m", `,":rd":{"S":"SEMIFINALS"},":b":{"S":"UPPER"},":m":{"S":"match-002"}`, 1},
		{" AND round BETWEEN :a AND :z", `,":a":{"S":"QUARTERFINALS"},":z":{"S":"SEMIFINALS"}`, 3},
		{" AND round = :rd AND begins_with(bracket, :b)", `,":rd":{"S":"SEMIFINALS"},":b":{"S":"U"}`, 2},
		{" AND round < :rd", `,":rd":{"S":"QUARTERFINALS"}`, 1},
		{" AND round <= :rd", `,":rd":{"S":"QUARTERFINALS"}`, 2},
	}
	for _, c := range counts {
		if got := q(c.cond, c.vals, true); len(got) != c.want {
			t.Fatalf("%s: %v, want %d items", c.cond, got, c.want)
		}
	}
}

// TestIndexesEqualRecomputationAfterRandomWorkload runs concurrent puts,
// updates, deletes and batch writes through the Service on a table with a
// GSI per projection type (and an LSI), then checks that reading each index
// (Scan with IndexName) gives exactly what a recomputation from the table
// (Scan) says it must hold.
func TestIndexesEqualRecomputationAfterRandomWorkload(t *testing.T) {
	s, cat, ctx := ixService(t, ixTable{
		name: "w",
		keys: []catalog.KeyElement{kel("pk", "HASH"), kel("sk", "RANGE")},
		defs: []catalog.AttributeDefinition{adef("pk", "S"), adef("sk", "N"), adef("g", "S"), adef("h", "N")},
		indexes: []catalog.Index{
			ixGSI("keys", projKeys, "g", "+h"),
			ixGSI("inc", projInclude("a", "c"), "g"),
			ixGSI("all", projAll, "h", "+g"),
			{Name: "lsi", Projection: projInclude("b"), KeySchema: []catalog.KeyElement{kel("pk", "HASH"), kel("h", "RANGE")}},
		},
	})
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, 11))
			for j := 0; j < 400; j++ {
				pk, sk := fmt.Sprintf(`{"S":"p%d"}`, r.IntN(5)), fmt.Sprintf(`{"N":"%d"}`, r.IntN(60))
				key := `"pk":` + pk + `,"sk":` + sk
				var err error
				switch r.IntN(5) {
				case 0:
					var in protocol.DeleteItemInput
					siDecode(t, `{"TableName":"w","Key":{`+key+`}}`, &in)
					_, err = s.DeleteItem(ctx, &in)
				case 1:
					var in protocol.UpdateItemInput
					siDecode(t, fmt.Sprintf(`{"TableName":"w","Key":{%s},"UpdateExpression":"SET g = :g, a = :a REMOVE c","ExpressionAttributeValues":{":g":{"S":"g%d"},":a":{"N":"%d"}}}`,
						key, r.IntN(4), r.IntN(9)), &in)
					_, err = s.UpdateItem(ctx, &in)
				case 2:
					var in protocol.UpdateItemInput
					siDecode(t, fmt.Sprintf(`{"TableName":"w","Key":{%s},"UpdateExpression":"SET h = :h, b = :b REMOVE g","ExpressionAttributeValues":{":h":{"N":"%d"},":b":{"S":"x"}}}`,
						key, r.IntN(7)), &in)
					_, err = s.UpdateItem(ctx, &in)
				case 3:
					var in protocol.BatchWriteItemInput
					siDecode(t, fmt.Sprintf(`{"RequestItems":{"w":[{"PutRequest":{"Item":{%s,"g":{"S":"g%d"},"c":{"S":"c"}}}},{"DeleteRequest":{"Key":{"pk":%s,"sk":{"N":"%d"}}}}]}}`,
						key, r.IntN(4), pk, 100+r.IntN(5)), &in)
					_, err = s.BatchWriteItem(ctx, &in)
				default:
					var in protocol.PutItemInput
					siDecode(t, fmt.Sprintf(`{"TableName":"w","Item":{%s,"g":{"S":"g%d"},"h":{"N":"%d"},"a":{"N":"1"},"b":{"S":"b"},"c":{"S":"c"},"d":{"S":"d"}}}`,
						key, r.IntN(4), r.IntN(7)), &in)
					_, err = s.PutItem(ctx, &in)
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		}(uint64(w))
	}
	wg.Wait()
	tab, err := cat.Get("test", "w")
	if err != nil {
		t.Fatal(err)
	}
	table := scanAll(t, s, ctx, nil)
	for i := range tab.Indexes {
		ix := &tab.Indexes[i]
		t.Run(ix.Name+" ("+ix.Projection.Type+")", func(t *testing.T) {
			want := map[string]string{}
			for _, it := range table {
				proj, ok := recompute(ix, it)
				if ok {
					want[it["pk"].Str+"/"+it["sk"].Str] = siJSON(t, proj)
				}
			}
			got := map[string]string{}
			for _, it := range scanAll(t, s, ctx, &ix.Name) {
				k := it["pk"].Str + "/" + it["sk"].Str
				if _, dup := got[k]; dup {
					t.Fatalf("%s twice", k)
				}
				got[k] = siJSON(t, it)
			}
			if len(got) != len(want) || len(want) == 0 {
				t.Fatalf("%d entries, want %d", len(got), len(want))
			}
			for k, w := range want {
				if got[k] != w {
					t.Fatalf("%s: %s, want %s", k, got[k], w)
				}
			}
		})
	}
}

// recompute is what index ix must hold for item, computed from the
// DynamoDB rules alone (sparse keys, projection types).
func recompute(ix *catalog.Index, item attr.Item) (attr.Item, bool) {
	for _, parts := range [2][]catalog.KeyAttr{ix.HashKeys(), ix.RangeKeys()} {
		for _, k := range parts {
			if _, ok := item[k.Name]; !ok {
				return nil, false
			}
		}
	}
	out := attr.Item{}
	for n, v := range item {
		keep := ix.Projection.Type == catalog.ProjectionAll || n == "pk" || n == "sk" || ix.IsKey(n)
		for _, a := range ix.Projection.NonKeyAttributes {
			keep = keep || a == n
		}
		if keep {
			out[n] = v
		}
	}
	return out, true
}

// scanAll reads a whole table (index nil) or index with Scan, page by page.
func scanAll(t *testing.T, s *Service, ctx context.Context, index *string) []attr.Item {
	t.Helper()
	var out []attr.Item
	var esk attr.Item
	for {
		res, err := s.Scan(ctx, &protocol.ScanInput{TableName: ptr("w"), IndexName: index, ExclusiveStartKey: esk, Limit: ptr(int32(37))})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, res.Items...)
		if res.LastEvaluatedKey == nil {
			return out
		}
		esk = res.LastEvaluatedKey
	}
}

// Scenarios of benchPutWithIndexes.
const (
	benchInsert = "insert" // every put inserts a new item: each index gains an entry
	benchSame   = "same"   // puts replace items with identical ones: no index changes
	benchMove   = "move"   // puts replace items whose GSI keys changed: every entry moves
)

// benchPutWithIndexes measures PutItem on table name in one scenario. The
// replacing scenarios cycle over 4096 keys (like BenchmarkPutItem); in
// "move" the GSI key values differ on every pass, so every put deletes and
// writes each index entry (the worst case).
func benchPutWithIndexes(b *testing.B, name, scenario string, tables ...ixTable) {
	s, _, ctx := ixService(b, tables...)
	const keys = 4096
	ins := make([]protocol.PutItemInput, 2*keys)
	for i := range ins {
		v := i
		if scenario == benchSame {
			v = i % keys
		}
		siDecode(b, `{"TableName":"`+name+`","Item":{"pk":{"S":"k`+strconv.Itoa(i%keys)+`"},"n":{"N":"1"},"g1":{"S":"a`+strconv.Itoa(v)+`"},"g2":{"S":"b`+strconv.Itoa(v/7)+`"},`+benchPayload+`}}`, &ins[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime(b)
	defer reportCPU(b, start)
	for i := 0; i < b.N; i++ {
		in := &ins[i%len(ins)]
		if scenario == benchInsert {
			in.Item["pk"] = attr.Str("k" + strconv.Itoa(i))
		}
		if _, err := s.PutItem(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
}

func benchTable(name string, ixs ...catalog.Index) ixTable {
	t := ixTable{name: name, keys: []catalog.KeyElement{kel("pk", "HASH")}, defs: []catalog.AttributeDefinition{adef("pk", "S")}, indexes: ixs}
	if len(ixs) > 0 {
		t.defs = append(t.defs, adef("g1", "S"), adef("g2", "S"))
	}
	return t
}

// BenchmarkPutItemIndexes compares PutItem without indexes and with two
// GSIs (the #4 target: at most 1.6x), in each scenario.
func BenchmarkPutItemIndexes(b *testing.B) {
	for _, sc := range []string{benchInsert, benchSame, benchMove} {
		b.Run(sc+"/none", func(b *testing.B) { benchPutWithIndexes(b, "plain", sc, benchTable("plain")) })
		b.Run(sc+"/2gsi-keys-only", func(b *testing.B) {
			benchPutWithIndexes(b, "two", sc, benchTable("two", ixGSI("i1", projKeys, "g1"), ixGSI("i2", projKeys, "g2")))
		})
		b.Run(sc+"/2gsi-keys-only+all", func(b *testing.B) {
			benchPutWithIndexes(b, "two", sc, benchTable("two", ixGSI("i1", projKeys, "g1"), ixGSI("i2", projAll, "g2")))
		})
	}
}
