import type { DocFilter, DocStore, StoredDoc } from './doc-store';

/**
 * Every document matching `filter`, page by page in `_id` order: each page asks for ids after the
 * last one seen (the primary key, always indexed) instead of skipping, so a page costs the same
 * wherever it is and a document that leaves or joins the filter meanwhile never shifts the others.
 */
export async function* pagesByCursor<T extends StoredDoc>(
  store: DocStore,
  collection: string,
  filter: DocFilter,
  pageSize: number,
): AsyncGenerator<T[]> {
  let after: string | undefined;
  for (;;) {
    const page = await store.find<T>(
      collection,
      after === undefined ? filter : { ...filter, _id: { $gt: after } },
      {
        orderBy: { field: '_id', direction: 'asc' },
        limit: pageSize,
      },
    );
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]?._id;
  }
}
