# The portal's production image: gunicorn for the web, and the same image
# runs the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=civic_portal.settings.production

# gettext's msgfmt compiles the translations below. WeasyPrint needs Pango
# and a Japanese font to write the white paper PDF.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install -r requirements/base.txt

COPY . .
# The production settings need a secret to import; this one exists only
# during the build and never reaches the running containers.
RUN DJANGO_SECRET_KEY=image-build-only-secret-not-used-at-run-time-0123456789 \
        sh -c 'python manage.py compilemessages \
            && python manage.py collectstatic --no-input'

# Uploads go to /app/media (MEDIA_ROOT). Mount a volume there: a new named
# volume copies this folder's owner, so the portal user can write to it.
RUN useradd --system --uid 1000 --home-dir /app portal \
    && mkdir -p /app/media \
    && chown portal /app/media
USER portal

EXPOSE 8000
CMD ["gunicorn", "civic_portal.wsgi:application", \
     "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
