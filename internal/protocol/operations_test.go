package protocol

import (
	"slices"
	"testing"
)

func TestDynamoDBOperations(t *testing.T) {
	tests := []struct {
		name string
		op   string
	}{
		{"the data plane is listed", "PutItem"},
		{"the control plane is listed", "CreateTable"},
		{"PartiQL is listed", "ExecuteTransaction"},
		{"operations sharing a model input are listed", "EnableKinesisStreamingDestination"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !slices.Contains(DynamoDBOperations, tt.op) {
				t.Errorf("DynamoDBOperations lacks %s", tt.op)
			}
		})
	}
	if !slices.IsSorted(DynamoDBOperations) || len(DynamoDBOperations) != 53 {
		t.Errorf("DynamoDBOperations: %d names, sorted=%v; want 53 sorted", len(DynamoDBOperations), slices.IsSorted(DynamoDBOperations))
	}
	if TargetPrefix != "DynamoDB_20120810" {
		t.Errorf("TargetPrefix = %q", TargetPrefix)
	}
}
