# syntax=docker/dockerfile:1.7
#
# Redline container images. One file, three targets:
#
#   docker build -t redline .                                  # default (last stage): api/worker/scheduler/migrate/doctor
#   docker build --target converter -t redline-converter .     # + LibreOffice, for `redline converter`
#   docker build --target backup    -t redline-backup .        # pg_dump/pg_restore + AWS CLI + deploy/scripts
#
# Base images are pinned by exact tag. To pin by digest as well (recommended for releases), resolve
# the digests once and append them, e.g.
#   docker buildx imagetools inspect swift:6.3-bookworm --format '{{json .Manifest.Digest}}'
#   FROM swift:6.3-bookworm@sha256:<digest> AS build
# (see docs/operations.md, "Pinning base images"). Renovate/Dependabot then bump tag and digest together.
#
# Debian package versions are deliberately NOT pinned (hadolint DL3008 is ignored inline below):
# bookworm's mirrors keep only the newest version of a package, so a pinned version stops
# installing as soon as a security update lands; the base image digest is what makes builds
# reproducible, and rebuilding picks up security fixes.

############################ build: compile the redline binary ##############################
FROM swift:6.3-bookworm AS build
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends pkg-config libpoppler-glib-dev libcairo2-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
# SwiftPM validates every declared target's directory, test targets included.
COPY Tests ./Tests
# Static Swift stdlib: the runtime image needs no Swift toolchain. The resource bundles
# (.build/release/*.resources: viewer assets, OpenAPI document, office scripts) must sit next to
# the binary, because Bundle.module looks for them beside the executable.
RUN --mount=type=cache,target=/src/.build,sharing=locked \
    swift build -c release --product redline --static-swift-stdlib \
 && mkdir -p /out \
 && cp .build/release/redline /out/redline \
 && find .build/release/ -maxdepth 1 -name '*.resources' -exec cp -R {} /out/ \;

############################ runtime-base: what every role needs ############################
FROM debian:bookworm-slim AS runtime-base
# curl: the HEALTHCHECK below; ca-certificates: TLS to S3/RDS; libxml2/libcurl4: Foundation's
# dynamic dependencies with a static stdlib; fontconfig: fc-list (redline doctor) and font
# matching; the rest: poppler/cairo, PDF tools and metric-compatible fonts.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates curl tzdata libxml2 libcurl4 fontconfig \
      libpoppler-glib8 libcairo2 poppler-utils qpdf \
      fonts-dejavu-core fonts-liberation2 fonts-crosextra-carlito fonts-crosextra-caladea \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 redline \
 && useradd --system --uid 10001 --gid redline --home-dir /tmp/redline --no-create-home \
      --shell /usr/sbin/nologin redline
COPY --from=build /out/ /app/
# Read-only root filesystem friendly: the only writable path the process uses is /tmp
# (Kubernetes mounts an emptyDir there; compose uses tmpfs). HOME, the data dir (embedded mode),
# LibreOffice profiles and temporary files all live under /tmp.
ENV PATH=/app:$PATH \
    HOME=/tmp/redline \
    TMPDIR=/tmp \
    REDLINE_HOST=0.0.0.0 \
    REDLINE_PORT=8080 \
    REDLINE_DATA_DIR=/tmp/redline \
    REDLINE_LOG_FORMAT=json
WORKDIR /tmp
USER 10001:10001
ENTRYPOINT ["/app/redline"]

############################ converter: + LibreOffice (redline converter) ###################
FROM runtime-base AS converter
USER 0:0
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libreoffice-writer-nogui libreoffice-impress-nogui python3-uno \
 && rm -rf /var/lib/apt/lists/*
USER 10001:10001
ENV REDLINE_PORT=8081
EXPOSE 8081
# /healthz answers as soon as the HTTP server is up; LibreOffice's first start (60-120 s) is
# covered by start-period here and by the startupProbe on /startupz in Kubernetes.
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
  CMD ["sh", "-c", "curl -fsS -o /dev/null \"http://127.0.0.1:${REDLINE_PORT}/healthz\" || exit 1"]
CMD ["converter"]

############################ backup: pg_dump/pg_restore to and from S3 #######################
FROM debian:bookworm-slim AS backup
# postgresql-client-15 must be >= the server's major version (pg_dump refuses newer servers);
# tests/deploy/test_consistency.py keeps it equal to the RDS and compose PostgreSQL major version.
# The AWS CLI comes from PyPI (pinned) rather than Debian: bookworm's awscli 2.9 predates EKS Pod
# Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI + token file) and AWS_ENDPOINT_URL_S3.
ARG AWSCLI_VERSION=1.46.3
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates postgresql-client-15 python3 python3-venv gzip \
 && rm -rf /var/lib/apt/lists/* \
 && python3 -m venv /opt/awscli \
 && /opt/awscli/bin/pip install --no-cache-dir "awscli==${AWSCLI_VERSION}" \
 && ln -s /opt/awscli/bin/aws /usr/local/bin/aws \
 && groupadd --system --gid 10001 redline \
 && useradd --system --uid 10001 --gid redline --home-dir /tmp --no-create-home --shell /usr/sbin/nologin redline
COPY --chmod=0755 deploy/scripts/backup.sh deploy/scripts/restore.sh /usr/local/bin/
ENV HOME=/tmp TMPDIR=/tmp
WORKDIR /tmp
USER 10001:10001
HEALTHCHECK NONE
ENTRYPOINT ["/usr/local/bin/backup.sh"]

############################ redline (default): api / worker / scheduler / migrate ###########
FROM runtime-base AS redline
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["sh", "-c", "curl -fsS -o /dev/null \"http://127.0.0.1:${REDLINE_PORT}/healthz\" || exit 1"]
CMD ["serve", "--api-only"]
