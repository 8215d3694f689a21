from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connections, router


class PersonBackend(ModelBackend):
    """Django's ModelBackend, loading the signed-in person with SQL the ORM built once.

    Every signed-in request loads the person. Building that query through the ORM costs
    several times what running it does (`make bench`), so the SQL the ORM makes for
    `pk=…` is kept, per database, and run as a raw query with the person's id.
    """

    def get_user(self, user_id: int) -> AbstractBaseUser | None:
        model = get_user_model()
        alias = router.db_for_read(model)
        query = model._default_manager.db_manager(alias).raw(
            user_by_pk_sql(model, alias), [user_id]
        )
        user = next(iter(query), None)
        return user if user is not None and self.user_can_authenticate(user) else None


@cache
def user_by_pk_sql(model: type[AbstractBaseUser], alias: str) -> str:
    sql, _params = (
        model._default_manager.filter(pk=0)
        .query.get_compiler(connection=connections[alias])
        .as_sql()
    )
    return sql
