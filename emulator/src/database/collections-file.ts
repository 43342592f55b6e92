import fs from 'node:fs';
import { z } from 'zod';
import type { IndexSpec } from './store';

const indexKeySchema = z.object({
  field: z.string().min(1),
  direction: z.union([z.literal(1), z.literal(-1), z.literal('2dsphere')]),
});

const collectionSchema = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'collection names are letters, digits, _ and -'),
  permission: z.literal('ADMINONLY'),
  indexes: z
    .array(
      z.object({
        name: z.string().min(1),
        keys: z.array(indexKeySchema).min(1),
        unique: z.boolean().optional(),
      }),
    )
    .default([]),
});

const collectionsFileSchema = z.object({
  collections: z.array(collectionSchema),
});

/** One declared collection with its indexes. */
export interface CollectionDeclaration {
  name: string;
  indexes: IndexSpec[];
}

/** Reads and validates cloudbase/collections.json; a missing file declares nothing. */
export function readCollectionsFile(file: string): CollectionDeclaration[] {
  if (!fs.existsSync(file)) return [];
  const parsed = collectionsFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file} is invalid: ${z.prettifyError(parsed.error)}`);
  const names = new Set<string>();
  return parsed.data.collections.map((c) => {
    if (names.has(c.name)) throw new Error(`${file} declares collection ${c.name} twice`);
    names.add(c.name);
    return {
      name: c.name,
      indexes: c.indexes.map((i) => ({ name: i.name, keys: i.keys, unique: i.unique ?? false })),
    };
  });
}
