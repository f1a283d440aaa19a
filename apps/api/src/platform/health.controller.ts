import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { HealthService, type HealthReport } from '@ruche/platform';
import { Public } from '../auth/access';

@ApiTags('platform')
@Controller('api/health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when the database and the queue answer, 503 otherwise (load balancers read the status). */
  @Public()
  @Get()
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const report = await this.health.check();
    if (report.status !== 'ok') void reply.status(503);
    return report;
  }
}
