package tables

import "github.com/petreldb/petrel/internal/protocol"

// DeletionProtectionEnabled (CreateTable, UpdateTable, TableDescription) is
// newer than the service-model snapshot in shared/aws-models that
// internal/protocol is generated from, so the wire structs lack it. The
// catalog stores the flag and DeleteTable enforces it; these three helpers
// are the only places that touch the wire member and become one-liners once
// the model gains it:
//
//	createDeletionProtection: return in.DeletionProtectionEnabled
//	updateDeletionProtection: return in.DeletionProtectionEnabled
//	setDeletionProtection:    d.DeletionProtectionEnabled = &on

// createDeletionProtection is CreateTableInput.DeletionProtectionEnabled.
func createDeletionProtection(*protocol.CreateTableInput) *bool { return nil }

// updateDeletionProtection is UpdateTableInput.DeletionProtectionEnabled.
func updateDeletionProtection(*protocol.UpdateTableInput) *bool { return nil }

// setDeletionProtection sets TableDescription.DeletionProtectionEnabled.
func setDeletionProtection(*protocol.TableDescription, bool) {}
