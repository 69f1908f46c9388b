"""The retention plan (fastholdelsesplan) as a PDF: HTML rendered in the chosen language, then WeasyPrint.

`render_html` is separate so tests can read exactly what is fed to WeasyPrint."""

from django.template.loader import render_to_string
from django.utils import timezone, translation

from fasthold.plans import hooks, selectors


def render_html(*, case, version, employer_view: bool, lang: str, shared=None):
    """`shared`: what the employee shares with the employer-side reader (fasthold.sharing.policy.shared_for,
    which the view calls, so the read is logged with the page's other reads)."""
    content = selectors.version_content(version, employer_view=employer_view, with_history=False)
    history = selectors.step_history(case)
    if not employer_view:
        shared = None
    with translation.override(lang):
        html = render_to_string(
            "plans/pdf.html",
            {
                "case": case,
                "version": version,
                "content": content,
                "employer_view": employer_view,
                "step": history[-1] if history else None,
                "generated": timezone.localdate(),
                "lang": lang,
                "shared": shared,
                # e.g. schedule_summary, the graded return schedule's weeks (registered by schedules)
                **hooks.pdf_sections(case),
            },
        )
    return html, content


def write_pdf(html: str) -> bytes:
    import weasyprint  # imported here: heavy, and only this view needs it

    return weasyprint.HTML(string=html).write_pdf()


def render_document(html: str):
    """The laid-out document, for tests and page counts."""
    import weasyprint  # heavy; only the PDF needs it

    return weasyprint.HTML(string=html).render()
