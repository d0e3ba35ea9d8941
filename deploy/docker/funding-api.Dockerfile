# syntax=docker/dockerfile:1.7
#
# funding-api: funding sources, ledger, allocations, VBSP loans, housing fund.
#
# One image for everything the service runs; build it from the repository root:
#
#   docker build -f deploy/docker/funding-api.Dockerfile -t noxh/funding-api:<version> .
#
#   API (the default command)  uvicorn funding_api.main:create_app --factory --host 0.0.0.0 --port 8000
#   job worker                 python -m funding_api.worker
#   migrations                 python /app/migrate.py services/funding-api/alembic.ini FUNDING_DATABASE_URL
#                              (or plainly: alembic -c services/funding-api/alembic.ini upgrade head)
#   audit chain                python -m funding_api.manage verify-audit | seal-audit
#
# Settings come from `FUNDING_*` environment variables (README, "Configuration"); nothing secret is
# baked in. The image defaults to FUNDING_ENV=production, which refuses development placeholders.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
# The uv the Makefile pins (UV_VERSION), so the lock is read the same way as on developers' machines.
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.13.9

FROM ${UV_IMAGE} AS uv

# ---------------------------------------------------------------- build: the virtual environment
FROM ${PYTHON_IMAGE} AS build
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app

# The locked third-party dependencies first: this layer changes only when uv.lock does. Only the
# manifests of the workspace members this service needs are present (servicekit and the service).
COPY pyproject.toml uv.lock ./
COPY libs/servicekit/pyproject.toml libs/servicekit/
COPY services/funding-api/pyproject.toml services/funding-api/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --package funding-api --no-install-workspace

# Then the code. The service finds alembic.ini and migrations/ next to its sources at run time (the
# readiness probe compares the database with the migrations' head), so the workspace members are
# installed editable at these same paths in the runtime image; never with --no-editable.
COPY libs/servicekit/src libs/servicekit/src
COPY services/funding-api/src services/funding-api/src
COPY services/funding-api/alembic.ini services/funding-api/alembic.ini
COPY services/funding-api/migrations services/funding-api/migrations
COPY deploy/docker/migrate.py migrate.py
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --package funding-api \
 && python -m compileall -q libs/servicekit/src services/funding-api/src services/funding-api/migrations migrate.py

# ---------------------------------------------------------------- runtime: no uv, no compiler, no root
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 noxh \
 && useradd --system --uid 10001 --gid noxh --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin noxh
WORKDIR /app
# Owned by root and only readable by the service user: the code cannot be changed by the process
# that runs it (Kubernetes also mounts the root filesystem read-only).
COPY --from=build /app /app
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    FUNDING_ENV=production
USER 10001:10001
EXPOSE 8000
# Liveness only (the process answers); readiness, which needs the database, is /readyz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["uvicorn", "funding_api.main:create_app", "--factory", "--host", "0.0.0.0", "--port", "8000"]
