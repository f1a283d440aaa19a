import { Body, Query, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** Thrown by the validation pipe; the exception filter answers 400 with every field error. */
export class RequestValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super('Invalid request');
    this.name = 'RequestValidationError';
  }
}

export function zodFieldErrors(error: z.ZodError, root: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String);
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    return {
      field: unknownKeys.length > 0 ? [...path, unknownKeys.join(',')].join('.') : path.join('.') || root,
      code: issue.code === 'unrecognized_keys' ? 'unknown_field' : issue.code,
      message: issue.message,
    };
  });
}

export class ZodValidationPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(
    private readonly schema: T,
    private readonly root: string,
  ) {}

  transform(value: unknown): z.infer<T> {
    const result = this.schema.safeParse(value ?? (this.root === 'body' ? undefined : {}));
    if (!result.success) throw new RequestValidationError(zodFieldErrors(result.error, this.root));
    return result.data;
  }
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  } catch {
    return { type: 'object' };
  }
}

function describe(target: object, key: string | symbol | undefined, decorator: MethodDecorator): void {
  if (key === undefined) return;
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  if (descriptor) decorator(target, key, descriptor);
}

/** The request body, validated by a contracts schema, and documented in the OpenAPI page. */
export function ZodBody(schema: z.ZodType): ParameterDecorator {
  return (target, key, index) => {
    Body(new ZodValidationPipe(schema, 'body'))(target, key, index);
    describe(target, key, ApiBody({ schema: jsonSchema(schema) as never }));
  };
}

/** The query string, validated and coerced by a contracts schema. */
export function ZodQuery(schema: z.ZodObject): ParameterDecorator {
  return (target, key, index) => {
    Query(new ZodValidationPipe(schema, 'query'))(target, key, index);
    for (const [name, field] of Object.entries(schema.shape)) {
      describe(target, key, ApiQuery({ name, required: false, schema: jsonSchema(field as z.ZodType) as never }));
    }
  };
}
