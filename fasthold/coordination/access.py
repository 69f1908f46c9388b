"""Who may do what with contacts, on top of fasthold.cases.access (which decides who sees the case)."""


def may_log(access) -> bool:
    """Coordinators log any contact; the employee, the employer's people and health professionals
    log the contacts they had themselves. Read-only staff log nothing."""
    if access.is_staff:
        return access.can_edit
    return access.is_employee or access.is_employer_side or access.is_health_professional


def may_choose_audience(access) -> bool:
    """The coordinator and the employee choose who may read a note. The employer's people always
    write for everyone; health professionals always for professionals (services.contact_log)."""
    return access.is_staff or access.is_employee
