package tables

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/protocol"
)

// tagCtx is the caller of the tag tests.
var tagCtx = caller.With(context.Background(), caller.Identity{Account: "123456789012", Region: "eu-west-1", Namespace: "n1"})

const tagARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/tagged"

func tags(kv ...string) []protocol.Tag {
	var out []protocol.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, protocol.Tag{Key: ptr(kv[i]), Value: ptr(kv[i+1])})
	}
	return out
}

// manyTags is n tags k00=v00, k01=v01, ...
func manyTags(prefix string, n int) []protocol.Tag {
	var kv []string
	for i := range n {
		kv = append(kv, fmt.Sprintf("%s%02d", prefix, i), fmt.Sprintf("v%02d", i))
	}
	return tags(kv...)
}

// allTags lists every tag of arn, following NextToken, as "k=v" strings,
// and the number of pages.
func allTags(t *testing.T, s *Service, arn string) (string, int) {
	t.Helper()
	var got []string
	in := &protocol.ListTagsOfResourceInput{ResourceArn: ptr(arn)}
	for pages := 1; ; pages++ {
		out, err := s.ListTagsOfResource(tagCtx, in)
		if err != nil {
			t.Fatal(err)
		}
		if out.Tags == nil {
			t.Fatal("Tags is nil, want a (possibly empty) list")
		}
		for _, tg := range out.Tags {
			got = append(got, *tg.Key+"="+*tg.Value)
		}
		if out.NextToken == nil {
			return strings.Join(got, ","), pages
		}
		if pages > 10 {
			t.Fatal("NextToken never ends")
		}
		in.NextToken = out.NextToken
	}
}

func TestTagsLifecycle(t *testing.T) {
	s := newService(t)
	mustCreateCtx(t, tagCtx, s, createIn("tagged", func(in *protocol.CreateTableInput) { in.Tags = tags("team", "blue") }))
	tag := func(t *testing.T, tg []protocol.Tag) {
		t.Helper()
		if _, err := s.TagResource(tagCtx, &protocol.TagResourceInput{ResourceArn: ptr(tagARN), Tags: tg}); err != nil {
			t.Fatal(err)
		}
	}
	untag := func(t *testing.T, keys ...string) {
		t.Helper()
		if _, err := s.UntagResource(tagCtx, &protocol.UntagResourceInput{ResourceArn: ptr(tagARN), TagKeys: keys}); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		name  string
		do    func(t *testing.T)
		want  string
		pages int
	}{
		{"tags given to CreateTable are listed", func(*testing.T) {}, "team=blue", 1},
		{"TagResource adds tags and replaces a key's value", func(t *testing.T) {
			tag(t, tags("team", "red", "Team", "case matters", "empty", "", "path", "a/b:c=d+e-f_g.h i", "ünïcödé", "日本"))
		}, "Team=case matters,empty=,path=a/b:c=d+e-f_g.h i,team=red,ünïcödé=日本", 1},
		{"UntagResource removes keys and ignores missing ones", func(t *testing.T) {
			untag(t, "team", "nope", "path")
		}, "Team=case matters,empty=,ünïcödé=日本", 1},
		{"removing every tag leaves an empty list", func(t *testing.T) {
			untag(t, "Team", "empty", "ünïcödé")
		}, "", 1},
		{"more tags than a page are listed over several pages in key order", func(t *testing.T) {
			tag(t, manyTags("k", 25))
		}, func() string {
			var kv []string
			for i := range 25 {
				kv = append(kv, fmt.Sprintf("k%02d=v%02d", i, i))
			}
			return strings.Join(kv, ",")
		}(), 3},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			st.do(t)
			got, pages := allTags(t, s, tagARN)
			if got != st.want || pages != st.pages {
				t.Fatalf("tags %q in %d pages\nwant %q in %d", got, pages, st.want, st.pages)
			}
		})
	}
	t.Run("a page ends with a NextToken only when more tags follow", func(t *testing.T) {
		out, err := s.ListTagsOfResource(tagCtx, &protocol.ListTagsOfResourceInput{ResourceArn: ptr(tagARN), NextToken: ptr("k19")})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Tags) != 5 || *out.Tags[0].Key != "k20" || out.NextToken != nil {
			t.Fatalf("%d tags from %s, NextToken %v", len(out.Tags), *out.Tags[0].Key, out.NextToken)
		}
		out, err = s.ListTagsOfResource(tagCtx, &protocol.ListTagsOfResourceInput{ResourceArn: ptr(tagARN), NextToken: ptr("k09")})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Tags) != 10 || *out.NextToken != "k19" {
			t.Fatalf("%d tags, NextToken %v", len(out.Tags), out.NextToken)
		}
	})
	t.Run("the tags are stored in the catalog with the table", func(t *testing.T) {
		tb, err := s.cat.Lookup("n1", "tagged")
		if err != nil {
			t.Fatal(err)
		}
		if len(tb.Tags) != 25 || tb.Tags["k07"] != "v07" {
			t.Fatalf("catalog tags %v", tb.Tags)
		}
	})
	t.Run("a table may have 50 tags", func(t *testing.T) {
		tag(t, manyTags("x", 25))
		if _, n := allTags(t, s, tagARN); n != 5 {
			t.Fatalf("%d pages", n)
		}
	})
	t.Run("a 51st tag is refused and nothing changes", func(t *testing.T) {
		_, err := s.TagResource(tagCtx, &protocol.TagResourceInput{ResourceArn: ptr(tagARN), Tags: tags("k00", "new", "one-more", "x")})
		wantErr(t, err, validation, msgTooManyTags)
		tb, _ := s.cat.Lookup("n1", "tagged")
		if len(tb.Tags) != 50 || tb.Tags["k00"] != "v00" {
			t.Fatalf("after the refused TagResource: %d tags, k00=%s", len(tb.Tags), tb.Tags["k00"])
		}
	})
	t.Run("replacing values of a full table is allowed", func(t *testing.T) {
		tag(t, tags("k00", "new"))
	})
}

