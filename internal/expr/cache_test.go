package expr

import (
	"bufio"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/petreldb/petrel/internal/attr"
)

// cacheKinds maps the golden files' kinds to the cache's.
var cacheKinds = map[string]exprKind{
	"condition": kindCondition, "filter": kindFilter, "update": kindUpdate,
	"projection": kindProjection, "keycondition": kindKeyCondition,
}

var testSchema = KeySchema{Partition: "pk", PartitionType: attr.S, Sort: "sk", SortType: attr.N}

// parseWith parses input as kind through c (nil: afresh).
func parseWith(c *Cache, kind, input string, ph *Placeholders) (any, error) {
	switch kind {
	case "condition":
		return c.ParseCondition(input, ph)
	case "filter":
		return c.ParseFilter(input, ph)
	case "update":
		return c.ParseUpdate(input, ph)
	case "projection":
		return c.ParseProjection(input, ph)
	case "keycondition":
		return c.ParseKeyCondition(input, ph, testSchema)
	}
	panic("unknown kind " + kind)
}

// outcome is everything a parse gives its caller: the expression (nil on
// error), the error, and what CheckUnused then reports (which shows the
// placeholders the parse recorded as used and any deferred type error).
type outcome struct {
	expr   any
	err    error
	unused error
}

func (o outcome) String() string {
	return fmt.Sprintf("expr=%v err=%v unused=%v", o.expr, o.err, o.unused)
}

func run1(c *Cache, kind, input string, ph *Placeholders, deferTypes bool) outcome {
	if deferTypes {
		ph.DeferTypeChecks()
	}
	e, err := parseWith(c, kind, input, ph)
	if err != nil {
		e = nil
	}
	return outcome{e, err, ph.CheckUnused()}
}

// sameOutcome fails unless the outcomes are identical: deep-equal trees
// (values, paths, tokens), identical errors (type, code, message) and
// identical CheckUnused results.
func sameOutcome(t *testing.T, what string, got, want outcome) {
	t.Helper()
	if !reflect.DeepEqual(got.expr, want.expr) {
		t.Errorf("%s: expression differs from a fresh parse:\n got: %v\nwant: %v", what, got.expr, want.expr)
	}
	if !reflect.DeepEqual(got.err, want.err) {
		t.Errorf("%s: error differs from a fresh parse:\n got: %#v\nwant: %#v", what, got.err, want.err)
	}
	if !reflect.DeepEqual(got.unused, want.unused) {
		t.Errorf("%s: CheckUnused differs from a fresh parse:\n got: %#v\nwant: %#v", what, got.unused, want.unused)
	}
}

// TestCacheMatchesGolden runs every golden case through one shared cache
// three times (a miss that stores, then hits), with and without deferred
// type checks, and requires each outcome to equal a fresh parse's.
func TestCacheMatchesGolden(t *testing.T) {
	c := NewCache()
	// The second pass hits entries stored by the first, also for texts
	// whose first parses failed with a value type error.
	for pass := 0; pass < 2; pass++ {
		for _, file := range []string{"condition.golden", "update.golden", "projection.golden", "keycondition.golden"} {
			runGoldenCached(t, c, file)
		}
	}
}

func runGoldenCached(t *testing.T, c *Cache, file string) {
	{
		data, err := os.ReadFile("testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			kind, rest, ok := strings.Cut(line, ": ")
			if strings.HasPrefix(line, "#") || !ok {
				continue
			}
			input, _, _ := strings.Cut(rest, " ==> ")
			input = strings.ReplaceAll(input, `\n`, "\n")
			for _, deferTypes := range []bool{false, true} {
				fresh := run1(nil, kind, input, testPlaceholders(), deferTypes)
				for i := 0; i < 3; i++ {
					got := run1(c, kind, input, testPlaceholders(), deferTypes)
					sameOutcome(t, fmt.Sprintf("%s %q (defer %v, round %d)", kind, input, deferTypes, i), got, fresh)
				}
				hit := c.lookup(cacheKinds[kind], input, testPlaceholders()) != nil
				if fresh.err == nil && len(input) <= maxCachedText && !hit {
					t.Errorf("%s %q parsed but was not cached", kind, input)
				}
			}
		}
	}
}

