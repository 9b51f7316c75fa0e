# The one image for web and workers (docker-compose.yml). Editable install: migrations/ is
# found next to the packages.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY schemas ./schemas
COPY workers ./workers
COPY service ./service
COPY migrations ./migrations
COPY gunicorn.conf.py ./
RUN pip install --no-cache-dir -e . && useradd --create-home ashshash && mkdir -p /app/instance \
    && chown ashshash /app/instance
USER ashshash
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "service.wsgi:app"]
