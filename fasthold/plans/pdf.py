"""The retention plan (fastholdelsesplan) as a PDF: HTML rendered in the chosen language, then WeasyPrint.

`render_html` is separate so tests can read exactly what is fed to WeasyPrint."""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from fasthold.plans import selectors


def render_html(*, case, version, employer_view: bool, lang: str, viewer=None, access=None):
    """`viewer` (with their `access` to the case, if known) gets what the employee shares with them."""
    content = selectors.version_content(version, employer_view=employer_view, with_history=False)
    history = selectors.step_history(case)
    shared = None
    if employer_view and viewer is not None:
        from fasthold.sharing.policy import shared_with  # what the employee shares with this reader, now

        shared = shared_with(viewer, case, access=access)
    with translation.override(lang):
        html = render_to_string("plans/pdf.html", {
            "case": case,
            "version": version,
            "content": content,
            "employer_view": employer_view,
            "step": history[-1] if history else None,
            "schedule_summary": selectors.schedule_summary(case),
            "generated": timezone.localdate(),
            "lang": lang,
            "shared": shared,
        })
    return html, content


def write_pdf(html: str) -> bytes:
    import weasyprint  # imported here: heavy, and only this view needs it

    return weasyprint.HTML(string=html).write_pdf()


def render_document(html: str):
    """The laid-out document, for tests and page counts."""
    import weasyprint

    return weasyprint.HTML(string=html).render()
