"""The values to fill URL patterns with, from the whole demo world (tests.base: ALL_DEMOS), shared by the
header walk and the form fuzz. The crawl itself is the employer leak check's (tests/sharing/crawler.py)."""

from django.urls import reverse
from django.utils import timezone

from tests.sharing.test_employer_leak_check import db_pool


def crawl_values(world, user) -> tuple[list[str], dict, dict]:
    """Start pages, values by parameter name and values by converter for `user`, from both demo cases."""
    from fasthold.deadlines.models import FeedToken
    from fasthold.plans.models import PlanVersion

    token, _ = FeedToken.objects.get_or_create(user=user)
    pools = [db_pool(case) for case in (world.kurt, world.bodil)]
    conv = {key: list(dict.fromkeys(v for pool in pools for v in pool[key])) for key in pools[0]}
    numbers = [
        str(n)
        for n in PlanVersion.objects.filter(plan__case__in=[world.kurt, world.bodil])
        .values_list("number", flat=True)
        .distinct()
    ]
    conv["int"] = list(dict.fromkeys(numbers + conv["int"]))
    conv["isodate"] = [timezone.localdate().isoformat()]
    seeds = {
        "public_id": [str(world.kurt.public_id), str(world.bodil.public_id)],
        "number": numbers,
        "token": [token.token],
        "lang": ["da", "en"],
    }
    start = [
        "/",
        reverse("cases:detail", args=[world.kurt.public_id]),
        reverse("cases:detail", args=[world.bodil.public_id]),
        reverse("deadlines:feed_settings"),
    ]
    return start, seeds, conv


class RecordingClient:
    """The test client, keeping each GET's response so its headers can be checked after a crawl."""

    def __init__(self, client):
        self.client = client
        self.responses: dict[str, object] = {}

    def get(self, url, *args, **kwargs):
        response = self.client.get(url, *args, **kwargs)
        self.responses[url] = response
        return response
