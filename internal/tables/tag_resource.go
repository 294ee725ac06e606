package tables

import (
	"context"
	"maps"
	"strings"
	"unicode"

	"github.com/petreldb/petrel/internal/apierr"
	"github.com/petreldb/petrel/internal/caller"
	"github.com/petreldb/petrel/internal/catalog"
	"github.com/petreldb/petrel/internal/protocol"
)

// Tag rules (limits.md section 5, "Tagging restrictions"): at most 50 tags
// per table; keys 1..128 and values 0..256 characters (checked by the
// model's Validate) of letters, digits, white space and + - = . _ : /; keys
// are case-sensitive, one value per key (tagging a key again replaces its
// value); the aws: prefix is reserved. Tags are stored with the table in the
// catalog (catalog.Table.Tags), so they persist and go with the table.
const (
	// maxTags is the number of tags a table may have.
	maxTags = 50
	// tagsPageSize is how many tags one ListTagsOfResource answer holds
	// before it returns a NextToken. AWS does not document its page size;
	// a page smaller than maxTags makes clients' NextToken loops run.
	tagsPageSize = 10
)

// Tag messages. errors.md has no row for a tag rule (DynamoDB Local does not
// support tagging, D46) and AWS documents the rules but not these texts:
// they are Petrel's wording in DynamoDB's "One or more parameter values were
// invalid" form, except the ARN texts, which are AWS's as quoted in public
// SDK and tool issue threads (note AWS's spelling "ResourcArn").
const (
	msgTooManyTags    = "One or more parameter values were invalid: The number of tags exceeds the limit of 50"
	msgReservedTagKey = "One or more parameter values were invalid: Tag keys starting with 'aws:' are reserved for system use"
	msgTagKeyChars    = "One or more parameter values were invalid: Tag keys may only contain letters, digits, white space and the characters + - = . _ : /"
	msgTagValueChars  = "One or more parameter values were invalid: Tag values may only contain letters, digits, white space and the characters + - = . _ : /"
)

// invalidResourceARN is the ValidationException for a ResourceArn that is
// not a table ARN (an index or stream ARN, or no ARN at all).
func invalidResourceARN(arn string) error {
	return apierr.Validation("Invalid TableArn: Invalid ResourceArn provided as input " + arn)
}

// resourceNotFound is the ResourceNotFoundException of the tag operations
// for a table ARN that names no table of the caller.
func resourceNotFound(arn string) error {
	return apierr.ResourceNotFound("Requested resource not found: ResourcArn: " + arn + " not found")
}

// TagResource adds tags to a table, replacing the value of a key it already
// has. Tags cannot be changed while the table is CREATING or DELETING
// (ResourceInUseException).
func (s *Service) TagResource(ctx context.Context, in *protocol.TagResourceInput) (*protocol.TagResourceOutput, error) {
	arn := str(in.ResourceArn)
	name, ours, err := resourceName(ctx, arn)
	if err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	err = s.changeTags(ctx, arn, name, ours, func(tags map[string]string) error {
		for _, tag := range in.Tags {
			tags[str(tag.Key)] = str(tag.Value)
		}
		if len(tags) > maxTags {
			return apierr.Validation(msgTooManyTags)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &protocol.TagResourceOutput{}, nil
}

// changeTags applies fn to a copy of the tags of the caller's table name
// (ARN arn) and stores the result.
func (s *Service) changeTags(ctx context.Context, arn, name string, ours bool, fn func(map[string]string) error) error {
	t, err := s.resource(ctx, arn, name, ours)
	if err != nil {
		return err
	}
	if err := s.tagsInUse(t); err != nil {
		return err
	}
	_, err = s.cat.Update(ctx, caller.From(ctx).Namespace, name, func(t *catalog.Table) error {
		if err := s.tagsInUse(t); err != nil {
			return err
		}
		tags := maps.Clone(t.Tags)
		if tags == nil {
			tags = make(map[string]string)
		}
		if err := fn(tags); err != nil {
			return err
		}
		if len(tags) == 0 {
			tags = nil
		}
		t.Tags = tags
		return nil
	})
	if e, ok := apierr.As(err); ok && e.Code == "ResourceNotFoundException" {
		// Deleted since resource found it.
		if d := s.deleted(caller.From(ctx).Namespace, name); d != nil {
			return s.tagsInUse(d)
		}
		return resourceNotFound(arn)
	}
	return err
}

// tagsInUse refuses tag changes while the table is CREATING or DELETING;
// an UPDATING table can be tagged.
func (s *Service) tagsInUse(t *catalog.Table) error {
	if st := s.statusOf(t); st == catalog.StatusCreating || st == catalog.StatusDeleting {
		return s.inUse(t)
	}
	return nil
}

// resourceName checks that arn is a table ARN
// (arn:<partition>:dynamodb:<region>:<account>:table/<name>) and returns the
// table name; ours is false when the ARN names another account's or region's
// table, which the caller cannot see.
func resourceName(ctx context.Context, arn string) (name string, ours bool, err error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" || parts[2] != "dynamodb" || parts[3] == "" || parts[4] == "" {
		return "", false, invalidResourceARN(arn)
	}
	name, found := strings.CutPrefix(parts[5], "table/")
	if !found || !validTableName(name) {
		return "", false, invalidResourceARN(arn)
	}
	id := caller.From(ctx)
	return name, parts[3] == id.Region && parts[4] == id.Account, nil
}

// resource finds the caller's table name for the tag operations (any
// status, DELETING included).
func (s *Service) resource(ctx context.Context, arn, name string, ours bool) (*catalog.Table, error) {
	if !ours {
		return nil, resourceNotFound(arn)
	}
	t, err := s.find(caller.From(ctx).Namespace, name)
	if err != nil {
		if e, ok := apierr.As(err); ok && e.Code == "ResourceNotFoundException" {
			return nil, resourceNotFound(arn)
		}
		return nil, err
	}
	return t, nil
}

// checkTags checks the keys and values of tags (TagResource, CreateTable).
func checkTags(tags []protocol.Tag) error {
	for _, tag := range tags {
		if err := checkTagKey(str(tag.Key)); err != nil {
			return err
		}
		if !validTagText(str(tag.Value)) {
			return apierr.Validation(msgTagValueChars)
		}
	}
	return nil
}

// checkTagKey checks one tag key's characters and the reserved prefix (the
// prefix in any case: AWS reserves "aws:" case-insensitively).
func checkTagKey(key string) error {
	if !validTagText(key) {
		return apierr.Validation(msgTagKeyChars)
	}
	if len(key) >= 4 && strings.EqualFold(key[:4], "aws:") {
		return apierr.Validation(msgReservedTagKey)
	}
	return nil
}

// validTagText reports whether s holds only the characters tags allow:
// Unicode letters, digits, white space and + - = . _ : /.
func validTagText(s string) bool {
	for _, r := range s {
		switch {
		case unicode.IsLetter(r), unicode.IsNumber(r), unicode.IsSpace(r), unicode.Is(unicode.Zs, r):
		case strings.ContainsRune("+-=._:/", r):
		default:
			return false
		}
	}
	return true
}
