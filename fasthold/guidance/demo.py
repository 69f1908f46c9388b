"""Demo content of the guidance app: the door factory has written its own policy from the template."""

from django.utils import translation

from fasthold.guidance import services
from fasthold.guidance.policy_template import blank_values, draft


def load_demo(world) -> None:
    organisation = world.orgs["door_factory"]
    with translation.override("da"):
        texts = draft(organisation.name)
        blanks = blank_values()
    for blank in blanks.values():
        texts["who_does_what"] = texts["who_does_what"].replace(blank, "Peter Nielsen")
    services.policy_save(actor=world.users["leder"], organisation=organisation, expected_version=0, data=texts)
