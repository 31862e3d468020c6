# syntax=docker/dockerfile:1
#
# TidilySpace container image: one image, two ECS services. The task
# definition's command picks the role (`serve --role web` on port 3000,
# `serve --role api` on port 3001); the default runs both in one process.
#
#   docker build --platform linux/amd64 -t tidily .
#
# Dependency caching: BuildKit cache mounts rather than cargo-chef.
# - The cargo registry and the target directory persist between builds, so a
#   source change recompiles only our own crates (cargo-chef caches only the
#   dependency layer and rebuilds the whole workspace on every change).
# - Nothing extra to install or trust in the builder (cargo-chef must itself be
#   compiled or pulled from another image).
# - The build command below is the one CI runs, verbatim, so the image and the
#   tested binary are built the same way.
# The trade-off: cache mounts live in the local BuildKit cache, not in image
# layers, so a fresh CI runner starts cold. Deploys are built from a developer
# machine or one long-lived builder (see docs/deploy.md), where the cache stays.

ARG RUST_IMAGE=rust:1.95-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot

FROM ${RUST_IMAGE} AS builder
WORKDIR /build
COPY . .
# The binary is copied out of the cache-mounted target directory in the same
# step, because the mount is not part of the resulting layer.
RUN --mount=type=cache,target=/usr/local/cargo/registry,sharing=locked \
    --mount=type=cache,target=/usr/local/cargo/git,sharing=locked \
    --mount=type=cache,target=/build/target,sharing=locked \
    cargo build --release --locked -p tidily --bin tidily \
    && install -D -m 0755 target/release/tidily /out/tidily

# Distroless "cc": glibc, libgcc and CA certificates from Debian 12, the same
# Debian release as the builder, so the glibc the binary links against is
# there. No shell, no package manager; runs as uid 65532.
FROM ${RUNTIME_IMAGE}
LABEL org.opencontainers.image.title="tidily" \
      org.opencontainers.image.description="TidilySpace bookmark and reading-list manager" \
      org.opencontainers.image.licenses="MIT"
COPY --from=builder /out/tidily /usr/local/bin/tidily
ENV APP_ENV=production \
    BIND=0.0.0.0 \
    PORT=3000
# Home of the nonroot user: the only writable place if anything needs one.
WORKDIR /home/nonroot
# 65532 is distroless's `nonroot` user, given numerically so that a runtime can
# verify it is not root without reading /etc/passwd.
USER 65532:65532
# 3000: web role, 3001: API role (the ECS task definitions set PORT per role).
EXPOSE 3000 3001
# No HEALTHCHECK on purpose: there is no shell or curl in this image, and ECS
# relies on the ALB target groups, which probe GET /health (web) and
# GET /api/health (API) on each task.
ENTRYPOINT ["/usr/local/bin/tidily"]
CMD ["serve", "--role", "all"]
