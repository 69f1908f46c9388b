"""The colleague information's first draft, filled from plain case facts. Pure: no Django.

It takes only a first name, the job, the weeks expected and, if the employee has consented to tell
colleagues, their own wording. It never takes the diagnosis, so it cannot put it in the draft.
"""

from dataclasses import dataclass

PARTS = ("what_happened", "what_is_done", "tasks", "how_to_relate", "time_perspective")


@dataclass(frozen=True)
class Facts:
    first_name: str
    job_title: str = ""
    expected_weeks: int | None = None  # counted from the first sick day
    weeks_so_far: int = 0
    illness_wording: str = ""  # only what the employee consented colleagues may know
    partly_back: bool = False


_TEXTS = {
    "da": {
        "happened_plain": "{name} er sygemeldt og er væk fra arbejdet i en periode.",
        "happened_wording": "{name} er sygemeldt. {name} har selv bedt os fortælle: {wording}",
        "done": "{name} får hjælp til at komme sig, og vi er sammen med {name} i gang med en plan for at "
        "vende tilbage til arbejdet i et tempo, der passer.",
        "done_partly": "{name} er så småt begyndt at arbejde igen på nedsat tid efter en plan, vi har lavet sammen.",
        "tasks": "Mens {name} er væk, fordeler vi opgaverne{job}. Spørg din leder, hvis du er i tvivl om, "
        "hvad du skal tage dig af.",
        "job": " som {job}",
        "relate": "Det er helt i orden at sende en hilsen. {name} har brug for ro, så spørg ikke ind til "
        "sygdommen, og lad {name} selv bestemme, hvor meget der skal tales om den.",
        "time_unknown": "Vi ved endnu ikke, hvor længe {name} er væk. Vi fortæller mere, når vi ved det.",
        "time_weeks": "Vi forventer, at {name} er helt tilbage om cirka {weeks} uger. Det kan ændre sig, "
        "og vi fortæller det, hvis det sker.",
        "time_soon": "Vi forventer, at {name} snart er helt tilbage.",
    },
    "en": {
        "happened_plain": "{name} is on sick leave and away from work for a while.",
        "happened_wording": "{name} is on sick leave. {name} has asked us to tell you: {wording}",
        "done": "{name} is getting help to recover, and together with {name} we are working on a plan to "
        "return to work at a pace that fits.",
        "done_partly": "{name} has started working a little again, on reduced hours, following a plan we made together.",
        "tasks": "While {name} is away, we share out the tasks{job}. Ask your manager if you are unsure what "
        "to take care of.",
        "job": " of the {job}",
        "relate": "A friendly greeting is welcome. {name} needs peace, so do not ask about the illness, and let "
        "{name} decide how much to talk about it.",
        "time_unknown": "We do not know yet how long {name} will be away. We will tell you more when we know.",
        "time_weeks": "We expect {name} to be fully back in about {weeks} weeks. That may change, and we will "
        "tell you if it does.",
        "time_soon": "We expect {name} to be fully back soon.",
    },
}


def draft(facts: Facts, language: str = "da") -> dict[str, str]:
    """The five parts of the colleague information, in `language` ("da" or "en")."""
    t = _TEXTS.get(language[:2], _TEXTS["da"])
    name = facts.first_name.strip() or ("medarbejderen" if t is _TEXTS["da"] else "our colleague")
    wording = " ".join(facts.illness_wording.split())
    if wording:
        happened = t["happened_wording"].format(name=name, wording=wording)
    else:
        happened = t["happened_plain"].format(name=name)
    title = facts.job_title.strip()
    # Mid-sentence a job title is lower case in Danish ("som sekretær"), unless it is an abbreviation.
    if title and not title[:2].isupper():
        title = title[:1].lower() + title[1:]
    job = t["job"].format(job=title) if title else ""
    if facts.expected_weeks is None:
        time = t["time_unknown"].format(name=name)
    else:
        remaining = facts.expected_weeks - facts.weeks_so_far
        time = t["time_weeks"].format(name=name, weeks=remaining) if remaining > 1 else t["time_soon"].format(name=name)
    return {
        "what_happened": happened,
        "what_is_done": (t["done_partly"] if facts.partly_back else t["done"]).format(name=name),
        "tasks": t["tasks"].format(name=name, job=job),
        "how_to_relate": t["relate"].format(name=name),
        "time_perspective": time,
    }
