package items

import (
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/petreldb/petrel/internal/protocol"
)

// The benchmarks measure one operation through the Service on the in-memory
// engine, from a decoded request to the output struct (JSON decoding and
// encoding are httpapi's and not included). Items are ~256 bytes, like the
// shared ddbbench workload.

// cpuTime is the process's user+system CPU time so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds a cpu-ns/op metric: the engine's commit pipeline hands work
// between goroutines, so wall time per op overstates the CPU an operation
// costs, which is what the performance targets are about.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/op")
}

const benchPayload = `"d":{"S":"` + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" + `"}`

func BenchmarkPutItem(b *testing.B) {
	s, ctx := siService(b)
	ins := make([]protocol.PutItemInput, 1024)
	for i := range ins {
		siDecode(b, `{"TableName":"hash","Item":{"pk":{"S":"k`+strconv.Itoa(i)+`"},"n":{"N":"1"},`+benchPayload+`}}`, &ins[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime(b)
	defer reportCPU(b, start)
	for i := 0; i < b.N; i++ {
		if _, err := s.PutItem(ctx, &ins[i%len(ins)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetItem(b *testing.B) {
	s, ctx := siService(b)
	ins := make([]protocol.GetItemInput, 1024)
	for i := range ins {
		var p protocol.PutItemInput
		siDecode(b, `{"TableName":"hash","Item":{"pk":{"S":"k`+strconv.Itoa(i)+`"},"n":{"N":"1"},`+benchPayload+`}}`, &p)
		if _, err := s.PutItem(ctx, &p); err != nil {
			b.Fatal(err)
		}
		siDecode(b, `{"TableName":"hash","Key":{"pk":{"S":"k`+strconv.Itoa(i)+`"}}}`, &ins[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime(b)
	defer reportCPU(b, start)
	for i := 0; i < b.N; i++ {
		out, err := s.GetItem(ctx, &ins[i%len(ins)])
		if err != nil || out.Item == nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUpdateItemConditional(b *testing.B) {
	s, ctx := siService(b)
	ins := make([]protocol.UpdateItemInput, 1024)
	for i := range ins {
		var p protocol.PutItemInput
		siDecode(b, `{"TableName":"hash","Item":{"pk":{"S":"k`+strconv.Itoa(i)+`"},"n":{"N":"1"},`+benchPayload+`}}`, &p)
		if _, err := s.PutItem(ctx, &p); err != nil {
			b.Fatal(err)
		}
		siDecode(b, `{"TableName":"hash","Key":{"pk":{"S":"k`+strconv.Itoa(i)+`"}},"UpdateExpression":"ADD #c :one","ConditionExpression":"attribute_exists(pk) AND #c < :max","ExpressionAttributeNames":{"#c":"n"},"ExpressionAttributeValues":{":one":{"N":"1"},":max":{"N":"1000000000"}}}`, &ins[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime(b)
	defer reportCPU(b, start)
	for i := 0; i < b.N; i++ {
		if _, err := s.UpdateItem(ctx, &ins[i%len(ins)]); err != nil {
			b.Fatal(err)
		}
	}
}

// The benchmarks below repeat one expression text with the same placeholder
// names and changing values, like the shared load, so they show the cost of
// preparing the expressions (see expr.Cache).

func BenchmarkUpdateItemSetConditional(b *testing.B) {
	s, ctx := siService(b)
	ins := make([]protocol.UpdateItemInput, 1024)
	for i := range ins {
		var p protocol.PutItemInput
		siDecode(b, `{"TableName":"hash","Item":{"pk":{"S":"k`+strconv.Itoa(i)+`"},"n":{"N":"1"},`+benchPayload+`}}`, &p)
		if _, err := s.PutItem(ctx, &p); err != nil {
			b.Fatal(err)
		}
		siDecode(b, `{"TableName":"hash","Key":{"pk":{"S":"k`+strconv.Itoa(i)+`"}},"UpdateExpression":"SET #v = :v, #n = #n + :one","ConditionExpression":"attribute_exists(pk) AND #n < :max","ExpressionAttributeNames":{"#v":"v","#n":"n"},"ExpressionAttributeValues":{":v":{"S":"value-`+strconv.Itoa(i)+`"},":one":{"N":"1"},":max":{"N":"1000000000"}}}`, &ins[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime(b)
	defer reportCPU(b, start)
	for i := 0; i < b.N; i++ {
		if _, err := s.UpdateItem(ctx, &ins[i%len(ins)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPutItemConditional(b *testing.B) {
	s, ctx := siService(b)
	ins := make([]protocol.PutItemInput, 1024)
	for i := range ins {
		siDecode(b, `{"TableName":"hash","Item":{"pk":{"S":"k`+strconv.Itoa(i)+`"},"n":{"N":"1"},`+benchPayload+`},"ConditionExpression":"attribute_not_exists(pk) OR #n < :max","ExpressionAttributeNames":{"#n":"n"},"ExpressionAttributeValues":{":max":{"N":"1000000000"}}}`, &ins[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime(b)
	defer reportCPU(b, start)
	for i := 0; i < b.N; i++ {
		if _, err := s.PutItem(ctx, &ins[i%len(ins)]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetItemProjection(b *testing.B) {
	s, ctx := siService(b)
	ins := make([]protocol.GetItemInput, 1024)
	for i := range ins {
		var p protocol.PutItemInput
		siDecode(b, `{"TableName":"hash","Item":{"pk":{"S":"k`+strconv.Itoa(i)+`"},"n":{"N":"1"},`+benchPayload+`}}`, &p)
		if _, err := s.PutItem(ctx, &p); err != nil {
			b.Fatal(err)
		}
		siDecode(b, `{"TableName":"hash","Key":{"pk":{"S":"k`+strconv.Itoa(i)+`"}},"ProjectionExpression":"pk, #n, d","ExpressionAttributeNames":{"#n":"n"}}`, &ins[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime(b)
	defer reportCPU(b, start)
	for i := 0; i < b.N; i++ {
		out, err := s.GetItem(ctx, &ins[i%len(ins)])
		if err != nil || out.Item == nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkQueryExpressions(b *testing.B) {
	s, ctx := siService(b)
	for i := 0; i < 8; i++ {
		var p protocol.PutItemInput
		siDecode(b, `{"TableName":"comp","Item":{"pk":{"S":"p"},"sk":{"N":"`+strconv.Itoa(i)+`"},"n":{"N":"`+strconv.Itoa(i)+`"},`+benchPayload+`}}`, &p)
		if _, err := s.PutItem(ctx, &p); err != nil {
			b.Fatal(err)
		}
	}
	ins := make([]protocol.QueryInput, 64)
	for i := range ins {
		siDecode(b, `{"TableName":"comp","KeyConditionExpression":"pk = :p AND sk BETWEEN :lo AND :hi","FilterExpression":"#n >= :min","ProjectionExpression":"pk, sk, #n","ExpressionAttributeNames":{"#n":"n"},"ExpressionAttributeValues":{":p":{"S":"p"},":lo":{"N":"1"},":hi":{"N":"6"},":min":{"N":"`+strconv.Itoa(i%4)+`"}}}`, &ins[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime(b)
	defer reportCPU(b, start)
	for i := 0; i < b.N; i++ {
		if _, err := s.Query(ctx, &ins[i%len(ins)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrepare measures only the prepare step (validation and
// expression parsing, no storage) of the requests above.
func BenchmarkPrepare(b *testing.B) {
	s, ctx := siService(b)
	var upd protocol.UpdateItemInput
	siDecode(b, `{"TableName":"hash","Key":{"pk":{"S":"k"}},"UpdateExpression":"SET #v = :v, #n = #n + :one","ConditionExpression":"attribute_exists(pk) AND #n < :max","ExpressionAttributeNames":{"#v":"v","#n":"n"},"ExpressionAttributeValues":{":v":{"S":"value"},":one":{"N":"1"},":max":{"N":"1000000000"}}}`, &upd)
	var put protocol.PutItemInput
	siDecode(b, `{"TableName":"hash","Item":{"pk":{"S":"k"},"n":{"N":"1"},`+benchPayload+`},"ConditionExpression":"attribute_not_exists(pk) OR #n < :max","ExpressionAttributeNames":{"#n":"n"},"ExpressionAttributeValues":{":max":{"N":"1000000000"}}}`, &put)
	var get protocol.GetItemInput
	siDecode(b, `{"TableName":"hash","Key":{"pk":{"S":"k"}},"ProjectionExpression":"pk, #n, d","ExpressionAttributeNames":{"#n":"n"}}`, &get)
	var query protocol.QueryInput
	siDecode(b, `{"TableName":"comp","KeyConditionExpression":"pk = :p AND sk BETWEEN :lo AND :hi","FilterExpression":"#n >= :min","ProjectionExpression":"pk, sk, #n","ExpressionAttributeNames":{"#n":"n"},"ExpressionAttributeValues":{":p":{"S":"p"},":lo":{"N":"1"},":hi":{"N":"6"},":min":{"N":"2"}}}`, &query)
	b.Run("UpdateItem", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, _, _, err := s.prepareUpdate(ctx, &upd); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("PutItem", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, _, err := s.preparePut(ctx, &put); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("GetItem", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, _, _, err := s.prepareGet(ctx, &get); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Query", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := s.prepareQuery(ctx, &query); err != nil {
				b.Fatal(err)
			}
		}
	})
}
