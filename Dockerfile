# A small container image of iacscan: a static binary on a distroless base, run as a
# non-root user. The build stage runs on the build machine's platform and cross-compiles,
# so a multi-platform build (linux/amd64, linux/arm64) needs no emulation.
#
#   docker build --build-arg VERSION=v1.2.3 -t iacscan .
#   docker run --rm -v "$PWD:/src" iacscan .
FROM --platform=$BUILDPLATFORM golang:1.26 AS build
ARG TARGETOS TARGETARCH VERSION=dev
WORKDIR /go/src/iacscan
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/iacscan ./cmd/iacscan

# static: no libc, no shell; nonroot: uid 65532.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/iacscan /usr/local/bin/iacscan
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/iacscan"]
