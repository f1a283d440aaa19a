import {
  IMPORT_CONTENT_TYPES,
  type ImportMappingInput,
  type ImportMode,
  type ImportReadingInput,
  type ImportOutcome,
  type ImportRowView,
  type ImportView,
  type Page,
} from '@ruche/contracts';
import { request, uploadFile } from './client';
import type { PageQuery } from './orgs';

const base = (orgId: string, path: string) => `/orgs/${encodeURIComponent(orgId)}${path}`;
const segment = (value: string) => encodeURIComponent(value);

/**
 * The content type an import is sent with: the browser's when the API knows it (Windows labels
 * `.csv` files `application/vnd.ms-excel`), otherwise `application/octet-stream` (the server reads
 * the format from the bytes).
 */
export function importContentType(file: File): string {
  return IMPORT_CONTENT_TYPES.find((type) => type === file.type) ?? 'application/octet-stream';
}

/** The rows of a run's report: one mode, optionally one outcome. */
export interface ImportRowsFilter {
  mode: ImportMode;
  outcome?: ImportOutcome;
}

/** Contact imports (CSV / XLSX): upload, column mapping, dry run or apply, report. */
export const importsApi = {
  /** Latest first. */
  list: (orgId: string, signal?: AbortSignal) =>
    request<ImportView[]>('GET', base(orgId, '/imports'), { signal }),
  get: (orgId: string, importId: string, signal?: AbortSignal) =>
    request<ImportView>('GET', base(orgId, `/imports/${segment(importId)}`), { signal }),
  /** Sends the file as the raw body (201: headers, sample and suggested columns, `uploaded`). */
  upload: (orgId: string, file: File) =>
    uploadFile<ImportView>(base(orgId, '/imports'), file, { contentType: importContentType(file) }),
  /** Saves the mapping (`mapped`); the headers and sample are read again with its encoding. */
  saveMapping: (orgId: string, importId: string, input: ImportMappingInput) =>
    request<ImportView>('PUT', base(orgId, `/imports/${segment(importId)}/mapping`), {
      body: input,
    }),
  /** Reads a CSV again with another encoding or separator (a new separator forgets the mapping). */
  setReading: (orgId: string, importId: string, input: ImportReadingInput) =>
    request<ImportView>('PUT', base(orgId, `/imports/${segment(importId)}/reading`), {
      body: input,
    }),
  /** Queues a dry run (writes nothing) or the real import (202, `queued`). */
  run: (orgId: string, importId: string, mode: ImportMode) =>
    request<ImportView>('POST', base(orgId, `/imports/${segment(importId)}/run`), {
      body: { mode },
    }),
  rows: (
    orgId: string,
    importId: string,
    filter: ImportRowsFilter,
    page: PageQuery,
    signal?: AbortSignal,
  ) =>
    request<Page<ImportRowView>>('GET', base(orgId, `/imports/${segment(importId)}/rows`), {
      query: { mode: filter.mode, outcome: filter.outcome, ...page },
      signal,
    }),
};
