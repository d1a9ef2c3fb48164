"""Static files as production serves them: stylesheets minified, then hashed and compressed.

Whitenoise's ``CompressedManifestStaticFilesStorage`` gives every file a content hash in its
name (so browsers may keep it a year) and writes gzip and Brotli copies. Before that, each of
the project's stylesheets is minified with rcssmin (comments and spaces out), so what the
hash and the compressed copies describe is the small file.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from whitenoise.storage import CompressedManifestStaticFilesStorage

MINIFIED_PREFIXES = ("portal/",)  # our own stylesheets; third-party ones come minified


class MinifiedManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def post_process(self, paths, dry_run=False, **options):
        if not dry_run:
            for name in list(paths):
                if name.endswith(".css") and name.startswith(MINIFIED_PREFIXES):
                    self._minify(name)
                    # the hashed copy is made from the collected (minified) file, not the
                    # source the finders found
                    paths[name] = (self, name)
        yield from super().post_process(paths, dry_run=dry_run, **options)

    def _minify(self, name: str) -> None:
        from rcssmin import cssmin

        with self.open(name) as file:
            css = file.read().decode("utf-8")
        minified = cssmin(css)
        if len(minified) < len(css):
            self.delete(name)
            self._save(name, ContentFile(minified.encode("utf-8")))
