# syntax=docker/dockerfile:1
# The `bot` binary in a small image: dependencies are compiled in a layer of their own
# (cargo-chef), so that a change to Vitrina's code rebuilds only Vitrina.
#
#   docker build -t vitrina-bot .
#   docker run --env-file .env -v vitrina-data:/var/lib/vitrina vitrina-bot
#
# See docs/OPERATIONS.en.md, "Deploy".

ARG RUST_VERSION=1.95

FROM rust:${RUST_VERSION}-bookworm AS chef
# A layer of its own: built once, cached until the Rust version changes.
RUN cargo install cargo-chef --locked
WORKDIR /src

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
COPY --from=planner /src/recipe.json recipe.json
# The build settings of the dependencies too (aws-lc's), so that they are built once, here.
COPY .cargo .cargo
# The dependencies: cached until Cargo.lock changes.
RUN cargo chef cook --release --locked --recipe-path recipe.json -p vitrina-bot
COPY . .
RUN cargo build --release --locked -p vitrina-bot --bin bot \
    && cp target/release/bot /usr/local/bin/bot

FROM debian:bookworm-slim AS runtime
# ca-certificates: the system's roots for TLS to managed PostgreSQL and Redis;
# curl: the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/vitrina --create-home vitrina
COPY --from=builder /usr/local/bin/bot /usr/local/bin/bot
USER 10001:10001
WORKDIR /var/lib/vitrina
# The SQLite file (when DATABASE_URL is not PostgreSQL) lives on the volume. The HTTP server
# listens on every interface of the container, so that its port can be published and probed;
# set METRICS_TOKEN to keep /metrics private.
ENV DATABASE_URL=sqlite:///var/lib/vitrina/vitrina.db \
    HTTP_ADDR=0.0.0.0:8080 \
    LOG_FORMAT=json
VOLUME ["/var/lib/vitrina"]
EXPOSE 8080
# The bot is process 1 and stops on SIGTERM: updates in hand are finished, then it exits.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
    CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["bot"]
CMD ["run"]
