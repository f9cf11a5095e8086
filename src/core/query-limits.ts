import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from "graphql";

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  /** selected fields in the whole operation, fragments expanded: a cheap complexity bound */
  maxFields: number;
}

// Apollo reports these as GRAPHQL_VALIDATION_FAILED; the message says which limit.
const refuse = (message: string) => new GraphQLError(message);

/**
 * Validation rules that refuse an over-deep, over-aliased or over-large
 * operation before any resolver runs (validation precedes execution).
 */
export function queryLimitRules(limits: QueryLimits) {
  return [
    (context: ValidationContext): ASTVisitor => ({
      OperationDefinition(operation) {
        const fragments = new Map<string, FragmentDefinitionNode>();
        for (const definition of context.getDocument().definitions) {
          if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
        }
        const totals = { fields: 0, aliases: 0, depth: 0 };
        walk(operation.selectionSet, 1, fragments, totals, new Set());
        if (totals.depth > limits.maxDepth) context.reportError(refuse(`Query depth ${totals.depth} exceeds the limit of ${limits.maxDepth}`));
        if (totals.aliases > limits.maxAliases) context.reportError(refuse(`Query uses ${totals.aliases} aliases; the limit is ${limits.maxAliases}`));
        if (totals.fields > limits.maxFields) context.reportError(refuse(`Query selects ${totals.fields} fields; the limit is ${limits.maxFields}`));
      },
    }),
  ];
}

function walk(
  selectionSet: SelectionSetNode,
  depth: number,
  fragments: Map<string, FragmentDefinitionNode>,
  totals: { fields: number; aliases: number; depth: number },
  visiting: Set<string>,
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith("__")) continue; // introspection is bounded by the schema itself
      totals.fields += 1;
      if (selection.alias) totals.aliases += 1;
      totals.depth = Math.max(totals.depth, depth);
      if (selection.selectionSet) walk(selection.selectionSet, depth + 1, fragments, totals, visiting);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      walk(selection.selectionSet, depth, fragments, totals, visiting);
    } else {
      const fragment = fragments.get(selection.name.value);
      // Fragment cycles are reported by graphql's own NoFragmentCycles rule; stop here.
      if (!fragment || visiting.has(fragment.name.value)) continue;
      visiting.add(fragment.name.value);
      walk(fragment.selectionSet, depth, fragments, totals, visiting);
      visiting.delete(fragment.name.value);
    }
  }
}
