import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

interface RecordedHeaders {
  set: [string, string][];
  remove: string[];
}

/** What helmet's middleware does to a response with these options, recorded once. */
export function helmetHeaders(options: HelmetOptions): RecordedHeaders {
  const set = new Map<string, string>();
  const remove = new Set<string>();
  const response = {
    setHeader(name: string, value: unknown) {
      remove.delete(name);
      set.set(name, Array.isArray(value) ? value.join(', ') : String(value));
      return response;
    },
    removeHeader(name: string) {
      set.delete(name);
      remove.add(name);
    },
  };
  let failure: Error | undefined;
  helmet(options)(
    {} as IncomingMessage,
    response as unknown as ServerResponse,
    (error?: unknown) => {
      if (error !== undefined && error !== null)
        failure = error instanceof Error ? error : new Error('helmet refused the options');
    },
  );
  if (failure) throw failure;
  return { set: [...set], remove: [...remove] };
}

/**
 * Helmet's security headers on every answer, set on the raw response at onRequest exactly as
 * @fastify/helmet sets them, except on routes configured with `helmet: { skipRoute: true }`.
 * @fastify/helmet builds helmet's middleware again for every request (parsing the CSP directives
 * each time: about a tenth of the CPU of a simple authenticated read); these options never change
 * after boot, so the headers are computed once here. No other per-route helmet option is
 * supported: a route that declares one stops the boot.
 */
export function registerSecurityHeaders(fastify: FastifyInstance, options: HelmetOptions): void {
  const { set, remove } = helmetHeaders(options);
  fastify.addHook('onRoute', (route) => {
    const config = route.config as { helmet?: Record<string, unknown> } | undefined;
    const keys = Object.keys(config?.helmet ?? {});
    if (keys.some((key) => key !== 'skipRoute')) {
      throw new Error(
        `${[route.method].flat().join(',')} ${route.url}: only { helmet: { skipRoute: true } } is supported per route`,
      );
    }
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    const config = request.routeOptions.config as { helmet?: { skipRoute?: boolean } } | undefined;
    if (config?.helmet?.skipRoute !== true) {
      const raw = reply.raw;
      for (const [name, value] of set) raw.setHeader(name, value);
      for (const name of remove) raw.removeHeader(name);
    }
    done();
  });
}
