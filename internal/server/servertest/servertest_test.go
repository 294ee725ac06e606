package servertest

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

func TestStart(t *testing.T) {
	t.Run("an in-memory server answers the SDK", func(t *testing.T) {
		s := Start(t)
		out, err := s.Client().ListTables(context.Background(), &dynamodb.ListTablesInput{})
		if err != nil {
			t.Fatalf("ListTables: %v", err)
		}
		if len(out.TableNames) != 0 {
			t.Errorf("TableNames = %v, want none", out.TableNames)
		}
	})
	t.Run("Do sends a signed raw request", func(t *testing.T) {
		s := Start(t)
		status, body := s.Do(t, "ListTables", `{}`)
		if status != 200 || !strings.HasPrefix(string(body), "{") {
			t.Errorf("ListTables = %d %s", status, body)
		}
		status, body = s.Do(t, "DynamoDB_20120810.Nope", `{}`)
		if status != 400 || !strings.Contains(string(body), "UnknownOperationException") {
			t.Errorf("Nope = %d %s", status, body)
		}
	})
	t.Run("an on-disk server writes to its data dir", func(t *testing.T) {
		dir := t.TempDir()
		s := Start(t, WithDataDir(dir))
		if status, body := s.Do(t, "ListTables", `{}`); status != 200 {
			t.Fatalf("ListTables = %d %s", status, body)
		}
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) == 0 {
			t.Errorf("data dir is empty (%v)", err)
		}
	})
}
