#!/usr/bin/env bash
# Fuzzes every API operation in the OpenAPI schema with schemathesis, once
# anonymously and once with the demo superuser's token, against gunicorn
# on 127.0.0.1 and the database in DATABASE_URL. Fails on any 5xx response.
# Run from the project root after `pip install -r requirements/fuzz.txt`.
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL must name a PostgreSQL database}"
export DJANGO_SETTINGS_MODULE=civic_portal.settings.dev
export DJANGO_DEBUG=false
# Every request comes from 127.0.0.1: the limits would return 429 to most
# of them and hide the operations behind.
export RATE_LIMIT_ENABLED=false
EXAMPLES=${FUZZ_MAX_EXAMPLES:-10}
LOG_DIR=$(mktemp -d /tmp/civic-fuzz.XXXXXX)
SERVER_PID=""

stop_server() {
    status=$?
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [ "$status" -ne 0 ] && [ -f "$LOG_DIR/server.log" ]; then
        echo "Last lines of the server log:"
        tail -n 80 "$LOG_DIR/server.log"
    fi
    rm -rf "$LOG_DIR"
    exit "$status"
}
trap stop_server EXIT

.venv/bin/python manage.py migrate --no-input -v 0
.venv/bin/python manage.py load_demo_data --size small >/dev/null
# A token from drf_create_token would be refused: the superuser must use
# two-factor log-in, and only the portal's own tokens carry its mark.
TOKEN=$(.venv/bin/python manage.py issue_api_token admin@demo.example.jp)

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
.venv/bin/gunicorn civic_portal.wsgi:application --bind "127.0.0.1:$PORT" \
    --workers 2 --timeout 120 --access-logfile - >"$LOG_DIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null && break
    sleep 0.2
done

SCHEMA="http://127.0.0.1:$PORT/api/schema/"
fuzz() {
    .venv/bin/st run "$SCHEMA" --checks not_a_server_error \
        --phases examples,coverage,fuzzing --max-examples "$EXAMPLES" \
        --request-timeout 60 --workers 2 --no-color "$@"
}
echo "Fuzzing as an anonymous client ($EXAMPLES examples per operation)"
fuzz
echo "Fuzzing as the demo superuser ($EXAMPLES examples per operation)"
fuzz --header "Authorization: Token $TOKEN"
