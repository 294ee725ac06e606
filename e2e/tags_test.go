package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/petreldb/petrel/internal/server/servertest"
)

func sdkTags(kv ...string) []types.Tag {
	var out []types.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

// listAllTags follows NextToken and returns "k=v" pairs and the page count.
func listAllTags(t *testing.T, c *dynamodb.Client, arn string) (string, int) {
	t.Helper()
	var got []string
	in := &dynamodb.ListTagsOfResourceInput{ResourceArn: aws.String(arn)}
	for pages := 1; pages < 20; pages++ {
		out, err := c.ListTagsOfResource(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		for _, tg := range out.Tags {
			got = append(got, aws.ToString(tg.Key)+"="+aws.ToString(tg.Value))
		}
		if out.NextToken == nil {
			return strings.Join(got, ","), pages
		}
		in.NextToken = out.NextToken
	}
	t.Fatal("NextToken never ends")
	return "", 0
}

func TestTagsWithTheSDK(t *testing.T) {
	ctx := context.Background()
	c := servertest.Start(t).Client()
	out, err := c.CreateTable(ctx, onDemand("tagged", func(in *dynamodb.CreateTableInput) {
		in.Tags = sdkTags("env", "test")
	}))
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(out.TableDescription.TableArn)

	t.Run("CreateTable's tags are listed", func(t *testing.T) {
		if got, _ := listAllTags(t, c, arn); got != "env=test" {
			t.Fatalf("tags %q", got)
		}
	})
	t.Run("TagResource adds and replaces, UntagResource removes", func(t *testing.T) {
		if _, err := c.TagResource(ctx, &dynamodb.TagResourceInput{ResourceArn: aws.String(arn), Tags: sdkTags("env", "prod", "owner", "team a/b", "empty", "")}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.UntagResource(ctx, &dynamodb.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"owner", "absent"}}); err != nil {
			t.Fatal(err)
		}
		if got, _ := listAllTags(t, c, arn); got != "empty=,env=prod" {
			t.Fatalf("tags %q", got)
		}
	})
	t.Run("50 tags come back over several pages", func(t *testing.T) {
		var kv []string
		for i := range 48 {
			kv = append(kv, fmt.Sprintf("k%02d", i), "v")
		}
		if _, err := c.TagResource(ctx, &dynamodb.TagResourceInput{ResourceArn: aws.String(arn), Tags: sdkTags(kv...)}); err != nil {
			t.Fatal(err)
		}
		got, pages := listAllTags(t, c, arn)
		if n := strings.Count(got, ",") + 1; n != 50 || pages < 2 {
			t.Fatalf("%d tags in %d pages", n, pages)
		}
	})
	t.Run("a 51st tag is refused", func(t *testing.T) {
		_, err := c.TagResource(ctx, &dynamodb.TagResourceInput{ResourceArn: aws.String(arn), Tags: sdkTags("one-more", "x")})
		wantAPIError(t, err, "ValidationException", "One or more parameter values were invalid: The number of tags exceeds the limit of 50")
	})
	t.Run("errors name the ARN", func(t *testing.T) {
		missing := strings.TrimSuffix(arn, "tagged") + "missing"
		_, err := c.ListTagsOfResource(ctx, &dynamodb.ListTagsOfResourceInput{ResourceArn: aws.String(missing)})
		wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found: ResourcArn: "+missing+" not found")
		_, err = c.TagResource(ctx, &dynamodb.TagResourceInput{ResourceArn: aws.String("tagged"), Tags: sdkTags("k", "v")})
		wantAPIError(t, err, "ValidationException", "Invalid TableArn: Invalid ResourceArn provided as input tagged")
		_, err = c.UntagResource(ctx, &dynamodb.UntagResourceInput{ResourceArn: aws.String(arn), TagKeys: []string{"aws:createdBy"}})
		wantAPIError(t, err, "ValidationException", "One or more parameter values were invalid: Tag keys starting with 'aws:' are reserved for system use")
	})
	t.Run("deleting the table deletes its tags", func(t *testing.T) {
		if _, err := c.CreateTable(ctx, onDemand("short-lived", func(in *dynamodb.CreateTableInput) { in.Tags = sdkTags("a", "b") })); err != nil {
			t.Fatal(err)
		}
		if _, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("short-lived")}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateTable(ctx, onDemand("short-lived", nil)); err != nil {
			t.Fatal(err)
		}
		short := strings.TrimSuffix(arn, "tagged") + "short-lived"
		if got, pages := listAllTags(t, c, short); got != "" || pages != 1 {
			t.Fatalf("the new table has tags %q", got)
		}
	})
}

func TestTagsSurviveARestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var arn string
	t.Run("tag", func(t *testing.T) {
		c := servertest.Start(t, servertest.WithDataDir(dir)).Client()
		out, err := c.CreateTable(ctx, onDemand("kept", nil))
		if err != nil {
			t.Fatal(err)
		}
		arn = aws.ToString(out.TableDescription.TableArn)
		if _, err := c.TagResource(ctx, &dynamodb.TagResourceInput{ResourceArn: aws.String(arn), Tags: sdkTags("k", "v")}); err != nil {
			t.Fatal(err)
		}
	}) // the subtest's cleanup stops the server
	t.Run("the tags are there after a restart", func(t *testing.T) {
		c := servertest.Start(t, servertest.WithDataDir(dir)).Client()
		if got, _ := listAllTags(t, c, arn); got != "k=v" {
			t.Fatalf("tags after a restart %q", got)
		}
	})
}

func TestInvalidTagRequestsRaw(t *testing.T) {
	srv := servertest.Start(t)
	c := srv.Client()
	if _, err := c.CreateTable(context.Background(), onDemand("raw-tags", nil)); err != nil {
		t.Fatal(err)
	}
	out, err := c.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: aws.String("raw-tags")})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(out.Table.TableArn)
	long := strings.Repeat("k", 129)
	tests := []struct {
		name, target, body string
		want               string
	}{
		{"ListTagsOfResource of a table without tags answers an empty list", "ListTagsOfResource",
			`{"ResourceArn":"` + arn + `"}`, `200 {"Tags":[]}`},
		{"TagResource answers an empty body", "TagResource",
			`{"ResourceArn":"` + arn + `","Tags":[{"Key":"k","Value":"v"}]}`, `200 {}`},
		{"UntagResource answers an empty body", "UntagResource",
			`{"ResourceArn":"` + arn + `","TagKeys":["k"]}`, `200 {}`},
		{"ResourceArn is required", "ListTagsOfResource", `{}`,
			`400 {"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null"}`},
		{"Tags is required", "TagResource", `{"ResourceArn":"` + arn + `"}`,
			`400 {"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null"}`},
		{"a tag key over 128 characters breaks the model", "TagResource",
			`{"ResourceArn":"` + arn + `","Tags":[{"Key":"` + long + `","Value":"v"}]}`,
			`400 {"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value '` + long + `' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"}`},
		{"a tag key with a reserved prefix", "TagResource",
			`{"ResourceArn":"` + arn + `","Tags":[{"Key":"aws:x","Value":"v"}]}`,
			`400 {"__type":"com.amazon.coral.validate#ValidationException","message":"One or more parameter values were invalid: Tag keys starting with 'aws:' are reserved for system use"}`},
		{"a missing table", "TagResource",
			`{"ResourceArn":"` + arn + `x","Tags":[{"Key":"k","Value":"v"}]}`,
			`400 {"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found: ResourcArn: ` + arn + `x not found"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := srv.Do(t, tt.target, tt.body)
			if got := fmt.Sprintf("%d %s", status, body); got != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}
