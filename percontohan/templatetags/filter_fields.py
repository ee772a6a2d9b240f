"""`{{ field|filter_field }}`: a list's filter field as crispy's Bootstrap 5 field writes it (label, control,
errors, help), written in Python.

A list renders its whole filter form on every request, and through templates — crispy's field template,
then Django's widget, attribute and option templates — that was about a quarter of a list's time. Text
inputs, checkboxes and selects (every filter of the portal, the region pickers too) are written here with
the same markup; any other widget, or one with a template of its own, still goes through crispy,
so the form reads the same whichever writes it (tests/percontohan/test_filter_fields.py compares them).
"""

from functools import partial

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.forms.widgets import ChoiceWidget
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from percontohan.tables import escaped

register = template.Library()

INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html" for name in ("input", "text", "search", "number", "date", "email", "url", "tel")
)
CHECKBOX_TEMPLATE = "django/forms/widgets/checkbox.html"
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


@register.filter
def filter_field(field):
    widget = field.field.widget
    if _is_checkbox(widget):
        return _checkbox_field_html(field)
    if _is_select(widget):
        control = "form-select"
    elif _is_input(widget):
        control = "form-control"
    else:
        return as_crispy_field(field)
    _add_classes(widget, control, errors=bool(field.errors))
    widget_html = _select_html if control == "form-select" else _input_html
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}{}{}</div>',
        field.auto_id,
        f" {field.css_classes()}" if field.css_classes() else "",
        _label_html(field),
        widget_html(field),
        widget.html_after() if hasattr(widget, "html_after") else "",
        _errors_html(field),
        _help_html(field),
    )


def _renders_itself(widget):
    """Whether the widget's HTML is its template's, as written here, and then its `html_after()`, if any."""
    return type(widget).render is forms.Widget.render or hasattr(widget, "html_after")


def _is_select(widget):
    return (
        isinstance(widget, forms.Select)
        and _renders_itself(widget)
        and not widget.allow_multiple_selected
        and widget.template_name == SELECT_TEMPLATE
        and widget.option_template_name == OPTION_TEMPLATE
    )


def _is_checkbox(widget):
    return (
        isinstance(widget, forms.CheckboxInput)
        and _renders_itself(widget)
        and not hasattr(widget, "html_after")
        and widget.template_name == CHECKBOX_TEMPLATE
    )


def _checkbox_field_html(field):
    """crispy's checkbox: the box, then its label beside it, in a form-check inside the field's block."""
    _add_classes(field.field.widget, "form-check-input", errors=bool(field.errors))
    required = field.field.required
    return format_html(
        '<div class="mb-3"><div id="div_{}" class="form-check{}">{}'
        '<label for="{}" class="form-check-label{}">{}{}</label>{}{}</div></div>',
        field.auto_id,
        f" {field.css_classes()}" if field.css_classes() else "",
        _input_html(field),
        field.id_for_label,
        " requiredField" if required else "",
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",  # noqa: S308 — a constant
        _errors_html(field),
        _help_html(field),
    )


def _is_input(widget):
    return (
        isinstance(widget, forms.widgets.Input)
        and _renders_itself(widget)
        and not widget.is_hidden
        and widget.input_type not in ("checkbox", "radio", "file")
        and widget.template_name in INPUT_TEMPLATES
    )


def _add_classes(widget, control, errors):
    """The classes crispy gives a control: the widget's class name, Bootstrap's, is-invalid on an error."""
    classes = widget.attrs.get("class", "").split()
    for name in (type(widget).__name__.lower(), control, *(("is-invalid",) if errors else ())):
        if name not in classes:
            classes.append(name)
    widget.attrs["class"] = " ".join(classes)


def _label_html(field):
    if not field.label:
        return ""
    required = field.field.required
    return format_html(
        '<label{} class="form-label{}">{}{}</label>',
        format_html(' for="{}"', field.id_for_label) if field.id_for_label else "",
        " requiredField" if required else "",
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",  # noqa: S308 — a constant
    )


