/** Where a page's data stands; every page keeps one (rendered by wl-load-state). */
export type LoadStatus = 'loading' | 'ready' | 'empty' | 'error';
