// The package exposes its contrib extensions as subpath exports, which the workspace's
// `moduleResolution: node` cannot type; Node.js resolves them at run time.
declare module '@electric-sql/pglite/contrib/pg_trgm' {
  import type { Extension } from '@electric-sql/pglite';
  export const pg_trgm: Extension;
}
