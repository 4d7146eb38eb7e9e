# The server in a small image: `docker build -t dummy-openai-api .`, then
# `docker run -p 8000:8000 -e API_KEY=... dummy-openai-api` (compose.yaml: two replicas sharing one Redis).
FROM python:3.12-slim AS build
WORKDIR /src
COPY setup.py README.md ./
COPY proxy proxy
COPY generators generators
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.12-slim
RUN useradd --create-home --uid 10001 dummy
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER dummy
WORKDIR /home/dummy
# Listening beyond the container's loopback is explicit; set API_KEY and DUMMY_OPENAI_ADMIN_KEY to secrets.
ENV DUMMY_OPENAI_HOST=0.0.0.0 PORT=8000 DUMMY_OPENAI_CASSETTES=/home/dummy/cassettes
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8000'), timeout=2)"]
ENTRYPOINT ["dummy-openai-api"]
