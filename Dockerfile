# The production image: the bot, its pinned dependencies and a model trained at build time.
# The steps are the same commands `make run` uses (pip install of requirements.lock with
# --no-deps, then `python -m bot train`), so CI proves them even where Docker cannot run.

FROM python:3.10.13-slim-bookworm AS build
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

FROM python:3.10.13-slim-bookworm AS runtime
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
COPY bot ./bot
RUN mkdir -p /app/var && chown 10001:10001 /app/var
USER 10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "bot", "health"]
CMD ["python", "-m", "bot", "run"]
