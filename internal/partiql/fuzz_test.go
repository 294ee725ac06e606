package partiql

import (
	"testing"

	"github.com/petreldb/petrel/internal/attr"
)

// FuzzParse checks that the parser never panics, that every statement it
// accepts renders to a canonical form that parses to the same rendering,
// and that translating the accepted WHERE and SET parts never panics.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`SELECT * FROM "Orders" WHERE Id = '111'`,
		`SELECT a, b.c[0].d FROM "t"."i" WHERE pk IN [1, 2] AND NOT (x IS MISSING OR begins_with(y, 'a')) ORDER BY sk DESC`,
		`INSERT INTO t VALUE {'pk': ?, 'l': [1, <<'a'>>], 'm': {'k': NULL}}`,
		`UPDATE t SET a = a + 1, b = list_append(b, [2]) REMOVE c[1] WHERE pk = 'x' AND size(d) > 3 RETURNING ALL NEW *`,
		`DELETE FROM t WHERE pk = -1.5e3 RETURNING ALL OLD *`,
		`EXISTS(SELECT * FROM t WHERE pk = 1 AND a IS NOT NULL)`,
		`SELECT * FROM t WHERE a BETWEEN 1 AND 2 OR b <> 'it''s'`, "((((", "'", `"`, "<<>>", "SELECT * FROM t WHERE a = --\n1",
	} {
		f.Add(s)
	}
	params := []attr.Value{attr.Str("p"), attr.Num("1"), {Type: attr.L, List: []attr.Value{attr.Str("x")}}}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := Parse(s)
		if err != nil {
			return
		}
		r := st.String()
		st2, err := Parse(r)
		if err != nil {
			t.Fatalf("rendering %q of %q does not parse: %v", r, s, err)
		}
		if r2 := st2.String(); r2 != r {
			t.Fatalf("rendering is not stable:\n%s\n%s", r, r2)
		}
		b := newBuilder(s, params)
		if st.Where != nil {
			b.cond(st.Where)
		}
		b.update(st.Actions)
		if st.Value != nil {
			b.constant(st.Value)
		}
	})
}
