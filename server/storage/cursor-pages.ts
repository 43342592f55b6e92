import type { DocFilter, DocStore, StoredDoc } from './doc-store';

/**
 * The next `limit` documents matching `filter` after the `_id` `after` (from the first when undefined or
 * empty), in `_id` order: the primary key is always indexed, so a page costs the same wherever it is.
 */
export function pageAfter<T extends StoredDoc>(
  store: DocStore,
  collection: string,
  filter: DocFilter,
  after: string | undefined,
  limit: number,
): Promise<T[]> {
  return store.find<T>(collection, after ? { ...filter, _id: { $gt: after } } : filter, {
    orderBy: { field: '_id', direction: 'asc' },
    limit,
  });
}

/**
 * Every document matching `filter`, page by page in `_id` order: each page asks for ids after the
 * last one seen instead of skipping, so a document that leaves or joins the filter meanwhile never
 * shifts the others.
 */
export async function* pagesByCursor<T extends StoredDoc>(
  store: DocStore,
  collection: string,
  filter: DocFilter,
  pageSize: number,
): AsyncGenerator<T[]> {
  let after: string | undefined;
  for (;;) {
    const page = await pageAfter<T>(store, collection, filter, after, pageSize);
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]?._id;
  }
}

/** Every document matching `filter`, in `_id` order (pagesByCursor, gathered). */
export async function findAllByCursor<T extends StoredDoc>(
  store: DocStore,
  collection: string,
  filter: DocFilter,
  pageSize: number,
): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pagesByCursor<T>(store, collection, filter, pageSize)) all.push(...page);
  return all;
}
