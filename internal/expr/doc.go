// Package expr owns DynamoDB's expression language: the lexer, a
// hand-written recursive-descent parser, the AST, placeholder resolution
// (ExpressionAttributeNames/Values, with unused-key detection), the static
// semantic checks with DynamoDB's exact messages, condition evaluation,
// update application and projection. The legacy request members (Expected,
// AttributeUpdates, AttributesToGet, KeyConditions, QueryFilter, ScanFilter)
// are converted into the same AST (legacy.go).
//
// It knows nothing about tables, storage or the wire format: callers pass
// resolved placeholder maps and attr items, and get *apierr.Error values for
// anything the client caused. It imports only attr and apierr.
//
// Parsing is done once per request, in three phases as DynamoDB does it:
// syntax over the whole input (errors quote the failing token and its
// neighbours, expressions.md §10), then placeholder/reserved-word resolution
// in source order, then static rules (function names and arity, operand
// types, overlapping paths). A Cache (cache.go) lets a request that repeats
// an earlier expression text with the same attribute names skip the first
// two phases; the static rules still run on every request, with its own
// values, so the outcome is the same. Evaluation never fails for
// conditions; update application fails only with the run-time errors of
// errors.md I.
//
// # Grammar (EBNF)
//
// Keywords (SET REMOVE ADD DELETE AND OR NOT BETWEEN IN) are
// case-insensitive; function names are case-sensitive. Whitespace separates
// tokens and is otherwise ignored. There are no literals except list indexes.
//
//	NAME        = letter { letter | digit | "_" } .        (not a reserved word)
//	NAMEPH      = "#" ( letter | digit | "_" ) { letter | digit | "_" } .
//	VALUEPH     = ":" ( letter | digit | "_" ) { letter | digit | "_" } .
//	DIGITS      = digit { digit } .
//
//	path        = element { "." element | "[" DIGITS "]" } .   (≤ 32 elements)
//	element     = NAME | NAMEPH .
//
//	condition   = disjunct { "OR" disjunct } .
//	disjunct    = conjunct { "AND" conjunct } .
//	conjunct    = "NOT" conjunct | primary .
//	primary     = "(" condition ")"
//	            | operand comparator operand
//	            | operand "BETWEEN" operand "AND" operand
//	            | operand "IN" "(" operand { "," operand } ")"     (≤ 100 operands)
//	            | call .                                          (a condition function)
//	comparator  = "=" | "<>" | "<" | "<=" | ">" | ">=" .
//	operand     = path | VALUEPH | call .                         (call must be size(path))
//	call        = NAME "(" [ operand { "," operand } ] ")" .
//
//	update      = clause { clause } .                  (each clause kind at most once)
//	clause      = "SET" setaction { "," setaction }
//	            | "REMOVE" path { "," path }
//	            | "ADD" path VALUEPH { "," path VALUEPH }
//	            | "DELETE" path VALUEPH { "," path VALUEPH } .
//	setaction   = path "=" setvalue .
//	setvalue    = updoperand [ ( "+" | "-" ) updoperand ] .
//	updoperand  = path | VALUEPH | NAME "(" [ updoperand { "," updoperand } ] ")"
//	            | "(" updoperand ")" .
//
//	projection  = path { "," path } .
//
//	keycond     = condition .        (restricted to the Query forms, see ParseKeyCondition)
//
// Precedence, highest first: comparators, IN, BETWEEN, functions,
// parentheses, NOT, AND, OR.
package expr
