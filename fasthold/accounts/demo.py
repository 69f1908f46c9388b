"""Demo two-factor devices: the demo users who must use two-factor login have it set up already.

They all share one fixed, published secret, so anyone trying the demo can add it to an authenticator
app. With FASTHOLD_DEMO=1 (`make run`) the code step also shows the current code for devices with
this secret, marked as a demo hint; without it, or for any other secret, it never does.
"""

from django.utils import timezone

from fasthold.accounts.models import TwoFactorDevice
from fasthold.accounts.services import two_factor_required

# Base32 for an authenticator app ("FASTHOLD DEMO" repeated); published in the README. Demo only.
DEMO_SECRET = "FASTHOLDDEMOFASTHOLDDEMOFASTHOLD"


def load_demo(world) -> None:
    """A device for each demo user who must use two-factor login (coordinators, administrators, Bodil's psychologist)."""
    now = timezone.now()
    TwoFactorDevice.objects.bulk_create(
        [
            TwoFactorDevice(user=user, secret=DEMO_SECRET, confirmed_at=now)
            for user in world.users.values()
            if two_factor_required(user)
        ]
    )
