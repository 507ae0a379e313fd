# The bot in a container: built in one stage, run in a slim one as an unprivileged user.
#   docker build -t alliance-bot .
#   docker run -e DISCORD_TOKEN=... -v alliance-bot:/var/lib/alliance-bot alliance-bot
# With PostgreSQL beside it: compose.yaml. Without DISCORD_TOKEN the bot would start its local
# sandbox instead, which is of no use in a container: set the token.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY alliance_bot ./alliance_bot
COPY bot ./bot
COPY data ./data
# A wheel install (not editable): the bundled facts travel inside the package.
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir . \
 && /opt/venv/bin/python -m compileall -q /opt/venv/lib

FROM python:3.11-slim
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/alliance-bot --create-home alliance-bot
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    BOT_DATABASE=/var/lib/alliance-bot/bot.sqlite3 \
    BOT_HEALTH_FILE=/var/lib/alliance-bot/health.json
WORKDIR /var/lib/alliance-bot
VOLUME /var/lib/alliance-bot
USER alliance-bot
# The bot rewrites its heartbeat every 30 s; three missed beats or a lost gateway is unhealthy.
HEALTHCHECK --interval=30s --timeout=10s --start-period=90s --retries=3 CMD ["alliance-bot", "--health"]
# Exec form: the bot itself receives Docker's SIGTERM and closes cleanly (quizzes, store).
STOPSIGNAL SIGTERM
CMD ["alliance-bot"]