// TestCacheBindings checks, request after request on one cache, that the
// same text with different placeholder maps gives what a fresh parse
// gives: other names, other values, undefined and unused placeholders,
// value type errors (immediate and deferred).
func TestCacheBindings(t *testing.T) {
	n := func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	s, num, boolean := attr.Str, attr.Num, attr.Boolean(true)
	tests := []struct {
		name       string
		kind, text string
		names      map[string]string
		values     attr.Item
		deferTypes bool
		want       string // the expression's rendering or the error message
	}{
		{"a first request stores the parse", "condition", "#a = :v AND #b < :n", n("#a", "x", "#b", "y"), attr.Item{":v": s("1"), ":n": num("2")}, false, "((x = :v) AND (y < :n))"},
		{"new values hit the entry", "condition", "#a = :v AND #b < :n", n("#a", "x", "#b", "y"), attr.Item{":v": s("9"), ":n": num("8")}, false, "((x = :v) AND (y < :n))"},
		{"other attribute names parse afresh", "condition", "#a = :v AND #b < :n", n("#a", "p", "#b", "q"), attr.Item{":v": s("1"), ":n": num("2")}, false, "((p = :v) AND (q < :n))"},
		{"the first names still hit", "condition", "#a = :v AND #b < :n", n("#a", "x", "#b", "y"), attr.Item{":v": s("1"), ":n": num("2")}, false, "((x = :v) AND (y < :n))"},
		{"a text comparing two names", "condition", "#a = :v AND #b < :n OR #a = #b", n("#a", "x", "#b", "y"), attr.Item{":v": s("1"), ":n": num("2")}, false, "(((x = :v) AND (y < :n)) OR (x = y))"},
		{"the same text with names that make the paths equal", "condition", "#a = :v AND #b < :n OR #a = #b", n("#a", "x", "#b", "x"), attr.Item{":v": s("1"), ":n": num("2")}, false, "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [x]"},
		{"an undefined name", "condition", "#a = :v AND #b < :n", n("#a", "x"), attr.Item{":v": s("1"), ":n": num("2")}, false, "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #b"},
		{"an undefined value", "condition", "#a = :v AND #b < :n", n("#a", "x", "#b", "y"), attr.Item{":v": s("1")}, false, "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :n"},
		{"no maps at all", "condition", "#a = :v AND #b < :n", nil, nil, false, "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #a"},
		{"an unused name", "condition", "#a = :v AND #b < :n", n("#a", "x", "#b", "y", "#c", "z"), attr.Item{":v": s("1"), ":n": num("2")}, false, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#c}"},
		{"an unused value", "condition", "#a = :v AND #b < :n", n("#a", "x", "#b", "y"), attr.Item{":v": s("1"), ":n": num("2"), ":w": s("3")}, false, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"},
		{"a value of the wrong type", "condition", "#a = :v AND #b < :n", n("#a", "x", "#b", "y"), attr.Item{":v": s("1"), ":n": boolean}, false, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"},
		{"a deferred type error", "condition", "#a = :v AND #b < :n", n("#a", "x", "#b", "y"), attr.Item{":v": s("1"), ":n": boolean}, true, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"},
		{"unused values before a deferred type error", "condition", "#a = :v AND #b < :n", n("#a", "x", "#b", "y"), attr.Item{":v": s("1"), ":n": boolean, ":w": s("3")}, true, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"},
		{"BETWEEN bounds in order", "condition", "a BETWEEN :lo AND :hi", nil, attr.Item{":lo": num("1"), ":hi": num("2")}, false, "(a BETWEEN :lo AND :hi)"},
		{"BETWEEN bounds reversed", "condition", "a BETWEEN :lo AND :hi", nil, attr.Item{":lo": num("3"), ":hi": num("2")}, false, "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:3}, upper bound operand: AttributeValue: {N:2}"},
		{"attribute_type with a bad type name", "condition", "attribute_type(a, :t)", nil, attr.Item{":t": s("X")}, false, "Invalid ConditionExpression: Invalid attribute type name found; type: X, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}"},
		{"attribute_type with a good type name", "condition", "attribute_type(a, :t)", nil, attr.Item{":t": s("N")}, false, "attribute_type(a, :t)"},
		{"a filter is cached apart from a condition", "filter", "#a = :v AND #b < :n", n("#a", "x", "#b", "y"), attr.Item{":v": s("1"), ":n": boolean}, false, "Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"},

		{"an update stores its parse", "update", "SET #v = :v, #n = #n + :one ADD c :one", n("#v", "v", "#n", "n"), attr.Item{":v": s("x"), ":one": num("1")}, false, "SET v = :v, n = n + :one ADD c :one"},
		{"an update hit with a string to add", "update", "SET #v = :v, #n = #n + :one ADD c :one", n("#v", "v", "#n", "n"), attr.Item{":v": s("x"), ":one": s("1")}, false, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S"},
		{"an update hit with a deferred type error", "update", "SET #v = :v, #n = #n + :one ADD c :one", n("#v", "v", "#n", "n"), attr.Item{":v": s("x"), ":one": s("1")}, true, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S"},
		{"an update whose names now overlap", "update", "SET #v = :v, #n = #n + :one ADD c :one", n("#v", "n", "#n", "n"), attr.Item{":v": s("x"), ":one": num("1")}, false, "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [n], path two: [n]"},
		{"an update hit with an unused name", "update", "SET #v = :v, #n = #n + :one ADD c :one", n("#v", "v", "#n", "n", "#x", "x"), attr.Item{":v": s("x"), ":one": num("1")}, false, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}"},
		{"list_append with a list", "update", "SET l = list_append(l, :l)", nil, attr.Item{":l": {Type: attr.L}}, false, "SET l = list_append(l, :l)"},
		{"list_append with a string", "update", "SET l = list_append(l, :l)", nil, attr.Item{":l": s("x")}, false, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S"},
		{"DELETE with a set", "update", "DELETE s :s", nil, attr.Item{":s": {Type: attr.SS, Strs: []string{"a"}}}, false, "DELETE s :s"},
		{"DELETE with a number", "update", "DELETE s :s", nil, attr.Item{":s": num("1")}, false, "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND"},

		{"a projection stores its parse", "projection", "pk, #n, d.e[1]", n("#n", "n"), nil, false, "pk, n, d.e[1]"},
		{"a projection hit", "projection", "pk, #n, d.e[1]", n("#n", "n"), nil, false, "pk, n, d.e[1]"},
		{"a projection with other names", "projection", "pk, #n, d.e[1]", n("#n", "m"), nil, false, "pk, m, d.e[1]"},
		{"a projection whose name now overlaps", "projection", "pk, #n, d.e[1]", n("#n", "pk"), nil, false, "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [pk], path two: [pk]"},
		{"a projection hit with an unused name", "projection", "pk, #n, d.e[1]", n("#n", "n", "#o", "o"), nil, false, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#o}"},

		{"a key condition stores its parse", "keycondition", "#p = :p AND sk BETWEEN :lo AND :hi", n("#p", "pk"), attr.Item{":p": s("a"), ":lo": num("1"), ":hi": num("2")}, false, "pk = S:a AND sk BETWEEN N:1 AND N:2"},
		{"a key condition hit with other values", "keycondition", "#p = :p AND sk BETWEEN :lo AND :hi", n("#p", "pk"), attr.Item{":p": s("b"), ":lo": num("5"), ":hi": num("7")}, false, "pk = S:b AND sk BETWEEN N:5 AND N:7"},
		{"a key condition hit with the wrong key type", "keycondition", "#p = :p AND sk BETWEEN :lo AND :hi", n("#p", "pk"), attr.Item{":p": num("1"), ":lo": num("5"), ":hi": num("7")}, false, "One or more parameter values were invalid: Condition parameter type does not match schema type"},
		{"a key condition hit with reversed bounds", "keycondition", "#p = :p AND sk BETWEEN :lo AND :hi", n("#p", "pk"), attr.Item{":p": s("b"), ":lo": num("9"), ":hi": num("7")}, false, "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:9}, upper bound operand: AttributeValue: {N:7}"},
		{"a key condition naming another attribute", "keycondition", "#p = :p AND sk BETWEEN :lo AND :hi", n("#p", "x"), attr.Item{":p": s("b"), ":lo": num("5"), ":hi": num("7")}, false, "Query condition missed key schema element"},
		{"begins_with with a number", "keycondition", "pk = :p AND begins_with(sk, :b)", nil, attr.Item{":p": s("a"), ":b": num("1")}, false, "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
	}
	c := NewCache()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fresh := run1(nil, tc.kind, tc.text, NewPlaceholders(tc.names, tc.values), tc.deferTypes)
			got := run1(c, tc.kind, tc.text, NewPlaceholders(tc.names, tc.values), tc.deferTypes)
			sameOutcome(t, tc.name, got, fresh)
			var desc string
			switch {
			case got.err != nil:
				desc = errMessage(got.err)
			case got.unused != nil:
				desc = errMessage(got.unused)
			default:
				desc = got.expr.(fmt.Stringer).String()
			}
			if desc != tc.want {
				t.Errorf("got %s\nwant %s", desc, tc.want)
			}
		})
	}
}

// TestCacheUnusedAcrossExpressions checks that placeholders used by only
// one of a request's expressions count as used when both are cache hits,
// and that an unused one is still reported.
func TestCacheUnusedAcrossExpressions(t *testing.T) {
	c := NewCache()
	names := map[string]string{"#u": "u", "#c": "c"}
	for i := 0; i < 3; i++ {
		vals := attr.Item{":u": attr.Num(strconv.Itoa(i)), ":c": attr.Num("10")}
		ph := NewPlaceholders(names, vals)
		ph.DeferTypeChecks()
		if _, err := c.ParseUpdate("SET #u = :u", ph); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ParseCondition("#c < :c", ph); err != nil {
			t.Fatal(err)
		}
		if err := ph.CheckUnused(); err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
		ph = NewPlaceholders(map[string]string{"#u": "u", "#c": "c", "#x": "x"}, attr.Item{":u": attr.Num("1"), ":c": attr.Num("10"), ":y": attr.Num("1")})
		if _, err := c.ParseUpdate("SET #u = :u", ph); err != nil {
			t.Fatal(err)
		}
		if err := ph.CheckUnused(); err == nil || errMessage(err) != "Value provided in ExpressionAttributeNames unused in expressions: keys: {#c, #x}" {
			t.Fatalf("round %d: got %v", i, err)
		}
		if _, err := c.ParseCondition("#c < :c", ph); err != nil {
			t.Fatal(err)
		}
		if err := ph.CheckUnused(); err == nil || errMessage(err) != "Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}" {
			t.Fatalf("round %d: got %v", i, err)
		}
	}
}

// TestCacheKeepsNoValues checks that an entry holds no request's values and
// that expressions returned to earlier requests keep their own values.
func TestCacheKeepsNoValues(t *testing.T) {
	c := NewCache()
	var conds []*Condition
	var upds []*Update
	for i := 0; i < 3; i++ {
		v := attr.Str("v" + strconv.Itoa(i))
		cond, err := c.ParseCondition("a = :v OR size(b) > :n", NewPlaceholders(nil, attr.Item{":v": v, ":n": attr.Num("1")}))
		if err != nil {
			t.Fatal(err)
		}
		conds = append(conds, cond)
		u, err := c.ParseUpdate("SET a = :v, b = if_not_exists(b, :v)", NewPlaceholders(nil, attr.Item{":v": v}))
		if err != nil {
			t.Fatal(err)
		}
		upds = append(upds, u)
	}
	for i := range conds {
		v := "v" + strconv.Itoa(i)
		if ok, _ := conds[i].Eval(attr.Item{"a": attr.Str(v)}); !ok {
			t.Errorf("condition %d does not match a = %s", i, v)
		}
		it, err := upds[i].Apply(nil)
		if err != nil || it["a"].Str != v || it["b"].Str != v {
			t.Errorf("update %d gave %v, %v", i, it, err)
		}
	}
	for _, k := range []exprKind{kindCondition, kindUpdate} {
		c.m.Range(func(key, e any) bool {
			if key.(cacheKey).kind != k {
				return true
			}
			for _, tp := range e.(*cacheEntry).variants {
				walkTemplate(tp, func(o *Operand) {
					if o.Kind == OperandValue && !reflect.DeepEqual(o.Value, attr.Value{}) {
						t.Errorf("entry %q keeps value %v of %s", key.(cacheKey).text, o.Value, o.ValueName)
					}
				})
			}
			return true
		})
	}
}

// walkTemplate calls f on every operand of an entry's tree.
func walkTemplate(tp *template, f func(*Operand)) {
	var op func(o *Operand)
	op = func(o *Operand) {
		f(o)
		for _, a := range o.Args {
			op(a)
		}
	}
	var cond func(c *Condition)
	cond = func(c *Condition) {
		if c == nil {
			return
		}
		cond(c.Left)
		cond(c.Right)
		for _, a := range c.Args {
			op(a)
		}
	}
	cond(tp.cond)
	for _, a := range tp.actions {
		op(a.target)
		if a.value != nil {
			op(a.value)
		}
	}
}

// TestCacheBounded checks that a stream of distinct expressions cannot
// grow the cache past its budget and that long texts are not cached.
func TestCacheBounded(t *testing.T) {
	c := NewCache()
	c.budget = 1000
	maxEntries := 0
	for i := 0; i < 5000; i++ {
		if _, err := c.ParseCondition("a"+strconv.Itoa(i)+" = :v", NewPlaceholders(nil, attr.Item{":v": attr.Num("1")})); err != nil {
			t.Fatal(err)
		}
		maxEntries = max(maxEntries, c.len())
	}
	// Each entry weighs at least entryWeight+4 (its tokens: a, =, :v, EOF).
	if limit := int(c.budget)/(entryWeight+4) + 1; maxEntries > limit {
		t.Errorf("the cache held %d entries, more than its budget allows (%d)", maxEntries, limit)
	}
	if maxEntries < 10 {
		t.Errorf("the cache held at most %d entries; is it caching at all?", maxEntries)
	}

	long := "a = :v" + strings.Repeat(" OR a = :v", maxCachedText/10)
	if _, err := c.ParseCondition(long, NewPlaceholders(nil, attr.Item{":v": attr.Num("1")})); err != nil {
		t.Fatal(err)
	}
	if c.lookup(kindCondition, long, NewPlaceholders(nil, attr.Item{":v": attr.Num("1")})) != nil {
		t.Errorf("a %d-byte expression was cached", len(long))
	}

	// Many name bindings of one text keep at most maxVariants entries.
	c = NewCache()
	for i := 0; i < 10; i++ {
		if _, err := c.ParseProjection("#n", NewPlaceholders(map[string]string{"#n": "n" + strconv.Itoa(i)}, nil)); err != nil {
			t.Fatal(err)
		}
	}
	e, ok := c.m.Load(cacheKey{kindProjection, "#n"})
	if !ok || len(e.(*cacheEntry).variants) != maxVariants {
		t.Errorf("got %v variants, want %d", e, maxVariants)
	}
}

// TestCacheConcurrent parses the same texts with different values from
// many goroutines (run it with -race): every result must be the fresh
// parse's, and evaluate with its own request's values.
func TestCacheConcurrent(t *testing.T) {
	c := NewCache()
	c.budget = 150 // small enough to be cleared while in use
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 300; i++ {
				v := strconv.Itoa(g*1000 + i)
				names := map[string]string{"#v": "v", "#n": "n" + strconv.Itoa(i%3)}
				vals := attr.Item{":v": attr.Str(v), ":one": attr.Num("1"), ":max": attr.Num(v)}
				for _, kind := range []string{"update", "condition", "projection"} {
					text := map[string]string{
						"update":     "SET #v = :v, #n = #n + :one",
						"condition":  "attribute_exists(pk) AND #n < :max AND #v <> :v",
						"projection": "pk, #v, #n",
					}[kind]
					if kind == "projection" {
						vals = nil
					}
					fresh := run1(nil, kind, text, NewPlaceholders(names, vals), true)
					got := run1(c, kind, text, NewPlaceholders(names, vals), true)
					if !reflect.DeepEqual(got, fresh) {
						t.Errorf("%s %q: got %v, want %v", kind, text, got, fresh)
						return
					}
					switch e := got.expr.(type) {
					case *Update:
						it, err := e.Apply(attr.Item{"n0": attr.Num("1"), "n1": attr.Num("1"), "n2": attr.Num("1")})
						if err != nil || it["v"].Str != v {
							t.Errorf("update %s gave %v, %v", v, it, err)
							return
						}
					case *Condition:
						n, _ := strconv.Atoi(v)
						it := attr.Item{"pk": attr.Str("k"), names["#n"]: attr.Num(strconv.Itoa(n - 1)), "v": attr.Str("other")}
						if ok, _ := e.Eval(it); !ok {
							t.Errorf("condition with :max %s does not match %v", v, it)
							return
						}
					}
				}
			}
		}()
	}
	wg.Wait()
}

// TestPlaceholdersManyKeys checks unused detection past the length at which
// Placeholders indexes its used keys, and that a name key is never taken
// for a value key.
func TestPlaceholdersManyKeys(t *testing.T) {
	names := map[string]string{}
	values := attr.Item{}
	var parts []string
	for i := 0; i < 3*usedSetMin; i++ {
		k := strconv.Itoa(i)
		names["#n"+k] = "a" + k
		values[":v"+k] = attr.Num(k)
		if i%7 != 3 {
			parts = append(parts, "#n"+k+" = :v"+k)
		}
	}
	ph := NewPlaceholders(names, values)
	if _, err := ParseCondition(strings.Join(parts, " OR "), ph); err != nil {
		t.Fatal(err)
	}
	want := "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n10, #n17, #n24, #n3, #n31, #n38, #n45}"
	if err := ph.CheckUnused(); err == nil || errMessage(err) != want {
		t.Errorf("got %v\nwant %s", err, want)
	}

	ph = NewPlaceholders(map[string]string{":v": "x"}, attr.Item{":v": attr.Num("1")})
	if _, err := ParseCondition("a = :v", ph); err != nil {
		t.Fatal(err)
	}
	want = "Value provided in ExpressionAttributeNames unused in expressions: keys: {:v}"
	if err := ph.CheckUnused(); err == nil || errMessage(err) != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// FuzzCacheMatchesParse checks that parsing any text through a cache, once
// to store it and once more, gives what a fresh parse gives.
func FuzzCacheMatchesParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := NewCache()
		for _, kind := range []string{"condition", "update", "projection", "keycondition"} {
			fresh := run1(nil, kind, s, testPlaceholders(), true)
			for i := 0; i < 2; i++ {
				sameOutcome(t, kind, run1(c, kind, s, testPlaceholders(), true), fresh)
			}
		}
	})
}