func TestTagValidation(t *testing.T) {
	s := newService(t)
	mustCreateCtx(t, tagCtx, s, createIn("tagged", nil))
	mustCreateCtx(t, tagCtx, s, createIn("full", func(in *protocol.CreateTableInput) { in.Tags = manyTags("k", 50) }))
	ok := tags("k", "v")
	invalidARN := func(arn string) string { return "Invalid TableArn: Invalid ResourceArn provided as input " + arn }
	notFound := func(arn string) string { return "Requested resource not found: ResourcArn: " + arn + " not found" }
	tests := []struct {
		name string
		arn  string
		tags []protocol.Tag
		code string
		msg  string
	}{
		{"a table name is not an ARN", "tagged", ok, validation, invalidARN("tagged")},
		{"an index ARN is not a table ARN", tagARN + "/index/gsi", ok, validation, invalidARN(tagARN + "/index/gsi")},
		{"a stream ARN is not a table ARN", tagARN + "/stream/2024-05-01T10:20:30.123", ok, validation, invalidARN(tagARN + "/stream/2024-05-01T10:20:30.123")},
		{"another service's ARN is invalid", "arn:aws:s3:eu-west-1:123456789012:table/tagged", ok, validation, invalidARN("arn:aws:s3:eu-west-1:123456789012:table/tagged")},
		{"a table ARN with an invalid name is invalid", "arn:aws:dynamodb:eu-west-1:123456789012:table/a*b", ok, validation, invalidARN("arn:aws:dynamodb:eu-west-1:123456789012:table/a*b")},
		{"an ARN without account is invalid", "arn:aws:dynamodb:eu-west-1::table/tagged", ok, validation, invalidARN("arn:aws:dynamodb:eu-west-1::table/tagged")},
		{"ARN syntax is checked before the tags", "nope", tags("aws:x", "v"), validation, invalidARN("nope")},
		{"a missing table is not found", "arn:aws:dynamodb:eu-west-1:123456789012:table/missing", ok, "ResourceNotFoundException", notFound("arn:aws:dynamodb:eu-west-1:123456789012:table/missing")},
		{"another region's table is not found", "arn:aws:dynamodb:us-east-1:123456789012:table/tagged", ok, "ResourceNotFoundException", notFound("arn:aws:dynamodb:us-east-1:123456789012:table/tagged")},
		{"another account's table is not found", "arn:aws:dynamodb:eu-west-1:999999999999:table/tagged", ok, "ResourceNotFoundException", notFound("arn:aws:dynamodb:eu-west-1:999999999999:table/tagged")},
		{"the aws: prefix is reserved", tagARN, tags("aws:cost", "v"), validation, msgReservedTagKey},
		{"the aws: prefix is reserved in any case", tagARN, tags("AWS:cost", "v"), validation, msgReservedTagKey},
		{"a key with * is refused", tagARN, tags("a*b", "v"), validation, msgTagKeyChars},
		{"a key with @ is refused", tagARN, tags("a@b", "v"), validation, msgTagKeyChars},
		{"a value with ! is refused", tagARN, tags("k", "hi!"), validation, msgTagValueChars},
		{"a value with a control character is refused", tagARN, tags("k", "a\x00b"), validation, msgTagValueChars},
		{"tags are checked before the table is looked up", "arn:aws:dynamodb:eu-west-1:123456789012:table/missing", tags("k", "?"), validation, msgTagValueChars},
		{"a table with 50 tags takes no new key", "arn:aws:dynamodb:eu-west-1:123456789012:table/full", ok, validation, msgTooManyTags},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.TagResource(tagCtx, &protocol.TagResourceInput{ResourceArn: ptr(tt.arn), Tags: tt.tags})
			wantErr(t, err, tt.code, tt.msg)
		})
	}
	untagTests := []struct {
		name string
		arn  string
		keys []string
		code string
		msg  string
	}{
		{"UntagResource checks the ARN", "tagged", []string{"k"}, validation, invalidARN("tagged")},
		{"UntagResource of a missing table is not found", "arn:aws:dynamodb:eu-west-1:123456789012:table/missing", []string{"k"}, "ResourceNotFoundException", notFound("arn:aws:dynamodb:eu-west-1:123456789012:table/missing")},
		{"UntagResource refuses the aws: prefix", tagARN, []string{"k", "aws:x"}, validation, msgReservedTagKey},
		{"UntagResource refuses invalid characters", tagARN, []string{"k#"}, validation, msgTagKeyChars},
	}
	for _, tt := range untagTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.UntagResource(tagCtx, &protocol.UntagResourceInput{ResourceArn: ptr(tt.arn), TagKeys: tt.keys})
			wantErr(t, err, tt.code, tt.msg)
		})
	}
	listTests := []struct {
		name string
		arn  string
		code string
		msg  string
	}{
		{"ListTagsOfResource checks the ARN", tagARN + "/index/i", validation, invalidARN(tagARN + "/index/i")},
		{"ListTagsOfResource of a missing table is not found", "arn:aws:dynamodb:eu-west-1:123456789012:table/missing", "ResourceNotFoundException", notFound("arn:aws:dynamodb:eu-west-1:123456789012:table/missing")},
	}
	for _, tt := range listTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.ListTagsOfResource(tagCtx, &protocol.ListTagsOfResourceInput{ResourceArn: ptr(tt.arn)})
			wantErr(t, err, tt.code, tt.msg)
		})
	}
}

