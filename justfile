# Vitrina's everyday commands. Each is a plain cargo command underneath; just is optional.

# run the bot (reads .env)
run *ARGS:
    cargo run -p vitrina-bot --bin bot -- {{ARGS}}

# run every test; PostgreSQL and Redis tests need TEST_DATABASE_URL / TEST_REDIS_URL
test:
    cargo test --workspace

# the tests with the local PostgreSQL and Redis, as CI runs them
test-all:
    TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test TEST_REDIS_URL=redis://127.0.0.1:6379 cargo test --workspace

# format and lint as CI does
check:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings

# everything CI does, services included
ci:
    bash .ci/run

# measure speed and cost, as docs/PERFORMANCE.md describes; `just bench --quick` for a short run
bench *ARGS:
    cargo build --release -p vitrina-bot -p vitrina-bench && ./target/release/bench {{ARGS}}
