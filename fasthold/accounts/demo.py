"""Demo two-factor devices: the demo users who must use two-factor login have it set up already.

They all share one fixed, published secret, so anyone trying the demo can add it to an authenticator
app. With FASTHOLD_DEMO=1 (`make run`) the code step also shows the current code for devices with
this secret, marked as a demo hint; without it, or for any other secret, it never does.
"""

from django.utils import timezone

from fasthold.accounts.models import TwoFactorDevice

# Base32 for an authenticator app ("FASTHOLD DEMO" repeated); published in the README. Demo only.
DEMO_SECRET = "FASTHOLDDEMOFASTHOLDDEMOFASTHOLD"

# Coordinators and the administrator of the case-owning organisations, and Bodil's psychologist.
DEMO_TWO_FACTOR_USERS = ("koordinator", "kollega", "admin", "anden", "psykolog")


def load_demo(world) -> None:
    now = timezone.now()
    TwoFactorDevice.objects.bulk_create([
        TwoFactorDevice(user=world.users[username], secret=DEMO_SECRET, confirmed_at=now)
        for username in DEMO_TWO_FACTOR_USERS
    ])
