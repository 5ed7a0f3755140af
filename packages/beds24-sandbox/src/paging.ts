export interface Pages {
  nextPageExists: boolean;
  nextPageLink: string | null;
}

/** Slices one page and builds Beds24's `pages` object, whose link is the same request with `page` moved on. */
export function paginate<T>(items: T[], page: number, pageSize: number, requestUrl: URL): { data: T[]; pages: Pages } {
  const start = (page - 1) * pageSize;
  const data = items.slice(start, start + pageSize);
  const nextPageExists = items.length > start + pageSize;
  let nextPageLink: string | null = null;
  if (nextPageExists) {
    const next = new URL(requestUrl);
    next.searchParams.set('page', String(page + 1));
    nextPageLink = next.toString();
  }
  return { data, pages: { nextPageExists, nextPageLink } };
}
