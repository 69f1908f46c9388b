from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def sharing_panel(context, case, access):
    """The case page's consent panel: what the employee shares, with whom (employer-side: the shared items)."""
    return ""
