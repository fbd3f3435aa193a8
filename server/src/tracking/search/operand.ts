// Turns an identifier token into an operand: which entity, which canonical key, what value type. Shared by the
// filter and order_by parsers so both accept exactly the same spellings.
import type { EntityType, ValueType } from './ast.js';
import { FilterSyntaxError, quotedList } from './errors.js';
import { DATASET_KEYS, attributeKeys, type KindGrammar } from './grammar.js';
import type { IdentifierPart, Token } from './tokenizer.js';

/** Words that can never be an identifier, so `NOT metrics.x > 1` fails on NOT instead of "unknown attribute NOT". */
const RESERVED = new Set(['AND', 'OR', 'NOT', 'IN', 'LIKE', 'ILIKE', 'IS', 'NULL', 'ASC', 'DESC', 'BETWEEN']);

export interface ResolvedOperand {
  entity: EntityType;
  key: string;
  valueType: ValueType;
  raw: string;
  position: number;
}

/**
 * The identifier parts of a token in identifier position. A bare double-quoted string counts as a one-part
 * identifier (MLflow strips the quotes from `"status" = 'x'`); anything else is not an identifier.
 */
export function identifierParts(token: Token): IdentifierPart[] | null {
  if (token.type === 'identifier') {
    const only = token.parts.length === 1 ? token.parts[0]! : null;
    if (only && only.quote === null && RESERVED.has(only.text.toUpperCase())) return null;
    return token.parts;
  }
  if (token.type === 'string' && token.quote === '"') return [{ text: token.value, quote: '"', position: token.start }];
  return null;
}

/** Splits parts into (entity prefix, key): everything after the first dot is the key (`tags.mlflow.runName`). */
function splitParts(parts: IdentifierPart[], raw: string): { prefix: IdentifierPart | null; key: string; keyAt: number } {
  if (parts.length === 1) return { prefix: null, key: parts[0]!.text, keyAt: parts[0]!.position };
  const keyParts = parts.slice(1);
  if (keyParts.length > 1 && keyParts.some((p) => p.quote !== null)) {
    // `tags.a."b"`: a quoted key must be the whole key, or the dots inside the quotes would be ambiguous.
    const at = keyParts[0]!.position;
    throw new FilterSyntaxError(`Invalid identifier '${raw}': quote the whole key, e.g. tags."a.b"`, at, raw);
  }
  return { prefix: parts[0]!, key: keyParts.map((p) => p.text).join('.'), keyAt: keyParts[0]!.position };
}

/**
 * Resolves an identifier for a filter (`use` = 'filter') or an order_by clause ('order'); throws FilterSyntaxError
 * with MLflow's wording for an unknown entity or key.
 */
export function resolveOperand(
  grammar: KindGrammar,
  parts: IdentifierPart[],
  raw: string,
  position: number,
  use: 'filter' | 'order',
): ResolvedOperand {
  const { prefix, key, keyAt } = splitParts(parts, raw);
  let entity: EntityType = 'attribute';
  if (prefix !== null) {
    const found = grammar.entities.get(prefix.text);
    if (found === undefined) {
      throw new FilterSyntaxError(grammar.invalidEntityMessage(prefix.text), prefix.position, prefix.text);
    }
    entity = found;
  }
  if (key === '') throw new FilterSyntaxError(`Invalid identifier '${raw}': the key is empty`, keyAt, raw);

  switch (entity) {
    case 'metric':
      return { entity, key, valueType: 'double', raw, position };
    case 'param':
    case 'tag':
      return { entity, key, valueType: 'string', raw, position };
    case 'dataset':
      if (!DATASET_KEYS.includes(key)) {
        throw new FilterSyntaxError(
          `Invalid dataset key '${key}' specified. Valid keys are '${quotedList(DATASET_KEYS)}'`,
          keyAt,
          key,
        );
      }
      return { entity, key, valueType: 'string', raw, position };
    case 'attribute': {
      const aliases = use === 'filter' ? grammar.filterAliases : grammar.orderAliases;
      const canonical = aliases.get(key) ?? key;
      const spec = grammar.attributes.get(canonical);
      if (spec === undefined || !(use === 'filter' ? spec.filterable : spec.orderable)) {
        throw new FilterSyntaxError(
          `Invalid attribute key '${key}' specified. Valid keys are '${quotedList(attributeKeys(grammar, use))}'`,
          keyAt,
          key,
        );
      }
      return { entity, key: canonical, valueType: spec.valueType, raw, position };
    }
  }
}