def _attrs_html(attrs):
    """Django's attrs.html: `name="value"`, a bare `name` for True, nothing for False."""
    return "".join(
        f" {escaped(name)}" if value is True else f' {escaped(name)}="{escaped(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


def _widget_context(field, options=True):
    """The widget's context, as its template gets it; without the options of a select (`options=False`)."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    get_context = widget.get_context if options else partial(forms.Widget.get_context, widget)
    return get_context(field.html_name, field.value(), attrs)["widget"]


def _writes_plain_options(widget):
    """Whether a select's options are Django's own, with no attributes but `selected`: then they are
    written straight from its choices (_options_html), not through a dictionary of context per option
    (ChoiceWidget.optgroups), which cost more than the rest of the filter form."""
    kind = type(widget)
    return (
        kind.get_context in (forms.Select.get_context, ChoiceWidget.get_context)
        and kind.optgroups is ChoiceWidget.optgroups
        and kind.create_option is ChoiceWidget.create_option
        and not widget.option_inherits_attrs
        and widget.checked_attribute == {"selected": True}
    )


def _options_html(choices, value):
    """A single select's options as ChoiceWidget.optgroups and Django's option template write them: the
    first option whose value is among `value` (strings) is selected; a group's options in an optgroup."""
    parts, has_selected = [], False
    for option_value, option_label in choices:
        grouped = isinstance(option_label, (list, tuple))
        if grouped:
            parts.append(f'<optgroup label="{escaped(option_value)}">')
            options = option_label
        else:
            options = (("" if option_value is None else option_value, option_label),)
        for subvalue, sublabel in options:
            selected = not has_selected and str(subvalue) in value
            has_selected |= selected
            parts.append(
                f'<option value="{escaped(subvalue)}"{" selected" if selected else ""}>{escaped(sublabel)}</option>'
            )
        if grouped:
            parts.append("</optgroup>")
    return "".join(parts)


def _input_html(field):
    context = _widget_context(field)
    value = context["value"]
    return mark_safe(  # noqa: S308 — every value escaped
        f'<input type="{escaped(context["type"])}" name="{escaped(context["name"])}"'
        + (f' value="{escaped(value)}"' if value is not None else "")
        + f"{_attrs_html(context['attrs'])}>"
    )


def _select_html(field):
    widget = field.field.widget
    if _writes_plain_options(widget):
        context = _widget_context(field, options=False)
        options = _options_html(widget.choices, context["value"])
        return mark_safe(  # noqa: S308 — every value escaped
            f'<select name="{escaped(context["name"])}"{_attrs_html(context["attrs"])}>{options}</select>'
        )
    context = _widget_context(field)
    parts = [f'<select name="{escaped(context["name"])}"{_attrs_html(context["attrs"])}>']
    for group_name, options, _index in context["optgroups"]:
        if group_name:
            parts.append(f'<optgroup label="{escaped(group_name)}">')
        parts.extend(
            f'<option value="{escaped(option["value"])}"{_attrs_html(option["attrs"])}>'
            f"{escaped(option['label'])}</option>"
            for option in options
        )
        if group_name:
            parts.append("</optgroup>")
    parts.append("</select>")
    return mark_safe("".join(parts))  # noqa: S308 — every value escaped


def _errors_html(field):
    if not field.errors:
        return ""
    return format_html(
        '<div id="{}_error" class="invalid-feedback">{}</div>',
        field.errors.field_id,
        format_html_join(
            "",
            '<p id="error_{}_{}"><strong>{}</strong></p>',
            ((n, field.auto_id, e) for n, e in enumerate(field.errors, 1)),
        ),
    )


def _help_html(field):
    if not field.help_text:
        return ""
    return format_html(
        '<div{} class="form-text">{}</div>',
        format_html(' id="{}_helptext"', field.auto_id) if field.auto_id else "",
        mark_safe(field.help_text),  # noqa: S308 — as crispy: help texts are the portal's own, with markup
    )
