/** Runs `work` over `items`, at most `limit` at a time, answering the results in item order. */
export async function inBatches<I, O>(
  items: readonly I[],
  limit: number,
  work: (item: I) => Promise<O>,
): Promise<O[]> {
  const results: O[] = [];
  for (let start = 0; start < items.length; start += limit) {
    results.push(...(await Promise.all(items.slice(start, start + limit).map(work))));
  }
  return results;
}
