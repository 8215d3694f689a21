"""Static files with hashed names, each beside a gzip copy for whitenoise to serve."""

from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Gzip copies only, as before WeasyPrint brought the brotli package in with its fonts.

    Brotli at whitenoise's setting makes `collectstatic` many times slower on a busy
    server, for files every browser already gets gzipped.
    """

    def create_compressor(self, **kwargs: Any) -> Compressor:
        return super().create_compressor(**kwargs, use_brotli=False)
