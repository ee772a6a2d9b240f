"""Rendering the blocks other apps offer a core page (percontohan.registry.HomeSection)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def render_section(context, section):
    """An app's section: its template, with the section's own context on top of the page's."""
    partial = context.template.engine.get_template(section.template)
    with context.push(section.context):
        return partial.render(context)
