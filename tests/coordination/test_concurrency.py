"""Two people change the same contact agreement at the same moment: one wins, the other is told."""

import threading

import pytest
from django.db import connections

from fasthold.coordination import services
from fasthold.coordination.models import ContactAgreement
from fasthold.kernel import ConflictError
from tests.base import build_demo_world


# Its own world, committed (transaction=True): the two threads use their own connections and see only committed rows.
@pytest.mark.django_db(transaction=True)
def test_concurrent_changes_from_the_same_version_one_saved_one_conflict():
    world = build_demo_world(("coordination",))
    case = world.kurt
    barrier = threading.Barrier(2)
    results, errors = [], []

    def change(username, days):
        try:
            barrier.wait(timeout=10)
            services.contact_agreement_set(
                actor=world.users[username],
                case=case,
                cadence_days=days,
                responsible="employer",
                channel="phone",
                expected_version=1,
            )
            results.append(username)
        except ConflictError:
            results.append("conflict")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=change, args=args) for args in (("koordinator", 5), ("kollega", 9))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert sorted(results).count("conflict") == 1, results
    versions = list(ContactAgreement.objects.filter(case=case).values_list("version", "current"))
    assert versions == [(2, True), (1, False)]
