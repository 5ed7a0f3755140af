import type { Logger } from '../../../logger.ts';
import type { Beds24Config } from '../store/config_store.ts';
import type { Beds24Connections } from './beds24_connections.ts';

export interface WebhookSetupDeps {
  connections: Pick<Beds24Connections, 'clientFor'>;
  /** PUBLIC_URL: where Beds24 reaches this PMS; without it nothing is configured. */
  publicUrl: string | undefined;
  /** BEDS24_WEBHOOK_TOKEN, sent back by Beds24 as the X-Webhook-Token header. */
  token: string | undefined;
  logger: Logger;
}

export type WebhookSetupResult = 'configured' | 'skipped' | 'failed';

/** The booking webhook's address for a PMS reachable at `publicUrl` (a path prefix kept). */
export function webhookUrl(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/webhooks/beds24`;
}

/**
 * Points a Beds24 property's booking webhook at this PMS (`POST /properties`, one credit): version
 * `twoNoPersonalData` (the PMS reads the booking back by id, so the webhook need not carry the guest),
 * no card data, and our token as a custom header. A failure is a warning: pulls still bring every booking.
 */
export class WebhookSetup {
  private readonly deps: WebhookSetupDeps;

  constructor(deps: WebhookSetupDeps) {
    this.deps = deps;
  }

  async configure(config: Beds24Config): Promise<WebhookSetupResult> {
    const { connections, publicUrl, token, logger } = this.deps;
    if (publicUrl === undefined || token === undefined || config.refresh_token === null) return 'skipped';
    const context = { property_id: config.property_id, beds24_property_id: config.beds24_property_id };
    try {
      const [result] = await connections.clientFor(config).postProperties(
        [
          {
            id: config.beds24_property_id,
            webhooks: {
              version: 'twoNoPersonalData',
              url: webhookUrl(publicUrl),
              additionalData: 'none',
              customHeader: `X-Webhook-Token: ${token}`,
            },
          },
        ],
        { priority: 'high', wait: false, retries: 1 },
      );
      if (result?.ok !== true) {
        const reason = result?.ok === false ? result.error.message : 'no answer for the property';
        logger.warn({ ...context, reason }, 'Beds24 refused the booking webhook setting; pulls still import bookings');
        return 'failed';
      }
      logger.info(context, 'Beds24 booking webhook set to this PMS');
      return 'configured';
    } catch (error) {
      logger.warn({ ...context, err: error }, 'could not set the Beds24 booking webhook; pulls still import bookings');
      return 'failed';
    }
  }
}
