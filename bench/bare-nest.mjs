// The ceilings of the HTTP benchmarks: a bare NestJS app on the same Fastify adapter as the API,
// no session, no permission check, no TypeORM, no validation. Started by a benchmark in its own
// process, like the API. Prints "bare ready <port>". Routes:
//   POST /hook/:id                 answers 200 (JSON body parsed, nothing else): webhook ingestion.
//   GET  /row/:id                  one contacts row by primary key with `pg` (DATABASE_URL, a Pool of
//                                  BARE_POOL_SIZE connections, default 10): member status lookup.
//   GET  /directory/:orgId?…       the directory's SQL (count + page + tags) for the filters
//                                  bench/contacts-directory.bench.mjs uses, with `pg`.
//   GET  /events                   Server-Sent Events from an RxJS Subject (Nest @Sse).
//   POST /events                   publishes the JSON body to every /events stream, through Redis
//                                  pub/sub when REDIS_URL is set (channel REDIS_PREFIX:bare-events),
//                                  as the API's live events do; answers 202.
import 'reflect-metadata';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Module,
  NotFoundException,
  Param,
  Post,
  Query,
  Sse,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import pg from 'pg';
import { Subject, map } from 'rxjs';

const pool = process.env.DATABASE_URL
  ? new pg.Pool({
      connectionString: process.env.DATABASE_URL,
      max: Number(process.env.BARE_POOL_SIZE ?? 10),
    })
  : null;
const events = new Subject();
const channel = `${process.env.REDIS_PREFIX ?? 'ruche-bare'}:bare-events`;
const publisher = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL) : null;
const subscriber = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL) : null;
if (subscriber) {
  await subscriber.subscribe(channel);
  subscriber.on('message', (_channel, message) => events.next(JSON.parse(message)));
}

// What DirectoryService.list sorts by (libs/memberships/src/services/directory.service.ts).
const SORT_SQL = {
  name: 'c.sort_name',
  createdAt: 'c.created_at',
  reference: 'c.number',
  validUntil: 's.valid_until',
  memberSince: 's.member_since',
};
const normalize = (v) =>
  v
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9@.]+/g, ' ')
    .trim();

class BareController {
  receive() {
    return { received: true };
  }

  async row(id) {
    // BARE_PREPARED=1: a named statement, planned once per connection (as the API's lookup is).
    const { rows } = await pool.query(
      process.env.BARE_PREPARED === '1'
        ? { name: 'bare-row', text: 'SELECT * FROM contacts WHERE id = $1', values: [id] }
        : { text: 'SELECT * FROM contacts WHERE id = $1', values: [id] },
    );
    if (rows.length === 0) throw new NotFoundException();
    return rows[0];
  }

  /** The same statements as DirectoryService.list for q, city, tagIds, statuses, member, joinedFrom, lapsedSince, sort, limit, offset. */
  async directory(orgId, query) {
    const params = [orgId];
    const p = (v) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where = ['c.organization_id = $1', 'c.merged_into_id IS NULL', 'c.erased_at IS NULL'];
    for (const word of normalize(query.q ?? '')
      .split(' ')
      .filter(Boolean)
      .slice(0, 6))
      where.push(`c.search_text LIKE ${p(`%${word}%`)}`);
    if (query.city) where.push(`lower(c.city) = lower(${p(query.city)})`);
    for (const tagId of query.tagIds ? query.tagIds.split(',') : []) {
      where.push(
        `EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.organization_id = c.organization_id AND ct.contact_id = c.id AND ct.tag_id = ${p(tagId)})`,
      );
    }
    if (query.statuses) where.push(`s.status = ANY(${p(query.statuses.split(','))}::varchar[])`);
    if (query.member === 'none') where.push('s.contact_id IS NULL');
    if (query.joinedFrom) where.push(`s.member_since >= ${p(query.joinedFrom)}::date`);
    if (query.lapsedSince)
      where.push(`s.status = 'lapsed' AND s.lapsed_since >= ${p(query.lapsedSince)}::date`);
    const descending = (query.sort ?? '').startsWith('-');
    const column = SORT_SQL[(query.sort ?? 'name').replace(/^-/, '')] ?? SORT_SQL.name;
    const direction = descending ? 'DESC' : 'ASC';
    const limit = Math.min(200, Number(query.limit ?? 50));
    const offset = Number(query.offset ?? 0);
    const from =
      'FROM contacts c LEFT JOIN member_summaries s ON s.organization_id = c.organization_id AND s.contact_id = c.id';
    const total = (
      await pool.query(`SELECT count(*)::int AS total ${from} WHERE ${where.join(' AND ')}`, params)
    ).rows[0].total;
    const { rows } = await pool.query(
      `SELECT c.id, c.number, c.kind, c.first_name, c.last_name, c.organization_name, c.email, c.phone, c.mobile_phone, c.city, c.postal_code, c.created_at,
              s.status, p.name AS plan_name, s.member_since::text AS member_since, s.valid_until::text AS valid_until
         ${from} LEFT JOIN membership_plans p ON p.organization_id = s.organization_id AND p.id = s.plan_id
        WHERE ${where.join(' AND ')}
        ORDER BY ${column} ${direction} NULLS LAST, c.sort_name ${direction}, c.id ${direction}
        LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    const tags = await pool.query(
      `SELECT ct.contact_id, t.id, t.name, t.color FROM contact_tags ct JOIN tags t ON t.organization_id = ct.organization_id AND t.id = ct.tag_id
        WHERE ct.organization_id = $1 AND ct.contact_id = ANY($2::uuid[]) ORDER BY t.name`,
      [orgId, rows.map((r) => r.id)],
    );
    const byContact = new Map();
    for (const t of tags.rows)
      byContact.set(t.contact_id, [
        ...(byContact.get(t.contact_id) ?? []),
        { id: t.id, name: t.name, color: t.color },
      ]);
    return {
      items: rows.map((r) => ({ ...r, tags: byContact.get(r.id) ?? [] })),
      total,
      limit,
      offset,
    };
  }

  stream() {
    return events.pipe(map((event) => ({ data: event })));
  }

  async publish(event) {
    if (publisher) await publisher.publish(channel, JSON.stringify(event));
    else events.next(event);
    return { published: true };
  }
}

/** Applies method decorators the way TypeScript does (this file is plain JavaScript). */
function decorate(name, ...decorators) {
  const descriptor = Object.getOwnPropertyDescriptor(BareController.prototype, name);
  for (const decorator of decorators) decorator(BareController.prototype, name, descriptor);
  Object.defineProperty(BareController.prototype, name, descriptor);
}
Controller()(BareController);
decorate('receive', HttpCode(200), Post('hook/:id'));
Param('id')(BareController.prototype, 'row', 0);
decorate('row', Get('row/:id'));
Param('orgId')(BareController.prototype, 'directory', 0);
Query()(BareController.prototype, 'directory', 1);
decorate('directory', Get('directory/:orgId'));
decorate('stream', Sse('events'));
Body()(BareController.prototype, 'publish', 0);
decorate('publish', HttpCode(202), Post('events'));

class BareModule {}
Module({ controllers: [BareController] })(BareModule);

const app = await NestFactory.create(BareModule, new FastifyAdapter({ bodyLimit: 1024 * 1024 }), {
  logger: false,
});
await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.stdout.write(`bare ready ${app.getHttpServer().address().port}\n`);
process.once('SIGTERM', async () => {
  events.complete();
  await app.close();
  await pool?.end();
  publisher?.disconnect();
  subscriber?.disconnect();
  process.exit(0);
});
