// The ceiling of the webhook benchmark: a bare NestJS app on the same Fastify adapter that only
// answers 200 to POST /hook/:id (JSON body parsed, nothing else). Started by the benchmark in its
// own process, like the API. Prints "bare ready <port>".
import 'reflect-metadata';
import { Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

class HookController {
  receive() {
    return { received: true };
  }
}
Controller('hook')(HookController);
const descriptor = Object.getOwnPropertyDescriptor(HookController.prototype, 'receive');
HttpCode(200)(HookController.prototype, 'receive', descriptor);
Post(':id')(HookController.prototype, 'receive', descriptor);
Object.defineProperty(HookController.prototype, 'receive', descriptor);

class BareModule {}
Module({ controllers: [HookController] })(BareModule);

const app = await NestFactory.create(BareModule, new FastifyAdapter({ bodyLimit: 1024 * 1024 }), { logger: false });
await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
process.stdout.write(`bare ready ${app.getHttpServer().address().port}\n`);
