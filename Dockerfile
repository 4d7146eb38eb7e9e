# Dummy OpenAI API in a container: `docker build -t dummy-openai-api .` then
# `docker run -p 8000:8000 dummy-openai-api` (synthetic answers and the shipped cassettes; key sk-dummy).
FROM python:3.12-slim AS build
WORKDIR /src
COPY setup.py README.md main.py ./
COPY proxy proxy
COPY generators generators
# Wheels for the project and every dependency, so the final image has no compiler and no pip cache.
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.12-slim
RUN useradd --create-home --uid 10001 mock
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER mock
WORKDIR /home/mock
COPY --chown=mock:mock cassettes ./cassettes
# Inside a container the server must listen on every interface to be reachable through a published port.
ENV DUMMY_OPENAI_HOST=0.0.0.0 PORT=8000 PYTHONUNBUFFERED=1
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8000'), timeout=2)"]
ENTRYPOINT ["dummy-openai-api"]
