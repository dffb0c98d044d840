#!/usr/bin/env bash
# Apache Superset on the published copy of the marts, on 127.0.0.1 only (`make superset`, `make superset-stop`).
#
#   superset.sh install   the virtual environment .venv-superset from requirements.txt (pinned), if missing
#   superset.sh start     install; initialise the metadata database, admin user and SECRET_KEY (once);
#                         import the dashboard of dashboard/budget_dashboard.yaml; start the webserver
#   superset.sh stop      stop the webserver by the PID in its PID file
#
# Environment (relative paths are taken from the checkout, as the pipeline's are):
#   BUDGET_PUBLISH_DIR  the published copy (default warehouse/published): Superset reads its marts.duckdb
#   SUPERSET_HOME       what Superset keeps (default warehouse/superset): superset.db, secret_key,
#                       admin_password, superset.pid, superset.log, the bundle it imported
#   SUPERSET_VENV       its virtual environment (default .venv-superset), never the pipeline's .venv
#   SUPERSET_PORT       default 8088
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=$ROOT/bi/superset
PYTHON=${PYTHON:-python3}

absolute() { case $1 in /*) echo "$1" ;; *) echo "$ROOT/$1" ;; esac; }
VENV=$(absolute "${SUPERSET_VENV:-.venv-superset}")
PUBLISH_DIR=$(absolute "${BUDGET_PUBLISH_DIR:-warehouse/published}")
export SUPERSET_HOME=$(absolute "${SUPERSET_HOME:-warehouse/superset}")
export SUPERSET_CONFIG_PATH=$HERE/superset_config.py
export FLASK_APP=superset
export SCARF_ANALYTICS=false
PORT=${SUPERSET_PORT:-8088}
PID_FILE=$SUPERSET_HOME/superset.pid
LOG=$SUPERSET_HOME/superset.log
ADMIN=admin
URL=http://127.0.0.1:$PORT

now() { date +%s%N; }
took() { local ms=$((($(now) - $2) / 1000000)); printf '%s: %d.%d s\n' "$1" $((ms / 1000)) $((ms % 1000 / 100)); }

install() {
  local started
  started=$(now)
  mkdir -p "$(dirname "$VENV")"
  exec 9<"$HERE/superset.sh"
  flock 9  # test processes and make started together build it once (a lock on this script: no lock file)
  if [ ! -f "$VENV/.installed" ] || [ "$HERE/requirements.txt" -nt "$VENV/.installed" ]; then
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    echo '*' > "$VENV/.gitignore"  # never committed
    # The requirements are a complete freeze: no resolving (--no-deps), and no compiling of Superset's
    # thousands of modules up front (--no-compile; Python caches each on first import). Half the time.
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --no-compile \
      -r "$HERE/requirements.txt"
    "$VENV/bin/python" -m pip check --disable-pip-version-check >/dev/null
    touch "$VENV/.installed"
    took "superset venv install" "$started"
  fi
  flock -u 9
}

running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

initialise_and_import() {
  mkdir -p "$SUPERSET_HOME"
  [ -s "$SUPERSET_HOME/secret_key" ] || (umask 077; "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(48))' > "$SUPERSET_HOME/secret_key")
  [ -s "$SUPERSET_HOME/admin_password" ] || (umask 077; "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(12))' > "$SUPERSET_HOME/admin_password")
  if [ ! -e "$PUBLISH_DIR/marts.duckdb" ]; then
    echo "no published copy at $PUBLISH_DIR/marts.duckdb: run \`make run\` first" >&2
    exit 1
  fi
  "$VENV/bin/python" "$HERE/bundle.py" "$PUBLISH_DIR/marts.duckdb" "$SUPERSET_HOME/budget_dashboard.zip" >/dev/null
  "$VENV/bin/python" "$HERE/metadata.py" "$SUPERSET_HOME/budget_dashboard.zip" 2>"$SUPERSET_HOME/metadata.log" \
    || { tail -30 "$SUPERSET_HOME/metadata.log" >&2; exit 1; }
}

start_webserver() {
  local started
  started=$(now)
  if running; then
    echo "Superset is already running (PID $(cat "$PID_FILE"))"
  else
    rm -f "$PID_FILE"
    # One worker with threads: two cores are shared with the pipeline.
    "$VENV/bin/gunicorn" --bind "127.0.0.1:$PORT" --workers 1 --worker-class gthread --threads 8 \
      --timeout 120 --daemon --pid "$PID_FILE" --error-logfile "$LOG" --access-logfile "$LOG" \
      "superset.app:create_app()"
    for _ in $(seq 240); do
      curl -fsS "$URL/health" >/dev/null 2>&1 && break
      sleep 0.5
    done
    curl -fsS "$URL/health" >/dev/null 2>&1 || { echo "Superset did not start; see $LOG" >&2; tail -20 "$LOG" >&2; exit 1; }
    took "webserver start" "$started"
  fi
  echo "Superset: $URL/superset/dashboard/budget-performance/  (log in as $ADMIN, password $(cat "$SUPERSET_HOME/admin_password"))"
  echo "stop it with \`make superset-stop\` (PID $(cat "$PID_FILE"), log $LOG)"
}

stop() {
  if running; then
    local pid
    pid=$(cat "$PID_FILE")
    kill "$pid"
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    echo "Superset stopped (PID $pid)"
  else
    echo "Superset is not running"
  fi
  rm -f "$PID_FILE"
}

case "${1:-}" in
  install) install ;;
  start) install; initialise_and_import; start_webserver ;;
  stop) stop ;;
  *) echo "usage: $0 install|start|stop" >&2; exit 2 ;;
esac
