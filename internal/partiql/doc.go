// Package partiql owns DynamoDB's PartiQL dialect: a hand-written lexer and
// recursive-descent parser producing an AST (parse.go, ast.go), a planner
// that turns a statement into item operations, and the three operations
// ExecuteStatement, BatchExecuteStatement and ExecuteTransaction (one file
// each).
//
// It is a front end over the data plane, as DynamoDB's PartiQL is
// (aws-docs/partiql.md §1): every read and write goes through items.Service
// with protocol inputs (GetItem, Query, Scan, PutItem, UpdateItem,
// DeleteItem), so validation, counters, capacity and (later) indexes and
// streams stay in one place. WHERE clauses and SET actions are translated
// into DynamoDB expressions with generated #n/:v placeholders
// (translate.go) and parsed and evaluated by package expr; the package
// therefore has DynamoDB's expression semantics for comparisons (for
// example "a <> 1" holds when a is missing). It must not touch storage or
// the catalog's persistence directly: it reads table metadata only through
// catalog.Catalog.Get, to plan key lookups.
//
// # Grammar
//
// Keywords are case-insensitive. Identifiers are bare words or
// double-quoted ("a""b" escapes a quote); string literals are single-quoted
// (a doubled single quote escapes one).
//
//	statement  = select | insert | update | delete | "EXISTS" "(" select ")" .
//	select     = "SELECT" ( "*" | path { "," path } ) "FROM" name [ "." name ]
//	             [ "WHERE" expr ] [ "ORDER" "BY" orderkey { "," orderkey } ] .
//	orderkey   = path [ "ASC" | "DESC" ] .
//	insert     = "INSERT" "INTO" name "VALUE" expr .
//	update     = "UPDATE" name action { [ "," ] action } "WHERE" expr [ returning ] .
//	action     = "SET" path "=" expr { "," path "=" expr } | "REMOVE" path { "," path } .
//	returning  = "RETURNING" ( "ALL" | "MODIFIED" ) ( "OLD" | "NEW" ) "*" .
//	delete     = "DELETE" "FROM" name "WHERE" expr [ returning ] .
//	expr       = and { "OR" and } .
//	and        = not { "AND" not } .
//	not        = "NOT" not | predicate .
//	predicate  = sum [ comparator sum | [ "NOT" ] "BETWEEN" sum "AND" sum
//	             | [ "NOT" ] "IN" ( list | "(" expr { "," expr } ")" | "?" )
//	             | "IS" [ "NOT" ] ( "MISSING" | "NULL" | typename ) ] .
//	typename   = "STRING" | "BOOL" | "BOOLEAN" | "INT" | "INTEGER" | "DECIMAL" | "FLOAT"
//	           | "DOUBLE" | "NUMBER" | "BLOB" | "LIST" | "STRUCT" | "TUPLE" | "BAG" .
//	comparator = "=" | "<>" | "!=" | "<" | "<=" | ">" | ">=" .
//	sum        = unary { ( "+" | "-" ) unary } .
//	unary      = "-" unary | primary .
//	primary    = literal | "?" | "MISSING" | path | name "(" [ expr { "," expr } ] ")"
//	           | "(" expr ")" | list | map | set .
//	path       = name { "." name | "[" ( integer | string ) "]" } .
//	list       = "[" [ expr { "," expr } ] "]" .
//	map        = "{" [ string ":" expr { "," string ":" expr } ] "}" .
//	set        = "<<" [ expr { "," expr } ] ">>" .
//	literal    = string | number | "TRUE" | "FALSE" | "NULL" .
//
// Precedence, lowest first: OR, AND, NOT, predicates, + and -, unary minus.
package partiql
