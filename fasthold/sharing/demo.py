"""Demo consents: Kurt lets his manager know, in his own words, what his illness is about; Bodil shares
nothing yet. Kurt's colleague information is drafted from the template and approved by him."""

from django.db import transaction

from fasthold.sharing import services
from fasthold.sharing.models import Category, Recipient


@transaction.atomic
def load_demo(world) -> None:
    kurt_user = world.users["kurt"]
    services.consent_give(
        actor=kurt_user,
        case=world.kurt,
        category=Category.ILLNESS,
        recipient=Recipient.MANAGER,
        text="Jeg har ondt i ryggen efter mange år med tunge løft. Jeg må ikke løfte tungt i en periode, "
        "men jeg kan godt køre truck.",
    )
    message, _created = services.colleague_message_draft(actor=world.users["koordinator"], case=world.kurt)
    services.colleague_message_approve(actor=kurt_user, message=message, expected_version=message.version)
