package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestGeneratedFilesAreUpToDate regenerates both packages in memory and
// compares them with the committed files: run "go generate ./internal/protocol"
// after changing the generator or the models.
func TestGeneratedFilesAreUpToDate(t *testing.T) {
	models := "../../../../shared/aws-models"
	tests := []struct {
		name, model, overlay, pkg, ops, dir string
	}{
		{"protocol matches the DynamoDB model", "dynamodb-2012-08-10.service.json", "overlay-dynamodb.json", "protocol", "DynamoDBOperations", ".."},
		{"streams matches the Streams model", "dynamodbstreams-2012-08-10.service.json", "", "streams", "Operations", "../streams"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(models, tt.model)
			if _, err := os.Stat(path); err != nil {
				t.Skipf("model not available: %v", err)
			}
			files, err := generate(path, tt.overlay, tt.pkg, tt.ops)
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range files {
				got, err := os.ReadFile(filepath.Join(tt.dir, name))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s/%s is stale: run go generate ./internal/protocol", tt.dir, name)
				}
			}
		})
	}
}

func TestGoPattern(t *testing.T) {
	tests := []struct {
		name, pattern, match, noMatch string
	}{
		{"Print class becomes printable ASCII", `\p{Print}+`, "a b~", "a\tb"},
		{"surrogate pairs become supplementary planes", `[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*`, "x😀\n", "\x01"},
		{"patterns are anchored", `[0-9]{12}`, "123456789012", "1234567890123"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := goPattern(tt.pattern)
			if err != nil {
				t.Fatal(err)
			}
			re := mustCompile(t, p)
			if !re.MatchString(tt.match) {
				t.Errorf("%s does not match %q", p, tt.match)
			}
			if re.MatchString(tt.noMatch) {
				t.Errorf("%s matches %q", p, tt.noMatch)
			}
		})
	}
}

func mustCompile(t *testing.T, p string) *regexp.Regexp {
	t.Helper()
	re, err := regexp.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	return re
}
