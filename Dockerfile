# The production image: the bot, its pinned dependencies and a model trained at build time.
# The steps are the same commands `make run` uses (pip install of requirements.lock with
# --no-deps, then `python -m bot train`), so CI proves them even where Docker cannot run.

# The base: Python 3.10.22, the newest and last 3.10 release (3.10 reached its end of life in
# October 2026; Rasa 3.6 runs on 3.8 to 3.10 only), pinned by digest so every build starts from
# the same bytes and a changed tag cannot slip in. Docker checks the digest when it pulls.
# To update (a rebuilt tag gets Debian's security fixes), on a machine with Docker:
#   docker buildx imagetools inspect python:3.10.22-slim-bookworm --format '{{json .Manifest.Digest}}'
# and put the digest it prints after the @ in both FROM lines (build and runtime).
FROM python:3.10.22-slim-bookworm@sha256:5be5aaecb962a41567bc8041f1e9e3432cb085b037fe057f9a562630b2e4b370 AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements.lock ./
RUN python -m pip install --no-deps -r requirements.lock
COPY config.yml ./
COPY nlu/data ./nlu/data
COPY bot ./bot
RUN python -m bot train

FROM python:3.10.22-slim-bookworm@sha256:5be5aaecb962a41567bc8041f1e9e3432cb085b037fe057f9a562630b2e4b370 AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VAR_DIR=/app/var \
    PORT=8080
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin bot
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app/models ./models
COPY config.yml ./
COPY content ./content
# The training data and held-out sets: the staff console retrains from them and measures the
# new model on them before it is used.
COPY nlu ./nlu
COPY bot ./bot
# var/ holds the /forget journal (and, without PSEUDONYM_KEY, the key): readable by the bot only.
# content/, nlu/data/ and models/ are volumes the staff console writes to.
RUN mkdir -p /app/var && chown 10001:10001 /app/var && chmod 0700 /app/var \
    && chown -R 10001:10001 /app/content /app/nlu/data /app/models
USER 10001
EXPOSE 8080 8081
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot", "health"]
CMD ["python", "-m", "bot", "run"]
