package tables

import "github.com/petreldb/petrel/internal/protocol"

// DeletionProtectionEnabled is newer than the December 2022 service model;
// internal/protocol's generator overlay adds it to CreateTableInput,
// UpdateTableInput and TableDescription. DescribeTable always reports it, as
// DynamoDB does.

// createDeletionProtection is CreateTableInput.DeletionProtectionEnabled.
func createDeletionProtection(in *protocol.CreateTableInput) *bool {
	return in.DeletionProtectionEnabled
}

// updateDeletionProtection is UpdateTableInput.DeletionProtectionEnabled.
func updateDeletionProtection(in *protocol.UpdateTableInput) *bool {
	return in.DeletionProtectionEnabled
}

// setDeletionProtection sets TableDescription.DeletionProtectionEnabled.
func setDeletionProtection(d *protocol.TableDescription, on bool) { d.DeletionProtectionEnabled = &on }
