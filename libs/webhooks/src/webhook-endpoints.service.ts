import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';

export interface WebhookEndpoint {
  url: string;
  /** HMAC-SHA256 key the receiver verifies the signature header with */
  secret: string;
}

/** Well-known endpoint names; another feature adds its own name and registers its endpoint. */
export const OPT_OUT_ENDPOINT = 'opt-out';

/**
 * The configured webhook endpoints by name. Secrets stay in configuration: a delivery row stores the URL only and
 * the worker looks the secret up when it signs each attempt.
 */
@Injectable()
export class WebhookEndpoints {
  private readonly byName = new Map<string, WebhookEndpoint>();

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.webhooks.optOut) this.byName.set(OPT_OUT_ENDPOINT, config.webhooks.optOut);
  }

  /** Adds or replaces an endpoint (call at module init, from the feature's own configuration). */
  register(name: string, endpoint: WebhookEndpoint): void {
    this.byName.set(name, endpoint);
  }

  get(name: string): WebhookEndpoint | undefined {
    return this.byName.get(name);
  }

  secretFor(url: string): string | undefined {
    for (const endpoint of this.byName.values()) if (endpoint.url === url) return endpoint.secret;
    return undefined;
  }
}
