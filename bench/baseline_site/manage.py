#!/usr/bin/env python
"""manage.py of the plain-Wagtail baseline: run from bench/ (``python baseline_site/manage.py``)."""

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baseline_site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
