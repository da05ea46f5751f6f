from civic_portal.audit.models import PersonalDataAccess


def logged_fields(actor, **filters) -> dict[int, set[str]]:
    """Return the fields logged for *actor*, by subject id."""
    rows = PersonalDataAccess.objects.filter(actor_id=actor.pk, **filters)
    logged: dict[int, set[str]] = {}
    for row in rows:
        logged.setdefault(row.subject_id, set()).update(row.field_names)
    return logged
