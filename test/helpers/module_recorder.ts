import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

// Preloaded with `--import` by a test that must know which modules a process loaded (ES modules and
// require() alike, dynamic imports included): one URL per line in MODULE_RECORD_FILE.
const file = process.env.MODULE_RECORD_FILE;
if (file !== undefined && file !== '') {
  registerHooks({
    load(url, context, nextLoad) {
      appendFileSync(file, `${url}\n`);
      return nextLoad(url, context);
    },
  });
}
