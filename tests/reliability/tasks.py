"""Tasks for the tests of finished work forgetting what it was given."""

from django.tasks import task


@task
def greet(*, email: str, link: str, attempt: int = 1) -> dict:
    return {"sent_to": email, "attempt": attempt}


@task
def refuse(*, email: str, link: str) -> None:
    raise OSError(f"{email} was refused; the link was https://example.com{link}")
