import type { ApiErrorBody } from '@ruche/contracts';

/** A failed API call: the HTTP status and the server's error body (status 0: network failure). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
    this.name = 'ApiError';
  }

  get code(): string {
    return this.body.code;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
/** Query parameters; a list is sent as the same parameter repeated (`a=1&a=2`). */
type Query = Record<string, string | number | readonly string[] | undefined>;

let csrfToken: string | null = null;
let onUnauthorized: () => void = () => undefined;

/** The token of the current session, sent as `x-csrf-token` on every non-GET request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called on any 401 answer: the session is gone. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    if (typeof value === 'string' || typeof value === 'number') params.set(key, String(value));
    else for (const item of value) params.append(key, item);
  }
  const search = params.toString();
  return `/api/v1${path}${search ? `?${search}` : ''}`;
}

async function errorBody(response: Response): Promise<ApiErrorBody> {
  try {
    const body = (await response.json()) as Partial<ApiErrorBody>;
    return {
      statusCode: response.status,
      code: body.code ?? `http_${response.status}`,
      message: body.message ?? response.statusText,
      errors: body.errors ?? [],
      requestId: body.requestId,
    };
  } catch {
    return {
      statusCode: response.status,
      code: `http_${response.status}`,
      message: response.statusText,
      errors: [],
    };
  }
}

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /**
   * The `x-csrf-token` of another session (the member space): a string is sent instead of the staff
   * token, null sends none. Left out: the staff session's token, as usual.
   */
  csrfToken?: string | null;
  /** False: a 401 answer does not end the staff session (calls made for another session). */
  staffSession?: boolean;
}

export async function request<T>(
  method: Method,
  path: string,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return send<T>(method, apiUrl(path, options.query), {
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
    csrfToken: options.csrfToken,
    staffSession: options.staffSession,
  });
}

/**
 * POSTs a file as the raw request body (its own content type unless `contentType` forces one, its
 * URL-encoded name in `x-file-name`), with the session's CSRF token; errors as for `request`.
 */
export async function uploadFile<T>(
  path: string,
  file: File,
  options: { signal?: AbortSignal; query?: Query; contentType?: string } = {},
): Promise<T> {
  return send<T>('POST', apiUrl(path, options.query), {
    headers: {
      'content-type': options.contentType ?? (file.type || 'application/octet-stream'),
      'x-file-name': encodeURIComponent(file.name),
    },
    body: file,
    signal: options.signal,
  });
}

/** How much of an upload has left the browser (`total` 0 when the browser cannot tell). */
export interface UploadProgress {
  loaded: number;
  total: number;
}

/** The error body of a failed XMLHttpRequest, as `errorBody` reads it for fetch. */
function xhrErrorBody(xhr: XMLHttpRequest): ApiErrorBody {
  try {
    const body = JSON.parse(xhr.responseText) as Partial<ApiErrorBody>;
    return {
      statusCode: xhr.status,
      code: body.code ?? `http_${xhr.status}`,
      message: body.message ?? xhr.statusText,
      errors: body.errors ?? [],
      requestId: body.requestId,
    };
  } catch {
    return {
      statusCode: xhr.status,
      code: `http_${xhr.status}`,
      message: xhr.statusText,
      errors: [],
    };
  }
}

/**
 * `uploadFile` through XMLHttpRequest, which reports the upload's progress (fetch cannot):
 * `onProgress` is called as the body is sent. Same headers, CSRF token and errors as `uploadFile`.
 */
export function uploadFileWithProgress<T>(
  path: string,
  file: File,
  options: {
    signal?: AbortSignal;
    query?: Query;
    contentType?: string;
    onProgress?: (progress: UploadProgress) => void;
  } = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl(path, options.query));
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader(
      'content-type',
      options.contentType ?? (file.type || 'application/octet-stream'),
    );
    xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    const onProgress = options.onProgress;
    if (onProgress) {
      xhr.upload.onprogress = (event) =>
        onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : 0 });
      xhr.upload.onload = () => onProgress({ loaded: file.size, total: file.size });
    }
    const networkError = () =>
      new ApiError(0, {
        statusCode: 0,
        code: 'network_error',
        message: 'Network error',
        errors: [],
      });
    xhr.onerror = () => reject(networkError());
    xhr.onabort = () => reject(new DOMException('The upload was aborted', 'AbortError'));
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) {
        if (xhr.status === 401) onUnauthorized();
        reject(new ApiError(xhr.status, xhrErrorBody(xhr)));
        return;
      }
      try {
        resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
      } catch {
        reject(networkError());
      }
    };
    if (options.signal) {
      if (options.signal.aborted) {
        reject(new DOMException('The upload was aborted', 'AbortError'));
        return;
      }
      options.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(file);
  });
}

/**
 * GETs a binary resource (an image, a PDF) with the session cookie, as a Blob: for previews that
 * need an object URL. Errors as for `request`.
 */
export async function requestBlob(
  path: string,
  options: { query?: Query; signal?: AbortSignal; staffSession?: boolean } = {},
): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method: 'GET',
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, {
      statusCode: 0,
      code: 'network_error',
      message: 'Network error',
      errors: [],
    });
  }
  if (!response.ok) {
    if (response.status === 401 && options.staffSession !== false) onUnauthorized();
    throw new ApiError(response.status, await errorBody(response));
  }
  return response.blob();
}

async function send<T>(
  method: Method,
  url: string,
  init: {
    headers: Record<string, string>;
    body?: BodyInit;
    signal?: AbortSignal;
    csrfToken?: string | null;
    staffSession?: boolean;
  },
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
  const token = init.csrfToken === undefined ? csrfToken : init.csrfToken;
  if (method !== 'GET' && token) headers['x-csrf-token'] = token;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: init.body,
      credentials: 'same-origin',
      signal: init.signal,
    });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ApiError(0, {
      statusCode: 0,
      code: 'network_error',
      message: 'Network error',
      errors: [],
    });
  }
  if (!response.ok) {
    if (response.status === 401 && init.staffSession !== false) onUnauthorized();
    throw new ApiError(response.status, await errorBody(response));
  }
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
