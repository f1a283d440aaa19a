import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { QueuePort } from '../queue/jobs';

export interface HealthReport {
  status: 'ok' | 'degraded';
  database: 'up' | 'down';
  queue: 'up' | 'down';
}

@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: QueuePort,
  ) {}

  async check(): Promise<HealthReport> {
    const [database, queue] = await Promise.all([
      this.dataSource
        .query('SELECT 1')
        .then(() => 'up' as const)
        .catch(() => 'down' as const),
      this.queue.ping().then((ok) => (ok ? ('up' as const) : ('down' as const))),
    ]);
    return { status: database === 'up' && queue === 'up' ? 'ok' : 'degraded', database, queue };
  }
}
