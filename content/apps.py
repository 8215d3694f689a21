from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.utils.autoreload import autoreload_started


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Explainer pages"

    def ready(self) -> None:
        from content import checks  # noqa: F401
        from content.pages import PAGES_DIR, load_pages

        # Read once per process, as templates are: a deploy restarts the workers. A broken
        # page stops start-up with a message naming the file.
        self.pages = load_pages(PAGES_DIR)
        if settings.DEBUG:
            autoreload_started.connect(watch_pages, dispatch_uid="content.watch_pages")


def watch_pages(sender, **kwargs) -> None:
    """While developing, the autoreloader restarts the server when a page is edited."""
    from content.pages import PAGES_DIR

    sender.watch_dir(Path(PAGES_DIR), "*.md")
