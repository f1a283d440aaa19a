#!/bin/sh
# Entrypoint of the Ruche image. First argument:
#   api        (default) the HTTP API, which also serves the admin. It applies the pending
#              migrations itself before it listens (bootInfrastructure(..., { migrate: true })
#              in apps/api/src/main.ts), so no separate migration step is needed here.
#   worker     the BullMQ worker (needs DATABASE_URL and REDIS_URL; applies no migration, so
#              start it once the API, or `migrate`, has run).
#   migrate    apply the pending migrations and exit (the CLI's `migrate` command).
#   cli ARGS   any CLI command, e.g. `cli migration-check`; `cli` alone lists them.
#   anything else is executed as is (e.g. `sh`).
# Ruche commands run from /app: the defaults of DATA_DIR (./data) and ADMIN_DIST_DIR
# (dist/admin) are relative to the working directory. `exec` makes Node the process that
# receives SIGTERM, so that it shuts down cleanly.
set -eu

SERVER=/app/dist/server/apps

if [ "$#" -eq 0 ]; then
  set -- api
fi

case "$1" in
  api)
    shift
    cd /app
    exec node "$SERVER/api/src/main.js" "$@"
    ;;
  worker)
    shift
    cd /app
    exec node "$SERVER/worker/src/main.js" "$@"
    ;;
  migrate)
    shift
    cd /app
    exec node "$SERVER/cli/src/main.js" migrate "$@"
    ;;
  cli)
    shift
    cd /app
    exec node "$SERVER/cli/src/main.js" "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
