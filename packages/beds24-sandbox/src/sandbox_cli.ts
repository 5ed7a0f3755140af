import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { INVENTORY_MODELS } from './sandbox_model.ts';
import { createBeds24Sandbox } from './sandbox_server.ts';

const USAGE = `usage: npm run sandbox -- [--port 4024] [--host 127.0.0.1]
       [--persist-file state.json] [--page-size 100] [--inventory-model ${INVENTORY_MODELS.join('|')}]`;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4024' },
    host: { type: 'string', default: '127.0.0.1' },
    'persist-file': { type: 'string' },
    'page-size': { type: 'string' },
    'inventory-model': { type: 'string', default: 'stored' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const inventoryModel = INVENTORY_MODELS.find((model) => model === values['inventory-model']);
if (inventoryModel === undefined) {
  process.stderr.write(`--inventory-model must be one of ${INVENTORY_MODELS.join(', ')}\n${USAGE}\n`);
  process.exit(2);
}

const logger = pino({ level: 'info' });
const sandbox = createBeds24Sandbox({
  logger,
  inventoryModel,
  ...(values['persist-file'] === undefined ? {} : { persistFile: values['persist-file'] }),
  ...(values['page-size'] === undefined ? {} : { pageSize: Number(values['page-size']) }),
});

// A fresh sandbox gets one demo account; a persisted one keeps its accounts and just gets a new code.
let accountId = sandbox.accountIds[0];
if (accountId === undefined) {
  accountId = sandbox.createAccount({
    properties: [
      {
        name: 'Sandbox Hotel',
        timezone: 'Europe/Berlin',
        currency: 'EUR',
        rooms: [
          { name: 'Double Room', qty: 5 },
          { name: 'Single Room', qty: 3 },
        ],
      },
    ],
  }).accountId;
}

const url = await sandbox.listen(Number(values.port), values.host);
const inviteCode = sandbox.createInviteCode(accountId);
process.stdout.write(`Beds24 sandbox listening on ${url}\n`);
process.stdout.write(`account ${accountId} invite code: ${inviteCode}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
