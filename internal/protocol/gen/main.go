// Command gen generates the wire structs and model-constraint validation of
// package protocol (and protocol/streams) from an AWS service model in the
// botocore JSON format. It is run by the go:generate lines in
// internal/protocol/doc.go:
//
//	go run ./gen -model <service.json> [-overlay overlay.json] -pkg protocol -ops DynamoDBOperations -out .
//
// The overlay (gen/overlay-dynamodb.json) adds members DynamoDB gained after
// the December 2022 model, in the same format.
//
// It writes shapes_gen.go (types, enum constants, the operation list) and
// validate_gen.go (Validate methods) and json_gen.go (AppendJSON on output
// structures, DecodeJSON on inputs, NewInput/NewOutput) into -out.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	modelPath := flag.String("model", "", "botocore service model (JSON)")
	pkg := flag.String("pkg", "protocol", "Go package name of the output")
	overlay := flag.String("overlay", "", "optional overlay model merged into -model (newer members)")
	opsVar := flag.String("ops", "Operations", "name of the generated operation list variable")
	out := flag.String("out", ".", "output directory")
	flag.Parse()
	if err := run(*modelPath, *overlay, *pkg, *opsVar, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(modelPath, overlay, pkg, opsVar, out string) error {
	files, err := generate(modelPath, overlay, pkg, opsVar)
	if err != nil {
		return err
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// generate returns the generated files by name.
func generate(modelPath, overlay, pkg, opsVar string) (map[string][]byte, error) {
	m, err := loadModel(modelPath, overlay)
	if err != nil {
		return nil, err
	}
	g := newGen(m, pkg, opsVar, filepath.Base(modelPath))
	shapes, err := g.shapesFile()
	if err != nil {
		return nil, fmt.Errorf("shapes_gen.go: %w", err)
	}
	val, err := g.validateFile()
	if err != nil {
		return nil, fmt.Errorf("validate_gen.go: %w", err)
	}
	js, err := g.jsonFile()
	if err != nil {
		return nil, fmt.Errorf("json_gen.go: %w", err)
	}
	return map[string][]byte{"shapes_gen.go": shapes, "validate_gen.go": val, "json_gen.go": js}, nil
}
