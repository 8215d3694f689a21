"""A person with a journal of any size, for the benchmarks (Django must be set up first).

The entries and 8 weeks of daily check-ins are the tests' own varied journal
(`tests.journal.insights_data`), so the benchmarks and the tests build journals one way.
"""

from accounts.models import User
from tests.journal.insights_data import add_check_ins, add_entries
from tests.journal.insights_data import make_person as new_person


def make_person(email: str, entries: int) -> User:
    user = new_person(email)
    add_entries(user, entries)
    add_check_ins(user, 56)
    return user
