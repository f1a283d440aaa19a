import { Body, Query, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';
import { unstorableTexts } from '@ruche/core';

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
      // An unknown key can be the empty string: the field is then the root ("query", "body").
      field: (unknownKeys.length > 0 ? [...path, unknownKeys.join(',')].join('.') : path.join('.')) || root,
      code: issue.code === 'unrecognized_keys' ? 'unknown_field' : issue.code,
      message: issue.message,
    };
  });
}

/**
 * Text the database cannot store (U+0000, lone surrogates) anywhere in the request, value or
 * key, refused here with its field instead of failing in the database.
 */
export function unstorableTextErrors(value: unknown, root: string): FieldError[] {
  return unstorableTexts(value).map(({ path, problem }) => ({
    // Keys are shown JSON-escaped: the field names a key that holds such characters itself.
    field: path.map((k) => JSON.stringify(k).slice(1, -1)).join('.') || root,
    code: 'invalid_characters',
    message: problem,
  }));
}

export class ZodValidationPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(
    private readonly schema: T,
    private readonly root: string,
  ) {}

  transform(value: unknown): z.infer<T> {
    const result = this.schema.safeParse(value ?? (this.root === 'body' ? undefined : {}));
    const errors = [...unstorableTextErrors(value, this.root), ...(result.success ? [] : zodFieldErrors(result.error, this.root))];
    if (!result.success || errors.length > 0) throw new RequestValidationError(errors);
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
