from django.apps import AppConfig


class ReliabilityConfig(AppConfig):
    name = "reliability"
    verbose_name = "Reliability"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.tasks.signals import task_finished

        from reliability.task_results import forget_arguments

        task_finished.connect(forget_arguments, dispatch_uid="reliability.forget_arguments")