func TestCreateTableTags(t *testing.T) {
	s := newService(t)
	tests := []struct {
		name string
		tags []protocol.Tag
		msg  string
	}{
		{"50 tags are accepted", manyTags("k", 50), ""},
		{"a repeated key counts once", append(manyTags("k", 50), tags("k00", "again")...), ""},
		{"51 tags are refused", manyTags("k", 51), msgTooManyTags},
		{"the aws: prefix is refused", tags("aws:k", "v"), msgReservedTagKey},
		{"invalid key characters are refused", tags("k<", "v"), msgTagKeyChars},
		{"invalid value characters are refused", tags("k", "v>"), msgTagValueChars},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.CreateTable(tagCtx, createIn(fmt.Sprintf("ct-%d", i), func(in *protocol.CreateTableInput) { in.Tags = tt.tags }))
			if tt.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantErr(t, err, validation, tt.msg)
		})
	}
}

func TestValidTagText(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"", true},
		{"plain", true},
		{"with space\tand tab", true},
		{"+-=._:/", true},
		{"Ünïcödé 日本語 ١٢٣", true},
		{"no*star", false},
		{"no@at", false},
		{"no,comma", false},
		{"no\"quote", false},
		{"emoji🙂", false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.in), func(t *testing.T) {
			if got := validTagText(tt.in); got != tt.want {
				t.Fatalf("validTagText(%q) = %v", tt.in, got)
			}
		})
	}
}
