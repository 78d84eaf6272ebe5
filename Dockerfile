# graph-service API and pages, served by waitress (a production WSGI server).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph_service ./graph_service
COPY importers ./importers
COPY queries ./queries
COPY visualisations ./visualisations
RUN pip install . && useradd --system --home /data graph && mkdir -p /data && chown graph /data
USER graph
ENV GRAPH_SERVICE_DB=/data/graph.sqlite3
EXPOSE 5000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:5000/readyz', timeout=4).status != 200)"
CMD ["graph-service", "serve", "--host", "0.0.0.0", "--port", "5000"]
