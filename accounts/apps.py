from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Records each sign-in's session, and clears ended ones in the worker.
        from accounts import sessions  # noqa: F401
