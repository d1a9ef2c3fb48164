"""Render one address of a restored backup in a process of its own: its own database
(DATABASE_URL), media folder (DOINGOAI_MEDIA_ROOT) and local-memory cache, so nothing of the
test process can leak into what it shows. Prints JSON: status, HTML, and the status of every
/media/ address the page uses.

    DATABASE_URL=… DOINGOAI_MEDIA_ROOT=… python tests/backup_render.py /vi/thoi-su/bai-1/
"""

import json
import os
import re
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doingoai.settings.dev")

import django

django.setup()

from django.test import Client  # noqa: E402


def main(path: str) -> None:
    client = Client(HTTP_HOST="localhost")
    response = client.get(path)
    html = response.content.decode()
    media = {}
    for url in sorted(set(re.findall(r'(/media/[^"\s,]+)', html))):
        media[url] = client.get(url).status_code  # DEBUG serves MEDIA_ROOT
    print(json.dumps({"status": response.status_code, "html": html, "media": media}))


if __name__ == "__main__":
    main(sys.argv[1])
