/** Where a demo-mode server writes its in-process sandbox's URL (under DATA_DIR), for the command line. */
export const SANDBOX_URL_FILE = 'beds24-sandbox.url';
