# One image for web (gunicorn), Celery worker and Celery beat; see docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

RUN groupadd --system app \
    && useradd --system --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

# Dependencies first, so a code change does not reinstall them. All pins are exact.
COPY requirements.txt ./
RUN pip install -r requirements.txt

# Translations are committed compiled (locale/*/LC_MESSAGES/django.mo; a test keeps them in
# step with the .po sources), so the image needs no gettext.
COPY locale/ locale/

# Only what the app needs at run time: no .env, .venv, var/ (demo data) or .git.
COPY manage.py ./
COPY kpu_polda/ kpu_polda/
COPY coordination/ coordination/
COPY logistics/ logistics/
COPY meetings/ meetings/
COPY templates/ templates/
COPY static/ static/
COPY data/ data/

# The code stays owned by root (read-only for the app). collectstatic writes staticfiles/
# when the web container starts; var/ is VAR_DIR, var/media the uploads (the compose
# file's media volume, which takes this folder's owner when it is first created).
RUN mkdir -p staticfiles var/media && chown app:app staticfiles var var/media

USER app

EXPOSE 8000

CMD ["sh", "-c", "exec gunicorn kpu_polda.wsgi:application --bind 0.0.0.0:8000 --workers ${GUNICORN_WORKERS:-3}"]
