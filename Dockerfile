# SONI-Dashboard as a container (see docs/deploy.md).
#   docker build -t soni-dashboard .
#   docker run --rm -p 8501:8501 --memory=6g --shm-size=512m soni-dashboard
# python:3.11-slim + Debian's chromium (chart images via kaleido) + DejaVu fonts (PDF handout).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BROWSER_PATH=/usr/bin/chromium \
    STREAMLIT_SERVER_PORT=8501 \
    STREAMLIT_SERVER_ADDRESS=0.0.0.0 \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none \
    STREAMLIT_SERVER_RUN_ON_SAVE=false

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# The app runs as an unprivileged user; the code stays owned by root (read-only for the app).
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin soni
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# The workspace's SQLite file (docs/deploy.md): the only place the app writes; mount a volume here.
RUN mkdir -p /app/var && chown soni:soni /app/var
VOLUME /app/var

USER soni
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]
CMD ["streamlit", "run", "app.py"]
