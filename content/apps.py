from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Explainer pages"

    def ready(self) -> None:
        from content import checks  # noqa: F401
