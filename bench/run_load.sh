#!/usr/bin/env bash
# The load run (issue 21): nginx (deploy/nginx/qicha.conf) → gunicorn (qicha/gunicorn_conf.py) → PostgreSQL, the Huey
# worker on a Redis of its own, and Locust (bench/locustfile.py) — all on loopback, bounded in time, stopped at the end.
#
#   bench/run_load.sh [USERS] [DURATION] [SPAWN_RATE]        default: 20 users, 2m, 2/s
#   bench/run_load.sh 50 10m 5                               the target run (50 users × 10 minutes)
#
# Data: the city-scale database bench/problem_ledger.py --generate builds (QICHA_BENCH_DATABASE_URL, default
# postgres://postgres@127.0.0.1:5432/qicha_bench). Locust comes from requirements/bench.lock, in its own
# virtualenv (var/bench-venv): it is not part of qicha's runtime or dev dependencies.
# The demo accounts sign in without a second factor, so the run uses QICHA_DEMO=1; everything else is the production
# path. Results: var/load/locust_stats.csv (+ _failures, _history), and a summary printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
USERS=${1:-20}
DURATION=${2:-2m}
RATE=${3:-2}
DB=${QICHA_BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/qicha_bench}
OUT=$ROOT/var/load
mkdir -p "$OUT"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
WEB_PORT=$(free_port); NGINX_PORT=$(free_port); REDIS_PORT=$(free_port)

if [ ! -x var/bench-venv/bin/locust ]; then
  python3 -m venv var/bench-venv
  var/bench-venv/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements/bench.lock
fi

# The generator's key file: the audit chain and the encrypted fields of the bench data were written with it
# (gunicorn refuses to start with any other — the start-up check of issue 18).
export QICHA_KEY_FILE=${QICHA_KEY_FILE:-$ROOT/var/bench/keys.json}
export QICHA_DATABASE_URL=$DB QICHA_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0 QICHA_VAR_DIR=$OUT/var \
  QICHA_STATIC_ROOT=$OUT/static QICHA_DEMO=1 QICHA_ALLOWED_HOSTS=127.0.0.1,localhost \
  QICHA_BIND=127.0.0.1:$WEB_PORT QICHA_LOG_LEVEL=WARNING
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$OUT" >/dev/null &
PIDS+=($!)
.venv/bin/python -m qicha migrate --no-input -v 0
.venv/bin/python -m qicha collectstatic --no-input -v 0
# The generator hashed the bench password with a fast test hasher; production verifies Argon2 only.
.venv/bin/python -m qicha shell -c "
from qicha.orgs.models import User
for u in User.objects.filter(is_demo=True):
    u.set_password('Bench-Pass-2026!'); u.save(update_fields=['password'])
"

.venv/bin/gunicorn -c python:qicha.gunicorn_conf --access-logfile /dev/null qicha.wsgi 2>"$OUT/gunicorn.log" &
PIDS+=($!)
.venv/bin/python -m qicha run_huey -w 2 >"$OUT/worker.log" 2>&1 &
PIDS+=($!)

# nginx with the shipped site, pointed at this run's ports and paths.
sed -e "s|listen 80;|listen 127.0.0.1:$NGINX_PORT;|" -e "s|server 127.0.0.1:8000;|server 127.0.0.1:$WEB_PORT;|" \
    -e "s|/opt/qicha/static/|$OUT/static/|" -e "s|/opt/qicha/deploy/nginx/errors/|$ROOT/deploy/nginx/errors/|" \
    -e "s|server_name qicha.example.gov.cn;|server_name 127.0.0.1;|" deploy/nginx/qicha.conf >"$OUT/site.conf"
cat >"$OUT/nginx.conf" <<EOF
user root;
worker_processes 1;
pid $OUT/nginx.pid;
error_log $OUT/nginx-error.log warn;
events { worker_connections 512; }
http { include /etc/nginx/mime.types; access_log off; client_body_temp_path $OUT/nginx-body;
       proxy_temp_path $OUT/nginx-proxy; include $OUT/site.conf; }
EOF
/usr/sbin/nginx -p "$OUT" -c "$OUT/nginx.conf" -g "daemon off;" &
PIDS+=($!)

for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$NGINX_PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "${PIDS[1]}" 2>/dev/null || { echo "gunicorn did not start:"; tail -5 "$OUT/gunicorn.log"; exit 1; }
  sleep 1
done
curl -sS "http://127.0.0.1:$NGINX_PORT/healthz"; echo
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
( while sleep 15; do cut -d' ' -f1 /proc/loadavg; done ) >"$OUT/loadavg.log" &
PIDS+=($!)

var/bench-venv/bin/locust -f bench/locustfile.py --headless -u "$USERS" -r "$RATE" -t "$DURATION" \
  --host "http://127.0.0.1:$NGINX_PORT" --csv "$OUT/locust" --only-summary --stop-timeout 30 || true

echo "load average during the run (every 15 s): $(tr '\n' ' ' <"$OUT/loadavg.log")"
# Every job the run started must have finished (give the worker a minute to drain the queue).
for _ in $(seq 1 60); do
  left=$(.venv/bin/python -m qicha shell -v 0 -c "
from qicha.jobs.models import Job
print(Job.objects.filter(created_at__gte='$STARTED', status__in=['queued', 'running']).count())" | tail -1)
  [ "$left" = "0" ] && break
  sleep 1
done
.venv/bin/python -m qicha shell -c "
from django.db.models import Count
from qicha.jobs.models import Job
print('jobs started during the run:', dict(Job.objects.filter(created_at__gte='$STARTED').values_list('status').annotate(n=Count('id')).order_by()))"
curl -sS "http://127.0.0.1:$NGINX_PORT/healthz"; echo
