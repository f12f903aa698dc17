# The app server image: bin/start migrates, loads the seeds into an empty database, imports
# the Federal Register corpus and execs gunicorn (gunicorn.conf.py) as an unprivileged user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    EXPORT_FOLDER=/tmp/exports

WORKDIR /app
COPY pyproject.toml README.md ./
COPY api ./api
COPY schemas ./schemas
RUN pip install .
COPY seeds ./seeds
COPY corpus ./corpus
COPY gunicorn.conf.py ./
COPY bin ./bin

RUN useradd --system --uid 10001 --home-dir /app provisions
USER provisions

EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2)"
ENTRYPOINT ["bin/start"]
