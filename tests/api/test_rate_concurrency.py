"""The rate limit's counter under concurrency: calls of one client at the same time are all counted
(the database cache's incr() read and then wrote, so concurrent calls were lost)."""

import threading

import pytest
from django.db import connection

from fasthold.api import services
from fasthold.api.models import Scope
from fasthold.cases.demo import build_world

THREADS = 8
CALLS = 25


@pytest.mark.django_db(transaction=True)
def test_concurrent_calls_are_all_counted():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads do not share an in-memory SQLite database")
    world = build_world()
    client, _token = services.client_create(
        actor=world.users["admin"], organisation=world.orgs["jobcentre"], name="c", scopes=[Scope.CASES_READ]
    )
    seen: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def worker():
        from django.db import connection as own

        try:
            start.wait()
            for _ in range(CALLS):
                seen.append(services.count_call(client.pk, 1))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            own.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    # Every call got its own number: none was lost or counted twice.
    assert sorted(seen) == list(range(1, THREADS * CALLS + 1))
