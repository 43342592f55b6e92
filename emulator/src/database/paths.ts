import { isPlainObject } from './values';

/**
 * Every value a dotted path reaches in a document, with MongoDB's multikey rules: arrays along the
 * path fan out over their elements, numeric segments also address array positions, and an array at
 * the end yields each element (an empty array yields itself). A path reaching nothing yields `[undefined]`.
 */
export function valuesAtPath(doc: unknown, path: string): unknown[] {
  const found: unknown[] = [];
  collect(doc, path.split('.'), 0, found);
  return found.length > 0 ? found : [undefined];
}

function collect(value: unknown, segments: string[], depth: number, found: unknown[]): void {
  if (depth === segments.length) {
    // Elements index an array (multikey); an empty array indexes as itself so the document keeps a key.
    if (Array.isArray(value) && value.length > 0) found.push(...value);
    else found.push(value);
    return;
  }
  const segment = segments[depth] ?? '';
  if (Array.isArray(value)) {
    if (/^\d+$/.test(segment)) collect(value[Number(segment)], segments, depth + 1, found);
    for (const item of value) if (isPlainObject(item)) collect(item, segments, depth, found);
    return;
  }
  // A missing field indexes like null, so `{field: null}` still finds the document.
  if (isPlainObject(value) && segment in value) collect(value[segment], segments, depth + 1, found);
  else found.push(undefined);
}
