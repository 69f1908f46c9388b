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


# The fitness-for-work statement (mulighedserklæring). The employer asks for it and writes part 1 with the
# employee; the doctor's part 2 is health information. Each view checks these in Python; an employer-side
# user is given 404 for what they may not see (the doctor's part, the sharing choice).


def may_work_on_statement(access) -> bool:
    """Ask for a statement and record part 1, the dates and the agreement: the coordinator and the
    employer's people (manager, HR). Read-only staff, the employee and health professionals read only."""
    if access.is_staff:
        return access.can_edit
    return access.is_employer_side


def may_record_assessment(access) -> bool:
    """Write down the doctor's part 2: the coordinator, or a health professional on the case."""
    if access.is_staff:
        return access.can_edit
    return access.is_health_professional


def may_decide_statement_sharing(access) -> bool:
    """Share part 2 with the manager or HR, or stop sharing it: the employee, or the coordinator
    recording the employee's word (with how it was given)."""
    return access.is_employee or access.can_edit
