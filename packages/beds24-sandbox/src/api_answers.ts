/** One `errors`/`warnings`/`info` entry of Beds24's `multiplePostResponse`. */
export interface ItemIssue {
  action: string;
  field: string;
  message: string;
}

/** One element of a POST/DELETE answer array (`multiplePostResponse`). */
export interface ItemResult {
  success: boolean;
  new?: Record<string, unknown>;
  modified?: Record<string, unknown>;
  deleted?: Record<string, unknown>;
  errors?: ItemIssue[];
  warnings?: ItemIssue[];
  info?: ItemIssue[];
  [extra: string]: unknown;
}

export interface UnsuccessfulApiResponse {
  success: false;
  type: 'error';
  code: number;
  error: string;
}

export function unsuccessful(code: number, error: string): UnsuccessfulApiResponse {
  return { success: false, type: 'error', code, error };
}

/** Drops empty issue lists so answers look like Beds24's, which omits them. */
export function itemResult(
  success: boolean,
  parts: { errors?: ItemIssue[]; warnings?: ItemIssue[]; info?: ItemIssue[] } & Record<string, unknown>,
): ItemResult {
  const result: ItemResult = { success };
  for (const [key, value] of Object.entries(parts)) {
    if (Array.isArray(value) && value.length === 0) continue;
    if (value !== undefined) result[key] = value;
  }
  return result;
}
