"""Tests of the cross-cutting pieces: access, settings, login, history, locking, roles, formats."""


def organisation_form_data(organisation, **changes):
    """The edit form of an organisation as a browser would post it, with some fields changed."""
    data = {
        "name": organisation.name,
        "short_name": organisation.short_name,
        "kind": organisation.kind,
        "parent": organisation.parent_id or "",
        "province": organisation.province_id or "",
        "regency": organisation.regency_id or "",
        "working_area": [regency.pk for regency in organisation.working_area.all()],
        "address": organisation.address,
        "phone": organisation.phone,
        "email": organisation.email,
        "website": organisation.website,
        "version": organisation.version,
    }
    data.update(changes)
    return data
