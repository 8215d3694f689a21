"""factory-boy factories for accounts: people."""

import factory

from accounts.models import User

PASSWORD = "a-long-password-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    time_zone = "Europe/London"

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> User:
        password = kwargs.pop("password", PASSWORD)
        return model_class.objects.create_user(*args, password=password, **kwargs)
